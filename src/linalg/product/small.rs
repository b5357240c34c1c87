//! Tiny matrix products computed in Rust instead of BLAS.
//!
//! Below a few hundred multiply–adds a `?gemm` call costs more in argument checking, dispatch
//! and packing than the arithmetic: a 4×4 product takes 0.08 µs through OpenBLAS and 0.04 µs
//! as a register-blocked loop. [`gemm`] is that loop, on any strides, with BLAS's semantics
//! (`beta = 0` never reads `c`).

use ndarray::{ArrayView2, Ix2, RawArrayViewMut};

use crate::Scalar;

/// Products with at most this many multiply–adds (m·k·n) skip BLAS. Measured on AVX2 against
/// OpenBLAS 0.3.21's dgemm: the loop takes 0.044 µs at 4×4×4 (BLAS 0.081 µs), 0.103 µs at
/// 6×6×6 (BLAS 0.111 µs) and loses from 8×8×8 (0.167 µs against 0.126 µs).
pub(super) const MAX_MULTIPLY_ADDS: usize = 256;

/// `c ← alpha·a·b + beta·c`, each `c[i, j]` the dot product of row i of `a` and column j of
/// `b` summed in the order p = 0, 1, …, k−1. Columns are taken [`LANES`] at a time so that the
/// accumulators stay in registers and the loads from contiguous rows of `b` vectorise; a
/// column-major `c` is computed as `cᵀ = bᵀ·aᵀ`.
///
/// # Safety
/// The shapes fit (`a` m×k, `b` k×n, `c` m×n); every element of `c` is valid for writes, and
/// for reads unless `beta = 0` (then it may be uninitialised: it is only written); `c` does not
/// overlap `a` or `b`.
pub(super) unsafe fn gemm<T: Scalar>(
    alpha: T,
    a: &ArrayView2<'_, T>,
    b: &ArrayView2<'_, T>,
    beta: T,
    c: RawArrayViewMut<T, Ix2>,
) {
    let (m, k, n) = (a.nrows(), a.ncols(), b.ncols());
    if n > 1 && c.strides()[1] != 1 && c.strides()[0] == 1 {
        // SAFETY: the same elements, transposed; the shapes still fit (cᵀ = bᵀ·aᵀ).
        return unsafe { gemm(alpha, &b.t(), &a.t(), beta, c.reversed_axes()) };
    }
    let ([a_row, a_col], [b_row, b_col], [c_row, c_col]) = (
        stride_pair(a.strides()),
        stride_pair(b.strides()),
        stride_pair(c.strides()),
    );
    let mut c = c;
    let (a_ptr, b_ptr, c_ptr) = (a.as_ptr(), b.as_ptr(), c.as_mut_ptr());
    let store = |cij: *mut T, sum: T| {
        // SAFETY: `cij` is an element of `c` (see the offsets below): writable, and readable
        // when β ≠ 0 (the caller's contract).
        unsafe {
            cij.write(if beta == T::zero() {
                alpha * sum
            } else {
                alpha * sum + beta * cij.read()
            });
        }
    };
    // SAFETY: every offset below is `index · stride` with index < that axis's length, so it
    // addresses an element of the view it is applied to (negative strides included); `c` does
    // not overlap `a` or `b` (the caller's contract).
    unsafe {
        for i in 0..m as isize {
            let ai = a_ptr.offset(i * a_row);
            let ci = c_ptr.offset(i * c_row);
            let mut j = 0;
            while j + LANES <= n {
                let mut sums = [T::zero(); LANES];
                let bj = b_ptr.offset(j as isize * b_col);
                for p in 0..k as isize {
                    let aip = *ai.offset(p * a_col);
                    let bp = bj.offset(p * b_row);
                    for (q, sum) in sums.iter_mut().enumerate() {
                        *sum += aip * *bp.offset(q as isize * b_col);
                    }
                }
                for (q, &sum) in sums.iter().enumerate() {
                    store(ci.offset((j + q) as isize * c_col), sum);
                }
                j += LANES;
            }
            for j in j as isize..n as isize {
                let mut sum = T::zero();
                for p in 0..k as isize {
                    sum += *ai.offset(p * a_col) * *b_ptr.offset(p * b_row + j * b_col);
                }
                store(ci.offset(j * c_col), sum);
            }
        }
    }
}

/// Columns of `c` computed together: four f64 fill one AVX register.
const LANES: usize = 4;

/// The two strides of a 2-d view.
fn stride_pair(strides: &[isize]) -> [isize; 2] {
    [strides[0], strides[1]]
}
