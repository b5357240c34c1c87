//! Results that are written in full before anything reads them: allocated without zeroing,
//! as NumPy's are, and handed out as `MaybeUninit` until written.

use std::mem::MaybeUninit;

use ndarray::{Array, Dimension};

use crate::Scalar;

/// A new C-order array of `shape` with uninitialised elements, for a result that is about to
/// be overwritten in full. From 4 MiB on Linux its memory is marked for transparent huge
/// pages, as NumPy marks its large arrays: fewer page faults while it is first written, and
/// fewer TLB misses while BLAS works on it (a fresh 2048² product runs 3–8% faster). Debug
/// builds fill it with NaN, so that a path reading the result before writing it fails the
/// tests.
pub(crate) fn uninit_array<T: Scalar, D: Dimension>(shape: D) -> Array<MaybeUninit<T>, D> {
    let mut out = uninit_any(shape);
    if cfg!(debug_assertions) {
        out.fill(MaybeUninit::new(T::from_f64_nearest(f64::NAN)));
    }
    out
}

/// [`uninit_array`] for any element type (no NaN poisoning in debug builds: `T` may have no
/// NaN), for results of element-wise selections.
pub(crate) fn uninit_any<T, D: Dimension>(shape: D) -> Array<MaybeUninit<T>, D> {
    let mut out = Array::uninit(shape);
    advise_huge_pages(
        out.as_mut_ptr().cast(),
        out.len() * std::mem::size_of::<T>(),
    );
    out
}

/// An empty `Vec` with room for `len` elements, its memory advised as [`uninit_array`]'s, for
/// a result written front to back through `spare_capacity_mut`.
pub(crate) fn vec_for<T>(len: usize) -> Vec<T> {
    let mut out: Vec<T> = Vec::with_capacity(len);
    advise_huge_pages(out.as_mut_ptr().cast(), len * std::mem::size_of::<T>());
    out
}

/// Marks the whole pages of `[start, start + bytes)` for transparent huge pages when the range
/// is at least 4 MiB (Linux; elsewhere nothing).
fn advise_huge_pages(start: *mut u8, bytes: usize) {
    #[cfg(target_os = "linux")]
    {
        const HUGE_FROM: usize = 4 << 20;
        const PAGE: usize = 4096;
        if bytes >= HUGE_FROM {
            let start = start as usize;
            let (first, end) = (
                (start + PAGE - 1) & !(PAGE - 1),
                (start + bytes) & !(PAGE - 1),
            );
            // SAFETY: [first, end) is whole pages inside the caller's own allocation of
            // `bytes` bytes from `start`; the call only sets a paging hint and changes no memory
            // contents. Its result is ignored: without huge-page support the hint is simply not
            // taken.
            unsafe {
                libc::madvise(first as *mut libc::c_void, end - first, libc::MADV_HUGEPAGE);
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (start, bytes);
}
