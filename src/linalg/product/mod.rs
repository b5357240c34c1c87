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
//! [`matrix_power`] with a negative exponent first inverts the matrix with
//! [`inv`](crate::linalg::inv) (`?getrf` + `?getri`).
//!
//! Every matrix product goes through one in-place primitive, `gemm_into`, which hands each
//! operand to BLAS as it lies in memory: a C-order, F-order or transposed operand is described
//! by a pointer, a leading dimension and a transpose flag; only operands with no unit stride
//! (sliced every other row, reversed, …) are copied, once. A C-order output `c` is computed as
//! `cᵀ = bᵀ·aᵀ`, which BLAS sees as a column-major product, so outputs are never copied either.

mod batched;
mod chain;
mod small;

pub use batched::batched_matmul;
pub use chain::{matrix_power, multi_dot};

use ndarray::{
    Array, Array1, Array2, ArrayBase, ArrayView1, ArrayView2, ArrayViewMut2, Data, DataMut,
    Dimension, Ix1, Ix2, RawArrayViewMut, ShapeBuilder, Zip,
};

use crate::kernels::Trans;
use crate::layout::{
    blas_layout, blas_matrix, check_dims, ensure_allocatable, lapack_int, to_fortran, uninit_array,
    BlasMatrix,
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
    new_product("matmul", &a, &b)
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

// ------------------------------------------------------------------------------- primitives

/// A new C-order array of `shape`, every element of which `write` sets without reading any
/// (a product with β = 0). The memory is not zeroed first: for a large result that pass
/// (a memset, or the kernel zeroing fresh pages) costs up to a tenth of the product itself,
/// and NumPy's results skip it too (see [`uninit_array`], which also poisons it in debug
/// builds). `write` gets a raw view: the elements are not initialised until it has run.
///
/// # Safety
/// When `write` returns `Ok`, it has written every element of the view it was given.
unsafe fn overwritten<T: Scalar, D: Dimension>(
    shape: D,
    write: impl FnOnce(RawArrayViewMut<T, D>) -> Result<()>,
) -> Result<Array<T, D>> {
    let mut out = uninit_array::<T, D>(shape);
    write(out.raw_view_mut().cast::<T>())?;
    // SAFETY: `write` returned Ok, so (the caller's contract) every element is set.
    Ok(unsafe { out.assume_init() })
}

/// `a·b` as a new C-order matrix, written once by [`gemm_raw`] (which checks the shapes)
/// without zero-filling first.
fn new_product<T: Scalar>(
    op: &'static str,
    a: &ArrayView2<'_, T>,
    b: &ArrayView2<'_, T>,
) -> Result<Array2<T>> {
    let shape = Ix2(a.nrows(), b.ncols());
    // SAFETY: `c` is the fresh result, writable and aliasing neither operand; with β = 0
    // nothing reads it.
    let write = |c| unsafe { gemm_raw(op, T::one(), a, b, T::zero(), c) };
    // SAFETY: with β = 0, `gemm_raw` writes every element of `c` when it returns Ok.
    unsafe { overwritten(shape, write) }
}

/// `c ← alpha·a·b + beta·c` into an initialised `c`: [`gemm_raw`] on a borrowed view.
fn gemm_into<T: Scalar>(
    op: &'static str,
    alpha: T,
    a: &ArrayView2<'_, T>,
    b: &ArrayView2<'_, T>,
    beta: T,
    c: &mut ArrayViewMut2<'_, T>,
) -> Result<()> {
    // SAFETY: `c` is a unique borrow of initialised elements, so it is readable, writable and
    // aliases neither `a` nor `b` (shared borrows) for the whole call.
    unsafe { gemm_raw(op, alpha, a, b, beta, c.raw_view_mut()) }
}

/// `c ← alpha·a·b + beta·c`: the one primitive behind every matrix product here.
///
/// Checks the shapes, handles empty products and k = 0 without BLAS (`beta = 0` gives exact
/// zeros), and calls `?gemm` once: directly on a column-major `c`, as `cᵀ ← alpha·bᵀ·aᵀ +
/// beta·cᵀ` on a row-major `c`, and through a column-major temporary otherwise. As in BLAS,
/// `beta = 0` only writes `c`.
///
/// # Safety
/// Every element of `c` is valid for writes, and for reads unless `beta = 0` (then its
/// elements may be uninitialised); nothing else reads or writes `c` during the call, and it
/// does not overlap `a` or `b`.
unsafe fn gemm_raw<T: Scalar>(
    op: &'static str,
    alpha: T,
    a: &ArrayView2<'_, T>,
    b: &ArrayView2<'_, T>,
    beta: T,
    c: RawArrayViewMut<T, Ix2>,
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
    let beta_zero = beta == T::zero();
    if k == 0 {
        Zip::from(c).for_each(|cij| {
            // SAFETY: `cij` is an element of `c`: writable, and readable when β ≠ 0.
            unsafe {
                cij.write(if beta_zero {
                    T::zero()
                } else {
                    cij.read() * beta
                })
            }
        });
        return Ok(());
    }
    if m * k * n <= small::MAX_MULTIPLY_ADDS {
        // SAFETY: the shapes fit (checked above); the rest is this function's own contract.
        unsafe { small::gemm(alpha, a, b, beta, c) };
        return Ok(());
    }
    let mut c = c;
    match blas_layout(m, c.strides()[0], n, c.strides()[1]) {
        // SAFETY: `c` is a column-major m×n buffer with leading dimension `ld` ≥ m, writable
        // (readable when β ≠ 0) and unaliased for the call (this function's contract).
        Some((Trans::No, ld)) => unsafe {
            gemm_col_major(op, alpha, a, b, beta, c.as_mut_ptr(), ld)
        },
        // SAFETY: `c` is the transpose of a column-major n×m buffer with ld ≥ n, which is what
        // cᵀ ← alpha·bᵀ·aᵀ + beta·cᵀ writes; the rest as above.
        Some((_, ld)) => unsafe {
            gemm_col_major(op, alpha, &b.t(), &a.t(), beta, c.as_mut_ptr(), ld)
        },
        None => {
            // beta = 0: BLAS does not read c, so skip copying it in.
            let mut tmp = if beta_zero {
                Array2::zeros((m, n).f())
            } else {
                // SAFETY: with β ≠ 0 the elements of `c` are initialised and nothing writes
                // them while this copy reads them.
                let initialised = unsafe { c.deref_into_view() };
                to_fortran(&initialised)
            };
            gemm_into(op, alpha, a, b, beta, &mut tmp.view_mut())?;
            Zip::from(c).and(&tmp).for_each(|cij, &v| {
                // SAFETY: `cij` is a writable element of `c`.
                unsafe { cij.write(v) }
            });
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
