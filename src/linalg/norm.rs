//! Norms and scalar properties of vectors and matrices: `numpy.linalg.norm` (`vector_norm`,
//! `matrix_norm`), `matrix_rank`, `cond` and `numpy.trace`.
//!
//! | function | order | computed by |
//! |---|---|---|
//! | [`vector_norm`], [`vector_norm_axis`] | `L2` | one pass, Blue's three-accumulator scaled sum of squares (as LAPACK 3.10 `?nrm2`) |
//! | [`vector_norm`], [`vector_norm_axis`] | `P(p)` | two passes: max (min for p < 0) of \|xᵢ\|, then Σ(\|xᵢ\|/max)ᵖ |
//! | [`vector_norm`], [`vector_norm_axis`] | `L1`, `Inf`, `NegInf`, `Zero` | one pass |
//! | [`matrix_norm`] | `Fro` | the `L2` kernel over all entries, in memory order |
//! | [`matrix_norm`] | `One`, `NegOne`, `Inf`, `NegInf` | column / row sums of \|aᵢⱼ\| |
//! | [`matrix_norm`] | `Two`, `NegTwo`, `Nuc` | [`svdvals`]: `?gesdd` |
//! | [`matrix_rank`] | — | [`svdvals`]: `?gesdd` |
//! | [`cond`] | `Two`, `NegTwo` | [`svdvals`]: `?gesdd` |
//! | [`cond`] | other orders | [`inv`]: `?geequ` + `?getrf` + `?gecon` + `?getri`, then two norms |
//! | [`trace`] | — | sum of the diagonal |
//!
//! No norm overflows or underflows in an intermediate step when the result is representable:
//! entries near 1e±300 (f64) or 1e±38 (f32) give the right answer where NumPy's unscaled
//! Σ|xᵢ|² or Σ|xᵢ|ᵖ returns ∞ or 0.

use std::mem::size_of;

use ndarray::{
    Array, Array1, ArrayBase, ArrayView1, ArrayView2, Axis, Data, Ix1, Ix2, RemoveAxis, Zip,
};
use num_traits::{Float, Zero};

use crate::linalg::{inv, svdvals};
use crate::{Error, Real, Result, Scalar};

/// The order of a vector norm: NumPy's `ord` for 1-D input.
///
/// ```
/// use ndkit::linalg::{vector_norm, VectorNorm};
///
/// let x = ndarray::array![3.0, -4.0, 0.0];
/// assert_eq!(vector_norm(&x, VectorNorm::L1), 7.0);
/// assert_eq!(vector_norm(&x, VectorNorm::L2), 5.0);
/// assert_eq!(vector_norm(&x, VectorNorm::Zero), 2.0);
/// assert_eq!(vector_norm(&x, VectorNorm::P(1.0)), 7.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum VectorNorm {
    /// Σ|xᵢ| (`ord=1`); 0 for an empty vector.
    L1,
    /// √(Σ|xᵢ|²), the Euclidean norm (`ord=2`, NumPy's default); computed without overflow or
    /// underflow; 0 for an empty vector.
    L2,
    /// max|xᵢ| (`ord=inf`); 0 for an empty vector.
    Inf,
    /// min|xᵢ| (`ord=-inf`); +∞ for an empty vector (NumPy raises instead).
    NegInf,
    /// The number of non-zero entries (`ord=0`; not a norm); NaN counts as non-zero.
    Zero,
    /// (Σ|xᵢ|ᵖ)^(1/p) for any real p (`ord=p`), scaled so that it never overflows or
    /// underflows when the result is representable. `P(1.0)`, `P(2.0)`, `P(0.0)`, `P(∞)` and
    /// `P(−∞)` are `L1`, `L2`, `Zero`, `Inf` and `NegInf`. For p < 0 a zero entry gives 0 and an
    /// empty vector +∞ (as NumPy); `P(NaN)` gives NaN.
    P(f64),
}

