//! Losses: on logits with integer class labels (this file), on log-probabilities
//! ([`nll_loss`], `nll.rs`), and element-wise ([`mse_loss`], [`bce_with_logits`],
//! `pointwise.rs`).
//!
//! | function | computation per row `z` with label `y` |
//! |---|---|
//! | [`cross_entropy`] | `m = max z`, `lse = m + ln Σ exp(z − m)`, loss `(m − z[y]) + ln Σ`; mean over rows |
//! | [`softmax_cross_entropy`] | the same, and `∂L/∂z = (softmax(z) − onehot(y)) / batch` |
//!
//! Both work on the logits, never on probabilities (PyTorch's `F.cross_entropy`, not
//! `nll_loss(log(softmax))`): the log-sum-exp with the row maximum subtracted is finite for any
//! finite logits, and a probability that rounds to zero never reaches a logarithm. The fused
//! form reads each row twice — once for the maximum, once computing the exponentials straight
//! into the gradient buffer while summing them — then scales the row in place and subtracts
//! the one-hot entry: the softmax is materialised once, as the gradient itself.

mod nll;
mod pointwise;

use std::mem::MaybeUninit;

use ndarray::{Array2, ArrayBase, Data, Ix2};

pub use nll::{nll_loss, nll_loss_grad};
pub use pointwise::{bce_with_logits, bce_with_logits_grad, mse_loss, mse_loss_grad};

use super::activation::{
    exp_shifted_split, ln_of_split, max_of, simd_dispatch, split_sum_exp_shifted,
};
use crate::lanes::{lane_slice, push_lane};
use crate::{Error, Real, Result};

/// The mean cross-entropy `−(1/n) Σᵢ ln softmax(zᵢ)[yᵢ]` of a batch of logits `z` (shape
/// `(n, classes)`) against integer labels `y` (PyTorch's `F.cross_entropy(z, y)`), computed
/// by a stable log-sum-exp per row. **Takes logits**, not probabilities: passing softmax
/// outputs quietly gives a wrong (too small) loss. For log-probabilities (the output of a
/// `log_softmax`) use [`nll_loss`]. The logarithm is taken as `ln_1p` of the sum without the
/// maximum's 1, so the small loss of a confidently right prediction is accurate too.
///
/// # Errors
/// [`Error::InvalidShape`] for an empty batch (`n = 0`: the mean is undefined);
/// [`Error::IncompatibleShapes`] when `labels.len() != n`; [`Error::InvalidArgument`] for a
/// label `≥ classes` (naming the first such sample).
///
/// ```
/// use ndarray::array;
/// # fn main() -> ndkit::Result<()> {
/// let logits = array![[0.0, 0.0], [1e4, -1e4]];
/// let loss = ndkit::ml::cross_entropy(&logits, &[0, 1])?;
/// assert!((loss - (std::f64::consts::LN_2 + 2e4) / 2.0).abs() < 1e-9);
/// assert!(ndkit::ml::cross_entropy(&logits, &[0, 2]).is_err());
/// # Ok(())
/// # }
/// ```
pub fn cross_entropy<T: Real, S: Data<Elem = T>>(
    logits: &ArrayBase<S, Ix2>,
    labels: &[usize],
) -> Result<T> {
    check("cross_entropy", logits, labels)?;
    let mut scratch = Vec::new();
    // The per-row losses are summed in f64, so the mean of a large f32 batch keeps f32's
    // precision.
    let mut total = 0.0_f64;
    for (row, &label) in logits.rows().into_iter().zip(labels) {
        let z = lane_slice(&row, &mut scratch);
        // label < classes was checked above.
        total += to_f64(row_loss_simd(z, label));
    }
    Ok(T::from_f64_nearest(total / labels.len() as f64))
}

