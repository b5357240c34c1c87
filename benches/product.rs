//! Matrix products, f64: `ndkit::linalg::matmul` against a direct `cblas_dgemm` call on the
//! same buffers, so the wrapper's cost (shape checks, layout classification, allocating and
//! zeroing the output) is visible.
//!
//! | benchmark | what |
//! |---|---|
//! | `matmul_f64/ndkit/n` | `matmul(&a, &b)` on C-order n×n inputs → one `dgemm`, fresh output |
//! | `matmul_f64/cblas/n` | `cblas_dgemm(RowMajor, NoTrans, NoTrans)` into a preallocated output |
//! | `matmul_f64_layout/ndkit_c/256` | `matmul(&a, &b)`, both C order |
//! | `matmul_f64_layout/ndkit_f/256` | `matmul(&a, &b_f)`, `b_f` F order (passed with the `T` flag, not copied) |
//! | `matmul_f64_layout/ndkit_t/256` | `matmul(&a, &b.t())`, a transposed view |
//! | `batched_matmul_f64/ndkit/(b,n)` | `batched_matmul` of two C-order (b, n, n) stacks |
//! | `batched_matmul_f64/cblas_loop/(b,n)` | b `cblas_dgemm` calls on the same stacks |
//!
//! n = 4, 16, 64, 256, 1024; stacks (b, n) = (64, 128) and (100, 4). Run with `cargo bench --bench product`; measurement times are
//! short (the whole file takes well under a minute). Both sides use the same OpenBLAS thread
//! pool (`ndkit::set_num_threads`).

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ndarray::{Array2, Array3, ArrayView2, ArrayViewMut2, Axis, ShapeBuilder};
use ndkit::linalg::{batched_matmul, matmul};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// A seeded n×n matrix with entries uniform in [−1, 1).
fn random(n: usize, seed: u64) -> Array2<f64> {
    let mut rng = StdRng::seed_from_u64(seed);
    Array2::from_shape_simple_fn((n, n), || rng.random_range(-1.0..1.0))
}

/// A seeded (batch, n, n) stack with entries uniform in [−1, 1).
fn random_stack(batch: usize, n: usize, seed: u64) -> Array3<f64> {
    let mut rng = StdRng::seed_from_u64(seed);
    Array3::from_shape_simple_fn((batch, n, n), || rng.random_range(-1.0..1.0))
}

/// `c ← a·b` by one row-major `cblas_dgemm` on C-order square buffers.
fn cblas_matmul(a: &ArrayView2<f64>, b: &ArrayView2<f64>, c: &mut ArrayViewMut2<f64>) {
    let n = i32::try_from(a.nrows()).expect("benchmark sizes fit i32");
    assert!(a.is_standard_layout() && b.is_standard_layout() && c.is_standard_layout());
    assert!(a.dim() == b.dim() && b.dim() == c.dim() && a.is_square());
    // SAFETY: a, b and c are contiguous row-major n×n buffers (checked above), so leading
    // dimension n addresses exactly their elements; c is borrowed mutably and aliases neither.
    unsafe {
        cblas_sys::cblas_dgemm(
            cblas_sys::CblasRowMajor,
            cblas_sys::CblasNoTrans,
            cblas_sys::CblasNoTrans,
            n,
            n,
            n,
            1.0,
            a.as_ptr(),
            n,
            b.as_ptr(),
            n,
            0.0,
            c.as_mut_ptr(),
            n,
        );
    }
}

fn matmul_sizes(c: &mut Criterion) {
    let mut group = c.benchmark_group("matmul_f64");
    group.warm_up_time(Duration::from_millis(300));
    for n in [4_usize, 16, 64, 256, 1024] {
        // ~2 GFLOP per call at 1024: ten samples are plenty and keep the run short.
        let (samples, time) = if n >= 1024 { (10, 4) } else { (30, 1) };
        group
            .sample_size(samples)
            .measurement_time(Duration::from_secs(time));
        group.throughput(Throughput::Elements(2 * (n as u64).pow(3)));
        let (a, b) = (random(n, 1), random(n, 2));
        group.bench_with_input(BenchmarkId::new("ndkit", n), &n, |bench, _| {
            bench.iter(|| matmul(black_box(&a), black_box(&b)).expect("shapes match"))
        });
        let mut out = Array2::<f64>::zeros((n, n));
        group.bench_with_input(BenchmarkId::new("cblas", n), &n, |bench, _| {
            bench.iter(|| {
                cblas_matmul(
                    &black_box(&a).view(),
                    &black_box(&b).view(),
                    &mut out.view_mut(),
                )
            })
        });
    }
    group.finish();
}

fn matmul_layouts(c: &mut Criterion) {
    let n = 256;
    let mut group = c.benchmark_group("matmul_f64_layout");
    group
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .sample_size(30)
        .throughput(Throughput::Elements(2 * (n as u64).pow(3)));
    let (a, b) = (random(n, 1), random(n, 2));
    let mut b_f = Array2::<f64>::zeros((n, n).f());
    b_f.assign(&b);
    group.bench_with_input(BenchmarkId::new("ndkit_c", n), &n, |bench, _| {
        bench.iter(|| matmul(black_box(&a), black_box(&b)).expect("shapes match"))
    });
    group.bench_with_input(BenchmarkId::new("ndkit_f", n), &n, |bench, _| {
        bench.iter(|| matmul(black_box(&a), black_box(&b_f)).expect("shapes match"))
    });
    group.bench_with_input(BenchmarkId::new("ndkit_t", n), &n, |bench, _| {
        bench.iter(|| matmul(black_box(&a), black_box(&b.t())).expect("shapes match"))
    });
    group.finish();
}

fn batched(c: &mut Criterion) {
    let mut group = c.benchmark_group("batched_matmul_f64");
    group
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2))
        .sample_size(20);
    for (batch, n) in [(64_usize, 128_usize), (100, 4)] {
        let id = format!("({batch},{n})");
        group.throughput(Throughput::Elements(2 * batch as u64 * (n as u64).pow(3)));
        let (a, b) = (random_stack(batch, n, 1), random_stack(batch, n, 2));
        group.bench_function(BenchmarkId::new("ndkit", &id), |bench| {
            bench.iter(|| batched_matmul(black_box(&a), black_box(&b)).expect("shapes match"))
        });
        let mut out = Array3::<f64>::zeros((batch, n, n));
        group.bench_function(BenchmarkId::new("cblas_loop", &id), |bench| {
            bench.iter(|| {
                let pairs = a.axis_iter(Axis(0)).zip(b.axis_iter(Axis(0)));
                for ((x, y), mut z) in pairs.zip(out.axis_iter_mut(Axis(0))) {
                    cblas_matmul(&black_box(x), &black_box(y), &mut z);
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, matmul_sizes, matmul_layouts, batched);
criterion_main!(benches);
