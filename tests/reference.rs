//! Golden-value tests: ndkit against NumPy/SciPy.
//!
//! The inputs and reference outputs live in `tests/reference/data/*.npy`; they were produced by
//! `tests/reference/generate.py` (versions in `tests/reference/data/VERSIONS.txt`). Regenerate
//! with `python tests/reference/generate.py`. Scalars are stored as 1-d arrays of length 1.
//!
//! Errors are measured normwise: `max |got - want| / max |want|` over the whole result, which is
//! what backward-error analysis bounds (elementwise relative error of a tiny entry is not).
//! Every check prints its observed error, so `cargo test --test reference -- --nocapture` shows
//! the margin to each tolerance.

mod common;

use common::{assert_rel_close, assert_scalar_close};
use ndarray::{s, Array, Array1, Array2, ArrayD};
use ndarray_npy::ReadNpyExt;
use ndkit::c64;
use ndkit::linalg::{self, MatrixNorm, VectorNorm, UPLO};

/// Unit roundoff of f64 (2.2e-16).
const EPS: f64 = f64::EPSILON;

/// Tolerance for the well-conditioned cases (every matrix here except Hilbert(8)).
/// generate.py prints their 2-norm condition numbers: κ ≤ 17 (A 15.3, C 16.6, M 3.65, the
/// rank-3 part of R σ₁/σ₃ = 3.4), with n ≤ 12. A backward-stable LAPACK routine then has a
/// normwise relative forward error ≲ n·κ·ε ≈ 5e-14 on each side (ndkit's and NumPy's), so
/// 1e-10 leaves three orders of magnitude for different BLAS kernels and blocking while still
/// catching every real bug (a missed transpose/conjugation, wrong ordering or triangle, a
/// wrong default cutoff) — those give errors of order 1.
const TOL: f64 = 1e-10;

/// Dimension of the Hilbert matrix.
const HILBERT_N: f64 = 8.0;

/// Backward-error constant p(n)·ε for one SVD/LU of an 8×8 matrix, taking the customary
/// p(n) = 8n for the Householder-based reductions LAPACK uses (the growth factor of partial
/// pivoting on the SPD Hilbert matrix is ≤ 1). The reference and ndkit each contribute one such
/// error, hence the factor 2 where both are compared.
const HILBERT_BACKWARD: f64 = 8.0 * HILBERT_N * EPS;

const DATA_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reference/data/");

// ------------------------------------------------------------------------------------ helpers

fn load<T: ReadNpyExt>(name: &str) -> T {
    common::load_npy(DATA_DIR, name)
}

fn load1(name: &str) -> Array1<f64> {
    load(name)
}

fn load2(name: &str) -> Array2<f64> {
    load(name)
}

fn load_c1(name: &str) -> Array1<c64> {
    load(name)
}

fn load_c2(name: &str) -> Array2<c64> {
    load(name)
}

/// A scalar stored as a length-1 array.
fn load_scalar(name: &str) -> f64 {
    let a = load1(name);
    assert_eq!(a.len(), 1, "{name}: expected one value");
    a[0]
}

fn load_c_scalar(name: &str) -> c64 {
    let a = load_c1(name);
    assert_eq!(a.len(), 1, "{name}: expected one value");
    a[0]
}

fn load_rank(name: &str) -> usize {
    let a: Array1<i64> = load(name);
    assert_eq!(a.len(), 1, "{name}: expected one value");
    usize::try_from(a[0]).expect("rank is non-negative")
}

/// `a` with the strictly upper (for `keep == Lower`) or strictly lower triangle overwritten by
/// `junk`: functions documented to read only one triangle must not see it.
fn poison_other_triangle<T: Copy>(a: &Array2<T>, keep: UPLO, junk: T) -> Array2<T> {
    let mut out = a.clone();
    for ((i, j), x) in out.indexed_iter_mut() {
        let other = match keep {
            UPLO::Lower => j > i,
            UPLO::Upper => i > j,
        };
        if other {
            *x = junk;
        }
    }
    out
}

/// Matches each reference eigenvalue with the nearest unused computed one and returns the
/// computed values in the reference's order (sorting conjugate pairs by (re, im) is fragile:
/// their real parts agree only to rounding).
fn match_to_reference(got: &Array1<c64>, want: &Array1<c64>) -> Array1<c64> {
    assert_eq!(got.len(), want.len(), "number of eigenvalues");
    let mut used = vec![false; got.len()];
    want.iter()
        .map(|&w| {
            let (k, _) = got
                .iter()
                .enumerate()
                .filter(|(k, _)| !used[*k])
                .min_by(|(_, a), (_, b)| (**a - w).norm().total_cmp(&(**b - w).norm()))
                .expect("one unused eigenvalue left");
            used[k] = true;
            got[k]
        })
        .collect()
}

