//! Chains of products: `numpy.linalg.multi_dot` (optimal parenthesisation) and
//! `numpy.linalg.matrix_power` (binary exponentiation in reused buffers).

use ndarray::{Array2, ArrayBase, ArrayView2, CowArray, Data, Ix2};

use super::{gemm_into, new_product};
use crate::layout::{check_dims, square_order};
use crate::{Error, Result, Scalar};

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
/// `n = 0` gives the identity, `n < 0` the power `|n|` of [`inv(a)`](crate::linalg::inv). The
/// squarings and products write into at most three n×n buffers, reused throughout.
///
/// # Errors
/// [`Error::NotSquare`] for a non-square `a`; for `n < 0`, the errors of [`inv`](crate::linalg::inv)
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
        let inverse = crate::linalg::inv(a)?;
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
    Ok(CowArray::from(new_product(op, &left, &right)?))
}
