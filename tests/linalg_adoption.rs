//! `svd_with`, `randomized_svd` and `lobpcg` (the linalg functions asked for by adopters, issue
//! 16), tested the LAPACK way and against scikit-learn.
//!
//! - `svd_with`: every job equals `svd`/`svdvals` (the same `?gesdd`) in every dtype and
//!   layout, with LAPACK-style normalised ratios (residual / (‖A‖·max(m, n)·ε), orthogonality /
//!   (k·ε)) on random, rank-deficient and Hilbert input, NumPy's empty shapes and NaN rejected.
//! - `randomized_svd`: against `sklearn.utils.extmath.randomized_svd` on low-rank-plus-noise
//!   data (`tests/adoption_reference/generate.py`), orthonormal factors, near-optimal
//!   reconstruction, layouts, seeds and errors.
//! - `lobpcg`: against `eigh` on the 1-D Laplacian and a random SPD matrix, both ends, and its
//!   errors.

mod common;

use common::{
    eps, f64_of, fro, fro_diff, hilbert, laid_all, orthogonality_ratio, random_matrix,
    rank_deficient, rng, TestScalar, LAYOUTS,
};
use ndarray::{s, Array1, Array2, ArrayView2};
use ndarray_npy::read_npy;
use ndkit::linalg::{
    eigh, lobpcg, randomized_svd, svd, svd_with, svdvals, Lobpcg, RandomizedSvd, Svd, SvdJob,
    SvdParts, Which, UPLO,
};
use ndkit::{Error, Real, Scalar};
use num_traits::Float;

/// LAPACK's test-driver threshold for a normalised ratio (`THRESH` = 30 in `svd.in`): a
/// backward-stable routine keeps it O(1); a real defect gives ratios of 1/ε.
const THRESH: f64 = 30.0;

const JOBS: [SvdJob; 5] = [
    SvdJob::Thin,
    SvdJob::Full,
    SvdJob::VtOnly,
    SvdJob::UOnly,
    SvdJob::ValuesOnly,
];

/// Tall, wide and square, either side of `?gesdd`'s m ≥ 11·n/6 switch to a QR first (40×13
/// and 13×40 take it, 7×5 does not), and vectors.
const SHAPES: [(usize, usize); 8] = [
    (7, 5),
    (5, 7),
    (6, 6),
    (40, 13),
    (13, 40),
    (1, 4),
    (4, 1),
    (1, 1),
];

/// ‖A − U·diag(s)·Vᴴ‖_F / (‖A‖_F·max(m, n)·ε).
fn backward_ratio<T: Scalar>(
    a: &ArrayView2<T>,
    u: &Array2<T>,
    s: &Array1<T::Real>,
    vt: &Array2<T>,
) -> f64 {
    let k = s.len();
    let us = Array2::from_shape_fn((u.nrows(), k), |(i, j)| u[[i, j]] * s[j]);
    let back = us.dot(&vt.slice(s![..k, ..]));
    let (m, n) = a.dim();
    fro_diff(a, &back) / (fro(a).max(f64::MIN_POSITIVE) * m.max(n) as f64 * eps::<T>())
}

/// Largest |x − y| over two arrays of the same shape.
fn max_abs_diff<T: Scalar>(x: &Array2<T>, y: &Array2<T>) -> f64 {
    assert_eq!(x.dim(), y.dim(), "shapes");
    x.iter()
        .zip(y)
        .map(|(&p, &q)| f64_of((p - q).norm()))
        .fold(0.0, f64::max)
}

/// [`max_abs_diff`] / (scale·max(m, n)·ε).
fn max_ratio<T: Scalar>(x: &Array2<T>, y: &Array2<T>, scale: f64) -> f64 {
    let n = x.nrows().max(x.ncols()).max(1) as f64;
    max_abs_diff(x, y) / (scale * n * eps::<T>())
}

fn lift<T: TestScalar>(a: &Array2<f64>) -> Array2<T> {
    a.mapv(|x| T::make(x, 0.0))
}

// ----------------------------------------------------------------------------------- svd_with

