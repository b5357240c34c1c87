//! The public API contract (the names, paths and signatures code outside this repository compiles
//! against), spelled out as code that outside crates write: every name and signature of the crate
//! root and `ndkit::linalg`, called with owned arrays, views and `ArcArray`s. If this file stops compiling, the contract is broken.

use ndarray::{array, s, ArcArray2, Array1, Array2, ArrayD, ArrayView2, Axis, IxDyn};
use ndkit::linalg::{
    self, CholeskyFactor, Eig, Eigh, Lstsq, LuFactor, MatrixNorm, Qr, Svd, VectorNorm, UPLO,
};
use ndkit::{c32, c64, Error, Real, Result, Scalar};

fn assert_error_traits<E: std::error::Error + Send + Sync + 'static>() {}
fn assert_plain_enum<E: std::fmt::Debug + Clone + Copy + PartialEq>() {}

fn generic_over_scalar<T: Scalar>(a: &Array2<T>) -> Result<T::Real> {
    let x: Array2<T> = linalg::matmul(a, &a.t())?;
    linalg::matrix_norm(&x, MatrixNorm::Fro)
}

fn generic_over_real<T: Real>(x: T) -> T {
    x
}

#[test]
fn crate_root_items() -> Result<()> {
    assert_error_traits::<Error>();
    let _: c32 = c32::new(1.0, 0.0);
    let _: c64 = c64::new(1.0, 0.0);
    let _ = generic_over_real(1.0_f32) + generic_over_real(1.0_f32);
    let _: &dyn Fn(usize) = &ndkit::set_num_threads;
    let _: usize = ndkit::num_threads();
    // The backend: four public fields and a one-line Display.
    let backend: ndkit::Backend = ndkit::backend();
    let (_, _, _, _): (&String, &String, &String, usize) = (
        &backend.library,
        &backend.version,
        &backend.kernels,
        backend.threads,
    );
    assert!(!backend.to_string().contains('\n'));
    let _: Result<f64> = generic_over_scalar(&array![[1.0_f64]]);
    let _: Result<f32> = generic_over_scalar(&array![[c32::new(1.0, 1.0)]]);
    // `ndkit::rand` is the rand version ndkit's APIs take.
    let _rng: ndkit::rand::rngs::StdRng = ndkit::rand::SeedableRng::seed_from_u64(1);
    for t in [UPLO::Upper, UPLO::Lower] {
        assert_eq!(t, t.clone());
    }
    assert_plain_enum::<UPLO>();
    assert_plain_enum::<VectorNorm>();
    assert_plain_enum::<MatrixNorm>();
    let _ = [
        VectorNorm::L1,
        VectorNorm::L2,
        VectorNorm::Inf,
        VectorNorm::NegInf,
        VectorNorm::Zero,
        VectorNorm::P(3.0),
    ];
    let _ = [
        MatrixNorm::Fro,
        MatrixNorm::Nuc,
        MatrixNorm::One,
        MatrixNorm::NegOne,
        MatrixNorm::Inf,
        MatrixNorm::NegInf,
        MatrixNorm::Two,
        MatrixNorm::NegTwo,
    ];
    Ok(())
}

#[test]
fn linalg_products() -> Result<()> {
    let a: Array2<f64> = array![[1.0, 2.0], [3.0, 4.0]];
    let v: ArrayView2<f64> = a.view();
    let arc: ArcArray2<f64> = a.clone().into_shared();
    let x: Array1<f64> = array![1.0, 1.0];
    let _: Array2<f64> = linalg::matmul(&a, &v)?;
    let _: Array2<f64> = linalg::matmul(&arc, &a.slice(s![..;-1, ..]))?;
    let _: Array1<f64> = linalg::matvec(&a, &x)?;
    let _: f64 = linalg::dot(&x, &x.view())?;
    let _: c64 = linalg::vdot(&array![c64::new(0.0, 1.0)], &array![c64::new(0.0, 1.0)])?;
    let _: ArrayD<f64> =
        linalg::batched_matmul(&a.clone().into_shape_with_order((1, 2, 2)).unwrap(), &x)?;
    let mut c = Array2::<f64>::zeros((2, 2));
    linalg::gemm(1.0, &a, &v, 0.0, &mut c)?;
    linalg::gemm(1.0, &a, &v, 1.0, &mut c.view_mut())?;
    let _: Array2<f64> = linalg::outer(&x, &x);
    let _: Array2<f64> = linalg::multi_dot(&[a.view(), v, a.t()])?;
    let _: Array2<f64> = linalg::matrix_power(&a, -2)?;
    let _: ArrayD<f64> = linalg::batched_matmul(&ArrayD::<f64>::zeros(IxDyn(&[3, 2, 2])), &a)?;
    Ok(())
}

