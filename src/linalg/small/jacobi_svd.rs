//! Cyclic one-sided (Hestenes) Jacobi SVD for max(m, n) ≤ [`SVD_MAX`](super::SVD_MAX).
//!
//! The kernel works on B = A (m ≥ n) or B = Aᴴ (m < n), which has M = max(m, n) rows and
//! k = min(m, n) columns, and rotates pairs of columns from the right until they are mutually
//! orthogonal: B·V = G with orthogonal columns, so σⱼ = ‖gⱼ‖, uⱼ = gⱼ/σⱼ and B = U·Σ·Vᴴ.
//! Each rotation is the two-sided Jacobi rotation of the pair's 2×2 Gram matrix
//! [[‖g_p‖², g_pᴴg_q], [g_qᴴg_p, ‖g_q‖²]]; a pair is skipped once its cosine
//! |g_pᴴg_q| / (‖g_p‖·‖g_q‖) is below [`tolerance`] (Demmel–Veselić), and a sweep that skips
//! every pair ends the iteration. Columns whose norm is below [`KEEP`] (relative to the safe
//! range, far below ε·‖A‖) count as zero: their left vectors are an orthonormal completion.

use super::{
    basis, by_order, eps, magnitude, pair, real, scale_for, sorted_by, Rotation, Work, MAX_SWEEPS,
    TINY2,
};
use crate::Scalar;

/// Squared norm below which a column counts as zero: 2^-450, i.e. norms below 2^-225, which
/// (the largest entry being at least 2^-100 after scaling) is below 2^-125·max|aᵢⱼ|. Two
/// columns above it have tol²·‖g_p‖²·‖g_q‖² ≥ 2^-104·2^-900, a normal number, so the skip test
/// never underflows; and if |g_pᴴg_q|² underflows (|g_pᴴg_q| < 2^-511), their cosine is
/// below 2^-511/2^-450 = 2^-61 < ε anyway.
const KEEP2: f64 = f64::from_bits((1023 - 450) << 52);

/// The cosine below which two columns of M entries count as orthogonal: M·ε. The computed
/// g_pᴴg_q carries an error up to about M·ε·‖g_p‖·‖g_q‖ (a dot product of length M), so a
/// smaller tolerance could keep rotating on rounding noise; LAPACK's `?gesvj` uses √M·ε.
#[inline(always)]
fn tolerance<T: Scalar>(rows: usize) -> f64 {
    rows as f64 * eps::<T>()
}

/// [`super::svd`] computed in the working type `W`.
pub(super) fn svd<T: Scalar, W: Work>(
    a: &[T],
    m: usize,
    n: usize,
    s: &mut [T::Real],
    uv: Option<(&mut [T], &mut [T], bool)>,
) -> bool {
    if m.min(n) == 0 {
        if let Some((u, vt, true)) = uv {
            identity(&mut u[..m * m], m);
            identity(&mut vt[..n * n], n);
        }
        return true;
    }
    by_order!(m.max(n), solve::<T, W>(a, m, n, s, uv))
}

/// Writes the n×n identity into the column-major `out`.
fn identity<T: Scalar>(out: &mut [T], n: usize) {
    if n == 0 {
        return;
    }
    for (j, col) in out.chunks_exact_mut(n).enumerate() {
        for (i, x) in col.iter_mut().enumerate() {
            *x = if i == j { T::one() } else { T::zero() };
        }
    }
}