/// The matrices every job is run on: random, rank-deficient (rank 2) and, when square, Hilbert.
fn zoo<T: TestScalar>(m: usize, n: usize, seed: u64) -> Vec<(&'static str, Array2<T>)> {
    let mut g = rng(seed);
    let mut out = vec![("random", random_matrix::<T>(&mut g, m, n))];
    if m.min(n) > 2 {
        out.push(("rank 2", rank_deficient::<T>(&mut g, m, n, 2)));
    }
    if m == n {
        out.push(("hilbert", hilbert::<T>(n)));
    }
    out
}

/// Every job in every layout gives `svd`'s parts (the same driver: identical for `Thin`,
/// `Full`, `ValuesOnly`; to rounding for `UOnly`/`VtOnly`, whose jobz 'O' path differs inside
/// `?gesdd`), and those parts are a backward-stable SVD.
fn svd_with_matches_svd<T: TestScalar>() {
    let mut worst = [0.0_f64; 3]; // [vs svd, backward, orthogonality]
    let (mut compared, mut identical) = (0usize, 0usize);
    for (seed, &(m, n)) in SHAPES.iter().enumerate() {
        for (what, a) in zoo::<T>(m, n, 100 + seed as u64) {
            let thin = svd(&a, false).unwrap();
            let full = svd(&a, true).unwrap();
            let values = svdvals(&a).unwrap();
            let s0 = f64_of(values[0]).max(f64::MIN_POSITIVE);
            for laid in laid_all(&a, &LAYOUTS) {
                let view = laid.view();
                for job in JOBS {
                    let ctx = format!("{} {m}×{n} {what} {:?} {job:?}", T::NAME, laid.layout);
                    let SvdParts { u, s, vt } = svd_with(&view, job).unwrap();
                    let ds = s
                        .iter()
                        .zip(&values)
                        .map(|(&x, &y)| f64_of((x - y).abs()))
                        .fold(0.0, f64::max)
                        / (s0 * m.max(n) as f64 * eps::<T>());
                    assert!(
                        ds <= THRESH,
                        "{ctx}: singular values differ from svdvals by {ds:.2}"
                    );
                    let (want_u, want_vt) = match job {
                        SvdJob::Thin => (Some(&thin.u), Some(&thin.vt)),
                        SvdJob::Full => (Some(&full.u), Some(&full.vt)),
                        SvdJob::UOnly => (Some(&thin.u), None),
                        SvdJob::VtOnly => (None, Some(&thin.vt)),
                        SvdJob::ValuesOnly => (None, None),
                    };
                    assert_eq!(u.is_some(), want_u.is_some(), "{ctx}: u presence");
                    assert_eq!(vt.is_some(), want_vt.is_some(), "{ctx}: vt presence");
                    // Vectors of (numerically) repeated or zero singular values are not unique:
                    // compare only those of the rank-revealing part with a clear gap.
                    let sv: Vec<f64> = values.iter().map(|&x| f64_of(x)).collect();
                    let unique = |j: usize| {
                        let gap = |i: usize| (sv[j] - sv[i]).abs();
                        let tol = 1e3 * eps::<T>() * s0 * m.max(n) as f64;
                        sv[j] > tol
                            && (j == 0 || gap(j - 1) > 1e-3 * s0)
                            && (j + 1 >= sv.len() || gap(j + 1) > 1e-3 * s0)
                    };
                    let k = sv.len();
                    for (got, want, columns) in [(&u, want_u, true), (&vt, want_vt, false)] {
                        let (Some(got), Some(want)) = (got, want) else {
                            continue;
                        };
                        assert_eq!(got.dim(), want.dim(), "{ctx}: factor shape");
                        for j in (0..k).filter(|&j| unique(j)) {
                            let (g, w) = if columns {
                                (got.slice(s![.., j..j + 1]), want.slice(s![.., j..j + 1]))
                            } else {
                                (got.slice(s![j..j + 1, ..]), want.slice(s![j..j + 1, ..]))
                            };
                            // A singular vector's error is ~ε·s₀/gap (gap ≥ 10⁻³·s₀ here).
                            let r = max_ratio(&g.to_owned(), &w.to_owned(), 1e3);
                            compared += 1;
                            identical += usize::from(g == w);
                            worst[0] = worst[0].max(r);
                            assert!(
                                r <= THRESH,
                                "{ctx}: vector {j} differs from svd's by {r:.2}"
                            );
                        }
                    }
                    if let Some(u) = &u {
                        let r = orthogonality_ratio(&u.slice(s![.., ..k.min(u.ncols())]));
                        worst[2] = worst[2].max(r);
                        assert!(r <= THRESH, "{ctx}: U orthogonality {r:.2}");
                    }
                    if let Some(vt) = &vt {
                        let r = orthogonality_ratio(&vt.t());
                        worst[2] = worst[2].max(r);
                        assert!(r <= THRESH, "{ctx}: V orthogonality {r:.2}");
                    }
                    if let (Some(u), Some(vt)) = (&u, &vt) {
                        let r = backward_ratio(&view, &u.slice(s![.., ..k]).to_owned(), &s, vt);
                        worst[1] = worst[1].max(r);
                        assert!(r <= THRESH, "{ctx}: backward ratio {r:.2}");
                    }
                    // One factor: its product with A gives the other, scaled by s (Uᴴ·A = Σ·Vᴴ,
                    // A·V = U·Σ), so the single factor is checked against A itself too.
                    if job == SvdJob::UOnly || job == SvdJob::VtOnly {
                        let residual = if let Some(u) = &u {
                            let uha = common::conj_t(u).dot(&a);
                            let svt =
                                Array2::from_shape_fn(uha.dim(), |(i, j)| thin.vt[[i, j]] * s[i]);
                            fro_diff(&uha, &svt)
                        } else {
                            let vt = vt.as_ref().unwrap();
                            let av = a.dot(&common::conj_t(vt));
                            let us =
                                Array2::from_shape_fn(av.dim(), |(i, j)| thin.u[[i, j]] * s[j]);
                            fro_diff(&av, &us)
                        };
                        let r = residual / (fro(&a) * m.max(n) as f64 * eps::<T>() * 1e3);
                        assert!(r <= THRESH, "{ctx}: single-factor residual {r:.2}");
                    }
                }
            }
        }
    }
    eprintln!(
        "svd_with {}: worst vs svd {:.3} ({identical} of {compared} vectors bit for bit), \
         backward {:.3}, orthogonality {:.3}",
        T::NAME,
        worst[0],
        worst[1],
        worst[2]
    );
}
dtype_tests!(svd_with_matches_svd => svd_with_matches_svd);

