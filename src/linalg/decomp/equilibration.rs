//! Row/column equilibration of a square matrix before its LU factorisation, as LAPACK's
//! expert driver `?gesvx` (`FACT = 'E'`) applies it, and the 1-norm `?gecon` needs.
//!
//! The scalings are those `?geequ` computes for `A` itself, also when the column-major buffer
//! holds `Aᵀ` (a C-order input), so the singularity verdict does not depend on the memory
//! layout. The row and column maxima and the column sums all come from one pass over the
//! buffer's contiguous columns, vectorised; a second pass is needed only to scale a badly
//! scaled matrix.

use ndarray::{Array2, ArrayBase, DataMut, Ix2};
use num_traits::{Float, One, Zero};

use crate::Scalar;

/// The scalings applied to the buffer `B` (`A` or `Aᵀ`): it now holds `F = R·B·C`.
pub(super) struct Equilibrated<R> {
    /// `R`, when the rows of the buffer were scaled.
    pub(super) row_scale: Option<Vec<R>>,
    /// `C`, when the columns of the buffer were scaled.
    pub(super) col_scale: Option<Vec<R>>,
    /// The 1-norm of the scaled `A` (largest column sum of |aᵢⱼ|; NaN when any entry is NaN),
    /// which is the buffer's 1-norm, or its ∞-norm when it holds `Aᵀ`.
    pub(super) norm1: R,
}

/// Scales the n×n column-major `buf` (holding `A`, or `Aᵀ` when `transposed`) in place when
/// `A` is badly scaled, as `?gesvx` decides: rows when the ratio of the smallest to the largest
/// row scale of `?geequ` is below 0.1 or the entries are near overflow/underflow, columns when
/// that ratio for the columns is below 0.1. Nothing is scaled for a zero row or column (the
/// factorisation reports the zero pivot) or for non-finite entries.
pub(super) fn equilibrate<T: Scalar>(
    buf: &mut Array2<T>,
    transposed: bool,
) -> Equilibrated<T::Real> {
    let stats = abs_stats(buf, transposed);
    let Some((a_rows, a_cols)) = scalings(buf, transposed, &stats) else {
        return Equilibrated {
            row_scale: None,
            col_scale: None,
            norm1: stats.norm1,
        };
    };
    // F = R·B·C with B = A, or B = Aᵀ where diag(r)·A·diag(c) transposes to diag(c)·Aᵀ·diag(r).
    let (row_scale, col_scale) = if transposed {
        (a_cols, a_rows)
    } else {
        (a_rows, a_cols)
    };
    scale(buf, row_scale.as_deref(), col_scale.as_deref());
    Equilibrated {
        row_scale,
        col_scale,
        norm1: abs_stats(buf, transposed).norm1,
    }
}

/// `diag(rows)·x·diag(cols)` in place, walking the contiguous columns of a column-major `x`.
pub(super) fn scale<T: Scalar, S: DataMut<Elem = T>>(
    x: &mut ArrayBase<S, Ix2>,
    rows: Option<&[T::Real]>,
    cols: Option<&[T::Real]>,
) {
    if rows.is_none() && cols.is_none() {
        return;
    }
    for (j, mut col) in x.columns_mut().into_iter().enumerate() {
        let cj = cols.map_or(T::Real::one(), |c| c[j]);
        match rows {
            Some(r) => col
                .iter_mut()
                .zip(r)
                .for_each(|(v, &ri)| *v = *v * (ri * cj)),
            None => col.iter_mut().for_each(|v| *v = *v * cj),
        }
    }
}

/// Factors for the rows and the columns of `A`, each present only when applied.
type Factors<R> = (Option<Vec<R>>, Option<Vec<R>>);

/// Whether `?gesvx` certainly leaves `A` unscaled, judged from its row and column maxima of
/// |aᵢⱼ| = |re| + |im| alone: a zero row or an infinite entry (nothing is scaled), or rows within
/// a factor 10 of each other, no entry near overflow or underflow, and every column maximum
/// above 1/8 of the largest entry (then every column factor is within the 0.1 ratio too).
/// `false` means the column pass of [`scalings`] has to decide. The small-matrix kernels of
/// the stacked functions take their fast path only when this holds.
pub(crate) fn certainly_unscaled<R: Float + Scalar>(row_max: &[R], col_max: &[R]) -> bool {
    let (zero, eps) = (R::zero(), R::epsilon());
    let (small, big) = (R::min_positive_value(), R::min_positive_value().recip());
    let (rmin, amax) = extremes(row_max);
    if rmin <= zero || !amax.is_finite() {
        return true;
    }
    let thresh = <R as Scalar>::from_f64_nearest(0.1);
    let rowcnd = rmin.max(small) / amax.min(big);
    let scale_rows = rowcnd < thresh || amax < small / eps || amax > eps / small;
    let (cmin_bound, _) = extremes(col_max);
    let unclamped = rmin >= small && amax <= big;
    let margin = <R as Scalar>::from_f64_nearest(1.25);
    !scale_rows && unclamped && cmin_bound >= thresh * margin * amax
}

