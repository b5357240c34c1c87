//! [`svd`](crate::linalg::small::svd) against the invariants and LAPACK's `svdvals`.

use ndarray::{s, Array2};

use super::{
    column_major, eps, floor, fro, from_column_major, log_excess, mul, orthogonality, per_dtype,
    random, rng, scale_of, single, unitary, z, Gen, Worst, RATIO,
};
use crate::linalg::small::{svd, SVD_MAX};
use crate::linalg::svdvals;
use crate::Scalar;

/// U·diag(values)·Vᴴ (m×n) for random unitary U, V, rounded to `T`.
fn with_values<T: Gen>(seed: u64, m: usize, n: usize, values: &[f64]) -> Array2<T> {
    let mut r = rng(seed);
    let u = unitary::<T>(&mut r, m).mapv(z);
    let v = unitary::<T>(&mut r, n).mapv(z);
    Array2::from_shape_fn((m, n), |(i, j)| {
        let x: crate::c64 = (0..m.min(n))
            .map(|k| u[[i, k]] * values[k] * v[[j, k]].conj())
            .sum();
        T::make(x.re, x.im)
    })
}

/// Runs the kernel thin and full and records the reconstruction error
/// ‖A − U·Σ·Vᴴ‖_F / (max(m, n)·ε·‖A‖_F), the orthogonality of U and of Vᴴ's rows
/// (‖UᴴU − I‖_F / (m·ε), ‖VᴴV − I‖_F / (n·ε)) and the singular value error
/// max|σ − σ_LAPACK| / (max(m, n)·ε·‖A‖_F).
fn check<T: Gen>(a: &Array2<T>, worst: &mut Worst, what: &str) {
    let (m, n) = a.dim();
    let k = m.min(n);
    let reference = svdvals(a).expect("svdvals");
    let scale = scale_of(a);
    let az = a.mapv(|x| z(x) / scale);
    let anorm = fro(&az).max(f64::MIN_POSITIVE);
    let e = eps::<T>();
    let unit = m.max(n) as f64 * e;
    let bound = unit * anorm + floor::<T>(m * n, scale);
    for full in [false, true] {
        let (ucols, vrows) = if full { (m, n) } else { (k, k) };
        let mut sv = vec![<T::Real as Scalar>::from_f64_nearest(-1.0); k];
        let (mut u, mut vt) = (vec![T::zero(); m * ucols], vec![T::zero(); vrows * n]);
        assert!(
            svd(
                &mut column_major(a),
                m,
                n,
                &mut sv,
                Some((&mut u, &mut vt, full))
            ),
            "no convergence: {what}"
        );
        let mut only = vec![<T::Real as Scalar>::from_f64_nearest(-1.0); k];
        assert!(svd(&mut column_major(a), m, n, &mut only, None));
        assert_eq!(only, sv, "values without vectors differ: {what}");
        let sig: Vec<f64> = sv.iter().map(|&x| z(x).re / scale).collect();
        assert!(
            sig.windows(2).all(|w| w[0] >= w[1]),
            "not descending: {what}"
        );
        assert!(sig.iter().all(|&x| x >= 0.0), "negative: {what}");
        let u = from_column_major(&u, m, ucols);
        let vt = from_column_major(&vt, vrows, n);
        let mut us = u.slice(s![.., ..k]).to_owned();
        for (mut col, &sj) in us.columns_mut().into_iter().zip(&sig) {
            col.mapv_inplace(|x| x * sj);
        }
        let r = &az - &mul(&us, &vt.slice(s![..k, ..]).to_owned());
        let tag = || format!("{} {m}x{n} full={full} {what}", std::any::type_name::<T>());
        worst.note("reconstruction", fro(&r) / bound, &tag);
        worst.note("orthogonality U", orthogonality(&u) / (m as f64 * e), &tag);
        let v = vt.t().mapv(|x| x.conj());
        worst.note("orthogonality V", orthogonality(&v) / (n as f64 * e), &tag);
        let dev = sig
            .iter()
            .zip(&reference)
            .map(|(&x, &y)| (x - z(y).re / scale).abs())
            .fold(0.0, f64::max);
        worst.note("values", dev / bound, &tag);
    }
}

/// Every shape 1..=SVD_MAX × 1..=SVD_MAX, 6 random matrices each.
fn random_shapes<T: Gen>() {
    let mut worst = Worst::default();
    for m in 1..=SVD_MAX {
        for n in 1..=SVD_MAX {
            for seed in 0..6 {
                let a = random::<T>(&mut rng((100 * m + 10 * n) as u64 + seed), m, n);
                check(&a, &mut worst, &format!("seed {seed}"));
            }
        }
    }
    worst.report(&format!("svd random {}", std::any::type_name::<T>()));
}

