//! The BLAS and LAPACK routines behind every operation, one method per routine on
//! [`Scalar`](crate::Scalar), dispatched to the `s`/`d`/`c`/`z` symbol of the linked library.
//!
//! The methods are `#[doc(hidden)]` and `unsafe`: they take raw column-major buffers and
//! leading dimensions exactly as the Fortran routines do. Callers in `linalg` check shapes,
//! finiteness and the 32-bit index range first, and size every buffer as LAPACK documents.
//! Workspace sizes are obtained by the routine's own query (`lwork = -1`).

mod blas;
mod lapack;
mod lapack_eigen;
mod lapack_factor;

pub(crate) use blas::blas_kernels;
pub(crate) use lapack::lapack_kernels;
pub(crate) use lapack_eigen::lapack_eigen_kernels;
pub(crate) use lapack_factor::lapack_factor_kernels;

/// `gated!(work, { body })`: runs the body of one BLAS/LAPACK method under the thread pool's
/// gate for a call of `work` ([`crate::threads::BlasCall`]), as an `unsafe` block whose
/// contract is the method's own.
macro_rules! gated {
    ($work:expr, { $($body:tt)* }) => {{
        let _call = $crate::threads::BlasCall::enter($work);
        // SAFETY: the caller upholds the method's contract, which is the routine's own: buffers
        // and leading dimensions as the reference BLAS/LAPACK documents them.
        unsafe { $($body)* }
    }};
}
pub(crate) use gated;

/// BLAS `TRANS` argument.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trans {
    /// op(A) = A
    No,
    /// op(A) = Aᵀ
    Yes,
    /// op(A) = Aᴴ (`LuFactor::solve_h`; also part of `?herk`'s contract).
    Conj,
}

impl Trans {
    pub(crate) fn cblas(self) -> cblas_sys::CBLAS_TRANSPOSE {
        match self {
            Trans::No => cblas_sys::CblasNoTrans,
            Trans::Yes => cblas_sys::CblasTrans,
            Trans::Conj => cblas_sys::CblasConjTrans,
        }
    }

    pub(crate) fn lapack(self) -> u8 {
        match self {
            Trans::No => b'N',
            Trans::Yes => b'T',
            Trans::Conj => b'C',
        }
    }
}

/// The workspace size a LAPACK query wrote into `work[0]`, rounded up: for f32 the value is
/// stored in 24 bits of mantissa and can round below the true requirement.
pub(crate) fn lwork_from(query: f64) -> i32 {
    let size = (query * (1.0 + 1e-6)).ceil().max(1.0);
    size.min(i32::MAX as f64) as i32
}

/// A LAPACK routine's work arrays, kept across calls so that a stack of matrices of one shape
/// queries the workspace once and allocates it once.
///
/// Each kernel that needs work arrays names the routine and the arguments its workspace query
/// depends on in a [`WorkKey`]; when the key differs from the one the arrays were last sized for,
/// the kernel runs the routine's query (`lwork = -1`) and [`Workspace::size_for`] grows the
/// arrays. The `LWORK` passed is always the queried one, never the (possibly larger) capacity
/// left by another shape: some drivers pick their algorithm by `LWORK`, and a result must not
/// depend on what was computed before it.
#[derive(Debug, Clone)]
pub(crate) struct Workspace<T: crate::Scalar> {
    pub work: Vec<T>,
    pub lwork: i32,
    pub rwork: Vec<T::Real>,
    pub lrwork: i32,
    pub iwork: Vec<i32>,
    pub liwork: i32,
    key: Option<WorkKey>,
}

/// The routine and the arguments a workspace query depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WorkKey {
    pub routine: &'static str,
    pub args: [i32; 4],
}

/// The array lengths one call needs: `work` entries of which `lwork` are `LWORK` (the rest is
/// room the kernel uses itself), and `rwork`/`iwork` entries passed whole.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Lengths {
    pub work: usize,
    pub lwork: i32,
    pub rwork: usize,
    pub iwork: usize,
}

/// The lengths of a routine whose only work array is `WORK`, from its query's `info` and
/// `work[0]`.
pub(crate) fn queried_work(info: i32, query: f64) -> Result<Lengths, i32> {
    if info != 0 {
        return Err(info);
    }
    let lwork = lwork_from(query);
    Ok(Lengths {
        work: lwork as usize,
        lwork,
        rwork: 0,
        iwork: 0,
    })
}

impl<T: crate::Scalar> Default for Workspace<T> {
    fn default() -> Self {
        Workspace {
            work: Vec::new(),
            lwork: 0,
            rwork: Vec::new(),
            lrwork: 0,
            iwork: Vec::new(),
            liwork: 0,
            key: None,
        }
    }
}