// ------------------------------------------------------------------------------------ tests

#[test]
fn solve_inv_det_slogdet() -> ndkit::Result<()> {
    let a = load2("solve_A");
    let b = load1("solve_b");
    let bm = load2("solve_B");

    assert_rel_close(
        "solve(A, b)",
        &linalg::solve(&a, &b)?,
        &load1("solve_x"),
        TOL,
    );
    assert_rel_close(
        "solve(A, B)",
        &linalg::solve(&a, &bm)?,
        &load2("solve_X"),
        TOL,
    );
    assert_rel_close("inv(A)", &linalg::inv(&a)?, &load2("inv_A"), TOL);
    assert_scalar_close("det(A)", linalg::det(&a)?, load_scalar("det_A"), TOL);

    let (sign, logabsdet) = linalg::slogdet(&a)?;
    assert_eq!(sign, load_scalar("slogdet_A_sign"), "slogdet(A) sign");
    // log|det| ≈ 6.7; its absolute error is the relative error of det, so TOL applies to it.
    assert_scalar_close(
        "slogdet(A) logabsdet",
        logabsdet,
        load_scalar("slogdet_A_logabsdet"),
        TOL,
    );

    // The same matrix in other memory layouts must give the same answers (the crate's contract: any layout).
    let at = a.t().to_owned();
    let a_fortran = at.t();
    let a_rev = a.slice(s![..;-1, ..]).to_owned();
    let a_negstride = a_rev.slice(s![..;-1, ..]);
    assert_eq!(a_fortran, a);
    assert_eq!(a_negstride, a);
    assert_rel_close(
        "solve(A Fortran order, B)",
        &linalg::solve(&a_fortran, &bm)?,
        &load2("solve_X"),
        TOL,
    );
    assert_rel_close(
        "solve(A negative stride, b)",
        &linalg::solve(&a_negstride, &b)?,
        &load1("solve_x"),
        TOL,
    );
    assert_rel_close(
        "inv(A Fortran order)",
        &linalg::inv(&a_fortran)?,
        &load2("inv_A"),
        TOL,
    );
    assert_scalar_close(
        "det(A negative stride)",
        linalg::det(&a_negstride)?,
        load_scalar("det_A"),
        TOL,
    );
    Ok(())
}

#[test]
fn matrix_power() -> ndkit::Result<()> {
    let a = load2("solve_A");
    assert_rel_close(
        "matrix_power(A, 3)",
        &linalg::matrix_power(&a, 3)?,
        &load2("matrix_power_A_3"),
        TOL,
    );
    assert_rel_close(
        "matrix_power(A, -2)",
        &linalg::matrix_power(&a, -2)?,
        &load2("matrix_power_A_neg2"),
        TOL,
    );
    Ok(())
}

#[test]
fn cond() -> ndkit::Result<()> {
    let a = load2("solve_A");
    for (ord, tag) in [
        (MatrixNorm::Two, "2"),
        (MatrixNorm::Fro, "fro"),
        (MatrixNorm::One, "1"),
        (MatrixNorm::Inf, "inf"),
    ] {
        let want = load_scalar(&format!("cond_A_{tag}"));
        assert_scalar_close(
            &format!("cond(A, {ord:?})"),
            linalg::cond(&a, ord)?,
            want,
            TOL,
        );
    }
    Ok(())
}

#[test]
fn matrix_norms() -> ndkit::Result<()> {
    let a = load2("solve_A");
    for (ord, tag) in [
        (MatrixNorm::Fro, "fro"),
        (MatrixNorm::Nuc, "nuc"),
        (MatrixNorm::One, "1"),
        (MatrixNorm::NegOne, "neg1"),
        (MatrixNorm::Inf, "inf"),
        (MatrixNorm::NegInf, "neginf"),
        (MatrixNorm::Two, "2"),
        (MatrixNorm::NegTwo, "neg2"),
    ] {
        let want = load_scalar(&format!("matrix_norm_A_{tag}"));
        assert_scalar_close(
            &format!("matrix_norm(A, {ord:?})"),
            linalg::matrix_norm(&a, ord)?,
            want,
            TOL,
        );
    }
    Ok(())
}

