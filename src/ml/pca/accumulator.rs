//! Exact, mergeable covariance statistics for data that does not fit one call or one machine.
//!
//! | step | what runs | routines |
//! |---|---|---|
//! | [`CovarianceAccumulator::update`] | the batch's mean and scatter Σ(x − x̄)(x − x̄)ᵀ (one blocked pass centred by the running mean, as [`PcaSolver::CovarianceEigh`]'s), then Chan's merge | `?syrk` |
//! | [`CovarianceAccumulator::merge`] | Chan, Golub & LeVeque's pairwise update | element-wise (d²/2) |
//! | [`CovarianceAccumulator::pca`] | the k leading eigenpairs of the covariance | `?syevr` |
//!
//! Chan's update combines two sets of `nₐ` and `n_b` rows with means `μₐ`, `μ_b` and scatter
//! matrices `Mₐ`, `M_b` (sums of outer products of the deviations from their own means) as
//! `n = nₐ + n_b`, `δ = μ_b − μₐ`, `μ = μₐ + δ·n_b/n`, `M = Mₐ + M_b + δδᵀ·nₐn_b/n`. Nothing
//! is ever summed as raw `Σxxᵀ`, so columns offset by 10⁶ (or 10¹²) lose no digits to
//! cancellation, and the result depends on how the rows were split and merged only by
//! rounding. This is how PCA runs in distributed engines (Spark's `RowMatrix` aggregates the
//! Gramian over partitions in a tree), with the numerically stable pairwise formula.
//!
//! With the `serde` cargo feature the accumulator is `Serialize + Deserialize`, so shards
//! computed in other processes or on other machines can be shipped and merged; deserialising
//! checks that the parts fit together.

use ndarray::{Array1, Array2, ArrayBase, Data, Ix2, ShapeBuilder};

use super::{covariance_spectrum, scaled_mean, scatter, shifted_mean, FittedPca, PcaSolver};
use crate::layout::{check_dims, ensure_finite};
use crate::{Error, Real, Result};

const UPDATE: &str = "CovarianceAccumulator::update";
const MERGE: &str = "CovarianceAccumulator::merge";
const COVARIANCE: &str = "CovarianceAccumulator::covariance";
const PCA: &str = "CovarianceAccumulator::pca";

/// Elements per block of rows handed to `?syrk` by [`CovarianceAccumulator::update`]: 512 KiB
/// of f64. The accumulator's batches are large and only the scatter matrix is wanted, so
/// longer rank-k updates (k = 1310 rows at 50 features) pay; measured on the (10⁶, 50)
/// benchmark in a noisy run: 0.48 of `np.cov` against 0.74 with `Pca`'s 128 KiB blocks.
const UPDATE_BLOCK: usize = 1 << 16;

/// Streaming, mergeable mean and covariance of rows with `n_features` columns: feed batches
/// with [`update`](Self::update), combine accumulators of other shards with
/// [`merge`](Self::merge), then read [`covariance`](Self::covariance) or fit
/// [`pca`](Self::pca). The results equal (to rounding) those of `ops::cov` /
/// `Pca::new(k).solver(PcaSolver::CovarianceEigh)` on all rows at once, however the rows were
/// split and merged.
///
/// ```
/// use ndarray::{array, s};
/// use ndkit::ml::CovarianceAccumulator;
/// # fn main() -> ndkit::Result<()> {
/// let x = array![[1.0_f64, 2.0], [3.0, 1.0], [0.0, 0.0], [4.0, 5.0], [2.0, 2.0]];
/// let mut left = CovarianceAccumulator::new(2);
/// left.update(&x.slice(s![..2, ..]))?;
/// let mut right = CovarianceAccumulator::new(2);
/// right.update(&x.slice(s![2.., ..]))?;
/// left.merge(&right)?;
/// assert_eq!(left.count(), 5);
/// let mut whole = CovarianceAccumulator::new(2);
/// whole.update(&x)?;
/// let diff = &left.covariance(1)? - &whole.covariance(1)?;
/// assert!(diff.iter().all(|d| d.abs() < 1e-14));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "Parts<T>", into = "Parts<T>"),
    serde(bound(
        serialize = "T: serde::Serialize + Clone",
        deserialize = "T: serde::Deserialize<'de>"
    ))
)]
pub struct CovarianceAccumulator<T: Real> {
    count: usize,
    mean: Array1<T>,
    /// The scatter matrix Σ(x − μ)(x − μ)ᵀ: its lower triangle, F order (upper triangle 0).
    scatter: Array2<T>,
}

