//! Nearest codebook rows (`scipy.cluster.vq.vq`) and k nearest neighbours (scikit-learn's
//! brute-force `kneighbors`), blocked and parallel, never materialising all distances.
//!
//! Queries are taken in blocks of [`QUERY_BLOCK`] rows, on up to [`crate::num_threads`]
//! workers; each block meets the data in blocks of [`DATA_BLOCK`] rows, one `?gemm` per pair
//! of blocks on recentred rows (see [`cdist`](super::cdist)), so memory stays at one
//! `QUERY_BLOCK × DATA_BLOCK` buffer per worker. The product form only *selects*
//! candidates: every data row whose product-form distance is within twice its error bound
//! of the current k-th best is kept, and the kept candidates' distances are recomputed
//! directly from the original rows. So the neighbours found are the exact ones (ties to the
//! lower index) and the distances returned are accurate to a few ulps, near-duplicates far
//! from the origin included.

use ndarray::{s, Array1, Array2, ArrayBase, ArrayView2, Data, Ix2};

use super::distance::{centre, cross_products, mean_rows, sq_dist};
use super::parallel::map_blocks;
use crate::layout::check_dims;
use crate::{Error, Real, Result};

/// Query rows per block (and per parallel task).
const QUERY_BLOCK: usize = 256;
/// Data rows per block: a QUERY_BLOCK × DATA_BLOCK f64 buffer is 2 MiB.
const DATA_BLOCK: usize = 1024;

/// For each row of `points` (m × d), the index of the nearest row of `codebook` (k × d) and
/// its Euclidean distance, as `scipy.cluster.vq.vq(points, codebook)`. Ties go to the lowest
/// index.
///
/// Never builds the m × k distance matrix: blocked and parallel (module docs), with the
/// winner's distance recomputed directly, so it is exact to rounding even for points far from
/// the origin.
///
/// # Errors
/// [`Error::IncompatibleShapes`] when the column counts differ; [`Error::InvalidArgument`] for
/// an empty codebook with at least one point.
///
/// ```
/// use ndarray::array;
/// use ndkit::ops::nearest;
/// # fn main() -> ndkit::Result<()> {
/// let codebook = array![[0.0_f64, 0.0], [10.0, 10.0]];
/// let points = array![[1.0, 1.0], [9.0, 8.0], [5.0, 5.0]];
/// let (index, dist) = nearest(&points, &codebook)?;
/// assert_eq!(index.to_vec(), vec![0, 1, 0]); // [5, 5] is a tie: the lower index wins
/// assert!((dist[0] - 2f64.sqrt()).abs() < 1e-15);
/// # Ok(())
/// # }
/// ```
pub fn nearest<T: Real, Sp: Data<Elem = T>, Sc: Data<Elem = T>>(
    points: &ArrayBase<Sp, Ix2>,
    codebook: &ArrayBase<Sc, Ix2>,
) -> Result<(Array1<usize>, Array1<T>)> {
    const OP: &str = "nearest";
    check(OP, points, codebook)?;
    if codebook.nrows() == 0 && points.nrows() > 0 {
        return Err(Error::InvalidArgument {
            op: OP,
            message: format!(
                "empty codebook of shape {:?} for {} points",
                codebook.shape(),
                points.nrows()
            ),
        });
    }
    let (index, dist) = neighbours(&points.view(), &codebook.view(), 1);
    Ok((Array1::from(index), Array1::from(dist)))
}

