//! Execution: strided tensors over the operands' memory, and the pairwise contraction as one
//! BLAS call per batch element (small contractions and single operands run as the strided
//! loops of `loops.rs`).
//!
//! | case of a pairwise contraction | f32 | f64 | c32 | c64 |
//! |---|---|---|---|---|
//! | matrix × matrix | `sgemm` | `dgemm` | `cgemm` | `zgemm` |
//! | matrix × vector, vector × matrix | `sgemv` | `dgemv` | `cgemv` | `zgemv` |
//! | vector · vector (≥ 32 terms) | `sdot` | `ddot` | `cdotu` | `zdotu` |
//!
//! A [`Tensor`] is a pointer with one stride per label (the lengths come from the bound label
//! sizes). Operands are bound as tensors without copying: a repeated index becomes one axis
//! whose stride is the sum of the repeated axes' strides (a diagonal), a size-1 axis broadcast
//! against a larger size is dropped.
//!
//! A pairwise contraction classifies its labels into batch (in both operands and the result),
//! contracted (in both, not in the result), left-free and right-free. When the left-free
//! labels of `a` and of the result merge into one strided axis each (likewise the contracted
//! and right-free ones) and each matrix has a unit stride, every batch element is one
//! `?gemm` (or `?gemv` / `?dot` when a side is a vector) directly on the operands' memory,
//! with transpose flags instead of copies. An operand that does not fit is copied once into a
//! layout that does; so is the result.

use crate::kernels::Trans;
use crate::layout::{blas_layout, lapack_int};
use crate::{Error, Result, Scalar};

use super::loops::{dot, for_each_outer, loop_axes, product_loop, reduce};
use super::parse::{bit, labels_of, Labels, Mask, OpMap, DROPPED, MAX_LABELS};

const OP: &str = "einsum";

/// Contractions whose whole index space has at most this many points run as one strided loop:
/// below it a BLAS call's fixed cost (argument checks, dispatch, packing) exceeds the work.
const SMALL_PRODUCT: usize = 512;
/// Per batch element, a GEMM of fewer than this many multiply-adds loses to the strided loop.
const MIN_GEMM_WORK: usize = 128;
/// Free axes that do not merge are looped over (rather than copied) only while each GEMM keeps
/// at least this many multiply-adds (16³): below, one copy and one large GEMM are cheaper.
const MIN_PEELED_GEMM: usize = 4096;
/// A dot product shorter than this is summed inline rather than through BLAS `?dot`.
const MIN_BLAS_DOT: usize = 32;

/// Label sizes, indexed by label.
pub(crate) type Sizes = [usize; MAX_LABELS];

/// A strided tensor: `ptr` plus, for each of `labels`, a stride in elements.
#[derive(Clone, Copy)]
pub(crate) struct Tensor<T> {
    pub ptr: *const T,
    pub labels: Labels,
    pub strides: [isize; MAX_LABELS],
}

impl<T> Tensor<T> {
    /// The operand `ptr`/`strides` (an `ArrayViewD`'s) seen through its label map.
    pub(crate) fn bind(ptr: *const T, strides: &[isize], map: &OpMap) -> Self {
        let mut t = Tensor {
            ptr,
            labels: map.labels,
            strides: [0; MAX_LABELS],
        };
        for (axis, &s) in strides.iter().enumerate().take(map.ndim as usize) {
            let slot = map.slot[axis];
            if slot != DROPPED {
                t.strides[slot as usize] += s;
            }
        }
        t
    }

    pub(crate) fn mask(&self) -> Mask {
        self.labels.mask()
    }

    /// The stride of label `l` (0 when the tensor lacks it: broadcast).
    pub(crate) fn stride(&self, l: u8) -> isize {
        self.labels.position(l).map_or(0, |p| self.strides[p])
    }
}

/// An owned, zero-initialised C-order buffer with its labels.
pub(crate) struct Buffer<T> {
    pub data: Vec<T>,
    pub labels: Labels,
}