/// Rank-deficient products, zero matrices, zero columns and rows, repeated rows, and
/// repeated singular values.
fn degenerate<T: Gen>() {
    let mut worst = Worst::default();
    for m in 1..=SVD_MAX {
        for n in 1..=SVD_MAX {
            let k = m.min(n);
            let mut r = rng((m * 10 + n) as u64);
            for rank in 0..k {
                let a = random::<T>(&mut r, m, rank)
                    .mapv(z)
                    .dot(&random::<T>(&mut r, rank, n).mapv(z));
                let a = a.mapv(|x| T::make(x.re, x.im));
                check(&a, &mut worst, &format!("rank {rank}"));
            }
            let mut a = random::<T>(&mut r, m, n);
            a.column_mut(n / 2).fill(T::zero());
            check(&a, &mut worst, "zero column");
            let mut a = random::<T>(&mut r, m, n);
            a.row_mut(m / 2).fill(T::zero());
            check(&a, &mut worst, "zero row");
            let mut a = random::<T>(&mut r, m, n);
            let first = a.row(0).to_owned();
            for mut row in a.rows_mut() {
                row.assign(&first);
            }
            check(&a, &mut worst, "equal rows");
            for values in [
                vec![1.0; k],
                (0..k).map(|i| (i / 2) as f64 + 1.0).rev().collect(),
            ] {
                let a = with_values::<T>((m * 10 + n) as u64, m, n, &values);
                check(&a, &mut worst, &format!("values {values:?}"));
            }
            let e = eps::<T>();
            let close: Vec<f64> = (0..k).map(|i| 1.0 - i as f64 * e).collect();
            check(
                &with_values::<T>(7, m, n, &close),
                &mut worst,
                "nearly repeated",
            );
        }
    }
    worst.report(&format!("svd degenerate {}", std::any::type_name::<T>()));
}

/// Rectangular diagonal inputs (unsorted, with zeros and negative entries), the identity,
/// the Hilbert matrix, and a matrix mixing entries of 1e±150 (1e±15 in single precision).
fn special<T: Gen>() {
    let mut worst = Worst::default();
    let big = if single::<T>() { 1e15 } else { 1e150 };
    for m in 1..=SVD_MAX {
        for n in 1..=SVD_MAX {
            let diag = |f: &dyn Fn(usize) -> f64| {
                Array2::from_shape_fn((m, n), |(i, j)| {
                    T::make(if i == j { f(i) } else { 0.0 }, 0.0)
                })
            };
            let cases: Vec<(&str, Array2<T>)> = vec![
                ("zero", Array2::zeros((m, n))),
                ("identity", diag(&|_| 1.0)),
                ("diagonal", diag(&|i| ((i * 7) % 5) as f64 - 2.0)),
                (
                    "diagonal wide range",
                    diag(&|i| 10f64.powi(9 - 3 * i as i32)),
                ),
                (
                    "hilbert",
                    Array2::from_shape_fn((m, n), |(i, j)| T::make(1.0 / (i + j + 1) as f64, 0.0)),
                ),
                (
                    "mixed 1e±150",
                    random::<T>(&mut rng(3), m, n).mapv(|x| {
                        let s = if z(x).re > 0.0 { big } else { 1.0 / big };
                        T::make(z(x).re * s, z(x).im * s)
                    }),
                ),
            ];
            for (name, a) in &cases {
                check(a, &mut worst, name);
            }
        }
    }
    // Empty shapes: no values; the full factors are identities.
    for (m, n) in [(0, 0), (0, 3), (2, 0)] {
        let (mut u, mut vt) = (vec![T::zero(); m * m], vec![T::zero(); n * n]);
        assert!(svd::<T>(
            &mut [],
            m,
            n,
            &mut [],
            Some((&mut u, &mut vt, true))
        ));
        assert_eq!(from_column_major(&u, m, m), Array2::eye(m));
        assert_eq!(from_column_major(&vt, n, n), Array2::eye(n));
        assert!(svd::<T>(
            &mut [],
            m,
            n,
            &mut [],
            Some((&mut [], &mut [], false))
        ));
    }
    worst.report(&format!("svd special {}", std::any::type_name::<T>()));
}

