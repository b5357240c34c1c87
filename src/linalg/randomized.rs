//! Randomized truncated SVD ([`randomized_svd`]): Halko, Martinsson & Tropp (2011), as
//! scikit-learn's `sklearn.utils.extmath.randomized_svd`. Requires the `ml` feature (on by
//! default).
//!
//! | step | f32 | f64 | c32 | c64 |
//! |---|---|---|---|---|
//! | products with A and Aᴴ | `sgemm` | `dgemm` | `cgemm` | `zgemm` |
//! | power-iteration normaliser (LU, `n_iter` > 2) | `sgetrf` | `dgetrf` | `cgetrf` | `zgetrf` |
//! | orthonormal basis Q | `sgeqrf` + `sorgqr` | `dgeqrf` + `dorgqr` | `cgeqrf` + `cungqr` | `zgeqrf` + `zungqr` |
//! | SVD of the small projection QᴴA | `sgesdd` | `dgesdd` | `cgesdd` | `zgesdd` |
//!
//! The same range finder serves [`Pca`](crate::ml::Pca)'s randomized solver, which
//! re-orthonormalises by QR after every product instead.

use ndarray::{s, Array2, ArrayBase, ArrayView2, CowArray, Data, Ix2, ShapeBuilder};
use num_traits::{One, Zero};
use rand::rngs::StdRng;
use rand::SeedableRng;
use rand_distr::{Distribution, StandardNormal};

use crate::layout::{check_dims, ensure_finite, lapack_int, lapack_status};
use crate::linalg::{self, Svd};
use crate::{Error, Result, Scalar};

/// Parameters of [`randomized_svd`], with scikit-learn's defaults (`Default`: 10 oversamples,
/// 4 power iterations, seed 0). Requires the `ml` feature (on by default).
///
/// ```
/// let opts = ndkit::linalg::RandomizedSvd { n_iter: 7, ..Default::default() };
/// assert_eq!((opts.oversample, opts.n_iter, opts.seed), (10, 7, 0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RandomizedSvd {
    /// Extra random test vectors beyond k (scikit-learn's `n_oversamples`).
    pub oversample: usize,
    /// Power iterations (scikit-learn's `n_iter`): more sharpen the leading subspace when the
    /// singular values decay slowly.
    pub n_iter: usize,
    /// Seed of the Gaussian test matrix: the same seed gives the same test matrix (and the
    /// same result up to rounding in BLAS, whose summation order can follow its thread count).
    pub seed: u64,
}

impl Default for RandomizedSvd {
    fn default() -> Self {
        RandomizedSvd {
            oversample: 10,
            n_iter: 4,
            seed: 0,
        }
    }
}

/// How the range finder renormalises the block after each power-iteration product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Normaliser {
    /// scikit-learn's `'auto'`: none for `n_iter` ≤ 2, otherwise the permuted L of an LU
    /// factorisation (`scipy.linalg.lu(permute_l=True)`).
    Auto,
    /// A QR factorisation (orthonormal Q) after every product.
    Qr,
}

