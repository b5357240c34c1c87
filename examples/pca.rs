//! Principal component analysis of two real datasets, the way scikit-learn's `PCA` does it.
//!
//! ```text
//! cargo run --release --example pca            # writes ./pca_digits.svg
//! cargo run --release --example pca -- docs    # writes docs/pca_digits.svg
//! ```
//!
//! Fits `ndkit::ml::Pca` on the handwritten Digits (1797 images of 8×8 pixels) and on Fisher's
//! Iris, prints the share of the variance each component explains, how well k components
//! reconstruct the digits, and draws the digits in the plane of the first two components,
//! coloured by the digit they show.

mod common;

use std::error::Error;
use std::time::Instant;

use ndarray::Array2;
use ndkit::ml::{FittedPca, Pca};
use plotters::prelude::*;

/// The "tab10" palette (matplotlib's default colour cycle): one colour per digit.
const TAB10: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];

fn main() -> Result<(), Box<dyn Error>> {
    let out_dir = common::output_dir()?;

    // ------------------------------------------------------------------------------- Iris
    let iris = common::load_iris()?;
    let pca = Pca::new(4).fit(&iris.x)?;
    println!(
        "Iris: {} flowers × {} measurements (cm)",
        iris.x.nrows(),
        iris.x.ncols()
    );
    print_ratios(&pca, 4);
    println!(
        "  first axis = {:+.3} sepal length {:+.3} sepal width {:+.3} petal length {:+.3} petal width",
        pca.components()[[0, 0]],
        pca.components()[[0, 1]],
        pca.components()[[0, 2]],
        pca.components()[[0, 3]]
    );

    // ----------------------------------------------------------------------------- Digits
    let digits = common::load_digits()?;
    let x = &digits.x;
    println!(
        "\nDigits: {} images × {} pixels (8×8, grey levels 0..=16)",
        x.nrows(),
        x.ncols()
    );
    let start = Instant::now();
    let all = Pca::new(x.ncols()).fit(x)?;
    println!(
        "  fitted all {} components in {:.1} ms (solver {:?})",
        x.ncols(),
        start.elapsed().as_secs_f64() * 1e3,
        all.solver()
    );
    print_ratios(&all, 10);
    let cumulative = cumulative_sum(&all.explained_variance_ratio().to_vec());
    for share in [0.5, 0.8, 0.9, 0.95, 0.99] {
        let k = cumulative
            .iter()
            .position(|&c| c >= share)
            .map_or(x.ncols(), |i| i + 1);
        println!(
            "  {:>3.0}% of the variance needs {k:>2} components",
            share * 100.0
        );
    }

    // The squared relative error of a k-component reconstruction is exactly the share of the
    // variance the discarded components carry: 1 − cumulative ratio.
    println!("\n  reconstruction from k components, x̂ = inverse_transform(transform(x)):");
    println!("     k   ‖x − x̂‖ / ‖x − mean‖   RMS error per pixel   variance not explained");
    let centred_norm = frobenius(&(x - &all.mean()));
    for k in [2, 10, 20, 30] {
        let pca = Pca::new(k).fit(x)?;
        let restored = pca.inverse_transform(&pca.transform(x)?)?;
        let residual = frobenius(&(x - &restored));
        let rms = residual / (x.len() as f64).sqrt();
        println!(
            "    {k:>2}   {:>20.4}   {:>12.3} levels   {:>21.1}%",
            residual / centred_norm,
            rms,
            100.0 * (1.0 - cumulative[k - 1])
        );
    }

    // ------------------------------------------------------------------------------- plot
    let pca = Pca::new(2).fit(x)?;
    let z = pca.transform(x)?;
    let path = out_dir.join("pca_digits.svg");
    common::write_svg(&path, (800, 640), |root| scatter(root, &z, &digits.y, &pca))?;
    println!(
        "\nWrote the digits in the plane of the first two components to {}",
        std::fs::canonicalize(&path)?.display()
    );
    Ok(())
}

/// Prints the explained-variance ratio of the first `show` components, and cumulatively.
fn print_ratios(pca: &FittedPca<f64>, show: usize) {
    let ratios = pca.explained_variance_ratio().to_vec();
    let cumulative = cumulative_sum(&ratios);
    println!("  component   variance   ratio   cumulative");
    for (i, (&r, &c)) in ratios.iter().zip(&cumulative).enumerate().take(show) {
        println!(
            "  {:>9}   {:>8.3}   {:>5.1}%   {:>9.1}%",
            i + 1,
            pca.explained_variance()[i],
            100.0 * r,
            100.0 * c
        );
    }
}

fn cumulative_sum(values: &[f64]) -> Vec<f64> {
    values
        .iter()
        .scan(0.0, |acc, &v| {
            *acc += v;
            Some(*acc)
        })
        .collect()
}

fn frobenius(a: &Array2<f64>) -> f64 {
    a.iter().map(|v| v * v).sum::<f64>().sqrt()
}

/// Scatter plot of the first two principal components, one colour per class.
fn scatter(
    root: &common::Svg<'_>,
    z: &Array2<f64>,
    labels: &[usize],
    pca: &FittedPca<f64>,
) -> Result<(), Box<dyn Error>> {
    let range = |col: usize| {
        let (lo, hi) = z
            .column(col)
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
                (lo.min(v), hi.max(v))
            });
        let pad = 0.05 * (hi - lo);
        (lo - pad)..(hi + pad)
    };
    let ratio = pca.explained_variance_ratio();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(root)
        .caption(
            "Handwritten digits (8×8 pixels), first two principal components",
            ("sans-serif", 20),
        )
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(range(0), range(1))?;
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .x_desc(format!("PC 1 ({:.1}% of the variance)", 100.0 * ratio[0]))
        .y_desc(format!("PC 2 ({:.1}% of the variance)", 100.0 * ratio[1]))
        .draw()?;
    for (digit, colour) in TAB10.iter().enumerate() {
        let points = z
            .rows()
            .into_iter()
            .zip(labels)
            .filter(|(_, &label)| label == digit)
            .map(|(row, _)| Circle::new((row[0], row[1]), 3, colour.mix(0.7).filled()));
        chart
            .draw_series(points)?
            .label(digit.to_string())
            .legend(move |(x, y)| Circle::new((x, y), 4, colour.filled()));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()?;
    Ok(())
}
