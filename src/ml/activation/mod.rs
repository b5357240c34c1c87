//! Activations: `relu` and its gradient, `softmax` and `log_softmax` along any axis (this
//! file), the smooth activations `sigmoid`, `tanh`, `silu`, `softplus`, `leaky_relu`, `gelu`
//! and their backward passes (`smooth.rs`, on the scalar kernels of `math.rs` and the
//! write-once drivers of `elementwise.rs`).
//!
//! | function | computation |
//! |---|---|
//! | [`relu`] | `max(x, 0)` element-wise (NaN propagates, as in NumPy and PyTorch) |
//! | [`relu_backward`] | `g` where `x > 0`, else `0` (PyTorch's convention at `x = 0`) |
//! | [`softmax`] | per lane: `m = max`, `e = exp(x − m)` written to the output, `e / Σe` |
//! | [`log_softmax`] | per lane: `m = max`, `s = Σ exp(x − m)`, `(x − m) − ln s` |
//!
//! Subtracting the lane maximum keeps every exponent `≤ 0`, so nothing overflows: any finite
//! input (logits of ±1e4, ±1e30) gives finite results, and the lane's largest entry contributes
//! exactly `exp(0) = 1` to the sum, so the logarithm is never of zero.
//!
//! `ln s` is computed as `ln_1p(s − 1)` with `s − 1` summed without the 1 contributed by the
//! maximum, so log-probabilities close to 0 (confident predictions) keep full relative
//! accuracy, where `ln(s)` would have an absolute error of ε.
//!
//! Each lane is read twice (the max, then the exponentials, which are written straight into the
//! output and summed there) and the output lane is rescaled while still in cache. The
//! exponential is a branch-free Cody–Waite reduction with a polynomial (Cephes' `expf` for
//! `f32`, a degree-13 Taylor polynomial for `f64`; both within 2 ulp of the correctly rounded
//! value, including the subnormal range) that the compiler vectorises; it is also used by the
//! losses. The per-lane kernels are compiled twice, for the baseline target and for AVX2+FMA
//! (8 lanes, fused multiply–adds in the exponential), and the second is chosen at run time
//! when the CPU has it; both exponentials are within 2 ulp. Lanes that are not contiguous in memory are gathered into a scratch buffer first.

pub(crate) mod elementwise;
pub(crate) mod math;
mod smooth;

use std::mem::MaybeUninit;

use ndarray::{Array, ArrayBase, Axis, Data, Dimension, Zip};

pub use smooth::{
    gelu, gelu_backward, leaky_relu, leaky_relu_backward, sigmoid, sigmoid_backward, silu,
    silu_backward, softplus, softplus_backward, tanh, tanh_backward, GeluApprox,
};

use crate::lanes::{assume_init_slice, map_lanes};
use crate::{Error, Real, Result};

/// `max(x, 0)` element-wise (the rectified linear unit). NaN stays NaN.
///
/// ```
/// use ndarray::array;
/// assert_eq!(ndkit::ml::relu(&array![-1.0, 0.0, 2.5]), array![0.0, 0.0, 2.5]);
/// ```
pub fn relu<T: Real, S: Data<Elem = T>, D: Dimension>(x: &ArrayBase<S, D>) -> Array<T, D> {
    x.mapv(|v| if v < T::zero() { T::zero() } else { v })
}

/// The gradient of [`relu`]: `grad_out` where `x > 0`, `0` elsewhere (also at `x = 0` and for
/// NaN, as PyTorch's `threshold_backward`). `x` is the input that was given to `relu`.
///
/// # Errors
/// [`Error::IncompatibleShapes`] when `x` and `grad_out` differ in shape.
///
/// ```
/// use ndarray::array;
/// # fn main() -> ndkit::Result<()> {
/// let x = array![[-1.0, 0.0, 2.0]];
/// let g = array![[10.0, 20.0, 30.0]];
/// assert_eq!(ndkit::ml::relu_backward(&x, &g)?, array![[0.0, 0.0, 30.0]]);
/// # Ok(())
/// # }
/// ```
pub fn relu_backward<T, Sx, Sg, D>(
    x: &ArrayBase<Sx, D>,
    grad_out: &ArrayBase<Sg, D>,
) -> Result<Array<T, D>>
where
    T: Real,
    Sx: Data<Elem = T>,
    Sg: Data<Elem = T>,
    D: Dimension,
{
    if x.shape() != grad_out.shape() {
        return Err(Error::IncompatibleShapes {
            op: "relu_backward",
            lhs: x.shape().to_vec(),
            rhs: grad_out.shape().to_vec(),
        });
    }
    Ok(Zip::from(x)
        .and(grad_out)
        .map_collect(|&v, &g| if v > T::zero() { g } else { T::zero() }))
}

