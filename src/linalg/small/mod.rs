//! Register-level kernels for stacks of small matrices (`linalg::stacked`), where one LAPACK
//! call per matrix costs more than the arithmetic.
//!
//! | operation | algorithm | replaces |
//! |---|---|---|
//! | [`lu`] | LU with partial pivoting in `?getf2`'s order and pivot rule (inverse, solve, determinant, Higham's 1-norm estimate) | `?getrf` + `?getrs`/`?getri` + `?gecon` for n ≤ [`lu::LU_MAX`] |
//! | [`cholesky`] | `?potf2`'s column-by-column Cholesky | `?potrf` for n ≤ [`cholesky::CHOLESKY_MAX`] |
//! | [`eigh`] | cyclic two-sided Jacobi, Rutishauser's rotation formulas, a phase factor for Hermitian pairs | `?syevd` / `?heevd` for n ≤ [`EIGH_MAX`] |
//! | [`svd`] | cyclic one-sided (Hestenes) Jacobi on the columns, or on those of Aᴴ when m < n | `?gesdd` for max(m, n) ≤ [`SVD_MAX`] |
//!
//! Both stop by the Demmel–Veselić criterion — a pair is left alone once its coupling is
//! below ε times the geometric mean of the two diagonal entries (column norms) — so small
//! eigenvalues/singular values of graded matrices keep their relative accuracy. A sweep limit
//! bounds the work; `false` means "not converged, ask LAPACK" and does not happen for finite
//! input in the tests.
//!
//! Every dtype is computed in its f64 working type ([`Work`]: `f64` for the real types, `c64`
//! for the complex ones) on stack arrays of the exact order (a const generic per order, so the
//! loops unroll); f32/c32 inputs stop at their own ε and are rounded once at the end. The f64
//! types are scaled by a power of two (exact) when their largest entry leaves
//! [`2^-100`, `2^100`], which keeps every square and product of squares the kernels form far
//! from overflow and underflow. No heap allocation, no `unsafe`.
//!
//! LU and Cholesky keep LAPACK's algorithms (no cofactor or closed-form formulas), in the
//! input's own precision, so their backward-error bounds are LAPACK's.

mod basis;
pub(crate) mod cholesky;
mod jacobi_eigh;
mod jacobi_svd;
pub(crate) mod lu;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod timing;

use std::any::Any;

use num_complex::Complex;

use crate::{c64, Real, Scalar};

/// Largest order handled by [`eigh`]; LAPACK's `?syevd`/`?heevd` take over above it. The
/// kernel is faster than LAPACK with reused workspaces at every order up to 8 (the `timing`
/// module prints the table: kernel/LAPACK 0.16 (f64) and 0.23 (c64) at n = 3, 0.76 and 0.93 at
/// n = 8), and the dispatch covers orders up to 8, so 8.
pub(crate) const EIGH_MAX: usize = 8;

/// Largest max(m, n) handled by [`svd`]; LAPACK's `?gesdd` takes over above it. Measured as
/// for [`EIGH_MAX`]: kernel/LAPACK 0.13 (f64) and 0.18 (c64) at 3×3, 0.44 and 0.72 at 8×8.
pub(crate) const SVD_MAX: usize = 8;

/// Sweeps allowed before [`eigh`]/[`svd`] give up. Cyclic Jacobi converges quadratically, so
/// inputs of these orders need a handful of sweeps (plus one that confirms); the limit is
/// LAPACK `?gesvj`'s and only matters for inputs that would never converge.
const MAX_SWEEPS: usize = 30;

/// Eigenvalues ascending into `values[..n]`; when `vectors` is Some, orthonormal eigenvectors
/// as the columns of the n×n column-major buffer (column i belongs to `values[i]`).
///
/// `a` is n×n column-major; only the `lower` (true) or upper triangle is read, and the
/// imaginary parts of its diagonal are ignored; it is not written (the caller may treat it as
/// scratch). Input must be finite (the caller checks). Returns false only if the Jacobi
/// sweeps did not converge within [`MAX_SWEEPS`] (the caller then falls back to LAPACK);
/// `values` and `vectors` are then unspecified.
///
/// # Panics
/// If `n > EIGH_MAX` or a buffer is shorter than the order requires.
pub(crate) fn eigh<T: Scalar>(
    a: &mut [T],
    n: usize,
    lower: bool,
    values: &mut [T::Real],
    vectors: Option<&mut [T]>,
) -> bool {
    assert!(n <= EIGH_MAX, "small::eigh: order {n} > EIGH_MAX");
    if T::IS_COMPLEX {
        jacobi_eigh::eigh::<T, c64>(a, n, lower, values, vectors)
    } else {
        jacobi_eigh::eigh::<T, f64>(a, n, lower, values, vectors)
    }
}