/// The order of a matrix norm: NumPy's `ord` for 2-D input.
///
/// ```
/// use ndkit::linalg::{matrix_norm, MatrixNorm};
///
/// let a = ndarray::array![[1.0_f64, -2.0], [3.0, 4.0]];
/// assert_eq!(matrix_norm(&a, MatrixNorm::One)?, 6.0); // largest column sum
/// assert_eq!(matrix_norm(&a, MatrixNorm::Inf)?, 7.0); // largest row sum
/// # Ok::<(), ndkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatrixNorm {
    /// Frobenius norm √(Σ|aᵢⱼ|²) (`ord='fro'`, NumPy's default), overflow- and underflow-safe.
    Fro,
    /// Nuclear norm: the sum of the singular values (`ord='nuc'`).
    Nuc,
    /// Largest column sum of |aᵢⱼ| (`ord=1`).
    One,
    /// Smallest column sum of |aᵢⱼ| (`ord=-1`; not a norm).
    NegOne,
    /// Largest row sum of |aᵢⱼ| (`ord=inf`).
    Inf,
    /// Smallest row sum of |aᵢⱼ| (`ord=-inf`; not a norm).
    NegInf,
    /// Spectral norm: the largest singular value (`ord=2`).
    Two,
    /// The smallest singular value (`ord=-2`; not a norm).
    NegTwo,
}

/// A norm of a vector of any stride, like `np.linalg.norm(x, ord)` /
/// `np.linalg.vector_norm(x, ord=ord)`.
///
/// The result is real (`T::Real`); complex entries contribute their modulus (for `L2`, their
/// real and imaginary parts). `L2` needs a single pass and no allocation and never overflows
/// or underflows in an intermediate step: `[3e300, 4e300]` gives `5e300`. An empty vector gives
/// 0 for every order except `NegInf` and `P(p)` with p < 0, which give +∞.
///
/// NaN propagates as in NumPy: any NaN entry makes every order NaN except `Zero`, which counts
/// it as non-zero.
///
/// ```
/// use ndkit::linalg::{vector_norm, VectorNorm};
///
/// let x = ndarray::array![3e300_f64, -4e300];
/// assert_eq!(vector_norm(&x, VectorNorm::L2), 5e300); // Σx² would overflow
/// assert_eq!(vector_norm(&x, VectorNorm::Inf), 4e300);
/// let z = ndarray::array![ndkit::c64::new(3.0, 4.0)];
/// assert_eq!(vector_norm(&z, VectorNorm::L1), 5.0);
/// ```
pub fn vector_norm<T: Scalar, S: Data<Elem = T>>(
    x: &ArrayBase<S, Ix1>,
    ord: VectorNorm,
) -> T::Real {
    let x = x.view();
    match canonical(ord) {
        VectorNorm::L1 => reduce(&x, T::Real::zero(), |acc, v| acc + v.norm(), |a, b| a + b),
        VectorNorm::L2 => {
            let c = Blue::new();
            sumsq_1d(&x, &c).finish(&c)
        }
        VectorNorm::Inf => reduce(
            &x,
            T::Real::zero(),
            |acc, v| nan_max(acc, v.norm()),
            nan_max,
        ),
        VectorNorm::NegInf => reduce(
            &x,
            T::Real::infinity(),
            |acc, v| nan_min(acc, v.norm()),
            nan_min,
        ),
        VectorNorm::Zero => {
            let count = x.fold(0_usize, |acc, v| acc + usize::from(*v != T::zero()));
            real(count as f64)
        }
        VectorNorm::P(p) => p_norm(&x, p),
    }
}

/// The norm of every lane of `a` along `axis`, like `np.linalg.norm(a, ord, axis=axis)`.
///
/// Each lane is reduced in place by the same kernel as [`vector_norm`] (no copies, any
/// strides); the result has `a`'s shape without `axis`. Along a zero-length axis every entry
/// is the empty-vector norm (0, or +∞ for `NegInf` and negative `P`).
///
/// # Panics
/// If `axis` is out of bounds for `a` (`axis.index() >= a.ndim()`), like ndarray's own
/// `sum_axis` and `map_axis`. This is the only ndkit function that panics on its input: the
/// axis is a program constant, not runtime data.
///
/// ```
/// use ndarray::{array, Axis};
/// use ndkit::linalg::{vector_norm_axis, VectorNorm};
///
/// let a = array![[3.0, 1.0], [4.0, -1.0]];
/// assert_eq!(vector_norm_axis(&a, Axis(0), VectorNorm::L2), array![5.0, 2.0_f64.sqrt()]);
/// assert_eq!(vector_norm_axis(&a, Axis(1), VectorNorm::L1), array![4.0, 5.0]);
/// ```
pub fn vector_norm_axis<T: Scalar, S: Data<Elem = T>, D: RemoveAxis>(
    a: &ArrayBase<S, D>,
    axis: Axis,
    ord: VectorNorm,
) -> Array<T::Real, D::Smaller> {
    a.map_axis(axis, |lane| vector_norm(&lane, ord))
}

