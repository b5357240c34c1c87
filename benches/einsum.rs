//! `ndkit::einsum` on the cases of the einsum issue, each next to the same computation through
//! `ndkit::linalg` (the layer below: `matmul`, `batched_matmul`, `multi_dot`), so einsum's own
//! cost (parsing, planning, classifying strides) is visible. One BLAS thread throughout.
//!
//! | benchmark | spec | shapes | dtype | reference |
//! |---|---|---|---|---|
//! | `matmul_512` | `ij,jk->ik` | 512×512 · 512×512 | f64 | `linalg::matmul` |
//! | `bmm_64x128` | `bij,bjk->bik` | (64,128,128)² | f64 | `linalg::batched_matmul` |
//! | `attention` | `bhid,bhjd->bhij` | (8,12,256,64)² | f32 | `batched_matmul(q, kᵀ)` (a view) |
//! | `batched_trace` | `bii->b` | (100,4,4) | f64 | — |
//! | `rowwise_dot` | `ij,ij->i` | (10000,128)² | f64 | — |
//! | `chain` | `ij,jk,kl->il` | (1000,10)(10,1000)(1000,10) | f64 | `linalg::multi_dot` |
//! | `small_matmul` | `ij,jk->ik` | 3×4 · 4×5 | f64 | `linalg::matmul` |
//!
//! Run with `cargo bench --bench einsum`; `benches/compare/einsum_numpy.py` times the same
//! cases with `numpy.einsum` (with and without `optimize=True`).

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use ndarray::{Array, ArrayD, Dimension, Ix2, IxDyn};
use ndkit::linalg::{batched_matmul, matmul, multi_dot};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// A seeded array with entries uniform in [−1, 1).
fn random<T: From<f32>>(shape: &[usize], seed: u64) -> ArrayD<T> {
    let mut rng = StdRng::seed_from_u64(seed);
    Array::from_shape_simple_fn(IxDyn(shape), || T::from(rng.random_range(-1.0_f32..1.0)))
}

fn random64(shape: &[usize], seed: u64) -> ArrayD<f64> {
    random::<f64>(shape, seed)
}

fn as2<T, D: Dimension>(a: &Array<T, D>) -> ndarray::ArrayView2<'_, T> {
    a.view()
        .into_dimensionality::<Ix2>()
        .expect("benchmark operand is 2-d")
}

fn benches(c: &mut Criterion) {
    ndkit::set_num_threads(1);

    let mut g = c.benchmark_group("einsum");
    g.warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20);

    // 'ij,jk->ik' 512³
    let (a, b) = (random64(&[512, 512], 1), random64(&[512, 512], 2));
    g.bench_function("matmul_512/einsum", |bch| {
        bch.iter(|| ndkit::einsum!("ij,jk->ik", black_box(&a), black_box(&b)).unwrap())
    });
    g.bench_function("matmul_512/linalg", |bch| {
        bch.iter(|| matmul(&as2(black_box(&a)), &as2(black_box(&b))).unwrap())
    });

    // 'bij,bjk->bik' (64,128,128)²
    let (a, b) = (random64(&[64, 128, 128], 3), random64(&[64, 128, 128], 4));
    g.bench_function("bmm_64x128/einsum", |bch| {
        bch.iter(|| ndkit::einsum!("bij,bjk->bik", black_box(&a), black_box(&b)).unwrap())
    });
    g.bench_function("bmm_64x128/linalg", |bch| {
        bch.iter(|| batched_matmul(black_box(&a), black_box(&b)).unwrap())
    });

    // 'bhid,bhjd->bhij' (8,12,256,64) f32
    let q = random::<f32>(&[8, 12, 256, 64], 5);
    let k = random::<f32>(&[8, 12, 256, 64], 6);
    g.bench_function("attention/einsum", |bch| {
        bch.iter(|| ndkit::einsum!("bhid,bhjd->bhij", black_box(&q), black_box(&k)).unwrap())
    });
    g.bench_function("attention/linalg", |bch| {
        bch.iter(|| {
            let kt = black_box(&k).view().permuted_axes(vec![0, 1, 3, 2]);
            batched_matmul(black_box(&q), &kt).unwrap()
        })
    });

    g.sample_size(50).measurement_time(Duration::from_secs(2));

    // 'bii->b' (100,4,4)
    let t = random64(&[100, 4, 4], 7);
    g.bench_function("batched_trace/einsum", |bch| {
        bch.iter(|| ndkit::einsum!("bii->b", black_box(&t)).unwrap())
    });

    // 'ij,ij->i' (10000,128)
    let (x, y) = (random64(&[10000, 128], 8), random64(&[10000, 128], 9));
    g.bench_function("rowwise_dot/einsum", |bch| {
        bch.iter(|| ndkit::einsum!("ij,ij->i", black_box(&x), black_box(&y)).unwrap())
    });

    // 'ij,jk,kl->il' (1000,10)(10,1000)(1000,10)
    let (a, b, cc) = (
        random64(&[1000, 10], 10),
        random64(&[10, 1000], 11),
        random64(&[1000, 10], 12),
    );
    g.bench_function("chain/einsum", |bch| {
        bch.iter(|| {
            ndkit::einsum!("ij,jk,kl->il", black_box(&a), black_box(&b), black_box(&cc)).unwrap()
        })
    });
    g.bench_function("chain/linalg", |bch| {
        bch.iter(|| {
            multi_dot(&[as2(black_box(&a)), as2(black_box(&b)), as2(black_box(&cc))]).unwrap()
        })
    });

    // 'ij,jk->ik' 3×4·4×5: the fixed cost of a call.
    let (a, b) = (random64(&[3, 4], 13), random64(&[4, 5], 14));
    g.bench_function("small_matmul/einsum", |bch| {
        bch.iter(|| ndkit::einsum!("ij,jk->ik", black_box(&a), black_box(&b)).unwrap())
    });
    g.bench_function("small_matmul/linalg", |bch| {
        bch.iter(|| matmul(&as2(black_box(&a)), &as2(black_box(&b))).unwrap())
    });
    g.finish();
}

criterion_group!(einsum_benches, benches);
criterion_main!(einsum_benches);
