//! The Rust half of the NumPy comparison (`benches/compare/run.sh` drives it).
//!
//! Times a fixed suite of cases through ndkit, through ndarray / ndarray-linalg directly (the
//! layer under ndkit) and, for the BLAS-shaped cases and a few LAPACK ones (solve, eigh,
//! eigvalsh, svdvals), through a direct CBLAS/LAPACK call ("raw BLAS"), and prints one JSON
//! line per (case, implementation) with the minimum and median time in µs. Inputs are built
//! outside the timed region.
//!
//! ```text
//! cargo bench --bench compare -- [--threads N] [--filter SUBSTRING] [--quick]
//! ```

use std::hint::black_box;
use std::time::{Duration, Instant};

use ndarray::{Array1, Array2, Axis};
use ndarray_linalg::{
    Cholesky, Determinant, Eig, EigVals, EigValsh, Eigh, Inverse, JobSvd, LeastSquaresSvd, Norm,
    OperationNorm, Solve, QR, SVD, SVDDC,
};
use ndkit::linalg::{self, MatrixNorm, VectorNorm, UPLO};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

struct Options {
    filter: Option<String>,
    quick: bool,
    threads: usize,
}

fn options() -> Options {
    let mut opts = Options {
        filter: None,
        quick: false,
        threads: 1,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--filter" => opts.filter = args.next(),
            "--quick" => opts.quick = true,
            "--threads" => opts.threads = args.next().and_then(|v| v.parse().ok()).unwrap_or(1),
            _ => {} // cargo bench passes `--bench`; anything else is ignored
        }
    }
    opts
}

struct Runner {
    opts: Options,
}

impl Runner {
    fn wants(&self, case: &str) -> bool {
        self.opts
            .filter
            .as_ref()
            .is_none_or(|f| case.contains(f.as_str()))
    }

    /// Times `f`: calls are batched so that one sample lasts ≥ 1 ms (µs resolution for tiny
    /// cases), then samples are taken until the time budget or the sample cap is reached.
    fn time(&self, case: &str, imp: &str, f: impl FnMut()) {
        self.time_cases(&[case], imp, f);
    }

    /// As [`Runner::time`], one measurement reported under each of `cases` (one ndkit run
    /// compared with several peers, each peer its own case).
    fn time_cases(&self, cases: &[&str], imp: &str, mut f: impl FnMut()) {
        let cases: Vec<&str> = cases.iter().copied().filter(|c| self.wants(c)).collect();
        if cases.is_empty() {
            return;
        }
        f(); // warm-up, and the first-call costs (thread pool start) outside the samples
        let start = Instant::now();
        f();
        let single = start.elapsed().max(Duration::from_nanos(20));
        let batch = ((1e-3 / single.as_secs_f64()).ceil() as usize).clamp(1, 1_000_000);
        let (budget, max_samples) = if self.opts.quick { (0.2, 5) } else { (1.5, 25) };
        let mut samples = Vec::new();
        let begin = Instant::now();
        while samples.len() < 3
            || (samples.len() < max_samples && begin.elapsed().as_secs_f64() < budget)
        {
            let t = Instant::now();
            for _ in 0..batch {
                f();
            }
            samples.push(t.elapsed().as_secs_f64() * 1e6 / batch as f64);
        }
        samples.sort_by(f64::total_cmp);
        for case in cases {
            println!(
                "{{\"case\": \"{case}\", \"impl\": \"{imp}\", \"min_us\": {:.4}, \"median_us\": {:.4}, \"threads\": {}}}",
                samples[0],
                samples[samples.len() / 2],
                self.opts.threads
            );
        }
    }
}

/// Keeps a result alive so the optimiser cannot drop the work that made it.
fn sink<T>(value: T) {
    black_box(value);
}

fn random(rng: &mut StdRng, m: usize, n: usize) -> Array2<f64> {
    Array2::from_shape_simple_fn((m, n), || rng.random_range(-1.0..1.0))
}

fn well_conditioned(rng: &mut StdRng, n: usize) -> Array2<f64> {
    random(rng, n, n) + Array2::<f64>::eye(n) * n as f64
}

fn spd(rng: &mut StdRng, n: usize) -> Array2<f64> {
    let b = random(rng, n, n);
    b.t().dot(&b) + Array2::<f64>::eye(n) * n as f64
}

