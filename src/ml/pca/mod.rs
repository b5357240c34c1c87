//! Principal component analysis with scikit-learn's conventions (`sklearn.decomposition.PCA`).
//!
//! | solver | what runs | routines |
//! |---|---|---|
//! | [`PcaSolver::Full`] | thin SVD of the centred data | `?gesdd` |
//! | [`PcaSolver::CovarianceEigh`] | d×d covariance Xcᵀ·Xc/(n−1) by rank-k updates over blocks of centred rows (one pass over the data after the mean's), then its k leading eigenpairs | `?syrk`, `?syevr` |
//! | [`PcaSolver::Randomized`] | Halko–Martinsson–Tropp range finder, power iterations re-orthonormalised by QR, SVD of the small projection | `?gemm`, `?geqrf` + `?orgqr`, `?gesdd` |
//! | [`FittedPca::transform`], [`FittedPca::inverse_transform`] | one product with the components | `?gemm` |
//! | [`IncrementalPca`] (`incremental.rs`) | per batch: Chan's mean/variance update, thin SVD of the stacked previous components, centred batch and mean correction (scikit-learn's `IncrementalPCA`) | `?gesdd` |
//! | [`CovarianceAccumulator`] (`accumulator.rs`) | per batch: blocked scatter matrix, Chan's pairwise merge; then the covariance's k leading eigenpairs | `?syrk`, `?syevr` |
//!
//! Conventions, as scikit-learn: the data are centred (the mean is kept and subtracted again by
//! `transform`); `explained_variance` uses the n−1 denominator; `explained_variance_ratio` is
//! over the total variance of the data, not just of the kept components; in each component the
//! entry of largest absolute value is positive (scikit-learn's `svd_flip` with
//! `u_based_decision=False`), so results do not depend on the LAPACK build.

mod accumulator;
mod incremental;
mod solvers;

pub use self::accumulator::CovarianceAccumulator;
pub use self::incremental::IncrementalPca;

use ndarray::{s, Array1, Array2, ArrayBase, ArrayView1, ArrayView2, Axis, Data, Ix2};

use self::solvers::{covariance_eigh, full, randomized};
pub(crate) use self::solvers::{covariance_spectrum, flip_signs, Spectrum};
use crate::layout::{check_dims, ensure_finite};
use crate::linalg;
use crate::moments::{centred, scaled_mean, scatter, shifted_mean};
use crate::{Error, Real, Result};

const FIT: &str = "Pca::fit";
const TRANSFORM: &str = "FittedPca::transform";
const INVERSE: &str = "FittedPca::inverse_transform";

/// How [`Pca::fit`] computes the principal components.
///
/// ```
/// use ndkit::ml::{Pca, PcaSolver};
///
/// let x = ndarray::Array2::from_shape_fn((60, 8), |(i, j)| ((i * (j + 3)) % 17) as f64);
/// let solver = PcaSolver::Randomized { oversample: 10, n_iter: 4, seed: 0 };
/// let randomized = Pca::new(2).solver(solver).fit(&x)?;
/// let full = Pca::new(2).solver(PcaSolver::Full).fit(&x)?;
/// // The sketch of 2 + 10 columns spans all 8 features here, so the result is exact.
/// let diff = &randomized.components() - &full.components();
/// assert!(diff.iter().all(|d| d.abs() < 1e-10));
/// assert_eq!(randomized.solver(), solver);
/// # Ok::<(), ndkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PcaSolver {
    /// Chosen from the data's shape as scikit-learn ≥ 1.5 does: `CovarianceEigh` when
    /// n_features ≤ 1000 and n_samples ≥ 10·n_features; otherwise `Full` when both dimensions
    /// are ≤ 500; otherwise `Randomized` (10 oversamples, 7 power iterations if
    /// n_components < 0.1·min(n_samples, n_features) else 4, seed 0) when
    /// n_components < 0.8·min(n_samples, n_features); otherwise `Full`.
    Auto,
    /// Thin SVD of the centred data (`?gesdd`): exact, O(n·d·min(n, d)).
    Full,
    /// Eigendecomposition of the d×d covariance matrix (`?syrk` + `?syevr`): the fastest for
    /// n_samples ≫ n_features. Squaring the data halves the relative accuracy of the smallest
    /// components; the leading ones are as accurate as `Full`.
    CovarianceEigh,
    /// Randomized truncated SVD (Halko, Martinsson & Tropp 2011, algorithms 4.4 and 5.1):
    /// a Gaussian test matrix of n_components + `oversample` columns (drawn from `seed`),
    /// `n_iter` power iterations each re-orthonormalised by QR, then an exact SVD of the small
    /// projected matrix. For n_components ≪ min(n_samples, n_features).
    Randomized {
        /// Extra columns of the random test matrix (scikit-learn's default is 10).
        oversample: usize,
        /// Number of power iterations (scikit-learn's default is 4, or 7 for very few
        /// components).
        n_iter: usize,
        /// Seed of the random test matrix, so results are reproducible.
        seed: u64,
    },
}

