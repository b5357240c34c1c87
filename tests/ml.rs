//! Tests of `ndkit::ml` except PCA: the dense layer, activations, losses and optimisers.
//!
//! - golden values for softmax / log_softmax / cross-entropy from NumPy (snippet beside them);
//! - gradients by central finite differences in f64 (relative error ≤ 1e-6) for `Dense`
//!   (weight, bias, input), softmax, log_softmax and the fused softmax-cross-entropy;
//! - extreme logits (±1e4, ±1e30), f32 and f64, memory layouts (C, F, transposed, negative
//!   strides, sliced), N-d arrays along every axis, empty arrays;
//! - the initialisations' sample mean and variance against their formulas;
//! - optimiser steps against hand-computed updates;
//! - every error variant for bad inputs.
//!
//! Dependencies: `Dense` needs `linalg::gemm` (committed). Nothing here needs PCA.

mod common;

use common::{eps, layouts, random_matrix, rng, TestReal};
use ndarray::{array, s, Array, Array1, Array2, Array3, ArrayD, Axis, IxDyn, ShapeBuilder};
use ndkit::ml::{
    cross_entropy, log_softmax, relu, relu_backward, softmax, softmax_cross_entropy, Adam,
    AdamState, Dense, DenseGrad, Init, Optimizer, Sgd,
};
use ndkit::{Error, Real};
use rand::Rng;

fn f<T: Real>(x: T) -> f64 {
    x.to_f64().unwrap()
}

/// Largest |a − b| over two arrays of one shape, in f64.
fn max_abs_diff<T: Real, D: ndarray::Dimension>(a: &Array<T, D>, b: &Array<T, D>) -> f64 {
    assert_eq!(a.shape(), b.shape());
    a.iter()
        .zip(b)
        .map(|(&x, &y)| (f(x) - f(y)).abs())
        .fold(0.0, f64::max)
}

/// ‖a − b‖₂ / max(‖a‖₂, ‖b‖₂) over all entries: the relative error of a whole gradient.
fn rel_err(a: &[f64], b: &[f64]) -> f64 {
    let d = a
        .iter()
        .zip(b)
        .map(|(x, y)| (x - y).powi(2))
        .sum::<f64>()
        .sqrt();
    let n = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
    d / n(a).max(n(b)).max(f64::MIN_POSITIVE)
}

/// Gradients by central differences must agree with the analytic ones to this relative
/// error (1e-6). With step H the truncation error is O(H²·|f'''|) ≈ 1e-10
/// and the rounding error O(ε·|f|/H) ≈ 1e-11 for the O(1) functions used, so 1e-6 leaves a
/// wide margin while a wrong formula (a missing term, a transposition) gives O(1).
const FD_TOL: f64 = 1e-6;
/// Central-difference step: balances truncation (H²) against rounding (ε/H) in f64.
const H: f64 = 1e-5;

/// Central-difference gradient of `loss` with respect to every entry of `x`.
fn fd_grad<D: ndarray::Dimension>(
    x: &Array<f64, D>,
    mut loss: impl FnMut(&Array<f64, D>) -> f64,
) -> Vec<f64> {
    // A fresh C-order copy, so entry k of the slice is entry k in logical order.
    let mut xp = x.as_standard_layout().into_owned();
    let mut out = Vec::with_capacity(x.len());
    for k in 0..x.len() {
        let v = xp.as_slice().unwrap()[k];
        xp.as_slice_mut().unwrap()[k] = v + H;
        let up = loss(&xp);
        xp.as_slice_mut().unwrap()[k] = v - H;
        let down = loss(&xp);
        xp.as_slice_mut().unwrap()[k] = v;
        out.push((up - down) / (2.0 * H));
    }
    out
}

// --------------------------------------------------------------------------- golden values

// The formulas NumPy users write (softmax = e / e.sum(axis, keepdims=True) with
// e = exp(x − max); log_softmax = (x − max) − log(e.sum(...)); cross-entropy = mean of
// −log_softmax at the labels), evaluated with 40 significant digits by Python's decimal module
// and rounded to f64 — the exact values, not NumPy's float64 ones (which agree to ≤ 2 ulp
// except log_softmax[1][3], where float64 log(1.00013…) is 1.9e3 ε off: −1.3037335427366727e-4):
//
//   from decimal import Decimal as D, getcontext
//   getcontext().prec = 40
//   x = [[1.0, 2.0, 3.0, 4.0], [-1.5, 0.0, 0.5, 10.0], [3.0, 3.0, 3.0, 3.0]]
//   def sm(row):
//       m = max(row); e = [(D(v) - D(m)).exp() for v in row]; s = sum(e)
//       return [float(v / s) for v in e], [float(D(v) - D(m) - s.ln()) for v in row]
//   S = [sm(r)[0] for r in x]; L = [sm(r)[1] for r in x]
//   ce = -sum(D(v) - D(max(r)) - sum((D(u) - D(max(r))).exp() for u in r).ln()
//             for r, v in zip(x, [x[0][3], x[1][0], x[2][2]])) / 3
//   cols = [sm([x[i][j] for i in range(3)])[0] for j in range(4)]
//   S0 = [[cols[j][i] for j in range(4)] for i in range(3)]
fn golden_logits() -> Array2<f64> {
    array![
        [1.0, 2.0, 3.0, 4.0],
        [-1.5, 0.0, 0.5, 10.0],
        [3.0, 3.0, 3.0, 3.0]
    ]
}
const GOLDEN_LABELS: [usize; 3] = [3, 0, 2];
const GOLDEN_SOFTMAX: [[f64; 4]; 3] = [
    [
        0.03205860328008499,
        0.08714431874203257,
        0.23688281808991013,
        0.6439142598879724,
    ],
    [
        1.012877299043708e-05,
        4.539401120717726e-05,
        7.484207183967315e-05,
        0.9998696351439628,
    ],
    [0.25, 0.25, 0.25, 0.25],
];
const GOLDEN_LOG_SOFTMAX: [[f64; 4]; 3] = [
    [
        -3.4401896985611953,
        -2.4401896985611953,
        -1.4401896985611953,
        -0.44018969856119533,
    ],
    [
        -11.500130373354274,
        -10.000130373354274,
        -9.500130373354274,
        -0.00013037335427372123,
    ],
    [
        -1.3862943611198906,
        -1.3862943611198906,
        -1.3862943611198906,
        -1.3862943611198906,
    ],
];
const GOLDEN_CE: f64 = 4.442204811011787;
const GOLDEN_SOFTMAX_AXIS0: [[f64; 4]; 3] = [
    [
        0.11804785075397696,
        0.25949646034241913,
        0.48028778876026895,
        0.002470376035336821,
    ],
    [
        0.009689957666694409,
        0.03511902695933972,
        0.039424422479462075,
        0.9966208234093001,
    ],
    [
        0.8722621915793286,
        0.7053845126982412,
        0.48028778876026895,
        0.000908800555363033,
    ],
];

fn golden<T: Real>(rows: &[[f64; 4]; 3]) -> Array2<T> {
    Array2::from_shape_fn((3, 4), |(i, j)| T::from_f64_nearest(rows[i][j]))
}

/// Relative error of each golden entry, in units of ε of the type under test. Each value is a
/// handful of roundings away from the exact one (the input's own rounding to f32 moves the
/// result by up to |x|·ε·|∂y/∂x| ≤ 10ε for these logits, the exp kernel ≤ 2 ulp, the sum and
/// the division a few more), so 32ε separates that from any real error.
const GOLDEN_TOL_EPS: f64 = 32.0;

fn check_golden<T: TestReal>(got: &Array2<T>, want: &Array2<T>, what: &str) {
    for (g, w) in got.iter().zip(want) {
        let (g, w) = (f(*g), f(*w));
        let err = (g - w).abs() / (w.abs() * eps::<T>());
        assert!(
            err <= GOLDEN_TOL_EPS,
            "{what}: got {g:e}, want {w:e} ({err:.1} ε)"
        );
    }
}