impl<T: Scalar> Buffer<T> {
    /// A zeroed buffer with `labels` in C order, or an error when it would not fit in memory.
    pub(crate) fn zeros(labels: Labels, sizes: &Sizes) -> Result<Self> {
        let shape: Vec<usize> = labels
            .as_slice()
            .iter()
            .map(|&l| sizes[l as usize])
            .collect();
        let len = checked_len::<T>(&shape)?;
        Ok(Buffer {
            data: vec![T::zero(); len],
            labels,
        })
    }

    /// The buffer as a tensor (C-order strides).
    pub(crate) fn tensor(&self, sizes: &Sizes) -> Tensor<T> {
        c_order(self.data.as_ptr(), self.labels, sizes)
    }
}

/// A tensor over `ptr` with `labels` laid out in C order.
pub(crate) fn c_order<T>(ptr: *const T, labels: Labels, sizes: &Sizes) -> Tensor<T> {
    let mut t = Tensor {
        ptr,
        labels,
        strides: [0; MAX_LABELS],
    };
    let mut s = 1_isize;
    for (p, &l) in labels.as_slice().iter().enumerate().rev() {
        t.strides[p] = s;
        s = s.wrapping_mul(sizes[l as usize] as isize);
    }
    t
}

/// The element count of `shape`, or an error when its bytes would exceed `isize::MAX`.
pub(crate) fn checked_len<T>(shape: &[usize]) -> Result<usize> {
    let len = shape.iter().try_fold(1_usize, |acc, &d| acc.checked_mul(d));
    match len.filter(|&n| {
        n.checked_mul(std::mem::size_of::<T>())
            .is_some_and(|b| b <= isize::MAX as usize)
    }) {
        Some(n) => Ok(n),
        None => Err(Error::InvalidArgument {
            op: OP,
            message: format!("an array of shape {shape:?} is too large to allocate"),
        }),
    }
}

/// The product of the sizes of the labels in `m` (saturating).
pub(crate) fn size_of(m: Mask, sizes: &Sizes) -> usize {
    labels_of(m).fold(1_usize, |acc, l| acc.saturating_mul(sizes[l as usize]))
}

// ---------------------------------------------------------------------------- pairwise

/// The labels of `t` in `m`, outermost first: by decreasing |stride|, ties in `t`'s order (so
/// a C-order tensor gives its own label order).
fn order<T>(t: &Tensor<T>, m: Mask) -> Labels {
    let mut out = Labels::new();
    let key = |l: u8| t.stride(l).unsigned_abs();
    for &l in t.labels.as_slice() {
        if m & bit(l) != 0 {
            // Insertion sort as the labels arrive: stable, allocation-free; there are few.
            out.push(l);
            let mut j = out.len() - 1;
            while j > 0 && key(out.as_slice()[j - 1]) < key(l) {
                out.swap(j, j - 1);
                j -= 1;
            }
        }
    }
    out
}

/// The axes `ord` of `t` (outermost first) merged into one: `(length, stride)`, or `None`
/// when their strides do not form a single arithmetic progression.
fn merge<T>(t: &Tensor<T>, ord: &Labels, sizes: &Sizes) -> Option<(usize, isize)> {
    let (mut len, mut stride) = (1_usize, 0_isize);
    for &l in ord.as_slice().iter().rev() {
        let n = sizes[l as usize];
        if n == 1 {
            continue;
        }
        let s = t.stride(l);
        if len == 1 {
            stride = s;
        } else if Some(s) != stride.checked_mul(len as isize) {
            return None;
        }
        len = len.checked_mul(n)?;
    }
    Some((len, stride))
}

/// A strided matrix as BLAS takes it: `op(buffer)` is the matrix, `buffer` column-major with
/// leading dimension `ld`.
#[derive(Clone, Copy)]
struct Mat {
    rows: usize,
    cols: usize,
    /// Stride between consecutive rows and columns.
    rs: isize,
    cs: isize,
    trans: Trans,
    ld: i32,
}

/// `rows × cols` with strides `(rs, cs)` as a BLAS matrix, or `None` when it needs a copy
/// ([`blas_layout`]'s rule).
fn blas_mat(rows: usize, rs: isize, cols: usize, cs: isize) -> Option<Mat> {
    let (trans, ld) = blas_layout(rows, rs, cols, cs)?;
    Some(Mat {
        rows,
        cols,
        rs,
        cs,
        trans,
        ld,
    })
}

