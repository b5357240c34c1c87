//! `numpy.matmul` for N-d operands: batch axes broadcast, one `?gemm` per batch on views.

use ndarray::{
    Array3, ArrayBase, ArrayD, ArrayView2, ArrayViewD, Axis, CowArray, Data, Dimension, Ix2, Ix3,
    IxDyn, RawArrayViewMut, ShapeBuilder,
};

use super::{gemm_raw, overwritten};
use crate::broadcast::{batch_strides, broadcast_shapes, BatchOffsets};
use crate::layout::{blas_matrix, check_dims, ensure_allocatable};
use crate::{Error, Result, Scalar};

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
/// 32-bit integers; [`Error::TooLargeToAllocate`] for a result too large to allocate.
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
    // Empty results, and k = 0 (zeros), need no BLAS call.
    if count * m * n == 0 || k == 0 {
        let out = Array3::<T>::zeros((count, m, n));
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
    let own_batch = |x: &CowArray<'_, T, IxDyn>| {
        let axes = x.ndim() - 2;
        batch_strides(&batch, &x.shape()[..axes], &x.strides()[..axes])
    };
    let (a_strides, b_strides) = (own_batch(&a_src), own_batch(&b_src));
    let (a_ptr, b_ptr) = (a_src.as_ptr(), b_src.as_ptr());

    let write = |out: RawArrayViewMut<T, Ix3>| {
        // Element offsets of matrix `t` (C order over `batch`) in each operand.
        let offsets = BatchOffsets::new(&batch, [&a_strides, &b_strides]);
        for (t, [a_off, b_off]) in offsets.enumerate() {
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
            let c = out.index_axis_move(Axis(0), t);
            // SAFETY: `c` is matrix `t` of the fresh result: writable, disjoint from the other
            // matrices and from both operands; β = 0, so it is not read.
            unsafe { gemm_raw(OP, T::one(), &a_mat, &b_mat, T::zero(), c)? };
        }
        Ok(())
    };
    // SAFETY: `write` runs `gemm_raw` with β = 0 on every matrix t < count of the result, each
    // of which it writes in full when it returns Ok.
    let out = unsafe { overwritten(Ix3(count, m, n), write) }?;
    finish(out, &full, a_vector, b_vector)
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
