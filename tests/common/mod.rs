//! Shared test helpers: seeded random matrices of every dtype, special matrices, layout
//! variants of one logical matrix, and the normalised-error measures LAPACK's tests use.
#![allow(dead_code)] // each test crate uses a different subset

use ndarray::{
    Array, Array1, Array2, Array3, ArrayBase, ArrayD, ArrayView, ArrayViewMut, AxisDescription,
    Data, Dimension, Ix2, IxDyn, RawData, ShapeBuilder, Slice,
};
use ndarray_npy::{read_npy, ReadNpyExt};
use ndkit::{c32, c64, Scalar};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::path::Path;

/// A deterministic generator: every test names its own seed.
pub fn rng(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

/// Scalars the tests can draw at random, build from f64 parts and read back exactly.
pub trait TestScalar: Scalar {
    /// The type's name, for failure messages.
    const NAME: &'static str;
    /// Uniform in [-1, 1] (both parts for complex types).
    fn random(rng: &mut StdRng) -> Self;
    /// re + i·im (the imaginary part is dropped for real types).
    fn make(re: f64, im: f64) -> Self;
    /// (re, im) in f64, exactly.
    fn parts(self) -> (f64, f64);
}

impl TestScalar for f32 {
    const NAME: &'static str = "f32";
    fn random(rng: &mut StdRng) -> Self {
        rng.random_range(-1.0..=1.0)
    }
    fn make(re: f64, _: f64) -> Self {
        re as f32
    }
    fn parts(self) -> (f64, f64) {
        (self.into(), 0.0)
    }
}
impl TestScalar for f64 {
    const NAME: &'static str = "f64";
    fn random(rng: &mut StdRng) -> Self {
        rng.random_range(-1.0..=1.0)
    }
    fn make(re: f64, _: f64) -> Self {
        re
    }
    fn parts(self) -> (f64, f64) {
        (self, 0.0)
    }
}
impl TestScalar for c32 {
    const NAME: &'static str = "c32";
    fn random(rng: &mut StdRng) -> Self {
        c32::new(rng.random_range(-1.0..=1.0), rng.random_range(-1.0..=1.0))
    }
    fn make(re: f64, im: f64) -> Self {
        c32::new(re as f32, im as f32)
    }
    fn parts(self) -> (f64, f64) {
        (self.re.into(), self.im.into())
    }
}
impl TestScalar for c64 {
    const NAME: &'static str = "c64";
    fn random(rng: &mut StdRng) -> Self {
        c64::new(rng.random_range(-1.0..=1.0), rng.random_range(-1.0..=1.0))
    }
    fn make(re: f64, im: f64) -> Self {
        c64::new(re, im)
    }
    fn parts(self) -> (f64, f64) {
        (self.re, self.im)
    }
}

/// Machine epsilon of `T`'s real type, as f64.
pub fn eps<T: Scalar>() -> f64 {
    if std::mem::size_of::<T::Real>() == 4 {
        f32::EPSILON as f64
    } else {
        f64::EPSILON
    }
}

/// An m×n matrix with entries uniform in [-1, 1].
pub fn random_matrix<T: TestScalar>(rng: &mut StdRng, m: usize, n: usize) -> Array2<T> {
    Array2::from_shape_simple_fn((m, n), || T::random(rng))
}

/// A random vector of length n.
pub fn random_vector<T: TestScalar>(rng: &mut StdRng, n: usize) -> Array1<T> {
    Array1::from_shape_simple_fn(n, || T::random(rng))
}

/// An array of any shape with entries uniform in [-1, 1].
pub fn random_array<T: TestScalar>(rng: &mut StdRng, shape: &[usize]) -> ArrayD<T> {
    ArrayD::from_shape_simple_fn(IxDyn(shape), || T::random(rng))
}

/// A well-conditioned square matrix: random plus n on the diagonal.
pub fn well_conditioned<T: TestScalar>(rng: &mut StdRng, n: usize) -> Array2<T> {
    let mut a = random_matrix::<T>(rng, n, n);
    for i in 0..n {
        a[[i, i]] += T::from_f64_nearest(n as f64);
    }
    a
}

/// A Hermitian positive-definite matrix: B·Bᴴ + n·I.
pub fn hpd<T: TestScalar>(rng: &mut StdRng, n: usize) -> Array2<T> {
    let b = random_matrix::<T>(rng, n, n);
    let mut a = naive_matmul(&b, &conj_t(&b));
    for i in 0..n {
        a[[i, i]] += T::from_f64_nearest(n as f64);
    }
    a
}

/// A Hermitian matrix: (B + Bᴴ)/2.
pub fn hermitian<T: TestScalar>(rng: &mut StdRng, n: usize) -> Array2<T> {
    let b = random_matrix::<T>(rng, n, n);
    (&b + &conj_t(&b)).mapv(|x| x / T::from_f64_nearest(2.0))
}

/// The n×n Hilbert matrix 1/(i+j+1): symmetric positive definite and very ill-conditioned.
pub fn hilbert<T: Scalar>(n: usize) -> Array2<T> {
    Array2::from_shape_fn((n, n), |(i, j)| {
        T::from_f64_nearest(1.0 / (i + j + 1) as f64)
    })
}

/// A random m×n matrix of rank r (product of m×r and r×n factors).
pub fn rank_deficient<T: TestScalar>(rng: &mut StdRng, m: usize, n: usize, r: usize) -> Array2<T> {
    naive_matmul(
        &random_matrix::<T>(rng, m, r),
        &random_matrix::<T>(rng, r, n),
    )
}

/// A well-conditioned matrix whose rows are scaled by 10^±150 alternately (f64 only makes
/// sense for such a range).
pub fn graded(rng: &mut StdRng, n: usize) -> Array2<f64> {
    let mut a = well_conditioned::<f64>(rng, n);
    for (i, mut row) in a.rows_mut().into_iter().enumerate() {
        row *= if i % 2 == 0 { 1e150 } else { 1e-150 };
    }
    a
}

/// One memory layout of a logical array. [`Laid`] holds a backing array and shows the
/// logical array through a view with this layout's strides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Row-major (C order).
    C,
    /// Column-major (Fortran order).
    F,
    /// `.t()` of a C-order buffer of the transpose: every axis's stride reversed in order.
    Transposed,
    /// The last two axes swapped in memory (each matrix of a stack column-major).
    SwapLast,
    /// C order with the last axis padded by 3 (a leading dimension larger than the row).
    PaddedC,
    /// Fortran order with the first axis padded by 3.
    PaddedF,
    /// Axis 0 reversed in a C-order buffer: a negative stride on the first (row) axis.
    NegFirst,
    /// The last axis reversed in a Fortran-order buffer: unit row stride, negative column
    /// stride.
    NegLast,
    /// Every axis reversed: negative strides everywhere.
    NegAll,
    /// Every other element along every axis of a larger buffer: no unit stride.
    Stepped,
    /// Every other entry along axis 0 only (every other row of a taller buffer).
    StepFirst,
    /// Every third element along every axis, backwards: negative non-unit strides.
    NegStepped,
    /// C order, but every axis of length 1 has stride 0, as a broadcast view gives (read-only:
    /// not in [`WRITABLE_LAYOUTS`]).
    ZeroStride,
}

