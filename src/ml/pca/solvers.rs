//! The three PCA solvers, each from the data to the leading singular triplets (without signs
//! fixed), and the passes over the data they share.
//!
//! The mean is found in two passes that read `x` at most twice in all: [`shifted_mean`] gives a
//! first estimate m, and the pass that centres the data by m (into one cache-sized block of
//! rows at a time for [`covariance_eigh`], into the centred copy for the other solvers) also
//! sums the residuals x − m, whose mean r refines it to μ = m + r.

use std::ops::Range;

use ndarray::{s, Array1, Array2, ArrayBase, ArrayView1, Axis, Data, Ix2, ShapeBuilder};

use super::FIT;
use crate::kernels::Trans;
use crate::layout::lapack_int;
use crate::linalg::decomp::eig::eigh_largest;
use crate::linalg::randomized::{range_finder_svd, Normaliser};
use crate::linalg::{self, Eigh, RandomizedSvd, Svd, UPLO};
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

/// The first estimate of the per-feature mean, m = x₀ + Σᵢ(xᵢ − x₀)/n with x₀ the first row:
/// the sums are of differences as large as the spread of the data, not of values as large as
/// its offset, so m is accurate to about n·ε times the spread even far from the origin (and
/// the residual pass refines it further). NaN or ±∞ anywhere in a column makes its entry
/// non-finite.
///
/// `x` must have at least one row.
pub(crate) fn shifted_mean<T: Real, S: Data<Elem = T>>(x: &ArrayBase<S, Ix2>) -> Array1<T> {
    let (n, d) = x.dim();
    debug_assert!(n > 0, "shifted_mean needs a first row");
    let shift = x.row(0).to_vec();
    let mut total = Array1::<T>::zeros(d);
    let mut partial = vec![T::zero(); d];
    for rows in blocks(d, n) {
        partial.fill(T::zero());
        shifted_rows::<T, S, false>(x, rows, &shift, &mut [], &mut partial);
        total += &ArrayView1::from(&partial);
    }
    total / T::from_f64_nearest(n as f64) + ArrayView1::from(&shift)
}

/// The per-feature mean as Σᵢ xᵢ/n, which cannot overflow for finite data (a fallback for
/// entries so large that [`shifted_mean`]'s differences overflow).
pub(crate) fn scaled_mean<T: Real, S: Data<Elem = T>>(x: &ArrayBase<S, Ix2>) -> Array1<T> {
    let count = T::from_f64_nearest(x.nrows() as f64);
    x.map_axis(Axis(0), |column| {
        column.fold(T::zero(), |sum, &v| sum + v / count)
    })
}

/// The data centred by the refined mean, as a new C-order array, and that mean μ = m + r:
/// `x − m` is written and its column sums taken in one pass over `x`, then the mean r of those
/// residuals is subtracted from the copy.
pub(crate) fn centred<T: Real, S: Data<Elem = T>>(
    x: &ArrayBase<S, Ix2>,
    first: &Array1<T>,
) -> (Array2<T>, Array1<T>) {
    let (n, d) = x.dim();
    let shift = first.to_vec();
    let mut data = vec![T::zero(); n * d];
    let mut residual = Array1::<T>::zeros(d);
    let mut partial = vec![T::zero(); d];
    for rows in blocks(d, n) {
        partial.fill(T::zero());
        let out = &mut data[rows.start * d..rows.end * d];
        shifted_rows::<T, S, true>(x, rows, &shift, out, &mut partial);
        residual += &ArrayView1::from(&partial);
    }
    // SAFETY: `data` holds n·d elements, x − m row after row: an n×d array in C order.
    let mut data = unsafe { Array2::from_shape_vec_unchecked((n, d), data) };
    let r = residual / T::from_f64_nearest(n as f64);
    data -= &r;
    (data, r + first)
}

/// The row ranges of the blocked passes over an n×d matrix.
fn blocks(d: usize, n: usize) -> impl Iterator<Item = Range<usize>> {
    blocks_of(block_rows(d, n), n)
}

/// Consecutive ranges of `rows` rows (the last one shorter) covering 0..n.
fn blocks_of(rows: usize, n: usize) -> impl Iterator<Item = Range<usize>> {
    let rows = rows.max(1);
    (0..n)
        .step_by(rows)
        .map(move |start| start..(start + rows).min(n))
}

/// Columns per tile when an F-order matrix is read row by row.
const TILE: usize = 8;

