//! `svd`, `svdvals`, `eigh`, `eigvalsh`, `eig`, `eigvals` and `qr`, tested the LAPACK way.
//!
//! Every check is a normalised ratio in the style of LAPACK's own test drivers
//! (`dchkbd`/`ddrvsg`/`ddrvev`/`dchkqr`): a residual divided by ‖A‖·max(m, n)·ε (or n·ε for
//! orthogonality), which a backward-stable routine keeps O(1) whatever the matrix. LAPACK's
//! drivers flag a ratio above 30 as a failure; so do we (see [`THRESH`]).
//!
//! The matrix zoo — random, Hilbert (n = 8, 12), nearly singular, rank-deficient, graded (rows
//! scaled over ±150 decades in f64), tiny (1×1, 1×n, n×1) and block-boundary sizes (1, 2, 3,
//! 31, 64, 65) — runs in all four dtypes and five layouts (C, F, transposed view, negative
//! stride, sliced non-contiguous). Residuals are formed with ndarray's own `dot`, independent
//! of ndkit's product module.
//!
//! The tests here exercise only the decomposition modules (`svd.rs`, `eig.rs`, `qr.rs`).

mod common;

use common::{eps, hilbert, laid_all, random_matrix, rng, Laid2, Layout, TestScalar};
use ndarray::{s, Array2, ArrayView2, Axis};
use ndkit::linalg::{eig, eigh, eigvals, eigvalsh, qr, svd, svdvals, UPLO};
use ndkit::{c32, c64, Error, Scalar};
use num_traits::ToPrimitive;
use rand::rngs::StdRng;

/// LAPACK's test-driver threshold for a normalised ratio (`THRESH` = 30 in `svd.in`,
/// `sep.in`, `nep.in`): a backward-stable routine stays O(1), typically below 1, while any
/// real defect (wrong transpose, conjugation, triangle or layout) gives ratios of 1/ε.
const THRESH: f64 = 30.0;

/// Block-boundary sizes: the trivial 1–3 and either side of the 32/64 blocking LAPACK and
/// OpenBLAS use, kept ≤ 65 so the whole suite runs in seconds.
const SIZES: [usize; 6] = [1, 2, 3, 31, 64, 65];

/// Rectangular shapes: vectors (1×n, n×1), tall and wide across the block boundaries.
const RECT: [(usize, usize); 8] = [
    (1, 65),
    (65, 1),
    (2, 1),
    (1, 3),
    (31, 64),
    (64, 31),
    (65, 3),
    (3, 65),
];

// ------------------------------------------------------------------------------- dtype glue

/// Decades of row scaling for the graded matrices: ±150 fits f64 (range 1e±308) with room
/// for products, ±15 fits f32 (range 1e±38).
fn grade_decades<T: Scalar>() -> f64 {
    if eps::<T>() > 1e-10 {
        15.0
    } else {
        150.0
    }
}

fn abs<T: Scalar>(x: T) -> f64 {
    x.norm().to_f64().unwrap_or(f64::NAN)
}

fn real<R: ToPrimitive>(x: R) -> f64 {
    x.to_f64().unwrap_or(f64::NAN)
}

// ---------------------------------------------------------------------------- small algebra

/// Frobenius norm, scaled by the largest entry so graded matrices cannot overflow.
fn fro<T: Scalar>(a: &ArrayView2<T>) -> f64 {
    let scale = a.iter().map(|&x| abs(x)).fold(0.0, f64::max);
    if scale == 0.0 || !scale.is_finite() {
        return scale;
    }
    scale
        * a.iter()
            .map(|&x| (abs(x) / scale).powi(2))
            .sum::<f64>()
            .sqrt()
}

/// Aᴴ.
fn ct<T: Scalar>(a: &ArrayView2<T>) -> Array2<T> {
    a.t().mapv(|x| x.conj())
}

/// ‖QᴴQ − I‖_F / (max(rows, cols)·ε): orthonormality of the columns of `q`.
fn orth_cols<T: TestScalar>(q: &ArrayView2<T>) -> f64 {
    let (m, k) = q.dim();
    if k == 0 {
        return 0.0;
    }
    let g = ct(q).dot(q) - Array2::<T>::eye(k);
    fro(&g.view()) / (m.max(k) as f64 * eps::<T>())
}

/// ‖A − B‖_F / (‖A‖_F·n·ε), or ‖A − B‖_F / ε when A = 0.
fn backward<T: TestScalar>(a: &ArrayView2<T>, b: &ArrayView2<T>, n: usize) -> f64 {
    let diff = a - b;
    let scale = fro(a).max(f64::MIN_POSITIVE);
    fro(&diff.view()) / (scale * n.max(1) as f64 * eps::<T>())
}

fn assert_ratio(ratio: f64, what: &str, label: &str) {
    assert!(
        ratio <= THRESH,
        "{label}: {what} ratio {ratio:.3e} exceeds {THRESH}"
    );
}