/// A layout prints as its variant name, for failure messages.
impl std::fmt::Display for Layout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self, f)
    }
}

/// Every layout, for operands read through a view.
pub const LAYOUTS: [Layout; 13] = [
    Layout::C,
    Layout::F,
    Layout::Transposed,
    Layout::SwapLast,
    Layout::PaddedC,
    Layout::PaddedF,
    Layout::NegFirst,
    Layout::NegLast,
    Layout::NegAll,
    Layout::Stepped,
    Layout::StepFirst,
    Layout::NegStepped,
    Layout::ZeroStride,
];

/// The layouts a mutable view can have: [`LAYOUTS`] but [`Layout::ZeroStride`], the last.
pub const WRITABLE_LAYOUTS: [Layout; 12] = {
    let mut w = [Layout::C; 12];
    let mut i = 0;
    while i < w.len() {
        w[i] = LAYOUTS[i];
        i += 1;
    }
    w
};

fn reverse_axis(axis: usize) -> impl Fn(AxisDescription) -> Slice {
    move |ax| {
        if ax.axis.index() == axis {
            Slice::new(0, None, -1)
        } else {
            Slice::from(..)
        }
    }
}

fn step_axis(axis: Option<usize>, step: isize) -> impl Fn(AxisDescription) -> Slice {
    move |ax| {
        if axis.is_none_or(|a| a == ax.axis.index()) {
            Slice::new(0, None, step)
        } else {
            Slice::from(..)
        }
    }
}

