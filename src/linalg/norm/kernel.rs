//! The norm kernels: the overflow-safe scaled sum of squares (LAPACK 3.10's `?nrm2`
//! three-accumulator scheme), p-norms scaled by the largest entry, and NaN-aware reductions.

use std::mem::size_of;

use ndarray::{Array1, ArrayView1, ArrayView2, Axis, Zip};
use num_traits::{Float, Zero};

use super::VectorNorm;
use crate::scalar::Kernels;
use crate::{Real, Scalar};

/// Rewrites `P(p)` for the special values of p as the named order it equals.
pub(super) fn canonical(ord: VectorNorm) -> VectorNorm {
    match ord {
        VectorNorm::P(1.0) => VectorNorm::L1,
        VectorNorm::P(2.0) => VectorNorm::L2,
        VectorNorm::P(0.0) => VectorNorm::Zero,
        VectorNorm::P(p) if p == f64::INFINITY => VectorNorm::Inf,
        VectorNorm::P(p) if p == f64::NEG_INFINITY => VectorNorm::NegInf,
        other => other,
    }
}

/// Folds `step` over the entries of `x`. A contiguous `x` is split over [`LANES`] independent
/// accumulators (combined at the end with `combine`), so that successive steps do not wait
/// for each other; a strided one is folded in order.
#[inline(always)]
pub(super) fn reduce<T: Scalar, R: Copy>(
    x: &ArrayView1<'_, T>,
    init: R,
    step: impl Fn(R, T) -> R,
    combine: impl Fn(R, R) -> R,
) -> R {
    let Some(xs) = x.as_slice_memory_order() else {
        return x.fold(init, |acc, &v| step(acc, v));
    };
    let mut acc = [init; LANES];
    let mut blocks = xs.chunks_exact(LANES);
    for block in &mut blocks {
        for (a, &v) in acc.iter_mut().zip(block) {
            *a = step(*a, v);
        }
    }
    let tail = blocks.remainder().iter().fold(init, |a, &v| step(a, v));
    acc.into_iter().fold(tail, combine)
}

/// max(acc, v), except that a NaN on either side wins (NumPy's `max` propagates NaN).
#[inline]
pub(super) fn nan_max<R: Real>(acc: R, v: R) -> R {
    if v > acc || v.is_nan() {
        v
    } else {
        acc
    }
}

/// min(acc, v), except that a NaN on either side wins.
#[inline]
pub(super) fn nan_min<R: Real>(acc: R, v: R) -> R {
    if v < acc || v.is_nan() {
        v
    } else {
        acc
    }
}

/// (Σ|xᵢ|ᵖ)^(1/p) for finite p ∉ {0, 1, 2} (and NaN for p = NaN).
///
/// With s = max|xᵢ| (p > 0) or min|xᵢ| (p < 0) every term (|xᵢ|/s)ᵖ is at most 1 and the
/// term of xᵢ = s is exactly 1, so the sum lies in [1, n] and cannot overflow; the result is
/// s·sum^(1/p).
pub(super) fn p_norm<T: Scalar>(x: &ArrayView1<'_, T>, p: f64) -> T::Real {
    if p.is_nan() {
        return T::Real::nan();
    }
    let zero = T::Real::zero();
    let inf = T::Real::infinity();
    // The scale also settles the special cases: NaN → NaN; for p > 0 an infinite entry gives
    // ∞ and an all-zero (or empty) vector 0; for p < 0 a zero entry gives 0 and an all-infinite
    // (or empty) vector ∞, all as NumPy's Σ|xᵢ|ᵖ does.
    let scale = if p > 0.0 {
        reduce(x, zero, |acc, v| nan_max(acc, v.norm()), nan_max)
    } else {
        reduce(x, inf, |acc, v| nan_min(acc, v.norm()), nan_min)
    };
    if scale.is_nan() || scale == zero || scale == inf {
        return scale;
    }
    let pr = T::Real::from_f64_nearest(p);
    let add = |a: T::Real, b: T::Real| a + b;
    // For p < 0 an infinite entry gives ∞/s = ∞ and ∞ᵖ = 0, its true contribution.
    let sum = if p.fract() == 0.0 && p.abs() <= 64.0 {
        // Integer orders (3, 4, −1, …): powi's few multiplications instead of powf's exp/ln,
        // ten times faster; its relative error (≲ |p|·ε) shrinks by 1/|p| in the root.
        let k = p as i32;
        reduce(x, zero, |acc, v| acc + (v.norm() / scale).powi(k), add)
    } else {
        reduce(x, zero, |acc, v| acc + (v.norm() / scale).powf(pr), add)
    };
    let root = sum.powf(pr.recip());
    if root.is_finite() && root > zero {
        scale * root
    } else {
        // sum^(1/p) itself over- or underflows (tiny |p| and long x) while s·sum^(1/p) may
        // not: take it through logarithms.
        (scale.ln() + sum.ln() / pr).exp()
    }
}

