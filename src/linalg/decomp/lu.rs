//! LU factorisation with partial pivoting, reusable for solves, inverses and determinants.
//!
//! | step | LAPACK |
//! |---|---|
//! | equilibrate (only when badly scaled, as `?laqge` decides) | `?geequ`'s scalings of `A`, computed in Rust for either buffer layout |
//! | factor | `?getrf` |
//! | reciprocal condition number (1-norm) | `?gecon` |
//! | solve / inverse | `?getrs` / `?getri` |
//!
//! A C-order input is factored as its transpose, which is the same memory read column-major:
//! the copy LAPACK needs is then a straight `memcpy`, and solves use `?getrs` with `TRANS = 'T'`.

use ndarray::{
    Array, Array2, ArrayBase, ArrayView2, ArrayViewMut2, Axis, Data, Dimension, ShapeBuilder,
};
use num_traits::{Float, One, ToPrimitive, Zero};

use super::equilibration::{equilibrate, scale};
use crate::kernels::{with_lapack_stack, Trans, Workspace};
use crate::layout::{in_fortran, lapack_int, square_order};
use crate::{Error, Result, Scalar};

/// The LU factorisation `P·A = L·U` of a square matrix, from [`lu_factor`].
///
/// Factor once, then solve for many right-hand sides, invert, or take the determinant.
///
/// ```
/// use ndarray::array;
/// let a = array![[3.0_f64, 1.0], [1.0, 2.0]];
/// let lu = ndkit::linalg::lu_factor(&a)?;
/// let x = lu.solve(&array![9.0, 8.0])?;
/// assert!((x[0] - 2.0).abs() < 1e-12 && (x[1] - 3.0).abs() < 1e-12);
/// assert!((lu.det() - 5.0).abs() < 1e-12);
/// # Ok::<(), ndkit::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct LuFactor<T: Scalar> {
    /// L and U of the factored matrix `F`, column-major. `F = R·B·C` where `B` is `A`
    /// (or `Aᵀ` when `transposed`) and `R`, `C` are the optional equilibration scalings.
    lu: Array2<T>,
    /// LAPACK's 1-based row interchanges.
    ipiv: Vec<i32>,
    transposed: bool,
    row_scale: Option<Vec<T::Real>>,
    col_scale: Option<Vec<T::Real>>,
    /// 0-based index of the first exactly-zero pivot.
    zero_pivot: Option<usize>,
    /// Reciprocal 1-norm condition number estimate of the equilibrated matrix (`None` when
    /// not estimated, for determinants).
    rcond: Option<T::Real>,
    /// LAPACK's work arrays, kept for the next matrix of a stack.
    ws: Workspace<T>,
}

impl<T: Scalar> Default for LuFactor<T> {
    fn default() -> Self {
        LuFactor {
            lu: Array2::zeros((0, 0).f()),
            ipiv: Vec::new(),
            transposed: false,
            row_scale: None,
            col_scale: None,
            zero_pivot: None,
            rcond: None,
            ws: Workspace::default(),
        }
    }
}

/// Factors a square matrix as `P·A = L·U` (LAPACK `?getrf`), after row/column equilibration
/// when the matrix is badly scaled (`?geequ`), and estimates its condition (`?gecon`).
///
/// The factorisation itself succeeds on singular input; [`LuFactor::solve`] and
/// [`LuFactor::inv`] then return [`Error::Singular`], while [`LuFactor::det`] returns zero.
///
/// ```
/// use ndarray::array;
/// let lu = ndkit::linalg::lu_factor(&array![[1.0, 2.0], [2.0, 4.0]])?;
/// assert_eq!(lu.det(), 0.0);
/// assert!(lu.solve(&array![1.0, 1.0]).unwrap_err().is_singular());
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn lu_factor<T: Scalar, S: Data<Elem = T>>(
    a: &ArrayBase<S, ndarray::Ix2>,
) -> Result<LuFactor<T>> {
    LuFactor::new("lu_factor", a, true)
}