#[test]
fn vector_norms() {
    for name in ["v", "v0"] {
        let v = load1(&format!("vector_norm_{name}"));
        for (ord, tag) in [
            (VectorNorm::L1, "1"),
            (VectorNorm::L2, "2"),
            (VectorNorm::Inf, "inf"),
            (VectorNorm::NegInf, "neginf"),
            (VectorNorm::Zero, "0"),
            (VectorNorm::P(3.5), "p3_5"),
        ] {
            let want = load_scalar(&format!("vector_norm_{name}_{tag}"));
            let got = linalg::vector_norm(&v, ord);
            assert_scalar_close(&format!("vector_norm({name}, {ord:?})"), got, want, TOL);
        }
    }
}

#[test]
fn eigvalsh_symmetric() -> ndkit::Result<()> {
    let s = load2("eigvalsh_S");
    let want = load1("eigvalsh_S_values");
    for uplo in [UPLO::Lower, UPLO::Upper] {
        // 777 in the unused triangle: only the named triangle may be read.
        let poisoned = poison_other_triangle(&s, uplo, 777.0);
        assert_rel_close(
            &format!("eigvalsh(S, {uplo:?})"),
            &linalg::eigvalsh(&poisoned, uplo)?,
            &want,
            TOL,
        );
        let eigh = linalg::eigh(&poisoned, uplo)?;
        assert_rel_close(
            &format!("eigh(S, {uplo:?}).values"),
            &eigh.values,
            &want,
            TOL,
        );
    }
    Ok(())
}

#[test]
fn cholesky_lower() -> ndkit::Result<()> {
    let p = load2("cholesky_P");
    let poisoned = poison_other_triangle(&p, UPLO::Lower, 777.0);
    // np.linalg.cholesky's factor has an exactly zero upper triangle, as ndkit promises too.
    assert_rel_close(
        "cholesky(P, Lower)",
        &linalg::cholesky(&poisoned, UPLO::Lower)?,
        &load2("cholesky_P_lower"),
        TOL,
    );
    Ok(())
}

#[test]
fn rectangular_svd_pinv_rank() -> ndkit::Result<()> {
    let m = load2("rect_M");
    let sv = load1("rect_M_svdvals");
    assert_rel_close("svdvals(M)", &linalg::svdvals(&m)?, &sv, TOL);
    assert_rel_close("svd(M, false).s", &linalg::svd(&m, false)?.s, &sv, TOL);
    assert_rel_close(
        "pinv(M, None)",
        &linalg::pinv(&m, None)?,
        &load2("rect_M_pinv"),
        TOL,
    );
    assert_eq!(
        linalg::matrix_rank(&m, None)?,
        load_rank("rect_M_rank"),
        "matrix_rank(M)"
    );
    Ok(())
}

#[test]
fn lstsq_rectangular() -> ndkit::Result<()> {
    let m = load2("rect_M");

    let b = load1("lstsq_M_b");
    let r = linalg::lstsq(&m, &b, None)?;
    assert_rel_close(
        "lstsq(M, b).solution",
        &r.solution,
        &load1("lstsq_M_b_solution"),
        TOL,
    );
    assert_rel_close(
        "lstsq(M, b).residuals",
        &r.residuals,
        &load1("lstsq_M_b_residuals"),
        TOL,
    );
    assert_eq!(r.rank, load_rank("lstsq_M_b_rank"), "lstsq(M, b).rank");
    assert_rel_close(
        "lstsq(M, b).singular_values",
        &r.singular_values,
        &load1("lstsq_M_b_singular_values"),
        TOL,
    );

    let bm = load2("lstsq_M_B");
    let r = linalg::lstsq(&m, &bm, None)?;
    assert_rel_close(
        "lstsq(M, B).solution",
        &r.solution,
        &load2("lstsq_M_B_solution"),
        TOL,
    );
    assert_rel_close(
        "lstsq(M, B).residuals",
        &r.residuals,
        &load1("lstsq_M_B_residuals"),
        TOL,
    );
    assert_eq!(r.rank, load_rank("lstsq_M_B_rank"), "lstsq(M, B).rank");
    assert_rel_close(
        "lstsq(M, B).singular_values",
        &r.singular_values,
        &load1("lstsq_M_B_singular_values"),
        TOL,
    );
    Ok(())
}

