//! The Hessenberg decomposition `A = Q·H·Qᴴ`, as `scipy.linalg.hessenberg(a, calc_q=True)`.
//!
//! | function | f32 | f64 | c32 | c64 |
//! |---|---|---|---|---|
//! | [`hessenberg`] | `sgehrd` + `sorghr` | `dgehrd` + `dorghr` | `cgehrd` + `cunghr` | `zgehrd` + `zunghr` |

use ndarray::{Array1, Array2, ArrayBase, Data, Ix2, ShapeBuilder};

use crate::kernels::{with_lapack_stack, Workspace};
use crate::layout::{ensure_finite, lapack_int, lapack_status, square_order, to_fortran};
use crate::{Result, Scalar};

/// The Hessenberg form of a square matrix, from [`hessenberg`]: `a = q·h·qᴴ`.
///
/// ```
/// use ndarray::array;
/// let a = array![[1.0_f64, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 10.0]];
/// let ndkit::linalg::Hessenberg { h, q } = ndkit::linalg::hessenberg(&a)?;
/// assert_eq!(h[[2, 0]], 0.0);
/// let back = q.dot(&h).dot(&q.t());
/// assert!((&back - &a).iter().all(|d| d.abs() < 1e-12));
/// # Ok::<(), ndkit::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Hessenberg<T: Scalar> {
    /// The upper Hessenberg matrix: every entry below the first subdiagonal is exactly zero.
    pub h: Array2<T>,
    /// The unitary (orthogonal for real types) transformation, as columns.
    pub q: Array2<T>,
}

/// The Hessenberg decomposition `a = q·h·qᴴ` of a square matrix
/// (`scipy.linalg.hessenberg(a, calc_q=True)`), by Householder reduction (`?gehrd`) and the
/// explicit `q` (`?orghr`/`?unghr`). Entries of `h` below the first subdiagonal are exactly
/// zero. An empty matrix gives empty `h` and `q`.
///
/// # Errors
/// [`Error::NotSquare`](crate::Error::NotSquare),
/// [`Error::NonFinite`](crate::Error::NonFinite) for NaN/Inf entries (as SciPy's default
/// `check_finite`), [`Error::TooLarge`](crate::Error::TooLarge) beyond LAPACK's 32-bit integers.
///
/// ```
/// use ndarray::array;
/// let a = array![[4.0_f32, 1.0, 2.0, 0.5], [1.0, 3.0, 0.0, 1.0], [2.0, 0.0, 2.0, 1.0], [0.5, 1.0, 1.0, 1.0]];
/// let hq = ndkit::linalg::hessenberg(&a)?;
/// assert!(hq.h[[2, 0]] == 0.0 && hq.h[[3, 0]] == 0.0 && hq.h[[3, 1]] == 0.0);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn hessenberg<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>) -> Result<Hessenberg<T>> {
    const OP: &str = "hessenberg";
    let n = square_order(OP, a)?;
    if n == 0 {
        let empty = Array2::<T>::zeros((0, 0).f());
        return Ok(Hessenberg {
            h: empty.clone(),
            q: empty,
        });
    }
    ensure_finite(OP, a)?;
    let ni = lapack_int(OP, n)?;
    let mut h = to_fortran(a);
    let mut tau = Array1::<T>::zeros(n.max(2) - 1);
    let mut ws = Workspace::default();
    let (h_ptr, tau_ptr) = (h.as_mut_ptr(), tau.as_mut_ptr());
    // SAFETY: `h` is an F-order n×n buffer (leading dimension n ≥ 1) and `tau` holds
    // max(n − 1, 1) entries, what ?gehrd writes; the kernel sizes `ws` by the routine's query.
    let info = with_lapack_stack(n * n, || unsafe {
        T::gehrd(ni, h_ptr, ni, tau_ptr, &mut ws)
    });
    lapack_status(OP, "?gehrd", info)?;
    let mut q = h.clone();
    let q_ptr = q.as_mut_ptr();
    // SAFETY: `q` holds ?gehrd's reflectors in an F-order n×n buffer (leading dimension n),
    // `tau` their n − 1 scalars: what ?orghr/?unghr reads before writing Q over `q`.
    let info = with_lapack_stack(n * n, || unsafe {
        T::orghr(ni, q_ptr, ni, tau.as_ptr(), &mut ws)
    });
    lapack_status(OP, if T::IS_COMPLEX { "?unghr" } else { "?orghr" }, info)?;
    for ((i, j), x) in h.indexed_iter_mut() {
        if i > j + 1 {
            *x = T::zero();
        }
    }
    Ok(Hessenberg { h, q })
}