impl<T: Scalar> LuFactor<T> {
    /// Factors `a`; with `estimate_condition` also equilibrates and runs `?gecon`.
    pub(crate) fn new<S: Data<Elem = T>>(
        op: &'static str,
        a: &ArrayBase<S, ndarray::Ix2>,
        estimate_condition: bool,
    ) -> Result<Self> {
        square_order(op, a)?;
        let mut factor = LuFactor::default();
        factor.refactor(op, a.view(), estimate_condition)?;
        Ok(factor)
    }

    /// Factors the square `a` (order checked by the caller) in this factor's buffers, which
    /// are kept, with LAPACK's work arrays, from one matrix of a stack to the next.
    pub(crate) fn refactor(
        &mut self,
        op: &'static str,
        a: ArrayView2<'_, T>,
        estimate_condition: bool,
    ) -> Result<()> {
        let n = a.nrows();
        // C-order input: its memory read column-major is Aᵀ, so copy without transposing.
        self.transposed = a.is_standard_layout() && n > 1;
        if self.lu.dim() != (n, n) {
            self.lu = Array2::zeros((n, n).f());
            self.ipiv = vec![0; n];
        }
        if self.transposed {
            self.lu.assign(&a.t());
        } else {
            self.lu.assign(&a);
        }
        (self.row_scale, self.col_scale, self.zero_pivot) = (None, None, None);
        if n == 0 {
            self.rcond = Some(T::Real::one());
            return Ok(());
        }
        self.rcond = None;
        let ni = lapack_int(op, n)?;
        let anorm = estimate_condition.then(|| {
            let eq = equilibrate(&mut self.lu, self.transposed);
            (self.row_scale, self.col_scale) = (eq.row_scale, eq.col_scale);
            eq.norm1
        });
        let (lu_ptr, ipiv_ptr) = (self.lu.as_mut_ptr(), self.ipiv.as_mut_ptr());
        // SAFETY: `lu` is an n×n column-major buffer with leading dimension n; `ipiv` has n entries.
        let info = with_lapack_stack(n * n, || unsafe { T::getrf(ni, ni, lu_ptr, ni, ipiv_ptr) });
        debug_assert!(info >= 0, "?getrf rejected argument {}", -info);
        if info > 0 {
            self.zero_pivot = Some(info as usize - 1);
            self.rcond = Some(T::Real::zero());
        } else if let Some(anorm) = anorm {
            self.rcond = Some(if anorm.is_finite() {
                let norm = if self.transposed { b'I' } else { b'O' };
                // SAFETY: `lu` holds the n×n factors from ?getrf with leading dimension n.
                let (rcond, info) =
                    unsafe { T::gecon(norm, ni, self.lu.as_ptr(), ni, anorm, &mut self.ws) };
                debug_assert!(info == 0, "?gecon failed with info {info}");
                rcond
            } else {
                T::Real::nan()
            });
        }
        Ok(())
    }

    /// Order of the factored matrix.
    fn order(&self) -> usize {
        self.ipiv.len()
    }

    /// [`Error::Singular`] when a pivot is exactly zero or `rcond < ε`.
    fn check_nonsingular(&self, op: &'static str) -> Result<()> {
        if let Some(pivot) = self.zero_pivot {
            return Err(Error::Singular {
                op,
                pivot: Some(pivot),
                rcond: 0.0,
            });
        }
        match self.rcond {
            Some(rcond) if rcond < T::Real::epsilon() => Err(Error::Singular {
                op,
                pivot: None,
                rcond: rcond.to_f64().unwrap_or(0.0),
            }),
            _ => Ok(()),
        }
    }

