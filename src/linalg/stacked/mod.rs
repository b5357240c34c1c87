//! `numpy.linalg` on stacks of matrices: every input of shape `(..., m, n)` is read as a batch
//! of matrices over its last two axes, like NumPy's linalg functions.
//!
//! | function | per matrix |
//! |---|---|
//! | [`solve`], [`inv`], [`det`], [`slogdet`] | `?getrf` (+ `?gecon`, `?getrs`/`?getri`), as the 2-D functions |
//! | [`cholesky`] | `?potrf` |
//! | [`qr`] | `?geqrf` + `?orgqr`/`?ungqr` |
//! | [`svd`], [`svdvals`], [`pinv`], [`matrix_rank`] | `?gesdd` |
//! | [`eigh`], [`eigvalsh`] | `?syevd`/`?heevd` |
//! | [`eig`], [`eigvals`] | `?geev` |
//! | [`cond`], [`matrix_norm`] | as [`crate::linalg::cond`], [`crate::linalg::matrix_norm`] |
//!
//! - **Shapes.** Results have the batch shape in front of the per-matrix result shape of the
//!   2-D function (`det` of `(k, n, n)` is `(k,)`, `eigh` gives values `(k, n)` and vectors
//!   `(k, n, n)`). They are `ArrayD`s; each matrix of a result is stored column-major (the
//!   order LAPACK writes), which indexing, iteration and arithmetic do not see.
//! - **Layouts.** Any strides: C or F order, permuted or reversed batch axes, sliced views.
//! - **Broadcasting.** In [`solve`], the batch shapes of `a` and `b` broadcast as in NumPy;
//!   `b` of shape `(n,)` is one vector for every matrix (NumPy 2's rule), any other `b` is a
//!   stack `(..., n, k)`.
//! - **Empty stacks.** A batch with a zero-length axis gives empty results of the right
//!   shape; 0×0 matrices behave as in the 2-D functions (`det` 1, `inv` 0×0).
//! - **Errors.** A bad matrix inside a stack (singular, not positive definite, NaN into an
//!   iterative routine) gives the 2-D function's error variant for the first such matrix in
//!   C order, its message naming the matrix, e.g.
//!   `stacked::inv (matrix [2, 0]): matrix is singular (pivot 1 is exactly zero)`.
//! - **Threads.** The matrices are shared between up to [`crate::num_threads`] workers when
//!   there are enough of them to pay for it, each worker's BLAS/LAPACK calls running
//!   single-threaded; stacks of large matrices instead run one matrix at a time with the
//!   whole BLAS pool. The result of each matrix does not depend on the number of workers.
//!
//! ```
//! use ndarray::{array, Array3};
//! use ndkit::linalg::stacked;
//!
//! // Two 2×2 systems, one right-hand side vector for both.
//! let a = Array3::from_shape_vec((2, 2, 2), vec![2.0_f64, 0.0, 0.0, 4.0, 1.0, 1.0, 0.0, 1.0])?;
//! let x = stacked::solve(&a, &array![2.0, 4.0])?;
//! assert_eq!(x.shape(), &[2, 2]);
//! assert!((x[[0, 1]] - 1.0).abs() < 1e-12 && (x[[1, 0]] + 2.0).abs() < 1e-12);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod per_matrix;
mod stack;

use ndarray::{
    Array1, Array2, Array3, ArrayBase, ArrayD, ArrayView2, Axis, Data, Dimension, IxDyn,
};

use self::per_matrix::{SpectralWorker, Worker};
use self::stack::{
    at_matrix, broadcast_batches, fortran_stack, split_shape, values_with_batch,
    vectors_with_batch, with_batch, Stack,
};
use super::decomp::eig::EigCore;
use super::decomp::qr::QrCore;
use super::{Eig, Eigh, MatrixNorm, Qr, Svd, UPLO};
use crate::layout::{check_dims, ensure_allocatable};
use crate::threads::for_each_chunk;
use crate::{Error, Result, Scalar};

/// Multiply–adds of one decomposition of an m×n matrix, for the thread policy.
fn flops(m: usize, n: usize) -> u64 {
    (m as u64) * (n as u64) * (m.min(n) as u64)
}

