//! A small neural network on the handwritten Digits, trained with ndkit's ML building blocks.
//!
//! ```text
//! cargo run --release --example mlp            # writes ./mlp_loss.svg
//! cargo run --release --example mlp -- docs    # writes docs/mlp_loss.svg
//! ```
//!
//! 64 pixels → Dense(128) → ReLU → Dense(10) → softmax cross-entropy, trained with Adam on
//! mini-batches of a fixed 80/20 split (seeded shuffle) of the 1797 Digits images. Prints a
//! progress bar per epoch with the loss and accuracies, the confusion matrix of the test set,
//! and writes the loss curves to `mlp_loss.svg`.

mod common;

use std::error::Error;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use ndarray::{Array2, ArrayView2, Axis};
use ndkit::ml::{relu, relu_backward, softmax_cross_entropy, Adam, Dense, Init};
use ndkit::rand::rngs::StdRng;
use ndkit::rand::seq::SliceRandom;
use ndkit::rand::SeedableRng;
use plotters::prelude::*;

const HIDDEN: usize = 128;
const CLASSES: usize = 10;
const EPOCHS: usize = 30;
const BATCH: usize = 32;
const LEARNING_RATE: f64 = 1e-3;
const SEED: u64 = 2024;

/// Dense → ReLU → Dense.
struct Mlp {
    hidden: Dense<f32>,
    output: Dense<f32>,
}

impl Mlp {
    fn logits(&self, x: &ArrayView2<'_, f32>) -> ndkit::Result<Array2<f32>> {
        self.output.forward(&relu(&self.hidden.forward(x)?))
    }

    /// Mean loss and accuracy on a dataset.
    fn evaluate(&self, x: &ArrayView2<'_, f32>, y: &[usize]) -> ndkit::Result<(f32, f64)> {
        let logits = self.logits(x)?;
        let loss = ndkit::ml::cross_entropy(&logits, y)?;
        let correct = predictions(&logits)
            .iter()
            .zip(y)
            .filter(|(p, t)| p == t)
            .count();
        Ok((loss, correct as f64 / y.len() as f64))
    }
}

/// The most likely class of each row of logits.
fn predictions(logits: &Array2<f32>) -> Vec<usize> {
    logits
        .rows()
        .into_iter()
        .map(|row| {
            row.iter()
                .enumerate()
                .fold((0, f32::NEG_INFINITY), |best, (i, &v)| {
                    if v > best.1 {
                        (i, v)
                    } else {
                        best
                    }
                })
                .0
        })
        .collect()
}