/// Principal component analysis: a checked builder of the hyper-parameters; [`Pca::fit`] gives a
/// [`FittedPca`].
///
/// ```
/// use ndarray::array;
/// use ndkit::ml::Pca;
///
/// let x = array![[2.0_f64, 0.0], [0.0, 1.0], [-2.0, 0.0], [0.0, -1.0]];
/// let pca = Pca::new(1).fit(&x)?;
/// // The direction of largest variance is the first axis, with variance 8/3.
/// assert!((pca.components()[[0, 0]] - 1.0).abs() < 1e-12);
/// assert!((pca.explained_variance()[0] - 8.0 / 3.0).abs() < 1e-12);
/// assert!((pca.explained_variance_ratio()[0] - 0.8).abs() < 1e-12);
/// # Ok::<(), ndkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pca {
    n_components: usize,
    /// Set by [`Pca::with_variance`]: keep the fewest components explaining more than this
    /// fraction of the variance (`n_components` is then unused).
    variance: Option<f64>,
    whiten: bool,
    solver: PcaSolver,
}

impl Pca {
    /// A PCA keeping `n_components` components, without whitening, with [`PcaSolver::Auto`].
    /// The number is checked against the data by [`Pca::fit`].
    ///
    /// ```
    /// let pca = ndkit::ml::Pca::new(3);
    /// # let _ = pca;
    /// ```
    pub fn new(n_components: usize) -> Pca {
        Pca {
            n_components,
            variance: None,
            whiten: false,
            solver: PcaSolver::Auto,
        }
    }

    /// A PCA keeping the smallest number of components whose cumulative explained-variance
    /// ratio exceeds `fraction` (scikit-learn's `PCA(n_components=0.95)`), without whitening,
    /// with [`PcaSolver::Auto`]. `fraction` must lie strictly between 0 and 1, which
    /// [`Pca::fit`] checks. The whole spectrum is needed to count the components, so `Auto`
    /// picks `CovarianceEigh` for tall data and `Full` otherwise (never `Randomized`, as in
    /// scikit-learn, which rejects a fraction with the randomized solver; so does `fit`).
    ///
    /// ```
    /// use ndarray::array;
    /// use ndkit::ml::Pca;
    /// // Variances 8/3 and 2/3 along the axes: the first component explains 80 %.
    /// let x = array![[2.0_f64, 0.0], [0.0, 1.0], [-2.0, 0.0], [0.0, -1.0]];
    /// assert_eq!(Pca::with_variance(0.75).fit(&x)?.components().nrows(), 1);
    /// assert_eq!(Pca::with_variance(0.85).fit(&x)?.components().nrows(), 2);
    /// assert!(Pca::with_variance(1.0).fit(&x).is_err());
    /// # Ok::<(), ndkit::Error>(())
    /// ```
    pub fn with_variance(fraction: f64) -> Pca {
        Pca {
            variance: Some(fraction),
            ..Pca::new(0)
        }
    }

