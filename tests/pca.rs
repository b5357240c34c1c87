//! `ndkit::ml::Pca` against scikit-learn and against its own invariants.
//!
//! Golden values: `tests/pca_reference/*.npy`, written by `tests/pca_reference/generate.py`
//! (scikit-learn `PCA(svd_solver="full")` on the Iris and Digits files shipped in `data/`;
//! versions in `tests/pca_reference/VERSIONS.txt`). Errors are measured normwise,
//! max |got − want| / max |want|, which is what backward-error analysis bounds.

mod common;
#[path = "../examples/common/mod.rs"]
mod datasets;

use common::{elementwise_rel_err, max_rel_err, rng};
use ndarray::{s, Array1, Array2, ArrayView2, Axis};
use ndkit::ml::{FittedPca, Pca, PcaSolver};
use ndkit::Error;
use rand::rngs::StdRng;
use rand::Rng;

/// Agreement with scikit-learn for variances, ratios, singular values and the mean. Both sides
/// run a backward-stable SVD (`?gesdd`) of the same centred matrix; a singular value's absolute
/// error is then ≲ p(n)·ε·σ₁, relative ≲ p(n)·ε·σ₁/σᵢ. For Digits σ₁/σ₃₀ = √(179/5.16) ≈ 5.9
/// and for Iris σ₁/σ₄ ≈ 13, so with p(n) ~ 10³ the relative error is ≲ 3e-12 (squared for the
/// variance: ×2); 1e-10 leaves a factor 30 for blocking and BLAS differences.
const VARIANCE_TOL: f64 = 1e-10;

/// Agreement with scikit-learn for components and transformed data. A singular vector's error
/// is ≲ p(n)·ε·σ₁²/(σᵢ² − σⱼ²)-ish, i.e. ε·σ₁²/gap: the smallest absolute gap among the first
/// 31 Digits variances is 10.89 − 10.69 = 0.19 against 179 for the largest, so ≈ 10³·ε ≈ 2e-13
/// per unit p(n); 1e-8 (agreement to 8 digits with scikit-learn) leaves several orders of margin.
const VECTOR_TOL: f64 = 1e-8;

/// f32 against the f64 reference (Iris): ε₃₂ = 1.2e-7 times σ₁/σ₄ ≈ 13 and a small p(n) gives
/// ~1e-5 for the smallest component; 1e-4 leaves an order of magnitude.
const F32_TOL: f64 = 1e-4;

/// Orthonormality and reconstruction checks in f64 on data of unit scale: ~n·ε ≈ 1e-13 for the
/// sizes used here; 1e-10 leaves three orders of magnitude.
const EXACT_TOL: f64 = 1e-10;

const REF_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/pca_reference/");

// ------------------------------------------------------------------------------------ helpers

fn load1(name: &str) -> Array1<f64> {
    common::load_npy(REF_DIR, name)
}

fn load2(name: &str) -> Array2<f64> {
    common::load_npy(REF_DIR, name)
}

fn iris() -> Array2<f64> {
    datasets::load_iris().expect("data/iris.csv").x
}

fn digits() -> Array2<f64> {
    datasets::load_digits().expect("data/digits.csv.gz").x
}

/// Checks a fit against the scikit-learn reference `name` (k components, first `rows`
/// samples transformed).
fn check_reference(name: &str, x: &Array2<f64>, pca: &FittedPca<f64>) {
    let components = load2(&format!("{name}_components"));
    let k = components.nrows();
    let rows = load2(&format!("{name}_transform")).nrows();
    let errors = [
        (
            "explained_variance",
            elementwise_rel_err(
                &pca.explained_variance(),
                &load1(&format!("{name}_explained_variance")),
            ),
            VARIANCE_TOL,
        ),
        (
            "explained_variance_ratio",
            elementwise_rel_err(
                &pca.explained_variance_ratio(),
                &load1(&format!("{name}_ratio")),
            ),
            VARIANCE_TOL,
        ),
        (
            "singular_values",
            elementwise_rel_err(
                &pca.singular_values(),
                &load1(&format!("{name}_singular_values")),
            ),
            VARIANCE_TOL,
        ),
        (
            "mean",
            max_rel_err(&pca.mean(), &load1(&format!("{name}_mean"))),
            VARIANCE_TOL,
        ),
        // Both sides apply the same sign convention (svd_flip, u_based_decision=False), so the
        // components are compared as they are, signs included.
        (
            "components",
            max_rel_err(&pca.components(), &components),
            VECTOR_TOL,
        ),
        (
            "transform",
            max_rel_err(
                &pca.transform(&x.slice(s![..rows, ..])).unwrap(),
                &load2(&format!("{name}_transform")),
            ),
            VECTOR_TOL,
        ),
    ];
    assert_eq!(pca.components().dim(), (k, x.ncols()));
    for (what, err, tol) in errors {
        println!("{name} {what}: relative error {err:.2e} (tolerance {tol:.0e})");
        assert!(
            err <= tol,
            "{name} {what}: relative error {err:.3e} > {tol:.0e}"
        );
    }
}

