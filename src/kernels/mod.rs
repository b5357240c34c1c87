//! The BLAS and LAPACK routines behind every operation, one method per routine on
//! [`Scalar`](crate::Scalar), dispatched to the `s`/`d`/`c`/`z` symbol of the linked library.
//!
//! The methods are `#[doc(hidden)]` and `unsafe`: they take raw column-major buffers and
//! leading dimensions exactly as the Fortran routines do. Callers in `linalg` check shapes,
//! finiteness and the 32-bit index range first, and size every buffer as LAPACK documents.
//! Workspace sizes are obtained by the routine's own query (`lwork = -1`).

mod blas;
mod lapack;

pub(crate) use blas::blas_kernels;
pub(crate) use lapack::lapack_kernels;

/// BLAS `TRANS` argument.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trans {
    /// op(A) = A
    No,
    /// op(A) = Aᵀ
    Yes,
    /// op(A) = Aᴴ
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