    /// Whether [`FittedPca::transform`] scales each component to unit variance (scikit-learn's
    /// `whiten`).
    ///
    /// ```
    /// use ndarray::array;
    /// let x = array![[1.0_f64, 2.0], [3.0, 1.0], [0.0, 0.0], [4.0, 5.0]];
    /// let pca = ndkit::ml::Pca::new(2).whiten(true).fit(&x)?;
    /// let z = pca.transform(&x)?;
    /// let var0 = z.column(0).mapv(|v| v * v).sum() / 3.0;
    /// assert!((var0 - 1.0).abs() < 1e-12);
    /// # Ok::<(), ndkit::Error>(())
    /// ```
    pub fn whiten(self, whiten: bool) -> Pca {
        Pca { whiten, ..self }
    }

    /// The algorithm [`Pca::fit`] uses (default [`PcaSolver::Auto`]).
    ///
    /// ```
    /// use ndarray::array;
    /// use ndkit::ml::{Pca, PcaSolver};
    /// let x = array![[1.0_f64, 2.0], [3.0, 1.0], [0.0, 0.0], [4.0, 5.0]];
    /// let full = Pca::new(1).solver(PcaSolver::Full).fit(&x)?;
    /// let eigh = Pca::new(1).solver(PcaSolver::CovarianceEigh).fit(&x)?;
    /// assert!((full.explained_variance()[0] - eigh.explained_variance()[0]).abs() < 1e-12);
    /// # Ok::<(), ndkit::Error>(())
    /// ```
    pub fn solver(self, solver: PcaSolver) -> Pca {
        Pca { solver, ..self }
    }

    /// The solver [`PcaSolver::Auto`] resolves to for `n_samples × n_features` data.
    fn resolve(&self, n_samples: usize, n_features: usize) -> PcaSolver {
        match self.solver {
            PcaSolver::Auto if self.variance.is_some() => {
                if n_features <= 1000 && n_samples >= 10 * n_features {
                    PcaSolver::CovarianceEigh
                } else {
                    PcaSolver::Full
                }
            }
            PcaSolver::Auto => {
                let smaller = n_samples.min(n_features) as f64;
                let k = self.n_components as f64;
                if n_features <= 1000 && n_samples >= 10 * n_features {
                    PcaSolver::CovarianceEigh
                } else if n_samples.max(n_features) <= 500 {
                    PcaSolver::Full
                } else if k < 0.8 * smaller {
                    PcaSolver::Randomized {
                        oversample: 10,
                        n_iter: if k < 0.1 * smaller { 7 } else { 4 },
                        seed: 0,
                    }
                } else {
                    PcaSolver::Full
                }
            }
            chosen => chosen,
        }
    }