/// `exp(x) / Σ exp(x)` along `axis` (`scipy.special.softmax(x, axis)`), computed stably: the
/// lane maximum is subtracted first, so any finite input gives a finite result that sums to 1.
///
/// The result has `x`'s shape, in Fortran order if `x` is Fortran-contiguous and C order
/// otherwise. A lane containing NaN or +∞ (or only −∞) is NaN throughout, as with NumPy's
/// formula; −∞ among finite values is simply probability 0.
///
/// # Panics
/// If `axis` is not an axis of `x` (`axis.index() >= x.ndim()`), like ndarray's own axis
/// methods.
///
/// ```
/// use ndarray::{array, Axis};
/// let p = ndkit::ml::softmax(&array![[1.0, 1.0], [1e4, -1e4]], Axis(1));
/// assert_eq!(p, array![[0.5, 0.5], [1.0, 0.0]]);
/// let q = ndkit::ml::softmax(&array![[0.0_f32], [0.0]], Axis(0));
/// assert_eq!(q, array![[0.5_f32], [0.5]]);
/// ```
pub fn softmax<T: Real, S: Data<Elem = T>, D: Dimension>(
    x: &ArrayBase<S, D>,
    axis: Axis,
) -> Array<T, D> {
    // SAFETY: the lane kernel's first pass (`exp_shifted_sum`) writes every element of `dst`.
    unsafe { map_lanes(x, axis, softmax_lane_simd) }
}

/// `x − ln Σ exp(x)` along `axis` (`scipy.special.log_softmax(x, axis)`), computed stably as
/// `(x − m) − ln Σ exp(x − m)` with `m` the lane maximum: finite for any finite input (logits
/// of ±1e4 give exactly `0` and `−2e4`), and never the logarithm of a rounded-to-zero softmax.
///
/// The result has `x`'s shape, in Fortran order if `x` is Fortran-contiguous and C order
/// otherwise.
///
/// # Panics
/// If `axis` is not an axis of `x` (`axis.index() >= x.ndim()`), like ndarray's own axis
/// methods.
///
/// ```
/// use ndarray::{array, Axis};
/// let l = ndkit::ml::log_softmax(&array![[1e4, -1e4], [0.0, 0.0]], Axis(1));
/// assert_eq!(l[[0, 0]], 0.0);
/// assert_eq!(l[[0, 1]], -2e4);
/// assert!((l[[1, 0]] + std::f64::consts::LN_2).abs() < 1e-15);
/// ```
pub fn log_softmax<T: Real, S: Data<Elem = T>, D: Dimension>(
    x: &ArrayBase<S, D>,
    axis: Axis,
) -> Array<T, D> {
    // SAFETY: the lane kernel's first pass (`exp_shifted_split`) writes every element of
    // `dst`.
    unsafe { map_lanes(x, axis, log_softmax_lane_simd) }
}

/// One lane of [`softmax`]: `dst = exp(src − max) / Σ`.
#[inline(always)]
fn softmax_lane<T: Real, const FMA: bool>(src: &[T], dst: &mut [MaybeUninit<T>]) {
    let m = max_of(src);
    let (dst, sum) = exp_shifted_sum::<T, FMA>(src, m, dst);
    let inv = T::one() / sum;
    for d in dst.iter_mut() {
        *d *= inv;
    }
}

/// One lane of [`log_softmax`]: `dst = (src − max) − ln Σ exp(src − max)`.
#[inline(always)]
fn log_softmax_lane<T: Real, const FMA: bool>(src: &[T], dst: &mut [MaybeUninit<T>]) {
    let m = max_of(src);
    let (dst, parts) = exp_shifted_split::<T, FMA>(src, m, dst);
    let log_sum = ln_of_split(parts);
    for (d, &v) in dst.iter_mut().zip(src) {
        *d = (v - m) - log_sum;
    }
}

pub(super) use crate::simd::simd_dispatch;

