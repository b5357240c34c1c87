//! A balanced network of 2000 leaky integrate-and-fire neurons, vectorised with ndarray.
//!
//! ```text
//! cargo run --release --example spiking_network            # writes ./spiking_network.svg
//! cargo run --release --example spiking_network -- docs    # writes docs/spiking_network.svg
//! ```
//!
//! The classic chaotic LIF network of Nicola & Clopath, "Supervised learning in spiking neural
//! networks with FORCE training", Nature Communications 8, 2208 (2017) — their `LIFFORCESINE.m`
//! without the FORCE-trained feedback: n = 2000 neurons, every one driven by a bias current at
//! its threshold, sparse random recurrent weights (connection probability 0.1, Gaussian, each
//! row shifted to zero mean over its connections, so excitation and inhibition balance),
//! double-exponential synaptic currents (rise 2 ms, decay 20 ms), a 2 ms refractory period,
//! forward-Euler steps of dt = 50 µs for T = 2 s (40 000 steps).
//!
//! Each step is a handful of whole-array operations on the 2000-vectors. The recurrent input
//! only changes when neurons spike, by the sum of the spiking neurons' weight columns; the
//! weights are stored transposed (C order), so each spiking neuron adds one contiguous row
//! (an axpy of 2000) — about one spike per step here, instead of a 2000 × 2000 matrix-vector
//! product (4·10⁶ flops per step, 160 GFLOP in all).
//!
//! The plot adds the population firing rate in 1 ms bins smoothed by a Gaussian of σ = 5 ms
//! (`ndkit::ops::convolve`, NumPy's `np.convolve(rate, kernel, 'same')`), and marks the
//! spikes of the traced neurons found back from their voltage traces by
//! `ndkit::ops::threshold_crossings` (`np.flatnonzero(np.diff(v > 0, prepend=False))`).

mod common;

use std::error::Error;
use std::time::Instant;

use ndarray::{Array1, Array2, Axis, Zip};
use ndkit::ops::{convolve, threshold_crossings, ConvolveMode, Edge};
use plotters::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::StandardNormal;

/// Number of neurons.
const N: usize = 2000;
/// Integration step (s).
const DT: f64 = 5e-5;
/// Simulated time (s).
const T: f64 = 2.0;
/// Membrane time constant (s).
const TAU_M: f64 = 0.01;
/// Refractory period (s).
const T_REF: f64 = 0.002;
/// Synaptic rise and decay time constants (s).
const TAU_R: f64 = 0.002;
const TAU_D: f64 = 0.02;
/// Reset and peak (threshold) potentials (mV); the bias current holds every neuron at the
/// threshold, so the recurrent input decides who fires.
const V_RESET: f64 = -65.0;
const V_PEAK: f64 = -40.0;
const BIAS: f64 = V_PEAK;
/// Drawn spike height (mV), for the voltage traces only.
const V_SPIKE: f64 = 30.0;
/// Connection probability and weight scale.
const P: f64 = 0.1;
const G: f64 = 0.04;
const SEED: u64 = 1;

/// Neurons shown in the raster plot, and the two whose membrane potential is drawn over the
/// last `TRACE_SPAN` seconds.
const RASTER_NEURONS: usize = 100;
const TRACED: [usize; 2] = [0, 1];
const TRACE_SPAN: f64 = 0.5;
/// Steps per sample of the voltage traces (the maximum over each window keeps the spikes).
const TRACE_EVERY: usize = 4;
/// Bin of the population rate (s) and σ of the Gaussian that smooths it (s).
const RATE_BIN: f64 = 0.001;
const RATE_SIGMA: f64 = 0.005;

