//! Search and binning: `numpy.searchsorted`, `numpy.histogram`, `numpy.bincount`,
//! `numpy.argwhere` and threshold crossings (`np.flatnonzero(np.diff(x > t, prepend=False))`).

use ndarray::{Array, Array1, Array2, ArrayBase, Data, Dimension, Ix1, Zip};

use crate::{Error, Real, Result};

/// Which of equal positions [`searchsorted`] returns, as NumPy's `side`.
///
/// ```
/// use ndarray::array;
/// use ndkit::ops::{searchsorted, Side};
/// # fn main() -> ndkit::Result<()> {
/// let sorted = array![1.0_f64, 2.0, 2.0, 3.0];
/// assert_eq!(searchsorted(&sorted, &array![2.0], Side::Left)?, array![1]);
/// assert_eq!(searchsorted(&sorted, &array![2.0], Side::Right)?, array![3]);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Side {
    /// The first index i with `sorted[i] >= v`.
    Left,
    /// The first index i with `sorted[i] > v`.
    Right,
}

/// Which threshold crossings [`threshold_crossings`] reports.
///
/// ```
/// use ndarray::array;
/// use ndkit::ops::{threshold_crossings, Edge};
/// let x = array![0.0_f64, 2.0, 0.0];
/// assert_eq!(threshold_crossings(&x, 1.0, Edge::Rising), array![1]);
/// assert_eq!(threshold_crossings(&x, 1.0, Edge::Falling), array![2]);
/// assert_eq!(threshold_crossings(&x, 1.0, Edge::Both), array![1, 2]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Edge {
    /// Indices where `x` goes from ≤ t (or the start) to > t.
    Rising,
    /// Indices where `x` goes from > t to ≤ t (or NaN).
    Falling,
    /// Both.
    Both,
}

/// The bins of [`histogram`], as `numpy.histogram`'s `bins` and `range` arguments.
///
/// ```
/// use ndarray::array;
/// use ndkit::ops::{histogram, Bins};
/// # fn main() -> ndkit::Result<()> {
/// let x = array![0.5_f64, 1.5, 1.7, 9.0];
/// let (counts, edges) = histogram(&x, Bins::Range(2, 0.0, 2.0))?; // 9.0 is outside
/// assert_eq!(counts, array![1, 2]);
/// assert_eq!(edges, array![0.0, 1.0, 2.0]);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Bins<T> {
    /// This many equal bins over [min(x), max(x)] (`bins=n`); (0, 1) for an empty `x`, and
    /// ±0.5 around a single value.
    Count(usize),
    /// This many equal bins over [lo, hi] (`bins=n, range=(lo, hi)`); ±0.5 when lo = hi.
    Range(usize, T, T),
    /// The given bin edges, non-decreasing, at least two (`bins=edges`).
    Edges(Array1<T>),
}

/// NaN sorts after every number, as in NumPy.
#[inline]
fn nan_lt<T: Real>(a: T, b: T) -> bool {
    a < b || (b.is_nan() && !a.is_nan())
}

/// The indices at which `values` would be inserted into `sorted` to keep it sorted, as
/// `numpy.searchsorted(sorted, values, side)`; the result has the shape of `values`. NaN
/// sorts last, as in NumPy.
///
/// # Errors
/// [`Error::InvalidArgument`] when `sorted` is not ascending (naming the first offending
/// position).
///
/// ```
/// use ndarray::array;
/// use ndkit::ops::{searchsorted, Side};
/// # fn main() -> ndkit::Result<()> {
/// let edges = array![0.0_f64, 10.0, 20.0];
/// let idx = searchsorted(&edges, &array![[-1.0, 5.0], [10.0, 99.0]], Side::Right)?;
/// assert_eq!(idx, array![[0, 1], [2, 3]]);
/// # Ok(())
/// # }
/// ```
pub fn searchsorted<T: Real, S: Data<Elem = T>, Sv: Data<Elem = T>, D: Dimension>(
    sorted: &ArrayBase<S, Ix1>,
    values: &ArrayBase<Sv, D>,
    side: Side,
) -> Result<Array<usize, D>> {
    let sorted = sorted.to_vec();
    if let Some(i) = (1..sorted.len()).find(|&i| nan_lt(sorted[i], sorted[i - 1])) {
        return Err(Error::InvalidArgument {
            op: "searchsorted",
            message: format!(
                "sorted (length {}) is not ascending: element {} = {} follows {}",
                sorted.len(),
                i,
                sorted[i],
                sorted[i - 1]
            ),
        });
    }
    Ok(match side {
        Side::Left => values.map(|&v| sorted.partition_point(|&s| nan_lt(s, v))),
        Side::Right => values.map(|&v| sorted.partition_point(|&s| !nan_lt(v, s))),
    })
}