/// Rows orthonormal and the largest-magnitude entry of each row positive.
fn check_components(c: ArrayView2<'_, f64>, tol: f64) {
    let gram = c.dot(&c.t());
    let err = max_rel_err(&gram, &Array2::eye(c.nrows()));
    assert!(err <= tol, "components not orthonormal: {err:.3e}");
    for row in c.rows() {
        let largest = row
            .iter()
            .fold(0.0_f64, |m, &v| if v.abs() > m.abs() { v } else { m });
        assert!(largest > 0.0, "sign convention violated in {row}");
    }
}

/// Data with a clear spectral gap: n × d, rank-`k` signal with singular values
/// 100·√n·0.8ⁱ (i < k) plus uniform noise of unit scale.
fn gapped(rng: &mut StdRng, n: usize, d: usize, k: usize) -> Array2<f64> {
    let noise = Array2::from_shape_simple_fn((n, d), || rng.random_range(-1.0..=1.0));
    let u = ndkit::linalg::qr(&Array2::from_shape_simple_fn((n, k), || {
        rng.random_range(-1.0..=1.0)
    }))
    .unwrap()
    .q;
    let v = ndkit::linalg::qr(&Array2::from_shape_simple_fn((d, k), || {
        rng.random_range(-1.0..=1.0)
    }))
    .unwrap()
    .q;
    let sigma = Array1::from_shape_fn(k, |i| 100.0 * (n as f64).sqrt() * 0.8_f64.powi(i as i32));
    (&u * &sigma).dot(&v.t()) + noise + 3.0
}

// ------------------------------------------------------------------------- scikit-learn golden

#[test]
fn iris_matches_sklearn_full() {
    let x = iris();
    let pca = Pca::new(4).solver(PcaSolver::Full).fit(&x).unwrap();
    check_reference("iris", &x, &pca);
    check_components(pca.components(), EXACT_TOL);
}

#[test]
fn digits_matches_sklearn_full() {
    let x = digits();
    let pca = Pca::new(30).solver(PcaSolver::Full).fit(&x).unwrap();
    check_reference("digits", &x, &pca);
    check_components(pca.components(), EXACT_TOL);
}

#[test]
fn digits_auto_uses_covariance_and_matches_sklearn() {
    // 1797 × 64: n ≥ 10·d and d ≤ 1000, so auto picks covariance_eigh, as scikit-learn does;
    // its leading 30 components agree with scikit-learn's full solver.
    let x = digits();
    let pca = Pca::new(30).fit(&x).unwrap();
    assert_eq!(pca.solver(), PcaSolver::CovarianceEigh);
    // Squaring the data makes a singular vector's error ε·σ₁²/gap in absolute terms, the same
    // order as for the SVD (see VECTOR_TOL), so the same tolerances hold.
    check_reference("digits", &x, &pca);
}

#[test]
fn f32_matches_f64_reference() {
    let x = iris().mapv(|v| v as f32);
    let pca = Pca::new(4).solver(PcaSolver::Full).fit(&x).unwrap();
    let c = pca.components().mapv(f64::from);
    let err = max_rel_err(&c, &load2("iris_components"));
    assert!(err <= F32_TOL, "f32 components: {err:.3e}");
    let ev = pca.explained_variance().mapv(f64::from);
    let err = elementwise_rel_err(&ev, &load1("iris_explained_variance"));
    assert!(err <= F32_TOL, "f32 explained variance: {err:.3e}");
    let z = pca.transform(&x).unwrap().mapv(f64::from);
    let err = max_rel_err(&z, &load2("iris_transform"));
    assert!(err <= F32_TOL, "f32 transform: {err:.3e}");
}

// ----------------------------------------------------------------------------------- layouts

#[test]
fn layouts_give_the_same_fit() {
    let x = iris();
    let base = Pca::new(3).solver(PcaSolver::Full).fit(&x).unwrap();
    let fortran = x.t().as_standard_layout().t().to_owned();
    let transposed_twice = x.t().to_owned();
    let reversed_rows = x.slice(s![..;-1, ..]);
    let variants: Vec<(&str, ArrayView2<'_, f64>)> = vec![
        ("F order", fortran.view()),
        ("transposed view", transposed_twice.t()),
        ("negative row stride", reversed_rows),
    ];
    for solver in [
        PcaSolver::Full,
        PcaSolver::CovarianceEigh,
        PcaSolver::Randomized {
            oversample: 5,
            n_iter: 2,
            seed: 9,
        },
    ] {
        for (what, v) in &variants {
            let pca = Pca::new(3).solver(solver).fit(v).unwrap();
            let err = max_rel_err(&pca.components(), &base.components());
            assert!(
                err <= EXACT_TOL,
                "{what} {solver:?}: components differ by {err:.3e}"
            );
            let err = max_rel_err(&pca.explained_variance(), &base.explained_variance());
            assert!(
                err <= EXACT_TOL,
                "{what} {solver:?}: variances differ by {err:.3e}"
            );
            let err = max_rel_err(&pca.transform(v).unwrap(), &base.transform(v).unwrap());
            assert!(
                err <= EXACT_TOL,
                "{what} {solver:?}: transform differs by {err:.3e}"
            );
        }
    }
    // A strided (every other row) view fits like its contiguous copy.
    let strided = x.slice(s![..;2, ..]);
    let a = Pca::new(2).fit(&strided).unwrap();
    let b = Pca::new(2).fit(&strided.to_owned()).unwrap();
    assert!(max_rel_err(&a.components(), &b.components()) <= EXACT_TOL);
    // Reversing the feature order permutes the columns of the components.
    let flipped = Pca::new(3)
        .solver(PcaSolver::Full)
        .fit(&x.slice(s![.., ..;-1]))
        .unwrap();
    let err = max_rel_err(
        &flipped.components().slice(s![.., ..;-1]),
        &base.components(),
    );
    assert!(err <= EXACT_TOL, "reversed features: {err:.3e}");
}

