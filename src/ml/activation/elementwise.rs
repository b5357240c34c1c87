//! The write-once element-wise drivers behind the smooth activations: a kernel over a
//! contiguous source slice writes every element of the result exactly once, with no
//! zero-filling first (as the lane kernels of softmax).
//!
//! A C-order input gives a C-order result and an F-order input an F-order result, each read
//! and written as one slice; any other layout (transposed N-d, sliced, negative strides) is
//! gathered into a C-order copy first. The backward passes read `x` and `grad_out` as slices
//! when both are C order, or both F order; otherwise both are gathered in C order.

use std::mem::MaybeUninit;

use ndarray::{Array, ArrayBase, CowArray, Data, Dimension, ShapeBuilder};

use crate::lanes::push_lane;
use crate::{Error, Real, Result};

/// `x`'s elements as one slice in the order of a C-order (`fortran = false`) or F-order result,
/// borrowed when `x` is laid out so, else gathered into a C-order copy.
fn contiguous<'a, T: Real, S: Data<Elem = T>, D: Dimension>(
    x: &'a ArrayBase<S, D>,
) -> (CowArray<'a, T, D>, bool) {
    if x.is_standard_layout() {
        (CowArray::from(x.view()), false)
    } else if x.t().is_standard_layout() {
        (CowArray::from(x.view()), true)
    } else {
        (x.as_standard_layout(), false)
    }
}

/// The new array of `x`'s shape (F order when `fortran`) whose elements, in memory order, are
/// written by `kernel`.
///
/// # Safety
/// `kernel` writes every element of the slice it is given.
unsafe fn build<T: Real, D: Dimension, R>(
    shape: D,
    fortran: bool,
    kernel: impl FnOnce(&mut [MaybeUninit<T>]) -> R,
) -> (Array<T, D>, R) {
    let n = shape.size();
    let mut data = Vec::new();
    // SAFETY: `kernel` writes every element (this function's contract).
    let r = unsafe { push_lane(&mut data, n, kernel) };
    // SAFETY: `data` holds exactly `shape.size()` elements in the memory order of `shape`
    // with the chosen (C or F) layout.
    let array = unsafe { Array::from_shape_vec_unchecked(shape.set_f(fortran), data) };
    (array, r)
}

/// `f` applied to every element of `x` through the slice kernel `kernel(src, dst)`.
///
/// # Safety
/// `kernel(src, dst)` writes every element of `dst` (`dst.len() == src.len()`).
pub(super) unsafe fn map_unary<T, S, D>(
    x: &ArrayBase<S, D>,
    kernel: impl FnOnce(&[T], &mut [MaybeUninit<T>]),
) -> Array<T, D>
where
    T: Real,
    S: Data<Elem = T>,
    D: Dimension,
{
    let (src, fortran) = contiguous(x);
    let src = src
        .as_slice_memory_order()
        .expect("contiguous() returns a C- or F-contiguous array");
    // SAFETY: `kernel` writes every element of `dst` (this function's contract).
    unsafe { build(x.raw_dim(), fortran, |dst| kernel(src, dst)).0 }
}

/// `kernel(x, g, dst)` over `x` and `grad_out` of one shape, for the backward passes.
///
/// # Errors
/// [`Error::IncompatibleShapes`] naming `op` when the shapes differ.
///
/// # Safety
/// `kernel(x, g, dst)` writes every element of `dst` (all three of one length).
pub(super) unsafe fn map_binary<T, Sx, Sg, D>(
    op: &'static str,
    x: &ArrayBase<Sx, D>,
    grad_out: &ArrayBase<Sg, D>,
    kernel: impl FnOnce(&[T], &[T], &mut [MaybeUninit<T>]),
) -> Result<Array<T, D>>
where
    T: Real,
    Sx: Data<Elem = T>,
    Sg: Data<Elem = T>,
    D: Dimension,
{
    // SAFETY: `kernel` writes every element of `dst` (this function's contract).
    unsafe { map_pair(op, x, grad_out, kernel) }.map(|(array, ())| array)
}

/// `(a, b)` of one shape as two slices in one memory order (both borrowed when both are C
/// order or both F order, else both gathered in C order), and whether that order is F.
///
/// # Errors
/// [`Error::IncompatibleShapes`] naming `op` when the shapes differ.
pub(crate) fn pair_slices<T, Sa, Sb, D, R>(
    op: &'static str,
    a: &ArrayBase<Sa, D>,
    b: &ArrayBase<Sb, D>,
    f: impl FnOnce(&[T], &[T], bool) -> R,
) -> Result<R>
where
    T: Real,
    Sa: Data<Elem = T>,
    Sb: Data<Elem = T>,
    D: Dimension,
{
    if a.shape() != b.shape() {
        return Err(Error::IncompatibleShapes {
            op,
            lhs: a.shape().to_vec(),
            rhs: b.shape().to_vec(),
        });
    }
    let (sa, fa) = contiguous(a);
    let (sb, fb) = contiguous(b);
    let (sa, sb, fortran) = if fa == fb {
        (sa, sb, fa)
    } else {
        (a.as_standard_layout(), b.as_standard_layout(), false)
    };
    let msg = "contiguous() returns a C- or F-contiguous array";
    let sa = sa.as_slice_memory_order().expect(msg);
    let sb = sb.as_slice_memory_order().expect(msg);
    Ok(f(sa, sb, fortran))
}

/// `kernel(a, b, dst) -> R` over `a` and `b` of one shape: the new array `dst` (of their
/// shape, in the memory order [`pair_slices`] chose) and what the kernel returned.
///
/// # Errors
/// [`Error::IncompatibleShapes`] naming `op` when the shapes differ.
///
/// # Safety
/// `kernel(a, b, dst)` writes every element of `dst` (all three of one length).
pub(crate) unsafe fn map_pair<T, Sa, Sb, D, R>(
    op: &'static str,
    a: &ArrayBase<Sa, D>,
    b: &ArrayBase<Sb, D>,
    kernel: impl FnOnce(&[T], &[T], &mut [MaybeUninit<T>]) -> R,
) -> Result<(Array<T, D>, R)>
where
    T: Real,
    Sa: Data<Elem = T>,
    Sb: Data<Elem = T>,
    D: Dimension,
{
    pair_slices(op, a, b, |sa, sb, fortran| {
        // SAFETY: `kernel` writes every element of `dst` (this function's contract).
        unsafe { build(a.raw_dim(), fortran, |dst| kernel(sa, sb, dst)) }
    })
}
