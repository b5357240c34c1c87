//! Tests of `ndkit::linalg`'s products: matmul, gemm, matvec, dot, vdot, outer,
//! batched_matmul, multi_dot and matrix_power.
//!
//! Every product is compared with a naive triple loop in this file, over the four dtypes and
//! over the memory layouts of `tests/common` (C, F, transposed views, padded leading
//! dimensions, negative strides, sliced non-contiguous views, zero strides on axes of length
//! 1), by the normalised backward error
//! `‖got − want‖_F / (‖a‖_F·‖b‖_F·max(k, 1)·ε)`.
//!
//! Tests that need `linalg::inv` (matrix_power with n < 0): `matrix_power_negative*`.

mod common;

use common::{
    eps, fro, naive_matmul, random_array, random_matrix, random_vector, rng, Laid, Layout,
    TestScalar, LAYOUTS, WRITABLE_LAYOUTS,
};
use ndarray::{
    array, s, Array, Array1, Array2, ArrayD, ArrayView1, ArrayView2, ArrayViewD, Axis, Dimension,
    IxDyn,
};
use ndkit::linalg::{
    batched_matmul, dot, gemm, matmul, matrix_power, matvec, multi_dot, outer, vdot,
};
use ndkit::{c64, Error, Scalar};
use num_traits::ToPrimitive;
use proptest::prelude::*;
use rand::rngs::StdRng;

/// Bound on the normalised error `‖got − want‖_F / (‖a‖_F·‖b‖_F·max(k, 1)·ε)`.
/// Each entry of a computed product of inner dimension k has error ≤ γ_k·(|a||b|)_ij with
/// γ_k ≈ k·ε (Higham, Accuracy and Stability, §3.5), so ‖error‖_F ≤ k·ε·‖a‖_F‖b‖_F for the
/// BLAS result and again for the naive reference: a ratio ≤ 2 for real types and ≤ 2·2√2 for
/// complex ones (a complex multiply–add costs a few real roundings). 30 leaves room for
/// blocked/FMA kernels; a real bug (a wrong transpose, conjugation or stride) gives O(1/(k·ε)).
const BACKWARD_TOL: f64 = 30.0;

// ------------------------------------------------------------------------------- helpers

/// Asserts `‖got − want‖_F ≤ BACKWARD_TOL·max(k, 1)·ε·scale` (scale = ‖a‖_F·‖b‖_F + extra).
fn assert_close<'a, T: Scalar + 'a>(
    got: impl IntoIterator<Item = &'a T>,
    want: impl IntoIterator<Item = &'a T>,
    scale: f64,
    k: usize,
    what: &str,
) {
    let diff: Array1<T> = got.into_iter().zip(want).map(|(&g, &w)| g - w).collect();
    let err = fro(&diff) / (scale.max(f64::MIN_POSITIVE) * k.max(1) as f64 * eps::<T>());
    assert!(
        err <= BACKWARD_TOL,
        "{what}: normalised error {err:.3} > {BACKWARD_TOL}"
    );
}

// ------------------------------------------------------------------------------- matmul

/// Shapes (m, k, n): empty, 1×1, row/column vectors, odd sizes, both sides of the 256
/// multiply–adds below which products skip BLAS (4·4·16 and 9·4·7 in Rust, 4·4·17 and 6·7·7
/// through BLAS), and sizes around the 64-wide blocks of OpenBLAS's kernels.
const SHAPES: [(usize, usize, usize); 13] = [
    (0, 3, 4),
    (3, 0, 4),
    (3, 4, 0),
    (1, 1, 1),
    (1, 7, 5),
    (6, 7, 1),
    (5, 1, 6),
    (7, 5, 3),
    (4, 4, 16),
    (9, 4, 7),
    (4, 4, 17),
    (6, 7, 7),
    (65, 64, 33),
];

fn matmul_layouts<T: TestScalar>() {
    let mut r = rng(1);
    for (m, k, n) in SHAPES {
        let a = random_matrix::<T>(&mut r, m, k);
        let b = random_matrix::<T>(&mut r, k, n);
        let want = naive_matmul(&a.view(), &b.view());
        let scale = fro(&a) * fro(&b);
        for la in LAYOUTS {
            for lb in LAYOUTS {
                let (pa, pb) = (Laid::new(&a, la), Laid::new(&b, lb));
                let got = matmul(&pa.view(), &pb.view()).unwrap();
                assert_eq!(got.dim(), (m, n));
                assert!(got.is_standard_layout(), "matmul output must be C order");
                assert_close(
                    &got,
                    &want,
                    scale,
                    k,
                    &format!("matmul {m}x{k}x{n} {la:?}·{lb:?}"),
                );
            }
        }
    }
}

dtype_tests!(matmul_all_dtypes_and_layouts => matmul_layouts);