simd_dispatch!(fn softmax_lane_simd => softmax_lane(src: &[T], dst: &mut [MaybeUninit<T>]) -> ());
simd_dispatch!(fn log_softmax_lane_simd => log_softmax_lane(src: &[T], dst: &mut [MaybeUninit<T>]) -> ());

/// Independent accumulators in the reductions below: enough for the compiler to keep them in
/// vector registers (8 × f32 = one AVX register, two SSE registers) and to break the
/// floating-point dependency chain that would otherwise serialise the loop.
pub(crate) const LANES: usize = 8;

/// The largest entry of `x` (NaN entries are skipped; `−∞` for an empty or all-NaN slice).
#[inline(always)]
pub(super) fn max_of<T: Real>(x: &[T]) -> T {
    let mut acc = [T::neg_infinity(); LANES];
    let chunks = x.chunks_exact(LANES);
    let rest = chunks.remainder();
    for c in chunks {
        for (a, &v) in acc.iter_mut().zip(c) {
            *a = if v > *a { v } else { *a };
        }
    }
    acc.iter()
        .chain(rest)
        .fold(T::neg_infinity(), |m, &v| if v > m { v } else { m })
}

/// `ln Σ e` from the parts returned by [`exp_shifted_split`].
#[inline(always)]
pub(super) fn ln_of_split<T: Real>((small, ones): (T, T)) -> T {
    (small + (ones - T::one())).ln_1p()
}

/// `dst[i] = exp(src[i] − shift)`, returning the sum of the `dst[i]` split as `(small, ones)`:
/// the sum of the terms below 1 and the number of terms equal to 1 (the lane's maxima).
/// `shift` is at least every entry (the lane maximum), so each exponent is `≤ 0` and nothing
/// overflows. The total is `ones + small`, and [`ln_of_split`] gives `ln(total)` as
/// `ln_1p(small + (ones − 1))`, which keeps its relative accuracy when the total is close to 1
/// — the log-probability of a confident prediction, where `ln(1 + small)` would lose
/// `small`'s digits to the rounding of `1 + small`. NaN terms go into `small`, so they
/// propagate. One pass, with [`LANES`] interleaved partial sums each.
#[inline(always)]
pub(super) fn exp_shifted_split<'d, T: Real, const FMA: bool>(
    src: &[T],
    shift: T,
    dst: &'d mut [MaybeUninit<T>],
) -> (&'d mut [T], (T, T)) {
    assert_eq!(src.len(), dst.len());
    let (mut small, mut ones) = ([T::zero(); LANES], [T::zero(); LANES]);
    let mut chunks = src.chunks_exact(LANES).zip(dst.chunks_exact_mut(LANES));
    for (c, d) in &mut chunks {
        for (((s, o), &v), d) in small.iter_mut().zip(&mut ones).zip(c).zip(d) {
            let e = *d.write(exp::<T, FMA>(v - shift));
            let (sv, ov) = split(e);
            *s += sv;
            *o += ov;
        }
    }
    let done = src.len() - src.len() % LANES;
    let (mut s, mut o) = (T::zero(), T::zero());
    for (&v, d) in src[done..].iter().zip(&mut dst[done..]) {
        let e = *d.write(exp::<T, FMA>(v - shift));
        let (sv, ov) = split(e);
        s += sv;
        o += ov;
    }
    // SAFETY: the two loops wrote dst[..done] (whole chunks) and dst[done..]: every element,
    // as dst.len() = src.len().
    let dst = unsafe { assume_init_slice(dst) };
    let parts = (
        small.iter().fold(s, |a, &b| a + b),
        ones.iter().fold(o, |a, &b| a + b),
    );
    (dst, parts)
}

/// `dst[i] = exp(src[i] − shift)`, returning `Σ dst[i]` (for [`softmax`], whose scale needs
/// the sum only to relative accuracy); one pass, [`LANES`] interleaved partial sums.
#[inline(always)]
fn exp_shifted_sum<'d, T: Real, const FMA: bool>(
    src: &[T],
    shift: T,
    dst: &'d mut [MaybeUninit<T>],
) -> (&'d mut [T], T) {
    assert_eq!(src.len(), dst.len());
    let mut acc = [T::zero(); LANES];
    let mut chunks = src.chunks_exact(LANES).zip(dst.chunks_exact_mut(LANES));
    for (c, d) in &mut chunks {
        for ((a, &v), d) in acc.iter_mut().zip(c).zip(d) {
            *a += *d.write(exp::<T, FMA>(v - shift));
        }
    }
    let done = src.len() - src.len() % LANES;
    let mut sum = T::zero();
    for (&v, d) in src[done..].iter().zip(&mut dst[done..]) {
        sum += *d.write(exp::<T, FMA>(v - shift));
    }
    // SAFETY: the two loops wrote dst[..done] (whole chunks) and dst[done..]: every element,
    // as dst.len() = src.len().
    let dst = unsafe { assume_init_slice(dst) };
    (dst, acc.iter().fold(sum, |a, &b| a + b))
}

