//! LAPACK kernels of the scipy.linalg-style factorisations (Fortran interface via
//! `lapack-sys`, column-major).
//!
//! | operation | real (s/d) | complex (c/z) |
//! |---|---|---|
//! | QR with column pivoting | `?geqp3` | `?geqp3` |
//! | inverse from a Cholesky factor | `?potri` | `?potri` |
//! | Bunch–Kaufman factorisation | `?sytrf` | `?hetrf` |
//! | solve with Bunch–Kaufman factors | `?sytrs` | `?hetrs` |
//! | tridiagonal solve | `?gtsv` | `?gtsv` |
//! | triangular inverse | `?trtri` | `?trtri` |

/// Declares (`declare`) or implements (`real`/`complex` with the type prefix) the LAPACK
/// methods of the factorisation routines on [`Scalar`](crate::Scalar)'s kernels. Every method
/// returns LAPACK's `info`.
macro_rules! lapack_factor_kernels {
    (declare) => {
        /// QR factorisation with column pivoting (`?geqp3`); `jpvt` (n entries, zero on entry
        /// so that every column is free) receives the 1-based permutation.
        #[doc(hidden)]
        #[allow(clippy::too_many_arguments)]
        unsafe fn geqp3(
            m: i32, n: i32, a: *mut Self, lda: i32, jpvt: *mut i32, tau: *mut Self,
            ws: &mut $crate::kernels::Workspace<Self>,
        ) -> i32
        where
            Self: $crate::Scalar;
        /// Inverse of a Hermitian positive-definite matrix from its Cholesky factor
        /// (`?potri`); only the `uplo` triangle of the result is written.
        #[doc(hidden)]
        unsafe fn potri(uplo: u8, n: i32, a: *mut Self, lda: i32) -> i32;
        /// Bunch–Kaufman factorisation of a real symmetric (`?sytrf`) or complex Hermitian
        /// (`?hetrf`) matrix; `ipiv` has n entries.
        #[doc(hidden)]
        unsafe fn hetrf(
            uplo: u8, n: i32, a: *mut Self, lda: i32, ipiv: *mut i32,
            ws: &mut $crate::kernels::Workspace<Self>,
        ) -> i32
        where
            Self: $crate::Scalar;
        /// Solve with Bunch–Kaufman factors (`?sytrs` / `?hetrs`).
        #[doc(hidden)]
        #[allow(clippy::too_many_arguments)]
        unsafe fn hetrs(
            uplo: u8, n: i32, nrhs: i32, a: *const Self, lda: i32, ipiv: *const i32,
            b: *mut Self, ldb: i32,
        ) -> i32;
        /// Tridiagonal solve by Gaussian elimination with partial pivoting (`?gtsv`); `dl`,
        /// `d`, `du` (n−1, n, n−1 entries) are overwritten.
        #[doc(hidden)]
        #[allow(clippy::too_many_arguments)]
        unsafe fn gtsv(
            n: i32, nrhs: i32, dl: *mut Self, d: *mut Self, du: *mut Self, b: *mut Self, ldb: i32,
        ) -> i32;
        /// Inverse of a triangular matrix in place (`?trtri`).
        #[doc(hidden)]
        unsafe fn trtri(uplo: u8, diag: u8, n: i32, a: *mut Self, lda: i32) -> i32;
    };
    (real $t:ty, $p:ident) => {
        $crate::kernels::lapack_factor_kernels!(@common $t, $p, sytrf, sytrs);
        paste::paste! {
            unsafe fn geqp3(
                m: i32, n: i32, a: *mut Self, lda: i32, jpvt: *mut i32, tau: *mut Self,
                ws: &mut $crate::kernels::Workspace<Self>,
            ) -> i32 {
                $crate::kernels::gated!($crate::threads::Work::factor(m, n), {
                    let key = $crate::kernels::WorkKey { routine: "geqp3", args: [m, n, 0, 0] };
                    let info = ws.size_for(key, || {
                        let (mut info, mut query) = (0, 0.0 as $t);
                        lapack_sys::[<$p geqp3_>](
                            &m, &n, a, &lda, jpvt, tau, &mut query, &-1, &mut info,
                        );
                        $crate::kernels::queried_work(info, f64::from(query))
                    });
                    if info != 0 {
                        return info;
                    }
                    let mut info = 0;
                    lapack_sys::[<$p geqp3_>](
                        &m, &n, a, &lda, jpvt, tau, ws.work.as_mut_ptr(), &ws.lwork, &mut info,
                    );
                    info
                })
            }
        }
    };
    (complex $r:ty, $p:ident) => {
        $crate::kernels::lapack_factor_kernels!(@common lapack_sys::__BindgenComplex<$r>, $p, hetrf, hetrs);
        paste::paste! {
            unsafe fn geqp3(
                m: i32, n: i32, a: *mut Self, lda: i32, jpvt: *mut i32, tau: *mut Self,
                ws: &mut $crate::kernels::Workspace<Self>,
            ) -> i32 {
                $crate::kernels::gated!($crate::threads::Work::factor(m, n), {
                    let key = $crate::kernels::WorkKey { routine: "geqp3", args: [m, n, 0, 0] };
                    let rwork = 2 * n.max(1) as usize;
                    let info = ws.size_for(key, || {
                        let (mut info, mut query, mut rdummy) = (0, Self::default(), 0.0 as $r);
                        lapack_sys::[<$p geqp3_>](
                            &m, &n, a as *mut _, &lda, jpvt, tau as *mut _,
                            &mut query as *mut Self as *mut _, &-1, &mut rdummy, &mut info,
                        );
                        $crate::kernels::queried_work(info, f64::from(query.re))
                            .map(|l| $crate::kernels::Lengths { rwork, ..l })
                    });
                    if info != 0 {
                        return info;
                    }
                    let mut info = 0;
                    lapack_sys::[<$p geqp3_>](
                        &m, &n, a as *mut _, &lda, jpvt, tau as *mut _,
                        ws.work.as_mut_ptr() as *mut _, &ws.lwork, ws.rwork.as_mut_ptr(), &mut info,
                    );
                    info
                })
            }
        }
    };
    // Routines whose real and complex signatures differ only in the element type.
    (@common $ffi:ty, $p:ident, $trf:ident, $trs:ident) => {
        paste::paste! {
            unsafe fn potri(uplo: u8, n: i32, a: *mut Self, lda: i32) -> i32 {
                $crate::kernels::gated!($crate::threads::Work::factor(n, n), {
                    let mut info = 0;
                    lapack_sys::[<$p potri_>](
                        &(uplo as std::ffi::c_char), &n, a as *mut $ffi, &lda, &mut info,
                    );
                    info
                })
            }
            unsafe fn hetrf(
                uplo: u8, n: i32, a: *mut Self, lda: i32, ipiv: *mut i32,
                ws: &mut $crate::kernels::Workspace<Self>,
            ) -> i32 {
                $crate::kernels::gated!($crate::threads::Work::factor(n, n), {
                    let key = $crate::kernels::WorkKey { routine: stringify!($trf), args: [n, 0, 0, 0] };
                    let uplo = uplo as std::ffi::c_char;
                    let info = ws.size_for(key, || {
                        let (mut info, mut query) = (0, Self::default());
                        lapack_sys::[<$p $trf _>](
                            &uplo, &n, a as *mut $ffi, &lda, ipiv,
                            &mut query as *mut Self as *mut $ffi, &-1, &mut info,
                        );
                        $crate::kernels::queried_work(info, $crate::Scalar::re(query).into())
                    });
                    if info != 0 {
                        return info;
                    }
                    let mut info = 0;
                    lapack_sys::[<$p $trf _>](
                        &uplo, &n, a as *mut $ffi, &lda, ipiv, ws.work.as_mut_ptr() as *mut $ffi,
                        &ws.lwork, &mut info,
                    );
                    info
                })
            }
            unsafe fn hetrs(
                uplo: u8, n: i32, nrhs: i32, a: *const Self, lda: i32, ipiv: *const i32,
                b: *mut Self, ldb: i32,
            ) -> i32 {
                $crate::kernels::gated!($crate::threads::Work::product(n, n, nrhs), {
                    let mut info = 0;
                    lapack_sys::[<$p $trs _>](
                        &(uplo as std::ffi::c_char), &n, &nrhs, a as *const $ffi, &lda, ipiv,
                        b as *mut $ffi, &ldb, &mut info,
                    );
                    info
                })
            }
            unsafe fn gtsv(
                n: i32, nrhs: i32, dl: *mut Self, d: *mut Self, du: *mut Self, b: *mut Self,
                ldb: i32,
            ) -> i32 {
                $crate::kernels::gated!($crate::threads::Work::product(n, nrhs, 1), {
                    let mut info = 0;
                    lapack_sys::[<$p gtsv_>](
                        &n, &nrhs, dl as *mut $ffi, d as *mut $ffi, du as *mut $ffi, b as *mut $ffi,
                        &ldb, &mut info,
                    );
                    info
                })
            }
            unsafe fn trtri(uplo: u8, diag: u8, n: i32, a: *mut Self, lda: i32) -> i32 {
                $crate::kernels::gated!($crate::threads::Work::factor(n, n), {
                    let mut info = 0;
                    lapack_sys::[<$p trtri_>](
                        &(uplo as std::ffi::c_char), &(diag as std::ffi::c_char), &n,
                        a as *mut $ffi, &lda, &mut info,
                    );
                    info
                })
            }
        }
    };
}

pub(crate) use lapack_factor_kernels;
