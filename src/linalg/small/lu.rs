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
/// `?getri` with reused workspaces is faster up to n ≈ 16.
pub(crate) const LU_MAX: usize = 16;

/// P·A = L·U of one small matrix of order n ≤ M, in a fixed array of M columns of M entries
/// (only the leading n×n block is used; M is chosen per order so that small matrices do not
/// pay for initialising a large array).
pub(crate) struct SmallLu<T, const M: usize> {
    n: usize,
    /// L (unit lower, below the diagonal) and U; `lu[j][i]` is entry (i, j).
    lu: [[T; M]; M],
    /// Row `i` of P·A is row `perm[i]` of A.
    perm: [usize; M],
    /// Whether the permutation is odd.
    odd: bool,
    /// 0-based index of the first exactly zero pivot.
    zero_pivot: Option<usize>,
}

impl<T: Scalar, const M: usize> SmallLu<T, M> {
    /// A copy of the square `a` of order ≤ M, not yet factored.
    #[inline]
    pub(crate) fn load(a: &ArrayView2<'_, T>) -> Self {
        let n = a.nrows();
        debug_assert!(n <= M && a.ncols() == n);
        let mut lu = [[T::zero(); M]; M];
        for (column, col) in lu.iter_mut().zip(a.columns()) {
            for (slot, &v) in column.iter_mut().zip(col) {
                *slot = v;
            }
        }
        let mut perm = [0; M];
        for (i, p) in perm.iter_mut().enumerate() {
            *p = i;
        }
        SmallLu {
            n,
            lu,
            perm,
            odd: false,
            zero_pivot: None,
        }
    }

    /// Loads and factors `a`.
    #[inline]
    pub(crate) fn factor(a: &ArrayView2<'_, T>) -> Self {
        let mut lu = Self::load(a);
        lu.factor_in_place();
        lu
    }

