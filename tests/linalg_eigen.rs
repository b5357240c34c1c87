//! `eigh_generalized`, `eig_generalized`, `eigh_subset`, `schur`, `hessenberg`, `expm` and
//! `sqrtm`, tested the LAPACK way and against SciPy.
//!
//! Decompositions are checked by normalised ratios in the style of LAPACK's test drivers
//! (`ddrvsg` for the definite pencil, `ddrvgg` for QZ, `ddrves` for Schur, `dchkhs` for
//! Hessenberg): a residual divided by the norms it is built from times n·ε, which a
//! backward-stable routine keeps O(1); a ratio above [`THRESH`] fails. Every dtype runs
//! (one `#[test]` per dtype), every input layout of the shared matrix (`common::LAYOUTS`),
//! both triangles where a triangle is read. Matrix functions are checked by identities
//! (e^0 = I, diagonal and nilpotent exponentials, e^A·e^−A = I, X² = A, principal branch) and
//! against SciPy's values (`tests/eigen_reference/generate.py`, data in
//! `tests/eigen_reference/data`).

mod common;

use common::{
    conj_t, eps, f64_of, fro, fro_diff, hermitian, hpd, laid_all, orthogonality_ratio,
    random_matrix, rng, well_conditioned, Laid, Layout, TestScalar, LAYOUTS,
};
use ndarray::{array, Array1, Array2, ArrayView2};
use ndarray_npy::{read_npy, ReadNpyExt};
use ndkit::linalg::{
    eig_generalized, eigh, eigh_generalized, eigh_subset, eigvals, expm, hessenberg, schur, sqrtm,
    Subset, UPLO,
};
use ndkit::{c64, Error, Scalar};
use num_traits::{Float, Zero};

/// LAPACK's test-driver threshold for a normalised ratio (`THRESH` = 30 in `sep.in`,
/// `nep.in`, `gsep.in`): a backward-stable routine stays O(1), while a wrong transpose,
/// conjugation, triangle or layout gives ratios of order 1/ε.
const THRESH: f64 = 30.0;

/// Orders across the trivial sizes and LAPACK's 32-wide blocking, kept small (the layout
/// matrix multiplies every case by 13).
const SIZES: [usize; 5] = [1, 2, 3, 17, 33];

const DATA_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/eigen_reference/data/");

fn load<A: ReadNpyExt>(name: &str) -> A {
    let path = format!("{DATA_DIR}{name}.npy");
    read_npy(&path).unwrap_or_else(|e| {
        panic!("cannot read {path}: {e} (regenerate with tests/eigen_reference/generate.py)")
    })
}

fn cast<T: TestScalar>(a: &Array2<c64>) -> Array2<T> {
    a.mapv(|z| T::make(z.re, z.im))
}

/// A stored matrix as `T`: a complex file read as is (complex types only), a real one
/// widened.
fn load_matrix<T: TestScalar>(name: &str) -> Array2<T> {
    let path = format!("{DATA_DIR}{name}.npy");
    match read_npy::<_, Array2<c64>>(&path) {
        Ok(z) => {
            assert!(T::IS_COMPLEX, "{name} is complex, {} is not", T::NAME);
            cast(&z)
        }
        Err(_) => load::<Array2<f64>>(name).mapv(|x| T::make(x, 0.0)),
    }
}

/// `a` as the matching complex type, through f64 parts.
fn complex_of<T: TestScalar>(a: &Array2<T>) -> Array2<c64> {
    a.mapv(|x| {
        let (re, im) = x.parts();
        c64::new(re, im)
    })
}

fn c64_of<C: Scalar>(z: C) -> c64 {
    c64::new(f64_of(z.re()), f64_of(z.im()))
}

fn cfro(a: &Array2<c64>) -> f64 {
    fro(a)
}

/// Only the `uplo` triangle of `a` kept, NaN in the other one: what a routine that reads only
/// that triangle must not notice.
fn poison_other_triangle<T: TestScalar>(a: &Array2<T>, uplo: UPLO) -> Array2<T> {
    Array2::from_shape_fn(a.dim(), |(i, j)| {
        let inside = match uplo {
            UPLO::Upper => i <= j,
            UPLO::Lower => i >= j,
        };
        if inside {
            a[[i, j]]
        } else {
            T::make(f64::NAN, f64::NAN)
        }
    })
}

fn diag_real<T: Scalar>(v: &Array1<T::Real>) -> Array2<T> {
    Array2::from_diag(&v.mapv(T::from_real))
}

// ------------------------------------------------------------------------ eigh_generalized