/// Blue's thresholds and scale factors for the three-accumulator sum of squares (the
/// constants of LAPACK 3.10's `?nrm2`, Anderson 2017, "Algorithm 978: Safe Scaling in the
/// Level 1 BLAS"). Entries below `tsml` are accumulated scaled up by `ssml`, entries above
/// `tbig` scaled down by `sbig`, the rest as they are; no square over- or underflows.
#[derive(Clone, Copy)]
pub(super) struct Blue<R> {
    tsml: R,
    tbig: R,
    ssml: R,
    sbig: R,
    /// tsml², tbig²: the same bounds for squares.
    tsml2: R,
    tbig2: R,
}

impl<R: Real> Blue<R> {
    #[inline]
    pub(super) fn new() -> Self {
        // `Real` is sealed to f32 and f64, so the width identifies the IEEE format. Exponents:
        // tsml = 2^⌈(minexp−1)/2⌉, tbig = 2^⌊(maxexp−digits+1)/2⌋,
        // ssml = 2^−⌊(minexp−digits)/2⌋, sbig = 2^−⌈(maxexp+digits−1)/2⌉ with
        // (minexp, maxexp, digits) = (−125, 128, 24) for f32 and (−1021, 1024, 53) for f64.
        let single = size_of::<R>() == size_of::<f32>();
        let (tsml, tbig, ssml, sbig) = if single {
            (-63, 52, 75, -76)
        } else {
            (-511, 486, 537, -538)
        };
        // 2^e built from its bits (e is within f64's normal range): exact and cheap, which
        // matters when `vector_norm_axis` reduces many short lanes.
        let pow2 = |e: i32| R::from_f64_nearest(f64::from_bits(((1023 + e) as u64) << 52));
        debug_assert_eq!(R::epsilon(), pow2(if single { -23 } else { -52 }));
        Blue {
            tsml: pow2(tsml),
            tbig: pow2(tbig),
            ssml: pow2(ssml),
            sbig: pow2(sbig),
            tsml2: pow2(2 * tsml),
            tbig2: pow2(2 * tbig),
        }
    }
}

/// The three partial sums of squares of Blue's algorithm.
#[derive(Clone, Copy)]
pub(super) struct SumSq<R> {
    small: R,
    med: R,
    big: R,
}

impl<R: Real> SumSq<R> {
    #[inline]
    fn zero() -> Self {
        SumSq {
            small: R::zero(),
            med: R::zero(),
            big: R::zero(),
        }
    }

    /// Adds v² to the accumulator of its range. NaN lands in `med` and ±∞ in `big`, so both
    /// propagate to the result.
    #[inline(always)]
    fn add(&mut self, v: R, c: &Blue<R>) {
        let ax = v.abs();
        let is_big = ax > c.tbig;
        let is_small = ax < c.tsml;
        let big = if is_big { ax * c.sbig } else { R::zero() };
        let small = if is_small { ax * c.ssml } else { R::zero() };
        let med = if is_big || is_small { R::zero() } else { ax };
        self.big += big * big;
        self.small += small * small;
        self.med += med * med;
    }

    /// Adds every v². Kept out of line: blocks with values outside the medium range are
    /// rare, and inlining this step would crowd the accumulators of the blocked loop out of
    /// the registers.
    #[cold]
    #[inline(never)]
    fn add_all(&mut self, vs: &[R], c: &Blue<R>) {
        for &v in vs {
            self.add(v, c);
        }
    }

    /// Adds |x|² = re² + im².
    #[inline(always)]
    fn add_scalar<T: Scalar<Real = R>>(&mut self, x: T, c: &Blue<R>) {
        self.add(x.re(), c);
        if T::IS_COMPLEX {
            self.add(x.im(), c);
        }
    }

    #[inline]
    fn merge(self, other: Self) -> Self {
        SumSq {
            small: self.small + other.small,
            med: self.med + other.med,
            big: self.big + other.big,
        }
    }

