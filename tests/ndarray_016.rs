//! A client on ndarray 0.16 calling ndkit through `ndkit::ndarray_016` (feature
//! `ndarray-0_16`): views of every layout (C, F, transposed, sliced with steps, negative
//! strides, broadcast) keep their elements and their addresses, ndkit's answers through them
//! equal those on contiguous copies, writes go through mutable views, and owned arrays move
//! both ways without cloning or leaking an element.

use std::rc::Rc;

use nd16::{s, ShapeBuilder};
use ndarray_016 as nd16;
use ndkit::linalg;
use ndkit::ndarray_016::{into_016, into_017, view, view_016, view_mut, view_mut_016};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

fn random16(rng: &mut StdRng, m: usize, n: usize) -> nd16::Array2<f64> {
    nd16::Array2::from_shape_simple_fn((m, n), || rng.random_range(-1.0..1.0))
}

/// How a layout views its owner.
type Viewer = fn(&nd16::Array2<f64>) -> nd16::ArrayView2<'_, f64>;

/// The same 0.16 matrix values in every layout a client can hand over, as views of owned
/// storage: (name, owner, how to view it).
fn layouts(a: &nd16::Array2<f64>) -> Vec<(&'static str, nd16::Array2<f64>, Viewer)> {
    let (m, n) = a.dim();
    let c = a.as_standard_layout().to_owned();
    let mut f = nd16::Array2::zeros((m, n).f());
    f.assign(a);
    let mut t = nd16::Array2::zeros((n, m));
    t.assign(&a.t());
    let mut rows_reversed = nd16::Array2::zeros((m, n));
    rows_reversed.assign(&a.slice(s![..;-1, ..]));
    let mut both_reversed = nd16::Array2::zeros((m, n).f());
    both_reversed.assign(&a.slice(s![..;-1, ..;-1]));
    let mut padded = nd16::Array2::zeros((2 * m, 3 * n));
    padded.slice_mut(s![..;2, ..;3]).assign(a);
    let mut padded_reversed = nd16::Array2::zeros((2 * m, 2 * n).f());
    padded_reversed.slice_mut(s![..;-2, ..;2]).assign(a);
    vec![
        ("C", c, |o| o.view()),
        ("F", f, |o| o.view()),
        ("transposed", t, |o| o.t()),
        ("rows reversed", rows_reversed, |o| o.slice(s![..;-1, ..])),
        ("both reversed, F", both_reversed, |o| {
            o.slice(s![..;-1, ..;-1])
        }),
        ("stepped", padded, |o| o.slice(s![..;2, ..;3])),
        ("stepped, negative, F", padded_reversed, |o| {
            o.slice(s![..;-2, ..;2])
        }),
    ]
}

/// Within a few ε of the largest entry, for answers of the same computation on the same
/// values in another layout (LAPACK may block differently).
fn close(x: &ndarray::ArrayView2<f64>, y: &ndarray::ArrayView2<f64>, scale: f64) -> bool {
    x.shape() == y.shape()
        && x.iter()
            .zip(y)
            .all(|(a, b)| (a - b).abs() <= 64.0 * f64::EPSILON * scale)
}

#[test]
fn views_keep_elements_and_addresses() {
    let mut rng = StdRng::seed_from_u64(16);
    for (m, n) in [(1, 1), (3, 5), (6, 4), (0, 3), (4, 0)] {
        let a = random16(&mut rng, m, n);
        for (name, owner, make) in layouts(&a) {
            let v16 = make(&owner);
            let v17 = view(&v16);
            assert_eq!(v17.shape(), v16.shape(), "{name}");
            if m * n > 0 {
                assert_eq!(v17.strides(), v16.strides(), "{name}: the layout is kept");
                assert_eq!(v17.as_ptr(), v16.as_ptr(), "{name}: no copy");
            }
            for ((i, j), &x) in v17.indexed_iter() {
                assert_eq!(x, v16[[i, j]], "{name} [{i}, {j}]");
                assert_eq!(x, a[[i, j]], "{name} [{i}, {j}]");
            }
            // And back: a 0.16 view of the 0.17 view is the original view.
            let back = view_016(&v17);
            if m * n > 0 {
                assert_eq!(back.strides(), v16.strides(), "{name}");
            }
            assert_eq!(back, v16, "{name}");
        }
    }
}

