//! Singular value decomposition, as `numpy.linalg.svd`.
//!
//! | function | f32 | f64 | c32 | c64 |
//! |---|---|---|---|---|
//! | [`svd`] (`jobz` = `S` thin, `A` full) | `sgesdd` | `dgesdd` | `cgesdd` | `zgesdd` |
//! | [`svdvals`] (`jobz` = `N`) | `sgesdd` | `dgesdd` | `cgesdd` | `zgesdd` |
//!
//! The input is copied once into Fortran order (divide and conquer overwrites it); `u` and
//! `vt` are allocated in Fortran order and LAPACK writes straight into them, so they are
//! returned as Fortran-order arrays.

use ndarray::{Array1, Array2, ArrayBase, Data, Ix2, ShapeBuilder};

use crate::kernels::with_lapack_stack;
use crate::layout::{
    check_dims, ensure_allocatable, ensure_finite, ensure_workspace, lapack_int, lapack_status,
    to_fortran,
};
use crate::{Result, Scalar};

/// A singular value decomposition `a = u · diag(s) · vt`, as returned by [`svd`].
///
/// With k = min(m, n): thin (`full_matrices = false`) `u` is m×k and `vt` k×n; full `u` is
/// m×m and `vt` n×n. For complex input `vt` is Vᴴ (NumPy's `vh`).
///
/// ```
/// use ndarray::{array, Array2};
///
/// let a = array![[3.0_f64, 0.0], [4.0, 5.0]];
/// let ndkit::linalg::Svd { u, s, vt } = ndkit::linalg::svd(&a, false)?;
/// let back = u.dot(&Array2::from_diag(&s)).dot(&vt);
/// assert!((back - &a).iter().all(|d| d.abs() < 1e-12));
/// # Ok::<(), ndkit::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Svd<T: Scalar> {
    /// Left singular vectors, as columns.
    pub u: Array2<T>,
    /// Singular values, descending and non-negative.
    pub s: Array1<T::Real>,
    /// Right singular vectors, as rows (Vᴴ).
    pub vt: Array2<T>,
}

/// Singular value decomposition of an m×n matrix (`np.linalg.svd(a, full_matrices)`), by
/// LAPACK's divide-and-conquer `?gesdd`.
///
/// Singular values are descending. An empty input gives empty `s`; its `u`/`vt` are
/// identities (full) or have a zero-length axis (thin), exactly as in NumPy.
///
/// # Errors
/// [`Error::NonFinite`](crate::Error::NonFinite) for NaN/Inf entries, [`Error::NoConvergence`](crate::Error::NoConvergence) if `?gesdd` fails to
/// converge, [`Error::TooLarge`](crate::Error::TooLarge) for dimensions beyond LAPACK's 32-bit integers.
///
/// ```
/// use ndarray::array;
///
/// let a = array![[2.0_f64, 0.0, 0.0], [0.0, -3.0, 0.0]];
/// let full = ndkit::linalg::svd(&a, true)?;
/// assert_eq!((full.u.dim(), full.vt.dim()), ((2, 2), (3, 3)));
/// assert!((full.s[0] - 3.0).abs() < 1e-12 && (full.s[1] - 2.0).abs() < 1e-12);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn svd<T: Scalar, S: Data<Elem = T>>(
    a: &ArrayBase<S, Ix2>,
    full_matrices: bool,
) -> Result<Svd<T>> {
    const OP: &str = "svd";
    let (m, n) = a.dim();
    check_dims(OP, &[m, n])?;
    let k = m.min(n);
    // u: m×ucols, vt: vrows×n.
    let (ucols, vrows) = if full_matrices { (m, n) } else { (k, k) };
    ensure_allocatable::<T>(OP, &[m, ucols])?;
    ensure_allocatable::<T>(OP, &[vrows, n])?;
    if k == 0 {
        let (u, vt) = if full_matrices {
            (Array2::eye(m), Array2::eye(n))
        } else {
            (Array2::zeros((m, 0)), Array2::zeros((0, n)))
        };
        return Ok(Svd {
            u,
            s: Array1::zeros(0),
            vt,
        });
    }
    ensure_workspace(OP, "?gesdd", gesdd_workspace::<T>(m, n, true))?;
    ensure_finite(OP, a)?;
    let mut work = to_fortran(a);
    let mut s = Array1::<T::Real>::zeros(k);
    let mut u = Array2::<T>::zeros((m, ucols).f());
    let mut vt = Array2::<T>::zeros((vrows, n).f());
    let jobz = if full_matrices { b'A' } else { b'S' };
    // m, n ≥ 1 here, so every leading dimension below is the row count itself.
    let (mi, ni, vri) = (
        lapack_int(OP, m)?,
        lapack_int(OP, n)?,
        lapack_int(OP, vrows)?,
    );
    let (work_ptr, s_ptr, u_ptr, vt_ptr) = (
        work.as_mut_ptr(),
        s.as_mut_ptr(),
        u.as_mut_ptr(),
        vt.as_mut_ptr(),
    );
    // SAFETY: `work` is an F-order m×n buffer (lda = m); `s` holds min(m, n) values; `u` is
    // F-order m×ucols (ldu = m) and `vt` F-order vrows×n (ldvt = vrows), the sizes ?gesdd
    // writes for jobz 'A' (ucols = m, vrows = n) and 'S' (ucols = vrows = min(m, n)).
    let info = with_lapack_stack(m * n, || unsafe {
        T::gesdd(jobz, mi, ni, work_ptr, mi, s_ptr, u_ptr, mi, vt_ptr, vri)
    });
    lapack_status(OP, "?gesdd", info)?;
    Ok(Svd { u, s, vt })
}

