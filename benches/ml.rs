//! `ndkit::ml` (except PCA, in `benches/pca.rs`), f32, single-threaded BLAS.
//!
//! | benchmark | what |
//! |---|---|
//! | `dense_f32/forward` | `Dense::forward`, 256×784 → 512: bias fill + one `sgemm` (β = 1) |
//! | `dense_f32/forward_backward` | `forward` then `backward`: 3 `sgemm` + the bias column sum |
//! | `dense_f32/gemm_x_w` | the raw `linalg::gemm` of `forward` (x·W into a preallocated output) |
//! | `dense_f32/gemm_xt_g` | the raw `gemm` for dW = xᵀ·g (transposed view) |
//! | `dense_f32/gemm_g_wt` | the raw `gemm` for dx = g·Wᵀ (transposed view) |
//! | `dense_f32/three_gemms` | the three raw calls in a row: the floor for `forward_backward` |
//! | `softmax_f32/softmax` | `softmax(z, Axis(1))`, z 4096×1000 |
//! | `softmax_f32/log_softmax` | `log_softmax(z, Axis(1))` |
//! | `softmax_f32/softmax_axis0` | `softmax(zᵀ-shaped, Axis(0))`: strided lanes (gathered) |
//! | `softmax_f32/cross_entropy` | `cross_entropy(z, labels)` (loss only) |
//! | `softmax_f32/softmax_cross_entropy` | the fused loss and gradient |
//!
//! The NumPy side of the same operations is `benches/compare/ml_numpy.py`; run both in one
//! sitting (`cargo bench --bench ml` and
//! `OPENBLAS_NUM_THREADS=1 /work/venv/bin/python benches/compare/ml_numpy.py`).

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ndarray::{Array1, Array2, Axis};
use ndkit::linalg::gemm;
use ndkit::ml::{cross_entropy, log_softmax, softmax, softmax_cross_entropy, Dense, Init};
use ndkit::rand::rngs::StdRng;
use ndkit::rand::{Rng, SeedableRng};

/// A seeded matrix with entries uniform in [−scale, scale).
fn random(rows: usize, cols: usize, scale: f32, seed: u64) -> Array2<f32> {
    let mut rng = StdRng::seed_from_u64(seed);
    Array2::from_shape_simple_fn((rows, cols), || rng.random_range(-scale..scale))
}

fn dense(c: &mut Criterion) {
    ndkit::set_num_threads(1);
    let (batch, fan_in, fan_out) = (256, 784, 512);
    let mut rng = StdRng::seed_from_u64(1);
    let mut layer = Dense::<f32>::new(fan_in, fan_out, Init::HeUniform, &mut rng);
    layer.bias = Array1::from_shape_simple_fn(fan_out, || rng.random_range(-0.1..0.1));
    let x = random(batch, fan_in, 1.0, 2);
    let g = random(batch, fan_out, 1.0, 3);
    let mut y = Array2::<f32>::zeros((batch, fan_out));
    let mut dw = Array2::<f32>::zeros((fan_in, fan_out));
    let mut dx = Array2::<f32>::zeros((batch, fan_in));

    let mut group = c.benchmark_group("dense_f32");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    // One product is 2·batch·in·out flops.
    group.throughput(Throughput::Elements((2 * batch * fan_in * fan_out) as u64));
    group.bench_function("forward", |b| {
        b.iter(|| black_box(layer.forward(black_box(&x)).unwrap()))
    });
    group.bench_function("forward_backward", |b| {
        b.iter(|| {
            let y = layer.forward(black_box(&x)).unwrap();
            let grad = layer.backward(&x, black_box(&g)).unwrap();
            black_box((y, grad))
        })
    });
    group.bench_function("gemm_x_w", |b| {
        b.iter(|| gemm(1.0, black_box(&x), &layer.weight, 0.0, &mut y).unwrap())
    });
    group.bench_function("gemm_xt_g", |b| {
        b.iter(|| gemm(1.0, &x.t(), black_box(&g), 0.0, &mut dw).unwrap())
    });
    group.bench_function("gemm_g_wt", |b| {
        b.iter(|| gemm(1.0, black_box(&g), &layer.weight.t(), 0.0, &mut dx).unwrap())
    });
    group.bench_function("three_gemms", |b| {
        b.iter(|| {
            gemm(1.0, black_box(&x), &layer.weight, 0.0, &mut y).unwrap();
            gemm(1.0, &x.t(), black_box(&g), 0.0, &mut dw).unwrap();
            gemm(1.0, &g, &layer.weight.t(), 0.0, &mut dx).unwrap();
        })
    });
    group.finish();
}

fn softmax_loss(c: &mut Criterion) {
    ndkit::set_num_threads(1);
    let (n, classes) = (4096, 1000);
    let z = random(n, classes, 6.0, 4);
    let zt = z.t().to_owned();
    let mut rng = StdRng::seed_from_u64(5);
    let labels: Vec<usize> = (0..n).map(|_| rng.random_range(0..classes)).collect();

    let mut group = c.benchmark_group("softmax_f32");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Elements((n * classes) as u64));
    group.bench_function("softmax", |b| {
        b.iter(|| black_box(softmax(black_box(&z), Axis(1))))
    });
    group.bench_function("log_softmax", |b| {
        b.iter(|| black_box(log_softmax(black_box(&z), Axis(1))))
    });
    group.bench_function("softmax_axis0", |b| {
        b.iter(|| black_box(softmax(black_box(&zt), Axis(0))))
    });
    group.bench_function("cross_entropy", |b| {
        b.iter(|| black_box(cross_entropy(black_box(&z), &labels).unwrap()))
    });
    group.bench_function("softmax_cross_entropy", |b| {
        b.iter(|| black_box(softmax_cross_entropy(black_box(&z), &labels).unwrap()))
    });
    group.finish();
}

criterion_group!(benches, dense, softmax_loss);
criterion_main!(benches);
