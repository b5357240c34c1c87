//! The three PCA solvers, each from the data to the leading singular triplets (without signs
//! fixed). The passes over the data they share (mean, centring, scatter matrix) are in
//! `crate::moments`, shared with `ops::cov`.

use ndarray::{s, Array1, Array2, ArrayBase, Data, Ix2};

use super::FIT;
use crate::linalg::decomp::eig::eigh_largest;
use crate::linalg::randomized::{range_finder_svd, Normaliser};
use crate::linalg::{self, Eigh, RandomizedSvd, Svd, UPLO};
use crate::moments::{scatter, BLOCK_ELEMENTS};
use crate::{Real, Result};

/// What each solver produces before the common post-processing (sign flip, ratios).
pub(crate) struct Spectrum<T> {
    /// k × d, rows orthonormal, any signs.
    pub(crate) components: Array2<T>,
    pub(crate) singular_values: Array1<T>,
    pub(crate) explained_variance: Array1<T>,
    /// The total variance of the data (sum over all features, n−1 denominator).
    pub(crate) total_variance: T,
}

/// Full solver: thin SVD of the centred data.
pub(super) fn full<T: Real>(xc: &Array2<T>, k: usize) -> Result<Spectrum<T>> {
    let n = xc.nrows();
    let Svd { s, vt, .. } = linalg::svd(xc, false)?;
    let all_variance = s.mapv(|v| v * v / T::from_f64_nearest((n - 1) as f64));
    let total_variance = all_variance.sum();
    Ok(Spectrum {
        components: vt.slice(s![..k, ..]).to_owned(),
        singular_values: s.slice(s![..k]).to_owned(),
        explained_variance: all_variance.slice(s![..k]).to_owned(),
        total_variance,
    })
}

/// Covariance solver: the scatter matrix of `x` (`moments::scatter`), divided by n − 1, and its k
/// leading eigenpairs ([`covariance_spectrum`]). Also returns the mean μ.
pub(super) fn covariance_eigh<T: Real, S: Data<Elem = T>>(
    x: &ArrayBase<S, Ix2>,
    first: &Array1<T>,
    k: usize,
) -> Result<(Spectrum<T>, Array1<T>)> {
    let n = x.nrows();
    let (mut cov, mean) = scatter(FIT, x, first, BLOCK_ELEMENTS)?;
    let scale = T::one() / T::from_f64_nearest((n - 1) as f64);
    let d = cov.nrows();
    for j in 0..d {
        for i in j..d {
            cov[[i, j]] *= scale;
        }
    }
    Ok((covariance_spectrum(FIT, cov, n, k)?, mean))
}

/// The k leading eigenpairs of the covariance matrix `cov` (its lower triangle) of `n`
/// samples (`?syevr`), as a [`Spectrum`]: eigenvalues reversed to descending and clipped at
/// zero (rounding can make the smallest slightly negative), singular values sqrt(λ·(n−1)),
/// total variance the trace.
pub(crate) fn covariance_spectrum<T: Real>(
    op: &'static str,
    cov: Array2<T>,
    n: usize,
    k: usize,
) -> Result<Spectrum<T>> {
    let total_variance = cov.diag().sum();
    // The k largest eigenpairs only (`?syevr`), ascending: reversed to descending.
    let Eigh { values, vectors } = eigh_largest(op, cov, UPLO::Lower, k)?;
    let explained_variance = values.slice(s![..;-1]).mapv(|v| v.max(T::zero()));
    let components = vectors.slice(s![.., ..;-1]).t().to_owned();
    let singular_values =
        explained_variance.mapv(|v| (v * T::from_f64_nearest((n - 1) as f64)).sqrt());
    Ok(Spectrum {
        components,
        singular_values,
        explained_variance,
        total_variance,
    })
}

/// Randomized solver: the Halko–Martinsson–Tropp truncated SVD of the centred data
/// ([`range_finder_svd`], shared with [`linalg::randomized_svd`]) with QR after every
/// product (algorithm 4.4, then algorithm 5.1), on M = Xc or, when n < d, on Xcᵀ (as
/// scikit-learn does), so the random test matrix has min(n, d) rows.
pub(super) fn randomized<T: Real>(
    xc: &Array2<T>,
    k: usize,
    oversample: usize,
    n_iter: usize,
    seed: u64,
) -> Result<Spectrum<T>> {
    let n = xc.nrows();
    let opts = RandomizedSvd {
        oversample,
        n_iter,
        seed,
    };
    let Svd { s, vt, .. } = range_finder_svd(FIT, xc.view(), k, opts, Normaliser::Qr)?;
    let components = vt;
    let singular_values = s;
    let explained_variance = singular_values.mapv(|v| v * v / T::from_f64_nearest((n - 1) as f64));
    // The total variance from the data itself (the discarded spectrum is not computed).
    // (ndkit's own `dot`, so the BLAS call goes through the thread pool like every other.)
    let sum_squares = xc.columns().into_iter().try_fold(T::zero(), |sum, c| {
        Ok::<T, crate::Error>(sum + linalg::dot(&c, &c)?)
    })?;
    Ok(Spectrum {
        components,
        singular_values,
        explained_variance,
        total_variance: sum_squares / T::from_f64_nearest((n - 1) as f64),
    })
}

/// scikit-learn's `svd_flip(u_based_decision=False)`: in each row the entry of largest
/// absolute value (the first such on ties) is made positive.
pub(crate) fn flip_signs<T: Real>(components: &mut Array2<T>) {
    for mut row in components.rows_mut() {
        let (_, largest) = row.iter().fold((-T::one(), T::zero()), |(best, at), &v| {
            if v.abs() > best {
                (v.abs(), v)
            } else {
                (best, at)
            }
        });
        if largest < T::zero() {
            row.mapv_inplace(|v| -v);
        }
    }
}
