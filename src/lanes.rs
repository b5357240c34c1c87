//! Along-an-axis kernels: each lane of an input written, once, into the same lane of a new
//! array. The output is never zero-filled first — the kernels see their lane as
//! `MaybeUninit` and write every element — and never reached through a reference until it is
//! fully written. Debug builds fill each lane with NaN before the kernel runs, so that a
//! kernel that skips an element fails the tests. Used by softmax, log-softmax and the fused
//! cross-entropy gradient.

use std::mem::MaybeUninit;

use ndarray::{Array, ArrayBase, ArrayView1, Axis, Data, Dimension, ShapeBuilder, Zip};

use crate::Scalar;

/// Applies `kernel(src, dst)` to every lane of `x` along `axis`, writing into the same lane of
/// a new array with `x`'s shape (F order if `x` is F-contiguous, else C order).
///
/// When the lanes are the output's innermost memory axis (the common case: the last axis of a
/// C-order array), the output is built lane after lane at the end of one buffer, each lane
/// written once by the kernel ([`push_lane`]). Otherwise each lane goes through a scratch
/// buffer into a zero-initialised output. Input lanes that are not contiguous are gathered
/// first.
///
/// # Safety
/// `kernel(src, dst)` writes every element of `dst` (it may read the ones it has written).
pub(crate) unsafe fn map_lanes<T, S, D, F>(
    x: &ArrayBase<S, D>,
    axis: Axis,
    mut kernel: F,
) -> Array<T, D>
where
    T: Scalar,
    S: Data<Elem = T>,
    D: Dimension,
    F: FnMut(&[T], &mut [MaybeUninit<T>]),
{
    assert!(
        axis.index() < x.ndim(),
        "axis {} is out of bounds for an array of dimension {}",
        axis.index(),
        x.ndim()
    );
    let fortran = !x.is_standard_layout() && x.t().is_standard_layout();
    let shape = x.raw_dim().set_f(fortran);
    if x.is_empty() {
        return Array::zeros(shape);
    }
    let n = x.len_of(axis);
    let last = x.ndim() - 1;
    let mut src_buf = Vec::new();
    if axis.index() == if fortran { 0 } else { last } {
        // The output's memory order is C order over the other axes (F order: C order of the
        // reversed axes, where `axis` = 0 becomes the last one).
        let (xv, lane_axis) = if fortran {
            (x.view().reversed_axes(), Axis(last))
        } else {
            (x.view(), axis)
        };
        let mut data = Vec::with_capacity(x.len());
        for lane in xv.lanes(lane_axis) {
            // SAFETY: `kernel` writes every element of `dst` (this function's contract).
            unsafe {
                push_lane(&mut data, n, |dst| {
                    kernel(lane_slice(&lane, &mut src_buf), dst)
                })
            };
        }
        debug_assert_eq!(data.len(), x.len());
        // SAFETY: `data` holds one lane of n = len_of(axis) values for each of the
        // x.len() / n lanes, i.e. exactly `x.len()` elements — the size of `shape` — in the
        // memory order `shape` describes (C order, or F order with `axis` = 0).
        return unsafe { Array::from_shape_vec_unchecked(shape, data) };
    }
    let mut out = Array::zeros(shape);
    let mut dst_buf = vec![MaybeUninit::uninit(); n];
    Zip::from(x.lanes(axis))
        .and(out.lanes_mut(axis))
        .for_each(|src, mut dst| {
            kernel(lane_slice(&src, &mut src_buf), &mut dst_buf);
            // SAFETY: `kernel` has just written every element of `dst_buf` (this function's
            // contract).
            let written = unsafe { assume_init_slice(&mut dst_buf) };
            dst.assign(&ArrayView1::from(&written[..]));
        });
    out
}

/// Appends `n` elements to `data`, set by `write` (the lane kernels here store `exp(x − m)`
/// first). They are not zero-filled first: that memset took a fifth of `softmax`'s time.
/// `write` gets them as `MaybeUninit`; debug builds fill them with NaN first, so that a
/// kernel that skips one fails the tests.
///
/// # Safety
/// `write` writes every element of the slice it is given.
pub(crate) unsafe fn push_lane<T: Scalar, R>(
    data: &mut Vec<T>,
    n: usize,
    write: impl FnOnce(&mut [MaybeUninit<T>]) -> R,
) -> R {
    data.reserve(n);
    let start = data.len();
    let spare = &mut data.spare_capacity_mut()[..n];
    if cfg!(debug_assertions) {
        spare.fill(MaybeUninit::new(T::from_f64_nearest(f64::NAN)));
    }
    let result = write(spare);
    // SAFETY: `reserve` made room for the n slots after `start`, and `write` has initialised
    // all of them (the caller's contract).
    unsafe { data.set_len(start + n) };
    result
}

/// `dst`, every element of which has been written, as a slice of values.
///
/// # Safety
/// Every element of `dst` is initialised.
#[inline(always)]
pub(crate) unsafe fn assume_init_slice<T>(dst: &mut [MaybeUninit<T>]) -> &mut [T] {
    // SAFETY: `MaybeUninit<T>` has `T`'s size and alignment, and every element is
    // initialised (the caller's contract), so the same memory is a valid `[T]`.
    unsafe { &mut *(dst as *mut [MaybeUninit<T>] as *mut [T]) }
}

/// `lane` as a slice: itself when contiguous, else a copy gathered into `buf`.
pub(crate) fn lane_slice<'a, T: Copy>(lane: &'a ArrayView1<'_, T>, buf: &'a mut Vec<T>) -> &'a [T] {
    match lane.to_slice() {
        Some(s) => s,
        None => {
            buf.clear();
            buf.extend(lane.iter().copied());
            buf
        }
    }
}
