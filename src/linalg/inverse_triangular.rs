//! The inverse of a triangular matrix, as `scipy.linalg.lapack.?trtri`.
//!
//! | function | f32 | f64 | c32 | c64 |
//! |---|---|---|---|---|
//! | [`inv_triangular`] | `strtri` | `dtrtri` | `ctrtri` | `ztrtri` |
//!
//! The named triangle is copied into a column-major buffer (the other triangle zeroed) and
//! inverted there in place; the inverse of a triangular matrix is triangular in the same
//! triangle.

use ndarray::{Array2, ArrayBase, Data, Ix2, ShapeBuilder, Zip};

use crate::kernels::with_lapack_stack;
use crate::layout::{lapack_int, square_order, uplo_char};
use crate::linalg::UPLO;
use crate::{Error, Result, Scalar};

/// The inverse of a triangular matrix (LAPACK `?trtri`), reading only the triangle `uplo`
/// names (the other may hold anything); the other triangle of the result is zero. NaN/Inf
/// propagate (the inversion is direct). A 0×0 matrix gives a 0×0 inverse.
///
/// # Errors
/// [`Error::NotSquare`], and [`Error::Singular`] naming the first diagonal entry that is
/// exactly zero.
///
/// ```
/// use ndarray::array;
/// use ndkit::linalg::{inv_triangular, UPLO};
/// // The 7 above the diagonal is not read.
/// let l = array![[2.0_f64, 7.0], [1.0, 4.0]];
/// assert_eq!(inv_triangular(&l, UPLO::Lower)?, array![[0.5, 0.0], [-0.125, 0.25]]);
/// let err = inv_triangular(&array![[1.0_f64, 0.0], [1.0, 0.0]], UPLO::Lower).unwrap_err();
/// assert!(err.is_singular());
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn inv_triangular<T: Scalar, S: Data<Elem = T>>(
    a: &ArrayBase<S, Ix2>,
    uplo: UPLO,
) -> Result<Array2<T>> {
    let op = "inv_triangular";
    let n = square_order(op, a)?;
    if let Some(i) = a.diag().iter().position(|&d| d == T::zero()) {
        return Err(Error::Singular {
            op,
            pivot: Some(i),
            rcond: 0.0,
        });
    }
    // Unlike a Hermitian matrix's, a triangular matrix's complex diagonal is kept whole.
    let mut inv = Array2::<T>::zeros((n, n).f());
    Zip::indexed(&mut inv).and(a).for_each(|(i, j), o, &v| {
        let inside = match uplo {
            UPLO::Upper => i <= j,
            UPLO::Lower => i >= j,
        };
        if inside {
            *o = v;
        }
    });
    if n > 0 {
        let ni = lapack_int(op, n)?;
        let ptr = inv.as_mut_ptr();
        // SAFETY: `inv` is an n×n column-major buffer with leading dimension n ≥ 1.
        let info = with_lapack_stack(n * n, || unsafe {
            T::trtri(uplo_char(uplo), b'N', ni, ptr, ni)
        });
        debug_assert!(info >= 0, "?trtri rejected argument {}", -info);
        if info > 0 {
            return Err(Error::Singular {
                op,
                pivot: Some(info as usize - 1),
                rcond: 0.0,
            });
        }
    }
    Ok(inv)
}