#[test]
fn matmul_block_boundary_sizes() {
    let mut r = rng(2);
    for n in [127, 128, 129] {
        let a = random_matrix::<f64>(&mut r, n, n + 1);
        let b = random_matrix::<f64>(&mut r, n + 1, n);
        let want = naive_matmul(&a.view(), &b.view());
        for (la, lb) in [
            (Layout::C, Layout::C),
            (Layout::F, Layout::Transposed),
            (Layout::Stepped, Layout::NegFirst),
        ] {
            let (pa, pb) = (Laid::new(&a, la), Laid::new(&b, lb));
            let got = matmul(&pa.view(), &pb.view()).unwrap();
            assert_close(
                &got,
                &want,
                fro(&a) * fro(&b),
                n + 1,
                &format!("matmul n={n} {la:?}·{lb:?}"),
            );
        }
    }
}

#[test]
fn matmul_empty_shapes_follow_numpy() {
    // np.ones((0, 3)) @ np.ones((3, 4)) -> shape (0, 4)
    let c = matmul(&Array2::<f64>::ones((0, 3)), &Array2::<f64>::ones((3, 4))).unwrap();
    assert_eq!(c.dim(), (0, 4));
    // np.ones((3, 0)) @ np.ones((0, 4)) -> zeros((3, 4))
    let c = matmul(&Array2::<c64>::ones((3, 0)), &Array2::<c64>::ones((0, 4))).unwrap();
    assert_eq!(c, Array2::<c64>::zeros((3, 4)));
    let c = matmul(&Array2::<f32>::ones((3, 2)), &Array2::<f32>::ones((2, 0))).unwrap();
    assert_eq!(c.dim(), (3, 0));
    let c = matmul(&Array2::<f32>::ones((0, 0)), &Array2::<f32>::ones((0, 0))).unwrap();
    assert_eq!(c.dim(), (0, 0));
}

#[test]
fn matmul_propagates_nan_and_inf_like_numpy() {
    // Both the Rust loop (3×3×3) and BLAS (9×9×9): a NaN in a[0, 0] makes row 0 NaN, and
    // inf·0 is NaN, as with numpy.matmul.
    for n in [3, 9] {
        let mut a = Array2::<f64>::ones((n, n));
        a[[0, 0]] = f64::NAN;
        let c = matmul(&a, &Array2::<f64>::ones((n, n))).unwrap();
        assert!(
            c.row(0).iter().all(|v| v.is_nan()),
            "n = {n}: row 0 must be NaN"
        );
        assert!(
            c.row(1).iter().all(|&v| v == n as f64),
            "n = {n}: other rows exact"
        );
        let mut inf = Array2::<f64>::zeros((n, n));
        inf[[1, 1]] = f64::INFINITY;
        let c = matmul(&inf, &Array2::<f64>::zeros((n, n))).unwrap();
        assert!(
            c.row(1).iter().all(|v| v.is_nan()),
            "n = {n}: inf·0 must give NaN"
        );
    }
}

#[test]
fn matmul_exact_small_values() {
    let a = array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]];
    let b = array![[7.0, 8.0], [9.0, 10.0], [11.0, 12.0]];
    assert_eq!(
        matmul(&a, &b).unwrap(),
        array![[58.0, 64.0], [139.0, 154.0]]
    );
    assert_eq!(
        matmul(&b.t(), &a.t()).unwrap(),
        array![[58.0, 139.0], [64.0, 154.0]]
    );
    // complex: no conjugation anywhere
    let i = c64::new(0.0, 1.0);
    let z = array![[i, c64::new(1.0, 0.0)]];
    assert_eq!(matmul(&z, &z.t()).unwrap(), array![[c64::new(0.0, 0.0)]]);
}

#[test]
fn matmul_shape_mismatch() {
    let err = matmul(&Array2::<f64>::zeros((2, 3)), &Array2::<f64>::zeros((4, 2))).unwrap_err();
    assert_eq!(
        err,
        Error::IncompatibleShapes {
            op: "matmul",
            lhs: vec![2, 3],
            rhs: vec![4, 2]
        }
    );
    assert!(err.to_string().contains("[2, 3] and [4, 2]"));
}

#[test]
fn too_large_dimensions_are_errors_not_blas_calls() {
    let big = i32::MAX as usize + 1;
    // A broadcast view is a huge matrix without the memory.
    let one = Array2::<f64>::ones((1, 1));
    let row = one.broadcast((1, big)).unwrap();
    let col = one.broadcast((big, 1)).unwrap();
    assert_eq!(
        matmul(&row, &col).unwrap_err(),
        Error::TooLarge {
            op: "matmul",
            dim: big
        }
    );
    let v = Array1::<f64>::ones(1);
    let long = v.broadcast(big).unwrap();
    assert_eq!(
        dot(&long, &long).unwrap_err(),
        Error::TooLarge {
            op: "dot",
            dim: big
        }
    );
    assert_eq!(
        matvec(&row, &long).unwrap_err(),
        Error::TooLarge {
            op: "matvec",
            dim: big
        }
    );
    // m·n fits i32 per axis but not in memory: an error, not an allocation panic.
    let half = i32::MAX as usize;
    let tall = Array2::<f64>::zeros((half, 0));
    let wide = Array2::<f64>::zeros((0, half));
    assert!(matches!(
        matmul(&tall, &wide),
        Err(Error::TooLargeToAllocate { op: "matmul", .. })
    ));
    let a = ArrayD::<f64>::zeros(IxDyn(&[1 << 40, 1, 1, 0]));
    let b = ArrayD::<f64>::zeros(IxDyn(&[1, 1 << 40, 0, 1]));
    assert!(matches!(
        batched_matmul(&a, &b),
        Err(Error::TooLargeToAllocate {
            op: "batched_matmul",
            ..
        })
    ));
}

