//! ML round two of PCA: `IncrementalPca` against scikit-learn's `IncrementalPCA` batch for
//! batch, `CovarianceAccumulator` against the one-shot covariance PCA (split and merge order,
//! offsets of 1e6, serde round trip), `Pca::with_variance` and `FittedPca::noise_variance`
//! against scikit-learn.
//!
//! Golden values: `tests/pca_reference/round2_*.npy`, written by
//! `tests/pca_reference/generate_round2.py` (versions in `VERSIONS_round2.txt`). Errors are
//! normwise, max |got − want| / max |want|.

mod common;
#[path = "../examples/common/mod.rs"]
mod datasets;

use common::{eps, max_rel_err, rng, TestScalar};
use ndarray::{s, Array1, Array2, Axis};
use ndkit::ml::{CovarianceAccumulator, FittedPca, IncrementalPca, Pca, PcaSolver};
use ndkit::{Error, Real};
use rand::Rng;

const REF_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/pca_reference/");

/// Incremental PCA against scikit-learn, both in f64 running the same sequence of `?gesdd`
/// SVDs of the same stacked matrices: each SVD is backward stable (≈ p(n)·ε·σ₁ absolute), and
/// the components carry it forward multiplied by σ₁²/gap. For Digits the gap between the 10th
/// and 11th variances (6.4 vs 5.9 ≈ 0.5 against σ₁² ∝ 179) gives ≈ 400·p(n)·ε ≈ 1e-11 per
/// batch and up to 18 batches; 1e-8 leaves two orders of magnitude. Variances, singular values
/// and the mean are better conditioned (no gap factor): 1e-10.
const VECTOR_TOL: f64 = 1e-8;
const VALUE_TOL: f64 = 1e-10;

fn load1(name: &str) -> Array1<f64> {
    common::load_npy(REF_DIR, &format!("round2_{name}"))
}

fn load2(name: &str) -> Array2<f64> {
    common::load_npy(REF_DIR, &format!("round2_{name}"))
}

fn digits() -> Array2<f64> {
    datasets::load_digits().expect("data/digits.csv.gz").x
}

fn check_against(case: &str, model: &FittedPca<f64>) {
    let errs = [
        (
            "components",
            max_rel_err(
                &model.components(),
                &load2(&format!("ipca_{case}_components")),
            ),
            VECTOR_TOL,
        ),
        (
            "explained_variance",
            max_rel_err(
                &model.explained_variance(),
                &load1(&format!("ipca_{case}_explained_variance")),
            ),
            VALUE_TOL,
        ),
        (
            "ratio",
            max_rel_err(
                &model.explained_variance_ratio(),
                &load1(&format!("ipca_{case}_ratio")),
            ),
            VALUE_TOL,
        ),
        (
            "singular_values",
            max_rel_err(
                &model.singular_values(),
                &load1(&format!("ipca_{case}_singular_values")),
            ),
            VALUE_TOL,
        ),
        (
            "mean",
            max_rel_err(&model.mean(), &load1(&format!("ipca_{case}_mean"))),
            VALUE_TOL,
        ),
        (
            "noise_variance",
            (model.noise_variance() - load1(&format!("ipca_{case}_noise"))[0]).abs()
                / load1(&format!("ipca_{case}_noise"))[0],
            VALUE_TOL,
        ),
    ];
    for (what, err, tol) in errs {
        eprintln!("incremental {case} {what}: {err:.2e}");
        assert!(err <= tol, "{case} {what}: {err:e} > {tol:e}");
    }
}

#[test]
fn incremental_fit_matches_scikit_learn() {
    let x = digits();
    check_against(
        "b100",
        &IncrementalPca::new(10).batch_size(100).fit(&x).unwrap(),
    );
    // 1797 = 6 × 299 + 3: the 3 left-over rows join the last batch (min_batch_size = k).
    check_against(
        "b299",
        &IncrementalPca::new(10).batch_size(299).fit(&x).unwrap(),
    );
    check_against("default", &IncrementalPca::new(10).fit(&x).unwrap());
}

