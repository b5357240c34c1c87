//! The smooth activations and their backward passes, with PyTorch's definitions
//! (`torch.sigmoid`, `torch.tanh`, `F.silu`, `F.softplus(beta=1, threshold=20)`,
//! `F.leaky_relu`, `F.gelu(approximate="none" | "tanh")` and their autograd formulas).
//!
//! | function | forward | backward (`g` = `grad_out`) |
//! |---|---|---|
//! | [`sigmoid`] | `σ(x) = 1/(1 + e⁻ˣ)` | `g·σ(1 − σ)` |
//! | [`tanh`] | `tanh x` | `g·(1 − tanh²x)` |
//! | [`silu`] | `x·σ(x)` | `g·σ(1 + x(1 − σ))` |
//! | [`softplus`] | `x` if `x > 20`, else `ln(1 + eˣ)` | `g` if `x > 20`, else `g·eˣ/(eˣ + 1)` |
//! | [`leaky_relu`] | `x` if `x > 0`, else `slope·x` | `g` if `x > 0`, else `slope·g` (also at 0) |
//! | [`gelu`] `None` | `x·Φ(x) = ½x·erfc(−x/√2)` | `g·(Φ(x) + x·φ(x))` |
//! | [`gelu`] `Tanh` | `½x(1 + tanh(√(2/π)(x + 0.044715x³)))` | PyTorch's `GeluBackward` (tanh) formula |
//!
//! Each is finite for every finite input: exponentials that overflow only ever appear in a
//! denominator (`σ(−1e4) = 1/(1 + ∞) = 0`), `ln(1 + eˣ)` is computed as
//! `max(x, 0) + ln(1 + e^−|x|)`, and GELU's `(1 − tanh²)·(…x²)` term is taken as 0 where
//! `tanh²` rounds to 1 (so an `x²` that overflows is never multiplied by 0). The exact GELU
//! uses `erfc(−x/√2)` rather than PyTorch's `1 + erf(x/√2)`: the same function, without the
//! cancellation for negative `x`.
//!
//! Every function runs one fused pass over contiguous memory, through the same run-time
//! dispatch as softmax (AVX2+FMA build when the CPU has it); the kernels behind them are in
//! `math.rs`.

use std::mem::MaybeUninit;

use ndarray::{Array, ArrayBase, Data, Dimension};

use super::elementwise::{map_binary, map_unary};
use super::math;
use super::{exp, simd_dispatch};
use crate::{Real, Result};

/// Which GELU [`gelu`] computes (PyTorch's `approximate` argument).
///
/// ```
/// use ndarray::array;
/// use ndkit::ml::{gelu, GeluApprox};
/// let x = array![1.0_f64];
/// let exact = gelu(&x, GeluApprox::None)[0];
/// let tanh = gelu(&x, GeluApprox::Tanh)[0];
/// assert!((exact - 0.841_344_746_068_542_9).abs() < 1e-15);
/// assert!((tanh - exact).abs() < 1e-3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeluApprox {
    /// The exact `x·Φ(x)`, `Φ` the standard normal CDF (`approximate="none"`).
    None,
    /// The tanh approximation `½x(1 + tanh(√(2/π)(x + 0.044715x³)))` (`approximate="tanh"`).
    Tanh,
}

/// √(2/π), PyTorch's `kBeta` of the tanh GELU.
const SQRT_2_OVER_PI: f64 = 0.797_884_560_802_865_4;
/// The cubic coefficient of the tanh GELU (`kKappa`).
const KAPPA: f64 = 0.044_715;
/// 1/√2.
const FRAC_1_SQRT_2: f64 = std::f64::consts::FRAC_1_SQRT_2;
/// 1/√(2π), the standard normal density at 0.
const FRAC_1_SQRT_2PI: f64 = 0.398_942_280_401_432_7;
/// PyTorch's softplus `threshold` (with `beta = 1`): above it, softplus is the identity.
const SOFTPLUS_THRESHOLD: f64 = 20.0;