fn prefix_axis(axis: usize, len: usize) -> impl Fn(AxisDescription) -> Slice {
    move |ax| {
        if ax.axis.index() == axis {
            Slice::from(..len)
        } else {
            Slice::from(..)
        }
    }
}

/// A logical array `a` stored in one [`Layout`]: `buf` is the backing array, `view()` (and,
/// except for [`Layout::ZeroStride`], `view_mut()`) shows `a` through that layout's strides.
pub struct Laid<T, D: Dimension> {
    /// The backing array (larger than `a` for the padded and stepped layouts).
    pub buf: Array<T, D>,
    /// The layout `view()` shows.
    pub layout: Layout,
    dim: D,
}

/// [`Laid`] of a matrix.
pub type Laid2<T> = Laid<T, Ix2>;

impl<T: Scalar, D: Dimension> Laid<T, D> {
    /// Stores `a` in `layout`: a zeroed backing array of the layout's shape and order, written
    /// through the layout's view.
    pub fn new<S: Data<Elem = T>>(a: &ArrayBase<S, D>, layout: Layout) -> Self {
        let dim = a.raw_dim();
        let nd = dim.ndim();
        let mut shape = dim.clone();
        let mut fortran = false;
        if nd > 0 {
            let (first, last) = (0, nd - 1);
            let lens = shape.slice_mut();
            match layout {
                Layout::C | Layout::NegFirst | Layout::NegAll | Layout::ZeroStride => {}
                Layout::F | Layout::NegLast => fortran = true,
                Layout::Transposed => lens.reverse(),
                Layout::SwapLast if nd >= 2 => lens.swap(nd - 2, nd - 1),
                Layout::SwapLast => {}
                Layout::PaddedC => lens[last] += 3,
                Layout::PaddedF => (lens[first], fortran) = (lens[first] + 3, true),
                Layout::Stepped => lens.iter_mut().for_each(|n| *n *= 2),
                Layout::StepFirst => lens[first] *= 2,
                Layout::NegStepped => lens.iter_mut().for_each(|n| *n *= 3),
            }
        }
        let mut laid = Laid {
            buf: Array::zeros(shape.set_f(fortran)),
            layout,
            dim,
        };
        let mut v = laid.buf.view_mut();
        restride(&mut v, layout, &laid.dim);
        v.assign(a);
        let same = |x: &T, y: &T| x == y || !(x.finite() || y.finite());
        let shown = laid.view();
        assert!(
            shown.shape() == a.shape() && shown.iter().zip(a.iter()).all(|(x, y)| same(x, y)),
            "{layout:?} does not show the array it stores"
        );
        laid
    }