#[test]
fn ndkit_through_the_bridge_matches_contiguous_copies() {
    let mut rng = StdRng::seed_from_u64(17);
    let n = 7;
    // Diagonally dominant: well conditioned, so every layout's answer is within a few ε.
    let a = random16(&mut rng, n, n) + &(nd16::Array2::<f64>::eye(n) * n as f64);
    let b = random16(&mut rng, n, 2);
    let a17 = ndarray::Array2::from_shape_fn((n, n), |(i, j)| a[[i, j]]);
    let b17 = ndarray::Array2::from_shape_fn((n, 2), |(i, j)| b[[i, j]]);
    let x_ref = linalg::solve(&a17, &b17).unwrap();
    let s_ref = linalg::svdvals(&a17).unwrap();
    let p_ref = linalg::matmul(&a17, &a17.t()).unwrap();
    for (name, owner, make) in layouts(&a) {
        let v = make(&owner);
        let x = linalg::solve(&view(&v), &view(&b)).unwrap();
        assert!(close(&x.view(), &x_ref.view(), 1.0), "{name}: solve");
        let s = linalg::svdvals(&view(&v)).unwrap();
        assert!(
            s.iter()
                .zip(&s_ref)
                .all(|(x, y)| (x - y).abs() <= 64.0 * f64::EPSILON * s_ref[0]),
            "{name}: svdvals"
        );
        // A transposed negative-stride view as the second operand.
        let p = linalg::matmul(&view(&v), &view(&v.t())).unwrap();
        assert!(
            close(&p.view(), &p_ref.view(), 4.0 * n as f64 * n as f64),
            "{name}: matmul"
        );
        // The result goes back to the client as an owned 0.16 array, without a copy.
        let ptr = x.as_ptr();
        let x16: nd16::Array2<f64> = into_016(x);
        assert_eq!(x16.as_ptr(), ptr, "{name}");
        let residual = v.dot(&x16) - &b;
        assert!(residual.iter().all(|r| r.abs() < 1e-12), "{name}: residual");
    }
}

#[test]
fn mutable_views_write_through() {
    let mut a = nd16::Array2::<f64>::zeros((3, 4).f());
    {
        let mut flipped = a.slice_mut(s![..;-1, 1..;2]);
        let mut v = view_mut(&mut flipped);
        assert_eq!(v.shape(), &[3, 2]);
        for ((i, j), x) in v.indexed_iter_mut() {
            *x = (10 * i + j) as f64 + 1.0;
        }
    }
    // Row i of the flipped view is row 2 − i of `a`; column j is column 1 + 2j.
    for i in 0..3 {
        for j in 0..2 {
            assert_eq!(a[[2 - i, 1 + 2 * j]], (10 * i + j) as f64 + 1.0);
        }
        assert_eq!(a[[i, 0]], 0.0);
        assert_eq!(a[[i, 2]], 0.0);
    }
    // ndkit writing into a 0.16 buffer: gemm into a transposed mutable view.
    let x = ndarray::array![[1.0_f64, 2.0], [3.0, 4.0]];
    let mut c16 = nd16::Array2::<f64>::zeros((2, 2));
    linalg::gemm(
        1.0,
        &x,
        &x,
        0.0,
        &mut view_mut(&mut c16.view_mut().reversed_axes()),
    )
    .unwrap();
    assert_eq!(c16, nd16::array![[7.0, 15.0], [10.0, 22.0]]);
    // And the other direction.
    let mut y = ndarray::Array2::<f64>::zeros((2, 3));
    view_mut_016(&mut y.slice_mut(ndarray::s![.., ..;-1]))
        .assign(&nd16::array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]);
    assert_eq!(y, ndarray::array![[3.0, 2.0, 1.0], [6.0, 5.0, 4.0]]);
}