    /// Solves `A·x = b` for a vector `b` (shape `(n,)`) or a matrix of right-hand sides
    /// (shape `(n, k)`), with LAPACK `?getrs`.
    ///
    /// Returns [`Error::Singular`] when `A` is singular to working precision and
    /// [`Error::IncompatibleShapes`] when `b` has the wrong number of rows.
    ///
    /// ```
    /// use ndarray::array;
    /// let lu = ndkit::linalg::lu_factor(&array![[2.0, 0.0], [0.0, 4.0]])?;
    /// let x = lu.solve(&array![[2.0, 4.0], [4.0, 8.0]])?;
    /// assert_eq!(x, array![[1.0, 2.0], [1.0, 2.0]]);
    /// # Ok::<(), ndkit::Error>(())
    /// ```
    pub fn solve<S: Data<Elem = T>, D: Dimension>(
        &self,
        b: &ArrayBase<S, D>,
    ) -> Result<Array<T, D>> {
        self.solve_as("lu_factor.solve", b)
    }

    /// [`LuFactor::solve`] reporting errors as operation `op`.
    pub(crate) fn solve_as<S: Data<Elem = T>, D: Dimension>(
        &self,
        op: &'static str,
        b: &ArrayBase<S, D>,
    ) -> Result<Array<T, D>> {
        let n = self.order();
        let rhs = rhs_matrix(op, b, [n, n])?;
        let mut x = Array2::zeros(rhs.raw_dim().f());
        self.solve_into(op, rhs, x.view_mut(), &mut Vec::new())?;
        into_rhs_shape(op, x, b.ndim())
    }

    /// Solves `A·x = rhs` (n×k, rows checked by the caller) into `x` (n×k); `scratch` is
    /// used when `x`'s columns are not contiguous.
    pub(crate) fn solve_into(
        &self,
        op: &'static str,
        rhs: ArrayView2<'_, T>,
        x: ArrayViewMut2<'_, T>,
        scratch: &mut Vec<T>,
    ) -> Result<()> {
        self.check_nonsingular(op)?;
        in_fortran(x, scratch, |mut x, ldx| {
            x.assign(&rhs);
            self.solve_in_place(op, Trans::No, &mut x, ldx)
        })
    }

    /// Solves `Aᵀ·x = b` (no conjugation) reusing the factor, for `b` of shape `(n,)` or
    /// `(n, k)` (LAPACK `?getrs` with `TRANS = 'T'`, or `'N'` when the factor is of `Aᵀ`), as
    /// `scipy.linalg.lu_solve((lu, piv), b, trans=1)`. Errors as [`LuFactor::solve`].
    ///
    /// ```
    /// use ndarray::array;
    /// let lu = ndkit::linalg::lu_factor(&array![[2.0, 1.0], [0.0, 4.0]])?;
    /// // Aᵀ = [[2, 0], [1, 4]]
    /// assert_eq!(lu.solve_t(&array![2.0, 5.0])?, array![1.0, 1.0]);
    /// # Ok::<(), ndkit::Error>(())
    /// ```
    pub fn solve_t<S: Data<Elem = T>, D: Dimension>(
        &self,
        b: &ArrayBase<S, D>,
    ) -> Result<Array<T, D>> {
        self.solve_op("lu_factor.solve_t", Trans::Yes, b)
    }

    /// Solves `Aᴴ·x = b` (conjugate transpose) reusing the factor, for `b` of shape `(n,)` or
    /// `(n, k)` (LAPACK `?getrs` with `TRANS = 'C'`), as
    /// `scipy.linalg.lu_solve((lu, piv), b, trans=2)`; the same as [`LuFactor::solve_t`] for
    /// real matrices. Errors as [`LuFactor::solve`].
    ///
    /// ```
    /// use ndarray::array;
    /// use ndkit::c64;
    /// let i = c64::new(0.0, 1.0);
    /// let one = c64::new(1.0, 0.0);
    /// let lu = ndkit::linalg::lu_factor(&array![[one, i], [c64::new(0.0, 0.0), one]])?;
    /// // Aᴴ = [[1, 0], [−i, 1]]: x = (1, 2i) gives (1, −i + 2i) = (1, i).
    /// let x = lu.solve_h(&array![one, i])?;
    /// assert!((x[0] - one).norm() < 1e-15 && (x[1] - 2.0 * i).norm() < 1e-15);
    /// # Ok::<(), ndkit::Error>(())
    /// ```
    pub fn solve_h<S: Data<Elem = T>, D: Dimension>(
        &self,
        b: &ArrayBase<S, D>,
    ) -> Result<Array<T, D>> {
        self.solve_op("lu_factor.solve_h", Trans::Conj, b)
    }