/// The matrix of `t` with row labels `r` and column labels `c` (merged), if BLAS takes it.
fn matrix<T>(t: &Tensor<T>, r: &Labels, c: &Labels, sizes: &Sizes) -> Option<Mat> {
    let (rows, rs) = merge(t, r, sizes)?;
    let (cols, cs) = merge(t, c, sizes)?;
    blas_mat(rows, rs, cols, cs)
}

/// `x ++ y ++ z`.
fn concat(x: &Labels, y: &Labels, z: &Labels) -> Labels {
    let mut out = *x;
    y.as_slice()
        .iter()
        .chain(z.as_slice())
        .for_each(|&l| out.push(l));
    out
}

/// The labels of `x` that `t` has, in `x`'s order.
fn only<T>(x: &Labels, t: &Tensor<T>) -> Labels {
    let mut out = Labels::new();
    let m = t.mask();
    x.as_slice()
        .iter()
        .filter(|&&l| m & bit(l) != 0)
        .for_each(|&l| out.push(l));
    out
}

/// Moves the outermost labels of `ord` to the loop labels `bat` until the rest merges into
/// one axis in both `tensors` — if that leaves a GEMM of at least [`MIN_PEELED_GEMM`]
/// multiply-adds per loop (`other` is the product of the GEMM's other two dimensions).
fn peel<T>(
    bat: &mut Labels,
    ord: &mut Labels,
    tensors: [&Tensor<T>; 2],
    other: usize,
    sizes: &Sizes,
) {
    let ls = ord.as_slice();
    let rest = |start: usize| {
        let mut r = Labels::new();
        ls[start..].iter().for_each(|&l| r.push(l));
        r
    };
    let merges = |r: &Labels| tensors.iter().all(|t| merge(t, r, sizes).is_some());
    let Some(start) = (0..ls.len().max(1)).find(|&s| merges(&rest(s))) else {
        return;
    };
    let kept = rest(start);
    if start > 0 && size_of(kept.mask(), sizes).saturating_mul(other) >= MIN_PEELED_GEMM {
        ls[..start].iter().for_each(|&l| bat.push(l));
        *ord = kept;
    }
}

/// The vector increment of a BLAS matrix with one dimension of length 1.
fn inc(m: &Mat) -> i32 {
    let (len, s) = if m.rows > 1 {
        (m.rows, m.rs)
    } else {
        (m.cols, m.cs)
    };
    if len > 1 {
        // blas_mat guarantees a positive stride fitting i32 along a dimension longer than 1.
        i32::try_from(s).unwrap_or(1)
    } else {
        1
    }
}

fn flip(t: Trans) -> Trans {
    match t {
        Trans::No => Trans::Yes,
        _ => Trans::No,
    }
}

/// `t` summed over the labels in `m`, into a new buffer.
///
/// # Safety
/// As for [`reduce`].
unsafe fn sum_out<T: Scalar>(t: &Tensor<T>, m: Mask, sizes: &Sizes) -> Result<Buffer<T>> {
    let mut labels = Labels::new();
    t.labels
        .as_slice()
        .iter()
        .filter(|&&l| m & bit(l) == 0)
        .for_each(|&l| labels.push(l));
    let buf = Buffer::zeros(labels, sizes)?;
    // SAFETY: `buf` is a fresh buffer of exactly its labels' sizes; the caller vouches for `t`.
    unsafe { reduce(t, &buf.tensor(sizes), sizes) };
    Ok(buf)
}

/// `t` copied into a new C-order buffer with the labels in order `labels`.
///
/// # Safety
/// As for [`reduce`].
unsafe fn relayout<T: Scalar>(t: &Tensor<T>, labels: Labels, sizes: &Sizes) -> Result<Buffer<T>> {
    let buf = Buffer::zeros(labels, sizes)?;
    // SAFETY: as in `sum_out`.
    unsafe { reduce(t, &buf.tensor(sizes), sizes) };
    Ok(buf)
}

