//! Concurrent callers: ndkit called from many threads at once gives bitwise the results of
//! a serial run with the same thread setting (correctness only; the speed is measured by
//! `benches/concurrent.rs`). One test per binary: the thread setting is process-wide.

mod common;

use common::{hpd, random_matrix, rng, well_conditioned};
use ndarray::{Array1, Array2};
use ndkit::linalg::{self, UPLO};

/// Everything one caller computes: small calls (single-threaded, side by side) and calls
/// large enough to run multi-threaded (one at a time).
#[derive(PartialEq, Debug)]
struct Results {
    solve_small: Array2<f64>,
    svdvals_small: Array1<f64>,
    eigvalsh_small: Array1<f64>,
    matmul_large: Array2<f64>,
    solve_large: Array2<f64>,
    eigh_large: Array2<f64>,
    lstsq_large: Array2<f64>,
    det_large: f64,
}

struct Inputs {
    small: Array2<f64>,
    small_spd: Array2<f64>,
    small_rhs: Array2<f64>,
    large: Array2<f64>,
    large_spd: Array2<f64>,
    large_rhs: Array2<f64>,
    tall: Array2<f64>,
    tall_rhs: Array2<f64>,
}

fn inputs() -> Inputs {
    let mut g = rng(10);
    Inputs {
        small: well_conditioned(&mut g, 120),
        small_spd: hpd(&mut g, 120),
        small_rhs: random_matrix(&mut g, 120, 3),
        // n = 320: past the size where factorisations run multi-threaded (n ≈ 256).
        large: well_conditioned(&mut g, 320),
        large_spd: hpd(&mut g, 320),
        large_rhs: random_matrix(&mut g, 320, 40),
        tall: random_matrix(&mut g, 400, 300),
        tall_rhs: random_matrix(&mut g, 400, 40),
    }
}

fn compute(x: &Inputs) -> Results {
    Results {
        solve_small: linalg::solve(&x.small, &x.small_rhs).unwrap(),
        svdvals_small: linalg::svdvals(&x.small).unwrap(),
        eigvalsh_small: linalg::eigvalsh(&x.small_spd, UPLO::Lower).unwrap(),
        matmul_large: linalg::matmul(&x.large, &x.large).unwrap(),
        solve_large: linalg::solve(&x.large, &x.large_rhs).unwrap(),
        eigh_large: linalg::eigh(&x.large_spd, UPLO::Upper).unwrap().vectors,
        lstsq_large: linalg::lstsq(&x.tall, &x.tall_rhs, None).unwrap().solution,
        det_large: linalg::det(&x.large).unwrap(),
    }
}

#[test]
fn concurrent_callers_get_the_serial_results() {
    // At least two threads, so that the multi-threaded and single-threaded paths both run.
    ndkit::set_num_threads(ndkit::num_threads().max(2));
    let x = inputs();
    let serial = compute(&x);
    // Eight callers, more than the cores, each repeating everything.
    std::thread::scope(|scope| {
        for caller in 0..8 {
            let (x, serial) = (&x, &serial);
            scope.spawn(move || {
                for round in 0..3 {
                    let got = compute(x);
                    assert!(got == *serial, "caller {caller}, round {round}");
                }
            });
        }
    });
    // And serial again afterwards: the thread setting is what it was.
    assert!(ndkit::num_threads() >= 2);
    assert!(compute(&x) == serial);
}