fn golden_values<T: TestReal>() {
    let x = golden_logits().mapv(T::from_f64_nearest);
    check_golden(
        &softmax(&x, Axis(1)),
        &golden(&GOLDEN_SOFTMAX),
        "softmax axis 1",
    );
    check_golden(
        &softmax(&x, Axis(0)),
        &golden(&GOLDEN_SOFTMAX_AXIS0),
        "softmax axis 0",
    );
    check_golden(
        &log_softmax(&x, Axis(1)),
        &golden(&GOLDEN_LOG_SOFTMAX),
        "log_softmax",
    );
    let ce = f(cross_entropy(&x, &GOLDEN_LABELS).unwrap());
    assert!(
        (ce - GOLDEN_CE).abs() <= GOLDEN_TOL_EPS * eps::<T>() * GOLDEN_CE,
        "ce {ce}"
    );
    let (loss, grad) = softmax_cross_entropy(&x, &GOLDEN_LABELS).unwrap();
    assert!((f(loss) - GOLDEN_CE).abs() <= GOLDEN_TOL_EPS * eps::<T>() * GOLDEN_CE);
    // The gradient is (softmax − onehot) / 3.
    let mut want = golden::<f64>(&GOLDEN_SOFTMAX);
    for (i, &y) in GOLDEN_LABELS.iter().enumerate() {
        want[[i, y]] -= 1.0;
    }
    want /= 3.0;
    let scale = want.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    for (g, w) in grad.iter().zip(&want) {
        assert!(
            (f(*g) - w).abs() <= GOLDEN_TOL_EPS * eps::<T>() * scale,
            "grad {g} vs {w}"
        );
    }
}

#[test]
fn golden_values_f64() {
    golden_values::<f64>();
}

#[test]
fn golden_values_f32() {
    golden_values::<f32>();
}

// --------------------------------------------------------------------- softmax properties

/// Softmax computed directly in f64 with the textbook stable formula: the reference for
/// random inputs.
fn reference_softmax(x: &ArrayD<f64>, axis: Axis) -> ArrayD<f64> {
    let m = x.map_axis(axis, |l| l.fold(f64::NEG_INFINITY, |a, &b| a.max(b)));
    let e = x - &m.insert_axis(axis);
    let e = e.mapv(f64::exp);
    let s = e.sum_axis(axis).insert_axis(axis);
    e / s
}

/// Random N-d arrays along every axis, against the f64 reference.
fn softmax_nd<T: TestReal>() {
    let mut r = rng(11);
    for shape in [vec![7], vec![3, 17], vec![2, 5, 9], vec![4, 1, 3, 6]] {
        let x64 = ArrayD::from_shape_simple_fn(IxDyn(&shape), || 8.0 * r.random::<f64>() - 4.0);
        let x = x64.mapv(T::from_f64_nearest);
        let x64 = x.mapv(f); // the rounded input, so only the computation's error remains
        for k in 0..shape.len() {
            let want = reference_softmax(&x64, Axis(k));
            let got = softmax(&x, Axis(k)).mapv(f);
            // An F-order copy (lanes along axis 0 are then the inner memory axis): same bits.
            let mut xf = ArrayD::zeros(IxDyn(&shape).f());
            xf.assign(&x);
            assert_eq!(
                softmax(&xf, Axis(k)),
                softmax(&x, Axis(k)),
                "F {shape:?} {k}"
            );
            assert_eq!(log_softmax(&xf, Axis(k)), log_softmax(&x, Axis(k)));
            let lgot = log_softmax(&x, Axis(k)).mapv(f);
            // Relative error per entry: a few roundings (see GOLDEN_TOL_EPS).
            for ((g, l), w) in got.iter().zip(&lgot).zip(&want) {
                assert!(
                    (g - w).abs() <= GOLDEN_TOL_EPS * eps::<T>() * w,
                    "{shape:?} axis {k}"
                );
                // log w has absolute error ≈ relative error of w.
                assert!((l - w.ln()).abs() <= GOLDEN_TOL_EPS * eps::<T>() * (1.0 + w.ln().abs()));
            }
        }
    }
}

#[test]
fn softmax_nd_f64() {
    softmax_nd::<f64>();
}

#[test]
fn softmax_nd_f32() {
    softmax_nd::<f32>();
}

/// C, F, negative strides, sliced and transposed views give identical results (the same
/// kernels run on the same lane values, only gathered differently).
fn layouts_agree<T: TestReal>() {
    let mut r = rng(12);
    for (m, n) in [(1, 1), (1, 9), (9, 1), (13, 33), (40, 8)] {
        let a: Array2<T> = random_matrix(&mut r, m, n).mapv(|v: T| v * T::from_f64_nearest(5.0));
        let labels: Vec<usize> = (0..m).map(|i| (i * 7) % n).collect();
        for axis in [Axis(0), Axis(1)] {
            let want = softmax(&a, axis);
            let lwant = log_softmax(&a, axis);
            for (name, l) in layouts(&a) {
                assert_eq!(softmax(&l, axis), want, "{name} {m}x{n} {axis:?}");
                assert_eq!(log_softmax(&l, axis), lwant, "{name} {m}x{n} {axis:?}");
            }
            let t = a.t().to_owned();
            let other = Axis(1 - axis.index());
            assert_eq!(softmax(&t.t(), axis), want, "transposed view");
            assert_eq!(
                softmax(&a.t(), other),
                want.t(),
                "transposed view, other axis"
            );
        }
        let ce = cross_entropy(&a, &labels).unwrap();
        let (loss, grad) = softmax_cross_entropy(&a, &labels).unwrap();
        assert_eq!(loss, ce);
        for (name, l) in layouts(&a) {
            assert_eq!(cross_entropy(&l, &labels).unwrap(), ce, "{name}");
            let (l2, g2) = softmax_cross_entropy(&l, &labels).unwrap();
            assert_eq!((l2, &g2), (loss, &grad), "{name}");
        }
        let t = a.t().to_owned();
        assert_eq!(cross_entropy(&t.t(), &labels).unwrap(), ce);
    }
}

#[test]
fn layouts_agree_f64() {
    layouts_agree::<f64>();
}

#[test]
fn layouts_agree_f32() {
    layouts_agree::<f32>();
}

/// Output layout follows the input (F in, F out), values unchanged.
#[test]
fn fortran_input_gives_fortran_output() {
    let a = golden_logits();
    let mut f_order = Array2::zeros((3, 4).f());
    f_order.assign(&a);
    let out = softmax(&f_order, Axis(1));
    assert!(out.t().is_standard_layout());
    assert_eq!(out, softmax(&a, Axis(1)));
}

/// Logits of ±1e4 and ±1e30 (and f32's ±3e38): no NaN, no ∞, exact limits.
fn extreme_logits<T: TestReal>() {
    for big in [1e4, 1e30, if eps::<T>() > 1e-10 { 3e38 } else { 1e300 }] {
        let b = T::from_f64_nearest(big);
        let x = array![[b, -b, T::zero()], [-b, -b, -b], [b, b, -b]];
        let p = softmax(&x, Axis(1));
        assert!(p.iter().all(|v| v.is_finite()), "softmax {big}: {p:?}");
        let want = array![
            [1.0, 0.0, 0.0],
            [1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0],
            [0.5, 0.5, 0.0]
        ];
        assert!(max_abs_diff(&p.mapv(f), &want) <= 4.0 * eps::<T>(), "{big}");
        let l = log_softmax(&x, Axis(1));
        assert_eq!(l[[0, 0]], T::zero());
        assert!(l.iter().all(|v| !v.is_nan()), "log_softmax {big}: {l:?}");
        // −2b overflows only for f32's 3e38 (to −∞, the correctly rounded value).
        if f(b) * 2.0 < f(T::max_value()) {
            assert!(l.iter().all(|v| v.is_finite()));
            assert_eq!(l[[0, 1]], -(b + b));
        }
        let labels = [0, 2, 1];
        let ce = cross_entropy(&x.slice(s![..2, ..]), &labels[..2]).unwrap();
        assert!(ce.is_finite(), "ce {big}");
        let (loss, g) = softmax_cross_entropy(&x, &labels).unwrap();
        assert!(g.iter().all(|v| v.is_finite()));
        assert!(f(loss).is_finite() || big > 1e38, "loss {big}");
    }
    // One-hot-sized logits: exactly zero loss.
    let x = array![[T::from_f64_nearest(1e4), T::from_f64_nearest(-1e4)]];
    assert_eq!(cross_entropy(&x, &[0]).unwrap(), T::zero());
}