fn products(r: &Runner, rng: &mut StdRng) {
    for n in [4, 16, 64, 256, 1024, 2048] {
        let case = format!("matmul {n} f64");
        let wanted = r.wants(&case) || (n == 256 && r.wants("gemm 256 f64 into c"));
        if !wanted {
            continue;
        }
        let (a, b) = (random(rng, n, n), random(rng, n, n));
        let mut c = Array2::<f64>::zeros((n, n));
        let ni = n as i32;
        r.time(&case, "ndkit", || sink(linalg::matmul(&a, &b).unwrap()));
        r.time(&case, "ndarray-linalg", || sink(a.dot(&b)));
        if n == 256 {
            // The same product into an existing output: no allocation, so no page faults.
            let case = "gemm 256 f64 into c";
            r.time(case, "ndkit", || {
                linalg::gemm(1.0, &a, &b, 0.0, &mut c).unwrap();
            });
            r.time(case, "ndarray-linalg", || {
                ndarray::linalg::general_mat_mul(1.0, &a, &b, 0.0, &mut c);
            });
        }
        r.time(&case, "raw BLAS", || unsafe {
            // SAFETY: a, b, c are C-order n×n.
            cblas_sys::cblas_dgemm(
                cblas_sys::CblasRowMajor,
                cblas_sys::CblasNoTrans,
                cblas_sys::CblasNoTrans,
                ni,
                ni,
                ni,
                1.0,
                a.as_ptr(),
                ni,
                b.as_ptr(),
                ni,
                0.0,
                c.as_mut_ptr(),
                ni,
            );
        });
    }
    let case = "matmul 1024 f32";
    if r.wants(case) {
        let n = 1024;
        let a = random(rng, n, n).mapv(|x| x as f32);
        let b = random(rng, n, n).mapv(|x| x as f32);
        let mut c = Array2::<f32>::zeros((n, n));
        r.time(case, "ndkit", || sink(linalg::matmul(&a, &b).unwrap()));
        r.time(case, "ndarray-linalg", || sink(a.dot(&b)));
        r.time(case, "raw BLAS", || unsafe {
            // SAFETY: a, b, c are C-order n×n.
            cblas_sys::cblas_sgemm(
                cblas_sys::CblasRowMajor,
                cblas_sys::CblasNoTrans,
                cblas_sys::CblasNoTrans,
                1024,
                1024,
                1024,
                1.0,
                a.as_ptr(),
                1024,
                b.as_ptr(),
                1024,
                0.0,
                c.as_mut_ptr(),
                1024,
            );
        });
    }
    let case = "matvec 2048 f64";
    if r.wants(case) {
        let a = random(rng, 2048, 2048);
        let x = random(rng, 2048, 1).remove_axis(Axis(1));
        let mut y = Array1::<f64>::zeros(2048);
        r.time(case, "ndkit", || sink(linalg::matvec(&a, &x).unwrap()));
        r.time(case, "ndarray-linalg", || sink(a.dot(&x)));
        r.time(case, "raw BLAS", || unsafe {
            // SAFETY: a is C-order 2048×2048, x and y have 2048 entries.
            cblas_sys::cblas_dgemv(
                cblas_sys::CblasRowMajor,
                cblas_sys::CblasNoTrans,
                2048,
                2048,
                1.0,
                a.as_ptr(),
                2048,
                x.as_ptr(),
                1,
                0.0,
                y.as_mut_ptr(),
                1,
            );
        });
    }
    let case = "dot 1e6 f64";
    if r.wants(case) {
        let x = random(rng, 1_000_000, 1).remove_axis(Axis(1));
        let y = random(rng, 1_000_000, 1).remove_axis(Axis(1));
        r.time(case, "ndkit", || sink(linalg::dot(&x, &y).unwrap()));
        r.time(case, "ndarray-linalg", || sink(x.dot(&y)));
        // SAFETY: x and y have 10⁶ contiguous entries.
        r.time(case, "raw BLAS", || {
            sink(unsafe { cblas_sys::cblas_ddot(1_000_000, x.as_ptr(), 1, y.as_ptr(), 1) })
        });
    }
}