// ---------------------------------------------------------------------------- the matrix zoo

/// Random, with the last row replaced by the first plus a perturbation of 10ε: singular to
/// working precision but not exactly.
fn nearly_singular<T: TestScalar>(rng: &mut StdRng, m: usize, n: usize) -> Array2<T> {
    let mut a = random_matrix::<T>(rng, m, n);
    if m > 1 {
        let tiny = random_matrix::<T>(rng, 1, n) * T::from_f64_nearest(10.0 * eps::<T>());
        let row = &a.row(0) + &tiny.row(0);
        a.row_mut(m - 1).assign(&row);
    }
    a
}

/// B·C with inner dimension ⌈min(m, n)/2⌉: rank about half the full rank.
fn rank_deficient<T: TestScalar>(rng: &mut StdRng, m: usize, n: usize) -> Array2<T> {
    let r = m.min(n).div_ceil(2);
    random_matrix::<T>(rng, m, r).dot(&random_matrix::<T>(rng, r, n))
}

/// Random with row i scaled by 10^g, g running linearly over [−GRADE, GRADE].
fn graded<T: TestScalar>(rng: &mut StdRng, m: usize, n: usize) -> Array2<T> {
    let mut a = random_matrix::<T>(rng, m, n);
    for (i, mut row) in a.axis_iter_mut(Axis(0)).enumerate() {
        row *= T::from_f64_nearest(10f64.powf(grade(i, m, grade_decades::<T>())));
    }
    a
}

fn grade(i: usize, m: usize, decades: f64) -> f64 {
    if m <= 1 {
        0.0
    } else {
        decades * (2.0 * i as f64 / (m - 1) as f64 - 1.0)
    }
}

/// The general matrices of an m×n shape, each with its name.
fn general_cases<T: TestScalar>(rng: &mut StdRng, m: usize, n: usize) -> Vec<(String, Array2<T>)> {
    let mut cases = vec![
        ("random".to_string(), random_matrix::<T>(rng, m, n)),
        (
            "nearly singular".to_string(),
            nearly_singular::<T>(rng, m, n),
        ),
        ("rank-deficient".to_string(), rank_deficient::<T>(rng, m, n)),
        ("graded".to_string(), graded::<T>(rng, m, n)),
    ];
    if m == n && (n == 8 || n == 12) {
        cases.push(("hilbert".to_string(), hilbert::<T>(n)));
    }
    cases
}

/// Every shape the general-matrix suites run over.
fn shapes() -> Vec<(usize, usize)> {
    SIZES
        .iter()
        .map(|&n| (n, n))
        .chain([(8, 8), (12, 12)])
        .chain(RECT)
        .collect()
}

/// (B + Bᴴ)/2: Hermitian, with an exactly real diagonal.
fn hermitian_part<T: TestScalar>(b: &Array2<T>) -> Array2<T> {
    (b + &ct(&b.view())) * T::from_f64_nearest(0.5)
}

/// Hermitian matrices of order n: random, B·Bᴴ of half rank, D·H·D graded over ±GRADE/2
/// decades per side, nearly singular (B·Bᴴ + 10ε·I with B of rank n − 1) and Hilbert.
fn hermitian_cases<T: TestScalar>(rng: &mut StdRng, n: usize) -> Vec<(String, Array2<T>)> {
    let b = random_matrix::<T>(rng, n, n);
    let r = n.div_ceil(2);
    let low = random_matrix::<T>(rng, n, r);
    let mut scaled = hermitian_part(&random_matrix::<T>(rng, n, n));
    for ((i, j), x) in scaled.indexed_iter_mut() {
        *x *= T::from_f64_nearest(10f64.powf(
            grade(i, n, grade_decades::<T>() / 2.0) + grade(j, n, grade_decades::<T>() / 2.0),
        ));
    }
    let mut defective = random_matrix::<T>(rng, n, n);
    if n > 1 {
        let first = defective.row(0).to_owned();
        defective.row_mut(n - 1).assign(&first);
    }
    let near = defective.dot(&ct(&defective.view()))
        + Array2::<T>::eye(n) * T::from_f64_nearest(10.0 * eps::<T>());
    let mut cases = vec![
        ("random".to_string(), hermitian_part(&b)),
        ("rank-deficient".to_string(), low.dot(&ct(&low.view()))),
        ("graded".to_string(), scaled),
        ("nearly singular".to_string(), hermitian_part(&near)),
    ];
    if n == 8 || n == 12 {
        cases.push(("hilbert".to_string(), hilbert::<T>(n)));
    }
    cases
}

// ---------------------------------------------------------------------------------- layouts

/// The layouts of `tests/common` these suites run: C order, F order, a transposed view, a
/// negative row stride and every other row of a taller buffer.
const DECOMP_LAYOUTS: [Layout; 5] = [
    Layout::C,
    Layout::F,
    Layout::Transposed,
    Layout::NegFirst,
    Layout::StepFirst,
];