/// Singular values descending into `s[..min(m, n)]`; when `uv` is `Some((u, vt, full))`, the
/// singular vectors into `u` (m×ucols) and `vt` (vrows×n), both column-major, with
/// ucols = vrows = min(m, n) when `full` is false and u m×m, vt n×n when it is true — LAPACK
/// `?gesdd`'s `jobz` 'S' and 'A'. `vt` is Vᴴ for complex types. Columns of `u` (rows of `vt`)
/// beyond the numerical rank, and those completing a full basis, are an orthonormal completion.
///
/// `a` is m×n column-major and is not written. Input must be finite. Returns false only if
/// the sweeps did not converge (the caller then falls back to LAPACK).
///
/// # Panics
/// If `max(m, n) > SVD_MAX` or a buffer is shorter than the shapes require.
pub(crate) fn svd<T: Scalar>(
    a: &mut [T],
    m: usize,
    n: usize,
    s: &mut [T::Real],
    uv: Option<(&mut [T], &mut [T], bool)>,
) -> bool {
    assert!(
        m.max(n) <= SVD_MAX,
        "small::svd: shape {m}×{n} beyond SVD_MAX"
    );
    if T::IS_COMPLEX {
        jacobi_svd::svd::<T, c64>(a, m, n, s, uv)
    } else {
        jacobi_svd::svd::<T, f64>(a, m, n, s, uv)
    }
}

/// The working type of the kernels: `f64` for f32/f64 input, `c64` for c32/c64. Loads and
/// stores convert from and to the caller's dtype.
trait Work: Scalar<Real = f64> {
    /// `x` in the working type (for `f64`, the imaginary part — zero — is dropped).
    fn load<T: Scalar>(x: T) -> Self;
    /// This value as `T`, rounded once (only called with `T` of the same kind, real or complex).
    fn store<T: Scalar>(self) -> T;
}

impl Work for f64 {
    #[inline(always)]
    fn load<T: Scalar>(x: T) -> Self {
        to_f64(x.re())
    }
    #[inline(always)]
    fn store<T: Scalar>(self) -> T {
        T::from_f64_nearest(self)
    }
}

impl Work for c64 {
    #[inline(always)]
    fn load<T: Scalar>(x: T) -> Self {
        c64::new(to_f64(x.re()), to_f64(x.im()))
    }
    #[inline(always)]
    fn store<T: Scalar>(self) -> T {
        let z = Complex::new(real::<T>(self.re), real::<T>(self.im));
        // Every complex `Scalar` is `Complex<Real>` (the trait is sealed), so the downcast
        // succeeds whenever the kernels store complex values; it folds to a copy.
        match (&z as &dyn Any).downcast_ref::<T>() {
            Some(&t) => t,
            None => T::from_f64_nearest(self.re),
        }
    }
}

/// An f32 or f64 value as f64 (exact).
#[inline(always)]
fn to_f64<R: Real>(x: R) -> f64 {
    x.to_f64().unwrap_or(f64::NAN)
}

/// An f64 working value rounded to `T`'s real type.
#[inline(always)]
fn real<T: Scalar>(x: f64) -> T::Real {
    <T::Real as Scalar>::from_f64_nearest(x)
}

/// The convergence tolerance of `T`: its machine epsilon, as f64.
#[inline(always)]
fn eps<T: Scalar>() -> f64 {
    to_f64(<T::Real as num_traits::Float>::epsilon())
}

/// The kernels' safe range for the largest entry: below `2^100` every sum of up to 64 products
/// of four entries (`α·β` of two squared column norms of 8 entries) stays below
/// `2^406 ≪ f64::MAX`; above `2^-100`, an entry whose square underflows (< `2^-511`) is below
/// `2^-411` of the largest, far beneath ε·‖A‖ — and a diagonal product that underflows only
/// makes the kernel rotate a pair it could have skipped.
const SAFE_HI: f64 = f64::from_bits((1023 + 100) << 52);
/// `2^-100`, the lower end of the safe range (see [`SAFE_HI`]).
const SAFE_LO: f64 = f64::from_bits((1023 - 100) << 52);

/// A power of two σ with σ·`amax` inside [`SAFE_LO`, `SAFE_HI`], or 1 if `amax` is
/// inside already or zero. Multiplying by σ and later by 1/σ is exact (the kernels' results
/// stay far from subnormals).
#[inline]
fn scale_for(amax: f64) -> f64 {
    if amax == 0.0 || (SAFE_LO..=SAFE_HI).contains(&amax) {
        1.0
    } else {
        // Move amax to [1, 2) (not to the boundary, keeping both margins): 2^-e with
        // e = ⌊log2 amax⌋ ≤ 1023 is normal. For e < -1000 (subnormal amax ≥ 2^-1074) stop at
        // 2^1000, which still lands amax in [2^-74, 2^25).
        let e = amax.log2().floor() as i32;
        if e >= 0 {
            1.0 / 2f64.powi(e)
        } else {
            2f64.powi((-e).min(1000))
        }
    }
}

/// The largest of |re| and |im| over the entries: the cheap magnitude the scaling decision needs.
#[inline(always)]
fn magnitude<W: Work>(x: W) -> f64 {
    x.re().abs().max(x.im().abs())
}

