//! The Kronecker product, as `numpy.kron` for matrices (pure Rust: one scaled copy of `b`
//! per entry of `a`, no BLAS routine).

use ndarray::{s, Array2, ArrayBase, Data, Ix2, Zip};

use crate::Scalar;

/// The Kronecker product of an m×n `a` and a p×q `b`, the mp×nq block matrix whose block
/// `(i, j)` is `a[i, j] · b`, as `np.kron(a, b)`. Either operand may be empty (the result then
/// has a zero-length axis).
///
/// # Panics
/// If the result's element count overflows `usize` (it could not be allocated anyway).
///
/// ```
/// use ndarray::array;
/// let k = ndkit::linalg::kron(&array![[1.0, 2.0]], &array![[1.0], [10.0]]);
/// assert_eq!(k, array![[1.0, 2.0], [10.0, 20.0]]);
/// ```
pub fn kron<T: Scalar, Sa: Data<Elem = T>, Sb: Data<Elem = T>>(
    a: &ArrayBase<Sa, Ix2>,
    b: &ArrayBase<Sb, Ix2>,
) -> Array2<T> {
    let ((m, n), (p, q)) = (a.dim(), b.dim());
    let mut out = Array2::<T>::zeros((m * p, n * q));
    for ((i, j), &aij) in a.indexed_iter() {
        let block = out.slice_mut(s![i * p..(i + 1) * p, j * q..(j + 1) * q]);
        Zip::from(block).and(b).for_each(|o, &bkl| *o = aij * bkl);
    }
    out
}
