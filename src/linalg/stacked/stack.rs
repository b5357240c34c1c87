//! Inputs read as stacks of matrices, and results allocated as stacks: the batch axes, the
//! broadcasting of batch shapes between operands, the view of each matrix, and the error of a
//! bad matrix named by its batch index.

use std::marker::PhantomData;

use ndarray::{
    Array, Array1, Array2, Array3, ArrayBase, ArrayD, ArrayView2, Axis, Data, Dimension, IxDyn,
    ShapeBuilder,
};

use crate::broadcast::{batch_strides, broadcast_shapes, BatchOffsets};
use crate::{Error, Result};

/// An operand read as a stack of `rows × cols` matrices over its last two axes, walked in the
/// C order of a (possibly broadcast) batch shape.
pub(crate) struct Stack<'a, T> {
    /// The operand's first element and its matrix strides.
    base: *const T,
    rows: usize,
    cols: usize,
    row_stride: isize,
    col_stride: isize,
    /// Element offset of each matrix of the batch from `base`, in C order.
    offsets: Vec<isize>,
    _borrow: PhantomData<&'a T>,
}

// SAFETY: a `Stack` only ever hands out shared views of the borrowed elements (`&'a T`), so it
// may be shared and sent between threads exactly when `&T` may.
unsafe impl<T: Sync> Sync for Stack<'_, T> {}
// SAFETY: as above: the stack is a shared borrow of `T`s.
unsafe impl<T: Sync> Send for Stack<'_, T> {}

/// The batch shape and matrix shape of an operand, or the error for a 0-d or 1-d one.
pub(crate) fn split_shape<'s>(
    op: &'static str,
    shape: &'s [usize],
) -> Result<(&'s [usize], [usize; 2])> {
    if shape.len() < 2 {
        return Err(Error::InvalidShape {
            op,
            shape: shape.to_vec(),
            expected: "a stack of matrices (..., m, n): at least 2 dimensions".into(),
        });
    }
    let (batch, matrix) = shape.split_at(shape.len() - 2);
    Ok((batch, [matrix[0], matrix[1]]))
}

/// The broadcast of two operands' batch shapes, or the shape error naming both full shapes.
pub(crate) fn broadcast_batches(
    op: &'static str,
    a: &[usize],
    b: &[usize],
    a_batch: &[usize],
    b_batch: &[usize],
) -> Result<Vec<usize>> {
    broadcast_shapes(a_batch, b_batch).ok_or_else(|| Error::IncompatibleShapes {
        op,
        lhs: a.to_vec(),
        rhs: b.to_vec(),
    })
}

impl<'a, T> Stack<'a, T> {
    /// `a` as a stack over `batch`, a shape its own batch axes broadcast to (checked by the
    /// caller with [`broadcast_batches`], or `a`'s own batch shape).
    pub(crate) fn new<S: Data<Elem = T>, D: Dimension>(
        a: &'a ArrayBase<S, D>,
        batch: &[usize],
    ) -> Self {
        let ndim = a.ndim();
        debug_assert!(ndim >= 2);
        let (shape, strides) = (a.shape(), a.strides());
        let own = batch_strides(batch, &shape[..ndim - 2], &strides[..ndim - 2]);
        let offsets = BatchOffsets::new(batch, [&own]).map(|[o]| o).collect();
        Stack {
            base: a.as_ptr(),
            rows: shape[ndim - 2],
            cols: shape[ndim - 1],
            row_stride: strides[ndim - 2],
            col_stride: strides[ndim - 1],
            offsets,
            _borrow: PhantomData,
        }
    }

    /// The number of matrices.
    pub(crate) fn len(&self) -> usize {
        self.offsets.len()
    }

    /// Matrix `i` of the batch (C order).
    pub(crate) fn matrix(&self, i: usize) -> ArrayView2<'a, T> {
        let (rows, cols) = (self.rows, self.cols);
        let (rs, cs) = (self.row_stride, self.col_stride);
        // A view is built at the matrix's lowest address with the strides' magnitudes, then
        // the axes with negative strides are flipped (ndarray's constructors take
        // non-negative strides only).
        let low = |len: usize, stride: isize| {
            if stride < 0 && len > 0 {
                (len - 1) as isize * stride
            } else {
                0
            }
        };
        let offset = self.offsets[i] + low(rows, rs) + low(cols, cs);
        // SAFETY: `offsets[i]` is the offset of matrix i's first element from the operand's
        // first element (from the operand's own strides), so base + offset + the low-address
        // shifts is the lowest address of an element of that matrix, inside the operand's
        // allocation, which `'a` keeps borrowed. Walking `rows × cols` elements with strides
        // |rs|, |cs| from there visits exactly that matrix's elements, all inside the operand.
        let mut view = unsafe {
            ArrayView2::from_shape_ptr(
                (rows, cols).strides((rs.unsigned_abs(), cs.unsigned_abs())),
                self.base.offset(offset),
            )
        };
        if rs < 0 {
            view.invert_axis(Axis(0));
        }
        if cs < 0 {
            view.invert_axis(Axis(1));
        }
        view
    }
}

