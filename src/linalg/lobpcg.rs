//! Matrix-free extreme eigenpairs of a symmetric operator ([`lobpcg`]): ndarray-linalg's LOBPCG
//! (Knyazev's locally optimal block preconditioned conjugate gradient, without
//! preconditioner or constraints) behind ndkit's validation and errors. Requires the `ml`
//! feature (on by default).
//!
//! | step | f32 | f64 | c32, c64 |
//! |---|---|---|---|
//! | `ndarray_linalg::lobpcg::lobpcg` (Rayleigh–Ritz by `?sygv`/`?syev`, orthonormalisation by `?potrf` + `?trtrs`) | yes | yes | — (ndarray-linalg's LOBPCG is real only) |

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};

use ndarray::{s, Array1, Array2, ArrayView2};
use ndarray_linalg::lobpcg::{LobpcgResult, TruncatedOrder};
use num_traits::Float;
use rand::rngs::StdRng;
use rand::SeedableRng;
use rand_distr::{Distribution, StandardNormal};

use crate::layout::check_dims;
use crate::linalg::{self, Eigh, UPLO};
use crate::{Error, Real, Result};

/// Which end of the spectrum [`lobpcg`] computes. Requires the `ml` feature (on by default).
///
/// ```
/// use ndkit::linalg::Which;
/// assert_ne!(Which::Largest, Which::Smallest);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Which {
    /// The k algebraically largest eigenvalues.
    Largest,
    /// The k algebraically smallest eigenvalues.
    Smallest,
}

/// Parameters of [`lobpcg`]. Requires the `ml` feature (on by default).
///
/// `Default`: `tol` = 1e-5 (ndarray-linalg's `TruncatedEig` default), `max_iter` = 1000,
/// `seed` = 0.
///
/// ```
/// let opts = ndkit::linalg::Lobpcg { tol: 1e-8, ..Default::default() };
/// assert_eq!((opts.max_iter, opts.seed), (1000, 0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lobpcg {
    /// Convergence threshold on each residual norm ‖A·x − λ·x‖₂ of a unit eigenvector x
    /// (absolute, as ndarray-linalg's; it is passed on as an f32). Must be positive and finite.
    pub tol: f64,
    /// Iteration limit (ndarray-linalg also stops after 10·n iterations).
    pub max_iter: usize,
    /// Seed of the Gaussian initial block: the same seed gives the same start (and the same
    /// result up to rounding in BLAS, whose summation order can follow its thread count).
    pub seed: u64,
}

impl Default for Lobpcg {
    fn default() -> Self {
        Lobpcg {
            tol: 1e-5,
            max_iter: 1000,
            seed: 0,
        }
    }
}

const OP: &str = "lobpcg";

