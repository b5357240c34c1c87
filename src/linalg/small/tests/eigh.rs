//! [`eigh`](crate::linalg::small::eigh) against the invariants and LAPACK's `eigvalsh`.

use ndarray::Array2;

use super::{
    column_major, eps, floor, fro, from_column_major, log_excess, mul, orthogonality, per_dtype,
    random, rng, scale_of, single, unitary, z, Gen, Worst, RATIO,
};
use crate::linalg::small::{eigh, EIGH_MAX};
use crate::linalg::{eigvalsh, UPLO};
use crate::{c64, Scalar};

/// The Hermitian part (a + aᴴ)/2 of a square matrix, with a real diagonal.
fn hermitian_part<T: Gen>(a: &Array2<T>) -> Array2<T> {
    let n = a.nrows();
    Array2::from_shape_fn((n, n), |(i, j)| {
        let (x, y) = (z(a[[i, j]]), z(a[[j, i]]).conj());
        let h = (x + y) * 0.5;
        T::make(h.re, if i == j { 0.0 } else { h.im })
    })
}

/// Q·diag(values)·Qᴴ for a random unitary Q (its Hermitian part, rounded to `T`).
fn with_spectrum<T: Gen>(seed: u64, values: &[f64]) -> Array2<T> {
    let n = values.len();
    let q = unitary::<T>(&mut rng(seed), n).mapv(z);
    let a = Array2::from_shape_fn((n, n), |(i, j)| {
        (0..n)
            .map(|k| q[[i, k]] * values[k] * q[[j, k]].conj())
            .sum::<c64>()
    });
    hermitian_part(&a.mapv(|x| T::make(x.re, x.im)))
}

/// Runs the kernel on the lower and on the upper triangle of the Hermitian `a` (the other
/// triangle NaN, the diagonal's imaginary parts garbage: neither may be read) and records the
/// residual ‖AV − VΛ‖_F / (n·ε·‖A‖_F), the orthogonality ‖VᴴV − I‖_F / (n·ε) and the
/// eigenvalue error max|λ − λ_LAPACK| / (n·ε·‖A‖_F).
fn check<T: Gen>(a: &Array2<T>, worst: &mut Worst, what: &str) {
    let n = a.nrows();
    let reference = eigvalsh(a, UPLO::Lower).expect("eigvalsh");
    let scale = scale_of(a);
    let az = a.mapv(|x| z(x) / scale);
    let anorm = fro(&az).max(f64::MIN_POSITIVE);
    let unit = n as f64 * eps::<T>();
    let bound = unit * anorm + floor::<T>(n * n, scale);
    for lower in [true, false] {
        let mut buf = column_major(a);
        for j in 0..n {
            for i in 0..n {
                if (lower && i < j) || (!lower && i > j) {
                    buf[i + j * n] = T::make(f64::NAN, f64::NAN);
                }
            }
            buf[j + j * n] = T::make(z(a[[j, j]]).re, 7.0);
        }
        let mut values = vec![<T::Real as Scalar>::from_f64_nearest(0.0); n];
        let mut vectors = vec![T::zero(); n * n];
        assert!(
            eigh(&mut buf.clone(), n, lower, &mut values, Some(&mut vectors)),
            "no convergence: {what}"
        );
        let mut only = vec![<T::Real as Scalar>::from_f64_nearest(0.0); n];
        assert!(
            eigh(&mut buf, n, lower, &mut only, None),
            "no convergence: {what}"
        );
        assert_eq!(only, values, "values without vectors differ: {what}");
        let lam: Vec<f64> = values.iter().map(|&x| z(x).re / scale).collect();
        assert!(
            lam.windows(2).all(|w| w[0] <= w[1]),
            "not ascending: {what}"
        );
        let v = from_column_major(&vectors, n, n);
        let mut r = mul(&az, &v);
        for j in 0..n {
            for i in 0..n {
                r[[i, j]] -= v[[i, j]] * lam[j];
            }
        }
        let tag = || format!("{} n={n} lower={lower} {what}", std::any::type_name::<T>());
        worst.note("residual", fro(&r) / bound, &tag);
        worst.note(
            "orthogonality",
            orthogonality(&v) / (unit + floor::<T>(n * n, 1.0)),
            &tag,
        );
        let dev = lam
            .iter()
            .zip(&reference)
            .map(|(&x, &y)| (x - z(y).re / scale).abs())
            .fold(0.0, f64::max);
        worst.note("values", dev / bound, &tag);
    }
}

