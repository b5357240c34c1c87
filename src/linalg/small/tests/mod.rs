//! Accuracy tests of the small-matrix kernels, for every dtype: backward error, orthogonality
//! and agreement with LAPACK (`eigvalsh`, `svdvals`), normalised as LAPACK's test routines do
//! (`?syt21`, `?bdt01`: ‖·‖_F / (n·ε·‖A‖_F)), on random, degenerate, rank-deficient, extreme
//! and graded inputs; plus relative-accuracy checks on graded matrices, which Jacobi with the
//! Demmel–Veselić criterion passes and a tridiagonal/bidiagonal reduction would not.

mod eigh;
mod svd;

use ndarray::Array2;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::to_f64;
use crate::{c32, c64, Scalar};

/// Bound on every ratio below (‖·‖_F / (n·ε·‖A‖_F), ‖QᴴQ − I‖_F / (n·ε), |λ − λ_LAPACK| /
/// (n·ε·‖A‖_F)). Derivation: one rotation applied in floating point is an exact rotation of a
/// matrix perturbed by at most about 6ε times the norm of the two rows/columns it touches
/// (Higham, *Accuracy and Stability*, Lemma 19.8); the perturbations of R rotations add in
/// norm to ≤ 6·√R·ε·‖A‖_F for random signs (6·R·ε·‖A‖_F at worst). Cyclic Jacobi of order n
/// converges in a handful of sweeps (S ≈ 5–8) of n(n−1)/2 rotations, so at n = 8
/// √R ≤ √(8·28) ≈ 15 and 6·15/8 ≈ 11 per unit of n. The comparison with LAPACK adds LAPACK's
/// own error of the same kind. The observed maxima (printed with `--nocapture`) are ≈ 2.1 for
/// the orthogonality of the SVD's U — its stopping tolerance lets column cosines reach M·ε —
/// and ≤ 1.6 elsewhere, so 20 leaves an order of magnitude yet catches any real defect, which
/// shows up as ratios of 1/ε.
const RATIO: f64 = 20.0;

/// Test element types: built from f64 parts.
pub(super) trait Gen: Scalar {
    /// re + i·im (the imaginary part dropped for real types).
    fn make(re: f64, im: f64) -> Self;
}
impl Gen for f32 {
    fn make(re: f64, _: f64) -> Self {
        re as f32
    }
}
impl Gen for f64 {
    fn make(re: f64, _: f64) -> Self {
        re
    }
}
impl Gen for c32 {
    fn make(re: f64, im: f64) -> Self {
        c32::new(re as f32, im as f32)
    }
}
impl Gen for c64 {
    fn make(re: f64, im: f64) -> Self {
        c64::new(re, im)
    }
}

/// `per_dtype!(name => check)`: one `#[test]` per dtype, `name_f32` … `name_c64`.
macro_rules! per_dtype {
    ($($name:ident => $f:ident;)*) => {
        $(paste::paste! {
            #[test]
            fn [<$name _f32>]() {
                $f::<f32>();
            }
            #[test]
            fn [<$name _f64>]() {
                $f::<f64>();
            }
            #[test]
            fn [<$name _c32>]() {
                $f::<crate::c32>();
            }
            #[test]
            fn [<$name _c64>]() {
                $f::<crate::c64>();
            }
        })*
    };
}
use per_dtype;

