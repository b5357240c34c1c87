//! Matrix and vector products: `numpy.matmul`, `numpy.dot`, `numpy.vdot`, `numpy.outer`,
//! `numpy.linalg.multi_dot`, `numpy.linalg.matrix_power`, and an in-place BLAS-style `gemm`.
//!
//! | function | f32 | f64 | c32 | c64 |
//! |---|---|---|---|---|
//! | [`matmul`], [`gemm`], [`batched_matmul`], [`multi_dot`], [`matrix_power`] | `sgemm` | `dgemm` | `cgemm` | `zgemm` |
//! | [`matvec`] | `sgemv` | `dgemv` | `cgemv` | `zgemv` |
//! | [`dot`] | `sdot` | `ddot` | `cdotu` | `zdotu` |
//! | [`vdot`] | `sdot` | `ddot` | `cdotc` | `zdotc` |
//! | [`outer`] | element-wise | element-wise | element-wise | element-wise |
//!
//! [`matrix_power`] with a negative exponent first inverts the matrix with [`inv`](super::inv)
//! (`?getrf` + `?getri`).
//!
//! Every matrix product goes through one in-place primitive, `gemm_into`, which hands each
//! operand to BLAS as it lies in memory: a C-order, F-order or transposed operand is described
//! by a pointer, a leading dimension and a transpose flag; only operands with no unit stride
//! (sliced every other row, reversed, …) are copied, once. A C-order output `c` is computed as
//! `cᵀ = bᵀ·aᵀ`, which BLAS sees as a column-major product, so outputs are never copied either.

use ndarray::{
    Array1, Array2, Array3, ArrayBase, ArrayD, ArrayView1, ArrayView2, ArrayViewD, ArrayViewMut2,
    Axis, CowArray, Data, DataMut, Dimension, Ix1, Ix2, IxDyn, ShapeBuilder, Zip,
};

use crate::kernels::Trans;
use crate::layout::{
    blas_matrix, check_dims, ensure_allocatable, lapack_int, square_order, to_fortran, BlasMatrix,
};
use crate::{Error, Result, Scalar};

/// The matrix product `a·b` (`numpy.matmul` / the `@` operator for 2-d arrays), in C order.
///
/// Computed by one `?gemm` call; operands in C order, F order or transposed are passed to BLAS
/// without copying. An inner dimension of zero gives an `m×n` matrix of zeros, as in NumPy.
///
/// # Errors
/// [`Error::IncompatibleShapes`] when `a.ncols() != b.nrows()`; [`Error::TooLarge`] for a
/// dimension beyond BLAS's 32-bit integers.
///
/// ```
/// use ndarray::array;
/// # fn main() -> ndkit::Result<()> {
/// let a = array![[1.0, 2.0], [3.0, 4.0]];
/// let b = array![[5.0], [6.0]];
/// assert_eq!(ndkit::linalg::matmul(&a, &b)?, array![[17.0], [39.0]]);
/// assert_eq!(ndkit::linalg::matmul(&a.t(), &b)?, array![[23.0], [34.0]]);
/// # Ok(())
/// # }
/// ```
pub fn matmul<T: Scalar, Sa: Data<Elem = T>, Sb: Data<Elem = T>>(
    a: &ArrayBase<Sa, Ix2>,
    b: &ArrayBase<Sb, Ix2>,
) -> Result<Array2<T>> {
    let (a, b) = (a.view(), b.view());
    let (m, _, n) = product_dims("matmul", &a, &b)?;
    ensure_allocatable::<T>("matmul", &[m, n])?;
    let mut c = Array2::zeros((m, n));
    gemm_into("matmul", T::one(), &a, &b, T::zero(), &mut c.view_mut())?;
    Ok(c)
}