/// The loop of one forward kernel: `dst[i] = f(src[i])`.
macro_rules! forward_kernel {
    ($name:ident, $dispatch:ident, |$v:ident $(, $p:ident: $pt:ty)*| $body:expr) => {
        #[inline(always)]
        fn $name<T: Real, const FMA: bool>(src: &[T], dst: &mut [MaybeUninit<T>] $(, $p: $pt)*) {
            for (d, &$v) in dst.iter_mut().zip(src) {
                d.write($body);
            }
        }
        simd_dispatch!(fn $dispatch => $name(src: &[T], dst: &mut [MaybeUninit<T>] $(, $p: $pt)*) -> ());
    };
}

/// The loop of one backward kernel: `dst[i] = f(x[i], g[i])`.
macro_rules! backward_kernel {
    ($name:ident, $dispatch:ident, |$v:ident, $g:ident $(, $p:ident: $pt:ty)*| $body:expr) => {
        #[inline(always)]
        fn $name<T: Real, const FMA: bool>(
            x: &[T],
            g: &[T],
            dst: &mut [MaybeUninit<T>]
            $(, $p: $pt)*
        ) {
            for ((d, &$v), &$g) in dst.iter_mut().zip(x).zip(g) {
                d.write($body);
            }
        }
        simd_dispatch!(fn $dispatch => $name(x: &[T], g: &[T], dst: &mut [MaybeUninit<T>] $(, $p: $pt)*) -> ());
    };
}

forward_kernel!(sigmoid_k, sigmoid_simd, |v| math::sigmoid::<T, FMA>(v));
forward_kernel!(tanh_k, tanh_simd, |v| math::tanh::<T, FMA>(v));
forward_kernel!(silu_k, silu_simd, |v| v * math::sigmoid::<T, FMA>(v));
forward_kernel!(softplus_k, softplus_simd, |v| {
    if v > T::from_f64_nearest(SOFTPLUS_THRESHOLD) {
        v
    } else {
        math::softplus::<T, FMA>(v)
    }
});
forward_kernel!(leaky_k, leaky_simd, |v, slope: T| if v > T::zero() {
    v
} else {
    v * slope
});
forward_kernel!(gelu_exact_k, gelu_exact_simd, |v| {
    // ½x·erfc(−x/√2) = x·Φ(x); ½x first, so x near the largest finite value does not
    // overflow when multiplied by erfc ≤ 2.
    T::from_f64_nearest(0.5) * v * math::erfc::<T, FMA>(-v * T::from_f64_nearest(FRAC_1_SQRT_2))
});
forward_kernel!(gelu_tanh_k, gelu_tanh_simd, |v| {
    let inner = T::from_f64_nearest(SQRT_2_OVER_PI) * (v + T::from_f64_nearest(KAPPA) * v * v * v);
    T::from_f64_nearest(0.5) * v * (T::one() + math::tanh::<T, FMA>(inner))
});

backward_kernel!(sigmoid_bk, sigmoid_back_simd, |v, g| {
    let s = math::sigmoid::<T, FMA>(v);
    g * s * (T::one() - s)
});
backward_kernel!(tanh_bk, tanh_back_simd, |v, g| {
    let t = math::tanh::<T, FMA>(v);
    g * (T::one() - t * t)
});
backward_kernel!(silu_bk, silu_back_simd, |v, g| {
    let s = math::sigmoid::<T, FMA>(v);
    g * s * (T::one() + v * (T::one() - s))
});
backward_kernel!(softplus_bk, softplus_back_simd, |v, g| {
    if v > T::from_f64_nearest(SOFTPLUS_THRESHOLD) {
        g
    } else {
        // eˣ ≤ e²⁰ here: no overflow.
        let z = exp::<T, FMA>(v);
        g * z / (z + T::one())
    }
});
backward_kernel!(
    leaky_bk,
    leaky_back_simd,
    |v, g, slope: T| if v > T::zero() { g } else { g * slope }
);
backward_kernel!(gelu_exact_bk, gelu_exact_back_simd, |v, g| {
    let cdf =
        T::from_f64_nearest(0.5) * math::erfc::<T, FMA>(-v * T::from_f64_nearest(FRAC_1_SQRT_2));
    let pdf = math::gauss::<T, FMA>(v) * T::from_f64_nearest(FRAC_1_SQRT_2PI);
    g * (cdf + v * pdf)
});
backward_kernel!(gelu_tanh_bk, gelu_tanh_back_simd, |v, g| {
    let beta = T::from_f64_nearest(SQRT_2_OVER_PI);
    let kappa = T::from_f64_nearest(KAPPA);
    let half = T::from_f64_nearest(0.5);
    let x2 = v * v;
    let t = math::tanh::<T, FMA>(beta * (v + kappa * x2 * v));
    let sech2 = T::one() - t * t;
    let left = half * v;
    let right = T::one() + t;
    let right_derivative = if sech2 == T::zero() {
        T::zero()
    } else {
        left * sech2 * beta * (T::one() + T::from_f64_nearest(3.0) * kappa * x2)
    };
    g * (half * right + right_derivative)
});