// --------------------------------------------------------------------------------- gemm

fn gemm_layouts<T: TestScalar>() {
    let mut r = rng(3);
    let (alpha, beta) = (T::make(0.75, -0.5), T::make(-1.25, 0.25));
    for (m, k, n) in SHAPES {
        let a = random_matrix::<T>(&mut r, m, k);
        let b = random_matrix::<T>(&mut r, k, n);
        let c0 = random_matrix::<T>(&mut r, m, n);
        let want = naive_matmul(&a.view(), &b.view()) * alpha + &c0 * beta;
        // ‖alpha·a·b + beta·c‖ has error ≲ k·ε·(|alpha|·‖a‖‖b‖ + |beta|·‖c‖).
        let scale = alpha.norm().to_f64().unwrap() * fro(&a) * fro(&b)
            + beta.norm().to_f64().unwrap() * fro(&c0);
        for lc in WRITABLE_LAYOUTS {
            for (la, lb) in [
                (Layout::C, Layout::C),
                (Layout::F, Layout::PaddedC),
                (Layout::Stepped, Layout::NegLast),
            ] {
                let (pa, pb) = (Laid::new(&a, la), Laid::new(&b, lb));
                let mut pc = Laid::new(&c0, lc);
                let before = pc.buf.as_ptr();
                gemm(alpha, &pa.view(), &pb.view(), beta, &mut pc.view_mut()).unwrap();
                assert_eq!(
                    before,
                    pc.buf.as_ptr(),
                    "gemm must write into c's own buffer"
                );
                let what = format!("gemm {m}x{k}x{n} {la:?}·{lb:?} into {lc:?}");
                assert_close(pc.view(), &want, scale, k, &what);
            }
        }
    }
}

dtype_tests!(gemm_all_dtypes_and_layouts_of_c => gemm_layouts);

fn gemm_beta_zero_ignores_nan<T: TestScalar>() {
    let mut r = rng(4);
    let nan = T::make(f64::NAN, f64::NAN);
    // Products below and above the size where BLAS takes over (256 multiply–adds).
    for (m, k, n) in [(4, 3, 5), (4, 0, 5), (1, 1, 1), (9, 8, 9)] {
        let a = random_matrix::<T>(&mut r, m, k);
        let b = random_matrix::<T>(&mut r, k, n);
        let alpha = T::make(2.0, 1.0);
        let want = naive_matmul(&a.view(), &b.view()) * alpha;
        for lc in [Layout::C, Layout::F, Layout::Stepped, Layout::NegFirst] {
            let mut pc = Laid::new(&Array2::from_elem((m, n), nan), lc);
            gemm(alpha, &a, &b, T::zero(), &mut pc.view_mut()).unwrap();
            assert!(
                pc.view().iter().all(|v| v.finite()),
                "beta = 0 must overwrite NaN ({lc:?}, k = {k})"
            );
            let scale = alpha.norm().to_f64().unwrap() * fro(&a) * fro(&b);
            assert_close(
                pc.view(),
                &want,
                scale,
                k,
                &format!("gemm beta=0 {lc:?} k={k}"),
            );
            if k == 0 {
                assert!(
                    pc.view().iter().all(|&v| v == T::zero()),
                    "k = 0, beta = 0 gives exact zeros"
                );
            }
        }
    }
}

dtype_tests!(gemm_beta_zero_overwrites_nan => gemm_beta_zero_ignores_nan);

#[test]
fn gemm_empty_inner_dimension_scales_c() {
    let a = Array2::<f64>::zeros((2, 0));
    let b = Array2::<f64>::zeros((0, 3));
    let mut c = array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]];
    gemm(5.0, &a, &b, -2.0, &mut c).unwrap();
    assert_eq!(c, array![[-2.0, -4.0, -6.0], [-8.0, -10.0, -12.0]]);
    // empty c: nothing to do, no error
    let mut e = Array2::<f64>::zeros((0, 3));
    gemm(
        1.0,
        &Array2::<f64>::zeros((0, 4)),
        &Array2::<f64>::zeros((4, 3)),
        1.0,
        &mut e,
    )
    .unwrap();
}

#[test]
fn gemm_shape_errors() {
    let a = Array2::<f32>::zeros((2, 3));
    let mut c = Array2::<f32>::zeros((2, 2));
    let err = gemm(1.0, &a, &Array2::<f32>::zeros((2, 2)), 0.0, &mut c).unwrap_err();
    assert_eq!(
        err,
        Error::IncompatibleShapes {
            op: "gemm",
            lhs: vec![2, 3],
            rhs: vec![2, 2]
        }
    );
    let err = gemm(1.0, &a, &Array2::<f32>::zeros((3, 4)), 0.0, &mut c).unwrap_err();
    assert!(matches!(err, Error::InvalidShape { op: "gemm", ref shape, .. } if shape == &[2, 2]));
}