impl<T: Real> CovarianceAccumulator<T> {
    /// An empty accumulator for rows of `n_features` columns.
    ///
    /// ```
    /// let acc = ndkit::ml::CovarianceAccumulator::<f32>::new(3);
    /// assert_eq!(acc.count(), 0);
    /// assert!(acc.mean().iter().all(|m| m.is_nan()));
    /// ```
    pub fn new(n_features: usize) -> Self {
        CovarianceAccumulator {
            count: 0,
            mean: Array1::zeros(n_features),
            scatter: Array2::zeros((n_features, n_features).f()),
        }
    }

    /// The number of columns.
    fn n_features(&self) -> usize {
        self.mean.len()
    }

    /// Adds the rows of `x` (samples × n_features, any layout). An empty batch changes
    /// nothing.
    ///
    /// # Errors
    /// [`Error::IncompatibleShapes`] when `x` does not have n_features columns;
    /// [`Error::NonFinite`] for NaN/Inf entries; [`Error::TooLarge`] beyond BLAS's 32-bit
    /// integers. The accumulator is unchanged on error.
    ///
    /// ```
    /// use ndarray::array;
    /// # fn main() -> ndkit::Result<()> {
    /// let mut acc = ndkit::ml::CovarianceAccumulator::new(2);
    /// acc.update(&array![[1e6_f64, 1.0], [1e6 + 2.0, 3.0]])?;
    /// assert_eq!(acc.mean(), array![1e6 + 1.0, 2.0]);
    /// assert!(acc.update(&array![[1.0, 2.0, 3.0]]).is_err());
    /// # Ok(())
    /// # }
    /// ```
    pub fn update<S: Data<Elem = T>>(&mut self, x: &ArrayBase<S, Ix2>) -> Result<()> {
        let (n, d) = x.dim();
        if d != self.n_features() {
            return Err(Error::IncompatibleShapes {
                op: UPDATE,
                lhs: x.shape().to_vec(),
                rhs: vec![self.count, self.n_features()],
            });
        }
        check_dims(UPDATE, &[n, d])?;
        if n == 0 {
            return Ok(());
        }
        // Once rows have been seen, the running mean is the shift that centres the batch: for
        // batches of one distribution it is within a standard error of the batch's mean, so
        // the scatter pass alone gives the batch's statistics (one read of `x`). The
        // correction n·r·rᵀ of that pass (r = batch mean − shift) then loses at most one bit
        // to cancellation as long as n·rⱼ² ≤ Mⱼⱼ in every column; otherwise (a batch far from
        // the running mean, a constant column, NaN) the batch is centred by its own mean
        // estimate first, as for the first batch.
        let one_pass = if self.count > 0 {
            let (m2, mean) = scatter(UPDATE, x, &self.mean, UPDATE_BLOCK)?;
            let count = T::from_f64_nearest(n as f64);
            let centred_enough = (0..d).all(|j| {
                let r = mean[j] - self.mean[j];
                count * r * r <= m2[[j, j]]
            });
            centred_enough.then_some((m2, mean))
        } else {
            None
        };
        let (m2, mean) = match one_pass {
            Some(stats) => stats,
            None => {
                let first = match shifted_mean(x) {
                    first if first.iter().all(|m| m.is_finite()) => first,
                    _ => {
                        ensure_finite(UPDATE, x)?;
                        scaled_mean(x)
                    }
                };
                scatter(UPDATE, x, &first, UPDATE_BLOCK)?
            }
        };
        let batch = CovarianceAccumulator {
            count: n,
            mean,
            scatter: m2,
        };
        self.combine(&batch);
        Ok(())
    }