/// Random Hermitian matrices, 25 per order.
fn random_hermitian<T: Gen>() {
    let mut worst = Worst::default();
    for n in 1..=EIGH_MAX {
        for seed in 0..25 {
            let a = hermitian_part(&random::<T>(&mut rng(1000 * n as u64 + seed), n, n));
            check(&a, &mut worst, &format!("seed {seed}"));
        }
    }
    worst.report(&format!("eigh random {}", std::any::type_name::<T>()));
}

/// Repeated and nearly repeated eigenvalues.
fn degenerate<T: Gen>() {
    let mut worst = Worst::default();
    let e = eps::<T>();
    for n in 1..=EIGH_MAX {
        let spectra: Vec<Vec<f64>> = vec![
            vec![1.0; n],
            (0..n).map(|i| (i / 2) as f64).collect(),
            (0..n).map(|i| if i == 0 { -3.0 } else { 2.0 }).collect(),
            (0..n).map(|i| 1.0 + i as f64 * e).collect(),
            (0..n)
                .map(|i| if i.is_multiple_of(2) { 1e-3 } else { -1e-3 })
                .collect(),
            (0..n).map(|i| if i < n / 2 { 0.0 } else { 5.0 }).collect(),
        ];
        for (s, values) in spectra.iter().enumerate() {
            let a = with_spectrum::<T>(70 + s as u64, values);
            check(&a, &mut worst, &format!("spectrum {values:?}"));
        }
    }
    worst.report(&format!("eigh degenerate {}", std::any::type_name::<T>()));
}

/// The zero matrix, the identity, diagonal inputs (unsorted, with duplicates, with negative
/// and zero entries), the Hilbert matrix and a tridiagonal Toeplitz matrix.
fn special<T: Gen>() {
    let mut worst = Worst::default();
    for n in 1..=EIGH_MAX {
        let diag = |f: &dyn Fn(usize) -> f64| {
            Array2::from_shape_fn((n, n), |(i, j)| {
                T::make(if i == j { f(i) } else { 0.0 }, 0.0)
            })
        };
        let cases: Vec<(&str, Array2<T>)> = vec![
            ("zero", Array2::zeros((n, n))),
            ("identity", Array2::eye(n)),
            ("diagonal", diag(&|i| ((i * 7) % 5) as f64 - 2.0)),
            (
                "diagonal wide range",
                diag(&|i| 10f64.powi(3 * i as i32 - 9)),
            ),
            (
                "hilbert",
                Array2::from_shape_fn((n, n), |(i, j)| T::make(1.0 / (i + j + 1) as f64, 0.0)),
            ),
            (
                "toeplitz",
                Array2::from_shape_fn((n, n), |(i, j)| {
                    let d = i.abs_diff(j);
                    T::make(
                        if d == 0 {
                            2.0
                        } else if d == 1 {
                            -1.0
                        } else {
                            0.0
                        },
                        0.0,
                    )
                }),
            ),
        ];
        for (name, a) in &cases {
            check(a, &mut worst, name);
        }
        // The zero matrix has zero eigenvalues and the identity as eigenvectors.
        let mut values = vec![<T::Real as Scalar>::from_f64_nearest(1.0); n];
        let mut vectors = vec![T::zero(); n * n];
        assert!(eigh(
            &mut vec![T::zero(); n * n],
            n,
            true,
            &mut values,
            Some(&mut vectors)
        ));
        assert!(values.iter().all(|&x| z(x).re == 0.0));
        assert_eq!(from_column_major(&vectors, n, n), Array2::eye(n));
    }
    // Order 0 writes nothing and succeeds.
    assert!(eigh::<T>(&mut [], 0, true, &mut [], Some(&mut [])));
    worst.report(&format!("eigh special {}", std::any::type_name::<T>()));
}

/// Random Hermitian matrices scaled towards overflow and underflow (the kernel scales them
/// into its safe range by a power of two), down to subnormal entries.
fn extreme_scale<T: Gen>() {
    let mut worst = Worst::default();
    let scales: &[f64] = if single::<T>() {
        &[1e30, 1e-30, 1e37, 1e-37, 1e-41]
    } else {
        &[1e150, 1e-150, 1e300, 1e-300, 1e-310]
    };
    for n in 1..=EIGH_MAX {
        for (k, &s) in scales.iter().enumerate() {
            let a = hermitian_part(&random::<T>(&mut rng(500 + k as u64), n, n));
            let a = a.mapv(|x| T::make(z(x).re * s, z(x).im * s));
            check(&a, &mut worst, &format!("scale {s:e}"));
        }
    }
    worst.report(&format!("eigh extreme {}", std::any::type_name::<T>()));
}

