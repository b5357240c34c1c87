//! QR factorisation, as `numpy.linalg.qr(a, mode='reduced')` ([`qr`]) and
//! `mode='complete'` ([`qr_complete`]).
//!
//! | step | f32 | f64 | c32 | c64 |
//! |---|---|---|---|---|
//! | Householder factorisation | `sgeqrf` | `dgeqrf` | `cgeqrf` | `zgeqrf` |
//! | form Q from the reflectors | `sorgqr` | `dorgqr` | `cungqr` | `zungqr` |
//!
//! The input is copied once into Fortran order; `?geqrf` factors it in place, R is read off
//! its upper triangle and Q is then formed in the same buffer (m×max(m, n) for the complete
//! Q, whose last m − k columns come from the same k reflectors).

use ndarray::{
    s, Array, Array2, ArrayBase, ArrayView2, ArrayViewMut2, Data, Dimension, Ix2, ShapeBuilder,
};

use crate::kernels::{with_lapack_stack, Workspace};
use crate::layout::{check_dims, ensure_allocatable, lapack_int, lapack_status, scratch_matrix};
use crate::{Result, Scalar};

/// A reduced QR factorisation `a = q · r`, as returned by [`qr`]: with k = min(m, n), `q` is
/// m×k with orthonormal columns and `r` is k×n, upper triangular (exact zeros below the
/// diagonal).
///
/// ```
/// use ndarray::array;
///
/// let a = array![[1.0_f64, 2.0], [3.0, 4.0], [5.0, 6.0]];
/// let ndkit::linalg::Qr { q, r } = ndkit::linalg::qr(&a)?;
/// assert_eq!((q.dim(), r.dim()), ((3, 2), (2, 2)));
/// assert!((q.dot(&r) - &a).iter().all(|d| d.abs() < 1e-12));
/// # Ok::<(), ndkit::Error>(())
/// ```
#[derive(Debug, Clone)]
///
/// The stacked form ([`crate::linalg::stacked::qr`]) has `D = IxDyn`.
pub struct Qr<T: Scalar, D: Dimension = Ix2> {
    /// The m×k factor with orthonormal columns.
    pub q: Array<T, D>,
    /// The k×n upper triangular factor.
    pub r: Array<T, D>,
}

/// Reduced QR factorisation of an m×n matrix (`np.linalg.qr(a)`, mode `'reduced'`), by
/// Householder reflections (`?geqrf`, then `?orgqr`/`?ungqr` to form Q).
///
/// The factorisation is direct (no iteration), so NaN/Inf entries propagate into the result
/// as in NumPy rather than being an error. Empty inputs follow NumPy: an m×0 matrix gives
/// `q` m×0 and `r` 0×0, a 0×n matrix `q` 0×0 and `r` 0×n.
///
/// # Errors
/// [`Error::TooLarge`](crate::Error::TooLarge) for dimensions beyond LAPACK's 32-bit integers.
///
/// ```
/// use ndarray::array;
///
/// // A wide matrix: q is 2×2, r is 2×3 and upper triangular.
/// let a = array![[1.0_f32, 2.0, 3.0], [4.0, 5.0, 6.0]];
/// let f = ndkit::linalg::qr(&a)?;
/// assert_eq!((f.q.dim(), f.r.dim(), f.r[[1, 0]]), ((2, 2), (2, 3), 0.0));
/// assert!((f.q.dot(&f.r) - &a).iter().all(|d| d.abs() < 1e-5));
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn qr<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>) -> Result<Qr<T>> {
    const OP: &str = "qr";
    let (m, n) = a.dim();
    check_dims(OP, &[m, n])?;
    let k = m.min(n);
    let mut q = Array2::<T>::zeros((m, k).f());
    let mut r = Array2::<T>::zeros((k, n));
    QrCore::default().run(OP, a.view(), q.view_mut(), r.view_mut())?;
    Ok(Qr { q, r })
}