/// The indices where `x` crosses `threshold`: `Both` is
/// `np.flatnonzero(np.diff(x > t, prepend=False))`, `Rising` those of them where `x > t`,
/// `Falling` the others. NaN compares false, as in NumPy.
///
/// ```
/// use ndarray::array;
/// use ndkit::ops::{threshold_crossings, Edge};
/// // Spike detection: the samples where a membrane potential rises above -50 mV.
/// let v = array![-70.0_f64, -40.0, -30.0, -60.0, -45.0, -70.0];
/// assert_eq!(threshold_crossings(&v, -50.0, Edge::Rising), array![1, 4]);
/// ```
pub fn threshold_crossings<T: Real, S: Data<Elem = T>>(
    x: &ArrayBase<S, Ix1>,
    threshold: T,
    edge: Edge,
) -> Array1<usize> {
    let mut out = Vec::new();
    let mut before = false;
    for (i, &v) in x.iter().enumerate() {
        let above = v > threshold;
        if above != before {
            let keep = match edge {
                Edge::Both => true,
                Edge::Rising => above,
                Edge::Falling => !above,
            };
            if keep {
                out.push(i);
            }
        }
        before = above;
    }
    Array1::from(out)
}

/// The indices of the `true` elements of `mask`, one row per element in C (logical) order
/// and one column per axis, as `numpy.argwhere`. A 0-dimensional mask gives 0 or 1 rows of
/// 0 columns.
///
/// ```
/// use ndarray::array;
/// use ndkit::ops::argwhere;
/// let mask = array![[true, false], [false, true]];
/// assert_eq!(argwhere(&mask), array![[0, 0], [1, 1]]);
/// ```
pub fn argwhere<S: Data<Elem = bool>, D: Dimension>(mask: &ArrayBase<S, D>) -> Array2<usize> {
    let shape = mask.shape();
    let ndim = shape.len();
    let mut index = vec![0usize; ndim];
    let mut out = Vec::new();
    let mut count = 0;
    for &m in mask.iter() {
        if m {
            out.extend_from_slice(&index);
            count += 1;
        }
        // Odometer over the C-order index.
        for axis in (0..ndim).rev() {
            index[axis] += 1;
            if index[axis] < shape[axis] {
                break;
            }
            index[axis] = 0;
        }
    }
    Array2::from_shape_vec((count, ndim), out).expect("count × ndim indices")
}

/// How many times each value occurs in `x`, as `numpy.bincount(x, minlength=minlength)`:
/// length max(max(x) + 1, minlength).
///
/// ```
/// use ndkit::ops::bincount;
/// assert_eq!(bincount(&[0, 1, 1, 3], 0), ndarray::array![1, 2, 0, 1]);
/// assert_eq!(bincount(&[], 2), ndarray::array![0, 0]);
/// ```
pub fn bincount(x: &[usize], minlength: usize) -> Array1<usize> {
    let len = x.iter().max().map_or(0, |&m| m + 1).max(minlength);
    let mut counts = vec![0usize; len];
    for &v in x {
        counts[v] += 1;
    }
    Array1::from(counts)
}

/// How values are put into bins: equal bins by arithmetic with NumPy's corrections, or
/// explicit edges by binary search.
enum Binner<T> {
    Uniform {
        first: T,
        last: T,
        /// bins / (last − first), in T as NumPy 2 computes it.
        norm: T,
        edges: Vec<T>,
    },
    Edges(Vec<T>),
}