    /// Adds the rows summarised by `other` (another shard), by Chan's pairwise update.
    ///
    /// # Errors
    /// [`Error::IncompatibleShapes`] when the two have different numbers of features.
    ///
    /// ```
    /// use ndarray::array;
    /// use ndkit::ml::CovarianceAccumulator;
    /// # fn main() -> ndkit::Result<()> {
    /// let (mut a, mut b) = (CovarianceAccumulator::new(1), CovarianceAccumulator::new(1));
    /// a.update(&array![[1.0_f64], [3.0]])?;
    /// b.update(&array![[5.0], [7.0]])?;
    /// a.merge(&b)?;
    /// assert_eq!((a.count(), a.mean()[0]), (4, 4.0));
    /// assert!((a.covariance(1)?[[0, 0]] - 20.0 / 3.0).abs() < 1e-14);
    /// assert!(a.merge(&CovarianceAccumulator::new(2)).is_err());
    /// # Ok(())
    /// # }
    /// ```
    pub fn merge(&mut self, other: &Self) -> Result<()> {
        if other.n_features() != self.n_features() {
            return Err(Error::IncompatibleShapes {
                op: MERGE,
                lhs: vec![self.count, self.n_features()],
                rhs: vec![other.count, other.n_features()],
            });
        }
        self.combine(other);
        Ok(())
    }

    /// Chan's update of `self` by `other` (same number of features).
    fn combine(&mut self, other: &Self) {
        if other.count == 0 {
            return;
        }
        if self.count == 0 {
            self.clone_from(other);
            return;
        }
        let (na, nb) = (self.count as f64, other.count as f64);
        let n = self.count + other.count;
        let delta = &other.mean - &self.mean;
        let weight = T::from_f64_nearest(nb / n as f64);
        let cross = T::from_f64_nearest(na * nb / n as f64);
        let d = self.n_features();
        for j in 0..d {
            let dj = delta[j] * cross;
            for i in j..d {
                self.scatter[[i, j]] += other.scatter[[i, j]] + delta[i] * dj;
            }
        }
        self.mean.scaled_add(weight, &delta);
        self.count = n;
    }

    /// The number of rows seen.
    ///
    /// ```
    /// let mut acc = ndkit::ml::CovarianceAccumulator::new(2);
    /// acc.update(&ndarray::Array2::<f64>::zeros((7, 2)))?;
    /// assert_eq!(acc.count(), 7);
    /// # Ok::<(), ndkit::Error>(())
    /// ```
    pub fn count(&self) -> usize {
        self.count
    }

    /// The per-feature mean of the rows seen (NaN while none has been, as `np.mean` of an
    /// empty array).
    ///
    /// ```
    /// use ndarray::array;
    /// let mut acc = ndkit::ml::CovarianceAccumulator::new(2);
    /// acc.update(&array![[1.0_f32, 4.0], [3.0, 8.0]])?;
    /// assert_eq!(acc.mean(), array![2.0, 6.0]);
    /// # Ok::<(), ndkit::Error>(())
    /// ```
    pub fn mean(&self) -> Array1<T> {
        if self.count == 0 {
            Array1::from_elem(self.n_features(), T::nan())
        } else {
            self.mean.clone()
        }
    }

    /// The covariance matrix of the rows seen, `Σ(x − μ)(x − μ)ᵀ / (count − ddof)`
    /// (`np.cov(x, rowvar=False, ddof=ddof)`), symmetric, n_features × n_features.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when `count ≤ ddof` (NumPy returns inf/NaN with a warning).
    ///
    /// ```
    /// use ndarray::array;
    /// let mut acc = ndkit::ml::CovarianceAccumulator::new(2);
    /// acc.update(&array![[0.0_f64, 0.0], [2.0, 4.0]])?;
    /// assert_eq!(acc.covariance(1)?, array![[2.0, 4.0], [4.0, 8.0]]);
    /// assert_eq!(acc.covariance(0)?, array![[1.0, 2.0], [2.0, 4.0]]);
    /// assert!(acc.covariance(2).is_err());
    /// # Ok::<(), ndkit::Error>(())
    /// ```
    pub fn covariance(&self, ddof: usize) -> Result<Array2<T>> {
        if self.count <= ddof {
            return Err(Error::InvalidArgument {
                op: COVARIANCE,
                message: format!(
                    "ddof = {ddof} needs more than {ddof} samples, {} seen",
                    self.count
                ),
            });
        }
        let scale = T::one() / T::from_f64_nearest((self.count - ddof) as f64);
        let d = self.n_features();
        Ok(Array2::from_shape_fn((d, d), |(i, j)| {
            let (i, j) = if i >= j { (i, j) } else { (j, i) };
            self.scatter[[i, j]] * scale
        }))
    }