#[test]
fn linalg_solvers_and_factors() -> Result<()> {
    let a: Array2<f64> = array![[4.0, 1.0], [1.0, 3.0]];
    let b1: Array1<f64> = array![1.0, 2.0];
    let b2: Array2<f64> = array![[1.0, 0.0], [0.0, 1.0]];
    let _: Array1<f64> = linalg::solve(&a, &b1)?;
    let _: Array2<f64> = linalg::solve(&a.view(), &b2.view())?;
    let _: Array1<f64> = linalg::solve_triangular(&a, &b1, UPLO::Lower)?;
    let fit: Lstsq<f64, ndarray::Ix1> = linalg::lstsq(&a, &b1, None)?;
    let Lstsq {
        solution,
        residuals,
        rank,
        singular_values,
    } = fit;
    let _: (Array1<f64>, Array1<f64>, usize, Array1<f64>) =
        (solution, residuals, rank, singular_values);
    let _: Lstsq<c64, ndarray::Ix2> =
        linalg::lstsq(&b2.mapv(c64::from), &b2.mapv(c64::from), Some(1e-10))?;
    let _: Array2<f64> = linalg::inv(&a)?;
    let _: Array2<f64> = linalg::pinv(&a, None)?;
    let _: f64 = linalg::det(&a)?;
    let _: (c64, f64) = linalg::slogdet(&b2.mapv(c64::from))?;
    let lu: LuFactor<f64> = linalg::lu_factor(&a)?;
    let _: Array1<f64> = lu.solve(&b1)?;
    let _: Array2<f64> = lu.solve(&b2)?;
    let _: f64 = lu.det();
    let _: Array2<f64> = lu.inv()?;
    let _: Array2<f64> = linalg::cholesky(&a, UPLO::Upper)?;
    let chol: CholeskyFactor<f64> = linalg::cho_factor(&a, UPLO::Lower)?;
    let _: Array2<f64> = chol.solve(&b2)?;
    let Qr { q, r } = linalg::qr(&a)?;
    let _: (Array2<f64>, Array2<f64>) = (q, r);
    Ok(())
}

#[test]
fn linalg_decompositions_norms_properties() -> Result<()> {
    let a: Array2<f32> = array![[2.0, 1.0], [1.0, 2.0]];
    let Svd { u, s, vt } = linalg::svd(&a, true)?;
    let _: (Array2<f32>, Array1<f32>, Array2<f32>) = (u, s, vt);
    let _: Array1<f32> = linalg::svdvals(&a)?;
    let Eigh { values, vectors } = linalg::eigh(&a, UPLO::Lower)?;
    let _: (Array1<f32>, Array2<f32>) = (values, vectors);
    let _: Array1<f32> = linalg::eigvalsh(&a, UPLO::Upper)?;
    let Eig { values, vectors } = linalg::eig(&a)?;
    let _: (Array1<c32>, Array2<c32>) = (values, vectors);
    let _: Array1<c32> = linalg::eigvals(&a)?;
    let _: f32 = linalg::vector_norm(&a.row(0), VectorNorm::L2);
    let _: Array1<f32> = linalg::vector_norm_axis(&a, Axis(1), VectorNorm::P(3.0));
    let _: f32 = linalg::matrix_norm(&a, MatrixNorm::Nuc)?;
    let _: usize = linalg::matrix_rank(&a, None)?;
    let _: f32 = linalg::cond(&a, MatrixNorm::Two)?;
    let _: f32 = linalg::trace(&a)?;
    Ok(())
}

#[test]
fn adoption_linalg_svd_with_randomized_svd_lobpcg() -> Result<()> {
    use ndkit::linalg::{
        lobpcg, randomized_svd, svd_with, Lobpcg, RandomizedSvd, SvdJob, SvdParts, Which,
    };
    assert_plain_enum::<SvdJob>();
    assert_plain_enum::<Which>();
    let a: Array2<f64> = array![[3.0, 1.0], [1.0, 3.0], [0.0, 1.0]];
    let SvdParts { u, s, vt } = svd_with(&a, SvdJob::VtOnly)?;
    let _: (Option<Array2<f64>>, Array1<f64>, Option<Array2<f64>>) = (u, s, vt);
    let opts = RandomizedSvd {
        oversample: 10,
        n_iter: 4,
        seed: 0,
    };
    assert_eq!(opts, RandomizedSvd::default());
    let Svd { u, s, vt } = randomized_svd(&a.view(), 1, opts)?;
    let _: (Array2<f64>, Array1<f64>, Array2<f64>) = (u, s, vt);
    let spd: Array2<f64> = Array2::from_diag(&array![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    let Lobpcg {
        tol,
        max_iter,
        seed,
    } = Lobpcg::default();
    let _: (f64, usize, u64) = (tol, max_iter, seed);
    let Eigh { values, vectors } = lobpcg(
        |x: ArrayView2<f64>| spd.dot(&x),
        6,
        1,
        Which::Largest,
        Lobpcg::default(),
    )?;
    let _: (Array1<f64>, Array2<f64>) = (values, vectors);
    Ok(())
}
