//! Rank-revealing QR with column pivoting, as
//! `scipy.linalg.qr(a, pivoting=True, mode='economic')`.
//!
//! | step | f32 | f64 | c32 | c64 |
//! |---|---|---|---|---|
//! | Householder factorisation with column pivoting | `sgeqp3` | `dgeqp3` | `cgeqp3` | `zgeqp3` |
//! | form Q from the reflectors | `sorgqr` | `dorgqr` | `cungqr` | `zungqr` |
//!
//! The input is copied once into Fortran order; `?geqp3` factors it in place, choosing at
//! each step the remaining column of largest norm, so `|r[0,0]| ≥ |r[1,1]| ≥ …`.

use ndarray::{s, Array2, ArrayBase, Data, Ix2, ShapeBuilder};

use crate::kernels::{with_lapack_stack, Workspace};
use crate::layout::{check_dims, ensure_finite, lapack_int, lapack_status};
use crate::{Result, Scalar};

/// A QR factorisation with column pivoting, `a[:, perm] = q · r`, from [`qr_pivoted`]. With
/// k = min(m, n): `q` is m×k with orthonormal columns, `r` is k×n upper triangular (exact
/// zeros below the diagonal) with `|r[i, i]|` non-increasing, and `perm` is a permutation of
/// `0..n` (SciPy's `P`).
///
/// ```
/// use ndarray::array;
///
/// let a = array![[1.0_f64, 10.0], [0.0, 1.0]];
/// let ndkit::linalg::QrPivoted { q, r, perm } = ndkit::linalg::qr_pivoted(&a)?;
/// assert_eq!(perm, vec![1, 0]); // the longer column first
/// let a_perm = a.select(ndarray::Axis(1), &perm);
/// assert!((q.dot(&r) - &a_perm).iter().all(|d| d.abs() < 1e-12));
/// # Ok::<(), ndkit::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct QrPivoted<T: Scalar> {
    /// The m×k factor with orthonormal columns.
    pub q: Array2<T>,
    /// The k×n upper triangular factor, `|diag|` non-increasing.
    pub r: Array2<T>,
    /// The column permutation: column `j` of `q·r` is column `perm[j]` of `a`.
    pub perm: Vec<usize>,
}

/// QR factorisation with column pivoting of an m×n matrix (`?geqp3`, then `?orgqr`/`?ungqr`),
/// as `scipy.linalg.qr(a, pivoting=True, mode='economic')`: `a[:, perm] = q·r` with
/// `|diag(r)|` non-increasing, which reveals the numerical rank.
///
/// Empty inputs follow SciPy: k = 0 gives `q` m×0, `r` 0×n and the identity permutation.
///
/// # Errors
/// [`Error::NonFinite`](crate::Error::NonFinite) for NaN/Inf entries (the pivot order would
/// be meaningless), [`Error::TooLarge`](crate::Error::TooLarge) for dimensions beyond
/// LAPACK's 32-bit integers.
///
/// ```
/// use ndarray::array;
///
/// // Rank 1: the second diagonal entry of r is (numerically) zero.
/// let a = array![[1.0_f64, 2.0, 3.0], [2.0, 4.0, 6.0]];
/// let f = ndkit::linalg::qr_pivoted(&a)?;
/// assert_eq!((f.q.dim(), f.r.dim(), f.perm[0]), ((2, 2), (2, 3), 2));
/// assert!(f.r[[1, 1]].abs() < 1e-12 * f.r[[0, 0]].abs());
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn qr_pivoted<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>) -> Result<QrPivoted<T>> {
    const OP: &str = "qr_pivoted";
    let (m, n) = a.dim();
    check_dims(OP, &[m, n])?;
    ensure_finite(OP, a)?;
    let k = m.min(n);
    let mut r = Array2::<T>::zeros((k, n).f());
    if k == 0 {
        return Ok(QrPivoted {
            q: Array2::zeros((m, 0).f()),
            r,
            perm: (0..n).collect(),
        });
    }
    let mut work = Array2::<T>::zeros((m, n).f());
    work.assign(a);
    let mut ws = Workspace::default();
    let mut tau = vec![T::zero(); k];
    // Zero on entry: every column is free to be pivoted.
    let mut jpvt = vec![0i32; n];
    let (mi, ni, ki) = (lapack_int(OP, m)?, lapack_int(OP, n)?, lapack_int(OP, k)?);
    let (work_ptr, tau_ptr) = (work.as_mut_ptr(), tau.as_mut_ptr());
    // SAFETY: `work` is an F-order m×n buffer (lda = m ≥ 1), `jpvt` has n entries and `tau`
    // k, the sizes ?geqp3 reads and writes.
    let info = with_lapack_stack(m * n, || unsafe {
        T::geqp3(mi, ni, work_ptr, mi, jpvt.as_mut_ptr(), tau_ptr, &mut ws)
    });
    lapack_status(OP, "?geqp3", info)?;
    for j in 0..n {
        let rows = (j + 1).min(k);
        r.slice_mut(s![..rows, j])
            .assign(&work.slice(s![..rows, j]));
    }
    // SAFETY: the leading m×k block of `work` (lda = m) holds the k reflectors and `tau`
    // their scalars; m ≥ k, as ?orgqr requires.
    let info = with_lapack_stack(m * k, || unsafe {
        T::orgqr(mi, ki, ki, work_ptr, mi, tau_ptr, &mut ws)
    });
    lapack_status(OP, if T::IS_COMPLEX { "?ungqr" } else { "?orgqr" }, info)?;
    let q = if k < n {
        work.slice(s![.., ..k]).to_owned()
    } else {
        work
    };
    // ?geqp3's pivots are 1-based column indices.
    let perm = jpvt.iter().map(|&p| p as usize - 1).collect();
    Ok(QrPivoted { q, r, perm })
}
