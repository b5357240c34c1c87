//! Element-wise selection with NumPy broadcasting: `numpy.where(cond, x, y)` and
//! `numpy.select(condlist, choicelist, default)`.

use ndarray::{ArrayBase, ArrayD, ArrayViewD, Data, Dimension, IxDyn, Zip};

use std::mem::MaybeUninit;

use crate::broadcast::broadcast_shapes;
use crate::layout::uninit_any;
use crate::{Error, Result};

/// The broadcast of `shape` with `next`, or [`Error::IncompatibleShapes`] naming both.
fn broadcast(op: &'static str, shape: &[usize], next: &[usize]) -> Result<Vec<usize>> {
    broadcast_shapes(shape, next).ok_or_else(|| Error::IncompatibleShapes {
        op,
        lhs: shape.to_vec(),
        rhs: next.to_vec(),
    })
}

/// A view of `a` broadcast to `shape` (which [`broadcast_shapes`] produced from it).
fn view_as<'a, A, S: Data<Elem = A>, D: Dimension>(
    a: &'a ArrayBase<S, D>,
    shape: &[usize],
) -> ArrayViewD<'a, A> {
    a.broadcast(IxDyn(shape))
        .expect("a shape broadcasts to the broadcast of itself with others")
}

/// `x` where `cond` is true, else `y`, element by element with NumPy broadcasting, as
/// `numpy.where(cond, x, y)`; the result has the broadcast shape. Works for any `T: Clone`.
///
/// # Errors
/// [`Error::IncompatibleShapes`] when the shapes do not broadcast: the broadcast shape so
/// far and the operand that does not fit it.
///
/// ```
/// use ndarray::{array, arr0};
/// use ndkit::ops::where_cond;
/// # fn main() -> ndkit::Result<()> {
/// let x = array![[1.0_f64, -2.0], [-3.0, 4.0]];
/// // np.where(x > 0, x, 0): a ReLU
/// let relu = where_cond(&x.mapv(|v| v > 0.0), &x, &arr0(0.0))?;
/// assert_eq!(relu, array![[1.0, 0.0], [0.0, 4.0]].into_dyn());
/// // a row of choices broadcast against a column of conditions
/// let pick = where_cond(&array![[true], [false]], &array![1, 2, 3], &array![0])?;
/// assert_eq!(pick, array![[1, 2, 3], [0, 0, 0]].into_dyn());
/// # Ok(())
/// # }
/// ```
pub fn where_cond<T, Sc, Sx, Sy, Dc, Dx, Dy>(
    cond: &ArrayBase<Sc, Dc>,
    x: &ArrayBase<Sx, Dx>,
    y: &ArrayBase<Sy, Dy>,
) -> Result<ArrayD<T>>
where
    T: Clone,
    Sc: Data<Elem = bool>,
    Sx: Data<Elem = T>,
    Sy: Data<Elem = T>,
    Dc: Dimension,
    Dx: Dimension,
    Dy: Dimension,
{
    const OP: &str = "where_cond";
    let shape = broadcast(OP, cond.shape(), x.shape())?;
    let shape = broadcast(OP, &shape, y.shape())?;
    let mut out = uninit_any(IxDyn(&shape));
    // One pass: Zip runs equal-shape contiguous operands as flat slices, broadcast ones by
    // their (zero) strides.
    Zip::from(&mut out)
        .and(&view_as(cond, &shape))
        .and(&view_as(x, &shape))
        .and(&view_as(y, &shape))
        .for_each(|o, &c, x, y| {
            *o = MaybeUninit::new(if c { x.clone() } else { y.clone() });
        });
    // SAFETY: the Zip above visited every element of `out` and wrote each one.
    Ok(unsafe { out.assume_init() })
}

/// For each element, the choice of the first true condition, else `default`, with NumPy
/// broadcasting over all conditions and choices, as `numpy.select(condlist, choicelist,
/// default)`. Works for any `T: Clone`.
///
/// # Errors
/// [`Error::InvalidArgument`] when the lists differ in length or are empty (NumPy raises for
/// both); [`Error::IncompatibleShapes`] when the shapes do not broadcast.
///
/// ```
/// use ndarray::array;
/// use ndkit::ops::select;
/// # fn main() -> ndkit::Result<()> {
/// let x = array![-2.0_f64, 0.5, 3.0];
/// let (neg, small) = (x.mapv(|v| v < 0.0), x.mapv(|v| v < 1.0));
/// let (zero, square) = (x.mapv(|_| 0.0), x.mapv(|v| v * v));
/// // first true wins: -2 < 0 picks 0 although -2 < 1 too
/// let y = select(
///     &[neg.view().into_dyn(), small.view().into_dyn()],
///     &[zero.view().into_dyn(), square.view().into_dyn()],
///     f64::NAN,
/// )?;
/// assert_eq!(y.as_slice().unwrap()[..2], [0.0, 0.25]);
/// assert!(y[[2]].is_nan());
/// # Ok(())
/// # }
/// ```
pub fn select<T: Clone>(
    condlist: &[ArrayViewD<'_, bool>],
    choicelist: &[ArrayViewD<'_, T>],
    default: T,
) -> Result<ArrayD<T>> {
    const OP: &str = "select";
    if condlist.len() != choicelist.len() {
        return Err(Error::InvalidArgument {
            op: OP,
            message: format!(
                "condlist and choicelist must have the same length, got {} and {}",
                condlist.len(),
                choicelist.len()
            ),
        });
    }
    if condlist.is_empty() {
        return Err(Error::InvalidArgument {
            op: OP,
            message: "select with an empty condition list is not possible".to_string(),
        });
    }
    let mut shape: Vec<usize> = Vec::new();
    for (c, v) in condlist.iter().zip(choicelist) {
        shape = broadcast(OP, &shape, c.shape())?;
        shape = broadcast(OP, &shape, v.shape())?;
    }
    let mut out = ArrayD::from_elem(IxDyn(&shape), default);
    // Last to first, so that the first true condition's choice is the one left.
    for (c, v) in condlist.iter().zip(choicelist).rev() {
        Zip::from(&mut out)
            .and(&view_as(c, &shape))
            .and(&view_as(v, &shape))
            .for_each(|o, &c, v| {
                if c {
                    *o = v.clone();
                }
            });
    }
    Ok(out)
}
