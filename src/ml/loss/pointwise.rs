//! Element-wise losses with mean reduction: mean squared error and binary cross-entropy on
//! logits (PyTorch's `F.mse_loss`, `F.binary_cross_entropy_with_logits`).
//!
//! | function | per element (`x` prediction or logit, `y` target) | gradient w.r.t. `x` |
//! |---|---|---|
//! | [`mse_loss`] | `(x − y)²` | `2(x − y)/n` |
//! | [`bce_with_logits`] | `max(x, 0) − x·y + ln(1 + e^−|x|)` | `(σ(x) − y)/n` |
//!
//! The binary cross-entropy is PyTorch's stable form: the exponent `−|x|` is never positive,
//! so logits of ±1e4 give exact losses (`1e4` for a confident wrong answer, `0` for a
//! confident right one) and no NaN. Each function is one fused pass over contiguous memory:
//! the sums go through [`LANES`] partial sums in `T` per block of [`BLOCK`] elements, and the
//! block sums are added in `f64`, so a large `f32` batch keeps `f32`'s relative accuracy.

use std::mem::MaybeUninit;

use ndarray::{Array, ArrayBase, Data, Dimension};

use crate::ml::activation::elementwise::{map_pair, pair_slices};
use crate::ml::activation::math::log1p_unit;
use crate::ml::activation::{exp, simd_dispatch, LANES};
use crate::{Error, Real, Result};

/// Elements per block whose sum is formed in `T` before being added in `f64`.
const BLOCK: usize = 1024;

/// `(loss, dloss/dx)` of one element of the mean squared error, before the 1/n.
#[inline(always)]
fn mse_elem<T: Real, const FMA: bool>(x: T, y: T) -> (T, T) {
    let d = x - y;
    (d * d, d + d)
}

/// `(loss, dloss/dx)` of one element of the binary cross-entropy on logits, before the 1/n.
#[inline(always)]
fn bce_elem<T: Real, const FMA: bool>(x: T, y: T) -> (T, T) {
    let e = exp::<T, FMA>(-x.abs());
    let pos = if x > T::zero() { x } else { T::zero() };
    let loss = pos - x * y + log1p_unit(e);
    // σ(x) from e = e^−|x| without overflow: 1/(1 + e) for x ≥ 0, e/(1 + e) below.
    let num = if x >= T::zero() { T::one() } else { e };
    (loss, num / (T::one() + e) - y)
}

/// Defines `$sum(a, b) -> f64` (the sum of the element losses) and
/// `$grad(a, b, dst, scale) -> f64` (the same sum, writing `scale·∂` into every `dst[i]`),
/// each through the run-time SIMD dispatch, for the element function `$elem`.
macro_rules! fused_loss {
    ($elem:ident, $sum_k:ident, $sum:ident, $grad_k:ident, $grad:ident) => {
        #[inline(always)]
        fn $sum_k<T: Real, const FMA: bool>(a: &[T], b: &[T]) -> f64 {
            let mut total = 0.0_f64;
            for (a, b) in a.chunks(BLOCK).zip(b.chunks(BLOCK)) {
                let mut acc = [T::zero(); LANES];
                let (ac, bc) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
                let (ar, br) = (ac.remainder(), bc.remainder());
                for (ac, bc) in ac.zip(bc) {
                    for ((s, &x), &y) in acc.iter_mut().zip(ac).zip(bc) {
                        *s += $elem::<T, FMA>(x, y).0;
                    }
                }
                let rest = ar
                    .iter()
                    .zip(br)
                    .fold(T::zero(), |s, (&x, &y)| s + $elem::<T, FMA>(x, y).0);
                total += f64_of(acc.iter().fold(rest, |s, &v| s + v));
            }
            total
        }

        #[inline(always)]
        fn $grad_k<T: Real, const FMA: bool>(
            a: &[T],
            b: &[T],
            dst: &mut [MaybeUninit<T>],
            scale: T,
        ) -> f64 {
            let mut total = 0.0_f64;
            for ((a, b), dst) in a.chunks(BLOCK).zip(b.chunks(BLOCK)).zip(dst.chunks_mut(BLOCK)) {
                let mut acc = [T::zero(); LANES];
                let done = a.len() - a.len() % LANES;
                let chunks = a
                    .chunks_exact(LANES)
                    .zip(b.chunks_exact(LANES))
                    .zip(dst.chunks_exact_mut(LANES));
                for ((ac, bc), dc) in chunks {
                    for (((s, &x), &y), d) in acc.iter_mut().zip(ac).zip(bc).zip(dc) {
                        let (l, g) = $elem::<T, FMA>(x, y);
                        d.write(g * scale);
                        *s += l;
                    }
                }
                let mut rest = T::zero();
                for ((&x, &y), d) in a[done..].iter().zip(&b[done..]).zip(&mut dst[done..]) {
                    let (l, g) = $elem::<T, FMA>(x, y);
                    d.write(g * scale);
                    rest += l;
                }
                total += f64_of(acc.iter().fold(rest, |s, &v| s + v));
            }
            total
        }

        simd_dispatch!(fn $sum => $sum_k(a: &[T], b: &[T]) -> f64);
        simd_dispatch!(fn $grad => $grad_k(a: &[T], b: &[T], dst: &mut [MaybeUninit<T>], scale: T) -> f64);
    };
}

