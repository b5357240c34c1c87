//! Tests of `ndkit::ops`: golden values from NumPy/SciPy/scikit-learn
//! (`tests/ops_reference/generate.py`, versions in `tests/ops_reference/data/VERSIONS.txt`),
//! the tutorial examples of issue 13, accuracy far from the origin, memory layouts, ties,
//! empty inputs and every error.
//!
//! Every real dtype runs as its own test (`real_dtype_tests!`). f32 runs use the f64 inputs
//! rounded to f32 and compare with the f64 references under f32 tolerances.

mod common;

use common::{cast, layouts, rng, TestReal};
use ndarray::{arr0, array, s, Array, Array1, Array2, ArrayD, Dimension, IxDyn, ShapeBuilder};
use ndarray_npy::ReadNpyExt;
use ndkit::ops::{
    argwhere, bincount, cdist, convolve, corrcoef, correlate, cov, histogram, histogram_weighted,
    knn, nearest, searchsorted, select, threshold_crossings, where_cond, Bins, ConvolveMode, Edge,
    Metric, Side,
};
use ndkit::Error;
use rand::Rng;

const DATA_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/ops_reference/data/");

fn load<A: ReadNpyExt>(name: &str) -> A {
    common::load_npy(DATA_DIR, name)
}
fn load1(name: &str) -> Array1<f64> {
    load(name)
}
fn load2(name: &str) -> Array2<f64> {
    load(name)
}
fn load_idx1(name: &str) -> Vec<usize> {
    let a: Array1<i64> = load(name);
    a.iter().map(|&v| v as usize).collect()
}

fn f64s<T: TestReal, D: Dimension>(a: &Array<T, D>) -> Array<f64, D> {
    a.mapv(|v| v.parts().0)
}
fn is_f32<T: TestReal>() -> bool {
    std::mem::size_of::<T>() == 4
}

/// max over entries of |got − want| / (|want| + floor), NaN where exactly one is NaN.
fn max_rel<D: Dimension>(got: &Array<f64, D>, want: &Array<f64, D>, floor: f64) -> f64 {
    assert_eq!(got.shape(), want.shape(), "shapes");
    got.iter().zip(want).fold(0.0, |m, (&g, &w)| {
        if g.is_nan() && w.is_nan() {
            m
        } else {
            m.max((g - w).abs() / (w.abs() + floor))
        }
    })
}

fn assert_close<T: TestReal, D: Dimension>(
    what: &str,
    got: &Array<T, D>,
    want: &Array<f64, D>,
    tol: f64,
    floor: f64,
) {
    let err = max_rel(&f64s(got), want, floor);
    println!(
        "{what} ({}): max relative error {err:.2e} (tolerance {tol:.0e})",
        T::NAME
    );
    assert!(
        err <= tol,
        "{what} ({}): error {err:.3e} > {tol:.0e}",
        T::NAME
    );
}

/// Relative tolerance of distances against SciPy. f64: the documented guarantee of 1e-11
/// for the `?gemm` path (the direct metrics are accurate to d·ε ≈ 1e-15), times 10 for
/// SciPy's own rounding. f32: the inputs are rounded to f32 (relative 6e-8 each), which moves
/// an O(1) distance of O(1) points by a few 1e-7; the f32 guarantee of the `?gemm` path is
/// 1e-3 relative; 2e-3 covers both. The floor 1e-6 (absolute, in units of the O(1) data)
/// covers the distance 0 of the duplicate pair and cosine distances near 0.
fn dist_tol<T: TestReal>() -> (f64, f64) {
    if is_f32::<T>() {
        (2e-3, 1e-4)
    } else {
        (1e-10, 1e-12)
    }
}

/// Tolerance for sums of O(1) products of a few hundred terms (convolutions, covariances,
/// histogram weights): n·ε with n ≤ 300 terms is 7e-14 (f64) and 4e-5 (f32); the FFT path
/// adds O(ε·log₂ size) ≈ 13ε relative to the sum of |terms|; 1e-11 and 1e-3 leave margin
/// while any indexing or centring bug gives errors of order 1. The floor is the scale of the
/// sums (Σ|v| ≤ 300 for unit normal data), so entries near zero are judged absolutely.
fn sum_tol<T: TestReal>() -> f64 {
    if is_f32::<T>() {
        1e-3
    } else {
        1e-11
    }
}

// ------------------------------------------------------------------------------- distances

fn cdist_golden<T: TestReal>() {
    let a: Array2<T> = cast(&load2("cdist_a"));
    let b: Array2<T> = cast(&load2("cdist_b"));
    let (tol, floor) = dist_tol::<T>();
    for (name, metric) in [
        ("euclidean", Metric::Euclidean),
        ("sqeuclidean", Metric::SqEuclidean),
        ("cosine", Metric::Cosine),
        ("cityblock", Metric::Cityblock),
        ("chebyshev", Metric::Chebyshev),
        ("minkowski3", Metric::Minkowski(3.0)),
        ("minkowski05", Metric::Minkowski(0.5)),
        ("euclidean", Metric::Minkowski(2.0)),
        ("cityblock", Metric::Minkowski(1.0)),
        ("chebyshev", Metric::Minkowski(f64::INFINITY)),
    ] {
        let got = cdist(&a, &b, metric).unwrap();
        // 1 − cos has an absolute rounding error of a few ε (SciPy's too): judged absolutely
        // near 0 (floor 1e-5 turns 1e-15 into 1e-10).
        let floor = if metric == Metric::Cosine {
            floor.max(1e-5)
        } else {
            floor
        };
        assert_close(
            &format!("cdist {metric:?}"),
            &got,
            &load2(&format!("cdist_{name}")),
            tol,
            floor,
        );
    }
    // The duplicate pair a[3] = b[7] is exactly 0 on the gemm path.
    assert_eq!(cdist(&a, &b, Metric::Euclidean).unwrap()[[3, 7]], T::zero());
}
real_dtype_tests!(cdist_golden => cdist_golden);

