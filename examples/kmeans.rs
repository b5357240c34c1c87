//! k-means on the handwritten Digits with `ndkit::ops::nearest`.
//!
//! ```text
//! cargo run --release --example kmeans            # writes ./kmeans_digits.svg
//! cargo run --release --example kmeans -- docs    # writes docs/kmeans_digits.svg
//! ```
//!
//! k-means++ initialisation (each new centre drawn with probability proportional to the
//! squared distance to the nearest centre so far), then Lloyd iterations: assign every image
//! to its nearest centre (`ops::nearest`, blocked and parallel, never the 1797 × 10 distance
//! matrix), move every centre to the mean of its images, until no assignment changes. Prints
//! the inertia (sum of squared distances to the assigned centre) per iteration and the
//! cluster purity against the true digits, and draws the ten centres as 8×8 images.

mod common;

use std::error::Error;

use indicatif::{ProgressBar, ProgressStyle};
use ndarray::{Array1, Array2, ArrayView2, Axis};
use ndkit::ops::{bincount, nearest};
use plotters::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const K: usize = 10;
const MAX_ITER: usize = 100;

fn main() -> Result<(), Box<dyn Error>> {
    let out_dir = common::output_dir()?;
    let digits = common::load_digits()?;
    let x = &digits.x;
    println!(
        "Digits: {} images × {} pixels; k-means with k = {K} (k-means++ initialisation, seed 0)",
        x.nrows(),
        x.ncols()
    );
    let mut rng = StdRng::seed_from_u64(0);
    let mut centres = kmeans_plus_plus(&x.view(), K, &mut rng)?;

    let bar = ProgressBar::new(MAX_ITER as u64).with_style(ProgressStyle::with_template(
        "{bar:30} {pos}/{len} iterations {msg}",
    )?);
    let mut labels = Array1::<usize>::from_elem(x.nrows(), usize::MAX);
    let mut history = Vec::new();
    for iter in 1..=MAX_ITER {
        let (assigned, dist) = nearest(x, &centres)?;
        let inertia: f64 = dist.iter().map(|d| d * d).sum();
        let changed = assigned.iter().zip(&labels).filter(|(a, b)| a != b).count();
        history.push(inertia);
        // Printed above the bar (and also when the output is not a terminal).
        bar.suspend(|| {
            println!(
                "  iteration {iter:>2}: inertia {inertia:>12.1}, {changed:>4} assignments changed"
            )
        });
        bar.inc(1);
        labels = assigned;
        if changed == 0 {
            break;
        }
        centres = update_centres(&x.view(), &labels, &centres);
    }
    bar.finish_and_clear();

    // Purity: each cluster votes for its most common true digit.
    let mut correct = 0;
    println!("\n  cluster   size   majority digit   share");
    for c in 0..K {
        let members: Vec<usize> = labels
            .iter()
            .zip(&digits.y)
            .filter(|(&l, _)| l == c)
            .map(|(_, &y)| y)
            .collect();
        let votes = bincount(&members, 10);
        let (digit, &count) = votes
            .iter()
            .enumerate()
            .max_by_key(|&(_, &n)| n)
            .expect("ten digits");
        correct += count;
        println!(
            "  {c:>7}   {:>4}   {digit:>14}   {:>5.1}%",
            members.len(),
            100.0 * count as f64 / members.len().max(1) as f64
        );
    }
    println!(
        "\n  purity against the true digits: {:.1}% ({} iterations, final inertia {:.1})",
        100.0 * correct as f64 / x.nrows() as f64,
        history.len(),
        history.last().copied().unwrap_or(f64::NAN)
    );

    let path = out_dir.join("kmeans_digits.svg");
    common::write_svg(&path, (1000, 420), |root| draw(root, &centres, &history))?;
    println!(
        "Wrote the centres and the inertia curve to {}",
        std::fs::canonicalize(&path)?.display()
    );
    Ok(())
}