#[test]
fn broadcast_views() {
    let row = nd16::array![1.0_f64, 2.0, 3.0];
    let b = row.broadcast((4, 3)).unwrap();
    let v = view(&b);
    assert_eq!(v.strides(), &[0, 1]);
    assert_eq!(linalg::matrix_rank(&v, None).unwrap(), 1);
}

#[test]
fn owned_arrays_move_without_copy() {
    let mut rng = StdRng::seed_from_u64(18);
    let a = random16(&mut rng, 4, 5);
    for (name, owner) in [
        ("C", a.clone()),
        ("F", {
            let mut f = nd16::Array2::zeros((4, 5).f());
            f.assign(&a);
            f
        }),
    ] {
        let ptr = owner.as_ptr();
        let b = into_017(owner);
        assert_eq!(b.as_ptr(), ptr, "{name}: moved, not copied");
        assert!(
            b.indexed_iter().all(|((i, j), &x)| x == a[[i, j]]),
            "{name}"
        );
        let ptr = b.as_ptr();
        let back = into_016(b);
        assert_eq!(back.as_ptr(), ptr, "{name}");
        assert_eq!(back, a, "{name}");
    }
    // Sliced in place with negative steps: the same elements, in the same allocation.
    let mut sliced = a.clone();
    sliced.slice_collapse(s![1..;-1, ..;-2]);
    let expected = a.slice(s![1..;-1, ..;-2]).to_owned();
    let b = into_017(sliced);
    assert_eq!(b.shape(), expected.shape());
    assert!(b.indexed_iter().all(|((i, j), &x)| x == expected[[i, j]]));
    // Other dimensionalities, empty arrays.
    let cube =
        nd16::Array3::<f64>::from_shape_fn((2, 3, 4), |(i, j, k)| (100 * i + 10 * j + k) as f64);
    let dynamic = into_017(cube.clone().into_dyn().permuted_axes(vec![2, 0, 1]));
    assert_eq!(dynamic.shape(), &[4, 2, 3]);
    assert_eq!(dynamic[[3, 1, 2]], cube[[1, 2, 3]]);
    let scalar = into_017(nd16::arr0(2.5_f64));
    assert_eq!(scalar[()], 2.5);
    let empty = into_017(nd16::Array2::<f64>::zeros((0, 4)).slice_move(s![.., ..;-1]));
    assert_eq!(empty.shape(), &[0, 4]);
    assert_eq!(
        linalg::matmul(&empty, &ndarray::Array2::zeros((4, 2)))
            .unwrap()
            .shape(),
        &[0, 2]
    );
}

#[test]
fn owned_arrays_drop_each_element_once() {
    // Elements that are not Copy: every one is dropped exactly once, the ones the slice
    // left out at conversion, the others with the converted array.
    let items: Vec<Rc<()>> = (0..12).map(|_| Rc::new(())).collect();
    let mut a = nd16::Array2::from_shape_vec((3, 4), items.clone()).unwrap();
    a.slice_collapse(s![1.., ..;-3]);
    let b = into_017(a);
    assert_eq!(b.shape(), &[2, 2]);
    assert!(Rc::ptr_eq(&b[[0, 0]], &items[7]));
    assert!(Rc::ptr_eq(&b[[1, 1]], &items[8]));
    let back = into_016(b);
    assert!(Rc::ptr_eq(&back[[1, 0]], &items[11]));
    assert!(items.iter().all(|item| Rc::strong_count(item) >= 1));
    drop(back);
    assert!(
        items.iter().all(|item| Rc::strong_count(item) == 1),
        "leaked or double-dropped"
    );
}