/// The k extreme eigenpairs of the n×n symmetric operator `op`, matrix-free, by LOBPCG
/// (ndarray-linalg's implementation; no preconditioner). Requires the `ml` feature (on by
/// default).
///
/// `op(x)` must return A·x for an n×c block `x` of column vectors (c ≤ k, or c = n, below),
/// for a symmetric A.
/// The initial block is Gaussian, drawn from `opts.seed`. The result follows [`Eigh`]'s
/// convention whichever end is asked for: `values` ascending (for `Which::Largest` the
/// largest of all is last), `vectors` n×k with orthonormal columns, column i for `values[i]`.
/// ndarray-linalg's block is finished by one more Rayleigh–Ritz step (QR, one application
/// of `op`, `eigh` of the k×k projection), so the vectors are orthonormal to working precision
/// and the values are their Rayleigh quotients; converged means every residual
/// ‖A·xᵢ − λᵢ·xᵢ‖₂ of the returned pairs is ≤ `opts.tol`. LOBPCG needs k small against n:
/// when n < 5·k, as SciPy's `lobpcg` does, ndkit instead applies `op` once to the n×n
/// identity and takes the k pairs from [`eigh`](crate::linalg::eigh) of that dense matrix
/// (`?syevd`, reading its lower triangle; exact to working precision, no iteration). Real
/// types only (f32, f64): ndarray-linalg's LOBPCG is real only.
///
/// # Errors
/// [`Error::InvalidArgument`] for k = 0, k > n or a `tol` that is not positive and finite (as
/// an f32); [`Error::InvalidShape`] when `op` returns a block of the wrong shape;
/// [`Error::NonFinite`] when it returns NaN or infinity; [`Error::NoConvergence`] (routine
/// `"LOBPCG"`) when some residual is still above `tol` after the iteration limit, or the
/// iteration breaks down (e.g. an operator that is not symmetric). A panic inside `op` is the
/// caller's and propagates.
///
/// ```
/// use ndarray::{Array2, ArrayView2};
/// use ndkit::linalg::{lobpcg, Lobpcg, Which};
///
/// // The 1-D Laplacian tridiag(−1, 2, −1) of order 100, applied without forming it.
/// let n = 100;
/// let laplacian = |x: ArrayView2<f64>| {
///     Array2::from_shape_fn(x.raw_dim(), |(i, j)| {
///         let up = if i > 0 { x[[i - 1, j]] } else { 0.0 };
///         let down = if i + 1 < n { x[[i + 1, j]] } else { 0.0 };
///         2.0 * x[[i, j]] - up - down
///     })
/// };
/// let opts = Lobpcg { tol: 1e-8, ..Default::default() };
/// let top = lobpcg(laplacian, n, 3, Which::Largest, opts)?;
/// // λ_j = 2 − 2·cos(jπ/(n + 1)), ascending: j = 98, 99, 100.
/// for (i, j) in (98..=100).enumerate() {
///     let exact = 2.0 - 2.0 * (j as f64 * std::f64::consts::PI / (n + 1) as f64).cos();
///     assert!((top.values[i] - exact).abs() < 1e-9);
/// }
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn lobpcg<T: Real>(
    op: impl Fn(ArrayView2<'_, T>) -> Array2<T>,
    n: usize,
    k: usize,
    which: Which,
    opts: Lobpcg,
) -> Result<Eigh<T>> {
    check_dims(OP, &[n, k])?;
    if k == 0 || k > n {
        return Err(Error::InvalidArgument {
            op: OP,
            message: format!(
                "k = {k} eigenpairs requested of an operator of order {n}; need 1 ≤ k ≤ n"
            ),
        });
    }
    let tol = opts.tol as f32;
    if !(tol.is_finite() && tol > 0.0) {
        return Err(Error::InvalidArgument {
            op: OP,
            message: format!("tol = {} must be positive and finite as an f32", opts.tol),
        });
    }
    let mut rng = StdRng::seed_from_u64(opts.seed);
    let x = Array2::<T>::from_shape_simple_fn((n, k), || {
        T::from_f64_nearest(StandardNormal.sample(&mut rng))
    });

    // `op` behind the checks ndarray-linalg does not make: the first bad block is recorded
    // (and a zero block of the right shape handed on, `op` no longer called); `in_op` tells a
    // panic of the caller's `op` from one inside ndarray-linalg.
    let failure = RefCell::new(None::<Error>);
    let in_op = Cell::new(false);
    let checked = |x: ArrayView2<'_, T>| -> Array2<T> {
        if failure.borrow().is_some() {
            return Array2::zeros(x.raw_dim());
        }
        in_op.set(true);
        let y = op(x.view());
        in_op.set(false);
        let problem = if y.dim() != x.dim() {
            Some(Error::InvalidShape {
                op: OP,
                shape: y.shape().to_vec(),
                expected: format!("op must return A·x of the shape of x, {:?}", x.shape()),
            })
        } else if !y.iter().all(|v| v.is_finite()) {
            Some(Error::NonFinite {
                op: OP,
                shape: y.shape().to_vec(),
            })
        } else {
            None
        };
        match problem {
            Some(error) => {
                *failure.borrow_mut() = Some(error);
                Array2::zeros(x.raw_dim())
            }
            None => y,
        }
    };
    if n < 5 * k {
        let dense = checked(Array2::<T>::eye(n).view());
        if let Some(error) = failure.into_inner() {
            return Err(error);
        }
        let Eigh { values, vectors } = linalg::eigh(&dense, UPLO::Lower)?;
        let wanted = match which {
            Which::Largest => n - k..n,
            Which::Smallest => 0..k,
        };
        return Ok(Eigh {
            values: values.slice(s![wanted.clone()]).to_owned(),
            vectors: vectors.slice(s![.., wanted]).to_owned(),
        });
    }
    let order = match which {
        Which::Largest => TruncatedOrder::Largest,
        Which::Smallest => TruncatedOrder::Smallest,
    };
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        solve_as::<T, f64>(&checked, x.clone(), tol, opts.max_iter, order.clone())
            .or_else(|| solve_as::<T, f32>(&checked, x, tol, opts.max_iter, order))
    }));
    let result = match outcome {
        Ok(result) => result,
        Err(payload) if in_op.get() => panic::resume_unwind(payload),
        // ndarray-linalg asserts on internal breakdowns (e.g. a Cholesky factor that does not
        // reproduce its Gram matrix): a failure of the iteration, not of the caller.
        Err(_) => None,
    };
    if let Some(error) = failure.borrow_mut().take() {
        return Err(error);
    }
    let no_convergence = |unconverged: usize| Error::NoConvergence {
        op: OP,
        routine: "LOBPCG",
        unconverged,
    };
    let vectors = match result {
        Some(LobpcgResult::Ok(_, vectors, _)) | Some(LobpcgResult::Err(_, vectors, _, _)) => {
            vectors
        }
        Some(LobpcgResult::NoResult(_)) | None => return Err(no_convergence(k)),
    };
    if vectors.dim() != (n, k) || !vectors.iter().all(|v| v.is_finite()) {
        return Err(no_convergence(k));
    }
    // A last Rayleigh–Ritz step on ndarray-linalg's block: orthonormal vectors to working
    // precision (its own are only as orthonormal as its approximated Gram matrices), Ritz
    // values ascending, and the convergence verdict on the residuals of exactly what is
    // returned.
    let q = linalg::qr(&vectors)?.q;
    let aq = checked(q.view());
    if let Some(error) = failure.into_inner() {
        return Err(error);
    }
    let h = q.t().dot(&aq);
    let half = T::from_f64_nearest(0.5);
    let h = Array2::from_shape_fn((k, k), |(i, j)| (h[[i, j]] + h[[j, i]]) * half);
    let Eigh { values, vectors: w } = linalg::eigh(&h, UPLO::Lower)?;
    let (x, ax) = (q.dot(&w), aq.dot(&w));
    let tol = T::from_f64_nearest(opts.tol);
    let unconverged = (0..k)
        .filter(|&j| {
            let r = &ax.column(j) - &x.column(j).mapv(|v| v * values[j]);
            // NaN counts as unconverged.
            let norm = r.dot(&r).sqrt();
            norm.is_nan() || norm > tol
        })
        .count();
    if unconverged > 0 {
        return Err(no_convergence(unconverged));
    }
    Ok(Eigh { values, vectors: x })
}

