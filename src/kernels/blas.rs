//! BLAS level-1/2/3 kernels (CBLAS interface, column-major).

/// Declares (`declare`) or implements (`real`/`complex` with the type prefix) the BLAS methods
/// of [`Scalar`](crate::Scalar); `uplo` turns a [`UPLO`](crate::linalg::UPLO) into CBLAS's.
macro_rules! blas_kernels {
    (declare) => {
        /// C := alpha·op(A)·op(B) + beta·C on column-major buffers (BLAS `?gemm`).
        #[doc(hidden)]
        #[allow(clippy::too_many_arguments)]
        unsafe fn gemm(
            ta: $crate::kernels::Trans, tb: $crate::kernels::Trans, m: i32, n: i32, k: i32,
            alpha: Self, a: *const Self, lda: i32, b: *const Self, ldb: i32,
            beta: Self, c: *mut Self, ldc: i32,
        );
        /// y := alpha·op(A)·x + beta·y on a column-major A (BLAS `?gemv`).
        #[doc(hidden)]
        #[allow(clippy::too_many_arguments)]
        unsafe fn gemv(
            ta: $crate::kernels::Trans, m: i32, n: i32, alpha: Self, a: *const Self, lda: i32,
            x: *const Self, incx: i32, beta: Self, y: *mut Self, incy: i32,
        );
        /// C := alpha·op(A)·op(A)ᴴ + beta·C on the `uplo` triangle of the column-major n×n
        /// Hermitian C, the other triangle untouched (BLAS `?syrk` for real types, `?herk`
        /// for complex; `alpha` and `beta` are real). `trans` is `No` for A·Aᴴ (A is n×k) or
        /// `Conj` for Aᴴ·A (A is k×n); `Yes` means `Conj` for real types and is not allowed
        /// for complex ones (`?herk` has no plain transpose).
        #[doc(hidden)]
        #[allow(clippy::too_many_arguments)]
        unsafe fn herk(
            uplo: $crate::linalg::UPLO, trans: $crate::kernels::Trans, n: i32, k: i32,
            alpha: <Self as $crate::Scalar>::Real, a: *const Self, lda: i32, beta: <Self as $crate::Scalar>::Real, c: *mut Self, ldc: i32,
        )
        where
            Self: $crate::Scalar;
        /// Σ x_i·y_i (BLAS `?dot` / `?dotu`).
        #[doc(hidden)]
        unsafe fn dotu(n: i32, x: *const Self, incx: i32, y: *const Self, incy: i32) -> Self;
        /// Σ conj(x_i)·y_i (BLAS `?dot` / `?dotc`).
        #[doc(hidden)]
        unsafe fn dotc(n: i32, x: *const Self, incx: i32, y: *const Self, incy: i32) -> Self;
    };
    (uplo $uplo:ident) => {
        match $uplo {
            $crate::linalg::UPLO::Upper => cblas_sys::CblasUpper,
            $crate::linalg::UPLO::Lower => cblas_sys::CblasLower,
        }
    };
    (real $t:ty, $p:ident) => {
        paste::paste! {
            unsafe fn gemm(
                ta: $crate::kernels::Trans, tb: $crate::kernels::Trans, m: i32, n: i32, k: i32,
                alpha: Self, a: *const Self, lda: i32, b: *const Self, ldb: i32,
                beta: Self, c: *mut Self, ldc: i32,
            ) {
                $crate::kernels::gated!($crate::threads::Work::product(m, n, k), {
                    cblas_sys::[<cblas_ $p gemm>](
                        cblas_sys::CblasColMajor, ta.cblas(), tb.cblas(), m, n, k,
                        alpha, a, lda, b, ldb, beta, c, ldc,
                    )
                })
            }
            unsafe fn gemv(
                ta: $crate::kernels::Trans, m: i32, n: i32, alpha: Self, a: *const Self, lda: i32,
                x: *const Self, incx: i32, beta: Self, y: *mut Self, incy: i32,
            ) {
                $crate::kernels::gated!($crate::threads::Work::streaming(m, n), {
                    cblas_sys::[<cblas_ $p gemv>](
                        cblas_sys::CblasColMajor, ta.cblas(), m, n, alpha, a, lda, x, incx, beta, y, incy,
                    )
                })
            }
            unsafe fn herk(
                uplo: $crate::linalg::UPLO, trans: $crate::kernels::Trans, n: i32, k: i32,
                alpha: $t, a: *const Self, lda: i32, beta: $t, c: *mut Self, ldc: i32,
            ) {
                $crate::kernels::gated!($crate::threads::Work::product(n, n, k), {
                    let trans = match trans {
                        $crate::kernels::Trans::No => cblas_sys::CblasNoTrans,
                        $crate::kernels::Trans::Yes | $crate::kernels::Trans::Conj => {
                            cblas_sys::CblasTrans
                        }
                    };
                    let uplo = $crate::kernels::blas_kernels!(uplo uplo);
                    cblas_sys::[<cblas_ $p syrk>](
                        cblas_sys::CblasColMajor, uplo, trans, n, k, alpha, a, lda, beta, c, ldc,
                    )
                })
            }
            unsafe fn dotu(n: i32, x: *const Self, incx: i32, y: *const Self, incy: i32) -> Self {
                $crate::kernels::gated!($crate::threads::Work::streaming(n, 1), {
                    cblas_sys::[<cblas_ $p dot>](n, x, incx, y, incy)
                })
            }
            unsafe fn dotc(n: i32, x: *const Self, incx: i32, y: *const Self, incy: i32) -> Self {
                $crate::kernels::gated!($crate::threads::Work::streaming(n, 1), {
                    cblas_sys::[<cblas_ $p dot>](n, x, incx, y, incy)
                })
            }
        }
    };
    (complex $r:ty, $p:ident) => {
        paste::paste! {
            unsafe fn gemm(
                ta: $crate::kernels::Trans, tb: $crate::kernels::Trans, m: i32, n: i32, k: i32,
                alpha: Self, a: *const Self, lda: i32, b: *const Self, ldb: i32,
                beta: Self, c: *mut Self, ldc: i32,
            ) {
                $crate::kernels::gated!($crate::threads::Work::product(m, n, k), {
                    cblas_sys::[<cblas_ $p gemm>](
                        cblas_sys::CblasColMajor, ta.cblas(), tb.cblas(), m, n, k,
                        &alpha as *const Self as *const [$r; 2], a as *const [$r; 2], lda,
                        b as *const [$r; 2], ldb, &beta as *const Self as *const [$r; 2],
                        c as *mut [$r; 2], ldc,
                    )
                })
            }
            // OpenBLAS 0.3.21's complex ?gemv_n kernels read past the end of x (valgrind);
            // a one-column ?gemm on contiguous vectors computes the same and stays in bounds.
            unsafe fn gemv(
                ta: $crate::kernels::Trans, m: i32, n: i32, alpha: Self, a: *const Self, lda: i32,
                x: *const Self, incx: i32, beta: Self, y: *mut Self, incy: i32,
            ) {
                $crate::kernels::gated!($crate::threads::Work::streaming(m, n), {
                    let (rows, cols) = if ta == $crate::kernels::Trans::No { (m, n) } else { (n, m) };
                    let xs = $crate::kernels::gather(x, cols, incx);
                    let mut ys = (incy != 1).then(|| $crate::kernels::gather(y, rows, incy).into_owned());
                    let yp = match &mut ys {
                        Some(buffer) => buffer.as_mut_ptr(),
                        None => y,
                    };
                    Self::gemm(
                        ta, $crate::kernels::Trans::No, rows, 1, cols, alpha, a, lda, xs.as_ptr(),
                        cols.max(1), beta, yp, rows.max(1),
                    );
                    if let Some(buffer) = &ys {
                        $crate::kernels::scatter(buffer, y, incy);
                    }
                })
            }
            unsafe fn herk(
                uplo: $crate::linalg::UPLO, trans: $crate::kernels::Trans, n: i32, k: i32,
                alpha: $r, a: *const Self, lda: i32, beta: $r, c: *mut Self, ldc: i32,
            ) {
                $crate::kernels::gated!($crate::threads::Work::product(n, n, k), {
                    debug_assert!(trans != $crate::kernels::Trans::Yes, "?herk has no plain transpose");
                    let uplo = $crate::kernels::blas_kernels!(uplo uplo);
                    cblas_sys::[<cblas_ $p herk>](
                        cblas_sys::CblasColMajor, uplo, trans.cblas(), n, k, alpha, a as *const [$r; 2],
                        lda, beta, c as *mut [$r; 2], ldc,
                    )
                })
            }
            // OpenBLAS 0.3.21's complex ?dotu/?dotc kernels read past the end of a vector whose
            // increment is not 1 (valgrind): such vectors are gathered first.
            unsafe fn dotu(n: i32, x: *const Self, incx: i32, y: *const Self, incy: i32) -> Self {
                $crate::kernels::gated!($crate::threads::Work::streaming(n, 1), {
                    let (xs, ys) = ($crate::kernels::gather(x, n, incx), $crate::kernels::gather(y, n, incy));
                    let mut out = Self::default();
                    cblas_sys::[<cblas_ $p dotu_sub>](
                        n, xs.as_ptr() as *const [$r; 2], 1, ys.as_ptr() as *const [$r; 2], 1,
                        &mut out as *mut Self as *mut [$r; 2],
                    );
                    out
                })
            }
            unsafe fn dotc(n: i32, x: *const Self, incx: i32, y: *const Self, incy: i32) -> Self {
                $crate::kernels::gated!($crate::threads::Work::streaming(n, 1), {
                    let (xs, ys) = ($crate::kernels::gather(x, n, incx), $crate::kernels::gather(y, n, incy));
                    let mut out = Self::default();
                    cblas_sys::[<cblas_ $p dotc_sub>](
                        n, xs.as_ptr() as *const [$r; 2], 1, ys.as_ptr() as *const [$r; 2], 1,
                        &mut out as *mut Self as *mut [$r; 2],
                    );
                    out
                })
            }
        }
    };
}

