//! Shared test helpers: seeded random matrices of every dtype, special matrices, layout
//! variants of one logical matrix, and the normalised-error measures LAPACK's tests use.
#![allow(dead_code)] // each test crate uses a different subset

use ndarray::{
    s, Array1, Array2, Array3, ArrayBase, ArrayD, Data, Ix2, IxDyn, ShapeBuilder, Slice,
};
use ndkit::{c32, c64, Scalar};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

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

/// A well-conditioned square matrix: random plus n on the diagonal.
pub fn well_conditioned<T: TestScalar>(rng: &mut StdRng, n: usize) -> Array2<T> {
    let mut a = random_matrix::<T>(rng, n, n);
    for i in 0..n {
        a[[i, i]] += T::from_f64(n as f64);
    }
    a
}

/// A Hermitian positive-definite matrix: B·Bᴴ + n·I.
pub fn hpd<T: TestScalar>(rng: &mut StdRng, n: usize) -> Array2<T> {
    let b = random_matrix::<T>(rng, n, n);
    let mut a = naive_matmul(&b, &conj_t(&b));
    for i in 0..n {
        a[[i, i]] += T::from_f64(n as f64);
    }
    a
}

/// A Hermitian matrix: (B + Bᴴ)/2.
pub fn hermitian<T: TestScalar>(rng: &mut StdRng, n: usize) -> Array2<T> {
    let b = random_matrix::<T>(rng, n, n);
    (&b + &conj_t(&b)).mapv(|x| x / T::from_f64(2.0))
}

/// The n×n Hilbert matrix 1/(i+j+1): symmetric positive definite and very ill-conditioned.
pub fn hilbert<T: Scalar>(n: usize) -> Array2<T> {
    Array2::from_shape_fn((n, n), |(i, j)| T::from_f64(1.0 / (i + j + 1) as f64))
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

/// Copies of `a` with the same logical values in different memory layouts: C order,
/// Fortran order, negative strides in one and both axes, and a non-contiguous slice.
pub fn layouts<T: Scalar>(a: &Array2<T>) -> Vec<(&'static str, Array2<T>)> {
    let (m, n) = a.dim();
    let mut f = Array2::zeros((m, n).f());
    f.assign(a);
    let neg_rows = a.slice(s![..;-1, ..]).to_owned().slice_move(s![..;-1, ..]);
    let neg_both = a
        .slice(s![..;-1, ..;-1])
        .to_owned()
        .slice_move(s![..;-1, ..;-1]);
    let mut big = Array2::zeros((2 * m, 2 * n));
    big.slice_mut(s![..;2, ..;2]).assign(a);
    let strided = big.slice_move(s![..;2, ..;2]);
    vec![
        ("C", a.as_standard_layout().into_owned()),
        ("F", f),
        ("negative-row-stride", neg_rows),
        ("negative-strides", neg_both),
        ("strided", strided),
    ]
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

/// Frobenius norm in f64 (inputs in tests are well within range).
pub fn fro<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>) -> f64 {
    a.iter().map(|x| f64_of(x.norm_sqr())).sum::<f64>().sqrt()
}

/// ‖A − B‖_F in f64.
pub fn fro_diff<T: Scalar, S1: Data<Elem = T>, S2: Data<Elem = T>>(
    a: &ArrayBase<S1, Ix2>,
    b: &ArrayBase<S2, Ix2>,
) -> f64 {
    assert_eq!(a.dim(), b.dim(), "fro_diff shapes");
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