/// Near-duplicates 1e8 from the origin: the product form alone loses every digit
/// (scikit-learn's `euclidean_distances` is off by a factor 2.9e3 on these, generate.py
/// prints it); ndkit must be within the 1e-10 relative, and exactly 0 for the
/// duplicate. f64 only: in f32, 1e8 + 1e-3 is 1e8.
#[test]
fn cdist_near_duplicates_far_from_origin() {
    let a = load2("far_a");
    let b = load2("far_b");
    let want = load2("far_euclidean");
    for metric in [Metric::Euclidean, Metric::SqEuclidean] {
        let got = cdist(&a, &b, metric).unwrap();
        let want = if metric == Metric::SqEuclidean {
            want.mapv(|v| v * v)
        } else {
            want.clone()
        };
        let err = max_rel(&got, &want, 0.0);
        println!("cdist {metric:?} near-duplicates at 1e8: max relative error {err:.2e}");
        assert!(err <= 1e-10, "{metric:?}: {err:e}");
        assert_eq!(got[[5, 2]], 0.0);
    }
    // knn and nearest on the same data: exact neighbours and accurate distances.
    let (idx, dist) = nearest(&a, &b).unwrap();
    let (ki, kd) = knn(&a, &b, 3).unwrap();
    for i in 0..a.nrows() {
        let row = want.row(i);
        let mut order: Vec<usize> = (0..b.nrows()).collect();
        order.sort_by(|&x, &y| row[x].partial_cmp(&row[y]).unwrap().then(x.cmp(&y)));
        assert_eq!(idx[i], order[0]);
        assert_eq!(ki.row(i).to_vec(), order[..3].to_vec());
        for (r, &j) in order[..3].iter().enumerate() {
            let e = (kd[[i, r]] - row[j]).abs();
            assert!(
                e <= 1e-12 * row[j].max(1e-300) || e == 0.0,
                "knn distance {i},{r}"
            );
        }
        assert!((dist[i] - row[order[0]]).abs() <= 1e-12 * row[order[0]]);
    }
}

/// The guarantee over a sweep of separations: pairs at distance δ·‖x‖ for δ from 1e-2 down to
/// 1e-9 around centres of norm 1e4, against the direct sum of exactly computed differences.
#[test]
fn cdist_accuracy_sweep() {
    let mut r = rng(7);
    let d = 32;
    let mut worst: f64 = 0.0;
    for exp in 2..=9 {
        let delta = 10f64.powi(-exp);
        let centre: Vec<f64> = (0..d)
            .map(|_| 1e4 / (d as f64).sqrt() * r.random_range(0.5..1.5))
            .collect();
        let a = Array2::from_shape_fn((40, d), |(_, j)| {
            centre[j] + r.random_range(-1.0..1.0) * delta * 1e4
        });
        let b = Array2::from_shape_fn((30, d), |(_, j)| {
            centre[j] + r.random_range(-1.0..1.0) * delta * 1e4
        });
        let got = cdist(&a, &b, Metric::Euclidean).unwrap();
        let want = Array2::from_shape_fn((40, 30), |(i, j)| {
            // Differences of close f64 values are exact (Sterbenz), so this is exact to d·ε.
            (0..d)
                .map(|k| (a[[i, k]] - b[[j, k]]).powi(2))
                .sum::<f64>()
                .sqrt()
        });
        worst = worst.max(max_rel(&got, &want, 0.0));
    }
    println!(
        "cdist Euclidean, separations 1e-2..1e-9 of the norms: max relative error {worst:.2e}"
    );
    assert!(worst <= 1e-10, "{worst:e}");
}

fn cdist_layouts<T: TestReal>() {
    let mut r = rng(11);
    let a = common::random_matrix::<T>(&mut r, 9, 4);
    let b = common::random_matrix::<T>(&mut r, 7, 4);
    for metric in [
        Metric::Euclidean,
        Metric::Cosine,
        Metric::Cityblock,
        Metric::Minkowski(3.0),
    ] {
        let want = cdist(&a, &b, metric).unwrap();
        for ((la, xa), (lb, xb)) in layouts(&a).iter().zip(layouts(&b).iter().rev()) {
            let got = cdist(xa, xb, metric).unwrap();
            assert_eq!(got, want, "{metric:?} layouts {la}/{lb}");
        }
        assert_eq!(cdist(&a.t().t(), &b.view(), metric).unwrap(), want);
    }
}
real_dtype_tests!(cdist_layouts => cdist_layouts);

