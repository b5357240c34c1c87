//! The argument checks every LAPACK-backed operation shares: sizes within LAPACK's 32-bit
//! integers, square inputs, finite entries before an iterative routine, LAPACK's `info`
//! translated into [`Error`], and allocations and workspaces that fit.

use ndarray::{ArrayBase, Data, Dimension, Ix2};

use crate::{Error, Result, Scalar};

/// `n` as a LAPACK/BLAS integer, or [`Error::TooLarge`].
pub(crate) fn lapack_int(op: &'static str, n: usize) -> Result<i32> {
    i32::try_from(n).map_err(|_| Error::TooLarge { op, dim: n })
}

/// [`Error::TooLarge`] unless every dimension of `shape` fits a LAPACK integer.
pub(crate) fn check_dims(op: &'static str, shape: &[usize]) -> Result<()> {
    shape.iter().try_for_each(|&d| lapack_int(op, d).map(drop))
}

/// The order of a square matrix, or [`Error::NotSquare`].
pub(crate) fn square_order<T, S: Data<Elem = T>>(
    op: &'static str,
    a: &ArrayBase<S, Ix2>,
) -> Result<usize> {
    let (m, n) = a.dim();
    if m != n {
        return Err(Error::NotSquare {
            op,
            shape: vec![m, n],
        });
    }
    lapack_int(op, n)?;
    Ok(n)
}

/// [`Error::NonFinite`] when any entry of `a` is NaN or infinite.
pub(crate) fn ensure_finite<T: Scalar, S: Data<Elem = T>, D: Dimension>(
    op: &'static str,
    a: &ArrayBase<S, D>,
) -> Result<()> {
    // In memory order and without a branch per element (so it vectorises), in blocks that
    // stop at the first block holding a NaN or infinity.
    let all_finite = |xs: &[T]| {
        xs.chunks(256)
            .all(|block| block.iter().fold(true, |ok, x| ok & x.finite()))
    };
    let finite = match a.as_slice_memory_order() {
        Some(xs) => all_finite(xs),
        None => ndarray::Zip::from(a).all(|x| x.finite()),
    };
    if finite {
        Ok(())
    } else {
        Err(Error::NonFinite {
            op,
            shape: a.shape().to_vec(),
        })
    }
}

/// Translates a LAPACK `info`: 0 is success, a positive value a convergence failure of an
/// iterative routine. A negative value (an argument LAPACK rejected) cannot arise from the
/// checked arguments ndkit passes; it is still reported as an error rather than ignored.
pub(crate) fn lapack_status(op: &'static str, routine: &'static str, info: i32) -> Result<()> {
    match usize::try_from(info) {
        Ok(0) => Ok(()),
        Ok(unconverged) => Err(Error::NoConvergence {
            op,
            routine,
            unconverged,
        }),
        Err(_) => Err(Error::InvalidArgument {
            op,
            message: format!("{routine} rejected argument {}", -i64::from(info)),
        }),
    }
}

/// [`Error::TooLargeToAllocate`] when an array of `shape` would exceed `isize::MAX` bytes (the
/// allocation would otherwise panic).
pub(crate) fn ensure_allocatable<T>(op: &'static str, shape: &[usize]) -> Result<()> {
    let elements = shape.iter().map(|&d| d as u128).product::<u128>();
    let bytes = elements * std::mem::size_of::<T>() as u128;
    if bytes <= isize::MAX as u128 {
        Ok(())
    } else {
        Err(Error::TooLargeToAllocate {
            op,
            what: "the result",
            elements,
        })
    }
}

/// [`Error::TooLargeToAllocate`] when the workspace of `elements` that `routine` documents as its
/// minimum does not fit LAPACK's 32-bit `LWORK`: LAPACK's own size computation would overflow
/// and under-allocate (its workspace query returns a wrapped, too small value).
pub(crate) fn ensure_workspace(
    op: &'static str,
    routine: &'static str,
    elements: u128,
) -> Result<()> {
    if elements <= i32::MAX as u128 {
        Ok(())
    } else {
        Err(Error::TooLargeToAllocate {
            op,
            what: routine,
            elements,
        })
    }
}