/// `?geequ`'s row and column scalings of `A` (`r_i = 1/max_j |a_ij|`, `c_j = 1/max_i
/// |a_ij|·r_i`, |·| = |re| + |im|, clamped to the safe range), each only when `?gesvx` would
/// apply it; `None` when nothing is to be scaled.
fn scalings<T: Scalar>(
    buf: &Array2<T>,
    transposed: bool,
    stats: &AbsStats<T::Real>,
) -> Option<Factors<T::Real>> {
    let (zero, eps) = (T::Real::zero(), T::Real::epsilon());
    let (small, big) = (
        T::Real::min_positive_value(),
        T::Real::min_positive_value().recip(),
    );
    let thresh = <T::Real as Scalar>::from_f64_nearest(0.1);
    let (rmin, amax) = extremes(&stats.row_max);
    // A zero row, or ±∞ somewhere (NaN entries are skipped by the maxima: getrf and gecon
    // then give a NaN factor and condition estimate).
    if rmin <= zero || !amax.is_finite() {
        return None;
    }
    let rowcnd = rmin.max(small) / amax.min(big);
    let scale_rows = rowcnd < thresh || amax < small / eps || amax > eps / small;
    let row: Vec<T::Real> = stats
        .row_max
        .iter()
        .map(|&r| r.max(small).min(big).recip())
        .collect();
    // Every c_j lies in [max_i |a_ij| / amax, 1] when no row factor is clamped, so when the
    // smallest column maximum is well above 0.1·amax the column ratio is too, and the exact
    // column factors (a second pass) are not needed. The 1.25 margin covers their rounding.
    if certainly_unscaled(&stats.row_max, &stats.col_max) {
        return None;
    }
    let (cmin_bound, _) = extremes(&stats.col_max);
    let unclamped = rmin >= small && amax <= big;
    let margin = <T::Real as Scalar>::from_f64_nearest(1.25);
    if unclamped && cmin_bound >= thresh * margin * amax {
        return scale_rows.then_some((Some(row), None));
    }
    let mut col = column_maxima(buf, transposed, &row);
    let (cmin, cmax) = extremes(&col);
    if cmin <= zero {
        return None;
    }
    let colcnd = cmin.max(small) / cmax.min(big);
    col.iter_mut()
        .for_each(|c| *c = c.max(small).min(big).recip());
    let rows = scale_rows.then_some(row);
    let cols = (colcnd < thresh).then_some(col);
    (rows.is_some() || cols.is_some()).then_some((rows, cols))
}

/// (smallest, largest) of non-negative values.
fn extremes<R: Float>(x: &[R]) -> (R, R) {
    x.iter().fold((R::infinity(), R::zero()), |(lo, hi), &v| {
        (lo.min(v), hi.max(v))
    })
}

/// max_i |a_ij|·r_i for every column j of `A`: the second pass of `?geequ`.
fn column_maxima<T: Scalar>(buf: &Array2<T>, transposed: bool, row: &[T::Real]) -> Vec<T::Real> {
    let n = buf.nrows();
    let mut col = vec![T::Real::zero(); n];
    for (j, lane) in buf.columns().into_iter().enumerate() {
        if transposed {
            // The buffer's column j is row j of A.
            let rj = row[j];
            col.iter_mut()
                .zip(lane)
                .for_each(|(c, &v)| *c = c.max(abs1(v) * rj));
        } else {
            col[j] = lane
                .iter()
                .zip(row)
                .fold(T::Real::zero(), |m, (&v, &r)| m.max(abs1(v) * r));
        }
    }
    col
}

/// What one pass over `A` gives: the row and column maxima of |aᵢⱼ| = |re| + |im| (NaN
/// entries skipped) and the 1-norm (largest column sum of the moduli; NaN if any is NaN).
struct AbsStats<R> {
    row_max: Vec<R>,
    col_max: Vec<R>,
    norm1: R,
}