fn layouts<T: Scalar>(a: &Array2<T>) -> Vec<Laid2<T>> {
    laid_all(a, &DECOMP_LAYOUTS)
}

// -------------------------------------------------------------------------------------- SVD

/// Shapes, ordering, backward error and orthogonality of `svd(a, full)`, and agreement of
/// `svdvals`.
fn check_svd<T: TestScalar>(a: &ArrayView2<T>, full: bool, label: &str) {
    let (m, n) = a.dim();
    let k = m.min(n);
    let f = svd(a, full).unwrap_or_else(|e| panic!("{label}: svd failed: {e}"));
    let (ucols, vrows) = if full { (m, n) } else { (k, k) };
    assert_eq!(
        (f.u.dim(), f.s.len(), f.vt.dim()),
        ((m, ucols), k, (vrows, n)),
        "{label}: shapes"
    );
    let s: Vec<f64> = f.s.iter().map(|&x| real(x)).collect();
    assert!(
        s.iter().all(|&x| x >= 0.0),
        "{label}: negative singular value in {s:?}"
    );
    assert!(
        s.windows(2).all(|w| w[0] >= w[1]),
        "{label}: singular values not descending: {s:?}"
    );

    // Backward error ‖A − U·diag(s)·Vᴴ‖_F/(‖A‖_F·max(m,n)·ε): gesdd is backward stable, so this
    // is O(1) also for graded, Hilbert and rank-deficient input (LAPACK's dbdt01 test).
    let us = &f.u.slice(s![.., ..k]) * &f.s.mapv(|x| T::from_real(x));
    let back = us.dot(&f.vt.slice(s![..k, ..]));
    assert_ratio(
        backward(a, &back.view(), m.max(n)),
        "svd backward error",
        label,
    );
    // Orthogonality ‖UᴴU − I‖/(m·ε) and ‖Vᴴ(Vᴴ)ᴴ − I‖/(n·ε) (LAPACK's dort01).
    assert_ratio(orth_cols(&f.u.view()), "UᴴU − I", label);
    assert_ratio(orth_cols(&f.vt.t()), "VᴴV − I", label);

    // svdvals runs a different bidiagonal solver; by Weyl's theorem both are within
    // O(max(m,n)·ε·‖A‖) of the exact values, hence this bound.
    let vals = svdvals(a).unwrap_or_else(|e| panic!("{label}: svdvals failed: {e}"));
    assert_eq!(vals.len(), k, "{label}: svdvals length");
    let gap = vals
        .iter()
        .zip(&s)
        .map(|(&v, &w)| (real(v) - w).abs())
        .fold(0.0, f64::max);
    let scale = fro(a).max(f64::MIN_POSITIVE) * m.max(n) as f64 * eps::<T>();
    assert_ratio(gap / scale, "svdvals vs svd", label);
}

fn svd_suite<T: TestScalar>(seed: u64) {
    let mut rng = rng(seed);
    for (m, n) in shapes() {
        for (name, a) in general_cases::<T>(&mut rng, m, n) {
            for layout in layouts(&a) {
                for full in [false, true] {
                    let label = format!("{} {name} {m}×{n} {} full={full}", T::NAME, layout.layout);
                    check_svd(&layout.view(), full, &label);
                }
            }
        }
    }
}

#[test]
fn svd_f32() {
    svd_suite::<f32>(1);
}

#[test]
fn svd_f64() {
    svd_suite::<f64>(2);
}

#[test]
fn svd_c32() {
    svd_suite::<c32>(3);
}

#[test]
fn svd_c64() {
    svd_suite::<c64>(4);
}

#[test]
fn svd_known_values() {
    // np.linalg.svd([[3, 0], [4, 5]]) → s = [√45, √5] = [6.7082039325, 2.2360679775]
    let s = svdvals(&ndarray::array![[3.0_f64, 0.0], [4.0, 5.0]]).unwrap();
    // Well-conditioned 2×2: a few ulps of the exact values.
    assert!(
        (s[0] - 45f64.sqrt()).abs() < 1e-14 && (s[1] - 5f64.sqrt()).abs() < 1e-14,
        "{s}"
    );
    // A complex matrix: diag(3i, −2) has singular values 3, 2 and u·diag(s)·vt rebuilds it.
    let a = ndarray::array![
        [c64::new(0.0, 3.0), c64::new(0.0, 0.0)],
        [c64::new(0.0, 0.0), c64::new(-2.0, 0.0)]
    ];
    let f = svd(&a, false).unwrap();
    assert!((f.s[0] - 3.0).abs() < 1e-14 && (f.s[1] - 2.0).abs() < 1e-14);
    let back = (&f.u * &f.s.mapv(c64::from)).dot(&f.vt);
    assert!(backward(&a.view(), &back.view(), 2) <= THRESH);
}

