//! The principal matrix square root, as `scipy.linalg.sqrtm`.
//!
//! | function | f32, c32 | f64, c64 |
//! |---|---|---|
//! | [`sqrtm`], real input, real non-negative eigenvalues | `sgees` + `sgemm` | `dgees` + `dgemm` |
//! | [`sqrtm`], other real input | `sgees` + `cgemm` | `dgees` + `zgemm` |
//! | [`sqrtm`], complex input | `cgees` + `cgemm` | `zgees` + `zgemm` |
//!
//! The matrix is brought to complex Schur form `A = Z·T·Zᴴ` (`T` upper triangular; for real
//! input via the real Schur form and one complex rotation per 2×2 block, as SciPy), the
//! upper triangular root `R` of `T` (`R² = T`) is computed by the Björck–Hammarling
//! recurrence, and `X = Z·R·Zᴴ`. The recurrence runs column by column as a triangular solve
//! `(R₀..ⱼ,₀..ⱼ + rⱼⱼ·I)·r₀..ⱼ,ⱼ = t₀..ⱼ,ⱼ` (contiguous column updates); its O(n³/3) flops are
//! a small part of the Schur form's cost.

use ndarray::{Array2, ArrayBase, Data, Ix2, ShapeBuilder};
use num_traits::{Float, Zero};

use crate::layout::{ensure_finite, square_order};
use crate::linalg::decomp::schur::{schur_as, Schur};
use crate::linalg::matmul;
use crate::{Error, Result, Scalar};

const OP: &str = "sqrtm";

/// The principal square root `X` (`X·X = A`, every eigenvalue of `X` with non-negative real
/// part) of a square matrix, as `scipy.linalg.sqrtm`: complex Schur form (`?gees`; real input
/// through its real Schur form, see the module docs) and the Björck–Hammarling recurrence. The result is complex also for real
/// input (a real matrix with negative eigenvalues has no real principal root); an empty matrix
/// gives an empty result.
///
/// A singular matrix has a square root when its zero eigenvalues are semisimple (the
/// recurrence's `0/0` terms are then zero, as SciPy sets them). When an entry of the
/// recurrence would divide a non-zero value by `rᵢᵢ + rⱼⱼ = 0` — a zero eigenvalue in a
/// Jordan block larger than 1×1, where no square root exists — the result is
/// [`Error::Singular`] naming that diagonal index (SciPy returns a matrix of `inf`/NaN with a
/// warning there).
///
/// # Errors
/// [`Error::NotSquare`], [`Error::NonFinite`] for NaN/Inf entries, [`Error::Singular`] as
/// above, [`Error::NoConvergence`] if the Schur form fails.
///
/// ```
/// use ndarray::array;
/// use ndkit::{c64, linalg::sqrtm};
///
/// let a = array![[4.0_f64, 1.0], [0.0, 9.0]];
/// let x = sqrtm(&a)?;
/// let want = array![[2.0, 0.2], [0.0, 3.0]].mapv(|v| c64::new(v, 0.0));
/// assert!((&x - &want).iter().all(|d| d.norm() < 1e-14));
/// // A negative eigenvalue: the principal root of −1 is i.
/// let r = sqrtm(&array![[-1.0_f64]])?;
/// assert!((r[[0, 0]] - c64::new(0.0, 1.0)).norm() < 1e-15);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn sqrtm<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>) -> Result<Array2<T::Complex>> {
    let n = square_order(OP, a)?;
    if n == 0 {
        return Ok(Array2::zeros((0, 0)));
    }
    ensure_finite(OP, a)?;
    let schur = schur_as(OP, a)?;
    if !T::IS_COMPLEX && real_root(&schur.t) {
        // Real eigenvalues, none negative: the principal root is real, and computed in real
        // arithmetic throughout (as SciPy does; a quarter of the complex flops).
        let Schur { t: mut r, z } = schur;
        triangular_sqrt(&mut r, |x: T| T::from_real(x.re().sqrt()))?;
        let zr = matmul(&z, &r).map_err(|e| e.with_op(OP))?;
        let x = matmul(&zr, &z.t()).map_err(|e| e.with_op(OP))?;
        return Ok(x.mapv(|v| v.to_complex()));
    }
    let (mut r, z) = complex_schur::<T>(schur);
    triangular_sqrt(&mut r, |v: T::Complex| principal_sqrt::<T::Complex>(v))?;
    let zr = matmul(&z, &r).map_err(|e| e.with_op(OP))?;
    let zh = z.t().mapv(|v| v.conj());
    matmul(&zr, &zh).map_err(|e| e.with_op(OP))
}

