//! The public API contract (the names, paths and signatures code outside this repository compiles
//! against), spelled out as code that outside crates write: every name and signature of the crate
//! root and `ndkit::linalg`, called with owned arrays, views and `ArcArray`s. If this file stops compiling, the contract is broken.

use ndarray::{array, s, ArcArray2, Array1, Array2, Array3, ArrayD, ArrayView2, Axis, IxDyn};
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
fn einsum_items() -> Result<()> {
    use ndkit::einsum::{einsum_path, EinsumPath};
    let a: Array2<f64> = array![[1.0, 2.0], [3.0, 4.0]];
    let _: ArrayD<f64> = ndkit::einsum("ij,jk->ik", &[a.view().into_dyn(), a.view().into_dyn()])?;
    let _: ArrayD<f64> = ndkit::einsum!("ii", a)?;
    let _: ArrayD<f64> = ndkit::einsum!("ij,jk", &a, a.t())?;
    let path: EinsumPath = einsum_path("ij,jk,kl->il", &[&[2, 2], &[2, 2], &[2, 2]])?;
    assert!(!path.to_string().is_empty());
    let v = a.view().into_dyn();
    let _: ArrayD<f64> = path.execute(&[v.clone(), v.clone(), v])?;
    Ok(())
}

fn generic_step<O: ndkit::ml::Optimizer<f64>>(
    opt: &O,
    layer: &mut ndkit::ml::Dense<f64>,
    grad: &ndkit::ml::DenseGrad<f64>,
) -> Result<()> {
    let mut state = opt.init(layer);
    opt.step(layer, grad, &mut state)
}

#[test]
fn ml_items() -> Result<()> {
    use ndkit::ml::{
        cross_entropy, log_softmax, relu, relu_backward, softmax, softmax_cross_entropy, Adam,
        Dense, DenseGrad, FittedPca, Init, Pca, PcaSolver, Sgd,
    };
    let mut rng: ndkit::rand::rngs::StdRng = ndkit::rand::SeedableRng::seed_from_u64(0);
    for init in [
        Init::XavierUniform,
        Init::XavierNormal,
        Init::HeUniform,
        Init::HeNormal,
        Init::Zeros,
    ] {
        let _: Dense<f32> = Dense::new(3, 2, init, &mut rng);
    }
    assert_plain_enum::<Init>();
    assert_plain_enum::<PcaSolver>();
    let mut layer: Dense<f64> = Dense {
        weight: Array2::zeros((3, 2)),
        bias: Array1::zeros(2),
    };
    let x: Array2<f64> = Array2::ones((4, 3));
    let y: Array2<f64> = layer.forward(&x.view())?;
    let DenseGrad {
        weight,
        bias,
        input,
    } = layer.backward(&x, &y)?;
    let grad = DenseGrad {
        weight,
        bias,
        input,
    };
    let sgd = Sgd {
        lr: 0.1,
        momentum: 0.9,
    };
    let mut state = sgd.init(&layer);
    sgd.step(&mut layer, &grad, &mut state)?;
    generic_step(&sgd, &mut layer, &grad)?;
    let adam = Adam {
        lr: 1e-3,
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
    };
    let mut state = adam.init(&layer);
    adam.step(&mut layer, &grad, &mut state)?;
    generic_step(&adam, &mut layer, &grad)?;
    let _: Array2<f64> = relu(&y);
    let _: Array2<f64> = relu_backward(&y, &y)?;
    let _: Array2<f64> = softmax(&y, Axis(1));
    let _: ArrayD<f64> = log_softmax(&y.clone().into_dyn(), Axis(0));
    let _: f64 = cross_entropy(&y, &[0, 1, 1, 0])?;
    let (_, _): (f64, Array2<f64>) = softmax_cross_entropy(&y.view(), &[0, 1, 1, 0])?;
    let data: Array2<f64> = array![[1.0, 2.0], [2.0, 1.0], [3.0, 5.0], [0.0, 1.0]];
    for solver in [
        PcaSolver::Auto,
        PcaSolver::Full,
        PcaSolver::CovarianceEigh,
        PcaSolver::Randomized {
            oversample: 2,
            n_iter: 1,
            seed: 0,
        },
    ] {
        let fit: FittedPca<f64> = Pca::new(1).whiten(true).solver(solver).fit(&data)?;
        let _: ArrayView2<f64> = fit.components();
        let _: [ndarray::ArrayView1<f64>; 4] = [
            fit.explained_variance(),
            fit.explained_variance_ratio(),
            fit.singular_values(),
            fit.mean(),
        ];
        let z: Array2<f64> = fit.transform(&data)?;
        let _: Array2<f64> = fit.inverse_transform(&z)?;
    }
    Ok(())
}