/// `e` as `(e, 0)` below 1 and `(0, 1)` at 1 (see [`exp_shifted_split`]); NaN goes left.
#[inline(always)]
fn split<T: Real>(e: T) -> (T, T) {
    if e >= T::one() {
        (T::zero(), T::one())
    } else {
        (e, T::zero())
    }
}

/// The split sum of `exp(x[i] − shift)` as [`exp_shifted_split`] returns it, without storing
/// the exponentials.
#[inline(always)]
pub(super) fn split_sum_exp_shifted<T: Real, const FMA: bool>(x: &[T], shift: T) -> (T, T) {
    let (mut small, mut ones) = ([T::zero(); LANES], [T::zero(); LANES]);
    let chunks = x.chunks_exact(LANES);
    let rest = chunks.remainder();
    for c in chunks {
        for ((s, o), &v) in small.iter_mut().zip(&mut ones).zip(c) {
            let (sv, ov) = split(exp::<T, FMA>(v - shift));
            *s += sv;
            *o += ov;
        }
    }
    let (mut s, mut o) = (T::zero(), T::zero());
    for &v in rest {
        let (sv, ov) = split(exp::<T, FMA>(v - shift));
        s += sv;
        o += ov;
    }
    (
        small.iter().fold(s, |a, &b| a + b),
        ones.iter().fold(o, |a, &b| a + b),
    )
}

/// `eˣ` for `f32` or `f64` by the branch-free kernels below, so that loops over slices
/// vectorise. `Real` is implemented by exactly `f32` and `f64` (it is sealed), so the size
/// tells them apart; the conversions are the identity for the type selected and are folded
/// away after monomorphisation.
#[inline(always)]
pub(crate) fn exp<T: Real, const FMA: bool>(x: T) -> T {
    if std::mem::size_of::<T>() == std::mem::size_of::<f32>() {
        T::from_f64_nearest(f64::from(exp_f32::<FMA>(x.to_f32().unwrap_or(f32::NAN))))
    } else {
        T::from_f64_nearest(exp_f64::<FMA>(x.to_f64().unwrap_or(f64::NAN)))
    }
}

/// `a·b + c`: one fused multiply-add (a single rounding) when `FMA`, else a multiply and an
/// add. Only the AVX2+FMA build of the kernels sets `FMA`, so it is always a hardware
/// instruction.
#[inline(always)]
fn madd32<const FMA: bool>(a: f32, b: f32, c: f32) -> f32 {
    if FMA {
        a.mul_add(b, c)
    } else {
        a * b + c
    }
}

/// `a·b + c` in `f64`, as [`madd32`].
#[inline(always)]
fn madd64<const FMA: bool>(a: f64, b: f64, c: f64) -> f64 {
    if FMA {
        a.mul_add(b, c)
    } else {
        a * b + c
    }
}