/// Indices 0..N sorted by `key` ascending (insertion sort: N ≤ 8, and it is stable).
#[inline]
fn sorted_by<const N: usize>(key: &[f64; N], count: usize, descending: bool) -> [usize; N] {
    let mut idx = [0usize; N];
    for (i, slot) in idx.iter_mut().enumerate() {
        *slot = i;
    }
    for i in 1..count {
        let cur = idx[i];
        let mut j = i;
        while j > 0 && {
            let (x, y) = (key[idx[j - 1]], key[cur]);
            if descending {
                x < y
            } else {
                x > y
            }
        } {
            idx[j] = idx[j - 1];
            j -= 1;
        }
        idx[j] = cur;
    }
    idx
}

/// The unitary 2×2 Jacobi rotation `U = [[c, s·e], [−s·ē, c]]` (c, s real, |e| = 1) that
/// diagonalises the Hermitian pair `[[app, apq], [conj(apq), aqq]]`: Uᴴ·[…]·U =
/// diag(app − shift, aqq + shift). Golub–Van Loan's `sym.schur2` with the phase e = apq/|apq|
/// factored out, t = tan θ the smaller root of t² + 2τt − 1 = 0 (τ = (aqq − app)/(2|apq|)),
/// in a form that needs neither |apq| nor τ: with h = aqq − app, ρ = √(h² + 4|apq|²),
/// w = |h| + ρ and q = √(2ρw), one has t = 2|apq|·sgn(h)/w, c = w/q and s = 2|apq|·sgn(h)/q.
/// So the rotation costs two square roots and three independent divisions, and every
/// quantity is a product or quotient of positive terms (no cancellation). Rutishauser's
/// update x' = x − (1 − c)·x ∓ … is used with 1 − c = s²/(1 + c) = 4|apq|²/(q(q + w)),
/// accurate for small angles where 1 − c itself would cancel.
#[derive(Clone, Copy)]
struct Rotation<W> {
    /// t·|apq|, the amount the diagonal entries move by.
    shift: f64,
    /// s·e.
    se: W,
    /// 1 − c.
    one_minus_c: f64,
}

impl<W: Work> Rotation<W> {
    /// The rotation for diagonal entries `app`, `aqq` and the coupling `apq` with
    /// |apq|² = `off2` > 0. The caller's scaling keeps `h² + 4·off2` and `2ρw` in range and
    /// `off2` ≥ 2^-1000, so ρ, w and q are normal.
    #[inline(always)]
    fn new(app: f64, aqq: f64, apq: W, off2: f64) -> Self {
        let h = aqq - app;
        let rho = (h * h + 4.0 * off2).sqrt();
        let w = h.abs() + rho;
        let q = (2.0 * rho * w).sqrt();
        // 2·sgn(h), with sgn(0) = 1 (θ = 45°).
        let two_sgn = if h < 0.0 { -2.0 } else { 2.0 };
        Rotation {
            shift: two_sgn * off2 / w,
            se: apq * (two_sgn / q),
            one_minus_c: 4.0 * off2 / (q * (q + w)),
        }
    }

    /// Applies the rotation to the pair (x_p, x_q) of one row of the columns p and q:
    /// `x_p' = c·x_p − s·ē·x_q`, `x_q' = s·e·x_p + c·x_q`.
    #[inline(always)]
    fn apply(&self, xp: W, xq: W) -> (W, W) {
        (
            xp - (xp * self.one_minus_c + xq * self.se.conj()),
            xq + (xp * self.se - xq * self.one_minus_c),
        )
    }
}

/// Below this |a_pq|² (|a_pq| < 2^-500) a pair is never rotated: with the largest entry at
/// least 2^-100 after scaling it is 2^-400 of ‖A‖, and [`Rotation::new`] needs `off2` well
/// inside the normal range.
const TINY2: f64 = f64::from_bits((1023 - 1000) << 52);

/// The columns p < q of `g`, both mutable.
#[inline(always)]
fn pair<W, const M: usize>(g: &mut [[W; M]; M], p: usize, q: usize) -> (&mut [W; M], &mut [W; M]) {
    let (left, right) = g.split_at_mut(q);
    (&mut left[p], &mut right[0])
}

/// Applies `f::<N>` for the runtime order `n` in 1..=8 (the const generic that lets the
/// kernels' loops unroll).
macro_rules! by_order {
    ($n:expr, $f:ident :: <$($g:ty),*> ($($arg:expr),*)) => {
        match $n {
            1 => $f::<$($g,)* 1>($($arg),*),
            2 => $f::<$($g,)* 2>($($arg),*),
            3 => $f::<$($g,)* 3>($($arg),*),
            4 => $f::<$($g,)* 4>($($arg),*),
            5 => $f::<$($g,)* 5>($($arg),*),
            6 => $f::<$($g,)* 6>($($arg),*),
            7 => $f::<$($g,)* 7>($($arg),*),
            8 => $f::<$($g,)* 8>($($arg),*),
            n => panic!("small-matrix kernel called with order {n} (at most 8)"),
        }
    };
}
use by_order;

const _: () = assert!(
    EIGH_MAX <= 8 && SVD_MAX <= 8,
    "by_order! dispatches orders up to 8"
);
