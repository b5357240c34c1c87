//! The BLAS thread pool, and how ndkit shares it between callers.
//!
//! # Policy
//! OpenBLAS (and MKL) keep one process-wide thread count, and every multi-threaded call
//! hands its work to the same worker threads. Several callers running multi-threaded calls
//! at once make those workers spin against each other (measured on 2 cores: 8 callers,
//! 230× slower than single-threaded calls). ndkit therefore decides the thread count of each
//! BLAS/LAPACK call itself, from the size of that call alone:
//!
//! - a call with less work than multi-threading pays for ([`Work::pays_for_threads`]) runs
//!   single-threaded; any number of such calls run at the same time, from any threads;
//! - a larger call runs with the full [`num_threads`] and has the thread pool to itself:
//!   it waits until the single-threaded calls in flight have finished and holds the others
//!   back while it runs (a call that uses every core gains nothing from company).
//!
//! Because the thread count depends only on the call and on [`set_num_threads`], never on
//! how many callers there are, results are bitwise identical whether ndkit is called from one
//! thread or from many (OpenBLAS's results do depend on its thread count). The bookkeeping is
//! restored when a call unwinds, so a panicking caller cannot leave the pool blocked. With
//! `set_num_threads(1)` (and with single-threaded backends) every call runs directly, without
//! any coordination.
//!
//! BLAS calls made by other code in the process (ndarray's own `dot`, another crate) are not
//! coordinated; between ndkit's calls the library keeps the thread count you set.

use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

#[cfg(any(feature = "openblas-system", feature = "openblas-static"))]
extern "C" {
    fn openblas_set_num_threads(n: std::ffi::c_int);
    fn openblas_get_num_threads() -> std::ffi::c_int;
    fn openblas_get_parallel() -> std::ffi::c_int;
}

#[cfg(all(
    feature = "intel-mkl-static",
    not(any(feature = "openblas-system", feature = "openblas-static"))
))]
extern "C" {
    fn MKL_Set_Num_Threads(n: std::ffi::c_int);
    fn MKL_Get_Max_Threads() -> std::ffi::c_int;
}

/// Sets the number of threads the BLAS library may use for one call (a threaded OpenBLAS or
/// MKL build; single-threaded builds — netlib, and by default `openblas-static` and
/// `intel-mkl-static` — ignore it). `0` is treated as `1`, and a count beyond the library's
/// compile-time maximum is lowered to it. Calls already running keep their count.
///
/// The number is an upper bound: calls too small to profit run single-threaded, and large
/// calls from concurrent callers take turns (see the crate docs, "Threads").
///
/// ```
/// ndkit::set_num_threads(1);
/// assert_eq!(ndkit::num_threads(), 1);
/// ```
pub fn set_num_threads(n: usize) {
    let n = n.clamp(1, i32::MAX as usize);
    let state = pool();
    LIMIT.store(n, Ordering::Release);
    // Calls in flight keep the count they started with; the last of them applies the new one.
    if state.single_threaded == 0 && !state.multi_threaded {
        apply_limit();
    }
}

/// The number of threads the BLAS library may use for one call: what [`set_num_threads`] set,
/// else the library's own default (OpenBLAS: `OPENBLAS_NUM_THREADS` or the number of cores);
/// 1 for single-threaded backends.
///
/// ```
/// assert!(ndkit::num_threads() >= 1);
/// ```
pub fn num_threads() -> usize {
    match LIMIT.load(Ordering::Acquire) {
        0 => read_limit(&pool()),
        n => n,
    }
}

/// The thread limit, read from the library on first use.
static LIMIT: AtomicUsize = AtomicUsize::new(0);

/// Who holds the BLAS thread pool.
struct Pool {
    /// Calls running single-threaded now; while there are any, the library's thread count
    /// is 1.
    single_threaded: usize,
    /// A multi-threaded call is running.
    multi_threaded: bool,
    /// Multi-threaded calls waiting for the pool; new single-threaded calls wait behind them
    /// so that a stream of small calls cannot starve a large one.
    multi_waiting: usize,
    /// Single-threaded calls waiting for the pool.
    single_waiting: usize,
    /// A multi-threaded call ended while single-threaded calls were waiting: those go before
    /// the next multi-threaded call, so that a stream of large calls cannot starve them.
    singles_first: bool,
    /// Threads waiting on `POOL_CHANGED` (a wake-up is a system call, skipped when none wait).
    sleepers: usize,
}