/// Empty inputs have NumPy's shapes: empty s, identities for `Full`, a zero-length axis for the
/// thin factors.
fn svd_with_empty<T: TestScalar>() {
    for (m, n) in [(0, 3), (3, 0), (0, 0)] {
        let a = Array2::<T>::zeros((m, n));
        for job in JOBS {
            let SvdParts { u, s, vt } = svd_with(&a, job).unwrap();
            assert_eq!(s.len(), 0);
            let (ushape, vshape) = match job {
                SvdJob::Full => (Some((m, m)), Some((n, n))),
                SvdJob::Thin => (Some((m, 0)), Some((0, n))),
                SvdJob::UOnly => (Some((m, 0)), None),
                SvdJob::VtOnly => (None, Some((0, n))),
                SvdJob::ValuesOnly => (None, None),
            };
            assert_eq!(u.as_ref().map(|u| u.dim()), ushape, "{m}×{n} {job:?} u");
            assert_eq!(vt.as_ref().map(|v| v.dim()), vshape, "{m}×{n} {job:?} vt");
            if job == SvdJob::Full {
                assert_eq!(u.unwrap(), Array2::<T>::eye(m));
                assert_eq!(vt.unwrap(), Array2::<T>::eye(n));
            }
        }
    }
}
dtype_tests!(svd_with_empty => svd_with_empty);

fn svd_with_rejects_non_finite<T: TestScalar>() {
    let mut a = random_matrix::<T>(&mut rng(7), 6, 4);
    for bad in [f64::NAN, f64::INFINITY] {
        a[[2, 1]] = T::make(bad, 0.0);
        for job in JOBS {
            match svd_with(&a, job) {
                Err(Error::NonFinite { op, shape }) => {
                    assert_eq!((op, shape), ("svd_with", vec![6, 4]), "{job:?}")
                }
                other => panic!("{job:?}: expected NonFinite, got {other:?}"),
            }
        }
    }
}
dtype_tests!(svd_with_rejects_non_finite => svd_with_rejects_non_finite);

// ----------------------------------------------------------------------------- randomized_svd

const REFERENCE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/adoption_reference/data/"
);