// --------------------------------------------------------------------------- solvers agree

/// Leading components of `got` against `want`, with tolerance `tol`.
fn check_agreement(what: &str, got: &FittedPca<f64>, want: &FittedPca<f64>, tol: f64) {
    let errs = [
        elementwise_rel_err(&got.explained_variance(), &want.explained_variance()),
        elementwise_rel_err(
            &got.explained_variance_ratio(),
            &want.explained_variance_ratio(),
        ),
        elementwise_rel_err(&got.singular_values(), &want.singular_values()),
        max_rel_err(&got.components(), &want.components()),
    ];
    println!(
        "{what}: variance, ratio, singular values, components errors {:.2e}, {:.2e}, {:.2e}, {:.2e}",
        errs[0], errs[1], errs[2], errs[3]
    );
    for e in errs {
        assert!(e <= tol, "{what}: error {e:.3e} > {tol:.0e}");
    }
}

/// CovarianceEigh on the gapped data: the singular vectors of interest have gaps
/// σᵢ² − σᵢ₊₁² ≥ 0.36·σᵢ² ≥ 0.36·(0.8⁹)²·σ₁² ≈ 0.0065·σ₁² between them (and far more to the noise),
/// and syevd's eigenvector error is ≲ p(d)·ε·‖C‖/gap ≈ 100·2.2e-16/0.0065 ≈ 3.4e-12; the
/// forming of C adds an error of the same order. 1e-9 leaves a factor of ~300.
const EIGH_TOL: f64 = 1e-9;

/// Randomized with q power iterations: the error decays like (σₗ₊₁/σₖ)^(2q+1) (Halko et al.
/// 2011, §10.4). The noise (uniform on [−1, 1], standard deviation 1/√3) has spectral norm
/// ≈ (√n + √d)/√3, so σₗ₊₁/σₖ ≤ 15.5/127 ≈ 0.12 for 90×300 and 25/464 ≈ 0.054 for 1200×80;
/// with q = 4 that is (0.12)⁹ ≈ 5e-9, amplified by at most σ₁/σₖ = 0.8⁻⁹ ≈ 7.5 for the
/// components: ≈ 4e-8 (observed 2e-9). 1e-7 is the bound with a small margin; a real defect
/// (no re-orthonormalisation, a wrong transpose) gives errors of order 1.
const RANDOMIZED_TOL: f64 = 1e-7;

#[test]
fn covariance_eigh_and_randomized_agree_with_full() {
    let mut rng = rng(7);
    // Tall (n > d: covariance route) and wide (n < d: randomized works on the transpose).
    for (n, d) in [(1200, 80), (90, 300)] {
        let x = gapped(&mut rng, n, d, 10);
        let full = Pca::new(10).solver(PcaSolver::Full).fit(&x).unwrap();
        check_components(full.components(), EXACT_TOL);
        let eigh = Pca::new(10)
            .solver(PcaSolver::CovarianceEigh)
            .fit(&x)
            .unwrap();
        check_components(eigh.components(), EXACT_TOL);
        check_agreement(&format!("eigh {n}x{d}"), &eigh, &full, EIGH_TOL);
        let randomized = PcaSolver::Randomized {
            oversample: 10,
            n_iter: 4,
            seed: 42,
        };
        let rand = Pca::new(10).solver(randomized).fit(&x).unwrap();
        check_components(rand.components(), EXACT_TOL);
        check_agreement(&format!("randomized {n}x{d}"), &rand, &full, RANDOMIZED_TOL);
        // Same seed, same result.
        let again = Pca::new(10).solver(randomized).fit(&x).unwrap();
        assert_eq!(rand.components(), again.components());
        // The transforms agree as well.
        let err = max_rel_err(&rand.transform(&x).unwrap(), &full.transform(&x).unwrap());
        assert!(
            err <= RANDOMIZED_TOL,
            "randomized transform {n}x{d}: {err:.3e}"
        );
    }
}

