//! Cholesky factorisation of Hermitian positive-definite matrices.
//!
//! | operation | LAPACK |
//! |---|---|
//! | [`cholesky`], [`cho_factor`] | `?potrf` |
//! | [`CholeskyFactor::solve`] | `?potrs` |
//! | [`CholeskyFactor::det`], [`CholeskyFactor::slogdet`] | the factor's diagonal |
//! | [`CholeskyFactor::inv`] | `?potri` |
//!
//! Only the triangle named by [`UPLO`] is read; the other may hold anything.

use ndarray::{
    s, Array, Array2, ArrayBase, ArrayView2, ArrayViewMut2, Data, Dimension, Ix2, ShapeBuilder,
};

use num_traits::{Float, Zero};

use super::lu::{into_rhs_shape, rhs_matrix};
use crate::kernels::with_lapack_stack;
use crate::layout::{
    copy_triangle, ensure_finite, in_fortran, lapack_int, square_order, to_fortran, uplo_char,
};
use crate::linalg::UPLO;
use crate::{Error, Result, Scalar};

/// The Cholesky factor of a Hermitian positive-definite matrix, from [`cho_factor`]:
/// `A = L·Lᴴ` (`UPLO::Lower`) or `A = Uᴴ·U` (`UPLO::Upper`).
///
/// ```
/// use ndarray::array;
/// use ndkit::linalg::{cho_factor, UPLO};
/// let f = cho_factor(&array![[4.0_f64, 2.0], [2.0, 3.0]], UPLO::Lower)?;
/// let x = f.solve(&array![6.0, 5.0])?;
/// assert!((x[0] - 1.0).abs() < 1e-12 && (x[1] - 1.0).abs() < 1e-12);
/// # Ok::<(), ndkit::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct CholeskyFactor<T: Scalar> {
    /// The triangular factor (column-major; the other triangle is zero).
    factor: Array2<T>,
    uplo: UPLO,
}

/// The Cholesky factor of a Hermitian positive-definite matrix (LAPACK `?potrf`): lower `L`
/// with `A = L·Lᴴ` for `UPLO::Lower` (as `np.linalg.cholesky`), upper `U` with `A = Uᴴ·U` for
/// `UPLO::Upper`. Only that triangle of `a` is read; the other triangle of the result is zero.
///
/// Errors: [`Error::NotSquare`], [`Error::NonFinite`] (NaN/Inf in the triangle read),
/// [`Error::NotPositiveDefinite`] naming the first leading minor that is not positive.
///
/// ```
/// use ndarray::array;
/// use ndkit::linalg::{cholesky, UPLO};
/// let l = cholesky(&array![[4.0, 2.0], [2.0, 10.0]], UPLO::Lower)?;
/// assert_eq!(l, array![[2.0, 0.0], [1.0, 3.0]]);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn cholesky<T: Scalar, S: Data<Elem = T>>(
    a: &ArrayBase<S, Ix2>,
    uplo: UPLO,
) -> Result<Array2<T>> {
    factorize("cholesky", a, uplo)
}

/// Factors a Hermitian positive-definite matrix once (LAPACK `?potrf`) for repeated solves,
/// like `scipy.linalg.cho_factor`. Errors as [`cholesky`].
///
/// ```
/// use ndarray::array;
/// use ndkit::linalg::{cho_factor, UPLO};
/// let f = cho_factor(&array![[4.0_f64, 0.0], [0.0, 16.0]], UPLO::Upper)?;
/// assert_eq!(f.solve(&array![[8.0], [16.0]])?, array![[2.0], [1.0]]);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn cho_factor<T: Scalar, S: Data<Elem = T>>(
    a: &ArrayBase<S, Ix2>,
    uplo: UPLO,
) -> Result<CholeskyFactor<T>> {
    Ok(CholeskyFactor {
        factor: factorize("cho_factor", a, uplo)?,
        uplo,
    })
}

/// Copies the named triangle of `a` to column-major order, factors it in place, and zeroes
/// the other triangle.
fn factorize<T: Scalar, S: Data<Elem = T>>(
    op: &'static str,
    a: &ArrayBase<S, Ix2>,
    uplo: UPLO,
) -> Result<Array2<T>> {
    let n = square_order(op, a)?;
    let mut c = Array2::zeros((n, n).f());
    cholesky_into(op, a.view(), uplo, c.view_mut(), &mut Vec::new())?;
    Ok(c)
}

