//! The matrix exponential, as `scipy.linalg.expm`.
//!
//! | function | f32, c32 | f64, c64 |
//! |---|---|---|
//! | [`expm`] | `?gemm`, `?getrf` + `?getrs`; Padé degree 3, 5 or 7 | `?gemm`, `?getrf` + `?getrs`; Padé degree 3, 5, 7, 9 or 13 |
//!
//! Scaling and squaring after Al-Mohy & Higham, "A New Scaling and Squaring Algorithm for the
//! Matrix Exponential", SIAM J. Matrix Anal. Appl. 31(3), 2009, Algorithm 3.1 — the algorithm
//! of `scipy.linalg.expm`. The degree m and the scaling 2⁻ˢ are chosen from the 1-norms
//! ‖Aᵏ‖₁^(1/k), which bound the backward error of the Padé approximant more tightly than ‖A‖₁
//! (so non-normal matrices are not over-scaled), plus the correction ℓ(A, m) of their eq.
//! (3.13). Norms of powers that are formed anyway are exact; the others are exact below order
//! 400 and estimated above it (Hager's 1-norm estimator applied to the implicit product, the
//! same break-even as SciPy's).
//!
//! Single precision (f32, c32) computes in single precision with the single-precision
//! θ table of Higham (2005) (m ≤ 7, unit roundoff 2⁻²⁴), as SciPy does for float32.

use ndarray::{Array1, Array2, ArrayBase, ArrayView2, Data, Ix2, ShapeBuilder};
use num_traits::{Float, ToPrimitive, Zero};

use crate::layout::{ensure_finite, square_order};
use crate::linalg::decomp::lu::LuFactor;
use crate::linalg::{matmul, matvec};
use crate::{Error, Result, Scalar};

const OP: &str = "expm";

/// Below this order 1-norms of matrix powers not otherwise needed are computed exactly by
/// forming the product; from it on they are estimated (SciPy's break-even, its docs: "For
/// cases n >= 400, the exact 1-norm computation cost breaks even with 1-norm estimation").
const EXACT_NORMS_BELOW: usize = 400;

/// The Padé coefficients b₀…b_m of degree m (Higham 2005, Table 10.4 of "Functions of
/// Matrices").
const B3: [f64; 4] = [120.0, 60.0, 12.0, 1.0];
const B5: [f64; 6] = [30240.0, 15120.0, 3360.0, 420.0, 30.0, 1.0];
const B7: [f64; 8] = [
    17297280.0, 8648640.0, 1995840.0, 277200.0, 25200.0, 1512.0, 56.0, 1.0,
];
const B9: [f64; 10] = [
    17643225600.0,
    8821612800.0,
    2075673600.0,
    302702400.0,
    30270240.0,
    2162160.0,
    110880.0,
    3960.0,
    90.0,
    1.0,
];
const B13: [f64; 14] = [
    64764752532480000.0,
    32382376266240000.0,
    7771770303897600.0,
    1187353796428800.0,
    129060195264000.0,
    10559470521600.0,
    670442572800.0,
    33522128640.0,
    1323241920.0,
    40840800.0,
    960960.0,
    16380.0,
    182.0,
    1.0,
];

/// The precision-dependent constants: θ_m (the largest ‖A‖ for which the degree-m Padé
/// approximant's backward error is below the unit roundoff) for the degrees used, and u.
struct Table {
    /// (m, θ_m), ascending; the last degree is the one used with scaling.
    theta: &'static [(usize, f64)],
    /// The unit roundoff.
    u: f64,
}

/// Double precision: Al-Mohy & Higham (2009), Table 3.1 / SciPy.
const DOUBLE: Table = Table {
    theta: &[
        (3, 1.495585217958292e-2),
        (5, 2.53939833006323e-1),
        (7, 9.504178996162932e-1),
        (9, 2.097847961257068e0),
        (13, 5.371920351148152e0),
    ],
    u: 1.1102230246251565e-16, // 2⁻⁵³
};