// ------------------------------------------------------------------------------- matvec

fn matvec_layouts<T: TestScalar>() {
    let mut r = rng(5);
    for (m, n) in [(0, 3), (3, 0), (1, 1), (1, 6), (6, 1), (7, 5), (65, 33)] {
        let a = random_matrix::<T>(&mut r, m, n);
        let x = random_vector::<T>(&mut r, n);
        let want = naive_matmul(&a.view(), &x.view().insert_axis(Axis(1))).remove_axis(Axis(1));
        let scale = fro(&a) * fro(&x);
        for la in LAYOUTS {
            for lx in LAYOUTS {
                let (pa, px) = (Laid::new(&a, la), Laid::new(&x, lx));
                let got = matvec(&pa.view(), &px.view()).unwrap();
                assert_eq!(got.len(), m);
                assert_close(
                    &got,
                    &want,
                    scale,
                    n,
                    &format!("matvec {m}x{n} {la:?}, x {lx:?}"),
                );
            }
        }
    }
}

dtype_tests!(matvec_all_dtypes_and_layouts => matvec_layouts);

#[test]
fn matvec_broadcast_vector_and_errors() {
    let a = array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]];
    // a zero-stride vector (BLAS rejects incx = 0, so it is copied)
    let two = Array1::from_elem(1, 2.0);
    assert_eq!(
        matvec(&a, &two.broadcast(3).unwrap()).unwrap(),
        array![12.0, 30.0]
    );
    let err = matvec(&a, &array![1.0, 2.0]).unwrap_err();
    assert_eq!(
        err,
        Error::IncompatibleShapes {
            op: "matvec",
            lhs: vec![2, 3],
            rhs: vec![2]
        }
    );
    // (3, 0) · (0,) -> zeros(3), as np.matmul
    assert_eq!(
        matvec(&Array2::<f64>::zeros((3, 0)), &Array1::<f64>::zeros(0)).unwrap(),
        Array1::<f64>::zeros(3)
    );
}

// ----------------------------------------------------------------------------- dot, vdot

fn naive_dot<T: Scalar>(x: &ArrayView1<T>, y: &ArrayView1<T>, conj: bool) -> T {
    x.iter().zip(y).fold(T::zero(), |acc, (&a, &b)| {
        acc + if conj { a.conj() } else { a } * b
    })
}

fn dot_layouts<T: TestScalar>() {
    let mut r = rng(6);
    for n in [0, 1, 2, 7, 100] {
        let x = random_vector::<T>(&mut r, n);
        let y = random_vector::<T>(&mut r, n);
        let scale = fro(&x) * fro(&y);
        for lx in LAYOUTS {
            for ly in LAYOUTS {
                let (px, py) = (Laid::new(&x, lx), Laid::new(&y, ly));
                let (xv, yv) = (px.view(), py.view());
                let what = format!("n = {n}, layouts {lx:?}, {ly:?}");
                let got = [dot(&xv, &yv).unwrap()];
                assert_close(
                    &got,
                    &[naive_dot(&x.view(), &y.view(), false)],
                    scale,
                    n,
                    &format!("dot {what}"),
                );
                let got = [vdot(&xv, &yv).unwrap()];
                assert_close(
                    &got,
                    &[naive_dot(&x.view(), &y.view(), true)],
                    scale,
                    n,
                    &format!("vdot {what}"),
                );
            }
        }
    }
}

dtype_tests!(dot_vdot_all_dtypes_and_strides => dot_layouts);

#[test]
fn dot_vdot_conjugation_and_errors() {
    // np.dot([1j, 2], [1j, 1]) == 1; np.vdot([1j, 2], [1j, 1]) == 3
    let x = array![c64::new(0.0, 1.0), c64::new(2.0, 0.0)];
    let y = array![c64::new(0.0, 1.0), c64::new(1.0, 0.0)];
    assert_eq!(dot(&x, &y).unwrap(), c64::new(1.0, 0.0));
    assert_eq!(vdot(&x, &y).unwrap(), c64::new(3.0, 0.0));
    assert_eq!(
        dot(&Array1::<f32>::zeros(0), &Array1::<f32>::zeros(0)).unwrap(),
        0.0
    );
    let err = vdot(&array![1.0, 2.0], &array![1.0]).unwrap_err();
    assert_eq!(
        err,
        Error::IncompatibleShapes {
            op: "vdot",
            lhs: vec![2],
            rhs: vec![1]
        }
    );
    let err = dot(&array![1.0], &array![1.0, 2.0]).unwrap_err();
    assert_eq!(
        err,
        Error::IncompatibleShapes {
            op: "dot",
            lhs: vec![1],
            rhs: vec![2]
        }
    );
    // zero-stride operand
    let one = Array1::from_elem(1, 3.0);
    assert_eq!(
        dot(&one.broadcast(4).unwrap(), &array![1.0, 2.0, 3.0, 4.0]).unwrap(),
        30.0
    );
}

// -------------------------------------------------------------------------------- outer