/// `a` as a stack of square matrices: its batch shape, order and stack.
fn square_stack<'a, T, S: Data<Elem = T>, D: Dimension>(
    op: &'static str,
    a: &'a ArrayBase<S, D>,
) -> Result<(Vec<usize>, usize, Stack<'a, T>)> {
    let (batch, [m, n]) = split_shape(op, a.shape())?;
    if m != n {
        return Err(Error::NotSquare {
            op,
            shape: a.shape().to_vec(),
        });
    }
    check_dims(op, &[n])?;
    let batch = batch.to_vec();
    let stack = Stack::new(a, &batch);
    Ok((batch, n, stack))
}

/// `a` as a stack of matrices of any shape: its batch shape, matrix shape and stack.
fn any_stack<'a, T, S: Data<Elem = T>, D: Dimension>(
    op: &'static str,
    a: &'a ArrayBase<S, D>,
) -> Result<(Vec<usize>, [usize; 2], Stack<'a, T>)> {
    let (batch, [m, n]) = split_shape(op, a.shape())?;
    check_dims(op, &[m, n])?;
    let batch = batch.to_vec();
    let stack = Stack::new(a, &batch);
    Ok((batch, [m, n], stack))
}

/// One value per matrix of the stack `a`, by the 2-D function `f` (`flops` multiply–adds
/// each), as an array of the batch shape.
fn value_per_matrix<T, U, S, D>(
    op: &'static str,
    a: &ArrayBase<S, D>,
    flops: impl Fn(usize, usize) -> u64,
    f: impl Fn(ArrayView2<'_, T>) -> Result<U> + Sync,
) -> Result<ArrayD<U>>
where
    T: Scalar,
    U: Clone + num_traits::Zero + Send,
    S: Data<Elem = T>,
    D: Dimension,
{
    let (batch, [m, n], stack) = any_stack(op, a)?;
    let mut out = Array1::<U>::zeros(stack.len());
    for_each_chunk(
        stack.len(),
        flops(m, n),
        out.view_mut(),
        || (),
        |_, i, o| {
            *o = f(stack.matrix(i))?;
            Ok(())
        },
    )
    .map_err(|e| at_matrix(op, &batch, e))?;
    Ok(values_with_batch(out, &batch))
}

/// The inverse of every matrix of the stack `a` `(..., n, n)`, like `np.linalg.inv`; the
/// result has `a`'s shape. Per matrix as [`crate::linalg::inv`] (equilibrated LU, rejected as
/// [`Error::Singular`] when exactly singular or singular to working precision).
///
/// ```
/// use ndarray::Array3;
/// let a = Array3::from_shape_fn((3, 2, 2), |(k, i, j)| if i == j { (k + 1) as f64 } else { 0.0 });
/// let inv = ndkit::linalg::stacked::inv(&a)?;
/// assert_eq!(inv.shape(), &[3, 2, 2]);
/// assert!((inv[[2, 1, 1]] - 1.0 / 3.0).abs() < 1e-15);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn inv<T: Scalar, S: Data<Elem = T>, D: Dimension>(a: &ArrayBase<S, D>) -> Result<ArrayD<T>> {
    const OP: &str = "stacked::inv";
    let (batch, n, stack) = square_stack(OP, a)?;
    let mut out = fortran_stack::<T>(stack.len(), n, n);
    for_each_chunk(
        stack.len(),
        flops(n, n),
        out.view_mut(),
        Worker::default,
        |w, i, o| per_matrix::inverse(OP, w, stack.matrix(i), o),
    )
    .map_err(|e| at_matrix(OP, &batch, e))?;
    Ok(with_batch(out, &batch))
}