/// A result stack of `count` matrices of `rows × cols`, each in column-major order (what
/// LAPACK writes in place), as an array of shape `(count, rows, cols)`.
pub(crate) fn fortran_stack<U: Clone + num_traits::Zero>(
    count: usize,
    rows: usize,
    cols: usize,
) -> Array3<U> {
    Array3::zeros((count, cols, rows)).permuted_axes([0, 2, 1])
}

/// A `(count, rows, cols)` result stack as an array of shape `batch + [rows, cols]`, without
/// copying. The stack's memory must be one allocation in batch-major order, as
/// [`fortran_stack`] and `Array3::zeros` make it.
pub(crate) fn with_batch<U>(stack: Array3<U>, batch: &[usize]) -> ArrayD<U> {
    let (_, rows, cols) = stack.dim();
    let (rs, cs) = (stack.strides()[1] as usize, stack.strides()[2] as usize);
    let per_matrix = rows * cols;
    let mut shape = batch.to_vec();
    shape.extend([rows, cols]);
    let mut strides = c_strides(batch, per_matrix);
    strides.extend([rs, cs]);
    let (data, offset) = stack.into_raw_vec_and_offset();
    debug_assert!(offset.unwrap_or(0) == 0);
    if data.is_empty() {
        return Array::from_shape_vec(IxDyn(&shape), data).expect("an empty result");
    }
    Array::from_shape_vec(IxDyn(&shape).strides(IxDyn(&strides)), data)
        .expect("the stack's allocation holds batch × rows × cols elements")
}

/// A `(count, len)` stack of vectors as an array of shape `batch + [len]`.
pub(crate) fn vectors_with_batch<U>(stack: Array2<U>, batch: &[usize]) -> ArrayD<U> {
    let mut shape = batch.to_vec();
    shape.push(stack.ncols());
    stack
        .into_shape_with_order(IxDyn(&shape))
        .expect("a C-order stack reshapes to its batch")
}

/// `count` values as an array of the batch shape.
pub(crate) fn values_with_batch<U>(values: Array1<U>, batch: &[usize]) -> ArrayD<U> {
    values
        .into_shape_with_order(IxDyn(batch))
        .expect("one value per matrix of the batch")
}

/// C-order strides of `shape`, in elements, for items of `item` elements each.
fn c_strides(shape: &[usize], item: usize) -> Vec<usize> {
    let mut strides = vec![0; shape.len()];
    let mut step = item;
    for (stride, &len) in strides.iter_mut().zip(shape).rev() {
        *stride = step;
        step *= len.max(1);
    }
    strides
}

/// The batch index of flat index `i` of `batch` (C order), as NumPy writes it: `[2, 0]`.
pub(crate) fn batch_index(batch: &[usize], mut i: usize) -> Vec<usize> {
    let mut index = vec![0; batch.len()];
    for (slot, &len) in index.iter_mut().zip(batch).rev() {
        *slot = i % len.max(1);
        i /= len.max(1);
    }
    index
}

/// The error of matrix `i` of the batch, reported as operation `op` at its batch index.
pub(crate) fn at_matrix(op: &'static str, batch: &[usize], (i, error): (usize, Error)) -> Error {
    error.at_index(op, &batch_index(batch, i))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{s, Array, Array4};

    #[test]
    fn matrices_follow_any_layout() {
        let a = Array::from_shape_fn((3, 2, 4, 5), |(i, j, k, l)| {
            (1000 * i + 100 * j + 10 * k + l) as f64
        });
        let variants = [
            a.view(),
            a.slice(s![..;-1, .., ..;-1, ..]),
            a.slice(s![.., ..;-1, .., ..;-2]),
        ];
        for v in variants {
            let batch = &v.shape()[..2];
            let stack = Stack::new(&v, batch);
            assert_eq!(stack.len(), 6);
            for i in 0..stack.len() {
                let idx = batch_index(batch, i);
                assert_eq!(stack.matrix(i), v.slice(s![idx[0], idx[1], .., ..]));
            }
        }
        let permuted = a.view().permuted_axes([2, 0, 3, 1]);
        let stack = Stack::new(&permuted, &[4, 3]);
        assert_eq!(stack.matrix(5), permuted.slice(s![1, 2, .., ..]));
    }

    #[test]
    fn broadcast_batches_repeat_matrices() {
        let a = Array4::<f64>::from_shape_fn((1, 3, 2, 2), |(_, j, k, l)| {
            (100 * j + 10 * k + l) as f64
        });
        let stack = Stack::new(&a, &[2, 3]);
        assert_eq!(stack.len(), 6);
        assert_eq!(stack.matrix(4), a.slice(s![0, 1, .., ..]));
    }

    #[test]
    fn results_take_the_batch_shape() {
        let mut st = fortran_stack::<f64>(6, 2, 3);
        st[[4, 1, 2]] = 7.0;
        let full = with_batch(st, &[2, 3]);
        assert_eq!(full.shape(), &[2, 3, 2, 3]);
        assert_eq!(full[[1, 1, 1, 2]], 7.0);
        assert_eq!(batch_index(&[2, 3], 4), vec![1, 1]);
        assert_eq!(batch_index(&[], 0), Vec::<usize>::new());
        let empty = with_batch(fortran_stack::<f64>(0, 2, 2), &[0, 5]);
        assert_eq!(empty.shape(), &[0, 5, 2, 2]);
    }
}