#[test]
fn outer_matches_numpy() {
    // np.outer([1j, 2], [1j, 1]) == [[-1, 1j], [2j, 2]]: no conjugation
    let x = array![c64::new(0.0, 1.0), c64::new(2.0, 0.0)];
    let y = array![c64::new(0.0, 1.0), c64::new(1.0, 0.0)];
    let want = array![
        [c64::new(-1.0, 0.0), c64::new(0.0, 1.0)],
        [c64::new(0.0, 2.0), c64::new(2.0, 0.0)]
    ];
    assert_eq!(outer(&x, &y), want);
    let v = array![1.0_f32, 2.0, 3.0];
    let o = outer(&v.slice(s![..;-1]), &v.slice(s![..;2]));
    assert_eq!(o, array![[3.0, 9.0], [2.0, 6.0], [1.0, 3.0]]);
    assert!(o.is_standard_layout());
    assert_eq!(
        outer(&Array1::<f64>::zeros(0), &v.mapv(f64::from)).dim(),
        (0, 3)
    );
}

// ------------------------------------------------------------------------ batched_matmul

/// numpy.matmul by its definition: promote vectors, broadcast batch axes, loop.
fn naive_batched<T: Scalar>(a: &ArrayViewD<T>, b: &ArrayViewD<T>) -> ArrayD<T> {
    let (a_vec, b_vec) = (a.ndim() == 1, b.ndim() == 1);
    let a = if a_vec {
        a.view().insert_axis(Axis(0))
    } else {
        a.view()
    };
    let b = if b_vec {
        b.view().insert_axis(Axis(1))
    } else {
        b.view()
    };
    let (na, nb) = (a.ndim() - 2, b.ndim() - 2);
    let nbatch = na.max(nb);
    let batch: Vec<usize> = (0..nbatch)
        .map(|i| {
            let da = if i + na >= nbatch {
                a.shape()[i + na - nbatch]
            } else {
                1
            };
            let db = if i + nb >= nbatch {
                b.shape()[i + nb - nbatch]
            } else {
                1
            };
            assert!(da == db || da == 1 || db == 1);
            if da == 1 {
                db
            } else {
                da
            }
        })
        .collect();
    let (m, k, n) = (a.shape()[na], a.shape()[na + 1], b.shape()[nb + 1]);
    let shape = |x: usize, y: usize| [batch.as_slice(), &[x, y]].concat();
    let af = a.broadcast(IxDyn(&shape(m, k))).unwrap();
    let bf = b.broadcast(IxDyn(&shape(k, n))).unwrap();
    let mut out = ArrayD::<T>::zeros(IxDyn(&shape(m, n)));
    for (idx, o) in out.indexed_iter_mut() {
        let idx = idx.slice().to_vec();
        let (i, j) = (idx[nbatch], idx[nbatch + 1]);
        let mut ai = idx.clone();
        let mut bi = idx.clone();
        *o = (0..k).fold(T::zero(), |acc, l| {
            ai[nbatch + 1] = l;
            bi[nbatch] = l;
            bi[nbatch + 1] = j;
            ai[nbatch] = i;
            acc + af[IxDyn(&ai)] * bf[IxDyn(&bi)]
        });
    }
    let (rows, cols) = (nbatch, nbatch + 1);
    if b_vec {
        out = out.index_axis_move(Axis(cols), 0);
    }
    if a_vec {
        out = out.index_axis_move(Axis(rows), 0);
    }
    out
}

fn check_batched<T: TestScalar>(
    r: &mut StdRng,
    sa: &[usize],
    sb: &[usize],
    la: Layout,
    lb: Layout,
) {
    let a = random_array::<T>(r, sa);
    let b = random_array::<T>(r, sb);
    let (pa, pb) = (Laid::new(&a, la), Laid::new(&b, lb));
    let got = batched_matmul(&pa.view(), &pb.view()).unwrap();
    let want = naive_batched(&a.view(), &b.view());
    let what = format!("batched {sa:?} {la:?} @ {sb:?} {lb:?}");
    assert_eq!(got.shape(), want.shape(), "{what}");
    assert!(got.is_standard_layout(), "{what}: output must be C order");
    // The inner dimension: the length of a vector b, else b's second-to-last axis.
    let k = if sb.len() == 1 {
        sb[0]
    } else {
        sb[sb.len() - 2]
    };
    assert_close(&got, &want, fro(&a) * fro(&b), k, &what);
}

#[test]
fn batched_matmul_numpy_shapes() {
    let ones = |s: &[usize]| ArrayD::<f64>::ones(IxDyn(s));
    let shape =
        |a: &[usize], b: &[usize]| batched_matmul(&ones(a), &ones(b)).unwrap().shape().to_vec();
    // Shapes from np.matmul(np.ones(a), np.ones(b)).shape
    assert_eq!(shape(&[2, 1, 3, 4], &[5, 4, 2]), vec![2, 5, 3, 2]);
    assert_eq!(shape(&[3], &[2, 3, 4]), vec![2, 4]);
    assert_eq!(shape(&[2, 3, 4], &[4]), vec![2, 3]);
    assert_eq!(shape(&[3], &[3]), Vec::<usize>::new());
    assert_eq!(shape(&[2, 3], &[3, 4]), vec![2, 4]);
    assert_eq!(shape(&[0, 2, 3], &[1, 3, 2]), vec![0, 2, 2]);
    assert_eq!(shape(&[0], &[0]), Vec::<usize>::new());
    // k = 0: zeros
    let z = batched_matmul(&ones(&[2, 3, 0]), &ones(&[2, 0, 4])).unwrap();
    assert_eq!(z, ArrayD::<f64>::zeros(IxDyn(&[2, 3, 4])));
    // (3,) @ (3,) is a 0-d array holding the dot product
    let v = Array::from_vec(vec![1.0, 2.0, 3.0]);
    assert_eq!(
        batched_matmul(&v, &v)
            .unwrap()
            .into_iter()
            .collect::<Vec<_>>(),
        vec![14.0]
    );
}

