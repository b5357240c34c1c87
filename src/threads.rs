//! The BLAS thread pool.

#[cfg(any(feature = "openblas-system", feature = "openblas-static"))]
extern "C" {
    fn openblas_set_num_threads(n: std::ffi::c_int);
    fn openblas_get_num_threads() -> std::ffi::c_int;
}

#[cfg(all(
    feature = "intel-mkl-static",
    not(any(feature = "openblas-system", feature = "openblas-static"))
))]
extern "C" {
    fn MKL_Set_Num_Threads(n: std::ffi::c_int);
    fn MKL_Get_Max_Threads() -> std::ffi::c_int;
}

/// Sets the number of threads the BLAS library uses (OpenBLAS or MKL; the reference netlib
/// library is single-threaded and ignores it). `0` is treated as `1`.
///
/// ```
/// ndkit::set_num_threads(1);
/// assert_eq!(ndkit::num_threads(), 1);
/// ```
pub fn set_num_threads(n: usize) {
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

/// The number of threads the BLAS library uses (1 for single-threaded backends).
///
/// ```
/// assert!(ndkit::num_threads() >= 1);
/// ```
pub fn num_threads() -> usize {
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