    /// Fits the principal components of `x` (samples × features).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when `n_components` is 0 or exceeds
    /// min(n_samples, n_features), or for [`Pca::with_variance`] when the fraction is not
    /// strictly between 0 and 1 or the solver is `Randomized`; [`Error::InvalidShape`] for
    /// fewer than 2 samples;
    /// [`Error::NonFinite`] for NaN/Inf entries; [`Error::TooLarge`] for dimensions beyond
    /// LAPACK's 32-bit integers; [`Error::NoConvergence`] if LAPACK fails. All name
    /// `"Pca::fit"`.
    ///
    /// ```
    /// use ndarray::array;
    /// use ndkit::ml::Pca;
    ///
    /// let x = array![[1.0_f32, 1.0], [2.0, 2.0], [3.0, 3.0]];
    /// let pca = Pca::new(1).fit(&x)?;
    /// let h = std::f32::consts::FRAC_1_SQRT_2;
    /// assert!((pca.components()[[0, 0]] - h).abs() < 1e-6);
    /// assert!((pca.explained_variance_ratio()[0] - 1.0).abs() < 1e-6);
    /// assert!(Pca::new(3).fit(&x).is_err()); // at most min(3, 2) components
    /// # Ok::<(), ndkit::Error>(())
    /// ```
    pub fn fit<T: Real, S: Data<Elem = T>>(&self, x: &ArrayBase<S, Ix2>) -> Result<FittedPca<T>> {
        let (n, d) = x.dim();
        check_dims(FIT, &[n, d])?;
        if n < 2 {
            return Err(Error::InvalidShape {
                op: FIT,
                shape: vec![n, d],
                expected: "at least 2 samples (rows) to estimate a variance".into(),
            });
        }
        let all = n.min(d);
        let k = match self.variance {
            Some(fraction) => {
                if !(fraction > 0.0 && fraction < 1.0) {
                    return Err(Error::InvalidArgument {
                        op: FIT,
                        message: format!(
                            "the explained-variance fraction {fraction} must lie strictly \
                             between 0 and 1"
                        ),
                    });
                }
                if let PcaSolver::Randomized { .. } = self.solver {
                    return Err(Error::InvalidArgument {
                        op: FIT,
                        message: "an explained-variance fraction needs the whole spectrum: \
                                  use the Full or CovarianceEigh solver, not Randomized"
                            .into(),
                    });
                }
                all
            }
            None => self.n_components,
        };
        if k == 0 || k > all {
            return Err(Error::InvalidArgument {
                op: FIT,
                message: format!(
                    "n_components = {k} must be between 1 and min(n_samples, n_features) = {} \
                     for data of shape [{n}, {d}]",
                    n.min(d)
                ),
            });
        }
        // A NaN or ±∞ entry makes its column's mean non-finite, so only then is the data
        // scanned for one. Finite data get there too when the sums of differences overflow
        // (entries near the largest finite value): their mean is then taken as Σ x/n, which
        // cannot overflow.
        let first = match shifted_mean(x) {
            first if first.iter().all(|m| m.is_finite()) => first,
            _ => {
                ensure_finite(FIT, x)?;
                scaled_mean(x)
            }
        };
        let solver = self.resolve(n, d);
        let (spectrum, mean) = match solver {
            PcaSolver::Full | PcaSolver::Auto => {
                let (xc, mean) = centred(x, &first);
                full(&xc, k).map(|spectrum| (spectrum, mean))
            }
            PcaSolver::CovarianceEigh => covariance_eigh(x, &first, k),
            PcaSolver::Randomized {
                oversample,
                n_iter,
                seed,
            } => {
                let (xc, mean) = centred(x, &first);
                randomized(&xc, k, oversample, n_iter, seed).map(|spectrum| (spectrum, mean))
            }
        }
        .map_err(|e| e.with_op(FIT))?;
        let spectrum = match self.variance {
            Some(fraction) => keep_fraction(spectrum, fraction),
            None => spectrum,
        };
        // scikit-learn's noise_variance_: the mean of the discarded variances, over the
        // min(n, d) of the SVD (d for the covariance eigendecomposition, as its spectrum has d
        // entries).
        let spectrum_len = if solver == PcaSolver::CovarianceEigh {
            d
        } else {
            all
        };
        Ok(FittedPca::from_spectrum(
            spectrum,
            mean,
            self.whiten,
            solver,
            (all, spectrum_len),
        ))
    }
}

/// The leading components of `spectrum` (which holds all of them) whose cumulative
/// explained-variance ratio first exceeds `fraction` (scikit-learn's
/// `searchsorted(cumsum(ratio), fraction, side="right") + 1`, at most all of them).
fn keep_fraction<T: Real>(spectrum: Spectrum<T>, fraction: f64) -> Spectrum<T> {
    let total = spectrum.total_variance.to_f64().unwrap_or(f64::NAN);
    let mut cumulative = 0.0_f64;
    let ratios = spectrum
        .explained_variance
        .iter()
        .map(|v| v.to_f64().unwrap_or(f64::NAN) / total);
    let at_or_below = ratios
        .take_while(|r| {
            cumulative += r;
            cumulative <= fraction
        })
        .count();
    let k = (at_or_below + 1).min(spectrum.explained_variance.len());
    Spectrum {
        components: spectrum.components.slice(s![..k, ..]).to_owned(),
        singular_values: spectrum.singular_values.slice(s![..k]).to_owned(),
        explained_variance: spectrum.explained_variance.slice(s![..k]).to_owned(),
        total_variance: spectrum.total_variance,
    }
}