/// NumPy's shapes for empty input (np.linalg.svd(np.zeros((m, n)), full_matrices)):
/// (0,3) full → u (0,0), s (0,), vh = I₃; thin → vh (0,3); (3,0) symmetric; (0,0) all empty.
fn svd_empty<T: TestScalar>() {
    for (m, n) in [(0, 3), (3, 0), (0, 0)] {
        let a = Array2::<T>::zeros((m, n));
        let full = svd(&a, true).unwrap();
        assert_eq!(full.u, Array2::<T>::eye(m), "{} {m}×{n} full u", T::NAME);
        assert_eq!(full.vt, Array2::<T>::eye(n), "{} {m}×{n} full vt", T::NAME);
        assert_eq!(full.s.len(), 0);
        let thin = svd(&a, false).unwrap();
        assert_eq!(
            (thin.u.dim(), thin.s.len(), thin.vt.dim()),
            ((m, 0), 0, (0, n)),
            "{} {m}×{n} thin",
            T::NAME
        );
        assert_eq!(svdvals(&a).unwrap().len(), 0);
        // A 0-sized view with odd strides is no different.
        let wide = Array2::<T>::zeros((n, m));
        assert_eq!(svd(&wide.t(), false).unwrap().vt.dim(), (0, n));
    }
}

#[test]
fn svd_empty_matches_numpy() {
    svd_empty::<f32>();
    svd_empty::<f64>();
    svd_empty::<c32>();
    svd_empty::<c64>();
}

/// Regression: ndarray-linalg segfaults on the SVD of a 3×0 matrix.
#[test]
fn svd_3x0_does_not_crash() {
    let a = Array2::<f64>::zeros((3, 0));
    let f = svd(&a, true).unwrap();
    assert_eq!((f.u.dim(), f.s.len(), f.vt.dim()), ((3, 3), 0, (0, 0)));
    let f = svd(&a, false).unwrap();
    assert_eq!((f.u.dim(), f.s.len(), f.vt.dim()), ((3, 0), 0, (0, 0)));
}

#[test]
fn svd_rejects_non_finite() {
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let mut a = Array2::<f64>::eye(3);
        a[[1, 2]] = bad;
        assert_eq!(
            svd(&a, false).unwrap_err(),
            Error::NonFinite {
                op: "svd",
                shape: vec![3, 3]
            }
        );
        assert_eq!(
            svd(&a, true).unwrap_err(),
            Error::NonFinite {
                op: "svd",
                shape: vec![3, 3]
            }
        );
        assert_eq!(
            svdvals(&a.t()).unwrap_err(),
            Error::NonFinite {
                op: "svdvals",
                shape: vec![3, 3]
            }
        );
    }
    let mut z = Array2::<c32>::eye(2);
    z[[0, 1]] = c32::new(0.0, f32::NAN);
    assert_eq!(
        svd(&z, false).unwrap_err(),
        Error::NonFinite {
            op: "svd",
            shape: vec![2, 2]
        }
    );
}

/// Zero-stride broadcast views of a 1×1 array: 2³¹ columns are too many for LAPACK's 32-bit
/// integers, and nothing is allocated.
#[test]
fn too_large_is_an_error() {
    let big = 1usize << 31;
    let one = Array2::<f64>::zeros((1, 1));
    let row = one.broadcast((1, big)).unwrap();
    assert_eq!(
        svd(&row, false).unwrap_err(),
        Error::TooLarge {
            op: "svd",
            dim: big
        }
    );
    assert_eq!(
        svdvals(&row).unwrap_err(),
        Error::TooLarge {
            op: "svdvals",
            dim: big
        }
    );
    assert_eq!(
        qr(&row).unwrap_err(),
        Error::TooLarge { op: "qr", dim: big }
    );
    let square = one.broadcast((big, big)).unwrap();
    assert_eq!(
        eigh(&square, UPLO::Lower).unwrap_err(),
        Error::TooLarge {
            op: "eigh",
            dim: big
        }
    );
    assert_eq!(
        eigvalsh(&square, UPLO::Upper).unwrap_err(),
        Error::TooLarge {
            op: "eigvalsh",
            dim: big
        }
    );
    assert_eq!(
        eig(&square).unwrap_err(),
        Error::TooLarge {
            op: "eig",
            dim: big
        }
    );
    assert_eq!(
        eigvals(&square).unwrap_err(),
        Error::TooLarge {
            op: "eigvals",
            dim: big
        }
    );
}

// ------------------------------------------------------------------------------------- eigh