#[test]
fn stacked_items() -> Result<()> {
    use ndkit::linalg::stacked;
    let a: Array3<f64> =
        Array3::from_shape_fn(
            (3, 2, 2),
            |(k, i, j)| {
                if i == j {
                    4.0 + k as f64
                } else {
                    1.0
                }
            },
        );
    let b: Array1<f64> = array![1.0, 2.0];
    let _: ArrayD<f64> = stacked::solve(&a, &b)?;
    let _: ArrayD<f64> = stacked::solve(&a.view(), &a.slice(s![.., .., ..;-1]))?;
    let _: ArrayD<f64> = stacked::inv(&a)?;
    let _: ArrayD<f64> = stacked::det(&a.clone().into_dyn())?;
    let (sign, logdet) = stacked::slogdet(&a)?;
    let _: (ArrayD<f64>, ArrayD<f64>) = (sign.into_dyn(), logdet.into_dyn());
    let _: ArrayD<f64> = stacked::cholesky(&a, UPLO::Lower)?.into_dyn();
    let Qr { q, r } = stacked::qr(&a)?;
    let _: (ArrayD<f64>, ArrayD<f64>) = (q.into_dyn(), r.into_dyn());
    let Svd { u, s, vt } = stacked::svd(&a, false)?;
    let _: (ArrayD<f64>, ArrayD<f64>, ArrayD<f64>) = (u.into_dyn(), s.into_dyn(), vt.into_dyn());
    let _: ArrayD<f64> = stacked::svdvals(&a)?.into_dyn();
    let Eigh { values, vectors } = stacked::eigh(&a, UPLO::Upper)?;
    let _: (ArrayD<f64>, ArrayD<f64>) = (values.into_dyn(), vectors.into_dyn());
    let _: ArrayD<f64> = stacked::eigvalsh(&a, UPLO::Lower)?.into_dyn();
    let Eig { values, vectors } = stacked::eig(&a)?;
    let _: (ArrayD<c64>, ArrayD<c64>) = (values.into_dyn(), vectors.into_dyn());
    let _: ArrayD<c64> = stacked::eigvals(&a)?.into_dyn();
    let _: ArrayD<f64> = stacked::pinv(&a, None)?.into_dyn();
    let _: ArrayD<usize> = stacked::matrix_rank(&a, Some(1e-12))?.into_dyn();
    let _: ArrayD<f64> = stacked::cond(&a, MatrixNorm::Two)?.into_dyn();
    let _: ArrayD<f64> = stacked::matrix_norm(&a, MatrixNorm::Fro)?.into_dyn();
    Ok(())
}

#[test]
fn ops_items() -> Result<()> {
    use ndkit::ops::{
        argwhere, bincount, cdist, convolve, corrcoef, correlate, cov, histogram,
        histogram_weighted, knn, nearest, searchsorted, select, threshold_crossings, where_cond,
        Bins, ConvolveMode, Edge, Metric, Side,
    };
    assert_plain_enum::<Metric>();
    assert_plain_enum::<ConvolveMode>();
    assert_plain_enum::<Edge>();
    assert_plain_enum::<Side>();
    let x: Array2<f64> = array![[0.0, 1.0], [2.0, 3.0], [4.0, 7.0]];
    for metric in [
        Metric::Euclidean,
        Metric::SqEuclidean,
        Metric::Cosine,
        Metric::Cityblock,
        Metric::Chebyshev,
        Metric::Minkowski(3.0),
    ] {
        let _: Array2<f64> = cdist(&x, &x.view(), metric)?;
    }
    let (_, _): (Array1<usize>, Array1<f64>) = nearest(&x, &x.slice(s![..1, ..]))?;
    let (_, _): (Array2<usize>, Array2<f64>) = knn(&x, &x, 2)?;
    let v: Array1<f32> = array![1.0, 2.0, 3.0, 0.5];
    for mode in [ConvolveMode::Full, ConvolveMode::Same, ConvolveMode::Valid] {
        let _: Array1<f32> = convolve(&v, &v.slice(s![..2]), mode)?;
        let _: Array1<f32> = correlate(&v, &v.slice(s![..;-1]), mode)?;
    }
    for edge in [Edge::Rising, Edge::Falling, Edge::Both] {
        let _: Array1<usize> = threshold_crossings(&v, 1.5, edge);
    }
    let mask = v.mapv(|t| t > 1.0);
    let _: Array2<usize> = argwhere(&mask);
    let _: Array1<usize> = searchsorted(&array![1.0_f32, 2.0], &v, Side::Left)?;
    let _: Array2<usize> = searchsorted(&array![1.0, 2.0], &x, Side::Right)?;
    let bins: [Bins<f32>; 3] = [
        Bins::Count(3),
        Bins::Range(2, 0.0, 4.0),
        Bins::Edges(array![0.0, 1.0, 4.0]),
    ];
    for b in bins {
        let (_, _): (Array1<usize>, Array1<f32>) = histogram(&v, b.clone())?;
        let (_, _): (Array1<f32>, Array1<f32>) = histogram_weighted(&v, &v, b)?;
    }
    let _: Array1<usize> = bincount(&[0, 2, 2], 4);
    let _: ArrayD<f32> = where_cond(&mask, &v, &array![0.0_f32])?;
    let _: ArrayD<&str> = where_cond(&mask, &array!["a"], &array!["b"])?;
    let c = mask.view().into_dyn();
    let _: ArrayD<f32> = select(&[c], &[v.view().into_dyn()], 0.0)?;
    let _: Array2<f64> = cov(&x, 1)?;
    let _: Array2<f64> = corrcoef(&x)?;
    Ok(())
}