/// The top k singular triplets of the m×n `a` (thin: u m×k, s k, vt k×n) by randomized
/// subspace iteration, as `sklearn.utils.extmath.randomized_svd(a, k, n_oversamples,
/// n_iter, random_state)`. Requires the `ml` feature (on by default).
///
/// Halko, Martinsson & Tropp (2011), algorithms 4.3/4.4 and 5.1: Q spans M·(MᴴM)^n_iter·Ω
/// for a Gaussian n×(k + oversample) test matrix Ω (real for every dtype, drawn from
/// `opts.seed`), with M = a, or Mᴴ = a when m < n (so Ω has min(m, n) rows, as scikit-learn
/// does); each power-iteration product is renormalised as scikit-learn's
/// `power_iteration_normalizer='auto'` (nothing for `n_iter` ≤ 2, otherwise the permuted L
/// of an LU factorisation), the last by QR; then the exact SVD of the small QᴴM.
///
/// Signs follow scikit-learn's `svd_flip`: in each column of `u` the entry of largest
/// modulus (the first on ties) is real and positive, the matching row of `vt` scaled to
/// keep u·diag(s)·vt unchanged. Singular values are descending. The random stream differs
/// from NumPy's, so the result matches scikit-learn's to the accuracy of the method, not bit
/// for bit. Any layout or strides.
///
/// # Errors
/// [`Error::InvalidArgument`] for k = 0 or k > min(m, n) (so always for an empty input),
/// [`Error::NonFinite`] for NaN/Inf entries, [`Error::TooLarge`] for dimensions beyond
/// LAPACK's 32-bit integers.
///
/// ```
/// use ndarray::Array2;
/// use ndkit::linalg::{randomized_svd, svdvals, RandomizedSvd};
///
/// // A rank-3 100×40 matrix: the top 3 singular values are found to working precision.
/// let a = Array2::from_shape_fn((100, 40), |(i, j)| {
///     let (x, y) = (i as f64 / 100.0, j as f64 / 40.0);
///     1.0 + x * y + (x - y).powi(2)
/// });
/// let top = randomized_svd(&a, 3, RandomizedSvd::default())?;
/// let exact = svdvals(&a)?;
/// assert_eq!((top.u.dim(), top.vt.dim()), ((100, 3), (3, 40)));
/// for i in 0..3 {
///     assert!((top.s[i] - exact[i]).abs() <= 1e-10 * exact[0]);
/// }
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn randomized_svd<T: Scalar, S: Data<Elem = T>>(
    a: &ArrayBase<S, Ix2>,
    k: usize,
    opts: RandomizedSvd,
) -> Result<Svd<T>> {
    const OP: &str = "randomized_svd";
    let (m, n) = a.dim();
    check_dims(OP, &[m, n])?;
    if k == 0 || k > m.min(n) {
        return Err(Error::InvalidArgument {
            op: OP,
            message: format!(
                "k = {k} singular triplets requested of a {m}×{n} matrix; \
                 need 1 ≤ k ≤ min(m, n) = {}",
                m.min(n)
            ),
        });
    }
    ensure_finite(OP, a)?;
    let mut svd =
        range_finder_svd(OP, a.view(), k, opts, Normaliser::Auto).map_err(|e| e.with_op(OP))?;
    flip_signs(&mut svd);
    Ok(svd)
}

/// The HMT truncated SVD of `a` (1 ≤ k ≤ min(m, n), finite entries; checked by the caller),
/// signs as LAPACK leaves them.
pub(crate) fn range_finder_svd<T: Scalar>(
    op: &'static str,
    a: ArrayView2<'_, T>,
    k: usize,
    opts: RandomizedSvd,
    normaliser: Normaliser,
) -> Result<Svd<T>> {
    let (rows, cols) = a.dim();
    let transposed = rows < cols;
    // M and Mᴴ: views of `a` for real types; for complex ones, whichever is Aᴴ is a
    // conjugated copy (BLAS has no conjugate-only flag).
    let (m, mh) = if transposed {
        (conj_or_view(a.t()), CowArray::from(a))
    } else {
        (CowArray::from(a), conj_or_view(a.t()))
    };
    let width = k.saturating_add(opts.oversample).min(m.ncols());
    let mut rng = StdRng::seed_from_u64(opts.seed);
    let omega = Array2::<T>::from_shape_simple_fn((m.ncols(), width), || {
        T::from_f64_nearest(StandardNormal.sample(&mut rng))
    });
    // The 2·n_iter + 1 products M, Mᴴ, M, …, M, each normalised (the last by QR): keeping
    // the block well conditioned stops the small singular directions from being lost to
    // rounding.
    let normalise = |y: Array2<T>| -> Result<Array2<T>> {
        match normaliser {
            Normaliser::Qr => Ok(linalg::qr(&y)?.q),
            Normaliser::Auto if opts.n_iter <= 2 => Ok(y),
            Normaliser::Auto => permuted_l(op, y),
        }
    };
    let mut q = omega;
    for _ in 0..opts.n_iter {
        q = normalise(linalg::matmul(&m, &q)?)?;
        q = normalise(linalg::matmul(&mh, &q)?)?;
    }
    let q = linalg::qr(&linalg::matmul(&m, &q)?)?.q;
    // M ≈ Q·(QᴴM) = (Q·Û)·Σ·Vᴴ.
    let small = if T::IS_COMPLEX {
        conj_transpose(linalg::matmul(&mh, &q)?.view())
    } else {
        linalg::matmul(&q.t(), &m)?
    };
    let Svd { u, s, vt } = linalg::svd(&small, false)?;
    let (qu, vt) = (
        linalg::matmul(&q, &u.slice(s![.., ..k]))?,
        vt.slice_move(s![..k, ..]),
    );
    let s = s.slice_move(s![..k]);
    Ok(if transposed {
        // a = Mᴴ ≈ V·Σ·(Q·Û)ᴴ.
        Svd {
            u: conj_transpose(vt.view()),
            s,
            vt: conj_transpose(qu.view()),
        }
    } else {
        Svd { u: qu, s, vt }
    })
}

