//! # ndkit
//!
//! `numpy.linalg`, `numpy.einsum` and the ML building blocks people write "from scratch in
//! NumPy" on [`ndarray`], through LAPACK and the system OpenBLAS: the same names, shapes and
//! conventions as NumPy, Rust's error handling, and the speed of the BLAS underneath.
//!
//! - [`linalg`]: products, solvers, inverses, decompositions, norms (`numpy.linalg`);
//!   [`linalg::stacked`] the same on stacks of matrices `(..., m, n)`, in parallel over the
//!   batch.
//! - [`einsum()`], [`einsum!`], [`einsum::einsum_path`]: NumPy's einsum grammar, planned and
//!   executed as BLAS GEMMs.
//! - [`ml`]: dense layer, activations, losses, optimisers, PCA.
//! - [`ops`]: the NumPy/SciPy helpers around them — `cdist`, nearest neighbours, `convolve`,
//!   `searchsorted`, `histogram`, `where`, `select`, `cov`.
//!
//! ```
//! use ndarray::array;
//! use ndkit::linalg::{self, UPLO};
//!
//! # fn main() -> ndkit::Result<()> {
//! let a = array![[4.0_f64, 1.0], [1.0, 3.0]];
//! let b = array![1.0, 2.0];
//! let x = linalg::solve(&a, &b)?;                  // np.linalg.solve
//! assert!((linalg::matvec(&a, &x)? - &b).iter().all(|r| r.abs() < 1e-12));
//! let eig = linalg::eigh(&a, UPLO::Lower)?;        // np.linalg.eigh: ascending
//! assert!(eig.values[0] < eig.values[1]);
//! let svd = linalg::svd(&a, false)?;               // np.linalg.svd: descending
//! assert!(svd.s[0] >= svd.s[1]);
//! # Ok(())
//! # }
//! ```
//!
//! ## Conventions
//! - Element types: [`Scalar`] = `f32`, `f64`, [`c32`], [`c64`]; `T::Real` is the matching real
//!   type.
//! - Inputs are borrowed `&ArrayBase<S, D>`: owned arrays, views and `ArcArray`s alike, in any
//!   memory layout or stride (C, Fortran, transposed, sliced, negative strides).
//! - Singular values are descending, `eigh` eigenvalues ascending, `eig` eigenvectors have unit
//!   2-norm.
//! - Error policy: anything that depends on runtime data — shapes of two operands, singularity,
//!   convergence, NaN/Inf fed to an iterative routine, sizes beyond LAPACK's 32-bit integers —
//!   returns [`Result`]; nothing panics on runtime data. The one panic is an [`Axis`] that
//!   is not an axis of the array, given to [`ml::softmax`], [`ml::log_softmax`] or
//!   [`linalg::vector_norm_axis`] — whose signatures return arrays, like ndarray's own
//!   `sum_axis` — a program error rather than bad data. A matrix is *singular* when a pivot is
//!   exactly zero or the reciprocal condition number of the equilibrated matrix is below ε.
//!
//! [`Axis`]: ndarray::Axis
//! - Empty (0-sized) inputs behave as in NumPy: `det` of 0×0 is 1, `inv` of 0×0 is 0×0, the
//!   SVD of an m×0 matrix has empty factors.
//!
//! ## LAPACK behind each operation
//! | operation | routine |
//! |---|---|
//! | `matmul`, `gemm`, `batched_matmul`, `matvec`, `dot` | `?gemm`, `?gemv`, `?dot(u/c)` |
//! | `solve`, `inv`, `det`, `lu_factor` | `?getrf`, `?getrs`, `?getri`, `?geequ` + `?gecon` |
//! | `cholesky`, `cho_factor` | `?potrf`, `?potrs` |
//! | `solve_triangular` | `?trtrs` |
//! | `qr` | `?geqrf`, `?orgqr` / `?ungqr` |
//! | `svd`, `svdvals`, `pinv`, `matrix_rank`, 2-norms | `?gesdd` |
//! | `eigh`, `eigvalsh` | `?syevd` / `?heevd` |
//! | `eig`, `eigvals` | `?geev` |
//! | `lstsq` | `?gelsd` |
//! | `svd_with` | `?gesdd` (`jobz` `S`, `A`, `O` for one factor, `N`) |
//! | `randomized_svd`, `lobpcg` (`ml` feature) | `?gemm`, `?getrf`, `?geqrf`, `?gesdd`; ndarray-linalg's LOBPCG |
//! | `linalg::stacked::*` | the routine of the 2-D function per matrix; for orders ≤ 16 LU and Cholesky by register-level `?getf2`/`?potf2` kernels |
//!
//! ## Backends
//! The cargo features `openblas-system` (default; needs `libopenblas-dev`), `openblas-static`,
//! `intel-mkl-static` and `netlib-system` select the BLAS/LAPACK library. Library crates should
//! depend on ndkit with `default-features = false` and leave the choice to the final binary
//! (and to their own tests, through a dev-dependency); a build with no backend warns.
//! Other features: `ml` (default) for `ml`, `rand` and rand's bounds on [`Real`];
//! `ndarray-0_16` for zero-copy conversions from and to ndarray 0.16 (`ndarray_016`);
//! `serde` for `ml::CovarianceAccumulator`. Errors carry an [`ErrorKind`] ([`Error::kind`]).
//! [`backend()`] tells which library, version, kernel set and thread count are in use. With a
//! DYNAMIC_ARCH OpenBLAS too old to know the CPU (Debian 12's 0.3.21 on recent Xeons), ndkit
//! switches the library from its generic fallback kernels to the best set the CPU can run;
//! `OPENBLAS_CORETYPE` and `NDKIT_BLAS_KERNELS=keep` override that (see [`backend()`] and the
//! README's "Is my BLAS fast?").
//!
//! ## Threads
//! [`set_num_threads`] bounds the threads of one BLAS/LAPACK call. ndkit gives each call its
//! thread count from the call's size alone: calls below the size where a second thread pays
//! (about 128³ multiply–adds for products, n ≈ 256 for factorisations) run single-threaded
//! and may run side by side from any number of threads; larger calls run with all
//! [`num_threads`] threads and take turns. So ndkit can be called from a rayon pool, a web
//! server's workers or data-loading threads without OpenBLAS's workers spinning against each
//! other, and results are bitwise the same whether one thread calls or many.
#![deny(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]
#![deny(clippy::undocumented_unsafe_blocks)]

