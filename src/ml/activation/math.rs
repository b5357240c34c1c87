//! Branch-free scalar kernels behind the smooth activations and the logit losses, written so
//! that a loop over a slice vectorises (the AVX2+FMA build of [`simd_dispatch`]
//! (super::simd_dispatch) runs them 8 lanes wide for `f32`).
//!
//! | kernel | f32 | f64 |
//! |---|---|---|
//! | [`sigmoid`] | `1/(1 + e⁻ˣ)` with ndkit's vectorised `exp` | the same |
//! | [`tanh`] | Cephes `tanhf`: odd polynomial below 0.625, `1 − 2/(e²ˣ + 1)` above | `f64::tanh` (libm) |
//! | [`log1p_unit`] (`ln(1 + u)`, `0 ≤ u ≤ 1`) | `2·atanh(u/(2 + u))`, series to `s¹⁵` | `f64::ln_1p` |
//! | [`erfc`] | in f64: Numerical Recipes' Chebyshev fit (relative error < 1.2e-7) | `libm::erfc` (fdlibm, < 1 ulp) |
//!
//! Every kernel maps finite input to finite output: exponentials that overflow give `+∞` only
//! where it is divided into (`1/(1 + ∞) = 0`) or where the result saturates.

use super::exp;
use crate::Real;

/// Whether `T` is `f32` (`Real` is sealed to `f32` and `f64`).
#[inline(always)]
fn is_f32<T: Real>() -> bool {
    std::mem::size_of::<T>() == std::mem::size_of::<f32>()
}

#[inline(always)]
fn f32_of<T: Real>(x: T) -> f32 {
    x.to_f32().unwrap_or(f32::NAN)
}

#[inline(always)]
fn f64_of<T: Real>(x: T) -> f64 {
    x.to_f64().unwrap_or(f64::NAN)
}

/// The logistic function `1/(1 + e⁻ˣ)`: `e⁻ˣ` overflows to `+∞` for very negative `x`, and
/// the quotient is then exactly 0; for very positive `x` it is exactly 1.
#[inline(always)]
pub(crate) fn sigmoid<T: Real, const FMA: bool>(x: T) -> T {
    T::one() / (T::one() + exp::<T, FMA>(-x))
}

/// `tanh(x)`: for `f32` Cephes' `tanhf` made branch-free (both branches computed, one
/// selected), for `f64` the platform's `tanh`.
#[inline(always)]
pub(crate) fn tanh<T: Real, const FMA: bool>(x: T) -> T {
    if is_f32::<T>() {
        T::from_f64_nearest(f64::from(tanh_f32::<FMA>(f32_of(x))))
    } else {
        T::from_f64_nearest(f64_of(x).tanh())
    }
}

/// Cephes `tanhf` (relative error ≈ 1 ulp over the whole range).
#[inline(always)]
fn tanh_f32<const FMA: bool>(x: f32) -> f32 {
    let z = x.abs();
    // exp(2z) overflows to +∞ from z ≈ 44: 2/(∞ + 1) = 0, tanh = 1.
    let big = 1.0 - 2.0 / (exp::<f32, FMA>(z + z) + 1.0);
    let z2 = z * z;
    let mut p = -5.704_988_7e-3_f32;
    for c in [2.063_909e-2, -5.373_971_6e-2, 1.333_144_2e-1, -3.333_328e-1] {
        p = p * z2 + c;
    }
    let small = p * z2 * z + z;
    let r = if z > 0.625 { big } else { small };
    r.copysign(x)
}

/// `ln(1 + u)` for `0 ≤ u ≤ 1` (the argument of every `log1p(exp(−|x|))` here): for `f32`
/// `2·atanh(s)` with `s = u/(2 + u) ≤ 1/3`, whose series `2s·Σ s²ʲ/(2j + 1)` is truncated
/// after `s¹⁴` (remainder below `(1/9)⁸/17 < 2.6e-9` relative); for `f64` the platform's
/// `ln_1p`.
#[inline(always)]
pub(crate) fn log1p_unit<T: Real>(u: T) -> T {
    if is_f32::<T>() {
        let u = f32_of(u);
        let s = u / (2.0 + u);
        let s2 = s * s;
        let mut p = 1.0_f32 / 15.0;
        for c in [
            1.0 / 13.0,
            1.0 / 11.0,
            1.0 / 9.0,
            1.0 / 7.0,
            1.0 / 5.0,
            1.0 / 3.0,
        ] {
            p = p * s2 + c;
        }
        let r = 2.0 * s * (p * s2 + 1.0);
        T::from_f64_nearest(f64::from(r))
    } else {
        T::from_f64_nearest(f64_of(u).ln_1p())
    }
}