#[test]
fn extreme_logits_f64() {
    extreme_logits::<f64>();
}

#[test]
fn extreme_logits_f32() {
    extreme_logits::<f32>();
}

/// NaN and infinities give NaN in their row only, as NumPy's formula does.
#[test]
fn non_finite_rows_are_nan_only_there() {
    let x = array![[f64::NAN, 0.0], [1.0, 2.0], [f64::INFINITY, 0.0]];
    let p = softmax(&x, Axis(1));
    assert!(p.row(0).iter().all(|v| v.is_nan()));
    assert!(p.row(1).iter().all(|v| v.is_finite()));
    assert!(p.row(2).iter().all(|v| v.is_nan()));
    // −∞ is an ordinary zero-probability logit.
    let q = softmax(&array![[f64::NEG_INFINITY, 0.0]], Axis(1));
    assert_eq!(q, array![[0.0, 1.0]]);
}

/// Empty arrays keep their shape (NumPy's formula on an empty array gives an empty array).
#[test]
fn empty_arrays() {
    for shape in [(0, 5), (3, 0), (0, 0)] {
        let x = Array2::<f64>::zeros(shape);
        for axis in [Axis(0), Axis(1)] {
            assert_eq!(softmax(&x, axis).dim(), shape);
            assert_eq!(log_softmax(&x, axis).dim(), shape);
        }
        assert_eq!(relu(&x).dim(), shape);
    }
    let x = Array3::<f32>::zeros((2, 0, 3));
    assert_eq!(softmax(&x, Axis(2)).dim(), (2, 0, 3));
}

#[test]
#[should_panic(expected = "out of bounds")]
fn softmax_axis_out_of_range_panics() {
    let _ = softmax(&array![[1.0, 2.0]], Axis(2));
}

// ------------------------------------------------------------------- finite differences

/// d/dx Σ r∘softmax(x) = s∘(r − Σ r∘s) per lane, against central differences.
#[test]
fn softmax_gradient_fd() {
    let mut g = rng(21);
    for axis in [Axis(0), Axis(1)] {
        let x: Array2<f64> = random_matrix::<f64>(&mut g, 4, 6) * 3.0;
        let rw: Array2<f64> = random_matrix(&mut g, 4, 6);
        let s = softmax(&x, axis);
        let dot = (&rw * &s).sum_axis(axis).insert_axis(axis);
        let analytic = &s * &(&rw - &dot);
        let fd = fd_grad(&x, |x| (&rw * &softmax(x, axis)).sum());
        let err = rel_err(&fd, &analytic.iter().copied().collect::<Vec<_>>());
        assert!(err <= FD_TOL, "softmax {axis:?}: {err:e}");
    }
}

/// d/dx Σ r∘log_softmax(x) = r − softmax(x)·Σr per lane, against central differences.
#[test]
fn log_softmax_gradient_fd() {
    let mut g = rng(22);
    for axis in [Axis(0), Axis(1)] {
        let x: Array2<f64> = random_matrix::<f64>(&mut g, 5, 3) * 3.0;
        let rw: Array2<f64> = random_matrix(&mut g, 5, 3);
        let s = softmax(&x, axis);
        let analytic = &rw - &(&s * &rw.sum_axis(axis).insert_axis(axis));
        let fd = fd_grad(&x, |x| (&rw * &log_softmax(x, axis)).sum());
        let err = rel_err(&fd, &analytic.iter().copied().collect::<Vec<_>>());
        assert!(err <= FD_TOL, "log_softmax {axis:?}: {err:e}");
    }
}

/// The fused gradient against central differences of `cross_entropy`.
#[test]
fn cross_entropy_gradient_fd() {
    let mut g = rng(23);
    for (n, c) in [(1, 2), (6, 5), (3, 11)] {
        let x: Array2<f64> = random_matrix::<f64>(&mut g, n, c) * 4.0;
        let labels: Vec<usize> = (0..n).map(|_| g.random_range(0..c)).collect();
        let (_, grad) = softmax_cross_entropy(&x, &labels).unwrap();
        let fd = fd_grad(&x, |x| cross_entropy(x, &labels).unwrap());
        let err = rel_err(&fd, &grad.iter().copied().collect::<Vec<_>>());
        assert!(err <= FD_TOL, "{n}x{c}: {err:e}");
        // Each row of (softmax − onehot)/n sums to zero.
        for row in grad.rows() {
            assert!(row.sum().abs() <= 1e-15);
        }
    }
}

/// Dense: L = Σ r∘forward(x); backward(x, r) against central differences in W, b and x.
#[test]
fn dense_gradient_fd() {
    let mut g = rng(24);
    let (batch, fan_in, fan_out) = (5, 4, 3);
    let layer = Dense::<f64>::new(fan_in, fan_out, Init::XavierNormal, &mut g);
    let layer = Dense {
        bias: Array1::from_shape_simple_fn(fan_out, || g.random_range(-1.0..1.0)),
        ..layer
    };
    let x: Array2<f64> = random_matrix(&mut g, batch, fan_in);
    let rw: Array2<f64> = random_matrix(&mut g, batch, fan_out);
    let grad = layer.backward(&x, &rw).unwrap();
    let loss = |l: &Dense<f64>, x: &Array2<f64>| (&rw * &l.forward(x).unwrap()).sum();

    let fd_w = fd_grad(&layer.weight, |w| {
        loss(
            &Dense {
                weight: w.clone(),
                bias: layer.bias.clone(),
            },
            &x,
        )
    });
    let fd_b = fd_grad(&layer.bias, |b| {
        loss(
            &Dense {
                weight: layer.weight.clone(),
                bias: b.clone(),
            },
            &x,
        )
    });
    let fd_x = fd_grad(&x, |x| loss(&layer, x));
    let flat = |a: &[f64]| a.to_vec();
    for (name, fd, an) in [
        ("weight", fd_w, flat(grad.weight.as_slice().unwrap())),
        ("bias", fd_b, flat(grad.bias.as_slice().unwrap())),
        ("input", fd_x, flat(grad.input.as_slice().unwrap())),
    ] {
        let err = rel_err(&fd, &an);
        assert!(err <= FD_TOL, "{name}: {err:e}");
    }
}

// ----------------------------------------------------------------------------- Dense

/// Bound on ‖got − want‖_max / (‖x‖_max·‖W‖_max·(k+1)·ε) for the layer's products against a
/// naive loop: each entry is a k-term dot product plus the bias, so its error is at most
/// (k+1)·ε·Σ|x||w| ≤ (k+1)²ε·max|x|max|w| for each side; 4·(k+1) covers both sides and the
/// BLAS kernel's blocking while a wrong transpose or stride gives O(1/ε).
fn dense_tol<T: TestReal>(k: usize) -> f64 {
    4.0 * (k as f64 + 1.0).powi(2) * eps::<T>()
}

fn naive_forward<T: Real>(l: &Dense<T>, x: &Array2<T>) -> Array2<f64> {
    let (n, k, m) = (x.nrows(), l.weight.nrows(), l.weight.ncols());
    Array2::from_shape_fn((n, m), |(i, j)| {
        f(l.bias[j])
            + (0..k)
                .map(|p| f(x[[i, p]]) * f(l.weight[[p, j]]))
                .sum::<f64>()
    })
}