fn cdist_empty_and_errors<T: TestReal>() {
    let e = cdist(
        &Array2::<T>::zeros((0, 3)),
        &Array2::<T>::zeros((2, 3)),
        Metric::Euclidean,
    )
    .unwrap();
    assert_eq!(e.dim(), (0, 2));
    // Zero features: every distance is 0, as SciPy.
    let z = cdist(
        &Array2::<T>::zeros((2, 0)),
        &Array2::<T>::zeros((3, 0)),
        Metric::Euclidean,
    )
    .unwrap();
    assert_eq!(z, Array2::<T>::zeros((2, 3)));
    let a = Array2::<T>::zeros((2, 3));
    let b = Array2::<T>::zeros((2, 4));
    match cdist(&a, &b, Metric::Euclidean) {
        Err(Error::IncompatibleShapes {
            op: "cdist",
            lhs,
            rhs,
        }) => {
            assert_eq!((lhs, rhs), (vec![2, 3], vec![2, 4]))
        }
        other => panic!("{other:?}"),
    }
    for p in [0.0, -1.0, f64::NAN] {
        let err = cdist(&a, &a, Metric::Minkowski(p)).unwrap_err();
        assert!(
            matches!(err, Error::InvalidArgument { op: "cdist", .. }),
            "{err}"
        );
        assert!(err.to_string().contains("Minkowski"), "{err}");
    }
    // Cosine of a zero vector is NaN, as SciPy.
    let c = cdist(&a, &array![[T::one(), T::one(), T::one()]], Metric::Cosine).unwrap();
    assert!(c[[0, 0]].is_nan());
}
real_dtype_tests!(cdist_empty_and_errors => cdist_empty_and_errors);

// ------------------------------------------------------------------------------- neighbours

fn nearest_golden<T: TestReal>() {
    let points: Array2<T> = cast(&load2("vq_points"));
    let codebook: Array2<T> = cast(&load2("vq_codebook"));
    let (code, dist) = nearest(&points, &codebook).unwrap();
    let want_code = load_idx1("vq_code");
    let want_dist = load1("vq_dist");
    if is_f32::<T>() {
        // Rounding the inputs to f32 may flip near-ties; every answer must still be a
        // nearest codebook row of the f32 data within rounding.
        let all = f64s(&cdist(&points, &codebook, Metric::Euclidean).unwrap());
        for (i, &c) in code.iter().enumerate() {
            let best = all.row(i).fold(f64::INFINITY, |m, &v| m.min(v));
            assert!(all[[i, c]] <= best * (1.0 + 1e-5), "point {i}");
        }
    } else {
        assert_eq!(code.to_vec(), want_code);
    }
    assert_close(
        "nearest distances",
        &dist,
        &want_dist,
        dist_tol::<T>().0,
        1e-6,
    );
}
real_dtype_tests!(nearest_golden => nearest_golden);

fn knn_golden<T: TestReal>() {
    let q: Array2<T> = cast(&load2("knn_queries"));
    let data: Array2<T> = cast(&load2("knn_data"));
    let (idx, dist) = knn(&q, &data, 5).unwrap();
    assert_eq!(idx.dim(), (300, 5));
    let want: Array2<i64> = load("knn_index");
    let mismatches = idx
        .iter()
        .zip(&want)
        .filter(|(&a, &b)| a as i64 != b)
        .count();
    if is_f32::<T>() {
        assert!(
            mismatches <= 6,
            "{mismatches} neighbours differ from scikit-learn's"
        );
    } else {
        assert_eq!(mismatches, 0);
    }
    assert_close(
        "knn distances",
        &dist,
        &load2("knn_dist"),
        dist_tol::<T>().0,
        1e-6,
    );
}
real_dtype_tests!(knn_golden => knn_golden);

/// Many queries and data rows: several query blocks (256 rows, so the parallel path) and data
/// blocks (1024 rows, so candidate pruning across blocks) against a brute-force sort of the
/// cdist matrix.
fn knn_blocked_matches_brute_force<T: TestReal>() {
    let mut r = rng(5);
    let data = common::random_matrix::<T>(&mut r, 2500, 7);
    let q = common::random_matrix::<T>(&mut r, 600, 7).slice_move(s![..;-1, ..]);
    let k = 12;
    let (idx, dist) = knn(&q, &data, k).unwrap();
    let all = cdist(&q, &data, Metric::Euclidean).unwrap();
    let (near, near_d) = nearest(&q, &data).unwrap();
    for i in 0..q.nrows() {
        let row = all.row(i);
        let mut order: Vec<usize> = (0..data.nrows()).collect();
        order.sort_by(|&a, &b| row[a].partial_cmp(&row[b]).unwrap().then(a.cmp(&b)));
        assert_eq!(idx.row(i).to_vec(), order[..k].to_vec(), "query {i}");
        for r in 0..k {
            assert!(
                (dist[[i, r]] - row[order[r]]).abs()
                    <= T::from_f64_nearest(1e-4) * (T::one() + row[order[r]])
            );
        }
        assert_eq!(near[i], order[0]);
        assert_eq!(near_d[i], dist[[i, 0]]);
    }
}
real_dtype_tests!(knn_blocked_matches_brute_force => knn_blocked_matches_brute_force);

