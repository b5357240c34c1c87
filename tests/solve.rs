//! Square, triangular and least-squares solvers, inverses, determinants and the LU/Cholesky
//! factor objects: LAPACK-style normalised backward errors over dtypes × shapes × layouts,
//! singularity rules, empty inputs and every bad-input class.

mod common;

use common::*;
use ndarray::{array, s, Array1, Array2, Array3, Axis};
use ndkit::linalg::{
    cho_factor, cholesky, det, inv, lstsq, lu_factor, slogdet, solve, solve_triangular, UPLO,
};
use ndkit::{c64, Error, Scalar};
use rand::Rng;

/// Normalised backward-error bound: LAPACK's test suites accept ratios below 30 (the
/// "threshold" in xLAMCH-based tests); well-behaved factorisations give ratios of O(1).
const BACKWARD_BOUND: f64 = 30.0;

const SIZES: [usize; 6] = [1, 2, 3, 17, 64, 65];

/// ‖A·X − B‖_F / (‖A‖_F·‖X‖_F·n·ε).
fn solve_ratio<T: Scalar>(a: &Array2<T>, x: &Array2<T>, b: &Array2<T>) -> f64 {
    let n = a.nrows().max(1) as f64;
    let denom = (fro(a) * fro(x)).max(f64::MIN_POSITIVE) * n * eps::<T>();
    fro_diff(&naive_matmul(a, x), b) / denom
}

fn solve_backward_error<T: TestScalar>() {
    let mut rng = rng(1);
    for n in SIZES {
        let a = well_conditioned::<T>(&mut rng, n);
        let b = random_matrix::<T>(&mut rng, n, 3);
        for (layout, a_l) in layouts(&a) {
            let x = solve(&a_l, &b).unwrap();
            let ratio = solve_ratio(&a, &x, &b);
            assert!(
                ratio < BACKWARD_BOUND,
                "{} n={n} {layout}: ratio {ratio}",
                std::any::type_name::<T>()
            );
            // A vector right-hand side gives the first column of the matrix solve's problem.
            let x1 = solve(&a_l, &b.column(0)).unwrap();
            let ratio = solve_ratio(
                &a,
                &x1.insert_axis(Axis(1)),
                &b.slice(s![.., ..1]).to_owned(),
            );
            assert!(
                ratio < BACKWARD_BOUND,
                "{} n={n} {layout} vector: ratio {ratio}",
                std::any::type_name::<T>()
            );
        }
        // Right-hand sides in unusual layouts too.
        for (layout, b_l) in layouts(&b) {
            let x = solve(&a, &b_l).unwrap();
            assert!(
                solve_ratio(&a, &x, &b) < BACKWARD_BOUND,
                "rhs layout {layout}"
            );
        }
    }
}

dtype_tests!(solve_has_small_backward_error_for_all_dtypes_and_layouts => solve_backward_error);

fn inverse_backward_error<T: TestScalar>() {
    let mut rng = rng(2);
    for n in SIZES {
        let a = well_conditioned::<T>(&mut rng, n);
        let identity = Array2::<T>::eye(n);
        for (layout, a_l) in layouts(&a) {
            let a_inv = inv(&a_l).unwrap();
            let ratio = fro_diff(&naive_matmul(&a, &a_inv), &identity)
                / (fro(&a) * fro(&a_inv) * n as f64 * eps::<T>());
            assert!(
                ratio < BACKWARD_BOUND,
                "{} n={n} {layout}: ratio {ratio}",
                std::any::type_name::<T>()
            );
            let from_factor = lu_factor(&a_l).unwrap().inv().unwrap();
            assert!(fro_diff(&from_factor, &a_inv) <= 10.0 * eps::<T>() * fro(&a_inv) * n as f64);
        }
    }
}

dtype_tests!(inv_has_small_backward_error_for_all_dtypes_and_layouts => inverse_backward_error);