/// A fitted PCA, from [`Pca::fit`]: the components and their variances, and the maps into and
/// out of component space.
///
/// ```
/// use ndarray::array;
/// use ndkit::ml::Pca;
///
/// let x = array![[1.0_f64, 2.0, 0.5], [3.0, 1.0, 0.0], [0.0, 0.0, 1.0], [4.0, 5.0, 2.0]];
/// let pca = Pca::new(3).fit(&x)?;
/// // With every component kept, transform and inverse_transform are inverse maps.
/// let back = pca.inverse_transform(&pca.transform(&x)?)?;
/// assert!((back - &x).iter().all(|e| e.abs() < 1e-12));
/// # Ok::<(), ndkit::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct FittedPca<T: Real> {
    components: Array2<T>,
    explained_variance: Array1<T>,
    explained_variance_ratio: Array1<T>,
    singular_values: Array1<T>,
    mean: Array1<T>,
    /// sqrt(explained_variance), clipped below at ε: the whitening scale.
    scale: Array1<T>,
    noise_variance: T,
    whiten: bool,
    solver: PcaSolver,
}

impl<T: Real> FittedPca<T> {
    /// The fitted model from a solver's spectrum (signs not yet fixed) and the mean.
    /// `(smaller, spectrum_len)`: min(n_samples, n_features), and the length of the whole
    /// spectrum the discarded variances are averaged over for the noise variance
    /// (scikit-learn's `noise_variance_`: `(total − Σ kept) / (spectrum_len − k)` when
    /// k < min(n, d), else 0).
    pub(crate) fn from_spectrum(
        spectrum: Spectrum<T>,
        mean: Array1<T>,
        whiten: bool,
        solver: PcaSolver,
        (smaller, spectrum_len): (usize, usize),
    ) -> FittedPca<T> {
        let Spectrum {
            mut components,
            singular_values,
            explained_variance,
            total_variance,
        } = spectrum;
        flip_signs(&mut components);
        let k = explained_variance.len();
        let noise_variance = if k < smaller {
            let rest = total_variance - explained_variance.sum();
            (rest / T::from_f64_nearest((spectrum_len - k) as f64)).max(T::zero())
        } else {
            T::zero()
        };
        FittedPca::from_parts(
            components,
            explained_variance,
            singular_values,
            total_variance,
            mean,
            noise_variance,
            whiten,
            solver,
        )
    }

