//! The per-matrix work of the LU- and Cholesky-based stacked functions: the register-level
//! kernels of [`crate::linalg::small`] for small matrices, LAPACK (with work arrays kept
//! across the stack) for the others. Both give the 2-D functions' results and errors: a small
//! matrix takes the fast path only when `?gesvx` would not equilibrate it, and its singularity
//! verdict uses the same `rcond < ε` rule on the 1-norm condition number: `solve` with
//! Higham's estimate of ‖A⁻¹‖₁ as `?gecon` computes it, `inv` with the exact norm of the
//! inverse it has computed anyway (the estimate is a lower bound, so a matrix within a few
//! ulps of the threshold may be judged differently by the two).

use ndarray::{ArrayView2, ArrayViewMut1, ArrayViewMut2};
use num_traits::{Float, One, ToPrimitive};

use crate::linalg::decomp::cholesky::cholesky_into;
use crate::linalg::decomp::eig::EighCore;
use crate::linalg::decomp::equilibration::certainly_unscaled;
use crate::linalg::decomp::lu::LuFactor;
use crate::linalg::decomp::svd::{SvdCore, SvdVectors};
use crate::linalg::small::cholesky::{self as small_cholesky, Failure, CHOLESKY_MAX};
use crate::linalg::small::lu::{SmallLu, LU_MAX};
use crate::linalg::small::{self, EIGH_MAX, SVD_MAX};
use crate::linalg::UPLO;
use crate::{Error, Result, Scalar};

/// What one worker keeps from one matrix to the next.
pub(super) struct Worker<T: Scalar> {
    lu: LuFactor<T>,
    scratch: Vec<T>,
}

impl<T: Scalar> Default for Worker<T> {
    fn default() -> Self {
        Worker {
            lu: LuFactor::default(),
            scratch: Vec::new(),
        }
    }
}

/// The small-matrix LU of `a` when it qualifies (not to be equilibrated), with `a`'s
/// 1-norm. `a`'s order must be at most `M`.
fn small_lu<T: Scalar, const M: usize>(a: &ArrayView2<'_, T>) -> Option<(SmallLu<T, M>, T::Real)> {
    let n = a.nrows();
    let mut lu = SmallLu::load(a);
    let stats = lu.stats();
    certainly_unscaled(&stats.row_max[..n], &stats.col_max[..n]).then(|| {
        lu.factor_in_place();
        (lu, stats.norm1)
    })
}

/// Runs `$body` with `M` bound to the array size for an order-`$n` small kernel (4, 8 or
/// [`LU_MAX`]), or evaluates to `None` when `$n` is 0 or above [`LU_MAX`].
macro_rules! by_order {
    ($n:expr, $f:ident ( $($arg:expr),* )) => {
        match $n {
            1..=4 => $f::<T, 4>($($arg),*),
            5..=8 => $f::<T, 8>($($arg),*),
            9..=LU_MAX => $f::<T, LU_MAX>($($arg),*),
            _ => None,
        }
    };
}

/// [`Error::Singular`] as [`LuFactor`] reports it: an exactly zero pivot, or a reciprocal
/// condition number `1/(‖A‖₁·‖A⁻¹‖₁)` below ε (not judged when ‖A‖₁ is not finite).
fn check_nonsingular<T: Scalar, const M: usize>(
    op: &'static str,
    lu: &SmallLu<T, M>,
    norm1: T::Real,
    inv_norm1: impl FnOnce() -> T::Real,
) -> Result<()> {
    if let Some(pivot) = lu.zero_pivot() {
        return Err(Error::Singular {
            op,
            pivot: Some(pivot),
            rcond: 0.0,
        });
    }
    if norm1.is_finite() {
        let rcond = T::Real::one() / (norm1 * inv_norm1());
        if rcond < T::Real::epsilon() {
            return Err(Error::Singular {
                op,
                pivot: None,
                rcond: rcond.to_f64().unwrap_or(0.0),
            });
        }
    }
    Ok(())
}