fn solvers(r: &Runner, rng: &mut StdRng) {
    for n in [100, 1000] {
        for k in [1, 100] {
            let case = format!("solve {n} rhs {k}");
            if !r.wants(&case) {
                continue;
            }
            let a = well_conditioned(rng, n);
            let b = random(rng, n, k);
            r.time(&case, "ndkit", || sink(linalg::solve(&a, &b).unwrap()));
            r.time(&case, "raw BLAS", || sink(raw_gesv(&a, &b)));
            r.time(&case, "ndarray-linalg", || {
                let lu = ndarray_linalg::FactorizeInto::factorize_into(a.clone()).unwrap();
                for col in b.columns() {
                    black_box(lu.solve(&col.to_owned()).unwrap());
                }
            });
        }
    }
    for n in [500, 1000] {
        let case = format!("inv {n}");
        if r.wants(&case) {
            let a = well_conditioned(rng, n);
            r.time(&case, "ndkit", || sink(linalg::inv(&a).unwrap()));
            r.time(&case, "ndarray-linalg", || sink(a.inv().unwrap()));
        }
    }
    let a = well_conditioned(rng, 1000);
    r.time("det 1000", "ndkit", || sink(linalg::det(&a).unwrap()));
    r.time("det 1000", "ndarray-linalg", || sink(a.det().unwrap()));
    r.time("slogdet 1000", "ndkit", || {
        sink(linalg::slogdet(&a).unwrap())
    });
    r.time("slogdet 1000", "ndarray-linalg", || {
        sink(a.sln_det().unwrap())
    });
    if r.wants("lstsq 2000x500") {
        let m = random(rng, 2000, 500);
        let y = random(rng, 2000, 1).remove_axis(Axis(1));
        r.time("lstsq 2000x500", "ndkit", || {
            sink(linalg::lstsq(&m, &y, None).unwrap())
        });
        r.time("lstsq 2000x500", "ndarray-linalg", || {
            sink(m.least_squares(&y).unwrap())
        });
    }
    if r.wants("cholesky 1000") {
        let p = spd(rng, 1000);
        r.time("cholesky 1000", "ndkit", || {
            sink(linalg::cholesky(&p, UPLO::Lower).unwrap())
        });
        r.time("cholesky 1000", "ndarray-linalg", || {
            sink(p.cholesky(ndarray_linalg::UPLO::Lower).unwrap())
        });
    }
    if r.wants("qr 1000") {
        let q = random(rng, 1000, 1000);
        r.time("qr 1000", "ndkit", || sink(linalg::qr(&q).unwrap()));
        r.time("qr 1000", "ndarray-linalg", || sink(q.qr().unwrap()));
    }
    if r.wants("pinv 500x300") {
        let p = random(rng, 500, 300);
        r.time("pinv 500x300", "ndkit", || {
            sink(linalg::pinv(&p, None).unwrap())
        });
    }
}

// Direct LAPACK calls for the "raw" column of a few LAPACK cases: what any wrapper must do at
// least — copy the input LAPACK overwrites into column-major order, query and allocate the
// workspace, call. (`a.t().to_owned()` is a C-order array whose memory is `a` column-major.)

/// `dgesv` on copies of `a` and `b`: the solution.
fn raw_gesv(a: &Array2<f64>, b: &Array2<f64>) -> Array2<f64> {
    let (n, k) = (a.nrows() as i32, b.ncols() as i32);
    let mut lu = a.t().to_owned();
    let mut x = b.t().to_owned();
    let mut ipiv = vec![0i32; n as usize];
    let mut info = 0;
    // SAFETY: `lu` is n×n and `x` n×k column-major with leading dimension n; ipiv has n entries.
    unsafe {
        lapack_sys::dgesv_(
            &n,
            &k,
            lu.as_mut_ptr(),
            &n,
            ipiv.as_mut_ptr(),
            x.as_mut_ptr(),
            &n,
            &mut info,
        )
    };
    assert_eq!(info, 0);
    x
}

/// `dsyevd` (`jobz` = `V` or `N`) on a copy of the symmetric `a`: the eigenvalues (and the
/// vectors in the copy).
fn raw_syevd(a: &Array2<f64>, jobz: u8) -> (Array2<f64>, Vec<f64>) {
    let n = a.nrows() as i32;
    let mut z = a.t().to_owned();
    let mut w = vec![0.0; n as usize];
    let (jobz, uplo) = (jobz as std::ffi::c_char, b'L' as std::ffi::c_char);
    let (mut info, mut query, mut iquery) = (0, 0.0, 0);
    // SAFETY: a workspace query on the n×n column-major `z` (lda = n) and n eigenvalues, then
    // the call with the workspaces LAPACK asked for.
    unsafe {
        lapack_sys::dsyevd_(
            &jobz,
            &uplo,
            &n,
            z.as_mut_ptr(),
            &n,
            w.as_mut_ptr(),
            &mut query,
            &-1,
            &mut iquery,
            &-1,
            &mut info,
        );
        let (lwork, liwork) = (query as i32, iquery);
        let mut work = vec![0.0; lwork as usize];
        let mut iwork = vec![0i32; liwork as usize];
        lapack_sys::dsyevd_(
            &jobz,
            &uplo,
            &n,
            z.as_mut_ptr(),
            &n,
            w.as_mut_ptr(),
            work.as_mut_ptr(),
            &lwork,
            iwork.as_mut_ptr(),
            &liwork,
            &mut info,
        );
    }
    assert_eq!(info, 0);
    (z, w)
}