    /// The logical array, through this layout's strides.
    pub fn view(&self) -> ArrayView<'_, T, D> {
        let mut v = self.buf.view();
        if self.layout != Layout::ZeroStride {
            restride(&mut v, self.layout, &self.dim);
            return v;
        }
        let mut strides = v.raw_dim();
        for (s, (&len, &st)) in strides
            .slice_mut()
            .iter_mut()
            .zip(v.shape().iter().zip(v.strides()))
        {
            *s = if len == 1 { 0 } else { st as usize };
        }
        // SAFETY: the pointer and shape of `v` (a C-order view of `buf`), with the stride of
        // every axis of length 1 set to 0; such an axis is only indexed at 0, so the view reaches
        // exactly the elements `v` does, for as long as `v` borrows `buf`.
        unsafe { ArrayView::from_shape_ptr(v.raw_dim().strides(strides), v.as_ptr()) }
    }

    /// The logical array, writable, through this layout's strides.
    ///
    /// Panics for [`Layout::ZeroStride`] (use [`WRITABLE_LAYOUTS`]).
    pub fn view_mut(&mut self) -> ArrayViewMut<'_, T, D> {
        assert!(self.layout != Layout::ZeroStride, "ZeroStride is read-only");
        let mut v = self.buf.view_mut();
        restride(&mut v, self.layout, &self.dim);
        v
    }

    /// The logical array as an owned array with this layout's strides: the backing array,
    /// sliced or with its axes permuted in place (no copy).
    ///
    /// Panics for [`Layout::ZeroStride`] (an owned array cannot have it).
    pub fn into_array(self) -> Array<T, D> {
        assert!(self.layout != Layout::ZeroStride, "ZeroStride is view-only");
        let mut a = self.buf;
        restride(&mut a, self.layout, &self.dim);
        a
    }
}

/// Turns `a`, the backing array of a [`Laid`] of shape `dim`, into the logical array.
fn restride<S: RawData, D: Dimension>(a: &mut ArrayBase<S, D>, layout: Layout, dim: &D) {
    let nd = dim.ndim();
    if nd == 0 {
        return;
    }
    let last = nd - 1;
    match layout {
        Layout::C | Layout::F | Layout::ZeroStride => {}
        Layout::Transposed => (0..nd / 2).for_each(|i| a.swap_axes(i, nd - 1 - i)),
        Layout::SwapLast if nd >= 2 => a.swap_axes(nd - 2, nd - 1),
        Layout::SwapLast => {}
        Layout::PaddedC => a.slice_each_axis_inplace(prefix_axis(last, dim[last])),
        Layout::PaddedF => a.slice_each_axis_inplace(prefix_axis(0, dim[0])),
        Layout::NegFirst => a.slice_each_axis_inplace(reverse_axis(0)),
        Layout::NegLast => a.slice_each_axis_inplace(reverse_axis(last)),
        Layout::NegAll => a.slice_each_axis_inplace(|_| Slice::new(0, None, -1)),
        Layout::Stepped => a.slice_each_axis_inplace(step_axis(None, 2)),
        Layout::StepFirst => a.slice_each_axis_inplace(step_axis(Some(0), 2)),
        Layout::NegStepped => a.slice_each_axis_inplace(step_axis(None, -3)),
    }
}

/// Owned copies of `a` in five layouts ([`Laid::into_array`]): C order, Fortran order,
/// negative strides in one and both axes, and a non-contiguous slice.
pub fn layouts<T: Scalar>(a: &Array2<T>) -> Vec<(&'static str, Array2<T>)> {
    [
        ("C", Layout::C),
        ("F", Layout::F),
        ("negative-row-stride", Layout::NegFirst),
        ("negative-strides", Layout::NegAll),
        ("strided", Layout::Stepped),
    ]
    .into_iter()
    .map(|(name, l)| (name, Laid::new(a, l).into_array()))
    .collect()
}

/// `a` in every layout of `which`, each with its backing array.
pub fn laid_all<T: Scalar, S: Data<Elem = T>, D: Dimension>(
    a: &ArrayBase<S, D>,
    which: &[Layout],
) -> Vec<Laid<T, D>> {
    which.iter().map(|&l| Laid::new(a, l)).collect()
}

