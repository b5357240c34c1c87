//! A tour of `ndkit::linalg` for NumPy users: solve, invert, factor, decompose, fit and
//! measure a reproducible random 500×500 system, printing each step's time and its
//! normalised backward error — LAPACK's yardstick: a backward-stable algorithm keeps it
//! below about 30, whatever the size.
//!
//! Run with `cargo run --release --example linalg_tour`.

use std::time::Instant;

use ndarray::{array, Array1, Array2, Axis};
use ndkit::linalg::{self, matmul, matrix_norm, matvec, vector_norm, MatrixNorm, VectorNorm, UPLO};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// `np.random.default_rng(seed).uniform(-1, 1, (m, n))`, in spirit.
fn uniform(rng: &mut StdRng, m: usize, n: usize) -> Array2<f64> {
    Array2::from_shape_simple_fn((m, n), || rng.random_range(-1.0..1.0))
}

/// Runs `f`, returning its result and the milliseconds it took.
fn timed<R>(f: impl FnOnce() -> ndkit::Result<R>) -> ndkit::Result<(R, f64)> {
    let start = Instant::now();
    let result = f()?;
    Ok((result, start.elapsed().as_secs_f64() * 1e3))
}

/// One line of the table: the step, what was measured, its value and the step's time.
fn report(step: &str, measure: &str, value: f64, ms: f64) {
    println!("{step:<22} {measure:<24} {value:>10.3e} {ms:>9.2} ms");
}

fn main() -> ndkit::Result<()> {
    let n = 500;
    let scale = n as f64 * f64::EPSILON; // n·ε, the unit of every backward error below
    let fro = |m: &Array2<f64>| matrix_norm(m, MatrixNorm::Fro);
    let l2 = |v: &Array1<f64>| vector_norm(v, VectorNorm::L2);
    println!(
        "ndkit::linalg tour — BLAS threads: {}\n",
        ndkit::num_threads()
    );
    println!(
        "{:<22} {:<24} {:>10} {:>12}",
        "step", "measure", "value", "time"
    );

    // Uniform(−1, 1) entries plus 2√n on the diagonal: the singular values stay far from
    // zero (cond ≈ 2), so every answer below can be checked.
    let mut rng = StdRng::seed_from_u64(42);
    let mut a = uniform(&mut rng, n, n);
    a.diag_mut().mapv_inplace(|d| d + 2.0 * (n as f64).sqrt());
    let b = uniform(&mut rng, n, 1).remove_axis(Axis(1));
    let norm_a = fro(&a)?;

    // np.linalg.solve(a, b)
    let (x, ms) = timed(|| linalg::solve(&a, &b))?;
    let err = l2(&(matvec(&a, &x)? - &b)) / (norm_a * l2(&x) * scale);
    report("solve 500×500", "‖Ax−b‖/(‖A‖‖x‖nε)", err, ms);

    // np.linalg.inv(a)
    let (a_inv, ms) = timed(|| linalg::inv(&a))?;
    let residual = matmul(&a, &a_inv)? - Array2::<f64>::eye(n);
    let err = fro(&residual)? / (norm_a * fro(&a_inv)? * scale);
    report("inv 500×500", "‖AA⁻¹−I‖/(‖A‖‖A⁻¹‖nε)", err, ms);

    // scipy.linalg.lu_factor + lu_solve: factor once, then solve many right-hand sides.
    let rhs = uniform(&mut rng, n, 3);
    let ((lu, xs), ms) = timed(|| {
        let lu = linalg::lu_factor(&a)?;
        let xs = lu.solve(&rhs)?;
        Ok((lu, xs))
    })?;
    let err = fro(&(matmul(&a, &xs)? - &rhs))? / (norm_a * fro(&xs)? * scale);
    report("lu_factor + 3 rhs", "‖AX−B‖/(‖A‖‖X‖nε)", err, ms);
    let (sign, logdet) = linalg::slogdet(&a)?;
    println!(
        "    det(A) = {:e}, but slogdet(A) = ({sign}, {logdet:.4})",
        lu.det()
    );

    // np.linalg.svd(a, full_matrices=False): s descending, A = U·diag(s)·Vᵀ.
    let (svd, ms) = timed(|| linalg::svd(&a, false))?;
    let usv = matmul(&(&svd.u * &svd.s), &svd.vt)?; // scaling U's columns by s is U·diag(s)
    let err = fro(&(usv - &a))? / (norm_a * scale);
    report("svd 500×500 (thin)", "‖A−UΣVᵀ‖/(‖A‖nε)", err, ms);
    let (s_max, s_min) = (svd.s[0], svd.s[n - 1]);
    println!(
        "    σ_max = {s_max:.3}, σ_min = {s_min:.3}, cond = {:.3}",
        s_max / s_min
    );

    // np.linalg.eigh of a symmetric matrix: eigenvalues ascending, eigenvectors as columns.
    let r = uniform(&mut rng, n, n);
    let sym = (&r + &r.t()) / 2.0;
    let (eig, ms) = timed(|| linalg::eigh(&sym, UPLO::Lower))?;
    let residual = matmul(&sym, &eig.vectors)? - &eig.vectors * &eig.values;
    let err = fro(&residual)? / (fro(&sym)? * scale);
    report("eigh 500×500", "‖AV−VΛ‖/(‖A‖nε)", err, ms);
    println!(
        "    eigenvalues in [{:.3}, {:.3}]",
        eig.values[0],
        eig.values[n - 1]
    );

    // np.linalg.lstsq: fit 50 coefficients to 1000 observations with noise of size 1e-3.
    let design = uniform(&mut rng, 1000, 50);
    let beta = Array1::linspace(0.0, 1.0, 50);
    let noise = uniform(&mut rng, 1000, 1).remove_axis(Axis(1)) * 1e-3;
    let y = matvec(&design, &beta)? + noise;
    let (fit, ms) = timed(|| linalg::lstsq(&design, &y, None))?;
    report("lstsq 1000×50", "residual ‖y−Xb‖²", fit.residuals.sum(), ms);
    println!(
        "    rank {}, ‖b − β_true‖ = {:.2e}",
        fit.rank,
        l2(&(&fit.solution - &beta))
    );

    // np.linalg.norm: scaled internally, so huge entries do not overflow.
    let big = array![3e300, 4e300];
    let (norm, ms) = timed(|| Ok(l2(&big)))?;
    report("vector_norm", "L2 of [3e300, 4e300]", norm, ms);
    println!(
        "    naive √Σx² = {:e}",
        big.mapv(|v: f64| v * v).sum().sqrt()
    );
    for (name, ord) in [
        ("Fro", MatrixNorm::Fro),
        ("Two", MatrixNorm::Two),
        ("Nuc", MatrixNorm::Nuc),
    ] {
        let (norm, ms) = timed(|| matrix_norm(&a, ord))?;
        report("matrix_norm 500×500", name, norm, ms);
    }

    // Bad input is an Err that names the operation and the shapes — never a panic.
    println!();
    match linalg::solve(&a, &Array1::<f64>::ones(n - 1)) {
        Err(e) => println!("solve(500×500, 499-vector) → Err: {e}"),
        Ok(_) => println!("solve(500×500, 499-vector) unexpectedly succeeded"),
    }
    match linalg::inv(&array![[1.0, 2.0], [2.0, 4.0]]) {
        Err(e) => println!("inv([[1, 2], [2, 4]]) → Err: {e}"),
        Ok(_) => println!("inv([[1, 2], [2, 4]]) unexpectedly succeeded"),
    }
    Ok(())
}