/// [`AbsStats`] of `A` from the column-major buffer holding `A`, or `Aᵀ` when `transposed`.
fn abs_stats<T: Scalar>(buf: &Array2<T>, transposed: bool) -> AbsStats<T::Real> {
    let n = buf.nrows();
    let zero = T::Real::zero();
    let (mut lane_max, mut lane_sum) = (vec![zero; n], vec![zero; n]);
    let (mut cross_max, mut cross_sum) = (vec![zero; n], vec![zero; n]);
    for (j, lane) in buf.columns().into_iter().enumerate() {
        let lane = lane.to_slice().expect("LU buffers are column-major");
        let sums = transposed.then_some(&mut cross_sum[..]);
        (lane_max[j], lane_sum[j]) = fold_lane(lane, &mut cross_max, sums);
    }
    // Buffer columns are A's columns, or A's rows when it holds Aᵀ.
    let (row_max, col_max, col_sums) = if transposed {
        (lane_max, cross_max, cross_sum)
    } else {
        (cross_max, lane_max, lane_sum)
    };
    let norm1 = col_sums
        .into_iter()
        .fold(zero, |m, s| if s > m || s.is_nan() { s } else { m });
    AbsStats {
        row_max,
        col_max,
        norm1,
    }
}

/// Accumulators per lane: enough independent maxima and sums to fill the SIMD registers.
const LANES: usize = 8;

/// Folds one contiguous buffer column into the running maxima across columns (`cross_max`)
/// and, when given, the running sums across columns (`cross_sum`); returns the column's own
/// maximum and sum (the sum only when `cross_sum` is `None`). Blocks of [`LANES`] independent
/// accumulators keep the additions and comparisons from waiting on each other.
fn fold_lane<T: Scalar>(
    lane: &[T],
    cross_max: &mut [T::Real],
    cross_sum: Option<&mut [T::Real]>,
) -> (T::Real, T::Real) {
    let zero = T::Real::zero();
    let (mut max, mut sum) = ([zero; LANES], [zero; LANES]);
    let mut step = |q: usize, x: T, cross: &mut T::Real| {
        let a = abs1(x);
        *cross = nan_skipping_max(*cross, a);
        max[q] = nan_skipping_max(max[q], a);
        modulus(x)
    };
    let n = lane.len() - lane.len() % LANES;
    match cross_sum {
        None => {
            let blocks = lane[..n].chunks_exact(LANES);
            for (xs, cs) in blocks.zip(cross_max.chunks_exact_mut(LANES)) {
                for q in 0..LANES {
                    sum[q] += step(q, xs[q], &mut cs[q]);
                }
            }
            for (q, (&x, c)) in lane[n..].iter().zip(&mut cross_max[n..]).enumerate() {
                sum[q] += step(q, x, c);
            }
        }
        Some(sums) => {
            let blocks = lane[..n]
                .chunks_exact(LANES)
                .zip(cross_max.chunks_exact_mut(LANES));
            for ((xs, cs), ss) in blocks.zip(sums.chunks_exact_mut(LANES)) {
                for q in 0..LANES {
                    ss[q] += step(q, xs[q], &mut cs[q]);
                }
            }
            let rest = lane[n..].iter().zip(&mut cross_max[n..]);
            for (q, ((&x, c), s)) in rest.zip(&mut sums[n..]).enumerate() {
                *s += step(q, x, c);
            }
        }
    }
    (
        max.into_iter().fold(zero, nan_skipping_max),
        sum.into_iter().fold(zero, |a, b| a + b),
    )
}

/// The larger of `m` and `a`, keeping `m` when `a` is NaN: one `maxpd` on x86.
#[inline(always)]
fn nan_skipping_max<R: Float>(m: R, a: R) -> R {
    if a > m {
        a
    } else {
        m
    }
}

/// |re| + |im|, the cheap modulus `?geequ` uses.
#[inline(always)]
pub(crate) fn abs1<T: Scalar>(x: T) -> T::Real {
    if T::IS_COMPLEX {
        x.re().abs() + x.im().abs()
    } else {
        x.re().abs()
    }
}