#[test]
fn incremental_partial_fit_matches_scikit_learn() {
    let x = digits();
    let mut ipca = IncrementalPca::new(10);
    let mut whitened = IncrementalPca::new(10).whiten(true);
    for (a, b) in [(0, 50), (50, 400), (400, 1000), (1000, 1797)] {
        ipca.partial_fit(&x.slice(s![a..b, ..])).unwrap();
        whitened.partial_fit(&x.slice(s![a..b, ..])).unwrap();
    }
    check_against("partial", &ipca.model().unwrap());
    let z = whitened
        .model()
        .unwrap()
        .transform(&x.slice(s![..20, ..]))
        .unwrap();
    let err = max_rel_err(&z, &load2("ipca_partial_whiten_transform"));
    assert!(err <= VECTOR_TOL, "whitened transform {err:e}");
}

/// A failed partial_fit leaves the state as it was; every error case names its op.
#[test]
fn incremental_errors_leave_state_unchanged() {
    let x = digits();
    let mut ipca = IncrementalPca::new(5);
    ipca.partial_fit(&x.slice(s![..100, ..])).unwrap();
    let before = ipca.model().unwrap();
    let mut bad = x.slice(s![100..200, ..]).to_owned();
    bad[[3, 7]] = f64::NAN;
    let cases: Vec<(Array2<f64>, &str)> = vec![
        (bad, "NonFinite"),
        (Array2::zeros((10, 3)), "IncompatibleShapes"),
        (x.slice(s![..4, ..]).to_owned(), "InvalidArgument"), // 4 rows < 5 components
        (Array2::zeros((0, 64)), "InvalidArgument"),
    ];
    for (batch, kind) in cases {
        let err = ipca.partial_fit(&batch).unwrap_err();
        let got = match &err {
            Error::NonFinite { op, .. } => (*op, "NonFinite"),
            Error::IncompatibleShapes { op, .. } => (*op, "IncompatibleShapes"),
            Error::InvalidArgument { op, .. } => (*op, "InvalidArgument"),
            other => panic!("unexpected {other:?}"),
        };
        assert_eq!(got, ("IncrementalPca::partial_fit", kind), "{err}");
        let after = ipca.model().unwrap();
        assert_eq!(after.components(), before.components());
        assert_eq!(after.mean(), before.mean());
        assert_eq!(after.noise_variance(), before.noise_variance());
    }
    // n_components beyond the features, 0, batch_size 0, nothing fitted, one row only.
    assert!(matches!(
        IncrementalPca::<f64>::new(65).partial_fit(&x),
        Err(Error::InvalidArgument { .. })
    ));
    assert!(IncrementalPca::<f64>::new(0).partial_fit(&x).is_err());
    let err = IncrementalPca::new(2).batch_size(0).fit(&x).unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidArgument {
                op: "IncrementalPca::fit",
                ..
            }
        ),
        "{err}"
    );
    assert!(matches!(
        IncrementalPca::<f64>::new(2).model(),
        Err(Error::InvalidShape {
            op: "IncrementalPca::model",
            ..
        })
    ));
    let mut one = IncrementalPca::new(1);
    one.partial_fit(&x.slice(s![..1, ..])).unwrap();
    assert!(one.model().is_err());
    one.partial_fit(&x.slice(s![1..3, ..])).unwrap();
    assert!(one.model().is_ok());
    // Fewer rows than components in fit.
    let err = IncrementalPca::new(10)
        .fit(&x.slice(s![..5, ..]))
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidArgument {
                op: "IncrementalPca::fit",
                ..
            }
        ),
        "{err}"
    );
}

/// One batch with every row is the exact PCA (same SVD of the same centred matrix).
#[test]
fn single_batch_is_the_exact_pca() {
    let x = digits();
    let once = IncrementalPca::new(10)
        .batch_size(x.nrows())
        .fit(&x)
        .unwrap();
    let exact = Pca::new(10).solver(PcaSolver::Full).fit(&x).unwrap();
    assert!(max_rel_err(&once.components(), &exact.components()) < VECTOR_TOL);
    assert!(max_rel_err(&once.explained_variance(), &exact.explained_variance()) < VALUE_TOL);
    assert!(
        (once.noise_variance() - exact.noise_variance()).abs() < VALUE_TOL * exact.noise_variance()
    );
}

// ------------------------------------------------------------------ CovarianceAccumulator

/// Rows with every column offset by 1e6 (plus a spread of order 1) in f64: a raw Σxxᵀ would
/// lose 12 of 16 digits; Chan's update keeps them. The accumulator and the one-shot solver
/// then agree to ≈ n·ε relative to the spread (the centring is exact to that order): 1e-10
/// leaves a wide margin at n = 3000, where Σxxᵀ/n − μμᵀ would keep only ~4 digits.
const MERGE_TOL: f64 = 1e-10;