/// k-means++ (Arthur & Vassilvitskii 2007): the first centre uniformly, each next one with
/// probability proportional to D(x)², the squared distance to the nearest centre so far.
fn kmeans_plus_plus(
    x: &ArrayView2<'_, f64>,
    k: usize,
    rng: &mut StdRng,
) -> Result<Array2<f64>, Box<dyn Error>> {
    let n = x.nrows();
    let mut centres = Array2::<f64>::zeros((0, x.ncols()));
    centres.push_row(x.row(rng.random_range(0..n)))?;
    while centres.nrows() < k {
        let (_, dist) = nearest(x, &centres)?;
        let weights: Vec<f64> = dist.iter().map(|d| d * d).collect();
        let total: f64 = weights.iter().sum();
        let mut target = rng.random_range(0.0..total);
        let mut pick = n - 1;
        for (i, w) in weights.iter().enumerate() {
            if target < *w {
                pick = i;
                break;
            }
            target -= w;
        }
        centres.push_row(x.row(pick))?;
    }
    Ok(centres)
}

/// The mean of each cluster's points; an empty cluster keeps its centre.
fn update_centres(
    x: &ArrayView2<'_, f64>,
    labels: &Array1<usize>,
    old: &Array2<f64>,
) -> Array2<f64> {
    let mut sums = Array2::<f64>::zeros(old.dim());
    let mut counts = vec![0usize; old.nrows()];
    for (row, &l) in x.axis_iter(Axis(0)).zip(labels) {
        let mut s = sums.row_mut(l);
        s += &row;
        counts[l] += 1;
    }
    for (c, mut s) in sums.axis_iter_mut(Axis(0)).enumerate() {
        if counts[c] == 0 {
            s.assign(&old.row(c));
        } else {
            s /= counts[c] as f64;
        }
    }
    sums
}

/// The ten centres as 8×8 grey images above the inertia curve.
fn draw(
    root: &common::Svg<'_>,
    centres: &Array2<f64>,
    history: &[f64],
) -> Result<(), Box<dyn Error>> {
    root.fill(&WHITE)?;
    let (top, bottom) = root.split_vertically(200);
    let cells = top.split_evenly((1, K));
    for (c, cell) in cells.iter().enumerate() {
        let cell = cell.margin(8, 8, 8, 8);
        let (w, h) = cell.dim_in_pixel();
        let px = (w.min(h) / 8) as i32;
        for (p, &v) in centres.row(c).iter().enumerate() {
            let (r, col) = ((p / 8) as i32, (p % 8) as i32);
            let grey = (255.0 - v.clamp(0.0, 16.0) / 16.0 * 255.0) as u8;
            cell.draw(&Rectangle::new(
                [(col * px, r * px), ((col + 1) * px, (r + 1) * px)],
                RGBColor(grey, grey, grey).filled(),
            ))?;
        }
        cell.draw(&Text::new(
            format!("cluster {c}"),
            (0, 8 * px + 2),
            ("sans-serif", 12),
        ))?;
    }
    let max = history.iter().copied().fold(0.0, f64::max);
    let min = history.iter().copied().fold(f64::INFINITY, f64::min);
    let mut chart = ChartBuilder::on(&bottom)
        .caption(
            "k-means on Digits: inertia per Lloyd iteration",
            ("sans-serif", 16),
        )
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(70)
        .build_cartesian_2d(1usize..history.len().max(2), (min * 0.98)..(max * 1.02))?;
    chart
        .configure_mesh()
        .x_desc("iteration")
        .y_desc("inertia")
        .draw()?;
    chart.draw_series(LineSeries::new(
        history.iter().enumerate().map(|(i, &v)| (i + 1, v)),
        &RGBColor(31, 119, 180),
    ))?;
    chart.draw_series(
        history
            .iter()
            .enumerate()
            .map(|(i, &v)| Circle::new((i + 1, v), 3, RGBColor(31, 119, 180).filled())),
    )?;
    Ok(())
}