/// `softplus(x) = ln(1 + eˣ)` as `max(x, 0) + ln(1 + e^−|x|)`: the exponent is never
/// positive, so nothing overflows, and `softplus(x) = x` exactly once `e^−|x|` is below half
/// an ulp of `x`.
#[inline(always)]
pub(crate) fn softplus<T: Real, const FMA: bool>(x: T) -> T {
    let e = exp::<T, FMA>(-x.abs());
    let pos = if x > T::zero() { x } else { T::zero() };
    pos + log1p_unit(e)
}

/// The complementary error function `erfc(x) = 1 − erf(x)`. For `f32` computed in `f64` by
/// the Chebyshev fit of Numerical Recipes (`erfcc`, fractional error below 1.2e-7 for every
/// `x`, about one `f32` ulp), branch-free; for `f64` fdlibm's `erfc` from the `libm` crate.
#[inline(always)]
pub(crate) fn erfc<T: Real, const FMA: bool>(x: T) -> T {
    if is_f32::<T>() {
        T::from_f64_nearest(erfc_nr::<FMA>(f64_of(x)))
    } else {
        T::from_f64_nearest(libm::erfc(f64_of(x)))
    }
}

/// Numerical Recipes' `erfcc` in `f64` (for `f32` results): `t = 1/(1 + |x|/2)`,
/// `erfc(|x|) = t·exp(−x² + P(t))`, reflected by `erfc(−x) = 2 − erfc(x)`.
#[inline(always)]
fn erfc_nr<const FMA: bool>(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let mut p = 0.170_872_77_f64;
    for c in [
        -0.822_152_23,
        1.488_515_87,
        -1.135_203_98,
        0.278_868_07,
        -0.186_288_06,
        0.096_784_18,
        0.374_091_96,
        1.000_023_68,
        -1.265_512_23,
    ] {
        p = p * t + c;
    }
    let r = t * exp::<f64, FMA>(-z * z + p);
    if x >= 0.0 {
        r
    } else {
        2.0 - r
    }
}

/// `e^(−x²/2)` for the GELU's density, via the same exponential (for `f32` in `f64`, where
/// `x²` of an `f32` is exact).
#[inline(always)]
pub(crate) fn gauss<T: Real, const FMA: bool>(x: T) -> T {
    if is_f32::<T>() {
        let v = f64_of(x);
        T::from_f64_nearest(exp::<f64, FMA>(-0.5 * v * v))
    } else {
        exp::<T, FMA>(-(x * x) * T::from_f64_nearest(0.5))
    }
}

#[cfg(test)]
mod tests {
    use super::{erfc_nr, log1p_unit, tanh_f32};

    /// The f32 kernels against f64's libm over their ranges.
    #[test]
    fn f32_kernels_against_f64() {
        let mut worst = [0.0_f64; 3];
        for i in 0..=40_000 {
            let x = -20.0 + 40.0 * f64::from(i) / 40_000.0;
            let x32 = x as f32;
            let rel = |got: f64, want: f64| ((got - want) / want.abs().max(1e-300)).abs();
            worst[0] = worst[0].max(rel(
                f64::from(tanh_f32::<false>(x32)),
                f64::from(x32).tanh(),
            ));
            worst[1] = worst[1].max(rel(
                erfc_nr::<false>(f64::from(x32)),
                libm::erfc(f64::from(x32)),
            ));
            let u = f64::from(i) / 40_000.0;
            let u32 = u as f32;
            worst[2] = worst[2].max(rel(f64::from(log1p_unit(u32)), f64::from(u32).ln_1p()));
        }
        // tanhf: Cephes documents ~1 ulp (6e-8) relative; 3e-7 allows the reference's
        // rounding and the 1 − 2/(e²ˣ + 1) branch's cancellation just above 0.625.
        assert!(worst[0] < 3e-7, "tanh {worst:?}");
        // erfcc: 1.2e-7 documented fractional error.
        assert!(worst[1] < 1.3e-7, "erfc {worst:?}");
        // log1p: series truncated at < 2.6e-9 plus a few f32 roundings (ε = 1.2e-7).
        assert!(worst[2] < 3e-7, "log1p {worst:?}");
    }
}