static POOL: Mutex<Pool> = Mutex::new(Pool {
    single_threaded: 0,
    multi_threaded: false,
    multi_waiting: 0,
    single_waiting: 0,
    singles_first: false,
    sleepers: 0,
});
static POOL_CHANGED: Condvar = Condvar::new();

thread_local! {
    /// This thread is inside a gated call (a callback into Rust from within it must not wait
    /// for the pool it holds).
    static INSIDE: Cell<bool> = const { Cell::new(false) };
}

/// The pool's bookkeeping. It is only ever updated completely under the lock, so a poisoned
/// lock (a panic elsewhere while holding it, which the code below never does) still holds a
/// consistent state.
fn pool() -> MutexGuard<'static, Pool> {
    POOL.lock().unwrap_or_else(PoisonError::into_inner)
}

fn wait(mut state: MutexGuard<'static, Pool>) -> MutexGuard<'static, Pool> {
    state.sleepers += 1;
    let mut state = POOL_CHANGED
        .wait(state)
        .unwrap_or_else(PoisonError::into_inner);
    state.sleepers -= 1;
    state
}

/// The thread limit, read from the library if nothing has set it yet. Called with the pool
/// locked (`_locked`): ndkit changes the library's count only under that lock and only after
/// `LIMIT` is set, so a library count read here is still the library's own default.
fn read_limit(_locked: &Pool) -> usize {
    match LIMIT.load(Ordering::Acquire) {
        0 => {
            let library = library_threads();
            LIMIT.store(library, Ordering::Release);
            library
        }
        n => n,
    }
}

/// The amount of work in one BLAS/LAPACK call, in multiply–adds (an estimate from its
/// dimensions; only its order of magnitude matters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Work(u64);

impl Work {
    /// Work below this runs single-threaded. Measured on the 2-core EPYC (OpenBLAS 0.3.21,
    /// 1 vs 2 threads, f64): GEMM starts to gain from a second thread at about 128³
    /// multiply–adds (192³: 1.4–1.9×), while LU, Cholesky, QR, SVD and eigensolvers gain
    /// little or lose below n ≈ 256 (0.6–1.3× at n = 64…192); their work estimates
    /// ([`Work::factor`]) carry a factor that puts n = 256 at this threshold.
    const MULTI_THREADED_FROM: u64 = 1 << 21;

    /// `m·n·k` multiply–adds (a product, a rank-k update).
    pub(crate) fn product(m: i32, n: i32, k: i32) -> Work {
        let dim = |x: i32| x.max(0) as u64;
        Work(dim(m) * dim(n) * dim(k))
    }

    /// One pass over an m×n matrix or an m-vector (n = 1), as in `?gemv` and `?dot`: memory
    /// bound, so a second thread pays from far fewer multiply–adds, about 2¹⁵ elements
    /// (dot 10⁶ f64: 0.10 ms at 2 threads, 0.19 ms at 1; OpenBLAS itself threads `?dot` above
    /// 10⁴ elements).
    pub(crate) fn streaming(m: i32, n: i32) -> Work {
        Work(Work::product(m, n, 1).0 << 6)
    }

    /// A factorisation or eigensolver of an m×n matrix: about m·n·min(m, n) multiply–adds,
    /// scaled down by 8 because these routines gain from threads only at larger sizes (see
    /// [`Work::MULTI_THREADED_FROM`]).
    pub(crate) fn factor(m: i32, n: i32) -> Work {
        let cube = Work::product(m, n, m.min(n)).0;
        Work(cube / 8)
    }

    fn pays_for_threads(self) -> bool {
        self.0 >= Self::MULTI_THREADED_FROM
    }
}

/// Held for the duration of one BLAS/LAPACK call; see the module docs for the policy. Also
/// makes sure the kernel selection of [`crate::backend`] has run before the library's first
/// use.
pub(crate) struct BlasCall {
    held: Held,
}

enum Held {
    /// Nothing to give back: single-threaded limit, or nested inside another gated call.
    Nothing,
    SingleThreaded,
    MultiThreaded,
}

impl BlasCall {
    /// Waits until a call of this size may run, sets the library's thread count for it and
    /// returns the guard that gives the pool back when dropped.
    pub(crate) fn enter(work: Work) -> BlasCall {
        crate::backend::select_kernels_once();
        let nothing = BlasCall {
            held: Held::Nothing,
        };
        if INSIDE.with(Cell::get) || LIMIT.load(Ordering::Acquire) == 1 {
            return nothing;
        }
        let mut state = pool();
        if read_limit(&state) == 1 {
            return nothing;
        }
        let per_thread = library_count_is_per_thread();
        let held = if work.pays_for_threads() {
            state.multi_waiting += 1;
            while state.multi_threaded
                || state.single_threaded > 0
                || (state.singles_first && state.single_waiting > 0)
            {
                state = wait(state);
            }
            state.multi_waiting -= 1;
            state.multi_threaded = true;
            if per_thread {
                library_set_threads(LIMIT.load(Ordering::Acquire));
            }
            Held::MultiThreaded
        } else {
            state.single_waiting += 1;
            while state.multi_threaded || (state.multi_waiting > 0 && !state.singles_first) {
                state = wait(state);
            }
            state.single_waiting -= 1;
            if state.single_waiting == 0 {
                state.singles_first = false;
            }
            if state.single_threaded == 0 || per_thread {
                library_set_threads(1);
            }
            state.single_threaded += 1;
            Held::SingleThreaded
        };
        if !per_thread {
            let expected = match held {
                Held::SingleThreaded => 1,
                _ => LIMIT.load(Ordering::Acquire),
            };
            debug_assert_eq!(
                library_threads(),
                expected,
                "BLAS thread count for this call"
            );
        }
        drop(state);
        INSIDE.with(|inside| inside.set(true));
        BlasCall { held }
    }
}

impl Drop for BlasCall {
    fn drop(&mut self) {
        if matches!(self.held, Held::Nothing) {
            return;
        }
        INSIDE.with(|inside| inside.set(false));
        let mut state = pool();
        let wake = match self.held {
            Held::SingleThreaded => {
                state.single_threaded -= 1;
                // Only the last single-threaded call's end can let anyone in.
                let last = state.single_threaded == 0;
                if last {
                    apply_limit();
                }
                last
            }
            Held::MultiThreaded => {
                state.multi_threaded = false;
                if state.single_waiting > 0 {
                    state.singles_first = true;
                }
                // set_num_threads may have changed the limit during the call.
                apply_limit();
                true
            }
            Held::Nothing => false,
        };
        let wake = wake && state.sleepers > 0;
        drop(state);
        if wake {
            POOL_CHANGED.notify_all();
        }
    }
}

/// Gives the library the thread limit (while no call runs), and keeps `LIMIT` at what the
/// library accepted (OpenBLAS lowers a count beyond its compile-time maximum).
fn apply_limit() {
    let limit = LIMIT.load(Ordering::Acquire);
    library_set_threads(limit);
    let accepted = library_threads();
    if accepted != limit && accepted >= 1 {
        LIMIT.store(accepted, Ordering::Release);
    }
}

/// Whether the library keeps its thread count per calling thread: an OpenMP build of OpenBLAS
/// (each thread's call runs with that thread's `omp_set_num_threads`, which
/// `openblas_set_num_threads` sets), whose count ndkit then sets for every call.
fn library_count_is_per_thread() -> bool {
    #[cfg(any(feature = "openblas-system", feature = "openblas-static"))]
    {
        static OPENMP: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        // SAFETY: plain getter: 0 sequential, 1 pthreads, 2 OpenMP.
        *OPENMP.get_or_init(|| unsafe { openblas_get_parallel() } == 2)
    }
    #[cfg(not(any(feature = "openblas-system", feature = "openblas-static")))]
    false
}

fn library_set_threads(n: usize) {
    let n = n.clamp(1, i32::MAX as usize) as std::ffi::c_int;
    #[cfg(any(feature = "openblas-system", feature = "openblas-static"))]
    // SAFETY: plain setter of the OpenBLAS pool size, valid for any positive n.
    unsafe {
        openblas_set_num_threads(n)
    }
    #[cfg(all(
        feature = "intel-mkl-static",
        not(any(feature = "openblas-system", feature = "openblas-static"))
    ))]
    // SAFETY: plain setter of the MKL pool size, valid for any positive n.
    unsafe {
        MKL_Set_Num_Threads(n)
    }
    #[cfg(not(any(
        feature = "openblas-system",
        feature = "openblas-static",
        feature = "intel-mkl-static"
    )))]
    let _ = n;
}