/// The label order of an intermediate result of contracting `a` and `b` into the labels
/// `keep`: batch labels, then `a`'s free labels, then `b`'s, each in its operand's memory
/// order — the layout the GEMM writes without a copy.
pub(crate) fn intermediate_labels<T>(a: &Tensor<T>, b: &Tensor<T>, keep: Mask) -> Labels {
    let (ma, mb) = (a.mask(), b.mask());
    concat(
        &order(a, ma & mb & keep),
        &order(a, ma & !mb & keep),
        &order(b, mb & !ma & keep),
    )
}

/// What the result buffer of [`contract`] holds on entry.
#[derive(Clone, Copy)]
pub(crate) enum Dest {
    /// Zeros.
    Zeroed,
    /// Fresh memory: a contiguous run of this many elements, never read before written.
    /// The in-place GEMM path overwrites it (β = 0), as NumPy fills an `np.empty` result;
    /// the accumulating paths zero it first.
    Uninit(usize),
}

impl Dest {
    /// Makes an uninitialised destination hold zeros before a path accumulates into it.
    ///
    /// # Safety
    /// For `Uninit(len)`, `c.ptr` must address `len` writable contiguous elements.
    unsafe fn zero<T: Scalar>(self, c: &Tensor<T>) {
        if let Dest::Uninit(len) = self {
            // SAFETY: the caller's guarantee; all-zero bits are 0 for floats and complex.
            unsafe { std::ptr::write_bytes(c.ptr as *mut T, 0, len) };
        }
    }
}

/// [`product_loop`] into `c`, zeroed first when `dest` says it holds no zeros yet.
///
/// # Safety
/// As for [`contract`].
unsafe fn loop_into<T: Scalar>(
    a: &Tensor<T>,
    b: &Tensor<T>,
    c: &Tensor<T>,
    dest: Dest,
    sizes: &Sizes,
) {
    // SAFETY: forwarded from the caller.
    unsafe {
        dest.zero(c);
        product_loop(a, b, c, sizes)
    }
}