/// The determinant of every matrix of the stack `a` `(..., n, n)`, like `np.linalg.det`: an
/// array of the batch shape. Singular matrices give 0 (never an error).
///
/// ```
/// use ndarray::Array3;
/// let a = Array3::from_shape_fn((2, 2, 2), |(k, i, j)| if i == j { (k + 2) as f64 } else { 0.0 });
/// let d = ndkit::linalg::stacked::det(&a)?;
/// assert_eq!(d.shape(), &[2]);
/// assert!((d[[0]] - 4.0).abs() < 1e-12 && (d[[1]] - 9.0).abs() < 1e-12);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn det<T: Scalar, S: Data<Elem = T>, D: Dimension>(a: &ArrayBase<S, D>) -> Result<ArrayD<T>> {
    const OP: &str = "stacked::det";
    let (batch, n, stack) = square_stack(OP, a)?;
    let mut out = Array1::<T>::zeros(stack.len());
    for_each_chunk(
        stack.len(),
        flops(n, n),
        out.view_mut(),
        Worker::default,
        |w, i, o| {
            let (sign, logdet) = per_matrix::slogdet(OP, w, stack.matrix(i))?;
            // As LuFactor::det: sign · exp(log|det|).
            *o = sign * T::from_real(num_traits::Float::exp(logdet));
            Ok(())
        },
    )
    .map_err(|e| at_matrix(OP, &batch, e))?;
    Ok(values_with_batch(out, &batch))
}

/// Sign and log-absolute-determinant of every matrix of the stack `a`, like
/// `np.linalg.slogdet`: two arrays of the batch shape (`(0, −∞)` for singular matrices).
///
/// ```
/// use ndarray::Array3;
/// let a = Array3::from_shape_fn((2, 2, 2), |(k, i, j)| if i == j { -1e200 * (k + 1) as f64 } else { 0.0 });
/// let (sign, logdet) = ndkit::linalg::stacked::slogdet(&a)?;
/// assert_eq!(sign[[1]], 1.0);
/// assert!((logdet[[0]] - 400.0 * 10f64.ln()).abs() < 1e-10);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn slogdet<T: Scalar, S: Data<Elem = T>, D: Dimension>(
    a: &ArrayBase<S, D>,
) -> Result<(ArrayD<T>, ArrayD<T::Real>)> {
    const OP: &str = "stacked::slogdet";
    let (batch, n, stack) = square_stack(OP, a)?;
    let mut sign = Array1::<T>::zeros(stack.len());
    let mut logdet = Array1::<T::Real>::zeros(stack.len());
    let outputs = (sign.view_mut(), logdet.view_mut());
    for_each_chunk(
        stack.len(),
        flops(n, n),
        outputs,
        Worker::default,
        |w, i, (s, l)| {
            (*s, *l) = per_matrix::slogdet(OP, w, stack.matrix(i))?;
            Ok(())
        },
    )
    .map_err(|e| at_matrix(OP, &batch, e))?;
    Ok((
        values_with_batch(sign, &batch),
        values_with_batch(logdet, &batch),
    ))
}