/// The logistic sigmoid `1/(1 + e⁻ˣ)` element-wise (`torch.sigmoid`,
/// `scipy.special.expit`); exactly 0 and 1 in the saturated tails, never NaN for finite input.
///
/// ```
/// use ndarray::array;
/// let s = ndkit::ml::sigmoid(&array![-1e4_f32, 0.0, 1e4]);
/// assert_eq!(s, array![0.0, 0.5, 1.0]);
/// ```
pub fn sigmoid<T: Real, S: Data<Elem = T>, D: Dimension>(x: &ArrayBase<S, D>) -> Array<T, D> {
    // SAFETY: the kernel writes dst[i] for every i.
    unsafe { map_unary(x, sigmoid_simd) }
}

/// The gradient of [`sigmoid`] at `x`: `grad_out·σ(x)(1 − σ(x))`.
///
/// # Errors
/// [`Error::IncompatibleShapes`](crate::Error::IncompatibleShapes) when `x` and `grad_out`
/// differ in shape.
///
/// ```
/// use ndarray::array;
/// # fn main() -> ndkit::Result<()> {
/// let g = ndkit::ml::sigmoid_backward(&array![0.0_f64, 1e4], &array![4.0, 1.0])?;
/// assert_eq!(g, array![1.0, 0.0]);
/// # Ok(())
/// # }
/// ```
pub fn sigmoid_backward<T, Sx, Sg, D>(
    x: &ArrayBase<Sx, D>,
    grad_out: &ArrayBase<Sg, D>,
) -> Result<Array<T, D>>
where
    T: Real,
    Sx: Data<Elem = T>,
    Sg: Data<Elem = T>,
    D: Dimension,
{
    // SAFETY: the kernel writes dst[i] for every i.
    unsafe { map_binary("sigmoid_backward", x, grad_out, sigmoid_back_simd) }
}

/// The hyperbolic tangent element-wise (`torch.tanh`, `np.tanh`).
///
/// ```
/// use ndarray::array;
/// let t = ndkit::ml::tanh(&array![-1e4_f64, 0.0, 0.5]);
/// assert_eq!(t[0], -1.0);
/// assert!((t[2] - 0.5_f64.tanh()).abs() < 1e-16);
/// ```
pub fn tanh<T: Real, S: Data<Elem = T>, D: Dimension>(x: &ArrayBase<S, D>) -> Array<T, D> {
    // SAFETY: the kernel writes dst[i] for every i.
    unsafe { map_unary(x, tanh_simd) }
}

/// The gradient of [`tanh`] at `x`: `grad_out·(1 − tanh²x)`.
///
/// # Errors
/// [`Error::IncompatibleShapes`](crate::Error::IncompatibleShapes) when `x` and `grad_out`
/// differ in shape.
///
/// ```
/// use ndarray::array;
/// # fn main() -> ndkit::Result<()> {
/// let g = ndkit::ml::tanh_backward(&array![[0.0_f32, 50.0]], &array![[2.0, 2.0]])?;
/// assert_eq!(g, array![[2.0, 0.0]]);
/// # Ok(())
/// # }
/// ```
pub fn tanh_backward<T, Sx, Sg, D>(
    x: &ArrayBase<Sx, D>,
    grad_out: &ArrayBase<Sg, D>,
) -> Result<Array<T, D>>
where
    T: Real,
    Sx: Data<Elem = T>,
    Sg: Data<Elem = T>,
    D: Dimension,
{
    // SAFETY: the kernel writes dst[i] for every i.
    unsafe { map_binary("tanh_backward", x, grad_out, tanh_back_simd) }
}