/// The inverse of the square `a` into `out`, as [`crate::linalg::inv`].
pub(super) fn inverse<T: Scalar>(
    op: &'static str,
    worker: &mut Worker<T>,
    a: ArrayView2<'_, T>,
    mut out: ArrayViewMut2<'_, T>,
) -> Result<()> {
    if let Some(result) = by_order!(a.nrows(), small_inverse(op, &a, &mut out)) {
        return result;
    }
    worker.lu.refactor(op, a, true)?;
    worker.lu.inv_into(op, out, &mut worker.scratch)
}

fn small_inverse<T: Scalar, const M: usize>(
    op: &'static str,
    a: &ArrayView2<'_, T>,
    out: &mut ArrayViewMut2<'_, T>,
) -> Option<Result<()>> {
    let (lu, norm1) = small_lu::<T, M>(a)?;
    if lu.zero_pivot().is_some() {
        return Some(check_nonsingular(op, &lu, norm1, T::Real::one));
    }
    let inv_norm1 = lu.inverse_into(out);
    Some(check_nonsingular(op, &lu, norm1, || inv_norm1))
}

/// `A·x = b` for the square `a` and n×k `b`, into `x`, as [`crate::linalg::solve`].
pub(super) fn solve<T: Scalar>(
    op: &'static str,
    worker: &mut Worker<T>,
    a: ArrayView2<'_, T>,
    b: ArrayView2<'_, T>,
    mut x: ArrayViewMut2<'_, T>,
) -> Result<()> {
    if let Some(result) = by_order!(a.nrows(), small_solve(op, &a, &b, &mut x)) {
        return result;
    }
    worker.lu.refactor(op, a, true)?;
    worker.lu.solve_into(op, b, x, &mut worker.scratch)
}

fn small_solve<T: Scalar, const M: usize>(
    op: &'static str,
    a: &ArrayView2<'_, T>,
    b: &ArrayView2<'_, T>,
    x: &mut ArrayViewMut2<'_, T>,
) -> Option<Result<()>> {
    let (lu, norm1) = small_lu::<T, M>(a)?;
    Some(
        check_nonsingular(op, &lu, norm1, || lu.inverse_norm1_estimate()).map(|()| {
            x.assign(b);
            lu.solve_in_place(x);
        }),
    )
}

/// `(sign, log|det|)` of the square `a`, as [`crate::linalg::slogdet`].
pub(super) fn slogdet<T: Scalar>(
    op: &'static str,
    worker: &mut Worker<T>,
    a: ArrayView2<'_, T>,
) -> Result<(T, T::Real)> {
    // Determinants are never equilibrated (as in the 2-D functions).
    if let Some(result) = by_order!(a.nrows(), small_slogdet(&a)) {
        return Ok(result);
    }
    worker.lu.refactor(op, a, false)?;
    Ok(worker.lu.slogdet())
}

fn small_slogdet<T: Scalar, const M: usize>(a: &ArrayView2<'_, T>) -> Option<(T, T::Real)> {
    Some(SmallLu::<T, M>::factor(a).slogdet())
}

/// The Cholesky factor of the `uplo` triangle of `a` into `out`, as
/// [`crate::linalg::cholesky`].
pub(super) fn cholesky<T: Scalar>(
    op: &'static str,
    worker: &mut Worker<T>,
    a: ArrayView2<'_, T>,
    uplo: UPLO,
    mut out: ArrayViewMut2<'_, T>,
) -> Result<()> {
    let n = a.nrows();
    let small = match n {
        0..=4 => small_cholesky::factor::<T, 4>(&a, uplo, &mut out),
        5..=8 => small_cholesky::factor::<T, 8>(&a, uplo, &mut out),
        9..=CHOLESKY_MAX => small_cholesky::factor::<T, CHOLESKY_MAX>(&a, uplo, &mut out),
        _ => return cholesky_into(op, a, uplo, out, &mut worker.scratch),
    };
    small.map_err(|failure| match failure {
        Failure::NonFinite => Error::NonFinite {
            op,
            shape: vec![n, n],
        },
        Failure::NotPositiveDefinite(minor) => Error::NotPositiveDefinite { op, minor },
    })
}

