//! Concurrent callers: the time for 8 threads each making 25 calls (solve, svdvals,
//! eigvalsh of 120×120 f64, in turn) at each BLAS thread setting, next to one caller's, and
//! a large matmul at 1 and at all threads (a single caller must keep the multi-threaded
//! speed). Prints a markdown table; `cargo bench --bench concurrent`.
//!
//! Each row is the best of `ROUNDS` runs: the machine is shared, and the ratios between
//! rows, measured in one run, are what counts.

use std::hint::black_box;
use std::time::Instant;

use ndarray::Array2;
use ndkit::linalg::{self, UPLO};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const CALLS_PER_CALLER: usize = 25;
const ROUNDS: usize = 3;

fn uniform(seed: u64, m: usize, n: usize) -> Array2<f64> {
    let mut rng = StdRng::seed_from_u64(seed);
    Array2::from_shape_simple_fn((m, n), || rng.random_range(-1.0..1.0))
}

struct Problem {
    a: Array2<f64>,
    spd: Array2<f64>,
    b: Array2<f64>,
}

impl Problem {
    fn new(n: usize) -> Problem {
        let mut a = uniform(1, n, n);
        a.diag_mut().mapv_inplace(|d| d + 2.0 * (n as f64).sqrt());
        let spd = a.t().dot(&a);
        Problem {
            a,
            spd,
            b: uniform(2, n, 4),
        }
    }

    /// Call `i` of a caller's sequence; checked for errors so a fast `Err` cannot pass for
    /// a fast answer.
    fn call(&self, i: usize) {
        match i % 3 {
            0 => drop(black_box(linalg::solve(&self.a, &self.b).unwrap())),
            1 => drop(black_box(linalg::svdvals(&self.a).unwrap())),
            _ => drop(black_box(linalg::eigvalsh(&self.spd, UPLO::Lower).unwrap())),
        }
    }
}

/// Seconds for `callers` threads each making `CALLS_PER_CALLER` calls, best of `ROUNDS`.
fn concurrent(problem: &Problem, callers: usize) -> f64 {
    (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            std::thread::scope(|scope| {
                for _ in 0..callers {
                    scope.spawn(|| (0..CALLS_PER_CALLER).for_each(|i| problem.call(i)));
                }
            });
            start.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

/// Seconds for one matmul of `a` with itself, best of `ROUNDS`.
fn matmul(a: &Array2<f64>) -> f64 {
    (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            black_box(linalg::matmul(a, a).unwrap());
            start.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    // `cargo bench` passes `--bench`; a filter or `--list` from cargo's harness protocol is
    // answered with nothing to list.
    if std::env::args().any(|arg| arg == "--list") {
        return;
    }
    let cores = ndkit::num_threads().max(2);
    println!("{}\n", ndkit::backend());
    let problem = Problem::new(120);
    problem.call(0); // first call: kernel selection, thread pool start-up
    println!("| BLAS threads (`set_num_threads`) | callers | calls | time (s) | vs 1 thread, same callers |");
    println!("|---|---|---|---|---|");
    for callers in [8, 2, 1] {
        ndkit::set_num_threads(1);
        let single = concurrent(&problem, callers);
        ndkit::set_num_threads(cores);
        let multi = concurrent(&problem, callers);
        let calls = callers * CALLS_PER_CALLER;
        println!("| 1 | {callers} | {calls} | {single:.3} | 1 |");
        println!(
            "| {cores} | {callers} | {calls} | {multi:.3} | {:.2} |",
            multi / single
        );
    }
    let a = uniform(3, 2048, 2048);
    ndkit::set_num_threads(1);
    let one = matmul(&a);
    ndkit::set_num_threads(cores);
    let all = matmul(&a);
    println!(
        "\nmatmul 2048 f64, one caller: {one:.3} s at 1 thread, {all:.3} s at {cores} threads ({:.2} of the 1-thread time)",
        all / one
    );
}