/// A norm of a matrix, like `np.linalg.norm(a, ord)` / `np.linalg.matrix_norm(a, ord=ord)`.
///
/// `Fro` uses the overflow-safe `L2` kernel; `One`/`NegOne` are the largest/smallest column
/// sum of |aᵢⱼ|, `Inf`/`NegInf` the largest/smallest row sum (NaN propagates); `Two`,
/// `NegTwo` and `Nuc` come from the singular values ([`svdvals`], LAPACK `?gesdd`).
///
/// Empty matrices follow NumPy: `Fro`, `Nuc`, `One`, `Inf` and `Two` are 0; a minimum over an
/// empty set is an error.
///
/// # Errors
/// - [`Error::InvalidShape`]: `NegOne` with no columns, `NegInf` with no rows, `NegTwo` of an
///   empty matrix (NumPy raises for these too).
/// - From [`svdvals`] for `Two`, `NegTwo`, `Nuc`: [`Error::NonFinite`] for NaN/Inf entries,
///   [`Error::NoConvergence`], [`Error::TooLarge`].
///
/// ```
/// use ndkit::linalg::{matrix_norm, MatrixNorm};
///
/// let a = ndarray::array![[3.0_f64, 0.0], [0.0, -4.0]];
/// assert_eq!(matrix_norm(&a, MatrixNorm::Fro)?, 5.0);
/// assert_eq!(matrix_norm(&a, MatrixNorm::NegOne)?, 3.0);
/// assert!((matrix_norm(&a, MatrixNorm::Two)? - 4.0).abs() < 1e-12);
/// assert!((matrix_norm(&a, MatrixNorm::Nuc)? - 7.0).abs() < 1e-12);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn matrix_norm<T: Scalar, S: Data<Elem = T>>(
    a: &ArrayBase<S, Ix2>,
    ord: MatrixNorm,
) -> Result<T::Real> {
    const OP: &str = "matrix_norm";
    let a = a.view();
    let (m, n) = a.dim();
    let empty = m == 0 || n == 0;
    let zero = T::Real::zero();
    let invalid = |expected: &str| Error::InvalidShape {
        op: OP,
        shape: vec![m, n],
        expected: expected.to_owned(),
    };
    match ord {
        MatrixNorm::Fro => {
            let c = Blue::new();
            Ok(sumsq_2d(&a, &c).finish(&c))
        }
        MatrixNorm::One => Ok(abs_sums(&a, Axis(0)).fold(zero, |acc, &s| nan_max(acc, s))),
        MatrixNorm::Inf => Ok(abs_sums(&a, Axis(1)).fold(zero, |acc, &s| nan_max(acc, s))),
        MatrixNorm::NegOne if n == 0 => Err(invalid(
            "at least one column: the -1 norm is the smallest column sum",
        )),
        MatrixNorm::NegInf if m == 0 => Err(invalid(
            "at least one row: the -inf norm is the smallest row sum",
        )),
        MatrixNorm::NegOne => {
            Ok(abs_sums(&a, Axis(0)).fold(T::Real::infinity(), |acc, &s| nan_min(acc, s)))
        }
        MatrixNorm::NegInf => {
            Ok(abs_sums(&a, Axis(1)).fold(T::Real::infinity(), |acc, &s| nan_min(acc, s)))
        }
        MatrixNorm::NegTwo if empty => Err(invalid(
            "a non-empty matrix: the -2 norm is the smallest singular value",
        )),
        MatrixNorm::Two | MatrixNorm::Nuc if empty => Ok(zero),
        MatrixNorm::Two => Ok(svdvals(&a)?.first().copied().unwrap_or(zero)),
        MatrixNorm::NegTwo => Ok(svdvals(&a)?.last().copied().unwrap_or(zero)),
        MatrixNorm::Nuc => Ok(svdvals(&a)?.sum()),
    }
}