/// ‖A·V − B·V·Λ‖ / ((‖A‖ + max|λ|·‖B‖)·‖V‖·n·ε) and ‖Vᴴ·B·V − I‖ / (‖B‖·‖V‖²·n·ε) (`ddrvsg`'s
/// ratios for ITYPE 1), for every layout and both triangles, on random Hermitian A and
/// Hermitian positive-definite B, plus a matrix with eigenvalues graded over many decades.
fn eigh_generalized_residuals<T: TestScalar>() {
    let mut r = rng(150);
    let e = eps::<T>();
    let mut worst = (0.0_f64, 0.0_f64);
    for n in SIZES {
        let a = hermitian::<T>(&mut r, n);
        let b = hpd::<T>(&mut r, n);
        let reference = eigh_generalized(&a, &b, UPLO::Lower).unwrap();
        for uplo in [UPLO::Lower, UPLO::Upper] {
            for layout in LAYOUTS {
                let (la, lb) = (Laid::new(&a, layout), Laid::new(&b, layout));
                let got = eigh_generalized(&la.view(), &lb.view(), uplo).unwrap();
                let (res, orth) = generalized_ratios(&a, &b, &got.values, &got.vectors, e);
                worst = (worst.0.max(res), worst.1.max(orth));
                assert!(
                    res <= THRESH && orth <= THRESH,
                    "{} n={n} {uplo:?} {layout}: residual {res:.2}, B-orthonormality {orth:.2}",
                    T::NAME
                );
                assert!(got.values.windows(2).into_iter().all(|w| w[0] <= w[1]));
                for (x, y) in got.values.iter().zip(&reference.values) {
                    let scale = reference
                        .values
                        .iter()
                        .fold(1.0, |m: f64, v| m.max(f64_of(v.abs())));
                    assert!(f64_of((*x - *y).abs()) <= THRESH * n as f64 * e * scale);
                }
            }
            // The other triangles are never read.
            let got = eigh_generalized(
                &poison_other_triangle(&a, uplo),
                &poison_other_triangle(&b, uplo),
                uplo,
            )
            .unwrap();
            let (res, orth) = generalized_ratios(&a, &b, &got.values, &got.vectors, e);
            assert!(
                res <= THRESH && orth <= THRESH,
                "{} n={n} poisoned {uplo:?}",
                T::NAME
            );
        }
    }
    // Graded: A = D·H·D with D over 6 decades (3 for single precision).
    let n = 12;
    let decades = if e > 1e-10 { 3.0 } else { 6.0 };
    let d = Array1::from_shape_fn(n, |i| 10f64.powf(-decades * i as f64 / (n - 1) as f64));
    let h = hermitian::<T>(&mut r, n);
    let a = Array2::from_shape_fn((n, n), |(i, j)| h[[i, j]] * T::make(d[i] * d[j], 0.0));
    let b = hpd::<T>(&mut r, n);
    let got = eigh_generalized(&a, &b, UPLO::Upper).unwrap();
    let (res, orth) = generalized_ratios(&a, &b, &got.values, &got.vectors, e);
    assert!(
        res <= THRESH && orth <= THRESH,
        "{} graded: {res:.2} {orth:.2}",
        T::NAME
    );
    println!(
        "{}: eigh_generalized worst residual {:.3}, B-orthonormality {:.3}",
        T::NAME,
        worst.0,
        worst.1
    );
}
dtype_tests!(eigh_generalized_residuals => eigh_generalized_residuals);

fn generalized_ratios<T: TestScalar>(
    a: &Array2<T>,
    b: &Array2<T>,
    w: &Array1<T::Real>,
    v: &Array2<T>,
    e: f64,
) -> (f64, f64) {
    let n = a.nrows().max(1) as f64;
    let lam = diag_real::<T>(w);
    let max_l = w.iter().fold(0.0, |m: f64, x| m.max(f64_of(x.abs())));
    let resid = fro_diff(&a.dot(v), &b.dot(v).dot(&lam));
    let res = resid / ((fro(a) + max_l * fro(b)) * fro(v).max(1.0) * n * e);
    let gram = conj_t(v).dot(&b.dot(v));
    let orth =
        fro_diff(&gram, &Array2::eye(v.ncols())) / (fro(b) * fro(v).powi(2).max(1.0) * n * e);
    (res, orth)
}

fn eigh_generalized_errors<T: TestScalar>() {
    let mut r = rng(151);
    let a = hermitian::<T>(&mut r, 4);
    let b = hpd::<T>(&mut r, 4);
    let op = "eigh_generalized";
    assert!(matches!(
        eigh_generalized(&random_matrix::<T>(&mut r, 3, 4), &b, UPLO::Lower),
        Err(Error::NotSquare { op: o, .. }) if o == op
    ));
    assert!(matches!(
        eigh_generalized(&a, &hpd::<T>(&mut r, 3), UPLO::Lower),
        Err(Error::IncompatibleShapes { op: o, .. }) if o == op
    ));
    // B = diag(1, 1, −1, 1): the leading minor of order 3 is negative.
    let mut indefinite = Array2::<T>::eye(4);
    indefinite[[2, 2]] = T::make(-1.0, 0.0);
    let err = eigh_generalized(&a, &indefinite, UPLO::Upper).unwrap_err();
    assert_eq!(err, Error::NotPositiveDefinite { op, minor: 3 }, "{err}");
    let mut nan = a.clone();
    nan[[3, 0]] = T::make(f64::NAN, 0.0);
    assert!(matches!(
        eigh_generalized(&nan, &b, UPLO::Lower),
        Err(Error::NonFinite { .. })
    ));
    // NaN in the triangle not read is no error.
    assert!(eigh_generalized(&nan, &b, UPLO::Upper).is_ok());
    let mut inf = b.clone();
    inf[[1, 1]] = T::make(f64::INFINITY, 0.0);
    assert!(matches!(
        eigh_generalized(&a, &inf, UPLO::Lower),
        Err(Error::NonFinite { .. })
    ));
    let empty = eigh_generalized(
        &Array2::<T>::zeros((0, 0)),
        &Array2::<T>::zeros((0, 0)),
        UPLO::Lower,
    )
    .unwrap();
    assert_eq!((empty.values.len(), empty.vectors.dim()), (0, (0, 0)));
}
dtype_tests!(eigh_generalized_errors => eigh_generalized_errors);