/// Residual, orthogonality and ordering of `eigh(a, uplo)`, and agreement of `eigvalsh`.
/// `full` is the whole Hermitian matrix the triangle of `a` stands for.
fn check_eigh<T: TestScalar>(a: &ArrayView2<T>, full: &ArrayView2<T>, uplo: UPLO, label: &str) {
    let n = full.nrows();
    let e = eigh(a, uplo).unwrap_or_else(|err| panic!("{label}: eigh failed: {err}"));
    assert_eq!(
        (e.values.len(), e.vectors.dim()),
        (n, (n, n)),
        "{label}: shapes"
    );
    let w: Vec<f64> = e.values.iter().map(|&x| real(x)).collect();
    assert!(
        w.windows(2).all(|p| p[0] <= p[1]),
        "{label}: eigenvalues not ascending: {w:?}"
    );
    // ‖A·V − V·diag(λ)‖_F/(‖A‖_F·n·ε) (LAPACK's dsyt21): O(1) for the backward-stable
    // divide-and-conquer solver on every symmetric matrix, graded and Hilbert included.
    let av = full.dot(&e.vectors);
    let vl = &e.vectors * &e.values.mapv(|x| T::from_real(x));
    let scale = fro(full).max(f64::MIN_POSITIVE) * n as f64 * eps::<T>();
    assert_ratio(fro(&(av - vl).view()) / scale, "eigh residual", label);
    // ‖VᴴV − I‖/(n·ε).
    assert_ratio(orth_cols(&e.vectors.view()), "VᴴV − I", label);
    // eigvalsh (no vectors) runs a different tridiagonal solver; symmetric eigenvalues are
    // perfectly conditioned (Weyl), so both are within O(n·ε·‖A‖) of the exact values.
    let vals = eigvalsh(a, uplo).unwrap_or_else(|err| panic!("{label}: eigvalsh failed: {err}"));
    let gap = vals
        .iter()
        .zip(&w)
        .map(|(&v, &u)| (real(v) - u).abs())
        .fold(0.0, f64::max);
    assert_ratio(gap / scale, "eigvalsh vs eigh", label);
}

/// `a` with the triangle `uplo` does not name overwritten by NaN: must not matter.
fn poison<T: TestScalar>(a: &Array2<T>, uplo: UPLO) -> Array2<T> {
    let mut p = a.clone();
    for ((i, j), x) in p.indexed_iter_mut() {
        let unused = match uplo {
            UPLO::Upper => i > j,
            UPLO::Lower => i < j,
        };
        if unused {
            *x = T::make(f64::NAN, f64::NAN);
        }
    }
    p
}

fn eigh_suite<T: TestScalar>(seed: u64) {
    let mut rng = rng(seed);
    for n in SIZES.into_iter().chain([8, 12]) {
        for (name, a) in hermitian_cases::<T>(&mut rng, n) {
            for uplo in [UPLO::Lower, UPLO::Upper] {
                for layout in layouts(&a) {
                    let label = format!("{} {name} {n}×{n} {} {uplo:?}", T::NAME, layout.layout);
                    check_eigh(&layout.view(), &a.view(), uplo, &label);
                }
                // NaN in the unused triangle, in every layout.
                for layout in layouts(&poison(&a, uplo)) {
                    let label = format!(
                        "{} {name} {n}×{n} {} {uplo:?} NaN-poisoned",
                        T::NAME,
                        layout.layout
                    );
                    check_eigh(&layout.view(), &a.view(), uplo, &label);
                }
            }
        }
    }
}

#[test]
fn eigh_f32() {
    eigh_suite::<f32>(11);
}

#[test]
fn eigh_f64() {
    eigh_suite::<f64>(12);
}

#[test]
fn eigh_c32() {
    eigh_suite::<c32>(13);
}

#[test]
fn eigh_c64() {
    eigh_suite::<c64>(14);
}

/// Regression (ndarray-linalg): a complex Hermitian matrix in C (row-major) layout gave
/// conjugated eigenvectors. Each column must satisfy A·v = λ·v.
#[test]
fn eigh_complex_row_major_vectors_not_conjugated() {
    let i = c64::new(0.0, 1.0);
    let one = c64::new(1.0, 0.0);
    // [[2, −i, 0], [i, 2, 1+i], [0, 1−i, 3]]: Hermitian, genuinely complex eigenvectors.
    let a = ndarray::array![
        [one * 2.0, -i, c64::new(0.0, 0.0)],
        [i, one * 2.0, one + i],
        [c64::new(0.0, 0.0), one - i, one * 3.0]
    ];
    assert!(a.is_standard_layout());
    for uplo in [UPLO::Lower, UPLO::Upper] {
        let e = eigh(&a, uplo).unwrap();
        for (k, v) in e.vectors.columns().into_iter().enumerate() {
            let r = a.dot(&v) - &v * c64::from(e.values[k]);
            let ratio = r.iter().map(|z| z.norm_sqr()).sum::<f64>().sqrt()
                / (fro(&a.view()) * 3.0 * f64::EPSILON);
            // Per-column form of the eigh residual ratio; a conjugated vector gives ~1/ε.
            assert!(
                ratio <= THRESH,
                "{uplo:?} column {k}: residual ratio {ratio:.3e}"
            );
        }
    }
}