    /// √(Σv²) from the partial sums, combined as LAPACK's `?nrm2` does.
    pub(super) fn finish(self, c: &Blue<R>) -> R {
        let zero = R::zero();
        let SumSq { small, med, big } = self;
        // `med.is_nan()` keeps a NaN entry alive through the combination.
        let has_med = med > zero || med.is_nan();
        if big > zero {
            // Small entries are then negligible: their squares are below 2^−230 (f32) or
            // 2^−1994 (f64) times any big one's.
            let big = if has_med {
                big + (med * c.sbig) * c.sbig
            } else {
                big
            };
            big.sqrt() / c.sbig
        } else if small > zero {
            if has_med {
                let (med, small) = (med.sqrt(), small.sqrt() / c.ssml);
                let (lo, hi) = if small > med {
                    (med, small)
                } else {
                    (small, med)
                };
                let ratio = lo / hi;
                hi * (R::one() + ratio * ratio).sqrt()
            } else {
                small.sqrt() / c.ssml
            }
        } else {
            med.sqrt()
        }
    }
}

/// Real values per block of the blocked sum of squares: 8 independent accumulators cover
/// the latency of the additions and fill the SIMD registers.
const LANES: usize = 8;

/// Scalars per block: `LANES` real or `LANES / 2` complex values.
fn per_block<T: Scalar>() -> usize {
    if T::IS_COMPLEX {
        LANES / 2
    } else {
        LANES
    }
}

/// One block of Blue's sum of squares: `block` holds exactly [`per_block`] scalars, i.e.
/// [`LANES`] real values (re and im parts for complex types).
///
/// When every value lies in the medium range — the common case — the squares go straight
/// into `LANES` independent medium accumulators `med`: a compare-and-accumulate step the
/// compiler turns into SIMD, with `med` kept in registers (it is a local of the caller that
/// never escapes). A block holding a small, big, infinite or NaN value takes the
/// three-accumulator step into `rest` instead. Each value is read once either way.
#[inline(always)]
fn add_block<T: Scalar>(
    med: &mut [T::Real; LANES],
    rest: &mut SumSq<T::Real>,
    block: &[T],
    c: &Blue<T::Real>,
) {
    let mut v = [T::Real::zero(); LANES];
    if T::IS_COMPLEX {
        for (pair, x) in v.chunks_exact_mut(2).zip(block) {
            pair[0] = x.re();
            pair[1] = x.im();
        }
    } else {
        for (vk, x) in v.iter_mut().zip(block) {
            *vk = x.re();
        }
    }
    // tsml ≤ |v| ≤ tbig exactly when tsml² ≤ v² ≤ tbig²: a v² that underflows is below
    // tsml² = 2^(minexp−1) (the smallest normal number), one that overflows is above tbig²,
    // and NaN fails both. Non-short-circuiting `&=`, so the test vectorises.
    let mut sq = [T::Real::zero(); LANES];
    let mut medium = true;
    for (s, vk) in sq.iter_mut().zip(&v) {
        *s = *vk * *vk;
        medium &= *s >= c.tsml2;
        medium &= *s <= c.tbig2;
    }
    if medium {
        for (acc, s) in med.iter_mut().zip(sq) {
            *acc += s;
        }
    } else {
        rest.add_all(&v, c);
    }
}

/// Folds the medium lanes into `rest`.
fn finish_blocks<R: Real>(med: [R; LANES], mut rest: SumSq<R>) -> SumSq<R> {
    rest.med += med.into_iter().fold(R::zero(), |a, b| a + b);
    rest
}

/// Runs of at least this many scalars are first summed by BLAS (see [`sumsq_by_dot`]); for
/// shorter ones the call costs more than it saves, and `vector_norm_axis` reduces many short
/// lanes.
const DOT_MIN_LEN: usize = 1 << 14;

/// Σ|xᵢ|² as `x·x` by BLAS `?dot` over the real and imaginary parts — NumPy's own formula for
/// the 2-norm, vectorised and threaded by OpenBLAS — when that sum is provably as accurate as
/// the scaled one: finite (so no square overflowed; NaN and ±∞ fail too) and at least
/// len·`MIN_POSITIVE`/ε, so that the squares lost to underflow, at most 2^−1075 (f64) or
/// 2^−150 (f32) each, change it by less than ε² relatively. `None` otherwise.
fn sumsq_by_dot<T: Scalar>(xs: &[T]) -> Option<T::Real> {
    let parts = if T::IS_COMPLEX { 2 } else { 1 };
    debug_assert_eq!(size_of::<T>(), parts * size_of::<T::Real>());
    // SAFETY: `Scalar` is sealed to f32, f64 and `Complex<f32|f64>`; the complex types are
    // `#[repr(C)]` pairs (re, im) of their real type, so `xs` is `parts · len` reals.
    let reals: &[T::Real] =
        unsafe { std::slice::from_raw_parts(xs.as_ptr().cast(), parts * xs.len()) };
    let mut sum = T::Real::zero();
    for run in reals.chunks(i32::MAX as usize) {
        // ≤ i32::MAX by the chunk size.
        let n = run.len() as i32;
        // SAFETY: `run` holds n contiguous reals, read with increment 1 as both operands.
        sum += unsafe { T::Real::dotu(n, run.as_ptr(), 1, run.as_ptr(), 1) };
    }
    let count = T::Real::from_f64_nearest(reals.len() as f64);
    let bound = count * T::Real::min_positive_value() / T::Real::epsilon();
    (sum.is_finite() && sum >= bound).then_some(sum)
}