/// A stack of shape `batch + [m, n]` whose matrices, in C order over the batch, are drawn one
/// after another by `next` (each call must return an m×n matrix).
pub fn stack_of<T: Scalar>(
    batch: &[usize],
    m: usize,
    n: usize,
    mut next: impl FnMut() -> Array2<T>,
) -> ArrayD<T> {
    let count = batch.iter().product::<usize>();
    let mut out = Array3::<T>::zeros((count, m, n));
    for mut matrix in out.outer_iter_mut() {
        matrix.assign(&next());
    }
    let mut shape = batch.to_vec();
    shape.extend([m, n]);
    out.into_shape_with_order(IxDyn(&shape))
        .expect("count·m·n elements")
}

/// Copies of a stack `(..., m, n)` with the same logical values in different memory layouts:
/// C order, Fortran order (every axis reversed in memory, what `.reversed_axes()` of a C
/// array gives), column-major matrices in a C-order batch, the batch axes permuted in memory
/// (reversed, and behind the matrix axes), negative strides on the first batch axis and the
/// last matrix axis, and non-contiguous step slices (+2 and −2 on every axis).
pub fn stack_layouts<T: Scalar>(a: &ArrayD<T>) -> Vec<(&'static str, ArrayD<T>)> {
    let nd = a.ndim();
    assert!(nd >= 2, "a stack has at least 2 axes");
    // `a`'s values stored in the memory order `perm` (axis perm[0] outermost).
    let stored = |perm: &[usize]| {
        let mut inverse = vec![0; nd];
        for (i, &p) in perm.iter().enumerate() {
            inverse[p] = i;
        }
        a.view()
            .permuted_axes(perm.to_vec())
            .as_standard_layout()
            .into_owned()
            .permuted_axes(inverse)
    };
    let mut fortran = ArrayD::zeros(IxDyn(a.shape()).f());
    fortran.assign(a);
    let mut swapped: Vec<usize> = (0..nd).collect();
    swapped.swap(nd - 2, nd - 1);
    let batch_reversed: Vec<usize> = (0..nd - 2).rev().chain([nd - 2, nd - 1]).collect();
    let batch_inner: Vec<usize> = [nd - 2, nd - 1].into_iter().chain(0..nd - 2).collect();
    let flip = |axis: usize| {
        if (axis == 0 && nd > 2) || axis == nd - 1 {
            -1
        } else {
            1
        }
    };
    // A C-order copy of the reversed view, reversed again (`to_owned` would keep the view's
    // memory order, and the second reversal would give back positive strides).
    let mut negative = a
        .slice_each_axis(|d| Slice::new(0, None, flip(d.axis.index())))
        .as_standard_layout()
        .into_owned();
    negative.slice_each_axis_inplace(|d| Slice::new(0, None, flip(d.axis.index())));
    let strided = |step: isize| {
        let big_shape: Vec<usize> = a.shape().iter().map(|&l| 2 * l).collect();
        let mut big = ArrayD::<T>::zeros(IxDyn(&big_shape));
        big.slice_each_axis_mut(|_| Slice::new(0, None, step))
            .assign(a);
        big.slice_each_axis_inplace(|_| Slice::new(0, None, step));
        big
    };
    let out = vec![
        ("C", a.as_standard_layout().into_owned()),
        ("F", fortran),
        ("column-major matrices", stored(&swapped)),
        ("batch axes reversed in memory", stored(&batch_reversed)),
        ("batch axes innermost", stored(&batch_inner)),
        ("negative strides", negative),
        ("step 2", strided(2)),
        ("step -2", strided(-2)),
    ];
    for (name, v) in &out {
        assert_eq!(v, a, "stack_layouts: {name} changed the values");
    }
    out
}

