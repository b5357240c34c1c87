//! Cyclic two-sided Jacobi for the symmetric/Hermitian eigenproblem of order ≤
//! [`EIGH_MAX`](super::EIGH_MAX).
//!
//! Each rotation zeroes one off-diagonal pair exactly and moves the two diagonal entries by
//! ∓t·|a_pq| (Rutishauser); a pair is skipped once |a_pq| ≤ ε·√|a_pp·a_qq| (Demmel–Veselić), and a
//! sweep that skips every pair ends the iteration. The eigenvectors are the accumulated
//! rotations, orthonormal to working precision by construction.

use super::{
    by_order, eps, magnitude, pair, real, scale_for, sorted_by, Rotation, Work, MAX_SWEEPS, TINY2,
};
use crate::Scalar;

/// [`super::eigh`] computed in the working type `W`.
pub(super) fn eigh<T: Scalar, W: Work>(
    a: &[T],
    n: usize,
    lower: bool,
    values: &mut [T::Real],
    vectors: Option<&mut [T]>,
) -> bool {
    if n == 0 {
        return true;
    }
    by_order!(n, solve::<T, W>(a, lower, values, vectors))
}

/// [`eigh`] for the order `N`: load the triangle into a full Hermitian stack matrix, scale it
/// into the safe range, iterate, sort and store.
#[inline]
fn solve<T: Scalar, W: Work, const N: usize>(
    a: &[T],
    lower: bool,
    values: &mut [T::Real],
    vectors: Option<&mut [T]>,
) -> bool {
    let a = &a[..N * N];
    // w[j][i] = A(i, j) off the diagonal (column-major, Hermitian); the real diagonal is `d`.
    let mut w = [[W::zero(); N]; N];
    let mut d = [0.0; N];
    let mut amax = 0.0f64;
    for j in 0..N {
        d[j] = W::load(a[j + j * N]).re();
        amax = amax.max(d[j].abs());
        for i in j + 1..N {
            // A(i, j) below the diagonal: stored there, or the conjugate of A(j, i) above it.
            let x = if lower {
                W::load(a[i + j * N])
            } else {
                W::load(a[j + i * N]).conj()
            };
            w[j][i] = x;
            w[i][j] = x.conj();
            amax = amax.max(magnitude(x));
        }
    }
    let sigma = scale_for(amax);
    if sigma != 1.0 {
        for (col, dj) in w.iter_mut().zip(d.iter_mut()) {
            *dj *= sigma;
            for x in col.iter_mut() {
                *x = *x * sigma;
            }
        }
    }
    let mut v = [[W::zero(); N]; N];
    for (j, col) in v.iter_mut().enumerate() {
        col[j] = W::one();
    }
    let want = vectors.is_some();
    if !jacobi(&mut d, &mut w, want.then_some(&mut v), eps::<T>()) {
        return false;
    }
    let order = sorted_by(&d, N, false);
    let unscale = 1.0 / sigma;
    for (value, &k) in values[..N].iter_mut().zip(&order) {
        *value = real::<T>(d[k] * unscale);
    }
    if let Some(out) = vectors {
        for (col, &k) in out[..N * N].chunks_exact_mut(N).zip(&order) {
            for (x, &y) in col.iter_mut().zip(&v[k]) {
                *x = y.store();
            }
        }
    }
    true
}

/// Cyclic Jacobi sweeps on the Hermitian `w` (off-diagonal, both triangles kept) with
/// diagonal `d`, until a sweep finds every pair below `tol` relative to its diagonal entries;
/// the rotations are accumulated into the columns of `v` when given. Returns false if
/// [`MAX_SWEEPS`] sweeps did not suffice.
fn jacobi<W: Work, const N: usize>(
    d: &mut [f64; N],
    w: &mut [[W; N]; N],
    mut v: Option<&mut [[W; N]; N]>,
    tol: f64,
) -> bool {
    let tol2 = tol * tol;
    for _ in 0..MAX_SWEEPS {
        let mut rotated = false;
        for p in 0..N {
            for q in p + 1..N {
                let apq = w[q][p];
                let off2 = apq.norm_sqr();
                // Demmel–Veselić: |a_pq| ≤ tol·√|a_pp·a_qq| (squared; zero and negligible
                // couplings skip too).
                if off2 <= (tol2 * (d[p] * d[q]).abs()).max(TINY2) {
                    continue;
                }
                rotated = true;
                let rot = Rotation::new(d[p], d[q], apq, off2);
                d[p] -= rot.shift;
                d[q] += rot.shift;
                w[q][p] = W::zero();
                w[p][q] = W::zero();
                // k addresses both the column entries w[p][k] and the row entries w[k][p].
                #[allow(clippy::needless_range_loop)]
                for k in 0..N {
                    if k == p || k == q {
                        continue;
                    }
                    // Columns p and q of A·U; rows p and q of Uᴴ·A by Hermitian symmetry.
                    let (x, y) = rot.apply(w[p][k], w[q][k]);
                    w[p][k] = x;
                    w[k][p] = x.conj();
                    w[q][k] = y;
                    w[k][q] = y.conj();
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