/// Regression (ndarray-linalg): `UPLO::Upper` on a row-major matrix filled only in its upper
/// triangle read the wrong triangle.
#[test]
fn eigh_upper_only_row_major() {
    let full = ndarray::array![[4.0_f64, 1.0, 2.0], [1.0, 5.0, 3.0], [2.0, 3.0, 6.0]];
    let upper = ndarray::array![[4.0_f64, 1.0, 2.0], [0.0, 5.0, 3.0], [0.0, 0.0, 6.0]];
    let lower = upper.t().as_standard_layout().into_owned();
    // numpy.linalg.eigvalsh(full) = [2.194397167422, 3.386770156608, 9.41883267597], printed
    // to 12 decimals, hence the 1e-11 tolerance (the computation itself is good to ~1e-15).
    let want = [2.194_397_167_422, 3.386_770_156_608, 9.418_832_675_97];
    for (a, uplo) in [(&upper, UPLO::Upper), (&lower, UPLO::Lower)] {
        let w = eigh(a, uplo).unwrap().values;
        assert!(
            w.iter().zip(want).all(|(g, r)| (g - r).abs() < 1e-11),
            "{uplo:?}: {w}"
        );
        check_eigh(
            &a.view(),
            &full.view(),
            uplo,
            &format!("upper-only {uplo:?}"),
        );
    }
}

/// LAPACK (and NumPy) ignore the imaginary parts of a Hermitian matrix's diagonal:
/// np.linalg.eigvalsh([[1+5j, 0], [0, 2-1j]]) = [1, 2]. ndkit drops them before LAPACK, so
/// even a NaN there is ignored (NumPy returns [0, -0] for [[1+nan·j, 0], [0, 2]]).
#[test]
fn eigh_ignores_imaginary_diagonal() {
    let zero = c64::new(0.0, 0.0);
    for im in [5.0, f64::NAN] {
        let a = ndarray::array![[c64::new(1.0, im), zero], [zero, c64::new(2.0, -1.0)]];
        for uplo in [UPLO::Lower, UPLO::Upper] {
            // A diagonal matrix: the eigenvalues are exact.
            assert_eq!(
                eigvalsh(&a, uplo).unwrap(),
                ndarray::array![1.0, 2.0],
                "{im} {uplo:?}"
            );
        }
    }
}

#[test]
fn eigh_empty() {
    fn check<T: TestScalar>() {
        let a = Array2::<T>::zeros((0, 0));
        let e = eigh(&a, UPLO::Lower).unwrap();
        assert_eq!((e.values.len(), e.vectors.dim()), (0, (0, 0)));
        assert_eq!(eigvalsh(&a, UPLO::Upper).unwrap().len(), 0);
    }
    check::<f32>();
    check::<f64>();
    check::<c32>();
    check::<c64>();
}

#[test]
fn eigh_errors() {
    let rect = Array2::<f64>::zeros((2, 3));
    assert_eq!(
        eigh(&rect, UPLO::Lower).unwrap_err(),
        Error::NotSquare {
            op: "eigh",
            shape: vec![2, 3]
        }
    );
    assert_eq!(
        eigvalsh(&rect.t(), UPLO::Upper).unwrap_err(),
        Error::NotSquare {
            op: "eigvalsh",
            shape: vec![3, 2]
        }
    );
    // NaN/Inf in the triangle that is read is an error; in the other one it is ignored.
    let mut a = Array2::<c64>::eye(3);
    a[[2, 0]] = c64::new(f64::INFINITY, 0.0);
    assert_eq!(
        eigh(&a, UPLO::Lower).unwrap_err(),
        Error::NonFinite {
            op: "eigh",
            shape: vec![3, 3]
        }
    );
    assert_eq!(
        eigvalsh(&a, UPLO::Lower).unwrap_err(),
        Error::NonFinite {
            op: "eigvalsh",
            shape: vec![3, 3]
        }
    );
    // The identity's eigenvalues, to rounding.
    assert!(eigvalsh(&a, UPLO::Upper)
        .unwrap()
        .iter()
        .all(|w| (w - 1.0).abs() < 1e-15));
    let mut b = Array2::<f32>::eye(2);
    b[[0, 1]] = f32::NAN;
    assert_eq!(
        eigh(&b, UPLO::Upper).unwrap_err(),
        Error::NonFinite {
            op: "eigh",
            shape: vec![2, 2]
        }
    );
    assert!(eigh(&b, UPLO::Lower)
        .unwrap()
        .values
        .iter()
        .all(|w| (w - 1.0).abs() < 1e-6));
}

// -------------------------------------------------------------------------------------- eig

