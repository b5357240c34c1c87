//! LU factorisation with partial pivoting of matrices of order ≤ [`LU_MAX`], as LAPACK's
//! unblocked `?getf2`: at step k the pivot is the first entry of largest |re| + |im| in
//! column k on or below the diagonal (`i?amax`), rows are swapped, the column below is divided
//! by the pivot and the trailing block updated by a rank-1 product. An exactly zero pivot is
//! recorded (the first one, as `?getrf`'s `info`) and the elimination continues past it.

use ndarray::{ArrayView2, ArrayViewMut2};
use num_traits::{Float, Zero};

use crate::linalg::decomp::equilibration::{abs1, modulus};
use crate::Scalar;

/// Largest order the small kernels handle; larger matrices go to LAPACK. Measured on the
/// 2-core EPYC (f64, 1 thread): per matrix, this kernel + inverse vs `?getrf` + `?gecon` +
/// `?getri` with reused workspaces is faster up to n ≈ 12.
pub(crate) const LU_MAX: usize = 12;

/// P·A = L·U of one small matrix, column-major in a fixed array.
pub(crate) struct SmallLu<T> {
    n: usize,
    /// L (unit lower, below the diagonal) and U, column-major with leading dimension `n`.
    lu: [T; LU_MAX * LU_MAX],
    /// Row `i` of P·A is row `perm[i]` of A.
    perm: [usize; LU_MAX],
    /// Whether the permutation is odd.
    odd: bool,
    /// 0-based index of the first exactly zero pivot.
    zero_pivot: Option<usize>,
}

impl<T: Scalar> SmallLu<T> {
    /// Factors the square `a` of order ≤ [`LU_MAX`].
    #[inline]
    pub(crate) fn factor(a: &ArrayView2<'_, T>) -> Self {
        let n = a.nrows();
        debug_assert!(n <= LU_MAX && a.ncols() == n);
        let mut lu = [T::zero(); LU_MAX * LU_MAX];
        for ((i, j), &v) in a.indexed_iter() {
            lu[j * n + i] = v;
        }
        let mut perm = [0; LU_MAX];
        for (i, p) in perm.iter_mut().enumerate().take(n) {
            *p = i;
        }
        let (mut odd, mut zero_pivot) = (false, None);
        for k in 0..n {
            // First entry of largest |re| + |im| on or below the diagonal (NaN never wins).
            let mut p = k;
            let mut best = abs1(lu[k * n + k]);
            for i in k + 1..n {
                let v = abs1(lu[k * n + i]);
                if v > best {
                    (p, best) = (i, v);
                }
            }
            if lu[k * n + p] == T::zero() {
                zero_pivot.get_or_insert(k);
                continue;
            }
            if p != k {
                for j in 0..n {
                    lu.swap(j * n + k, j * n + p);
                }
                perm.swap(k, p);
                odd = !odd;
            }
            let pivot = lu[k * n + k];
            // ?getf2 multiplies by the reciprocal when it is safe, as here (|pivot| ≥ sfmin).
            let scale_by_reciprocal = modulus(pivot) >= T::Real::min_positive_value();
            let recip = T::one() / pivot;
            for i in k + 1..n {
                lu[k * n + i] = if scale_by_reciprocal {
                    lu[k * n + i] * recip
                } else {
                    lu[k * n + i] / pivot
                };
            }
            for j in k + 1..n {
                let ukj = lu[j * n + k];
                if ukj != T::zero() {
                    for i in k + 1..n {
                        let lik = lu[k * n + i];
                        lu[j * n + i] -= lik * ukj;
                    }
                }
            }
        }
        SmallLu {
            n,
            lu,
            perm,
            odd,
            zero_pivot,
        }
    }

    /// The first exactly zero pivot, if any (0-based).
    pub(crate) fn zero_pivot(&self) -> Option<usize> {
        self.zero_pivot
    }

    /// `(sign, log|det|)` as [`crate::linalg::LuFactor`] computes them; `(0, −∞)` when a pivot
    /// is exactly zero.
    pub(crate) fn slogdet(&self) -> (T, T::Real) {
        if self.zero_pivot.is_some() {
            return (T::zero(), T::Real::neg_infinity());
        }
        let n = self.n;
        let mut sign = if self.odd { -T::one() } else { T::one() };
        let mut logdet = T::Real::zero();
        for i in 0..n {
            let u = self.lu[i * n + i];
            let m = u.norm();
            sign *= u / m;
            logdet += m.ln();
        }
        (sign, logdet)
    }

    /// Overwrites the n×k `x` (holding `b`) with the solution of `A·x = b`: the row
    /// permutation, then forward substitution with the unit L, then back substitution with U.
    /// The factorisation must have no zero pivot.
    pub(crate) fn solve_in_place(&self, x: &mut ArrayViewMut2<'_, T>) {
        let n = self.n;
        let mut col = [T::zero(); LU_MAX];
        for mut b in x.columns_mut() {
            for i in 0..n {
                col[i] = b[self.perm[i]];
            }
            for j in 0..n {
                let cj = col[j];
                if cj != T::zero() {
                    for i in j + 1..n {
                        col[i] -= self.lu[j * n + i] * cj;
                    }
                }
            }
            for j in (0..n).rev() {
                col[j] /= self.lu[j * n + j];
                let cj = col[j];
                if cj != T::zero() {
                    for i in 0..j {
                        col[i] -= self.lu[j * n + i] * cj;
                    }
                }
            }
            for i in 0..n {
                b[i] = col[i];
            }
        }
    }

