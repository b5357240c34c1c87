//! ndkit::linalg solvers, inverses, factorisations and norms (f64), each next to the same
//! operation through ndarray-linalg 0.18's traits, so the wrapper's cost is visible.
//!
//! | group | ndkit | ndarray-linalg |
//! |---|---|---|
//! | `solve/n×n/k rhs` | `linalg::solve` (`?geequ` + `?getrf` + `?gecon` + `?getrs`) | `Solve::solve` (`?getrf` + `?getrs`); for k > 1 `Factorize::factorize` once, then `solve` per column |
//! | `inv` | `linalg::inv` (`?geequ` + `?getrf` + `?gecon` + `?getri`) | `Inverse::inv` (`?getrf` + `?getri`) |
//! | `det` | `linalg::det` (`?getrf`) | `Determinant::det` (`?getrf`) |
//! | `cholesky` | `linalg::cholesky` (`?potrf`) | `Cholesky::cholesky` (`?potrf`) |
//! | `lstsq` | `linalg::lstsq` (`?gelsd`) | `LeastSquaresSvd::least_squares` (`?gelsd`) |
//! | `vector_norm`, `matrix_norm` | scaled one-pass L2 | `Norm::norm_l2` (unscaled √Σx²) |
//! | `vector_norm_axis` | one lane at a time, in place | `map_axis` + `Norm::norm_l2` |
//!
//! Inputs are built outside the timed region; every call is checked once before timing so a
//! fast `Err` cannot pass for a fast answer. Sample sizes and times are small so the whole
//! file runs in about two minutes: compare ratios, not absolute numbers.

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, BenchmarkId, Criterion};
use ndarray::{Array1, Array2, Axis};
use ndarray_linalg::{Cholesky, Determinant, Factorize, Inverse, LeastSquaresSvd, Norm, Solve};
use ndkit::linalg::{self, MatrixNorm, VectorNorm, UPLO};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// An m×n matrix, uniform in [-1, 1], from a fixed seed.
fn uniform(seed: u64, m: usize, n: usize) -> Array2<f64> {
    let mut rng = StdRng::seed_from_u64(seed);
    Array2::from_shape_simple_fn((m, n), || rng.random_range(-1.0..1.0))
}

/// A well-conditioned n×n matrix: uniform entries plus 2√n on the diagonal (cond ≈ 2).
fn well_conditioned(seed: u64, n: usize) -> Array2<f64> {
    let mut a = uniform(seed, n, n);
    a.diag_mut().mapv_inplace(|d| d + 2.0 * (n as f64).sqrt());
    a
}

/// A symmetric positive definite n×n matrix: R·Rᵀ + n·I.
fn spd(seed: u64, n: usize) -> Array2<f64> {
    let r = uniform(seed, n, n);
    r.dot(&r.t()) + Array2::<f64>::eye(n) * n as f64
}

/// A group with few samples and short times, so the whole file stays near two minutes.
fn group<'a>(c: &'a mut Criterion, name: &str) -> BenchmarkGroup<'a, WallTime> {
    let mut g = c.benchmark_group(name);
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    g
}

fn solve(c: &mut Criterion) {
    let mut g = group(c, "solve");
    for n in [100, 1000] {
        let a = well_conditioned(1, n);
        for k in [1, 100] {
            let b = uniform(2, n, k);
            let id = format!("{n}x{n}/{k} rhs");
            if k == 1 {
                let b = b.column(0).to_owned();
                linalg::solve(&a, &b).expect("well-conditioned system");
                a.solve(&b).expect("well-conditioned system");
                g.bench_with_input(BenchmarkId::new("ndkit", &id), &b, |bench, b| {
                    bench.iter(|| linalg::solve(&a, b))
                });
                g.bench_with_input(BenchmarkId::new("ndarray-linalg", &id), &b, |bench, b| {
                    bench.iter(|| a.solve(b))
                });
            } else {
                linalg::solve(&a, &b).expect("well-conditioned system");
                let per_column =
                    |b: &Array2<f64>| -> ndarray_linalg::error::Result<Vec<Array1<f64>>> {
                        let lu = a.factorize()?;
                        b.columns().into_iter().map(|col| lu.solve(&col)).collect()
                    };
                per_column(&b).expect("well-conditioned system");
                g.bench_with_input(BenchmarkId::new("ndkit", &id), &b, |bench, b| {
                    bench.iter(|| linalg::solve(&a, b))
                });
                g.bench_with_input(BenchmarkId::new("ndarray-linalg", &id), &b, |bench, b| {
                    bench.iter(|| per_column(b))
                });
            }
        }
    }
    g.finish();
}

