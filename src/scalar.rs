//! The element types ndkit computes with: [`Scalar`] (f32, f64, c32, c64) and [`Real`] (f32, f64).
//!
//! Both traits are sealed: the BLAS/LAPACK routine behind every operation is chosen per type
//! (`s`/`d`/`c`/`z` prefixes), so only these four types can implement them.

use std::fmt::{Debug, Display, LowerExp};
use std::iter::Sum;
use std::ops::{AddAssign, Div, DivAssign, Mul, MulAssign, Neg, SubAssign};

use ndarray::{LinalgScalar, ScalarOperand};
use num_complex::Complex;
use num_traits::{Float, FromPrimitive};

use crate::kernels::{blas_kernels, lapack_eigen_kernels, lapack_factor_kernels, lapack_kernels};

mod sealed {
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
    impl Sealed for num_complex::Complex<f32> {}
    impl Sealed for num_complex::Complex<f64> {}
}

/// The BLAS and LAPACK routines behind every operation, one method per routine, dispatched to
/// the `s`/`d`/`c`/`z` symbol of the linked library (see [`crate::kernels`]). Crate-private: a
/// supertrait of [`Scalar`] that code outside ndkit can neither name nor call.
// Without `ml`, routines only ml calls (`?syevr` for the PCA) are unused.
#[cfg_attr(not(feature = "ml"), allow(dead_code))]
pub(crate) trait Kernels: Sized {
    blas_kernels!(declare);
    lapack_kernels!(declare);
    lapack_factor_kernels!(declare);
    lapack_eigen_kernels!(declare);
}

/// An element type of ndkit's linear algebra: `f32`, `f64`, [`c32`](crate::c32) or
/// [`c64`](crate::c64).
///
/// ```
/// use ndkit::{c64, Scalar};
///
/// let z = c64::new(3.0, 4.0);
/// assert_eq!(z.norm(), 5.0);
/// assert_eq!(Scalar::conj(z), c64::new(3.0, -4.0));
/// assert_eq!(<f64 as Scalar>::from_real(2.0), 2.0);
/// ```
///
/// The BLAS/LAPACK routines behind the operations live on a crate-private supertrait: they
/// are not methods a caller can reach through this trait.
///
/// ```compile_fail
/// fn raw_dot<T: ndkit::Scalar>(x: &[T]) -> T {
///     unsafe { T::dotu(x.len() as i32, x.as_ptr(), 1, x.as_ptr(), 1) }
/// }
/// ```
#[allow(private_bounds)] // `Kernels` is crate-private on purpose
pub trait Scalar:
    LinalgScalar
    + ScalarOperand
    + Neg<Output = Self>
    + AddAssign
    + SubAssign
    + MulAssign
    + DivAssign
    + Mul<Self::Real, Output = Self>
    + Div<Self::Real, Output = Self>
    + PartialEq
    + Sum
    + Default
    + Debug
    + Display
    + Send
    + Sync
    + sealed::Sealed
    + Kernels
{
    /// The matching real type (`f32` for `f32` and `c32`, `f64` for `f64` and `c64`).
    type Real: Real;
    /// The matching complex type (`c32` for `f32` and `c32`, `c64` for `f64` and `c64`).
    type Complex: Scalar<Real = Self::Real, Complex = Self::Complex>;
    /// Whether this is a complex type.
    const IS_COMPLEX: bool;

    /// Complex conjugate (the identity for real types).
    fn conj(self) -> Self;
    /// Real part.
    fn re(self) -> Self::Real;
    /// Imaginary part (zero for real types).
    fn im(self) -> Self::Real;
    /// Absolute value |x|, computed without overflow for complex values.
    fn norm(self) -> Self::Real;
    /// Squared absolute value |x|².
    fn norm_sqr(self) -> Self::Real;
    /// The value with real part `re` and imaginary part zero.
    fn from_real(re: Self::Real) -> Self;
    /// The value nearest to `x` (imaginary part zero).
    ///
    /// Named apart from `num_traits::FromPrimitive::from_f64` (which [`Real`] also has, and
    /// which returns an `Option`), so that generic code bounded by both calls either without
    /// ambiguity.
    fn from_f64_nearest(x: f64) -> Self;
    /// This value as the matching complex type.
    fn to_complex(self) -> Self::Complex;
    /// Whether neither part is NaN or infinite.
    fn finite(self) -> bool;
}