fn neighbour_ties<T: TestReal>() {
    let t = |v: f64| T::make(v, 0.0);
    // Rows 1 and 3 are equal; [1, 1] is equidistant from rows 0, 1, 2, 3.
    let data = array![
        [t(0.0), t(1.0)],
        [t(1.0), t(0.0)],
        [t(2.0), t(1.0)],
        [t(1.0), t(0.0)],
        [t(1.0), t(2.0)]
    ];
    let q = array![[t(1.0), t(1.0)], [t(1.0), t(0.0)]];
    let (idx, dist) = knn(&q, &data, 5).unwrap();
    assert_eq!(idx, array![[0, 1, 2, 3, 4], [1, 3, 0, 2, 4]]);
    assert_eq!(dist.row(0).to_vec(), vec![T::one(); 5]);
    let (code, _) = nearest(&q, &data).unwrap();
    assert_eq!(code.to_vec(), vec![0, 1]);
    // k = n: every row, sorted.
    assert_eq!(knn(&q, &data, 5).unwrap().0.ncols(), 5);
}
real_dtype_tests!(neighbour_ties => neighbour_ties);

fn neighbour_empty_and_errors<T: TestReal>() {
    let data = Array2::<T>::zeros((4, 2));
    let none = Array2::<T>::zeros((0, 2));
    let (i, d) = nearest(&none, &data).unwrap();
    assert_eq!((i.len(), d.len()), (0, 0));
    let (i, d) = nearest(&none, &none).unwrap(); // no points: an empty codebook is fine
    assert_eq!((i.len(), d.len()), (0, 0));
    let (i, d) = knn(&none, &data, 2).unwrap();
    assert_eq!((i.dim(), d.dim()), ((0, 2), (0, 2)));
    let err = nearest(&data, &none).unwrap_err();
    assert!(
        matches!(err, Error::InvalidArgument { op: "nearest", .. }),
        "{err}"
    );
    assert!(err.to_string().contains("[0, 2]"), "{err}");
    for k in [0, 5] {
        let err = knn(&data, &data, k).unwrap_err();
        assert!(
            matches!(err, Error::InvalidArgument { op: "knn", .. }),
            "{err}"
        );
        assert!(err.to_string().contains(&format!("k = {k}")), "{err}");
    }
    let wide = Array2::<T>::zeros((3, 3));
    assert!(matches!(
        nearest(&data, &wide),
        Err(Error::IncompatibleShapes { op: "nearest", .. })
    ));
    assert!(matches!(
        knn(&data, &wide, 1),
        Err(Error::IncompatibleShapes { op: "knn", .. })
    ));
}
real_dtype_tests!(neighbour_empty_and_errors => neighbour_empty_and_errors);

// ------------------------------------------------------------------------------ convolution

fn modes() -> [(&'static str, ConvolveMode); 3] {
    [
        ("full", ConvolveMode::Full),
        ("same", ConvolveMode::Same),
        ("valid", ConvolveMode::Valid),
    ]
}

fn convolve_golden<T: TestReal>() {
    let a: Array1<T> = cast(&load1("conv_a"));
    // L = 4 is even (NumPy's 'same' centring), L = 50 is longer than a (operand swap).
    for len in [1, 4, 5, 50] {
        let v: Array1<T> = cast(&load1(&format!("conv_v{len}")));
        for (name, mode) in modes() {
            let c = convolve(&a, &v, mode).unwrap();
            assert_close(
                &format!("convolve {name} {len}"),
                &c,
                &load1(&format!("conv_{name}_{len}")),
                sum_tol::<T>(),
                10.0,
            );
            let c = correlate(&a, &v, mode).unwrap();
            assert_close(
                &format!("correlate {name} {len}"),
                &c,
                &load1(&format!("corr_{name}_{len}")),
                sum_tol::<T>(),
                10.0,
            );
        }
    }
    // 5000 × 300: the FFT path.
    let a: Array1<T> = cast(&load1("convlong_a"));
    let v: Array1<T> = cast(&load1("convlong_v"));
    for (name, mode) in modes() {
        let c = convolve(&a, &v, mode).unwrap();
        assert_close(
            &format!("convolve (FFT) {name}"),
            &c,
            &load1(&format!("convlong_{name}")),
            sum_tol::<T>(),
            300.0,
        );
        let c = correlate(&a, &v, mode).unwrap();
        assert_close(
            &format!("correlate (FFT) {name}"),
            &c,
            &load1(&format!("corrlong_{name}")),
            sum_tol::<T>(),
            300.0,
        );
        // Operand swap on the FFT path: convolution commutes.
        let swapped = convolve(&v, &a, mode).unwrap();
        assert_close(
            &format!("convolve (FFT, swapped) {name}"),
            &swapped,
            &load1(&format!("convlong_{name}")),
            sum_tol::<T>(),
            300.0,
        );
    }
}
real_dtype_tests!(convolve_golden => convolve_golden);

fn convolve_tutorial<T: TestReal>() {
    let t = |v: &[f64]| Array1::from_iter(v.iter().map(|&x| T::make(x, 0.0)));
    let a = t(&[2.0, 3.0, 1.0, 4.0, 1.0]);
    let v = t(&[1.0, 2.0, 3.0, 4.0]);
    // Small integers: both paths are exact.
    assert_eq!(
        convolve(&a, &v, ConvolveMode::Full).unwrap(),
        t(&[2.0, 7.0, 13.0, 23.0, 24.0, 18.0, 19.0, 4.0])
    );
    assert_eq!(
        convolve(&a, &v, ConvolveMode::Valid).unwrap(),
        t(&[23.0, 24.0])
    );
    // NumPy: np.convolve([2,3,1,4,1], [1,2,3,4], 'same') = [7, 13, 23, 24, 18]
    assert_eq!(
        convolve(&a, &v, ConvolveMode::Same).unwrap(),
        t(&[7.0, 13.0, 23.0, 24.0, 18.0])
    );
    // np.correlate([1,2,3], [1,2,3,4,5], 'same') = [14, 26, 20, 14, 8] (swap + reverse)
    let c = correlate(
        &t(&[1.0, 2.0, 3.0]),
        &t(&[1.0, 2.0, 3.0, 4.0, 5.0]),
        ConvolveMode::Same,
    )
    .unwrap();
    assert_eq!(c, t(&[14.0, 26.0, 20.0, 14.0, 8.0]));
    // Strided and reversed views give the same answer.
    let rev = a.slice(s![..;-1]).to_owned();
    assert_eq!(
        convolve(&rev.slice(s![..;-1]), &v, ConvolveMode::Full).unwrap(),
        convolve(&a, &v, ConvolveMode::Full).unwrap()
    );
}
real_dtype_tests!(convolve_tutorial => convolve_tutorial);

fn convolve_errors<T: TestReal>() {
    let a = Array1::<T>::ones(3);
    let e = Array1::<T>::zeros(0);
    for (x, y) in [(&a, &e), (&e, &a), (&e, &e)] {
        let err = convolve(x, y, ConvolveMode::Full).unwrap_err();
        assert!(
            matches!(err, Error::InvalidArgument { op: "convolve", .. }),
            "{err}"
        );
        let err = correlate(x, y, ConvolveMode::Same).unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidArgument {
                    op: "correlate",
                    ..
                }
            ),
            "{err}"
        );
    }
    // Equal lengths: valid is one value.
    assert_eq!(convolve(&a, &a, ConvolveMode::Valid).unwrap().len(), 1);
}
real_dtype_tests!(convolve_errors => convolve_errors);