fn determinant_identities<T: TestScalar>() {
    let mut rng = rng(3);
    for n in SIZES {
        let a = well_conditioned::<T>(&mut rng, n);
        let d = det(&a).unwrap();
        // log|det A| + log|det A⁻¹| = 0 (in logs: det itself overflows f32 at n = 64).
        let (_, logdet) = slogdet(&a).unwrap();
        let (_, logdet_inv) = slogdet(&inv(&a).unwrap()).unwrap();
        let sum = f64_of(logdet + logdet_inv);
        assert!(
            sum.abs() < 100.0 * n as f64 * eps::<T>() * (1.0 + f64_of(logdet).abs()),
            "n={n}: {sum}"
        );
        if !d.finite() {
            continue; // f32 overflows at n = 64; the log identity above still covers it.
        }
        // det(Aᴴ) = conj(det(A)); every layout gives the same value.
        let d_h = det(&conj_t(&a)).unwrap();
        assert!(
            f64_of((d_h - d.conj()).norm()) <= 100.0 * n as f64 * eps::<T>() * f64_of(d.norm())
        );
        for (layout, a_l) in layouts(&a) {
            let dl = det(&a_l).unwrap();
            assert!(
                f64_of((dl - d).norm()) <= 100.0 * n as f64 * eps::<T>() * f64_of(d.norm()),
                "{layout}"
            );
            let (sign, logdet) = slogdet(&a_l).unwrap();
            let recon = sign * T::from_real(num_traits::Float::exp(logdet));
            assert!(
                f64_of((recon - d).norm()) <= 100.0 * n as f64 * eps::<T>() * f64_of(d.norm()),
                "{layout} slogdet"
            );
            assert!(
                f64_of(num_traits::Float::abs(sign.norm() - num_traits::One::one()))
                    < 10.0 * eps::<T>()
            );
        }
    }
}

dtype_tests!(det_and_slogdet_agree_across_layouts => determinant_identities);

#[test]
fn det_of_triangular_and_permutation_matrices_is_exact() {
    let t = array![[2.0_f64, 5.0, 7.0], [0.0, 3.0, 1.0], [0.0, 0.0, -4.0]];
    assert!((det(&t).unwrap() + 24.0).abs() < 1e-13);
    let p = array![[0.0_f64, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]];
    assert!((det(&p).unwrap() - 1.0).abs() < 1e-15);
    let swap = array![[0.0_f64, 1.0], [1.0, 0.0]];
    assert!((det(&swap).unwrap() + 1.0).abs() < 1e-15);
    let z = array![
        [c64::new(0.0, 2.0), c64::new(0.0, 0.0)],
        [c64::new(0.0, 0.0), c64::new(0.0, 3.0)]
    ];
    assert!((det(&z).unwrap() - c64::new(-6.0, 0.0)).norm() < 1e-14);
}

#[test]
fn slogdet_does_not_overflow_where_det_would() {
    let a = Array2::from_diag(&Array1::from_elem(400, 10.0_f64));
    let (sign, logdet) = slogdet(&a).unwrap();
    assert_eq!(sign, 1.0);
    assert!((logdet - 400.0 * 10f64.ln()).abs() < 1e-10);
    assert!(det(&a).unwrap().is_infinite());
}

#[test]
fn singular_matrices_are_reported_and_det_is_zero() {
    // Exactly zero pivot.
    let exact = array![[1.0, 2.0], [2.0, 4.0]];
    assert!(matches!(
        solve(&exact, &array![1.0, 2.0]),
        Err(Error::Singular { op: "solve", .. })
    ));
    assert!(matches!(
        inv(&exact),
        Err(Error::Singular { op: "inv", .. })
    ));
    assert_eq!(det(&exact).unwrap(), 0.0);
    assert_eq!(slogdet(&exact).unwrap(), (0.0, f64::NEG_INFINITY));
    let zero_col = array![[1.0, 0.0, 3.0], [4.0, 0.0, 6.0], [7.0, 0.0, 9.0]];
    assert!(matches!(
        inv(&zero_col),
        Err(Error::Singular { pivot: Some(_), .. })
    ));
    // Singular to working precision: the third row is the sum of the first two, so the last
    // pivot rounds to ~1e-16 rather than 0.
    let near = array![[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.5, 0.7, 0.9]];
    let err = solve(&near, &array![1.0, 2.0, 3.0]).unwrap_err();
    assert!(err.is_singular(), "{err:?}");
    assert!(lu_factor(&near).unwrap().inv().unwrap_err().is_singular());
    // A duplicated row in f32 and complex.
    let dup32 = array![[1.0f32, 2.0, 3.0], [4.0, 5.0, 6.5], [1.0, 2.0, 3.0]];
    assert!(inv(&dup32).unwrap_err().is_singular());
}