    /// Solves `op(A)·x = b` with `op` given by `trans`, reporting errors as operation `op`.
    fn solve_op<S: Data<Elem = T>, D: Dimension>(
        &self,
        op: &'static str,
        trans: Trans,
        b: &ArrayBase<S, D>,
    ) -> Result<Array<T, D>> {
        let n = self.order();
        let rhs = rhs_matrix(op, b, [n, n])?;
        self.check_nonsingular(op)?;
        let mut x = Array2::zeros(rhs.raw_dim().f());
        x.assign(&rhs);
        let ldx = n.max(1) as i32;
        self.solve_in_place(op, trans, &mut x.view_mut(), ldx)?;
        into_rhs_shape(op, x, b.ndim())
    }

    /// Overwrites the column-major n×k `x` (leading dimension `ldx`), holding `b`, with the
    /// solution of `op(A)·x = b`, `op` = `trans` (`?getrs` between the equilibration
    /// scalings).
    fn solve_in_place(
        &self,
        op: &'static str,
        trans: Trans,
        x: &mut ArrayViewMut2<'_, T>,
        ldx: i32,
    ) -> Result<()> {
        let (n, nrhs) = x.dim();
        // op(A) in terms of the buffer's matrix B (A, or Aᵀ when `transposed`): Aᵀ = B and
        // Aᴴ = conj(B) when B = Aᵀ; conj(B)·x = b is solved as B·conj(x) = conj(b).
        let (on_b, conjugate) = match (self.transposed, trans) {
            (false, t) => (t, false),
            (true, Trans::No) => (Trans::Yes, false),
            (true, Trans::Yes) => (Trans::No, false),
            (true, Trans::Conj) => (Trans::No, T::IS_COMPLEX),
        };
        // F = R·B·C. B·y = b ⇔ F·(C⁻¹y) = R·b;  Bᵀ·y = b (or Bᴴ) ⇔ Fᵀ·(R⁻¹y) = C·b (R, C real).
        let (pre, post) = if on_b == Trans::No {
            (&self.row_scale, &self.col_scale)
        } else {
            (&self.col_scale, &self.row_scale)
        };
        if conjugate {
            x.mapv_inplace(Scalar::conj);
        }
        scale(x, pre.as_deref(), None);
        if n > 0 && nrhs > 0 {
            let (ni, ki) = (lapack_int(op, n)?, lapack_int(op, nrhs)?);
            let x_ptr = x.as_mut_ptr();
            // SAFETY: `lu`/`ipiv` are the n×n factors; `x` is an n×nrhs column-major view with
            // leading dimension `ldx` ≥ n.
            let info = with_lapack_stack(n * n, || unsafe {
                T::getrs(
                    on_b,
                    ni,
                    ki,
                    self.lu.as_ptr(),
                    ni,
                    self.ipiv.as_ptr(),
                    x_ptr,
                    ldx,
                )
            });
            debug_assert!(info == 0, "?getrs failed with info {info}");
        }
        scale(x, post.as_deref(), None);
        if conjugate {
            x.mapv_inplace(Scalar::conj);
        }
        Ok(())
    }

    /// The determinant of `A`; zero when `A` is exactly singular. Computed as
    /// `sign · exp(log|det|)` like NumPy, so it neither overflows nor underflows where the
    /// result is representable.
    ///
    /// ```
    /// let lu = ndkit::linalg::lu_factor(&ndarray::array![[0.0, 2.0], [3.0, 0.0]])?;
    /// assert_eq!(lu.det(), -6.0);
    /// # Ok::<(), ndkit::Error>(())
    /// ```
    pub fn det(&self) -> T {
        let (sign, logdet) = self.slogdet();
        sign * <T as Scalar>::from_real(logdet.exp())
    }