fn dense_layouts<T: TestReal>() {
    let mut g = rng(31);
    for (batch, fan_in, fan_out) in [
        (1, 1, 1),
        (7, 5, 3),
        (1, 64, 10),
        (33, 17, 1),
        (0, 4, 3),
        (4, 0, 3),
        (4, 3, 0),
    ] {
        let mut layer = Dense::<T>::new(fan_in, fan_out, Init::HeUniform, &mut g);
        layer.bias = Array1::from_shape_simple_fn(fan_out, || T::random(&mut g));
        let x: Array2<T> = random_matrix(&mut g, batch, fan_in);
        let gout: Array2<T> = random_matrix(&mut g, batch, fan_out);
        let want = naive_forward(&layer, &x);
        let y = layer.forward(&x).unwrap();
        assert_eq!(y.dim(), (batch, fan_out));
        let tol = dense_tol::<T>(fan_in);
        assert!(
            max_abs_diff(&y.mapv(f), &want) <= tol,
            "forward {batch}x{fan_in}x{fan_out}"
        );
        let grad = layer.backward(&x, &gout).unwrap();
        // Naive backward in f64.
        let (x64, g64, w64) = (x.mapv(f), gout.mapv(f), layer.weight.mapv(f));
        let dw = x64.t().dot(&g64);
        let dx = g64.dot(&w64.t());
        let db = g64.sum_axis(Axis(0));
        assert!(max_abs_diff(&grad.weight.mapv(f), &dw) <= dense_tol::<T>(batch));
        assert!(max_abs_diff(&grad.input.mapv(f), &dx) <= dense_tol::<T>(fan_out));
        assert!(max_abs_diff(&grad.bias.mapv(f), &db) <= dense_tol::<T>(batch));
        // Every layout of x, grad_out and W gives the same result as C order, to rounding:
        // BLAS kernels may round a transposed operand differently (OpenBLAS's AVX-512
        // kernels do), so the bound is the same ε·k² error budget as against the naive loop.
        let same = |a: &Array2<T>, b: &Array2<T>, k: usize| max_abs_diff(a, b) <= dense_tol::<T>(k);
        for ((name, xl), (_, gl)) in layouts(&x).into_iter().zip(layouts(&gout)) {
            assert!(
                same(&layer.forward(&xl).unwrap(), &y, fan_in),
                "forward, x {name}"
            );
            let g = layer.backward(&xl, &gl).unwrap();
            assert!(same(&g.weight, &grad.weight, batch), "dW, {name}");
            assert!(same(&g.input, &grad.input, fan_out), "dx, {name}");
            let db_err = max_abs_diff(&g.bias, &grad.bias);
            assert!(db_err <= dense_tol::<T>(batch), "db, {name}");
        }
        let xt = x.t().to_owned();
        assert!(
            same(&layer.forward(&xt.t()).unwrap(), &y, fan_in),
            "forward, x transposed view"
        );
        for (name, wl) in layouts(&layer.weight) {
            let l2 = Dense {
                weight: wl,
                bias: layer.bias.clone(),
            };
            let tol = dense_tol::<T>(fan_in.max(fan_out));
            assert!(
                max_abs_diff(&l2.forward(&x).unwrap(), &y) <= tol,
                "W {name}"
            );
            let g2 = l2.backward(&x, &gout).unwrap();
            assert!(max_abs_diff(&g2.input, &grad.input) <= tol, "W {name}");
        }
    }
}

#[test]
fn dense_layouts_f64() {
    dense_layouts::<f64>();
}

#[test]
fn dense_layouts_f32() {
    dense_layouts::<f32>();
}

/// An empty batch: empty output, zero parameter gradients (NumPy: `x.T @ g` of a 0-row x).
#[test]
fn dense_empty_batch() {
    let layer = Dense {
        weight: array![[1.0, 2.0], [3.0, 4.0]],
        bias: array![5.0, 6.0],
    };
    let x = Array2::<f64>::zeros((0, 2));
    assert_eq!(layer.forward(&x).unwrap().dim(), (0, 2));
    let grad = layer.backward(&x, &Array2::zeros((0, 2))).unwrap();
    assert_eq!(grad.weight, Array2::zeros((2, 2)));
    assert_eq!(grad.bias, Array1::zeros(2));
    assert_eq!(grad.input.dim(), (0, 2));
    // Zero inputs: the output is the bias.
    let l0 = Dense {
        weight: Array2::<f64>::zeros((0, 2)),
        bias: array![5.0, 6.0],
    };
    assert_eq!(
        l0.forward(&Array2::zeros((3, 0))).unwrap(),
        array![[5.0, 6.0], [5.0, 6.0], [5.0, 6.0]]
    );
}

#[test]
fn dense_errors() {
    let layer = Dense {
        weight: Array2::<f64>::zeros((3, 2)),
        bias: Array1::zeros(2),
    };
    assert!(matches!(
        layer.forward(&Array2::zeros((4, 2))),
        Err(Error::IncompatibleShapes {
            op: "Dense::forward",
            ..
        })
    ));
    assert!(matches!(
        layer.backward(&Array2::zeros((4, 2)), &Array2::zeros((4, 2))),
        Err(Error::IncompatibleShapes {
            op: "Dense::backward",
            ..
        })
    ));
    for bad in [(4, 3), (3, 2), (4, 1)] {
        assert!(matches!(
            layer.backward(&Array2::zeros((4, 3)), &Array2::zeros(bad)),
            Err(Error::InvalidShape {
                op: "Dense::backward",
                ..
            })
        ));
    }
    let bad_bias = Dense {
        weight: Array2::<f64>::zeros((3, 2)),
        bias: Array1::zeros(3),
    };
    assert!(matches!(
        bad_bias.forward(&Array2::zeros((1, 3))),
        Err(Error::InvalidShape {
            op: "Dense::forward",
            ..
        })
    ));
    let msg = layer
        .forward(&Array2::zeros((4, 2)))
        .unwrap_err()
        .to_string();
    assert!(msg.contains("Dense::forward") && msg.contains("[4, 2]") && msg.contains("[3, 2]"));
}

// ------------------------------------------------------------------------ initialisation

/// Sample mean and variance of a 400×600 layer (240,000 weights) against each formula,
/// within 5 standard errors (a false alarm has probability ≈ 6e-7 per check). The standard
/// error of the mean is σ/√N; of the sample variance √(Var(w²)/N) with Var(w²) = 2σ⁴ for a
/// normal and 4a⁴/45 for U(−a, a).
fn init_statistics<T: TestReal>() {
    let (fan_in, fan_out) = (400, 600);
    let mut g = rng(41);
    let n = (fan_in * fan_out) as f64;
    let xavier_a = (6.0 / (fan_in + fan_out) as f64).sqrt();
    let he_a = (6.0 / fan_in as f64).sqrt();
    for (init, var, uniform_a) in [
        (
            Init::XavierUniform,
            xavier_a * xavier_a / 3.0,
            Some(xavier_a),
        ),
        (Init::HeUniform, he_a * he_a / 3.0, Some(he_a)),
        (Init::XavierNormal, 2.0 / (fan_in + fan_out) as f64, None),
        (Init::HeNormal, 2.0 / fan_in as f64, None),
    ] {
        let layer = Dense::<T>::new(fan_in, fan_out, init, &mut g);
        assert_eq!(layer.weight.dim(), (fan_in, fan_out));
        assert!(layer.bias.iter().all(|&b| b == T::zero()));
        let w = layer.weight.mapv(f);
        let mean = w.sum() / n;
        let sample_var = w.mapv(|v| (v - mean).powi(2)).sum() / (n - 1.0);
        let var_of_sq = match uniform_a {
            Some(a) => 4.0 * a.powi(4) / 45.0,
            None => 2.0 * var * var,
        };
        assert!(
            mean.abs() <= 5.0 * (var / n).sqrt(),
            "{init:?}: mean {mean}"
        );
        assert!(
            (sample_var - var).abs() <= 5.0 * (var_of_sq / n).sqrt(),
            "{init:?}: variance {sample_var} vs {var}"
        );
        if let Some(a) = uniform_a {
            assert!(
                w.iter().all(|v| v.abs() <= a * (1.0 + eps::<T>())),
                "{init:?} bound"
            );
            // Both tails are reached: the extremes lie within 1% of ±a.
            let max = w.iter().fold(f64::MIN, |m, &v| m.max(v));
            let min = w.iter().fold(f64::MAX, |m, &v| m.min(v));
            assert!(max > 0.99 * a && min < -0.99 * a, "{init:?} range");
        }
    }
    let zeros = Dense::<T>::new(3, 4, Init::Zeros, &mut g);
    assert!(zeros.weight.iter().all(|&w| w == T::zero()));
}