/// `dgesdd` with `jobz` = `N` on a copy of `a`: the singular values.
fn raw_gesdd_values(a: &Array2<f64>) -> Vec<f64> {
    let (m, n) = (a.nrows() as i32, a.ncols() as i32);
    let mut copy = a.t().to_owned();
    let mut s = vec![0.0; m.min(n) as usize];
    let mut iwork = vec![0i32; 8 * m.min(n) as usize];
    let jobz = b'N' as std::ffi::c_char;
    let (mut info, mut query, mut dummy) = (0, 0.0, 0.0);
    // SAFETY: `copy` is m×n column-major (lda = m); with jobz = N, U and Vᵀ are not referenced
    // (ldu = ldvt = 1 are valid); iwork has the documented 8·min(m, n) entries.
    unsafe {
        lapack_sys::dgesdd_(
            &jobz,
            &m,
            &n,
            copy.as_mut_ptr(),
            &m,
            s.as_mut_ptr(),
            &mut dummy,
            &1,
            &mut dummy,
            &1,
            &mut query,
            &-1,
            iwork.as_mut_ptr(),
            &mut info,
        );
        let lwork = query as i32;
        let mut work = vec![0.0; lwork as usize];
        lapack_sys::dgesdd_(
            &jobz,
            &m,
            &n,
            copy.as_mut_ptr(),
            &m,
            s.as_mut_ptr(),
            &mut dummy,
            &1,
            &mut dummy,
            &1,
            work.as_mut_ptr(),
            &lwork,
            iwork.as_mut_ptr(),
            &mut info,
        );
    }
    assert_eq!(info, 0);
    s
}

fn decompositions(r: &Runner, rng: &mut StdRng) {
    for (m, n) in [(1000, 1000), (2000, 500)] {
        let case = format!("svd thin {m}x{n}");
        if r.wants(&case) {
            let a = random(rng, m, n);
            r.time(&case, "ndkit", || sink(linalg::svd(&a, false).unwrap()));
            r.time(&case, "ndarray-linalg", || {
                sink(a.svddc(JobSvd::Some).unwrap())
            });
            r.time(&case, "ndarray-linalg gesvd", || {
                sink(a.svd(true, true).unwrap())
            });
        }
    }
    if r.wants("svdvals 1000") {
        let a = random(rng, 1000, 1000);
        r.time("svdvals 1000", "ndkit", || {
            sink(linalg::svdvals(&a).unwrap())
        });
        r.time("svdvals 1000", "ndarray-linalg", || {
            sink(a.svddc(JobSvd::None).unwrap())
        });
        r.time("svdvals 1000", "raw BLAS", || sink(raw_gesdd_values(&a)));
    }
    if r.wants("eig") {
        let sym = spd(rng, 1000);
        r.time("eigh 1000", "ndkit", || {
            sink(linalg::eigh(&sym, UPLO::Lower).unwrap())
        });
        r.time("eigh 1000", "ndarray-linalg", || {
            sink(sym.eigh(ndarray_linalg::UPLO::Lower).unwrap())
        });
        r.time("eigh 1000", "raw BLAS", || sink(raw_syevd(&sym, b'V')));
        r.time("eigvalsh 1000", "ndkit", || {
            sink(linalg::eigvalsh(&sym, UPLO::Lower).unwrap())
        });
        r.time("eigvalsh 1000", "ndarray-linalg", || {
            sink(sym.eigvalsh(ndarray_linalg::UPLO::Lower).unwrap())
        });
        r.time("eigvalsh 1000", "raw BLAS", || sink(raw_syevd(&sym, b'N')));
        let g = random(rng, 500, 500);
        r.time("eig 500", "ndkit", || sink(linalg::eig(&g).unwrap()));
        r.time("eig 500", "ndarray-linalg", || sink(g.eig().unwrap()));
        r.time("eigvals 500", "ndkit", || {
            sink(linalg::eigvals(&g).unwrap())
        });
        r.time("eigvals 500", "ndarray-linalg", || {
            sink(g.eigvals().unwrap())
        });
    }
}

fn norms(r: &Runner, rng: &mut StdRng) {
    if r.wants("norm fro 2000") {
        let a = random(rng, 2000, 2000);
        r.time("norm fro 2000", "ndkit", || {
            sink(linalg::matrix_norm(&a, MatrixNorm::Fro).unwrap())
        });
        r.time("norm fro 2000", "ndarray-linalg", || sink(a.norm_l2()));
    }
    if r.wants("norm 2 500") {
        let a = random(rng, 500, 500);
        r.time("norm 2 500", "ndkit", || {
            sink(linalg::matrix_norm(&a, MatrixNorm::Two).unwrap())
        });
        r.time("norm 1 500", "ndkit", || {
            sink(linalg::matrix_norm(&a, MatrixNorm::One).unwrap())
        });
        r.time("norm 1 500", "ndarray-linalg", || {
            sink(a.opnorm_one().unwrap())
        });
    }
    if r.wants("row l2 10000x128") {
        let a = random(rng, 10000, 128);
        r.time("row l2 10000x128", "ndkit", || {
            sink(linalg::vector_norm_axis(&a, Axis(1), VectorNorm::L2))
        });
        r.time("row l2 10000x128", "ndarray-linalg", || {
            sink(a.map_axis(Axis(1), |row| row.norm_l2()))
        });
    }
}