/// Single precision: Higham (2005), Table 2.1 / SciPy's float32 path.
const SINGLE: Table = Table {
    theta: &[
        (3, 4.258730016922831e-1),
        (5, 1.880152677804762e0),
        (7, 3.92572478313866e0),
    ],
    u: 5.960464477539063e-8, // 2⁻²⁴
};

/// |c_{2m+1}|, the leading coefficient of the Padé approximant's error series (Al-Mohy &
/// Higham 2009, eq. (3.13) and their `expm_params`): 1/100800, 1/10059033600, …
fn error_coefficient(m: usize) -> f64 {
    match m {
        3 => 1.0 / 100800.0,
        5 => 1.0 / 10059033600.0,
        7 => 1.0 / 4487938430976000.0,
        9 => 1.0 / 5914384781877411840000.0,
        _ => 1.0 / 113250775606021113483283660800000000.0,
    }
}

/// The matrix exponential `e^A` of a square matrix (`scipy.linalg.expm`), by scaling and
/// squaring with a Padé approximant of degree 3, 5, 7, 9 or 13 (Al-Mohy & Higham 2009; see
/// the module docs). A diagonal matrix gives the exact `diag(e^aᵢᵢ)`; an empty matrix an
/// empty result.
///
/// # Errors
/// [`Error::NotSquare`]; [`Error::NonFinite`] for NaN/Inf entries; [`Error::InvalidArgument`]
/// when `e^A` overflows the dtype's range (SciPy returns `inf` entries there, with a warning;
/// an `Err` here instead of a matrix that may also hold NaN from `inf − inf`).
///
/// ```
/// use ndarray::array;
/// use ndkit::linalg::expm;
///
/// // A nilpotent matrix: e^N = I + N exactly.
/// let e = expm(&array![[0.0_f64, 1.0], [0.0, 0.0]])?;
/// assert!((&e - &array![[1.0, 1.0], [0.0, 1.0]]).iter().all(|d| d.abs() < 1e-15));
/// // A rotation generator: e^(θJ) is the rotation by θ.
/// let t = 0.5_f64;
/// let r = expm(&array![[0.0, -t], [t, 0.0]])?;
/// assert!((r[[0, 0]] - t.cos()).abs() < 1e-15 && (r[[1, 0]] - t.sin()).abs() < 1e-15);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn expm<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>) -> Result<Array2<T>> {
    let n = square_order(OP, a)?;
    ensure_finite(OP, a)?;
    if n == 0 {
        return Ok(Array2::zeros((0, 0)));
    }
    let a = a.view();
    let diagonal = a
        .indexed_iter()
        .all(|((i, j), x)| i == j || *x == T::zero());
    let e = if diagonal {
        let mut e = Array2::<T>::zeros((n, n).f());
        for i in 0..n {
            e[[i, i]] = scalar_exp(a[[i, i]]);
        }
        e
    } else {
        pade_scaling_squaring(a)?
    };
    if !e.iter().all(|x| x.finite()) {
        return Err(Error::InvalidArgument {
            op: OP,
            message: format!(
                "the exponential of this {n}×{n} matrix (1-norm {:e}) overflows the range of the dtype",
                norm1(&a)
            ),
        });
    }
    Ok(e)
}

/// `e^z` for a real or complex scalar: `e^re·(cos im + i·sin im)`, with the imaginary unit
/// taken from `z` itself (`z − re` is `i·im` exactly), as `Scalar` has no complex constructor.
fn scalar_exp<T: Scalar>(z: T) -> T {
    let (re, im) = (z.re(), z.im());
    let mag = re.exp();
    if im == T::Real::zero() {
        return T::from_real(mag);
    }
    let i_im = z - T::from_real(re);
    T::from_real(mag * im.cos()) + i_im * (mag * im.sin() / im)
}

/// The 1-norm (largest column sum of absolute values), in f64.
fn norm1<T: Scalar>(a: &ArrayView2<'_, T>) -> f64 {
    a.columns()
        .into_iter()
        .map(|c| c.iter().map(|x| f64_of(x.norm())).sum::<f64>())
        .fold(0.0, f64::max)
}

fn f64_of<R: ToPrimitive>(x: R) -> f64 {
    x.to_f64().unwrap_or(f64::NAN)
}