/// Singular values of an m×n matrix, descending (`np.linalg.svd(a, compute_uv=False)`), by
/// `?gesdd` without vectors.
///
/// # Errors
/// As [`svd`].
///
/// ```
/// use ndarray::array;
///
/// let s = ndkit::linalg::svdvals(&array![[0.0_f64, 2.0], [1.0, 0.0]])?;
/// assert_eq!(s.len(), 2);
/// assert!((s[0] - 2.0).abs() < 1e-12 && (s[1] - 1.0).abs() < 1e-12);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn svdvals<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>) -> Result<Array1<T::Real>> {
    const OP: &str = "svdvals";
    let (m, n) = a.dim();
    check_dims(OP, &[m, n])?;
    let k = m.min(n);
    if k == 0 {
        return Ok(Array1::zeros(0));
    }
    ensure_workspace(OP, "?gesdd", gesdd_workspace::<T>(m, n, false))?;
    ensure_finite(OP, a)?;
    let mut work = to_fortran(a);
    let mut s = Array1::<T::Real>::zeros(k);
    let (mi, ni) = (lapack_int(OP, m)?, lapack_int(OP, n)?);
    let (mut u_unused, mut vt_unused) = (T::default(), T::default());
    let (work_ptr, s_ptr) = (work.as_mut_ptr(), s.as_mut_ptr());
    let (u_ptr, vt_ptr) = (&mut u_unused as *mut T, &mut vt_unused as *mut T);
    // SAFETY: `work` is an F-order m×n buffer (lda = m) and `s` holds min(m, n) values; with
    // jobz 'N' ?gesdd references neither u nor vt, so 1-element dummies with ld 1 suffice.
    let info = with_lapack_stack(m * n, || unsafe {
        T::gesdd(b'N', mi, ni, work_ptr, mi, s_ptr, u_ptr, 1, vt_ptr, 1)
    });
    lapack_status(OP, "?gesdd", info)?;
    Ok(s)
}

/// The largest workspace (`LWORK`, or `LRWORK` for complex types) `?gesdd` documents as its
/// minimum for an m×n matrix, with or without singular vectors.
fn gesdd_workspace<T: Scalar>(m: usize, n: usize, vectors: bool) -> u128 {
    let (mn, mx) = (m.min(n) as u128, m.max(n) as u128);
    match (T::IS_COMPLEX, vectors) {
        (false, false) => 3 * mn + mx.max(7 * mn),
        (false, true) => 3 * mn + mx.max(5 * mn * mn + 4 * mn),
        (true, false) => 7 * mn + mx,
        (true, true) => (5 * mn * mn + 5 * mn).max(2 * mx * mn + 2 * mn * mn + mn),
    }
}