#[test]
fn badly_scaled_but_well_conditioned_matrices_are_not_singular() {
    let mut rng = rng(4);
    for n in [2, 5, 16] {
        let a = graded(&mut rng, n);
        let b = random_matrix::<f64>(&mut rng, n, 2);
        let x = solve(&a, &b).unwrap();
        // Row-wise backward error: each row of A has its own scale.
        let r = naive_matmul(&a, &x) - &b;
        for i in 0..n {
            let row_scale: f64 = a.row(i).iter().map(|v| v.abs()).sum::<f64>()
                * x.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            let ratio = r.row(i).iter().fold(0.0f64, |m, v| m.max(v.abs()))
                / ((row_scale + b.row(i).iter().fold(0.0f64, |m, v| m.max(v.abs())))
                    * n as f64
                    * f64::EPSILON);
            assert!(
                ratio < BACKWARD_BOUND,
                "graded n={n} row {i}: ratio {ratio}"
            );
        }
        inv(&a).unwrap();
    }
}

fn lu_factor_reuse<T: TestScalar>() {
    let mut rng = rng(5);
    let n = 20;
    let a = well_conditioned::<T>(&mut rng, n);
    let lu = lu_factor(&a).unwrap();
    for k in [1, 4] {
        let b = random_matrix::<T>(&mut rng, n, k);
        assert!(solve_ratio(&a, &lu.solve(&b).unwrap(), &b) < BACKWARD_BOUND);
    }
    let d = det(&a).unwrap();
    assert!(f64_of((lu.det() - d).norm()) <= 100.0 * n as f64 * eps::<T>() * f64_of(d.norm()));
}

dtype_tests!(lu_factor_solves_many_right_hand_sides => lu_factor_reuse);

fn cholesky_backward_error<T: TestScalar>() {
    let mut rng = rng(6);
    for n in SIZES {
        let a = hpd::<T>(&mut rng, n);
        for (layout, a_l) in layouts(&a) {
            let l = cholesky(&a_l, UPLO::Lower).unwrap();
            let u = cholesky(&a_l, UPLO::Upper).unwrap();
            for i in 0..n {
                for j in 0..n {
                    if j > i {
                        assert_eq!(l[[i, j]], T::zero());
                    }
                    if j < i {
                        assert_eq!(u[[i, j]], T::zero());
                    }
                }
            }
            let bound = fro(&a) * n as f64 * eps::<T>();
            let rl = fro_diff(&naive_matmul(&l, &conj_t(&l)), &a) / bound;
            let ru = fro_diff(&naive_matmul(&conj_t(&u), &u), &a) / bound;
            assert!(
                rl < BACKWARD_BOUND && ru < BACKWARD_BOUND,
                "n={n} {layout}: {rl} {ru}"
            );
            let b = random_matrix::<T>(&mut rng, n, 2);
            for uplo in [UPLO::Lower, UPLO::Upper] {
                let x = cho_factor(&a_l, uplo).unwrap().solve(&b).unwrap();
                assert!(
                    solve_ratio(&a, &x, &b) < BACKWARD_BOUND,
                    "cho_factor n={n} {layout} {uplo:?}"
                );
            }
        }
    }
}

dtype_tests!(cholesky_reconstructs_for_all_dtypes_and_layouts => cholesky_backward_error);