/// Random matrices scaled towards overflow and underflow, down to subnormal entries.
fn extreme_scale<T: Gen>() {
    let mut worst = Worst::default();
    let scales: &[f64] = if single::<T>() {
        &[1e30, 1e-30, 1e37, 1e-37, 1e-41]
    } else {
        &[1e150, 1e-150, 1e300, 1e-300, 1e-310]
    };
    for (m, n) in [
        (1, 1),
        (2, 2),
        (3, 3),
        (4, 4),
        (8, 8),
        (5, 3),
        (3, 5),
        (8, 1),
        (2, 7),
    ] {
        for (k, &sc) in scales.iter().enumerate() {
            let a = random::<T>(&mut rng(600 + k as u64), m, n);
            let a = a.mapv(|x| T::make(z(x).re * sc, z(x).im * sc));
            check(&a, &mut worst, &format!("scale {sc:e}"));
        }
    }
    worst.report(&format!("svd extreme {}", std::any::type_name::<T>()));
}

/// Row- and column-graded matrices (well-conditioned times a diagonal alternating 1e±150,
/// 1e±15 in single precision): backward error as for every input.
fn graded<T: Gen>() {
    let mut worst = Worst::default();
    let big = if single::<T>() { 1e15 } else { 1e150 };
    let grade = |i: usize| if i.is_multiple_of(2) { big } else { 1.0 / big };
    for (m, n) in [(2, 2), (3, 3), (4, 4), (6, 6), (8, 8), (6, 3), (3, 6)] {
        let b = with_values::<T>(
            40,
            m,
            n,
            &(0..m.min(n))
                .map(|i| 2.0 - i as f64 * 0.1)
                .collect::<Vec<_>>(),
        );
        let rows = Array2::from_shape_fn((m, n), |(i, j)| {
            let x = z(b[[i, j]]) * grade(i);
            T::make(x.re, x.im)
        });
        check(&rows, &mut worst, "rows graded");
        let cols = Array2::from_shape_fn((m, n), |(i, j)| {
            let x = z(b[[i, j]]) * grade(j);
            T::make(x.re, x.im)
        });
        check(&cols, &mut worst, "columns graded");
    }
    worst.report(&format!("svd graded {}", std::any::type_name::<T>()));
}

/// Relative accuracy on a column-graded square A = B·D, D = diag(2^(-g·j)), B well-conditioned:
/// one-sided Jacobi determines every singular value to a few ε relative to itself times κ(B)
/// (Demmel & Veselić 1992), so Σ ln σᵢ must equal ln|det A| = ln|det B| + Σ ln dⱼ (the
/// exponents summed exactly, [`log_excess`]), with
/// B = A·D⁻¹ recovered exactly (D is a power of two) and det B from LAPACK's LU.
fn graded_relative<T: Gen>() {
    let g = if single::<T>() { 8 } else { 20 };
    let mut seen = 0.0f64;
    for n in 2..=SVD_MAX {
        let b = with_values::<T>(
            300 + n as u64,
            n,
            n,
            &(0..n)
                .map(|i| 2.0 - i as f64 / n as f64)
                .collect::<Vec<_>>(),
        );
        let d: Vec<f64> = (0..n).map(|j| 2f64.powi(-(g * j as i32))).collect();
        let a = Array2::from_shape_fn((n, n), |(i, j)| {
            let x = z(b[[i, j]]) * d[j];
            T::make(x.re, x.im)
        });
        let b_exact = Array2::from_shape_fn((n, n), |(i, j)| z(a[[i, j]]) / d[j]);
        let (_, logdet_b) = crate::linalg::slogdet(&b_exact).expect("slogdet");
        // ln det D = -g·Σj·ln 2.
        let log2_d = -i64::from(g) * (n * (n - 1) / 2) as i64;
        let mut sv = vec![<T::Real as Scalar>::from_f64_nearest(0.0); n];
        assert!(svd(&mut column_major(&a), n, n, &mut sv, None));
        let sv: Vec<f64> = sv.iter().map(|&x| z(x).re).collect();
        let got = log_excess(&sv, log2_d) - logdet_b;
        // κ(B) = 2 here; n singular values each relatively accurate to a few n·ε.
        let ratio = got.abs() / (n as f64 * n as f64 * eps::<T>());
        assert!(ratio <= RATIO, "n={n}: Σ ln σ off by {ratio:.2} n²ε");
        seen = seen.max(ratio);
    }
    eprintln!(
        "svd graded relative {}: log-det {seen:.3}",
        std::any::type_name::<T>()
    );
}

per_dtype! {
    svd_random => random_shapes;
    svd_degenerate => degenerate;
    svd_special => special;
    svd_extreme_scale => extreme_scale;
    svd_graded => graded;
    svd_graded_relative_accuracy => graded_relative;
}
