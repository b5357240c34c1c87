//! PCA fit on 10000 × 100 (f64), keeping k = 10 components, with each solver.
//!
//! | benchmark | what runs |
//! |---|---|
//! | `pca_fit/full` | centring + thin `dgesdd` of the 10000 × 100 data |
//! | `pca_fit/covariance_eigh` | mean pass + one pass centring blocks of rows into a cache-sized buffer, each added to Xcᵀ·Xc by `dsyrk` (lower triangle of 100 × 100) + `dsyevd` |
//! | `pca_fit/covariance_eigh_f_order` | the same on an F-order copy of the data (read in tiles of columns into the same C-order buffer: the same covariance matrix bit for bit) |
//! | `pca_fit/randomized` | centring + range finder (10 + 10 columns, 4 power iterations, `dgemm` + `dgeqrf`/`dorgqr`) + `dgesdd` of 20 × 100 |
//!
//! Single-threaded BLAS (`ndkit::set_num_threads(1)`), to compare with scikit-learn in the same
//! sitting: `OPENBLAS_NUM_THREADS=1 /work/venv/bin/python benches/compare/pca_sklearn.py`
//! times `PCA(10, svd_solver=...)` on the same shape (the same generator: uniform data plus a
//! rank-10 signal) with the same settings (`n_oversamples=10`, `iterated_power=4`).
//!
//! Run with `cargo bench --bench pca`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use ndarray::Array2;
use ndkit::ml::{Pca, PcaSolver};
use ndkit::rand::rngs::StdRng;
use ndkit::rand::{Rng, SeedableRng};

const N: usize = 10_000;
const D: usize = 100;
const K: usize = 10;

/// Uniform noise in [−1, 1) plus a rank-K signal with decaying scales, so the leading
/// components are well defined (as in real data) and the randomized solver is meaningful.
fn data() -> Array2<f64> {
    let mut rng = StdRng::seed_from_u64(0);
    let scores = Array2::from_shape_simple_fn((N, K), || rng.random_range(-1.0..1.0));
    let mut loadings = Array2::from_shape_simple_fn((K, D), || rng.random_range(-1.0..1.0));
    for (i, mut row) in loadings.rows_mut().into_iter().enumerate() {
        row *= 10.0 * 0.8_f64.powi(i as i32);
    }
    let noise = Array2::from_shape_simple_fn((N, D), || rng.random_range(-1.0..1.0));
    scores.dot(&loadings) + noise
}

fn pca_fit(c: &mut Criterion) {
    ndkit::set_num_threads(1);
    let x = data();
    let mut group = c.benchmark_group("pca_fit");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    let solvers = [
        ("full", PcaSolver::Full),
        ("covariance_eigh", PcaSolver::CovarianceEigh),
        (
            "randomized",
            PcaSolver::Randomized {
                oversample: 10,
                n_iter: 4,
                seed: 0,
            },
        ),
    ];
    for (name, solver) in solvers {
        let pca = Pca::new(K).solver(solver);
        group.bench_function(name, |b| b.iter(|| pca.fit(black_box(&x)).expect("fit")));
    }
    let fortran = x.t().as_standard_layout().t().to_owned();
    let pca = Pca::new(K).solver(PcaSolver::CovarianceEigh);
    group.bench_function("covariance_eigh_f_order", |b| {
        b.iter(|| pca.fit(black_box(&fortran)).expect("fit"))
    });
    group.finish();
}

criterion_group!(benches, pca_fit);
criterion_main!(benches);