#[test]
fn cholesky_reads_only_the_named_triangle() {
    let a = array![[4.0, 2.0], [2.0, 10.0]];
    let lower_only = array![[4.0, f64::NAN], [2.0, 10.0]];
    let upper_only = array![[4.0, 2.0], [f64::NAN, 10.0]];
    assert_eq!(
        cholesky(&lower_only, UPLO::Lower).unwrap(),
        cholesky(&a, UPLO::Lower).unwrap()
    );
    assert_eq!(
        cholesky(&upper_only, UPLO::Upper).unwrap(),
        cholesky(&a, UPLO::Upper).unwrap()
    );
    // Row-major input with only the upper triangle filled (upstream ndarray-linalg #394 class).
    let upper_c = array![[4.0, 2.0], [0.0, 10.0]];
    let u = cholesky(&upper_c, UPLO::Upper).unwrap();
    assert_eq!(u, array![[2.0, 1.0], [0.0, 3.0]]);
    assert!(matches!(
        cholesky(&lower_only, UPLO::Upper),
        Err(Error::NonFinite { op: "cholesky", .. })
    ));
}

#[test]
fn cholesky_rejects_indefinite_matrices() {
    let indefinite = array![[1.0, 2.0], [2.0, 1.0]];
    assert_eq!(
        cholesky(&indefinite, UPLO::Lower),
        Err(Error::NotPositiveDefinite {
            op: "cholesky",
            minor: 2
        })
    );
    assert!(matches!(
        cho_factor(&-Array2::<f64>::eye(3), UPLO::Upper),
        Err(Error::NotPositiveDefinite { minor: 1, .. })
    ));
}

fn triangular_solves<T: TestScalar>() {
    let mut rng = rng(7);
    for n in SIZES {
        let full = well_conditioned::<T>(&mut rng, n);
        let b = random_matrix::<T>(&mut rng, n, 2);
        for uplo in [UPLO::Lower, UPLO::Upper] {
            let tri = Array2::from_shape_fn((n, n), |(i, j)| {
                let keep = if uplo == UPLO::Lower { i >= j } else { i <= j };
                if keep {
                    full[[i, j]]
                } else {
                    T::zero()
                }
            });
            for (layout, a_l) in layouts(&full) {
                // The other triangle of `full` holds garbage that must be ignored.
                let x = solve_triangular(&a_l, &b, uplo).unwrap();
                let ratio = solve_ratio(&tri, &x, &b);
                assert!(ratio < BACKWARD_BOUND, "n={n} {uplo:?} {layout}: {ratio}");
                let x1 = solve_triangular(&a_l, &b.column(1), uplo).unwrap();
                assert_eq!(x1.len(), n);
            }
        }
    }
}

dtype_tests!(solve_triangular_reads_one_triangle_in_every_layout => triangular_solves);

#[test]
fn solve_triangular_reports_zero_diagonal() {
    let a = array![[1.0, 0.0], [3.0, 0.0]];
    assert_eq!(
        solve_triangular(&a, &array![1.0, 1.0], UPLO::Lower),
        Err(Error::Singular {
            op: "solve_triangular",
            pivot: Some(1),
            rcond: 0.0
        })
    );
}