/// The library's current thread count (1 for single-threaded backends).
pub(crate) fn library_threads() -> usize {
    #[cfg(any(feature = "openblas-system", feature = "openblas-static"))]
    // SAFETY: plain getter of the OpenBLAS pool size.
    let n = unsafe { openblas_get_num_threads() };
    #[cfg(all(
        feature = "intel-mkl-static",
        not(any(feature = "openblas-system", feature = "openblas-static"))
    ))]
    // SAFETY: plain getter of the MKL pool size.
    let n = unsafe { MKL_Get_Max_Threads() };
    #[cfg(not(any(
        feature = "openblas-system",
        feature = "openblas-static",
        feature = "intel-mkl-static"
    )))]
    let n = 1;
    n.max(1) as usize
}

/// Per-item results of a loop over independent items that [`for_each_chunk`] splits between
/// workers: each output has the items along its first axis.
pub(crate) trait Chunks: Send + Sized {
    /// The part of the output that belongs to one item.
    type Item;
    /// Items `..mid` and `mid..`.
    fn split(self, mid: usize) -> (Self, Self);
    /// The first item and the rest (the chunk must not be empty).
    fn split_first(self) -> (Self::Item, Self);
}

impl<'a, A: Send> Chunks for ndarray::ArrayViewMut1<'a, A> {
    type Item = &'a mut A;
    fn split(self, mid: usize) -> (Self, Self) {
        self.split_at(ndarray::Axis(0), mid)
    }
    fn split_first(self) -> (&'a mut A, Self) {
        let (first, rest) = self.split_at(ndarray::Axis(0), 1);
        (
            first.index_axis_move(ndarray::Axis(0), 0).into_scalar(),
            rest,
        )
    }
}