/// Residual, unit norms and (for real input) conjugate pairing of `eig(a)`, and agreement of
/// `eigvals` with its values when `compare_eigvals` (the eigenvalues are well conditioned).
fn check_eig<T: TestScalar>(a: &ArrayView2<T>, compare_eigvals: bool, label: &str) {
    let n = a.nrows();
    let e = eig(a).unwrap_or_else(|err| panic!("{label}: eig failed: {err}"));
    assert_eq!(
        (e.values.len(), e.vectors.dim()),
        (n, (n, n)),
        "{label}: shapes"
    );
    let ac = a.mapv(|x| x.to_complex());
    // ‖A·V − V·diag(λ)‖_F/(‖A‖_F·n·ε) (LAPACK's dget22 as used by ddrvev): O(1) for geev's
    // computed eigenpairs of these matrices.
    let av = ac.dot(&e.vectors);
    let vl = &e.vectors * &e.values;
    let scale = fro(a).max(f64::MIN_POSITIVE) * n as f64 * eps::<T>();
    assert_ratio(fro(&(av - vl).view()) / scale, "eig residual", label);
    // geev normalises each vector to unit 2-norm; forming the norm costs O(n·ε).
    for (k, v) in e.vectors.columns().into_iter().enumerate() {
        let norm = v.iter().map(|&z| abs(z).powi(2)).sum::<f64>().sqrt();
        assert_ratio(
            (norm - 1.0).abs() / (n as f64 * eps::<T>()),
            &format!("‖v{k}‖ − 1"),
            label,
        );
    }
    if !T::IS_COMPLEX {
        // Real input: complex eigenvalues come in adjacent conjugate pairs (positive imaginary
        // part first) with conjugate vectors — exactly, as geev stores them as re/im columns.
        let mut k = 0;
        while k < n {
            let z = e.values[k];
            if real(z.im()) == 0.0 {
                assert!(
                    e.vectors.column(k).iter().all(|v| real(v.im()) == 0.0),
                    "{label}: real λ{k} has a complex vector"
                );
                k += 1;
                continue;
            }
            assert!(
                real(z.im()) > 0.0 && k + 1 < n,
                "{label}: unpaired complex λ{k} = {z}"
            );
            assert_eq!(
                e.values[k + 1],
                z.conj(),
                "{label}: λ{} is not conj(λ{k})",
                k + 1
            );
            assert_eq!(
                e.vectors.column(k + 1),
                e.vectors.column(k).mapv(|v| v.conj()),
                "{label}: v{} is not conj(v{k})",
                k + 1
            );
            k += 2;
        }
    }
    if compare_eigvals {
        // eigvals runs the same Hessenberg QR without accumulating vectors, so it can differ
        // by rounding: match each value to the nearest of eig's, within n·ε·‖A‖ times THRESH.
        let vals = eigvals(a).unwrap_or_else(|err| panic!("{label}: eigvals failed: {err}"));
        assert_eq!(vals.len(), n);
        for v in vals.iter() {
            let d = e
                .values
                .iter()
                .map(|&w| abs(w - *v))
                .fold(f64::INFINITY, f64::min);
            assert_ratio(d / scale, "eigvals vs eig", label);
        }
    }
}

fn eig_suite<T: TestScalar>(seed: u64) {
    let mut rng = rng(seed);
    for n in SIZES.into_iter().chain([8, 12]) {
        // Not the graded matrices: ?geev balances (D⁻¹·A·D) before the QR algorithm, and its
        // backward error is small relative to the *balanced* matrix only; mapped back through
        // D it can be O(‖A‖) (James, Langou & Lowery, "On matrix balancing and eigenvector
        // computation", 2014). NumPy returns the very same eigenpairs there — e.g. for
        // [[3e-151, -7e-151], [2e149, 9e149]] both give the eigenvector [1, 0] with residual
        // ratio 5e14 — so it is LAPACK's behaviour, not ndkit's, and not testable this way.
        let cases = general_cases::<T>(&mut rng, n, n)
            .into_iter()
            .filter(|(name, _)| name != "graded");
        for (name, a) in cases {
            for layout in layouts(&a) {
                let label = format!("{} {name} {n}×{n} {}", T::NAME, layout.layout);
                check_eig(&layout.view(), name == "random", &label);
            }
        }
    }
}

#[test]
fn eig_f32() {
    eig_suite::<f32>(21);
}

#[test]
fn eig_f64() {
    eig_suite::<f64>(22);
}

#[test]
fn eig_c32() {
    eig_suite::<c32>(23);
}

#[test]
fn eig_c64() {
    eig_suite::<c64>(24);
}

#[test]
fn eig_known_values() {
    // A rotation by 90°: np.linalg.eigvals([[0, -1], [1, 0]]) = [0+1j, 0-1j] (in this order).
    // Exact in exact arithmetic; 1e-15 allows a rounding in the 2×2 standardisation.
    let w = eigvals(&ndarray::array![[0.0_f64, -1.0], [1.0, 0.0]]).unwrap();
    let want = [c64::new(0.0, 1.0), c64::new(0.0, -1.0)];
    assert!(
        w.iter().zip(want).all(|(g, r)| (g - r).norm() < 1e-15),
        "{w}"
    );
    // Upper triangular: np.linalg.eigvals gives the diagonal [1, 4, 6] in order; balancing
    // isolates each one, so they come out exact.
    let t = ndarray::array![[1.0_f32, 2.0, 3.0], [0.0, 4.0, 5.0], [0.0, 0.0, 6.0]];
    let w = eigvals(&t).unwrap();
    assert_eq!(
        w,
        ndarray::array![c32::new(1.0, 0.0), c32::new(4.0, 0.0), c32::new(6.0, 0.0)]
    );
    check_eig(&t.view(), true, "triangular f32");
    let tc = t.mapv(|x| c32::new(x, -x));
    check_eig(&tc.view(), true, "triangular c32");
}