#[test]
fn init_statistics_f64() {
    init_statistics::<f64>();
}

#[test]
fn init_statistics_f32() {
    init_statistics::<f32>();
}

/// Same seed, same layer; degenerate sizes draw nothing and do not panic.
#[test]
fn init_deterministic_and_degenerate() {
    use rand::SeedableRng;
    let a = Dense::<f64>::new(
        5,
        7,
        Init::HeNormal,
        &mut rand::rngs::StdRng::seed_from_u64(3),
    );
    let b = Dense::<f64>::new(
        5,
        7,
        Init::HeNormal,
        &mut rand::rngs::StdRng::seed_from_u64(3),
    );
    assert_eq!(a, b);
    let c = Dense::<f32>::new(
        5,
        7,
        Init::HeNormal,
        &mut rand::rngs::StdRng::seed_from_u64(3),
    );
    assert_eq!(c.weight, a.weight.mapv(|v| v as f32));
    for init in [
        Init::XavierUniform,
        Init::XavierNormal,
        Init::HeUniform,
        Init::HeNormal,
        Init::Zeros,
    ] {
        for (i, o) in [(0, 0), (0, 3), (3, 0)] {
            let l = Dense::<f32>::new(i, o, init, &mut rng(0));
            assert_eq!((l.in_features(), l.out_features(), l.bias.len()), (i, o, o));
        }
    }
}

// ----------------------------------------------------------------------------- relu

#[test]
fn relu_and_backward() {
    let x = array![
        [-2.0, -0.0, 0.0, 3.5],
        [f64::NAN, 1e-300, -1e-300, f64::INFINITY]
    ];
    let y = relu(&x);
    assert_eq!(y.row(0), array![0.0, 0.0, 0.0, 3.5]);
    assert!(y[[1, 0]].is_nan());
    assert_eq!(y.slice(s![1, 1..]), array![1e-300, 0.0, f64::INFINITY]);
    let g = Array2::from_elem((2, 4), 2.0);
    let d = relu_backward(&x, &g).unwrap();
    assert_eq!(d, array![[0.0, 0.0, 0.0, 2.0], [0.0, 2.0, 0.0, 2.0]]);
    // Any dimensionality and layout.
    let x3 = Array3::from_shape_fn((2, 3, 4), |(i, j, k)| (i + j) as f32 - k as f32);
    let g3 = Array3::from_elem((2, 3, 4), 1.0_f32);
    let want = x3.mapv(|v| if v > 0.0 { 1.0 } else { 0.0 });
    assert_eq!(relu_backward(&x3, &g3).unwrap(), want);
    let xr = x3.slice(s![..;-1, .., ..;-1]);
    assert_eq!(
        relu_backward(&xr, &g3).unwrap(),
        want.slice(s![..;-1, .., ..;-1])
    );
    assert_eq!(
        relu(&xr),
        x3.mapv(|v| v.max(0.0)).slice(s![..;-1, .., ..;-1])
    );
    assert!(matches!(
        relu_backward(&x, &Array2::zeros((4, 2))),
        Err(Error::IncompatibleShapes {
            op: "relu_backward",
            ..
        })
    ));
}

// ------------------------------------------------------------------------------ losses

#[test]
fn loss_errors() {
    let x = Array2::<f64>::zeros((3, 4));
    for (labels, what) in [(&[0, 1][..], "short"), (&[0, 1, 2, 3][..], "long")] {
        assert!(
            matches!(
                cross_entropy(&x, labels),
                Err(Error::IncompatibleShapes {
                    op: "cross_entropy",
                    ..
                })
            ),
            "{what}"
        );
        assert!(matches!(
            softmax_cross_entropy(&x, labels),
            Err(Error::IncompatibleShapes {
                op: "softmax_cross_entropy",
                ..
            })
        ));
    }
    let err = cross_entropy(&x, &[0, 4, 1]).unwrap_err();
    assert!(matches!(
        err,
        Error::InvalidArgument {
            op: "cross_entropy",
            ..
        }
    ));
    assert!(err.to_string().contains("label 4 of sample 1"), "{err}");
    assert!(matches!(
        softmax_cross_entropy(&x, &[0, 1, usize::MAX]),
        Err(Error::InvalidArgument {
            op: "softmax_cross_entropy",
            ..
        })
    ));
    let empty = Array2::<f32>::zeros((0, 4));
    assert!(matches!(
        cross_entropy(&empty, &[]),
        Err(Error::InvalidShape {
            op: "cross_entropy",
            ..
        })
    ));
    assert!(matches!(
        softmax_cross_entropy(&empty, &[]),
        Err(Error::InvalidShape {
            op: "softmax_cross_entropy",
            ..
        })
    ));
    // No classes: every label is out of range.
    let none = Array2::<f64>::zeros((2, 0));
    assert!(matches!(
        cross_entropy(&none, &[0, 0]),
        Err(Error::InvalidArgument { .. })
    ));
}

/// The fused loss equals `cross_entropy`, and its gradient `(softmax − onehot)/n`, in f32 and
/// f64 on a larger random batch (rows of 1000 classes exercise the chunked kernels' tails).
fn fused_matches_unfused<T: TestReal>() {
    let mut g = rng(51);
    let (n, c) = (9, 1003);
    let x: Array2<T> = random_matrix::<T>(&mut g, n, c).mapv(|v| v * T::from_f64_nearest(10.0));
    let labels: Vec<usize> = (0..n).map(|_| g.random_range(0..c)).collect();
    let ce = cross_entropy(&x, &labels).unwrap();
    let (loss, grad) = softmax_cross_entropy(&x, &labels).unwrap();
    // Same row terms, summed in the same order: identical.
    assert_eq!(ce, loss);
    let mut want = softmax(&x, Axis(1)).mapv(f);
    for (i, &y) in labels.iter().enumerate() {
        want[[i, y]] -= 1.0;
    }
    want /= n as f64;
    // Entries are at most 1/n; each a few roundings from exact (see GOLDEN_TOL_EPS).
    assert!(max_abs_diff(&grad.mapv(f), &want) <= GOLDEN_TOL_EPS * eps::<T>() / n as f64);
    // Against the f64 reference on the rounded logits.
    let x64 = x.mapv(f);
    let lsm = reference_softmax(&x64.clone().into_dyn(), Axis(1)).mapv(f64::ln);
    let want_ce = -labels
        .iter()
        .enumerate()
        .map(|(i, &y)| lsm[[i, y]])
        .sum::<f64>()
        / n as f64;
    assert!((f(ce) - want_ce).abs() <= GOLDEN_TOL_EPS * eps::<T>() * want_ce.abs().max(1.0));
}

#[test]
fn fused_matches_unfused_f64() {
    fused_matches_unfused::<f64>();
}

#[test]
fn fused_matches_unfused_f32() {
    fused_matches_unfused::<f32>();
}

// -------------------------------------------------------------------------- optimisers

fn one_param_layer(w: f64, b: f64) -> Dense<f64> {
    Dense {
        weight: array![[w]],
        bias: array![b],
    }
}

fn grad_of(w: f64, b: f64) -> DenseGrad<f64> {
    DenseGrad {
        weight: array![[w]],
        bias: array![b],
        input: array![[0.0]],
    }
}