    /// The row and column maxima of |aᵢⱼ| = |re| + |im| (NaN skipped) and the 1-norm (largest
    /// column sum of moduli; NaN when an entry is NaN) of the loaded, not yet factored matrix:
    /// what the equilibration test and the condition number need.
    pub(crate) fn stats(&self) -> SmallStats<T::Real, M> {
        let n = self.n;
        let zero = T::Real::zero();
        let (mut row_max, mut col_max) = ([zero; M], [zero; M]);
        let mut norm1 = zero;
        for (j, column) in self.lu[..n].iter().enumerate() {
            let mut sum = zero;
            for (i, &v) in column[..n].iter().enumerate() {
                let a1 = abs1(v);
                if a1 > row_max[i] {
                    row_max[i] = a1;
                }
                if a1 > col_max[j] {
                    col_max[j] = a1;
                }
                sum += modulus(v);
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

    /// Factors the loaded matrix in place.
    #[inline]
    pub(crate) fn factor_in_place(&mut self) {
        let n = self.n;
        let lu = &mut self.lu;
        for k in 0..n {
            // First entry of largest |re| + |im| on or below the diagonal (NaN never wins).
            let mut p = k;
            let mut best = abs1(lu[k][k]);
            for (i, &x) in lu[k].iter().enumerate().take(n).skip(k + 1) {
                let v = abs1(x);
                if v > best {
                    (p, best) = (i, v);
                }
            }
            if lu[k][p] == T::zero() {
                self.zero_pivot.get_or_insert(k);
                continue;
            }
            if p != k {
                for column in lu[..n].iter_mut() {
                    column.swap(k, p);
                }
                self.perm.swap(k, p);
                self.odd = !self.odd;
            }
            let pivot = lu[k][k];
            // ?getf2 multiplies by the reciprocal when that is safe (|pivot| ≥ sfmin).
            if modulus(pivot) >= T::Real::min_positive_value() {
                let recip = T::one() / pivot;
                lu[k][k + 1..n].iter_mut().for_each(|v| *v *= recip);
            } else {
                lu[k][k + 1..n].iter_mut().for_each(|v| *v /= pivot);
            }
            let (left, right) = lu.split_at_mut(k + 1);
            let multipliers = &left[k][k + 1..n];
            for column in right[..n - k - 1].iter_mut() {
                let ukj = column[k];
                if ukj != T::zero() {
                    for (v, &l) in column[k + 1..n].iter_mut().zip(multipliers) {
                        *v -= l * ukj;
                    }
                }
            }
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
        let mut sign = if self.odd { -T::one() } else { T::one() };
        let mut logdet = T::Real::zero();
        for (i, column) in self.lu[..self.n].iter().enumerate() {
            let u = column[i];
            let m = u.norm();
            sign *= u / m;
            logdet += m.ln();
        }
        (sign, logdet)
    }

    /// Overwrites `col` (holding b in its first n entries) with the solution of `A·x = b`:
    /// the row permutation, forward substitution with the unit L, back substitution with U.
    #[inline]
    fn solve_column(&self, col: &mut [T; M]) {
        let n = self.n;
        let mut x = [T::zero(); M];
        for i in 0..n {
            x[i] = col[self.perm[i]];
        }
        for (j, column) in self.lu[..n].iter().enumerate() {
            let xj = x[j];
            if xj != T::zero() {
                for (v, &l) in x[j + 1..n].iter_mut().zip(&column[j + 1..n]) {
                    *v -= l * xj;
                }
            }
        }
        for (j, column) in self.lu[..n].iter().enumerate().rev() {
            x[j] /= column[j];
            let xj = x[j];
            if xj != T::zero() {
                for (v, &u) in x[..j].iter_mut().zip(&column[..j]) {
                    *v -= u * xj;
                }
            }
        }
        *col = x;
    }

    /// Overwrites `col` (first n entries) with the solution of `Aᴴ·x = b`: `Uᴴ` forward,
    /// `Lᴴ` backward, then the inverse row permutation.
    #[inline]
    fn solve_adjoint_column(&self, col: &mut [T; M]) {
        let n = self.n;
        let mut y = *col;
        for (j, column) in self.lu[..n].iter().enumerate() {
            // y_j = (b_j − Σ_{i<j} conj(u_ij)·y_i) / conj(u_jj)
            let dot = column[..j]
                .iter()
                .zip(&y[..j])
                .fold(T::zero(), |acc, (&u, &v)| acc + u.conj() * v);
            y[j] = (y[j] - dot) / column[j].conj();
        }
        for (j, column) in self.lu[..n].iter().enumerate().rev() {
            let dot = column[j + 1..n]
                .iter()
                .zip(&y[j + 1..n])
                .fold(T::zero(), |acc, (&l, &v)| acc + l.conj() * v);
            y[j] -= dot;
        }
        for i in 0..n {
            col[self.perm[i]] = y[i];
        }
    }

    /// Higham's estimate of ‖A⁻¹‖₁ (LAPACK's `?lacn2`, as `?gecon` runs it with `NORM = '1'`):
    /// a few solves with A and Aᴴ instead of the n of the inverse, a lower bound that is exact
    /// in most cases. The factorisation must have no zero pivot.
    pub(crate) fn inverse_norm1_estimate(&self) -> T::Real {
        const ITMAX: usize = 5;
        let n = self.n;
        let real = |x: f64| <T::Real as Scalar>::from_f64_nearest(x);
        let norm1 = |x: &[T; M]| x[..n].iter().fold(T::Real::zero(), |s, &v| s + modulus(v));
        // sign(x) for real, x/|x| for complex (1 at zero), as ?lacn2 / ?lacn2's complex form.
        let signs = |x: &[T; M]| {
            let mut s = [T::zero(); M];
            for (si, &v) in s[..n].iter_mut().zip(&x[..n]) {
                let m = modulus(v);
                *si = if m > T::Real::zero() { v / m } else { T::one() };
            }
            s
        };
        let argmax = |x: &[T; M]| {
            let mut j = 0;
            for i in 1..n {
                if x[i].re().abs() > x[j].re().abs() {
                    j = i;
                }
            }
            j
        };
        let mut x = [T::zero(); M];
        x[..n].fill(T::from_real(real(1.0 / n as f64)));
        self.solve_column(&mut x);
        if n == 1 {
            return modulus(x[0]);
        }
        let mut est = norm1(&x);
        let mut s = signs(&x);
        x = s;
        self.solve_adjoint_column(&mut x);
        let mut j = argmax(&x);
        for _ in 1..ITMAX {
            x = [T::zero(); M];
            x[j] = T::one();
            self.solve_column(&mut x);
            let estold = est;
            est = norm1(&x);
            let new_signs = signs(&x);
            let repeated = !T::IS_COMPLEX && new_signs[..n] == s[..n];
            if repeated || est <= estold {
                est = est.max(estold);
                break;
            }
            s = new_signs;
            x = s;
            self.solve_adjoint_column(&mut x);
            let jlast = j;
            j = argmax(&x);
            if x[jlast].re().abs() == x[j].re().abs() {
                break;
            }
        }
        // The alternating-sign vector guards against the rare matrices that fool the above.
        let mut alt = [T::zero(); M];
        for (i, v) in alt[..n].iter_mut().enumerate() {
            let sign = if i % 2 == 0 { 1.0 } else { -1.0 };
            *v = T::from_f64_nearest(sign * (1.0 + i as f64 / (n - 1) as f64));
        }
        self.solve_column(&mut alt);
        let temp = real(2.0) * norm1(&alt) / real(3.0 * n as f64);
        if temp > est {
            temp
        } else {
            est
        }
    }

    /// Overwrites the n×k `x` (holding `b`) with the solution of `A·x = b`. The
    /// factorisation must have no zero pivot.
    pub(crate) fn solve_in_place(&self, x: &mut ArrayViewMut2<'_, T>) {
        let mut col = [T::zero(); M];
        for mut b in x.columns_mut() {
            for (c, &v) in col.iter_mut().zip(b.iter()) {
                *c = v;
            }
            self.solve_column(&mut col);
            for (v, &c) in b.iter_mut().zip(&col) {
                *v = c;
            }
        }
    }

    /// A⁻¹ (`inv[j][i]` = entry (i, j)) and its 1-norm. The factorisation must have no zero
    /// pivot.
    pub(crate) fn inverse(&self) -> ([[T; M]; M], T::Real) {
        let n = self.n;
        let mut inv = [[T::zero(); M]; M];
        let mut norm1 = T::Real::zero();
        for (j, col) in inv[..n].iter_mut().enumerate() {
            col[j] = T::one();
            self.solve_column(col);
            let sum = col[..n]
                .iter()
                .fold(T::Real::zero(), |s, &v| s + modulus(v));
            if sum > norm1 || sum.is_nan() {
                norm1 = sum;
            }
        }
        (inv, norm1)
    }

    /// Writes A⁻¹ into the n×n `out` and returns its 1-norm. The factorisation must have no
    /// zero pivot.
    pub(crate) fn inverse_into(&self, out: &mut ArrayViewMut2<'_, T>) -> T::Real {
        let (inv, norm1) = self.inverse();
        for (mut out_col, col) in out.columns_mut().into_iter().zip(&inv) {
            for (v, &x) in out_col.iter_mut().zip(col) {
                *v = x;
            }
        }
        norm1
    }
}

/// What the equilibration test and the condition number need of a small square matrix: its
/// row and column maxima of |aᵢⱼ| = |re| + |im| and its 1-norm.
pub(crate) struct SmallStats<R, const M: usize> {
    pub row_max: [R; M],
    pub col_max: [R; M],
    pub norm1: R,
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
            let lu = SmallLu::<_, LU_MAX>::factor(&a.view());
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
            let estimate = lu.inverse_norm1_estimate();
            let exact = inv
                .columns()
                .into_iter()
                .map(|c| c.iter().map(|v| v.norm().to_f64().unwrap()).sum::<f64>())
                .fold(0.0, f64::max);
            let estimate = estimate.to_f64().unwrap();
            // Higham's estimator is a lower bound, exact for most matrices and within a small
            // factor always (a factor 3 is far beyond what random matrices show).
            assert!(
                estimate <= exact * (1.0 + tol) && estimate >= exact / 3.0,
                "n = {n}: estimate {estimate} of {exact}"
            );
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

    /// Aᴴ·x = b through the factors: the residual is at rounding level.
    #[test]
    fn adjoint_solves_invert_the_adjoint() {
        let mut rng = StdRng::seed_from_u64(9);
        for n in 1..=8 {
            let a = random(&mut rng, n, c64::new);
            let lu = SmallLu::<_, 8>::factor(&a.view());
            let mut x = [c64::new(0.0, 0.0); 8];
            for (i, v) in x[..n].iter_mut().enumerate() {
                *v = c64::new(i as f64 + 1.0, -(i as f64));
            }
            let b = x;
            lu.solve_adjoint_column(&mut x);
            for i in 0..n {
                let row: c64 = (0..n).map(|k| a[[k, i]].conj() * x[k]).sum();
                assert!(
                    (row - b[i]).norm() < 1e-12 * (n as f64) * 100.0,
                    "n = {n}, row {i}"
                );
            }
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
        let lu = SmallLu::<_, LU_MAX>::factor(&a.view());
        assert!(lu.zero_pivot().is_some());
        assert_eq!(lu.slogdet(), (0.0, f64::NEG_INFINITY));
        let zero = Array2::<f64>::zeros((2, 2));
        assert_eq!(SmallLu::<_, 4>::factor(&zero.view()).zero_pivot(), Some(0));
    }
}