fn main() -> Result<(), Box<dyn Error>> {
    let out_dir = common::output_dir()?;
    let mut rng = StdRng::seed_from_u64(SEED);

    // Weights OMEGA[i, j] (from j to i): G·N(0, 1)/(√N·p) with probability p, then each row
    // shifted to zero mean over its non-zero entries.
    let start = Instant::now();
    let mask = Array2::from_shape_simple_fn((N, N), || rng.random::<f64>() < P);
    let gauss = Array2::from_shape_simple_fn((N, N), || rng.sample::<f64, _>(StandardNormal));
    let scale = G / ((N as f64).sqrt() * P);
    let mut omega = Zip::from(&gauss)
        .and(&mask)
        .map_collect(|&g, &m| if m { g * scale } else { 0.0 });
    let row_sum = omega.sum_axis(Axis(1));
    let row_count = mask.mapv(f64::from).sum_axis(Axis(1)).mapv(|c| c.max(1.0));
    let row_mean = (row_sum / row_count).insert_axis(Axis(1));
    Zip::from(&mut omega)
        .and(&mask)
        .and_broadcast(&row_mean)
        .for_each(|w, &m, &mean| {
            if m {
                *w -= mean;
            }
        });
    // Column j of OMEGA (neuron j's outgoing weights) as a contiguous row.
    let outgoing = omega.reversed_axes().as_standard_layout().into_owned();
    let connections = mask.iter().filter(|&&m| m).count();
    println!(
        "{N} LIF neurons, {connections} synapses ({:.1}% connected), built in {:.2} s",
        100.0 * connections as f64 / (N * N) as f64,
        start.elapsed().as_secs_f64()
    );

    // State. Membrane potentials start uniform in [V_RESET, V_SPIKE] (those above the peak
    // fire at once), synaptic currents at rest.
    let mut v =
        Array1::from_shape_simple_fn(N, || V_RESET + rng.random::<f64>() * (V_SPIKE - V_RESET));
    let mut current = Array1::<f64>::zeros(N); // IPSC: the synaptic current
    let mut rise = Array1::<f64>::zeros(N); // h: its rising auxiliary variable
    let mut jump = Array1::<f64>::zeros(N); // JD: this step's summed spike input
    let mut last_spike = Array1::<f64>::zeros(N);
    let (decay_r, decay_d) = ((-DT / TAU_R).exp(), (-DT / TAU_D).exp());

    let steps = (T / DT).round() as usize;
    let mut spike_counts = Array1::<u32>::zeros(N);
    let mut raster: Vec<(f64, usize)> = Vec::new();
    let mut spike_times: Vec<Vec<f64>> = vec![Vec::new(); N];
    let mut traces = vec![Vec::new(); TRACED.len()];
    let mut window_max = [f64::NEG_INFINITY; TRACED.len()];
    let mut population = vec![0u32; (T / 0.01).round() as usize]; // spikes per 10 ms bin
    let mut fine = vec![0.0f64; (T / RATE_BIN).round() as usize]; // spikes per 1 ms bin
    let mut spiking: Vec<usize> = Vec::with_capacity(N);

    let start = Instant::now();
    for step in 1..=steps {
        let t = step as f64 * DT;
        // Membrane: τ dv/dt = −v + I_syn + bias, frozen during the refractory period.
        Zip::from(&mut v)
            .and(&current)
            .and(&last_spike)
            .for_each(|v, &i, &last| {
                if t > last + T_REF {
                    *v += DT * (-*v + i + BIAS) / TAU_M;
                }
            });
        // Who crossed the peak: their outgoing weight rows form this step's input jump.
        spiking.clear();
        spiking.extend(
            v.iter()
                .enumerate()
                .filter(|(_, &x)| x >= V_PEAK)
                .map(|(j, _)| j),
        );
        jump.fill(0.0);
        for &j in &spiking {
            jump.scaled_add(1.0, &outgoing.row(j));
        }
        // Double-exponential synapse: I' = −I/τr + h, h' = −h/τd + Σ spikes/(τr·τd).
        Zip::from(&mut current)
            .and(&mut rise)
            .and(&jump)
            .for_each(|i, h, &jd| {
                *i = *i * decay_r + *h * DT;
                *h = *h * decay_d + jd / (TAU_R * TAU_D);
            });
        // Record, draw the spike at V_SPIKE for the traces, then reset.
        for &j in &spiking {
            spike_counts[j] += 1;
            spike_times[j].push(t);
            if j < RASTER_NEURONS {
                raster.push((t, j));
            }
            if let Some(bin) = population.get_mut((t / 0.01) as usize) {
                *bin += 1;
            }
            if let Some(bin) = fine.get_mut((t / RATE_BIN) as usize) {
                *bin += 1.0;
            }
            v[j] = V_SPIKE;
            last_spike[j] = t;
        }
        for (k, &j) in TRACED.iter().enumerate() {
            window_max[k] = window_max[k].max(v[j]);
            if step % TRACE_EVERY == 0 {
                if t > T - TRACE_SPAN {
                    traces[k].push((t, window_max[k]));
                }
                window_max[k] = f64::NEG_INFINITY;
            }
        }
        for &j in &spiking {
            v[j] = V_RESET;
        }
    }
    let elapsed = start.elapsed().as_secs_f64();

    // ---------------------------------------------------------------------- statistics
    let total: u64 = spike_counts.iter().map(|&c| u64::from(c)).sum();
    let mut rates: Vec<f64> = spike_counts.iter().map(|&c| f64::from(c) / T).collect();
    rates.sort_by(f64::total_cmp);
    let mean_rate = rates.iter().sum::<f64>() / N as f64;
    let sd_rate = (rates.iter().map(|r| (r - mean_rate).powi(2)).sum::<f64>() / N as f64).sqrt();
    let silent = rates.iter().filter(|&&r| r == 0.0).count();
    let cvs: Vec<f64> = spike_times
        .iter()
        .filter(|s| s.len() >= 3)
        .map(|s| {
            let isi: Vec<f64> = s.windows(2).map(|w| w[1] - w[0]).collect();
            let m = isi.iter().sum::<f64>() / isi.len() as f64;
            let sd = (isi.iter().map(|x| (x - m).powi(2)).sum::<f64>() / isi.len() as f64).sqrt();
            sd / m
        })
        .collect();
    let mean_cv = cvs.iter().sum::<f64>() / cvs.len().max(1) as f64;
    let pop_rates: Vec<f64> = population
        .iter()
        .map(|&c| f64::from(c) / (N as f64 * 0.01))
        .collect();
    let pop_mean = pop_rates.iter().sum::<f64>() / pop_rates.len() as f64;
    let pop_sd = (pop_rates
        .iter()
        .map(|r| (r - pop_mean).powi(2))
        .sum::<f64>()
        / pop_rates.len() as f64)
        .sqrt();

    println!(
        "Simulated {T} s in {steps} steps of {} µs: {elapsed:.2} s wall time ({:.1} µs per step)",
        DT * 1e6,
        elapsed / steps as f64 * 1e6
    );
    println!(
        "  spikes            {total} ({:.2} per step)",
        total as f64 / steps as f64
    );
    println!("  firing rate       mean {mean_rate:.2} Hz, sd {sd_rate:.2} Hz");
    println!(
        "  rate quantiles    min {:.1}  10% {:.1}  median {:.1}  90% {:.1}  max {:.1} Hz",
        rates[0],
        rates[N / 10],
        rates[N / 2],
        rates[N * 9 / 10],
        rates[N - 1]
    );
    println!("  silent neurons    {silent} of {N}");
    println!(
        "  ISI irregularity  mean CV {mean_cv:.2} over the {} neurons with ≥ 3 spikes (Poisson: 1)",
        cvs.len()
    );
    println!(
        "  population rate   {pop_mean:.2} ± {pop_sd:.2} Hz in 10 ms bins (asynchronous when small)"
    );

    // Smoothed population rate: spikes per neuron per second in 1 ms bins, convolved with a
    // unit-sum Gaussian over ±3σ ('same' keeps the bins aligned with their times).
    let rate = Array1::from(fine).mapv(|c| c / (N as f64 * RATE_BIN));
    let half = (3.0 * RATE_SIGMA / RATE_BIN).round() as i64;
    let kernel = Array1::from_iter(
        (-half..=half).map(|i| (-0.5 * (i as f64 * RATE_BIN / RATE_SIGMA).powi(2)).exp()),
    );
    let kernel = &kernel / kernel.sum();
    let smoothed = convolve(&rate, &kernel, ConvolveMode::Same)?;
    let rate_trace: Vec<(f64, f64)> = smoothed
        .iter()
        .enumerate()
        .map(|(i, &r)| ((i as f64 + 0.5) * RATE_BIN, r))
        .collect();
    // Spikes found back from the traces: rising crossings of 0 mV (spikes are drawn at
    // V_SPIKE, everything else stays below V_PEAK).
    let mut detected = Vec::new();
    for (trace, &j) in traces.iter().zip(&TRACED) {
        let volts = Array1::from_iter(trace.iter().map(|&(_, v)| v));
        let found: Vec<(f64, f64)> = threshold_crossings(&volts, 0.0, Edge::Rising)
            .iter()
            .map(|&i| trace[i])
            .collect();
        let recorded = spike_times[j]
            .iter()
            .filter(|&&t| t > T - TRACE_SPAN)
            .count();
        println!(
            "  neuron {j}: {} spikes found in its trace over the last {TRACE_SPAN} s by threshold_crossings ({recorded} recorded)",
            found.len()
        );
        detected.push(found);
    }

    let path = out_dir.join("spiking_network.svg");
    common::write_svg(&path, (900, 900), |root| {
        plot(root, &raster, &traces, &detected, &rate_trace)
    })?;
    println!(
        "\nWrote the raster plot and voltage traces to {}",
        std::fs::canonicalize(&path)?.display()
    );
    Ok(())
}