fn einsum_cases(r: &Runner, rng: &mut StdRng) {
    let cases: [(&str, &str, Vec<Vec<usize>>); 6] = [
        (
            "einsum ij,jk->ik 512",
            "ij,jk->ik",
            vec![vec![512, 512], vec![512, 512]],
        ),
        (
            "einsum bij,bjk->bik 64x128",
            "bij,bjk->bik",
            vec![vec![64, 128, 128], vec![64, 128, 128]],
        ),
        ("einsum bii->b 100x4x4", "bii->b", vec![vec![100, 4, 4]]),
        (
            "einsum ij,ij->i 10000x128",
            "ij,ij->i",
            vec![vec![10000, 128], vec![10000, 128]],
        ),
        (
            "einsum ij,jk,kl->il chain",
            "ij,jk,kl->il",
            vec![vec![1000, 10], vec![10, 1000], vec![1000, 10]],
        ),
        (
            "einsum ij,jk->ik 3x4x5",
            "ij,jk->ik",
            vec![vec![3, 4], vec![4, 5]],
        ),
    ];
    for (case, spec, shapes) in cases {
        if !r.wants(case) {
            continue;
        }
        let ops: Vec<ndarray::ArrayD<f64>> = shapes
            .iter()
            .map(|shape| {
                ndarray::ArrayD::from_shape_simple_fn(shape.as_slice(), || {
                    rng.random_range(-1.0..1.0)
                })
            })
            .collect();
        let views: Vec<_> = ops.iter().map(|a| a.view()).collect();
        r.time(case, "ndkit", || sink(ndkit::einsum(spec, &views).unwrap()));
    }
    let case = "einsum bhid,bhjd->bhij f32";
    if r.wants(case) {
        let shape = [8, 12, 256, 64];
        let q = ndarray::ArrayD::<f32>::from_shape_simple_fn(&shape[..], || {
            rng.random_range(-1.0..1.0)
        });
        let k = ndarray::ArrayD::<f32>::from_shape_simple_fn(&shape[..], || {
            rng.random_range(-1.0..1.0)
        });
        let views = [q.view(), k.view()];
        r.time(case, "ndkit", || {
            sink(ndkit::einsum("bhid,bhjd->bhij", &views).unwrap())
        });
    }
}

fn ml_cases(r: &Runner, rng: &mut StdRng) {
    use ndkit::ml;
    if r.wants("softmax 4096x1000 f32") || r.wants("cross-entropy 4096x1000 f32") {
        let logits = random(rng, 4096, 1000).mapv(|x| (4.0 * x) as f32);
        let labels: Vec<usize> = (0..4096).map(|i| (i * 7919) % 1000).collect();
        r.time("softmax 4096x1000 f32", "ndkit", || {
            sink(ml::softmax(&logits, Axis(1)))
        });
        r.time("cross-entropy 4096x1000 f32", "ndkit", || {
            sink(ml::cross_entropy(&logits, &labels).unwrap())
        });
        r.time("softmax-cross-entropy+grad 4096x1000 f32", "ndkit", || {
            sink(ml::softmax_cross_entropy(&logits, &labels).unwrap())
        });
    }
    if r.wants("4096x1000 f32") {
        let x = random(rng, 4096, 1000).mapv(|v| (4.0 * v) as f32);
        let y = random(rng, 4096, 1000).mapv(|v| (0.5 + 0.5 * v) as f32);
        r.time("sigmoid 4096x1000 f32", "ndkit", || sink(ml::sigmoid(&x)));
        r.time("silu 4096x1000 f32", "ndkit", || sink(ml::silu(&x)));
        r.time("softplus 4096x1000 f32", "ndkit", || sink(ml::softplus(&x)));
        r.time("gelu 4096x1000 f32", "ndkit", || {
            sink(ml::gelu(&x, ml::GeluApprox::None))
        });
        r.time("gelu-tanh 4096x1000 f32", "ndkit", || {
            sink(ml::gelu(&x, ml::GeluApprox::Tanh))
        });
        r.time("bce-with-logits+grad 4096x1000 f32", "ndkit", || {
            sink(ml::bce_with_logits_grad(&x, &y).unwrap())
        });
    }
    if r.wants("100000x50") {
        let x = random(rng, 100000, 50);
        r.time("incremental-pca 100000x50 b1000 k10", "ndkit", || {
            sink(
                ml::IncrementalPca::new(10)
                    .batch_size(1000)
                    .fit(&x)
                    .unwrap(),
            )
        });
        // Ten updates of 100000 rows each, then the covariance (NumPy: np.cov of all 10⁶).
        let whole = random(rng, 1_000_000, 50);
        r.time("covariance 10x100000x50 f64", "ndkit", || {
            let mut acc = ml::CovarianceAccumulator::new(50);
            for chunk in whole.axis_chunks_iter(Axis(0), 100000) {
                acc.update(&chunk).unwrap();
            }
            sink(acc.covariance(1).unwrap())
        });
    }
    if r.wants("dense") {
        let x = random(rng, 256, 784).mapv(|v| v as f32);
        let g = random(rng, 256, 512).mapv(|v| v as f32);
        let layer = ml::Dense::<f32>::new(784, 512, ml::Init::HeNormal, rng);
        r.time("dense forward 256x784x512 f32", "ndkit", || {
            sink(layer.forward(&x).unwrap())
        });
        r.time("dense backward 256x784x512 f32", "ndkit", || {
            sink(layer.backward(&x, &g).unwrap())
        });
    }
    if r.wants("pca") {
        let x = random(rng, 10000, 100);
        let solvers = [
            ("full", ml::PcaSolver::Full),
            ("covariance_eigh", ml::PcaSolver::CovarianceEigh),
            (
                "randomized",
                ml::PcaSolver::Randomized {
                    oversample: 10,
                    n_iter: 4,
                    seed: 0,
                },
            ),
        ];
        for (name, solver) in solvers {
            let case = format!("pca 10000x100 k10 {name}");
            r.time(&case, "ndkit", || {
                sink(ml::Pca::new(10).solver(solver).fit(&x).unwrap())
            });
        }
        let tall = random(rng, 100000, 50);
        r.time("pca 100000x50 k5 auto", "ndkit", || {
            sink(ml::Pca::new(5).fit(&tall).unwrap())
        });
    }
}