// ------------------------------------------------------------------------ search and binning

fn searchsorted_golden<T: TestReal>() {
    let sorted: Array1<T> = cast(&load1("ss_sorted"));
    let values: Array1<T> = cast(&load1("ss_values"));
    assert_eq!(
        searchsorted(&sorted, &values, Side::Left).unwrap().to_vec(),
        load_idx1("ss_left")
    );
    assert_eq!(
        searchsorted(&sorted, &values, Side::Right)
            .unwrap()
            .to_vec(),
        load_idx1("ss_right")
    );
    // N-d values keep their shape, any layout.
    let v2 = values
        .slice(s![..8])
        .to_owned()
        .into_shape_with_order((2, 4))
        .unwrap();
    let got = searchsorted(&sorted, &v2.t(), Side::Left).unwrap();
    assert_eq!(got.dim(), (4, 2));
    assert_eq!(got[[1, 0]], load_idx1("ss_left")[1]);
    // An empty `sorted`: every index 0.
    assert_eq!(
        searchsorted(&Array1::<T>::zeros(0), &values, Side::Right).unwrap(),
        Array1::<usize>::zeros(10)
    );
}
real_dtype_tests!(searchsorted_golden => searchsorted_golden);

fn searchsorted_errors<T: TestReal>() {
    let t = |v: f64| T::make(v, 0.0);
    for bad in [
        array![t(1.0), t(0.0)],
        array![t(f64::NAN), t(1.0)],
        array![t(0.0), t(2.0), t(1.0)],
    ] {
        let err = searchsorted(&bad, &array![t(0.5)], Side::Left).unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidArgument {
                    op: "searchsorted",
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("not ascending"), "{err}");
    }
}
real_dtype_tests!(searchsorted_errors => searchsorted_errors);

fn histogram_golden<T: TestReal>() {
    let x: Array1<T> = cast(&load1("hist_x"));
    let w: Array1<T> = cast(&load1("hist_w"));
    let (counts, edges) = histogram(&x, Bins::Count(7)).unwrap();
    assert_close(
        "histogram edges",
        &edges,
        &load1("hist_count7_edges"),
        4.0 * common::eps::<T>(),
        1.0,
    );
    let want = load_idx1("hist_count7_counts");
    if is_f32::<T>() {
        // Values rounded to f32 may cross an edge: counts move by a few at most.
        assert_eq!(counts.sum(), 1000);
        assert!(counts.iter().zip(&want).all(|(&a, &b)| a.abs_diff(b) <= 3));
    } else {
        assert_eq!(counts.to_vec(), want);
        let (sums, _) = histogram_weighted(&x, &w, Bins::Count(7)).unwrap();
        assert_close(
            "histogram_weighted",
            &sums,
            &load1("hist_wcount7"),
            sum_tol::<T>(),
            10.0,
        );
    }
    // Range, with NaN in x (ignored) and values outside (ignored).
    let xnan: Array1<T> = cast(&load1("hist_xnan"));
    let (counts, edges) =
        histogram(&xnan, Bins::Range(5, T::make(0.2, 0.0), T::make(0.8, 0.0))).unwrap();
    assert_close(
        "histogram range edges",
        &edges,
        &load1("hist_range_edges"),
        4.0 * common::eps::<T>(),
        1.0,
    );
    if !is_f32::<T>() {
        assert_eq!(counts.to_vec(), load_idx1("hist_range_counts"));
        // Repeated edges: empty zero-width bins, the last bin closed.
        let (counts, _) = histogram(&x, Bins::Edges(cast(&load1("hist_edges")))).unwrap();
        assert_eq!(counts.to_vec(), load_idx1("hist_edges_counts"));
    }
}
real_dtype_tests!(histogram_golden => histogram_golden);