fused_loss!(mse_elem, mse_sum_k, mse_sum, mse_grad_k, mse_grad);
fused_loss!(bce_elem, bce_sum_k, bce_sum, bce_grad_k, bce_grad);

fn f64_of<T: Real>(x: T) -> f64 {
    x.to_f64().unwrap_or(f64::NAN)
}

/// An empty input has no mean: an error naming `op` (PyTorch returns NaN).
fn non_empty(op: &'static str, shape: &[usize]) -> Result<()> {
    if shape.iter().product::<usize>() == 0 {
        return Err(Error::InvalidShape {
            op,
            shape: shape.to_vec(),
            expected: "at least one element (the mean over an empty input is undefined)".into(),
        });
    }
    Ok(())
}

/// The mean of `sum(a, b)` over the elements, after the shape checks.
fn mean_loss<T, Sa, Sb, D>(
    op: &'static str,
    a: &ArrayBase<Sa, D>,
    b: &ArrayBase<Sb, D>,
    sum: fn(&[T], &[T]) -> f64,
) -> Result<T>
where
    T: Real,
    Sa: Data<Elem = T>,
    Sb: Data<Elem = T>,
    D: Dimension,
{
    let total = pair_slices(op, a, b, |a, b, _| sum(a, b))?;
    non_empty(op, a.shape())?;
    Ok(T::from_f64_nearest(total / a.len() as f64))
}

/// A fused loss-and-gradient kernel: `(a, b, dst, scale) -> Σ loss`, writing `scale·∂` into
/// every element of `dst`.
type GradKernel<T> = fn(&[T], &[T], &mut [MaybeUninit<T>], T) -> f64;

/// The mean loss and its gradient `scale·∂/n`, after the shape checks.
fn mean_loss_grad<T, Sa, Sb, D>(
    op: &'static str,
    a: &ArrayBase<Sa, D>,
    b: &ArrayBase<Sb, D>,
    grad: GradKernel<T>,
) -> Result<(T, Array<T, D>)>
where
    T: Real,
    Sa: Data<Elem = T>,
    Sb: Data<Elem = T>,
    D: Dimension,
{
    if a.shape() == b.shape() {
        non_empty(op, a.shape())?;
    }
    let inv_n = T::one() / T::from_f64_nearest(a.len() as f64);
    // SAFETY: the gradient kernels write every element of `dst` (both loops together cover
    // every index of every block).
    let (g, total) = unsafe { map_pair(op, a, b, |a, b, dst| grad(a, b, dst, inv_n))? };
    Ok((T::from_f64_nearest(total / a.len() as f64), g))
}