fn batched_values<T: TestScalar>() {
    let cases: [(&[usize], &[usize]); 8] = [
        (&[2, 1, 3, 4], &[5, 4, 2]),
        (&[3], &[2, 3, 4]),
        (&[2, 3, 4], &[4]),
        (&[3], &[3]),
        (&[4, 3, 5], &[5, 2]),
        (&[1, 3, 5], &[4, 5, 2]),
        (&[2, 3, 1, 2], &[3, 2, 2]),
        (&[6, 1, 1], &[1, 1, 3]),
    ];
    let mut r = rng(7);
    for (sa, sb) in cases {
        for la in LAYOUTS {
            for lb in LAYOUTS {
                check_batched::<T>(&mut r, sa, sb, la, lb);
            }
        }
    }
}

dtype_tests!(batched_matmul_values_all_dtypes => batched_values);

#[test]
fn batched_matmul_broadcast_and_permuted_operands() {
    // (100, 4, 4) @ (4, 4) and a permuted-axes (non-contiguous batch) operand
    let mut r = rng(8);
    let a = random_array::<f64>(&mut r, &[100, 4, 4]);
    let b = random_matrix::<f64>(&mut r, 4, 4).into_dyn();
    let got = batched_matmul(&a, &b).unwrap();
    assert_close(
        &got,
        &naive_batched(&a.view(), &b.view()),
        fro(&a) * fro(&b),
        4,
        "stack @ matrix",
    );
    let p = a.view().permuted_axes(IxDyn(&[1, 0, 2])); // (4, 100, 4)
    let q = random_array::<f64>(&mut r, &[4, 4, 3]);
    let got = batched_matmul(&p, &q).unwrap();
    assert_close(
        &got,
        &naive_batched(&p, &q.view()),
        fro(&a) * fro(&q),
        4,
        "permuted @ stack",
    );
}

#[test]
fn batched_matmul_errors() {
    let ones = |s: &[usize]| ArrayD::<f64>::ones(IxDyn(s));
    // np.matmul(np.ones((2, 3, 4)), np.ones((3, 4, 2))): batch dims 2 and 3 do not broadcast
    let err = batched_matmul(&ones(&[2, 3, 4]), &ones(&[3, 4, 2])).unwrap_err();
    assert_eq!(
        err,
        Error::IncompatibleShapes {
            op: "batched_matmul",
            lhs: vec![2, 3, 4],
            rhs: vec![3, 4, 2]
        }
    );
    let err = batched_matmul(&ones(&[2, 3, 4]), &ones(&[2, 5, 2])).unwrap_err();
    assert_eq!(
        err,
        Error::IncompatibleShapes {
            op: "batched_matmul",
            lhs: vec![2, 3, 4],
            rhs: vec![2, 5, 2]
        }
    );
    let err = batched_matmul(&ones(&[3]), &ones(&[4])).unwrap_err();
    assert_eq!(
        err,
        Error::IncompatibleShapes {
            op: "batched_matmul",
            lhs: vec![3],
            rhs: vec![4]
        }
    );
    // np.matmul raises on 0-d operands
    let scalar = ndarray::arr0(2.0);
    assert!(matches!(
        batched_matmul(&scalar, &ones(&[2, 2])),
        Err(Error::InvalidShape {
            op: "batched_matmul",
            ..
        })
    ));
    assert!(matches!(
        batched_matmul(&ones(&[2]), &scalar),
        Err(Error::InvalidShape {
            op: "batched_matmul",
            ..
        })
    ));
    // an empty batch does not broadcast against 5 either
    let err = batched_matmul(&ones(&[0, 2, 3]), &ones(&[5, 3, 2])).unwrap_err();
    assert!(matches!(err, Error::IncompatibleShapes { .. }));
}

// ---------------------------------------------------------------------------- multi_dot

#[test]
fn multi_dot_chooses_the_cheap_order() {
    let mut r = rng(9);
    // (100×2)(2×100)(100×3): a·(b·c) costs 1,200 multiplications, (a·b)·c 50,000.
    let a = random_matrix::<f64>(&mut r, 100, 2);
    let b = random_matrix::<f64>(&mut r, 2, 100);
    let c = random_matrix::<f64>(&mut r, 100, 3);
    let got = multi_dot(&[a.view(), b.view(), c.view()]).unwrap();
    let right = matmul(&a, &matmul(&b, &c).unwrap()).unwrap();
    let left = matmul(&matmul(&a, &b).unwrap(), &c).unwrap();
    // Same BLAS calls on the same operands: bit-for-bit the right-nested order …
    assert_eq!(got, right);
    // … which rounds differently from the left-to-right order (so the check above is
    // meaningful), yet agrees with it to within rounding error.
    assert_ne!(got, left);
    let scale = fro(&a) * fro(&b) * fro(&c);
    assert_close(&got, &left, scale, 2 * 100, "multi_dot vs left-to-right");
    assert!(got.is_standard_layout());
}

