//! The smooth activations of `ndkit::ml` (sigmoid, tanh, silu, softplus, leaky_relu, gelu and
//! their backward passes) against PyTorch's definitions, by invariants and by finite
//! differences.
//!
//! Golden values: `tests/ml_reference/*.npy`, written by `tests/ml_reference/generate.py`
//! (PyTorch's formulas transcribed into float64 NumPy/SciPy — the project's Python has no
//! torch; versions in `tests/ml_reference/VERSIONS.txt`). The inputs are f32 values, so the
//! f32 and f64 tests see the same exact inputs.

mod common;

use common::{cast, eps, layouts, random_matrix, rng, TestReal};
use ndarray::{array, s, Array1, Array2, Array3, ArrayD, ArrayView1, Axis, IxDyn, ShapeBuilder};
use ndkit::ml::{
    gelu, gelu_backward, leaky_relu, leaky_relu_backward, sigmoid, sigmoid_backward, silu,
    silu_backward, softplus, softplus_backward, tanh, tanh_backward, GeluApprox,
};
use ndkit::{Error, Real};

const REF_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/ml_reference/");

fn load(name: &str) -> Array1<f64> {
    common::load_npy(REF_DIR, name)
}

fn f<T: Real>(x: T) -> f64 {
    x.to_f64().unwrap()
}

/// Agreement with the float64 reference, in units of the dtype's ε. Each kernel is a handful
/// of rounded operations around one transcendental (ndkit's exp: ≤ 2 ulp; Cephes tanhf,
/// fdlibm erfc: ≤ 1 ulp; Numerical Recipes' erfc for f32: 1.2e-7 ≈ 1 ulp of f32), so ≤ ~8 ulp
/// of the result where nothing cancels. Where the definition itself cancels — `1 − σ`,
/// `1 − tanh²`, `1 + tanh` of GELU's tail, `x(1 − σ)` of SiLU's gradient — the error is
/// absolute, ε times the size of the terms: up to |x| ≤ 12 on the grid, i.e. 12ε·|g|. So the
/// error is measured relative to max(|want|, floor) with floor = 1 for forward values and
/// |g| for gradients, and 32 ε covers both with a factor ~2 to spare; a wrong formula (a
/// missing factor, a sign) is off by O(1), i.e. ~10⁷ of these units in f32.
const ULPS: f64 = 32.0;

fn check<T: TestReal>(name: &str, got: ArrayView1<'_, T>, want: &Array1<f64>, floor: &Array1<f64>) {
    let tol = ULPS * eps::<T>();
    for (i, ((&g, &w), &fl)) in got.iter().zip(want).zip(floor).enumerate() {
        let err = (f(g) - w).abs() / w.abs().max(fl);
        assert!(
            err <= tol,
            "{name} ({}) at x[{i}]: got {:e}, want {w:e}, error {err:e} > {tol:e}",
            T::NAME,
            f(g)
        );
    }
}

fn golden<T: TestReal>() {
    let x64 = load("x");
    let g64 = load("g");
    let (x, g) = (cast::<T, _>(&x64), cast::<T, _>(&g64));
    let ones = Array1::<f64>::ones(x.len());
    let gfloor = g64.mapv(f64::abs);
    let forward: [(&str, Array1<T>); 7] = [
        ("sigmoid", sigmoid(&x)),
        ("tanh", tanh(&x)),
        ("silu", silu(&x)),
        ("softplus", softplus(&x)),
        ("leaky_relu", leaky_relu(&x, T::from_f64_nearest(0.25))),
        ("gelu", gelu(&x, GeluApprox::None)),
        ("gelu_tanh", gelu(&x, GeluApprox::Tanh)),
    ];
    for (name, got) in &forward {
        check(name, got.view(), &load(name), &ones);
    }
    let backward: [(&str, Array1<T>); 7] = [
        ("sigmoid_backward", sigmoid_backward(&x, &g).unwrap()),
        ("tanh_backward", tanh_backward(&x, &g).unwrap()),
        ("silu_backward", silu_backward(&x, &g).unwrap()),
        ("softplus_backward", softplus_backward(&x, &g).unwrap()),
        (
            "leaky_relu_backward",
            leaky_relu_backward(&x, &g, T::from_f64_nearest(0.25)).unwrap(),
        ),
        (
            "gelu_backward",
            gelu_backward(&x, &g, GeluApprox::None).unwrap(),
        ),
        (
            "gelu_tanh_backward",
            gelu_backward(&x, &g, GeluApprox::Tanh).unwrap(),
        ),
    ];
    for (name, got) in &backward {
        check(name, got.view(), &load(name), &gfloor);
    }
}
real_dtype_tests!(golden_values => golden);

