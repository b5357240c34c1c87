//! Generalized eigenproblems `A·v = λ·B·v`, as `scipy.linalg.eigh(a, b)` and
//! `scipy.linalg.eig(a, b)`.
//!
//! | function | f32 | f64 | c32 | c64 |
//! |---|---|---|---|---|
//! | [`eigh_generalized`] (`ITYPE = 1`, `JOBZ = 'V'`) | `ssygvd` | `dsygvd` | `chegvd` | `zhegvd` |
//! | [`eig_generalized`] (`JOBVL = 'N'`, `JOBVR = 'V'`) | `sggev` | `dggev` | `cggev` | `zggev` |
//!
//! Both inputs are copied once into Fortran order (for `eigh_generalized` only the named
//! triangles, so the other triangles may hold anything, NaN included); the eigenvectors are
//! computed in that copy.

use ndarray::{Array1, Array2, ArrayBase, Data, Ix2, ShapeBuilder};
use num_traits::{Float, Zero};

use super::eig::{Eig, Eigh};
use crate::kernels::{with_lapack_stack, Workspace};
use crate::layout::{
    copy_triangle, ensure_finite, ensure_workspace, lapack_int, lapack_status, square_order,
    to_fortran, uplo_char,
};
use crate::linalg::UPLO;
use crate::{Error, Result, Scalar};

/// The common order of the square `a` and `b`, or the error naming the one at fault.
fn pair_order<T, S1: Data<Elem = T>, S2: Data<Elem = T>>(
    op: &'static str,
    a: &ArrayBase<S1, Ix2>,
    b: &ArrayBase<S2, Ix2>,
) -> Result<usize> {
    let n = square_order(op, a)?;
    let nb = square_order(op, b)?;
    if n != nb {
        return Err(Error::IncompatibleShapes {
            op,
            lhs: a.shape().to_vec(),
            rhs: b.shape().to_vec(),
        });
    }
    Ok(n)
}

/// Eigenvalues (ascending) and eigenvectors of the symmetric-definite generalized problem
/// `A·v = λ·B·v`, `A` Hermitian and `B` Hermitian positive definite, as
/// `scipy.linalg.eigh(a, b, lower=…)`, by divide and conquer (`?sygvd`/`?hegvd`, `ITYPE = 1`).
///
/// The eigenvectors are B-orthonormal: `Vᴴ·B·V = I`. Only the triangle named by `uplo` is
/// read, of both `a` and `b`.
///
/// # Errors
/// [`Error::NotSquare`] or [`Error::IncompatibleShapes`] for shapes that do not fit,
/// [`Error::NonFinite`] for NaN/Inf in the triangles read,
/// [`Error::NotPositiveDefinite`] when `B` is not positive definite (naming the leading
/// minor), [`Error::NoConvergence`] if LAPACK fails to converge,
/// [`Error::TooLarge`] beyond LAPACK's 32-bit integers.
///
/// ```
/// use ndarray::array;
/// use ndkit::linalg::{eigh_generalized, UPLO};
///
/// let a = array![[2.0_f64, 0.0], [0.0, 6.0]];
/// let b = array![[2.0_f64, 0.0], [0.0, 1.0]];
/// let e = eigh_generalized(&a, &b, UPLO::Lower)?;
/// assert!((e.values[0] - 1.0).abs() < 1e-12 && (e.values[1] - 6.0).abs() < 1e-12);
/// // B-orthonormal: vᴴ·B·v = 1.
/// let v = e.vectors.column(0);
/// assert!((v.dot(&b.dot(&v)) - 1.0).abs() < 1e-12);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn eigh_generalized<T: Scalar, S1: Data<Elem = T>, S2: Data<Elem = T>>(
    a: &ArrayBase<S1, Ix2>,
    b: &ArrayBase<S2, Ix2>,
    uplo: UPLO,
) -> Result<Eigh<T>> {
    const OP: &str = "eigh_generalized";
    let n = pair_order(OP, a, b)?;
    let mut values = Array1::<T::Real>::zeros(n);
    let mut vectors = Array2::<T>::zeros((n, n).f());
    if n == 0 {
        return Ok(Eigh { values, vectors });
    }
    let routine = if T::IS_COMPLEX { "?hegvd" } else { "?sygvd" };
    // As ?syevd: LWORK (real) or LRWORK (complex) of 1 + 6n + 2n².
    let nw = n as u128;
    ensure_workspace(OP, routine, 2 * nw * nw + 6 * nw + 1)?;
    let ni = lapack_int(OP, n)?;
    let mut factor = Array2::<T>::zeros((n, n).f());
    copy_triangle(a, uplo, &mut vectors.view_mut());
    copy_triangle(b, uplo, &mut factor.view_mut());
    // The copies hold only what LAPACK reads, so NaN/Inf elsewhere is no error.
    ensure_finite(OP, &vectors)?;
    ensure_finite(OP, &factor)?;
    let (a_ptr, b_ptr, w_ptr) = (
        vectors.as_mut_ptr(),
        factor.as_mut_ptr(),
        values.as_mut_ptr(),
    );
    // SAFETY: `vectors` and `factor` are F-order n×n buffers (leading dimension n ≥ 1) and
    // `values` holds n entries: what ?sygvd/?hegvd read and write; the kernel sizes the work
    // arrays by the routine's own query.
    let info = with_lapack_stack(n * n, || unsafe {
        T::hegvd(
            b'V',
            uplo_char(uplo),
            ni,
            a_ptr,
            ni,
            b_ptr,
            ni,
            w_ptr,
            &mut Workspace::default(),
        )
    });
    // info > n: the leading minor of order info − n of B is not positive.
    if let Some(minor) = usize::try_from(info).ok().and_then(|i| i.checked_sub(n)) {
        if minor > 0 {
            return Err(Error::NotPositiveDefinite { op: OP, minor });
        }
    }
    lapack_status(OP, routine, info)?;
    Ok(Eigh { values, vectors })
}