/// Raster plot of the first neurons at the top, voltage traces (with the detected spikes
/// marked) in the middle, the smoothed population rate at the bottom.
fn plot(
    root: &common::Svg<'_>,
    raster: &[(f64, usize)],
    traces: &[Vec<(f64, f64)>],
    detected: &[Vec<(f64, f64)>],
    rate: &[(f64, f64)],
) -> Result<(), Box<dyn Error>> {
    root.fill(&WHITE)?;
    let (top, rest) = root.split_vertically(430);
    let (bottom, lowest) = rest.split_vertically(260);

    let mut chart = ChartBuilder::on(&top)
        .caption(
            format!(
                "Balanced LIF network: spikes of neurons 0–{}",
                RASTER_NEURONS - 1
            ),
            ("sans-serif", 20),
        )
        .margin(10)
        .x_label_area_size(35)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..T, 0.0..RASTER_NEURONS as f64)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc("time (s)")
        .y_label_formatter(&|v| format!("{v:.0}"))
        .y_desc("neuron")
        .draw()?;
    chart.draw_series(raster.iter().map(|&(t, j)| {
        Rectangle::new(
            [(t - 0.0015, j as f64 + 0.1), (t + 0.0015, j as f64 + 0.9)],
            BLACK.filled(),
        )
    }))?;

    let mut chart = ChartBuilder::on(&bottom)
        .caption(
            format!(
                "Membrane potential of neurons {} and {}",
                TRACED[0], TRACED[1]
            ),
            ("sans-serif", 18),
        )
        .margin(10)
        .x_label_area_size(35)
        .y_label_area_size(50)
        .build_cartesian_2d((T - TRACE_SPAN)..T, (V_RESET - 5.0)..(V_SPIKE + 5.0))?;
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .x_desc("time (s)")
        .y_label_formatter(&|v| format!("{v:.0}"))
        .y_desc("v (mV)")
        .draw()?;
    let colours = [
        RGBColor(31, 119, 180),
        RGBColor(255, 127, 14),
        RGBColor(44, 160, 44),
    ];
    for (((trace, found), colour), j) in traces.iter().zip(detected).zip(colours).zip(TRACED) {
        chart
            .draw_series(LineSeries::new(
                trace.iter().copied(),
                colour.stroke_width(1),
            ))?
            .label(format!("neuron {j}"))
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], colour.stroke_width(2)));
        chart.draw_series(
            found
                .iter()
                .map(|&(t, v)| TriangleMarker::new((t, v + 2.0), 4, colour.filled())),
        )?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()?;

    let max_rate = rate.iter().map(|p| p.1).fold(1.0, f64::max);
    let mut chart = ChartBuilder::on(&lowest)
        .caption(
            format!(
                "Population rate, 1 ms bins smoothed by a Gaussian of σ = {} ms (ops::convolve)",
                RATE_SIGMA * 1e3
            ),
            ("sans-serif", 16),
        )
        .margin(10)
        .x_label_area_size(35)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..T, 0.0..max_rate * 1.1)?;
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .x_desc("time (s)")
        .y_desc("rate (Hz)")
        .draw()?;
    chart.draw_series(LineSeries::new(rate.iter().copied(), BLACK.stroke_width(1)))?;
    Ok(())
}
