//! Inverses and determinants.
//!
//! | function | LAPACK |
//! |---|---|
//! | [`inv`] | `?geequ` + `?getrf` + `?gecon` + `?getri` |
//! | [`pinv`] | `?gesdd`, then two products |
//! | [`det`], [`slogdet`] | `?getrf` |

use ndarray::{Array2, ArrayBase, Axis, Data, Ix2};
use num_traits::{Float, Zero};

use super::decomp::lu::LuFactor;
use super::{matmul, svd};
use crate::{Result, Scalar};

/// The inverse of a square matrix, like `np.linalg.inv` (LAPACK `?getrf` + `?getri`).
///
/// Errors: [`Error::NotSquare`](crate::Error::NotSquare), and
/// [`Error::Singular`](crate::Error::Singular) when a pivot is exactly zero or the reciprocal
/// condition number of the equilibrated matrix is below ε. `inv` of a 0×0 matrix is 0×0.
///
/// ```
/// use ndarray::array;
/// let a = array![[4.0_f64, 7.0], [2.0, 6.0]];
/// let a_inv = ndkit::linalg::inv(&a)?;
/// assert!((a_inv[[0, 0]] - 0.6).abs() < 1e-12 && (a_inv[[1, 0]] + 0.2).abs() < 1e-12);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn inv<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>) -> Result<Array2<T>> {
    LuFactor::new("inv", a, true)?.into_inv("inv")
}

/// The Moore–Penrose pseudo-inverse, like `np.linalg.pinv`: `V·diag(1/s)·Uᴴ` over the
/// singular values above `rcond · s_max` (`None` means `max(m, n) · ε`, the crate's default for
/// every tolerance; NumPy's `pinv` defaults to `rcond = 1e-15` instead). The result of an
/// m×n matrix is n×m.
///
/// Errors: [`Error::NonFinite`](crate::Error::NonFinite) for NaN/Inf input,
/// [`Error::NoConvergence`](crate::Error::NoConvergence).
///
/// ```
/// use ndarray::array;
/// let a = array![[1.0_f64, 0.0], [0.0, 2.0], [0.0, 0.0]];
/// let p = ndkit::linalg::pinv(&a, None)?;
/// assert_eq!(p.dim(), (2, 3));
/// assert!((p[[1, 1]] - 0.5).abs() < 1e-15);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn pinv<T: Scalar, S: Data<Elem = T>>(
    a: &ArrayBase<S, Ix2>,
    rcond: Option<T::Real>,
) -> Result<Array2<T>> {
    let (m, n) = a.dim();
    let decomposition = svd(a, false)?;
    let (u, s, vt) = (decomposition.u, decomposition.s, decomposition.vt);
    let rcond = rcond.unwrap_or_else(|| {
        <T::Real as Scalar>::from_f64_nearest(m.max(n) as f64) * T::Real::epsilon()
    });
    let cutoff = s.first().map_or(T::Real::zero(), |&s_max| rcond * s_max);
    // Keep the leading singular triplets above the cutoff (s is descending).
    let kept = s.iter().take_while(|&&si| si > cutoff).count();
    // diag(1/s)·Uᴴ, k×m.
    let mut scaled_uh = u
        .slice_axis(Axis(1), (..kept).into())
        .t()
        .mapv(Scalar::conj);
    for (mut row, &si) in scaled_uh.axis_iter_mut(Axis(0)).zip(s.iter()) {
        row.mapv_inplace(|x| x / si);
    }
    let v = vt
        .slice_axis(Axis(0), (..kept).into())
        .t()
        .mapv(Scalar::conj);
    matmul(&v, &scaled_uh)
}

/// The determinant of a square matrix, like `np.linalg.det` (LAPACK `?getrf`), computed as
/// `sign · exp(log|det|)`. Singular input gives 0 (never an error); a 0×0 matrix gives 1.
///
/// Errors: [`Error::NotSquare`](crate::Error::NotSquare).
///
/// ```
/// use ndarray::array;
/// let d = ndkit::linalg::det(&array![[1.0_f64, 2.0], [3.0, 4.0]])?;
/// assert!((d + 2.0).abs() < 1e-12);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn det<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>) -> Result<T> {
    Ok(LuFactor::new("det", a, false)?.det())
}

/// Sign and natural logarithm of the absolute determinant, like `np.linalg.slogdet`:
/// `det = sign · exp(logabsdet)` without overflow. For complex input `sign` has modulus 1.
/// Singular input gives `(0, −∞)`; a 0×0 matrix gives `(1, 0)`.
///
/// Errors: [`Error::NotSquare`](crate::Error::NotSquare).
///
/// ```
/// use ndarray::array;
/// let (sign, logdet) = ndkit::linalg::slogdet(&array![[1e200_f64, 0.0], [0.0, -1e200]])?;
/// assert_eq!(sign, -1.0);
/// assert!((logdet - 400.0 * 10f64.ln()).abs() < 1e-10);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn slogdet<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>) -> Result<(T, T::Real)> {
    Ok(LuFactor::new("slogdet", a, false)?.slogdet())
}