pub(crate) use blas_kernels;

#[cfg(test)]
mod tests {
    use crate::kernels::Trans;
    use crate::linalg::UPLO;
    use crate::scalar::Kernels;
    use crate::{c32, c64, Scalar};

    /// `herk` against the definition: C := alpha·op(A)·op(A)ᴴ + beta·C on one triangle of C,
    /// the other triangle untouched, for padded leading dimensions and k = 0.
    fn check_herk<T: Scalar>(make: fn(f64, f64) -> T) {
        for (n, k) in [(1, 1), (5, 3), (3, 7), (4, 0)] {
            for trans in [Trans::No, Trans::Conj] {
                // op(A) is n×k: A is n×k for `No`, k×n for `Conj`; one padding row.
                let (rows, cols) = if trans == Trans::No { (n, k) } else { (k, n) };
                let lda = rows + 1;
                let a: Vec<T> = (0..lda * cols)
                    .map(|i| make(((i * 7) % 11) as f64 - 5.0, ((i * 5) % 7) as f64 - 3.0))
                    .collect();
                let op = |i: usize, l: usize| match trans {
                    Trans::No => a[i + l * lda],
                    _ => a[l + i * lda].conj(),
                };
                for uplo in [UPLO::Upper, UPLO::Lower] {
                    let ldc = n + 2;
                    let sentinel = make(1e3, -1e3);
                    let mut c = vec![sentinel; ldc * n];
                    let in_triangle = |i: usize, j: usize| match uplo {
                        UPLO::Upper => i <= j,
                        UPLO::Lower => i >= j,
                    };
                    // A Hermitian starting C on the referenced triangle (real diagonal).
                    let start = |i: usize, j: usize| {
                        if i == j {
                            make(i as f64 + 1.0, 0.0)
                        } else if i < j {
                            make((i + 2 * j) as f64, (j - i) as f64)
                        } else {
                            make((j + 2 * i) as f64, (i - j) as f64).conj()
                        }
                    };
                    for j in 0..n {
                        for i in (0..n).filter(|&i| in_triangle(i, j)) {
                            c[i + j * ldc] = start(i, j);
                        }
                    }
                    let (alpha, beta) = (
                        T::Real::from_f64_nearest(2.0),
                        T::Real::from_f64_nearest(0.5),
                    );
                    // SAFETY: `a` holds lda·cols elements with lda ≥ rows and `c` holds ldc·n
                    // with ldc ≥ n, as ?syrk/?herk read and write for these n, k and trans.
                    unsafe {
                        T::herk(
                            uplo,
                            trans,
                            n as i32,
                            k as i32,
                            alpha,
                            a.as_ptr(),
                            lda as i32,
                            beta,
                            c.as_mut_ptr(),
                            ldc as i32,
                        );
                    }
                    for j in 0..n {
                        for i in 0..ldc {
                            let got = c[i + j * ldc];
                            if i >= n || !in_triangle(i, j) {
                                assert!(
                                    got == sentinel,
                                    "{n}x{k} {trans:?} {uplo:?}: ({i}, {j}) written"
                                );
                                continue;
                            }
                            let product: T = (0..k).map(|l| op(i, l) * op(j, l).conj()).sum();
                            let want = product * alpha + start(i, j) * beta;
                            // Small integers: every product and sum is exact in f32 and f64.
                            assert!(
                                got == want,
                                "{n}x{k} {trans:?} {uplo:?} ({i}, {j}): {got} vs {want}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn herk_matches_its_definition() {
        check_herk::<f32>(|re, _| re as f32);
        check_herk::<f64>(|re, _| re);
        check_herk::<c32>(|re, im| c32::new(re as f32, im as f32));
        check_herk::<c64>(c64::new);
        // For real types `Yes` is the same as `Conj`.
        check_herk_yes();
    }

    fn check_herk_yes() {
        let a = [1.0_f64, 2.0, 3.0, 4.0, 5.0, 6.0]; // 3×2 column-major: Aᵀ·A is 2×2
        let mut c = [0.0_f64; 4];
        // SAFETY: `a` is 3×2 with lda = 3 and `c` is 2×2 with ldc = 2.
        unsafe {
            f64::herk(
                UPLO::Lower,
                Trans::Yes,
                2,
                3,
                1.0,
                a.as_ptr(),
                3,
                0.0,
                c.as_mut_ptr(),
                2,
            )
        };
        assert_eq!([c[0], c[1], c[3]], [14.0, 32.0, 77.0]);
    }
}