/// The tails where a relative error would hide under the absolute floor above: sigmoid and
/// SiLU for x ≤ 0 and softplus's ln(1 + eˣ) for x ≤ 0 are tiny numbers that must keep their
/// relative accuracy (8 ε: the exp's 2 ulp, a division and an addition, doubled).
fn tails_relative<T: TestReal>() {
    let x64 = Array1::from_shape_fn(400, |i| -(i as f64) * 0.2);
    let x = cast::<T, _>(&x64);
    let x64 = x.mapv(f); // the exact inputs
    let tol = 8.0 * eps::<T>();
    let sig = |v: f64| 1.0 / (1.0 + (-v).exp());
    for (i, &v) in x64.iter().enumerate() {
        // Below the dtype's smallest normal the results are subnormal or zero: skip those.
        let want = sig(v);
        if want < 1e-30 {
            continue;
        }
        for (name, got, want) in [
            ("sigmoid", f(sigmoid(&x)[i]), want),
            ("silu", f(silu(&x)[i]), v * want),
            ("softplus", f(softplus(&x)[i]), v.exp().ln_1p()),
        ] {
            let err = ((got - want) / want).abs();
            assert!(
                err <= tol || want == 0.0,
                "{name} at {v}: {got:e} vs {want:e}"
            );
        }
    }
}
real_dtype_tests!(tails_keep_relative_accuracy => tails_relative);

/// Every function is finite on every finite input, including ±MAX, and the documented
/// saturations hold exactly.
fn finite_everywhere<T: TestReal>() {
    let max = T::max_value();
    let x = Array1::from(vec![
        -max,
        T::from_f64_nearest(-1e30),
        T::from_f64_nearest(-1e4),
        T::from_f64_nearest(-88.0),
        -T::min_positive_value(),
        T::zero(),
        T::min_positive_value(),
        T::from_f64_nearest(88.0),
        T::from_f64_nearest(1e4),
        T::from_f64_nearest(1e30),
        max,
    ]);
    let g = Array1::from_elem(x.len(), T::one());
    let outs = [
        sigmoid(&x),
        tanh(&x),
        silu(&x),
        softplus(&x),
        leaky_relu(&x, T::from_f64_nearest(0.01)),
        gelu(&x, GeluApprox::None),
        gelu(&x, GeluApprox::Tanh),
        sigmoid_backward(&x, &g).unwrap(),
        tanh_backward(&x, &g).unwrap(),
        silu_backward(&x, &g).unwrap(),
        softplus_backward(&x, &g).unwrap(),
        leaky_relu_backward(&x, &g, T::from_f64_nearest(0.01)).unwrap(),
        gelu_backward(&x, &g, GeluApprox::None).unwrap(),
        gelu_backward(&x, &g, GeluApprox::Tanh).unwrap(),
    ];
    for (k, out) in outs.iter().enumerate() {
        assert!(
            out.iter().all(|v| v.is_finite()),
            "output {k} ({}) not finite: {out:?}",
            T::NAME
        );
    }
    let big = T::from_f64_nearest(1e4);
    let e = array![-big, big];
    assert_eq!(sigmoid(&e), array![T::zero(), T::one()]);
    assert_eq!(softplus(&e), array![T::zero(), big]);
    assert_eq!(silu(&e), array![T::zero(), big]);
    assert_eq!(tanh(&e), array![-T::one(), T::one()]);
    assert_eq!(gelu(&e, GeluApprox::None), array![T::zero(), big]);
    assert_eq!(gelu(&e, GeluApprox::Tanh), array![T::zero(), big]);
    // NaN propagates (as in PyTorch).
    let nan = array![T::nan()];
    assert!(sigmoid(&nan)[0].is_nan() && gelu(&nan, GeluApprox::None)[0].is_nan());
}
real_dtype_tests!(finite_for_every_finite_input => finite_everywhere);