/// Solves `a·x = b` for every matrix of the stack `a` `(..., n, n)`, like `np.linalg.solve`
/// (NumPy 2's rule for `b`): `b` of shape `(n,)` is one right-hand side for every matrix and
/// gives `x` of shape `(..., n)`; any other `b` is a stack `(..., n, k)` whose batch shape
/// broadcasts with `a`'s, giving `x` of shape `(broadcast batch..., n, k)`. Per matrix as
/// [`crate::linalg::solve`].
///
/// # Errors
/// [`Error::NotSquare`], [`Error::InvalidShape`] (a 0-d `b`, an `a` of fewer than 2
/// dimensions), [`Error::IncompatibleShapes`] (rows of `b` ≠ n, batch shapes that do not
/// broadcast), [`Error::Singular`] naming the first singular matrix.
///
/// ```
/// use ndarray::{Array3, Array4};
/// // (2, 1) batch of matrices against a (3,) batch of right-hand sides: batch (2, 3).
/// let a = Array4::from_shape_fn((2, 1, 2, 2), |(k, _, i, j)| if i == j { (k + 1) as f64 } else { 0.0 });
/// let b = Array3::from_shape_fn((3, 2, 1), |(m, i, _)| (m + i) as f64);
/// let x = ndkit::linalg::stacked::solve(&a, &b)?;
/// assert_eq!(x.shape(), &[2, 3, 2, 1]);
/// assert!((x[[1, 2, 1, 0]] - 1.5).abs() < 1e-12);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn solve<T, Sa, Sb, Da, Db>(a: &ArrayBase<Sa, Da>, b: &ArrayBase<Sb, Db>) -> Result<ArrayD<T>>
where
    T: Scalar,
    Sa: Data<Elem = T>,
    Sb: Data<Elem = T>,
    Da: Dimension,
    Db: Dimension,
{
    const OP: &str = "stacked::solve";
    let (a_batch, n, a_stack) = square_stack(OP, a)?;
    let incompatible = || Error::IncompatibleShapes {
        op: OP,
        lhs: a.shape().to_vec(),
        rhs: b.shape().to_vec(),
    };
    match b.ndim() {
        0 => Err(Error::InvalidShape {
            op: OP,
            shape: Vec::new(),
            expected: "a right-hand side (n,) or a stack (..., n, k)".into(),
        }),
        1 => {
            if b.len() != n {
                return Err(incompatible());
            }
            let rhs = b.view().into_dyn().into_shape_with_order(IxDyn(&[n, 1]));
            let rhs = rhs
                .ok()
                .and_then(|v| v.into_dimensionality::<ndarray::Ix2>().ok());
            // A strided 1-d view does not reshape in place; copy it then (n elements).
            let owned;
            let rhs = match rhs {
                Some(v) => v,
                None => {
                    owned = b
                        .iter()
                        .cloned()
                        .collect::<Array1<T>>()
                        .insert_axis(Axis(1));
                    owned.view()
                }
            };
            let mut out = Array2::<T>::zeros((a_stack.len(), n));
            for_each_chunk(
                a_stack.len(),
                flops(n, n),
                out.view_mut(),
                Worker::default,
                |w, i, x| per_matrix::solve(OP, w, a_stack.matrix(i), rhs, x.insert_axis(Axis(1))),
            )
            .map_err(|e| at_matrix(OP, &a_batch, e))?;
            Ok(vectors_with_batch(out, &a_batch))
        }
        _ => {
            let (b_batch, [rows, k]) = split_shape(OP, b.shape())?;
            if rows != n {
                return Err(incompatible());
            }
            check_dims(OP, &[k])?;
            let batch = broadcast_batches(OP, a.shape(), b.shape(), &a_batch, b_batch)?;
            let count = batch.iter().product::<usize>();
            ensure_allocatable::<T>(OP, &[count, n, k])?;
            let (a_stack, b_stack) = (Stack::new(a, &batch), Stack::new(b, &batch));
            let mut out = fortran_stack::<T>(count, n, k);
            let work = flops(n, n) + (n * n * k) as u64;
            for_each_chunk(count, work, out.view_mut(), Worker::default, |w, i, x| {
                per_matrix::solve(OP, w, a_stack.matrix(i), b_stack.matrix(i), x)
            })
            .map_err(|e| at_matrix(OP, &batch, e))?;
            Ok(with_batch(out, &batch))
        }
    }
}

/// The Cholesky factor of every matrix of the stack `a` `(..., n, n)`, like
/// `np.linalg.cholesky` (`UPLO::Lower`: `A = L·Lᴴ`; `UPLO::Upper`: `A = Uᴴ·U`). Only the named
/// triangle is read; the other triangle of each result is zero.
///
/// # Errors
/// [`Error::NotSquare`], [`Error::NonFinite`], [`Error::NotPositiveDefinite`] naming the first
/// matrix that is not positive definite.
///
/// ```
/// use ndarray::Array3;
/// use ndkit::linalg::{stacked, UPLO};
/// let a = Array3::from_shape_fn((2, 2, 2), |(k, i, j)| if i == j { 4.0 * (k + 1) as f64 } else { 1.0 });
/// let l = stacked::cholesky(&a, UPLO::Lower)?;
/// assert_eq!((l[[0, 0, 0]], l[[0, 0, 1]]), (2.0, 0.0));
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn cholesky<T: Scalar, S: Data<Elem = T>, D: Dimension>(
    a: &ArrayBase<S, D>,
    uplo: UPLO,
) -> Result<ArrayD<T>> {
    const OP: &str = "stacked::cholesky";
    let (batch, n, stack) = square_stack(OP, a)?;
    let mut out = fortran_stack::<T>(stack.len(), n, n);
    for_each_chunk(
        stack.len(),
        flops(n, n) / 3,
        out.view_mut(),
        Worker::default,
        |w, i, o| per_matrix::cholesky(OP, w, stack.matrix(i), uplo, o),
    )
    .map_err(|e| at_matrix(OP, &batch, e))?;
    Ok(with_batch(out, &batch))
}