fn offset_data(seed: u64, n: usize, d: usize, offset: f64) -> Array2<f64> {
    let mut r = rng(seed);
    let mix = Array2::from_shape_fn((d, d), |(i, j)| {
        if i == j {
            1.0 + i as f64
        } else {
            0.2 * ((i * j) % 3) as f64
        }
    });
    let z = Array2::from_shape_simple_fn((n, d), || r.random_range(-1.0..1.0));
    z.dot(&mix) + offset
}

fn accumulate(x: &Array2<f64>, splits: &[usize]) -> CovarianceAccumulator<f64> {
    let mut acc = CovarianceAccumulator::new(x.ncols());
    let mut start = 0;
    for &end in splits.iter().chain([x.nrows()].iter()) {
        acc.update(&x.slice(s![start..end, ..])).unwrap();
        start = end;
    }
    acc
}

#[test]
fn accumulator_is_exact_for_offset_columns() {
    let x = offset_data(11, 3000, 6, 1e6);
    let direct = Pca::new(3)
        .solver(PcaSolver::CovarianceEigh)
        .fit(&x)
        .unwrap();
    // Reference covariance: centred in f64 by the two-pass mean (accurate to ~ε·spread).
    let rough = x.mean_axis(Axis(0)).unwrap();
    let mean = &rough + &(&x - &rough).mean_axis(Axis(0)).unwrap();
    let xc = &x - &mean;
    let cov_ref = xc.t().dot(&xc) / (x.nrows() - 1) as f64;
    // One update, many uneven updates, and shards merged in a tree.
    let one = accumulate(&x, &[]);
    let many = accumulate(&x, &[1, 2, 10, 500, 501, 1999]);
    let mut shards: Vec<CovarianceAccumulator<f64>> = x
        .axis_chunks_iter(Axis(0), 250)
        .map(|c| {
            let mut a = CovarianceAccumulator::new(6);
            a.update(&c).unwrap();
            a
        })
        .collect();
    while shards.len() > 1 {
        let right = shards.split_off(shards.len() / 2);
        for (l, r) in shards.iter_mut().zip(&right) {
            l.merge(r).unwrap();
        }
        shards.extend(right.into_iter().skip(shards.len()));
    }
    let tree = shards.pop().unwrap();
    for (name, acc) in [("one", &one), ("many", &many), ("tree", &tree)] {
        assert_eq!(acc.count(), 3000, "{name}");
        let err = max_rel_err(&acc.covariance(1).unwrap(), &cov_ref);
        eprintln!("accumulator {name}: covariance error {err:.2e}");
        assert!(err < MERGE_TOL, "{name}: covariance {err:e}");
        // Both means are within a few ε·1e6 (half an ulp of 1e6 is 6e-11) of the truth.
        let mean_err = (acc.mean() - &mean)
            .iter()
            .fold(0.0_f64, |m, v| m.max(v.abs()));
        assert!(
            mean_err < 4.0 * f64::EPSILON * 1e6,
            "{name}: mean {mean_err:e}"
        );
        let pca = acc.pca(3, false).unwrap();
        assert!(
            max_rel_err(&pca.components(), &direct.components()) < MERGE_TOL,
            "{name}: components"
        );
        assert!(max_rel_err(&pca.explained_variance(), &direct.explained_variance()) < MERGE_TOL);
        assert!(
            max_rel_err(
                &pca.explained_variance_ratio(),
                &direct.explained_variance_ratio()
            ) < MERGE_TOL
        );
        assert!(max_rel_err(&pca.singular_values(), &direct.singular_values()) < MERGE_TOL);
        assert!(
            (pca.noise_variance() - direct.noise_variance()).abs()
                < MERGE_TOL * direct.noise_variance()
        );
        assert_eq!(pca.solver(), PcaSolver::CovarianceEigh);
    }
    // The order of merging changes only rounding: a ∪ (b ∪ c) vs (a ∪ b) ∪ c.
    let parts: Vec<_> = [0..700, 700..701, 701..3000]
        .into_iter()
        .map(|r| accumulate(&x.slice(s![r, ..]).to_owned(), &[]))
        .collect();
    let mut left = parts[0].clone();
    left.merge(&parts[1]).unwrap();
    left.merge(&parts[2]).unwrap();
    let mut right = parts[1].clone();
    right.merge(&parts[2]).unwrap();
    let mut right_first = parts[0].clone();
    right_first.merge(&right).unwrap();
    let e = max_rel_err(
        &left.covariance(0).unwrap(),
        &right_first.covariance(0).unwrap(),
    );
    assert!(e < MERGE_TOL, "merge order {e:e}");
    // Whitening as the one-shot PCA.
    let w = one
        .pca(2, true)
        .unwrap()
        .transform(&x.slice(s![..5, ..]))
        .unwrap();
    let wd = Pca::new(2)
        .whiten(true)
        .solver(PcaSolver::CovarianceEigh)
        .fit(&x)
        .unwrap();
    assert!(max_rel_err(&w, &wd.transform(&x.slice(s![..5, ..])).unwrap()) < 1e-8);
}

