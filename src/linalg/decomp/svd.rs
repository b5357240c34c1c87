//! Singular value decomposition, as `numpy.linalg.svd`.
//!
//! | function | f32 | f64 | c32 | c64 |
//! |---|---|---|---|---|
//! | [`svd`] (`jobz` = `S` thin, `A` full) | `sgesdd` | `dgesdd` | `cgesdd` | `zgesdd` |
//! | [`svdvals`] (`jobz` = `N`) | `sgesdd` | `dgesdd` | `cgesdd` | `zgesdd` |
//! | [`svd_with`](crate::linalg::svd_with) (`jobz` = `S`, `A`, `O` for one factor, `N`) | `sgesdd` | `dgesdd` | `cgesdd` | `zgesdd` |
//!
//! The input is copied once into Fortran order (divide and conquer overwrites it); `u` and
//! `vt` are allocated in Fortran order and LAPACK writes straight into them, so they are
//! returned as Fortran-order arrays.

use ndarray::{
    Array, Array1, Array2, ArrayBase, ArrayView2, ArrayViewMut1, ArrayViewMut2, Data, Dimension,
    Ix2, ShapeBuilder,
};

use crate::kernels::{with_lapack_stack, Workspace};
use crate::layout::{
    check_dims, ensure_allocatable, ensure_finite, ensure_workspace, in_contiguous, in_fortran,
    lapack_int, lapack_status, scratch_matrix,
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
///
/// The stacked form ([`crate::linalg::stacked::svd`]) has `D = IxDyn`: every field then has
/// the batch axes in front.
pub struct Svd<T: Scalar, D: Dimension = Ix2> {
    /// Left singular vectors, as columns.
    pub u: Array<T, D>,
    /// Singular values, descending and non-negative.
    pub s: Array<T::Real, D::Smaller>,
    /// Right singular vectors, as rows (Vᴴ).
    pub vt: Array<T, D>,
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
    let mut s = Array1::<T::Real>::zeros(k);
    let mut u = Array2::<T>::zeros((m, ucols).f());
    let mut vt = Array2::<T>::zeros((vrows, n).f());
    SvdCore::default().run(
        OP,
        a.view(),
        s.view_mut(),
        Some((u.view_mut(), vt.view_mut(), full_matrices)),
    )?;
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
    let mut s = Array1::<T::Real>::zeros(m.min(n));
    SvdCore::default().run(OP, a.view(), s.view_mut(), None)?;
    Ok(s)
}

/// Output views of one SVD: `u` (m×m full, m×k thin), `vt` (n×n full, k×n thin), and whether
/// they are the full ones.
pub(crate) type SvdVectors<'a, T> = (ArrayViewMut2<'a, T>, ArrayViewMut2<'a, T>, bool);

/// The per-matrix work of [`svd`] and [`svdvals`], with LAPACK's work arrays kept across the
/// matrices of a stack (one workspace query per shape).
#[derive(Debug, Default)]
pub(crate) struct SvdCore<T: Scalar> {
    ws: Workspace<T>,
    matrix: Vec<T>,
    values: Vec<T::Real>,
    u: Vec<T>,
    vt: Vec<T>,
}

impl<T: Scalar> SvdCore<T> {
    /// The singular values of the m×n `a` (dimensions checked by the caller) into `s`
    /// (min(m, n) entries, descending) and, when given, the singular vectors into `u` and `vt`.
    /// An empty matrix gives identities (full) or nothing (thin), as in NumPy.
    pub(crate) fn run(
        &mut self,
        op: &'static str,
        a: ArrayView2<'_, T>,
        s: ArrayViewMut1<'_, T::Real>,
        vectors: Option<SvdVectors<'_, T>>,
    ) -> Result<()> {
        let (m, n) = a.dim();
        if m.min(n) == 0 {
            if let Some((mut u, mut vt, true)) = vectors {
                u.assign(&Array2::eye(m));
                vt.assign(&Array2::eye(n));
            }
            return Ok(());
        }
        ensure_workspace(op, "?gesdd", gesdd_workspace::<T>(m, n, vectors.is_some()))?;
        ensure_finite(op, &a)?;
        let (mi, ni) = (lapack_int(op, m)?, lapack_int(op, n)?);
        let SvdCore {
            ws,
            matrix,
            values,
            u: u_scratch,
            vt: vt_scratch,
        } = self;
        let mut work = scratch_matrix(matrix, m, n);
        work.assign(&a);
        let work_ptr = work.as_mut_ptr();
        in_contiguous(s, values, |s| {
            let s_ptr = s.as_mut_ptr();
            let Some((u, vt, full)) = vectors else {
                let (mut u_unused, mut vt_unused) = (T::default(), T::default());
                let (u_ptr, vt_ptr) = (&mut u_unused as *mut T, &mut vt_unused as *mut T);
                // SAFETY: `work` is an F-order m×n buffer (lda = m) and `s` holds min(m, n)
                // values; with jobz 'N' ?gesdd references neither u nor vt, so 1-element
                // dummies with ld 1 suffice.
                let info = with_lapack_stack(m * n, || unsafe {
                    T::gesdd(b'N', mi, ni, work_ptr, mi, s_ptr, u_ptr, 1, vt_ptr, 1, ws)
                });
                return lapack_status(op, "?gesdd", info);
            };
            let jobz = if full { b'A' } else { b'S' };
            in_fortran(u, u_scratch, |mut u, ldu| {
                in_fortran(vt, vt_scratch, |mut vt, ldvt| {
                    let (u_ptr, vt_ptr) = (u.as_mut_ptr(), vt.as_mut_ptr());
                    // SAFETY: `work` is an F-order m×n buffer (lda = m); `s` holds min(m, n)
                    // values; `u` is column-major m×ucols (ldu ≥ m) and `vt` column-major
                    // vrows×n (ldvt ≥ vrows), the sizes ?gesdd writes for jobz 'A'
                    // (ucols = m, vrows = n) and 'S' (ucols = vrows = min(m, n)).
                    let info = with_lapack_stack(m * n, || unsafe {
                        T::gesdd(
                            jobz, mi, ni, work_ptr, mi, s_ptr, u_ptr, ldu, vt_ptr, ldvt, ws,
                        )
                    });
                    lapack_status(op, "?gesdd", info)
                })
            })
        })
    }
}

/// Which single factor [`SvdCore::run_one`] returns (thin).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Factor {
    /// U, m×min(m, n).
    U,
    /// Vᴴ, min(m, n)×n.
    Vt,
}