// ------------------------------------------------------------------------- eig_generalized

/// ‖A·v − λ·B·v‖ / ((‖A‖ + |λ|·‖B‖)·n·ε) per eigenpair (`ddrvgg`'s ratio with β normalised
/// away), unit 2-norm vectors, every layout.
fn eig_generalized_residuals<T: TestScalar>() {
    let mut r = rng(152);
    let e = eps::<T>();
    let mut worst = 0.0_f64;
    for n in SIZES {
        let a = random_matrix::<T>(&mut r, n, n);
        let b = well_conditioned::<T>(&mut r, n);
        for laid in laid_all(&a, &LAYOUTS) {
            let lb = Laid::new(&b, Layout::NegAll);
            let got = eig_generalized(&laid.view(), &lb.view()).unwrap();
            let ratio = pencil_ratio(&a, &b, &got.values, &got.vectors, e);
            worst = worst.max(ratio);
            assert!(ratio <= THRESH, "{} n={n}: residual {ratio:.2}", T::NAME);
            for v in got.vectors.columns() {
                let norm: f64 = v.iter().map(|z| f64_of(z.norm_sqr())).sum::<f64>().sqrt();
                assert!(
                    (norm - 1.0).abs() <= 10.0 * n as f64 * e,
                    "unit norm: {norm}"
                );
            }
        }
    }
    println!("{}: eig_generalized worst residual {worst:.3}", T::NAME);
}
dtype_tests!(eig_generalized_residuals => eig_generalized_residuals);

fn pencil_ratio<T: TestScalar, C: Scalar>(
    a: &Array2<T>,
    b: &Array2<T>,
    w: &Array1<C>,
    v: &Array2<C>,
    e: f64,
) -> f64 {
    let (ac, bc) = (complex_of(a), complex_of(b));
    let vc = v.mapv(c64_of);
    let n = a.nrows().max(1) as f64;
    let mut worst = 0.0_f64;
    for (j, l) in w.iter().enumerate() {
        let l = c64_of(*l);
        if !l.is_finite() {
            continue;
        }
        let x = vc.column(j);
        let res = (&ac.dot(&x) - &(bc.dot(&x) * l))
            .mapv(|z| z.norm_sqr())
            .sum()
            .sqrt();
        worst = worst.max(res / ((fro(a) + l.norm() * fro(b)) * n * e));
    }
    worst
}

/// Infinite eigenvalues where B is singular (+∞ + 0i, as SciPy), NaN for a singular pencil,
/// and the errors.
fn eig_generalized_special<T: TestScalar>() {
    let a = Array2::from_diag(&array![1.0, 2.0, 3.0].mapv(|x| T::make(x, 0.0)));
    let b = Array2::from_diag(&array![1.0, 0.0, 1.0].mapv(|x| T::make(x, 0.0)));
    let got = eig_generalized(&a, &b).unwrap();
    let infinite: Vec<_> = got.values.iter().filter(|z| !z.re().is_finite()).collect();
    assert_eq!(infinite.len(), 1, "{:?}", got.values);
    assert!(infinite[0].re() == <T::Real as Float>::infinity() && infinite[0].im().is_zero());
    // A singular pencil: A and B share a null vector e₂, so α = β = 0 there.
    let a0 = Array2::from_diag(&array![1.0, 0.0].mapv(|x| T::make(x, 0.0)));
    let b0 = Array2::from_diag(&array![2.0, 0.0].mapv(|x| T::make(x, 0.0)));
    let got = eig_generalized(&a0, &b0).unwrap();
    assert_eq!(
        got.values.iter().filter(|z| z.re().is_nan()).count(),
        1,
        "{:?}",
        got.values
    );
    let mut r = rng(153);
    let sq = random_matrix::<T>(&mut r, 3, 3);
    assert!(matches!(
        eig_generalized(&sq, &random_matrix::<T>(&mut r, 3, 2)),
        Err(Error::NotSquare {
            op: "eig_generalized",
            ..
        })
    ));
    assert!(matches!(
        eig_generalized(&sq, &random_matrix::<T>(&mut r, 2, 2)),
        Err(Error::IncompatibleShapes { .. })
    ));
    let mut nan = sq.clone();
    nan[[0, 2]] = T::make(f64::NAN, 0.0);
    assert!(matches!(
        eig_generalized(&sq, &nan),
        Err(Error::NonFinite { .. })
    ));
    let empty = eig_generalized(&Array2::<T>::zeros((0, 0)), &Array2::<T>::zeros((0, 0))).unwrap();
    assert_eq!((empty.values.len(), empty.vectors.dim()), (0, (0, 0)));
}
dtype_tests!(eig_generalized_special => eig_generalized_special);

// ------------------------------------------------------------------------------ eigh_subset