/// Adds the column sums of `x[rows, ..] − shift` to `sums` and, with `STORE`, writes those
/// differences to `out` (C order, `rows.len()` × d). Each column is summed row after row in
/// order, so the sums are the same bit for bit for every layout of `x`. Rows of a C-order `x`
/// are read as slices; an F-order `x` is read in tiles of [`TILE`] contiguous columns; any other
/// layout element by element.
fn shifted_rows<T: Real, S: Data<Elem = T>, const STORE: bool>(
    x: &ArrayBase<S, Ix2>,
    rows: Range<usize>,
    shift: &[T],
    out: &mut [T],
    sums: &mut [T],
) {
    let (n, d) = x.dim();
    debug_assert!(!STORE || out.len() == rows.len() * d);
    let row_major = d <= 1 || x.strides()[1] == 1;
    // F order: column j is columns[j·n..(j + 1)·n].
    let columns = if row_major { None } else { x.t().to_slice() };
    if let Some(columns) = columns {
        for j0 in (0..d).step_by(TILE) {
            let width = TILE.min(d - j0);
            // The tile's columns over `rows` and their running sums; a last, narrower tile
            // fills its unused slots with its last column (never read).
            let tile: [&[T]; TILE] = std::array::from_fn(|t| {
                let start = (j0 + t.min(width - 1)) * n;
                &columns[start + rows.start..start + rows.end]
            });
            let mut acc: [T; TILE] = std::array::from_fn(|t| sums[j0 + t.min(width - 1)]);
            for i in 0..rows.len() {
                for t in 0..width {
                    let c = tile[t][i] - shift[j0 + t];
                    if STORE {
                        out[i * d + j0 + t] = c;
                    }
                    acc[t] += c;
                }
            }
            sums[j0..j0 + width].copy_from_slice(&acc[..width]);
        }
        return;
    }
    let empty: &mut [T] = &mut [];
    for (i, row) in x.slice(s![rows, ..]).rows().into_iter().enumerate() {
        let out_row = if STORE {
            &mut out[i * d..(i + 1) * d]
        } else {
            &mut *empty
        };
        match row.as_slice() {
            Some(row) => shift_row::<T, STORE>(row.iter(), shift, out_row, sums),
            None => shift_row::<T, STORE>(row.iter(), shift, out_row, sums),
        }
    }
}

/// `sums[j] += row[j] − shift[j]`, with `STORE` also `out[j] = row[j] − shift[j]`.
#[inline(always)]
fn shift_row<'a, T: Real, const STORE: bool>(
    row: impl Iterator<Item = &'a T>,
    shift: &[T],
    out: &mut [T],
    sums: &mut [T],
) {
    if STORE {
        for (((o, &v), &s), sum) in out.iter_mut().zip(row).zip(shift).zip(sums.iter_mut()) {
            let c = v - s;
            *o = c;
            *sum += c;
        }
    } else {
        for ((&v, &s), sum) in row.zip(shift).zip(sums.iter_mut()) {
            *sum += v - s;
        }
    }
}

/// Rows per block for blocked passes over an n×d matrix: about 128 KiB of f64, so that the
/// centred block and `?syrk`'s packed copies of it share a 512 KiB L2 cache (measured on
/// Zen 3, 100000×50: ~4% faster than 512 KiB blocks); at least 64 rows, at most n.
fn block_rows(d: usize, n: usize) -> usize {
    (BLOCK_ELEMENTS / d.max(1)).max(64).min(n.max(1))
}

/// Elements per block of the blocked passes of the PCA solvers (128 KiB of f64).
const BLOCK_ELEMENTS: usize = 1 << 14;

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

/// Covariance solver: the scatter matrix of `x` ([`scatter`]), divided by n − 1, and its k
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

/// The scatter matrix Σ(x − μ)(x − μ)ᵀ of the rows of `x` (lower triangle of an F-order d×d
/// array; the upper triangle is zero) and their mean μ, reading `x` once: each cache-sized
/// block of rows is centred by the first mean estimate m into a reused buffer (summing the
/// residuals x − m on the way) and added to S = Σ(x − m)(x − m)ᵀ by a rank-k update (`?syrk`:
/// half the flops of a GEMM). Then the exact correction S − n·r·rᵀ with r = Σ(x − m)/n and
/// μ = m + r (r is tiny, so nothing cancels). `x` has at least one row; `first` is
/// [`shifted_mean`]'s (or [`scaled_mean`]'s) estimate.
pub(crate) fn scatter<T: Real, S: Data<Elem = T>>(
    op: &'static str,
    x: &ArrayBase<S, Ix2>,
    first: &Array1<T>,
    block_elements: usize,
) -> Result<(Array2<T>, Array1<T>)> {
    let (n, d) = x.dim();
    let d32 = lapack_int(op, d)?;
    let shift = first.to_vec();
    let rows_per_block = (block_elements / d.max(1)).max(64).min(n.max(1));
    let mut block = vec![T::zero(); rows_per_block * d];
    let mut partial = vec![T::zero(); d];
    let mut residual = Array1::<T>::zeros(d);
    let mut cov = Array2::<T>::zeros((d, d).f());
    for rows in blocks_of(rows_per_block, n) {
        let k32 = lapack_int(op, rows.len())?;
        let centred = &mut block[..rows.len() * d];
        partial.fill(T::zero());
        shifted_rows::<T, S, true>(x, rows, &shift, centred, &mut partial);
        residual += &ArrayView1::from(&partial);
        if d == 0 {
            continue;
        }
        // SAFETY: `centred` holds the block's rows × d centred values in C order, i.e. a
        // column-major d × rows matrix with leading dimension d ≥ 1: what ?syrk with `No`
        // reads for n = d, k = rows. `cov` is an F-order d×d buffer (ldc = d), of which the
        // lower triangle is updated.
        unsafe {
            T::herk(
                UPLO::Lower,
                Trans::No,
                d32,
                k32,
                T::one(),
                centred.as_ptr(),
                d32,
                T::one(),
                cov.as_mut_ptr(),
                d32,
            );
        }
    }
    let count = T::from_f64_nearest(n as f64);
    let r = &residual / count;
    for j in 0..d {
        for i in j..d {
            // n·rᵢ·rⱼ = (Σ residualᵢ)·rⱼ
            cov[[i, j]] -= residual[i] * r[j];
        }
    }
    Ok((cov, r + first))
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
