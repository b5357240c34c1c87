//! Strides → BLAS/LAPACK layouts, and the argument checks every LAPACK-backed operation shares.
//!
//! BLAS takes a matrix as (pointer, leading dimension, transpose flag). A view whose columns
//! are contiguous is passed as is; one whose rows are contiguous is passed as its transpose with
//! the `T` flag; anything else (negative or non-unit strides in both axes) is copied once.

use std::mem::MaybeUninit;

use ndarray::{s, Array, Array2, ArrayBase, ArrayView2, Data, Dimension, Ix2, ShapeBuilder};

use crate::kernels::Trans;
use crate::linalg::UPLO;
use crate::{Error, Result, Scalar};

/// A 2-D view as BLAS sees it: `op(buffer)` equals the matrix, where `buffer` is column-major
/// with leading dimension `ld` and `op` is `trans`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BlasMatrix<T> {
    pub ptr: *const T,
    pub ld: i32,
    pub trans: Trans,
}

/// Describes `a` for BLAS without copying, or `None` when its strides need a copy first.
/// Dimensions must already be known to fit in `i32`.
pub(crate) fn blas_matrix<T>(a: &ArrayView2<'_, T>) -> Option<BlasMatrix<T>> {
    let (rows, cols) = a.dim();
    let (trans, ld) = blas_layout(rows, a.strides()[0], cols, a.strides()[1])?;
    Some(BlasMatrix {
        ptr: a.as_ptr(),
        ld,
        trans,
    })
}

/// How BLAS takes a `rows × cols` matrix with element strides `(rs, cs)`: as a column-major
/// buffer (`Trans::No`) or the transpose of one (`Trans::Yes`), with its leading dimension;
/// `None` when it needs a copy (no unit stride, a negative stride, or a leading dimension
/// beyond `i32`). The one layout rule behind products, einsum and the LAPACK drivers.
pub(crate) fn blas_layout(rows: usize, rs: isize, cols: usize, cs: isize) -> Option<(Trans, i32)> {
    // A stride along an axis of length ≤ 1 is never followed, so any value serves there.
    let unit = |len: usize, stride: isize| len <= 1 || stride == 1;
    let lead = |len: usize, stride: isize, minor: usize| {
        let ld = if len <= 1 {
            minor.max(1) as isize
        } else {
            stride
        };
        (ld >= minor.max(1) as isize)
            .then(|| i32::try_from(ld).ok())
            .flatten()
    };
    if unit(rows, rs) {
        if let Some(ld) = lead(cols, cs, rows) {
            return Some((Trans::No, ld));
        }
    }
    if unit(cols, cs) {
        if let Some(ld) = lead(rows, rs, cols) {
            return Some((Trans::Yes, ld));
        }
    }
    None
}

/// A column-major (Fortran-order) copy of `a`: what LAPACK routines that overwrite their
/// input need.
pub(crate) fn to_fortran<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>) -> Array2<T> {
    let mut out = Array2::<T>::zeros(a.raw_dim().f());
    out.assign(a);
    out
}

/// `n` as a LAPACK/BLAS integer, or [`Error::TooLarge`].
pub(crate) fn lapack_int(op: &'static str, n: usize) -> Result<i32> {
    i32::try_from(n).map_err(|_| Error::TooLarge { op, dim: n })
}

/// [`Error::TooLarge`] unless every dimension of `shape` fits a LAPACK integer.
pub(crate) fn check_dims(op: &'static str, shape: &[usize]) -> Result<()> {
    shape.iter().try_for_each(|&d| lapack_int(op, d).map(drop))
}

/// The order of a square matrix, or [`Error::NotSquare`].
pub(crate) fn square_order<T, S: Data<Elem = T>>(
    op: &'static str,
    a: &ArrayBase<S, Ix2>,
) -> Result<usize> {
    let (m, n) = a.dim();
    if m != n {
        return Err(Error::NotSquare {
            op,
            shape: vec![m, n],
        });
    }
    lapack_int(op, n)?;
    Ok(n)
}

/// [`Error::NonFinite`] when any entry of `a` is NaN or infinite.
pub(crate) fn ensure_finite<T: Scalar, S: Data<Elem = T>, D: Dimension>(
    op: &'static str,
    a: &ArrayBase<S, D>,
) -> Result<()> {
    if a.iter().all(|x| x.finite()) {
        Ok(())
    } else {
        Err(Error::NonFinite {
            op,
            shape: a.shape().to_vec(),
        })
    }
}