fn histogram_edge_rules<T: TestReal>() {
    let t = |v: &[f64]| Array1::from_iter(v.iter().map(|&x| T::make(x, 0.0)));
    // Half-open bins, last closed: 1 → bin 1, 3 → bin 2 (closed), 3.5 outside.
    let (c, _) = histogram(
        &t(&[0.0, 1.0, 2.9, 3.0, 3.5, -0.1]),
        Bins::Edges(t(&[0.0, 1.0, 2.0, 3.0])),
    )
    .unwrap();
    assert_eq!(c.to_vec(), vec![1, 1, 2]);
    // Equal last edges: the last bin holds the values equal to them.
    let (c, _) = histogram(&t(&[0.5, 1.0, 1.0]), Bins::Edges(t(&[0.0, 1.0, 1.0]))).unwrap();
    assert_eq!(c.to_vec(), vec![1, 2]);
    // A constant x: ±0.5 around it (np.histogram([2, 2], 2) → edges [1.5, 2, 2.5], counts [0, 2]).
    let (c, e) = histogram(&t(&[2.0, 2.0]), Bins::Count(2)).unwrap();
    assert_eq!((c.to_vec(), e), (vec![0, 2], t(&[1.5, 2.0, 2.5])));
    let (_, e) = histogram(&t(&[9.0]), Bins::Range(1, T::one(), T::one())).unwrap();
    assert_eq!(e, t(&[0.5, 1.5]));
    // An empty x: NumPy's (0, 1) range.
    let (c, e) = histogram(&t(&[]), Bins::Count(4)).unwrap();
    assert_eq!(
        (c.to_vec(), e),
        (vec![0; 4], t(&[0.0, 0.25, 0.5, 0.75, 1.0]))
    );
    let (s, _) = histogram_weighted(&t(&[]), &t(&[]), Bins::Count(2)).unwrap();
    assert_eq!(s, t(&[0.0, 0.0]));
    // N-d x in F order: the same counts as its C-order copy.
    let mut r = rng(3);
    let x2 = common::random_matrix::<T>(&mut r, 6, 5);
    let mut xf = Array2::<T>::zeros((6, 5).f());
    xf.assign(&x2);
    assert_eq!(
        histogram(&xf, Bins::Count(4)).unwrap(),
        histogram(&x2, Bins::Count(4)).unwrap()
    );
}
real_dtype_tests!(histogram_edge_rules => histogram_edge_rules);

fn histogram_errors<T: TestReal>() {
    let t = |v: &[f64]| Array1::from_iter(v.iter().map(|&x| T::make(x, 0.0)));
    let x = t(&[0.0, 1.0]);
    let bad: Vec<(Bins<T>, &str)> = vec![
        (Bins::Count(0), "zero bins"),
        (Bins::Range(0, T::zero(), T::one()), "zero bins"),
        (Bins::Range(2, T::one(), T::zero()), "exceeds"),
        (Bins::Range(2, T::zero(), T::infinity()), "not finite"),
        (Bins::Edges(t(&[0.0, 2.0, 1.0])), "monotonically"),
        (Bins::Edges(t(&[0.0])), "zero bins"),
        (Bins::Edges(t(&[])), "zero bins"),
    ];
    for (bins, what) in bad {
        let err = histogram(&x, bins.clone()).unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidArgument {
                    op: "histogram",
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains(what), "{bins:?}: {err}");
    }
    for v in [f64::NAN, f64::INFINITY] {
        let err = histogram(&t(&[0.0, v]), Bins::Count(3)).unwrap_err();
        assert!(err.to_string().contains("not finite"), "{err}");
    }
    // NaN is ignored with explicit bins.
    let (c, _) = histogram(&t(&[f64::NAN, 0.5]), Bins::Range(1, T::zero(), T::one())).unwrap();
    assert_eq!(c.to_vec(), vec![1]);
    let err = histogram_weighted(&x, &t(&[1.0]), Bins::Count(2)).unwrap_err();
    assert!(
        matches!(
            err,
            Error::IncompatibleShapes {
                op: "histogram_weighted",
                ..
            }
        ),
        "{err}"
    );
}
real_dtype_tests!(histogram_errors => histogram_errors);

#[test]
fn bincount_as_numpy() {
    assert_eq!(
        bincount(&[0, 1, 1, 3, 2, 1, 7], 0),
        array![1, 3, 1, 1, 0, 0, 0, 1]
    );
    assert_eq!(bincount(&[2], 5), array![0, 0, 1, 0, 0]);
    assert_eq!(bincount(&[4, 4], 2), array![0, 0, 0, 0, 2]);
    assert_eq!(bincount(&[], 0).len(), 0);
}