impl<'a, A: Send> Chunks for ndarray::ArrayViewMut2<'a, A> {
    type Item = ndarray::ArrayViewMut1<'a, A>;
    fn split(self, mid: usize) -> (Self, Self) {
        self.split_at(ndarray::Axis(0), mid)
    }
    fn split_first(self) -> (Self::Item, Self) {
        let (first, rest) = self.split_at(ndarray::Axis(0), 1);
        (first.index_axis_move(ndarray::Axis(0), 0), rest)
    }
}

impl<'a, A: Send> Chunks for ndarray::ArrayViewMut3<'a, A> {
    type Item = ndarray::ArrayViewMut2<'a, A>;
    fn split(self, mid: usize) -> (Self, Self) {
        self.split_at(ndarray::Axis(0), mid)
    }
    fn split_first(self) -> (Self::Item, Self) {
        let (first, rest) = self.split_at(ndarray::Axis(0), 1);
        (first.index_axis_move(ndarray::Axis(0), 0), rest)
    }
}

impl<X: Chunks, Y: Chunks> Chunks for (X, Y) {
    type Item = (X::Item, Y::Item);
    fn split(self, mid: usize) -> (Self, Self) {
        let ((x0, x1), (y0, y1)) = (self.0.split(mid), self.1.split(mid));
        ((x0, y0), (x1, y1))
    }
    fn split_first(self) -> (Self::Item, Self) {
        let ((x, xs), (y, ys)) = (self.0.split_first(), self.1.split_first());
        ((x, y), (xs, ys))
    }
}

impl<X: Chunks, Y: Chunks, Z: Chunks> Chunks for (X, Y, Z) {
    type Item = (X::Item, Y::Item, Z::Item);
    fn split(self, mid: usize) -> (Self, Self) {
        let ((x0, x1), (y0, y1), (z0, z1)) =
            (self.0.split(mid), self.1.split(mid), self.2.split(mid));
        ((x0, y0, z0), (x1, y1, z1))
    }
    fn split_first(self) -> (Self::Item, Self) {
        let ((x, xs), (y, ys), (z, zs)) = (
            self.0.split_first(),
            self.1.split_first(),
            self.2.split_first(),
        );
        ((x, y, z), (xs, ys, zs))
    }
}