#[test]
fn ml_addition_items() -> Result<()> {
    use ndkit::ml::{
        bce_with_logits, bce_with_logits_grad, gelu, gelu_backward, leaky_relu,
        leaky_relu_backward, mse_loss, mse_loss_grad, nll_loss, nll_loss_grad, sigmoid,
        sigmoid_backward, silu, silu_backward, softplus, softplus_backward, tanh, tanh_backward,
        CovarianceAccumulator, FittedPca, GeluApprox, IncrementalPca, Pca,
    };
    assert_plain_enum::<GeluApprox>();
    let x: Array2<f64> = array![[-1.0, 0.0], [0.5, 2.0], [1.0, 3.0]];
    let g = x.view();
    let _: [Array2<f64>; 4] = [sigmoid(&x), tanh(&x), silu(&x), softplus(&x)];
    let _: [Array2<f64>; 4] = [
        sigmoid_backward(&x, &g)?,
        tanh_backward(&x, &g)?,
        silu_backward(&x, &g)?,
        softplus_backward(&x, &g)?,
    ];
    let _: Array2<f64> = leaky_relu(&x, 0.01);
    let _: Array2<f64> = leaky_relu_backward(&x, &g, 0.01)?;
    for approx in [GeluApprox::None, GeluApprox::Tanh] {
        let _: Array2<f64> = gelu(&x, approx);
        let _: Array2<f64> = gelu_backward(&x, &g, approx)?;
    }
    let _: f64 = mse_loss(&x, &g)?;
    let (_, _): (f64, Array2<f64>) = mse_loss_grad(&x, &g)?;
    let targets = x.mapv(|v| if v > 0.0 { 1.0 } else { 0.0 });
    let _: f64 = bce_with_logits(&x, &targets)?;
    let (_, _): (f64, Array2<f64>) = bce_with_logits_grad(&x, &targets)?;
    let _: f64 = nll_loss(&x, &[0, 1, 1])?;
    let (_, _): (f64, Array2<f64>) = nll_loss_grad(&x, &[0, 1, 1])?;
    let fit: FittedPca<f64> = Pca::with_variance(0.9).fit(&x)?;
    let _: f64 = fit.noise_variance();
    let mut inc: IncrementalPca<f64> = IncrementalPca::new(1).whiten(false).batch_size(2);
    inc.partial_fit(&x)?;
    let _: FittedPca<f64> = inc.model()?;
    let _: FittedPca<f64> = IncrementalPca::new(1).fit(&x)?;
    let mut acc: CovarianceAccumulator<f64> = CovarianceAccumulator::new(2);
    acc.update(&x)?;
    acc.merge(&CovarianceAccumulator::new(2))?;
    let _: usize = acc.count();
    let _: Array1<f64> = acc.mean();
    let _: Array2<f64> = acc.covariance(1)?;
    let _: FittedPca<f64> = acc.pca(1, true)?;
    let shape_error = Array1::<f64>::zeros(3)
        .into_shape_with_order((2, 2))
        .unwrap_err();
    let _: Error = shape_error.into();
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