/// The matrix–vector product `a·x` (`numpy.matmul` of a 2-d and a 1-d array), by `?gemv`.
///
/// `x` may have any stride, including negative ones; it is passed to BLAS with that increment.
///
/// # Errors
/// [`Error::IncompatibleShapes`] when `a.ncols() != x.len()`; [`Error::TooLarge`] for a
/// dimension beyond BLAS's 32-bit integers.
///
/// ```
/// use ndarray::{array, s};
/// # fn main() -> ndkit::Result<()> {
/// let a = array![[1.0, 2.0], [3.0, 4.0]];
/// let x = array![1.0, 10.0];
/// assert_eq!(ndkit::linalg::matvec(&a, &x)?, array![21.0, 43.0]);
/// assert_eq!(ndkit::linalg::matvec(&a, &x.slice(s![..;-1]))?, array![12.0, 34.0]);
/// # Ok(())
/// # }
/// ```
pub fn matvec<T: Scalar, Sa: Data<Elem = T>, Sx: Data<Elem = T>>(
    a: &ArrayBase<Sa, Ix2>,
    x: &ArrayBase<Sx, Ix1>,
) -> Result<Array1<T>> {
    const OP: &str = "matvec";
    let (m, n) = a.dim();
    if n != x.len() {
        return Err(Error::IncompatibleShapes {
            op: OP,
            lhs: vec![m, n],
            rhs: vec![x.len()],
        });
    }
    check_dims(OP, &[m, n])?;
    let mut y = Array1::zeros(m);
    if m == 0 || n == 0 {
        return Ok(y);
    }
    let a = a.view();
    let mut a_copy = None;
    let ad = operand(OP, &a, &mut a_copy)?;
    let x_copy;
    let (xp, incx) = match blas_vector(&x.view()) {
        Some(v) => v,
        None => {
            x_copy = x.to_owned();
            (x_copy.as_ptr(), 1)
        }
    };
    // A column-major buffer holds `a` (trans No, m×n) or `aᵀ` (trans Yes, n×m); ?gemv takes
    // the buffer's own dimensions.
    let (rows, cols) = if ad.trans == Trans::No {
        (m, n)
    } else {
        (n, m)
    };
    let (rows, cols) = (lapack_int(OP, rows)?, lapack_int(OP, cols)?);
    // SAFETY: `ad` describes a rows×cols column-major buffer with ld ≥ max(1, rows) that lives
    // in `a` or `a_copy`; `xp`/`incx` address the n = len(x) elements of `x` or `x_copy`
    // starting from the lowest address, as BLAS expects for negative increments; `y` is a
    // fresh contiguous vector of length m. All dimensions are non-zero and fit i32.
    unsafe {
        T::gemv(
            ad.trans,
            rows,
            cols,
            T::one(),
            ad.ptr,
            ad.ld,
            xp,
            incx,
            T::zero(),
            y.as_mut_ptr(),
            1,
        );
    }
    Ok(y)
}

/// The dot product `Σ xᵢ·yᵢ` of two vectors, without conjugation (`numpy.dot` for 1-d arrays),
/// by `?dot` / `?dotu`.
///
/// # Errors
/// [`Error::IncompatibleShapes`] when the lengths differ; [`Error::TooLarge`] for a length
/// beyond BLAS's 32-bit integers.
///
/// ```
/// use ndarray::array;
/// use ndkit::c64;
/// # fn main() -> ndkit::Result<()> {
/// assert_eq!(ndkit::linalg::dot(&array![1.0, 2.0], &array![3.0, 4.0])?, 11.0);
/// let i = c64::new(0.0, 1.0);
/// assert_eq!(ndkit::linalg::dot(&array![i], &array![i])?, c64::new(-1.0, 0.0));
/// # Ok(())
/// # }
/// ```
pub fn dot<T: Scalar, Sx: Data<Elem = T>, Sy: Data<Elem = T>>(
    x: &ArrayBase<Sx, Ix1>,
    y: &ArrayBase<Sy, Ix1>,
) -> Result<T> {
    inner_product("dot", &x.view(), &y.view(), false)
}

/// The dot product `Σ conj(xᵢ)·yᵢ`, conjugating the first vector (`numpy.vdot` for 1-d
/// arrays), by `?dot` / `?dotc`.
///
/// # Errors
/// [`Error::IncompatibleShapes`] when the lengths differ; [`Error::TooLarge`] for a length
/// beyond BLAS's 32-bit integers.
///
/// ```
/// use ndarray::array;
/// use ndkit::c64;
/// # fn main() -> ndkit::Result<()> {
/// let i = c64::new(0.0, 1.0);
/// assert_eq!(ndkit::linalg::vdot(&array![i], &array![i])?, c64::new(1.0, 0.0));
/// # Ok(())
/// # }
/// ```
pub fn vdot<T: Scalar, Sx: Data<Elem = T>, Sy: Data<Elem = T>>(
    x: &ArrayBase<Sx, Ix1>,
    y: &ArrayBase<Sy, Ix1>,
) -> Result<T> {
    inner_product("vdot", &x.view(), &y.view(), true)
}