/// The complex Schur form (T upper triangular, Z unitary) of `a`: `?gees` on `a` itself for
/// complex input; for real input the real Schur form (`?gees` in real arithmetic, a quarter of
/// the flops), whose 2×2 blocks are then triangularised by one complex Givens rotation each
/// (`scipy.linalg.rsf2csf`). Real eigenvalues then keep an imaginary part of exactly zero, so a
/// negative one gets the root +i·√|λ| — on the complex Schur form of a real matrix rounding
/// leaves them ±δ·i, and the sign of δ would pick the branch.
fn complex_schur<T: Scalar>(s: Schur<T>) -> (Array2<T::Complex>, Array2<T::Complex>) {
    let n = s.t.nrows();
    let mut t = Array2::<T::Complex>::zeros((n, n).f());
    t.zip_mut_with(&s.t, |c, &x| *c = x.to_complex());
    let mut z = Array2::<T::Complex>::zeros((n, n).f());
    z.zip_mut_with(&s.z, |c, &x| *c = x.to_complex());
    if T::IS_COMPLEX {
        return (t, z);
    }
    let half = <T::Complex as Scalar>::from_f64_nearest(0.5);
    for m in (1..n).rev() {
        if s.t[[m, m - 1]].is_zero() {
            continue;
        }
        // The block [[p, q], [c, d]]: μ = λ − d for an eigenvalue λ of the block, then the
        // rotation G = [[c̄ₒ, sₒ], [−sₒ, cₒ]] with cₒ = μ/ρ, sₒ = c/ρ, ρ = √(|μ|² + c²).
        let (p, q, c, d) = (t[[m - 1, m - 1]], t[[m - 1, m]], t[[m, m - 1]], t[[m, m]]);
        let h = (p - d) * half;
        let mu = h + principal_sqrt::<T::Complex>(h * h + q * c);
        let rho = (mu.norm_sqr() + c.norm_sqr()).sqrt();
        let (co, so) = (mu / rho, c / rho);
        // Rows m−1, m (from column m−1 on): G·[u; v].
        for j in m - 1..n {
            let (u, v) = (t[[m - 1, j]], t[[m, j]]);
            t[[m - 1, j]] = co.conj() * u + so * v;
            t[[m, j]] = co * v - so * u;
        }
        // Columns m−1, m of T (rows 0..=m) and of Z: [x, y]·Gᴴ.
        let rotate = |x: T::Complex, y: T::Complex| (x * co + y * so, y * co.conj() - x * so);
        for i in 0..=m {
            let (x, y) = rotate(t[[i, m - 1]], t[[i, m]]);
            t[[i, m - 1]] = x;
            t[[i, m]] = y;
        }
        for i in 0..n {
            let (x, y) = rotate(z[[i, m - 1]], z[[i, m]]);
            z[[i, m - 1]] = x;
            z[[i, m]] = y;
        }
        t[[m, m - 1]] = <T::Complex as Zero>::zero();
    }
    (t, z)
}

/// Whether the real Schur form `t` has only 1×1 blocks, all non-negative: then the principal
/// root is real.
fn real_root<T: Scalar>(t: &Array2<T>) -> bool {
    let n = t.nrows();
    (1..n).all(|i| t[[i, i - 1]].is_zero()) && (0..n).all(|i| t[[i, i]].re() >= T::Real::zero())
}

/// Overwrites the upper triangular `t` with its principal square root, column by column
/// (Björck & Hammarling 1983; Higham, "Functions of Matrices", Alg. 6.3).
/// `sqrt` is the principal square root of one diagonal entry.
fn triangular_sqrt<C: Scalar>(t: &mut Array2<C>, sqrt: impl Fn(C) -> C) -> Result<()> {
    let n = t.nrows();
    let mut r = Array2::<C>::zeros((n, n).f());
    r.assign(t);
    let data = r
        .as_slice_memory_order_mut()
        .expect("an F-order array is contiguous");
    for i in 0..n {
        data[i * n + i] = sqrt(data[i * n + i]);
    }
    for j in 1..n {
        // Columns 0..j are final; column j holds t₀..ⱼ,ⱼ, solved in place by back substitution
        // with R₀..ⱼ,₀..ⱼ + rⱼⱼ·I, each step an update of a contiguous column prefix.
        let (done, rest) = data.split_at_mut(j * n);
        let col = &mut rest[..n];
        let rjj = col[j];
        for i in (0..j).rev() {
            let denom = done[i * n + i] + rjj;
            let x = if denom.is_zero() {
                if !col[i].is_zero() {
                    return Err(Error::Singular {
                        op: OP,
                        pivot: Some(i),
                        rcond: 0.0,
                    });
                }
                // 0/0: a semisimple zero eigenvalue; SciPy's choice, the root exists.
                C::zero()
            } else {
                col[i] / denom
            };
            col[i] = x;
            if !x.is_zero() {
                for (c, &rk) in col[..i].iter_mut().zip(&done[i * n..i * n + i]) {
                    *c -= x * rk;
                }
            }
        }
    }
    t.assign(&r);
    Ok(())
}

/// The principal square root of a complex number (non-negative real part; +i·√|x| on the
/// negative real axis, whatever the sign of a zero imaginary part), by the cancellation-free
/// formula w = √((|re| + |z|)/2).
fn principal_sqrt<C: Scalar>(z: C) -> C::Complex {
    let (re, im) = (z.re(), z.im());
    let zero = C::Real::zero();
    if re == zero && im == zero {
        return C::Complex::zero();
    }
    let half = C::Real::from_f64_nearest(0.5);
    let w = ((re.abs() + z.norm()) * half).sqrt();
    if re >= zero {
        C::complex_from_parts(w, im / (w + w))
    } else {
        // A zero imaginary part, of either sign, counts as +0 (the principal branch).
        let y = if im < zero { -w } else { w };
        C::complex_from_parts(im.abs() / (w + w), y)
    }
}
