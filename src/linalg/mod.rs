//! `numpy.linalg` for ndarray: products, solvers, inverses, decompositions and norms.
//!
//! Every function borrows its inputs, accepts any layout and stride, and returns
//! [`Result`](crate::Result) whenever the input can be wrong (see the crate docs for the
//! policy). The LAPACK routine behind each function is named in its documentation.

pub(crate) mod decomp;
mod inverse;
#[cfg(feature = "ml")]
mod lobpcg;
mod norm;
mod product;
#[cfg(feature = "ml")]
pub(crate) mod randomized;
mod small;
mod solve;
pub mod stacked;

pub use decomp::cholesky::{cho_factor, cholesky, CholeskyFactor};
pub use decomp::eig::{eig, eigh, eigvals, eigvalsh, Eig, Eigh};
pub use decomp::lu::{lu_factor, LuFactor};
pub use decomp::qr::{qr, Qr};
pub use decomp::svd::{svd, svdvals, Svd};
pub use decomp::svd_job::{svd_with, SvdJob, SvdParts};
pub use inverse::{det, inv, pinv, slogdet};
#[cfg(feature = "ml")]
pub use lobpcg::{lobpcg, Lobpcg, Which};
pub use norm::{
    cond, matrix_norm, matrix_rank, trace, vector_norm, vector_norm_axis, MatrixNorm, VectorNorm,
};
pub use product::{
    batched_matmul, dot, gemm, matmul, matrix_power, matvec, multi_dot, outer, vdot,
};
#[cfg(feature = "ml")]
pub use randomized::{randomized_svd, RandomizedSvd};
pub use solve::{lstsq, solve, solve_triangular, Lstsq};

/// Which triangle of a matrix an operation reads (LAPACK's `UPLO`).
///
/// ```
/// use ndkit::linalg::{cholesky, UPLO};
/// let a = ndarray::array![[4.0, 2.0], [2.0, 3.0]];
/// let l = cholesky(&a, UPLO::Lower)?;
/// assert_eq!(l[[0, 1]], 0.0);
/// # Ok::<(), ndkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UPLO {
    /// The upper triangle (including the diagonal).
    Upper,
    /// The lower triangle (including the diagonal).
    Lower,
}