fn load<A: ndarray_npy::ReadableElement, D: ndarray::Dimension>(
    name: &str,
) -> ndarray::Array<A, D> {
    let path = format!("{REFERENCE}{name}.npy");
    read_npy(&path).unwrap_or_else(|e| {
        panic!("cannot read {path}: {e} (regenerate with tests/adoption_reference/generate.py)")
    })
}

/// ‖sin Θ(X, Y)‖₂ between the column spaces of the orthonormal X and Y: ‖(I − X·Xᴴ)·Y‖₂,
/// bounded here by the Frobenius norm.
fn subspace_sine<T: Scalar>(x: &Array2<T>, y: &Array2<T>) -> f64 {
    let proj = x.dot(&common::conj_t(x).dot(y));
    fro_diff(y, &proj)
}

/// Against scikit-learn's `randomized_svd(a, k, n_oversamples=10, n_iter=4, random_state=0)`
/// on low-rank-plus-noise data (σ = 100, 70, 50, 30, 20, 12, … over noise ≈ 0.2): both
/// methods reach the exact truncated SVD to rounding (the power iterations shrink the error
/// by (0.2/σ_k)⁹), so singular values agree to ~ε·σ₁ and, with svd_flip's sign rule on both
/// sides, the vectors themselves to ~ε·σ₁/gap, gap = 8 (σ₅ − σ₆ in the tall case) or
/// 4 (σ₆ − σ₇ in the wide one): tolerances 10³·ε·σ₁/gap (f64: 3e-11, f32: 1.5e-2 for vectors).
fn randomized_matches_sklearn<T: TestScalar>() {
    for (case, gap) in [("tall", 8.0), ("wide", 4.0)] {
        let a = lift::<T>(&load::<f64, _>(&format!("{case}_a")));
        let k = load::<f64, ndarray::Ix1>(&format!("{case}_k"))[0] as usize;
        let u_ref = lift::<T>(&load::<f64, _>(&format!("{case}_u")));
        let s_ref: Array1<f64> = load(&format!("{case}_s"));
        let vt_ref = lift::<T>(&load::<f64, _>(&format!("{case}_vt")));
        let s_exact: Array1<f64> = load(&format!("{case}_s_exact"));
        let Svd { u, s, vt } = randomized_svd(&a, k, RandomizedSvd::default()).unwrap();
        assert_eq!(
            (u.dim(), s.len(), vt.dim()),
            (u_ref.dim(), k, vt_ref.dim()),
            "{case}"
        );
        let sigma1 = s_ref[0];
        let ds = s
            .iter()
            .zip(&s_ref)
            .map(|(&x, &y)| (f64_of(x) - y).abs())
            .fold(0.0, f64::max);
        let ds_exact = s_ref
            .iter()
            .zip(&s_exact)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f64::max);
        let vector_tol = 1e3 * eps::<T>() * sigma1 / gap;
        let (du, dv) = (max_abs_diff(&u, &u_ref), max_abs_diff(&vt, &vt_ref));
        let (sin_u, sin_v) = (
            subspace_sine(&u_ref, &u),
            subspace_sine(&vt_ref.t().to_owned(), &vt.t().to_owned()),
        );
        eprintln!(
            "randomized_svd {} {case}: |Δs| {ds:.2e} (sklearn vs exact {ds_exact:.2e}), \
             max|ΔU| {du:.2e}, max|ΔVᵀ| {dv:.2e}, sinΘ(U) {sin_u:.2e}, sinΘ(V) {sin_v:.2e}",
            T::NAME
        );
        assert!(
            ds <= 1e3 * eps::<T>() * sigma1,
            "{case}: singular values off by {ds:e}"
        );
        assert!(
            du <= vector_tol && dv <= vector_tol,
            "{case}: vectors off by {du:e}, {dv:e}"
        );
        assert!(
            sin_u <= vector_tol && sin_v <= vector_tol,
            "{case}: subspaces {sin_u:e} {sin_v:e}"
        );
    }
}
dtype_tests!(randomized_matches_sklearn => randomized_matches_sklearn);