/// A seeded generator.
fn rng(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

/// ε of `T` as f64.
fn eps<T: Scalar>() -> f64 {
    super::eps::<T>()
}

/// `x` as c64 (exact).
fn z<T: Scalar>(x: T) -> c64 {
    c64::new(to_f64(x.re()), to_f64(x.im()))
}

/// Whether `T` is single precision.
fn single<T: Scalar>() -> bool {
    std::mem::size_of::<T::Real>() == 4
}

/// An m×n matrix with entries uniform in [-1, 1] (both parts).
fn random<T: Gen>(rng: &mut StdRng, m: usize, n: usize) -> Array2<T> {
    Array2::from_shape_simple_fn((m, n), || {
        T::make(rng.random_range(-1.0..=1.0), rng.random_range(-1.0..=1.0))
    })
}

/// A random n×n unitary matrix (Q of a random matrix's QR, by LAPACK).
fn unitary<T: Gen>(rng: &mut StdRng, n: usize) -> Array2<T> {
    crate::linalg::qr(&random::<T>(rng, n, n)).expect("qr").q
}

/// The column-major buffer of `a`.
fn column_major<T: Scalar>(a: &Array2<T>) -> Vec<T> {
    a.t().iter().copied().collect()
}

/// The m×n column-major `data` as a c64 matrix.
fn from_column_major<T: Scalar>(data: &[T], m: usize, n: usize) -> Array2<c64> {
    Array2::from_shape_fn((m, n), |(i, j)| z(data[i + j * m]))
}

/// The absolute error floor of results stored in `T`, relative to `scale`: an output in the
/// subnormal range (the 1e-310 tests) is rounded to a multiple of the smallest subnormal, an
/// error no algorithm can avoid, so each ratio's denominator gets √(entries)·that spacing on
/// top of n·ε·‖A‖_F.
fn floor<T: Scalar>(entries: usize, scale: f64) -> f64 {
    let tiny = if single::<T>() {
        f64::from(f32::from_bits(1))
    } else {
        f64::from_bits(1)
    };
    (entries as f64).sqrt() * tiny / scale
}

/// Σ ln xᵢ − k·ln 2 for positive `xs`, without the rounding error of adding logarithms of
/// size ~500: each xᵢ is split into mᵢ·2^eᵢ (exactly, mᵢ ∈ [1, 2)) and the exponents are
/// summed as integers, so the result is accurate to ε per term whatever the grading.
fn log_excess(xs: &[f64], k: i64) -> f64 {
    let mut exponents = -k;
    let mut logs = 0.0;
    for &x in xs {
        let e = x.log2().floor() as i32;
        logs += (x / 2f64.powi(e)).ln();
        exponents += i64::from(e);
    }
    logs + exponents as f64 * std::f64::consts::LN_2
}

/// The largest |re|, |im| of `a` (1 for a zero matrix): residuals are measured on a / scale,
/// which keeps the f64 sums of squares of 1e±300 inputs in range.
fn scale_of<T: Scalar>(a: &Array2<T>) -> f64 {
    let s = a
        .iter()
        .map(|&x| z(x).re.abs().max(z(x).im.abs()))
        .fold(0.0, f64::max);
    if s == 0.0 {
        1.0
    } else {
        s
    }
}

/// ‖a‖_F.
fn fro(a: &Array2<c64>) -> f64 {
    a.iter().map(|x| x.norm_sqr()).sum::<f64>().sqrt()
}

/// aᴴ·b (naive, in c64).
fn ctmul(a: &Array2<c64>, b: &Array2<c64>) -> Array2<c64> {
    Array2::from_shape_fn((a.ncols(), b.ncols()), |(i, j)| {
        (0..a.nrows()).map(|k| a[[k, i]].conj() * b[[k, j]]).sum()
    })
}

/// a·b (naive, in c64).
fn mul(a: &Array2<c64>, b: &Array2<c64>) -> Array2<c64> {
    Array2::from_shape_fn((a.nrows(), b.ncols()), |(i, j)| {
        (0..a.ncols()).map(|k| a[[i, k]] * b[[k, j]]).sum()
    })
}

/// ‖QᴴQ − I‖_F for the columns of `q`.
fn orthogonality(q: &Array2<c64>) -> f64 {
    let mut g = ctmul(q, q);
    for i in 0..g.nrows() {
        g[[i, i]] -= 1.0;
    }
    fro(&g)
}

/// The worst ratios seen by one test, printed at its end (`--nocapture`) and checked.
#[derive(Default)]
struct Worst {
    /// (name, worst ratio) per measure.
    seen: Vec<(&'static str, f64)>,
}

impl Worst {
    /// Records `ratio` under `name`, failing at once (with `what`) beyond [`RATIO`].
    fn note(&mut self, name: &'static str, ratio: f64, what: &dyn Fn() -> String) {
        assert!(
            ratio <= RATIO,
            "{name} ratio {ratio:.3e} > {RATIO} for {}",
            what()
        );
        match self.seen.iter_mut().find(|(n, _)| *n == name) {
            Some((_, w)) => *w = w.max(ratio),
            None => self.seen.push((name, ratio)),
        }
    }

    /// Prints the worst ratios under `label`.
    fn report(&self, label: &str) {
        let parts: Vec<String> = self
            .seen
            .iter()
            .map(|(n, w)| format!("{n} {w:.3}"))
            .collect();
        eprintln!("{label}: {}", parts.join(", "));
    }
}