/// The real test dtypes (f32, f64) with the test centre's helpers.
pub trait TestReal: ndkit::Real + TestScalar {}
impl<T: ndkit::Real + TestScalar> TestReal for T {}

/// An f64 array (e.g. a golden input) as dtype `T`, rounded to nearest.
pub fn cast<T: TestScalar, D: Dimension>(a: &Array<f64, D>) -> Array<T, D> {
    a.mapv(|v| T::make(v, 0.0))
}

/// Conjugate transpose as a new C-order array.
pub fn conj_t<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>) -> Array2<T> {
    a.t().mapv(|x| x.conj())
}

/// Reference product by the triple loop (no BLAS), accumulated in T.
pub fn naive_matmul<T: Scalar, S1: Data<Elem = T>, S2: Data<Elem = T>>(
    a: &ArrayBase<S1, Ix2>,
    b: &ArrayBase<S2, Ix2>,
) -> Array2<T> {
    assert_eq!(a.ncols(), b.nrows(), "naive_matmul shapes");
    Array2::from_shape_fn((a.nrows(), b.ncols()), |(i, j)| {
        (0..a.ncols()).fold(T::zero(), |acc, k| acc + a[[i, k]] * b[[k, j]])
    })
}

/// Frobenius norm in f64 of an array of any dimension (inputs in tests are well within range).
pub fn fro<T: Scalar, S: Data<Elem = T>, D: Dimension>(a: &ArrayBase<S, D>) -> f64 {
    a.iter().map(|x| f64_of(x.norm_sqr())).sum::<f64>().sqrt()
}

/// ‖A − B‖_F in f64, for arrays of one shape.
pub fn fro_diff<T: Scalar, S1: Data<Elem = T>, S2: Data<Elem = T>, D: Dimension>(
    a: &ArrayBase<S1, D>,
    b: &ArrayBase<S2, D>,
) -> f64 {
    assert_eq!(a.shape(), b.shape(), "fro_diff shapes");
    a.iter()
        .zip(b.iter())
        .map(|(&x, &y)| f64_of((x - y).norm_sqr()))
        .sum::<f64>()
        .sqrt()
}

/// ‖QᴴQ − I‖_F / (n·ε): orthonormality of the columns of `q`.
pub fn orthogonality_ratio<T: Scalar, S: Data<Elem = T>>(q: &ArrayBase<S, Ix2>) -> f64 {
    let k = q.ncols();
    let qhq = naive_matmul(&conj_t(q), q);
    let identity =
        Array2::from_shape_fn((k, k), |(i, j)| if i == j { T::one() } else { T::zero() });
    fro_diff(&qhq, &identity) / (k.max(1) as f64 * eps::<T>())
}

/// A real scalar as f64, for measurements.
pub fn f64_of<R: num_traits::ToPrimitive>(x: R) -> f64 {
    x.to_f64().unwrap_or(f64::NAN)
}

// ------------------------------------------------------------- golden files and their errors

/// Reads the golden file `<dir>/<name>.npy`, written by the `generate.py` in that directory (or
/// its parent). Every `tests/*_reference` directory follows this convention.
#[track_caller]
pub fn load_npy<A: ReadNpyExt>(dir: &str, name: &str) -> A {
    let path = Path::new(dir).join(format!("{name}.npy"));
    read_npy(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e} (regenerate with the generate.py beside it)",
            path.display()
        )
    })
}

/// Normwise relative error `max |got − want| / max |want|` in f64 (absolute where `want` is all
/// zero): what backward-error analysis bounds, unlike the elementwise error of a tiny entry.
#[track_caller]
pub fn max_rel_err<T: Scalar, S1: Data<Elem = T>, S2: Data<Elem = T>, D: Dimension>(
    got: &ArrayBase<S1, D>,
    want: &ArrayBase<S2, D>,
) -> f64 {
    assert_eq!(got.shape(), want.shape(), "max_rel_err shapes");
    let diff = got
        .iter()
        .zip(want.iter())
        .map(|(&g, &w)| f64_of((g - w).norm()))
        .fold(0.0, f64::max);
    let scale = want.iter().map(|w| f64_of(w.norm())).fold(0.0, f64::max);
    if scale > 0.0 {
        diff / scale
    } else {
        diff
    }
}