/// The `k` nearest rows of `data` (n × d) to each row of `queries` (m × d), by Euclidean
/// distance: indices and distances as two m × k arrays, each row in ascending distance, ties
/// to the lower index (scikit-learn's `NearestNeighbors(algorithm="brute").kneighbors`).
///
/// Blocked and parallel, memory O(block) (module docs); the distances are recomputed
/// directly for the candidates, so both the neighbours and their distances are exact to
/// rounding.
///
/// # Errors
/// [`Error::IncompatibleShapes`] when the column counts differ; [`Error::InvalidArgument`] for
/// k = 0 or k greater than the rows of `data`.
///
/// ```
/// use ndarray::array;
/// use ndkit::ops::knn;
/// # fn main() -> ndkit::Result<()> {
/// let data = array![[0.0_f64], [1.0], [3.0], [7.0]];
/// let queries = array![[2.9], [0.4]];
/// let (index, dist) = knn(&queries, &data, 2)?;
/// assert_eq!(index, array![[2, 1], [0, 1]]);
/// assert!((dist[[1, 1]] - 0.6).abs() < 1e-15);
/// # Ok(())
/// # }
/// ```
pub fn knn<T: Real, Sq: Data<Elem = T>, Sd: Data<Elem = T>>(
    queries: &ArrayBase<Sq, Ix2>,
    data: &ArrayBase<Sd, Ix2>,
    k: usize,
) -> Result<(Array2<usize>, Array2<T>)> {
    const OP: &str = "knn";
    check(OP, queries, data)?;
    if k == 0 || k > data.nrows() {
        return Err(Error::InvalidArgument {
            op: OP,
            message: format!(
                "k = {k} must be between 1 and the number of data rows ({} in data of shape {:?})",
                data.nrows(),
                data.shape()
            ),
        });
    }
    let m = queries.nrows();
    let (index, dist) = neighbours(&queries.view(), &data.view(), k);
    let index = Array2::from_shape_vec((m, k), index).expect("m·k indices");
    let dist = Array2::from_shape_vec((m, k), dist).expect("m·k distances");
    Ok((index, dist))
}

fn check<T, Sa: Data<Elem = T>, Sb: Data<Elem = T>>(
    op: &'static str,
    a: &ArrayBase<Sa, Ix2>,
    b: &ArrayBase<Sb, Ix2>,
) -> Result<()> {
    if a.ncols() != b.ncols() {
        return Err(Error::IncompatibleShapes {
            op,
            lhs: a.shape().to_vec(),
            rhs: b.shape().to_vec(),
        });
    }
    check_dims(op, &[a.nrows(), b.nrows(), a.ncols()])
}

/// Orders (d², index) pairs: ascending d², NaN last, ties to the lower index.
fn by_distance<T: Real>(a: &(T, usize), b: &(T, usize)) -> std::cmp::Ordering {
    let key = |v: T| if v.is_nan() { T::infinity() } else { v };
    key(a.0)
        .partial_cmp(&key(b.0))
        .unwrap_or(std::cmp::Ordering::Equal)
        .then(a.1.cmp(&b.1))
}

/// Keeps the candidates within 2·`bound` of the k-th best (product-form values) and returns
/// the new cutoff (the old one when the k-th value is not finite).
fn prune<T: Real>(list: &mut Vec<(T, usize)>, k: usize, bound: T, cut: T) -> T {
    list.select_nth_unstable_by(k - 1, by_distance);
    let kth = list[k - 1].0;
    if !kth.is_finite() {
        return cut;
    }
    let cut = kth + bound + bound;
    list.retain(|&(v, _)| v <= cut);
    cut
}