impl<T: Scalar> SvdCore<T> {
    /// The singular values of the m×n `a` into `s` (as [`SvdCore::run`]) and one thin factor
    /// into `out` (m×k for [`Factor::U`], k×n for [`Factor::Vt`], k = min(m, n)), by `?gesdd`
    /// with jobz 'O': LAPACK overwrites its copy of `a` with the m×n-shaped factor (U when
    /// m ≥ n, Vᴴ when m < n) and writes the k×k one to its own argument, so the factor that
    /// is not wanted is never allocated at its full size. When the wanted factor is the
    /// m×n-shaped one, `out` itself (if its columns are contiguous) is LAPACK's copy of `a`.
    pub(crate) fn run_one(
        &mut self,
        op: &'static str,
        a: ArrayView2<'_, T>,
        s: ArrayViewMut1<'_, T::Real>,
        factor: Factor,
        out: ArrayViewMut2<'_, T>,
    ) -> Result<()> {
        let (m, n) = a.dim();
        let k = m.min(n);
        if k == 0 {
            // Thin factors of an empty matrix have a zero-length axis: nothing to write.
            return Ok(());
        }
        ensure_workspace(op, "?gesdd", gesdd_workspace::<T>(m, n, true))?;
        ensure_finite(op, &a)?;
        let (mi, ni) = (lapack_int(op, m)?, lapack_int(op, n)?);
        let SvdCore {
            ws,
            matrix,
            values,
            u: small_scratch,
            vt: out_scratch,
        } = self;
        // With jobz 'O' and m ≥ n, U overwrites `a` and Vᴴ (n×n) goes to `vt`; with m < n, Vᴴ
        // overwrites `a` and U (m×m) goes to `u`.
        let wide = m < n;
        let wanted_in_a = (factor == Factor::U) != wide;
        in_contiguous(s, values, |s| {
            let s_ptr = s.as_mut_ptr();
            // Runs ?gesdd 'O' on the F-order copy `work` (leading dimension `ldw`) with the
            // k×k factor written to `small` (leading dimension `lds`).
            let mut gesdd = |work: *mut T, ldw: i32, small: *mut T, lds: i32| {
                let (mut dummy, one) = (T::default(), 1);
                let dummy_ptr = &mut dummy as *mut T;
                let (u_ptr, ldu, vt_ptr, ldvt) = if wide {
                    (small, lds, dummy_ptr, one)
                } else {
                    (dummy_ptr, one, small, lds)
                };
                // SAFETY: `work` is a column-major m×n copy of `a` with leading dimension
                // `ldw` ≥ m, `s` holds min(m, n) values, and `small` is a column-major k×k
                // buffer with leading dimension `lds` ≥ k. With jobz 'O' ?gesdd writes the
                // k×k factor there (U when m < n, Vᴴ when m ≥ n, k being the smaller of m
                // and n) and never references the other argument, so the 1-element dummy
                // with ld 1 suffices (LAPACK documents ld ≥ 1 for it).
                let info = with_lapack_stack(m * n, || unsafe {
                    T::gesdd(b'O', mi, ni, work, ldw, s_ptr, u_ptr, ldu, vt_ptr, ldvt, ws)
                });
                lapack_status(op, "?gesdd", info)
            };
            if wanted_in_a {
                let mut small = scratch_matrix(small_scratch, k, k);
                let small_ptr = small.as_mut_ptr();
                let ki = k as i32;
                in_fortran(out, out_scratch, |mut work, ldw| {
                    work.assign(&a);
                    gesdd(work.as_mut_ptr(), ldw, small_ptr, ki)
                })
            } else {
                let mut work = scratch_matrix(matrix, m, n);
                work.assign(&a);
                let work_ptr = work.as_mut_ptr();
                in_fortran(out, out_scratch, |mut small, lds| {
                    gesdd(work_ptr, mi, small.as_mut_ptr(), lds)
                })
            }
        })
    }
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