/// The LAPACK character for a triangle.
pub(crate) fn uplo_char(uplo: UPLO) -> u8 {
    match uplo {
        UPLO::Upper => b'U',
        UPLO::Lower => b'L',
    }
}

/// Translates a LAPACK `info`: 0 is success, a positive value a convergence failure of an
/// iterative routine. A negative value (an argument LAPACK rejected) cannot arise from the
/// checked arguments ndkit passes; it is still reported as an error rather than ignored.
pub(crate) fn lapack_status(op: &'static str, routine: &'static str, info: i32) -> Result<()> {
    match usize::try_from(info) {
        Ok(0) => Ok(()),
        Ok(unconverged) => Err(Error::NoConvergence {
            op,
            routine,
            unconverged,
        }),
        Err(_) => Err(Error::InvalidArgument {
            op,
            message: format!("{routine} rejected argument {}", -i64::from(info)),
        }),
    }
}

/// An F-order n×n copy of the `uplo` triangle (diagonal included) of the square `a`, with
/// zeros in the other triangle and the diagonal's imaginary parts dropped (LAPACK ignores them).
pub(crate) fn triangle_fortran<T: Scalar, S: Data<Elem = T>>(
    a: &ArrayBase<S, Ix2>,
    uplo: UPLO,
) -> Array2<T> {
    let n = a.nrows();
    let mut out = Array2::<T>::zeros((n, n).f());
    for j in 0..n {
        let column = match uplo {
            UPLO::Upper => s![..=j, j],
            UPLO::Lower => s![j.., j],
        };
        out.slice_mut(column).assign(&a.slice(column));
    }
    out.diag_mut().mapv_inplace(|d| T::from_real(d.re()));
    out
}

/// [`Error::TooLargeToAllocate`] when an array of `shape` would exceed `isize::MAX` bytes (the
/// allocation would otherwise panic).
pub(crate) fn ensure_allocatable<T>(op: &'static str, shape: &[usize]) -> Result<()> {
    let elements = shape.iter().map(|&d| d as u128).product::<u128>();
    let bytes = elements * std::mem::size_of::<T>() as u128;
    if bytes <= isize::MAX as u128 {
        Ok(())
    } else {
        Err(Error::TooLargeToAllocate {
            op,
            what: "the result",
            elements,
        })
    }
}

/// [`Error::TooLargeToAllocate`] when the workspace of `elements` that `routine` documents as its
/// minimum does not fit LAPACK's 32-bit `LWORK`: LAPACK's own size computation would overflow
/// and under-allocate (its workspace query returns a wrapped, too small value).
pub(crate) fn ensure_workspace(
    op: &'static str,
    routine: &'static str,
    elements: u128,
) -> Result<()> {
    if elements <= i32::MAX as u128 {
        Ok(())
    } else {
        Err(Error::TooLargeToAllocate {
            op,
            what: routine,
            elements,
        })
    }
}

/// A new C-order array of `shape` with uninitialised elements, for a result that is about to
/// be overwritten in full. From 4 MiB on Linux its memory is marked for transparent huge
/// pages, as NumPy marks its large arrays: fewer page faults while it is first written, and
/// fewer TLB misses while BLAS works on it (a fresh 2048² product runs 3–8% faster). Debug
/// builds fill it with NaN, so that a path reading the result before writing it fails the
/// tests.
pub(crate) fn uninit_array<T: Scalar, D: Dimension>(shape: D) -> Array<MaybeUninit<T>, D> {
    let mut out = Array::uninit(shape);
    if cfg!(debug_assertions) {
        out.fill(MaybeUninit::new(T::from_f64(f64::NAN)));
    }
    #[cfg(target_os = "linux")]
    {
        const HUGE_FROM: usize = 4 << 20;
        const PAGE: usize = 4096;
        let bytes = out.len() * std::mem::size_of::<T>();
        if bytes >= HUGE_FROM {
            let start = out.as_mut_ptr() as usize;
            let (first, end) = (
                (start + PAGE - 1) & !(PAGE - 1),
                (start + bytes) & !(PAGE - 1),
            );
            // SAFETY: [first, end) is whole pages inside the array's own allocation; the call
            // only sets a paging hint and changes no memory contents. Its result is ignored:
            // without huge-page support the hint is simply not taken.
            unsafe {
                libc::madvise(first as *mut libc::c_void, end - first, libc::MADV_HUGEPAGE);
            }
        }
    }
    out
}