/// `c = Σ a·b` over the labels not in `c`: the pairwise contraction.
///
/// # Safety
/// `a` and `b` must address valid elements for every index within `sizes`, `c` writable
/// elements not overlapping them; `c`'s labels must all be in `a` or `b`, no label may have
/// size 0, and `c` must be as `dest` says.
pub(crate) unsafe fn contract<T: Scalar>(
    a: &Tensor<T>,
    b: &Tensor<T>,
    c: &Tensor<T>,
    dest: Dest,
    sizes: &Sizes,
) -> Result<()> {
    let (ma, mb, mc) = (a.mask(), b.mask(), c.mask());
    debug_assert_eq!(mc & !(ma | mb), 0);
    if size_of(ma | mb | mc, sizes) <= SMALL_PRODUCT {
        // SAFETY: forwarded from the caller.
        unsafe { loop_into(a, b, c, dest, sizes) };
        return Ok(());
    }
    // Labels only one operand has and the result lacks are summed out first.
    let (ra, rb) = (ma & !mb & !mc, mb & !ma & !mc);
    let a_sum = if ra != 0 {
        // SAFETY: forwarded from the caller.
        Some(unsafe { sum_out(a, ra, sizes)? })
    } else {
        None
    };
    let b_sum = if rb != 0 {
        // SAFETY: forwarded from the caller.
        Some(unsafe { sum_out(b, rb, sizes)? })
    } else {
        None
    };
    // (Tensors are large; the holders avoid copying the caller's.)
    let (a_hold, b_hold);
    let a = match &a_sum {
        Some(x) => {
            a_hold = x.tensor(sizes);
            &a_hold
        }
        None => a,
    };
    let b = match &b_sum {
        Some(x) => {
            b_hold = x.tensor(sizes);
            &b_hold
        }
        None => b,
    };
    let (ma, mb) = (ma & !ra, mb & !rb);
    let (batch, k) = (ma & mb & mc, ma & mb & !mc);
    let (m, n) = (ma & !mb, mb & !ma);
    let (ml, nl, kl) = (size_of(m, sizes), size_of(n, sizes), size_of(k, sizes));
    let work = ml.saturating_mul(nl).saturating_mul(kl);
    if work < MIN_GEMM_WORK && !(ml == 1 && nl == 1 && kl >= MIN_BLAS_DOT) {
        // SAFETY: forwarded from the caller; `a` and `b` are the operands or their sums.
        unsafe { loop_into(a, b, c, dest, sizes) };
        return Ok(());
    }

    // Free axes that do not merge into one matrix axis (e.g. a `...` axis broadcast in one
    // operand) become loop axes, like batch axes, while the GEMM left per loop stays large.
    let mut bat = order(c, batch);
    let (mut m_ord, mut n_ord) = (order(c, m), order(c, n));
    peel(&mut bat, &mut m_ord, [c, a], nl.saturating_mul(kl), sizes);
    let ml = size_of(m_ord.mask(), sizes);
    peel(&mut bat, &mut n_ord, [c, b], ml.saturating_mul(kl), sizes);
    let nl = size_of(n_ord.mask(), sizes);
    let dims = Dims {
        m: lapack_int(OP, ml)?,
        n: lapack_int(OP, nl)?,
        k: lapack_int(OP, kl)?,
    };
    // The result: written in place when its free axes merge into a BLAS matrix, else
    // through a temporary laid out for the GEMM and copied once.
    let mut c_tmp = None;
    if matrix(c, &m_ord, &n_ord, sizes).is_none() {
        m_ord = order(a, m_ord.mask());
        n_ord = order(b, n_ord.mask());
        c_tmp = Some(Buffer::zeros(concat(&bat, &m_ord, &n_ord), sizes)?);
    }
    let c_hold;
    let c_t = match &c_tmp {
        Some(x) => {
            c_hold = x.tensor(sizes);
            &c_hold
        }
        None => c,
    };
    // The contracted axes: in `a`'s or `b`'s memory order, whichever needs fewer copies.
    let (ka, kb) = (order(a, k), order(b, k));
    let score = |ko: &Labels| {
        let ok_a = matrix(a, &m_ord, ko, sizes).is_some();
        let ok_b = matrix(b, ko, &n_ord, sizes).is_some();
        (ok_a as u8 + ok_b as u8, ok_a)
    };
    let k_ord = if score(&kb) > score(&ka) { &kb } else { &ka };
    let (a_copy, b_copy, a2_hold, b2_hold);
    let a = match matrix(a, &m_ord, k_ord, sizes) {
        Some(_) => a,
        None => {
            // SAFETY: forwarded from the caller.
            a_copy = unsafe { relayout(a, concat(&only(&bat, a), &m_ord, k_ord), sizes)? };
            a2_hold = a_copy.tensor(sizes);
            &a2_hold
        }
    };
    let b = match matrix(b, k_ord, &n_ord, sizes) {
        Some(_) => b,
        None => {
            // SAFETY: forwarded from the caller.
            b_copy = unsafe { relayout(b, concat(&only(&bat, b), k_ord, &n_ord), sizes)? };
            b2_hold = b_copy.tensor(sizes);
            &b2_hold
        }
    };
    let mats = (
        matrix(a, &m_ord, k_ord, sizes),
        matrix(b, k_ord, &n_ord, sizes),
        matrix(c_t, &m_ord, &n_ord, sizes),
    );
    let (Some(am), Some(bm), Some(cm)) = mats else {
        // Unreachable: the copies are C-order, which always merges. Stay correct regardless.
        // SAFETY: forwarded from the caller.
        unsafe { loop_into(a, b, c, dest, sizes) };
        return Ok(());
    };

    let axes = loop_axes(bat.mask(), [c_t, a, b], sizes);
    let (pc, pa, pb) = (c_t.ptr as *mut T, a.ptr, b.ptr);
    for_each_outer(&axes, |[oc, oa, ob], last| {
        let (len, [sc, sa, sb]) = last.map_or((1, [0; 3]), |ax| (ax.len, ax.strides));
        for i in 0..len as isize {
            // SAFETY: the batch offsets address one matrix of each tensor; `am`, `bm`, `cm`
            // describe those matrices with the tensors' own strides (checked by `blas_mat`),
            // and `c_t` is the caller's `c` or a fresh buffer, overlapping neither operand.
            unsafe {
                gemm_one(
                    &dims,
                    (pa.offset(oa + i * sa), &am),
                    (pb.offset(ob + i * sb), &bm),
                    (pc.offset(oc + i * sc), &cm),
                )
            };
        }
    });
    if let Some(tmp) = &c_tmp {
        // SAFETY: `tmp` holds exactly `c`'s labels; `c` is the caller's writable result.
        unsafe {
            dest.zero(c);
            reduce(&tmp.tensor(sizes), c, sizes)
        };
    }
    Ok(())
}

