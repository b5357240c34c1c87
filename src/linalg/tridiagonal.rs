//! Tridiagonal systems, as `scipy.linalg.solve_banded((1, 1), …)` / LAPACK's `?gtsv`.
//!
//! | function | f32 | f64 | c32 | c64 |
//! |---|---|---|---|---|
//! | [`solve_tridiagonal`] | `sgtsv` | `dgtsv` | `cgtsv` | `zgtsv` |
//!
//! The three diagonals are copied (`?gtsv` overwrites them) and the right-hand sides copied
//! into a column-major solution buffer that LAPACK overwrites in place.

use ndarray::{Array, Array2, ArrayBase, Data, Dimension, Ix1, ShapeBuilder};

use super::decomp::lu::{into_rhs_shape, rhs_matrix};
use crate::kernels::with_lapack_stack;
use crate::layout::lapack_int;
use crate::{Error, Result, Scalar};

/// Solves the tridiagonal system `A·x = b` by Gaussian elimination with partial pivoting
/// (LAPACK `?gtsv`): `A` has sub-diagonal `dl` (n−1 entries), diagonal `d` (n) and
/// super-diagonal `du` (n−1), i.e. `A[i+1, i] = dl[i]`, `A[i, i] = d[i]`, `A[i, i+1] = du[i]`.
/// `b` is `(n,)` or `(n, k)`; the solution has its shape. NaN/Inf propagate (the
/// elimination is direct).
///
/// # Errors
/// [`Error::InvalidShape`] when `dl`/`du` do not have n−1 entries (for n ≥ 1; both empty for
/// n = 0), [`Error::IncompatibleShapes`] when `b` does not have n rows, [`Error::Singular`]
/// when a pivot of the elimination is exactly zero (named by its index).
///
/// ```
/// use ndarray::array;
/// // [[2, 1, 0], [1, 2, 1], [0, 1, 2]] · [1, 1, 1] = [3, 4, 3]
/// let x = ndkit::linalg::solve_tridiagonal(
///     &array![1.0_f64, 1.0], &array![2.0, 2.0, 2.0], &array![1.0, 1.0], &array![3.0, 4.0, 3.0],
/// )?;
/// assert!(x.iter().all(|&v| (v - 1.0).abs() < 1e-15));
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn solve_tridiagonal<T, S1, S2, S3, Sb, D>(
    dl: &ArrayBase<S1, Ix1>,
    d: &ArrayBase<S2, Ix1>,
    du: &ArrayBase<S3, Ix1>,
    b: &ArrayBase<Sb, D>,
) -> Result<Array<T, D>>
where
    T: Scalar,
    S1: Data<Elem = T>,
    S2: Data<Elem = T>,
    S3: Data<Elem = T>,
    Sb: Data<Elem = T>,
    D: Dimension,
{
    let op = "solve_tridiagonal";
    let n = d.len();
    let off = n.saturating_sub(1);
    for (name, diag) in [("dl", dl.len()), ("du", du.len())] {
        if diag != off {
            return Err(Error::InvalidShape {
                op,
                shape: vec![diag],
                expected: format!("{name} must have n − 1 = {off} entries for a diagonal of {n}"),
            });
        }
    }
    let rhs = rhs_matrix(op, b, [n, n])?;
    let mut x = Array2::zeros(rhs.raw_dim().f());
    x.assign(&rhs);
    let nrhs = x.ncols();
    if n > 0 && nrhs > 0 {
        let (ni, ki) = (lapack_int(op, n)?, lapack_int(op, nrhs)?);
        let (mut dl, mut d, mut du) = (dl.to_vec(), d.to_vec(), du.to_vec());
        let x_ptr = x.as_mut_ptr();
        // SAFETY: `dl`, `d`, `du` hold n−1, n, n−1 entries; `x` is n×nrhs column-major with
        // leading dimension n ≥ 1.
        let info = with_lapack_stack(n, || unsafe {
            T::gtsv(
                ni,
                ki,
                dl.as_mut_ptr(),
                d.as_mut_ptr(),
                du.as_mut_ptr(),
                x_ptr,
                ni,
            )
        });
        debug_assert!(info >= 0, "?gtsv rejected argument {}", -info);
        if info > 0 {
            return Err(Error::Singular {
                op,
                pivot: Some(info as usize - 1),
                rcond: 0.0,
            });
        }
    }
    into_rhs_shape(op, x, b.ndim())
}
