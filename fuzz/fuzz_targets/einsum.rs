//! Arbitrary bytes as an einsum spec, with small random shapes and layouts: einsum and
//! einsum_path must return (Ok or Err) without panicking or hanging.
//!
//! Input layout: byte 0 = operand count (1–3), dtype and size class; then per operand one byte
//! of dimensionality/layout and up to four bytes of axis lengths; the rest is the spec. Size
//! class 0: up to 3 operands of up to 4 axes of length 0–3; class 1 (bit 6): up to 2 operands
//! of up to 3 axes of length 0–15, large enough for the BLAS paths.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ndarray::{ArrayD, ArrayViewD, IxDyn, Slice};

fn run<T: ndkit::Scalar>(spec: &str, shapes: &[Vec<usize>], layouts: &[u8]) {
    let arrays: Vec<ArrayD<T>> = shapes
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut k = i as f64;
            ArrayD::from_shape_simple_fn(IxDyn(s), || {
                k += 0.5;
                T::from_f64_nearest(k.sin())
            })
        })
        .collect();
    let views: Vec<ArrayViewD<T>> = arrays
        .iter()
        .zip(layouts)
        .map(|(a, &l)| match l % 3 {
            0 => a.view(),
            1 => a.t(),
            _ => a.slice_each_axis(|_| Slice::new(0, None, -1)),
        })
        .collect();
    let direct = ndkit::einsum(spec, &views);
    let refs: Vec<&[usize]> = views.iter().map(|v| v.shape()).collect();
    match ndkit::einsum::einsum_path(spec, &refs) {
        Ok(path) => {
            let _ = path.to_string();
            let again = path.execute(&views);
            assert_eq!(direct.is_ok(), again.is_ok(), "{spec} {refs:?}");
            if let (Ok(x), Ok(y)) = (&direct, &again) {
                assert_eq!(x.shape(), y.shape());
            }
        }
        Err(e) => assert!(
            direct.is_err(),
            "{spec} {refs:?}: path failed ({e}) but einsum did not"
        ),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&head, mut rest)) = data.split_first() else {
        return;
    };
    let large = head & 0x40 != 0;
    let count = if large {
        1 + (head % 2)
    } else {
        1 + (head % 3)
    } as usize;
    let (max_nd, max_len) = if large { (4, 16) } else { (5, 4) };
    let mut shapes = Vec::new();
    let mut layouts = Vec::new();
    for _ in 0..count {
        let Some((&d, r)) = rest.split_first() else {
            return;
        };
        rest = r;
        let nd = (d % max_nd) as usize;
        if rest.len() < nd {
            return;
        }
        shapes.push(
            rest[..nd]
                .iter()
                .map(|&b| (b % 4) as usize)
                .collect::<Vec<_>>(),
        );
        layouts.push(d / 5);
        rest = &rest[nd..];
    }
    let spec = String::from_utf8_lossy(rest);
    if head & 0x80 != 0 {
        run::<ndkit::c32>(&spec, &shapes, &layouts);
    } else {
        run::<f64>(&spec, &shapes, &layouts);
    }
});