/// The numerical rank of a matrix: the number of singular values above
/// `tol · s_max` (LAPACK `?gesdd` through [`svdvals`]).
///
/// **`tol` is relative** to the largest singular value `s_max`, as every tolerance in ndkit
/// (see `pinv`, `lstsq`); it is NumPy's `rtol` argument, not its absolute `tol`.
/// `np.linalg.matrix_rank(a, tol=t)` equals `matrix_rank(&a, Some(t / s_max))`. `None` means
/// `max(m, n) · ε`, NumPy's default. An empty matrix has rank 0.
///
/// # Errors
/// [`Error::InvalidArgument`] for a negative or NaN `tol`; from [`svdvals`]:
/// [`Error::NonFinite`] for NaN/Inf entries, [`Error::NoConvergence`], [`Error::TooLarge`].
///
/// ```
/// use ndkit::linalg::matrix_rank;
///
/// let a = ndarray::array![[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]];
/// assert_eq!(matrix_rank(&a, None)?, 1);
/// assert_eq!(matrix_rank(&ndarray::Array2::<f64>::eye(3), Some(0.5))?, 3);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn matrix_rank<T: Scalar, S: Data<Elem = T>>(
    a: &ArrayBase<S, Ix2>,
    tol: Option<T::Real>,
) -> Result<usize> {
    const OP: &str = "matrix_rank";
    if let Some(t) = tol {
        if t.is_nan() || t < T::Real::zero() {
            return Err(Error::InvalidArgument {
                op: OP,
                message: format!("tol must be a non-negative tolerance relative to the largest singular value, got {t}"),
            });
        }
    }
    let (m, n) = a.dim();
    if m == 0 || n == 0 {
        return Ok(0);
    }
    let s = svdvals(a)?;
    let s_max = s.first().copied().unwrap_or_else(T::Real::zero);
    let rtol = tol.unwrap_or_else(|| real::<T::Real>(m.max(n) as f64) * T::Real::epsilon());
    let threshold = rtol * s_max;
    Ok(s.iter().filter(|&&sv| sv > threshold).count())
}