mod backend;
mod broadcast;
mod error;
mod kernels;
#[cfg(feature = "ml")]
mod lanes;
mod layout;
mod scalar;
mod simd;
mod threads;

pub mod einsum;
pub mod linalg;
#[cfg(feature = "ml")]
pub mod ml;
mod moments;
#[cfg(feature = "ndarray-0_16")]
pub mod ndarray_016;
pub mod ops;
pub mod prelude;

pub use backend::{backend, Backend, KernelChoice};
pub use einsum::einsum;
pub use error::{Error, ErrorKind, Result};
/// The ndarray version ndkit's signatures take: name arrays, `Axis`, `s!` and `array!` through
/// it (`ndkit::ndarray::Array2`) and they always match ndkit's, whatever ndarray the caller
/// depends on.
///
/// ```
/// use ndkit::ndarray::{array, Array2};
/// let a: Array2<f64> = array![[2.0, 0.0], [0.0, 4.0]];
/// assert_eq!(ndkit::linalg::solve(&a, &array![2.0, 4.0])?, array![1.0, 1.0]);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub use ndarray;
pub use num_complex::{Complex32 as c32, Complex64 as c64};
/// The rand version ndkit's APIs take (`Dense::new`'s rng); only with the `ml` feature.
#[cfg(feature = "ml")]
pub use rand;
pub use scalar::{Real, Scalar};
pub use threads::{num_threads, set_num_threads};

// Link the BLAS/LAPACK library selected by the backend feature: `openblas-system` is linked
// by build.rs, the others by their `*-src` crates (none selected: build.rs warns).
#[cfg(feature = "intel-mkl-static")]
extern crate intel_mkl_src as _;
#[cfg(feature = "netlib-system")]
extern crate netlib_src as _;
#[cfg(feature = "openblas-static")]
extern crate openblas_src as _;

/// The README's code blocks, compiled and run as doc tests.
#[cfg(all(doctest, feature = "ml"))]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
