//! LAPACK kernels (Fortran interface via `lapack-sys`, column-major).
//!
//! | operation | real (s/d) | complex (c/z) |
//! |---|---|---|
//! | LU | `?getrf`, `?getrs`, `?getri`, `?gecon` | same |
//! | Cholesky | `?potrf`, `?potrs` | same |
//! | triangular solve | `?trtrs` | same |
//! | QR | `?geqrf`, `?orgqr` | `?geqrf`, `?ungqr` |
//! | SVD | `?gesdd` | `?gesdd` |
//! | symmetric/Hermitian eigen | `?syevd` | `?heevd` |
//! | general eigen | `?geev` | `?geev` |
//! | least squares | `?gelsd` | `?gelsd` |

/// Declares (`declare`) or implements (`real`/`complex` with the type prefix) the LAPACK
/// methods of [`Scalar`](crate::Scalar). Every method returns LAPACK's `info`.
macro_rules! lapack_kernels {
    (declare) => {
        /// LU factorisation with partial pivoting (`?getrf`).
        #[doc(hidden)]
        unsafe fn getrf(m: i32, n: i32, a: *mut Self, lda: i32, ipiv: *mut i32) -> i32;
        /// Solve with LU factors (`?getrs`).
        #[doc(hidden)]
        #[allow(clippy::too_many_arguments)]
        unsafe fn getrs(
            trans: $crate::kernels::Trans, n: i32, nrhs: i32, a: *const Self, lda: i32,
            ipiv: *const i32, b: *mut Self, ldb: i32,
        ) -> i32;
        /// Inverse from LU factors (`?getri`).
        #[doc(hidden)]
        unsafe fn getri(n: i32, a: *mut Self, lda: i32, ipiv: *const i32, ws: &mut $crate::kernels::Workspace<Self>) -> i32
        where
            Self: $crate::Scalar;
        /// Reciprocal condition number estimate from LU factors (`?gecon`); returns (rcond, info).
        #[doc(hidden)]
        unsafe fn gecon(norm: u8, n: i32, a: *const Self, lda: i32, anorm: <Self as $crate::Scalar>::Real,
            ws: &mut $crate::kernels::Workspace<Self>) -> (<Self as $crate::Scalar>::Real, i32)
        where
            Self: $crate::Scalar;
        /// Cholesky factorisation (`?potrf`).
        #[doc(hidden)]
        unsafe fn potrf(uplo: u8, n: i32, a: *mut Self, lda: i32) -> i32;
        /// Solve with Cholesky factors (`?potrs`).
        #[doc(hidden)]
        #[allow(clippy::too_many_arguments)]
        unsafe fn potrs(
            uplo: u8, n: i32, nrhs: i32, a: *const Self, lda: i32, b: *mut Self, ldb: i32,
        ) -> i32;
        /// Triangular solve (`?trtrs`).
        #[doc(hidden)]
        #[allow(clippy::too_many_arguments)]
        unsafe fn trtrs(
            uplo: u8, trans: $crate::kernels::Trans, diag: u8, n: i32, nrhs: i32,
            a: *const Self, lda: i32, b: *mut Self, ldb: i32,
        ) -> i32;
        /// Householder QR (`?geqrf`).
        #[doc(hidden)]
        unsafe fn geqrf(m: i32, n: i32, a: *mut Self, lda: i32, tau: *mut Self, ws: &mut $crate::kernels::Workspace<Self>) -> i32
        where
            Self: $crate::Scalar;
        /// Form Q from Householder reflectors (`?orgqr` / `?ungqr`).
        #[doc(hidden)]
        #[allow(clippy::too_many_arguments)]
        unsafe fn orgqr(m: i32, n: i32, k: i32, a: *mut Self, lda: i32, tau: *const Self, ws: &mut $crate::kernels::Workspace<Self>) -> i32
        where
            Self: $crate::Scalar;
        /// Divide-and-conquer SVD (`?gesdd`).
        #[doc(hidden)]
        #[allow(clippy::too_many_arguments)]
        unsafe fn gesdd(
            jobz: u8, m: i32, n: i32, a: *mut Self, lda: i32, s: *mut <Self as $crate::Scalar>::Real,
            u: *mut Self, ldu: i32, vt: *mut Self, ldvt: i32, ws: &mut $crate::kernels::Workspace<Self>,
        ) -> i32
        where
            Self: $crate::Scalar;
        /// Divide-and-conquer symmetric/Hermitian eigensolver (`?syevd` / `?heevd`).
        #[doc(hidden)]
        #[allow(clippy::too_many_arguments)]
        unsafe fn heevd(jobz: u8, uplo: u8, n: i32, a: *mut Self, lda: i32, w: *mut <Self as $crate::Scalar>::Real,
            ws: &mut $crate::kernels::Workspace<Self>) -> i32
        where
            Self: $crate::Scalar;
        /// General eigensolver (`?geev`): eigenvalues into `w`, right eigenvectors (columns,
        /// unit 2-norm, n×n column-major) into `v` when `vectors`.
        #[doc(hidden)]
        unsafe fn geev(
            vectors: bool, n: i32, a: *mut Self, lda: i32, w: *mut <Self as $crate::Scalar>::Complex,
            v: *mut <Self as $crate::Scalar>::Complex, ws: &mut $crate::kernels::Workspace<Self>,
        ) -> i32
        where
            Self: $crate::Scalar;
        /// Minimum-norm least squares by divide-and-conquer SVD (`?gelsd`); returns (rank, info).
        #[doc(hidden)]
        #[allow(clippy::too_many_arguments)]
        unsafe fn gelsd(
            m: i32, n: i32, nrhs: i32, a: *mut Self, lda: i32, b: *mut Self, ldb: i32,
            s: *mut <Self as $crate::Scalar>::Real, rcond: <Self as $crate::Scalar>::Real, ws: &mut $crate::kernels::Workspace<Self>,
        ) -> (i32, i32)
        where
            Self: $crate::Scalar;
    };
    (real $t:ty, $p:ident) => {
        $crate::kernels::lapack_kernels!(@common $t, $t, $p, orgqr);
        paste::paste! {
            unsafe fn gecon(
                norm: u8, n: i32, a: *const Self, lda: i32, anorm: $t,
                ws: &mut $crate::kernels::Workspace<Self>,
            ) -> ($t, i32) {
                $crate::kernels::gated!($crate::threads::Work::product(n, n, 1), {
                    let nu = n.max(1) as usize;
                    let key = $crate::kernels::WorkKey { routine: "gecon", args: [n, 0, 0, 0] };
                    ws.size_for(key, || Ok($crate::kernels::Lengths {
                        work: 4 * nu, lwork: 4 * nu as i32, rwork: 0, iwork: nu,
                    }));
                    let (mut rcond, mut info) = (0.0, 0);
                    lapack_sys::[<$p gecon_>](
                        &(norm as std::ffi::c_char), &n, a, &lda, &anorm, &mut rcond,
                        ws.work.as_mut_ptr(), ws.iwork.as_mut_ptr(), &mut info,
                    );
                    (rcond, info)
                })
            }
            unsafe fn gesdd(
                jobz: u8, m: i32, n: i32, a: *mut Self, lda: i32, s: *mut $t,
                u: *mut Self, ldu: i32, vt: *mut Self, ldvt: i32,
                ws: &mut $crate::kernels::Workspace<Self>,
            ) -> i32 {
                $crate::kernels::gated!($crate::threads::Work::factor(m, n), {
                    let key = $crate::kernels::WorkKey { routine: "gesdd", args: [jobz.into(), m, n, 0] };
                    let jobz = jobz as std::ffi::c_char;
                    let info = ws.size_for(key, || {
                        let (mut info, mut query, mut iwork) = (0, 0.0 as $t, 0i32);
                        lapack_sys::[<$p gesdd_>](
                            &jobz, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, &mut query, &-1,
                            &mut iwork, &mut info,
                        );
                        let lwork = $crate::kernels::lwork_from(f64::from(query));
                        let iwork = 8 * m.min(n).max(1) as usize;
                        if info != 0 { Err(info) } else {
                            Ok($crate::kernels::Lengths { work: lwork as usize, lwork, rwork: 0, iwork })
                        }
                    });
                    if info != 0 {
                        return info;
                    }
                    let mut info = 0;
                    lapack_sys::[<$p gesdd_>](
                        &jobz, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, ws.work.as_mut_ptr(),
                        &ws.lwork, ws.iwork.as_mut_ptr(), &mut info,
                    );
                    info
                })
            }
            unsafe fn heevd(
                jobz: u8, uplo: u8, n: i32, a: *mut Self, lda: i32, w: *mut $t,
                ws: &mut $crate::kernels::Workspace<Self>,
            ) -> i32 {
                $crate::kernels::gated!($crate::threads::Work::factor(n, n), {
                    let key = $crate::kernels::WorkKey { routine: "syevd", args: [jobz.into(), n, 0, 0] };
                    let (jobz, uplo) = (jobz as std::ffi::c_char, uplo as std::ffi::c_char);
                    let info = ws.size_for(key, || {
                        let (mut info, mut query, mut iquery) = (0, 0.0 as $t, 0i32);
                        lapack_sys::[<$p syevd_>](
                            &jobz, &uplo, &n, a, &lda, w, &mut query, &-1, &mut iquery, &-1, &mut info,
                        );
                        let lwork = $crate::kernels::lwork_from(f64::from(query));
                        if info != 0 { Err(info) } else {
                            Ok($crate::kernels::Lengths {
                                work: lwork as usize, lwork, rwork: 0, iwork: iquery.max(1) as usize,
                            })
                        }
                    });
                    if info != 0 {
                        return info;
                    }
                    let mut info = 0;
                    lapack_sys::[<$p syevd_>](
                        &jobz, &uplo, &n, a, &lda, w, ws.work.as_mut_ptr(), &ws.lwork,
                        ws.iwork.as_mut_ptr(), &ws.liwork, &mut info,
                    );
                    info
                })
            }
            unsafe fn geev(
                vectors: bool, n: i32, a: *mut Self, lda: i32, w: *mut num_complex::Complex<$t>,
                v: *mut num_complex::Complex<$t>, ws: &mut $crate::kernels::Workspace<Self>,
            ) -> i32 {
                $crate::kernels::gated!($crate::threads::Work::factor(n, n), {
                    let nu = n.max(1) as usize;
                    let key = $crate::kernels::WorkKey { routine: "geev", args: [vectors.into(), n, 0, 0] };
                    let jobvr = if vectors { b'V' } else { b'N' } as std::ffi::c_char;
                    let jobvl = b'N' as std::ffi::c_char;
                    let ldvr = if vectors { n.max(1) } else { 1 };
                    let vr_len = if vectors { nu * nu } else { 1 };
                    // work = [LWORK entries | vr], rwork = [wr | wi].
                    let mut dummy = 0.0 as $t;
                    let info = ws.size_for(key, || {
                        let (mut info, mut query, mut scratch) = (0, 0.0 as $t, [0.0 as $t; 3]);
                        let p = scratch.as_mut_ptr();
                        lapack_sys::[<$p geev_>](
                            &jobvl, &jobvr, &n, a, &lda, p, p.add(1), &mut dummy, &1, p.add(2),
                            &ldvr, &mut query, &-1, &mut info,
                        );
                        let lwork = $crate::kernels::lwork_from(f64::from(query));
                        if info != 0 { Err(info) } else {
                            Ok($crate::kernels::Lengths {
                                work: lwork as usize + vr_len, lwork, rwork: 2 * nu, iwork: 0,
                            })
                        }
                    });
                    if info != 0 {
                        return info;
                    }
                    let (work, vr) = ws.work.split_at_mut(ws.lwork as usize);
                    let (wr, wi) = ws.rwork.split_at_mut(nu);
                    let mut info = 0;
                    lapack_sys::[<$p geev_>](
                        &jobvl, &jobvr, &n, a, &lda, wr.as_mut_ptr(), wi.as_mut_ptr(), &mut dummy,
                        &1, vr.as_mut_ptr(), &ldvr, work.as_mut_ptr(), &ws.lwork, &mut info,
                    );
                    if info != 0 {
                        return info;
                    }
                    let n = n as usize;
                    for j in 0..n {
                        *w.add(j) = num_complex::Complex::new(wr[j], wi[j]);
                    }
                    if vectors {
                        // A conjugate pair (wi[j] > 0) stores re in column j and im in column j+1.
                        let mut j = 0;
                        while j < n {
                            if wi[j] == 0.0 {
                                for i in 0..n {
                                    *v.add(j * n + i) = num_complex::Complex::new(vr[j * n + i], 0.0);
                                }
                                j += 1;
                            } else {
                                for i in 0..n {
                                    let (re, im) = (vr[j * n + i], vr[(j + 1) * n + i]);
                                    *v.add(j * n + i) = num_complex::Complex::new(re, im);
                                    *v.add((j + 1) * n + i) = num_complex::Complex::new(re, -im);
                                }
                                j += 2;
                            }
                        }
                    }
                    0
                })
            }
            unsafe fn gelsd(
                m: i32, n: i32, nrhs: i32, a: *mut Self, lda: i32, b: *mut Self, ldb: i32,
                s: *mut $t, rcond: $t, ws: &mut $crate::kernels::Workspace<Self>,
            ) -> (i32, i32) {
                $crate::kernels::gated!($crate::threads::Work::factor(m, n), {
                    let key = $crate::kernels::WorkKey { routine: "gelsd", args: [m, n, nrhs, ldb] };
                    let mut rank = 0;
                    let info = ws.size_for(key, || {
                        let (mut info, mut query, mut iquery) = (0, 0.0 as $t, 0i32);
                        lapack_sys::[<$p gelsd_>](
                            &m, &n, &nrhs, a, &lda, b, &ldb, s, &rcond, &mut rank, &mut query, &-1,
                            &mut iquery, &mut info,
                        );
                        let lwork = $crate::kernels::lwork_from(f64::from(query));
                        if info != 0 { Err(info) } else {
                            Ok($crate::kernels::Lengths {
                                work: lwork as usize, lwork, rwork: 0, iwork: iquery.max(1) as usize,
                            })
                        }
                    });
                    if info != 0 {
                        return (0, info);
                    }
                    let mut info = 0;
                    lapack_sys::[<$p gelsd_>](
                        &m, &n, &nrhs, a, &lda, b, &ldb, s, &rcond, &mut rank, ws.work.as_mut_ptr(),
                        &ws.lwork, ws.iwork.as_mut_ptr(), &mut info,
                    );
                    (rank, info)
                })
            }
        }
    };
    (complex $r:ty, $p:ident) => {
        $crate::kernels::lapack_kernels!(@common $r, lapack_sys::__BindgenComplex<$r>, $p, ungqr);
        paste::paste! {
            unsafe fn gecon(
                norm: u8, n: i32, a: *const Self, lda: i32, anorm: $r,
                ws: &mut $crate::kernels::Workspace<Self>,
            ) -> ($r, i32) {
                $crate::kernels::gated!($crate::threads::Work::product(n, n, 1), {
                    let nu = n.max(1) as usize;
                    let key = $crate::kernels::WorkKey { routine: "gecon", args: [n, 0, 0, 0] };
                    ws.size_for(key, || Ok($crate::kernels::Lengths {
                        work: 2 * nu, lwork: 2 * nu as i32, rwork: 2 * nu, iwork: 0,
                    }));
                    let (mut rcond, mut info) = (0.0, 0);
                    lapack_sys::[<$p gecon_>](
                        &(norm as std::ffi::c_char), &n, a as *const _, &lda, &anorm, &mut rcond,
                        ws.work.as_mut_ptr() as *mut _, ws.rwork.as_mut_ptr(), &mut info,
                    );
                    (rcond, info)
                })
            }
            unsafe fn gesdd(
                jobz: u8, m: i32, n: i32, a: *mut Self, lda: i32, s: *mut $r,
                u: *mut Self, ldu: i32, vt: *mut Self, ldvt: i32,
                ws: &mut $crate::kernels::Workspace<Self>,
            ) -> i32 {
                $crate::kernels::gated!($crate::threads::Work::factor(m, n), {
                    let key = $crate::kernels::WorkKey { routine: "gesdd", args: [jobz.into(), m, n, 0] };
                    let (mn, mx) = (m.min(n).max(1) as usize, m.max(n).max(1) as usize);
                    let rwork = if jobz == b'N' {
                        7 * mn
                    } else {
                        (5 * mn * mn + 5 * mn).max(2 * mx * mn + 2 * mn * mn + mn)
                    };
                    let jobz = jobz as std::ffi::c_char;
                    let info = ws.size_for(key, || {
                        let (mut info, mut query, mut rdummy, mut idummy) = (0, Self::default(), 0.0 as $r, 0i32);
                        lapack_sys::[<$p gesdd_>](
                            &jobz, &m, &n, a as *mut _, &lda, s, u as *mut _, &ldu, vt as *mut _, &ldvt,
                            &mut query as *mut Self as *mut _, &-1, &mut rdummy, &mut idummy, &mut info,
                        );
                        let lwork = $crate::kernels::lwork_from(f64::from(query.re));
                        if info != 0 { Err(info) } else {
                            Ok($crate::kernels::Lengths { work: lwork as usize, lwork, rwork, iwork: 8 * mn })
                        }
                    });
                    if info != 0 {
                        return info;
                    }
                    let mut info = 0;
                    lapack_sys::[<$p gesdd_>](
                        &jobz, &m, &n, a as *mut _, &lda, s, u as *mut _, &ldu, vt as *mut _, &ldvt,
                        ws.work.as_mut_ptr() as *mut _, &ws.lwork, ws.rwork.as_mut_ptr(),
                        ws.iwork.as_mut_ptr(), &mut info,
                    );
                    info
                })
            }
            unsafe fn heevd(
                jobz: u8, uplo: u8, n: i32, a: *mut Self, lda: i32, w: *mut $r,
                ws: &mut $crate::kernels::Workspace<Self>,
            ) -> i32 {
                $crate::kernels::gated!($crate::threads::Work::factor(n, n), {
                    let key = $crate::kernels::WorkKey { routine: "heevd", args: [jobz.into(), n, 0, 0] };
                    let (jobz, uplo) = (jobz as std::ffi::c_char, uplo as std::ffi::c_char);
                    let info = ws.size_for(key, || {
                        let (mut info, mut query, mut rquery, mut iquery) =
                            (0, Self::default(), 0.0 as $r, 0i32);
                        lapack_sys::[<$p heevd_>](
                            &jobz, &uplo, &n, a as *mut _, &lda, w, &mut query as *mut Self as *mut _,
                            &-1, &mut rquery, &-1, &mut iquery, &-1, &mut info,
                        );
                        let lwork = $crate::kernels::lwork_from(f64::from(query.re));
                        if info != 0 { Err(info) } else {
                            Ok($crate::kernels::Lengths {
                                work: lwork as usize, lwork,
                                rwork: $crate::kernels::lwork_from(f64::from(rquery)) as usize,
                                iwork: iquery.max(1) as usize,
                            })
                        }
                    });
                    if info != 0 {
                        return info;
                    }
                    let mut info = 0;
                    lapack_sys::[<$p heevd_>](
                        &jobz, &uplo, &n, a as *mut _, &lda, w, ws.work.as_mut_ptr() as *mut _, &ws.lwork,
                        ws.rwork.as_mut_ptr(), &ws.lrwork, ws.iwork.as_mut_ptr(), &ws.liwork, &mut info,
                    );
                    info
                })
            }
            unsafe fn geev(
                vectors: bool, n: i32, a: *mut Self, lda: i32, w: *mut Self, v: *mut Self,
                ws: &mut $crate::kernels::Workspace<Self>,
            ) -> i32 {
                $crate::kernels::gated!($crate::threads::Work::factor(n, n), {
                    let key = $crate::kernels::WorkKey { routine: "geev", args: [vectors.into(), n, 0, 0] };
                    let jobvr = if vectors { b'V' } else { b'N' } as std::ffi::c_char;
                    let jobvl = b'N' as std::ffi::c_char;
                    let ldvr = if vectors { n.max(1) } else { 1 };
                    let mut dummy = Self::default();
                    let v = if vectors { v } else { &mut dummy as *mut Self };
                    let mut vl = Self::default();
                    let info = ws.size_for(key, || {
                        let (mut info, mut query, mut rdummy) = (0, Self::default(), 0.0 as $r);
                        lapack_sys::[<$p geev_>](
                            &jobvl, &jobvr, &n, a as *mut _, &lda, w as *mut _,
                            &mut vl as *mut Self as *mut _, &1, v as *mut _, &ldvr,
                            &mut query as *mut Self as *mut _, &-1, &mut rdummy, &mut info,
                        );
                        let lwork = $crate::kernels::lwork_from(f64::from(query.re));
                        if info != 0 { Err(info) } else {
                            Ok($crate::kernels::Lengths {
                                work: lwork as usize, lwork, rwork: 2 * n.max(1) as usize, iwork: 0,
                            })
                        }
                    });
                    if info != 0 {
                        return info;
                    }
                    let mut info = 0;
                    lapack_sys::[<$p geev_>](
                        &jobvl, &jobvr, &n, a as *mut _, &lda, w as *mut _,
                        &mut vl as *mut Self as *mut _, &1, v as *mut _, &ldvr,
                        ws.work.as_mut_ptr() as *mut _, &ws.lwork, ws.rwork.as_mut_ptr(), &mut info,
                    );
                    info
                })
            }
            unsafe fn gelsd(
                m: i32, n: i32, nrhs: i32, a: *mut Self, lda: i32, b: *mut Self, ldb: i32,
                s: *mut $r, rcond: $r, ws: &mut $crate::kernels::Workspace<Self>,
            ) -> (i32, i32) {
                $crate::kernels::gated!($crate::threads::Work::factor(m, n), {
                    let key = $crate::kernels::WorkKey { routine: "gelsd", args: [m, n, nrhs, ldb] };
                    let mut rank = 0;
                    let info = ws.size_for(key, || {
                        let (mut info, mut query, mut rquery, mut iquery) =
                            (0, Self::default(), 0.0 as $r, 0i32);
                        lapack_sys::[<$p gelsd_>](
                            &m, &n, &nrhs, a as *mut _, &lda, b as *mut _, &ldb, s, &rcond, &mut rank,
                            &mut query as *mut Self as *mut _, &-1, &mut rquery, &mut iquery, &mut info,
                        );
                        let lwork = $crate::kernels::lwork_from(f64::from(query.re));
                        if info != 0 { Err(info) } else {
                            Ok($crate::kernels::Lengths {
                                work: lwork as usize, lwork,
                                rwork: $crate::kernels::lwork_from(f64::from(rquery)) as usize,
                                iwork: iquery.max(1) as usize,
                            })
                        }
                    });
                    if info != 0 {
                        return (0, info);
                    }
                    let mut info = 0;
                    lapack_sys::[<$p gelsd_>](
                        &m, &n, &nrhs, a as *mut _, &lda, b as *mut _, &ldb, s, &rcond, &mut rank,
                        ws.work.as_mut_ptr() as *mut _, &ws.lwork, ws.rwork.as_mut_ptr(),
                        ws.iwork.as_mut_ptr(), &mut info,
                    );
                    (rank, info)
                })
            }
        }
    };
    // Routines whose real and complex signatures differ only in the element type.
    (@common $r:ty, $ffi:ty, $p:ident, $orgqr:ident) => {
        paste::paste! {
            unsafe fn getrf(m: i32, n: i32, a: *mut Self, lda: i32, ipiv: *mut i32) -> i32 {
                $crate::kernels::gated!($crate::threads::Work::factor(m, n), {
                    let mut info = 0;
                    lapack_sys::[<$p getrf_>](&m, &n, a as *mut $ffi, &lda, ipiv, &mut info);
                    info
                })
            }
            unsafe fn getrs(
                trans: $crate::kernels::Trans, n: i32, nrhs: i32, a: *const Self, lda: i32,
                ipiv: *const i32, b: *mut Self, ldb: i32,
            ) -> i32 {
                $crate::kernels::gated!($crate::threads::Work::product(n, n, nrhs), {
                    let mut info = 0;
                    lapack_sys::[<$p getrs_>](
                        &(trans.lapack() as std::ffi::c_char), &n, &nrhs, a as *const $ffi, &lda,
                        ipiv, b as *mut $ffi, &ldb, &mut info,
                    );
                    info
                })
            }
            unsafe fn getri(
                n: i32, a: *mut Self, lda: i32, ipiv: *const i32,
                ws: &mut $crate::kernels::Workspace<Self>,
            ) -> i32 {
                $crate::kernels::gated!($crate::threads::Work::factor(n, n), {
                    let key = $crate::kernels::WorkKey { routine: "getri", args: [n, 0, 0, 0] };
                    let info = ws.size_for(key, || {
                        let (mut info, mut query) = (0, Self::default());
                        lapack_sys::[<$p getri_>](
                            &n, a as *mut $ffi, &lda, ipiv, &mut query as *mut Self as *mut $ffi, &-1,
                            &mut info,
                        );
                        $crate::kernels::queried_work(info, $crate::Scalar::re(query).into())
                    });
                    if info != 0 {
                        return info;
                    }
                    let mut info = 0;
                    lapack_sys::[<$p getri_>](
                        &n, a as *mut $ffi, &lda, ipiv, ws.work.as_mut_ptr() as *mut $ffi, &ws.lwork,
                        &mut info,
                    );
                    info
                })
            }
            unsafe fn potrf(uplo: u8, n: i32, a: *mut Self, lda: i32) -> i32 {
                $crate::kernels::gated!($crate::threads::Work::factor(n, n), {
                    let mut info = 0;
                    lapack_sys::[<$p potrf_>](
                        &(uplo as std::ffi::c_char), &n, a as *mut $ffi, &lda, &mut info,
                    );
                    info
                })
            }
            unsafe fn potrs(
                uplo: u8, n: i32, nrhs: i32, a: *const Self, lda: i32, b: *mut Self, ldb: i32,
            ) -> i32 {
                $crate::kernels::gated!($crate::threads::Work::product(n, n, nrhs), {
                    let mut info = 0;
                    lapack_sys::[<$p potrs_>](
                        &(uplo as std::ffi::c_char), &n, &nrhs, a as *const $ffi, &lda,
                        b as *mut $ffi, &ldb, &mut info,
                    );
                    info
                })
            }
            unsafe fn trtrs(
                uplo: u8, trans: $crate::kernels::Trans, diag: u8, n: i32, nrhs: i32,
                a: *const Self, lda: i32, b: *mut Self, ldb: i32,
            ) -> i32 {
                $crate::kernels::gated!($crate::threads::Work::product(n, n, nrhs), {
                    let mut info = 0;
                    lapack_sys::[<$p trtrs_>](
                        &(uplo as std::ffi::c_char), &(trans.lapack() as std::ffi::c_char),
                        &(diag as std::ffi::c_char), &n, &nrhs, a as *const $ffi, &lda,
                        b as *mut $ffi, &ldb, &mut info,
                    );
                    info
                })
            }
            unsafe fn geqrf(
                m: i32, n: i32, a: *mut Self, lda: i32, tau: *mut Self,
                ws: &mut $crate::kernels::Workspace<Self>,
            ) -> i32 {
                $crate::kernels::gated!($crate::threads::Work::factor(m, n), {
                    let key = $crate::kernels::WorkKey { routine: "geqrf", args: [m, n, 0, 0] };
                    let info = ws.size_for(key, || {
                        let (mut info, mut query) = (0, Self::default());
                        lapack_sys::[<$p geqrf_>](
                            &m, &n, a as *mut $ffi, &lda, tau as *mut $ffi,
                            &mut query as *mut Self as *mut $ffi, &-1, &mut info,
                        );
                        $crate::kernels::queried_work(info, $crate::Scalar::re(query).into())
                    });
                    if info != 0 {
                        return info;
                    }
                    let mut info = 0;
                    lapack_sys::[<$p geqrf_>](
                        &m, &n, a as *mut $ffi, &lda, tau as *mut $ffi, ws.work.as_mut_ptr() as *mut $ffi,
                        &ws.lwork, &mut info,
                    );
                    info
                })
            }
            unsafe fn orgqr(
                m: i32, n: i32, k: i32, a: *mut Self, lda: i32, tau: *const Self,
                ws: &mut $crate::kernels::Workspace<Self>,
            ) -> i32 {
                $crate::kernels::gated!($crate::threads::Work::factor(m, n), {
                    let key = $crate::kernels::WorkKey { routine: stringify!($orgqr), args: [m, n, k, 0] };
                    let info = ws.size_for(key, || {
                        let (mut info, mut query) = (0, Self::default());
                        lapack_sys::[<$p $orgqr _>](
                            &m, &n, &k, a as *mut $ffi, &lda, tau as *const $ffi,
                            &mut query as *mut Self as *mut $ffi, &-1, &mut info,
                        );
                        $crate::kernels::queried_work(info, $crate::Scalar::re(query).into())
                    });
                    if info != 0 {
                        return info;
                    }
                    let mut info = 0;
                    lapack_sys::[<$p $orgqr _>](
                        &m, &n, &k, a as *mut $ffi, &lda, tau as *const $ffi,
                        ws.work.as_mut_ptr() as *mut $ffi, &ws.lwork, &mut info,
                    );
                    info
                })
            }
        }
    };
}

pub(crate) use lapack_kernels;