/// `numpy.matmul` for arrays of any dimensionality: the last two axes of each operand are
/// matrices, the leading (batch) axes broadcast against each other by NumPy's rules, and the
/// result is a C-order array of shape `batch + [m, n]`.
///
/// A 1-d `a` is treated as a row vector (shape `[1, k]`) and a 1-d `b` as a column vector
/// (`[k, 1]`); the added axis is removed from the result, so two vectors give a 0-d array.
/// Each matrix of the batch is one `?gemm` call on a view of the operands (a broadcast
/// operand is reused, never copied); only operands whose matrices have no unit stride are
/// copied, once.
///
/// # Errors
/// [`Error::InvalidShape`] for a 0-d operand (NumPy rejects scalars);
/// [`Error::IncompatibleShapes`] (with both full shapes) when the inner dimensions differ or
/// the batch axes do not broadcast; [`Error::TooLarge`] for a matrix dimension beyond BLAS's
/// 32-bit integers; [`Error::InvalidArgument`] for a result too large to allocate.
///
/// ```
/// use ndarray::{Array, Array3};
/// # fn main() -> ndkit::Result<()> {
/// let a = Array::<f64, _>::ones((2, 1, 3, 4));
/// let b = Array3::<f64>::ones((5, 4, 2));
/// let c = ndkit::linalg::batched_matmul(&a, &b)?;
/// assert_eq!(c.shape(), &[2, 5, 3, 2]);
/// assert!(c.iter().all(|&v| v == 4.0));
/// // a vector times a stack of matrices: the vector's axis is dropped
/// let v = ndarray::Array1::<f64>::ones(4);
/// assert_eq!(ndkit::linalg::batched_matmul(&v, &b)?.shape(), &[5, 2]);
/// # Ok(())
/// # }
/// ```
pub fn batched_matmul<T, Sa, Sb, Da, Db>(
    a: &ArrayBase<Sa, Da>,
    b: &ArrayBase<Sb, Db>,
) -> Result<ArrayD<T>>
where
    T: Scalar,
    Sa: Data<Elem = T>,
    Sb: Data<Elem = T>,
    Da: Dimension,
    Db: Dimension,
{
    const OP: &str = "batched_matmul";
    let incompatible = || Error::IncompatibleShapes {
        op: OP,
        lhs: a.shape().to_vec(),
        rhs: b.shape().to_vec(),
    };
    for x in [a.shape(), b.shape()] {
        if x.is_empty() {
            return Err(Error::InvalidShape {
                op: OP,
                shape: Vec::new(),
                expected: "at least one dimension (numpy.matmul rejects 0-d operands)".into(),
            });
        }
    }
    // Promote vectors: a → [1, k], b → [k, 1].
    let mut av = a.view().into_dyn();
    let mut bv = b.view().into_dyn();
    let a_vector = av.ndim() == 1;
    let b_vector = bv.ndim() == 1;
    if a_vector {
        av.insert_axis_inplace(Axis(0));
    }
    if b_vector {
        bv.insert_axis_inplace(Axis(1));
    }
    let (a_batch, a_mat) = av.shape().split_at(av.ndim() - 2);
    let (b_batch, b_mat) = bv.shape().split_at(bv.ndim() - 2);
    let (m, k, k2, n) = match (a_mat, b_mat) {
        (&[m, k], &[k2, n]) => (m, k, k2, n),
        _ => return Err(incompatible()),
    };
    if k != k2 {
        return Err(incompatible());
    }
    let batch = broadcast_shapes(a_batch, b_batch).ok_or_else(incompatible)?;
    check_dims(OP, &[m, k, n])?;

    let mut full = batch.clone();
    full.extend([m, n]);
    ensure_allocatable::<T>(OP, &full)?;
    let count: usize = batch.iter().product();
    let mut out = Array3::<T>::zeros((count, m, n));
    // Empty results, and k = 0 (zeros), need no BLAS call.
    if out.is_empty() || k == 0 {
        return finish(out, &full, a_vector, b_vector);
    }

    // Copy an operand (once) only when its matrices cannot go to BLAS as they lie.
    let (a_src, (ars, acs)) = match batch_matrix_strides(&av) {
        Some(strides) => (CowArray::from(av.view()), strides),
        None => (av.as_standard_layout(), (k, 1)),
    };
    let (b_src, (brs, bcs)) = match batch_matrix_strides(&bv) {
        Some(strides) => (CowArray::from(bv.view()), strides),
        None => (bv.as_standard_layout(), (n, 1)),
    };
    let a_strides = batch_strides(&batch, &a_src.view());
    let b_strides = batch_strides(&batch, &b_src.view());
    let (a_ptr, b_ptr) = (a_src.as_ptr(), b_src.as_ptr());

    for (t, mut c) in out.outer_iter_mut().enumerate() {
        // Element offsets of matrix `t` (row-major over `batch`) in each operand.
        let (mut rest, mut a_off, mut b_off) = (t, 0_isize, 0_isize);
        for ((&len, &sa), &sb) in batch.iter().zip(&a_strides).zip(&b_strides).rev() {
            let i = (rest % len) as isize;
            rest /= len;
            a_off += i * sa;
            b_off += i * sb;
        }
        // SAFETY: `a_off` is the offset of element [i₀, …, 0, 0] of `a_src` for this batch's
        // indices (0 along broadcast axes, whose stride is taken as 0), so the pointer is to
        // an element of `a_src`; moving along the m×k matrix by (ars, acs) — the operand's own
        // positive strides, or 0 along an axis of length 1 — visits exactly that matrix's
        // elements, which `a_src` borrows immutably for the whole loop. Likewise for `b`.
        let (a_mat, b_mat) = unsafe {
            (
                ArrayView2::from_shape_ptr((m, k).strides((ars, acs)), a_ptr.offset(a_off)),
                ArrayView2::from_shape_ptr((k, n).strides((brs, bcs)), b_ptr.offset(b_off)),
            )
        };
        gemm_into(OP, T::one(), &a_mat, &b_mat, T::zero(), &mut c)?;
    }
    finish(out, &full, a_vector, b_vector)
}