/// [`svd`] for M = max(m, n): load B, scale it into the safe range, orthogonalise, sort and
/// store U, Σ and Vᴴ of A.
#[inline]
fn solve<T: Scalar, W: Work, const M: usize>(
    a: &[T],
    m: usize,
    n: usize,
    s: &mut [T::Real],
    uv: Option<(&mut [T], &mut [T], bool)>,
) -> bool {
    let wide = m < n;
    let k = m.min(n);
    // g[j] = column j of B (M entries; columns k.. unused).
    let mut g = [[W::zero(); M]; M];
    let mut amax = 0.0f64;
    for (j, col) in a[..m * n].chunks_exact(m).enumerate() {
        for (i, &x) in col.iter().enumerate() {
            let x = W::load(x);
            amax = amax.max(magnitude(x));
            if wide {
                g[i][j] = x.conj();
            } else {
                g[j][i] = x;
            }
        }
    }
    let sigma = scale_for(amax);
    if sigma != 1.0 {
        for x in g.iter_mut().flatten() {
            *x = *x * sigma;
        }
    }
    let mut v = [[W::zero(); M]; M];
    for (j, col) in v.iter_mut().enumerate().take(k) {
        col[j] = W::one();
    }
    let want = uv.is_some();
    if !hestenes(&mut g, k, want.then_some(&mut v), tolerance::<T>(M)) {
        return false;
    }
    let mut norm2 = [0.0; M];
    let mut norm = [0.0; M];
    for j in 0..k {
        norm2[j] = g[j].iter().map(|x| x.norm_sqr()).sum();
        norm[j] = norm2[j].sqrt();
    }
    let order = sorted_by(&norm, k, true);
    let unscale = 1.0 / sigma;
    for (sj, &j) in s[..k].iter_mut().zip(&order) {
        *sj = real::<T>(norm[j] * unscale);
    }
    let Some((u_out, vt_out, full)) = uv else {
        return true;
    };
    // U_B: M×bcols, the normalised columns of G (descending), then a completion.
    let bcols = if full { M } else { k };
    let mut ub = [[W::zero(); M]; M];
    let mut rank = 0;
    for (col, &j) in ub.iter_mut().zip(&order[..k]) {
        if norm2[j] < KEEP2 {
            break;
        }
        let inv = 1.0 / norm[j];
        for (x, &y) in col.iter_mut().zip(&g[j]) {
            *x = y * inv;
        }
        rank += 1;
    }
    basis::complete(&mut ub, rank, bcols);
    if wide {
        // Aᴴ = U_B·Σ·V_Bᴴ, so A = V_B·Σ·U_Bᴴ: u = V_B (m×m, permuted), vt = U_Bᴴ (bcols×n).
        for (col, &j) in u_out[..m * m].chunks_exact_mut(m).zip(&order) {
            for (x, &y) in col.iter_mut().zip(&v[j]) {
                *x = y.store();
            }
        }
        for (i, row) in ub[..bcols].iter().enumerate() {
            for (j, &y) in row[..n].iter().enumerate() {
                vt_out[i + j * bcols] = y.conj().store();
            }
        }
    } else {
        // A = U_B·Σ·V_Bᴴ: u = U_B (m×bcols), vt = V_Bᴴ (n×n, rows permuted).
        for (col, row) in u_out[..m * bcols].chunks_exact_mut(m).zip(&ub) {
            for (x, &y) in col.iter_mut().zip(row) {
                *x = y.store();
            }
        }
        for (i, &j) in order[..k].iter().enumerate() {
            for (l, &y) in v[j][..n].iter().enumerate() {
                vt_out[i + l * n] = y.conj().store();
            }
        }
    }
    true
}

/// One-sided Jacobi sweeps on the first `k` columns of `g` until a sweep finds every pair of
/// columns (of norm² ≥ [`KEEP2`]) orthogonal within `tol`; the rotations are accumulated into
/// the columns of `v` when given. Returns false if [`MAX_SWEEPS`] sweeps did not suffice.
fn hestenes<W: Work, const M: usize>(
    g: &mut [[W; M]; M],
    k: usize,
    mut v: Option<&mut [[W; M]; M]>,
    tol: f64,
) -> bool {
    let tol2 = tol * tol;
    for _ in 0..MAX_SWEEPS {
        let mut rotated = false;
        for p in 0..k {
            for q in p + 1..k {
                let (mut alpha, mut beta, mut gamma) = (0.0, 0.0, W::zero());
                for (&x, &y) in g[p].iter().zip(&g[q]) {
                    alpha += x.norm_sqr();
                    beta += y.norm_sqr();
                    gamma += x.conj() * y;
                }
                let gamma2 = gamma.norm_sqr();
                // Demmel–Veselić on the Gram pair: |g_pᴴg_q|² ≤ tol²·‖g_p‖²·‖g_q‖².
                if gamma2 <= (tol2 * alpha * beta).max(TINY2) || alpha < KEEP2 || beta < KEEP2 {
                    continue;
                }
                rotated = true;
                let rot = Rotation::new(alpha, beta, gamma, gamma2);
                let (gp, gq) = pair(g, p, q);
                for (x, y) in gp.iter_mut().zip(gq.iter_mut()) {
                    (*x, *y) = rot.apply(*x, *y);
                }
                if let Some(v) = v.as_deref_mut() {
                    let (vp, vq) = pair(v, p, q);
                    for (x, y) in vp.iter_mut().zip(vq.iter_mut()) {
                        (*x, *y) = rot.apply(*x, *y);
                    }
                }
            }
        }
        if !rotated {
            return true;
        }
    }
    false
}
