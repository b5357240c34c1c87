//! Norms and scalar properties of vectors and matrices: `numpy.linalg.norm` (`vector_norm`,
//! `matrix_norm`), `matrix_rank`, `cond` and `numpy.trace`.
//!
//! | function | order | computed by |
//! |---|---|---|
//! | [`vector_norm`], [`vector_norm_axis`] | `L2` | contiguous runs of ≥ 2¹⁴ scalars: `?dot` of x with itself (`sdot`/`ddot` over the real and imaginary parts), kept when it provably neither overflowed nor lost accuracy to underflow; otherwise, and for shorter or strided runs, one pass of Blue's three-accumulator scaled sum of squares (as LAPACK 3.10 `?nrm2`) |
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

use ndarray::{Array, ArrayBase, Axis, Data, Ix1, Ix2, RemoveAxis};
use num_traits::{Float, Zero};

use crate::linalg::{inv, svdvals};
use crate::{Error, Result, Scalar};

mod kernel;

use kernel::{abs_sums, canonical, nan_max, nan_min, p_norm, reduce, sumsq_1d, sumsq_2d, Blue};

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
            T::Real::from_f64_nearest(count as f64)
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
/// `sum_axis` and `map_axis`. With `softmax` and `log_softmax` this is the one panic ndkit has
/// (the crate docs' error policy): the axis is a program constant, not runtime data.
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
    let rtol =
        tol.unwrap_or_else(|| T::Real::from_f64_nearest(m.max(n) as f64) * T::Real::epsilon());
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
