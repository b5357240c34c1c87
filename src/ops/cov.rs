//! `numpy.cov(x, rowvar=False, ddof=ddof)` and `numpy.corrcoef(x, rowvar=False)` on the
//! centred `?syrk` kernel of the covariance PCA solver.

use ndarray::{Array2, ArrayBase, Data, Ix2, ShapeBuilder};

use crate::layout::{check_dims, ensure_finite};
use crate::moments::{scaled_mean, scatter as lower_scatter, shifted_mean};
use crate::{Error, Real, Result};

/// The full symmetric scatter matrix Σ(x − μ)(x − μ)ᵀ of the rows of a non-empty `x`.
fn full_scatter<T: Real, S: Data<Elem = T>>(
    op: &'static str,
    x: &ArrayBase<S, Ix2>,
) -> Result<Array2<T>> {
    let first = match shifted_mean(x) {
        first if first.iter().all(|m| m.is_finite()) => first,
        // NaN/Inf in a column propagate into its entries as in NumPy; finite data whose
        // differences overflow take the mean as Σ x/n.
        first => match ensure_finite(op, x) {
            Ok(()) => scaled_mean(x),
            Err(_) => first.mapv(|m| if m.is_finite() { m } else { T::zero() }),
        },
    };
    // 512 KiB blocks of f64, as the streaming accumulator uses: ?syrk's rank-k updates gain
    // from the larger k.
    const BLOCK_ELEMENTS: usize = 1 << 16;
    let (mut s, _) = lower_scatter(op, x, &first, BLOCK_ELEMENTS)?;
    let d = s.nrows();
    for j in 0..d {
        for i in j + 1..d {
            s[[j, i]] = s[[i, j]];
        }
    }
    Ok(s)
}

/// The covariance matrix of the columns of `x` (samples × features), as
/// `numpy.cov(x, rowvar=False, ddof=ddof)`: features × features, divided by
/// samples − ddof. One feature gives a 1 × 1 matrix, zero features a 0 × 0 one.
///
/// Computed as in the covariance PCA solver: one pass over cache-sized blocks of rows
/// centred on a first mean estimate, rank-k updates of the lower triangle (`?syrk`), and the
/// exact correction for the refined mean, so columns offset far from zero (by 1e8, say) keep
/// their digits.
///
/// # Errors
/// [`Error::InvalidArgument`] when samples ≤ ddof (NumPy would divide by zero or a negative
/// count).
///
/// ```
/// use ndarray::array;
/// use ndkit::ops::cov;
/// # fn main() -> ndkit::Result<()> {
/// let x = array![[1.0_f64, 2.0], [2.0, 4.0], [3.0, 6.0]];
/// let c = cov(&x, 1)?;
/// assert!((c - array![[1.0, 2.0], [2.0, 4.0]]).iter().all(|e| e.abs() < 1e-14));
/// # Ok(())
/// # }
/// ```
pub fn cov<T: Real, S: Data<Elem = T>>(x: &ArrayBase<S, Ix2>, ddof: usize) -> Result<Array2<T>> {
    const OP: &str = "cov";
    let (n, d) = x.dim();
    if n <= ddof {
        return Err(Error::InvalidArgument {
            op: OP,
            message: format!(
                "{n} samples (x of shape {:?}) with ddof = {ddof}: samples must exceed ddof",
                x.shape()
            ),
        });
    }
    check_dims(OP, &[n, d])?;
    if d == 0 {
        return Ok(Array2::zeros((0, 0)));
    }
    let mut c = full_scatter(OP, x)?;
    let scale = T::one() / T::from_f64_nearest((n - ddof) as f64);
    c.mapv_inplace(|v| v * scale);
    Ok(c.as_standard_layout().into_owned())
}

/// The Pearson correlation coefficients of the columns of `x` (samples × features), as
/// `numpy.corrcoef(x, rowvar=False)`: cov(x)ᵢⱼ / √(cov(x)ᵢᵢ·cov(x)ⱼⱼ), clipped to [−1, 1]. A
/// constant column (and a single sample) gives NaN in its row and column, as NumPy.
///
/// # Errors
/// [`Error::InvalidArgument`] when `x` has no samples.
///
/// ```
/// use ndarray::array;
/// use ndkit::ops::corrcoef;
/// # fn main() -> ndkit::Result<()> {
/// let x = array![[1.0_f64, 10.0], [2.0, 8.0], [3.0, 6.0]];
/// let r = corrcoef(&x)?;
/// assert!((r[[0, 1]] + 1.0).abs() < 1e-15); // perfectly anti-correlated
/// # Ok(())
/// # }
/// ```
pub fn corrcoef<T: Real, S: Data<Elem = T>>(x: &ArrayBase<S, Ix2>) -> Result<Array2<T>> {
    const OP: &str = "corrcoef";
    let (n, d) = x.dim();
    if n == 0 {
        return Err(Error::InvalidArgument {
            op: OP,
            message: format!("x of shape {:?} has no samples", x.shape()),
        });
    }
    check_dims(OP, &[n, d])?;
    if d == 0 {
        return Ok(Array2::zeros((0, 0)));
    }
    // The scaling of the covariance cancels: the scatter matrix will do.
    let s = full_scatter(OP, x)?;
    let sd: Vec<T> = (0..d).map(|i| s[[i, i]].sqrt()).collect();
    let one = T::one();
    let mut r = Array2::<T>::zeros((d, d).f());
    for j in 0..d {
        for i in 0..d {
            let v = s[[i, j]] / sd[i] / sd[j];
            // NaN stays NaN (max/min would drop it).
            r[[i, j]] = if v > one {
                one
            } else if v < -one {
                -one
            } else {
                v
            };
        }
    }
    Ok(r.as_standard_layout().into_owned())
}
