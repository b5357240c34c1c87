//! Pure-Rust parallel loops whose blocks call BLAS.
//!
//! ndkit's BLAS gate (`crate::threads`) gives each BLAS call its thread count from the call's
//! size: a large call gets every thread and takes turns with the others. Inside a parallel
//! loop of ndkit's own that would be wrong twice over — the workers already use the cores,
//! and their large calls would queue behind each other. So each worker here holds the pool
//! as a single-threaded caller for its whole life (`threads::spawn_worker`, which the stacked
//! linalg functions' workers use too): the library runs 1-threaded while any worker is alive,
//! and every BLAS call a worker makes is nested inside that hold, so it passes the gate
//! without waiting.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::threads::spawn_worker;

/// Runs `body` on `workers` threads (each holding the BLAS pool single-threaded) and
/// re-raises a worker's panic in the caller.
fn run_workers(workers: usize, body: impl Fn() + Sync) {
    let results: Vec<std::thread::Result<()>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers).map(|_| spawn_worker(scope, &body)).collect();
        handles.into_iter().map(|h| h.join()).collect()
    });
    for result in results {
        if let Err(panic) = result {
            std::panic::resume_unwind(panic);
        }
    }
}

/// The number of workers for `blocks` blocks: at most [`crate::num_threads`].
fn workers_for(blocks: usize) -> usize {
    crate::num_threads().min(blocks)
}

/// `f(b)` for every block `b` in `0..blocks`, in parallel on up to [`crate::num_threads`]
/// workers, results in block order. One block (or one thread) runs in the caller, whose BLAS
/// calls then use the pool as usual.
pub(super) fn map_blocks<R: Send>(blocks: usize, f: impl Fn(usize) -> R + Sync) -> Vec<R> {
    let workers = workers_for(blocks);
    if workers <= 1 {
        return (0..blocks).map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<(usize, R)>> = Mutex::new(Vec::with_capacity(blocks));
    run_workers(workers, || loop {
        let b = next.fetch_add(1, Ordering::Relaxed);
        if b >= blocks {
            break;
        }
        let r = f(b);
        done.lock().unwrap_or_else(|e| e.into_inner()).push((b, r));
    });
    let mut done = done.into_inner().unwrap_or_else(|e| e.into_inner());
    done.sort_unstable_by_key(|&(b, _)| b);
    debug_assert_eq!(done.len(), blocks);
    done.into_iter().map(|(_, r)| r).collect()
}

/// `f(b, chunk)` for every chunk of `chunk_len` elements of `out` (the last may be shorter),
/// `b` its index, in parallel as [`map_blocks`].
pub(super) fn for_each_chunk<X: Send>(
    out: &mut [X],
    chunk_len: usize,
    f: impl Fn(usize, &mut [X]) + Sync,
) {
    let chunk_len = chunk_len.max(1);
    let blocks = out.len().div_ceil(chunk_len);
    let workers = workers_for(blocks);
    if workers <= 1 {
        out.chunks_mut(chunk_len)
            .enumerate()
            .for_each(|(b, c)| f(b, c));
        return;
    }
    let chunks = Mutex::new(out.chunks_mut(chunk_len).enumerate());
    run_workers(workers, || loop {
        let next = chunks.lock().unwrap_or_else(|e| e.into_inner()).next();
        match next {
            Some((b, c)) => f(b, c),
            None => break,
        }
    });
}