/// Runs `each(state, i, outputs of item i)` for every item `i` in `0..count`, in contiguous
/// chunks on up to [`num_threads`] workers, each with its own `state` from `init` (work
/// arrays reused across its items). Returns the error of the lowest failing item, with its
/// index: the same one a serial loop stops at.
///
/// `flops` estimates one item's work in multiply–adds. Items big enough for a multi-threaded
/// BLAS call run one after another, each with the whole pool; smaller ones are shared
/// between workers when there are enough of them to pay for the threads. Every worker holds
/// the pool as one single-threaded caller for its whole chunk, so the BLAS calls inside it run
/// single-threaded, its pure-Rust kernels are counted as a busy core, and the result of each
/// item does not depend on the number of workers.
pub(crate) fn for_each_chunk<O, S, E>(
    count: usize,
    flops: u64,
    outputs: O,
    init: impl Fn() -> S + Sync,
    each: impl Fn(&mut S, usize, O::Item) -> Result<(), E> + Sync,
) -> Result<(), (usize, E)>
where
    O: Chunks,
    E: Send,
{
    /// Per-item overhead of a call (checks, copies, a LAPACK entry), in multiply–adds.
    const OVERHEAD: u64 = 256;
    /// Less total work than this runs on the calling thread: a worker costs ~30 µs to start.
    const PARALLEL_FROM: u64 = 1 << 18;
    let run = |start: usize, len: usize, mut out: O| -> Result<(), (usize, E)> {
        let mut state = init();
        for i in start..start + len {
            let (item, rest) = out.split_first();
            out = rest;
            each(&mut state, i, item).map_err(|e| (i, e))?;
        }
        Ok(())
    };
    let total = (flops + OVERHEAD).saturating_mul(count as u64);
    let workers = num_threads().min(count);
    if workers <= 1 || Work(flops).pays_for_threads() || total < PARALLEL_FROM {
        return run(0, count, outputs);
    }
    let per_worker = count.div_ceil(workers);
    std::thread::scope(|scope| {
        let mut rest = outputs;
        let mut handles = Vec::with_capacity(workers - 1);
        let mut start = per_worker;
        let (mine, tail) = rest.split(per_worker);
        rest = tail;
        while start < count {
            let len = per_worker.min(count - start);
            let (chunk, tail) = rest.split(len);
            rest = tail;
            let run = &run;
            handles.push(spawn_worker(scope, move || run(start, len, chunk)));
            start += len;
        }
        let first = as_worker(|| run(0, per_worker.min(count), mine));
        // Chunks are in index order, so the first chunk with an error has the lowest index.
        handles.into_iter().fold(first, |acc, handle| {
            let result = handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            acc.and(result)
        })
    })
}

/// Runs `f` as a worker of a pure-Rust parallel loop: holding the BLAS pool as one
/// single-threaded caller, so the BLAS calls inside run single-threaded and the worker counts
/// as a busy core.
pub(crate) fn as_worker<R>(f: impl FnOnce() -> R) -> R {
    let _pool = BlasCall::enter(Work(0));
    f()
}

/// Spawns a worker of a pure-Rust parallel loop in `scope` ([`as_worker`], on a stack with
/// room for LAPACK).
pub(crate) fn spawn_worker<'scope, R: Send + 'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    f: impl FnOnce() -> R + Send + 'scope,
) -> std::thread::ScopedJoinHandle<'scope, R> {
    std::thread::Builder::new()
        .stack_size(WORKER_STACK)
        .spawn_scoped(scope, move || as_worker(f))
        .expect("spawning a worker thread")
}

/// Stack size of a worker thread: room for OpenBLAS's Fortran LAPACK, which keeps its work
/// arrays on the stack (see [`crate::kernels::with_lapack_stack`]).
const WORKER_STACK: usize = 16 << 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_thresholds() {
        assert!(!Work::product(127, 128, 128).pays_for_threads());
        assert!(Work::product(128, 128, 128).pays_for_threads());
        assert!(!Work::factor(255, 255).pays_for_threads());
        assert!(Work::factor(256, 256).pays_for_threads());
        assert!(!Work::factor(100_000, 4).pays_for_threads());
        assert!(!Work::streaming(32_767, 1).pays_for_threads());
        assert!(Work::streaming(32_768, 1).pays_for_threads());
        assert_eq!(Work::product(-1, 5, 5), Work(0));
    }

    /// A caller that panics while holding the pool (either way) gives it back on unwind.
    #[test]
    fn a_panicking_caller_releases_the_pool() {
        // With one thread every call bypasses the pool; make sure it is in use.
        crate::set_num_threads(2);
        if crate::num_threads() < 2 {
            return; // a single-threaded library: there is no pool to give back
        }
        for work in [Work::product(1, 1, 1), Work::product(1024, 1024, 1024)] {
            let panicked = std::thread::spawn(move || {
                let _call = BlasCall::enter(work);
                panic!("caller fails inside a BLAS call");
            })
            .join();
            assert!(panicked.is_err());
            // Both kinds of call get the pool again (this would block forever otherwise).
            drop(BlasCall::enter(Work::product(1024, 1024, 1024)));
            drop(BlasCall::enter(Work::product(1, 1, 1)));
            let state = pool();
            assert!(!state.multi_threaded && state.multi_waiting == 0);
            assert_eq!(state.single_threaded, 0);
        }
    }
}