/// Complete QR factorisation of an m×n matrix (`np.linalg.qr(a, mode='complete')`): `q` is
/// m×m unitary and `r` m×n upper triangular (exact zeros below the diagonal), by `?geqrf`
/// and `?orgqr`/`?ungqr` applied to all m columns.
///
/// NaN/Inf propagate as in [`qr`]. Empty inputs follow NumPy: an m×0 matrix gives the m×m
/// identity and an m×0 `r`; a 0×n matrix gives `q` 0×0 and `r` 0×n.
///
/// # Errors
/// [`Error::TooLarge`](crate::Error::TooLarge) for dimensions beyond LAPACK's 32-bit
/// integers, [`Error::TooLargeToAllocate`](crate::Error::TooLargeToAllocate) when m×m does
/// not fit in memory.
///
/// ```
/// use ndarray::array;
///
/// let a = array![[1.0_f64, 2.0], [3.0, 4.0], [5.0, 6.0]];
/// let f = ndkit::linalg::qr_complete(&a)?;
/// assert_eq!((f.q.dim(), f.r.dim(), f.r[[2, 1]]), ((3, 3), (3, 2), 0.0));
/// assert!((f.q.dot(&f.r) - &a).iter().all(|d| d.abs() < 1e-12));
/// assert!((f.q.t().dot(&f.q) - ndarray::Array2::<f64>::eye(3)).iter().all(|d| d.abs() < 1e-12));
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn qr_complete<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>) -> Result<Qr<T>> {
    const OP: &str = "qr_complete";
    let (m, n) = a.dim();
    check_dims(OP, &[m, n])?;
    ensure_allocatable::<T>(OP, &[m, m.max(n)])?;
    let k = m.min(n);
    let mut r = Array2::<T>::zeros((m, n));
    // Columns 0..n hold A (then the reflectors); all m.max(n) columns the complete Q's room.
    let mut work = Array2::<T>::zeros((m, m.max(n)).f());
    if k == 0 {
        work.slice_mut(s![.., ..m]).diag_mut().fill(T::one());
    } else {
        work.slice_mut(s![.., ..n]).assign(a);
        let mut ws = Workspace::default();
        let mut tau = vec![T::zero(); k];
        let (mi, ni, ki) = (lapack_int(OP, m)?, lapack_int(OP, n)?, lapack_int(OP, k)?);
        let (work_ptr, tau_ptr) = (work.as_mut_ptr(), tau.as_mut_ptr());
        // SAFETY: `work` is F-order with lda = m ≥ 1 and at least n columns; `tau` holds k
        // scalars, the sizes ?geqrf reads and writes.
        let info = with_lapack_stack(m * n, || unsafe {
            T::geqrf(mi, ni, work_ptr, mi, tau_ptr, &mut ws)
        });
        lapack_status(OP, "?geqrf", info)?;
        for i in 0..k {
            r.slice_mut(s![i, i..]).assign(&work.slice(s![i, i..n]));
        }
        // SAFETY: the leading m×m block of `work` (lda = m; it has max(m, n) ≥ m columns)
        // holds the k reflectors in its first k columns and `tau` their scalars; m ≥ k.
        let info = with_lapack_stack(m * m, || unsafe {
            T::orgqr(mi, mi, ki, work_ptr, mi, tau_ptr, &mut ws)
        });
        lapack_status(OP, if T::IS_COMPLEX { "?ungqr" } else { "?orgqr" }, info)?;
    }
    let q = if n > m {
        work.slice(s![.., ..m]).to_owned()
    } else {
        work
    };
    Ok(Qr { q, r })
}

/// The per-matrix work of [`qr`], with LAPACK's work arrays kept across the matrices of a
/// stack (one workspace query per shape).
#[derive(Debug, Default)]
pub(crate) struct QrCore<T: Scalar> {
    ws: Workspace<T>,
    tau: Vec<T>,
    matrix: Vec<T>,
}

impl<T: Scalar> QrCore<T> {
    /// The reduced QR factorisation of the m×n `a` (dimensions checked by the caller): `q`
    /// (m×k, k = min(m, n)) with orthonormal columns and the upper triangular `r` (k×n, exact
    /// zeros below the diagonal).
    pub(crate) fn run(
        &mut self,
        op: &'static str,
        a: ArrayView2<'_, T>,
        mut q: ArrayViewMut2<'_, T>,
        mut r: ArrayViewMut2<'_, T>,
    ) -> Result<()> {
        let (m, n) = a.dim();
        let k = m.min(n);
        if k == 0 {
            return Ok(());
        }
        let QrCore { ws, tau, matrix } = self;
        let mut work = scratch_matrix(matrix, m, n);
        work.assign(&a);
        tau.clear();
        tau.resize(k, T::zero());
        let (mi, ni, ki) = (lapack_int(op, m)?, lapack_int(op, n)?, lapack_int(op, k)?);
        let (work_ptr, tau_ptr) = (work.as_mut_ptr(), tau.as_mut_ptr());
        // SAFETY: `work` is an F-order m×n buffer (lda = m ≥ 1) and `tau` holds min(m, n)
        // scalars, the sizes ?geqrf reads and writes.
        let info = with_lapack_stack(m * n, || unsafe {
            T::geqrf(mi, ni, work_ptr, mi, tau_ptr, ws)
        });
        lapack_status(op, "?geqrf", info)?;

        // R: the upper triangle of the first k rows; everything below the diagonal is zero.
        r.fill(T::zero());
        for i in 0..k {
            r.slice_mut(s![i, i..]).assign(&work.slice(s![i, i..]));
        }

        // Q from the first k columns (all of them when m ≥ n). In F order they are the leading
        // m×k block of the buffer, so ?orgqr works on it in place with lda = m.
        // SAFETY: the leading m×k block of `work` (lda = m) holds the k reflectors ?geqrf
        // wrote, and `tau` their k scalars; m ≥ k, as ?orgqr requires.
        let info = with_lapack_stack(m * k, || unsafe {
            T::orgqr(mi, ki, ki, work_ptr, mi, tau_ptr, ws)
        });
        lapack_status(op, if T::IS_COMPLEX { "?ungqr" } else { "?orgqr" }, info)?;
        q.assign(&work.slice(s![.., ..k]));
        Ok(())
    }
}
