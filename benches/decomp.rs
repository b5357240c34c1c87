//! Decompositions, f64: ndkit against the layer below (ndarray-linalg 0.18 on the same
//! OpenBLAS/LAPACK), so the wrapper's cost and the choice of LAPACK driver are visible.
//!
//! | benchmark | ndkit | ndarray-linalg |
//! |---|---|---|
//! | `svd_thin/500` | `svd(a, false)` → `dgesdd` | `SVD::svd(true, true)` → `dgesvd` (full U, Vᵀ); `SVDDC::svddc(JobSvd::Some)` → `dgesdd` |
//! | `eigh/500` | `eigh(a, Lower)` → `dsyevd` | `Eigh::eigh(Lower)` → `dsyev` |
//! | `eig/200` | `eig(a)` → `dgeev` | `Eig::eig()` → `dgeev` |
//! | `qr/500` | `qr(a)` → `dgeqrf` + `dorgqr` | `QR::qr()` → `dgeqrf` + `dorgqr` |
//!
//! Run with `cargo bench --bench decomp`. Sample sizes are small (each SVD/eigh of order 500
//! takes tens of milliseconds) so the whole file runs in about a minute.

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, BenchmarkId, Criterion};
use ndarray::Array2;
use ndarray_linalg::{Eig, Eigh, JobSvd, QR, SVD, SVDDC};
use ndkit::linalg::{self, UPLO};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// A seeded n×n matrix with entries uniform in [−1, 1).
fn random(n: usize, seed: u64) -> Array2<f64> {
    let mut rng = StdRng::seed_from_u64(seed);
    Array2::from_shape_simple_fn((n, n), || rng.random_range(-1.0..1.0))
}

/// A seeded symmetric n×n matrix.
fn symmetric(n: usize, seed: u64) -> Array2<f64> {
    let b = random(n, seed);
    (&b + &b.t()) * 0.5
}

/// Ten samples of at most ~5 s each: enough to separate drivers that differ by tens of
/// percent, short enough for the file to finish in about a minute.
fn configure<'c>(c: &'c mut Criterion, name: &str) -> BenchmarkGroup<'c, WallTime> {
    let mut group = c.benchmark_group(name);
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(4));
    group
}

fn svd_thin(c: &mut Criterion) {
    let n = 500;
    let a = random(n, 1);
    let mut group = configure(c, "svd_thin");
    group.bench_with_input(BenchmarkId::new("ndkit_gesdd", n), &a, |b, a| {
        b.iter(|| linalg::svd(black_box(a), false).expect("svd"))
    });
    group.bench_with_input(BenchmarkId::new("ndarray_linalg_gesvd", n), &a, |b, a| {
        b.iter(|| black_box(a).svd(true, true).expect("svd"))
    });
    group.bench_with_input(BenchmarkId::new("ndarray_linalg_gesdd", n), &a, |b, a| {
        b.iter(|| black_box(a).svddc(JobSvd::Some).expect("svddc"))
    });
    group.finish();
}

fn eigh(c: &mut Criterion) {
    let n = 500;
    let a = symmetric(n, 2);
    let mut group = configure(c, "eigh");
    group.bench_with_input(BenchmarkId::new("ndkit_syevd", n), &a, |b, a| {
        b.iter(|| linalg::eigh(black_box(a), UPLO::Lower).expect("eigh"))
    });
    group.bench_with_input(BenchmarkId::new("ndarray_linalg_syev", n), &a, |b, a| {
        b.iter(|| {
            black_box(a)
                .eigh(ndarray_linalg::UPLO::Lower)
                .expect("eigh")
        })
    });
    group.finish();
}

fn eig(c: &mut Criterion) {
    let n = 200;
    let a = random(n, 3);
    let mut group = configure(c, "eig");
    group.bench_with_input(BenchmarkId::new("ndkit_geev", n), &a, |b, a| {
        b.iter(|| linalg::eig(black_box(a)).expect("eig"))
    });
    group.bench_with_input(BenchmarkId::new("ndarray_linalg_geev", n), &a, |b, a| {
        b.iter(|| black_box(a).eig().expect("eig"))
    });
    group.finish();
}

fn qr(c: &mut Criterion) {
    let n = 500;
    let a = random(n, 4);
    let mut group = configure(c, "qr");
    group.bench_with_input(BenchmarkId::new("ndkit_geqrf_orgqr", n), &a, |b, a| {
        b.iter(|| linalg::qr(black_box(a)).expect("qr"))
    });
    group.bench_with_input(
        BenchmarkId::new("ndarray_linalg_geqrf_orgqr", n),
        &a,
        |b, a| b.iter(|| black_box(a).qr().expect("qr")),
    );
    group.finish();
}

criterion_group!(benches, svd_thin, eigh, eig, qr);
criterion_main!(benches);