/// numpy.linalg on stacks: the issue's shapes, well-conditioned (A + n·I) and SPD inputs.
fn stacked_cases(r: &Runner, rng: &mut StdRng) {
    use ndarray::{Array3, Axis as Ax};
    use ndkit::linalg::stacked;
    let stack = |rng: &mut StdRng, k: usize, n: usize, spd_input: bool| {
        let mut a = Array3::<f64>::zeros((k, n, n));
        for mut m in a.axis_iter_mut(Ax(0)) {
            m.assign(&if spd_input {
                spd(rng, n)
            } else {
                well_conditioned(rng, n)
            });
        }
        a
    };
    for (k, n) in [(10000, 3), (10000, 4), (2000, 16), (100, 64)] {
        let shape = format!("({k},{n},{n})");
        let wanted = ["inv", "solve", "det", "cholesky", "eigh", "svd"]
            .iter()
            .any(|f| r.wants(&format!("stacked {f} {shape} f64")));
        if !wanted {
            continue;
        }
        let (a, s) = (stack(rng, k, n, false), stack(rng, k, n, true));
        let b = Array3::from_shape_simple_fn((k, n, 1), || rng.random_range(-1.0..1.0));
        let case = |f: &str| format!("stacked {f} {shape} f64");
        r.time(&case("inv"), "ndkit", || sink(stacked::inv(&a).unwrap()));
        r.time(&case("solve"), "ndkit", || {
            sink(stacked::solve(&a, &b).unwrap())
        });
        r.time(&case("det"), "ndkit", || sink(stacked::det(&a).unwrap()));
        r.time(&case("cholesky"), "ndkit", || {
            sink(stacked::cholesky(&s, UPLO::Lower).unwrap())
        });
        r.time(&case("eigh"), "ndkit", || {
            sink(stacked::eigh(&s, UPLO::Lower).unwrap())
        });
        r.time(&case("svd"), "ndkit", || {
            sink(stacked::svd(&a, false).unwrap())
        });
    }
}

fn main() {
    let runner = Runner { opts: options() };
    ndkit::set_num_threads(runner.opts.threads);
    let backend = ndkit::backend();
    println!(
        "{{\"backend\": \"ndkit\", \"line\": \"{backend}\", \"library\": \"{}\", \"version\": \"{}\", \"kernels\": \"{}\", \"threads\": {}}}",
        backend.library, backend.version, backend.kernels, backend.threads
    );
    let mut rng = StdRng::seed_from_u64(2024);
    products(&runner, &mut rng);
    solvers(&runner, &mut rng);
    decompositions(&runner, &mut rng);
    norms(&runner, &mut rng);
    einsum_cases(&runner, &mut rng);
    ml_cases(&runner, &mut rng);
    stacked_cases(&runner, &mut rng);
    ops_cases(&runner, &mut rng);
    scipy_factor_cases(&runner, &mut rng);
    scipy_eigen_cases(&runner, &mut rng);
    adoption_cases(&runner, &mut rng);
}