#[test]
fn randomized_on_digits_captures_the_leading_variance() {
    // Real data without a large gap: the default scikit-learn settings (10 oversamples,
    // 7 power iterations for k < 0.1·min) still give the leading variances closely.
    let x = digits();
    let full = Pca::new(5).solver(PcaSolver::Full).fit(&x).unwrap();
    let rand = Pca::new(5)
        .solver(PcaSolver::Randomized {
            oversample: 10,
            n_iter: 7,
            seed: 0,
        })
        .fit(&x)
        .unwrap();
    // σ₁₆/σ₅ = √(15.9/69.5) ≈ 0.48 and (0.48)¹⁵ ≈ 2e-5: the variances (a Rayleigh quotient,
    // error squared) are much better than that; 1e-4 is a safe bound.
    let err = elementwise_rel_err(&rand.explained_variance(), &full.explained_variance());
    assert!(err <= 1e-4, "randomized digits variances: {err:.3e}");
    // The ratio uses the total variance of the data, not of the kept components.
    let err = elementwise_rel_err(
        &rand.explained_variance_ratio(),
        &full.explained_variance_ratio(),
    );
    assert!(err <= 1e-4, "randomized digits ratios: {err:.3e}");
}

#[test]
fn auto_chooses_like_sklearn() {
    let mut rng = rng(3);
    let cases = [
        // n ≥ 10·d and d ≤ 1000: covariance.
        ((2000, 100), 10, PcaSolver::CovarianceEigh),
        // small: full.
        ((300, 200), 10, PcaSolver::Full),
        // large, k < 0.1·min: randomized with 7 iterations.
        (
            (600, 800),
            10,
            PcaSolver::Randomized {
                oversample: 10,
                n_iter: 7,
                seed: 0,
            },
        ),
        // large, 0.1·min ≤ k < 0.8·min: randomized with 4 iterations.
        (
            (600, 800),
            100,
            PcaSolver::Randomized {
                oversample: 10,
                n_iter: 4,
                seed: 0,
            },
        ),
        // large, k ≥ 0.8·min: full.
        ((600, 800), 480, PcaSolver::Full),
    ];
    for ((n, d), k, want) in cases {
        let x = Array2::from_shape_simple_fn((n, d), || rng.random_range(-1.0..=1.0));
        let pca = Pca::new(k).fit(&x).unwrap();
        assert_eq!(pca.solver(), want, "{n}x{d}, k = {k}");
        check_components(pca.components(), 1e-8);
    }
}

#[test]
fn f32_solvers_agree() {
    // The gapped data in f32: every solver within the f32 analogue of the f64 bounds above
    // (ε₃₂ = 1.2e-7 instead of 2.2e-16, i.e. ~1e-5 for the eigh route, whose error is
    // ε·σ₁²/gap ≈ 150·ε₃₂ here, and the randomized subspace error 5e-9 is then below rounding).
    // 1e-3 leaves an order of magnitude.
    const TOL32: f64 = 1e-3;
    let mut rng = rng(21);
    let x = gapped(&mut rng, 600, 40, 5).mapv(|v| v as f32);
    let full = Pca::new(5).solver(PcaSolver::Full).fit(&x).unwrap();
    let solvers = [
        PcaSolver::CovarianceEigh,
        PcaSolver::Randomized {
            oversample: 10,
            n_iter: 4,
            seed: 3,
        },
    ];
    for solver in solvers {
        let other = Pca::new(5).solver(solver).fit(&x).unwrap();
        let (a, b) = (
            other.components().mapv(f64::from),
            full.components().mapv(f64::from),
        );
        let err = max_rel_err(&a, &b);
        assert!(err <= TOL32, "{solver:?} f32 components: {err:.3e}");
        let (a, b) = (
            other.explained_variance().mapv(f64::from),
            full.explained_variance().mapv(f64::from),
        );
        let err = elementwise_rel_err(&a, &b);
        assert!(err <= TOL32, "{solver:?} f32 variances: {err:.3e}");
    }
}

#[test]
fn transform_accepts_any_layout() {
    let x = digits();
    let pca = Pca::new(5).fit(&x).unwrap();
    let want = pca.transform(&x).unwrap();
    let fortran = x.t().as_standard_layout().t().to_owned();
    let err = max_rel_err(&pca.transform(&fortran).unwrap(), &want);
    assert!(err <= EXACT_TOL, "F-order transform: {err:.3e}");
    let reversed = pca.transform(&x.slice(s![..;-1, ..])).unwrap();
    let err = max_rel_err(&reversed.slice(s![..;-1, ..]), &want);
    assert!(err <= EXACT_TOL, "negative-stride transform: {err:.3e}");
    let strided = pca.transform(&x.slice(s![..;3, ..])).unwrap();
    let err = max_rel_err(&strided, &want.slice(s![..;3, ..]));
    assert!(err <= EXACT_TOL, "strided transform: {err:.3e}");
    let z = want.t().as_standard_layout().t().to_owned();
    let err = max_rel_err(
        &pca.inverse_transform(&z).unwrap(),
        &pca.inverse_transform(&want).unwrap(),
    );
    assert!(err <= EXACT_TOL, "F-order inverse_transform: {err:.3e}");
}