/// Index and value subsets agree with the matching slice of `eigh`, with residual and
/// orthonormality ratios, for every layout and both triangles.
fn eigh_subset_matches_eigh<T: TestScalar>() {
    let mut r = rng(154);
    let e = eps::<T>();
    for n in SIZES {
        let a = hermitian::<T>(&mut r, n);
        let all = eigh(&a, UPLO::Lower).unwrap();
        let scale = fro(&a).max(1.0);
        let (lo, hi) = (n / 3, (2 * n) / 3);
        for uplo in [UPLO::Lower, UPLO::Upper] {
            for layout in LAYOUTS {
                let laid = Laid::new(&a, layout);
                let got = eigh_subset(&laid.view(), uplo, Subset::Index(lo, hi)).unwrap();
                assert_eq!(got.vectors.dim(), (n, hi - lo + 1));
                for (k, x) in got.values.iter().enumerate() {
                    let want = all.values[lo + k];
                    assert!(f64_of((*x - want).abs()) <= THRESH * n as f64 * e * scale);
                }
                check_pairs(&a, &got.values, &got.vectors, e, scale);
            }
            // (v_lo, v_hi] between two eigenvalues: exactly those in between.
            if n >= 3 {
                let mid =
                    |i: usize| (all.values[i] + all.values[i + 1]) * T::Real::from_f64_nearest(0.5);
                let (vlo, vhi) = (mid(0), mid(n - 2));
                let got = eigh_subset(
                    &poison_other_triangle(&a, uplo),
                    uplo,
                    Subset::Value(vlo, vhi),
                )
                .unwrap();
                assert_eq!(got.values.len(), n - 2, "{} n={n}", T::NAME);
                check_pairs(&a, &got.values, &got.vectors, e, scale);
            }
        }
        let inf = <T::Real as Float>::infinity();
        let everything = eigh_subset(&a, UPLO::Lower, Subset::Value(-inf, inf)).unwrap();
        assert_eq!(everything.values.len(), n);
        // Half-infinite intervals, cut a safe margin (well above the eigenvalues' errors) away
        // from the eigenvalues: the lowest one alone, and none beyond the largest.
        let margin = T::Real::from_f64_nearest(0.25 * (1.0 + fro(&a)));
        let cut = if n > 1 {
            (all.values[0] + all.values[1]) * T::Real::from_f64_nearest(0.5)
        } else {
            all.values[0] + margin
        };
        let below = eigh_subset(&a, UPLO::Lower, Subset::Value(-inf, cut)).unwrap();
        assert_eq!(
            below.values.len(),
            if n > 1 && all.values[1] == all.values[0] {
                2
            } else {
                1
            }
        );
        let beyond = all.values[n - 1] + margin;
        let above = eigh_subset(&a, UPLO::Upper, Subset::Value(beyond, inf)).unwrap();
        assert_eq!(
            (above.values.len(), above.vectors.dim()),
            (0, (n, 0)),
            "(λmax + m, ∞] is empty"
        );
    }
}
dtype_tests!(eigh_subset_matches_eigh => eigh_subset_matches_eigh);

fn check_pairs<T: TestScalar>(
    a: &Array2<T>,
    w: &Array1<T::Real>,
    v: &Array2<T>,
    e: f64,
    scale: f64,
) {
    let n = a.nrows().max(1) as f64;
    let res = fro_diff(&a.dot(v), &v.dot(&diag_real::<T>(w))) / (scale * n * e);
    assert!(res <= THRESH, "{}: subset residual {res:.2}", T::NAME);
    if v.ncols() > 0 {
        let orth = orthogonality_ratio(v);
        assert!(
            orth <= THRESH,
            "{}: subset orthogonality {orth:.2}",
            T::NAME
        );
    }
}

fn eigh_subset_errors<T: TestScalar>() {
    let a = Array2::from_diag(&array![1.0, 2.0, 3.0].mapv(|x| T::make(x, 0.0)));
    let invalid = |s: Subset<T::Real>| {
        matches!(
            eigh_subset(&a, UPLO::Lower, s),
            Err(Error::InvalidArgument {
                op: "eigh_subset",
                ..
            })
        )
    };
    let real = |x: f64| T::Real::from_f64_nearest(x);
    assert!(invalid(Subset::Index(2, 1)));
    assert!(invalid(Subset::Index(0, 3)));
    assert!(invalid(Subset::Value(real(2.0), real(2.0))));
    assert!(invalid(Subset::Value(real(3.0), real(1.0))));
    assert!(invalid(Subset::Value(<T::Real as Float>::nan(), real(1.0))));
    // An empty interval inside the spectrum's range: an empty result, as SciPy.
    let none = eigh_subset(&a, UPLO::Lower, Subset::Value(real(1.2), real(1.8))).unwrap();
    assert_eq!((none.values.len(), none.vectors.dim()), (0, (3, 0)));
    // (1, 2] holds 2 only: the interval is open below.
    let two = eigh_subset(&a, UPLO::Lower, Subset::Value(real(1.0), real(2.0))).unwrap();
    assert_eq!(two.values.len(), 1);
    assert!(f64_of((two.values[0] - real(2.0)).abs()) <= 10.0 * eps::<T>());
    assert!(matches!(
        eigh_subset(
            &Array2::<T>::zeros((2, 3)),
            UPLO::Lower,
            Subset::Index(0, 0)
        ),
        Err(Error::NotSquare { .. })
    ));
    let mut nan = a.clone();
    nan[[2, 1]] = T::make(f64::NAN, 0.0);
    assert!(matches!(
        eigh_subset(&nan, UPLO::Lower, Subset::Index(0, 0)),
        Err(Error::NonFinite { .. })
    ));
    assert!(eigh_subset(&nan, UPLO::Upper, Subset::Index(0, 0)).is_ok());
    let empty = eigh_subset(
        &Array2::<T>::zeros((0, 0)),
        UPLO::Lower,
        Subset::Index(0, 0),
    )
    .unwrap();
    assert_eq!(empty.values.len(), 0);
}
dtype_tests!(eigh_subset_errors => eigh_subset_errors);

// ----------------------------------------------------------------------- schur, hessenberg