/// `c ← alpha·a·b + beta·c` in place (BLAS `?gemm`).
///
/// No allocation when `c` is contiguous in C or F order (or a transposed view of either) and
/// `a`, `b` have a unit stride along one axis; otherwise the product is formed in a temporary
/// and assigned to `c`. As in BLAS, `beta = 0` overwrites `c` without reading it, so NaN in
/// `c` does not propagate.
///
/// # Errors
/// [`Error::IncompatibleShapes`] when `a.ncols() != b.nrows()`; [`Error::InvalidShape`] when
/// `c` is not `a.nrows() × b.ncols()`; [`Error::TooLarge`] for a dimension beyond BLAS's 32-bit
/// integers.
///
/// ```
/// use ndarray::array;
/// # fn main() -> ndkit::Result<()> {
/// let a = array![[1.0, 2.0], [3.0, 4.0]];
/// let mut c = array![[1.0, 1.0], [1.0, 1.0]];
/// ndkit::linalg::gemm(2.0, &a, &a.t(), 1.0, &mut c)?;   // c = 2·a·aᵀ + c
/// assert_eq!(c, array![[11.0, 23.0], [23.0, 51.0]]);
/// # Ok(())
/// # }
/// ```
pub fn gemm<T: Scalar, Sa: Data<Elem = T>, Sb: Data<Elem = T>, Sc: DataMut<Elem = T>>(
    alpha: T,
    a: &ArrayBase<Sa, Ix2>,
    b: &ArrayBase<Sb, Ix2>,
    beta: T,
    c: &mut ArrayBase<Sc, Ix2>,
) -> Result<()> {
    gemm_into("gemm", alpha, &a.view(), &b.view(), beta, &mut c.view_mut())
}

/// The outer product `xᵢ·yⱼ` (`numpy.outer`: no conjugation), in C order.
///
/// # Panics
/// Only if the `len(x) × len(y)` result cannot be allocated, like any allocation.
///
/// ```
/// use ndarray::array;
/// let m = ndkit::linalg::outer(&array![1.0, 2.0], &array![3.0, 4.0, 5.0]);
/// assert_eq!(m, array![[3.0, 4.0, 5.0], [6.0, 8.0, 10.0]]);
/// ```
pub fn outer<T: Scalar, Sx: Data<Elem = T>, Sy: Data<Elem = T>>(
    x: &ArrayBase<Sx, Ix1>,
    y: &ArrayBase<Sy, Ix1>,
) -> Array2<T> {
    let mut out = Array2::zeros((x.len(), y.len()));
    Zip::from(out.rows_mut()).and(x).for_each(|mut row, &xi| {
        Zip::from(&mut row).and(y).for_each(|o, &yj| *o = xi * yj);
    });
    out
}