/// A real element type: `f32` or `f64`. The ML functions take `T: Real`.
///
/// ```
/// fn half<T: ndkit::Real>(x: T) -> T {
///     x / T::from_f64_nearest(2.0)
/// }
/// assert_eq!(half(3.0_f32), 1.5);
/// ```
///
/// Generic code that also bounds by num-traits' traits keeps calling their methods unchanged:
/// `F::from_f64` is `num_traits::FromPrimitive::from_f64` (a supertrait), never ambiguous.
///
/// ```
/// use num_traits::{Float, FromPrimitive};
/// fn halve<F: ndkit::Real + Float + FromPrimitive>(x: F) -> F {
///     x * F::from_f64(0.5).unwrap()
/// }
/// fn quarter<F: ndkit::Real + Float>(x: F) -> F {
///     x * F::from_f64(0.25).unwrap()
/// }
/// assert_eq!(halve(3.0_f64), 1.5);
/// assert_eq!(quarter(2.0_f32), 0.5);
/// ```
///
/// With the `ml` feature (on by default) `Real` also implies rand's `SampleUniform`, so
/// `rng.random_range(lo..hi)` works for any `T: Real`; without it `Real` names no rand type.
#[allow(private_bounds)] // `FftKernels` and `MlBounds` are crate-private on purpose
pub trait Real:
    Scalar<Real = Self, Complex = Complex<Self>>
    + Float
    + FromPrimitive
    + LowerExp
    + MlBounds
    + FftKernels
{
}

/// The bounds [`Real`] has only with the `ml` feature: rand's `SampleUniform`.
#[cfg(feature = "ml")]
pub(crate) trait MlBounds: rand::distr::uniform::SampleUniform {}
/// The bounds [`Real`] has only with the `ml` feature: none without it.
#[cfg(not(feature = "ml"))]
pub(crate) trait MlBounds {}
impl MlBounds for f32 {}
impl MlBounds for f64 {}

/// The FFT convolution behind `ops::convolve`, dispatched to realfft for f32 and f64 (whose
/// element trait `FftNum` is not a supertrait: it would put realfft's trait bounds on every
/// caller's `T`). Crate-private: a supertrait of [`Real`] that
/// code outside ndkit can neither name nor call.
pub(crate) trait FftKernels: Sized {
    /// `full[start..start + len]` of the linear convolution of `a` and `r` (r no longer than
    /// a) by FFT overlap-add.
    fn fft_window(a: &[Self], r: &[Self], start: usize, len: usize) -> Vec<Self>;
}
impl FftKernels for f32 {
    fn fft_window(a: &[f32], r: &[f32], start: usize, len: usize) -> Vec<f32> {
        crate::ops::fft_window(a, r, start, len)
    }
}
impl FftKernels for f64 {
    fn fft_window(a: &[f64], r: &[f64], start: usize, len: usize) -> Vec<f64> {
        crate::ops::fft_window(a, r, start, len)
    }
}

impl Real for f32 {}
impl Real for f64 {}

macro_rules! impl_real_scalar {
    ($t:ty, $p:ident) => {
        impl Scalar for $t {
            type Real = $t;
            type Complex = Complex<$t>;
            const IS_COMPLEX: bool = false;
            #[inline]
            fn conj(self) -> Self {
                self
            }
            #[inline]
            fn re(self) -> $t {
                self
            }
            #[inline]
            fn im(self) -> $t {
                0.0
            }
            #[inline]
            fn norm(self) -> $t {
                self.abs()
            }
            #[inline]
            fn norm_sqr(self) -> $t {
                self * self
            }
            #[inline]
            fn from_real(re: $t) -> Self {
                re
            }
            #[inline]
            fn from_f64_nearest(x: f64) -> Self {
                x as $t
            }
            #[inline]
            fn to_complex(self) -> Complex<$t> {
                Complex::new(self, 0.0)
            }
            #[inline]
            fn finite(self) -> bool {
                self.is_finite()
            }

        }

        impl Kernels for $t {
            blas_kernels!(real $t, $p);
            lapack_kernels!(real $t, $p);
            lapack_factor_kernels!(real $t, $p);
            lapack_eigen_kernels!(real $t, $p);
        }
    };
}

macro_rules! impl_complex_scalar {
    ($r:ty, $p:ident) => {
        impl Scalar for Complex<$r> {
            type Real = $r;
            type Complex = Complex<$r>;
            const IS_COMPLEX: bool = true;
            #[inline]
            fn conj(self) -> Self {
                Complex::conj(&self)
            }
            #[inline]
            fn re(self) -> $r {
                self.re
            }
            #[inline]
            fn im(self) -> $r {
                self.im
            }
            #[inline]
            fn norm(self) -> $r {
                self.re.hypot(self.im)
            }
            #[inline]
            fn norm_sqr(self) -> $r {
                self.re * self.re + self.im * self.im
            }
            #[inline]
            fn from_real(re: $r) -> Self {
                Complex::new(re, 0.0)
            }
            #[inline]
            fn from_f64_nearest(x: f64) -> Self {
                Complex::new(x as $r, 0.0)
            }
            #[inline]
            fn to_complex(self) -> Self {
                self
            }
            #[inline]
            fn finite(self) -> bool {
                self.re.is_finite() && self.im.is_finite()
            }

        }

        impl Kernels for Complex<$r> {
            blas_kernels!(complex $r, $p);
            lapack_kernels!(complex $r, $p);
            lapack_factor_kernels!(complex $r, $p);
            lapack_eigen_kernels!(complex $r, $p);
        }
    };
}

impl_real_scalar!(f32, s);
impl_real_scalar!(f64, d);
impl_complex_scalar!(f32, c);
impl_complex_scalar!(f64, z);