/// The mean cross-entropy of [`cross_entropy`] together with its gradient with respect to the
/// logits, `(softmax(z) − onehot(y)) / n`, shape `(n, classes)`, C order — fused, as a
/// training loop needs both.
///
/// # Errors
/// The same as [`cross_entropy`].
///
/// ```
/// use ndarray::array;
/// # fn main() -> ndkit::Result<()> {
/// let (loss, grad) = ndkit::ml::softmax_cross_entropy(&array![[0.0, 0.0]], &[1])?;
/// assert!((loss - std::f64::consts::LN_2).abs() < 1e-15);
/// assert_eq!(grad, array![[0.5, -0.5]]);
/// # Ok(())
/// # }
/// ```
pub fn softmax_cross_entropy<T: Real, S: Data<Elem = T>>(
    logits: &ArrayBase<S, Ix2>,
    labels: &[usize],
) -> Result<(T, Array2<T>)> {
    check("softmax_cross_entropy", logits, labels)?;
    let inv_n = T::one() / T::from_f64_nearest(labels.len() as f64);
    let (n, classes) = logits.dim();
    // The gradient is built row after row at the end of one buffer, each row written once.
    let mut data = Vec::with_capacity(n * classes);
    let mut scratch = Vec::new();
    let mut total = 0.0_f64;
    for (row, &label) in logits.rows().into_iter().zip(labels) {
        let z = lane_slice(&row, &mut scratch);
        // label < classes was checked above.
        // SAFETY: `row_loss_grad` writes every element of `g` (its first pass,
        // `exp_shifted_split`, writes them all).
        let loss = unsafe {
            push_lane(&mut data, classes, |g| {
                row_loss_grad_simd(z, label, inv_n, g)
            })
        };
        total += to_f64(loss);
    }
    debug_assert_eq!(data.len(), n * classes);
    // SAFETY: `data` holds `classes` values for each of the n = labels.len() rows, i.e.
    // exactly n·classes elements, row after row: the C-order layout of an (n, classes) array.
    let grad = unsafe { Array2::from_shape_vec_unchecked((n, classes), data) };
    Ok((T::from_f64_nearest(total / labels.len() as f64), grad))
}

/// One row of [`cross_entropy`]: the row's loss `ln Σ exp(z) − z[label]`. `label < z.len()`.
#[inline(always)]
fn row_loss<T: Real, const FMA: bool>(z: &[T], label: usize) -> T {
    let m = max_of(z);
    (m - z[label]) + ln_of_split(split_sum_exp_shifted::<T, FMA>(z, m))
}

simd_dispatch!(fn row_loss_simd => row_loss(z: &[T], label: usize) -> T);
simd_dispatch!(fn row_loss_grad_simd => row_loss_grad(z: &[T], label: usize, inv_n: T, g: &mut [MaybeUninit<T>]) -> T);

/// One row of [`softmax_cross_entropy`]: writes `(softmax(z) − onehot(label)) · inv_n` into
/// `g` and returns the row's loss `ln Σ exp(z) − z[label]`. `label < z.len()`.
#[inline(always)]
fn row_loss_grad<T: Real, const FMA: bool>(
    z: &[T],
    label: usize,
    inv_n: T,
    g: &mut [MaybeUninit<T>],
) -> T {
    let m = max_of(z);
    let (g, parts) = exp_shifted_split::<T, FMA>(z, m, g);
    let scale = inv_n / (parts.0 + parts.1);
    for v in g.iter_mut() {
        *v *= scale;
    }
    g[label] -= inv_n;
    (m - z[label]) + ln_of_split(parts)
}

/// `x` as `f64` (exact: `T` is `f32` or `f64`).
fn to_f64<T: Real>(x: T) -> f64 {
    x.to_f64().unwrap_or(f64::NAN)
}

/// The argument checks shared by both losses.
fn check<T, S: Data<Elem = T>>(
    op: &'static str,
    logits: &ArrayBase<S, Ix2>,
    labels: &[usize],
) -> Result<()> {
    let (n, classes) = logits.dim();
    if n == 0 {
        return Err(Error::InvalidShape {
            op,
            shape: logits.shape().to_vec(),
            expected: "at least one sample (the mean over an empty batch is undefined)".into(),
        });
    }
    if labels.len() != n {
        return Err(Error::IncompatibleShapes {
            op,
            lhs: logits.shape().to_vec(),
            rhs: vec![labels.len()],
        });
    }
    if let Some((i, &y)) = labels.iter().enumerate().find(|&(_, &y)| y >= classes) {
        return Err(Error::InvalidArgument {
            op,
            message: format!(
                "label {y} of sample {i} is out of range for {classes} classes (logits {:?})",
                logits.shape()
            ),
        });
    }
    Ok(())
}