/// Hand-computed SGD with momentum 0.9, lr 0.1, gradients 1, 2, −1 on the weight:
/// v = 1, 2.9, 1.61; w = 1 − 0.1, − 0.29, − 0.161.
#[test]
fn sgd_momentum_by_hand() {
    let sgd = Sgd::new(0.1, 0.9);
    let mut layer = one_param_layer(1.0, 0.0);
    let mut state = sgd.init(&layer);
    let mut w = Vec::new();
    for gw in [1.0, 2.0, -1.0] {
        sgd.step(&mut layer, &grad_of(gw, 0.5), &mut state).unwrap();
        w.push(layer.weight[[0, 0]]);
    }
    let want = [0.9, 0.61, 0.449];
    for (g, w) in w.iter().zip(want) {
        assert!((g - w).abs() < 1e-15, "{g} vs {w}");
    }
    assert!((state.velocity().0[[0, 0]] - 1.61).abs() < 1e-15);
    // bias: v = 0.5, 0.95, 1.355 → b = −0.05, −0.145, −0.2805
    assert!((layer.bias[0] + 0.2805).abs() < 1e-15);
    // Plain SGD.
    let plain = Sgd::new(0.5, 0.0);
    let mut l = one_param_layer(1.0, 1.0);
    let mut s = plain.init(&l);
    plain.step(&mut l, &grad_of(1.0, -1.0), &mut s).unwrap();
    plain.step(&mut l, &grad_of(1.0, -1.0), &mut s).unwrap();
    assert_eq!((l.weight[[0, 0]], l.bias[0]), (0.0, 2.0));
}

/// Hand-computed Adam (lr 0.1, β = (0.9, 0.999), ε = 1e-8), gradients 1 then 3:
/// t=1: m = 0.1, v = 0.001, m̂ = 1, v̂ = 1, w = 1 − 0.1·1/(1 + 1e-8);
/// t=2: m = 0.39, v = 0.000999 + 0.009 = 0.009999, m̂ = 0.39/0.19, v̂ = 0.009999/0.001999,
///      w −= 0.1·m̂/(√v̂ + 1e-8).
#[test]
fn adam_by_hand() {
    let adam = Adam::new(0.1);
    let mut layer = one_param_layer(1.0, 0.0);
    let mut state: AdamState<f64> = adam.init(&layer);
    adam.step(&mut layer, &grad_of(1.0, 0.0), &mut state)
        .unwrap();
    let w1 = 1.0 - 0.1 / (1.0 + 1e-8);
    assert!((layer.weight[[0, 0]] - w1).abs() < 1e-15);
    adam.step(&mut layer, &grad_of(3.0, 0.0), &mut state)
        .unwrap();
    let m_hat: f64 = 0.39 / 0.19;
    let v_hat: f64 = 0.009999 / 0.001999;
    let w2 = w1 - 0.1 * m_hat / (v_hat.sqrt() + 1e-8);
    assert!(
        (layer.weight[[0, 0]] - w2).abs() < 1e-14,
        "{} vs {w2}",
        layer.weight[[0, 0]]
    );
    assert_eq!(state.steps(), 2);
    assert!((state.first_moment().0[[0, 0]] - 0.39).abs() < 1e-15);
    assert!((state.second_moment().0[[0, 0]] - 0.009999).abs() < 1e-15);
    // A zero gradient leaves the bias where it is.
    assert_eq!(layer.bias[0], 0.0);
}

/// The optimisers train a small two-layer network (through the generic trait): the loss
/// falls by an order of magnitude on a separable problem, in f32.
fn trains<O: Optimizer<f32>>(opt: O, steps: usize) -> (f32, f32) {
    let mut g = rng(61);
    let x: Array2<f32> = random_matrix(&mut g, 32, 2);
    let labels: Vec<usize> = x
        .rows()
        .into_iter()
        .map(|r| usize::from(r[0] * r[1] > 0.0))
        .collect();
    let mut l1 = Dense::<f32>::new(2, 16, Init::HeNormal, &mut g);
    let mut l2 = Dense::<f32>::new(16, 2, Init::XavierUniform, &mut g);
    let (mut s1, mut s2) = (opt.init(&l1), opt.init(&l2));
    let mut first = None;
    let mut last = 0.0;
    for _ in 0..steps {
        let z = l1.forward(&x).unwrap();
        let h = relu(&z);
        let (loss, dlogits) = softmax_cross_entropy(&l2.forward(&h).unwrap(), &labels).unwrap();
        first.get_or_insert(loss);
        last = loss;
        let g2 = l2.backward(&h, &dlogits).unwrap();
        let g1 = l1
            .backward(&x, &relu_backward(&z, &g2.input).unwrap())
            .unwrap();
        opt.step(&mut l2, &g2, &mut s2).unwrap();
        opt.step(&mut l1, &g1, &mut s1).unwrap();
    }
    (first.unwrap(), last)
}

#[test]
fn optimisers_train_a_network() {
    let (first, last) = trains(Adam::new(0.02), 300);
    assert!(last < first / 10.0, "adam: {first} → {last}");
    let (first, last) = trains(Sgd::new(0.2, 0.9), 300);
    assert!(last < first / 10.0, "sgd: {first} → {last}");
}

#[test]
fn optimiser_errors_change_nothing() {
    let layer = one_param_layer(1.0, 2.0);
    let bad_grad = DenseGrad {
        weight: array![[1.0, 2.0]],
        bias: array![1.0],
        input: array![[0.0]],
    };
    let bad_bias = DenseGrad {
        weight: array![[1.0]],
        bias: array![1.0, 1.0],
        input: array![[0.0]],
    };
    let other = Dense {
        weight: Array2::<f64>::zeros((2, 2)),
        bias: Array1::zeros(2),
    };

    let sgd = Sgd::new(0.1, 0.9);
    let mut l = layer.clone();
    let mut s = sgd.init(&l);
    for g in [&bad_grad, &bad_bias] {
        assert!(matches!(
            sgd.step(&mut l, g, &mut s),
            Err(Error::IncompatibleShapes {
                op: "Sgd::step",
                ..
            })
        ));
    }
    let mut stale = sgd.init(&other);
    assert!(matches!(
        sgd.step(&mut l, &grad_of(1.0, 1.0), &mut stale),
        Err(Error::InvalidShape {
            op: "Sgd::step",
            ..
        })
    ));
    for bad in [
        Sgd {
            lr: -1.0,
            momentum: 0.0,
        },
        Sgd {
            lr: f64::NAN,
            momentum: 0.0,
        },
        Sgd {
            lr: 0.1,
            momentum: -0.5,
        },
    ] {
        assert!(matches!(
            bad.step(&mut l, &grad_of(1.0, 1.0), &mut s),
            Err(Error::InvalidArgument { .. })
        ));
    }
    assert_eq!(l, layer);
    assert_eq!(s, sgd.init(&layer));

    let adam = Adam::new(0.1);
    let mut a = adam.init(&l);
    for g in [&bad_grad, &bad_bias] {
        assert!(matches!(
            adam.step(&mut l, g, &mut a),
            Err(Error::IncompatibleShapes {
                op: "Adam::step",
                ..
            })
        ));
    }
    let mut stale = adam.init(&other);
    assert!(matches!(
        adam.step(&mut l, &grad_of(1.0, 1.0), &mut stale),
        Err(Error::InvalidShape {
            op: "Adam::step",
            ..
        })
    ));
    for bad in [
        Adam { beta1: 1.0, ..adam },
        Adam {
            beta2: -0.1,
            ..adam
        },
        Adam { eps: -1e-8, ..adam },
        Adam {
            lr: f64::INFINITY,
            ..adam
        },
    ] {
        let err = bad.step(&mut l, &grad_of(1.0, 1.0), &mut a).unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidArgument {
                    op: "Adam::step",
                    ..
                }
            ),
            "{err}"
        );
    }
    assert_eq!(l, layer);
    assert_eq!(a.steps(), 0);
}

/// Parameters in another layout (an F-order weight assigned by the user) update the same.
#[test]
fn optimiser_any_layout() {
    let mut g = rng(71);
    let w: Array2<f64> = random_matrix(&mut g, 3, 4);
    let gw: Array2<f64> = random_matrix(&mut g, 3, 4);
    let grad = DenseGrad {
        weight: gw,
        bias: Array1::ones(4),
        input: Array2::zeros((1, 3)),
    };
    let mut c = Dense {
        weight: w.clone(),
        bias: Array1::zeros(4),
    };
    let mut fw = Array2::zeros((3, 4).f());
    fw.assign(&w);
    let mut fl = Dense {
        weight: fw,
        bias: Array1::zeros(4),
    };
    let adam = Adam::new(0.01);
    let (mut sc, mut sf) = (adam.init(&c), adam.init(&fl));
    for _ in 0..3 {
        adam.step(&mut c, &grad, &mut sc).unwrap();
        adam.step(&mut fl, &grad, &mut sf).unwrap();
    }
    assert_eq!(c, fl);
}

