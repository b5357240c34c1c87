//! `numpy.linalg` for ndarray: products, solvers, inverses, decompositions and norms.
//!
//! Every function borrows its inputs, accepts any layout and stride, and returns
//! [`Result`](crate::Result) whenever the input can be wrong (see the crate docs for the
//! policy). The LAPACK routine behind each function is named in its documentation.

pub(crate) mod decomp;
mod inverse;
mod inverse_triangular;
mod kron;
#[cfg(feature = "ml")]
mod lobpcg;
mod matfun;
mod norm;
mod product;
#[cfg(feature = "ml")]
pub(crate) mod randomized;
mod small;
mod solve;
pub mod stacked;
mod subspace;
mod tridiagonal;

pub use decomp::cholesky::{cho_factor, cholesky, CholeskyFactor};
pub use decomp::eig::{eig, eigh, eigvals, eigvalsh, Eig, Eigh};
pub use decomp::generalized::{eig_generalized, eigh_generalized};
pub use decomp::hessenberg::{hessenberg, Hessenberg};
pub use decomp::ldl::{ldl_factor, LdlFactor};
pub use decomp::lu::{lu_factor, LuFactor};
pub use decomp::lu_explicit::{lu, Lu};
pub use decomp::qr::{qr, qr_complete, Qr};
pub use decomp::qr_pivoted::{qr_pivoted, QrPivoted};
pub use decomp::schur::{schur, Schur};
pub use decomp::subset::{eigh_subset, Subset};
pub use decomp::svd::{svd, svdvals, Svd};
pub use decomp::svd_job::{svd_with, SvdJob, SvdParts};
pub use inverse::{det, inv, pinv, slogdet};
pub use inverse_triangular::inv_triangular;
pub use kron::kron;
#[cfg(feature = "ml")]
pub use lobpcg::{lobpcg, Lobpcg, Which};
pub use matfun::{expm, sqrtm};
pub use norm::{
    cond, matrix_norm, matrix_rank, trace, vector_norm, vector_norm_axis, MatrixNorm, VectorNorm,
};
pub use product::{
    batched_matmul, dot, gemm, matmul, matrix_power, matvec, multi_dot, outer, vdot,
};
#[cfg(feature = "ml")]
pub use randomized::{randomized_svd, RandomizedSvd};
pub use solve::{lstsq, solve, solve_triangular, Lstsq};
pub use subspace::{null_space, orth};
pub use tridiagonal::solve_tridiagonal;

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
