//! LAPACK kernels of the generalized and subset eigenproblems and of the Schur and Hessenberg
//! forms (Fortran interface via `lapack-sys`, column-major).
//!
//! | operation | real (s/d) | complex (c/z) |
//! |---|---|---|
//! | symmetric-definite generalized eigen | `?sygvd` | `?hegvd` |
//! | general generalized eigen | `?ggev` | `?ggev` |
//! | selected symmetric/Hermitian eigenpairs (by index or value) | `?syevr` | `?heevr` |
//! | Schur form | `?gees` | `?gees` |
//! | Hessenberg form | `?gehrd`, `?orghr` | `?gehrd`, `?unghr` |

/// Declares (`declare`) or implements (`real`/`complex` with the type prefix) the LAPACK
/// methods of [`Scalar`](crate::Scalar) behind `linalg`'s eigen additions. Every method
/// returns LAPACK's `info`.
macro_rules! lapack_eigen_kernels {
    (declare) => {
        /// `A·x = λ·B·x` for Hermitian `A` and Hermitian positive-definite `B` by
        /// divide and conquer (`?sygvd` / `?hegvd`, `ITYPE = 1`): eigenvalues ascending into
        /// `w` (n entries), B-orthonormal eigenvectors over `a` when `jobz = b'V'`, the
        /// Cholesky factor of `B` over `b`. `info` > n means `B` has a non-positive leading
        /// minor of order `info − n`.
        #[doc(hidden)]
        #[allow(clippy::too_many_arguments)]
        unsafe fn hegvd(
            jobz: u8, uplo: u8, n: i32, a: *mut Self, lda: i32, b: *mut Self, ldb: i32,
            w: *mut <Self as $crate::Scalar>::Real, ws: &mut $crate::kernels::Workspace<Self>,
        ) -> i32
        where
            Self: $crate::Scalar;
        /// `A·x = λ·B·x` for general `A`, `B` (`?ggev`, right eigenvectors only): λ = α/β
        /// with `alpha` (n complex entries) and `beta` (n entries), the right eigenvectors as
        /// complex columns (n×n column-major, leading dimension n, LAPACK's scaling: largest
        /// component of |re| + |im| = 1) into `v`. `a` and `b` are overwritten.
        #[doc(hidden)]
        #[allow(clippy::too_many_arguments)]
        unsafe fn ggev(
            n: i32, a: *mut Self, lda: i32, b: *mut Self, ldb: i32,
            alpha: *mut <Self as $crate::Scalar>::Complex, beta: *mut Self,
            v: *mut <Self as $crate::Scalar>::Complex, ws: &mut $crate::kernels::Workspace<Self>,
        ) -> i32
        where
            Self: $crate::Scalar;
        /// Selected eigenpairs of a Hermitian matrix (`?syevr` / `?heevr`, `JOBZ = 'V'`):
        /// `range = b'I'` the pairs `il..=iu` (1-based, ascending), `range = b'V'` those with
        /// eigenvalue in `(vl, vu]`. Eigenvalues into `w` (n entries of room), vectors into the
        /// column-major `z` (leading dimension `ldz`, room for every pair that can be found).
        /// Returns (number found, info).
        #[doc(hidden)]
        #[allow(clippy::too_many_arguments)]
        unsafe fn heevr_range(
            range: u8, uplo: u8, n: i32, a: *mut Self, lda: i32,
            vl: <Self as $crate::Scalar>::Real, vu: <Self as $crate::Scalar>::Real, il: i32,
            iu: i32, w: *mut <Self as $crate::Scalar>::Real, z: *mut Self, ldz: i32,
            ws: &mut $crate::kernels::Workspace<Self>,
        ) -> (i32, i32)
        where
            Self: $crate::Scalar;
        /// Schur form `A = Z·T·Zᴴ` without sorting (`?gees`, `JOBVS = 'V'`): `T` over `a`
        /// (quasi-triangular for real types), the eigenvalues (diagonal of `T`, 2×2 blocks
        /// giving conjugate pairs) into `w` (n complex entries), `Z` into `vs`.
        #[doc(hidden)]
        #[allow(clippy::too_many_arguments)]
        unsafe fn gees(
            n: i32, a: *mut Self, lda: i32, w: *mut <Self as $crate::Scalar>::Complex,
            vs: *mut Self, ldvs: i32, ws: &mut $crate::kernels::Workspace<Self>,
        ) -> i32
        where
            Self: $crate::Scalar;
        /// Hessenberg reduction `A = Q·H·Qᴴ` (`?gehrd`, `ILO = 1`, `IHI = n`): `H` in the
        /// upper Hessenberg part of `a`, the reflectors below it and in `tau` (n − 1 entries).
        #[doc(hidden)]
        unsafe fn gehrd(n: i32, a: *mut Self, lda: i32, tau: *mut Self, ws: &mut $crate::kernels::Workspace<Self>) -> i32
        where
            Self: $crate::Scalar;
        /// `Q` from `?gehrd`'s reflectors, over `a` (`?orghr` / `?unghr`, `ILO = 1`, `IHI = n`).
        #[doc(hidden)]
        unsafe fn orghr(n: i32, a: *mut Self, lda: i32, tau: *const Self, ws: &mut $crate::kernels::Workspace<Self>) -> i32
        where
            Self: $crate::Scalar;
        /// Not a LAPACK routine: the matching complex value `re + i·im`, which the callers of
        /// these kernels need to assemble complex results from real and imaginary parts
        /// (`Scalar` itself has no complex constructor).
        #[doc(hidden)]
        fn complex_from_parts(
            re: <Self as $crate::Scalar>::Real, im: <Self as $crate::Scalar>::Real,
        ) -> <Self as $crate::Scalar>::Complex
        where
            Self: $crate::Scalar;
    };
    (real $t:ty, $p:ident) => {
        $crate::kernels::lapack_eigen_kernels!(@common $t, $p, orghr);
        paste::paste! {
            unsafe fn hegvd(
                jobz: u8, uplo: u8, n: i32, a: *mut Self, lda: i32, b: *mut Self, ldb: i32,
                w: *mut $t, ws: &mut $crate::kernels::Workspace<Self>,
            ) -> i32 {
                $crate::kernels::gated!($crate::threads::Work::factor(n, n), {
                    let key = $crate::kernels::WorkKey { routine: "sygvd", args: [jobz.into(), n, 0, 0] };
                    let (itype, jobz, uplo) = (1, jobz as std::ffi::c_char, uplo as std::ffi::c_char);
                    let info = ws.size_for(key, || {
                        let (mut info, mut query, mut iquery) = (0, 0.0 as $t, 0i32);
                        lapack_sys::[<$p sygvd_>](
                            &itype, &jobz, &uplo, &n, a, &lda, b, &ldb, w, &mut query, &-1,
                            &mut iquery, &-1, &mut info,
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
                    lapack_sys::[<$p sygvd_>](
                        &itype, &jobz, &uplo, &n, a, &lda, b, &ldb, w, ws.work.as_mut_ptr(),
                        &ws.lwork, ws.iwork.as_mut_ptr(), &ws.liwork, &mut info,
                    );
                    info
                })
            }
            unsafe fn ggev(
                n: i32, a: *mut Self, lda: i32, b: *mut Self, ldb: i32,
                alpha: *mut num_complex::Complex<$t>, beta: *mut $t,
                v: *mut num_complex::Complex<$t>, ws: &mut $crate::kernels::Workspace<Self>,
            ) -> i32 {
                $crate::kernels::gated!($crate::threads::Work::factor(n, n), {
                    let nu = n.max(1) as usize;
                    let key = $crate::kernels::WorkKey { routine: "ggev", args: [n, 0, 0, 0] };
                    let (jobvl, jobvr) = (b'N' as std::ffi::c_char, b'V' as std::ffi::c_char);
                    let ldvr = n.max(1);
                    // work = [LWORK entries | vr (n×n)], rwork = [alphar | alphai].
                    let mut vl = 0.0 as $t;
                    let info = ws.size_for(key, || {
                        let (mut info, mut query, mut scratch) = (0, 0.0 as $t, [0.0 as $t; 3]);
                        let p = scratch.as_mut_ptr();
                        lapack_sys::[<$p ggev_>](
                            &jobvl, &jobvr, &n, a, &lda, b, &ldb, p, p.add(1), beta, &mut vl, &1,
                            p.add(2), &ldvr, &mut query, &-1, &mut info,
                        );
                        let lwork = $crate::kernels::lwork_from(f64::from(query));
                        if info != 0 { Err(info) } else {
                            Ok($crate::kernels::Lengths {
                                work: lwork as usize + nu * nu, lwork, rwork: 2 * nu, iwork: 0,
                            })
                        }
                    });
                    if info != 0 {
                        return info;
                    }
                    let (work, vr) = ws.work.split_at_mut(ws.lwork as usize);
                    let (ar, ai) = ws.rwork.split_at_mut(nu);
                    let mut info = 0;
                    lapack_sys::[<$p ggev_>](
                        &jobvl, &jobvr, &n, a, &lda, b, &ldb, ar.as_mut_ptr(), ai.as_mut_ptr(), beta,
                        &mut vl, &1, vr.as_mut_ptr(), &ldvr, work.as_mut_ptr(), &ws.lwork, &mut info,
                    );
                    if info != 0 {
                        return info;
                    }
                    let n = n as usize;
                    for j in 0..n {
                        *alpha.add(j) = num_complex::Complex::new(ar[j], ai[j]);
                    }
                    // A conjugate pair (alphai[j] > 0) stores re in column j and im in column j+1.
                    let mut j = 0;
                    while j < n {
                        if ai[j] == 0.0 {
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
                    0
                })
            }
            unsafe fn heevr_range(
                range: u8, uplo: u8, n: i32, a: *mut Self, lda: i32, vl: $t, vu: $t, il: i32,
                iu: i32, w: *mut $t, z: *mut Self, ldz: i32,
                ws: &mut $crate::kernels::Workspace<Self>,
            ) -> (i32, i32) {
                $crate::kernels::gated!($crate::threads::Work::factor(n, n), {
                    let key = $crate::kernels::WorkKey { routine: "syevr", args: [range.into(), n, il, iu] };
                    let (jobz, range, uplo) = (b'V' as std::ffi::c_char, range as std::ffi::c_char,
                        uplo as std::ffi::c_char);
                    let abstol = 0.0 as $t;
                    let mut isuppz = vec![0i32; 2 * n.max(1) as usize];
                    let mut found = 0;
                    let info = ws.size_for(key, || {
                        let (mut info, mut query, mut iquery) = (0, 0.0 as $t, 0i32);
                        lapack_sys::[<$p syevr_>](
                            &jobz, &range, &uplo, &n, a, &lda, &vl, &vu, &il, &iu, &abstol, &mut found,
                            w, z, &ldz, isuppz.as_mut_ptr(), &mut query, &-1, &mut iquery, &-1,
                            &mut info,
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
                    lapack_sys::[<$p syevr_>](
                        &jobz, &range, &uplo, &n, a, &lda, &vl, &vu, &il, &iu, &abstol, &mut found,
                        w, z, &ldz, isuppz.as_mut_ptr(), ws.work.as_mut_ptr(), &ws.lwork,
                        ws.iwork.as_mut_ptr(), &ws.liwork, &mut info,
                    );
                    (found, info)
                })
            }
            unsafe fn gees(
                n: i32, a: *mut Self, lda: i32, w: *mut num_complex::Complex<$t>, vs: *mut Self,
                ldvs: i32, ws: &mut $crate::kernels::Workspace<Self>,
            ) -> i32 {
                $crate::kernels::gated!($crate::threads::Work::factor(n, n), {
                    let nu = n.max(1) as usize;
                    let key = $crate::kernels::WorkKey { routine: "gees", args: [n, 0, 0, 0] };
                    let (jobvs, sort) = (b'V' as std::ffi::c_char, b'N' as std::ffi::c_char);
                    // BWORK is not referenced without sorting.
                    let (mut sdim, mut bwork) = (0, 0);
                    // rwork = [wr | wi].
                    let info = ws.size_for(key, || {
                        let (mut info, mut query, mut scratch) = (0, 0.0 as $t, [0.0 as $t; 2]);
                        let p = scratch.as_mut_ptr();
                        lapack_sys::[<$p gees_>](
                            &jobvs, &sort, None, &n, a, &lda, &mut sdim, p, p.add(1), vs, &ldvs,
                            &mut query, &-1, &mut bwork, &mut info,
                        );
                        let lwork = $crate::kernels::lwork_from(f64::from(query));
                        if info != 0 { Err(info) } else {
                            Ok($crate::kernels::Lengths { work: lwork as usize, lwork, rwork: 2 * nu, iwork: 0 })
                        }
                    });
                    if info != 0 {
                        return info;
                    }
                    let (wr, wi) = ws.rwork.split_at_mut(nu);
                    let mut info = 0;
                    lapack_sys::[<$p gees_>](
                        &jobvs, &sort, None, &n, a, &lda, &mut sdim, wr.as_mut_ptr(), wi.as_mut_ptr(),
                        vs, &ldvs, ws.work.as_mut_ptr(), &ws.lwork, &mut bwork, &mut info,
                    );
                    for j in 0..n as usize {
                        *w.add(j) = num_complex::Complex::new(wr[j], wi[j]);
                    }
                    info
                })
            }
        }
    };
    (complex $r:ty, $p:ident) => {
        $crate::kernels::lapack_eigen_kernels!(@common $r, $p, unghr);
        paste::paste! {
            unsafe fn hegvd(
                jobz: u8, uplo: u8, n: i32, a: *mut Self, lda: i32, b: *mut Self, ldb: i32,
                w: *mut $r, ws: &mut $crate::kernels::Workspace<Self>,
            ) -> i32 {
                $crate::kernels::gated!($crate::threads::Work::factor(n, n), {
                    let key = $crate::kernels::WorkKey { routine: "hegvd", args: [jobz.into(), n, 0, 0] };
                    let (itype, jobz, uplo) = (1, jobz as std::ffi::c_char, uplo as std::ffi::c_char);
                    let info = ws.size_for(key, || {
                        let (mut info, mut query, mut rquery, mut iquery) =
                            (0, Self::default(), 0.0 as $r, 0i32);
                        lapack_sys::[<$p hegvd_>](
                            &itype, &jobz, &uplo, &n, a as *mut _, &lda, b as *mut _, &ldb, w,
                            &mut query as *mut Self as *mut _, &-1, &mut rquery, &-1, &mut iquery,
                            &-1, &mut info,
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
                    lapack_sys::[<$p hegvd_>](
                        &itype, &jobz, &uplo, &n, a as *mut _, &lda, b as *mut _, &ldb, w,
                        ws.work.as_mut_ptr() as *mut _, &ws.lwork, ws.rwork.as_mut_ptr(), &ws.lrwork,
                        ws.iwork.as_mut_ptr(), &ws.liwork, &mut info,
                    );
                    info
                })
            }
            unsafe fn ggev(
                n: i32, a: *mut Self, lda: i32, b: *mut Self, ldb: i32, alpha: *mut Self,
                beta: *mut Self, v: *mut Self, ws: &mut $crate::kernels::Workspace<Self>,
            ) -> i32 {
                $crate::kernels::gated!($crate::threads::Work::factor(n, n), {
                    let key = $crate::kernels::WorkKey { routine: "ggev", args: [n, 0, 0, 0] };
                    let (jobvl, jobvr) = (b'N' as std::ffi::c_char, b'V' as std::ffi::c_char);
                    let ldvr = n.max(1);
                    let mut vl = Self::default();
                    let info = ws.size_for(key, || {
                        let (mut info, mut query, mut rdummy) = (0, Self::default(), 0.0 as $r);
                        lapack_sys::[<$p ggev_>](
                            &jobvl, &jobvr, &n, a as *mut _, &lda, b as *mut _, &ldb, alpha as *mut _,
                            beta as *mut _, &mut vl as *mut Self as *mut _, &1, v as *mut _, &ldvr,
                            &mut query as *mut Self as *mut _, &-1, &mut rdummy, &mut info,
                        );
                        let lwork = $crate::kernels::lwork_from(f64::from(query.re));
                        if info != 0 { Err(info) } else {
                            Ok($crate::kernels::Lengths {
                                work: lwork as usize, lwork, rwork: 8 * n.max(1) as usize, iwork: 0,
                            })
                        }
                    });
                    if info != 0 {
                        return info;
                    }
                    let mut info = 0;
                    lapack_sys::[<$p ggev_>](
                        &jobvl, &jobvr, &n, a as *mut _, &lda, b as *mut _, &ldb, alpha as *mut _,
                        beta as *mut _, &mut vl as *mut Self as *mut _, &1, v as *mut _, &ldvr,
                        ws.work.as_mut_ptr() as *mut _, &ws.lwork, ws.rwork.as_mut_ptr(), &mut info,
                    );
                    info
                })
            }
            unsafe fn heevr_range(
                range: u8, uplo: u8, n: i32, a: *mut Self, lda: i32, vl: $r, vu: $r, il: i32,
                iu: i32, w: *mut $r, z: *mut Self, ldz: i32,
                ws: &mut $crate::kernels::Workspace<Self>,
            ) -> (i32, i32) {
                $crate::kernels::gated!($crate::threads::Work::factor(n, n), {
                    let key = $crate::kernels::WorkKey { routine: "heevr", args: [range.into(), n, il, iu] };
                    let (jobz, range, uplo) = (b'V' as std::ffi::c_char, range as std::ffi::c_char,
                        uplo as std::ffi::c_char);
                    let abstol = 0.0 as $r;
                    let mut isuppz = vec![0i32; 2 * n.max(1) as usize];
                    let mut found = 0;
                    let info = ws.size_for(key, || {
                        let (mut info, mut query, mut rquery, mut iquery) =
                            (0, Self::default(), 0.0 as $r, 0i32);
                        lapack_sys::[<$p heevr_>](
                            &jobz, &range, &uplo, &n, a as *mut _, &lda, &vl, &vu, &il, &iu, &abstol,
                            &mut found, w, z as *mut _, &ldz, isuppz.as_mut_ptr(),
                            &mut query as *mut Self as *mut _, &-1, &mut rquery, &-1, &mut iquery, &-1,
                            &mut info,
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
                    lapack_sys::[<$p heevr_>](
                        &jobz, &range, &uplo, &n, a as *mut _, &lda, &vl, &vu, &il, &iu, &abstol,
                        &mut found, w, z as *mut _, &ldz, isuppz.as_mut_ptr(),
                        ws.work.as_mut_ptr() as *mut _, &ws.lwork, ws.rwork.as_mut_ptr(), &ws.lrwork,
                        ws.iwork.as_mut_ptr(), &ws.liwork, &mut info,
                    );
                    (found, info)
                })
            }
            unsafe fn gees(
                n: i32, a: *mut Self, lda: i32, w: *mut Self, vs: *mut Self, ldvs: i32,
                ws: &mut $crate::kernels::Workspace<Self>,
            ) -> i32 {
                $crate::kernels::gated!($crate::threads::Work::factor(n, n), {
                    let key = $crate::kernels::WorkKey { routine: "gees", args: [n, 0, 0, 0] };
                    let (jobvs, sort) = (b'V' as std::ffi::c_char, b'N' as std::ffi::c_char);
                    // BWORK is not referenced without sorting.
                    let (mut sdim, mut bwork) = (0, 0);
                    let info = ws.size_for(key, || {
                        let (mut info, mut query, mut rdummy) = (0, Self::default(), 0.0 as $r);
                        lapack_sys::[<$p gees_>](
                            &jobvs, &sort, None, &n, a as *mut _, &lda, &mut sdim, w as *mut _,
                            vs as *mut _, &ldvs, &mut query as *mut Self as *mut _, &-1, &mut rdummy,
                            &mut bwork, &mut info,
                        );
                        let lwork = $crate::kernels::lwork_from(f64::from(query.re));
                        if info != 0 { Err(info) } else {
                            Ok($crate::kernels::Lengths {
                                work: lwork as usize, lwork, rwork: n.max(1) as usize, iwork: 0,
                            })
                        }
                    });
                    if info != 0 {
                        return info;
                    }
                    let mut info = 0;
                    lapack_sys::[<$p gees_>](
                        &jobvs, &sort, None, &n, a as *mut _, &lda, &mut sdim, w as *mut _,
                        vs as *mut _, &ldvs, ws.work.as_mut_ptr() as *mut _, &ws.lwork,
                        ws.rwork.as_mut_ptr(), &mut bwork, &mut info,
                    );
                    info
                })
            }
        }
    };
    // Routines whose real and complex signatures differ only in the element type.
    (@common $r:ty, $p:ident, $orghr:ident) => {
        #[inline]
        fn complex_from_parts(re: $r, im: $r) -> num_complex::Complex<$r> {
            num_complex::Complex::new(re, im)
        }
        paste::paste! {
            unsafe fn gehrd(
                n: i32, a: *mut Self, lda: i32, tau: *mut Self,
                ws: &mut $crate::kernels::Workspace<Self>,
            ) -> i32 {
                $crate::kernels::gated!($crate::threads::Work::factor(n, n), {
                    let key = $crate::kernels::WorkKey { routine: "gehrd", args: [n, 0, 0, 0] };
                    let (ilo, ihi) = (1, n);
                    let info = ws.size_for(key, || {
                        let (mut info, mut query) = (0, Self::default());
                        lapack_sys::[<$p gehrd_>](
                            &n, &ilo, &ihi, a as *mut _, &lda, tau as *mut _,
                            &mut query as *mut Self as *mut _, &-1, &mut info,
                        );
                        $crate::kernels::queried_work(info, $crate::Scalar::re(query).into())
                    });
                    if info != 0 {
                        return info;
                    }
                    let mut info = 0;
                    lapack_sys::[<$p gehrd_>](
                        &n, &ilo, &ihi, a as *mut _, &lda, tau as *mut _,
                        ws.work.as_mut_ptr() as *mut _, &ws.lwork, &mut info,
                    );
                    info
                })
            }
            unsafe fn orghr(
                n: i32, a: *mut Self, lda: i32, tau: *const Self,
                ws: &mut $crate::kernels::Workspace<Self>,
            ) -> i32 {
                $crate::kernels::gated!($crate::threads::Work::factor(n, n), {
                    let key = $crate::kernels::WorkKey { routine: stringify!($orghr), args: [n, 0, 0, 0] };
                    let (ilo, ihi) = (1, n);
                    let info = ws.size_for(key, || {
                        let (mut info, mut query) = (0, Self::default());
                        lapack_sys::[<$p $orghr _>](
                            &n, &ilo, &ihi, a as *mut _, &lda, tau as *const _,
                            &mut query as *mut Self as *mut _, &-1, &mut info,
                        );
                        $crate::kernels::queried_work(info, $crate::Scalar::re(query).into())
                    });
                    if info != 0 {
                        return info;
                    }
                    let mut info = 0;
                    lapack_sys::[<$p $orghr _>](
                        &n, &ilo, &ihi, a as *mut _, &lda, tau as *const _,
                        ws.work.as_mut_ptr() as *mut _, &ws.lwork, &mut info,
                    );
                    info
                })
            }
        }
    };
}

pub(crate) use lapack_eigen_kernels;
