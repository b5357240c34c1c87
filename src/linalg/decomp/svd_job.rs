//! An SVD that computes only the parts asked for ([`svd_with`]), by LAPACK's `?gesdd` with
//! the matching `jobz`.
//!
//! | [`SvdJob`] | `jobz` | f32 | f64 | c32 | c64 |
//! |---|---|---|---|---|---|
//! | `Thin` | `S` | `sgesdd` | `dgesdd` | `cgesdd` | `zgesdd` |
//! | `Full` | `A` | `sgesdd` | `dgesdd` | `cgesdd` | `zgesdd` |
//! | `UOnly`, `VtOnly` | `O` | `sgesdd` | `dgesdd` | `cgesdd` | `zgesdd` |
//! | `ValuesOnly` | `N` | `sgesdd` | `dgesdd` | `cgesdd` | `zgesdd` |
//!
//! With `jobz` 'O' LAPACK overwrites its copy of the input with whichever factor has the
//! input's shape (U when m ≥ n, Vᴴ when m < n) and writes the other, min(m, n) × min(m, n),
//! to its own argument: the factor that is not wanted costs no allocation beyond that copy.

use ndarray::{Array1, Array2, ArrayBase, Data, Ix2, ShapeBuilder};

use super::svd::{Factor, SvdCore};
use crate::layout::{check_dims, ensure_allocatable};
use crate::{Result, Scalar};

/// Which parts of an SVD [`svd_with`] computes.
///
/// With k = min(m, n): `Thin` gives u m×k and vt k×n, `Full` u m×m and vt n×n, `UOnly` the
/// thin u, `VtOnly` the thin vt, `ValuesOnly` neither (only `s`).
///
/// ```
/// use ndkit::linalg::{svd_with, SvdJob};
///
/// let a = ndarray::array![[1.0_f64, 2.0, 3.0], [4.0, 5.0, 6.0]];
/// let parts = svd_with(&a, SvdJob::VtOnly)?;
/// assert!(parts.u.is_none());
/// assert_eq!(parts.vt.map(|vt| vt.dim()), Some((2, 3)));
/// # Ok::<(), ndkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SvdJob {
    /// Thin u (m×k) and vt (k×n): `np.linalg.svd(a, full_matrices=False)`.
    Thin,
    /// Full u (m×m) and vt (n×n): `np.linalg.svd(a)`.
    Full,
    /// The thin vt only (k×n), e.g. for whitening or principal axes.
    VtOnly,
    /// The thin u only (m×k).
    UOnly,
    /// The singular values only: `np.linalg.svd(a, compute_uv=False)`.
    ValuesOnly,
}

/// The parts of an SVD `a = u · diag(s) · vt` that [`svd_with`] computed: `u` and `vt` are
/// `None` unless the [`SvdJob`] asked for them.
///
/// For complex input `vt` is Vᴴ (NumPy's `vh`). `u` and `vt` are Fortran-order arrays.
///
/// ```
/// use ndkit::linalg::{svd_with, SvdJob, SvdParts};
///
/// let a = ndarray::array![[3.0_f64, 0.0], [4.0, 5.0]];
/// let SvdParts { u, s, vt } = svd_with(&a, SvdJob::ValuesOnly)?;
/// assert!(u.is_none() && vt.is_none());
/// assert!((s[0] * s[1] - 15.0).abs() < 1e-12); // |det a|
/// # Ok::<(), ndkit::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct SvdParts<T: Scalar> {
    /// Left singular vectors as columns, if asked for.
    pub u: Option<Array2<T>>,
    /// Singular values, descending and non-negative (always computed).
    pub s: Array1<T::Real>,
    /// Right singular vectors as rows (Vᴴ), if asked for.
    pub vt: Option<Array2<T>>,
}

/// Singular value decomposition of an m×n matrix computing only what `job` asks for, by
/// LAPACK's `?gesdd` (see the module table for the `jobz` of each job).
///
/// The parts computed are those of [`svd`](crate::linalg::svd) (`Thin`, `Full`, and `UOnly`/
/// `VtOnly` as the matching factor of the thin SVD) and [`svdvals`](crate::linalg::svdvals)
/// (`ValuesOnly`): the same driver, so the same values and the same signs, up to rounding
/// in the last bits for `UOnly`/`VtOnly`, whose `jobz` 'O' takes a different path inside
/// `?gesdd`. Singular values are descending. Any layout or strides. An empty input gives
/// empty `s`; its `Full` factors are identities and its thin ones have a zero-length axis,
/// as in NumPy.
///
/// # Errors
/// [`Error::NonFinite`](crate::Error::NonFinite) for NaN/Inf entries,
/// [`Error::NoConvergence`](crate::Error::NoConvergence) if `?gesdd` fails to converge,
/// [`Error::TooLarge`](crate::Error::TooLarge) for dimensions beyond LAPACK's 32-bit
/// integers.
///
/// ```
/// use ndarray::{array, Array2};
/// use ndkit::linalg::{svd_with, SvdJob};
///
/// let a = array![[2.0_f64, 0.0], [0.0, -3.0], [0.0, 0.0]];
/// let parts = svd_with(&a, SvdJob::UOnly)?;
/// let u = parts.u.expect("UOnly computes u");
/// assert_eq!(u.dim(), (3, 2));
/// // uᵀ·a = diag(s)·vt has orthogonal rows of length s.
/// let svt = u.t().dot(&a);
/// assert!((svt.row(0).dot(&svt.row(0)) - 9.0).abs() < 1e-12);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn svd_with<T: Scalar, S: Data<Elem = T>>(
    a: &ArrayBase<S, Ix2>,
    job: SvdJob,
) -> Result<SvdParts<T>> {
    const OP: &str = "svd_with";
    let (m, n) = a.dim();
    check_dims(OP, &[m, n])?;
    let k = m.min(n);
    let mut s = Array1::<T::Real>::zeros(k);
    let mut core = SvdCore::default();
    match job {
        SvdJob::Thin | SvdJob::Full => {
            let full = job == SvdJob::Full;
            let (ucols, vrows) = if full { (m, n) } else { (k, k) };
            ensure_allocatable::<T>(OP, &[m, ucols])?;
            ensure_allocatable::<T>(OP, &[vrows, n])?;
            let mut u = Array2::<T>::zeros((m, ucols).f());
            let mut vt = Array2::<T>::zeros((vrows, n).f());
            core.run(
                OP,
                a.view(),
                s.view_mut(),
                Some((u.view_mut(), vt.view_mut(), full)),
            )?;
            Ok(SvdParts {
                u: Some(u),
                s,
                vt: Some(vt),
            })
        }
        SvdJob::UOnly | SvdJob::VtOnly => {
            let (factor, shape) = if job == SvdJob::UOnly {
                (Factor::U, (m, k))
            } else {
                (Factor::Vt, (k, n))
            };
            ensure_allocatable::<T>(OP, &[shape.0, shape.1])?;
            let mut out = Array2::<T>::zeros(shape.f());
            core.run_one(OP, a.view(), s.view_mut(), factor, out.view_mut())?;
            let (u, vt) = match factor {
                Factor::U => (Some(out), None),
                Factor::Vt => (None, Some(out)),
            };
            Ok(SvdParts { u, s, vt })
        }
        SvdJob::ValuesOnly => {
            core.run(OP, a.view(), s.view_mut(), None)?;
            Ok(SvdParts {
                u: None,
                s,
                vt: None,
            })
        }
    }
}