#[test]
fn rank_deficient() -> ndkit::Result<()> {
    // R = X·Y with X 6×3, Y 3×6: σ₄..σ₆ ≈ 1e-16·σ₁ (rounding noise), far below the default
    // cutoff max(M, N)·ε·σ₁ ≈ 1.8e-14, and σ₃/σ₁ = 0.3, so the numerical rank 3 is unambiguous.
    let r = load2("rankdef_R");
    let b = load1("rankdef_R_b");
    // Normwise relative to σ₁: the three noise values only need to be ≲ TOL·σ₁.
    assert_rel_close(
        "svdvals(R)",
        &linalg::svdvals(&r)?,
        &load1("rankdef_R_svdvals"),
        TOL,
    );
    assert_eq!(
        linalg::matrix_rank(&r, None)?,
        load_rank("rankdef_R_rank"),
        "matrix_rank(R)"
    );
    assert_rel_close(
        "pinv(R, None)",
        &linalg::pinv(&r, None)?,
        &load2("rankdef_R_pinv"),
        TOL,
    );

    let l = linalg::lstsq(&r, &b, None)?;
    assert_rel_close(
        "lstsq(R, b).solution (min norm)",
        &l.solution,
        &load1("rankdef_R_lstsq_solution"),
        TOL,
    );
    // NumPy: residuals are empty when rank < N.
    assert_eq!(
        l.residuals.len(),
        0,
        "lstsq(R, b).residuals must be empty (rank < N)"
    );
    assert_eq!(
        l.rank,
        load_rank("rankdef_R_lstsq_rank"),
        "lstsq(R, b).rank"
    );
    assert_rel_close(
        "lstsq(R, b).singular_values",
        &l.singular_values,
        &load1("rankdef_R_lstsq_singular_values"),
        TOL,
    );
    Ok(())
}

#[test]
fn eigvals_nonsymmetric() -> ndkit::Result<()> {
    let g = load2("eigvals_G");
    let want = load_c1("eigvals_G_sorted");
    let got: Array1<c64> = linalg::eigvals(&g)?;
    assert_rel_close(
        "eigvals(G) (matched to sorted reference)",
        &match_to_reference(&got, &want),
        &want,
        TOL,
    );
    let eig = linalg::eig(&g)?;
    assert_rel_close(
        "eig(G).values",
        &match_to_reference(&eig.values, &want),
        &want,
        TOL,
    );
    Ok(())
}

#[test]
fn hilbert_ill_conditioned() -> ndkit::Result<()> {
    let h = load2("hilbert8");
    let kappa = load_scalar("hilbert8_cond2"); // ≈ 1.5e10

    // Singular values: each computation perturbs A by ‖δA‖ ≤ p(n)·ε·‖A‖, so by Weyl every σᵢ
    // moves by at most that much — an absolute bound relative to σ₁ (2·64·ε ≈ 2.8e-14). The small
    // σᵢ are not determined to any relative accuracy by this argument, so none is claimed.
    assert_rel_close(
        "svdvals(Hilbert8) (relative to σ₁)",
        &linalg::svdvals(&h)?,
        &load1("hilbert8_svdvals"),
        2.0 * HILBERT_BACKWARD,
    );

    // cond₂ = σ₁/σ₈: σ₈'s absolute error is ≤ p(n)·ε·σ₁ per side, i.e. a relative error of
    // p(n)·ε·κ per side (≈ 4.3e-4 in total for κ = 1.5e10).
    let tol_cond = 2.0 * HILBERT_BACKWARD * kappa;
    assert_scalar_close(
        "cond(Hilbert8, Two)",
        linalg::cond(&h, MatrixNorm::Two)?,
        kappa,
        tol_cond,
    );

    // det from LU: to first order Δdet/det = tr(A⁻¹·δA), |tr(A⁻¹·δA)| ≤ n·‖A⁻¹‖·‖δA‖, so the
    // relative error is ≤ n·p(n)·ε·κ per side (≈ 3.5e-3 in total). The Hilbert matrix is SPD,
    // so the sign is exactly +1. log|det| inherits the relative error of det as an absolute one.
    let tol_det = HILBERT_N * tol_cond;
    assert_scalar_close(
        "det(Hilbert8)",
        linalg::det(&h)?,
        load_scalar("hilbert8_det"),
        tol_det,
    );
    let (sign, logabsdet) = linalg::slogdet(&h)?;
    assert_eq!(
        sign,
        load_scalar("hilbert8_slogdet_sign"),
        "slogdet(Hilbert8) sign"
    );
    let want = load_scalar("hilbert8_slogdet_logabsdet"); // ≈ -74.98
    let err = (logabsdet - want).abs();
    eprintln!(
        "{:<42} abs err {err:9.2e} (tol {tol_det:.1e})",
        "slogdet(Hilbert8) logabsdet"
    );
    assert!(
        err <= tol_det,
        "slogdet(Hilbert8) logabsdet: got {logabsdet}, want {want}"
    );
    Ok(())
}