/// The product of a chain of matrices, multiplied in the order that needs the fewest
/// floating-point operations (`numpy.linalg.multi_dot`), in C order.
///
/// The order is chosen by the classic O(n³) matrix-chain dynamic programme, with NumPy's
/// tie-breaking. A single matrix is returned as a copy (NumPy requires two or more).
///
/// # Errors
/// [`Error::InvalidArgument`] for an empty slice; [`Error::IncompatibleShapes`] naming the
/// first adjacent pair whose inner dimensions differ; [`Error::TooLarge`] for a dimension
/// beyond BLAS's 32-bit integers.
///
/// ```
/// use ndarray::Array2;
/// # fn main() -> ndkit::Result<()> {
/// let a = Array2::<f64>::ones((100, 2));
/// let b = Array2::<f64>::ones((2, 100));
/// let c = Array2::<f64>::ones((100, 3));
/// // evaluated as a·(b·c): 1,200 multiplications instead of 50,000
/// let abc = ndkit::linalg::multi_dot(&[a.view(), b.view(), c.view()])?;
/// assert_eq!(abc.dim(), (100, 3));
/// assert!(abc.iter().all(|&v| v == 200.0));
/// # Ok(())
/// # }
/// ```
pub fn multi_dot<T: Scalar>(arrays: &[ArrayView2<'_, T>]) -> Result<Array2<T>> {
    const OP: &str = "multi_dot";
    let Some(first) = arrays.first() else {
        return Err(Error::InvalidArgument {
            op: OP,
            message: "expected at least one matrix, got an empty slice".into(),
        });
    };
    for pair in arrays.windows(2) {
        if let [x, y] = pair {
            if x.ncols() != y.nrows() {
                return Err(Error::IncompatibleShapes {
                    op: OP,
                    lhs: x.shape().to_vec(),
                    rhs: y.shape().to_vec(),
                });
            }
        }
    }
    for x in arrays {
        check_dims(OP, x.shape())?;
    }
    // dims[i]×dims[i+1] is the shape of arrays[i].
    let dims: Vec<usize> = std::iter::once(first.nrows())
        .chain(arrays.iter().map(|x| x.ncols()))
        .collect();
    if arrays.len() == 1 {
        return Ok(first.as_standard_layout().into_owned());
    }
    let split = chain_order(&dims);
    // Two or more matrices: the result is a fresh C-order product, so this does not copy.
    Ok(chain_product(OP, arrays, &split, 0, arrays.len() - 1)?.into_owned())
}

/// `aⁿ` for a square matrix (`numpy.linalg.matrix_power`), by repeated squaring.
///
/// `n = 0` gives the identity, `n < 0` the power `|n|` of [`inv(a)`](super::inv). The
/// squarings and products write into at most three n×n buffers, reused throughout.
///
/// # Errors
/// [`Error::NotSquare`] for a non-square `a`; for `n < 0`, the errors of [`inv`](super::inv)
/// (e.g. [`Error::Singular`]); [`Error::TooLarge`] for a dimension beyond BLAS's 32-bit
/// integers.
///
/// ```
/// use ndarray::array;
/// # fn main() -> ndkit::Result<()> {
/// let a = array![[1.0, 1.0], [0.0, 1.0]];
/// assert_eq!(ndkit::linalg::matrix_power(&a, 5)?, array![[1.0, 5.0], [0.0, 1.0]]);
/// assert_eq!(ndkit::linalg::matrix_power(&a, 0)?, array![[1.0, 0.0], [0.0, 1.0]]);
/// # Ok(())
/// # }
/// ```
pub fn matrix_power<T: Scalar, S: Data<Elem = T>>(
    a: &ArrayBase<S, Ix2>,
    n: i32,
) -> Result<Array2<T>> {
    const OP: &str = "matrix_power";
    let order = square_order(OP, a)?;
    if n == 0 {
        return Ok(Array2::eye(order));
    }
    // z holds a^(2^i); it starts as a C-order copy of a (or a⁻¹ in C order). Every buffer
    // below is C-order, so the result is too.
    let mut z = if n < 0 {
        let inverse = super::inv(a)?;
        if inverse.is_standard_layout() {
            inverse
        } else {
            inverse.as_standard_layout().into_owned()
        }
    } else {
        a.as_standard_layout().into_owned()
    };
    let mut e = n.unsigned_abs();
    let mut result: Option<Array2<T>> = None;
    // The buffer a product is written into; the one it replaces becomes the next spare.
    let mut spare: Option<Array2<T>> = None;
    loop {
        if e & 1 == 1 {
            result = Some(match result {
                // The last bit: z is not needed any more.
                None if e == 1 => std::mem::take(&mut z),
                None => z.clone(),
                Some(r) => {
                    let p = product_into_spare(OP, &r, &z, &mut spare)?;
                    spare = Some(r);
                    p
                }
            });
        }
        e >>= 1;
        if e == 0 {
            break;
        }
        let square = product_into_spare(OP, &z, &z, &mut spare)?;
        spare = Some(std::mem::replace(&mut z, square));
    }
    // e ≠ 0 on entry, so its lowest set bit has stored a result.
    Ok(result.unwrap_or(z))
}

/// `x·y` (square, same order) written into `spare`, allocated on first use.
fn product_into_spare<T: Scalar>(
    op: &'static str,
    x: &Array2<T>,
    y: &Array2<T>,
    spare: &mut Option<Array2<T>>,
) -> Result<Array2<T>> {
    let mut out = spare.take().unwrap_or_else(|| Array2::zeros(x.raw_dim()));
    gemm_into(
        op,
        T::one(),
        &x.view(),
        &y.view(),
        T::zero(),
        &mut out.view_mut(),
    )?;
    Ok(out)
}

// ------------------------------------------------------------------------------- primitives

/// `c ← alpha·a·b + beta·c`: the one primitive behind every matrix product here.
///
/// Checks the shapes, handles empty products and k = 0 without BLAS (`beta = 0` gives exact
/// zeros), and calls `?gemm` once: directly on a column-major `c`, as `cᵀ ← alpha·bᵀ·aᵀ +
/// beta·cᵀ` on a row-major `c`, and through a column-major temporary otherwise.
fn gemm_into<T: Scalar>(
    op: &'static str,
    alpha: T,
    a: &ArrayView2<'_, T>,
    b: &ArrayView2<'_, T>,
    beta: T,
    c: &mut ArrayViewMut2<'_, T>,
) -> Result<()> {
    let (m, k, n) = product_dims(op, a, b)?;
    if c.dim() != (m, n) {
        return Err(Error::InvalidShape {
            op,
            shape: c.shape().to_vec(),
            expected: format!("[{m}, {n}] (rows of a × columns of b)"),
        });
    }
    if m == 0 || n == 0 {
        return Ok(());
    }
    if k == 0 {
        if beta == T::zero() {
            c.fill(T::zero());
        } else {
            c.mapv_inplace(|v| v * beta);
        }
        return Ok(());
    }
    match blas_matrix(&c.view()) {
        // SAFETY: `cd` describes `c` itself as a column-major m×n buffer with ld ≥ m, and `c`
        // is borrowed mutably, so nothing else reads or writes it during the call.
        Some(cd) if cd.trans == Trans::No => unsafe {
            gemm_col_major(op, alpha, a, b, beta, c.as_mut_ptr(), cd.ld)
        },
        // SAFETY: `cd` describes `c` as the transpose of a column-major n×m buffer with
        // ld ≥ n, which is what cᵀ ← alpha·bᵀ·aᵀ + beta·cᵀ writes; `c` is borrowed mutably.
        Some(cd) => unsafe {
            gemm_col_major(op, alpha, &b.t(), &a.t(), beta, c.as_mut_ptr(), cd.ld)
        },
        None => {
            // beta = 0: BLAS does not read c, so skip copying it in.
            let mut tmp = if beta == T::zero() {
                Array2::zeros((m, n).f())
            } else {
                to_fortran(c)
            };
            gemm_into(op, alpha, a, b, beta, &mut tmp.view_mut())?;
            c.assign(&tmp);
            Ok(())
        }
    }
}

/// One `?gemm` call `C ← alpha·a·b + beta·C` into a column-major buffer.
///
/// # Safety
/// The shapes of `a` and `b` must fit together with m, k, n ≥ 1 and within `i32`, and `c`
/// must point to a writable column-major m×n buffer with leading dimension `ldc ≥ m`, not
/// aliasing `a` or `b`.
unsafe fn gemm_col_major<T: Scalar>(
    op: &'static str,
    alpha: T,
    a: &ArrayView2<'_, T>,
    b: &ArrayView2<'_, T>,
    beta: T,
    c: *mut T,
    ldc: i32,
) -> Result<()> {
    let (mut a_copy, mut b_copy) = (None, None);
    let ad = operand(op, a, &mut a_copy)?;
    let bd = operand(op, b, &mut b_copy)?;
    let (m, k, n) = (
        lapack_int(op, a.nrows())?,
        lapack_int(op, a.ncols())?,
        lapack_int(op, b.ncols())?,
    );
    // SAFETY: `ad` and `bd` describe op(A) = a (m×k) and op(B) = b (k×n) in buffers that live
    // in `a`/`b` or in `a_copy`/`b_copy` until the call returns, each with a leading dimension
    // at least its buffer's row count (`blas_matrix`'s guarantee); the caller guarantees `c`.
    unsafe {
        T::gemm(
            ad.trans, bd.trans, m, n, k, alpha, ad.ptr, ad.ld, bd.ptr, bd.ld, beta, c, ldc,
        )
    };
    Ok(())
}

/// `a` as BLAS sees it; an operand with no unit stride is first copied, once, into `copy`
/// (F order), which must outlive every use of the returned pointer.
fn operand<T: Scalar>(
    op: &'static str,
    a: &ArrayView2<'_, T>,
    copy: &mut Option<Array2<T>>,
) -> Result<BlasMatrix<T>> {
    if let Some(desc) = blas_matrix(a) {
        return Ok(desc);
    }
    let owned = copy.insert(to_fortran(a));
    Ok(BlasMatrix {
        ptr: owned.as_ptr(),
        ld: lapack_int(op, owned.nrows().max(1))?,
        trans: Trans::No,
    })
}

/// A 1-d view as BLAS sees it: the lowest-addressed element and the increment (negative for a
/// reversed view, as BLAS expects), or `None` when it must be copied (a zero stride over more
/// than one element, or a stride beyond `i32`).
fn blas_vector<T>(x: &ArrayView1<'_, T>) -> Option<(*const T, i32)> {
    let len = x.len();
    if len <= 1 {
        return Some((x.as_ptr(), 1));
    }
    let stride = x.strides()[0];
    let inc = i32::try_from(stride).ok().filter(|&inc| inc != 0)?;
    // For a negative stride the last element is the lowest address.
    let offset = if stride < 0 {
        (len as isize - 1) * stride
    } else {
        0
    };
    Some((x.as_ptr().wrapping_offset(offset), inc))
}

/// `Σ xᵢ·yᵢ` (`conjugate = false`, `?dotu`) or `Σ conj(xᵢ)·yᵢ` (`true`, `?dotc`).
fn inner_product<T: Scalar>(
    op: &'static str,
    x: &ArrayView1<'_, T>,
    y: &ArrayView1<'_, T>,
    conjugate: bool,
) -> Result<T> {
    if x.len() != y.len() {
        return Err(Error::IncompatibleShapes {
            op,
            lhs: vec![x.len()],
            rhs: vec![y.len()],
        });
    }
    let n = lapack_int(op, x.len())?;
    if n == 0 {
        return Ok(T::zero());
    }
    let (x_copy, y_copy);
    let (xp, incx) = match blas_vector(x) {
        Some(v) => v,
        None => {
            x_copy = x.to_owned();
            (x_copy.as_ptr(), 1)
        }
    };
    let (yp, incy) = match blas_vector(y) {
        Some(v) => v,
        None => {
            y_copy = y.to_owned();
            (y_copy.as_ptr(), 1)
        }
    };
    // SAFETY: `xp`/`incx` and `yp`/`incy` address the n ≥ 1 elements of each vector (or of
    // its contiguous copy) from the lowest address, as BLAS expects for negative increments.
    Ok(unsafe {
        if conjugate {
            T::dotc(n, xp, incx, yp, incy)
        } else {
            T::dotu(n, xp, incx, yp, incy)
        }
    })
}

/// `(m, k, n)` for `a·b`, or [`Error::IncompatibleShapes`] / [`Error::TooLarge`].
fn product_dims<T>(
    op: &'static str,
    a: &ArrayView2<'_, T>,
    b: &ArrayView2<'_, T>,
) -> Result<(usize, usize, usize)> {
    let ((m, k), (k2, n)) = (a.dim(), b.dim());
    if k != k2 {
        return Err(Error::IncompatibleShapes {
            op,
            lhs: vec![m, k],
            rhs: vec![k2, n],
        });
    }
    check_dims(op, &[m, k, n])?;
    Ok((m, k, n))
}

// ------------------------------------------------------------------------- batched helpers

/// The broadcast of two batch shapes by NumPy's rules (aligned on the right; equal, or one of
/// them 1), or `None` when they do not broadcast.
fn broadcast_shapes(a: &[usize], b: &[usize]) -> Option<Vec<usize>> {
    let len = a.len().max(b.len());
    let at = |s: &[usize], i: usize| {
        if i < len - s.len() {
            1
        } else {
            s[i - (len - s.len())]
        }
    };
    (0..len)
        .map(|i| match (at(a, i), at(b, i)) {
            (x, y) if x == y || y == 1 => Some(x),
            (1, y) => Some(y),
            _ => None,
        })
        .collect()
}

/// The element strides of `x`'s batch axes against the broadcast `batch` shape: 0 for an axis
/// `x` lacks or has length 1 (broadcast), its own stride otherwise.
fn batch_strides<T>(batch: &[usize], x: &ArrayViewD<'_, T>) -> Vec<isize> {
    let own = x.ndim() - 2;
    let missing = batch.len() - own;
    let shape_strides = x.shape().iter().zip(x.strides()).take(own);
    std::iter::repeat(0)
        .take(missing)
        .chain(shape_strides.map(|(&len, &s)| if len == 1 { 0 } else { s }))
        .collect()
}

/// The (row, column) strides to build each matrix of `x` (last two axes; at least two axes,
/// every axis non-empty) as a BLAS-ready view — its own strides, or 0 along an axis of length
/// 1 — or `None` when the matrices must be copied first.
fn batch_matrix_strides<T>(x: &ArrayViewD<'_, T>) -> Option<(usize, usize)> {
    let mut first = x.view();
    while first.ndim() > 2 {
        if first.len_of(Axis(0)) == 0 {
            return None;
        }
        first.index_axis_inplace(Axis(0), 0);
    }
    let first = first.into_dimensionality::<Ix2>().ok()?;
    blas_matrix(&first)?;
    let stride = |len: usize, s: isize| {
        if len <= 1 {
            Some(0)
        } else {
            usize::try_from(s).ok()
        }
    };
    Some((
        stride(first.nrows(), first.strides()[0])?,
        stride(first.ncols(), first.strides()[1])?,
    ))
}

/// Reshape the `(count, m, n)` stack to `full = batch + [m, n]` and drop the axes added for
/// vector operands.
fn finish<T: Scalar>(
    out: Array3<T>,
    full: &[usize],
    a_vector: bool,
    b_vector: bool,
) -> Result<ArrayD<T>> {
    let mut out = out
        .into_shape_with_order(IxDyn(full))
        .map_err(|e| Error::InvalidShape {
            op: "batched_matmul",
            shape: full.to_vec(),
            expected: e.to_string(),
        })?;
    let nd = out.ndim();
    if b_vector {
        out = out.index_axis_move(Axis(nd - 1), 0);
    }
    if a_vector {
        out = out.index_axis_move(Axis(nd - 2), 0);
    }
    Ok(out)
}

// --------------------------------------------------------------------- multi_dot helpers

/// The matrix-chain dynamic programme (as `numpy.linalg.multi_dot`): for matrices of shapes
/// `dims[i] × dims[i+1]`, `split[i][j]` is the `s` with the cheapest `(i..=s)·(s+1..=j)`.
/// FLOP counts are u128 (a product of three i32 dimensions needs 93 bits) and saturate.
fn chain_order(dims: &[usize]) -> Vec<Vec<usize>> {
    let n = dims.len() - 1;
    let mut cost = vec![vec![0_u128; n]; n];
    let mut split = vec![vec![0_usize; n]; n];
    let d = |i: usize| dims[i] as u128;
    for len in 1..n {
        for i in 0..n - len {
            let j = i + len;
            cost[i][j] = u128::MAX;
            for s in i..j {
                let q = cost[i][s]
                    .saturating_add(cost[s + 1][j])
                    .saturating_add(d(i).saturating_mul(d(s + 1)).saturating_mul(d(j + 1)));
                if q < cost[i][j] {
                    cost[i][j] = q;
                    split[i][j] = s;
                }
            }
        }
    }
    split
}

/// The product of `arrays[i..=j]` in the order recorded in `split`; single matrices are
/// borrowed, not copied.
fn chain_product<'a, T: Scalar>(
    op: &'static str,
    arrays: &[ArrayView2<'a, T>],
    split: &[Vec<usize>],
    i: usize,
    j: usize,
) -> Result<CowArray<'a, T, Ix2>> {
    if i == j {
        return Ok(CowArray::from(arrays[i]));
    }
    let s = split[i][j];
    let left = chain_product(op, arrays, split, i, s)?;
    let right = chain_product(op, arrays, split, s + 1, j)?;
    let (left, right) = (left.view(), right.view());
    let (m, _, n) = product_dims(op, &left, &right)?;
    let mut c = Array2::zeros((m, n));
    gemm_into(op, T::one(), &left, &right, T::zero(), &mut c.view_mut())?;
    Ok(CowArray::from(c))
}