#[test]
fn eig_empty() {
    fn check<T: TestScalar>() {
        let a = Array2::<T>::zeros((0, 0));
        let e = eig(&a).unwrap();
        assert_eq!((e.values.len(), e.vectors.dim()), (0, (0, 0)));
        assert_eq!(eigvals(&a).unwrap().len(), 0);
    }
    check::<f32>();
    check::<f64>();
    check::<c32>();
    check::<c64>();
}

#[test]
fn eig_errors() {
    let rect = Array2::<c32>::zeros((3, 1));
    assert_eq!(
        eig(&rect).unwrap_err(),
        Error::NotSquare {
            op: "eig",
            shape: vec![3, 1]
        }
    );
    assert_eq!(
        eigvals(&rect).unwrap_err(),
        Error::NotSquare {
            op: "eigvals",
            shape: vec![3, 1]
        }
    );
    let empty_rect = Array2::<f64>::zeros((0, 2));
    assert_eq!(
        eig(&empty_rect).unwrap_err(),
        Error::NotSquare {
            op: "eig",
            shape: vec![0, 2]
        }
    );
    let mut a = Array2::<f64>::eye(3);
    a[[0, 2]] = f64::NAN;
    assert_eq!(
        eig(&a).unwrap_err(),
        Error::NonFinite {
            op: "eig",
            shape: vec![3, 3]
        }
    );
    assert_eq!(
        eigvals(&a.slice(s![..;-1, ..])).unwrap_err(),
        Error::NonFinite {
            op: "eigvals",
            shape: vec![3, 3]
        }
    );
}

// --------------------------------------------------------------------------------------- QR

/// Shapes, backward error, orthogonality and exact upper-triangularity of `qr(a)`.
fn check_qr<T: TestScalar>(a: &ArrayView2<T>, label: &str) {
    let (m, n) = a.dim();
    let k = m.min(n);
    let f = qr(a).unwrap_or_else(|e| panic!("{label}: qr failed: {e}"));
    assert_eq!((f.q.dim(), f.r.dim()), ((m, k), (k, n)), "{label}: shapes");
    // ‖A − Q·R‖_F/(‖A‖_F·max(m,n)·ε) (LAPACK's dqrt01): Householder QR is backward stable.
    assert_ratio(
        backward(a, &f.q.dot(&f.r).view(), m.max(n)),
        "qr backward error",
        label,
    );
    // ‖QᴴQ − I‖/(m·ε).
    assert_ratio(orth_cols(&f.q.view()), "QᴴQ − I", label);
    for ((i, j), &x) in f.r.indexed_iter() {
        assert!(
            i <= j || x == T::default(),
            "{label}: r[{i}, {j}] = {x} below the diagonal"
        );
    }
}

fn qr_suite<T: TestScalar>(seed: u64) {
    let mut rng = rng(seed);
    for (m, n) in shapes() {
        for (name, a) in general_cases::<T>(&mut rng, m, n) {
            for layout in layouts(&a) {
                check_qr(
                    &layout.view(),
                    &format!("{} {name} {m}×{n} {}", T::NAME, layout.layout),
                );
            }
        }
    }
}

#[test]
fn qr_f32() {
    qr_suite::<f32>(31);
}

#[test]
fn qr_f64() {
    qr_suite::<f64>(32);
}

#[test]
fn qr_c32() {
    qr_suite::<c32>(33);
}

#[test]
fn qr_c64() {
    qr_suite::<c64>(34);
}

/// NumPy: qr(zeros((0, 3))) → q (0, 0), r (0, 3); qr(zeros((3, 0))) → q (3, 0), r (0, 0).
#[test]
fn qr_empty_matches_numpy() {
    fn check<T: TestScalar>() {
        for (m, n) in [(0, 3), (3, 0), (0, 0)] {
            let f = qr(&Array2::<T>::zeros((m, n))).unwrap();
            assert_eq!(
                (f.q.dim(), f.r.dim()),
                ((m, m.min(n)), (m.min(n), n)),
                "{} {m}×{n}",
                T::NAME
            );
        }
    }
    check::<f32>();
    check::<f64>();
    check::<c32>();
    check::<c64>();
}

#[test]
fn qr_propagates_nan_like_numpy() {
    // Householder QR is direct, not iterative: NumPy returns NaNs rather than raising, and so
    // do we (no LAPACK routine can hang on it).
    let mut a = Array2::<f64>::eye(3);
    a[[1, 1]] = f64::NAN;
    let f = qr(&a).unwrap();
    assert!(f.r.iter().any(|x| x.is_nan()));
}