fn least_squares<T: TestScalar>() {
    let mut rng = rng(8);
    // Overdetermined, full rank: the residual is orthogonal to range(A).
    for (m, n) in [(10, 3), (65, 17), (3, 3), (5, 1)] {
        let a = random_matrix::<T>(&mut rng, m, n);
        let b = random_matrix::<T>(&mut rng, m, 2);
        for (layout, a_l) in layouts(&a) {
            let fit = lstsq(&a_l, &b, None).unwrap();
            assert_eq!(fit.rank, n);
            assert_eq!(fit.singular_values.len(), n);
            let r = &b - &naive_matmul(&a, &fit.solution);
            let normal = naive_matmul(&conj_t(&a), &r);
            let ratio = fro(&normal)
                / (fro(&a) * (fro(&a) * fro(&fit.solution) + fro(&b)) * m as f64 * eps::<T>());
            assert!(
                ratio < BACKWARD_BOUND,
                "{m}x{n} {layout}: normal-equation ratio {ratio}"
            );
            if m > n {
                for j in 0..2 {
                    let expected: f64 = r.column(j).iter().map(|v| f64_of(v.norm_sqr())).sum();
                    let got = f64_of(fit.residuals[j]);
                    assert!(
                        (got - expected).abs() <= 1e3 * eps::<T>() * (expected + fro(&b).powi(2)),
                        "residual {got} vs {expected}"
                    );
                }
            } else {
                assert_eq!(fit.residuals.len(), 0);
            }
        }
        let vector_fit = lstsq(&a, &b.column(0), None).unwrap();
        assert_eq!(vector_fit.solution.dim(), n);
        assert_eq!(vector_fit.residuals.len(), usize::from(m > n));
    }
    // Underdetermined: the minimum-norm solution solves the system exactly and lies in the
    // row space of A (orthogonal to its null space).
    let a = random_matrix::<T>(&mut rng, 3, 8);
    let b = random_matrix::<T>(&mut rng, 3, 1);
    let fit = lstsq(&a, &b, None).unwrap();
    assert_eq!(fit.rank, 3);
    assert!(solve_ratio(&a, &fit.solution, &b) < BACKWARD_BOUND);
    assert_eq!(fit.residuals.len(), 0);
    // Rank-deficient: rank detected, solution in the row space.
    let a = rank_deficient::<T>(&mut rng, 9, 6, 3);
    let fit = lstsq(&a, &random_matrix::<T>(&mut rng, 9, 1), None).unwrap();
    assert_eq!(fit.rank, 3);
    assert_eq!(fit.residuals.len(), 0);
}

dtype_tests!(lstsq_solves_over_under_and_rank_deficient_systems => least_squares);

#[test]
fn lstsq_rcond_truncates_small_singular_values() {
    let a = array![[1.0_f64, 0.0], [0.0, 1e-8], [0.0, 0.0]];
    let b = array![1.0, 1.0, 1.0];
    assert_eq!(lstsq(&a, &b, None).unwrap().rank, 2);
    let truncated = lstsq(&a, &b, Some(1e-6)).unwrap();
    assert_eq!(truncated.rank, 1);
    assert!((truncated.solution[1]).abs() < 1e-12);
}

#[test]
fn empty_inputs_behave_like_numpy() {
    let e = Array2::<f64>::zeros((0, 0));
    assert_eq!(det(&e).unwrap(), 1.0);
    assert_eq!(slogdet(&e).unwrap(), (1.0, 0.0));
    assert_eq!(inv(&e).unwrap().dim(), (0, 0));
    assert_eq!(solve(&e, &Array1::<f64>::zeros(0)).unwrap().dim(), 0);
    assert_eq!(
        solve(&e, &Array2::<f64>::zeros((0, 3))).unwrap().dim(),
        (0, 3)
    );
    assert_eq!(cholesky(&e, UPLO::Lower).unwrap().dim(), (0, 0));
    assert_eq!(lu_factor(&e).unwrap().det(), 1.0);
    assert_eq!(
        solve_triangular(&e, &Array1::<f64>::zeros(0), UPLO::Upper)
            .unwrap()
            .dim(),
        0
    );
    // A system with no right-hand sides.
    let a = array![[2.0, 1.0], [1.0, 3.0]];
    assert_eq!(
        solve(&a, &Array2::<f64>::zeros((2, 0))).unwrap().dim(),
        (2, 0)
    );
    // lstsq with no unknowns or no equations: NumPy gives zero solutions.
    let fit = lstsq(&Array2::<f64>::zeros((3, 0)), &array![1.0, 2.0, 2.0], None).unwrap();
    assert_eq!(fit.solution.dim(), 0);
    assert_eq!(fit.rank, 0);
    assert_eq!(fit.residuals, array![9.0]);
    let fit = lstsq(
        &Array2::<f64>::zeros((0, 2)),
        &Array1::<f64>::zeros(0),
        None,
    )
    .unwrap();
    assert_eq!(fit.solution, array![0.0, 0.0]);
    assert_eq!(fit.singular_values.len(), 0);
}