/// BLAS dimensions of one product: `c (m×n) = a (m×k) · b (k×n)`.
struct Dims {
    m: i32,
    n: i32,
    k: i32,
}

/// One product `c = a·b` by `?dot`, `?gemv` or `?gemm`.
///
/// # Safety
/// Each pointer must address the matrix its `Mat` describes (strides as BLAS takes them,
/// all dimensions ≥ 1), `c` writable and overlapping neither `a` nor `b`.
unsafe fn gemm_one<T: Scalar>(
    d: &Dims,
    (pa, am): (*const T, &Mat),
    (pb, bm): (*const T, &Mat),
    (pc, cm): (*mut T, &Mat),
) {
    let (one, zero) = (T::one(), T::zero());
    // SAFETY: (all calls) the caller's guarantee, with BLAS's conventions — a buffer with
    // trans No is rows×cols with ld ≥ rows, with trans Yes cols×rows with ld ≥ cols; vector
    // increments are the positive strides along the dimension longer than 1.
    unsafe {
        if d.m == 1 && d.n == 1 {
            let (ia, ib) = (inc(am), inc(bm));
            // OpenBLAS 0.3.21's Haswell/Zen `cdotu`/`zdotu` kernels read past the end of a
            // vector with a non-unit increment (valgrind: invalid reads; segfaults when the
            // buffer ends a mapping), so strided complex dot products are summed here. Its
            // `cgemv_n`/`zgemv_n` kernels read past the end of `x` likewise, so complex
            // matrix–vector products go through `?gemm` (below) instead.
            let blas_safe = !T::IS_COMPLEX || (ia == 1 && ib == 1);
            *pc = if (d.k as usize) < MIN_BLAS_DOT || !blas_safe {
                dot(pa, am.cs, pb, bm.rs, d.k as usize)
            } else {
                T::dotu(d.k, pa, ia, pb, ib)
            };
        } else if d.n == 1 && !T::IS_COMPLEX {
            // c = A·b: A's buffer is m×k (No) or k×m (Yes).
            let (r, cl) = if am.trans == Trans::No {
                (d.m, d.k)
            } else {
                (d.k, d.m)
            };
            T::gemv(
                am.trans,
                r,
                cl,
                one,
                pa,
                am.ld,
                pb,
                inc(bm),
                zero,
                pc,
                inc(cm),
            );
        } else if d.m == 1 && !T::IS_COMPLEX {
            // c = Bᵀ·a: B's buffer is k×n (No, so transpose it) or n×k (Yes).
            let (r, cl) = if bm.trans == Trans::No {
                (d.k, d.n)
            } else {
                (d.n, d.k)
            };
            T::gemv(
                flip(bm.trans),
                r,
                cl,
                one,
                pb,
                bm.ld,
                pa,
                inc(am),
                zero,
                pc,
                inc(cm),
            );
        } else if cm.trans == Trans::No {
            T::gemm(
                am.trans, bm.trans, d.m, d.n, d.k, one, pa, am.ld, pb, bm.ld, zero, pc, cm.ld,
            );
        } else {
            // Row-major c: cᵀ = bᵀ·aᵀ into the column-major buffer cᵀ.
            T::gemm(
                flip(bm.trans),
                flip(am.trans),
                d.n,
                d.m,
                d.k,
                one,
                pb,
                bm.ld,
                pa,
                am.ld,
                zero,
                pc,
                cm.ld,
            );
        }
    }
}