// ------------------------------------------------------- mse_loss, bce_with_logits, nll_loss

mod new_losses {
    use super::{eps, fd_grad, rel_err, TestReal, FD_TOL};
    use crate::common;
    use ndarray::{array, Array1, Array2, Axis};
    use ndkit::ml::{
        bce_with_logits, bce_with_logits_grad, cross_entropy, log_softmax, mse_loss, mse_loss_grad,
        nll_loss, nll_loss_grad,
    };
    use ndkit::Error;

    const REF_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/ml_reference/");

    fn load<D: ndarray::Dimension>(name: &str) -> ndarray::Array<f64, D> {
        common::load_npy(REF_DIR, name)
    }

    /// Loss goldens (PyTorch's formulas in NumPy, tests/ml_reference/generate.py): a mean of
    /// n ≤ 24 terms, each a few rounded operations around one exp/log (≤ 2 ulp), summed in
    /// blocks: ≤ ~16 ε relative to the largest term; 64 ε leaves a factor 4.
    const LOSS_ULPS: f64 = 64.0;

    fn close<T: TestReal>(got: T, want: f64, scale: f64, what: &str) {
        let err = (got.to_f64().unwrap() - want).abs() / scale.max(want.abs());
        assert!(
            err <= LOSS_ULPS * eps::<T>(),
            "{what} ({}): {got:?} vs {want}, {err:e}",
            T::NAME
        );
    }

    fn goldens<T: TestReal>() {
        let logits: Array1<f64> = load("bce_logits");
        let targets: Array1<f64> = load("bce_targets");
        let (x, y) = (
            logits.mapv(T::from_f64_nearest),
            targets.mapv(T::from_f64_nearest),
        );
        let want: Array1<f64> = load("bce_loss");
        // The ±1e4 logits contribute terms of 1e4, the scale of the sum's rounding.
        let scale = 1e4 / x.len() as f64;
        close(
            bce_with_logits(&x, &y).unwrap(),
            want[0],
            scale,
            "bce_with_logits",
        );
        let (loss, grad) = bce_with_logits_grad(&x, &y).unwrap();
        close(loss, want[0], scale, "bce_with_logits_grad loss");
        let want_g: Array1<f64> = load("bce_grad");
        for (&g, &w) in grad.iter().zip(&want_g) {
            close(g, w, 1.0 / x.len() as f64, "bce_with_logits_grad");
        }

        let pred: Array2<f64> = load("mse_pred");
        let target: Array2<f64> = load("mse_target");
        let (p, t) = (
            pred.mapv(T::from_f64_nearest),
            target.mapv(T::from_f64_nearest),
        );
        let want: Array1<f64> = load("mse_loss");
        close(mse_loss(&p, &t).unwrap(), want[0], 0.0, "mse_loss");
        let (loss, grad) = mse_loss_grad(&p, &t).unwrap();
        close(loss, want[0], 0.0, "mse_loss_grad loss");
        let want_g: Array2<f64> = load("mse_grad");
        for (&g, &w) in grad.iter().zip(&want_g) {
            close(g, w, 1e-3, "mse_loss_grad");
        }

        let lp: Array2<f64> = load("nll_log_probs");
        let labels: Array1<f64> = load("nll_labels");
        let labels: Vec<usize> = labels.iter().map(|&l| l as usize).collect();
        let want: Array1<f64> = load("nll_loss");
        let lpt = lp.mapv(T::from_f64_nearest);
        close(nll_loss(&lpt, &labels).unwrap(), want[0], 0.0, "nll_loss");
        close(
            nll_loss_grad(&lpt, &labels).unwrap().0,
            want[0],
            0.0,
            "nll_loss_grad",
        );
    }
    crate::real_dtype_tests!(loss_goldens => goldens);

    #[test]
    fn bce_stable_at_extreme_logits() {
        for (x, y, want) in [
            (1e4, 0.0, 1e4),
            (-1e4, 1.0, 1e4),
            (1e4, 1.0, 0.0),
            (-1e4, 0.0, 0.0),
        ] {
            assert_eq!(bce_with_logits(&array![x], &array![y]).unwrap(), want);
            assert_eq!(
                bce_with_logits(&array![x as f32], &array![y as f32]).unwrap(),
                want as f32
            );
            let (_, g) = bce_with_logits_grad(&array![x as f32], &array![y as f32]).unwrap();
            assert!(
                g[0].is_finite()
                    && (g[0] - (if x > 0.0 { 1.0 } else { 0.0 } - y as f32)).abs() == 0.0
            );
        }
    }

    #[test]
    fn gradients_by_finite_differences() {
        let mut r = common::rng(3);
        let x: Array2<f64> = common::random_matrix::<f64>(&mut r, 5, 7).mapv(|v| 6.0 * v);
        let y: Array2<f64> = common::random_matrix::<f64>(&mut r, 5, 7).mapv(|v| 0.5 + 0.5 * v);
        let fd = fd_grad(&x, |x| bce_with_logits(x, &y).unwrap());
        let (_, g) = bce_with_logits_grad(&x, &y).unwrap();
        assert!(rel_err(&fd, g.as_slice().unwrap()) < FD_TOL, "bce");
        let fd = fd_grad(&x, |x| mse_loss(x, &y).unwrap());
        let (_, g) = mse_loss_grad(&x, &y).unwrap();
        assert!(rel_err(&fd, g.as_slice().unwrap()) < FD_TOL, "mse");
        let lp = log_softmax(&x, Axis(1));
        let labels = [0, 6, 3, 3, 1];
        let fd = fd_grad(&lp, |lp| nll_loss(lp, &labels).unwrap());
        let (_, g) = nll_loss_grad(&lp, &labels).unwrap();
        assert!(rel_err(&fd, g.as_slice().unwrap()) < FD_TOL, "nll");
        // nll_loss on log-probabilities is cross_entropy on the logits.
        let ce = cross_entropy(&x, &labels).unwrap();
        assert!((nll_loss(&lp, &labels).unwrap() - ce).abs() < 1e-14);
    }

    #[test]
    fn layouts_give_the_same_loss() {
        let mut r = common::rng(5);
        let x: Array2<f64> = common::random_matrix::<f64>(&mut r, 6, 9);
        let y: Array2<f64> = common::random_matrix::<f64>(&mut r, 6, 9);
        let want = mse_loss_grad(&x, &y).unwrap();
        let want_b = bce_with_logits_grad(&x, &y).unwrap();
        for ((name, xl), (_, yl)) in common::layouts(&x).into_iter().zip(common::layouts(&y)) {
            let got = mse_loss_grad(&xl, &yl).unwrap();
            assert!((got.0 - want.0).abs() < 1e-15 && got.1 == want.1, "{name}");
            let got = bce_with_logits_grad(&xl, &y).unwrap();
            assert!((got.0 - want_b.0).abs() < 1e-15, "{name}");
            assert!(
                got.1
                    .iter()
                    .zip(&want_b.1)
                    .all(|(a, b)| (a - b).abs() < 1e-17),
                "{name}"
            );
        }
    }