/// The per-matrix work of [`cholesky`]: the factor of the square `a` (order checked by the
/// caller) into `out` (n×n, the other triangle zero); `scratch` is used when `out`'s columns
/// are not contiguous.
pub(crate) fn cholesky_into<T: Scalar>(
    op: &'static str,
    a: ArrayView2<'_, T>,
    uplo: UPLO,
    out: ArrayViewMut2<'_, T>,
    scratch: &mut Vec<T>,
) -> Result<()> {
    let n = a.nrows();
    in_fortran(out, scratch, |mut c, ldc| {
        // Only the named triangle is copied, so the other one is zero in the result and NaN
        // there is no error.
        copy_triangle(&a, uplo, &mut c);
        ensure_finite(op, &c)?;
        if n == 0 {
            return Ok(());
        }
        let ni = lapack_int(op, n)?;
        let c_ptr = c.as_mut_ptr();
        // SAFETY: `c` is an n×n column-major view with leading dimension `ldc` ≥ n.
        let info = with_lapack_stack(n * n, || unsafe {
            T::potrf(uplo_char(uplo), ni, c_ptr, ldc)
        });
        debug_assert!(info >= 0, "?potrf rejected argument {}", -info);
        if info > 0 {
            return Err(Error::NotPositiveDefinite {
                op,
                minor: info as usize,
            });
        }
        Ok(())
    })
}

impl<T: Scalar> CholeskyFactor<T> {
    /// Solves `A·x = b` for `b` of shape `(n,)` or `(n, k)` (LAPACK `?potrs`).
    ///
    /// ```
    /// use ndarray::array;
    /// use ndkit::linalg::{cho_factor, UPLO};
    /// let f = cho_factor(&array![[4.0, 0.0], [0.0, 1.0]], UPLO::Lower)?;
    /// assert_eq!(f.solve(&array![8.0, 3.0])?, array![2.0, 3.0]);
    /// # Ok::<(), ndkit::Error>(())
    /// ```
    pub fn solve<S: Data<Elem = T>, D: Dimension>(
        &self,
        b: &ArrayBase<S, D>,
    ) -> Result<Array<T, D>> {
        let op = "cho_factor.solve";
        let n = self.factor.nrows();
        let rhs = rhs_matrix(op, b, [n, n])?;
        let mut x = to_fortran(&rhs);
        let nrhs = x.ncols();
        if n > 0 && nrhs > 0 {
            let (ni, ki) = (lapack_int(op, n)?, lapack_int(op, nrhs)?);
            let x_ptr = x.as_mut_ptr();
            // SAFETY: `factor` is n×n column-major from ?potrf; `x` is n×nrhs column-major.
            let info = with_lapack_stack(n * n, || unsafe {
                T::potrs(
                    uplo_char(self.uplo),
                    ni,
                    ki,
                    self.factor.as_ptr(),
                    ni,
                    x_ptr,
                    ni,
                )
            });
            debug_assert!(info == 0, "?potrs failed with info {info}");
        }
        into_rhs_shape(op, x, b.ndim())
    }

    /// The determinant of `A`, `∏ |d_i|²` over the factor's (real, positive) diagonal,
    /// computed as `exp(log det)` so that it neither overflows nor underflows where the
    /// result is representable; 1 for a 0×0 matrix.
    ///
    /// ```
    /// use ndarray::array;
    /// use ndkit::linalg::{cho_factor, UPLO};
    /// let f = cho_factor(&array![[4.0_f64, 2.0], [2.0, 10.0]], UPLO::Lower)?;
    /// assert!((f.det() - 36.0).abs() < 1e-12);
    /// # Ok::<(), ndkit::Error>(())
    /// ```
    pub fn det(&self) -> T {
        T::from_real(self.slogdet().1.exp())
    }

