//! The names most programs need, in one import: `use ndkit::prelude::*;`.
//!
//! ```
//! use ndkit::prelude::*;
//! let a = ndarray::array![[2.0_f64, 0.0], [0.0, 4.0]];
//! let x = linalg::solve(&a, &ndarray::array![2.0, 4.0])?;
//! assert_eq!(x, ndarray::array![1.0, 1.0]);
//! # Ok::<(), Error>(())
//! ```

pub use crate::einsum::{einsum, einsum_path, EinsumPath};
pub use crate::linalg::{self, MatrixNorm, VectorNorm, UPLO};
#[cfg(feature = "ml")]
pub use crate::ml::{self, Adam, Dense, DenseGrad, Init, Optimizer, Pca, PcaSolver, Sgd};
pub use crate::{c32, c64, Error, Real, Result, Scalar};
