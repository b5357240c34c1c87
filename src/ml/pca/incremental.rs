//! Incremental PCA, batch for batch as scikit-learn's `IncrementalPCA` (Ross et al. 2008,
//! "Incremental learning for robust visual tracking", with the mean correction of its
//! section 3.2).
//!
//! | step per batch | what runs | routines |
//! |---|---|---|
//! | mean and variance | batch mean and per-feature sums of squares, Chan's update of the running ones | element-wise |
//! | stack | `[diag(s)·V_k; X_batch − x̄_batch; √(n_seen·n_batch/n_total)·(μ_old − x̄_batch)]` | copy |
//! | factor | thin SVD of the stacked (k + n_batch + 1) × d matrix, scikit-learn's sign flip | `?gesdd` |
//!
//! The first batch is the SVD of the centred batch alone. As in scikit-learn, the explained
//! variances are `s²/(n_total − 1)`, the ratios `s²` over the running total sum of squares,
//! and the noise variance the mean of the discarded `s²/(n_total − 1)` of the last batch
//! (0 when `n_components` equals that batch's size or the number of features).

use ndarray::{s, Array1, Array2, ArrayBase, Axis, Data, Ix2};

use super::{centred, flip_signs, scaled_mean, shifted_mean, FittedPca, PcaSolver};
use crate::layout::{check_dims, ensure_finite};
use crate::linalg::{self, Svd};
use crate::{Error, Real, Result};

const PARTIAL_FIT: &str = "IncrementalPca::partial_fit";
const FIT: &str = "IncrementalPca::fit";
const MODEL: &str = "IncrementalPca::model";

/// Incremental principal component analysis for data read in batches (scikit-learn's
/// `IncrementalPCA`): [`partial_fit`](Self::partial_fit) one batch at a time and read the
/// [`model`](Self::model), or [`fit`](Self::fit) a whole array in batches of
/// [`batch_size`](Self::batch_size) rows. Memory is O((k + batch) · n_features), independent
/// of the number of rows.
///
/// ```
/// use ndarray::{s, Array2};
/// use ndkit::ml::{IncrementalPca, Pca};
/// # fn main() -> ndkit::Result<()> {
/// let x = Array2::from_shape_fn((200, 5), |(i, j)| ((i * (j + 2)) % 13) as f64 + j as f64);
/// let mut ipca = IncrementalPca::new(2);
/// for rows in x.axis_chunks_iter(ndarray::Axis(0), 50) {
///     ipca.partial_fit(&rows)?;
/// }
/// let model = ipca.model()?;
/// let exact = Pca::new(2).fit(&x)?;
/// // The mean and the total variance are exact; the components approximate the exact PCA's.
/// assert!((&model.mean() - &exact.mean()).iter().all(|d| d.abs() < 1e-12));
/// assert_eq!(model.components().dim(), (2, 5));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct IncrementalPca<T: Real> {
    n_components: usize,
    whiten: bool,
    batch_size: Option<usize>,
    state: Option<State<T>>,
}

/// What one `partial_fit` leaves for the next.
#[derive(Debug, Clone)]
struct State<T> {
    count: usize,
    mean: Array1<T>,
    /// Per-feature Σ(x − μ)² over all rows seen.
    sum_squares: Array1<T>,
    /// k × d, signs fixed.
    components: Array2<T>,
    singular_values: Array1<T>,
    /// Mean of the discarded s² of the last batch (0 when none is discarded).
    discarded: T,
}

impl<T: Real> IncrementalPca<T> {
    /// An incremental PCA keeping `n_components` components, without whitening, with the
    /// default batch size of 5 × n_features for [`fit`](Self::fit).
    ///
    /// ```
    /// let ipca = ndkit::ml::IncrementalPca::<f64>::new(3);
    /// assert!(ipca.model().is_err()); // nothing fitted yet
    /// ```
    pub fn new(n_components: usize) -> Self {
        IncrementalPca {
            n_components,
            whiten: false,
            batch_size: None,
            state: None,
        }
    }

    /// Whether the model's `transform` scales each component to unit variance
    /// (scikit-learn's `whiten`).
    ///
    /// ```
    /// use ndarray::Array2;
    /// let x = Array2::from_shape_fn((40, 3), |(i, j)| ((i * 7 + j * 5) % 11) as f64);
    /// // One batch of all 40 rows: the exact components, so unit variance exactly.
    /// let model = ndkit::ml::IncrementalPca::new(2).whiten(true).batch_size(40).fit(&x)?;
    /// let z = model.transform(&x)?;
    /// let var0 = z.column(0).mapv(|v| v * v).sum() / 39.0;
    /// assert!((var0 - 1.0).abs() < 1e-10);
    /// # Ok::<(), ndkit::Error>(())
    /// ```
    pub fn whiten(self, whiten: bool) -> Self {
        IncrementalPca { whiten, ..self }
    }

