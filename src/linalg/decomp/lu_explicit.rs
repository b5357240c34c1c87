//! LU factorisation with explicit factors of any m×n matrix, as `scipy.linalg.lu`.
//!
//! | step | f32 | f64 | c32 | c64 |
//! |---|---|---|---|---|
//! | LU with partial pivoting | `sgetrf` | `dgetrf` | `cgetrf` | `zgetrf` |
//!
//! The input is copied once into Fortran order and factored in place; `l` and `u` are read
//! off its triangles and LAPACK's row interchanges are composed into one permutation.

use ndarray::{s, Array2, ArrayBase, Data, Ix2, ShapeBuilder};

use crate::kernels::with_lapack_stack;
use crate::layout::{check_dims, lapack_int};
use crate::{Result, Scalar};

/// The factors of `a[perm, :] = l · u`, from [`lu`]. With k = min(m, n): `l` is m×k unit
/// lower triangular (ones on the diagonal, every entry bounded by 1 in modulus), `u` is k×n
/// upper triangular, and `perm` is a permutation of `0..m`: row `i` of `l·u` is row
/// `perm[i]` of `a`.
///
/// SciPy's `p, l, u = scipy.linalg.lu(a)` has `a = p @ l @ u`; `perm` is
/// `np.argmax(p, axis=0)` (and `scipy.linalg.lu(a, p_indices=True)`'s indices are its
/// inverse permutation).
///
/// ```
/// use ndarray::{array, Axis};
///
/// let a = array![[1.0_f64, 2.0], [3.0, 4.0]];
/// let ndkit::linalg::Lu { perm, l, u } = ndkit::linalg::lu(&a)?;
/// assert_eq!(perm, vec![1, 0]); // the larger pivot 3 first
/// assert!((l.dot(&u) - a.select(Axis(0), &perm)).iter().all(|d| d.abs() < 1e-15));
/// # Ok::<(), ndkit::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Lu<T: Scalar> {
    /// The row permutation: row `i` of `l·u` is row `perm[i]` of `a`.
    pub perm: Vec<usize>,
    /// The m×k unit lower triangular factor.
    pub l: Array2<T>,
    /// The k×n upper triangular factor.
    pub u: Array2<T>,
}

/// LU factorisation with partial pivoting of any m×n matrix (`?getrf`), as
/// `scipy.linalg.lu(a)`: `a[perm, :] = l·u`.
///
/// The factorisation is direct: a singular matrix factors without error (`u` then has a zero
/// on its diagonal), and NaN/Inf propagate into the factors. Empty inputs follow SciPy:
/// k = 0 gives `l` m×0, `u` 0×n and the identity permutation.
///
/// # Errors
/// [`Error::TooLarge`](crate::Error::TooLarge) for dimensions beyond LAPACK's 32-bit integers.
///
/// ```
/// use ndarray::{array, Axis};
///
/// // A wide matrix: l is 2×2, u is 2×3.
/// let a = array![[2.0_f64, 1.0, 0.0], [4.0, 3.0, 1.0]];
/// let f = ndkit::linalg::lu(&a)?;
/// assert_eq!((f.l.dim(), f.u.dim(), f.l[[0, 0]]), ((2, 2), (2, 3), 1.0));
/// assert!((f.l.dot(&f.u) - a.select(Axis(0), &f.perm)).iter().all(|d| d.abs() < 1e-15));
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn lu<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>) -> Result<Lu<T>> {
    const OP: &str = "lu";
    let (m, n) = a.dim();
    check_dims(OP, &[m, n])?;
    let k = m.min(n);
    let mut perm: Vec<usize> = (0..m).collect();
    if k == 0 {
        return Ok(Lu {
            perm,
            l: Array2::zeros((m, 0).f()),
            u: Array2::zeros((0, n).f()),
        });
    }
    let mut work = Array2::<T>::zeros((m, n).f());
    work.assign(a);
    let mut ipiv = vec![0i32; k];
    let (mi, ni) = (lapack_int(OP, m)?, lapack_int(OP, n)?);
    let (work_ptr, ipiv_ptr) = (work.as_mut_ptr(), ipiv.as_mut_ptr());
    // SAFETY: `work` is an F-order m×n buffer (lda = m ≥ 1) and `ipiv` has min(m, n) entries.
    let info = with_lapack_stack(m * n, || unsafe {
        T::getrf(mi, ni, work_ptr, mi, ipiv_ptr)
    });
    // info > 0 names an exactly zero pivot of U: the factorisation is still complete.
    debug_assert!(info >= 0, "?getrf rejected argument {}", -info);
    // ?getrf swapped row i with row ipiv[i] − 1, in order: apply the same swaps to the
    // identity to learn which row of `a` ended up in each position.
    for (i, &p) in ipiv.iter().enumerate() {
        perm.swap(i, p as usize - 1);
    }
    let mut l = Array2::<T>::zeros((m, k).f());
    for j in 0..k {
        l[[j, j]] = T::one();
        l.slice_mut(s![j + 1.., j])
            .assign(&work.slice(s![j + 1.., j]));
    }
    let mut u = Array2::<T>::zeros((k, n).f());
    for j in 0..n {
        let rows = (j + 1).min(k);
        u.slice_mut(s![..rows, j])
            .assign(&work.slice(s![..rows, j]));
    }
    Ok(Lu { perm, l, u })
}
