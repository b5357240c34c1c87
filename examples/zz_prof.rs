use ndarray::Array3;
use ndkit::linalg::{stacked, UPLO};
use rand::{Rng, SeedableRng};
fn main() {
    ndkit::set_num_threads(1);
    let which = std::env::args().nth(1).unwrap();
    let n: usize = std::env::args().nth(2).unwrap().parse().unwrap();
    let k: usize = std::env::args().nth(3).unwrap().parse().unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    let mut a = Array3::<f64>::from_shape_simple_fn((k, n, n), || rng.random_range(-1.0..1.0));
    for m in 0..k {
        for i in 0..n {
            a[[m, i, i]] += n as f64;
        }
    }
    let mut s = a.clone();
    for m in 0..k {
        let x = a.slice(ndarray::s![m, .., ..]);
        s.slice_mut(ndarray::s![m, .., ..])
            .assign(&ndkit::linalg::matmul(&x.t(), &x).unwrap());
    }
    let cpu = || {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
        ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
    };
    let t0 = cpu();
    for _ in 0..20 {
        match which.as_str() {
            "det" => {
                std::hint::black_box(stacked::det(&a).unwrap());
            }
            "inv" => {
                std::hint::black_box(stacked::inv(&a).unwrap());
            }
            "chol" => {
                std::hint::black_box(stacked::cholesky(&s, UPLO::Lower).unwrap());
            }
            "eigh" => {
                std::hint::black_box(stacked::eigh(&s, UPLO::Lower).unwrap());
            }
            _ => panic!(),
        }
    }
    println!(
        "{} n={n} k={k} {:.3} ms CPU per call",
        which,
        (cpu() - t0) * 1e3 / 20.0
    );
}
