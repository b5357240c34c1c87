//! PCA of a dataset read in chunks: `IncrementalPca` (scikit-learn's `IncrementalPCA`) and a
//! `CovarianceAccumulator` merged from per-thread shards, against the one-shot `Pca`.
//!
//! ```text
//! cargo run --release --example streaming_pca              # 1 000 000 rows
//! cargo run --release --example streaming_pca -- 200000    # fewer rows
//! ```
//!
//! The data are the handwritten Digits (1797 × 64) replicated with Gaussian pixel noise
//! (σ = 1) to the requested number of rows, produced chunk by chunk from a seed per chunk —
//! as a reader of a large file would deliver them — so that the streaming fits never hold
//! more than one chunk per thread. For the comparison the one-shot `Pca` needs all rows in
//! memory at once (512 MB of f64 at 10⁶ rows).

mod common;

use std::error::Error;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use ndarray::{s, Array2};
use ndkit::ml::{CovarianceAccumulator, FittedPca, IncrementalPca, Pca, PcaSolver};
use rand::rngs::StdRng;
use rand::SeedableRng;
use rand_distr::{Distribution, Normal};

/// Rows per chunk (one read of the "file").
const CHUNK: usize = 10_000;
/// Components kept.
const K: usize = 10;

/// Chunk `c` of the stream: Digits rows in order (wrapping around), plus N(0, 1) noise drawn
/// from a generator seeded by `c`, so any thread can produce any chunk.
fn chunk(digits: &Array2<f64>, c: usize, rows: usize) -> Array2<f64> {
    let start = c * CHUNK;
    let n = CHUNK.min(rows - start);
    let mut rng = StdRng::seed_from_u64(c as u64);
    let noise = Normal::new(0.0, 1.0).expect("σ = 1 is a valid standard deviation");
    Array2::from_shape_fn((n, digits.ncols()), |(i, j)| {
        digits[[(start + i) % digits.nrows(), j]] + noise.sample(&mut rng)
    })
}

/// max |a − b| over the components, in f64.
fn component_gap(a: &FittedPca<f64>, b: &FittedPca<f64>) -> f64 {
    (&a.components() - &b.components())
        .iter()
        .fold(0.0, |m: f64, v| m.max(v.abs()))
}

fn main() -> Result<(), Box<dyn Error>> {
    let rows: usize = match std::env::args().nth(1) {
        Some(arg) => arg.parse()?,
        None => 1_000_000,
    };
    if rows < CHUNK {
        return Err(format!("need at least {CHUNK} rows, got {rows}").into());
    }
    let digits = common::load_digits()?.x;
    let chunks = rows.div_ceil(CHUNK);
    println!("Streaming {rows} rows × 64 features in {chunks} chunks of {CHUNK} rows");
    let style =
        ProgressStyle::with_template("{prefix:>22} [{bar:30.cyan/blue}] {pos}/{len} chunks")?
            .progress_chars("=> ");

    // IncrementalPca: one partial fit per chunk, in order.
    let start = Instant::now();
    let bar = ProgressBar::new(chunks as u64)
        .with_style(style.clone())
        .with_prefix("IncrementalPca");
    let mut ipca = IncrementalPca::new(K);
    for c in 0..chunks {
        ipca.partial_fit(&chunk(&digits, c, rows))?;
        bar.inc(1);
    }
    bar.finish();
    let incremental = ipca.model()?;
    let t_incremental = start.elapsed().as_secs_f64();

    // CovarianceAccumulator: each thread accumulates its own chunks, then the shards merge.
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(8);
    let start = Instant::now();
    let bar = ProgressBar::new(chunks as u64)
        .with_style(style)
        .with_prefix(format!("Accumulator ×{threads}"));
    let shards: Vec<ndkit::Result<CovarianceAccumulator<f64>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (digits, bar) = (&digits, &bar);
                scope.spawn(move || {
                    let mut acc = CovarianceAccumulator::new(64);
                    for c in (t..chunks).step_by(threads) {
                        acc.update(&chunk(digits, c, rows))?;
                        bar.inc(1);
                    }
                    Ok(acc)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("an accumulating thread panicked"))
            .collect()
    });
    bar.finish();
    let mut merged = CovarianceAccumulator::new(64);
    for shard in shards {
        merged.merge(&shard?)?;
    }
    let accumulated = merged.pca(K, false)?;
    let t_accumulated = start.elapsed().as_secs_f64();

    // The one-shot PCA on all rows at once.
    let mut all = Array2::<f64>::zeros((rows, 64));
    for c in 0..chunks {
        let part = chunk(&digits, c, rows);
        let at = c * CHUNK;
        all.slice_mut(s![at..at + part.nrows(), ..]).assign(&part);
    }
    let start = Instant::now();
    let exact = Pca::new(K).solver(PcaSolver::CovarianceEigh).fit(&all)?;
    let t_exact = start.elapsed().as_secs_f64();

    println!(
        "\n{:<24} {:>9} {:>22} {:>16}",
        "method", "time (s)", "variance explained (10)", "max |Δ component|"
    );
    for (name, model, t) in [
        ("Pca (all rows)", &exact, t_exact),
        ("IncrementalPca", &incremental, t_incremental),
        ("CovarianceAccumulator", &accumulated, t_accumulated),
    ] {
        println!(
            "{name:<24} {t:>9.2} {:>22.6} {:>16.2e}",
            model.explained_variance_ratio().sum(),
            component_gap(model, &exact)
        );
    }
    println!(
        "\nThe accumulator's shards merge exactly (Chan's update): its components equal the \
         one-shot PCA's to rounding. IncrementalPca approximates them batch by batch, as \
         scikit-learn's IncrementalPCA does (both times include generating the chunks)."
    );
    Ok(())
}
