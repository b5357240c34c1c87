//! Completing orthonormal columns to a larger orthonormal set (full U/Vᴴ of a rectangular
//! SVD, and the columns of a rank-deficient one that belong to zero singular values).

use super::Work;

/// Fills columns `from..to` of `u` (columns of length M) with unit vectors orthogonal to the
/// orthonormal columns `0..from` and to each other: for each new column, the coordinate vector
/// e_k with the largest residual 1 − Σᵢ|uᵢ[k]|² (at least (M − j)/M ≥ 1/M for column j, so
/// nothing cancels badly), orthogonalised twice by modified Gram–Schmidt ("twice is enough":
/// Giraud et al.) and normalised.
pub(super) fn complete<W: Work, const M: usize>(u: &mut [[W; M]; M], from: usize, to: usize) {
    for j in from..to {
        let (done, rest) = u.split_at_mut(j);
        let mut best = (0, f64::NEG_INFINITY);
        for row in 0..M {
            let residual = 1.0 - done.iter().map(|col| col[row].norm_sqr()).sum::<f64>();
            if residual > best.1 {
                best = (row, residual);
            }
        }
        let x = &mut rest[0];
        *x = [W::zero(); M];
        x[best.0] = W::one();
        for _ in 0..2 {
            for col in done.iter() {
                let h: W = col.iter().zip(x.iter()).map(|(&c, &y)| c.conj() * y).sum();
                for (y, &c) in x.iter_mut().zip(col) {
                    *y -= c * h;
                }
            }
        }
        let inv = 1.0 / x.iter().map(|y| y.norm_sqr()).sum::<f64>().sqrt();
        for y in x.iter_mut() {
            *y = *y * inv;
        }
    }
}