/// ndarray-linalg's LOBPCG run with element type `A`: `None` unless `T` is `A` (ndkit's
/// `Real` is sealed to f32 and f64, each of which ndarray-linalg's bounds accept).
fn solve_as<T: Real, A>(
    op: &dyn Fn(ArrayView2<'_, T>) -> Array2<T>,
    x: Array2<T>,
    tol: f32,
    max_iter: usize,
    order: TruncatedOrder,
) -> Option<LobpcgResult<T>>
where
    A: Float
        + ndarray_linalg::Scalar
        + ndarray_linalg::Lapack
        + ndarray::ScalarOperand
        + PartialOrd
        + Default,
{
    let x = cast::<Array2<T>, Array2<A>>(x)?;
    // From here on `T` and `A` are the same type, so every cast below is the identity and
    // succeeds; the zero-block fallback only satisfies the types.
    let op_a = |v: ArrayView2<'_, A>| -> Array2<A> {
        cast::<Array2<A>, Array2<T>>(v.to_owned())
            .and_then(|v| cast(op(v.view())))
            .unwrap_or_else(|| Array2::zeros(v.raw_dim()))
    };
    let result = ndarray_linalg::lobpcg::lobpcg(op_a, x, |_| {}, None, tol, max_iter, order);
    let back = |values: Array1<A>, vectors: Array2<A>, residuals: Vec<A>| {
        Some((cast(values)?, cast(vectors)?, cast(residuals)?))
    };
    Some(match result {
        LobpcgResult::Ok(values, vectors, residuals) => {
            let (values, vectors, residuals) = back(values, vectors, residuals)?;
            LobpcgResult::Ok(values, vectors, residuals)
        }
        LobpcgResult::Err(values, vectors, residuals, error) => {
            let (values, vectors, residuals) = back(values, vectors, residuals)?;
            LobpcgResult::Err(values, vectors, residuals, error)
        }
        LobpcgResult::NoResult(error) => LobpcgResult::NoResult(error),
    })
}

/// `x` as a `B`: `Some` exactly when `A` and `B` are the same type.
fn cast<A: 'static, B: 'static>(x: A) -> Option<B> {
    let mut slot = Some(x);
    (&mut slot as &mut dyn Any)
        .downcast_mut::<Option<B>>()
        .and_then(Option::take)
}

#[cfg(test)]
mod tests {
    use super::cast;

    #[test]
    fn cast_is_the_identity_or_nothing() {
        assert_eq!(cast::<f64, f64>(1.5), Some(1.5));
        assert_eq!(cast::<f64, f32>(1.5), None);
    }
}