    /// `(sign, log det A)` like `np.linalg.slogdet`: `sign` is 1 (a positive-definite matrix
    /// has a positive determinant) and `log det A = 2 Σ ln d_i` over the factor's diagonal.
    ///
    /// ```
    /// use ndarray::array;
    /// use ndkit::linalg::{cho_factor, UPLO};
    /// let f = cho_factor(&array![[1e300_f64, 0.0], [0.0, 1e300]], UPLO::Upper)?;
    /// let (sign, logdet) = f.slogdet();
    /// assert_eq!(sign, 1.0);
    /// assert!((logdet - 600.0 * 10f64.ln()).abs() < 1e-12);
    /// # Ok::<(), ndkit::Error>(())
    /// ```
    pub fn slogdet(&self) -> (T, T::Real) {
        let half = self
            .factor
            .diag()
            .iter()
            .fold(T::Real::zero(), |acc, d| acc + d.re().ln());
        (T::one(), half + half)
    }

    /// The inverse of `A` from the factor (LAPACK `?potri`), as a full Hermitian matrix
    /// (both triangles written, the diagonal real), like `scipy.linalg.cho_solve(c, I)`.
    ///
    /// ```
    /// use ndarray::array;
    /// use ndkit::linalg::{cho_factor, UPLO};
    /// let f = cho_factor(&array![[4.0_f64, 2.0], [2.0, 2.0]], UPLO::Lower)?;
    /// let inv = f.inv()?;
    /// let expected = array![[0.5, -0.5], [-0.5, 1.0]];
    /// assert!((inv - expected).iter().all(|d| d.abs() < 1e-15));
    /// # Ok::<(), ndkit::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Singular`] if a diagonal entry of the factor is exactly zero (which a factor
    /// from [`cho_factor`] cannot have: it is reported rather than trusted).
    pub fn inv(&self) -> Result<Array2<T>> {
        let op = "cho_factor.inv";
        let n = self.factor.nrows();
        // Two spare columns after the n×n matrix (leading dimension n): OpenBLAS's ?lauu2,
        // behind ?potri, reads a row of the upper triangle through its strided ?dotc kernel one
        // stride past the row's end (observed: SIGSEGV in zlauu2_U → zdotc_k, n = 33, when the
        // matrix ended at a page boundary). The spare columns keep such reads inside the buffer.
        let mut buf = Array2::<T>::zeros((n, n + 2).f());
        buf.slice_mut(s![.., ..n]).assign(&self.factor);
        if n > 0 {
            let ni = lapack_int(op, n)?;
            let ptr = buf.as_mut_ptr();
            // SAFETY: `buf` is column-major with leading dimension n ≥ 1 and holds the n×n ?potrf
            // factor in its first n columns (plus the spare ones described above).
            let info = with_lapack_stack(n * n, || unsafe {
                T::potri(uplo_char(self.uplo), ni, ptr, ni)
            });
            debug_assert!(info >= 0, "?potri rejected argument {}", -info);
            if info > 0 {
                return Err(Error::Singular {
                    op,
                    pivot: Some(info as usize - 1),
                    rcond: 0.0,
                });
            }
        }
        let mut inv = buf.slice(s![.., ..n]).to_owned();
        // ?potri wrote the `uplo` triangle; mirror it into the other one.
        for j in 0..n {
            for i in j + 1..n {
                let (from, to) = match self.uplo {
                    UPLO::Lower => ([i, j], [j, i]),
                    UPLO::Upper => ([j, i], [i, j]),
                };
                inv[to] = inv[from].conj();
            }
        }
        Ok(inv)
    }

    /// The triangular factor (`L` or `U`, the other triangle zero).
    ///
    /// ```
    /// use ndarray::array;
    /// use ndkit::linalg::{cho_factor, UPLO};
    /// let f = cho_factor(&array![[9.0, 3.0], [3.0, 5.0]], UPLO::Upper)?;
    /// assert_eq!(f.factor(), &array![[3.0, 1.0], [0.0, 2.0]]);
    /// # Ok::<(), ndkit::Error>(())
    /// ```
    pub fn factor(&self) -> &Array2<T> {
        &self.factor
    }

    /// Which triangle the factor occupies.
    ///
    /// ```
    /// use ndkit::linalg::{cho_factor, UPLO};
    /// let f = cho_factor(&ndarray::array![[1.0]], UPLO::Lower)?;
    /// assert_eq!(f.uplo(), UPLO::Lower);
    /// # Ok::<(), ndkit::Error>(())
    /// ```
    pub fn uplo(&self) -> UPLO {
        self.uplo
    }
}
