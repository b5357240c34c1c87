//! The principal matrix square root, as `scipy.linalg.sqrtm`.
//!
//! | function | f32, c32 | f64, c64 |
//! |---|---|---|
//! | [`sqrtm`] | `cgees` + `cgemm` | `zgees` + `zgemm` |
//!
//! The matrix is brought to complex Schur form `A = Z·T·Zᴴ` (`T` upper triangular), the
//! upper triangular root `R` of `T` (`R² = T`) is computed by the Björck–Hammarling
//! recurrence, and `X = Z·R·Zᴴ`. The recurrence runs column by column as a triangular solve
//! `(R₀..ⱼ,₀..ⱼ + rⱼⱼ·I)·r₀..ⱼ,ⱼ = t₀..ⱼ,ⱼ` (contiguous column updates); its O(n³/3) flops are
//! a small part of the Schur form's cost.

use ndarray::{Array2, ArrayBase, Data, Ix2, ShapeBuilder};
use num_traits::{Float, Zero};

use crate::linalg::decomp::schur::schur_as;
use crate::linalg::matmul;
use crate::layout::{ensure_finite, square_order};
use crate::{Error, Result, Scalar};

const OP: &str = "sqrtm";

/// The principal square root `X` (`X·X = A`, every eigenvalue of `X` with non-negative real
/// part) of a square matrix, as `scipy.linalg.sqrtm`: complex Schur form (`?gees` on the
/// complex matrix) and the Björck–Hammarling recurrence. The result is complex also for real
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
    let mut ac = Array2::<T::Complex>::zeros((n, n).f());
    ac.zip_mut_with(a, |c, &x| *c = x.to_complex());
    let schur = schur_as(OP, &ac)?;
    let mut r = schur.t;
    triangular_sqrt::<T>(&mut r)?;
    let zr = matmul(&schur.z, &r).map_err(|e| e.with_op(OP))?;
    let zh = schur.z.t().mapv(|v| v.conj());
    matmul(&zr, &zh).map_err(|e| e.with_op(OP))
}

/// Overwrites the upper triangular `t` with its principal square root, column by column
/// (Björck & Hammarling 1983; Higham, "Functions of Matrices", Alg. 6.3).
fn triangular_sqrt<T: Scalar>(t: &mut Array2<T::Complex>) -> Result<()> {
    let n = t.nrows();
    let mut r = Array2::<T::Complex>::zeros((n, n).f());
    r.assign(t);
    let data = r
        .as_slice_memory_order_mut()
        .expect("an F-order array is contiguous");
    for i in 0..n {
        data[i * n + i] = principal_sqrt::<T::Complex>(data[i * n + i]);
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
                <T::Complex as Zero>::zero()
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