fn main() -> Result<(), Box<dyn Error>> {
    let out_dir = common::output_dir()?;
    let digits = common::load_digits()?;
    // Pixels 0..=16 scaled to [0, 1].
    let x = digits.x.mapv(|v| (v / 16.0) as f32);
    let y = digits.y;

    // A fixed 80/20 split from a seeded shuffle.
    let mut rng = StdRng::seed_from_u64(SEED);
    let mut order: Vec<usize> = (0..y.len()).collect();
    order.shuffle(&mut rng);
    let n_train = y.len() * 4 / 5;
    let (train_idx, test_idx) = order.split_at(n_train);
    let x_train = x.select(Axis(0), train_idx);
    let y_train: Vec<usize> = train_idx.iter().map(|&i| y[i]).collect();
    let x_test = x.select(Axis(0), test_idx);
    let y_test: Vec<usize> = test_idx.iter().map(|&i| y[i]).collect();
    println!(
        "Digits: {} training and {} test images; network 64 → {HIDDEN} (ReLU) → {CLASSES}, Adam (lr {LEARNING_RATE}), batches of {BATCH}",
        y_train.len(),
        y_test.len()
    );

    let mut net = Mlp {
        hidden: Dense::new(64, HIDDEN, Init::HeNormal, &mut rng),
        output: Dense::new(HIDDEN, CLASSES, Init::XavierUniform, &mut rng),
    };
    let adam = Adam::new(LEARNING_RATE);
    let mut hidden_state = adam.init(&net.hidden);
    let mut output_state = adam.init(&net.output);

    let batches = y_train.len().div_ceil(BATCH);
    let style = ProgressStyle::with_template(
        "{prefix} [{bar:30.cyan/blue}] {pos:>2}/{len} batches  {msg}",
    )?
    .progress_chars("=> ");
    let mut history = Vec::with_capacity(EPOCHS + 1);
    let (train_loss, _) = net.evaluate(&x_train.view(), &y_train)?;
    let (test_loss, _) = net.evaluate(&x_test.view(), &y_test)?;
    history.push((0, train_loss, test_loss));
    let start = Instant::now();
    for epoch in 1..=EPOCHS {
        let bar = ProgressBar::new(batches as u64)
            .with_style(style.clone())
            .with_prefix(format!("epoch {epoch:>2}/{EPOCHS}"));
        let mut perm: Vec<usize> = (0..y_train.len()).collect();
        perm.shuffle(&mut rng);
        let mut running = 0.0_f64;
        for (b, batch) in perm.chunks(BATCH).enumerate() {
            let xb = x_train.select(Axis(0), batch);
            let yb: Vec<usize> = batch.iter().map(|&i| y_train[i]).collect();
            // Forward.
            let z1 = net.hidden.forward(&xb)?;
            let h = relu(&z1);
            let logits = net.output.forward(&h)?;
            let (loss, dlogits) = softmax_cross_entropy(&logits, &yb)?;
            // Backward and update.
            let g2 = net.output.backward(&h, &dlogits)?;
            let g1 = net.hidden.backward(&xb, &relu_backward(&z1, &g2.input)?)?;
            adam.step(&mut net.output, &g2, &mut output_state)?;
            adam.step(&mut net.hidden, &g1, &mut hidden_state)?;
            running += f64::from(loss);
            bar.set_message(format!("loss {:.4}", running / (b + 1) as f64));
            bar.inc(1);
        }
        let (train_loss, train_acc) = net.evaluate(&x_train.view(), &y_train)?;
        let (test_loss, test_acc) = net.evaluate(&x_test.view(), &y_test)?;
        history.push((epoch, train_loss, test_loss));
        let summary = format!(
            "loss {train_loss:.4} (test {test_loss:.4})  accuracy {:.1}% (test {:.1}%)",
            100.0 * train_acc,
            100.0 * test_acc
        );
        if bar.is_hidden() {
            // Not a terminal: indicatif draws nothing, so log the epoch as a line.
            println!("epoch {epoch:>2}/{EPOCHS}  {summary}");
        }
        bar.finish_with_message(summary);
    }
    let elapsed = start.elapsed().as_secs_f64();

    let (test_loss, test_acc) = net.evaluate(&x_test.view(), &y_test)?;
    println!(
        "\nTrained {EPOCHS} epochs in {elapsed:.2} s; test loss {test_loss:.4}, test accuracy {:.2}%",
        100.0 * test_acc
    );

    // Confusion matrix: rows are the true digits, columns the predictions.
    let mut confusion = [[0usize; CLASSES]; CLASSES];
    for (&p, &t) in predictions(&net.logits(&x_test.view())?)
        .iter()
        .zip(&y_test)
    {
        confusion[t][p] += 1;
    }
    println!("\nConfusion matrix (rows: true digit, columns: predicted)");
    println!(
        "      {}",
        (0..CLASSES).map(|c| format!("{c:>4}")).collect::<String>()
    );
    for (t, row) in confusion.iter().enumerate() {
        let cells: String = row.iter().map(|&n| format!("{n:>4}")).collect();
        println!("  {t:>2}  {cells}");
    }

    let path = out_dir.join("mlp_loss.svg");
    common::write_svg(&path, (720, 480), |root| plot_losses(root, &history))?;
    println!(
        "\nWrote the loss curves to {}",
        std::fs::canonicalize(&path)?.display()
    );
    Ok(())
}

/// Training and test loss per epoch.
fn plot_losses(
    root: &common::Svg<'_>,
    history: &[(usize, f32, f32)],
) -> Result<(), Box<dyn Error>> {
    let top = history
        .iter()
        .fold(0.0_f32, |m, &(_, a, b)| m.max(a).max(b))
        * 1.05;
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(root)
        .caption("MLP on Digits: cross-entropy per epoch", ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(55)
        .build_cartesian_2d(0usize..history.len() - 1, 0f32..top)?;
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .y_label_formatter(&|v| format!("{v:.1}"))
        .x_desc("epoch")
        .y_desc("mean cross-entropy")
        .draw()?;
    let train_colour = RGBColor(31, 119, 180);
    let test_colour = RGBColor(255, 127, 14);
    chart
        .draw_series(LineSeries::new(
            history.iter().map(|&(e, l, _)| (e, l)),
            train_colour.stroke_width(2),
        ))?
        .label("training set")
        .legend(move |(x, y)| {
            PathElement::new([(x, y), (x + 20, y)], train_colour.stroke_width(2))
        });
    chart
        .draw_series(LineSeries::new(
            history.iter().map(|&(e, _, l)| (e, l)),
            test_colour.stroke_width(2),
        ))?
        .label("test set")
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], test_colour.stroke_width(2)));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()?;
    Ok(())
}
