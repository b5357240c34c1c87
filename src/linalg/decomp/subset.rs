//! Selected eigenpairs of a symmetric/Hermitian matrix, as `scipy.linalg.eigh(a,
//! subset_by_index=…)` and `scipy.linalg.eigh(a, subset_by_value=…)`.
//!
//! | function | f32 | f64 | c32 | c64 |
//! |---|---|---|---|---|
//! | [`eigh_subset`] (`RANGE = 'I'` or `'V'`, `JOBZ = 'V'`) | `ssyevr` | `dsyevr` | `cheevr` | `zheevr` |
//!
//! After the tridiagonal reduction only the selected eigenpairs are computed (MRRR) and
//! back-transformed. Only the named triangle is copied (into Fortran order) and read.

use ndarray::{s, Array1, Array2, ArrayBase, Data, Ix2, ShapeBuilder};
use num_traits::{Float, One, Zero};

use super::eig::Eigh;
use crate::kernels::{with_lapack_stack, Workspace};
use crate::layout::{
    copy_triangle, ensure_finite, ensure_workspace, lapack_int, lapack_status, square_order,
    uplo_char,
};
use crate::linalg::UPLO;
use crate::{Error, Result, Scalar};

/// Which eigenpairs [`eigh_subset`] computes.
///
/// ```
/// use ndkit::linalg::Subset;
/// let lowest_three = Subset::<f64>::Index(0, 2);
/// let in_unit_interval = Subset::Value(0.0, 1.0);
/// assert_ne!(lowest_three, in_unit_interval);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Subset<R> {
    /// The eigenpairs `lo..=hi` in ascending order of eigenvalue (0-based, inclusive), as
    /// SciPy's `subset_by_index=[lo, hi]`.
    Index(usize, usize),
    /// The eigenpairs with eigenvalue in the half-open interval `(lo, hi]`, as SciPy's
    /// `subset_by_value=[lo, hi]`; either end may be infinite.
    Value(R, R),
}