/// The reduced QR factorisation of every matrix of the stack `a` `(..., m, n)`, like
/// `np.linalg.qr(a)`: `q` of shape `(..., m, k)` and `r` of shape `(..., k, n)`, k = min(m, n).
///
/// ```
/// use ndarray::Array3;
/// let a = Array3::from_shape_fn((4, 3, 2), |(k, i, j)| (k + i * j + 1) as f64);
/// let f = ndkit::linalg::stacked::qr(&a)?;
/// assert_eq!((f.q.shape(), f.r.shape()), (&[4, 3, 2][..], &[4, 2, 2][..]));
/// assert_eq!(f.r[[3, 1, 0]], 0.0);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn qr<T: Scalar, S: Data<Elem = T>, D: Dimension>(a: &ArrayBase<S, D>) -> Result<Qr<T, IxDyn>> {
    const OP: &str = "stacked::qr";
    let (batch, [m, n], stack) = any_stack(OP, a)?;
    let k = m.min(n);
    let mut q = fortran_stack::<T>(stack.len(), m, k);
    let mut r = Array3::<T>::zeros((stack.len(), k, n));
    let outputs = (q.view_mut(), r.view_mut());
    for_each_chunk(
        stack.len(),
        2 * flops(m, n),
        outputs,
        QrCore::default,
        |core, i, (q, r)| core.run(OP, stack.matrix(i), q, r),
    )
    .map_err(|e| at_matrix(OP, &batch, e))?;
    Ok(Qr {
        q: with_batch(q, &batch),
        r: with_batch(r, &batch),
    })
}

/// The singular value decomposition of every matrix of the stack `a` `(..., m, n)`, like
/// `np.linalg.svd(a, full_matrices)`: `u` `(..., m, m)` or `(..., m, k)`, `s` `(..., k)`
/// descending, `vt` `(..., n, n)` or `(..., k, n)`.
///
/// # Errors
/// [`Error::NonFinite`] and [`Error::NoConvergence`] naming the first bad matrix.
///
/// ```
/// use ndarray::Array3;
/// let a = Array3::from_shape_fn((2, 3, 2), |(k, i, j)| if i == j { (k + j + 1) as f64 } else { 0.0 });
/// let f = ndkit::linalg::stacked::svd(&a, false)?;
/// assert_eq!((f.u.shape(), f.s.shape(), f.vt.shape()), (&[2, 3, 2][..], &[2, 2][..], &[2, 2, 2][..]));
/// assert!((f.s[[1, 0]] - 3.0).abs() < 1e-12);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn svd<T: Scalar, S: Data<Elem = T>, D: Dimension>(
    a: &ArrayBase<S, D>,
    full_matrices: bool,
) -> Result<Svd<T, IxDyn>> {
    const OP: &str = "stacked::svd";
    let (batch, [m, n], stack) = any_stack(OP, a)?;
    let k = m.min(n);
    let (ucols, vrows) = if full_matrices { (m, n) } else { (k, k) };
    let count = stack.len();
    ensure_allocatable::<T>(OP, &[count, m, ucols])?;
    ensure_allocatable::<T>(OP, &[count, vrows, n])?;
    let mut u = fortran_stack::<T>(count, m, ucols);
    let mut vt = fortran_stack::<T>(count, vrows, n);
    let mut s = Array2::<T::Real>::zeros((count, k));
    let outputs = (s.view_mut(), u.view_mut(), vt.view_mut());
    for_each_chunk(
        count,
        4 * flops(m, n),
        outputs,
        SpectralWorker::default,
        |w, i, (s, u, vt)| per_matrix::svd(OP, w, stack.matrix(i), s, Some((u, vt, full_matrices))),
    )
    .map_err(|e| at_matrix(OP, &batch, e))?;
    Ok(Svd {
        u: with_batch(u, &batch),
        s: vectors_with_batch(s, &batch),
        vt: with_batch(vt, &batch),
    })
}