/// Graded matrices D·H·D (H well-conditioned, D with entries alternating 1e±150, or 1e±15
/// for single precision): the backward error is measured as for every input.
fn graded<T: Gen>() {
    let mut worst = Worst::default();
    let big = if single::<T>() { 1e15 } else { 1e150 };
    for n in 1..=EIGH_MAX {
        let d: Vec<f64> = (0..n)
            .map(|i| if i.is_multiple_of(2) { big } else { 1.0 / big })
            .collect();
        let h = with_spectrum::<T>(
            90 + n as u64,
            &(0..n).map(|i| 1.0 + i as f64).collect::<Vec<_>>(),
        );
        let a = Array2::from_shape_fn((n, n), |(i, j)| {
            let x = z(h[[i, j]]) * (d[i] * d[j]);
            T::make(x.re, x.im)
        });
        check(&a, &mut worst, "graded 1e±150");
    }
    worst.report(&format!("eigh graded {}", std::any::type_name::<T>()));
}

/// Relative accuracy on a strongly graded positive definite A = D·H·D, D = diag(2^(-g·i)):
/// Jacobi with the Demmel–Veselić criterion determines every eigenvalue to a few ε relative
/// to itself times κ(H) (Demmel & Veselić, "Jacobi's method is more accurate than QR", SIAM J.
/// Matrix Anal. Appl. 13, 1992), even the smallest, ~2^(-2g(n−1))
/// of the largest. Checked through the product of the eigenvalues: Σ ln λᵢ must equal
/// ln det A = 2·Σ ln dᵢ + ln det H (the exponents summed exactly, [`log_excess`]), with H = D⁻¹·A·D⁻¹ recovered exactly (D is a power of two)
/// and det H from LAPACK's LU (H is well-conditioned).
fn graded_relative<T: Gen>() {
    let g = if single::<T>() { 8 } else { 20 };
    let mut seen = 0.0f64;
    for n in 2..=EIGH_MAX {
        let h = with_spectrum::<T>(
            200 + n as u64,
            &(0..n)
                .map(|i| 1.0 + i as f64 / n as f64)
                .collect::<Vec<_>>(),
        );
        let d: Vec<f64> = (0..n).map(|i| 2f64.powi(-(g * i as i32))).collect();
        let a = Array2::from_shape_fn((n, n), |(i, j)| {
            let x = z(h[[i, j]]) * (d[i] * d[j]);
            T::make(x.re, x.im)
        });
        let h_exact = Array2::from_shape_fn((n, n), |(i, j)| z(a[[i, j]]) / (d[i] * d[j]));
        let (_, logdet_h) = crate::linalg::slogdet(&h_exact).expect("slogdet");
        // ln det D² = -2g·Σi·ln 2.
        let log2_d2 = -2 * i64::from(g) * (n * (n - 1) / 2) as i64;
        let mut buf = column_major(&a);
        let mut values = vec![<T::Real as Scalar>::from_f64_nearest(0.0); n];
        assert!(eigh(&mut buf, n, true, &mut values, None));
        assert!(
            values.iter().all(|&x| z(x).re > 0.0),
            "lost positivity: {values:?}"
        );
        let values: Vec<f64> = values.iter().map(|&x| z(x).re).collect();
        let got = log_excess(&values, log2_d2) - logdet_h;
        // κ(H) ≤ 2 here; n eigenvalues each relatively accurate to a few n·ε.
        let ratio = got.abs() / (n as f64 * n as f64 * eps::<T>());
        assert!(ratio <= RATIO, "n={n}: Σ ln λ off by {ratio:.2} n²ε");
        seen = seen.max(ratio);
    }
    eprintln!(
        "eigh graded relative {}: log-det {seen:.3}",
        std::any::type_name::<T>()
    );
}

per_dtype! {
    eigh_random => random_hermitian;
    eigh_degenerate => degenerate;
    eigh_special => special;
    eigh_extreme_scale => extreme_scale;
    eigh_graded => graded;
    eigh_graded_relative_accuracy => graded_relative;
}