    /// ‖A⁻¹‖₁, from the inverse computed in a scratch array. The factorisation must have no
    /// zero pivot.
    pub(crate) fn inverse_norm1(&self) -> T::Real {
        let n = self.n;
        let mut inv = [T::zero(); LU_MAX * LU_MAX];
        let mut view = ArrayViewMut2::from_shape((n, n), &mut inv[..n * n])
            .expect("the scratch array holds n² entries");
        self.inverse_into(&mut view)
    }

    /// Writes A⁻¹ into the n×n `out` (solving for the columns of the identity) and returns
    /// its 1-norm. The factorisation must have no zero pivot.
    pub(crate) fn inverse_into(&self, out: &mut ArrayViewMut2<'_, T>) -> T::Real {
        out.fill(T::zero());
        out.diag_mut().fill(T::one());
        self.solve_in_place(out);
        out.columns()
            .into_iter()
            .map(|c| c.iter().fold(T::Real::zero(), |s, &v| s + modulus(v)))
            .fold(
                T::Real::zero(),
                |m, s| if s > m || s.is_nan() { s } else { m },
            )
    }
}

/// The row and column maxima of |aᵢⱼ| = |re| + |im| (NaN skipped) and the 1-norm (largest
/// column sum of moduli; NaN when an entry is NaN) of a small square matrix: what the
/// equilibration test and the condition number need.
pub(crate) struct SmallStats<R> {
    pub row_max: [R; LU_MAX],
    pub col_max: [R; LU_MAX],
    pub norm1: R,
}

impl<R: Float> SmallStats<R> {
    /// The statistics of `a` (order ≤ [`LU_MAX`]).
    pub(crate) fn of<T: Scalar<Real = R>>(a: &ArrayView2<'_, T>) -> Self {
        let zero = R::zero();
        let (mut row_max, mut col_max) = ([zero; LU_MAX], [zero; LU_MAX]);
        let mut norm1 = zero;
        for (j, col) in a.columns().into_iter().enumerate() {
            let mut sum = zero;
            for (i, &v) in col.iter().enumerate() {
                let a1 = abs1(v);
                if a1 > row_max[i] {
                    row_max[i] = a1;
                }
                if a1 > col_max[j] {
                    col_max[j] = a1;
                }
                sum = sum + modulus(v);
            }
            if sum > norm1 || sum.is_nan() {
                norm1 = sum;
            }
        }
        SmallStats {
            row_max,
            col_max,
            norm1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{c64, linalg};
    use ndarray::{Array2, ShapeBuilder};
    use num_traits::ToPrimitive;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    fn random<T: Scalar>(rng: &mut StdRng, n: usize, make: impl Fn(f64, f64) -> T) -> Array2<T> {
        Array2::from_shape_fn((n, n), |_| {
            make(rng.random_range(-1.0..1.0), rng.random_range(-1.0..1.0))
        })
    }

    /// Against LAPACK through the 2-D functions: determinants, solutions and inverses agree
    /// to a few n·κ·ε (random matrices of order ≤ 12 have κ below ~10³).
    fn agrees_with_lapack<T: Scalar>(make: impl Fn(f64, f64) -> T) {
        let mut rng = StdRng::seed_from_u64(5);
        let eps = T::Real::epsilon().to_f64().unwrap();
        for n in 1..=LU_MAX {
            let a = random(&mut rng, n, &make);
            let lu = SmallLu::factor(&a.view());
            assert_eq!(lu.zero_pivot(), None);
            let (sign, logdet) = lu.slogdet();
            let (want_sign, want_logdet) = linalg::slogdet(&a).unwrap();
            let tol = 1e4 * n as f64 * eps;
            assert!(
                (sign - want_sign).norm().to_f64().unwrap() < tol,
                "n = {n}: sign"
            );
            assert!(
                (logdet - want_logdet).abs().to_f64().unwrap() < tol,
                "n = {n}: logdet"
            );
            let mut inv = Array2::<T>::zeros((n, n).f());
            lu.inverse_into(&mut inv.view_mut());
            let want = linalg::inv(&a).unwrap();
            let err = (&inv - &want)
                .iter()
                .map(|d| d.norm().to_f64().unwrap())
                .fold(0.0, f64::max);
            let scale = want
                .iter()
                .map(|d| d.norm().to_f64().unwrap())
                .fold(0.0, f64::max);
            assert!(err <= tol * scale, "n = {n}: inverse {err:e}");
        }
    }

    #[test]
    fn small_lu_agrees_with_lapack() {
        agrees_with_lapack::<f64>(|re, _| re);
        agrees_with_lapack::<f32>(|re, _| re as f32);
        agrees_with_lapack::<c64>(c64::new);
    }

    #[test]
    fn zero_pivots_are_found_and_skipped() {
        let a = ndarray::array![[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]];
        let lu = SmallLu::factor(&a.view());
        assert!(lu.zero_pivot().is_some());
        assert_eq!(lu.slogdet(), (0.0, f64::NEG_INFINITY));
        let zero = Array2::<f64>::zeros((2, 2));
        assert_eq!(SmallLu::factor(&zero.view()).zero_pivot(), Some(0));
    }
}