/// The singular values (descending) of every matrix of the stack `a` `(..., m, n)`, like
/// `np.linalg.svd(a, compute_uv=False)`: shape `(..., min(m, n))`. Errors as [`svd`].
///
/// ```
/// use ndarray::Array3;
/// let a = Array3::from_shape_fn((2, 2, 2), |(k, i, j)| if i == j { (k + 1) as f64 } else { 0.0 });
/// let s = ndkit::linalg::stacked::svdvals(&a)?;
/// assert_eq!(s.shape(), &[2, 2]);
/// assert!((s[[1, 0]] - 2.0).abs() < 1e-12);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn svdvals<T: Scalar, S: Data<Elem = T>, D: Dimension>(
    a: &ArrayBase<S, D>,
) -> Result<ArrayD<T::Real>> {
    const OP: &str = "stacked::svdvals";
    let (batch, [m, n], stack) = any_stack(OP, a)?;
    let mut s = Array2::<T::Real>::zeros((stack.len(), m.min(n)));
    for_each_chunk(
        stack.len(),
        2 * flops(m, n),
        s.view_mut(),
        SpectralWorker::default,
        |w, i, s| per_matrix::svd(OP, w, stack.matrix(i), s, None),
    )
    .map_err(|e| at_matrix(OP, &batch, e))?;
    Ok(vectors_with_batch(s, &batch))
}

/// Eigenvalues (ascending) and orthonormal eigenvectors of every symmetric/Hermitian matrix
/// of the stack `a` `(..., n, n)`, like `np.linalg.eigh(a, UPLO)`: `values` `(..., n)`,
/// `vectors` `(..., n, n)` (columns). Only the named triangle is read.
///
/// # Errors
/// [`Error::NotSquare`], [`Error::NonFinite`] and [`Error::NoConvergence`] naming the first bad
/// matrix.
///
/// ```
/// use ndarray::Array3;
/// use ndkit::linalg::{stacked, UPLO};
/// let a = Array3::from_shape_fn((2, 2, 2), |(k, i, j)| if i == j { 2.0 } else { (k + 1) as f64 });
/// let e = stacked::eigh(&a, UPLO::Lower)?;
/// assert!((e.values[[1, 0]] + 0.0).abs() < 1e-12 && (e.values[[1, 1]] - 4.0).abs() < 1e-12);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn eigh<T: Scalar, S: Data<Elem = T>, D: Dimension>(
    a: &ArrayBase<S, D>,
    uplo: UPLO,
) -> Result<Eigh<T, IxDyn>> {
    const OP: &str = "stacked::eigh";
    let (batch, n, stack) = square_stack(OP, a)?;
    let count = stack.len();
    let mut values = Array2::<T::Real>::zeros((count, n));
    let mut vectors = fortran_stack::<T>(count, n, n);
    let outputs = (values.view_mut(), vectors.view_mut());
    for_each_chunk(
        count,
        4 * flops(n, n),
        outputs,
        SpectralWorker::default,
        |worker, i, (w, v)| per_matrix::eigh(OP, worker, stack.matrix(i), uplo, w, Some(v)),
    )
    .map_err(|e| at_matrix(OP, &batch, e))?;
    Ok(Eigh {
        values: vectors_with_batch(values, &batch),
        vectors: with_batch(vectors, &batch),
    })
}

/// Eigenvalues (ascending) of every symmetric/Hermitian matrix of the stack `a`, like
/// `np.linalg.eigvalsh(a, UPLO)`: shape `(..., n)`. Errors as [`eigh`].
///
/// ```
/// use ndarray::Array3;
/// use ndkit::linalg::{stacked, UPLO};
/// let a = Array3::from_shape_fn((3, 2, 2), |(k, i, j)| if i == j { k as f64 } else { 0.0 });
/// assert_eq!(stacked::eigvalsh(&a, UPLO::Upper)?[[2, 1]], 2.0);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn eigvalsh<T: Scalar, S: Data<Elem = T>, D: Dimension>(
    a: &ArrayBase<S, D>,
    uplo: UPLO,
) -> Result<ArrayD<T::Real>> {
    const OP: &str = "stacked::eigvalsh";
    let (batch, n, stack) = square_stack(OP, a)?;
    let mut values = Array2::<T::Real>::zeros((stack.len(), n));
    for_each_chunk(
        stack.len(),
        flops(n, n),
        values.view_mut(),
        SpectralWorker::default,
        |worker, i, w| per_matrix::eigh(OP, worker, stack.matrix(i), uplo, w, None),
    )
    .map_err(|e| at_matrix(OP, &batch, e))?;
    Ok(vectors_with_batch(values, &batch))
}

