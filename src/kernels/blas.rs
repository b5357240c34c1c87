//! BLAS level-1/2/3 kernels (CBLAS interface, column-major).

/// Declares (`declare`) or implements (`real`/`complex` with the type prefix) the BLAS methods
/// of [`Scalar`](crate::Scalar).
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
        /// Σ x_i·y_i (BLAS `?dot` / `?dotu`).
        #[doc(hidden)]
        unsafe fn dotu(n: i32, x: *const Self, incx: i32, y: *const Self, incy: i32) -> Self;
        /// Σ conj(x_i)·y_i (BLAS `?dot` / `?dotc`).
        #[doc(hidden)]
        unsafe fn dotc(n: i32, x: *const Self, incx: i32, y: *const Self, incy: i32) -> Self;
    };
    (real $t:ty, $p:ident) => {
        paste::paste! {
            unsafe fn gemm(
                ta: $crate::kernels::Trans, tb: $crate::kernels::Trans, m: i32, n: i32, k: i32,
                alpha: Self, a: *const Self, lda: i32, b: *const Self, ldb: i32,
                beta: Self, c: *mut Self, ldc: i32,
            ) {
                cblas_sys::[<cblas_ $p gemm>](
                    cblas_sys::CblasColMajor, ta.cblas(), tb.cblas(), m, n, k,
                    alpha, a, lda, b, ldb, beta, c, ldc,
                )
            }
            unsafe fn gemv(
                ta: $crate::kernels::Trans, m: i32, n: i32, alpha: Self, a: *const Self, lda: i32,
                x: *const Self, incx: i32, beta: Self, y: *mut Self, incy: i32,
            ) {
                cblas_sys::[<cblas_ $p gemv>](
                    cblas_sys::CblasColMajor, ta.cblas(), m, n, alpha, a, lda, x, incx, beta, y, incy,
                )
            }
            unsafe fn dotu(n: i32, x: *const Self, incx: i32, y: *const Self, incy: i32) -> Self {
                cblas_sys::[<cblas_ $p dot>](n, x, incx, y, incy)
            }
            unsafe fn dotc(n: i32, x: *const Self, incx: i32, y: *const Self, incy: i32) -> Self {
                cblas_sys::[<cblas_ $p dot>](n, x, incx, y, incy)
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
                cblas_sys::[<cblas_ $p gemm>](
                    cblas_sys::CblasColMajor, ta.cblas(), tb.cblas(), m, n, k,
                    &alpha as *const Self as *const [$r; 2], a as *const [$r; 2], lda,
                    b as *const [$r; 2], ldb, &beta as *const Self as *const [$r; 2],
                    c as *mut [$r; 2], ldc,
                )
            }
            // OpenBLAS 0.3.21's complex ?gemv_n kernels read past the end of x (valgrind);
            // a one-column ?gemm on contiguous vectors computes the same and stays in bounds.
            unsafe fn gemv(
                ta: $crate::kernels::Trans, m: i32, n: i32, alpha: Self, a: *const Self, lda: i32,
                x: *const Self, incx: i32, beta: Self, y: *mut Self, incy: i32,
            ) {
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
            }
            // OpenBLAS 0.3.21's complex ?dotu/?dotc kernels read past the end of a vector whose
            // increment is not 1 (valgrind): such vectors are gathered first.
            unsafe fn dotu(n: i32, x: *const Self, incx: i32, y: *const Self, incy: i32) -> Self {
                let (xs, ys) = ($crate::kernels::gather(x, n, incx), $crate::kernels::gather(y, n, incy));
                let mut out = Self::default();
                cblas_sys::[<cblas_ $p dotu_sub>](
                    n, xs.as_ptr() as *const [$r; 2], 1, ys.as_ptr() as *const [$r; 2], 1,
                    &mut out as *mut Self as *mut [$r; 2],
                );
                out
            }
            unsafe fn dotc(n: i32, x: *const Self, incx: i32, y: *const Self, incy: i32) -> Self {
                let (xs, ys) = ($crate::kernels::gather(x, n, incx), $crate::kernels::gather(y, n, incy));
                let mut out = Self::default();
                cblas_sys::[<cblas_ $p dotc_sub>](
                    n, xs.as_ptr() as *const [$r; 2], 1, ys.as_ptr() as *const [$r; 2], 1,
                    &mut out as *mut Self as *mut [$r; 2],
                );
                out
            }
        }
    };
}

pub(crate) use blas_kernels;