/// Selected eigenvalues (ascending) and their orthonormal eigenvectors (columns) of a
/// symmetric/Hermitian matrix, by `?syevr`/`?heevr`. Only the triangle named by `uplo` is read.
///
/// A [`Subset::Value`] interval holding no eigenvalue gives an empty result (values of length
/// 0, vectors n×0), as SciPy. An empty (0×0) matrix gives an empty result for any subset
/// whose bounds are themselves consistent.
///
/// # Errors
/// [`Error::InvalidArgument`] for `Index(lo, hi)` with `lo > hi` or `hi ≥ n`, and for
/// `Value(lo, hi)` with `lo ≥ hi` or a NaN bound; [`Error::NotSquare`],
/// [`Error::NonFinite`] for NaN/Inf in the named triangle,
/// [`Error::NoConvergence`] if LAPACK fails, [`Error::TooLarge`] beyond LAPACK's 32-bit
/// integers.
///
/// ```
/// use ndarray::array;
/// use ndkit::linalg::{eigh_subset, Subset, UPLO};
///
/// let a = array![[1.0_f64, 0.0, 0.0], [0.0, 2.0, 0.0], [0.0, 0.0, 3.0]];
/// let top = eigh_subset(&a, UPLO::Lower, Subset::Index(1, 2))?;
/// assert!((top.values[0] - 2.0).abs() < 1e-12 && (top.values[1] - 3.0).abs() < 1e-12);
/// assert_eq!(top.vectors.dim(), (3, 2));
/// let some = eigh_subset(&a, UPLO::Lower, Subset::Value(1.0, 2.5))?; // (1, 2.5]
/// assert_eq!(some.values.len(), 1);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn eigh_subset<T: Scalar, S: Data<Elem = T>>(
    a: &ArrayBase<S, Ix2>,
    uplo: UPLO,
    subset: Subset<T::Real>,
) -> Result<Eigh<T>> {
    const OP: &str = "eigh_subset";
    let n = square_order(OP, a)?;
    let invalid = |message: String| Err(Error::InvalidArgument { op: OP, message });
    match subset {
        Subset::Index(lo, hi) if lo > hi || (n > 0 && hi >= n) => {
            return invalid(format!(
                "subset Index({lo}, {hi}) is not a range 0 ≤ lo ≤ hi < {n} of eigenvalue indices"
            ));
        }
        Subset::Value(lo, hi) if lo.is_nan() || hi.is_nan() || lo >= hi => {
            return invalid(format!(
                "subset Value({lo}, {hi}) is not an interval (lo, hi] with lo < hi"
            ));
        }
        _ => {}
    }
    if n == 0 {
        return Ok(Eigh {
            values: Array1::zeros(0),
            vectors: Array2::zeros((0, 0)),
        });
    }
    let routine = if T::IS_COMPLEX { "?heevr" } else { "?syevr" };
    // ?syevr: LWORK ≥ 26n, LIWORK ≥ 10n; ?heevr: LRWORK ≥ 24n, LWORK ≥ 2n.
    ensure_workspace(OP, routine, 26 * n as u128)?;
    let ni = lapack_int(OP, n)?;
    let mut work = Array2::<T>::zeros((n, n).f());
    copy_triangle(a, uplo, &mut work.view_mut());
    ensure_finite(OP, &work)?;
    let zero = T::Real::zero();
    // (RANGE, VL, VU, IL, IU, columns of room for the vectors)
    let (range, vl, vu, il, iu, room) = match subset {
        Subset::Index(lo, hi) => (
            b'I',
            zero,
            zero,
            lapack_int(OP, lo + 1)?,
            lapack_int(OP, hi + 1)?,
            hi - lo + 1,
        ),
        // The whole real line: every eigenpair.
        Subset::Value(lo, hi) if lo == T::Real::neg_infinity() && hi == T::Real::infinity() => {
            (b'A', zero, zero, 0, 0, n)
        }
        Subset::Value(lo, hi) => {
            // An infinite end is replaced by a finite one beyond every eigenvalue: twice the
            // spectral radius bound n·max|aᵢⱼ| (plus one), which LAPACK's bisection accepts.
            let max = work
                .iter()
                .map(|x| x.norm())
                .fold(zero, |m, x| if x > m { x } else { m });
            let bound = (max * T::Real::from_f64_nearest(2.0 * n as f64)) + T::Real::one();
            let vl = if lo.is_infinite() { -bound } else { lo };
            let vu = if hi.is_infinite() { bound } else { hi };
            if vl >= vu {
                // (lo, ∞] or [−∞, hi] wholly beyond the spectrum.
                return Ok(Eigh {
                    values: Array1::zeros(0),
                    vectors: Array2::zeros((n, 0)),
                });
            }
            (b'V', vl, vu, 0, 0, n)
        }
    };
    let mut values = Array1::<T::Real>::zeros(n);
    let mut vectors = Array2::<T>::zeros((n, room).f());
    let (a_ptr, w_ptr, z_ptr) = (work.as_mut_ptr(), values.as_mut_ptr(), vectors.as_mut_ptr());
    // SAFETY: `work` is an F-order n×n buffer (lda = n ≥ 1); `values` has room for all n
    // eigenvalues; `vectors` is an F-order n×room buffer (ldz = n) with room for every pair
    // the range can select (room = iu − il + 1 for 'I', n otherwise); the kernel sizes the
    // work arrays by the routine's own query.
    let (found, info) = with_lapack_stack(n * n, || unsafe {
        T::heevr_range(
            range,
            uplo_char(uplo),
            ni,
            a_ptr,
            ni,
            vl,
            vu,
            il,
            iu,
            w_ptr,
            z_ptr,
            ni,
            &mut Workspace::default(),
        )
    });
    lapack_status(OP, routine, info)?;
    let found = usize::try_from(found).unwrap_or(0).min(room);
    if found == room {
        values.slice_collapse(s![..found]);
        return Ok(Eigh { values, vectors });
    }
    // A value range: keep only the columns found (compactly, in Fortran order).
    Ok(Eigh {
        values: values.slice(s![..found]).to_owned(),
        vectors: vectors.slice(s![.., ..found]).to_owned(),
    })
}