fn inverse_and_det(c: &mut Criterion) {
    let n = 500;
    let a = well_conditioned(3, n);
    let id = format!("{n}x{n}");
    linalg::inv(&a).expect("invertible");
    a.inv().expect("invertible");
    let mut g = group(c, "inv");
    g.bench_function(BenchmarkId::new("ndkit", &id), |bench| {
        bench.iter(|| linalg::inv(&a))
    });
    g.bench_function(BenchmarkId::new("ndarray-linalg", &id), |bench| {
        bench.iter(|| a.inv())
    });
    g.finish();

    linalg::det(&a).expect("square");
    a.det().expect("square");
    let mut g = group(c, "det");
    g.bench_function(BenchmarkId::new("ndkit", &id), |bench| {
        bench.iter(|| linalg::det(&a))
    });
    g.bench_function(BenchmarkId::new("ndarray-linalg", &id), |bench| {
        bench.iter(|| a.det())
    });
    g.finish();
}

fn cholesky(c: &mut Criterion) {
    let n = 500;
    let a = spd(4, n);
    let id = format!("{n}x{n}");
    linalg::cholesky(&a, UPLO::Lower).expect("positive definite");
    a.cholesky(ndarray_linalg::UPLO::Lower)
        .expect("positive definite");
    let mut g = group(c, "cholesky");
    g.bench_function(BenchmarkId::new("ndkit", &id), |bench| {
        bench.iter(|| linalg::cholesky(&a, UPLO::Lower))
    });
    g.bench_function(BenchmarkId::new("ndarray-linalg", &id), |bench| {
        bench.iter(|| a.cholesky(ndarray_linalg::UPLO::Lower))
    });
    g.finish();
}

fn lstsq(c: &mut Criterion) {
    let (m, n) = (1000, 200);
    let a = uniform(5, m, n);
    let b = uniform(6, m, 1).remove_axis(Axis(1));
    let id = format!("{m}x{n}");
    linalg::lstsq(&a, &b, None).expect("finite input");
    a.least_squares(&b).expect("finite input");
    let mut g = group(c, "lstsq");
    g.bench_function(BenchmarkId::new("ndkit", &id), |bench| {
        bench.iter(|| linalg::lstsq(&a, &b, None))
    });
    g.bench_function(BenchmarkId::new("ndarray-linalg", &id), |bench| {
        bench.iter(|| a.least_squares(&b))
    });
    g.finish();
}

fn norms(c: &mut Criterion) {
    let x: Array1<f64> = uniform(7, 1_000_000, 1).remove_axis(Axis(1));
    let mut g = group(c, "vector_norm");
    g.bench_function(BenchmarkId::new("ndkit", "L2/1e6"), |bench| {
        bench.iter(|| linalg::vector_norm(black_box(&x), VectorNorm::L2))
    });
    g.bench_function(BenchmarkId::new("ndarray-linalg", "L2/1e6"), |bench| {
        bench.iter(|| black_box(&x).norm_l2())
    });
    g.finish();

    let a = uniform(8, 1000, 1000);
    let mut g = group(c, "matrix_norm");
    g.bench_function(BenchmarkId::new("ndkit", "Fro/1000x1000"), |bench| {
        bench.iter(|| linalg::matrix_norm(black_box(&a), MatrixNorm::Fro))
    });
    g.bench_function(
        BenchmarkId::new("ndarray-linalg", "Fro/1000x1000"),
        |bench| bench.iter(|| black_box(&a).norm_l2()),
    );
    g.finish();

    let rows = uniform(9, 10_000, 128);
    let mut g = group(c, "vector_norm_axis");
    g.bench_function(BenchmarkId::new("ndkit", "L2 rows/10000x128"), |bench| {
        bench.iter(|| linalg::vector_norm_axis(black_box(&rows), Axis(1), VectorNorm::L2))
    });
    g.bench_function(
        BenchmarkId::new("ndarray-linalg", "L2 rows/10000x128"),
        |bench| bench.iter(|| black_box(&rows).map_axis(Axis(1), |row| row.norm_l2())),
    );
    g.finish();
}

criterion_group!(benches, solve, inverse_and_det, cholesky, lstsq, norms);
criterion_main!(benches);