/// The k nearest rows of `data` for every query (1 ≤ k ≤ n), row-major m × k indices and
/// distances.
fn neighbours<T: Real>(
    queries: &ArrayView2<'_, T>,
    data: &ArrayView2<'_, T>,
    k: usize,
) -> (Vec<usize>, Vec<T>) {
    let (m, d) = queries.dim();
    let n = data.nrows();
    if m == 0 {
        return (Vec::new(), Vec::new());
    }
    let shift = mean_rows(&[data], d);
    let dc = centre(data, &shift);
    let norm_max = dc.norms.iter().fold(T::zero(), |a, &b| a.max(b));
    // |product form − exact d²| ≤ 2(d + 2)·ε·(‖q‖² + ‖x‖²) (the dot product and the norms),
    // plus ≤ 4ε·(‖q‖² + ‖x‖²) from rounding the centred coordinates; (2d + 10)·ε covers both.
    let gamma = T::from_f64_nearest(2.0 * d as f64 + 10.0) * T::epsilon();
    // Candidates are pruned when this many have gathered (amortised O(1) per push).
    let prune_at = 2 * k + 16;
    let blocks = m.div_ceil(QUERY_BLOCK);
    let results = map_blocks(blocks, |blk| {
        let q0 = blk * QUERY_BLOCK;
        let q1 = (q0 + QUERY_BLOCK).min(m);
        let qr = q1 - q0;
        let qc = centre(&queries.slice(s![q0..q1, ..]), &shift);
        let bound: Vec<T> = qc.norms.iter().map(|&q| gamma * (q + norm_max)).collect();
        let mut candidates: Vec<Vec<(T, usize)>> =
            (0..qr).map(|_| Vec::with_capacity(prune_at)).collect();
        let mut cutoff = vec![T::infinity(); qr];
        let db = DATA_BLOCK.min(n);
        let mut buf: Vec<T> = Vec::with_capacity(qr * db);
        let mut scratch: Vec<T> = Vec::with_capacity(db);
        for j0 in (0..n).step_by(db) {
            let j1 = (j0 + db).min(n);
            let width = j1 - j0;
            // SAFETY: `buf` has capacity for qr·width elements and nothing else refers to
            // them; the centred buffers are qr × d and width × d (sizes checked by the
            // callers).
            unsafe {
                cross_products(
                    -T::from_f64_nearest(2.0),
                    &qc.data,
                    qr,
                    &dc.data[j0 * d..j1 * d],
                    width,
                    d,
                    buf.as_mut_ptr(),
                );
                // SAFETY: `cross_products` wrote all qr·width elements.
                buf.set_len(qr * width);
            }
            let norms = &dc.norms[j0..j1];
            for (i, row) in buf.chunks_exact_mut(width).enumerate() {
                // ‖q‖² is the same for the whole row: compare ‖x‖² − 2q·x alone.
                for (v, &nx) in row.iter_mut().zip(norms) {
                    *v += nx;
                }
                let list = &mut candidates[i];
                let mut cut = cutoff[i];
                if list.len() < k && width >= k {
                    // No k-th best yet: this block's own k-th smallest is no smaller than the
                    // overall one, so it gives a valid first cutoff.
                    let kth = if k == 1 {
                        row.iter()
                            .fold(T::infinity(), |m, &v| if v < m { v } else { m })
                    } else {
                        scratch.clear();
                        scratch.extend_from_slice(row);
                        let key = |v: &T| if v.is_nan() { T::infinity() } else { *v };
                        scratch.select_nth_unstable_by(k - 1, |a, b| {
                            key(a)
                                .partial_cmp(&key(b))
                                .unwrap_or(std::cmp::Ordering::Equal)
                        });
                        key(&scratch[k - 1])
                    };
                    if kth.is_finite() {
                        cut = kth + bound[i] + bound[i];
                    }
                }
                // Doubles when pruning keeps many (ties), so pruning stays amortised O(1).
                let mut limit = prune_at.max(2 * list.len());
                for (j, &v) in row.iter().enumerate() {
                    // NaN (from NaN input) is kept: it sorts last.
                    if v <= cut || v.is_nan() {
                        list.push((v, j0 + j));
                        if list.len() >= limit {
                            cut = prune(list, k, bound[i], cut);
                            limit = prune_at.max(2 * list.len());
                        }
                    }
                }
                if list.len() > k {
                    cut = prune(list, k, bound[i], cut);
                }
                cutoff[i] = cut;
            }
            buf.clear();
        }
        let mut index = Vec::with_capacity(qr * k);
        let mut dist = Vec::with_capacity(qr * k);
        for (i, list) in candidates.iter_mut().enumerate() {
            let q = queries.row(q0 + i);
            for c in list.iter_mut() {
                c.0 = sq_dist(&q, &data.row(c.1));
            }
            list.sort_unstable_by(by_distance);
            for &(d2, j) in &list[..k] {
                index.push(j);
                dist.push(d2.sqrt()); // a direct sum of squares: never negative
            }
        }
        (index, dist)
    });
    let mut index = Vec::with_capacity(m * k);
    let mut dist = Vec::with_capacity(m * k);
    for (i, d) in results {
        index.extend(i);
        dist.extend(d);
    }
    (index, dist)
}