// ---------------------------------------------------------------------------------- whitening

#[test]
fn whitening_gives_unit_variance_and_exact_inverse() {
    let x = digits();
    // The randomized sketch is given 44 extra columns so that it spans all 64 features: then
    // its components are exact and the whitened covariance is exactly the identity.
    for solver in [
        PcaSolver::Full,
        PcaSolver::CovarianceEigh,
        PcaSolver::Randomized {
            oversample: 44,
            n_iter: 2,
            seed: 9,
        },
    ] {
        let pca = Pca::new(20).whiten(true).solver(solver).fit(&x).unwrap();
        let z = pca.transform(&x).unwrap();
        // Columns have zero mean, unit variance (n−1 denominator) and are uncorrelated.
        let cov = z.t().dot(&z) / (x.nrows() as f64 - 1.0);
        let err = max_rel_err(&cov, &Array2::eye(20));
        assert!(
            err <= EXACT_TOL,
            "{solver:?}: whitened covariance off identity by {err:.3e}"
        );
        let mean_err = z
            .mean_axis(Axis(0))
            .unwrap()
            .iter()
            .fold(0.0_f64, |m, v| m.max(v.abs()));
        assert!(
            mean_err <= EXACT_TOL,
            "{solver:?}: whitened mean {mean_err:.3e}"
        );
        // inverse_transform undoes the whitening: the result equals the plain reconstruction.
        let plain = Pca::new(20).solver(solver).fit(&x).unwrap();
        let back = pca.inverse_transform(&z).unwrap();
        let want = plain
            .inverse_transform(&plain.transform(&x).unwrap())
            .unwrap();
        let err = max_rel_err(&back, &want);
        assert!(
            err <= EXACT_TOL,
            "{solver:?}: whitened round trip {err:.3e}"
        );
    }
}

#[test]
fn round_trip_is_exact_with_all_components() {
    let x = iris();
    for whiten in [false, true] {
        let pca = Pca::new(4).whiten(whiten).fit(&x).unwrap();
        let back = pca.inverse_transform(&pca.transform(&x).unwrap()).unwrap();
        let err = max_rel_err(&back, &x);
        assert!(err <= EXACT_TOL, "whiten = {whiten}: round trip {err:.3e}");
    }
}

#[test]
fn rank_deficient_whitening_stays_finite() {
    // Digits has 3 constant pixels: 61 non-zero variances out of 64. Keeping all 64 components
    // includes zero-variance ones; their whitening scale is clipped at ε (as in scikit-learn).
    let x = digits();
    let pca = Pca::new(64)
        .whiten(true)
        .solver(PcaSolver::Full)
        .fit(&x)
        .unwrap();
    assert!(pca.explained_variance()[63] < 1e-20);
    let z = pca.transform(&x).unwrap();
    assert!(z.iter().all(|v| v.is_finite()));
    let back = pca.inverse_transform(&z).unwrap();
    // Relative to the data's scale (pixel values up to 16).
    let err = max_rel_err(&back, &x);
    assert!(err <= EXACT_TOL, "rank-deficient round trip {err:.3e}");
}

// ------------------------------------------------------------------------------- invariants

#[test]
fn invariants_on_random_data() {
    let mut rng = rng(11);
    for (n, d) in [(2, 1), (2, 5), (5, 2), (3, 3), (40, 7), (7, 40), (129, 65)] {
        let x = Array2::from_shape_simple_fn((n, d), || rng.random_range(-1.0..=1.0));
        let k = n.min(d);
        for solver in [
            PcaSolver::Full,
            PcaSolver::CovarianceEigh,
            PcaSolver::Randomized {
                oversample: 5,
                n_iter: 2,
                seed: 9,
            },
        ] {
            let pca = Pca::new(k).solver(solver).fit(&x).unwrap();
            let ev = pca.explained_variance();
            assert!(
                ev.windows(2).into_iter().all(|w| w[0] >= w[1]),
                "{solver:?}: not descending"
            );
            assert!(ev.iter().all(|&v| v >= 0.0));
            // singular_values² / (n − 1) = explained_variance.
            let sv2 = pca.singular_values().mapv(|v| v * v / (n as f64 - 1.0));
            assert!(max_rel_err(&sv2, &ev) <= EXACT_TOL, "{solver:?} {n}x{d}");
            // All components kept (and full rank here): the ratios sum to 1.
            let total: f64 = pca.explained_variance_ratio().sum();
            assert!(
                (total - 1.0).abs() <= EXACT_TOL,
                "{solver:?} {n}x{d}: ratios sum to {total}"
            );
            if n > d {
                // Full rank: the components form an orthonormal basis.
                check_components(pca.components(), EXACT_TOL);
            }
        }
    }
}