#[test]
fn multi_dot_textbook_chain() {
    // CLRS §15.2: dimensions 30, 35, 15, 5, 10, 20, 25 give ((A1(A2A3))((A4A5)A6)).
    let dims = [30, 35, 15, 5, 10, 20, 25];
    let mut r = rng(10);
    let m: Vec<Array2<c64>> = dims
        .windows(2)
        .map(|w| random_matrix(&mut r, w[0], w[1]))
        .collect();
    let v: Vec<ArrayView2<c64>> = m.iter().map(|x| x.view()).collect();
    let got = multi_dot(&v).unwrap();
    let mm = |x: &Array2<c64>, y: &Array2<c64>| matmul(x, y).unwrap();
    let a23 = mm(&m[1], &m[2]);
    let left = mm(&m[0], &a23);
    let a45 = mm(&m[3], &m[4]);
    let right = mm(&a45, &m[5]);
    assert_eq!(got, mm(&left, &right));
    let mut naive_prod = m[0].clone();
    for x in &m[1..] {
        naive_prod = naive_matmul(&naive_prod.view(), &x.view());
    }
    let scale = m.iter().map(fro).product::<f64>();
    assert_close(
        &got,
        &naive_prod,
        scale,
        dims.iter().sum(),
        "multi_dot CLRS chain",
    );
}

#[test]
fn multi_dot_edge_cases() {
    let a = array![[1.0_f32, 2.0], [3.0, 4.0]];
    // one matrix: a C-order copy
    let one = multi_dot(&[a.t()]).unwrap();
    assert_eq!(one, a.t());
    assert!(one.is_standard_layout());
    // two matrices: a plain matmul
    assert_eq!(
        multi_dot(&[a.view(), a.view()]).unwrap(),
        matmul(&a, &a).unwrap()
    );
    // empty dimensions inside the chain
    let z = multi_dot(&[
        Array2::<f32>::ones((2, 0)).view(),
        Array2::<f32>::ones((0, 3)).view(),
        Array2::<f32>::ones((3, 4)).view(),
    ])
    .unwrap();
    assert_eq!(z, Array2::<f32>::zeros((2, 4)));
    assert!(matches!(
        multi_dot::<f64>(&[]),
        Err(Error::InvalidArgument {
            op: "multi_dot",
            ..
        })
    ));
    let b = Array2::<f32>::ones((3, 3));
    let err = multi_dot(&[a.view(), a.view(), b.view()]).unwrap_err();
    assert_eq!(
        err,
        Error::IncompatibleShapes {
            op: "multi_dot",
            lhs: vec![2, 2],
            rhs: vec![3, 3]
        }
    );
}

// ------------------------------------------------------------------------- matrix_power

fn naive_power<T: Scalar>(a: &Array2<T>, n: u32) -> Array2<T> {
    (0..n).fold(Array2::eye(a.nrows()), |p, _| {
        naive_matmul(&p.view(), &a.view())
    })
}

fn matrix_power_positive<T: TestScalar>() {
    let mut r = rng(11);
    for size in [1, 2, 5, 17] {
        // Scaled so that ‖a‖₂ ≲ 1 and the powers stay O(1).
        let a = random_matrix::<T>(&mut r, size, size) / T::from_f64_nearest(size as f64);
        for layout in [Layout::C, Layout::F, Layout::NegFirst, Layout::Stepped] {
            let pa = Laid::new(&a, layout);
            assert_eq!(matrix_power(&pa.view(), 0).unwrap(), Array2::<T>::eye(size));
            assert_eq!(matrix_power(&pa.view(), 1).unwrap(), a);
            for n in [2, 3, 5, 8, 13] {
                let got = matrix_power(&pa.view(), n).unwrap();
                assert!(got.is_standard_layout());
                // n − 1 products, each with inner dimension `size`.
                let k = (n as usize - 1) * size;
                // ‖a‖_F^n bounds every intermediate product's ‖X‖_F·‖Y‖_F.
                let scale = fro(&a).powi(n);
                let what = format!("matrix_power {size}x{size}^{n} {layout:?}");
                assert_close(&got, &naive_power(&a, n as u32), scale, k, &what);
            }
        }
    }
}

dtype_tests!(matrix_power_nonnegative_all_dtypes => matrix_power_positive);