/// An exactly rank-r matrix, k = r: the range finder captures the whole range, so the result
/// is a backward-stable SVD of A (normalised ratios as LAPACK's), with orthonormal U and V,
/// whatever the number of power iterations (0–2: no normaliser, 3 and 7: LU), tall and wide;
/// and k < r gives the r-leading singular values (the rest of the spectrum is exactly zero).
fn randomized_exact_low_rank<T: TestScalar>() {
    let mut worst = [0.0_f64; 2];
    for (m, n, r) in [(60, 25, 4), (25, 60, 4), (40, 40, 7)] {
        let a = rank_deficient::<T>(&mut rng(m as u64 * 100 + n as u64), m, n, r);
        let exact = svdvals(&a).unwrap();
        for n_iter in [0, 1, 2, 3, 7] {
            let opts = RandomizedSvd {
                n_iter,
                ..Default::default()
            };
            let ctx = format!("{} {m}×{n} rank {r} n_iter {n_iter}", T::NAME);
            let Svd { u, s, vt } = randomized_svd(&a, r, opts).unwrap();
            let b = backward_ratio(&a.view(), &u, &s, &vt);
            let o = orthogonality_ratio(&u).max(orthogonality_ratio(&vt.t()));
            worst = [worst[0].max(b), worst[1].max(o)];
            assert!(b <= THRESH, "{ctx}: backward ratio {b:.2}");
            assert!(o <= THRESH, "{ctx}: orthogonality ratio {o:.2}");
            let s0 = f64_of(exact[0]);
            for i in 0..r {
                let d = f64_of((s[i] - exact[i]).abs()) / (s0 * m.max(n) as f64 * eps::<T>());
                assert!(d <= THRESH, "{ctx}: s[{i}] off by {d:.2}");
            }
            // Signs: the largest-modulus entry of each column of U is real and positive.
            for col in u.columns() {
                let big = col
                    .iter()
                    .fold(T::zero(), |b, &x| if x.norm() > b.norm() { x } else { b });
                assert!(
                    f64_of(big.re()) > 0.0 && f64_of(big.im().abs()) <= 10.0 * eps::<T>(),
                    "{ctx}: sign {big}"
                );
            }
            let top = randomized_svd(&a, 2, opts).unwrap();
            for i in 0..2 {
                let d = f64_of((top.s[i] - exact[i]).abs()) / (s0 * m.max(n) as f64 * eps::<T>());
                assert!(d <= THRESH, "{ctx}: k = 2, s[{i}] off by {d:.2}");
            }
        }
    }
    eprintln!(
        "randomized_svd {} exact low rank: worst backward {:.3}, orthogonality {:.3}",
        T::NAME,
        worst[0],
        worst[1]
    );
}
dtype_tests!(randomized_exact_low_rank => randomized_exact_low_rank);

/// Every layout gives the same result as C order (to rounding: the products see other strides
/// and BLAS may split its sums by thread count), as does another seed.
fn randomized_layouts_and_seeds<T: TestScalar>() {
    let a = rank_deficient::<T>(&mut rng(11), 30, 18, 5)
        + random_matrix::<T>(&mut rng(12), 30, 18).mapv(|x| x * T::from_f64_nearest(1e-3));
    let reference = randomized_svd(&a, 3, RandomizedSvd::default()).unwrap();
    // Vectors are determined to ~ε·σ₁/gap, gap the smallest separation of σ₁…σ₄.
    let exact = svdvals(&a).unwrap();
    let gap = (0..3)
        .map(|i| f64_of(exact[i] - exact[i + 1]))
        .fold(f64::INFINITY, f64::min);
    let scale = f64_of(exact[0]) / gap;
    for laid in laid_all(&a, &LAYOUTS) {
        let Svd { u, s, vt } = randomized_svd(&laid.view(), 3, RandomizedSvd::default()).unwrap();
        let ctx = format!("{} {:?}", T::NAME, laid.layout);
        let ds = (0..3)
            .map(|i| f64_of((s[i] - reference.s[i]).abs()))
            .fold(0.0, f64::max)
            / (f64_of(reference.s[0]) * 30.0 * eps::<T>());
        assert!(ds <= THRESH, "{ctx}: s differs by {ds:.2}");
        let r = max_ratio(&u, &reference.u, scale).max(max_ratio(&vt, &reference.vt, scale));
        assert!(r <= THRESH, "{ctx}: vectors differ by {r:.2}");
    }
    // Another seed: another test matrix, the same leading triplets to rounding.
    let other = randomized_svd(
        &a,
        3,
        RandomizedSvd {
            seed: 99,
            ..Default::default()
        },
    )
    .unwrap();
    assert_ne!(other.u, reference.u);
    let r = max_ratio(&other.u, &reference.u, scale);
    assert!(r <= THRESH, "{}: seed 99 vectors differ by {r:.2}", T::NAME);
}
dtype_tests!(randomized_layouts_and_seeds => randomized_layouts_and_seeds);

