//! Linear systems: square, triangular and least squares.
//!
//! | function | LAPACK |
//! |---|---|
//! | [`solve`] | `?geequ` + `?getrf` + `?gecon` + `?getrs` (see [`lu_factor`](super::lu_factor)) |
//! | [`solve_triangular`] | `?trtrs` (C-order input read as its transpose, no copy) |
//! | [`lstsq`] | `?gelsd` (divide-and-conquer SVD) |
//!
//! Right-hand sides are vectors `(n,)` or matrices `(n, k)`; the solution has the same
//! dimensionality.

use ndarray::{
    s, Array, Array1, ArrayBase, ArrayView2, ArrayViewMut1, Axis, Data, Dimension, Ix2,
    ShapeBuilder,
};
use num_traits::{Float, Zero};

use super::decomp::lu::{into_rhs_shape, rhs_matrix, LuFactor};
use super::UPLO;
use crate::kernels::{with_lapack_stack, Trans, Workspace};
use crate::layout::{
    blas_matrix, check_dims, ensure_allocatable, ensure_finite, ensure_workspace, in_contiguous,
    lapack_int, lapack_status, scratch_matrix, square_order, to_fortran, uplo_char,
};
use crate::{Error, Result, Scalar};

/// Solves `A·x = b` for square `A`, like `np.linalg.solve`; `b` is `(n,)` or `(n, k)`.
///
/// `A` is equilibrated when badly scaled, LU-factored with partial pivoting, and rejected as
/// [`Error::Singular`] when a pivot is exactly zero or its reciprocal condition number is
/// below ε. Other errors: [`Error::NotSquare`], [`Error::IncompatibleShapes`]. NaN in the input
/// propagates to the solution, as in NumPy.
///
/// ```
/// use ndarray::array;
/// let a = array![[3.0_f64, 1.0], [1.0, 2.0]];
/// let x = ndkit::linalg::solve(&a, &array![9.0, 8.0])?;
/// assert!((x[0] - 2.0).abs() < 1e-12 && (x[1] - 3.0).abs() < 1e-12);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn solve<T: Scalar, Sa: Data<Elem = T>, Sb: Data<Elem = T>, D: Dimension>(
    a: &ArrayBase<Sa, Ix2>,
    b: &ArrayBase<Sb, D>,
) -> Result<Array<T, D>> {
    let op = "solve";
    let n = square_order(op, a)?;
    rhs_matrix(op, b, [n, n])?;
    LuFactor::new(op, a, true)?.solve_as(op, b)
}

/// Solves `A·x = b` where `A` is triangular, reading only the triangle `uplo` names (like
/// `scipy.linalg.solve_triangular`, LAPACK `?trtrs`). A C-order `A` is passed to LAPACK as
/// its transpose with `TRANS = 'T'`, without a copy.
///
/// Errors: [`Error::NotSquare`], [`Error::IncompatibleShapes`], and [`Error::Singular`] when
/// a diagonal entry is exactly zero.
///
/// ```
/// use ndarray::array;
/// use ndkit::linalg::{solve_triangular, UPLO};
/// let l = array![[2.0, 0.0], [1.0, 1.0]];
/// assert_eq!(solve_triangular(&l, &array![4.0, 3.0], UPLO::Lower)?, array![2.0, 1.0]);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn solve_triangular<T: Scalar, Sa: Data<Elem = T>, Sb: Data<Elem = T>, D: Dimension>(
    a: &ArrayBase<Sa, Ix2>,
    b: &ArrayBase<Sb, D>,
    uplo: UPLO,
) -> Result<Array<T, D>> {
    let op = "solve_triangular";
    let n = square_order(op, a)?;
    let rhs = rhs_matrix(op, b, [n, n])?;
    let mut x = to_fortran(&rhs);
    let nrhs = x.ncols();
    if n > 0 && nrhs > 0 {
        let (ni, ki) = (lapack_int(op, n)?, lapack_int(op, nrhs)?);
        let copy;
        let view = a.view();
        let (ptr, lda, trans, uplo) = match blas_matrix(&view) {
            Some(m) if m.trans == Trans::No => (m.ptr, m.ld, Trans::No, uplo),
            // The memory read column-major is Aᵀ, whose triangle is the opposite one.
            Some(m) => (m.ptr, m.ld, Trans::Yes, flip(uplo)),
            None => {
                copy = to_fortran(a);
                (copy.as_ptr(), ni, Trans::No, uplo)
            }
        };
        let x_ptr = x.as_mut_ptr();
        // SAFETY: `ptr`/`lda` describe an n×n column-major matrix (checked by blas_matrix or a
        // fresh copy) that outlives the call; `x` is n×nrhs column-major with leading dimension n.
        let info = with_lapack_stack(n * n, || unsafe {
            T::trtrs(uplo_char(uplo), trans, b'N', ni, ki, ptr, lda, x_ptr, ni)
        });
        debug_assert!(info >= 0, "?trtrs rejected argument {}", -info);
        if info > 0 {
            return Err(Error::Singular {
                op,
                pivot: Some(info as usize - 1),
                rcond: 0.0,
            });
        }
    }
    into_rhs_shape(op, x, b.ndim())
}