impl<T: Real> Binner<T> {
    fn new<S: Data<Elem = T>, D: Dimension>(
        op: &'static str,
        x: &ArrayBase<S, D>,
        bins: &Bins<T>,
    ) -> Result<Binner<T>> {
        let invalid = |message: String| Error::InvalidArgument { op, message };
        let (count, lo, hi) = match bins {
            Bins::Edges(e) => {
                if e.len() < 2 {
                    return Err(invalid(format!(
                        "bin edges of length {} give zero bins; at least two edges are needed",
                        e.len()
                    )));
                }
                let e = e.to_vec();
                if let Some(i) =
                    (1..e.len()).find(|&i| e[i] < e[i - 1] || e[i].is_nan() || e[i - 1].is_nan())
                {
                    return Err(invalid(format!(
                        "bin edges must increase monotonically: edge {} = {} follows {}",
                        i,
                        e[i],
                        e[i - 1]
                    )));
                }
                return Ok(Binner::Edges(e));
            }
            &Bins::Count(n) => {
                let (mut lo, mut hi, nan) = match x.as_slice_memory_order() {
                    Some(s) => range_of(s),
                    None => range_of(&x.iter().copied().collect::<Vec<T>>()),
                };
                if x.is_empty() {
                    (lo, hi) = (T::zero(), T::one());
                }
                if nan || !lo.is_finite() || !hi.is_finite() {
                    return Err(invalid(format!(
                        "the range of x (shape {:?}) is not finite{}",
                        x.shape(),
                        if nan { ": x contains NaN" } else { "" }
                    )));
                }
                (n, lo, hi)
            }
            &Bins::Range(n, lo, hi) => {
                if !lo.is_finite() || !hi.is_finite() {
                    return Err(invalid(format!("range ({lo}, {hi}) is not finite")));
                }
                if lo > hi {
                    return Err(invalid(format!(
                        "range ({lo}, {hi}): the lower bound exceeds the upper"
                    )));
                }
                (n, lo, hi)
            }
        };
        if count == 0 {
            return Err(invalid("zero bins; at least one is needed".to_string()));
        }
        let (mut first, mut last) = (lo, hi);
        if first == last {
            first -= T::from_f64_nearest(0.5);
            last += T::from_f64_nearest(0.5);
        }
        // np.linspace(first, last, count + 1) in T: i·step + first, the last edge exactly
        // `last`.
        let bins = T::from_f64_nearest(count as f64);
        let step = (last - first) / bins;
        let mut edges: Vec<T> = (0..=count)
            .map(|i| T::from_f64_nearest(i as f64) * step + first)
            .collect();
        edges[count] = last;
        Ok(Binner::Uniform {
            first,
            last,
            norm: bins / (last - first),
            edges,
        })
    }

    fn edges(&self) -> &[T] {
        match self {
            Binner::Uniform { edges, .. } | Binner::Edges(edges) => edges,
        }
    }

    /// The bin of `v`, or `None` outside the edges (and for NaN).
    #[inline]
    fn bin(&self, v: T) -> Option<usize> {
        match self {
            Binner::Uniform {
                first,
                last,
                norm,
                edges,
            } => {
                if !(v >= *first && v <= *last) {
                    return None;
                }
                let bins = edges.len() - 1;
                // NumPy: the arithmetic index, then corrected against the edges so that the
                // result is the same as a search would give.
                let mut i = to_f64((v - *first) * *norm) as usize;
                if i >= bins {
                    i = bins - 1;
                }
                if v < edges[i] {
                    i -= 1;
                } else if v >= edges[i + 1] && i != bins - 1 {
                    i += 1;
                }
                Some(i)
            }
            Binner::Edges(edges) => {
                let last = edges.len() - 1;
                if !(v >= edges[0] && v <= edges[last]) {
                    return None;
                }
                if v == edges[last] {
                    // The last bin is closed (and holds the value however many edges equal it).
                    return Some(last - 1);
                }
                Some(edges.partition_point(|&e| e <= v) - 1)
            }
        }
    }
}

/// (min, max, any NaN) of `s`, NaN left out of min and max; (+∞, −∞) for an empty slice. In
/// independent lanes, so that the loop vectorises.
fn range_of<T: Real>(s: &[T]) -> (T, T, bool) {
    const LANES: usize = 8;
    let (mut lo, mut hi) = ([T::infinity(); LANES], [T::neg_infinity(); LANES]);
    let mut nan = [false; LANES];
    let mut visit = |k: usize, v: T| {
        lo[k] = if v < lo[k] { v } else { lo[k] };
        hi[k] = if v > hi[k] { v } else { hi[k] };
        nan[k] |= v.is_nan();
    };
    let chunks = s.chunks_exact(LANES);
    let rest = chunks.remainder();
    for c in chunks {
        for (k, &v) in c.iter().enumerate() {
            visit(k, v);
        }
    }
    for (k, &v) in rest.iter().enumerate() {
        visit(k, v);
    }
    let min = lo.iter().fold(T::infinity(), |m, &v| m.min(v));
    let max = hi.iter().fold(T::neg_infinity(), |m, &v| m.max(v));
    (min, max, nan.iter().any(|&n| n))
}

fn to_f64<T: Real>(v: T) -> f64 {
    v.to_f64().unwrap_or(f64::NAN)
}