    /// The number of rows per batch in [`fit`](Self::fit) (default 5 × n_features, as
    /// scikit-learn); 0 makes `fit` return an error.
    ///
    /// ```
    /// use ndarray::Array2;
    /// use ndkit::ml::IncrementalPca;
    /// let x = Array2::from_shape_fn((30, 4), |(i, j)| ((i + 3 * j) % 7) as f64);
    /// assert!(IncrementalPca::new(2).batch_size(10).fit(&x).is_ok());
    /// assert!(IncrementalPca::new(2).batch_size(0).fit(&x).is_err());
    /// ```
    pub fn batch_size(self, batch_size: usize) -> Self {
        IncrementalPca {
            batch_size: Some(batch_size),
            ..self
        }
    }

    /// Updates the model with one batch `x` (samples × features), as scikit-learn's
    /// `partial_fit`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when `n_components` is 0, exceeds n_features or the batch's
    /// number of rows; [`Error::IncompatibleShapes`] when `x` has a different number of
    /// features than earlier batches; [`Error::NonFinite`] for NaN/Inf entries;
    /// [`Error::NoConvergence`] if LAPACK fails. The state is unchanged on error.
    ///
    /// ```
    /// use ndarray::array;
    /// let mut ipca = ndkit::ml::IncrementalPca::new(1);
    /// ipca.partial_fit(&array![[1.0_f64, 2.0], [2.0, 4.1], [3.0, 6.0]])?;
    /// assert!(ipca.partial_fit(&array![[1.0, 2.0, 3.0]]).is_err()); // 3 features, not 2
    /// ipca.partial_fit(&array![[4.0, 8.2], [5.0, 9.9]])?;
    /// let mean = ipca.model()?.mean().to_owned();
    /// assert!((mean[0] - 3.0).abs() < 1e-12 && (mean[1] - 6.04).abs() < 1e-12);
    /// # Ok::<(), ndkit::Error>(())
    /// ```
    pub fn partial_fit<S: Data<Elem = T>>(&mut self, x: &ArrayBase<S, Ix2>) -> Result<()> {
        let next = self.next_state(x)?;
        self.state = Some(next);
        Ok(())
    }

    /// The state after batch `x`, without changing `self`.
    fn next_state<S: Data<Elem = T>>(&self, x: &ArrayBase<S, Ix2>) -> Result<State<T>> {
        let op = PARTIAL_FIT;
        let (n, d) = x.dim();
        check_dims(op, &[n, d])?;
        if let Some(state) = &self.state {
            if state.mean.len() != d {
                return Err(Error::IncompatibleShapes {
                    op,
                    lhs: x.shape().to_vec(),
                    rhs: vec![state.count, state.mean.len()],
                });
            }
        }
        let k = self.n_components;
        if k == 0 || k > d || k > n {
            return Err(Error::InvalidArgument {
                op,
                message: format!(
                    "n_components = {k} must be between 1 and both the number of features and \
                     the batch's number of samples (batch of shape [{n}, {d}])"
                ),
            });
        }
        let first = match shifted_mean(x) {
            first if first.iter().all(|m| m.is_finite()) => first,
            _ => {
                ensure_finite(op, x)?;
                scaled_mean(x)
            }
        };
        let (xc, batch_mean) = centred(x, &first);
        let batch_squares = xc.map_axis(Axis(0), |c| c.fold(T::zero(), |s, &v| s + v * v));
        let (count, mean, sum_squares, stacked) = match &self.state {
            None => (n, batch_mean, batch_squares, xc),
            Some(state) => {
                let total = state.count + n;
                let (na, nb, nt) = (state.count as f64, n as f64, total as f64);
                let delta = &batch_mean - &state.mean;
                let mean = &state.mean + &(&delta * T::from_f64_nearest(nb / nt));
                let cross = T::from_f64_nearest(na * nb / nt);
                let sum_squares =
                    &state.sum_squares + &batch_squares + &delta.mapv(|v| v * v * cross);
                let correction =
                    (&state.mean - &batch_mean) * T::from_f64_nearest((na / nt * nb).sqrt());
                let kp = state.components.nrows();
                let mut stacked = Array2::<T>::zeros((kp + n + 1, d));
                stacked.slice_mut(s![..kp, ..]).assign(
                    &(&state.components * &state.singular_values.view().insert_axis(Axis(1))),
                );
                stacked.slice_mut(s![kp..kp + n, ..]).assign(&xc);
                stacked.row_mut(kp + n).assign(&correction);
                (total, mean, sum_squares, stacked)
            }
        };
        let Svd { s, mut vt, .. } = linalg::svd(&stacked, false).map_err(|e| e.with_op(op))?;
        flip_signs(&mut vt);
        let discarded = if k != n && k != d && s.len() > k {
            let rest = s.slice(s![k..]);
            rest.fold(T::zero(), |acc, &v| acc + v * v) / T::from_f64_nearest(rest.len() as f64)
        } else {
            T::zero()
        };
        Ok(State {
            count,
            mean,
            sum_squares,
            components: vt.slice(s![..k, ..]).to_owned(),
            singular_values: s.slice(s![..k]).to_owned(),
            discarded,
        })
    }

