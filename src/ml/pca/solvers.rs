//! The three PCA solvers, each from the centred data to the leading singular triplets
//! (without signs fixed), and the helpers they share with [`super`].

use ndarray::{s, Array1, Array2, ArrayBase, Axis, Data, Ix2, ShapeBuilder, Zip};
use rand::rngs::StdRng;
use rand::SeedableRng;
use rand_distr::{Distribution, StandardNormal};

use crate::linalg::{self, Eigh, Svd, UPLO};
use crate::{Real, Result};

/// What each solver produces before the common post-processing (sign flip, ratios).
pub(super) struct Spectrum<T> {
    /// k × d, rows orthonormal, any signs.
    pub(super) components: Array2<T>,
    pub(super) singular_values: Array1<T>,
    pub(super) explained_variance: Array1<T>,
    /// The total variance of the data (sum over all features, n−1 denominator).
    pub(super) total_variance: T,
}

/// The per-feature mean, refined by a second pass (the mean of the first-pass residuals is
/// added back), which removes the rounding error of the first pass for data far from the
/// origin. Neither pass allocates more than one cache-sized block of rows.
pub(super) fn mean<T: Real, S: Data<Elem = T>>(x: &ArrayBase<S, Ix2>) -> Array1<T> {
    let count = T::from_f64(x.nrows() as f64);
    let mut mean = x.sum_axis(Axis(0)) / count;
    let mut residual = Array1::<T>::zeros(x.ncols());
    for chunk in x.axis_chunks_iter(Axis(0), block_rows(x.ncols(), x.nrows())) {
        residual += &(&chunk - &mean).sum_axis(Axis(0));
    }
    mean += &(residual / count);
    mean
}

/// The centred data `x − mean` as a new array.
pub(super) fn centred<T: Real, S: Data<Elem = T>>(
    x: &ArrayBase<S, Ix2>,
    mean: &Array1<T>,
) -> Array2<T> {
    x - mean
}

/// Rows per block for blocked passes over an n×d matrix: about 512 KiB of f64 (cache-sized),
/// at least 64 rows, at most n.
fn block_rows(d: usize, n: usize) -> usize {
    const BLOCK_ELEMENTS: usize = 1 << 16;
    (BLOCK_ELEMENTS / d.max(1)).max(64).min(n.max(1))
}

/// Full solver: thin SVD of the centred data.
pub(super) fn full<T: Real>(xc: &Array2<T>, k: usize) -> Result<Spectrum<T>> {
    let n = xc.nrows();
    let Svd { s, vt, .. } = linalg::svd(xc, false)?;
    let all_variance = s.mapv(|v| v * v / T::from_f64((n - 1) as f64));
    let total_variance = all_variance.sum();
    Ok(Spectrum {
        components: vt.slice(s![..k, ..]).to_owned(),
        singular_values: s.slice(s![..k]).to_owned(),
        explained_variance: all_variance.slice(s![..k]).to_owned(),
        total_variance,
    })
}

/// Covariance solver: C = Xcᵀ·Xc/(n−1), accumulated by GEMM over blocks of centred rows (the
/// centred copy never exceeds one cache-sized block, and `x` is read once), then its
/// eigendecomposition; eigenvalues reversed to descending and clipped at zero (rounding can
/// make the smallest slightly negative), singular values sqrt(λ·(n−1)).
pub(super) fn covariance_eigh<T: Real, S: Data<Elem = T>>(
    x: &ArrayBase<S, Ix2>,
    mean: &Array1<T>,
    k: usize,
) -> Result<Spectrum<T>> {
    let (n, d) = x.dim();
    let rows = block_rows(d, n);
    let mut block = Array2::<T>::zeros((rows, d));
    let mut cov = Array2::<T>::zeros((d, d).f());
    let alpha = T::one() / T::from_f64((n - 1) as f64);
    for chunk in x.axis_chunks_iter(Axis(0), rows) {
        let mut centred = block.slice_mut(s![..chunk.nrows(), ..]);
        Zip::from(&mut centred)
            .and(&chunk)
            .and_broadcast(mean)
            .for_each(|c, &v, &m| *c = v - m);
        linalg::gemm(alpha, &centred.t(), &centred, T::one(), &mut cov)?;
    }
    let total_variance = cov.diag().sum();
    let Eigh { values, vectors } = linalg::eigh(&cov, UPLO::Lower)?;
    // Descending order: the last k eigenpairs, reversed.
    let explained_variance = values.slice(s![d - k..;-1]).mapv(|v| v.max(T::zero()));
    let singular_values = explained_variance.mapv(|v| (v * T::from_f64((n - 1) as f64)).sqrt());
    let components = vectors.slice(s![.., d - k..;-1]).t().to_owned();
    Ok(Spectrum {
        components,
        singular_values,
        explained_variance,
        total_variance,
    })
}

/// Randomized solver (Halko, Martinsson & Tropp 2011, algorithm 4.4 with QR after every
/// product, then algorithm 5.1), on M = Xc or, when n < d, on Xcᵀ (as scikit-learn does), so
/// the random test matrix has min(n, d) rows.
pub(super) fn randomized<T: Real>(
    xc: &Array2<T>,
    k: usize,
    oversample: usize,
    n_iter: usize,
    seed: u64,
) -> Result<Spectrum<T>> {
    let (n, d) = xc.dim();
    let transposed = n < d;
    let m = if transposed { xc.t() } else { xc.view() };
    let cols = m.ncols();
    let width = k.saturating_add(oversample).min(cols);
    let mut rng = StdRng::seed_from_u64(seed);
    let omega = Array2::<T>::from_shape_simple_fn((cols, width), || {
        T::from_f64(StandardNormal.sample(&mut rng))
    });
    // Q spans the range of M·(MᵀM)^n_iter·Ω; orthonormalising after every product keeps the
    // small singular directions from being lost to rounding.
    let mut q = linalg::qr(&linalg::matmul(&m, &omega)?)?.q;
    for _ in 0..n_iter {
        let z = linalg::qr(&linalg::matmul(&m.t(), &q)?)?.q;
        q = linalg::qr(&linalg::matmul(&m, &z)?)?.q;
    }
    // M ≈ Q·(QᵀM) = (Q·Û)·Σ·Vᵀ.
    let small = linalg::matmul(&q.t(), &m)?;
    let Svd { u, s, vt } = linalg::svd(&small, false)?;
    let components = if transposed {
        // Xc = Mᵀ ≈ V·Σ·(Q·Û)ᵀ: the right singular vectors of Xc are the columns of Q·Û.
        linalg::matmul(&q, &u.slice(s![.., ..k]))?.reversed_axes()
    } else {
        vt.slice(s![..k, ..]).to_owned()
    };
    let singular_values = s.slice(s![..k]).to_owned();
    let explained_variance = singular_values.mapv(|v| v * v / T::from_f64((n - 1) as f64));
    // The total variance from the data itself (the discarded spectrum is not computed).
    let sum_squares: T = xc.columns().into_iter().map(|c| c.dot(&c)).sum();
    Ok(Spectrum {
        components,
        singular_values,
        explained_variance,
        total_variance: sum_squares / T::from_f64((n - 1) as f64),
    })
}

/// scikit-learn's `svd_flip(u_based_decision=False)`: in each row the entry of largest
/// absolute value (the first such on ties) is made positive.
pub(super) fn flip_signs<T: Real>(components: &mut Array2<T>) {
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