/// ‖A − Z·T·Zᴴ‖ / (‖A‖·n·ε), ‖ZᴴZ − I‖ / (n·ε) and T's structure (triangular for complex
/// types; quasi-triangular with standardised 2×2 blocks for real ones), every layout.
fn schur_invariants<T: TestScalar>() {
    let mut r = rng(155);
    let e = eps::<T>();
    let mut worst = 0.0_f64;
    for n in SIZES {
        let a = random_matrix::<T>(&mut r, n, n);
        for laid in laid_all(&a, &LAYOUTS) {
            let s = schur(&laid.view()).unwrap();
            let back = s.z.dot(&s.t).dot(&conj_t(&s.z));
            let res = fro_diff(&back, &a) / (fro(&a) * n as f64 * e);
            let orth = orthogonality_ratio(&s.z);
            worst = worst.max(res);
            assert!(
                res <= THRESH && orth <= THRESH,
                "{} n={n}: {res:.2} {orth:.2}",
                T::NAME
            );
            check_quasi_triangular(&s.t.view());
        }
    }
    println!("{}: schur worst backward error ratio {worst:.3}", T::NAME);
    let empty = schur(&Array2::<T>::zeros((0, 0))).unwrap();
    assert_eq!((empty.t.dim(), empty.z.dim()), ((0, 0), (0, 0)));
    let mut nan = Array2::<T>::eye(3);
    nan[[1, 2]] = T::make(f64::INFINITY, 0.0);
    assert!(matches!(
        schur(&nan),
        Err(Error::NonFinite { op: "schur", .. })
    ));
    assert!(matches!(
        schur(&Array2::<T>::zeros((2, 3))),
        Err(Error::NotSquare { .. })
    ));
}
dtype_tests!(schur_invariants => schur_invariants);

fn check_quasi_triangular<T: TestScalar>(t: &ArrayView2<'_, T>) {
    let n = t.nrows();
    for i in 0..n {
        for j in 0..i {
            let sub = i == j + 1;
            if T::IS_COMPLEX || !sub {
                assert!(
                    t[[i, j]].is_zero(),
                    "{}: T[{i}, {j}] = {} below the (quasi-)triangle",
                    T::NAME,
                    t[[i, j]]
                );
            }
        }
    }
    if !T::IS_COMPLEX {
        for i in 1..n {
            if !t[[i, i - 1]].is_zero() {
                // A standardised 2×2 block: no neighbouring block, equal diagonal, opposite
                // signs off the diagonal (LAPACK's ?lanv2).
                assert!(
                    i < 2 || t[[i - 1, i - 2]].is_zero(),
                    "overlapping 2×2 blocks"
                );
                assert!(
                    i + 1 >= n || t[[i + 1, i]].is_zero(),
                    "overlapping 2×2 blocks"
                );
                assert_eq!(t[[i, i]], t[[i - 1, i - 1]], "block diagonal");
                assert!(f64_of(t[[i, i - 1]].re()) * f64_of(t[[i - 1, i]].re()) < 0.0);
            }
        }
    }
}

/// `h` exactly zero below the first subdiagonal, ‖A − Q·H·Qᴴ‖ / (‖A‖·n·ε), ‖QᴴQ − I‖ / (n·ε),
/// every layout.
fn hessenberg_invariants<T: TestScalar>() {
    let mut r = rng(156);
    let e = eps::<T>();
    let mut worst = 0.0_f64;
    for n in SIZES {
        let a = random_matrix::<T>(&mut r, n, n);
        for laid in laid_all(&a, &LAYOUTS) {
            let hq = hessenberg(&laid.view()).unwrap();
            for ((i, j), x) in hq.h.indexed_iter() {
                assert!(i <= j + 1 || x.is_zero(), "H[{i}, {j}] = {x}");
            }
            let back = hq.q.dot(&hq.h).dot(&conj_t(&hq.q));
            let res = fro_diff(&back, &a) / (fro(&a) * n as f64 * e);
            let orth = orthogonality_ratio(&hq.q);
            worst = worst.max(res);
            assert!(
                res <= THRESH && orth <= THRESH,
                "{} n={n}: {res:.2} {orth:.2}",
                T::NAME
            );
        }
    }
    println!(
        "{}: hessenberg worst backward error ratio {worst:.3}",
        T::NAME
    );
    let empty = hessenberg(&Array2::<T>::zeros((0, 0))).unwrap();
    assert_eq!((empty.h.dim(), empty.q.dim()), ((0, 0), (0, 0)));
    let mut nan = Array2::<T>::eye(3);
    nan[[2, 0]] = T::make(f64::NAN, 0.0);
    assert!(matches!(
        hessenberg(&nan),
        Err(Error::NonFinite {
            op: "hessenberg",
            ..
        })
    ));
    assert!(matches!(
        hessenberg(&Array2::<T>::zeros((3, 1))),
        Err(Error::NotSquare { .. })
    ));
}
dtype_tests!(hessenberg_invariants => hessenberg_invariants);

// ------------------------------------------------------------------------------------- expm

/// Normwise relative distance in f64.
fn rel_err<T: Scalar>(got: &Array2<T>, want: &Array2<c64>) -> f64 {
    cfro(&(got.mapv(c64_of) - want)) / cfro(want).max(f64::MIN_POSITIVE)
}