fn threshold_crossings_tutorial<T: TestReal>() {
    let t = |v: &[f64]| Array1::from_iter(v.iter().map(|&x| T::make(x, 0.0)));
    // np.flatnonzero(np.diff(x > 0.5, prepend=False)) = [3, 7, 11, 14]
    let x = t(&[0., 0., 0., 1., 1., 1., 1., 0., 0., 0., 0., 1., 1., 1., 0.]);
    let half = T::make(0.5, 0.0);
    assert_eq!(
        threshold_crossings(&x, half, Edge::Both).to_vec(),
        vec![3, 7, 11, 14]
    );
    assert_eq!(
        threshold_crossings(&x, half, Edge::Rising).to_vec(),
        vec![3, 11]
    );
    assert_eq!(
        threshold_crossings(&x, half, Edge::Falling).to_vec(),
        vec![7, 14]
    );
    // Starting above: index 0 is a rising crossing (prepend=False); equal is not above.
    assert_eq!(
        threshold_crossings(&t(&[1.0, 0.5, 0.7]), half, Edge::Both).to_vec(),
        vec![0, 1, 2]
    );
    // NaN compares false: it ends a run above.
    assert_eq!(
        threshold_crossings(&t(&[1.0, f64::NAN, 1.0]), half, Edge::Falling).to_vec(),
        vec![1]
    );
    assert_eq!(threshold_crossings(&t(&[]), half, Edge::Both).len(), 0);
    // A reversed view.
    assert_eq!(
        threshold_crossings(&x.slice(s![..;-1]), half, Edge::Rising).to_vec(),
        vec![1, 8]
    );
}
real_dtype_tests!(threshold_crossings_tutorial => threshold_crossings_tutorial);

#[test]
fn argwhere_as_numpy() {
    let m = array![[false, true, true], [true, false, false]];
    assert_eq!(argwhere(&m), array![[0, 1], [0, 2], [1, 0]]);
    // Transposed (F-order) view: logical order, not memory order.
    assert_eq!(argwhere(&m.t()), array![[0, 1], [1, 0], [2, 0]]);
    let m3 = ArrayD::from_shape_fn(IxDyn(&[2, 2, 2]), |i| i[0] == i[2]);
    assert_eq!(
        argwhere(&m3),
        array![[0, 0, 0], [0, 1, 0], [1, 0, 1], [1, 1, 1]]
    );
    assert_eq!(argwhere(&arr0(true)).dim(), (1, 0));
    assert_eq!(argwhere(&arr0(false)).dim(), (0, 0));
    assert_eq!(
        argwhere(&Array2::<bool>::from_elem((0, 3), true)).dim(),
        (0, 2)
    );
}

// -------------------------------------------------------------------------------- selection

#[test]
fn where_cond_golden_and_errors() {
    let c: Array2<i64> = load("where_cond");
    let c = c.mapv(|v| v != 0);
    let x = load1("where_x");
    let y = arr0(load1("where_y")[0]);
    let got = where_cond(&c, &x, &y).unwrap();
    let want: Array2<f64> = load("where_result");
    assert_eq!(got, want.into_dyn());
    // Any T: Clone.
    let s = where_cond(
        &array![true, false],
        &array!["a".to_string(), "b".to_string()],
        &arr0("-".to_string()),
    )
    .unwrap();
    assert_eq!(
        s.into_raw_vec_and_offset().0,
        vec!["a".to_string(), "-".to_string()]
    );
    // Empty broadcast.
    assert_eq!(
        where_cond(&Array1::<bool>::from_elem(0, true), &arr0(1), &array![2])
            .unwrap()
            .shape(),
        &[0]
    );
    match where_cond(&array![true, false, true], &array![1, 2], &arr0(0)) {
        Err(Error::IncompatibleShapes {
            op: "where_cond",
            lhs,
            rhs,
        }) => assert_eq!((lhs, rhs), (vec![3], vec![2])),
        other => panic!("{other:?}"),
    }
    let err = where_cond(&array![[true], [false]], &array![1, 2], &array![1, 2, 3]).unwrap_err();
    assert!(
        err.to_string().contains("[2, 2]") && err.to_string().contains("[3]"),
        "{err}"
    );
}

#[test]
fn select_as_numpy() {
    // np.select([x < 3, x > 5], [x, x**2], 0) for x = arange(10): [0,1,2,0,0,0,36,49,64,81]
    let x = Array1::from_iter(0..10i64);
    let (c1, c2) = (x.mapv(|v| v < 3), x.mapv(|v| v > 5));
    let sq = x.mapv(|v| v * v);
    let got = select(
        &[c1.view().into_dyn(), c2.view().into_dyn()],
        &[x.view().into_dyn(), sq.view().into_dyn()],
        0,
    )
    .unwrap();
    assert_eq!(
        got.into_raw_vec_and_offset().0,
        vec![0, 1, 2, 0, 0, 0, 36, 49, 64, 81]
    );
    // First true wins, with broadcasting of a scalar choice and a column condition.
    let always = arr0(true);
    let col = array![[true], [false]];
    let a = arr0(7);
    let b = array![1, 2, 3];
    let got = select(
        &[col.view().into_dyn(), always.view().into_dyn()],
        &[a.view().into_dyn(), b.view().into_dyn()],
        -1,
    )
    .unwrap();
    assert_eq!(got, array![[7, 7, 7], [1, 2, 3]].into_dyn());
    // Errors: lengths, empty lists, shapes.
    let err = select(
        &[col.view().into_dyn()],
        &[a.view().into_dyn(), b.view().into_dyn()],
        0,
    )
    .unwrap_err();
    assert!(
        matches!(err, Error::InvalidArgument { op: "select", .. })
            && err.to_string().contains("1 and 2"),
        "{err}"
    );
    let err = select::<i32>(&[], &[], 0).unwrap_err();
    assert!(
        matches!(err, Error::InvalidArgument { op: "select", .. }),
        "{err}"
    );
    let four = array![1, 2, 3, 4];
    let err = select(&[col.view().into_dyn()], &[four.view().into_dyn()], 0);
    assert!(err.is_ok()); // (2, 1) and (4,) broadcast to (2, 4)
    let three = array![true, false, true];
    let err = select(&[three.view().into_dyn()], &[four.view().into_dyn()], 0).unwrap_err();
    assert!(
        matches!(err, Error::IncompatibleShapes { op: "select", .. }),
        "{err}"
    );
}