    #[test]
    fn errors() {
        let a = Array2::<f64>::zeros((2, 3));
        let b = Array2::<f64>::zeros((3, 2));
        let e = Array2::<f64>::zeros((0, 3));
        for (name, r) in [
            ("mse_loss", mse_loss(&a, &b)),
            ("bce_with_logits", bce_with_logits(&a, &b)),
            ("mse_loss_grad", mse_loss_grad(&a, &b).map(|r| r.0)),
            (
                "bce_with_logits_grad",
                bce_with_logits_grad(&a, &b).map(|r| r.0),
            ),
        ] {
            assert!(
                matches!(&r, Err(Error::IncompatibleShapes { op, .. }) if *op == name),
                "{name}: {r:?}"
            );
        }
        for (name, r) in [
            ("mse_loss", mse_loss(&e, &e)),
            ("bce_with_logits", bce_with_logits(&e, &e)),
            ("mse_loss_grad", mse_loss_grad(&e, &e).map(|r| r.0)),
            (
                "bce_with_logits_grad",
                bce_with_logits_grad(&e, &e).map(|r| r.0),
            ),
            ("nll_loss", nll_loss(&e, &[])),
            ("nll_loss_grad", nll_loss_grad(&e, &[]).map(|r| r.0)),
        ] {
            assert!(
                matches!(&r, Err(Error::InvalidShape { op, .. }) if *op == name),
                "{name}: {r:?}"
            );
        }
        assert!(matches!(
            nll_loss(&a, &[0]),
            Err(Error::IncompatibleShapes { .. })
        ));
        let err = nll_loss(&a, &[0, 3]).unwrap_err();
        assert!(
            matches!(err, Error::InvalidArgument { op: "nll_loss", .. }),
            "{err}"
        );
        assert!(err.to_string().contains("label 3 of sample 1"), "{err}");
    }

    /// `?` works on ndarray's shape errors inside ndkit::Result code.
    #[test]
    fn shape_error_converts() {
        fn reshape(v: Vec<f64>) -> ndkit::Result<Array2<f64>> {
            Ok(Array1::from(v).into_shape_with_order((2, 3))?)
        }
        assert!(reshape(vec![0.0; 6]).is_ok());
        let err = reshape(vec![0.0; 5]).unwrap_err();
        assert!(matches!(err, Error::Ndarray(_)));
        assert!(err.to_string().starts_with("ndarray: "), "{err}");
    }
}

// ---------------------------------------------------- optimisers on any Parameters

mod any_parameters {
    use ndarray::{array, Array1, Array3, ArrayViewD, ArrayViewMutD};
    use ndkit::ml::{Adam, Dense, DenseGrad, Optimizer, Parameters, Sgd};
    use ndkit::Error;

    /// A layer with a 3-d and a 1-d parameter, as a user would write one.
    #[derive(Clone, PartialEq, Debug)]
    struct Conv {
        kernel: Array3<f64>,
        shift: Array1<f64>,
    }

    impl Parameters for Conv {
        type Elem = f64;
        type Grad = Conv;
        fn parameters(&self) -> Vec<ArrayViewD<'_, f64>> {
            vec![self.kernel.view().into_dyn(), self.shift.view().into_dyn()]
        }
        fn parameters_and_grads<'a>(
            &'a mut self,
            grad: &'a Conv,
        ) -> Vec<(ArrayViewMutD<'a, f64>, ArrayViewD<'a, f64>)> {
            vec![
                (
                    self.kernel.view_mut().into_dyn(),
                    grad.kernel.view().into_dyn(),
                ),
                (
                    self.shift.view_mut().into_dyn(),
                    grad.shift.view().into_dyn(),
                ),
            ]
        }
    }

    fn conv(v: f64) -> Conv {
        Conv {
            kernel: Array3::from_elem((2, 3, 2), v),
            shift: Array1::from_elem(3, v),
        }
    }

    /// Generic training code over the optimiser and the parameter set.
    fn descend<O: Optimizer<f64, Conv>>(opt: &O, steps: usize) -> f64 {
        // Minimise ½‖θ − 3‖²: the gradient is θ − 3.
        let mut p = conv(0.0);
        let mut state = opt.init(&p);
        for _ in 0..steps {
            let g = Conv {
                kernel: p.kernel.mapv(|v| v - 3.0),
                shift: p.shift.mapv(|v| v - 3.0),
            };
            opt.step(&mut p, &g, &mut state).unwrap();
        }
        p.kernel
            .iter()
            .chain(&p.shift)
            .map(|v| (v - 3.0).abs())
            .fold(0.0, f64::max)
    }

    #[test]
    fn sgd_and_adam_step_a_custom_layer() {
        // One SGD step with lr 0.5, μ = 0 by hand: θ = 0 − 0.5·(0 − 3) = 1.5.
        let mut p = conv(0.0);
        let sgd = Sgd::new(0.5, 0.0);
        let mut s = sgd.init(&p);
        sgd.step(&mut p, &conv(-3.0), &mut s).unwrap();
        assert_eq!(p, conv(1.5));
        assert_eq!(s.buffers()[0].shape(), &[2, 3, 2]);
        // Adam's first step moves each parameter by lr·|g|/(|g| + ε) = 0.25·(1 − 3e-9).
        let mut p = conv(0.0);
        let adam = Adam::new(0.25);
        let mut a = adam.init(&p);
        adam.step(&mut p, &conv(-3.0), &mut a).unwrap();
        assert!(p.kernel.iter().all(|&v| (v - 0.25).abs() < 1e-9));
        assert_eq!(a.moments().len(), 2);
        // Both converge on the quadratic.
        assert!(descend(&Sgd::new(0.1, 0.9), 300) < 1e-6);
        assert!(descend(&Adam::new(0.1), 500) < 1e-3);
    }

    #[test]
    fn shapes_and_hyper_parameters_checked_before_any_change() {
        let mut p = conv(1.0);
        let adam = Adam::new(0.1);
        let mut state = adam.init(&p);
        let wrong = Conv {
            kernel: Array3::zeros((2, 3, 1)),
            shift: Array1::zeros(3),
        };
        let err = adam.step(&mut p, &wrong, &mut state).unwrap_err();
        assert!(
            matches!(&err, Error::IncompatibleShapes { op: "Adam::step", lhs, rhs } if lhs == &[2, 3, 2] && rhs == &[2, 3, 1]),
            "{err}"
        );
        assert_eq!((p.clone(), state.steps()), (conv(1.0), 0));
        // A state made for other parameters.
        let mut other = Conv {
            kernel: Array3::zeros((1, 1, 1)),
            shift: Array1::zeros(1),
        };
        let other_grad = other.clone();
        let err = adam.step(&mut other, &other_grad, &mut state).unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidShape {
                    op: "Adam::step",
                    ..
                }
            ),
            "{err}"
        );
        // Invalid hyper-parameters: an error, nothing changed; valid ones again: fine.
        for bad in [
            Adam { beta1: 1.0, ..adam },
            Adam {
                lr: f64::NAN,
                ..adam
            },
            Adam { eps: -1.0, ..adam },
        ] {
            assert!(matches!(
                bad.step(&mut p, &conv(1.0), &mut state),
                Err(Error::InvalidArgument { .. })
            ));
            assert_eq!(p, conv(1.0));
        }
        adam.step(&mut p, &conv(1.0), &mut state).unwrap();
        assert_eq!(state.steps(), 1);
        let sgd = Sgd::new(0.1, -0.5);
        let mut s = sgd.init(&p);
        let err = sgd.step(&mut p, &conv(1.0), &mut s).unwrap_err();
        assert!(err.to_string().contains("momentum = -0.5"), "{err}");
        // After an accepted step, a changed (invalid) value is still caught.
        let good = Sgd::new(0.1, 0.5);
        good.step(&mut p, &conv(1.0), &mut s).unwrap();
        let before = p.clone();
        assert!(Sgd { lr: -1.0, ..good }
            .step(&mut p, &conv(1.0), &mut s)
            .is_err());
        assert_eq!(p, before);
    }

    /// The Dense path through the trait is the one the old API had.
    #[test]
    fn dense_exposes_weight_then_bias() {
        let mut layer = Dense {
            weight: array![[1.0_f64, 2.0]],
            bias: array![3.0, 4.0],
        };
        let shapes: Vec<Vec<usize>> = layer
            .parameters()
            .iter()
            .map(|p| p.shape().to_vec())
            .collect();
        assert_eq!(shapes, vec![vec![1, 2], vec![2]]);
        let grad = DenseGrad {
            weight: array![[1.0, 1.0]],
            bias: array![1.0, 1.0],
            input: array![[0.0]],
        };
        assert_eq!(layer.parameters_and_grads(&grad).len(), 2);
    }
}