/// Elementwise relative error `max |gotᵢ − wantᵢ| / |wantᵢ|`, for results whose every entry is
/// determined to full relative accuracy (e.g. well-separated positive variances).
#[track_caller]
pub fn elementwise_rel_err<T: Scalar, S1: Data<Elem = T>, S2: Data<Elem = T>, D: Dimension>(
    got: &ArrayBase<S1, D>,
    want: &ArrayBase<S2, D>,
) -> f64 {
    assert_eq!(got.shape(), want.shape(), "elementwise_rel_err shapes");
    got.iter()
        .zip(want.iter())
        .map(|(&g, &w)| f64_of((g - w).norm()) / f64_of(w.norm()))
        .fold(0.0, f64::max)
}

/// Asserts that `got` has `want`'s shape, only finite entries and a normwise relative error
/// ([`max_rel_err`]) of at most `tol`; prints the observed error, so `-- --nocapture` shows the
/// margin to each tolerance.
#[track_caller]
pub fn assert_rel_close<T: Scalar, S1: Data<Elem = T>, S2: Data<Elem = T>, D: Dimension>(
    what: &str,
    got: &ArrayBase<S1, D>,
    want: &ArrayBase<S2, D>,
    tol: f64,
) {
    assert_eq!(
        got.shape(),
        want.shape(),
        "{what}: shape differs from the reference"
    );
    assert!(
        got.iter().all(|g| g.finite()),
        "{what}: non-finite entries in {got:?}"
    );
    let err = max_rel_err(got, want);
    eprintln!("{what:<42} rel err {err:9.2e} (tol {tol:.1e})");
    assert!(
        err <= tol,
        "{what}: relative error {err:.3e} > {tol:.1e}\n got  {got:?}\n want {want:?}"
    );
}

/// [`assert_rel_close`] for one value.
#[track_caller]
pub fn assert_scalar_close<T: Scalar>(what: &str, got: T, want: T, tol: f64) {
    assert_rel_close(what, &ndarray::arr0(got), &ndarray::arr0(want), tol);
}

/// `dtype_tests!(name => check)` or `dtype_tests!(name => check(args…))`: one `#[test]` per
/// dtype, `name_f32`, `name_f64`, `name_c32` and `name_c64`, each running `check::<T>(args…)`,
/// so that a failure for one dtype does not hide the others.
#[macro_export]
macro_rules! dtype_tests {
    ($name:ident => $f:ident $(($($arg:expr),* $(,)?))?) => {
        paste::paste! {
            #[test]
            fn [<$name _f32>]() {
                $f::<f32>($($($arg),*)?);
            }
            #[test]
            fn [<$name _f64>]() {
                $f::<f64>($($($arg),*)?);
            }
            #[test]
            fn [<$name _c32>]() {
                $f::<ndkit::c32>($($($arg),*)?);
            }
            #[test]
            fn [<$name _c64>]() {
                $f::<ndkit::c64>($($($arg),*)?);
            }
        }
    };
}

/// `real_dtype_tests!(name => check)`: as [`dtype_tests!`] for the real dtypes only —
/// `name_f32` and `name_f64` — for APIs that take `T: ndkit::Real`.
#[macro_export]
macro_rules! real_dtype_tests {
    ($name:ident => $f:ident $(($($arg:expr),* $(,)?))?) => {
        paste::paste! {
            #[test]
            fn [<$name _f32>]() {
                $f::<f32>($($($arg),*)?);
            }
            #[test]
            fn [<$name _f64>]() {
                $f::<f64>($($($arg),*)?);
            }
        }
    };
}