fn randomized_errors<T: TestScalar>() {
    let a = random_matrix::<T>(&mut rng(3), 5, 3);
    for k in [0, 4] {
        match randomized_svd(&a, k, RandomizedSvd::default()) {
            Err(Error::InvalidArgument { op, message }) => {
                assert_eq!(op, "randomized_svd");
                assert!(
                    message.contains(&format!("k = {k}")) && message.contains("5×3"),
                    "{message}"
                );
            }
            other => panic!("k = {k}: expected InvalidArgument, got {other:?}"),
        }
    }
    for shape in [(0, 3), (3, 0), (0, 0)] {
        let empty = Array2::<T>::zeros(shape);
        assert!(matches!(
            randomized_svd(&empty, 1, RandomizedSvd::default()),
            Err(Error::InvalidArgument { .. })
        ));
    }
    let mut bad = a.clone();
    bad[[4, 2]] = T::make(f64::NAN, 0.0);
    assert!(matches!(
        randomized_svd(&bad, 2, RandomizedSvd::default()),
        Err(Error::NonFinite {
            op: "randomized_svd",
            ..
        })
    ));
    // k = min(m, n) with more oversamples than columns: the whole range, exactly.
    let all = randomized_svd(
        &a,
        3,
        RandomizedSvd {
            oversample: 50,
            ..Default::default()
        },
    )
    .unwrap();
    let b = backward_ratio(&a.view(), &all.u, &all.s, &all.vt);
    assert!(
        b <= THRESH,
        "{}: k = min(m, n) backward ratio {b:.2}",
        T::NAME
    );
}
dtype_tests!(randomized_errors => randomized_errors);

// ------------------------------------------------------------------------------------- lobpcg

/// The 1-D Laplacian tridiag(−1, 2, −1) of order n applied to a block, as an operator.
fn laplacian<T: Real>(n: usize) -> impl Fn(ArrayView2<'_, T>) -> Array2<T> {
    move |x: ArrayView2<'_, T>| {
        let two = T::from_f64_nearest(2.0);
        Array2::from_shape_fn(x.raw_dim(), |(i, j)| {
            let up = if i > 0 { x[[i - 1, j]] } else { T::zero() };
            let down = if i + 1 < n { x[[i + 1, j]] } else { T::zero() };
            two * x[[i, j]] - up - down
        })
    }
}

/// LOBPCG's residual floor: ‖A·x − λx‖ cannot go below ~ε·‖A‖·√n. Tolerances: f64 1e-8,
/// f32 1e-3 (‖A‖ ≤ 4 for the Laplacian, ≈ 60 for the SPD matrix: 60·√60·6e-8 ≈ 3e-5).
fn tol<T: Scalar>() -> f64 {
    if eps::<T>() > 1e-10 {
        1e-3
    } else {
        1e-8
    }
}