/// Counts of the values of `x` (any shape, flattened) in `bins`, and the bin edges, as
/// `numpy.histogram(x, bins)`.
///
/// Every bin is half-open [eᵢ, eᵢ₊₁) except the last, which is closed. Values outside the
/// edges are ignored, and so is NaN with [`Bins::Range`] and [`Bins::Edges`]; equal
/// neighbouring edges give empty bins. Equal bins are found by arithmetic with NumPy's
/// correction against the edges, so every value lands in the bin NumPy puts it in.
///
/// # Errors
/// [`Error::InvalidArgument`] for zero bins (also fewer than two edges), decreasing edges, a
/// `Range` with lo > hi or a non-finite bound, and NaN or ±∞ in `x` with [`Bins::Count`]
/// (NumPy: "autodetected range is not finite").
///
/// ```
/// use ndarray::array;
/// use ndkit::ops::{histogram, Bins};
/// # fn main() -> ndkit::Result<()> {
/// let x = array![1.0_f64, 2.0, 2.0, 3.0, 4.0];
/// let (counts, edges) = histogram(&x, Bins::Count(3))?;
/// assert_eq!(counts, array![1, 2, 2]); // 4.0 is in the last, closed bin
/// assert_eq!(edges, array![1.0, 2.0, 3.0, 4.0]);
/// # Ok(())
/// # }
/// ```
pub fn histogram<T: Real, S: Data<Elem = T>, D: Dimension>(
    x: &ArrayBase<S, D>,
    bins: Bins<T>,
) -> Result<(Array1<usize>, Array1<T>)> {
    let binner = Binner::new("histogram", x, &bins)?;
    let bins = binner.edges().len() - 1;
    // TABLES interleaved count tables, summed at the end: a run of equal bins then increments
    // different memory, not one counter whose every update waits for the previous store.
    const TABLES: usize = 4;
    let mut tables = vec![0usize; TABLES * bins];
    let mut add = |t: usize, v: T| {
        if let Some(i) = binner.bin(v) {
            tables[i * TABLES + t] += 1;
        }
    };
    match x.as_slice_memory_order() {
        Some(s) => {
            let quads = s.chunks_exact(TABLES);
            let rest = quads.remainder();
            for q in quads {
                for (t, &v) in q.iter().enumerate() {
                    add(t, v);
                }
            }
            rest.iter().for_each(|&v| add(0, v));
        }
        None => x.iter().for_each(|&v| add(0, v)),
    }
    let counts: Array1<usize> = tables
        .chunks_exact(TABLES)
        .map(|c| c.iter().sum())
        .collect();
    let edges = Array1::from(binner.edges().to_vec());
    Ok((counts, edges))
}

/// Sums of `weights` over the bins of the values of `x`, and the bin edges, as
/// `numpy.histogram(x, bins, weights=weights)`; binning as [`histogram`].
///
/// # Errors
/// As [`histogram`], and [`Error::IncompatibleShapes`] when `weights` and `x` differ in
/// shape.
///
/// ```
/// use ndarray::array;
/// use ndkit::ops::{histogram_weighted, Bins};
/// # fn main() -> ndkit::Result<()> {
/// let x = array![0.1_f64, 0.2, 0.9];
/// let w = array![1.0, 2.0, 5.0];
/// let (sums, _) = histogram_weighted(&x, &w, Bins::Range(2, 0.0, 1.0))?;
/// assert_eq!(sums, array![3.0, 5.0]);
/// # Ok(())
/// # }
/// ```
pub fn histogram_weighted<T: Real, S: Data<Elem = T>, Sw: Data<Elem = T>, D: Dimension>(
    x: &ArrayBase<S, D>,
    weights: &ArrayBase<Sw, D>,
    bins: Bins<T>,
) -> Result<(Array1<T>, Array1<T>)> {
    const OP: &str = "histogram_weighted";
    if x.shape() != weights.shape() {
        return Err(Error::IncompatibleShapes {
            op: OP,
            lhs: x.shape().to_vec(),
            rhs: weights.shape().to_vec(),
        });
    }
    let binner = Binner::new(OP, x, &bins)?;
    let mut sums = vec![T::zero(); binner.edges().len() - 1];
    Zip::from(x).and(weights).for_each(|&v, &w| {
        if let Some(i) = binner.bin(v) {
            sums[i] += w;
        }
    });
    let edges = Array1::from(binner.edges().to_vec());
    Ok((Array1::from(sums), edges))
}