/// Central-difference step and tolerance (as tests/ml.rs): truncation O(H²·|f'''|) ≈ 1e-10,
/// rounding O(ε/H) ≈ 1e-11 for these O(1) functions, so 1e-6 relative leaves a wide margin
/// while a wrong derivative is off by O(1).
const H: f64 = 1e-5;
const FD_TOL: f64 = 1e-6;

#[test]
fn backward_matches_finite_differences() {
    type Fwd = fn(&Array1<f64>) -> Array1<f64>;
    type Bwd = fn(&Array1<f64>, &Array1<f64>) -> Array1<f64>;
    let pairs: [(&str, Fwd, Bwd); 7] = [
        (
            "sigmoid",
            |x| sigmoid(x),
            |x, g| sigmoid_backward(x, g).unwrap(),
        ),
        ("tanh", |x| tanh(x), |x, g| tanh_backward(x, g).unwrap()),
        ("silu", |x| silu(x), |x, g| silu_backward(x, g).unwrap()),
        (
            "softplus",
            |x| softplus(x),
            |x, g| softplus_backward(x, g).unwrap(),
        ),
        (
            "leaky_relu",
            |x| leaky_relu(x, 0.03),
            |x, g| leaky_relu_backward(x, g, 0.03).unwrap(),
        ),
        (
            "gelu",
            |x| gelu(x, GeluApprox::None),
            |x, g| gelu_backward(x, g, GeluApprox::None).unwrap(),
        ),
        (
            "gelu_tanh",
            |x| gelu(x, GeluApprox::Tanh),
            |x, g| gelu_backward(x, g, GeluApprox::Tanh).unwrap(),
        ),
    ];
    // Points away from leaky_relu's kink at 0 and softplus's threshold at 20.
    let x = Array1::from_shape_fn(41, |i| -6.1 + 0.3 * i as f64);
    let g = Array1::from_shape_fn(41, |i| 1.0 + 0.1 * (i as f64).sin());
    for (name, fwd, bwd) in pairs {
        let analytic = bwd(&x, &g);
        for i in 0..x.len() {
            let (mut up, mut down) = (x.clone(), x.clone());
            up[i] += H;
            down[i] -= H;
            let fd = g[i] * (fwd(&up)[i] - fwd(&down)[i]) / (2.0 * H);
            let err = (fd - analytic[i]).abs() / analytic[i].abs().max(1e-3);
            assert!(
                err < FD_TOL,
                "{name} at {}: fd {fd} vs {}",
                x[i],
                analytic[i]
            );
        }
    }
}