#[test]
fn complex_general() -> ndkit::Result<()> {
    let c = load_c2("complex_C");
    let b = load_c1("complex_C_b");
    assert_rel_close(
        "solve(C, b) complex",
        &linalg::solve(&c, &b)?,
        &load_c1("complex_C_solve_x"),
        TOL,
    );
    assert_rel_close(
        "inv(C) complex",
        &linalg::inv(&c)?,
        &load_c2("complex_C_inv"),
        TOL,
    );
    assert_scalar_close(
        "det(C) complex",
        linalg::det(&c)?,
        load_c_scalar("complex_C_det"),
        TOL,
    );
    assert_rel_close(
        "svdvals(C) complex",
        &linalg::svdvals(&c)?,
        &load1("complex_C_svdvals"),
        TOL,
    );
    Ok(())
}

#[test]
fn complex_hermitian_eigvalsh() -> ndkit::Result<()> {
    let h = load_c2("complex_H");
    let want = load1("complex_H_eigvalsh");
    for uplo in [UPLO::Lower, UPLO::Upper] {
        let poisoned = poison_other_triangle(&h, uplo, c64::new(777.0, -555.0));
        assert_rel_close(
            &format!("eigvalsh(H, {uplo:?}) complex"),
            &linalg::eigvalsh(&poisoned, uplo)?,
            &want,
            TOL,
        );
    }
    Ok(())
}

#[test]
fn complex_lstsq() -> ndkit::Result<()> {
    let a = load_c2("complex_lstsq_A");
    let b = load_c1("complex_lstsq_b");
    let r = linalg::lstsq(&a, &b, None)?;
    assert_rel_close(
        "lstsq(L, b).solution complex",
        &r.solution,
        &load_c1("complex_lstsq_solution"),
        TOL,
    );
    assert_rel_close(
        "lstsq(L, b).residuals complex",
        &r.residuals,
        &load1("complex_lstsq_residuals"),
        TOL,
    );
    assert_eq!(
        r.rank,
        load_rank("complex_lstsq_rank"),
        "complex lstsq rank"
    );
    assert_rel_close(
        "lstsq(L, b).singular_values complex",
        &r.singular_values,
        &load1("complex_lstsq_singular_values"),
        TOL,
    );
    Ok(())
}

#[test]
fn multi_dot() -> ndkit::Result<()> {
    let mats: Vec<Array2<f64>> = (0..4).map(|i| load2(&format!("multi_dot_{i}"))).collect();
    let views: Vec<_> = mats.iter().map(|m| m.view()).collect();
    // Sums of ≤ 12 products of O(1) random numbers: relative error ≲ 12·ε per product level.
    assert_rel_close(
        "multi_dot(10×3, 3×12, 12×4, 4×9)",
        &linalg::multi_dot(&views)?,
        &load2("multi_dot_result"),
        TOL,
    );
    Ok(())
}

#[test]
fn batched_matmul_broadcast() -> ndkit::Result<()> {
    let a: ArrayD<f64> = load("batched_matmul_a"); // (2, 1, 3, 4)
    let b: ArrayD<f64> = load("batched_matmul_b"); // (5, 4, 2)
    let want: ArrayD<f64> = load("batched_matmul_result"); // (2, 5, 3, 2)
    assert_rel_close(
        "batched_matmul((2,1,3,4), (5,4,2))",
        &linalg::batched_matmul(&a, &b)?,
        &want,
        TOL,
    );
    Ok(())
}

#[test]
fn qr_invariants() -> ndkit::Result<()> {
    let a = load2("qr_A");
    let qr = linalg::qr(&a)?;
    assert_eq!(qr.q.dim(), (5, 3), "qr(A).q shape");
    assert_eq!(qr.r.dim(), (3, 3), "qr(A).r shape");
    // The signs of R's diagonal are convention-dependent; |diag R| is not.
    let abs_diag: Array1<f64> = qr.r.diag().mapv(f64::abs);
    assert_rel_close("|diag qr(A).r|", &abs_diag, &load1("qr_A_abs_diag_r"), TOL);
    // Invariants, relative to ‖A‖² and ‖A‖ respectively: RᵀR = AᵀA, QᵀQ = I, QR = A.
    assert_rel_close(
        "qr(A): RᵀR = AᵀA",
        &qr.r.t().dot(&qr.r),
        &a.t().dot(&a),
        TOL,
    );
    assert_rel_close("qr(A): QᵀQ = I", &qr.q.t().dot(&qr.q), &Array::eye(3), TOL);
    assert_rel_close("qr(A): QR = A", &qr.q.dot(&qr.r), &a, TOL);
    let below: f64 =
        qr.r.indexed_iter()
            .filter(|((i, j), _)| i > j)
            .map(|(_, x)| x.abs())
            .sum();
    assert_eq!(below, 0.0, "qr(A).r must be zero below the diagonal");
    Ok(())
}