/// `eˣ` in `f32` (Cephes `expf`): `x = n·ln2 + r` with `|r| ≤ ln2/2` (ln 2 split in two so
/// `n·ln2_hi` is exact), a degree-7 polynomial for `eʳ`, and `2ⁿ` built from its bits in two
/// halves so that results in the subnormal range are right too. NaN propagates; results that
/// underflow are exactly 0 and those that overflow are +∞.
#[inline(always)]
fn exp_f32<const FMA: bool>(x: f32) -> f32 {
    // Below LO, eˣ < 2⁻¹⁵⁰ rounds to 0; from ln(f32::MAX) ≈ 88.72 up it overflows, and HI
    // (which gives 2¹²⁸·eʳ) keeps the overflow for larger inputs.
    const LO: f32 = -103.972_08;
    const HI: f32 = 89.0;
    const LOG2E: f32 = std::f32::consts::LOG2_E;
    // Adding then subtracting 1.5·2²³ rounds to the nearest integer (for |v| < 2²²) and leaves
    // that integer in the low mantissa bits.
    const ROUND: f32 = 12_582_912.0;
    const LN2_HI: f32 = 0.693_359_4;
    const LN2_LO: f32 = -2.121_944_4e-4;
    let xc = x.clamp(LO, HI); // NaN stays NaN
    let t = madd32::<FMA>(xc, LOG2E, ROUND);
    let n = t - ROUND;
    let r = madd32::<FMA>(-n, LN2_LO, madd32::<FMA>(-n, LN2_HI, xc));
    let mut p = 1.987_569_1e-4_f32;
    for c in [
        1.398_199_9e-3,
        8.333_452e-3,
        4.166_579_6e-2,
        1.666_666_5e-1,
        0.5,
    ] {
        p = madd32::<FMA>(p, r, c);
    }
    let p = madd32::<FMA>(p * r, r, r) + 1.0;
    let ni = (t.to_bits() as i32).wrapping_sub(ROUND.to_bits() as i32);
    let n1 = ni >> 1;
    let n2 = ni.wrapping_sub(n1);
    let s1 = f32::from_bits((n1.wrapping_add(127) as u32) << 23);
    let s2 = f32::from_bits((n2.wrapping_add(127) as u32) << 23);
    let y = p * s1 * s2;
    if x < LO {
        0.0
    } else {
        y
    }
}

/// `eˣ` in `f64`: the same reduction as [`exp_f32`] (fdlibm's split of ln 2) and the Taylor
/// polynomial of degree 13 for `eʳ`, `|r| ≤ ln2/2`, whose truncation error `|r|¹⁴/14!` is below
/// 5·10⁻¹⁸.
#[inline(always)]
fn exp_f64<const FMA: bool>(x: f64) -> f64 {
    // Below LO, eˣ < 2⁻¹⁰⁷⁵ rounds to 0; from ln(f64::MAX) ≈ 709.78 up it overflows, and HI
    // (which gives 2¹⁰²⁴·eʳ) keeps the overflow for larger inputs.
    const LO: f64 = -745.133_219_101_941_2;
    const HI: f64 = 710.0;
    const LOG2E: f64 = std::f64::consts::LOG2_E;
    // 1.5·2⁵²: rounds to the nearest integer, kept in the low mantissa bits.
    const ROUND: f64 = 6_755_399_441_055_744.0;
    const LN2_HI: f64 = 6.931_471_803_691_238e-1;
    const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
    // 1/k! for k = 13, 12, …, 2.
    const C: [f64; 12] = [
        1.0 / 6_227_020_800.0,
        1.0 / 479_001_600.0,
        1.0 / 39_916_800.0,
        1.0 / 3_628_800.0,
        1.0 / 362_880.0,
        1.0 / 40_320.0,
        1.0 / 5_040.0,
        1.0 / 720.0,
        1.0 / 120.0,
        1.0 / 24.0,
        1.0 / 6.0,
        0.5,
    ];
    let xc = x.clamp(LO, HI); // NaN stays NaN
    let t = madd64::<FMA>(xc, LOG2E, ROUND);
    let n = t - ROUND;
    let r = madd64::<FMA>(-n, LN2_LO, madd64::<FMA>(-n, LN2_HI, xc));
    let mut p = 0.0;
    for c in C {
        p = madd64::<FMA>(p, r, c);
    }
    let p = madd64::<FMA>(p * r, r, r) + 1.0;
    let ni = (t.to_bits() as i64).wrapping_sub(ROUND.to_bits() as i64);
    let n1 = ni >> 1;
    let n2 = ni.wrapping_sub(n1);
    let s1 = f64::from_bits((n1.wrapping_add(1023) as u64) << 52);
    let s2 = f64::from_bits((n2.wrapping_add(1023) as u64) << 52);
    let y = p * s1 * s2;
    if x < LO {
        0.0
    } else {
        y
    }
}

#[cfg(test)]
mod tests {
    use std::mem::MaybeUninit;

    use super::{
        exp_f32, exp_f64, log_softmax_lane, log_softmax_lane_simd, softmax_lane, softmax_lane_simd,
    };