#[test]
fn matrix_power_exact_and_edge_cases() {
    let shear = array![[1.0, 1.0], [0.0, 1.0]];
    assert_eq!(
        matrix_power(&shear, 5).unwrap(),
        array![[1.0, 5.0], [0.0, 1.0]]
    );
    assert_eq!(
        matrix_power(&shear, 2).unwrap(),
        array![[1.0, 2.0], [0.0, 1.0]]
    );
    // The largest exponent: 31 squarings, exact on a permutation matrix (odd power = itself).
    let swap = array![[0.0, 1.0], [1.0, 0.0]];
    assert_eq!(matrix_power(&swap, i32::MAX).unwrap(), swap);
    assert_eq!(matrix_power(&swap, 1 << 30).unwrap(), Array2::<f64>::eye(2));
    // 0×0: np.linalg.matrix_power(np.ones((0, 0)), n) has shape (0, 0)
    assert_eq!(
        matrix_power(&Array2::<f64>::zeros((0, 0)), 0)
            .unwrap()
            .dim(),
        (0, 0)
    );
    assert_eq!(
        matrix_power(&Array2::<f64>::zeros((0, 0)), 3)
            .unwrap()
            .dim(),
        (0, 0)
    );
    let err = matrix_power(&Array2::<f64>::zeros((2, 3)), 2).unwrap_err();
    assert_eq!(
        err,
        Error::NotSquare {
            op: "matrix_power",
            shape: vec![2, 3]
        }
    );
}

/// Needs `linalg::inv`.
fn matrix_power_negative_check<T: TestScalar>() {
    let mut r = rng(12);
    let n = 6;
    // Strictly diagonally dominant (|diag| ≥ 2n − √2 > Σ off-diagonal ≤ (n − 1)·√2), hence
    // well conditioned (κ ≲ 5): the inverse is accurate.
    let a = random_matrix::<T>(&mut r, n, n)
        + Array2::<T>::eye(n) * T::from_f64_nearest(2.0 * n as f64);
    for p in [1_i32, 3] {
        let neg = matrix_power(&a, -p).unwrap();
        assert!(neg.is_standard_layout());
        let pos = matrix_power(&a, p).unwrap();
        // a^-p · a^p = I; the error of the inverse is ≲ κ·n·ε and grows about p-fold.
        let prod = matmul(&neg, &pos).unwrap();
        let scale = fro(&neg) * fro(&pos);
        assert_close(
            &prod,
            &Array2::<T>::eye(n),
            scale,
            4 * p as usize * n,
            &format!("a^-{p}·a^{p}"),
        );
    }
}

dtype_tests!(matrix_power_negative => matrix_power_negative_check);

/// Needs `linalg::inv`.
#[test]
fn matrix_power_negative_singular() {
    assert!(matrix_power(&array![[1.0, 2.0], [2.0, 4.0]], -1)
        .unwrap_err()
        .is_singular());
}

// ----------------------------------------------------------------------------- proptest

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn prop_matmul_matches_naive(
        m in 0_usize..7, k in 0_usize..7, n in 0_usize..7,
        la in 0_usize..LAYOUTS.len(), lb in 0_usize..LAYOUTS.len(),
        complex in any::<bool>(), seed in any::<u64>(),
    ) {
        fn run<T: TestScalar>(m: usize, k: usize, n: usize, la: Layout, lb: Layout, seed: u64) {
            let mut r = rng(seed);
            let a = random_matrix::<T>(&mut r, m, k);
            let b = random_matrix::<T>(&mut r, k, n);
            let got = matmul(&Laid::new(&a, la).view(), &Laid::new(&b, lb).view()).unwrap();
            assert_close(&got, &naive_matmul(&a.view(), &b.view()), fro(&a) * fro(&b), k, "prop matmul");
        }
        if complex {
            run::<c64>(m, k, n, LAYOUTS[la], LAYOUTS[lb], seed);
        } else {
            run::<f64>(m, k, n, LAYOUTS[la], LAYOUTS[lb], seed);
        }
    }

    #[test]
    fn prop_batched_matmul_matches_naive(
        batch in proptest::collection::vec(1_usize..4, 0..4),
        keep_a in proptest::collection::vec(any::<bool>(), 4),
        keep_b in proptest::collection::vec(any::<bool>(), 4),
        drop_a in 0_usize..4, drop_b in 0_usize..4,
        (m, k, n) in (0_usize..5, 0_usize..5, 0_usize..5),
        vec_a in any::<bool>(), vec_b in any::<bool>(),
        la in 0_usize..LAYOUTS.len(), lb in 0_usize..LAYOUTS.len(),
        seed in any::<u64>(),
    ) {
        // Each operand takes a suffix of the batch shape, with some axes set to 1 (broadcast);
        // a vector operand has no batch axes.
        let operand = |keep: &[bool], drop: usize, rows: usize, cols: usize, vector: bool, len: usize| {
            if vector {
                return vec![len];
            }
            let start = drop.min(batch.len());
            let mut s: Vec<usize> = batch[start..]
                .iter()
                .zip(keep)
                .map(|(&d, &kept)| if kept { d } else { 1 })
                .collect();
            s.extend([rows, cols]);
            s
        };
        let sa = operand(&keep_a, drop_a, m, k, vec_a, k);
        let sb = operand(&keep_b, drop_b, k, n, vec_b, k);
        let mut r = rng(seed);
        check_batched::<f64>(&mut r, &sa, &sb, LAYOUTS[la], LAYOUTS[lb]);
    }
}