/// f32 shards: the same statistics as one f32 update to f32 rounding (a few hundred ε for
/// the sums over 3000 rows: 3000·ε₃₂ ≈ 4e-4 bounds it, observed far less).
fn accumulator_dtypes<T: Real + TestScalar>() {
    let x = offset_data(5, 3000, 4, 100.0).mapv(T::from_f64_nearest);
    let mut whole = CovarianceAccumulator::new(4);
    whole.update(&x).unwrap();
    let mut merged = CovarianceAccumulator::new(4);
    for c in x.axis_chunks_iter(Axis(0), 333) {
        let mut shard = CovarianceAccumulator::new(4);
        shard.update(&c).unwrap();
        merged.merge(&shard).unwrap();
    }
    let (a, b) = (whole.covariance(1).unwrap(), merged.covariance(1).unwrap());
    let scale = a
        .iter()
        .fold(0.0_f64, |m, v| m.max(v.to_f64().unwrap().abs()));
    let diff = a.iter().zip(&b).fold(0.0_f64, |m, (p, q)| {
        m.max((*p - *q).to_f64().unwrap().abs())
    });
    assert!(
        diff / scale < 3000.0 * eps::<T>(),
        "{}: {:e}",
        T::NAME,
        diff / scale
    );
}
real_dtype_tests!(accumulator_merge_dtypes => accumulator_dtypes);

#[test]
fn accumulator_errors_and_empty() {
    let mut acc = CovarianceAccumulator::<f64>::new(3);
    assert!(acc.mean().iter().all(|m| m.is_nan()));
    assert!(matches!(
        acc.covariance(0),
        Err(Error::InvalidArgument {
            op: "CovarianceAccumulator::covariance",
            ..
        })
    ));
    assert!(matches!(
        acc.pca(1, false),
        Err(Error::InvalidShape {
            op: "CovarianceAccumulator::pca",
            ..
        })
    ));
    acc.update(&Array2::zeros((0, 3))).unwrap();
    assert_eq!(acc.count(), 0);
    let err = acc.update(&Array2::zeros((2, 4))).unwrap_err();
    assert!(
        matches!(
            err,
            Error::IncompatibleShapes {
                op: "CovarianceAccumulator::update",
                ..
            }
        ),
        "{err}"
    );
    let mut bad = Array2::<f64>::zeros((3, 3));
    bad[[1, 1]] = f64::INFINITY;
    assert!(matches!(acc.update(&bad), Err(Error::NonFinite { .. })));
    assert_eq!(acc.count(), 0, "unchanged on error");
    acc.update(&offset_data(1, 10, 3, 0.0)).unwrap();
    assert!(matches!(
        acc.pca(0, false),
        Err(Error::InvalidArgument { .. })
    ));
    assert!(matches!(
        acc.pca(4, false),
        Err(Error::InvalidArgument { .. })
    ));
    assert!(acc.covariance(10).is_err() && acc.covariance(9).is_ok());
    let err = acc.merge(&CovarianceAccumulator::new(2)).unwrap_err();
    assert!(matches!(
        err,
        Error::IncompatibleShapes {
            op: "CovarianceAccumulator::merge",
            ..
        }
    ));
    // Merging an empty accumulator changes nothing; merging into an empty one copies.
    let before = acc.clone();
    acc.merge(&CovarianceAccumulator::new(3)).unwrap();
    assert_eq!(acc, before);
    let mut empty = CovarianceAccumulator::new(3);
    empty.merge(&acc).unwrap();
    assert_eq!(empty, acc);
}