    /// Whether the dispatch takes the AVX2+FMA build on this machine.
    fn fma() -> bool {
        #[cfg(target_arch = "x86_64")]
        {
            std::arch::is_x86_feature_detected!("avx2")
                && std::arch::is_x86_feature_detected!("fma")
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            false
        }
    }

    /// `kernel::<T, FMA>` with `FMA` chosen at run time like the dispatch does (the baseline
    /// build computes `mul_add` exactly too, in software).
    macro_rules! reference {
        ($kernel:ident, $src:expr, $dst:expr) => {
            if fma() {
                $kernel::<_, true>($src, $dst)
            } else {
                $kernel::<_, false>($src, $dst)
            }
        };
    }

    /// The run-time dispatched build of the lane kernels gives the same bits as the
    /// baseline build of the same arithmetic, for both types and lengths that leave every
    /// remainder of the 8-accumulator loops.
    #[test]
    fn simd_dispatch_is_bitwise_identical() {
        for n in [1, 7, 8, 9, 31, 1000] {
            let x64: Vec<f64> = (0..n)
                .map(|i| ((i * 7919) % 97) as f64 * 0.37 - 18.0)
                .collect();
            let x32: Vec<f32> = x64.iter().map(|&v| v as f32).collect();
            fn values<T: Copy>(buf: &[MaybeUninit<T>]) -> Vec<T> {
                // SAFETY: the lane kernels have written every element of `buf`.
                buf.iter().map(|v| unsafe { v.assume_init() }).collect()
            }
            let (mut a, mut b) = (
                vec![MaybeUninit::uninit(); n],
                vec![MaybeUninit::uninit(); n],
            );
            reference!(softmax_lane, &x64, &mut a);
            softmax_lane_simd(&x64, &mut b);
            assert_eq!(values(&a), values(&b));
            reference!(log_softmax_lane, &x64, &mut a);
            log_softmax_lane_simd(&x64, &mut b);
            assert_eq!(values(&a), values(&b));
            let (mut a, mut b) = (
                vec![MaybeUninit::uninit(); n],
                vec![MaybeUninit::uninit(); n],
            );
            reference!(softmax_lane, &x32, &mut a);
            softmax_lane_simd(&x32, &mut b);
            assert_eq!(values(&a), values(&b));
            reference!(log_softmax_lane, &x32, &mut a);
            log_softmax_lane_simd(&x32, &mut b);
            assert_eq!(values(&a), values(&b));
        }
    }

    /// Both builds of the exponentials (separate multiply and add; fused multiply–add)
    /// against the platform's `exp`, over their whole range including subnormal results and
    /// the cut-offs.
    #[test]
    fn exp_kernels_within_two_ulp() {
        fn check<const FMA: bool>() {
            let ulps32 = |a: f32, b: f32| (a.to_bits() as i64 - b.to_bits() as i64).abs();
            let ulps64 = |a: f64, b: f64| (a.to_bits() as i64 - b.to_bits() as i64).abs();
            let mut worst = (0, 0);
            for i in 0..=200_000 {
                let x = -110.0 + 200.0 * f64::from(i) / 200_000.0;
                let x32 = x as f32;
                worst.0 = worst.0.max(ulps32(exp_f32::<FMA>(x32), x32.exp()));
                let x64 = -750.0 + 1462.0 * f64::from(i) / 200_000.0;
                worst.1 = worst.1.max(ulps64(exp_f64::<FMA>(x64), x64.exp()));
            }
            // 2 ulp: Cephes documents ≤ 1 ulp for its polynomial; one more for the
            // reference's own rounding and for the two-step scaling in the subnormal range.
            assert!(
                worst.0 <= 2 && worst.1 <= 2,
                "FMA {FMA}: worst ulp error {worst:?}"
            );
            assert!(exp_f32::<FMA>(f32::NAN).is_nan() && exp_f64::<FMA>(f64::NAN).is_nan());
            assert_eq!(exp_f32::<FMA>(f32::NEG_INFINITY), 0.0);
            assert_eq!(exp_f64::<FMA>(f64::NEG_INFINITY), 0.0);
            assert_eq!(exp_f32::<FMA>(0.0), 1.0);
            assert_eq!(exp_f64::<FMA>(0.0), 1.0);
            assert_eq!(exp_f32::<FMA>(100.0), f32::INFINITY);
            assert_eq!(exp_f64::<FMA>(1000.0), f64::INFINITY);
        }
        check::<false>();
        check::<true>();
    }
}
