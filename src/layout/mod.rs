//! Strides → BLAS/LAPACK layouts: the one layout rule of products, einsum and the LAPACK
//! drivers, the copies LAPACK needs, and (in the submodules) the argument checks every
//! LAPACK-backed operation shares and the allocation of results written without zero-filling.
//!
//! BLAS takes a matrix as (pointer, leading dimension, transpose flag). A view whose columns
//! are contiguous is passed as is; one whose rows are contiguous is passed as its transpose with
//! the `T` flag; anything else (negative or non-unit strides in both axes) is copied once.

mod alloc;
mod check;

pub(crate) use alloc::{uninit_any, uninit_array, vec_for};
pub(crate) use check::{
    check_dims, ensure_allocatable, ensure_finite, ensure_workspace, lapack_int, lapack_status,
    square_order,
};

use ndarray::{
    Array2, ArrayBase, ArrayView2, ArrayViewMut1, ArrayViewMut2, Data, Ix2, ShapeBuilder,
};

use crate::kernels::Trans;
use crate::linalg::UPLO;
use crate::Scalar;

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

/// Runs `f` on a column-major m×n view for the output `out` with its leading dimension: `out`
/// itself when its columns are contiguous (LAPACK then writes the result in place), otherwise
/// a buffer from `scratch` whose contents are copied into `out` afterwards. What `f` finds in
/// the view on entry is unspecified; it must write every entry it means to return.
pub(crate) fn in_fortran<T: Scalar, R>(
    mut out: ArrayViewMut2<'_, T>,
    scratch: &mut Vec<T>,
    f: impl FnOnce(ArrayViewMut2<'_, T>, i32) -> R,
) -> R {
    let (m, n) = out.dim();
    if let Some((Trans::No, ld)) = blas_layout(m, out.strides()[0], n, out.strides()[1]) {
        return f(out, ld);
    }
    scratch.clear();
    scratch.resize(m * n, T::default());
    let view =
        ArrayViewMut2::from_shape((m, n).f(), &mut scratch[..]).expect("scratch holds m·n entries");
    let result = f(view, m.max(1) as i32);
    out.assign(&ArrayView2::from_shape((m, n).f(), &scratch[..]).expect("m·n entries"));
    result
}

/// An m×n column-major view over `buf` (resized to m·n entries).
pub(crate) fn scratch_matrix<T: Scalar>(
    buf: &mut Vec<T>,
    m: usize,
    n: usize,
) -> ArrayViewMut2<'_, T> {
    buf.clear();
    buf.resize(m * n, T::zero());
    ArrayViewMut2::from_shape((m, n).f(), &mut buf[..]).expect("buffer holds m·n entries")
}

/// Runs `f` on a contiguous slice for the 1-d output `out`: `out`'s own memory when it is
/// contiguous, otherwise a buffer from `scratch` copied into `out` afterwards.
pub(crate) fn in_contiguous<T: Copy + Default, R>(
    mut out: ArrayViewMut1<'_, T>,
    scratch: &mut Vec<T>,
    f: impl FnOnce(&mut [T]) -> R,
) -> R {
    if let Some(slice) = out.as_slice_mut() {
        return f(slice);
    }
    scratch.clear();
    scratch.resize(out.len(), T::default());
    let result = f(scratch);
    out.iter_mut()
        .zip(scratch.iter())
        .for_each(|(o, &v)| *o = v);
    result
}

/// Copies the `uplo` triangle (diagonal included) of the square `a` into `out`, zeroes the
/// other triangle and drops the diagonal's imaginary parts (LAPACK ignores them).
pub(crate) fn copy_triangle<T: Scalar, S: Data<Elem = T>>(
    a: &ArrayBase<S, Ix2>,
    uplo: UPLO,
    out: &mut ArrayViewMut2<'_, T>,
) {
    // One pass in `out`'s memory order.
    ndarray::Zip::indexed(out).and(a).for_each(|(i, j), o, &v| {
        let inside = match uplo {
            UPLO::Upper => i <= j,
            UPLO::Lower => i >= j,
        };
        *o = if i == j {
            T::from_real(v.re())
        } else if inside {
            v
        } else {
            T::zero()
        };
    });
}

/// The LAPACK character for a triangle.
pub(crate) fn uplo_char(uplo: UPLO) -> u8 {
    match uplo {
        UPLO::Upper => b'U',
        UPLO::Lower => b'L',
    }
}