    /// `(sign, log|det A|)` like `np.linalg.slogdet`: `sign` has modulus 1 (±1 for real
    /// matrices) and `det A = sign · exp(log|det A|)`; `(0, −∞)` when `A` is exactly
    /// singular, `(1, 0)` for a 0×0 matrix. Never overflows, unlike [`LuFactor::det`].
    ///
    /// ```
    /// use ndarray::array;
    /// let lu = ndkit::linalg::lu_factor(&array![[0.0_f64, 1e200], [1e200, 0.0]])?;
    /// let (sign, logdet) = lu.slogdet();
    /// assert_eq!(sign, -1.0);
    /// assert!((logdet - 400.0 * 10f64.ln()).abs() < 1e-12);
    /// # Ok::<(), ndkit::Error>(())
    /// ```
    pub fn slogdet(&self) -> (T, T::Real) {
        if self.zero_pivot.is_some() {
            return (T::zero(), T::Real::neg_infinity());
        }
        let mut sign = T::one();
        let mut logdet = T::Real::zero();
        for (i, &p) in self.ipiv.iter().enumerate() {
            let u = self.lu[[i, i]];
            let modulus = u.norm();
            if p as usize != i + 1 {
                sign = -sign;
            }
            sign *= u / modulus;
            logdet += modulus.ln();
        }
        // det(F) = det(R)·det(B)·det(C), with positive scalings.
        for scale in [&self.row_scale, &self.col_scale].into_iter().flatten() {
            logdet = scale.iter().fold(logdet, |acc, &s| acc - s.ln());
        }
        (sign, logdet)
    }

    /// LAPACK's estimate (`?gecon`) of the reciprocal condition number `1/(‖F‖₁·‖F⁻¹‖₁)` of
    /// the factored matrix `F` — `A` itself, or `A` after row/column equilibration when `A` is
    /// badly scaled. [`LuFactor::solve`] and [`LuFactor::inv`] report [`Error::Singular`] when
    /// it is below ε. An exactly singular matrix gives 0.
    ///
    /// ```
    /// use ndarray::array;
    /// // Nearly singular: 1/(‖A‖₁·‖A⁻¹‖₁) = 1/(2.001 · 2001) ≈ 2.5e-4.
    /// let lu = ndkit::linalg::lu_factor(&array![[1.0_f64, 1.0], [1.0, 1.001]])?;
    /// assert!((lu.rcond() - 1.0 / (2.001 * 2001.0)).abs() < 1e-8);
    /// // Badly scaled only: equilibration makes it the identity.
    /// let scaled = ndkit::linalg::lu_factor(&array![[1.0_f64, 0.0], [0.0, 1e-3]])?;
    /// assert_eq!(scaled.rcond(), 1.0);
    /// # Ok::<(), ndkit::Error>(())
    /// ```
    pub fn rcond(&self) -> T::Real {
        self.rcond.unwrap_or_else(T::Real::nan)
    }

    /// The inverse of `A` (LAPACK `?getri`), or [`Error::Singular`].
    ///
    /// ```
    /// use ndarray::array;
    /// let lu = ndkit::linalg::lu_factor(&array![[2.0, 0.0], [0.0, 4.0]])?;
    /// assert_eq!(lu.inv()?, array![[0.5, 0.0], [0.0, 0.25]]);
    /// # Ok::<(), ndkit::Error>(())
    /// ```
    pub fn inv(&self) -> Result<Array2<T>> {
        self.clone().into_inv("lu_factor.inv")
    }

    /// The inverse, computed in place in the factor's own buffer.
    pub(crate) fn into_inv(mut self, op: &'static str) -> Result<Array2<T>> {
        self.invert(op)?;
        // B = Aᵀ ⇒ A⁻¹ = (B⁻¹)ᵀ: reversing the axes of the column-major buffer is free.
        Ok(if self.transposed {
            self.lu.reversed_axes()
        } else {
            self.lu
        })
    }