/// `x·c` for a real constant `c` given in f64.
fn real<T: Scalar>(c: f64) -> T {
    T::from_f64_nearest(c)
}

/// `a·b` (the inputs are finite, square and of one order: the product cannot fail).
fn mul<T: Scalar>(a: &Array2<T>, b: &Array2<T>) -> Result<Array2<T>> {
    matmul(a, b).map_err(|e| e.with_op(OP))
}

/// `Σ cₖ·Mₖ + c₀·I` over the given (non-empty) terms, in the memory order of the first term:
/// contiguous passes when the terms share it, as the powers of A do.
fn combination<T: Scalar>(n: usize, identity: f64, terms: &[(f64, &Array2<T>)]) -> Array2<T> {
    let ((c, first), rest) = terms.split_first().expect("at least one term");
    let c = real::<T>(*c);
    let mut out = first.mapv(|x| x * c);
    for &(c, m) in rest {
        out.scaled_add(real::<T>(c), m);
    }
    for i in 0..n {
        out[[i, i]] += real::<T>(identity);
    }
    out
}

/// The 1-norm of the product `factors[0]·factors[1]·…`, exact (by forming it) below
/// [`EXACT_NORMS_BELOW`], estimated above.
fn product_norm<T: Scalar>(factors: &[&Array2<T>]) -> Result<f64> {
    let n = factors[0].nrows();
    if n < EXACT_NORMS_BELOW {
        let mut p = factors[0].clone();
        for f in &factors[1..] {
            p = mul(&p, f)?;
        }
        return Ok(norm1(&p.view()));
    }
    estimate_norm1(factors)
}

/// Hager's 1-norm estimate (Higham's refinement, LAPACK `?lacon`) of the product of
/// `factors`, applied to vectors only: a lower bound, exact in most cases, from at most five
/// products with P and Pᴴ plus the alternative vector of Higham (1988).
fn estimate_norm1<T: Scalar>(factors: &[&Array2<T>]) -> Result<f64> {
    let n = factors[0].nrows();
    // BLAS ?gemv through `matvec`.
    let gemv = |f: ArrayView2<'_, T>, x: &Array1<T>| matvec(&f, x).map_err(|e| e.with_op(OP));
    let apply = |mut x: Array1<T>| -> Result<Array1<T>> {
        for f in factors.iter().rev() {
            x = gemv(f.view(), &x)?;
        }
        Ok(x)
    };
    let apply_h = |mut x: Array1<T>| -> Result<Array1<T>> {
        for f in factors {
            x = gemv(f.t(), &x.mapv(|v| v.conj()))?.mapv(|v| v.conj());
        }
        Ok(x)
    };
    let vnorm1 = |y: &Array1<T>| y.iter().map(|v| f64_of(v.norm())).sum::<f64>();
    let mut x = Array1::from_elem(n, real::<T>(1.0 / n as f64));
    let mut est = 0.0_f64;
    let mut last = usize::MAX;
    for iteration in 0..5 {
        let y = apply(x.clone())?;
        let new = vnorm1(&y);
        if iteration > 0 && new <= est {
            break;
        }
        est = new;
        let sign = y.mapv(|v| {
            let r = v.norm();
            if r == T::Real::zero() {
                T::one()
            } else {
                v / r
            }
        });
        let z = apply_h(sign)?;
        let (j, zj) = z
            .iter()
            .enumerate()
            .map(|(i, v)| (i, f64_of(v.norm())))
            .fold((0, -1.0), |b, c| if c.1 > b.1 { c } else { b });
        let ztx = f64_of(
            z.iter()
                .zip(&x)
                .map(|(zi, xi)| zi.conj() * *xi)
                .sum::<T>()
                .re(),
        );
        if iteration > 0 && (zj <= ztx || j == last) {
            break;
        }
        last = j;
        x = Array1::zeros(n);
        x[j] = T::one();
    }
    // The alternative vector xᵢ = (−1)ⁱ(1 + i/(n−1)) guards against the estimator's blind spots.
    let alt = Array1::from_shape_fn(n, |i| {
        let s = if i % 2 == 0 { 1.0 } else { -1.0 };
        real::<T>(s * (1.0 + i as f64 / (n.max(2) - 1) as f64))
    });
    Ok(est.max(2.0 * vnorm1(&apply(alt)?) / (3.0 * n as f64)))
}