impl<T: crate::Scalar> Workspace<T> {
    /// Sizes the arrays for `key`, running `lengths` (the routine's workspace query, which
    /// returns LAPACK's `info` on failure) only when they were last sized for another key.
    /// Returns the query's `info` (0 when nothing had to be queried).
    pub(crate) fn size_for(
        &mut self,
        key: WorkKey,
        lengths: impl FnOnce() -> Result<Lengths, i32>,
    ) -> i32 {
        if self.key == Some(key) {
            return 0;
        }
        let l = match lengths() {
            Ok(l) => l,
            Err(info) => return info,
        };
        let grow = |len: usize, have: usize| len.max(1).saturating_sub(have);
        self.work.extend(std::iter::repeat_n(
            T::default(),
            grow(l.work, self.work.len()),
        ));
        self.rwork.extend(std::iter::repeat_n(
            <T::Real as Default>::default(),
            grow(l.rwork, self.rwork.len()),
        ));
        self.iwork
            .extend(std::iter::repeat_n(0, grow(l.iwork, self.iwork.len())));
        self.lwork = l.lwork.max(1);
        self.lrwork = l.rwork.max(1).min(i32::MAX as usize) as i32;
        self.liwork = l.iwork.max(1).min(i32::MAX as usize) as i32;
        self.key = Some(key);
        0
    }
}

/// Runs a LAPACK call on `elements` matrix entries with enough stack.
///
/// OpenBLAS's threaded LAPACK (e.g. `dgetrf_parallel`, which recurses) and its Fortran LAPACK
/// (built with `-frecursive`, so work arrays live on the stack) need several MiB of stack for
/// matrices of 100×100 and more: more than the 2 MiB a spawned Rust thread (a test thread, a
/// thread-pool worker) has, which ends in a segfault (measured: `dgetrf` of 100×100 needs
/// 3 MiB, of 4000×4000 4 MiB). Calls that large run on a fresh 16 MiB stack segment when less
/// than 6 MiB remain — never on a main thread's usual 8 MiB stack, where the switch (a fresh
/// mapping, ~45 µs of page faults) would be pure cost; smaller calls, which OpenBLAS runs
/// single-threaded, always run directly.
pub(crate) fn with_lapack_stack<R>(elements: usize, call: impl FnOnce() -> R) -> R {
    const SINGLE_THREADED_BELOW: usize = 10_000;
    if elements < SINGLE_THREADED_BELOW {
        return call();
    }
    stacker::maybe_grow(6 << 20, 16 << 20, call)
}

/// The `n` elements of a BLAS vector (`x` at its lowest address, increment `inc`, negative
/// meaning reversed) as a contiguous buffer; borrowed as is when `inc` is 1.
///
/// # Safety
/// `x` and `inc` must address `n` valid elements in BLAS's convention.
pub(crate) unsafe fn gather<'a, T: Copy>(
    x: *const T,
    n: i32,
    inc: i32,
) -> std::borrow::Cow<'a, [T]> {
    let n = n.max(0) as usize;
    if inc == 1 {
        // SAFETY: with increment 1 the n elements are contiguous from `x` (the caller's
        // contract).
        return std::borrow::Cow::Borrowed(unsafe { std::slice::from_raw_parts(x, n) });
    }
    // SAFETY: `blas_offset` gives the offset of each of the n elements the caller vouches for.
    std::borrow::Cow::Owned(
        (0..n)
            .map(|i| unsafe { *x.offset(blas_offset(i, n, inc)) })
            .collect(),
    )
}

/// Writes a contiguous buffer back to the BLAS vector `y` (increment `inc`).
///
/// # Safety
/// `y` and `inc` must address `ys.len()` valid, writable elements in BLAS's convention.
pub(crate) unsafe fn scatter<T: Copy>(ys: &[T], y: *mut T, inc: i32) {
    for (i, &v) in ys.iter().enumerate() {
        // SAFETY: `blas_offset` gives the offset of each of the ys.len() writable elements the
        // caller vouches for.
        unsafe { *y.offset(blas_offset(i, ys.len(), inc)) = v };
    }
}

/// Offset of logical element `i` of an `n`-vector with BLAS increment `inc` from its lowest
/// address.
fn blas_offset(i: usize, n: usize, inc: i32) -> isize {
    let step = inc.unsigned_abs() as isize;
    if inc >= 0 {
        i as isize * step
    } else {
        (n - 1 - i) as isize * step
    }
}
