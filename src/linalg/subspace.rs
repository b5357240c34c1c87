//! Orthonormal bases of a matrix's range and null space, as `scipy.linalg.orth` and
//! `scipy.linalg.null_space`.
//!
//! | function | f32 | f64 | c32 | c64 |
//! |---|---|---|---|---|
//! | [`orth`] (thin SVD) | `sgesdd` | `dgesdd` | `cgesdd` | `zgesdd` |
//! | [`null_space`] (full SVD) | `sgesdd` | `dgesdd` | `cgesdd` | `zgesdd` |
//!
//! The numerical rank is the number of singular values above `rcond · s_max`, with the
//! crate's default `rcond = max(m, n)·ε` (SciPy's).

use ndarray::{s, Array1, Array2, ArrayBase, Data, Ix2};

use super::decomp::svd::svd;
use crate::{Result, Scalar};

/// The number of singular values in `s` (descending) above `rcond · s_max`, `rcond`
/// defaulting to max(m, n)·ε.
fn rank<R: crate::Real>(s: &Array1<R>, m: usize, n: usize, rcond: Option<R>) -> usize {
    let rcond = rcond.unwrap_or_else(|| R::from_f64_nearest(m.max(n) as f64) * R::epsilon());
    let tol = s.first().map_or(R::zero(), |&s_max| s_max * rcond);
    s.iter().take_while(|&&si| si > tol).count()
}

/// An orthonormal basis of the range (column space) of an m×n matrix, as
/// `scipy.linalg.orth(a, rcond)`: the left singular vectors of the singular values above
/// `rcond · s_max` (`None`: max(m, n)·ε), as the m×r columns of the result.
///
/// # Errors
/// As [`svd`](crate::linalg::svd): NaN/Inf entries, no convergence, sizes beyond LAPACK's
/// integers.
///
/// ```
/// use ndarray::array;
/// // Rank 1: the range is spanned by (1, 2)/√5.
/// let q = ndkit::linalg::orth(&array![[1.0_f64, 2.0], [2.0, 4.0]], None)?;
/// assert_eq!(q.dim(), (2, 1));
/// assert!((q[[1, 0]] / q[[0, 0]] - 2.0).abs() < 1e-12);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn orth<T: Scalar, S: Data<Elem = T>>(
    a: &ArrayBase<S, Ix2>,
    rcond: Option<T::Real>,
) -> Result<Array2<T>> {
    let (m, n) = a.dim();
    let f = svd(a, false).map_err(|e| e.with_op("orth"))?;
    let r = rank(&f.s, m, n, rcond);
    Ok(f.u.slice(s![.., ..r]).to_owned())
}

/// An orthonormal basis of the null space of an m×n matrix, as
/// `scipy.linalg.null_space(a, rcond)`: the right singular vectors (conjugated, as columns)
/// of the singular values at or below `rcond · s_max` (`None`: max(m, n)·ε) and of the
/// n − min(m, n) missing ones — an n×(n − r) result with `a · result ≈ 0`.
///
/// # Errors
/// As [`svd`](crate::linalg::svd).
///
/// ```
/// use ndarray::array;
/// let a = array![[1.0_f64, 1.0, 0.0], [0.0, 0.0, 1.0]];
/// let z = ndkit::linalg::null_space(&a, None)?;
/// assert_eq!(z.dim(), (3, 1));
/// assert!(a.dot(&z).iter().all(|v| v.abs() < 1e-15));
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn null_space<T: Scalar, S: Data<Elem = T>>(
    a: &ArrayBase<S, Ix2>,
    rcond: Option<T::Real>,
) -> Result<Array2<T>> {
    let (m, n) = a.dim();
    let f = svd(a, true).map_err(|e| e.with_op("null_space"))?;
    let r = rank(&f.s, m, n, rcond);
    Ok(f.vt.slice(s![r.., ..]).t().mapv(Scalar::conj))
}