/// Partial sums of squares of a contiguous run.
fn sumsq_slice<T: Scalar>(xs: &[T], c: &Blue<T::Real>) -> SumSq<T::Real> {
    if xs.len() >= DOT_MIN_LEN {
        if let Some(sum) = sumsq_by_dot(xs) {
            return SumSq {
                med: sum,
                ..SumSq::zero()
            };
        }
    }
    let mut med = [T::Real::zero(); LANES];
    let mut rest = SumSq::zero();
    let mut blocks = xs.chunks_exact(per_block::<T>());
    for block in &mut blocks {
        add_block(&mut med, &mut rest, block, c);
    }
    for &x in blocks.remainder() {
        rest.add_scalar(x, c);
    }
    finish_blocks(med, rest)
}

/// Partial sums of squares of a vector of any stride: contiguous runs go to
/// [`sumsq_slice`]; strided ones are gathered block by block into a small buffer.
pub(super) fn sumsq_1d<T: Scalar>(x: &ArrayView1<'_, T>, c: &Blue<T::Real>) -> SumSq<T::Real> {
    if let Some(xs) = x.as_slice_memory_order() {
        return sumsq_slice(xs, c);
    }
    let per_block = per_block::<T>();
    let mut med = [T::Real::zero(); LANES];
    let mut rest = SumSq::zero();
    let mut buf = [T::zero(); LANES];
    // (`axis_chunks_iter` rather than `exact_chunks`, which mishandles negative strides.)
    for block in x.axis_chunks_iter(Axis(0), per_block) {
        if block.len() == per_block {
            for (slot, &v) in buf.iter_mut().zip(&block) {
                *slot = v;
            }
            add_block(&mut med, &mut rest, &buf[..per_block], c);
        } else {
            for &v in &block {
                rest.add_scalar(v, c);
            }
        }
    }
    finish_blocks(med, rest)
}

/// Partial sums of squares of every entry of a matrix of any layout: in memory order when it
/// is contiguous, else lane by lane along the axis of smallest stride.
pub(super) fn sumsq_2d<T: Scalar>(a: &ArrayView2<'_, T>, c: &Blue<T::Real>) -> SumSq<T::Real> {
    if let Some(xs) = a.as_slice_memory_order() {
        return sumsq_slice(xs, c);
    }
    let (rows, cols) = a.dim();
    let (rs, cs) = (a.strides()[0].unsigned_abs(), a.strides()[1].unsigned_abs());
    let inner = if cols > 1 && (rows <= 1 || cs <= rs) {
        Axis(1)
    } else {
        Axis(0)
    };
    a.lanes(inner)
        .into_iter()
        .fold(SumSq::zero(), |acc, lane| acc.merge(sumsq_1d(&lane, c)))
}

/// Σ|aᵢⱼ| along `axis` (0: column sums, 1: row sums), each summed in index order, so every
/// layout gives bit-identical sums. Contiguous lanes are summed one by one; otherwise whole
/// sub-views along `axis` are accumulated into the sums, which keeps the reads contiguous.
pub(super) fn abs_sums<T: Scalar>(a: &ArrayView2<'_, T>, axis: Axis) -> Array1<T::Real> {
    let across = Axis(1 - axis.index());
    let lanes_are_inner = a.len_of(axis) <= 1
        || a.stride_of(axis).unsigned_abs() <= a.stride_of(across).unsigned_abs();
    if lanes_are_inner {
        a.map_axis(axis, |lane| {
            lane.iter().fold(T::Real::zero(), |acc, v| acc + v.norm())
        })
    } else {
        let mut sums = Array1::<T::Real>::zeros(a.len_of(across));
        for sub in a.axis_iter(axis) {
            Zip::from(&mut sums)
                .and(&sub)
                .for_each(|s, v| *s += v.norm());
        }
        sums
    }
}