// ------------------------------------------------------------------------------- covariance

fn cov_golden<T: TestReal>() {
    let x64 = load2("cov_x");
    let x: Array2<T> = cast(&x64);
    for ddof in 0..3 {
        let c = cov(&x, ddof).unwrap();
        assert_close(
            &format!("cov ddof={ddof}"),
            &c,
            &load2(&format!("cov_ddof{ddof}")),
            sum_tol::<T>(),
            1.0,
        );
        // Symmetric exactly, C order.
        assert_eq!(c, c.t());
    }
    assert_close(
        "corrcoef",
        &corrcoef(&x).unwrap(),
        &load2("corrcoef"),
        sum_tol::<T>(),
        1.0,
    );
    // Layouts give the same answer.
    let want = cov(&x, 1).unwrap();
    for (name, xl) in layouts(&x) {
        assert_close(
            &format!("cov {name}"),
            &cov(&xl, 1).unwrap(),
            &f64s(&want),
            10.0 * common::eps::<T>() * 50.0,
            1.0,
        );
    }
}
real_dtype_tests!(cov_golden => cov_golden);

/// Columns offset by 1e8 (exactly: the data are multiples of 2⁻²⁰): the centred kernel keeps
/// the digits a naive Σx² − n·μ² would lose entirely (1e16 against O(1) variances).
#[test]
fn cov_offset_by_1e8() {
    let x = load2("cov_x");
    let shifted = x.mapv(|v| v + 1e8);
    let err_c = max_rel(&cov(&shifted, 1).unwrap(), &load2("cov_ddof1"), 1.0);
    let err_r = max_rel(&corrcoef(&shifted).unwrap(), &load2("corrcoef"), 1.0);
    println!("cov/corrcoef at offset 1e8: max error {err_c:.2e} / {err_r:.2e}");
    // The shifted mean is accurate to n·ε·spread, leaving errors of order 1e-14.
    assert!(err_c <= 1e-11 && err_r <= 1e-11, "{err_c:e} {err_r:e}");
}

fn cov_shapes_and_errors<T: TestReal>() {
    let t = |v: f64| T::make(v, 0.0);
    // One feature: a 1 × 1 matrix (np.cov([[1],[2],[3]], rowvar=False) = [[1]]).
    let c = cov(&array![[t(1.0)], [t(2.0)], [t(3.0)]], 1).unwrap();
    assert_eq!(c.dim(), (1, 1));
    assert!((c[[0, 0]] - T::one()).abs() <= T::from_f64_nearest(1e-6));
    // Zero features: 0 × 0.
    assert_eq!(cov(&Array2::<T>::zeros((4, 0)), 1).unwrap().dim(), (0, 0));
    // A constant column: NaN in its row and column of corrcoef, as NumPy.
    let x = array![[t(1.0), t(5.0)], [t(2.0), t(5.0)], [t(4.0), t(5.0)]];
    let r = corrcoef(&x).unwrap();
    assert!((r[[0, 0]] - T::one()).abs() <= T::from_f64_nearest(4.0 * common::eps::<T>()));
    assert!(r[[0, 1]].is_nan() && r[[1, 0]].is_nan() && r[[1, 1]].is_nan());
    // One sample: corrcoef is NaN everywhere (NumPy: 0/0), cov with ddof 1 is an error.
    assert!(corrcoef(&array![[t(1.0), t(2.0)]])
        .unwrap()
        .iter()
        .all(|v| v.is_nan()));
    for (n, ddof) in [(1, 1), (0, 0), (3, 3), (2, 5)] {
        let err = cov(&Array2::<T>::zeros((n, 2)), ddof).unwrap_err();
        assert!(
            matches!(err, Error::InvalidArgument { op: "cov", .. }),
            "{err}"
        );
        assert!(err.to_string().contains(&format!("ddof = {ddof}")), "{err}");
    }
    let err = corrcoef(&Array2::<T>::zeros((0, 2))).unwrap_err();
    assert!(
        matches!(err, Error::InvalidArgument { op: "corrcoef", .. }),
        "{err}"
    );
    // NaN in one column spreads to its row and column only.
    let x = array![[t(1.0), t(f64::NAN)], [t(2.0), t(1.0)], [t(4.0), t(0.0)]];
    let c = cov(&x, 1).unwrap();
    assert!(c[[0, 0]].is_finite() && c[[1, 1]].is_nan() && c[[0, 1]].is_nan());
}
real_dtype_tests!(cov_shapes_and_errors => cov_shapes_and_errors);