    /// The principal components of the rows seen, as
    /// `Pca::new(n_components).whiten(whiten).solver(PcaSolver::CovarianceEigh).fit(all rows)`
    /// would compute them (the covariance with the n − 1 denominator, its `n_components`
    /// leading eigenpairs by `?syevr`, scikit-learn's sign convention); the result reports
    /// [`PcaSolver::CovarianceEigh`].
    ///
    /// # Errors
    /// [`Error::InvalidShape`] for fewer than 2 rows seen; [`Error::InvalidArgument`] when
    /// `n_components` is 0 or exceeds min(count, n_features); [`Error::NoConvergence`] if
    /// LAPACK fails.
    ///
    /// ```
    /// use ndarray::array;
    /// use ndkit::ml::{CovarianceAccumulator, Pca, PcaSolver};
    /// # fn main() -> ndkit::Result<()> {
    /// let x = array![[2.0_f64, 0.1], [0.0, 1.0], [-2.0, 0.0], [0.0, -1.0], [0.5, 0.5]];
    /// let mut acc = CovarianceAccumulator::new(2);
    /// acc.update(&x)?;
    /// let streamed = acc.pca(1, false)?;
    /// let direct = Pca::new(1).solver(PcaSolver::CovarianceEigh).fit(&x)?;
    /// let diff = &streamed.components() - &direct.components();
    /// assert!(diff.iter().all(|d| d.abs() < 1e-12));
    /// # Ok(())
    /// # }
    /// ```
    pub fn pca(&self, n_components: usize, whiten: bool) -> Result<FittedPca<T>> {
        let (n, d) = (self.count, self.n_features());
        if n < 2 {
            return Err(Error::InvalidShape {
                op: PCA,
                shape: vec![n, d],
                expected: "at least 2 samples (rows) to estimate a variance".into(),
            });
        }
        let k = n_components;
        if k == 0 || k > n.min(d) {
            return Err(Error::InvalidArgument {
                op: PCA,
                message: format!(
                    "n_components = {k} must be between 1 and min(n_samples, n_features) = {} \
                     for {n} samples of {d} features",
                    n.min(d)
                ),
            });
        }
        let scale = T::one() / T::from_f64_nearest((n - 1) as f64);
        let mut cov = self.scatter.clone();
        for j in 0..d {
            for i in j..d {
                cov[[i, j]] *= scale;
            }
        }
        let spectrum = covariance_spectrum(PCA, cov, n, k)?;
        Ok(FittedPca::from_spectrum(
            spectrum,
            self.mean.clone(),
            whiten,
            PcaSolver::CovarianceEigh,
            (n.min(d), d),
        ))
    }
}

/// The serialised form of a [`CovarianceAccumulator`], checked on the way back in.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
struct Parts<T> {
    count: usize,
    mean: Vec<T>,
    /// The lower triangle of the scatter matrix, column after column.
    scatter_lower: Vec<T>,
}

#[cfg(feature = "serde")]
impl<T: Real> From<CovarianceAccumulator<T>> for Parts<T> {
    fn from(acc: CovarianceAccumulator<T>) -> Parts<T> {
        let d = acc.n_features();
        let scatter_lower = (0..d)
            .flat_map(|j| (j..d).map(move |i| (i, j)))
            .map(|ij| acc.scatter[ij])
            .collect();
        Parts {
            count: acc.count,
            mean: acc.mean.to_vec(),
            scatter_lower,
        }
    }
}

#[cfg(feature = "serde")]
impl<T: Real> TryFrom<Parts<T>> for CovarianceAccumulator<T> {
    type Error = Error;
    fn try_from(parts: Parts<T>) -> Result<Self> {
        let d = parts.mean.len();
        if parts.scatter_lower.len() != d * (d + 1) / 2 {
            return Err(Error::InvalidShape {
                op: "CovarianceAccumulator::deserialize",
                shape: vec![parts.scatter_lower.len()],
                expected: format!(
                    "the {} entries of the lower triangle of a {d}×{d} scatter matrix",
                    d * (d + 1) / 2
                ),
            });
        }
        let mut acc = CovarianceAccumulator::new(d);
        let mut values = parts.scatter_lower.into_iter();
        for j in 0..d {
            for i in j..d {
                acc.scatter[[i, j]] = values.next().unwrap_or_else(T::nan);
            }
        }
        acc.mean = Array1::from(parts.mean);
        acc.count = parts.count;
        Ok(acc)
    }
}