/// ‖|A|^p‖₁, exactly: |A| is non-negative, so its 1-norm is the largest entry of 1ᵀ·|A|^p,
/// from p vector–matrix products.
fn abs_power_norm(abs: &Array2<f64>, p: usize) -> Result<f64> {
    let mut v = Array1::<f64>::ones(abs.nrows());
    for _ in 0..p {
        v = matvec(&abs.t(), &v).map_err(|e| e.with_op(OP))?;
    }
    Ok(v.fold(0.0, |m, &x| m.max(x)))
}

/// ℓ(2⁻ˢA, m) of Al-Mohy & Higham (2009), eq. (3.13): the extra squarings that bring the
/// relative backward error bound |c_{2m+1}|·‖|2⁻ˢA|^{2m+1}‖₁/‖2⁻ˢA‖₁ below u.
fn ell(abs: &Array2<f64>, norm_a: f64, m: usize, s: i32, u: f64) -> Result<i32> {
    let p = 2 * m + 1;
    let scale = 2f64.powi(-s * (p as i32 - 1));
    let alpha = error_coefficient(m) * abs_power_norm(abs, p)? * scale / norm_a;
    if alpha.is_nan() || alpha <= 0.0 {
        return Ok(0);
    }
    Ok(((alpha / u).log2() / (2 * m) as f64).ceil().max(0.0) as i32)
}

/// Algorithm 3.1 of Al-Mohy & Higham (2009) on a non-diagonal finite square `a`.
fn pade_scaling_squaring<T: Scalar>(a: ArrayView2<'_, T>) -> Result<Array2<T>> {
    let n = a.nrows();
    let table = if f64_of(T::Real::epsilon()) > 1e-10 {
        &SINGLE
    } else {
        &DOUBLE
    };
    let theta = |m: usize| {
        table
            .theta
            .iter()
            .find(|t| t.0 == m)
            .map(|t| t.1)
            .expect("degree in the table")
    };
    let a1 = {
        let mut c = Array2::<T>::zeros((n, n).f());
        c.assign(&a);
        c
    };
    let abs = a1.mapv(|x| f64_of(x.norm()));
    let norm_a = norm1(&a.view());
    let a2 = mul(&a1, &a1)?;
    let d4 = product_norm(&[&a2, &a2])?.powf(0.25);
    let d6 = product_norm(&[&a2, &a2, &a2])?.powf(1.0 / 6.0);
    if d4.max(d6) <= theta(3) && ell(&abs, norm_a, 3, 0, table.u)? == 0 {
        return finish(n, &a1, &[&a2], 3, 0);
    }
    let a4 = mul(&a2, &a2)?;
    let d4 = norm1(&a4.view()).powf(0.25);
    if d4.max(d6) <= theta(5) && ell(&abs, norm_a, 5, 0, table.u)? == 0 {
        return finish(n, &a1, &[&a2, &a4], 5, 0);
    }
    let a6 = mul(&a2, &a4)?;
    let d6 = norm1(&a6.view()).powf(1.0 / 6.0);
    let d8 = product_norm(&[&a4, &a4])?.powf(1.0 / 8.0);
    let eta3 = d6.max(d8);
    let largest = table.theta.last().expect("non-empty table").0;
    if largest == 7 {
        // Single precision: degree 7 is the largest; α₂ = max(d₄, d₆), α₃ = max(d₆, d₈).
        if eta3 <= theta(7) && ell(&abs, norm_a, 7, 0, table.u)? == 0 {
            return finish(n, &a1, &[&a2, &a4, &a6], 7, 0);
        }
        let eta = d4.max(d6).min(eta3);
        let s = scaling(eta, theta(7));
        let s = s + ell(&abs, norm_a, 7, s, table.u)?;
        return finish(n, &a1, &[&a2, &a4, &a6], 7, s);
    }
    for m in [7, 9] {
        if eta3 <= theta(m) && ell(&abs, norm_a, m, 0, table.u)? == 0 {
            if m == 7 {
                return finish(n, &a1, &[&a2, &a4, &a6], 7, 0);
            }
            let a8 = mul(&a4, &a4)?;
            return finish(n, &a1, &[&a2, &a4, &a6, &a8], 9, 0);
        }
    }
    let d10 = product_norm(&[&a4, &a6])?.powf(0.1);
    let eta5 = eta3.min(d8.max(d10));
    let s = scaling(eta5, theta(13));
    let s = s + ell(&abs, norm_a, 13, s, table.u)?;
    finish(n, &a1, &[&a2, &a4, &a6], 13, s)
}