/// `ndkit::ops` against NumPy/SciPy/scikit-learn. A case names its peer in parentheses; where
/// one ndkit run is compared with two peers it is reported under both case names.
fn ops_cases(r: &Runner, rng: &mut StdRng) {
    use ndkit::ops;
    let cdist_cases = [
        "cdist euclidean 5000x128 (sklearn euclidean_distances)",
        "cdist euclidean 5000x128 (scipy cdist)",
    ];
    if cdist_cases.iter().any(|c| r.wants(c)) {
        let (a, b) = (random(rng, 5000, 128), random(rng, 5000, 128));
        r.time_cases(&cdist_cases, "ndkit", || {
            sink(ops::cdist(&a, &b, ops::Metric::Euclidean).unwrap())
        });
    }
    let case = "nearest 100000x64 vs 256 (scipy vq)";
    if r.wants(case) {
        let (x, c) = (random(rng, 100_000, 64), random(rng, 256, 64));
        r.time(case, "ndkit", || sink(ops::nearest(&x, &c).unwrap()));
    }
    let case = "knn k=10 5000 in 20000x64 (sklearn brute kneighbors)";
    if r.wants(case) {
        let (q, d) = (random(rng, 5000, 64), random(rng, 20_000, 64));
        r.time(case, "ndkit", || sink(ops::knn(&q, &d, 10).unwrap()));
    }
    let long_cases = [
        "convolve 1e6 x 1000 (numpy convolve)",
        "convolve 1e6 x 1000 (scipy fftconvolve)",
    ];
    if long_cases.iter().any(|c| r.wants(c)) || r.wants("convolve 1e6 x 10") {
        let a = Array1::from_shape_simple_fn(1_000_000, || rng.random_range(-1.0..1.0));
        let v = Array1::from_shape_simple_fn(1000, || rng.random_range(-1.0..1.0));
        let short = Array1::from_shape_simple_fn(10, || rng.random_range(-1.0..1.0));
        r.time_cases(&long_cases, "ndkit", || {
            sink(ops::convolve(&a, &v, ops::ConvolveMode::Full).unwrap())
        });
        r.time("convolve 1e6 x 10 (numpy convolve)", "ndkit", || {
            sink(ops::convolve(&a, &short, ops::ConvolveMode::Full).unwrap())
        });
    }
    // The direct/FFT crossover sweep (only on request: `--filter "convolve sweep"`): the
    // direct kernel runs below ops::convolve's FFT threshold, the FFT from it, so the times
    // per kernel length show where the two cost the same.
    if r.opts
        .filter
        .as_deref()
        .is_some_and(|f| f.contains("sweep"))
    {
        let a = Array1::from_shape_simple_fn(1_000_000, || rng.random_range(-1.0..1.0));
        for len in [8, 16, 24, 32, 40, 47, 48, 64, 96, 128, 256] {
            let v = Array1::from_shape_simple_fn(len, || rng.random_range(-1.0..1.0));
            r.time(&format!("convolve sweep 1e6 x {len}"), "ndkit", || {
                sink(ops::convolve(&a, &v, ops::ConvolveMode::Full).unwrap())
            });
        }
    }
    let case = "searchsorted 1e6 into 1e4 (numpy)";
    if r.wants(case) {
        let mut sorted: Vec<f64> = (0..10_000).map(|_| rng.random_range(-1.0..1.0)).collect();
        sorted.sort_by(f64::total_cmp);
        let sorted = Array1::from(sorted);
        let values = Array1::from_shape_simple_fn(1_000_000, || rng.random_range(-1.0..1.0));
        r.time(case, "ndkit", || {
            sink(ops::searchsorted(&sorted, &values, ops::Side::Left).unwrap())
        });
    }
    let case = "histogram 1e7 100 bins (numpy)";
    if r.wants(case) {
        let x = Array1::from_shape_simple_fn(10_000_000, || rng.random_range(-1.0..1.0));
        r.time(case, "ndkit", || {
            sink(ops::histogram(&x, ops::Bins::Count(100)).unwrap())
        });
    }
    let case = "cov 100000x100 (numpy cov)";
    if r.wants(case) {
        let x = random(rng, 100_000, 100);
        r.time(case, "ndkit", || sink(ops::cov(&x, 1).unwrap()));
    }
    let case = "where_cond 1e7 (numpy where)";
    if r.wants(case) {
        let x = Array1::from_shape_simple_fn(10_000_000, || rng.random_range(-1.0..1.0));
        let y = Array1::from_shape_simple_fn(10_000_000, || rng.random_range(-1.0..1.0));
        let c = x.mapv(|v: f64| v > 0.0);
        r.time(case, "ndkit", || sink(ops::where_cond(&c, &x, &y).unwrap()));
    }
}