    /// Fits `x` from scratch in batches of [`batch_size`](Self::batch_size) rows (earlier
    /// partial fits are discarded), with scikit-learn's `gen_batches(n, batch_size,
    /// min_batch_size=n_components)` rule — a last batch that would have fewer than
    /// `n_components` rows is joined to the one before — and returns the model.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a batch size of 0, and those of
    /// [`partial_fit`](Self::partial_fit) and [`model`](Self::model), named
    /// `"IncrementalPca::fit"`.
    ///
    /// ```
    /// use ndarray::Array2;
    /// use ndkit::ml::{IncrementalPca, Pca};
    /// # fn main() -> ndkit::Result<()> {
    /// let x = Array2::from_shape_fn((100, 4), |(i, j)| ((i * (2 * j + 1)) % 17) as f64);
    /// // One batch holding every row is the exact PCA.
    /// let once = IncrementalPca::new(2).batch_size(100).fit(&x)?;
    /// let exact = Pca::new(2).fit(&x)?;
    /// let diff = &once.explained_variance() - &exact.explained_variance();
    /// assert!(diff.iter().all(|d| d.abs() < 1e-10));
    /// # Ok(())
    /// # }
    /// ```
    pub fn fit<S: Data<Elem = T>>(mut self, x: &ArrayBase<S, Ix2>) -> Result<FittedPca<T>> {
        let (n, d) = x.dim();
        let batch = self.batch_size.unwrap_or(5 * d);
        if batch == 0 {
            return Err(Error::InvalidArgument {
                op: FIT,
                message: "batch_size must be at least 1".into(),
            });
        }
        self.state = None;
        for rows in gen_batches(n, batch, self.n_components) {
            self.partial_fit(&x.slice(s![rows, ..]))
                .map_err(|e| e.with_op(FIT))?;
        }
        self.model().map_err(|e| e.with_op(FIT))
    }

    /// The model fitted by the partial fits so far.
    ///
    /// # Errors
    /// [`Error::InvalidShape`] before any partial fit, or with fewer than 2 rows seen (the
    /// variances need n − 1 > 0).
    ///
    /// ```
    /// use ndarray::array;
    /// let mut ipca = ndkit::ml::IncrementalPca::new(1);
    /// assert!(ipca.model().is_err());
    /// ipca.partial_fit(&array![[0.0_f64, 0.0], [2.0, 2.0]])?;
    /// let model = ipca.model()?;
    /// assert!((model.explained_variance()[0] - 4.0).abs() < 1e-12);
    /// # Ok::<(), ndkit::Error>(())
    /// ```
    pub fn model(&self) -> Result<FittedPca<T>> {
        let state = match &self.state {
            Some(state) if state.count >= 2 => state,
            other => {
                let count = other.as_ref().map_or(0, |s| s.count);
                return Err(Error::InvalidShape {
                    op: MODEL,
                    shape: vec![count],
                    expected: "at least 2 samples seen by partial_fit (rows counted)".into(),
                });
            }
        };
        let dof = T::from_f64_nearest((state.count - 1) as f64);
        let explained_variance = state.singular_values.mapv(|v| v * v / dof);
        Ok(FittedPca::from_parts(
            state.components.clone(),
            explained_variance,
            state.singular_values.clone(),
            state.sum_squares.sum() / dof,
            state.mean.clone(),
            state.discarded / dof,
            self.whiten,
            PcaSolver::Full,
        ))
    }
}

/// scikit-learn's `gen_batches(n, batch_size, min_batch_size)`: consecutive slices of
/// `batch_size` rows, where a full batch is skipped (and so joined to the last) when fewer than
/// `min_batch_size` rows would remain after it, and the rest forms a last batch.
fn gen_batches(n: usize, batch_size: usize, min_batch_size: usize) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for _ in 0..n / batch_size {
        let end = start + batch_size;
        if end + min_batch_size > n {
            continue;
        }
        out.push(start..end);
        start = end;
    }
    if start < n {
        out.push(start..n);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::gen_batches;

    /// The same slices as scikit-learn's `gen_batches` (values from
    /// `list(gen_batches(n, b, min_batch_size=m))`).
    #[test]
    fn batches_as_scikit_learn() {
        assert_eq!(gen_batches(7, 3, 0), vec![0..3, 3..6, 6..7]);
        assert_eq!(gen_batches(7, 3, 2), vec![0..3, 3..7]);
        assert_eq!(gen_batches(6, 3, 3), vec![0..3, 3..6]);
        assert_eq!(gen_batches(2, 3, 1), vec![0..2]);
        assert_eq!(gen_batches(0, 3, 1), Vec::<std::ops::Range<usize>>::new());
        assert_eq!(
            gen_batches(1797, 299, 10),
            vec![
                0..299,
                299..598,
                598..897,
                897..1196,
                1196..1495,
                1495..1797
            ]
        );
    }
}