/// Eigenvalues and unit-norm right eigenvectors of every matrix of the stack `a` `(..., n, n)`,
/// like `np.linalg.eig`: complex `values` `(..., n)` and `vectors` `(..., n, n)` in LAPACK's
/// order.
///
/// # Errors
/// [`Error::NotSquare`], [`Error::NonFinite`] and [`Error::NoConvergence`] naming the first bad
/// matrix.
///
/// ```
/// use ndarray::Array3;
/// let a = Array3::from_shape_fn((2, 2, 2), |(k, i, j)| if i == j { 0.0 } else if i < j { -1.0 } else { (k + 1) as f64 });
/// let e = ndkit::linalg::stacked::eig(&a)?;
/// assert!((e.values[[1, 0]].im.abs() - 2f64.sqrt()).abs() < 1e-12);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn eig<T: Scalar, S: Data<Elem = T>, D: Dimension>(
    a: &ArrayBase<S, D>,
) -> Result<Eig<T, IxDyn>> {
    const OP: &str = "stacked::eig";
    let (batch, n, stack) = square_stack(OP, a)?;
    let count = stack.len();
    let mut values = Array2::<T::Complex>::zeros((count, n));
    let mut vectors = fortran_stack::<T::Complex>(count, n, n);
    let outputs = (values.view_mut(), vectors.view_mut());
    for_each_chunk(
        count,
        10 * flops(n, n),
        outputs,
        EigCore::default,
        |core, i, (w, v)| core.run(OP, stack.matrix(i), w, Some(v)),
    )
    .map_err(|e| at_matrix(OP, &batch, e))?;
    Ok(Eig {
        values: vectors_with_batch(values, &batch),
        vectors: with_batch(vectors, &batch),
    })
}

/// Eigenvalues of every matrix of the stack `a`, like `np.linalg.eigvals`: complex, shape
/// `(..., n)`, in LAPACK's order. Errors as [`eig`].
///
/// ```
/// use ndarray::Array3;
/// let a = Array3::from_shape_fn((2, 2, 2), |(k, i, j)| if i == j { (k + i) as f64 } else { 0.0 });
/// let w = ndkit::linalg::stacked::eigvals(&a)?;
/// assert_eq!(w[[1, 1]].re, 2.0);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn eigvals<T: Scalar, S: Data<Elem = T>, D: Dimension>(
    a: &ArrayBase<S, D>,
) -> Result<ArrayD<T::Complex>> {
    const OP: &str = "stacked::eigvals";
    let (batch, n, stack) = square_stack(OP, a)?;
    let mut values = Array2::<T::Complex>::zeros((stack.len(), n));
    for_each_chunk(
        stack.len(),
        5 * flops(n, n),
        values.view_mut(),
        EigCore::default,
        |core, i, w| core.run(OP, stack.matrix(i), w, None),
    )
    .map_err(|e| at_matrix(OP, &batch, e))?;
    Ok(vectors_with_batch(values, &batch))
}