/// e^0 = I exactly; e^D = diag(e^dᵢ) exactly for diagonal D; a nilpotent N gives
/// I + N + N²/2 + N³/6; e^A·e^−A = I (A and −A commute); every layout gives one answer.
fn expm_identities<T: TestScalar>() {
    let e = eps::<T>();
    for n in [1, 2, 5] {
        assert_eq!(
            expm(&Array2::<T>::zeros((n, n))).unwrap(),
            Array2::<T>::eye(n)
        );
    }
    let d = array![0.5, -2.0, 3.0].mapv(|x| T::make(x, 0.25));
    let ed = expm(&Array2::from_diag(&d)).unwrap();
    for i in 0..3 {
        let (re, im) = d[i].parts();
        let want = c64::new(re, im).exp();
        assert!((c64_of(ed[[i, i]]) - want).norm() <= 4.0 * e * want.norm());
    }
    // Strictly upper triangular 4×4: N⁴ = 0, so the series ends.
    let mut r = rng(157);
    let n4 = Array2::from_shape_fn(
        (4, 4),
        |(i, j)| if j > i { T::random(&mut r) } else { T::zero() },
    );
    let n2 = n4.dot(&n4);
    let n3 = n2.dot(&n4);
    let want = Array2::<T>::eye(4)
        + &n4
        + n2.mapv(|x| x * T::make(0.5, 0.0))
        + n3.mapv(|x| x / T::make(6.0, 0.0));
    let got = expm(&n4).unwrap();
    assert!(
        fro_diff(&got, &want) <= THRESH * 4.0 * e * fro(&want),
        "{} nilpotent",
        T::NAME
    );
    let mut worst = 0.0_f64;
    for n in SIZES {
        // 1-norms up to ~3n: e^A and e^−A stay within f32's range for every n here.
        for scale in [0.01, 1.0, 3.0] {
            let a = random_matrix::<T>(&mut r, n, n).mapv(|x| x * T::make(scale, 0.0));
            let reference = expm(&a).unwrap();
            let inverse = expm(&a.mapv(|x| -x)).unwrap();
            let prod = reference.dot(&inverse);
            // ‖e^A‖·‖e^−A‖ bounds the condition of the product; the Padé backward error of
            // each factor is below u, so the ratio below stays O(1).
            let ratio =
                fro_diff(&prod, &Array2::eye(n)) / (fro(&reference) * fro(&inverse) * n as f64 * e);
            worst = worst.max(ratio);
            assert!(
                ratio <= THRESH,
                "{} n={n} scale {scale}: e^A·e^−A ratio {ratio:.2}",
                T::NAME
            );
            for laid in laid_all(&a, &LAYOUTS) {
                let got = expm(&laid.view()).unwrap();
                assert!(
                    fro_diff(&got, &reference) <= 4.0 * e * fro(&reference),
                    "{} layout",
                    T::NAME
                );
            }
        }
    }
    println!("{}: expm worst e^A·e^-A ratio {worst:.3}", T::NAME);
}
dtype_tests!(expm_identities => expm_identities);

/// Against SciPy: every Padé degree (1-norm 1e-3 to 30), complex, triangular with a wide
/// diagonal, strongly non-normal. Tolerance: expm's relative condition number is at most
/// about ‖A‖₁·e^(2‖A‖₁)/‖e^A‖ but for these matrices SciPy's and ndkit's errors are each a small
/// multiple of n·ε·max(1, ‖A‖₁) (Al-Mohy & Higham's experiments, Fig. 4.1); 100 of those
/// leaves room for different choices of (m, s) on either side, while any wrong coefficient
/// or missed squaring gives errors of order 1e-3 and more.
fn expm_matches_scipy<T: TestScalar>() {
    let cases = [
        "scale1e-3",
        "scale0.1",
        "scale0.5",
        "scale1",
        "scale3",
        "scale30",
        "cplx",
        "triu",
        "nonnormal",
    ];
    let e = eps::<T>();
    for case in cases {
        if case == "cplx" && !T::IS_COMPLEX {
            continue;
        }
        let a = load_matrix::<T>(&format!("expm_{case}_A"));
        let want: Array2<c64> = if case == "cplx" {
            load(&format!("expm_{case}_E"))
        } else {
            load::<Array2<f64>>(&format!("expm_{case}_E")).mapv(|x| c64::new(x, 0.0))
        };
        let norm1 = a
            .columns()
            .into_iter()
            .map(|c| c.iter().map(|x| f64_of(x.norm())).sum::<f64>())
            .fold(0.0, f64::max);
        let n = a.nrows() as f64;
        let got = expm(&a).unwrap();
        let err = rel_err(&got, &want);
        let tol = 100.0 * n * e * norm1.max(1.0);
        println!(
            "{} expm {case}: relative error {err:.2e} (tolerance {tol:.1e})",
            T::NAME
        );
        assert!(err <= tol, "{} expm {case}: {err:e} > {tol:e}", T::NAME);
    }
}
dtype_tests!(expm_matches_scipy => expm_matches_scipy);