/// `a` itself for real types, its elementwise conjugate (a copy) for complex ones.
fn conj_or_view<T: Scalar>(a: ArrayView2<'_, T>) -> CowArray<'_, T, Ix2> {
    if T::IS_COMPLEX {
        CowArray::from(a.mapv(T::conj))
    } else {
        CowArray::from(a)
    }
}

/// The conjugate transpose of `a`, as a new array.
fn conj_transpose<T: Scalar>(a: ArrayView2<'_, T>) -> Array2<T> {
    a.t().mapv(T::conj)
}

/// `scipy.linalg.lu(y, permute_l=True)[0]` of the r×w `y` (r ≥ w): the unit lower-trapezoidal
/// L of y = P·L·U (`?getrf`) with P's row interchanges applied, a well-conditioned basis of
/// the range of y that is cheaper than QR's. An exactly singular U is no failure here: L is
/// defined regardless.
fn permuted_l<T: Scalar>(op: &'static str, y: Array2<T>) -> Result<Array2<T>> {
    let (r, w) = y.dim();
    debug_assert!(r >= w, "the range finder's blocks are tall");
    let mut lu = Array2::<T>::zeros((r, w).f());
    lu.assign(&y);
    drop(y);
    let (ri, wi) = (lapack_int(op, r)?, lapack_int(op, w)?);
    let mut ipiv = vec![0i32; w];
    // SAFETY: `lu` is an F-order r×w buffer (lda = max(1, r)) and `ipiv` holds min(r, w) = w
    // entries, what ?getrf reads and writes.
    let info = unsafe { T::getrf(ri, wi, lu.as_mut_ptr(), ri.max(1), ipiv.as_mut_ptr()) };
    // info > 0 is an exactly zero pivot of U, which leaves L well defined.
    lapack_status(op, "?getrf", info.min(0))?;
    for j in 0..w {
        lu.slice_mut(s![..j, j]).fill(T::zero());
        lu[[j, j]] = T::one();
    }
    // y = P₀·P₁·…·P_{w−1}·L·U: apply the interchanges to L last to first.
    for (i, &p) in ipiv.iter().enumerate().rev() {
        let p = p as usize - 1;
        if p != i {
            for j in 0..w {
                lu.swap([i, j], [p, j]);
            }
        }
    }
    Ok(lu)
}

/// scikit-learn's `svd_flip` on a thin SVD: in each column of `u` the entry of largest
/// modulus (the first on ties) is made real and positive by a unit-modulus scale c, the
/// matching row of `vt` scaled by 1/c = c̄ so that u·diag(s)·vt is unchanged.
fn flip_signs<T: Scalar>(svd: &mut Svd<T>) {
    for (mut column, mut row) in svd.u.columns_mut().into_iter().zip(svd.vt.rows_mut()) {
        let (_, largest) = column
            .iter()
            .fold((-T::Real::one(), T::zero()), |(best, at), &v| {
                if v.norm() > best {
                    (v.norm(), v)
                } else {
                    (best, at)
                }
            });
        let modulus = largest.norm();
        if modulus == T::Real::zero() {
            continue;
        }
        let phase = largest / modulus;
        if phase != T::one() {
            let c = phase.conj();
            column.mapv_inplace(|v| v * c);
            row.mapv_inplace(|v| v * phase);
        }
    }
}