/// Checks a `lobpcg` result against the dense `eigh` of the same matrix: eigenvalues within
/// tol·‖A‖ (a residual r bounds the eigenvalue error by r), ascending, orthonormal vectors
/// (k·ε ratio as LAPACK's), residuals ≤ tol (plus rounding), and the subspace within
/// Davis–Kahan's bound ‖sin Θ‖_F ≤ ‖R‖_F / gap of eigh's eigenvectors, gap the distance of the
/// wanted eigenvalues to the rest of the spectrum.
fn check_against_eigh<T: Real + TestScalar>(
    what: &str,
    dense: &Array2<T>,
    got: &ndkit::linalg::Eigh<T>,
    which: Which,
    k: usize,
) {
    let n = dense.nrows();
    let exact = eigh(dense, UPLO::Lower).unwrap();
    let (range, gap) = match which {
        Which::Largest => (n - k..n, exact.values[n - k] - exact.values[n - k - 1]),
        Which::Smallest => (0..k, exact.values[k] - exact.values[k - 1]),
    };
    let norm = f64_of(exact.values[n - 1].abs().max(exact.values[0].abs()));
    let ctx = format!("{} {what} {which:?} k = {k}", T::NAME);
    assert_eq!(
        (got.values.len(), got.vectors.dim()),
        (k, (n, k)),
        "{ctx}: shapes"
    );
    let mut worst_dl = 0.0_f64;
    for (i, j) in range.clone().enumerate() {
        let d = f64_of((got.values[i] - exact.values[j]).abs());
        worst_dl = worst_dl.max(d / norm);
        assert!(
            d <= tol::<T>() * norm,
            "{ctx}: λ[{i}] = {} vs eigh {} (|Δ| {d:e})",
            got.values[i],
            exact.values[j]
        );
        if i > 0 {
            assert!(got.values[i - 1] <= got.values[i], "{ctx}: not ascending");
        }
    }
    let o = orthogonality_ratio(&got.vectors);
    assert!(o <= THRESH, "{ctx}: orthogonality ratio {o:.2}");
    let av = dense.dot(&got.vectors);
    let mut residual_sq = 0.0;
    let rounding = 1e3 * eps::<T>() * norm;
    for (i, col) in got.vectors.columns().into_iter().enumerate() {
        let r = av.column(i).to_owned() - &col.mapv(|x| x * got.values[i]);
        let r = f64_of(r.dot(&r)).sqrt();
        residual_sq += r * r;
        assert!(r <= tol::<T>() + rounding, "{ctx}: residual {i} = {r:e}");
    }
    let reference = exact.vectors.slice(s![.., range]).to_owned();
    let sine = subspace_sine(&reference, &got.vectors);
    let bound = residual_sq.sqrt() / f64_of(gap) + rounding;
    eprintln!(
        "lobpcg {ctx}: max |Δλ|/‖A‖ {worst_dl:.2e}, orthogonality {o:.2}, \
         ‖R‖_F {:.2e}, sinΘ {sine:.2e} (bound {bound:.2e})",
        residual_sq.sqrt()
    );
    assert!(sine <= bound, "{ctx}: subspace off by {sine:e} > {bound:e}");
}

fn lobpcg_laplacian<T: Real + TestScalar>() {
    let n = 40;
    let dense = laplacian::<T>(n)(Array2::<T>::eye(n).view());
    let opts = Lobpcg {
        tol: tol::<T>(),
        ..Default::default()
    };
    for which in [Which::Largest, Which::Smallest] {
        let got = lobpcg(laplacian::<T>(n), n, 3, which, opts).unwrap();
        check_against_eigh("laplacian", &dense, &got, which, 3);
    }
}
real_dtype_tests!(lobpcg_laplacian => lobpcg_laplacian);