/// The condition number of a matrix in the given norm, like `np.linalg.cond(a, ord)`.
///
/// `Two` is s_max / s_min and `NegTwo` s_min / s_max (singular values from `?gesdd`; any
/// shape). The other orders need a square matrix and are ‖a‖·‖a⁻¹‖ with [`inv`]
/// (`?getrf`/`?getri`).
///
/// Never fails on singular input: an exactly singular matrix, or one singular to working
/// precision (as [`inv`] reports it), has condition number +∞ — also for `NegTwo` of the zero
/// matrix, as NumPy. Any NaN entry gives NaN and any infinite entry +∞, in every order.
///
/// # Errors
/// - [`Error::InvalidShape`] for an empty matrix (NumPy: "cond is not defined on empty
///   arrays").
/// - [`Error::NotSquare`] for a non-square matrix with an order other than `Two`/`NegTwo`.
/// - From the LAPACK routines: [`Error::NoConvergence`], [`Error::TooLarge`].
///
/// ```
/// use ndkit::linalg::{cond, MatrixNorm};
///
/// let a = ndarray::array![[2.0_f64, 0.0], [0.0, 0.5]];
/// assert!((cond(&a, MatrixNorm::Two)? - 4.0).abs() < 1e-12);
/// assert!((cond(&a, MatrixNorm::One)? - 4.0).abs() < 1e-12);
/// let singular = ndarray::array![[1.0_f64, 2.0], [2.0, 4.0]];
/// assert_eq!(cond(&singular, MatrixNorm::Inf)?, f64::INFINITY);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn cond<T: Scalar, S: Data<Elem = T>>(
    a: &ArrayBase<S, Ix2>,
    ord: MatrixNorm,
) -> Result<T::Real> {
    const OP: &str = "cond";
    let a = a.view();
    let (m, n) = a.dim();
    if m == 0 || n == 0 {
        return Err(Error::InvalidShape {
            op: OP,
            shape: vec![m, n],
            expected: "a non-empty matrix: the condition number of an empty matrix is undefined"
                .to_owned(),
        });
    }
    let svd_order = matches!(ord, MatrixNorm::Two | MatrixNorm::NegTwo);
    if !svd_order && m != n {
        return Err(Error::NotSquare {
            op: OP,
            shape: vec![m, n],
        });
    }
    let (has_nan, has_inf) = a.fold((false, false), |(nan, inf), v| {
        let (re, im) = (v.re(), v.im());
        (
            nan || re.is_nan() || im.is_nan(),
            inf || re.is_infinite() || im.is_infinite(),
        )
    });
    if has_nan {
        return Ok(T::Real::nan());
    }
    if has_inf {
        return Ok(T::Real::infinity());
    }
    let inf = T::Real::infinity();
    if svd_order {
        let s = svdvals(&a)?;
        let zero = T::Real::zero();
        let (s_max, s_min) = (
            s.first().copied().unwrap_or(zero),
            s.last().copied().unwrap_or(zero),
        );
        // NumPy turns the 0/0 of the zero matrix into +∞ as well.
        return Ok(match ord {
            MatrixNorm::NegTwo if s_max > zero => s_min / s_max,
            _ if s_min > zero => s_max / s_min,
            _ => inf,
        });
    }
    match inv(&a) {
        Ok(a_inv) => Ok(matrix_norm(&a, ord)? * matrix_norm(&a_inv, ord)?),
        Err(e) if e.is_singular() => Ok(inf),
        Err(e) => Err(e),
    }
}

/// The sum of the main diagonal, like `np.trace(a)`: for an m×n matrix the first
/// `min(m, n)` diagonal entries (NumPy accepts non-square matrices too); 0 when empty.
///
/// # Errors
/// None: every 2-D array has a trace. The `Result` keeps the signature uniform with the
/// other matrix properties.
///
/// ```
/// use ndkit::linalg::trace;
///
/// assert_eq!(trace(&ndarray::array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])?, 6.0);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn trace<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>) -> Result<T> {
    Ok(a.diag().sum())
}

// ---------------------------------------------------------------------------------- kernels

/// `x` in the real type `R` (exact for the constants and counts used here).
#[inline]
fn real<R: Real>(x: f64) -> R {
    <R as Scalar>::from_f64(x)
}

/// Rewrites `P(p)` for the special values of p as the named order it equals.
fn canonical(ord: VectorNorm) -> VectorNorm {
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
fn reduce<T: Scalar, R: Copy>(
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
fn nan_max<R: Real>(acc: R, v: R) -> R {
    if v > acc || v.is_nan() {
        v
    } else {
        acc
    }
}

/// min(acc, v), except that a NaN on either side wins.
#[inline]
fn nan_min<R: Real>(acc: R, v: R) -> R {
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
fn p_norm<T: Scalar>(x: &ArrayView1<'_, T>, p: f64) -> T::Real {
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
    let pr = real::<T::Real>(p);
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
struct Blue<R> {
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
    fn new() -> Self {
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
        let pow2 = |e: i32| real::<R>(f64::from_bits(((1023 + e) as u64) << 52));
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
struct SumSq<R> {
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
    fn finish(self, c: &Blue<R>) -> R {
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

/// Partial sums of squares of a contiguous run.
fn sumsq_slice<T: Scalar>(xs: &[T], c: &Blue<T::Real>) -> SumSq<T::Real> {
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
fn sumsq_1d<T: Scalar>(x: &ArrayView1<'_, T>, c: &Blue<T::Real>) -> SumSq<T::Real> {
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
fn sumsq_2d<T: Scalar>(a: &ArrayView2<'_, T>, c: &Blue<T::Real>) -> SumSq<T::Real> {
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
fn abs_sums<T: Scalar>(a: &ArrayView2<'_, T>, axis: Axis) -> Array1<T::Real> {
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
