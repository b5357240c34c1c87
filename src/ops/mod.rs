//! The everyday NumPy/SciPy helpers around linear algebra and ML: distances and neighbours,
//! convolution, search and binning, selection, covariance.
//!
//! Element type `T: Real` (f32, f64) unless said otherwise; inputs borrowed, any memory
//! layout; [`Result`](crate::Result) wherever input can be wrong. Semantics, result shapes
//! and the treatment of empty inputs follow NumPy/SciPy.
//!
//! | NumPy / SciPy | ndkit | notes |
//! |---|---|---|
//! | `scipy.spatial.distance.cdist(a, b, metric)` | [`cdist`]`(&a, &b, Metric::…)` | Euclidean via `?gemm`, accurate for near-duplicates |
//! | `scipy.cluster.vq.vq(x, codebook)` | [`nearest`]`(&x, &codebook)` | blocked, parallel, never m × k in memory |
//! | `NearestNeighbors(algorithm="brute").kneighbors(q, k)` | [`knn`]`(&q, &data, k)` | exact neighbours, ties to the lower index |
//! | `np.convolve(a, v, mode)` | [`convolve`]`(&a, &v, ConvolveMode::…)` | direct or FFT (realfft) |
//! | `np.correlate(a, v, mode)` | [`correlate`]`(&a, &v, ConvolveMode::…)` | |
//! | `np.searchsorted(s, v, side)` | [`searchsorted`]`(&s, &v, Side::…)` | checks that `s` is sorted |
//! | `np.histogram(x, bins, range)` | [`histogram`]`(&x, Bins::…)` | `histogram_weighted` for `weights=` |
//! | `np.bincount(x, minlength=m)` | [`bincount`]`(&x, m)` | |
//! | `np.flatnonzero(np.diff(x > t, prepend=False))` | [`threshold_crossings`]`(&x, t, Edge::Both)` | `Rising`, `Falling` |
//! | `np.argwhere(mask)` | [`argwhere`]`(&mask)` | |
//! | `np.where(c, x, y)` | [`where_cond`]`(&c, &x, &y)` | broadcasting, any `T: Clone` |
//! | `np.select(conds, choices, default)` | [`select`]`(&conds, &choices, default)` | |
//! | `np.cov(x, rowvar=False, ddof=k)` | [`cov`]`(&x, k)` | centred `?syrk` |
//! | `np.corrcoef(x, rowvar=False)` | [`corrcoef`]`(&x)` | |
//!
//! What ndarray and ndarray-stats already do well is not repeated here; the README's NumPy →
//! ndkit table lists their one-liners (sorting, argmax, quantiles, masked means, `Zip`).
//!
//! ```
//! use ndarray::array;
//! use ndkit::ops::{self, ConvolveMode, Edge};
//! # fn main() -> ndkit::Result<()> {
//! let x = array![0.0_f64, 1.0, 3.0, 2.0, 0.5, 4.0];
//! let smooth = ops::convolve(&x, &array![0.5, 0.5], ConvolveMode::Valid)?;
//! assert_eq!(smooth, array![0.5, 2.0, 2.5, 1.25, 2.25]);
//! assert_eq!(ops::threshold_crossings(&x, 1.5, Edge::Rising), array![2, 5]);
//! # Ok(())
//! # }
//! ```

mod convolve;
mod cov;
mod distance;
mod neighbors;
mod parallel;
mod search;
mod select;

pub(crate) use convolve::fft_window;
pub use convolve::{convolve, correlate, ConvolveMode};
pub use cov::{corrcoef, cov};
pub use distance::{cdist, Metric};
pub use neighbors::{knn, nearest};
pub use search::{
    argwhere, bincount, histogram, histogram_weighted, searchsorted, threshold_crossings, Bins,
    Edge, Side,
};
pub use select::{select, where_cond};