/// The scipy.linalg factorisations at n = 500 (issue 15), against
/// benches/compare/scipy_factor_suite.py on the same LAPACK drivers: `qr_pivoted` (`?geqp3` +
/// `?orgqr`) vs `scipy.linalg.qr(pivoting=True, mode='economic')`, `lu` (`?getrf`) vs
/// `scipy.linalg.lu(p_indices=True)`, `ldl_factor` (`?sytrf`) vs
/// `scipy.linalg.lapack.dsytrf` with its queried `lwork` (what `scipy.linalg.ldl` calls before
/// building L and D in Python, which `LdlFactor` does not).
fn scipy_factor_cases(r: &Runner, rng: &mut StdRng) {
    let n = 500;
    let case = format!("qr_pivoted {n} f64 (scipy qr pivoting)");
    if r.wants(&case) {
        let a = random(rng, n, n);
        r.time(&case, "ndkit", || sink(linalg::qr_pivoted(&a).unwrap()));
    }
    let case = format!("lu {n} f64 (scipy lu)");
    if r.wants(&case) {
        let a = random(rng, n, n);
        r.time(&case, "ndkit", || sink(linalg::lu(&a).unwrap()));
    }
    let case = format!("ldl_factor {n} f64 (scipy dsytrf)");
    if r.wants(&case) {
        let b = random(rng, n, n);
        let a = &b + &b.t();
        r.time(&case, "ndkit", || {
            sink(linalg::ldl_factor(&a, UPLO::Lower).unwrap())
        });
    }
}

/// The eigen and matrix-function additions of `ndkit::linalg` against scipy.linalg at n = 500
/// (f64), same driver on both sides (`benches/compare/scipy_eigen_suite.py`, reported in the
/// "NumPy" column): eigh(a, b), eig(a, b), schur, expm, sqrtm.
fn scipy_eigen_cases(r: &Runner, rng: &mut StdRng) {
    let n = 500;
    let case = |f: &str| format!("scipy {f} {n} f64");
    if [
        "eigh_generalized",
        "eig_generalized",
        "schur",
        "expm",
        "sqrtm",
    ]
    .iter()
    .all(|f| !r.wants(&case(f)))
    {
        return;
    }
    let a = random(rng, n, n);
    let s = (&a + &a.t()) * 0.5;
    let b = spd(rng, n);
    let g = random(rng, n, n);
    // expm of a matrix of 1-norm ~5: the degree-13 path with a few squarings.
    let scale = 5.0
        / a.columns()
            .into_iter()
            .map(|c| c.mapv(f64::abs).sum())
            .fold(0.0, f64::max);
    let e = &a * scale;
    r.time(&case("eigh_generalized"), "ndkit", || {
        sink(linalg::eigh_generalized(&s, &b, UPLO::Lower).unwrap())
    });
    r.time(&case("eig_generalized"), "ndkit", || {
        sink(linalg::eig_generalized(&a, &g).unwrap())
    });
    r.time(&case("schur"), "ndkit", || sink(linalg::schur(&a).unwrap()));
    r.time(&case("expm"), "ndkit", || sink(linalg::expm(&e).unwrap()));
    r.time(&case("sqrtm"), "ndkit", || sink(linalg::sqrtm(&b).unwrap()));
}

/// The adopters' linalg functions (issue 16) against their NumPy/scikit-learn counterparts:
/// `svd_with(VtOnly)` (no U computed) against `numpy.linalg.svd` (which computes U as well; no
/// Vᵀ-only mode) and ndarray-linalg's `svddc(Some)`, and `randomized_svd` against
/// `sklearn.utils.extmath.randomized_svd` with the same parameters (10 oversamples, 4 power
/// iterations, LU normaliser).
fn adoption_cases(r: &Runner, rng: &mut StdRng) {
    let case = "svd_with VtOnly 2000x300 f64 (numpy svd thin)";
    if r.wants(case) {
        let a = random(rng, 2000, 300);
        r.time(case, "ndkit", || {
            sink(linalg::svd_with(&a, linalg::SvdJob::VtOnly).unwrap())
        });
        r.time(case, "ndarray-linalg", || {
            sink(a.svddc(JobSvd::Some).unwrap())
        });
    }
    let case = "randomized_svd 2000x1000 k10 f64 (sklearn randomized_svd)";
    if r.wants(case) {
        let a = random(rng, 2000, 1000);
        r.time(case, "ndkit", || {
            sink(linalg::randomized_svd(&a, 10, linalg::RandomizedSvd::default()).unwrap())
        });
    }
}