/// The same values for every memory layout, for 3-d arrays, and F order kept.
fn layouts_agree<T: TestReal>() {
    let a: Array2<T> =
        random_matrix::<T>(&mut rng(7), 9, 13).mapv(|v| v * T::from_f64_nearest(8.0));
    let g: Array2<T> = random_matrix::<T>(&mut rng(8), 9, 13);
    let want_f = gelu(&a, GeluApprox::Tanh);
    let want_b = silu_backward(&a, &g).unwrap();
    for ((name, x), (_, gx)) in layouts(&a).into_iter().zip(layouts(&g)) {
        assert_eq!(gelu(&x, GeluApprox::Tanh), want_f, "{name}");
        assert_eq!(silu_backward(&x, &gx).unwrap(), want_b, "{name}");
        // Mixed layouts of x and grad_out.
        assert_eq!(
            silu_backward(&x, &g).unwrap(),
            want_b,
            "{name} with C-order grad"
        );
    }
    let mut f_order = Array2::<T>::zeros((9, 13).f());
    f_order.assign(&a);
    let out = sigmoid(&f_order);
    assert!(out.t().is_standard_layout(), "F in, F out");
    assert_eq!(out, sigmoid(&a));
    let cube = Array3::from_shape_fn((3, 4, 5), |(i, j, k)| {
        T::from_f64_nearest(i as f64 - 2.0 * j as f64 + 0.5 * k as f64)
    });
    let permuted = cube.view().permuted_axes([2, 0, 1]);
    let got = softplus(&permuted);
    for (idx, &v) in permuted.indexed_iter() {
        assert_eq!(got[idx], softplus(&array![v])[0]);
    }
    let dynamic: ArrayD<T> = cube.clone().into_dyn();
    assert_eq!(tanh(&dynamic).shape(), &[3, 4, 5]);
    let sliced = cube.slice(s![..;-1, 1.., ..;2]);
    assert_eq!(
        leaky_relu(&sliced, T::from_f64_nearest(0.5)),
        leaky_relu(&sliced.to_owned(), T::from_f64_nearest(0.5))
    );
}
real_dtype_tests!(layouts_agree => layouts_agree);

#[test]
fn empty_arrays_give_empty_results() {
    let e = Array2::<f32>::zeros((0, 5));
    assert_eq!(sigmoid(&e).dim(), (0, 5));
    assert_eq!(gelu(&e, GeluApprox::None).dim(), (0, 5));
    assert_eq!(tanh_backward(&e, &e).unwrap().dim(), (0, 5));
    let d = ArrayD::<f64>::zeros(IxDyn(&[2, 0, 3]));
    assert_eq!(softplus_backward(&d, &d).unwrap().shape(), &[2, 0, 3]);
    let scalar = ndarray::arr0(0.0_f64);
    assert_eq!(silu(&scalar), ndarray::arr0(0.0));
}

#[test]
fn backward_shape_mismatch_is_an_error() {
    let x = Array2::<f64>::zeros((2, 3));
    let g = Array2::<f64>::zeros((3, 2));
    let errs = [
        ("sigmoid_backward", sigmoid_backward(&x, &g)),
        ("tanh_backward", tanh_backward(&x, &g)),
        ("silu_backward", silu_backward(&x, &g)),
        ("softplus_backward", softplus_backward(&x, &g)),
        ("leaky_relu_backward", leaky_relu_backward(&x, &g, 0.1)),
        ("gelu_backward", gelu_backward(&x, &g, GeluApprox::None)),
        ("gelu_backward", gelu_backward(&x, &g, GeluApprox::Tanh)),
    ];
    for (name, r) in errs {
        match r {
            Err(Error::IncompatibleShapes { op, lhs, rhs }) => {
                assert_eq!((op, lhs, rhs), (name, vec![2, 3], vec![3, 2]));
            }
            other => panic!("{name}: expected IncompatibleShapes, got {other:?}"),
        }
    }
    let msg = sigmoid_backward(&x, &g).unwrap_err().to_string();
    assert_eq!(
        msg,
        "sigmoid_backward: incompatible shapes [2, 3] and [3, 2]"
    );
}

#[test]
fn leaky_relu_backward_at_zero_is_slope_times_grad() {
    let g = leaky_relu_backward(&array![0.0_f64, -0.0], &array![2.0, 2.0], 0.1).unwrap();
    assert_eq!(g, array![0.2, 0.2]);
    // Axis is unused by the element-wise functions; the sum over an axis of a result is a
    // plain ndarray operation.
    let y = leaky_relu(&array![[1.0_f64, -1.0]], 0.5).sum_axis(Axis(1));
    assert_eq!(y, array![0.5]);
}