/// SiLU (swish) `x·σ(x)` element-wise (`F.silu`).
///
/// ```
/// use ndarray::array;
/// let y = ndkit::ml::silu(&array![-1e4_f64, 0.0, 1e4]);
/// assert_eq!(y, array![0.0, 0.0, 1e4]);
/// ```
pub fn silu<T: Real, S: Data<Elem = T>, D: Dimension>(x: &ArrayBase<S, D>) -> Array<T, D> {
    // SAFETY: the kernel writes dst[i] for every i.
    unsafe { map_unary(x, silu_simd) }
}

/// The gradient of [`silu`] at `x`: `grad_out·σ(x)(1 + x(1 − σ(x)))`.
///
/// # Errors
/// [`Error::IncompatibleShapes`](crate::Error::IncompatibleShapes) when `x` and `grad_out`
/// differ in shape.
///
/// ```
/// use ndarray::array;
/// # fn main() -> ndkit::Result<()> {
/// let g = ndkit::ml::silu_backward(&array![0.0_f64], &array![1.0])?;
/// assert_eq!(g, array![0.5]);
/// # Ok(())
/// # }
/// ```
pub fn silu_backward<T, Sx, Sg, D>(
    x: &ArrayBase<Sx, D>,
    grad_out: &ArrayBase<Sg, D>,
) -> Result<Array<T, D>>
where
    T: Real,
    Sx: Data<Elem = T>,
    Sg: Data<Elem = T>,
    D: Dimension,
{
    // SAFETY: the kernel writes dst[i] for every i.
    unsafe { map_binary("silu_backward", x, grad_out, silu_back_simd) }
}

/// Softplus `ln(1 + eˣ)` element-wise with PyTorch's defaults (`F.softplus`, `beta = 1`,
/// `threshold = 20`: `x` itself above 20), computed as `max(x, 0) + ln(1 + e^−|x|)` below
/// the threshold so that nothing overflows.
///
/// ```
/// use ndarray::array;
/// let y = ndkit::ml::softplus(&array![-1e4_f64, 0.0, 1e4]);
/// assert_eq!(y[0], 0.0);
/// assert!((y[1] - std::f64::consts::LN_2).abs() < 1e-16);
/// assert_eq!(y[2], 1e4);
/// ```
pub fn softplus<T: Real, S: Data<Elem = T>, D: Dimension>(x: &ArrayBase<S, D>) -> Array<T, D> {
    // SAFETY: the kernel writes dst[i] for every i.
    unsafe { map_unary(x, softplus_simd) }
}

/// The gradient of [`softplus`] at `x`: `grad_out` above the threshold 20, else
/// `grad_out·eˣ/(eˣ + 1)` (PyTorch's `softplus_backward`).
///
/// # Errors
/// [`Error::IncompatibleShapes`](crate::Error::IncompatibleShapes) when `x` and `grad_out`
/// differ in shape.
///
/// ```
/// use ndarray::array;
/// # fn main() -> ndkit::Result<()> {
/// let g = ndkit::ml::softplus_backward(&array![0.0_f64, 30.0], &array![1.0, 3.0])?;
/// assert_eq!(g, array![0.5, 3.0]);
/// # Ok(())
/// # }
/// ```
pub fn softplus_backward<T, Sx, Sg, D>(
    x: &ArrayBase<Sx, D>,
    grad_out: &ArrayBase<Sg, D>,
) -> Result<Array<T, D>>
where
    T: Real,
    Sx: Data<Elem = T>,
    Sg: Data<Elem = T>,
    D: Dimension,
{
    // SAFETY: the kernel writes dst[i] for every i.
    unsafe { map_binary("softplus_backward", x, grad_out, softplus_back_simd) }
}

