//! The negative log-likelihood of log-probabilities (PyTorch's `F.nll_loss`), for a model
//! whose last layer is already a [`log_softmax`](crate::ml::log_softmax).
//!
//! `nll_loss(log_softmax(z), y)` equals `cross_entropy(z, y)`; `cross_entropy` takes the
//! logits `z` themselves. Passing probabilities (or logits) to `nll_loss` gives a meaningless
//! number, as in PyTorch: it reads `−log_probs[i, yᵢ]` and nothing else.

use ndarray::{Array2, ArrayBase, Data, Ix2};

use super::check;
use crate::{Real, Result};

/// The mean negative log-likelihood `−(1/n) Σᵢ log_probs[i, yᵢ]` of a batch of
/// log-probabilities (shape `(n, classes)`, e.g. from [`log_softmax`](crate::ml::log_softmax)
/// along axis 1) against integer labels (`F.nll_loss`, `reduction="mean"`). For logits use
/// [`cross_entropy`](crate::ml::cross_entropy).
///
/// # Errors
/// [`Error::InvalidShape`](crate::Error::InvalidShape) for an empty batch;
/// [`Error::IncompatibleShapes`](crate::Error::IncompatibleShapes) when `labels.len() != n`;
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for a label `≥ classes`.
///
/// ```
/// use ndarray::{array, Axis};
/// use ndkit::ml::{cross_entropy, log_softmax, nll_loss};
/// # fn main() -> ndkit::Result<()> {
/// let logits = array![[2.0_f64, -1.0, 0.5], [0.0, 3.0, 1.0]];
/// let nll = nll_loss(&log_softmax(&logits, Axis(1)), &[0, 2])?;
/// assert!((nll - cross_entropy(&logits, &[0, 2])?).abs() < 1e-15);
/// # Ok(())
/// # }
/// ```
pub fn nll_loss<T: Real, S: Data<Elem = T>>(
    log_probs: &ArrayBase<S, Ix2>,
    labels: &[usize],
) -> Result<T> {
    check("nll_loss", log_probs, labels)?;
    let total = labels
        .iter()
        .enumerate()
        .map(|(i, &y)| log_probs[[i, y]].to_f64().unwrap_or(f64::NAN))
        .sum::<f64>();
    Ok(T::from_f64_nearest(-total / labels.len() as f64))
}

/// [`nll_loss`] and its gradient with respect to `log_probs`: `−1/n` at `[i, yᵢ]`, zero
/// elsewhere (shape `(n, classes)`, C order).
///
/// # Errors
/// The same as [`nll_loss`].
///
/// ```
/// use ndarray::array;
/// # fn main() -> ndkit::Result<()> {
/// let (loss, grad) = ndkit::ml::nll_loss_grad(&array![[-0.5_f64, -1.0], [-2.0, -0.1]], &[1, 0])?;
/// assert_eq!(loss, 1.5);
/// assert_eq!(grad, array![[0.0, -0.5], [-0.5, 0.0]]);
/// # Ok(())
/// # }
/// ```
pub fn nll_loss_grad<T: Real, S: Data<Elem = T>>(
    log_probs: &ArrayBase<S, Ix2>,
    labels: &[usize],
) -> Result<(T, Array2<T>)> {
    check("nll_loss_grad", log_probs, labels)?;
    let loss = nll_loss(log_probs, labels)?;
    let neg_inv_n = -T::one() / T::from_f64_nearest(labels.len() as f64);
    let mut grad = Array2::zeros(log_probs.raw_dim());
    for (i, &y) in labels.iter().enumerate() {
        grad[[i, y]] = neg_inv_n;
    }
    Ok((loss, grad))
}