#[test]
fn bad_shapes_are_errors_naming_the_operation() {
    let rect = Array2::<f64>::zeros((2, 3));
    let sq = Array2::<f64>::eye(3);
    assert_eq!(
        solve(&rect, &Array1::<f64>::zeros(2)),
        Err(Error::NotSquare {
            op: "solve",
            shape: vec![2, 3]
        })
    );
    assert!(matches!(
        inv(&rect),
        Err(Error::NotSquare { op: "inv", .. })
    ));
    assert!(matches!(
        det(&rect),
        Err(Error::NotSquare { op: "det", .. })
    ));
    assert!(matches!(
        slogdet(&rect),
        Err(Error::NotSquare { op: "slogdet", .. })
    ));
    assert!(matches!(
        lu_factor(&rect),
        Err(Error::NotSquare {
            op: "lu_factor",
            ..
        })
    ));
    assert!(matches!(
        cholesky(&rect, UPLO::Lower),
        Err(Error::NotSquare { op: "cholesky", .. })
    ));
    assert!(matches!(
        solve_triangular(&rect, &Array1::<f64>::zeros(2), UPLO::Lower),
        Err(Error::NotSquare { .. })
    ));
    assert_eq!(
        solve(&sq, &Array1::<f64>::zeros(4)),
        Err(Error::IncompatibleShapes {
            op: "solve",
            lhs: vec![3, 3],
            rhs: vec![4]
        })
    );
    assert!(matches!(
        solve(&sq, &Array3::<f64>::zeros((3, 1, 1))),
        Err(Error::InvalidShape { op: "solve", .. })
    ));
    assert!(matches!(
        lu_factor(&sq).unwrap().solve(&Array2::<f64>::zeros((2, 2))),
        Err(Error::IncompatibleShapes { .. })
    ));
    assert!(matches!(
        lstsq(&rect, &Array1::<f64>::zeros(3), None),
        Err(Error::IncompatibleShapes { op: "lstsq", .. })
    ));
    let message = solve(&sq, &Array1::<f64>::zeros(4))
        .unwrap_err()
        .to_string();
    assert_eq!(message, "solve: incompatible shapes [3, 3] and [4]");
}

#[test]
fn lstsq_rejects_nan_and_inf_before_lapack() {
    let a = array![[1.0, f64::NAN], [0.0, 1.0]];
    assert_eq!(
        lstsq(&a, &array![1.0, 1.0], None).unwrap_err(),
        Error::NonFinite {
            op: "lstsq",
            shape: vec![2, 2]
        }
    );
    let b = array![1.0, f64::INFINITY];
    assert!(matches!(
        lstsq(&Array2::<f64>::eye(2), &b, None),
        Err(Error::NonFinite { .. })
    ));
}

#[test]
fn nan_propagates_through_solve_like_numpy() {
    let a = array![[1.0, f64::NAN], [0.0, 1.0]];
    let x = solve(&a, &array![1.0, 1.0]).unwrap();
    assert!(x.iter().any(|v| v.is_nan()));
}

#[test]
fn rcond_estimates_the_condition_of_a_not_of_its_lu_factors() {
    // ndarray-linalg 0.18 estimated rcond from the norm of the LU factors instead of A's.
    // LAPACK's ?gecon estimate is ≥ the true reciprocal condition number and within a small
    // factor of it (Higham, "Accuracy and Stability", §15.3: rarely more than 3× off).
    let mut rng = rng(9);
    for n in [3, 10, 40] {
        let a =
            well_conditioned::<f64>(&mut rng, n) + &(random_matrix::<f64>(&mut rng, n, n) * 5.0);
        let norm1 = |m: &Array2<f64>| {
            m.columns()
                .into_iter()
                .map(|c| c.iter().map(|v| v.abs()).sum::<f64>())
                .fold(0.0, f64::max)
        };
        let truth = 1.0 / (norm1(&a) * norm1(&inv(&a).unwrap()));
        let estimate = lu_factor(&a).unwrap().rcond();
        assert!(
            estimate >= truth * (1.0 - 1e-10) && estimate <= 10.0 * truth,
            "n={n}: {estimate} vs {truth}"
        );
        // The same matrix in C order is factored as its transpose: the estimate must still be
        // of the 1-norm of A, not of Aᵀ.
        let estimate_f = lu_factor(&layouts(&a)[1].1).unwrap().rcond();
        assert!(
            estimate_f >= truth * (1.0 - 1e-10) && estimate_f <= 10.0 * truth,
            "F order n={n}"
        );
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Any size, number of right-hand sides, layout of A and of b: a small backward error.
        #[test]
        fn solve_backward_error_holds_for_any_shape_and_layout(
            n in 1usize..24, k in 0usize..4, layout_a in 0usize..5, layout_b in 0usize..5, seed in 0u64..1000,
        ) {
            let mut rng = rng(seed);
            let a = well_conditioned::<f64>(&mut rng, n);
            let b = random_matrix::<f64>(&mut rng, n, k);
            let x = solve(&layouts(&a)[layout_a].1, &layouts(&b)[layout_b].1).unwrap();
            prop_assert_eq!(x.dim(), (n, k));
            if k > 0 {
                prop_assert!(solve_ratio(&a, &x, &b) < BACKWARD_BOUND);
            }
        }

        /// Shape errors are errors, never panics, for any pair of shapes.
        #[test]
        fn solve_shape_errors_never_panic(m in 0usize..5, n in 0usize..5, r in 0usize..5, k in 0usize..3) {
            let result = solve(&Array2::<f64>::eye(m.max(n)).slice(s![..m, ..n]), &Array2::<f64>::zeros((r, k)));
            prop_assert_eq!(result.is_ok(), m == n && r == n);
        }
    }
}