fn expm_errors<T: TestScalar>() {
    assert!(matches!(
        expm(&Array2::<T>::zeros((2, 3))),
        Err(Error::NotSquare { op: "expm", .. })
    ));
    let mut nan = Array2::<T>::eye(3);
    nan[[0, 1]] = T::make(f64::NAN, 0.0);
    assert!(matches!(
        expm(&nan),
        Err(Error::NonFinite { op: "expm", .. })
    ));
    // e^1000 overflows f32 and f64 alike.
    let big = array![[1000.0, 1.0], [0.0, 1000.0]].mapv(|x| T::make(x, 0.0));
    assert!(matches!(
        expm(&big),
        Err(Error::InvalidArgument { op: "expm", .. })
    ));
    assert_eq!(expm(&Array2::<T>::zeros((0, 0))).unwrap().dim(), (0, 0));
    let one = expm(&array![[T::make(1.0, 0.0)]]).unwrap();
    assert!((f64_of(one[[0, 0]].re()) - std::f64::consts::E).abs() <= 4.0 * eps::<T>() * 3.0);
}
dtype_tests!(expm_errors => expm_errors);

// ------------------------------------------------------------------------------------ sqrtm

/// ‖X² − A‖ / (‖A‖·n·ε) relative to the root's own size (‖X‖²/‖A‖ is the condition factor of
/// the Schur method, Higham 2008, eq. (6.10)); eigenvalues of X in the closed right half
/// plane (the principal root); every layout.
fn sqrtm_invariants<T: TestScalar>() {
    let mut r = rng(158);
    let e = eps::<T>();
    let mut worst = 0.0_f64;
    for n in SIZES {
        // A general matrix (complex root) and a Hermitian positive-definite one (for real
        // dtypes the all-real path).
        for a in [random_matrix::<T>(&mut r, n, n), hpd::<T>(&mut r, n)] {
            let ac = complex_of(&a);
            for laid in laid_all(&a, &LAYOUTS) {
                let x = sqrtm(&laid.view()).unwrap();
                let xc = x.mapv(c64_of);
                let res = cfro(&(xc.dot(&xc) - &ac)) / (cfro(&xc).powi(2) * n as f64 * e);
                worst = worst.max(res);
                assert!(res <= THRESH, "{} n={n}: X² − A ratio {res:.2}", T::NAME);
            }
            let x = sqrtm(&a).unwrap();
            for l in eigvals(&x).unwrap() {
                let tol = 1e3 * e * cfro(&x.mapv(c64_of)).max(1.0);
                assert!(
                    f64_of(l.re()) >= -tol,
                    "{}: eigenvalue {l} of the root not principal",
                    T::NAME
                );
            }
        }
    }
    println!("{}: sqrtm worst X²−A ratio {worst:.3}", T::NAME);
    // A negative real eigenvalue of a real matrix gets the root +i·√|λ|.
    let neg = sqrtm(&array![[T::make(-4.0, 0.0)]]).unwrap();
    assert!((c64_of(neg[[0, 0]]) - c64::new(0.0, 2.0)).norm() <= 4.0 * e);
    // Semisimple zero eigenvalues have a root: the zero matrix's is zero.
    assert!(sqrtm(&Array2::<T>::zeros((3, 3)))
        .unwrap()
        .iter()
        .all(|z| z.is_zero()));
    // A 2×2 Jordan block at 0 has no square root.
    let jordan = array![[0.0, 1.0], [0.0, 0.0]].mapv(|x| T::make(x, 0.0));
    assert!(matches!(
        sqrtm(&jordan),
        Err(Error::Singular { op: "sqrtm", .. })
    ));
    let mut nan = Array2::<T>::eye(2);
    nan[[1, 0]] = T::make(f64::NAN, 0.0);
    assert!(matches!(
        sqrtm(&nan),
        Err(Error::NonFinite { op: "sqrtm", .. })
    ));
    assert!(matches!(
        sqrtm(&Array2::<T>::zeros((1, 2))),
        Err(Error::NotSquare { .. })
    ));
    assert_eq!(sqrtm(&Array2::<T>::zeros((0, 0))).unwrap().dim(), (0, 0));
}
dtype_tests!(sqrtm_invariants => sqrtm_invariants);

/// Against SciPy's principal root: SPD (a real root), a real matrix with complex and negative
/// real eigenvalues (real dtypes only: as complex input its negative eigenvalues sit on the
/// branch cut up to rounding, where the principal root is discontinuous), a complex matrix. The roots' condition numbers for these 6×6 matrices are
/// below 1e2, so 10·n·κ·ε bounds both sides' errors with room to spare.
fn sqrtm_matches_scipy<T: TestScalar>() {
    let e = eps::<T>();
    for case in ["spd", "general", "cplx"] {
        if (case == "cplx") != T::IS_COMPLEX && case != "spd" {
            continue;
        }
        let a = load_matrix::<T>(&format!("sqrtm_{case}_A"));
        let want: Array2<c64> = load(&format!("sqrtm_{case}_X"));
        let got = sqrtm(&a).unwrap();
        let err = rel_err(&got, &want);
        let tol = 1e3 * a.nrows() as f64 * e;
        println!(
            "{} sqrtm {case}: relative error {err:.2e} (tolerance {tol:.1e})",
            T::NAME
        );
        assert!(err <= tol, "{} sqrtm {case}: {err:e}", T::NAME);
    }
}
dtype_tests!(sqrtm_matches_scipy => sqrtm_matches_scipy);

// ------------------------------------------------------------------- eigenvalue goldens

