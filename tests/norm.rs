//! Tests of `ndkit::linalg::{vector_norm, vector_norm_axis, matrix_norm, matrix_rank, cond, trace}`.
//!
//! Every order is checked against a direct formula evaluated in f64 on the exact input values,
//! over f32/f64/c32/c64, over layouts (C, F, transposed, negative strides, sliced), at empty
//! and block-boundary sizes, with entries near the over/underflow limits, and with NaN/Inf.
//!
//! Dependencies on other modules: the tests named `*_svd_*`, `matrix_rank_*` and `cond_*`
//! call `svdvals` (decomp/svd.rs); the `cond_*` tests also call `inv` (inverse.rs).

mod common;

use common::{eps, random_matrix, random_vector, rng, TestScalar};
use ndarray::{array, s, Array1, Array2, Array3, ArrayView1, ArrayView2, Axis, Ix2, ShapeBuilder};
use ndkit::linalg::{
    cond, matrix_norm, matrix_rank, trace, vector_norm, vector_norm_axis, MatrixNorm, VectorNorm,
};
use ndkit::{c32, c64, Error, Scalar};
use num_traits::ToPrimitive;
use rand::rngs::StdRng;
use rand::Rng;

const INFINITY: f64 = f64::INFINITY;
const NEG_INFINITY: f64 = f64::NEG_INFINITY;
const NAN: f64 = f64::NAN;

// ------------------------------------------------------------------------------------ helpers

fn to_f64<R: ToPrimitive>(r: R) -> f64 {
    r.to_f64().expect("a float converts to f64")
}

/// |x| in f64 from the exact parts of x.
fn abs64<T: TestScalar>(x: T) -> f64 {
    let (re, im) = x.parts();
    re.hypot(im)
}

/// NumPy's formulas, in f64 on the exact input values (accurate for entries of moderate size).
fn ref_vector_norm(abs: &[f64], ord: VectorNorm) -> f64 {
    match ord {
        VectorNorm::L1 | VectorNorm::P(1.0) => abs.iter().sum(),
        VectorNorm::L2 | VectorNorm::P(2.0) => abs.iter().map(|v| v * v).sum::<f64>().sqrt(),
        VectorNorm::Inf => abs.iter().copied().fold(0.0, f64::max),
        VectorNorm::NegInf => abs.iter().copied().fold(INFINITY, f64::min),
        VectorNorm::Zero | VectorNorm::P(0.0) => abs.iter().filter(|&&v| v != 0.0).count() as f64,
        VectorNorm::P(p) if p == INFINITY => ref_vector_norm(abs, VectorNorm::Inf),
        VectorNorm::P(p) if p == NEG_INFINITY => ref_vector_norm(abs, VectorNorm::NegInf),
        // fold from +0: an empty f64 `sum()` is −0, and (−0)^(1/p) = −∞ for p < 0.
        VectorNorm::P(p) => abs.iter().fold(0.0, |acc, v| acc + v.powf(p)).powf(1.0 / p),
    }
}

fn ref_norm_of<T: TestScalar>(x: ArrayView1<'_, T>, ord: VectorNorm) -> f64 {
    let abs: Vec<f64> = x.iter().map(|&v| abs64(v)).collect();
    ref_vector_norm(&abs, ord)
}

/// The orders every vector test runs through: the named ones, the `P` aliases of the named
/// ones, and general positive, fractional and negative p.
const VECTOR_ORDERS: [VectorNorm; 15] = [
    VectorNorm::L1,
    VectorNorm::L2,
    VectorNorm::Inf,
    VectorNorm::NegInf,
    VectorNorm::Zero,
    VectorNorm::P(1.0),
    VectorNorm::P(2.0),
    VectorNorm::P(0.0),
    VectorNorm::P(INFINITY),
    VectorNorm::P(NEG_INFINITY),
    VectorNorm::P(3.0),
    VectorNorm::P(1.5),
    VectorNorm::P(0.5),
    VectorNorm::P(-1.0),
    VectorNorm::P(-2.5),
];

const MATRIX_ORDERS: [MatrixNorm; 8] = [
    MatrixNorm::Fro,
    MatrixNorm::Nuc,
    MatrixNorm::One,
    MatrixNorm::NegOne,
    MatrixNorm::Inf,
    MatrixNorm::NegInf,
    MatrixNorm::Two,
    MatrixNorm::NegTwo,
];

/// The orders computed without singular values.
const ELEMENTWISE_ORDERS: [MatrixNorm; 5] = [
    MatrixNorm::Fro,
    MatrixNorm::One,
    MatrixNorm::NegOne,
    MatrixNorm::Inf,
    MatrixNorm::NegInf,
];

/// Relative tolerance for a norm of n terms of a p-norm computed in `T`. Each of the n
/// additions, each scaling/power and the final root round once (relative ε each): the sum's
/// relative error is ≤ (n + |p| + 2)·ε, and the 1/p-th root scales a relative error by 1/|p|.
/// The factor 4 leaves room for the hypot of complex entries and the reference's own
/// rounding (f64, so negligible against f32).
fn vector_tol<T: Scalar>(n: usize, ord: VectorNorm) -> f64 {
    let p = match ord {
        VectorNorm::P(p) if p.is_finite() && p != 0.0 => p.abs(),
        VectorNorm::L2 => 2.0,
        _ => 1.0,
    };
    4.0 * (n as f64 + p + 2.0) * eps::<T>() * (1.0 / p).max(1.0)
}

/// `got` equals `want` to relative tolerance `tol`; infinities and NaN must match exactly.
fn assert_close(got: f64, want: f64, tol: f64, what: &str) {
    if want.is_nan() {
        assert!(got.is_nan(), "{what}: got {got:e}, want NaN");
    } else if want.is_infinite() || want == 0.0 {
        assert_eq!(got, want, "{what}");
    } else {
        let err = (got - want).abs() / want.abs();
        assert!(
            err <= tol,
            "{what}: got {got:e}, want {want:e}, relative error {err:e} > {tol:e}"
        );
    }
}