/// The pseudo-inverse of every matrix of the stack `a` `(..., m, n)`, like `np.linalg.pinv`:
/// shape `(..., n, m)`; per matrix as [`crate::linalg::pinv`] (`rcond` relative to each
/// matrix's largest singular value, default `max(m, n)·ε`).
///
/// ```
/// use ndarray::Array3;
/// let a = Array3::from_shape_fn((2, 3, 2), |(k, i, j)| if i == j { (k + 1) as f64 } else { 0.0 });
/// let p = ndkit::linalg::stacked::pinv(&a, None)?;
/// assert_eq!(p.shape(), &[2, 2, 3]);
/// assert!((p[[1, 1, 1]] - 0.5).abs() < 1e-15);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn pinv<T: Scalar, S: Data<Elem = T>, D: Dimension>(
    a: &ArrayBase<S, D>,
    rcond: Option<T::Real>,
) -> Result<ArrayD<T>> {
    const OP: &str = "stacked::pinv";
    let (batch, [m, n], stack) = any_stack(OP, a)?;
    let mut out = Array3::<T>::zeros((stack.len(), n, m));
    for_each_chunk(
        stack.len(),
        6 * flops(m, n),
        out.view_mut(),
        || (),
        |_, i, mut o| {
            o.assign(&super::pinv(&stack.matrix(i), rcond)?);
            Ok(())
        },
    )
    .map_err(|e| at_matrix(OP, &batch, e))?;
    Ok(with_batch(out, &batch))
}

/// The rank of every matrix of the stack `a`, like `np.linalg.matrix_rank`: an array of the
/// batch shape; per matrix as [`crate::linalg::matrix_rank`].
///
/// ```
/// use ndarray::Array3;
/// let a = Array3::from_shape_fn((3, 3, 3), |(k, i, j)| if i == j && i < k { 1.0 } else { 0.0 });
/// let r = ndkit::linalg::stacked::matrix_rank(&a, None)?;
/// assert_eq!(r.as_slice().unwrap(), &[0, 1, 2]);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn matrix_rank<T: Scalar, S: Data<Elem = T>, D: Dimension>(
    a: &ArrayBase<S, D>,
    tol: Option<T::Real>,
) -> Result<ArrayD<usize>> {
    value_per_matrix(
        "stacked::matrix_rank",
        a,
        |m, n| 2 * flops(m, n),
        |m| super::matrix_rank(&m, tol),
    )
}

/// The condition number of every matrix of the stack `a` in the norm `ord`, like
/// `np.linalg.cond(a, ord)`: an array of the batch shape; per matrix as
/// [`crate::linalg::cond`] (+∞ for singular matrices).
///
/// ```
/// use ndarray::Array3;
/// use ndkit::linalg::{stacked, MatrixNorm};
/// let a = Array3::from_shape_fn((2, 2, 2), |(k, i, j)| if i == j { (1 + k * i) as f64 } else { 0.0 });
/// let c = stacked::cond(&a, MatrixNorm::Two)?;
/// assert!((c[[0]] - 1.0).abs() < 1e-12 && (c[[1]] - 2.0).abs() < 1e-12);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn cond<T: Scalar, S: Data<Elem = T>, D: Dimension>(
    a: &ArrayBase<S, D>,
    ord: MatrixNorm,
) -> Result<ArrayD<T::Real>> {
    value_per_matrix(
        "stacked::cond",
        a,
        |m, n| 2 * flops(m, n),
        |m| super::cond(&m, ord),
    )
}

/// The norm `ord` of every matrix of the stack `a` (over its last two axes), like
/// `np.linalg.matrix_norm(a, ord)`: an array of the batch shape; per matrix as
/// [`crate::linalg::matrix_norm`].
///
/// ```
/// use ndarray::Array3;
/// use ndkit::linalg::{stacked, MatrixNorm};
/// let a = Array3::from_shape_fn((2, 2, 2), |(k, _, _)| (k + 1) as f64);
/// let f = stacked::matrix_norm(&a, MatrixNorm::Fro)?;
/// assert!((f[[1]] - 4.0).abs() < 1e-12);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn matrix_norm<T: Scalar, S: Data<Elem = T>, D: Dimension>(
    a: &ArrayBase<S, D>,
    ord: MatrixNorm,
) -> Result<ArrayD<T::Real>> {
    let svd_norm = matches!(ord, MatrixNorm::Two | MatrixNorm::NegTwo | MatrixNorm::Nuc);
    let work = move |m: usize, n: usize| {
        if svd_norm {
            2 * flops(m, n)
        } else {
            (m * n) as u64
        }
    };
    value_per_matrix("stacked::matrix_norm", a, work, |m| {
        super::matrix_norm(&m, ord)
    })
}