/// Leaky ReLU element-wise: `x` where `x > 0`, else `negative_slope·x` (`F.leaky_relu`; PyTorch's
/// default slope is 0.01).
///
/// ```
/// use ndarray::array;
/// let y = ndkit::ml::leaky_relu(&array![-2.0_f64, 0.0, 3.0], 0.01);
/// assert_eq!(y, array![-0.02, 0.0, 3.0]);
/// ```
pub fn leaky_relu<T: Real, S: Data<Elem = T>, D: Dimension>(
    x: &ArrayBase<S, D>,
    negative_slope: T,
) -> Array<T, D> {
    // SAFETY: the kernel writes dst[i] for every i.
    unsafe { map_unary(x, |src, dst| leaky_simd(src, dst, negative_slope)) }
}

/// The gradient of [`leaky_relu`]: `grad_out` where `x > 0`, else `negative_slope·grad_out`
/// (also at `x = 0`, as PyTorch).
///
/// # Errors
/// [`Error::IncompatibleShapes`](crate::Error::IncompatibleShapes) when `x` and `grad_out`
/// differ in shape.
///
/// ```
/// use ndarray::array;
/// # fn main() -> ndkit::Result<()> {
/// let g = ndkit::ml::leaky_relu_backward(&array![-1.0_f64, 0.0, 1.0], &array![1.0, 1.0, 1.0], 0.1)?;
/// assert_eq!(g, array![0.1, 0.1, 1.0]);
/// # Ok(())
/// # }
/// ```
pub fn leaky_relu_backward<T, Sx, Sg, D>(
    x: &ArrayBase<Sx, D>,
    grad_out: &ArrayBase<Sg, D>,
    negative_slope: T,
) -> Result<Array<T, D>>
where
    T: Real,
    Sx: Data<Elem = T>,
    Sg: Data<Elem = T>,
    D: Dimension,
{
    // SAFETY: the kernel writes dst[i] for every i.
    unsafe {
        map_binary("leaky_relu_backward", x, grad_out, |x, g, dst| {
            leaky_back_simd(x, g, dst, negative_slope)
        })
    }
}

/// GELU element-wise (`F.gelu(x, approximate=…)`): the exact `x·Φ(x)` or its tanh
/// approximation.
///
/// ```
/// use ndarray::array;
/// use ndkit::ml::{gelu, GeluApprox};
/// let y = gelu(&array![-1e4_f32, 0.0, 1e4], GeluApprox::Tanh);
/// assert_eq!(y, array![0.0, 0.0, 1e4]);
/// ```
pub fn gelu<T: Real, S: Data<Elem = T>, D: Dimension>(
    x: &ArrayBase<S, D>,
    approximate: GeluApprox,
) -> Array<T, D> {
    // SAFETY: both kernels write dst[i] for every i.
    unsafe {
        match approximate {
            GeluApprox::None => map_unary(x, gelu_exact_simd),
            GeluApprox::Tanh => map_unary(x, gelu_tanh_simd),
        }
    }
}

/// The gradient of [`gelu`] at `x`: `grad_out·(Φ(x) + x·φ(x))` for the exact form, PyTorch's
/// tanh-form derivative for [`GeluApprox::Tanh`].
///
/// # Errors
/// [`Error::IncompatibleShapes`](crate::Error::IncompatibleShapes) when `x` and `grad_out`
/// differ in shape.
///
/// ```
/// use ndarray::array;
/// use ndkit::ml::{gelu_backward, GeluApprox};
/// # fn main() -> ndkit::Result<()> {
/// let g = gelu_backward(&array![0.0_f64, 1e4, -1e4], &array![1.0, 1.0, 1.0], GeluApprox::None)?;
/// assert_eq!(g, array![0.5, 1.0, 0.0]);
/// # Ok(())
/// # }
/// ```
pub fn gelu_backward<T, Sx, Sg, D>(
    x: &ArrayBase<Sx, D>,
    grad_out: &ArrayBase<Sg, D>,
    approximate: GeluApprox,
) -> Result<Array<T, D>>
where
    T: Real,
    Sx: Data<Elem = T>,
    Sg: Data<Elem = T>,
    D: Dimension,
{
    // SAFETY: both kernels write dst[i] for every i.
    unsafe {
        match approximate {
            GeluApprox::None => map_binary("gelu_backward", x, grad_out, gelu_exact_back_simd),
            GeluApprox::Tanh => map_binary("gelu_backward", x, grad_out, gelu_tanh_back_simd),
        }
    }
}
