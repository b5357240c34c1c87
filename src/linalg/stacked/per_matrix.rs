//! The per-matrix work of the LU- and Cholesky-based stacked functions: the register-level
//! kernels of [`crate::linalg::small`] for small matrices, LAPACK (with work arrays kept
//! across the stack) for the others. Both give the 2-D functions' results and errors: a small
//! matrix takes the fast path only when `?gesvx` would not equilibrate it, and its singularity
//! verdict uses the same `rcond < ε` rule, with the exact 1-norm condition number in place of
//! `?gecon`'s estimate (which can only be larger, so a matrix within a few ulps of the threshold
//! may be judged differently).

use ndarray::{ArrayView2, ArrayViewMut2};
use num_traits::{Float, One, ToPrimitive};

use crate::linalg::decomp::cholesky::cholesky_into;
use crate::linalg::decomp::equilibration::certainly_unscaled;
use crate::linalg::decomp::lu::LuFactor;
use crate::linalg::small::cholesky::{self as small_cholesky, Failure, CHOLESKY_MAX};
use crate::linalg::small::lu::{SmallLu, SmallStats, LU_MAX};
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

/// The small-matrix LU of `a` when it qualifies (order 1..=[`LU_MAX`], not to be
/// equilibrated), with `a`'s 1-norm.
fn small_lu<T: Scalar>(a: &ArrayView2<'_, T>) -> Option<(SmallLu<T>, T::Real)> {
    let n = a.nrows();
    if n == 0 || n > LU_MAX {
        return None;
    }
    let stats = SmallStats::of(a);
    certainly_unscaled(&stats.row_max[..n], &stats.col_max[..n])
        .then(|| (SmallLu::factor(a), stats.norm1))
}

/// [`Error::Singular`] as [`LuFactor`] reports it: an exactly zero pivot, or a reciprocal
/// condition number `1/(‖A‖₁·‖A⁻¹‖₁)` below ε (not judged when ‖A‖₁ is not finite).
fn check_nonsingular<T: Scalar>(
    op: &'static str,
    lu: &SmallLu<T>,
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
    if let Some((lu, norm1)) = small_lu(&a) {
        if lu.zero_pivot().is_none() {
            let inv_norm1 = lu.inverse_into(&mut out);
            return check_nonsingular(op, &lu, norm1, || inv_norm1);
        }
        return check_nonsingular(op, &lu, norm1, T::Real::one);
    }
    worker.lu.refactor(op, a, true)?;
    worker.lu.inv_into(op, out)
}

/// `A·x = b` for the square `a` and n×k `b`, into `x`, as [`crate::linalg::solve`].
pub(super) fn solve<T: Scalar>(
    op: &'static str,
    worker: &mut Worker<T>,
    a: ArrayView2<'_, T>,
    b: ArrayView2<'_, T>,
    mut x: ArrayViewMut2<'_, T>,
) -> Result<()> {
    if let Some((lu, norm1)) = small_lu(&a) {
        check_nonsingular(op, &lu, norm1, || lu.inverse_norm1())?;
        x.assign(&b);
        lu.solve_in_place(&mut x);
        return Ok(());
    }
    worker.lu.refactor(op, a, true)?;
    worker.lu.solve_into(op, b, x, &mut worker.scratch)
}

/// `(sign, log|det|)` of the square `a`, as [`crate::linalg::slogdet`].
pub(super) fn slogdet<T: Scalar>(
    op: &'static str,
    worker: &mut Worker<T>,
    a: ArrayView2<'_, T>,
) -> Result<(T, T::Real)> {
    let n = a.nrows();
    if (1..=LU_MAX).contains(&n) {
        // Determinants are never equilibrated (as in the 2-D functions).
        return Ok(SmallLu::factor(&a).slogdet());
    }
    worker.lu.refactor(op, a, false)?;
    Ok(worker.lu.slogdet())
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
    if n > CHOLESKY_MAX {
        return cholesky_into(op, a, uplo, out, &mut worker.scratch);
    }
    small_cholesky::factor(&a, uplo, &mut out).map_err(|failure| match failure {
        Failure::NonFinite => Error::NonFinite {
            op,
            shape: vec![n, n],
        },
        Failure::NotPositiveDefinite(minor) => Error::NotPositiveDefinite { op, minor },
    })
}