/// One logical vector stored five ways: contiguous, reversed (stride −1), every second element
/// (stride 2), a column of a C-order matrix (stride 3) and stride −3.
fn with_vector_layouts<T: TestScalar>(x: &Array1<T>, mut f: impl FnMut(&str, ArrayView1<'_, T>)) {
    let n = x.len();
    f("contiguous", x.view());
    let rev = x.slice(s![..;-1]).to_owned();
    f("stride -1", rev.slice(s![..;-1]));
    let mut wide = Array1::<T>::zeros(2 * n);
    wide.slice_mut(s![..;2]).assign(x);
    f("stride 2", wide.slice(s![..;2]));
    let mut mat = Array2::<T>::zeros((n, 3));
    mat.column_mut(1).assign(x);
    f("matrix column", mat.column(1));
    let mut back = Array1::<T>::zeros(3 * n);
    back.slice_mut(s![..;-3]).assign(x);
    f("stride -3", back.slice(s![..;-3]));
}

/// One logical matrix stored six ways.
fn with_matrix_layouts<T: TestScalar>(a: &Array2<T>, mut f: impl FnMut(&str, ArrayView2<'_, T>)) {
    let (m, n) = a.dim();
    f("C", a.view());
    let mut fortran = Array2::<T>::zeros((m, n).f());
    fortran.assign(a);
    f("F", fortran.view());
    let at = a.t().to_owned();
    f("transposed", at.t());
    let rev = a.slice(s![..;-1, ..;-1]).to_owned();
    f("negative strides", rev.slice(s![..;-1, ..;-1]));
    let rev_rows = a.slice(s![..;-1, ..]).to_owned();
    f("negative row stride", rev_rows.slice(s![..;-1, ..]));
    let mut big = Array2::<T>::zeros((2 * m, 2 * n));
    big.slice_mut(s![..;2, ..;2]).assign(a);
    f("sliced", big.slice(s![..;2, ..;2]));
}

/// A unitary Householder reflector I − 2vvᴴ/(vᴴv) of order n.
fn householder<T: TestScalar>(rng: &mut StdRng, n: usize) -> Array2<T> {
    let v = random_vector::<T>(rng, n);
    let vv: f64 = v.iter().map(|&x| abs64(x).powi(2)).sum();
    let scale = T::make(2.0 / vv, 0.0);
    Array2::from_shape_fn((n, n), |(i, j)| {
        let id = if i == j { T::one() } else { T::zero() };
        id - scale * v[i] * v[j].conj()
    })
}

/// An m×n matrix U·diag(s)·Vᴴ with the given singular values (length min(m, n)) and random
/// unitary U, V.
fn with_singular_values<T: TestScalar>(
    rng: &mut StdRng,
    m: usize,
    n: usize,
    s: &[f64],
) -> Array2<T> {
    let k = m.min(n);
    assert_eq!(s.len(), k);
    let u = householder::<T>(rng, m);
    let v = householder::<T>(rng, n);
    let mut sigma = Array2::<T>::zeros((m, n));
    for (i, &si) in s.iter().enumerate() {
        sigma[[i, i]] = T::make(si, 0.0);
    }
    u.dot(&sigma).dot(&v)
}

// ------------------------------------------------------------------------ vector_norm

fn check_vector_orders<T: TestScalar>(seed: u64) {
    let mut rng = rng(seed);
    for n in [0, 1, 2, 3, 4, 5, 7, 128, 255, 256, 257] {
        let dense = random_vector::<T>(&mut rng, n);
        // The same with every third entry exactly zero, for Zero and negative p.
        let mut sparse = dense.clone();
        sparse.slice_mut(s![..;3]).fill(T::zero());
        for (kind, x) in [("dense", &dense), ("with zeros", &sparse)] {
            for ord in VECTOR_ORDERS {
                let want = ref_norm_of(x.view(), ord);
                let tol = vector_tol::<T>(n, ord);
                let base = to_f64(vector_norm(x, ord));
                let what = format!("{} n={n} {kind} {ord:?}", std::any::type_name::<T>());
                assert_close(base, want, tol, &what);
                with_vector_layouts(x, |layout, view| {
                    let got = to_f64(vector_norm(&view, ord));
                    assert_close(got, want, tol, &format!("{what} {layout}"));
                });
            }
        }
    }
}

dtype_tests!(vector_norm_all_orders_all_dtypes_all_layouts => check_vector_orders(1));

#[test]
fn vector_norm_golden_numpy() {
    // NumPy 2.4.6:
    //   v = np.array([1.0, 2.0, -3.0]); z = np.array([3+4j, 1j])
    //   for o in [1, 2, np.inf, -np.inf, 0, 3, -2.5, 0.5, -1]: np.linalg.norm(v, o), np.linalg.norm(z, o)
    let golden = [
        (VectorNorm::L1, 6.0, 6.0),
        (VectorNorm::L2, 3.7416573867739413, 5.0990195135927845),
        (VectorNorm::Inf, 3.0, 5.0),
        (VectorNorm::NegInf, 1.0, 1.0),
        (VectorNorm::Zero, 3.0, 2.0),
        (VectorNorm::P(3.0), 3.3019272488946263, 5.0132979349645845),
        (VectorNorm::P(-2.5), 0.9172791983102292, 0.992932919416082),
        (VectorNorm::P(0.5), 17.191508225450303, 10.47213595499958),
        (VectorNorm::P(-1.0), 0.5454545454545455, 0.8333333333333334),
    ];
    let v = array![1.0, 2.0, -3.0];
    let z = array![c64::new(3.0, 4.0), c64::new(0.0, 1.0)];
    // A few roundings in each kernel against NumPy's few roundings: 8 ulps.
    let tol = 8.0 * f64::EPSILON;
    for (ord, want_v, want_z) in golden {
        assert_close(vector_norm(&v, ord), want_v, tol, &format!("v {ord:?}"));
        assert_close(vector_norm(&z, ord), want_z, tol, &format!("z {ord:?}"));
        let v32 = v.mapv(|x| x as f32);
        // The inputs are exact in f32; the result carries f32 rounding: 8 f32 ulps.
        let tol32 = 8.0 * f64::from(f32::EPSILON);
        assert_close(
            vector_norm(&v32, ord).into(),
            want_v,
            tol32,
            &format!("v f32 {ord:?}"),
        );
    }
}

fn check_empty_vector<T: TestScalar>() {
    let x = Array1::<T>::zeros(0);
    for ord in VECTOR_ORDERS {
        let got = to_f64(vector_norm(&x, ord));
        // The contract: 0 for every order except NegInf (+∞); negative p is NegInf's family and, as
        // in NumPy ((Σ 0)^(1/p) = 0^(−1/|p|)), +∞ as well.
        let want = match ord {
            VectorNorm::NegInf => INFINITY,
            VectorNorm::P(p) if p < 0.0 => INFINITY,
            _ => 0.0,
        };
        assert_eq!(got, want, "empty {ord:?}");
    }
    assert!(to_f64(vector_norm(&x, VectorNorm::P(NAN))).is_nan());
}

dtype_tests!(vector_norm_empty => check_empty_vector);

fn check_vector_nan_inf<T: TestScalar>() {
    // NumPy 2.4.6: norm([1, nan, 2], o) is nan for every o except 0 (→ 3, NaN ≠ 0); with an
    // infinite entry NaN still wins; infinite entries give ∞, except NegInf/negative p which
    // ignore them (norm([inf, 3], -inf) = 3, norm([inf, 3], -1) = 3).
    let nan = T::make(NAN, 0.0);
    let inf = T::make(INFINITY, 0.0);
    let one = T::make(1.0, 0.0);
    let three = T::make(3.0, 0.0);
    let cases: [(&str, Array1<T>); 4] = [
        ("nan", array![one, nan, three]),
        ("nan first", array![nan, one, three]),
        ("nan and zero", array![T::zero(), nan, three]),
        ("nan and inf", array![inf, three, nan]),
    ];
    for (name, x) in &cases {
        for ord in VECTOR_ORDERS {
            let got = to_f64(vector_norm(x, ord));
            match ord {
                VectorNorm::Zero | VectorNorm::P(0.0) => {
                    let want = x.iter().filter(|v| **v != T::zero()).count() as f64;
                    assert_eq!(got, want, "{name} {ord:?}");
                }
                _ => assert!(got.is_nan(), "{name} {ord:?}: got {got}, want NaN"),
            }
        }
        assert!(to_f64(vector_norm(x, VectorNorm::P(NAN))).is_nan());
    }
    let x = array![inf, three];
    for ord in VECTOR_ORDERS {
        let got = to_f64(vector_norm(&x, ord));
        let want = match ord {
            VectorNorm::NegInf
            | VectorNorm::P(NEG_INFINITY)
            | VectorNorm::P(-1.0)
            | VectorNorm::P(-2.5) => 3.0,
            VectorNorm::Zero | VectorNorm::P(0.0) => 2.0,
            _ => INFINITY,
        };
        assert_eq!(got, want, "[inf, 3] {ord:?}");
    }
    // Only infinite entries: every negative p gives ∞ (NumPy: (Σ ∞ᵖ)^(1/p) = 0^(1/p) = ∞).
    let x = array![inf, inf];
    for p in [-1.0, -2.5] {
        assert_eq!(to_f64(vector_norm(&x, VectorNorm::P(p))), INFINITY);
    }
    // A zero entry and negative p: 0, as NumPy.
    let x = array![three, T::zero(), one];
    for ord in [VectorNorm::P(-1.0), VectorNorm::P(-2.5), VectorNorm::NegInf] {
        assert_eq!(to_f64(vector_norm(&x, ord)), 0.0, "{ord:?}");
    }
}

dtype_tests!(vector_norm_nan_and_inf => check_vector_nan_inf);

/// Entries near the limits of the format where Σ|xᵢ|² or Σ|xᵢ|ᵖ over/underflows but the
/// norm is representable. `big`/`tiny` are 1e300/1e-300 for f64 and 1e37/1e-37 for f32.
fn check_extremes<T: TestScalar>(big: f64, tiny: f64) {
    let r = |x: T::Real| to_f64(x);
    // Blue's kernel rounds each square, each addition, the square root and nothing else
    // (the scalings are exact powers of two): ≤ 4 ulps for these short vectors.
    let tol = 4.0 * eps::<T>();
    for scale in [big, tiny] {
        let x = array![T::make(3.0 * scale, 0.0), T::make(-4.0 * scale, 0.0)];
        // The inputs are rounded to T; the reference uses the rounded values.
        let want = ref_scaled_l2(&x);
        assert_close(
            r(vector_norm(&x, VectorNorm::L2)),
            want,
            tol,
            &format!("L2 [3, -4]·{scale:e}"),
        );
        assert_close(want, 5.0 * scale, 4.0 * eps::<T>(), "reference");
        let z = array![T::make(3.0 * scale, 4.0 * scale), T::zero()];
        assert_close(
            r(vector_norm(&z, VectorNorm::L2)),
            ref_scaled_l2(&z),
            tol,
            &format!("L2 complex·{scale:e}"),
        );
        // Long vectors: 1000 equal entries give √1000·|x|, with one rounding per addition.
        let long = Array1::from_elem(1000, T::make(scale, 0.0));
        assert_close(
            r(vector_norm(&long, VectorNorm::L2)),
            ref_scaled_l2(&long),
            vector_tol::<T>(1000, VectorNorm::L2),
            &format!("L2 1000×{scale:e}"),
        );
        // Frobenius norm of a 3×3 matrix of equal entries: 3|x|.
        let a = Array2::from_elem((3, 3), T::make(scale, 0.0));
        with_matrix_layouts(&a, |layout, view| {
            let got = r(matrix_norm(&view, MatrixNorm::Fro).unwrap());
            assert_close(
                got,
                ref_scaled_l2(&a.iter().copied().collect()),
                tol,
                &format!("Fro {scale:e} {layout}"),
            );
        });
        // p-norms: (1 + 2ᵖ)^(1/p)·|x|; the naive Σ|xᵢ|ᵖ over/underflows for both p.
        let x = array![T::make(scale, 0.0), T::make(2.0 * scale, 0.0)];
        for p in [3.0, -2.0] {
            let want = ref_scaled_p(&x, p);
            assert_close(
                r(vector_norm(&x, VectorNorm::P(p))),
                want,
                vector_tol::<T>(2, VectorNorm::P(p)),
                &format!("P({p}) {scale:e}"),
            );
        }
    }
    // One big, one medium and one tiny entry: the big one dominates exactly.
    let x = array![T::make(big, 0.0), T::one(), T::make(tiny, 0.0)];
    assert_eq!(
        r(vector_norm(&x, VectorNorm::L2)),
        r(T::make(big, 0.0).norm())
    );
    // Small (below 2^-511 / 2^-63) and medium entries together.
    let threshold = if eps::<T>() < 1e-10 {
        2f64.powi(-511)
    } else {
        2f64.powi(-63)
    };
    let x = array![T::make(0.5 * threshold, 0.0), T::make(2.0 * threshold, 0.0)];
    assert_close(
        r(vector_norm(&x, VectorNorm::L2)),
        ref_scaled_l2(&x),
        tol,
        "small + medium",
    );
}

/// √(Σ|xᵢ|²) in f64 with the classic two-pass scaling by max|xᵢ| (independent of Blue's).
fn ref_scaled_l2<T: TestScalar>(x: &Array1<T>) -> f64 {
    ref_scaled_p(x, 2.0)
}

/// (Σ|xᵢ|ᵖ)^(1/p) in f64, scaled by max|xᵢ|.
fn ref_scaled_p<T: TestScalar>(x: &Array1<T>, p: f64) -> f64 {
    let abs: Vec<f64> = x.iter().map(|&v| abs64(v)).collect();
    let m = abs.iter().copied().fold(0.0, f64::max);
    m * abs
        .iter()
        .map(|v| (v / m).powf(p))
        .sum::<f64>()
        .powf(1.0 / p)
}

#[test]
fn norms_at_overflow_and_underflow_limits() {
    check_extremes::<f64>(1e300, 1e-300);
    check_extremes::<c64>(1e300, 1e-300);
    check_extremes::<f32>(1e37, 1e-37);
    check_extremes::<c32>(1e37, 1e-37);
}

/// Vectors long enough (≥ 2¹⁴ scalars) for the 2-norm to be summed by BLAS `?dot` first: at
/// every scale, including ones where the squares overflow or underflow and the scaled kernel
/// must take over, and with NaN/∞, the result matches the scaled reference. Strided views
/// (summed by the scaled kernel only) agree with the contiguous vector.
fn check_long_l2<T: TestScalar>(big: f64, tiny: f64) {
    let n = 20_000;
    let x = random_vector::<T>(&mut rng(40), n);
    // Both summations round each of the 2n squares and additions: ≤ (2n + 2)·ε relative; in
    // practice √n·ε, so a failure of either would show far beyond this bound.
    let tol = vector_tol::<T>(2 * n, VectorNorm::L2);
    for scale in [1.0, big, tiny] {
        let xs = x.mapv(|v| v * T::make(scale, 0.0));
        let want = ref_scaled_l2(&xs);
        with_vector_layouts(&xs, |layout, view| {
            assert_close(
                to_f64(vector_norm(&view, VectorNorm::L2)),
                want,
                tol,
                &format!("L2 of {n} × {scale:e} ({layout})"),
            );
        });
        let a = xs.to_shape((100, 200)).unwrap().to_owned();
        with_matrix_layouts(&a, |layout, view| {
            let got = to_f64(matrix_norm(&view, MatrixNorm::Fro).unwrap());
            assert_close(
                got,
                want,
                tol,
                &format!("Fro 100×200 × {scale:e} ({layout})"),
            );
        });
    }
    // One entry of 1, the rest so tiny that their squares underflow to subnormals: the dot
    // path is taken and the lost squares are negligible.
    let mut mixed = Array1::from_elem(n, T::make(tiny, 0.0));
    mixed[7] = T::one();
    assert_close(
        to_f64(vector_norm(&mixed, VectorNorm::L2)),
        ref_scaled_l2(&mixed),
        tol,
        "one 1 among tiny entries",
    );
    for (bad, want) in [(NAN, NAN), (INFINITY, INFINITY)] {
        let mut y = x.clone();
        y[n / 2] = T::make(bad, 0.0);
        assert_close(
            to_f64(vector_norm(&y, VectorNorm::L2)),
            want,
            0.0,
            "NaN/inf",
        );
    }
    let zeros = Array1::<T>::zeros(n);
    assert_eq!(to_f64(vector_norm(&zeros, VectorNorm::L2)), 0.0);
}

#[test]
fn long_l2_norms_summed_by_blas_dot_stay_safe() {
    check_long_l2::<f64>(1e300, 1e-300);
    check_long_l2::<c64>(1e300, 1e-300);
    // 1e36 rather than 1e37: the norm of 20000 entries of up to 1e37 exceeds f32::MAX.
    check_long_l2::<f32>(1e36, 1e-37);
    check_long_l2::<c32>(1e36, 1e-37);
}

#[test]
fn l2_golden_extremes_f64() {
    // 5e300 and 5e-300 to within 2 ulps: the three-accumulator kernel rounds only the two
    // scaled squares, their sum and the square root.
    let ulp2 = 2.0 * f64::EPSILON;
    assert_close(
        vector_norm(&array![3e300, 4e300], VectorNorm::L2),
        5e300,
        ulp2,
        "5e300",
    );
    assert_close(
        vector_norm(&array![3e-300, 4e-300], VectorNorm::L2),
        5e-300,
        ulp2,
        "5e-300",
    );
    assert_close(
        vector_norm(&array![3e37_f32, 4e37], VectorNorm::L2).into(),
        5e37,
        2.0 * f64::from(f32::EPSILON),
        "5e37",
    );
    assert_close(
        vector_norm(&array![3e-37_f32, 4e-37], VectorNorm::L2).into(),
        5e-37,
        2.0 * f64::from(f32::EPSILON),
        "5e-37",
    );
    // At the very edges of the formats: the smallest normal numbers and the largest finite ones.
    let f32_tol = 2.0 * f64::from(f32::EPSILON);
    assert_close(
        vector_norm(&array![3e-38_f32, 4e-38], VectorNorm::L2).into(),
        ref_scaled_l2(&array![3e-38_f32, 4e-38]),
        f32_tol,
        "5e-38",
    );
    assert_close(
        vector_norm(&array![2e38_f32, 2e38], VectorNorm::L2).into(),
        ref_scaled_l2(&array![2e38_f32, 2e38]),
        f32_tol,
        "2√2e38",
    );
    assert_close(
        vector_norm(&array![1e308, -1e308], VectorNorm::L2),
        1e308 * 2f64.sqrt(),
        ulp2,
        "√2e308",
    );
    assert_close(
        vector_norm(&array![3e-308, 4e-308], VectorNorm::L2),
        5e-308,
        ulp2,
        "5e-308",
    );
    // Genuine overflow is still ∞.
    assert_eq!(
        vector_norm(&array![f64::MAX, f64::MAX], VectorNorm::L2),
        INFINITY
    );
    assert_eq!(vector_norm(&array![f64::MAX], VectorNorm::L2), f64::MAX);
}

#[test]
fn p_norm_with_tiny_p_goes_through_logarithms() {
    // (1000 · 1e-300^p)^(1/p) = 1e-300 · 1000^(1/p): with p = 0.005 the factor 1000^200 = 1e600
    // overflows on its own while the result 1e300 does not; with p = −0.005 the factor 1e-600
    // underflows while the result 1e-300 does not. exp/ln lose about |ln result|·ε ≈ 700ε
    // ≈ 1.6e-13; 1e-11 leaves margin for the powf calls.
    let tol = 1e-11;
    let x = Array1::from_elem(1000, 1e-300);
    assert_close(
        vector_norm(&x, VectorNorm::P(0.005)),
        1e300,
        tol,
        "p = 0.005",
    );
    let x = Array1::from_elem(1000, 1e300);
    assert_close(
        vector_norm(&x, VectorNorm::P(-0.005)),
        1e-300,
        tol,
        "p = -0.005",
    );
}

// ------------------------------------------------------------------- vector_norm_axis

fn check_axis_2d<T: TestScalar>(seed: u64) {
    let mut rng = rng(seed);
    for (m, n) in [(1, 1), (1, 5), (5, 1), (4, 7), (9, 3)] {
        let a = random_matrix::<T>(&mut rng, m, n);
        with_matrix_layouts(&a, |layout, view| {
            for ord in VECTOR_ORDERS {
                let cols = vector_norm_axis(&view, Axis(0), ord);
                let rows = vector_norm_axis(&view, Axis(1), ord);
                assert_eq!((cols.len(), rows.len()), (n, m));
                for (j, &got) in cols.iter().enumerate() {
                    // Exactly the kernel vector_norm runs on the same lane.
                    assert_eq!(
                        got,
                        vector_norm(&view.column(j), ord),
                        "{layout} col {j} {ord:?}"
                    );
                    let want = ref_norm_of(a.column(j), ord);
                    assert_close(
                        to_f64(got),
                        want,
                        vector_tol::<T>(m, ord),
                        &format!("{layout} col {j} {ord:?}"),
                    );
                }
                for (i, &got) in rows.iter().enumerate() {
                    assert_eq!(
                        got,
                        vector_norm(&view.row(i), ord),
                        "{layout} row {i} {ord:?}"
                    );
                    let want = ref_norm_of(a.row(i), ord);
                    assert_close(
                        to_f64(got),
                        want,
                        vector_tol::<T>(n, ord),
                        &format!("{layout} row {i} {ord:?}"),
                    );
                }
            }
        });
    }
}

dtype_tests!(vector_norm_axis_2d => check_axis_2d(2));

fn check_axis_3d<T: TestScalar>(seed: u64) {
    let mut rng = rng(seed);
    let data: Array3<T> = Array3::from_shape_simple_fn((3, 4, 5), || {
        T::make(rng.random_range(-1.0..1.0), rng.random_range(-1.0..1.0))
    });
    let mut fortran = Array3::<T>::zeros((3, 4, 5).f());
    fortran.assign(&data);
    // A permuted view of a permuted copy is the same logical array with scrambled strides.
    let permuted = data.view().permuted_axes([2, 0, 1]).to_owned();
    let rev = data.slice(s![.., ..;-1, ..]).to_owned();
    let mut big = Array3::<T>::zeros((3, 8, 10));
    big.slice_mut(s![.., ..;2, ..;2]).assign(&data);
    let layouts = [
        ("C", data.view()),
        ("F", fortran.view()),
        ("permuted", permuted.view().permuted_axes([1, 2, 0])),
        ("negative stride", rev.slice(s![.., ..;-1, ..])),
        ("sliced", big.slice(s![.., ..;2, ..;2])),
    ];
    for (layout, view) in &layouts {
        assert_eq!(*view, data.view(), "{layout} is the same array");
        for axis in 0..3 {
            for ord in VECTOR_ORDERS {
                let got = vector_norm_axis(view, Axis(axis), ord);
                let mut shape = vec![3, 4, 5];
                shape.remove(axis);
                assert_eq!(got.shape(), &shape[..]);
                let lanes = view.lanes(Axis(axis));
                let reference = data.lanes(Axis(axis));
                for ((&g, lane), ref_lane) in got.iter().zip(lanes).zip(reference) {
                    assert_eq!(g, vector_norm(&lane, ord), "{layout} axis {axis} {ord:?}");
                    let want = ref_norm_of(ref_lane, ord);
                    assert_close(
                        to_f64(g),
                        want,
                        vector_tol::<T>(5, ord),
                        &format!("{layout} axis {axis} {ord:?}"),
                    );
                }
            }
        }
    }
}

dtype_tests!(vector_norm_axis_3d => check_axis_3d(3));

#[test]
fn vector_norm_axis_zero_length() {
    let a = Array2::<f64>::zeros((0, 3));
    assert_eq!(
        vector_norm_axis(&a, Axis(0), VectorNorm::L2),
        array![0.0, 0.0, 0.0]
    );
    assert_eq!(
        vector_norm_axis(&a, Axis(0), VectorNorm::NegInf),
        array![INFINITY, INFINITY, INFINITY]
    );
    assert_eq!(vector_norm_axis(&a, Axis(1), VectorNorm::L2).shape(), &[0]);
    let b = ndarray::Array3::<c32>::zeros((2, 0, 3));
    let got = vector_norm_axis(&b, Axis(1), VectorNorm::L1);
    assert_eq!(got, Array2::<f32>::zeros((2, 3)));
    assert_eq!(
        vector_norm_axis(&b, Axis(2), VectorNorm::Inf).shape(),
        &[2, 0]
    );
}

#[test]
#[should_panic]
fn vector_norm_axis_out_of_bounds_panics_like_ndarray() {
    let a = Array2::<f64>::zeros((2, 3));
    let _ = vector_norm_axis(&a, Axis(2), VectorNorm::L2);
}

// -------------------------------------------------------------------------- matrix_norm

/// NumPy's elementwise matrix norms, in f64 on the exact inputs.
fn ref_matrix_norm<T: TestScalar>(a: &Array2<T>, ord: MatrixNorm) -> f64 {
    let abs = a.mapv(abs64);
    let col_sums = abs.sum_axis(Axis(0));
    let row_sums = abs.sum_axis(Axis(1));
    match ord {
        MatrixNorm::Fro => abs.iter().map(|v| v * v).sum::<f64>().sqrt(),
        MatrixNorm::One => col_sums.fold(0.0, |m, &v| f64::max(m, v)),
        MatrixNorm::NegOne => col_sums.fold(INFINITY, |m, &v| f64::min(m, v)),
        MatrixNorm::Inf => row_sums.fold(0.0, |m, &v| f64::max(m, v)),
        MatrixNorm::NegInf => row_sums.fold(INFINITY, |m, &v| f64::min(m, v)),
        _ => unreachable!("singular-value orders have their own tests"),
    }
}

fn check_matrix_elementwise<T: TestScalar>(seed: u64) {
    let mut rng = rng(seed);
    for (m, n) in [
        (1, 1),
        (1, 6),
        (6, 1),
        (3, 4),
        (4, 3),
        (7, 7),
        (128, 3),
        (3, 257),
    ] {
        let a = random_matrix::<T>(&mut rng, m, n);
        for ord in ELEMENTWISE_ORDERS {
            let want = ref_matrix_norm(&a, ord);
            let terms = if ord == MatrixNorm::Fro {
                m * n
            } else {
                m.max(n)
            };
            let tol = vector_tol::<T>(terms, VectorNorm::L1);
            let base = matrix_norm(&a, ord).unwrap();
            with_matrix_layouts(&a, |layout, view| {
                let got = matrix_norm(&view, ord).unwrap();
                let what = format!("{} {m}×{n} {ord:?} {layout}", std::any::type_name::<T>());
                assert_close(to_f64(got), want, tol, &what);
                if ord != MatrixNorm::Fro {
                    // Row/column sums run in index order whatever the layout: bit-identical.
                    assert_eq!(got, base, "{what}");
                }
            });
        }
    }
}

dtype_tests!(matrix_norm_elementwise_orders => check_matrix_elementwise(4));

fn check_matrix_empty<T: TestScalar>() {
    // NumPy 2.4.6, np.linalg.norm(np.zeros(shape), ord): 0.0 or "zero-size array to reduction
    // operation minimum which has no identity".
    for (shape, errors) in [
        ((0, 3), &[MatrixNorm::NegInf, MatrixNorm::NegTwo][..]),
        ((3, 0), &[MatrixNorm::NegOne, MatrixNorm::NegTwo][..]),
        (
            (0, 0),
            &[MatrixNorm::NegOne, MatrixNorm::NegInf, MatrixNorm::NegTwo][..],
        ),
    ] {
        let a = Array2::<T>::zeros(shape);
        for ord in MATRIX_ORDERS {
            let got = matrix_norm(&a, ord);
            if errors.contains(&ord) {
                match got {
                    Err(Error::InvalidShape { op, shape: s, .. }) => {
                        assert_eq!(
                            (op, s),
                            ("matrix_norm", vec![shape.0, shape.1]),
                            "{shape:?} {ord:?}"
                        )
                    }
                    other => panic!("{shape:?} {ord:?}: expected InvalidShape, got {other:?}"),
                }
            } else {
                assert_eq!(got.map(to_f64), Ok(0.0), "{shape:?} {ord:?}");
            }
        }
    }
}

dtype_tests!(matrix_norm_empty => check_matrix_empty);

fn check_matrix_nan<T: TestScalar>() {
    // NumPy: NaN propagates through the elementwise orders (max/min propagate NaN); the SVD
    // orders raise (LinAlgError), here Error::NonFinite from svdvals.
    let mut a = Array2::<T>::from_elem((3, 2), T::one());
    a[[1, 0]] = T::make(NAN, 0.0);
    for ord in ELEMENTWISE_ORDERS {
        let got = to_f64(matrix_norm(&a, ord).unwrap());
        assert!(got.is_nan(), "{ord:?}: {got}");
        // NaN in the last position too (max/min must not drop it).
        let mut b = Array2::<T>::from_elem((3, 2), T::one());
        b[[2, 1]] = T::make(NAN, 0.0);
        assert!(
            to_f64(matrix_norm(&b, ord).unwrap()).is_nan(),
            "{ord:?} last"
        );
    }
    let mut inf = Array2::<T>::from_elem((2, 2), T::one());
    inf[[0, 0]] = T::make(INFINITY, 0.0);
    // np.linalg.norm([[inf, 1], [1, 1]], o): fro/1/inf → inf, -1/-inf → 2.
    for (ord, want) in [
        (MatrixNorm::Fro, INFINITY),
        (MatrixNorm::One, INFINITY),
        (MatrixNorm::Inf, INFINITY),
        (MatrixNorm::NegOne, 2.0),
        (MatrixNorm::NegInf, 2.0),
    ] {
        assert_eq!(to_f64(matrix_norm(&inf, ord).unwrap()), want, "{ord:?}");
    }
}

dtype_tests!(matrix_norm_nan_and_inf => check_matrix_nan);

/// The real and complex 3×3 matrices of the NumPy golden values below.
fn golden_matrices() -> (Array2<f64>, Array2<c64>) {
    let a = array![[2.0, -1.0, 0.5], [1.0, 3.0, -2.0], [0.0, 1.5, 4.0]];
    let i = |re: f64, im: f64| c64::new(re, im);
    let c = array![
        [i(2.0, 1.0), i(-1.0, 0.0), i(0.0, 0.5)],
        [i(1.0, 0.0), i(3.0, -2.0), i(-2.0, 0.0)],
        [i(0.0, 0.5), i(1.5, 0.0), i(4.0, 1.0)]
    ];
    (a, c)
}

#[test]
fn matrix_norm_golden_numpy() {
    // NumPy 2.4.6:
    //   A = np.array([[2., -1., .5], [1., 3., -2.], [0., 1.5, 4.]])
    //   C = np.array([[2+1j, -1, .5j], [1, 3-2j, -2], [.5j, 1.5, 4+1j]])
    //   np.linalg.norm(M, o) for o in ['fro', 'nuc', 1, -1, inf, -inf, 2, -2]
    let (a, c) = golden_matrices();
    let golden_a = [
        6.123724356957945,
        10.216875105557342,
        6.5,
        3.0,
        6.0,
        3.5,
        4.51163492345969,
        2.192973386475826,
    ];
    let golden_c = [
        6.614378277661476,
        11.073196562514774,
        6.623105625617661,
        3.73606797749979,
        6.60555127546399,
        3.73606797749979,
        4.788231624739167,
        2.410210056013553,
    ];
    // Backward-stable SVD of a 3×3 matrix with κ₂ ≈ 2: a relative error of a few ε·n per side.
    let tol = 30.0 * 3.0 * f64::EPSILON;
    for (k, ord) in MATRIX_ORDERS.into_iter().enumerate() {
        assert_close(
            matrix_norm(&a, ord).unwrap(),
            golden_a[k],
            tol,
            &format!("A {ord:?}"),
        );
        assert_close(
            matrix_norm(&c, ord).unwrap(),
            golden_c[k],
            tol,
            &format!("C {ord:?}"),
        );
        let a32 = a.mapv(|x| x as f32);
        let tol32 = 30.0 * 3.0 * f64::from(f32::EPSILON);
        assert_close(
            matrix_norm(&a32, ord).unwrap().into(),
            golden_a[k],
            tol32,
            &format!("A f32 {ord:?}"),
        );
        let c32m = c.mapv(|z| c32::new(z.re as f32, z.im as f32));
        assert_close(
            matrix_norm(&c32m, ord).unwrap().into(),
            golden_c[k],
            tol32,
            &format!("C c32 {ord:?}"),
        );
    }
}

fn check_matrix_svd_orders<T: TestScalar>(seed: u64) {
    let mut rng = rng(seed);
    for (m, n) in [(1, 1), (1, 4), (4, 1), (5, 3), (3, 5), (8, 8), (33, 17)] {
        let k = m.min(n);
        // Distinct singular values spread over [0.5, 4].
        let s: Vec<f64> = (0..k)
            .map(|i| 4.0 - 3.5 * i as f64 / k.max(2) as f64)
            .collect();
        let a = with_singular_values::<T>(&mut rng, m, n, &s);
        let (s_max, s_min) = (s[0], s[k - 1]);
        // Forming U·Σ·Vᴴ in T and the SVD's backward error each perturb A by ≲ max(m,n)·ε·‖A‖₂,
        // which moves every singular value by as much (Weyl). 30 is LAPACK's test threshold.
        let abs_tol = 30.0 * m.max(n) as f64 * eps::<T>() * s_max;
        with_matrix_layouts(&a, |layout, view| {
            let what = format!("{} {m}×{n} {layout}", std::any::type_name::<T>());
            let two = to_f64(matrix_norm(&view, MatrixNorm::Two).unwrap());
            let neg_two = to_f64(matrix_norm(&view, MatrixNorm::NegTwo).unwrap());
            let nuc = to_f64(matrix_norm(&view, MatrixNorm::Nuc).unwrap());
            assert!(
                (two - s_max).abs() <= abs_tol,
                "{what} Two: {two} vs {s_max}"
            );
            assert!(
                (neg_two - s_min).abs() <= abs_tol,
                "{what} NegTwo: {neg_two} vs {s_min}"
            );
            let nuc_want: f64 = s.iter().sum();
            assert!(
                (nuc - nuc_want).abs() <= k as f64 * abs_tol,
                "{what} Nuc: {nuc} vs {nuc_want}"
            );
            // ‖A‖₂ ≤ ‖A‖_F ≤ ‖A‖_* always.
            let fro = to_f64(matrix_norm(&view, MatrixNorm::Fro).unwrap());
            assert!(
                two <= fro * (1.0 + abs_tol) && fro <= nuc * (1.0 + abs_tol),
                "{what} ordering"
            );
        });
    }
    // A row or a column: the 2-norm is the vector 2-norm.
    let row = random_matrix::<T>(&mut rng, 1, 9);
    let want = ref_norm_of(row.row(0), VectorNorm::L2);
    let tol = 30.0 * 9.0 * eps::<T>();
    assert_close(
        to_f64(matrix_norm(&row, MatrixNorm::Two).unwrap()),
        want,
        tol,
        "row Two",
    );
    assert_close(
        to_f64(matrix_norm(&row.t(), MatrixNorm::NegTwo).unwrap()),
        want,
        tol,
        "column NegTwo",
    );
}

dtype_tests!(matrix_norm_svd_orders => check_matrix_svd_orders(5));

#[test]
fn matrix_norm_svd_orders_reject_non_finite() {
    let a = array![[1.0, NAN], [0.0, 1.0]];
    for ord in [MatrixNorm::Two, MatrixNorm::NegTwo, MatrixNorm::Nuc] {
        assert!(
            matches!(matrix_norm(&a, ord), Err(Error::NonFinite { .. })),
            "{ord:?}"
        );
    }
}

// -------------------------------------------------------------------------- matrix_rank

fn check_matrix_rank<T: TestScalar>(seed: u64) {
    let mut rng = rng(seed);
    for (m, n, rank) in [
        (1, 1, 1),
        (1, 1, 0),
        (4, 6, 2),
        (6, 4, 3),
        (7, 7, 7),
        (7, 7, 5),
        (20, 12, 1),
    ] {
        let k = m.min(n);
        let s: Vec<f64> = (0..k)
            .map(|i| if i < rank { 1.0 / (i + 1) as f64 } else { 0.0 })
            .collect();
        let a = with_singular_values::<T>(&mut rng, m, n, &s);
        with_matrix_layouts(&a, |layout, view| {
            assert_eq!(
                matrix_rank(&view, None).unwrap(),
                rank,
                "{m}×{n} rank {rank} {layout}"
            );
        });
        // The tolerance is relative: scaling the matrix does not change its rank.
        let huge = if eps::<T>() < 1e-10 { 1e250 } else { 1e30 };
        for factor in [huge, 1.0 / huge] {
            let scaled = a.mapv(|x| x * T::make(factor, 0.0));
            assert_eq!(
                matrix_rank(&scaled, None).unwrap(),
                rank,
                "{m}×{n} scaled by {factor:e}"
            );
        }
    }
    // s = [1, 1e-2, 1e-4]: the relative tol decides.
    let a = with_singular_values::<T>(&mut rng, 3, 3, &[1.0, 1e-2, 1e-4]);
    let r =
        |t: f64| matrix_rank(&a, Some(<T::Real as num_traits::NumCast>::from(t).unwrap())).unwrap();
    assert_eq!((r(0.0), r(1e-3), r(1e-1), r(2.0)), (3, 2, 1, 0));
}

dtype_tests!(matrix_rank_all_dtypes_and_layouts => check_matrix_rank(6));

#[test]
fn matrix_rank_edge_cases() {
    for shape in [(0, 3), (3, 0), (0, 0)] {
        assert_eq!(
            matrix_rank(&Array2::<f64>::zeros(shape), None),
            Ok(0),
            "{shape:?}"
        );
    }
    assert_eq!(matrix_rank(&Array2::<c64>::zeros((3, 4)), None), Ok(0));
    let a = Array2::<f64>::eye(3);
    for bad in [-1e-3, NAN] {
        match matrix_rank(&a, Some(bad)) {
            Err(Error::InvalidArgument { op, .. }) => assert_eq!(op, "matrix_rank"),
            other => panic!("tol {bad}: expected InvalidArgument, got {other:?}"),
        }
    }
    assert!(matches!(
        matrix_rank(&array![[1.0, NAN]], None),
        Err(Error::NonFinite { .. })
    ));
}

// --------------------------------------------------------------------------------- cond

#[test]
fn cond_golden_numpy() {
    // NumPy 2.4.6 (A, C as in matrix_norm_golden_numpy):
    //   np.linalg.cond(M, o) for o in ['fro', 'nuc', 1, -1, inf, -inf, 2, -2]
    let (a, c) = golden_matrices();
    let golden_a = [
        3.560878559443991,
        9.832387916990035,
        3.8345323741007196,
        1.0359712230215825,
        3.496402877697842,
        1.158273381294964,
        2.0573140336691558,
        0.48607066477669963,
    ];
    let golden_c = [
        3.5147529293008466,
        9.764652637936441,
        3.521090903285894,
        1.3012860257838366,
        3.5288291650688,
        1.189909047170253,
        1.9866449452371888,
        0.5033612082508323,
    ];
    // The inverse's relative error is ≲ κ·n·ε with κ ≈ 4 here; 30·κ·n·ε covers both
    // implementations.
    let tol = 30.0 * 4.0 * 3.0 * f64::EPSILON;
    let tol32 = 30.0 * 4.0 * 3.0 * f64::from(f32::EPSILON);
    for (k, ord) in MATRIX_ORDERS.into_iter().enumerate() {
        with_matrix_layouts(&a, |layout, view| {
            assert_close(
                cond(&view, ord).unwrap(),
                golden_a[k],
                tol,
                &format!("A {ord:?} {layout}"),
            );
        });
        with_matrix_layouts(&c, |layout, view| {
            assert_close(
                cond(&view, ord).unwrap(),
                golden_c[k],
                tol,
                &format!("C {ord:?} {layout}"),
            );
        });
        let a32 = a.mapv(|x| x as f32);
        assert_close(
            cond(&a32, ord).unwrap().into(),
            golden_a[k],
            tol32,
            &format!("A f32 {ord:?}"),
        );
        let c32m = c.mapv(|z| c32::new(z.re as f32, z.im as f32));
        assert_close(
            cond(&c32m, ord).unwrap().into(),
            golden_c[k],
            tol32,
            &format!("C c32 {ord:?}"),
        );
    }
}

fn check_cond_constructed<T: TestScalar>(seed: u64) {
    let mut rng = rng(seed);
    // κ₂ = 8 by construction, also for non-square shapes (Two/NegTwo accept any shape).
    for (m, n) in [(1, 1), (4, 4), (6, 3), (3, 6), (17, 17)] {
        let k = m.min(n);
        let s: Vec<f64> = (0..k)
            .map(|i| {
                if k == 1 {
                    1.0
                } else {
                    4.0 - 3.5 * i as f64 / (k - 1) as f64
                }
            })
            .collect();
        let kappa = s[0] / s[k - 1];
        let a = with_singular_values::<T>(&mut rng, m, n, &s);
        // Relative error of s_min ≲ max(m,n)·ε·s_max/s_min = max(m,n)·ε·κ; 30 as LAPACK's tests.
        let tol = 30.0 * m.max(n) as f64 * eps::<T>() * kappa;
        with_matrix_layouts(&a, |layout, view| {
            assert_close(
                to_f64(cond(&view, MatrixNorm::Two).unwrap()),
                kappa,
                tol,
                &format!("{m}×{n} Two {layout}"),
            );
            assert_close(
                to_f64(cond(&view, MatrixNorm::NegTwo).unwrap()),
                1.0 / kappa,
                tol,
                &format!("{m}×{n} NegTwo {layout}"),
            );
        });
        if m == n {
            // cond ≥ 1 in every true norm, and cond_p ≥ cond_2/√n·... keep to the exact facts:
            // ‖A‖·‖A⁻¹‖ ≥ ‖A·A⁻¹‖ = ‖I‖ (1 for One/Inf/Two, √n for Fro, n for Nuc).
            for (ord, floor) in [
                (MatrixNorm::One, 1.0),
                (MatrixNorm::Inf, 1.0),
                (MatrixNorm::Fro, (n as f64).sqrt()),
                (MatrixNorm::Nuc, n as f64),
            ] {
                let c = to_f64(cond(&a, ord).unwrap());
                assert!(
                    c >= floor * (1.0 - tol) && c.is_finite(),
                    "{n}×{n} {ord:?}: {c}"
                );
            }
        }
    }
    // A diagonal matrix: every order in closed form.
    let d = Array2::from_diag(&array![
        T::make(2.0, 0.0),
        T::make(0.5, 0.0),
        T::make(4.0, 0.0)
    ]);
    let fro = (4.0f64 + 0.25 + 16.0).sqrt() * (0.25f64 + 4.0 + 0.0625).sqrt();
    for (ord, want) in [
        (MatrixNorm::One, 8.0),
        (MatrixNorm::Inf, 8.0),
        (MatrixNorm::NegOne, 0.5 * 0.25),
        (MatrixNorm::NegInf, 0.5 * 0.25),
        (MatrixNorm::Fro, fro),
        (MatrixNorm::Nuc, 6.5 * 2.75),
        (MatrixNorm::Two, 8.0),
        (MatrixNorm::NegTwo, 0.125),
    ] {
        assert_close(
            to_f64(cond(&d, ord).unwrap()),
            want,
            30.0 * 3.0 * eps::<T>(),
            &format!("diag {ord:?}"),
        );
    }
}

dtype_tests!(cond_constructed_all_dtypes => check_cond_constructed(7));

fn check_cond_singular<T: TestScalar>() {
    let t = |x: f64| T::make(x, 0.0);
    // Exactly singular (a zero pivot) and the zero matrix: +∞ in every order, never an error.
    let singular = array![[t(1.0), t(2.0)], [t(2.0), t(4.0)]];
    let zero = Array2::<T>::zeros((3, 3));
    let rank_one_diag = array![[t(1.0), t(0.0)], [t(0.0), t(0.0)]];
    for ord in MATRIX_ORDERS {
        assert_eq!(to_f64(cond(&zero, ord).unwrap()), INFINITY, "zero {ord:?}");
        if !matches!(ord, MatrixNorm::Two | MatrixNorm::NegTwo) {
            assert_eq!(
                to_f64(cond(&singular, ord).unwrap()),
                INFINITY,
                "singular {ord:?}"
            );
        }
    }
    // diag(1, 0): s_min is exactly 0 — Two gives ∞, NegTwo gives 0/1 = 0 (NumPy likewise).
    assert_eq!(
        to_f64(cond(&rank_one_diag, MatrixNorm::Two).unwrap()),
        INFINITY
    );
    assert_eq!(
        to_f64(cond(&rank_one_diag, MatrixNorm::NegTwo).unwrap()),
        0.0
    );
    // Singular to working precision: [[1, 1], [1, 1 + 2ε]] is invertible in exact arithmetic
    // but its reciprocal condition number is ≈ ε/2 < ε, so `inv` reports it singular: ∞.
    let nearly = array![[t(1.0), t(1.0)], [t(1.0), t(1.0 + 2.0 * eps::<T>())]];
    let c = to_f64(cond(&nearly, MatrixNorm::One).unwrap());
    assert!(
        c == INFINITY || c > 1.0 / eps::<T>(),
        "nearly singular: {c}"
    );
}

dtype_tests!(cond_singular_is_infinite => check_cond_singular);

fn check_cond_errors_and_non_finite<T: TestScalar>() {
    for shape in [(0, 0), (0, 3), (3, 0)] {
        let a = Array2::<T>::zeros(shape);
        for ord in MATRIX_ORDERS {
            match cond(&a, ord) {
                Err(Error::InvalidShape { op, shape: s, .. }) => {
                    assert_eq!((op, s), ("cond", vec![shape.0, shape.1]))
                }
                other => panic!("empty {shape:?} {ord:?}: expected InvalidShape, got {other:?}"),
            }
        }
    }
    let wide = Array2::<T>::from_elem((2, 3), T::one());
    for ord in [
        MatrixNorm::Fro,
        MatrixNorm::Nuc,
        MatrixNorm::One,
        MatrixNorm::NegOne,
        MatrixNorm::Inf,
        MatrixNorm::NegInf,
    ] {
        assert_eq!(
            cond(&wide, ord),
            Err(Error::NotSquare {
                op: "cond",
                shape: vec![2, 3]
            }),
            "{ord:?}"
        );
    }
    // NumPy: NaN entries give NaN (it raises for the SVD orders; NaN is the honest answer),
    // infinite entries give ∞ in every order.
    let mut a = Array2::<T>::eye(3);
    a[[0, 2]] = T::make(NAN, 0.0);
    let mut b = Array2::<T>::eye(3);
    b[[1, 0]] = T::make(NEG_INFINITY, 0.0);
    for ord in MATRIX_ORDERS {
        assert!(to_f64(cond(&a, ord).unwrap()).is_nan(), "NaN {ord:?}");
        assert_eq!(to_f64(cond(&b, ord).unwrap()), INFINITY, "Inf {ord:?}");
    }
}

dtype_tests!(cond_errors_and_non_finite => check_cond_errors_and_non_finite);

// -------------------------------------------------------------------------------- trace

fn check_trace<T: TestScalar>(seed: u64) {
    let mut rng = rng(seed);
    for (m, n) in [(1, 1), (1, 5), (5, 1), (3, 3), (4, 6), (6, 4), (64, 64)] {
        let a = random_matrix::<T>(&mut rng, m, n);
        let want = (0..m.min(n)).fold((0.0, 0.0), |(re, im), i| {
            let (r, j) = a[[i, i]].parts();
            (re + r, im + j)
        });
        // min(m, n) additions in T of entries of modulus ≤ √2: an absolute error of at most
        // min(m, n)²·√2·ε; 4× margin.
        let tol = 4.0 * 1.5 * (m.min(n) as f64).powi(2) * eps::<T>();
        with_matrix_layouts(&a, |layout, view| {
            let (re, im) = trace(&view).unwrap().parts();
            assert!(
                (re - want.0).abs() <= tol && (im - want.1).abs() <= tol,
                "{m}×{n} {layout}: {re}+{im}i vs {want:?}"
            );
        });
    }
    for shape in [(0, 0), (0, 3), (3, 0)] {
        assert_eq!(
            trace(&Array2::<T>::zeros(shape)),
            Ok(T::zero()),
            "{shape:?}"
        );
    }
}

dtype_tests!(trace_all_dtypes_and_layouts => check_trace(8));

#[test]
fn trace_matches_numpy() {
    // NumPy 2.4.6: np.trace(np.arange(6.).reshape(2, 3)) = 4.0, .reshape(3, 2) = 3.0
    let a = Array1::range(0.0, 6.0, 1.0);
    assert_eq!(
        trace(&a.clone().into_shape_with_order((2, 3)).unwrap()),
        Ok(4.0)
    );
    assert_eq!(trace(&a.into_shape_with_order((3, 2)).unwrap()), Ok(3.0));
    let c = array![
        [c64::new(2.0, 1.0), c64::new(9.0, 9.0)],
        [c64::new(9.0, 9.0), c64::new(4.0, 1.0)]
    ];
    assert_eq!(trace(&c), Ok(c64::new(6.0, 2.0)));
}

/// `Ix2` views of every kind are accepted (compile-time check of the generic signatures).
#[test]
fn signatures_accept_owned_views_and_arcs() {
    let a = array![[1.0, 2.0], [3.0, 4.0]];
    let arc = a.to_shared();
    let v: ArrayView2<'_, f64> = a.view();
    assert_eq!(
        matrix_norm(&a, MatrixNorm::One),
        matrix_norm(&arc, MatrixNorm::One)
    );
    assert_eq!(matrix_norm(&v, MatrixNorm::One), Ok(6.0));
    let _: ndarray::Array<f64, ndarray::Ix1> =
        vector_norm_axis::<f64, _, Ix2>(&arc, Axis(0), VectorNorm::L1);
}