#[cfg(feature = "serde")]
#[test]
fn accumulator_serde_round_trip() {
    let x = offset_data(3, 200, 4, 1e6);
    let mut a = accumulate(&x, &[70]);
    let json = serde_json::to_string(&a).unwrap();
    let b: CovarianceAccumulator<f64> = serde_json::from_str(&json).unwrap();
    assert_eq!(a, b);
    a.merge(&b).unwrap();
    assert_eq!(a.count(), 400);
    let broken = json.replacen("\"scatter_lower\":[", "\"scatter_lower\":[1.0,", 1);
    assert!(serde_json::from_str::<CovarianceAccumulator<f64>>(&broken).is_err());
}

// ------------------------------------------------ Pca::with_variance, FittedPca::noise_variance

#[test]
fn noise_variance_and_fraction_match_scikit_learn() {
    let x = digits();
    let noise = load1("pca_noise");
    for (solver, want) in [
        (PcaSolver::Full, noise[0]),
        (PcaSolver::CovarianceEigh, noise[1]),
    ] {
        let got = Pca::new(10)
            .solver(solver)
            .fit(&x)
            .unwrap()
            .noise_variance();
        let err = (got - want).abs() / want;
        eprintln!("noise_variance {solver:?}: {err:.2e}");
        assert!(err < VALUE_TOL, "{solver:?}: {got} vs {want}");
    }
    let fraction = load2("pca_fraction");
    for (row, (f, solver)) in [
        (0.9, PcaSolver::Full),
        (0.95, PcaSolver::CovarianceEigh),
        (0.5, PcaSolver::Full),
    ]
    .into_iter()
    .enumerate()
    {
        let pca = Pca::with_variance(f).solver(solver).fit(&x).unwrap();
        assert_eq!(pca.components().nrows(), fraction[[row, 0]] as usize, "{f}");
        let err = (pca.noise_variance() - fraction[[row, 1]]).abs() / fraction[[row, 1]];
        assert!(err < VALUE_TOL, "{f}: noise {err:e}");
        let kept: f64 = pca.explained_variance_ratio().sum();
        assert!(kept > f);
        assert!(kept - pca.explained_variance_ratio()[pca.components().nrows() - 1] <= f);
    }
    // Auto with a fraction: the covariance solver for tall data (1797 ≥ 10 × 64), as
    // scikit-learn; Full for wide data.
    let auto = Pca::with_variance(0.9).fit(&x).unwrap();
    assert_eq!(auto.solver(), PcaSolver::CovarianceEigh);
    let wide = Pca::with_variance(0.9)
        .fit(&x.slice(s![..100, ..]))
        .unwrap();
    assert_eq!(wide.solver(), PcaSolver::Full);
    assert_eq!(auto.components().nrows(), 21);
    // Every component kept: noise 0.
    assert_eq!(Pca::new(64).fit(&x).unwrap().noise_variance(), 0.0);
}

#[test]
fn fraction_errors() {
    let x = digits();
    for f in [0.0, 1.0, -0.5, 1.5, f64::NAN] {
        let err = Pca::with_variance(f).fit(&x).unwrap_err();
        assert!(
            matches!(err, Error::InvalidArgument { op: "Pca::fit", .. }),
            "{f}: {err}"
        );
    }
    let randomized = PcaSolver::Randomized {
        oversample: 10,
        n_iter: 4,
        seed: 0,
    };
    let err = Pca::with_variance(0.9)
        .solver(randomized)
        .fit(&x)
        .unwrap_err();
    assert!(err.to_string().contains("Randomized"), "{err}");
}

/// Batches far from the running mean (a jump of 1e6 between shards, a constant column) take
/// the two-pass route and stay exact: the same covariance as the centred reference.
#[test]
fn accumulator_batches_far_from_the_running_mean() {
    let mut x = offset_data(21, 2000, 3, 0.0);
    x.slice_mut(s![1000.., ..]).mapv_inplace(|v| v + 1e6);
    x.column_mut(2).fill(7.0);
    let rough = x.mean_axis(Axis(0)).unwrap();
    let mean = &rough + &(&x - &rough).mean_axis(Axis(0)).unwrap();
    let xc = &x - &mean;
    let want = xc.t().dot(&xc) / 1999.0;
    let acc = accumulate(&x, &[500, 1000, 1500]);
    // Relative to the covariance's size (≈ 2.5e11 from the jump): ≈ n·ε.
    let err = max_rel_err(&acc.covariance(1).unwrap(), &want);
    assert!(err < MERGE_TOL, "{err:e}");
    assert_eq!(acc.covariance(1).unwrap()[[2, 2]], 0.0);
}
