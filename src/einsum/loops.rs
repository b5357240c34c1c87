//! Strided loops: single-operand reductions (sums, traces, diagonals, permutations) and small
//! products, straight over the operands' memory with no intermediate.
//!
//! The index space is walked by an odometer over every axis but the innermost, which runs as
//! a tight loop: a sum or dot product (with four partial sums on contiguous data) when the
//! result does not move along it, a vectorisable multiply-add over slices when it is
//! contiguous. Axes are ordered so the innermost has the smallest strides.

use crate::Scalar;

use super::exec::{Sizes, Tensor};
use super::parse::{labels_of, Mask};

/// One loop axis: its length and the strides of the `K` tensors along it.
#[derive(Clone, Copy)]
pub(crate) struct Axis<const K: usize> {
    pub len: usize,
    pub strides: [isize; K],
}

/// The loop axes over the labels in `m`, strides taken from `tensors`, ordered so the axis
/// with the smallest total |stride| comes last (innermost); axes of length 1 are left out.
pub(crate) fn loop_axes<T, const K: usize>(
    m: Mask,
    tensors: [&Tensor<T>; K],
    sizes: &Sizes,
) -> Vec<Axis<K>> {
    let mut axes: Vec<Axis<K>> = labels_of(m)
        .filter(|&l| sizes[l as usize] != 1)
        .map(|l| Axis {
            len: sizes[l as usize],
            strides: tensors.map(|t| t.stride(l)),
        })
        .collect();
    let weight = |a: &Axis<K>| a.strides.iter().map(|s| s.unsigned_abs()).sum::<usize>();
    // Insertion sort by decreasing weight: there are few axes, and it is stable.
    for i in 1..axes.len() {
        let mut j = i;
        while j > 0 && weight(&axes[j - 1]) < weight(&axes[j]) {
            axes.swap(j - 1, j);
            j -= 1;
        }
    }
    axes
}

/// Calls `inner(offsets, innermost)` once per position of all axes but the innermost, with
/// the element offsets of that position in each tensor. No axis may have length 0.
pub(crate) fn for_each_outer<const K: usize>(
    axes: &[Axis<K>],
    mut inner: impl FnMut([isize; K], Option<&Axis<K>>),
) {
    let Some((last, outer)) = axes.split_last() else {
        inner([0; K], None);
        return;
    };
    let mut idx = vec![0_usize; outer.len()];
    let mut off = [0_isize; K];
    loop {
        inner(off, Some(last));
        let mut ax = outer.len();
        loop {
            if ax == 0 {
                return;
            }
            ax -= 1;
            let a = &outer[ax];
            idx[ax] += 1;
            if idx[ax] < a.len {
                (0..K).for_each(|k| off[k] += a.strides[k]);
                break;
            }
            idx[ax] = 0;
            (0..K).for_each(|k| off[k] -= a.strides[k] * (a.len as isize - 1));
        }
    }
}

/// `dst += Σ src` over the labels of `src` missing from `dst` (a sum, trace, diagonal or
/// permutation); labels of `dst` missing from `src` repeat it (broadcast).
///
/// # Safety
/// `src` and `dst` must address valid elements for every index within `sizes`, `dst`
/// writable and not overlapping `src`, and no label may have size 0.
pub(crate) unsafe fn reduce<T: Scalar>(src: &Tensor<T>, dst: &Tensor<T>, sizes: &Sizes) {
    let axes = loop_axes(src.mask() | dst.mask(), [dst, src], sizes);
    let (d, s) = (dst.ptr as *mut T, src.ptr);
    for_each_outer(&axes, |[od, os], last| {
        // SAFETY: the offsets and strides address elements inside both tensors (caller).
        unsafe {
            let (d, s) = (d.offset(od), s.offset(os));
            match last {
                None => *d += *s,
                Some(ax) => {
                    let [sd, ss] = ax.strides;
                    if sd == 0 {
                        *d += sum(s, ss, ax.len);
                    } else {
                        for i in 0..ax.len as isize {
                            *d.offset(i * sd) += *s.offset(i * ss);
                        }
                    }
                }
            }
        }
    });
}