/// What an eigh/svd worker keeps from one matrix to the next: LAPACK's cores for the orders
/// above the Jacobi kernels, and the column-major copy the kernels read.
pub(super) struct SpectralWorker<T: Scalar> {
    eigh: EighCore<T>,
    svd: SvdCore<T>,
    copy: Vec<T>,
}

impl<T: Scalar> Default for SpectralWorker<T> {
    fn default() -> Self {
        SpectralWorker {
            eigh: EighCore::default(),
            svd: SvdCore::default(),
            copy: Vec::new(),
        }
    }
}

/// `a` column-major into `copy`.
fn load_column_major<T: Scalar>(a: &ArrayView2<'_, T>, copy: &mut Vec<T>) {
    copy.clear();
    for column in a.columns() {
        copy.extend(column.iter().copied());
    }
}

/// Eigenvalues (and vectors) of the `uplo` triangle of the square `a`, as
/// [`crate::linalg::eigh`]: by the Jacobi kernel up to order [`EIGH_MAX`] (eigenvectors may
/// differ from LAPACK's by a sign or phase per column), by `?syevd`/`?heevd` above.
pub(super) fn eigh<T: Scalar>(
    op: &'static str,
    worker: &mut SpectralWorker<T>,
    a: ArrayView2<'_, T>,
    uplo: UPLO,
    mut values: ArrayViewMut1<'_, T::Real>,
    mut vectors: Option<ArrayViewMut2<'_, T>>,
) -> Result<()> {
    let n = a.nrows();
    if (1..=EIGH_MAX).contains(&n) {
        let lower = uplo == UPLO::Lower;
        let read = |i: usize, j: usize| if lower { i >= j } else { i <= j };
        let finite = a
            .indexed_iter()
            .all(|((i, j), v)| !read(i, j) || v.finite());
        if !finite {
            return Err(Error::NonFinite {
                op,
                shape: vec![n, n],
            });
        }
        load_column_major(&a, &mut worker.copy);
        let column_major = vectors.as_ref().is_none_or(|v| v.t().is_standard_layout());
        if let (Some(w), true) = (values.as_slice_mut(), column_major) {
            let wanted = vectors.is_some();
            let v = vectors.as_mut().and_then(|v| v.as_slice_memory_order_mut());
            if v.is_some() == wanted && small::eigh(&mut worker.copy, n, lower, w, v) {
                return Ok(());
            }
        }
    }
    worker.eigh.run(op, a, uplo, values, vectors)
}

/// Singular values (and vectors) of `a`, as [`crate::linalg::svd`]: by the one-sided
/// Jacobi kernel up to max(m, n) = [`SVD_MAX`] (singular vectors may differ from LAPACK's by a
/// sign or phase per pair), by `?gesdd` above.
pub(super) fn svd<T: Scalar>(
    op: &'static str,
    worker: &mut SpectralWorker<T>,
    a: ArrayView2<'_, T>,
    mut s: ArrayViewMut1<'_, T::Real>,
    mut vectors: Option<SvdVectors<'_, T>>,
) -> Result<()> {
    let (m, n) = a.dim();
    if m.min(n) >= 1 && m.max(n) <= SVD_MAX {
        if !a.iter().all(|v| v.finite()) {
            return Err(Error::NonFinite {
                op,
                shape: vec![m, n],
            });
        }
        load_column_major(&a, &mut worker.copy);
        let column_major = vectors
            .as_ref()
            .is_none_or(|(u, vt, _)| u.t().is_standard_layout() && vt.t().is_standard_layout());
        if let (Some(sv), true) = (s.as_slice_mut(), column_major) {
            let wanted = vectors.is_some();
            let uv = vectors.as_mut().and_then(|(u, vt, full)| {
                Some((
                    u.as_slice_memory_order_mut()?,
                    vt.as_slice_memory_order_mut()?,
                    *full,
                ))
            });
            if uv.is_some() == wanted && small::svd(&mut worker.copy, m, n, sv, uv) {
                return Ok(());
            }
        }
    }
    worker.svd.run(op, a, s, vectors)
}