fn lobpcg_random_spd<T: Real + TestScalar>() {
    let n = 60;
    let dense = common::hpd::<T>(&mut rng(21), n);
    let opts = Lobpcg {
        tol: tol::<T>(),
        seed: 5,
        ..Default::default()
    };
    for which in [Which::Largest, Which::Smallest] {
        let got = lobpcg(|x: ArrayView2<'_, T>| dense.dot(&x), n, 4, which, opts).unwrap();
        check_against_eigh("random SPD", &dense, &got, which, 4);
        // The same seed, the same start: the same pairs to within the tolerance (bit for bit
        // only under the same BLAS thread count, which parallel tests do not fix).
        let again = lobpcg(|x: ArrayView2<'_, T>| dense.dot(&x), n, 4, which, opts).unwrap();
        let norm = f64_of(got.values.iter().fold(T::zero(), |m, &v| m.max(v.abs())));
        for (x, y) in got.values.iter().zip(&again.values) {
            assert!(
                f64_of((*x - *y).abs()) <= tol::<T>() * norm,
                "same seed: {x} vs {y}"
            );
        }
    }
}
real_dtype_tests!(lobpcg_random_spd => lobpcg_random_spd);

fn lobpcg_errors<T: Real + TestScalar>() {
    let n = 30;
    let opts = Lobpcg::default();
    for k in [0, n + 1] {
        match lobpcg(laplacian::<T>(n), n, k, Which::Largest, opts) {
            Err(Error::InvalidArgument {
                op: "lobpcg",
                message,
            }) => {
                assert!(message.contains(&format!("k = {k}")), "{message}")
            }
            other => panic!("k = {k}: expected InvalidArgument, got {other:?}"),
        }
    }
    for bad_tol in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e-300] {
        let bad = Lobpcg {
            tol: bad_tol,
            ..opts
        };
        assert!(
            matches!(
                lobpcg(laplacian::<T>(n), n, 2, Which::Largest, bad),
                Err(Error::InvalidArgument { .. })
            ),
            "tol = {bad_tol}"
        );
    }
    // The operator returns a block of the wrong shape: caught, not a panic in ndarray-linalg.
    let wrong = |x: ArrayView2<'_, T>| Array2::<T>::zeros((x.nrows() + 1, x.ncols()));
    match lobpcg(wrong, n, 2, Which::Smallest, opts) {
        Err(Error::InvalidShape {
            op: "lobpcg",
            shape,
            ..
        }) => assert_eq!(shape, vec![n + 1, 2]),
        other => panic!("expected InvalidShape, got {other:?}"),
    }
    let transposed = |x: ArrayView2<'_, T>| x.t().to_owned();
    assert!(matches!(
        lobpcg(transposed, n, 2, Which::Smallest, opts),
        Err(Error::InvalidShape { .. })
    ));
    // NaN out of the operator, at once or only later in the iteration.
    let nan = |x: ArrayView2<'_, T>| x.mapv(|_| T::nan());
    assert!(matches!(
        lobpcg(nan, n, 2, Which::Largest, opts),
        Err(Error::NonFinite { op: "lobpcg", .. })
    ));
    let calls = std::cell::Cell::new(0);
    let lap = laplacian::<T>(n);
    let late_nan = |x: ArrayView2<'_, T>| {
        calls.set(calls.get() + 1);
        let mut y = lap(x);
        if calls.get() > 3 {
            y[[0, 0]] = T::infinity();
        }
        y
    };
    let tight = Lobpcg {
        tol: tol::<T>() * 1e-3,
        ..opts
    };
    assert!(matches!(
        lobpcg(late_nan, n, 2, Which::Largest, tight),
        Err(Error::NonFinite { .. })
    ));
    // Too few iterations for the tolerance.
    let few = Lobpcg {
        max_iter: 1,
        tol: tol::<T>(),
        ..opts
    };
    match lobpcg(laplacian::<T>(200), 200, 3, Which::Smallest, few) {
        Err(Error::NoConvergence {
            op: "lobpcg",
            routine: "LOBPCG",
            unconverged,
        }) => {
            assert!((1..=3).contains(&unconverged))
        }
        other => panic!("expected NoConvergence, got {other:?}"),
    }
    // n < 5·k: the dense fallback (op applied to the identity, then eigh) gives the exact pairs.
    let diag = Array2::from_diag(&Array1::from_shape_fn(8, |i| {
        T::from_f64_nearest(i as f64 + 1.0)
    }));
    for k in [2, 6, 7, 8] {
        for which in [Which::Largest, Which::Smallest] {
            match lobpcg(|x: ArrayView2<'_, T>| diag.dot(&x), 8, k, which, opts) {
                Ok(got) => {
                    let first = if which == Which::Largest { 8 - k } else { 0 };
                    for (i, &v) in got.values.iter().enumerate() {
                        let want = (first + i + 1) as f64;
                        assert!(
                            (f64_of(v) - want).abs() <= 8.0 * 8.0 * eps::<T>(),
                            "k = {k} {which:?}: λ[{i}] = {v}"
                        );
                    }
                    let o = orthogonality_ratio(&got.vectors);
                    assert!(o <= THRESH, "k = {k} {which:?}: orthogonality {o:.2}");
                }
                Err(other) => panic!("k = {k} {which:?}: unexpected {other:?}"),
            }
        }
    }
    // A panic inside the caller's operator is the caller's: it propagates.
    let panicking = |_: ArrayView2<'_, T>| -> Array2<T> { panic!("operator failed") };
    let caught = std::panic::catch_unwind(|| lobpcg(panicking, n, 2, Which::Largest, opts));
    assert!(caught.is_err(), "the operator's panic must propagate");
}
real_dtype_tests!(lobpcg_errors => lobpcg_errors);