    /// The fitted model from its parts, `components` with their signs fixed.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn from_parts(
        components: Array2<T>,
        explained_variance: Array1<T>,
        singular_values: Array1<T>,
        total_variance: T,
        mean: Array1<T>,
        noise_variance: T,
        whiten: bool,
        solver: PcaSolver,
    ) -> FittedPca<T> {
        let explained_variance_ratio = explained_variance.mapv(|v| v / total_variance);
        // scikit-learn clips the whitening scale at ε so that (near-)zero-variance components
        // give large but finite values instead of Inf/NaN.
        let scale = explained_variance.mapv(|v| v.sqrt().max(T::epsilon()));
        FittedPca {
            components,
            explained_variance,
            explained_variance_ratio,
            singular_values,
            mean,
            scale,
            noise_variance,
            whiten,
            solver,
        }
    }

    /// The estimated noise covariance of the probabilistic PCA model (scikit-learn's
    /// `noise_variance_`): the mean of the variances of the discarded components — over
    /// min(n_samples, n_features) components (n_features for the covariance solver) — and 0
    /// when every component is kept.
    ///
    /// ```
    /// use ndarray::array;
    /// let x = array![[2.0_f64, 0.0, 0.0], [-2.0, 0.0, 0.0], [0.0, 1.0, 0.5], [0.0, -1.0, -0.5]];
    /// let pca = ndkit::ml::Pca::new(1).fit(&x)?;
    /// // Variances 8/3, 5/6, 0: the two discarded average 5/12.
    /// assert!((pca.noise_variance() - 5.0 / 12.0).abs() < 1e-12);
    /// assert_eq!(ndkit::ml::Pca::new(3).fit(&x)?.noise_variance(), 0.0);
    /// # Ok::<(), ndkit::Error>(())
    /// ```
    pub fn noise_variance(&self) -> T {
        self.noise_variance
    }

    /// The principal axes, n_components × n_features: orthonormal rows, by decreasing
    /// explained variance; in each row the entry of largest absolute value is positive
    /// (scikit-learn's `components_`).
    ///
    /// ```
    /// use ndarray::array;
    /// let x = array![[0.0_f64, -1.0], [0.0, 1.0], [0.1, 0.0], [-0.1, 0.0]];
    /// let pca = ndkit::ml::Pca::new(2).fit(&x)?;
    /// assert!((pca.components()[[0, 1]] - 1.0).abs() < 1e-12);
    /// # Ok::<(), ndkit::Error>(())
    /// ```
    pub fn components(&self) -> ArrayView2<'_, T> {
        self.components.view()
    }

    /// The variance of the data along each component, with the n−1 denominator
    /// (scikit-learn's `explained_variance_`), descending.
    ///
    /// ```
    /// use ndarray::array;
    /// let x = array![[1.0_f64, 0.0], [-1.0, 0.0], [0.0, 0.5], [0.0, -0.5]];
    /// let pca = ndkit::ml::Pca::new(2).fit(&x)?;
    /// assert!((pca.explained_variance()[0] - 2.0 / 3.0).abs() < 1e-12);
    /// # Ok::<(), ndkit::Error>(())
    /// ```
    pub fn explained_variance(&self) -> ArrayView1<'_, T> {
        self.explained_variance.view()
    }

    /// Each component's share of the total variance of the data (over all features, not just
    /// the kept components; scikit-learn's `explained_variance_ratio_`). NaN (0/0) when the
    /// data have no variance at all (every row the same), as in scikit-learn.
    ///
    /// ```
    /// use ndarray::array;
    /// let x = array![[1.0_f64, 0.0], [-1.0, 0.0], [0.0, 1.0], [0.0, -1.0], [0.0, 0.0]];
    /// let pca = ndkit::ml::Pca::new(1).fit(&x)?;
    /// assert!((pca.explained_variance_ratio()[0] - 0.5).abs() < 1e-12);
    /// # Ok::<(), ndkit::Error>(())
    /// ```
    pub fn explained_variance_ratio(&self) -> ArrayView1<'_, T> {
        self.explained_variance_ratio.view()
    }

    /// The singular values of the centred data belonging to the components (scikit-learn's
    /// `singular_values_`): explained_variance = singular_value² / (n_samples − 1).
    ///
    /// ```
    /// use ndarray::array;
    /// let x = array![[3.0_f64, 0.0], [-3.0, 0.0], [0.0, 0.0]];
    /// let pca = ndkit::ml::Pca::new(1).fit(&x)?;
    /// assert!((pca.singular_values()[0] - 18.0_f64.sqrt()).abs() < 1e-12);
    /// # Ok::<(), ndkit::Error>(())
    /// ```
    pub fn singular_values(&self) -> ArrayView1<'_, T> {
        self.singular_values.view()
    }

    /// The per-feature mean of the training data (scikit-learn's `mean_`).
    ///
    /// ```
    /// use ndarray::array;
    /// let x = array![[1.0_f64, 10.0], [3.0, 20.0]];
    /// let pca = ndkit::ml::Pca::new(1).fit(&x)?;
    /// assert_eq!(pca.mean(), array![2.0, 15.0]);
    /// # Ok::<(), ndkit::Error>(())
    /// ```
    pub fn mean(&self) -> ArrayView1<'_, T> {
        self.mean.view()
    }

    /// The solver that computed the fit ([`PcaSolver::Auto`] resolved to the one it chose).
    ///
    /// ```
    /// use ndkit::ml::{Pca, PcaSolver};
    /// let x = ndarray::Array2::from_shape_fn((100, 3), |(i, j)| ((i * 7 + j * 3) % 11) as f64);
    /// // 100 samples ≥ 10 × 3 features: the covariance route, as in scikit-learn.
    /// assert_eq!(Pca::new(2).fit(&x)?.solver(), PcaSolver::CovarianceEigh);
    /// # Ok::<(), ndkit::Error>(())
    /// ```
    pub fn solver(&self) -> PcaSolver {
        self.solver
    }

    /// Projects `x` (samples × features) onto the components: (x − mean)·componentsᵀ, divided
    /// by sqrt(explained_variance) when whitening.
    ///
    /// # Errors
    /// [`Error::IncompatibleShapes`] when `x` does not have n_features columns (the shapes are
    /// `x`'s and componentsᵀ's); [`Error::NonFinite`] for NaN/Inf entries. Both name
    /// `"FittedPca::transform"`.
    ///
    /// ```
    /// use ndarray::array;
    /// let x = array![[2.0_f64, 0.0], [-2.0, 0.0], [0.0, 1.0], [0.0, -1.0]];
    /// let pca = ndkit::ml::Pca::new(1).fit(&x)?;
    /// let z = pca.transform(&array![[1.0, 5.0]])?;
    /// assert!((z[[0, 0]] - 1.0).abs() < 1e-12);
    /// assert!(pca.transform(&array![[1.0, 2.0, 3.0]]).is_err());
    /// # Ok::<(), ndkit::Error>(())
    /// ```
    pub fn transform<S: Data<Elem = T>>(&self, x: &ArrayBase<S, Ix2>) -> Result<Array2<T>> {
        if x.ncols() != self.mean.len() {
            return Err(Error::IncompatibleShapes {
                op: TRANSFORM,
                lhs: x.shape().to_vec(),
                rhs: self.components.t().shape().to_vec(),
            });
        }
        ensure_finite(TRANSFORM, x)?;
        let centred = x - &self.mean;
        let mut z =
            linalg::matmul(&centred, &self.components.t()).map_err(|e| e.with_op(TRANSFORM))?;
        if self.whiten {
            z /= &self.scale;
        }
        Ok(z)
    }

    /// Maps component scores `z` (samples × n_components) back to feature space:
    /// z·components + mean, with the whitening undone first. It inverts [`transform`] exactly
    /// on the span of the components (and everywhere when all components are kept).
    ///
    /// [`transform`]: FittedPca::transform
    ///
    /// # Errors
    /// [`Error::IncompatibleShapes`] when `z` does not have n_components columns;
    /// [`Error::NonFinite`] for NaN/Inf entries. Both name `"FittedPca::inverse_transform"`.
    ///
    /// ```
    /// use ndarray::array;
    /// let x = array![[2.0_f64, 0.0], [-2.0, 0.0], [0.0, 1.0], [0.0, -1.0]];
    /// let pca = ndkit::ml::Pca::new(1).whiten(true).fit(&x)?;
    /// let back = pca.inverse_transform(&pca.transform(&array![[1.0, 5.0]])?)?;
    /// assert!((back[[0, 0]] - 1.0).abs() < 1e-12 && back[[0, 1]].abs() < 1e-12);
    /// # Ok::<(), ndkit::Error>(())
    /// ```
    pub fn inverse_transform<S: Data<Elem = T>>(&self, z: &ArrayBase<S, Ix2>) -> Result<Array2<T>> {
        if z.ncols() != self.components.nrows() {
            return Err(Error::IncompatibleShapes {
                op: INVERSE,
                lhs: z.shape().to_vec(),
                rhs: self.components.shape().to_vec(),
            });
        }
        ensure_finite(INVERSE, z)?;
        let mut x = if self.whiten {
            let scaled = &self.components * &self.scale.view().insert_axis(Axis(1));
            linalg::matmul(z, &scaled)
        } else {
            linalg::matmul(z, &self.components)
        }
        .map_err(|e| e.with_op(INVERSE))?;
        x += &self.mean;
        Ok(x)
    }
}