/// max(⌈log₂(η/θ)⌉, 0).
fn scaling(eta: f64, theta: f64) -> i32 {
    (eta / theta).log2().ceil().max(0.0) as i32
}

/// r_m(2⁻ˢA) by the Padé formulas of Higham (2005) from the even powers `pw` = [A², A⁴, …]
/// of the unscaled A, then s squarings.
fn finish<T: Scalar>(
    n: usize,
    a: &Array2<T>,
    pw: &[&Array2<T>],
    m: usize,
    s: i32,
) -> Result<Array2<T>> {
    // 2⁻ˢA and its even powers scaled by 4⁻ˢ, 16⁻ˢ, 64⁻ˢ: the scaling folded into the
    // coefficients, exact (powers of two).
    let k = 2f64.powi(-s);
    let scale = |j: usize| k.powi(2 * (j as i32 + 1));
    let (u, v) = if m == 13 {
        let b = &B13;
        let (a2, a4, a6) = (pw[0], pw[1], pw[2]);
        let (s2, s4, s6) = (scale(0), scale(1), scale(2));
        let w1 = combination(
            n,
            0.0,
            &[(b[13] * s6, a6), (b[11] * s4, a4), (b[9] * s2, a2)],
        );
        let w2 = combination(
            n,
            b[1],
            &[(b[7] * s6, a6), (b[5] * s4, a4), (b[3] * s2, a2)],
        );
        let z1 = combination(
            n,
            0.0,
            &[(b[12] * s6, a6), (b[10] * s4, a4), (b[8] * s2, a2)],
        );
        let z2 = combination(
            n,
            b[0],
            &[(b[6] * s6, a6), (b[4] * s4, a4), (b[2] * s2, a2)],
        );
        let mut w = w2;
        crate::linalg::gemm(real::<T>(s6), a6, &w1, T::one(), &mut w).map_err(|e| e.with_op(OP))?;
        let mut u = mul(a, &w)?;
        u.mapv_inplace(|x| x * real::<T>(k));
        let mut v = z2;
        crate::linalg::gemm(real::<T>(s6), a6, &z1, T::one(), &mut v).map_err(|e| e.with_op(OP))?;
        (u, v)
    } else {
        let b: &[f64] = match m {
            3 => &B3,
            5 => &B5,
            7 => &B7,
            _ => &B9,
        };
        let odd: Vec<(f64, &Array2<T>)> = pw
            .iter()
            .enumerate()
            .map(|(j, p)| (b[2 * j + 3] * scale(j), *p))
            .collect();
        let even: Vec<(f64, &Array2<T>)> = pw
            .iter()
            .enumerate()
            .map(|(j, p)| (b[2 * j + 2] * scale(j), *p))
            .collect();
        let mut u = mul(a, &combination(n, b[1], &odd))?;
        u.mapv_inplace(|x| x * real::<T>(k));
        (u, combination(n, b[0], &even))
    };
    // r_m = (V − U)⁻¹(V + U); the denominator is well conditioned for the θ_m chosen.
    let q = &v - &u;
    let p = &v + &u;
    let mut r = LuFactor::new(OP, &q, false)?.solve_as(OP, &p)?;
    for _ in 0..s {
        r = mul(&r, &r)?;
    }
    Ok(r)
}
