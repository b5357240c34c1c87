//! Cholesky factorisation of Hermitian positive-definite matrices of order ≤ [`CHOLESKY_MAX`],
//! as LAPACK's unblocked `?potf2`: column by column, `l_jj = sqrt(a_jj − Σ_k |l_jk|²)`, then
//! `l_ij = (a_ij − Σ_k l_ik·conj(l_jk)) / l_jj` below it; the first non-positive (or NaN)
//! `l_jj²` stops the factorisation and names the leading minor, as `?potrf`'s `info`.

use ndarray::{ArrayView2, ArrayViewMut2};
use num_traits::{Float, Zero};

use crate::linalg::UPLO;
use crate::Scalar;

/// Largest order handled here; larger matrices go to LAPACK (`?potrf`). Measured on the
/// 2-core EPYC (f64, 1 thread): faster than `?potrf` per matrix up to n ≈ 16.
pub(crate) const CHOLESKY_MAX: usize = 16;

/// Why a small Cholesky factorisation failed.
#[derive(Debug, PartialEq)]
pub(crate) enum Failure {
    /// NaN or ±∞ in the triangle read.
    NonFinite,
    /// The leading minor of this order (1-based) is not positive.
    NotPositiveDefinite(usize),
}

/// The Cholesky factor of the `uplo` triangle of the square `a` (order ≤ M, worked on in an
/// M×M array) into `out`, whose other triangle is set to zero: `L` with `A = L·Lᴴ` or `U`
/// with `A = Uᴴ·U`.
pub(crate) fn factor<T: Scalar, const M: usize>(
    a: &ArrayView2<'_, T>,
    uplo: UPLO,
    out: &mut ArrayViewMut2<'_, T>,
) -> Result<(), Failure> {
    let n = a.nrows();
    debug_assert!(n <= M);
    // The lower triangle of A by columns (`l[j][i]` = entry (i, j)): read directly, or as the
    // conjugate of the upper one.
    let mut l = [[T::zero(); M]; M];
    for (j, column) in l[..n].iter_mut().enumerate() {
        for (i, slot) in column[..n].iter_mut().enumerate().skip(j) {
            let v = match uplo {
                UPLO::Lower => a[[i, j]],
                UPLO::Upper => a[[j, i]].conj(),
            };
            if !v.finite() {
                return Err(Failure::NonFinite);
            }
            *slot = v;
        }
    }
    for j in 0..n {
        // Row j of L so far (entries k < j), gathered once.
        let mut row = [T::zero(); M];
        for (k, r) in row[..j].iter_mut().enumerate() {
            *r = l[k][j];
        }
        let mut d = l[j][j].re();
        for r in &row[..j] {
            d -= r.norm_sqr();
        }
        // Not positive, or NaN: ?potf2's `AJJ.LE.ZERO .OR. DISNAN(AJJ)`.
        if d <= T::Real::zero() || d.is_nan() {
            return Err(Failure::NotPositiveDefinite(j + 1));
        }
        let djj = d.sqrt();
        l[j][j] = T::from_real(djj);
        for k in 0..j {
            let rk = row[k].conj();
            if rk != T::zero() {
                let (left, right) = l.split_at_mut(j);
                for (v, &lik) in right[0][j + 1..n].iter_mut().zip(&left[k][j + 1..n]) {
                    *v -= lik * rk;
                }
            }
        }
        l[j][j + 1..n].iter_mut().for_each(|v| *v = *v / djj);
    }
    out.fill(T::zero());
    for (j, column) in l[..n].iter().enumerate() {
        for (i, &v) in column[..n].iter().enumerate().skip(j) {
            match uplo {
                UPLO::Lower => out[[i, j]] = v,
                UPLO::Upper => out[[j, i]] = v.conj(),
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{c64, linalg};
    use ndarray::{Array2, ShapeBuilder};
    use num_traits::ToPrimitive;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    /// Against `?potrf` (through `linalg::cholesky`) on random HPD matrices B·Bᴴ + n·I, whose
    /// factors agree to a few n·ε relative to ‖L‖ (κ(A) ≤ ~10 here), for both triangles.
    fn agrees_with_lapack<T: Scalar>(make: impl Fn(f64, f64) -> T) {
        let mut rng = StdRng::seed_from_u64(8);
        let eps = T::Real::epsilon().to_f64().unwrap();
        for n in 0..=CHOLESKY_MAX {
            let b = Array2::from_shape_fn((n, n), |_| {
                make(rng.random_range(-1.0..1.0), rng.random_range(-1.0..1.0))
            });
            let mut a = b.dot(&b.t().mapv(|v| v.conj()));
            a.diag_mut()
                .mapv_inplace(|d| d + T::from_f64_nearest(n as f64));
            for uplo in [UPLO::Lower, UPLO::Upper] {
                let mut got = Array2::<T>::zeros((n, n).f());
                factor::<T, CHOLESKY_MAX>(&a.view(), uplo, &mut got.view_mut()).unwrap();
                let want = linalg::cholesky(&a, uplo).unwrap();
                let err = (&got - &want)
                    .iter()
                    .map(|d| d.norm().to_f64().unwrap())
                    .fold(0.0, f64::max);
                assert!(
                    err <= 100.0 * (n as f64 + 1.0) * eps * (n as f64 + 1.0).sqrt(),
                    "n = {n}: {err:e}"
                );
            }
        }
    }

    #[test]
    fn small_cholesky_agrees_with_lapack() {
        agrees_with_lapack::<f64>(|re, _| re);
        agrees_with_lapack::<f32>(|re, _| re as f32);
        agrees_with_lapack::<c64>(c64::new);
    }

    #[test]
    fn failures_name_the_minor_as_potrf() {
        let a = ndarray::array![[4.0, 2.0, 0.0], [2.0, 1.0, 0.0], [0.0, 0.0, 1.0]];
        let mut out = Array2::zeros((3, 3));
        assert_eq!(
            factor::<f64, 4>(&a.view(), UPLO::Lower, &mut out.view_mut()),
            Err(Failure::NotPositiveDefinite(2))
        );
        let err = linalg::cholesky(&a, UPLO::Lower).unwrap_err();
        assert!(matches!(
            err,
            crate::Error::NotPositiveDefinite { minor: 2, .. }
        ));
        let nan = ndarray::array![[1.0, f64::NAN], [0.0, 1.0]];
        assert_eq!(
            factor::<f64, 4>(&nan.view(), UPLO::Lower, &mut out.view_mut()),
            Ok(()),
            "NaN outside the triangle read"
        );
        assert_eq!(
            factor::<f64, 4>(&nan.view(), UPLO::Upper, &mut out.view_mut()),
            Err(Failure::NonFinite)
        );
    }
}