    /// The inverse of `A` into `out` (n×n), as the solution of `A·X = I` (`?getrs`, as
    /// `np.linalg.inv`): for the small and medium matrices of a stack its blocked triangular
    /// solves are faster than `?getri`'s unblocked inversion of U. `scratch` is used when
    /// `out`'s columns are not contiguous.
    pub(crate) fn inv_into(
        &self,
        op: &'static str,
        out: ArrayViewMut2<'_, T>,
        scratch: &mut Vec<T>,
    ) -> Result<()> {
        self.check_nonsingular(op)?;
        in_fortran(out, scratch, |mut x, ldx| {
            x.fill(T::zero());
            x.diag_mut().fill(T::one());
            self.solve_in_place(op, Trans::No, &mut x, ldx)
        })
    }

    /// Replaces the factors in the buffer by the inverse of the buffer's matrix `B` (`A`, or
    /// `Aᵀ` when `transposed`).
    fn invert(&mut self, op: &'static str) -> Result<()> {
        self.check_nonsingular(op)?;
        let n = self.order();
        if n > 0 {
            let ni = lapack_int(op, n)?;
            let (lu_ptr, ipiv_ptr) = (self.lu.as_mut_ptr(), self.ipiv.as_ptr());
            let ws = &mut self.ws;
            // SAFETY: `lu`/`ipiv` are the n×n factors from ?getrf, leading dimension n.
            let info =
                with_lapack_stack(n * n, || unsafe { T::getri(ni, lu_ptr, ni, ipiv_ptr, ws) });
            debug_assert!(info == 0, "?getri failed with info {info}");
        }
        // F = R·B·C ⇒ B⁻¹ = C·F⁻¹·R.
        scale(
            &mut self.lu,
            self.col_scale.as_deref(),
            self.row_scale.as_deref(),
        );
        Ok(())
    }
}

/// `b` as an m×k view (a vector becomes one column) for a system matrix of shape
/// `a_shape = [m, n]`, or the shape error for operation `op`.
pub(crate) fn rhs_matrix<'a, T, S: Data<Elem = T>, D: Dimension>(
    op: &'static str,
    b: &'a ArrayBase<S, D>,
    a_shape: [usize; 2],
) -> Result<ArrayView2<'a, T>> {
    let view = b.view().into_dyn();
    let rhs = match b.ndim() {
        1 => view
            .into_dimensionality::<ndarray::Ix1>()
            .map(|v| v.insert_axis(Axis(1)))
            .ok(),
        2 => view.into_dimensionality::<ndarray::Ix2>().ok(),
        _ => None,
    }
    .ok_or_else(|| Error::InvalidShape {
        op,
        shape: b.shape().to_vec(),
        expected: "right-hand side must be 1-d (m,) or 2-d (m, k)".into(),
    })?;
    if rhs.nrows() != a_shape[0] {
        return Err(Error::IncompatibleShapes {
            op,
            lhs: a_shape.to_vec(),
            rhs: b.shape().to_vec(),
        });
    }
    Ok(rhs)
}

/// The n×k solution buffer with the right-hand side's dimensionality: `(n,)` when `b` was a
/// vector, `(n, k)` otherwise.
pub(crate) fn into_rhs_shape<T: Scalar, D: Dimension>(
    op: &'static str,
    x: Array2<T>,
    rhs_ndim: usize,
) -> Result<Array<T, D>> {
    let shape = x.shape().to_vec();
    let x = if rhs_ndim == 1 {
        x.index_axis_move(Axis(1), 0).into_dyn()
    } else {
        x.into_dyn()
    };
    x.into_dimensionality::<D>()
        .map_err(|_| Error::InvalidShape {
            op,
            shape,
            expected: "a right-hand side of shape (n,) or (n, k)".into(),
        })
}