/// The mean squared error `mean((pred − target)²)` (`F.mse_loss`, `reduction="mean"`), for
/// arrays of any dimension and one shape.
///
/// # Errors
/// [`Error::IncompatibleShapes`] when the shapes differ; [`Error::InvalidShape`] for empty
/// inputs (the mean is undefined).
///
/// ```
/// use ndarray::array;
/// # fn main() -> ndkit::Result<()> {
/// let loss = ndkit::ml::mse_loss(&array![1.0_f64, 2.0], &array![0.0, 4.0])?;
/// assert_eq!(loss, 2.5);
/// # Ok(())
/// # }
/// ```
pub fn mse_loss<T, Sp, St, D>(pred: &ArrayBase<Sp, D>, target: &ArrayBase<St, D>) -> Result<T>
where
    T: Real,
    Sp: Data<Elem = T>,
    St: Data<Elem = T>,
    D: Dimension,
{
    mean_loss("mse_loss", pred, target, mse_sum)
}

/// [`mse_loss`] and its gradient with respect to `pred`, `2(pred − target)/n`, in one pass.
///
/// # Errors
/// The same as [`mse_loss`].
///
/// ```
/// use ndarray::array;
/// # fn main() -> ndkit::Result<()> {
/// let (loss, grad) = ndkit::ml::mse_loss_grad(&array![1.0_f64, 2.0], &array![0.0, 4.0])?;
/// assert_eq!((loss, grad), (2.5, array![1.0, -2.0]));
/// # Ok(())
/// # }
/// ```
pub fn mse_loss_grad<T, Sp, St, D>(
    pred: &ArrayBase<Sp, D>,
    target: &ArrayBase<St, D>,
) -> Result<(T, Array<T, D>)>
where
    T: Real,
    Sp: Data<Elem = T>,
    St: Data<Elem = T>,
    D: Dimension,
{
    mean_loss_grad("mse_loss_grad", pred, target, mse_grad)
}

/// The mean binary cross-entropy of logits against targets in `[0, 1]`
/// (`F.binary_cross_entropy_with_logits`, `reduction="mean"`): the sigmoid is folded into the
/// loss as `max(x, 0) − x·y + ln(1 + e^−|x|)`, stable for any finite logit (±1e4 give exact
/// results). Pass logits, not probabilities.
///
/// # Errors
/// [`Error::IncompatibleShapes`] when the shapes differ; [`Error::InvalidShape`] for empty
/// inputs.
///
/// ```
/// use ndarray::array;
/// # fn main() -> ndkit::Result<()> {
/// let loss = ndkit::ml::bce_with_logits(&array![1e4_f64, -1e4], &array![0.0, 0.0])?;
/// assert_eq!(loss, 5e3); // (1e4 + 0) / 2
/// let half = ndkit::ml::bce_with_logits(&array![0.0_f32], &array![1.0])?;
/// assert!((half - std::f32::consts::LN_2).abs() < 1e-7);
/// # Ok(())
/// # }
/// ```
pub fn bce_with_logits<T, Sl, St, D>(
    logits: &ArrayBase<Sl, D>,
    targets: &ArrayBase<St, D>,
) -> Result<T>
where
    T: Real,
    Sl: Data<Elem = T>,
    St: Data<Elem = T>,
    D: Dimension,
{
    mean_loss("bce_with_logits", logits, targets, bce_sum)
}

/// [`bce_with_logits`] and its gradient with respect to the logits, `(σ(x) − y)/n`, in one
/// pass.
///
/// # Errors
/// The same as [`bce_with_logits`].
///
/// ```
/// use ndarray::array;
/// # fn main() -> ndkit::Result<()> {
/// let (loss, grad) = ndkit::ml::bce_with_logits_grad(&array![0.0_f64, 1e4], &array![1.0, 1.0])?;
/// assert!((loss - std::f64::consts::LN_2 / 2.0).abs() < 1e-16);
/// assert_eq!(grad, array![-0.25, 0.0]);
/// # Ok(())
/// # }
/// ```
pub fn bce_with_logits_grad<T, Sl, St, D>(
    logits: &ArrayBase<Sl, D>,
    targets: &ArrayBase<St, D>,
) -> Result<(T, Array<T, D>)>
where
    T: Real,
    Sl: Data<Elem = T>,
    St: Data<Elem = T>,
    D: Dimension,
{
    mean_loss_grad("bce_with_logits_grad", logits, targets, bce_grad)
}