#[test]
fn ratio_uses_the_total_variance() {
    // Keeping 1 of 4 components: the ratio is over all four variances.
    let x = iris();
    let one = Pca::new(1).solver(PcaSolver::Full).fit(&x).unwrap();
    let ratio = load1("iris_ratio");
    assert!((one.explained_variance_ratio()[0] - ratio[0]).abs() <= VARIANCE_TOL * ratio[0]);
    let rand = Pca::new(1)
        .solver(PcaSolver::Randomized {
            oversample: 3,
            n_iter: 4,
            seed: 1,
        })
        .fit(&x)
        .unwrap();
    // With oversample 3 the sketch spans all 4 dimensions: exact up to rounding.
    assert!((rand.explained_variance_ratio()[0] - ratio[0]).abs() <= VARIANCE_TOL * ratio[0]);
}

#[test]
fn constant_data_has_zero_variance() {
    // As scikit-learn: zero variances; the ratio is 0/0 = NaN.
    let x = Array2::from_elem((5, 3), 2.5);
    let pca = Pca::new(2).solver(PcaSolver::Full).fit(&x).unwrap();
    assert!(pca.explained_variance().iter().all(|&v| v == 0.0));
    assert!(pca
        .explained_variance_ratio()
        .iter()
        .all(|v: &f64| v.is_nan()));
    assert_eq!(pca.mean(), ndarray::array![2.5, 2.5, 2.5]);
    assert!(pca.transform(&x).unwrap().iter().all(|&v| v == 0.0));
}

#[test]
fn large_offset_is_centred_accurately() {
    // 1e8 added to every entry: the two-pass mean keeps the variances at full accuracy.
    let x = iris();
    let shifted = &x + 1e8;
    let a = Pca::new(4).solver(PcaSolver::Full).fit(&x).unwrap();
    let b = Pca::new(4).solver(PcaSolver::Full).fit(&shifted).unwrap();
    // Each entry of the shifted data is rounded to ulp(1e8)/2 ≈ 7.5e-9 on input; relative to
    // the smallest standard deviation (√0.024 ≈ 0.15) that is 5e-8 — the bound is set by the
    // input rounding, not by the algorithm.
    let err = elementwise_rel_err(&b.explained_variance(), &a.explained_variance());
    assert!(err <= 1e-6, "shifted variances: {err:.3e}");
}

/// The far-from-the-origin data: 3000 × 43 (8 blocks of rows, the last one short; five full
/// tiles of 8 columns and a short one) of gapped data with 5 components of standard deviation
/// ≈ 0.8ⁱ·`spread` and noise `spread`/100, and the column offsets, from 10⁶ to 10⁸, to add.
fn far_data(spread: f64) -> (Array2<f64>, Array1<f64>) {
    let (n, d) = (3000, 43);
    let mut rng = rng(31);
    let y = gapped(&mut rng, n, d, 5) * (spread / 100.0);
    let offsets = Array1::from_shape_fn(d, |j| 10f64.powf(6.0 + 2.0 * j as f64 / (d - 1) as f64));
    (y, offsets)
}