fn flip(uplo: UPLO) -> UPLO {
    match uplo {
        UPLO::Upper => UPLO::Lower,
        UPLO::Lower => UPLO::Upper,
    }
}

/// The result of [`lstsq`], with NumPy's fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Lstsq<T: Scalar, D: Dimension> {
    /// The minimum-norm least-squares solution, `(n,)` or `(n, k)` like `b`.
    pub solution: Array<T, D>,
    /// Squared 2-norm of each column's residual `b − A·x`; non-empty only when `rank = n` and
    /// `m > n` (NumPy's rule).
    pub residuals: Array1<T::Real>,
    /// Effective rank of `A`.
    pub rank: usize,
    /// Singular values of `A`, descending.
    pub singular_values: Array1<T::Real>,
}

/// Minimum-norm least-squares solution of `A·x ≈ b`, like `np.linalg.lstsq` (LAPACK `?gelsd`).
///
/// Singular values at or below `rcond · s_max` are treated as zero; `None` means
/// `max(m, n) · ε`. `b` is `(m,)` or `(m, k)`.
///
/// Errors: [`Error::IncompatibleShapes`], [`Error::NonFinite`] (NaN/Inf in `a` or `b`),
/// [`Error::NoConvergence`].
///
/// ```
/// use ndarray::array;
/// // Fit y = c0 + c1·t through three points.
/// let a = array![[1.0_f64, 0.0], [1.0, 1.0], [1.0, 2.0]];
/// let fit = ndkit::linalg::lstsq(&a, &array![1.0, 3.0, 5.0], None)?;
/// assert!((fit.solution[0] - 1.0).abs() < 1e-12 && (fit.solution[1] - 2.0).abs() < 1e-12);
/// assert_eq!(fit.rank, 2);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn lstsq<T: Scalar, Sa: Data<Elem = T>, Sb: Data<Elem = T>, D: Dimension>(
    a: &ArrayBase<Sa, Ix2>,
    b: &ArrayBase<Sb, D>,
    rcond: Option<T::Real>,
) -> Result<Lstsq<T, D>> {
    let op = "lstsq";
    let (m, n) = a.dim();
    let rhs = rhs_matrix(op, b, [m, n])?;
    let mut singular_values = Array1::<T::Real>::zeros(m.min(n));
    let mut core = LstsqCore::default();
    let rank = core.run(op, a.view(), rhs, rcond, singular_values.view_mut())?;
    let solution = core.solution().to_owned();
    // Rows n..m of the buffer hold the residual components when A has full column rank.
    let residuals = if rank == n && m > n {
        core.residual_rows().map_axis(Axis(0), |col| {
            col.iter()
                .fold(T::Real::zero(), |acc, v| acc + v.norm_sqr())
        })
    } else {
        Array1::zeros(0)
    };
    Ok(Lstsq {
        solution: into_rhs_shape(op, solution, b.ndim())?,
        residuals,
        rank,
        singular_values,
    })
}

/// The per-matrix work of [`lstsq`], with LAPACK's work arrays and both buffers kept from
/// one system to the next (one workspace query per shape).
#[derive(Debug, Default)]
pub(crate) struct LstsqCore<T: Scalar> {
    ws: Workspace<T>,
    matrix: Vec<T>,
    /// The right-hand sides on entry, the solution (rows ..n) and residual components (rows
    /// n..m) after: ldb × k column-major, ldb = max(m, n, 1).
    rhs: Vec<T>,
    dims: (usize, usize, usize),
}