/// The true modulus, as the 1-norm needs it.
#[inline(always)]
pub(crate) fn modulus<T: Scalar>(x: T) -> T::Real {
    if T::IS_COMPLEX {
        x.norm()
    } else {
        x.re().abs()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::c64;
    use ndarray::ShapeBuilder;
    use num_traits::ToPrimitive;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    /// `?geequ` and `?gesvx`'s decision written out directly on `A`: (row factors, column
    /// factors, 1-norm of the scaled A), each factor list present only when applied.
    fn reference<T: Scalar>(a: &Array2<T>) -> (Factors<T::Real>, f64) {
        let (small, big) = (
            T::Real::min_positive_value(),
            T::Real::min_positive_value().recip(),
        );
        let thresh = <T::Real as Scalar>::from_f64_nearest(0.1);
        let eps = T::Real::epsilon();
        let row_max: Vec<_> = a
            .rows()
            .into_iter()
            .map(|r| r.iter().fold(T::Real::zero(), |m, &v| m.max(abs1(v))))
            .collect();
        let (rmin, amax) = extremes(&row_max);
        let mut scaled = a.clone();
        let (mut rows, mut cols) = (None, None);
        if rmin > T::Real::zero() && amax.is_finite() {
            let r: Vec<_> = row_max
                .iter()
                .map(|&v| v.max(small).min(big).recip())
                .collect();
            let c_max: Vec<_> = a
                .columns()
                .into_iter()
                .map(|c| {
                    c.iter()
                        .zip(&r)
                        .fold(T::Real::zero(), |m, (&v, &ri)| m.max(abs1(v) * ri))
                })
                .collect();
            let (cmin, cmax) = extremes(&c_max);
            if cmin > T::Real::zero() {
                let rowcnd = rmin.max(small) / amax.min(big);
                let colcnd = cmin.max(small) / cmax.min(big);
                if rowcnd < thresh || amax < small / eps || amax > eps / small {
                    rows = Some(r);
                }
                if colcnd < thresh {
                    cols = Some(
                        c_max
                            .iter()
                            .map(|&v| v.max(small).min(big).recip())
                            .collect(),
                    );
                }
            }
        }
        scale(&mut scaled, rows.as_deref(), cols.as_deref());
        let norm1 = scaled
            .columns()
            .into_iter()
            .map(|c| c.iter().map(|v| modulus(*v).to_f64().unwrap()).sum::<f64>())
            .fold(0.0, f64::max);
        ((rows, cols), norm1)
    }

    /// Random matrices with row and column scalings drawn around `?gesvx`'s 0.1 threshold
    /// (and far from it): the one-pass decision, the factors and the norm agree with the
    /// reference for both buffer layouts.
    fn check<T: Scalar>(make: impl Fn(f64, f64) -> T) {
        let mut rng = StdRng::seed_from_u64(7);
        for trial in 0..400 {
            let n = rng.random_range(1..12);
            let spread = [0.5, 1.0, 1.5, 3.0][trial % 4];
            let rs: Vec<f64> = (0..n)
                .map(|_| 10f64.powf(-spread * rng.random::<f64>()))
                .collect();
            let cs: Vec<f64> = (0..n)
                .map(|_| 10f64.powf(-spread * rng.random::<f64>()))
                .collect();
            let a = Array2::from_shape_fn((n, n), |(i, j)| {
                let v = make(rng.random_range(-1.0..1.0), rng.random_range(-1.0..1.0));
                v * T::from_f64_nearest(rs[i] * cs[j])
            });
            let ((rows, cols), norm1) = reference(&a);
            for transposed in [false, true] {
                let mut buf = Array2::zeros((n, n).f());
                buf.assign(&if transposed {
                    a.t().to_owned()
                } else {
                    a.clone()
                });
                let eq = equilibrate(&mut buf, transposed);
                let (got_rows, got_cols) = if transposed {
                    (eq.col_scale, eq.row_scale)
                } else {
                    (eq.row_scale, eq.col_scale)
                };
                let what = format!("trial {trial}, n = {n}, transposed = {transposed}");
                assert_eq!(got_rows, rows, "row factors, {what}");
                assert_eq!(got_cols, cols, "column factors, {what}");
                let got = eq.norm1.to_f64().unwrap();
                // Sums of n ≤ 11 moduli in a different order: within 2n·ε relative.
                let tol = 2.0 * n as f64 * T::Real::epsilon().to_f64().unwrap() * norm1;
                assert!((got - norm1).abs() <= tol, "norm {got} vs {norm1}, {what}");
            }
        }
    }

    #[test]
    fn one_pass_equilibration_matches_geequ_and_gesvx() {
        check::<f64>(|re, _| re);
        check::<f32>(|re, _| re as f32);
        check::<c64>(c64::new);
    }

    #[test]
    fn zero_rows_and_infinities_are_not_scaled() {
        let mut zero_row = Array2::<f64>::zeros((3, 3).f());
        zero_row.assign(&ndarray::array![
            [1e-9, 0.0, 1.0],
            [0.0, 0.0, 0.0],
            [1.0, 2.0, 3.0]
        ]);
        let eq = equilibrate(&mut zero_row, false);
        assert!(eq.row_scale.is_none() && eq.col_scale.is_none());
        assert_eq!(eq.norm1, 4.0);
        let mut inf = Array2::<f64>::ones((2, 2).f());
        inf[[0, 1]] = f64::INFINITY;
        assert!(equilibrate(&mut inf, true).norm1.is_infinite());
        let mut nan = Array2::<f64>::ones((2, 2).f());
        nan[[1, 0]] = f64::NAN;
        assert!(equilibrate(&mut nan, false).norm1.is_nan());
    }
}