#[test]
fn the_singularity_verdict_does_not_depend_on_memory_layout() {
    // C-order input is factored as Aᵀ; the equilibration must still be that of A, so the
    // condition estimate (and with it the singular/non-singular verdict) agrees with the
    // Fortran-order factorisation up to the estimator's own variation (pivoting differs).
    let mut rng = rng(10);
    for trial in 0..300 {
        let mut a = random_matrix::<f64>(&mut rng, 3, 3);
        // Badly scaled rows and columns, nearly singular.
        for i in 0..3 {
            let r = 10f64.powi(rng.random_range(-8..8));
            let c = 10f64.powi(rng.random_range(-8..8));
            a.row_mut(i).mapv_inplace(|v| v * r);
            a.column_mut(i).mapv_inplace(|v| v * c);
        }
        let c_order = lu_factor(&a).unwrap().rcond();
        let f_order = lu_factor(&layouts(&a)[1].1).unwrap().rcond();
        let ratio = c_order / f_order;
        // Factor 3: Higham's bound on how far ?lacn2 estimates of the same matrix stray.
        assert!(
            (1.0 / 3.0..=3.0).contains(&ratio),
            "trial {trial}: C {c_order:e} vs F {f_order:e}"
        );
    }
}

#[test]
fn workspaces_beyond_lapacks_32_bit_sizes_are_errors_not_overflows() {
    // Zero-stride broadcast views: the shapes are real, nothing is allocated. LAPACK's own
    // workspace queries wrap around in 32 bits at these sizes and under-allocate.
    let one = Array2::<f32>::zeros((1, 1));
    let big = one.broadcast((46341, 46341)).unwrap();
    assert!(matches!(
        ndkit::linalg::eigh(&big, UPLO::Lower),
        Err(Error::TooLargeToAllocate {
            op: "eigh",
            what: "?syevd",
            ..
        })
    ));
    let wide = one.broadcast((30000, 30000)).unwrap();
    assert!(matches!(
        ndkit::linalg::svd(&wide, false),
        Err(Error::TooLargeToAllocate {
            op: "svd",
            what: "?gesdd",
            ..
        })
    ));
    let tall = Array2::<f64>::zeros((i32::MAX as usize, 0));
    assert!(matches!(
        ndkit::linalg::svd(&tall, true),
        Err(Error::TooLargeToAllocate {
            op: "svd",
            what: "the result",
            ..
        })
    ));
    let a = Array2::<f64>::eye(2);
    let rhs = Array2::<f64>::zeros((2, 1));
    let rhs = rhs.broadcast((2, 1 << 30)).unwrap();
    assert!(matches!(
        lstsq(&a, &rhs, None),
        Err(Error::TooLargeToAllocate { op: "lstsq", .. })
    ));
}