impl<T: Scalar> LstsqCore<T> {
    /// Solves `a·x ≈ rhs` (m×n, m×k; rows checked by the caller) in the least-squares sense
    /// with `?gelsd`, writing the singular values of `a` into `singular_values` (min(m, n)
    /// entries) and returning the effective rank; the solution is then [`Self::solution`].
    pub(crate) fn run(
        &mut self,
        op: &'static str,
        a: ArrayView2<'_, T>,
        rhs: ArrayView2<'_, T>,
        rcond: Option<T::Real>,
        singular_values: ArrayViewMut1<'_, T::Real>,
    ) -> Result<usize> {
        let (m, n) = a.dim();
        let k = rhs.ncols();
        check_dims(op, &[m, n, k])?;
        let ldb = m.max(n).max(1);
        ensure_allocatable::<T>(op, &[ldb, k.max(1)])?;
        // ?gelsd's documented minimum LWORK/LRWORK with at most 32 levels of its divide and
        // conquer (SMLSIZ = 25): 12·mn + 2·mn·25 + 8·mn·32 + mn·nrhs + 26², plus n·(1 + nrhs)
        // for complex.
        let (mn, nrhs) = (m.min(n) as u128, k.max(1) as u128);
        let workspace = 318 * mn
            + mn * nrhs
            + 676
            + if T::IS_COMPLEX {
                n as u128 * (1 + nrhs) + 77 * nrhs
            } else {
                0
            };
        ensure_workspace(op, "?gelsd", workspace)?;
        ensure_finite(op, &a)?;
        ensure_finite(op, &rhs)?;
        self.dims = (m, n, k);
        // ?gelsd needs room for the n×k solution and the m×k right-hand side in one buffer.
        // With no right-hand side, one zero column still gives ?gelsd a valid NRHS (NumPy pads
        // the same way) and the rank and singular values are computed as usual.
        let mut x = scratch_matrix(&mut self.rhs, ldb, k.max(1));
        x.slice_mut(s![..m, ..k]).assign(&rhs);
        if m == 0 || n == 0 {
            return Ok(0);
        }
        let rcond = rcond.unwrap_or_else(|| {
            <T::Real as Scalar>::from_f64_nearest(m.max(n) as f64) * T::Real::epsilon()
        });
        let mut a_buf = scratch_matrix(&mut self.matrix, m, n);
        a_buf.assign(&a);
        let (mi, ni, ki, ldbi) = (
            lapack_int(op, m)?,
            lapack_int(op, n)?,
            lapack_int(op, k.max(1))?,
            lapack_int(op, ldb)?,
        );
        let (a_ptr, x_ptr) = (a_buf.as_mut_ptr(), x.as_mut_ptr());
        let ws = &mut self.ws;
        in_contiguous(singular_values, &mut Vec::new(), |sv| {
            let s_ptr = sv.as_mut_ptr();
            // SAFETY: `a_buf` is m×n column-major (ld m), `x` is ldb×k column-major with
            // ldb ≥ max(m, n), `sv` has min(m, n) entries; `ws` sizes the work arrays by the
            // routine's own query.
            let (rank, info) = with_lapack_stack(m * n, || unsafe {
                T::gelsd(mi, ni, ki, a_ptr, mi, x_ptr, ldbi, s_ptr, rcond, ws)
            });
            lapack_status(op, "?gelsd", info)?;
            Ok(rank as usize)
        })
    }

    /// The n×k solution of the last [`Self::run`].
    pub(crate) fn solution(&self) -> ArrayView2<'_, T> {
        let (m, n, k) = self.dims;
        let ldb = m.max(n).max(1);
        let x = ArrayView2::from_shape((ldb, k.max(1)).f(), &self.rhs[..ldb * k.max(1)])
            .expect("the buffer holds ldb × k entries");
        // For an empty system nothing was solved and the rows are zero: the minimum-norm
        // solution.
        x.slice_move(s![..n, ..k])
    }

    /// Rows n..m of the last [`Self::run`]'s buffer: the residual components `b − A·x` in the
    /// basis ?gelsd leaves them in, whose squared column norms are the residuals when A has full
    /// column rank and m > n.
    pub(crate) fn residual_rows(&self) -> ArrayView2<'_, T> {
        let (m, n, k) = self.dims;
        let ldb = m.max(n).max(1);
        let x = ArrayView2::from_shape((ldb, k.max(1)).f(), &self.rhs[..ldb * k.max(1)])
            .expect("the buffer holds ldb × k entries");
        x.slice_move(s![n.min(m)..m, ..k])
    }
}