/// `c += Σ a·b` over every label, by one strided loop (small products).
///
/// # Safety
/// As for [`reduce`], for `a`, `b` (read) and `c` (written, overlapping neither).
pub(crate) unsafe fn product_loop<T: Scalar>(
    a: &Tensor<T>,
    b: &Tensor<T>,
    c: &Tensor<T>,
    sizes: &Sizes,
) {
    let all = a.mask() | b.mask() | c.mask();
    let axes = loop_axes(all, [c, a, b], sizes);
    let (pc, pa, pb) = (c.ptr as *mut T, a.ptr, b.ptr);
    for_each_outer(&axes, |[oc, oa, ob], last| {
        // SAFETY: the offsets and strides address elements inside the tensors (caller).
        unsafe {
            let (pc, pa, pb) = (pc.offset(oc), pa.offset(oa), pb.offset(ob));
            match last {
                None => *pc += *pa * *pb,
                Some(ax) => {
                    let [sc, sa, sb] = ax.strides;
                    if sc == 0 {
                        *pc += dot(pa, sa, pb, sb, ax.len);
                    } else {
                        multiply_add(ax.len, (pc, sc), (pa, sa), (pb, sb));
                    }
                }
            }
        }
    });
}

/// `c[i·sc] += a[i·sa]·b[i·sb]` for `i < n`, on slices (so it vectorises) when `c` is
/// contiguous and each operand contiguous or constant (stride 0).
///
/// # Safety
/// The `n` elements of each must be valid, `c`'s writable and overlapping neither `a` nor `b`.
unsafe fn multiply_add<T: Scalar>(
    n: usize,
    (c, sc): (*mut T, isize),
    (a, sa): (*const T, isize),
    (b, sb): (*const T, isize),
) {
    // SAFETY: (all blocks) the caller's guarantee; a slice is formed only over the n
    // contiguous elements of a tensor whose stride is 1.
    unsafe {
        if sc == 1 && (sa == 0 || sa == 1) && (sb == 0 || sb == 1) {
            let c = std::slice::from_raw_parts_mut(c, n);
            match (sa, sb) {
                (0, 0) => {
                    let v = *a * *b;
                    c.iter_mut().for_each(|x| *x += v);
                }
                (0, _) => {
                    let (v, b) = (*a, std::slice::from_raw_parts(b, n));
                    c.iter_mut().zip(b).for_each(|(x, &y)| *x += v * y);
                }
                (_, 0) => {
                    let (v, a) = (*b, std::slice::from_raw_parts(a, n));
                    c.iter_mut().zip(a).for_each(|(x, &y)| *x += y * v);
                }
                _ => {
                    let (a, b) = (
                        std::slice::from_raw_parts(a, n),
                        std::slice::from_raw_parts(b, n),
                    );
                    c.iter_mut()
                        .zip(a.iter().zip(b))
                        .for_each(|(x, (&y, &z))| *x += y * z);
                }
            }
            return;
        }
        for i in 0..n as isize {
            *c.offset(i * sc) += *a.offset(i * sa) * *b.offset(i * sb);
        }
    }
}

/// `Σ x[i·s]` for `i < n`, with four partial sums on contiguous data.
///
/// # Safety
/// The `n` elements must be readable.
unsafe fn sum<T: Scalar>(x: *const T, s: isize, n: usize) -> T {
    if s == 1 {
        // SAFETY: n contiguous readable elements (caller).
        let x = unsafe { std::slice::from_raw_parts(x, n) };
        let mut acc = [T::zero(); 4];
        let chunks = x.chunks_exact(4);
        let tail = chunks.remainder();
        for c in chunks {
            (0..4).for_each(|j| acc[j] += c[j]);
        }
        return tail
            .iter()
            .fold((acc[0] + acc[1]) + (acc[2] + acc[3]), |t, &v| t + v);
    }
    let mut t = T::zero();
    for i in 0..n as isize {
        // SAFETY: element i is readable (caller).
        t += unsafe { *x.offset(i * s) };
    }
    t
}

/// `Σ x[i·sx]·y[i·sy]` for `i < n`, with four partial sums on contiguous data.
///
/// # Safety
/// The `n` elements of each vector must be readable.
pub(crate) unsafe fn dot<T: Scalar>(x: *const T, sx: isize, y: *const T, sy: isize, n: usize) -> T {
    if sx == 1 && sy == 1 {
        // SAFETY: n contiguous readable elements each (caller).
        let (x, y) = unsafe {
            (
                std::slice::from_raw_parts(x, n),
                std::slice::from_raw_parts(y, n),
            )
        };
        let mut acc = [T::zero(); 4];
        let (cx, cy) = (x.chunks_exact(4), y.chunks_exact(4));
        let (tx, ty) = (cx.remainder(), cy.remainder());
        for (a, b) in cx.zip(cy) {
            (0..4).for_each(|j| acc[j] += a[j] * b[j]);
        }
        let head = (acc[0] + acc[1]) + (acc[2] + acc[3]);
        return tx.iter().zip(ty).fold(head, |t, (&a, &b)| t + a * b);
    }
    let mut t = T::zero();
    for i in 0..n as isize {
        // SAFETY: element i of each vector is readable (caller).
        t += unsafe { *x.offset(i * sx) * *y.offset(i * sy) };
    }
    t
}