/// Eigenvalues and right eigenvectors of the general generalized problem `A·v = λ·B·v`, as
/// `scipy.linalg.eig(a, b)`, by the QZ algorithm (`?ggev`).
///
/// λ = α/β from LAPACK's pair (α, β); as in SciPy, an eigenvalue with β = 0 and α ≠ 0 is
/// `+∞ + 0i` (the projective infinity), one with α = β = 0 (a singular pencil) is NaN
/// (`NaN + 0i` when every α is real, `NaN + NaN·i` otherwise). The eigenvectors are the columns
/// of `vectors`, scaled to unit 2-norm (as SciPy; LAPACK's own scaling differs); the order is
/// LAPACK's, with complex conjugate pairs of real input adjacent, positive imaginary part
/// first.
///
/// # Errors
/// [`Error::NotSquare`] or [`Error::IncompatibleShapes`] for shapes that do not fit,
/// [`Error::NonFinite`] for NaN/Inf entries, [`Error::NoConvergence`] if the QZ iteration
/// fails, [`Error::TooLarge`] beyond LAPACK's 32-bit integers.
///
/// ```
/// use ndarray::array;
/// use ndkit::linalg::eig_generalized;
///
/// let a = array![[1.0_f64, 0.0], [0.0, 1.0]];
/// let b = array![[2.0_f64, 0.0], [0.0, 0.0]];
/// let e = eig_generalized(&a, &b)?;
/// // One finite eigenvalue 1/2, one infinite (B is singular).
/// assert!(e.values.iter().any(|l| (l.re - 0.5).abs() < 1e-12 && l.im == 0.0));
/// assert!(e.values.iter().any(|l| l.re == f64::INFINITY));
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn eig_generalized<T: Scalar, S1: Data<Elem = T>, S2: Data<Elem = T>>(
    a: &ArrayBase<S1, Ix2>,
    b: &ArrayBase<S2, Ix2>,
) -> Result<Eig<T>> {
    const OP: &str = "eig_generalized";
    let n = pair_order(OP, a, b)?;
    let mut values = Array1::<T::Complex>::zeros(n);
    let mut vectors = Array2::<T::Complex>::zeros((n, n).f());
    if n == 0 {
        return Ok(Eig { values, vectors });
    }
    ensure_finite(OP, a)?;
    ensure_finite(OP, b)?;
    let ni = lapack_int(OP, n)?;
    let (mut a, mut b) = (to_fortran(a), to_fortran(b));
    let mut alpha = Array1::<T::Complex>::zeros(n);
    let mut beta = Array1::<T>::zeros(n);
    let ptrs = (
        a.as_mut_ptr(),
        b.as_mut_ptr(),
        alpha.as_mut_ptr(),
        beta.as_mut_ptr(),
        vectors.as_mut_ptr(),
    );
    // SAFETY: `a` and `b` are F-order n×n buffers (leading dimension n ≥ 1), `alpha` and
    // `beta` hold n entries and `vectors` is an F-order n×n buffer with leading dimension n,
    // the layout the kernel writes; it sizes the work arrays by the routine's own query.
    let info = with_lapack_stack(n * n, || unsafe {
        let (a, b, alpha, beta, v) = ptrs;
        T::ggev(ni, a, ni, b, ni, alpha, beta, v, &mut Workspace::default())
    });
    lapack_status(OP, "?ggev", info)?;
    let real_alphas = alpha.iter().all(|z| z.im().is_zero());
    let infinity = T::complex_from_parts(T::Real::infinity(), T::Real::zero());
    let nan = T::Real::nan();
    let undetermined = T::complex_from_parts(nan, if real_alphas { T::Real::zero() } else { nan });
    for ((w, &al), &be) in values.iter_mut().zip(&alpha).zip(&beta) {
        let be = be.to_complex();
        *w = match (al.is_zero(), be.is_zero()) {
            (_, false) => al / be,
            (false, true) => infinity,
            (true, true) => undetermined,
        };
    }
    // LAPACK scales each vector so that its largest |re| + |im| is 1: no overflow here.
    for mut v in vectors.columns_mut() {
        let norm = v
            .iter()
            .map(|z| z.norm_sqr())
            .fold(T::Real::zero(), |s, x| s + x)
            .sqrt();
        if norm > T::Real::zero() {
            v.mapv_inplace(|z| z / norm);
        }
    }
    Ok(Eig { values, vectors })
}