/// `want` and `got` as multisets of complex numbers: each of `got` matched to the nearest
/// unused `want`; the largest distance relative to max(1, |want|), infinities matched exactly.
fn multiset_distance(got: &[c64], want: &[c64]) -> f64 {
    assert_eq!(got.len(), want.len());
    let mut used = vec![false; want.len()];
    let mut worst = 0.0_f64;
    for g in got {
        let (k, d) = want
            .iter()
            .enumerate()
            .filter(|(k, _)| !used[*k])
            .map(|(k, w)| {
                let d = if w.is_finite() && g.is_finite() {
                    (g - w).norm() / w.norm().max(1.0)
                } else if w.re == g.re {
                    0.0
                } else {
                    f64::INFINITY
                };
                (k, d)
            })
            .fold(
                (usize::MAX, f64::INFINITY),
                |b, c| if c.1 < b.1 { c } else { b },
            );
        used[k] = true;
        worst = worst.max(d);
    }
    worst
}

/// Generalized and subset eigenvalues against SciPy. The 6×6 pencils are well conditioned
/// (B well away from singular, eigenvalue condition numbers below 1e2), so errors of
/// 1e3·n·ε catch any real defect (a swapped pencil gives 1/λ, errors of order 1).
fn eigenvalues_match_scipy<T: TestScalar>() {
    let e = eps::<T>();
    let tol = 1e3 * 6.0 * e;
    let kind = if T::IS_COMPLEX { "cplx" } else { "real" };
    let a = load_matrix::<T>(&format!("eigh_gen_{kind}_A"));
    let b = load_matrix::<T>(&format!("eigh_gen_{kind}_B"));
    let want: Array1<f64> = load(&format!("eigh_gen_{kind}_w"));
    let got = eigh_generalized(&a, &b, UPLO::Lower).unwrap();
    let err = got
        .values
        .iter()
        .zip(&want)
        .map(|(g, w)| (f64_of(*g) - w).abs() / w.abs().max(1.0))
        .fold(0.0, f64::max);
    println!("{} eigh_generalized vs SciPy: {err:.2e}", T::NAME);
    assert!(err <= tol, "{} eigh_generalized: {err:e}", T::NAME);
    for case in [kind, "inf"] {
        let a = load_matrix::<T>(&format!("eig_gen_{case}_A"));
        let b = load_matrix::<T>(&format!("eig_gen_{case}_B"));
        let want: Array1<c64> = load(&format!("eig_gen_{case}_w"));
        let got: Vec<c64> = eig_generalized(&a, &b)
            .unwrap()
            .values
            .iter()
            .map(|&z| c64_of(z))
            .collect();
        let err = multiset_distance(&got, want.as_slice().unwrap());
        println!("{} eig_generalized {case} vs SciPy: {err:.2e}", T::NAME);
        assert!(err <= tol, "{} eig_generalized {case}: {err:e}", T::NAME);
    }
    let (sa, idx_name, (lo, hi)) = if T::IS_COMPLEX {
        (
            load_matrix::<T>("subset_cplx_A"),
            "subset_cplx_index_0_2_w",
            (0, 2),
        )
    } else {
        (load_matrix::<T>("subset_A"), "subset_index_1_3_w", (1, 3))
    };
    let want: Array1<f64> = load(idx_name);
    let got = eigh_subset(&sa, UPLO::Upper, Subset::Index(lo, hi)).unwrap();
    assert_eq!(got.values.len(), want.len());
    for (g, w) in got.values.iter().zip(&want) {
        assert!(
            (f64_of(*g) - w).abs() <= tol * w.abs().max(1.0),
            "{} subset index",
            T::NAME
        );
    }
    if !T::IS_COMPLEX {
        let bounds: Array1<f64> = load("subset_value_bounds");
        let want: Array1<f64> = load("subset_value_w");
        let sub = Subset::Value(
            T::Real::from_f64_nearest(bounds[0]),
            T::Real::from_f64_nearest(bounds[1]),
        );
        let got = eigh_subset(&sa, UPLO::Lower, sub).unwrap();
        assert_eq!(
            got.values.len(),
            want.len(),
            "{} subset by value count",
            T::NAME
        );
        for (g, w) in got.values.iter().zip(&want) {
            assert!(
                (f64_of(*g) - w).abs() <= tol * w.abs().max(1.0),
                "{} subset value",
                T::NAME
            );
        }
    }
}
dtype_tests!(eigenvalues_match_scipy => eigenvalues_match_scipy);

/// From order 400 on the norms of unformed powers are estimated (Hager): e^A·e^−A = I and
/// agreement with e^(A/2)² (one squaring more, a different degree/scaling choice) there.
fn expm_with_estimated_norms<T: TestScalar>() {
    let mut r = rng(159);
    let e = eps::<T>();
    let n = 400;
    for scale in [0.002, 0.05, 2.0] {
        let a = random_matrix::<T>(&mut r, n, n).mapv(|x| x * T::make(scale, 0.0));
        let ea = expm(&a).unwrap();
        let inverse = expm(&a.mapv(|x| -x)).unwrap();
        let ratio = fro_diff(&ea.dot(&inverse), &Array2::eye(n))
            / (fro(&ea) * fro(&inverse) * n as f64 * e);
        assert!(
            ratio <= THRESH,
            "{} scale {scale}: e^A·e^−A ratio {ratio:.2}",
            T::NAME
        );
        let half = expm(&a.mapv(|x| x * T::make(0.5, 0.0))).unwrap();
        let squared = half.dot(&half);
        let rel = fro_diff(&squared, &ea) / (fro(&ea) * n as f64 * e);
        assert!(
            rel <= THRESH,
            "{} scale {scale}: e^(A/2)² vs e^A ratio {rel:.2}",
            T::NAME
        );
    }
}
real_dtype_tests!(expm_with_estimated_norms => expm_with_estimated_norms);
