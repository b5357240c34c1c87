//! The Schur decomposition `A = Z·T·Zᴴ`, as `scipy.linalg.schur` (`output='real'` for real
//! input, `'complex'` for complex input).
//!
//! | function | f32 | f64 | c32 | c64 |
//! |---|---|---|---|---|
//! | [`schur`] (`JOBVS = 'V'`, `SORT = 'N'`) | `sgees` | `dgees` | `cgees` | `zgees` |
//!
//! The input is copied once into Fortran order; `T` is computed in that copy.

use ndarray::{Array1, Array2, ArrayBase, Data, Ix2, ShapeBuilder};

use crate::kernels::{with_lapack_stack, Workspace};
use crate::layout::{ensure_finite, lapack_int, lapack_status, square_order, to_fortran};
use crate::{Result, Scalar};

/// The Schur form of a square matrix, from [`schur`]: `a = z·t·zᴴ` with `z` unitary.
///
/// ```
/// use ndarray::array;
/// let a = array![[1.0_f64, 2.0], [3.0, 4.0]];
/// let ndkit::linalg::Schur { t, z } = ndkit::linalg::schur(&a)?;
/// let back = z.dot(&t).dot(&z.t());
/// assert!((&back - &a).iter().all(|d| d.abs() < 1e-12));
/// # Ok::<(), ndkit::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Schur<T: Scalar> {
    /// The Schur form: upper triangular for complex types; for real types upper
    /// quasi-triangular (real Schur form), with a 2×2 block on the diagonal for each pair of
    /// complex conjugate eigenvalues (equal diagonal entries, off-diagonal entries of opposite
    /// sign).
    pub t: Array2<T>,
    /// The unitary (orthogonal for real types) Schur vectors, as columns.
    pub z: Array2<T>,
}

/// The Schur decomposition `a = z·t·zᴴ` of a square matrix (`scipy.linalg.schur`), by
/// LAPACK's `?gees` without eigenvalue sorting: real quasi-triangular `t` for real input
/// (SciPy's `output='real'`), triangular for complex input. The eigenvalues appear on the
/// diagonal of `t` (in its 2×2 blocks for complex pairs of real input) in LAPACK's order.
/// An empty matrix gives empty `t` and `z`.
///
/// # Errors
/// [`Error::NotSquare`](crate::Error::NotSquare),
/// [`Error::NonFinite`](crate::Error::NonFinite) for NaN/Inf entries,
/// [`Error::NoConvergence`](crate::Error::NoConvergence) if the QR algorithm fails,
/// [`Error::TooLarge`](crate::Error::TooLarge) beyond LAPACK's 32-bit integers.
///
/// ```
/// use ndarray::array;
/// use ndkit::c64;
///
/// // Complex input: t is upper triangular with the eigenvalues ±i on its diagonal.
/// let a = array![[c64::new(0.0, 0.0), c64::new(-1.0, 0.0)], [c64::new(1.0, 0.0), c64::new(0.0, 0.0)]];
/// let s = ndkit::linalg::schur(&a)?;
/// assert!(s.t[[1, 0]].norm() == 0.0);
/// assert!((s.t[[0, 0]].im.abs() - 1.0).abs() < 1e-12);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn schur<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>) -> Result<Schur<T>> {
    schur_as("schur", a)
}

/// [`schur`] reported as operation `op`.
pub(crate) fn schur_as<T: Scalar, S: Data<Elem = T>>(
    op: &'static str,
    a: &ArrayBase<S, Ix2>,
) -> Result<Schur<T>> {
    let n = square_order(op, a)?;
    let mut values = Array1::<T::Complex>::zeros(n);
    let mut z = Array2::<T>::zeros((n, n).f());
    if n == 0 {
        return Ok(Schur { t: z.clone(), z });
    }
    ensure_finite(op, a)?;
    let ni = lapack_int(op, n)?;
    let mut t = to_fortran(a);
    let (t_ptr, w_ptr, z_ptr) = (t.as_mut_ptr(), values.as_mut_ptr(), z.as_mut_ptr());
    // SAFETY: `t` and `z` are F-order n×n buffers (leading dimension n ≥ 1) and `values` holds
    // n entries, what ?gees reads and writes; the kernel sizes the work arrays by the
    // routine's own query.
    let info = with_lapack_stack(n * n, || unsafe {
        T::gees(ni, t_ptr, ni, w_ptr, z_ptr, ni, &mut Workspace::default())
    });
    lapack_status(op, "?gees", info)?;
    // The eigenvalues are the diagonal (blocks) of `t`; LAPACK's copy is not kept.
    Ok(Schur { t, z })
}