/// The covariance route far from the origin, for `T` = f32/f64: [`far_data`] in C order,
/// F order, a view strided in both axes and with the rows reversed. Returns the largest error
/// against the full solver on the same data.
///
/// Both passes of the covariance route work with x − m, m the first mean estimate: when the
/// offset dominates, m is within a factor 2 of every entry of its column, so x − m is exact
/// (Sterbenz) and only as large as the spread; the correction n·r·rᵀ (r the mean residual) is
/// of the size of m's error, not of the offset. So the error is that of data at the origin, the
/// same as the full solver's: ε·σ₁²/gap for the components (see `EIGH_TOL`). Forming
/// XᵀX − n·μμᵀ directly would cancel (offset/spread)² ≥ 10⁸ of it, more than 1/ε₃₂, and give
/// errors of order 1 (and of 10⁻⁵ even in f64 at offset/spread = 10⁸: 10¹⁶·ε₆₄).
fn check_far_from_the_origin<T: ndkit::Real>(spread: f64, tol: f64) -> f64
where
    f64: From<T>,
{
    let (y, offsets) = far_data(spread);
    let ((n, d), k) = (y.dim(), 5);
    let x = (&y + &offsets).mapv(T::from_f64_nearest);
    let fortran = x.t().as_standard_layout().t().to_owned();
    let mut padded = Array2::<T>::zeros((2 * n, 3 * d));
    padded.slice_mut(s![..;2, ..;3]).assign(&x);
    let layouts: [(&str, ArrayView2<'_, T>); 4] = [
        ("C order", x.view()),
        ("F order", fortran.view()),
        ("strided", padded.slice(s![..;2, ..;3])),
        ("reversed rows", x.slice(s![..;-1, ..])),
    ];
    let full = Pca::new(k).solver(PcaSolver::Full).fit(&x).unwrap();
    let want_components = full.components().mapv(f64::from);
    let want_variance = full.explained_variance().mapv(f64::from);
    // The mean of the stored data is within ε/2·|x| of mean(y) + offset (input rounding); μ's
    // own rounding adds ε/2·|μ| and the two passes' sums of residuals ≲ n·ε·(column spread).
    let want_mean = y.mean_axis(Axis(0)).unwrap() + &offsets;
    let column_spread = y.std_axis(Axis(0), 0.0);
    let eps = f64::from(T::epsilon());
    let c_order = Pca::new(k)
        .solver(PcaSolver::CovarianceEigh)
        .fit(&x)
        .unwrap();
    let mut worst = 0.0_f64;
    for (what, v) in layouts {
        let pca = Pca::new(k)
            .solver(PcaSolver::CovarianceEigh)
            .fit(&v)
            .unwrap();
        let errors = [
            max_rel_err(&pca.components().mapv(f64::from), &want_components),
            elementwise_rel_err(&pca.explained_variance().mapv(f64::from), &want_variance),
        ];
        for e in errors {
            assert!(
                e <= tol,
                "{what}: error {e:.3e} against the full solver (tol {tol:.0e})"
            );
            worst = worst.max(e);
        }
        for ((&got, &want), &sd) in pca.mean().iter().zip(&want_mean).zip(&column_spread) {
            let bound = eps * (2.0 * want.abs() + n as f64 * sd);
            let err = (f64::from(got) - want).abs();
            assert!(
                err <= bound,
                "{what}: mean {got} vs {want} (bound {bound:.2e})"
            );
        }
        if what != "reversed rows" {
            // Each column is summed row after row in every layout: the same mean bit for bit.
            assert_eq!(pca.mean(), c_order.mean(), "{what}");
        }
    }
    worst
}

/// f64 against the full solver: the bound of `EIGH_TOL` (the offsets add nothing, see above).
#[test]
fn covariance_eigh_is_accurate_far_from_the_origin_f64() {
    let worst = check_far_from_the_origin::<f64>(1.0, EIGH_TOL);
    println!("f64, offset/spread up to 1e8: worst error {worst:.2e}");
    // Against the fit of the data before the offsets were added: those differ by the input
    // rounding, ≤ ulp(10⁸)/2 ≈ 7.5e-9 per entry against a smallest kept standard deviation of
    // ≈ 0.8⁴ ≈ 0.41, i.e. ~2e-8 relative; 1e-6 leaves the margin of
    // `large_offset_is_centred_accurately`.
    let (y, offsets) = far_data(1.0);
    let shifted = &y + &offsets;
    let eigh = Pca::new(5).solver(PcaSolver::CovarianceEigh);
    let (a, b) = (eigh.fit(&y).unwrap(), eigh.fit(&shifted).unwrap());
    let err = elementwise_rel_err(&b.explained_variance(), &a.explained_variance());
    assert!(err <= 1e-6, "shifted variances: {err:.3e}");
    let err = max_rel_err(&b.components(), &a.components());
    assert!(err <= 1e-6, "shifted components: {err:.3e}");
}

/// f32: offsets up to 10⁸ leave f32 a resolution of 8, so the spread is 10⁴ (offset/spread
/// ≤ 10⁴, still 10⁸ of cancellation for XᵀX − n·μμᵀ, beyond f32's 1/ε = 8e6). The bound is
/// `f32_solvers_agree`'s: ε₃₂·σ₁²/gap ≈ 150·ε₃₂ ≈ 2e-5 with an order of magnitude and more.
#[test]
fn covariance_eigh_is_accurate_far_from_the_origin_f32() {
    let worst = check_far_from_the_origin::<f32>(1e4, 1e-3);
    println!("f32, offset/spread up to 1e4: worst error {worst:.2e}");
}

/// Finite entries so large that differences of two of them overflow (±10³⁰⁸, beyond max/2):
/// the mean is still that of the data (here exactly 0 and 2), as before the shifted mean.
#[test]
fn entries_near_overflow_keep_an_exact_mean() {
    let x = ndarray::array![[1e308, 1.0], [-1e308, 3.0]];
    let pca = Pca::new(1).solver(PcaSolver::Full).fit(&x).unwrap();
    assert_eq!(pca.mean(), ndarray::array![0.0, 2.0]);
    // σ₁ = √(2·10⁶¹⁶ + 2) ≈ 1.414e308 is representable (the variance σ²/(n − 1) is not).
    let s = pca.singular_values()[0];
    assert!(
        (s / (2.0_f64.sqrt() * 1e308) - 1.0).abs() <= EXACT_TOL,
        "{s:e}"
    );
}

#[test]
fn empty_transform() {
    let x = iris();
    let pca = Pca::new(2).fit(&x).unwrap();
    let z = pca.transform(&Array2::<f64>::zeros((0, 4))).unwrap();
    assert_eq!(z.dim(), (0, 2));
    let back = pca
        .inverse_transform(&Array2::<f64>::zeros((0, 2)))
        .unwrap();
    assert_eq!(back.dim(), (0, 4));
}

// ----------------------------------------------------------------------------------- errors

#[test]
fn bad_inputs_are_errors() {
    let x = iris();
    let fit = |pca: Pca, x: ArrayView2<'_, f64>| pca.fit(&x).unwrap_err();
    for k in [0, 5] {
        for solver in [
            PcaSolver::Auto,
            PcaSolver::Full,
            PcaSolver::CovarianceEigh,
            PcaSolver::Randomized {
                oversample: 10,
                n_iter: 2,
                seed: 0,
            },
        ] {
            match fit(Pca::new(k).solver(solver), x.view()) {
                Error::InvalidArgument { op, message } => {
                    assert_eq!(op, "Pca::fit");
                    assert!(message.contains("n_components"), "{message}");
                }
                other => panic!("k = {k}: {other:?}"),
            }
        }
    }
    // Fewer than 2 samples.
    for rows in [0, 1] {
        match fit(Pca::new(1), x.slice(s![..rows, ..])) {
            Error::InvalidShape { op, shape, .. } => {
                assert_eq!((op, shape), ("Pca::fit", vec![rows, 4]));
            }
            other => panic!("{rows} rows: {other:?}"),
        }
    }
    // No features: n_components ≥ 1 exceeds min(n, 0) = 0.
    assert!(matches!(
        fit(Pca::new(1), Array2::<f64>::zeros((5, 0)).view()),
        Error::InvalidArgument { op: "Pca::fit", .. }
    ));
    // NaN and infinity.
    for bad in [f64::NAN, f64::INFINITY] {
        let mut y = x.clone();
        y[[7, 2]] = bad;
        assert_eq!(
            fit(Pca::new(2), y.view()),
            Error::NonFinite {
                op: "Pca::fit",
                shape: vec![150, 4]
            }
        );
    }
    // NaN and ±∞ wherever they are (the first row is the shift of the mean's first pass; ±∞
    // in one column sum to NaN), in every layout and both precisions, for every solver.
    let fortran = x.t().as_standard_layout().t().to_owned();
    for (row, col, bad) in [
        (0, 0, f64::NAN),
        (0, 3, f64::INFINITY),
        (149, 1, f64::NEG_INFINITY),
        (70, 2, f64::NAN),
    ] {
        for solver in [PcaSolver::Full, PcaSolver::CovarianceEigh] {
            let pca = Pca::new(2).solver(solver);
            let mut c = x.clone();
            c[[row, col]] = bad;
            let mut f = fortran.clone();
            f[[row, col]] = bad;
            let mut padded = Array2::<f64>::zeros((300, 8));
            padded.slice_mut(s![..;2, ..;2]).assign(&c);
            let mut both = c.clone();
            both[[(row + 1) % 150, col]] = f64::INFINITY;
            both[[(row + 2) % 150, col]] = f64::NEG_INFINITY;
            let want = Error::NonFinite {
                op: "Pca::fit",
                shape: vec![150, 4],
            };
            for v in [
                c.view(),
                f.view(),
                padded.slice(s![..;2, ..;2]),
                both.view(),
            ] {
                assert_eq!(pca.fit(&v).unwrap_err(), want, "{bad} at ({row}, {col})");
            }
            let single = c.mapv(|v| v as f32);
            assert_eq!(
                pca.fit(&single).unwrap_err(),
                want,
                "f32 {bad} at ({row}, {col})"
            );
        }
    }
    // Feature-count mismatch in transform, component-count mismatch in inverse_transform.
    let pca = Pca::new(2).fit(&x).unwrap();
    assert_eq!(
        pca.transform(&Array2::<f64>::zeros((3, 5))).unwrap_err(),
        Error::IncompatibleShapes {
            op: "FittedPca::transform",
            lhs: vec![3, 5],
            rhs: vec![4, 2]
        }
    );
    assert_eq!(
        pca.inverse_transform(&Array2::<f64>::zeros((3, 4)))
            .unwrap_err(),
        Error::IncompatibleShapes {
            op: "FittedPca::inverse_transform",
            lhs: vec![3, 4],
            rhs: vec![2, 4]
        }
    );
    let mut y = x.slice(s![..3, ..]).to_owned();
    y[[0, 0]] = f64::NAN;
    assert!(matches!(
        pca.transform(&y).unwrap_err(),
        Error::NonFinite {
            op: "FittedPca::transform",
            ..
        }
    ));
}

#[test]
fn extreme_oversampling_is_capped() {
    // oversample beyond min(n, d) (even usize::MAX) uses the whole space: exact.
    let x = iris();
    let full = Pca::new(2).solver(PcaSolver::Full).fit(&x).unwrap();
    let rand = Pca::new(2)
        .solver(PcaSolver::Randomized {
            oversample: usize::MAX,
            n_iter: 0,
            seed: 5,
        })
        .fit(&x)
        .unwrap();
    check_agreement("capped oversampling", &rand, &full, EXACT_TOL);
}
