//! Machine-learning building blocks on top of [`linalg`](crate::linalg): a dense layer,
//! activations, losses, optimisers and PCA, for `f32` and `f64` ([`Real`](crate::Real)).
//!
//! | item | file | routine behind it |
//! |---|---|---|
//! | [`Dense::forward`] | `dense.rs` | one `?gemm` (`y ← x·W + 1·y`, `y` pre-filled with the bias) |
//! | [`Dense::backward`] | `dense.rs` | two `?gemm` with transpose flags (`xᵀ·g`, `g·Wᵀ`) + a column sum |
//! | [`relu`], [`relu_backward`] | `activation.rs` | element-wise |
//! | [`softmax`], [`log_softmax`] | `activation.rs` | per lane: max, then exp (a vectorised kernel) and sum |
//! | [`cross_entropy`], [`softmax_cross_entropy`] | `loss.rs` | per row: max, log-sum-exp; fused gradient |
//! | [`Sgd`], [`Adam`] | `optim.rs` | element-wise updates (PyTorch's formulas) |
//! | [`Pca`] | `pca/` | `?gesdd` (full), `?syrk` + `?syevr` (covariance: the k leading eigenpairs), `?geqrf` + `?gesdd` (randomized) |
//!
//! A two-layer network, one training step:
//!
//! ```
//! use ndarray::array;
//! use ndkit::ml::{relu, relu_backward, softmax_cross_entropy, Adam, Dense, Init};
//! use ndkit::rand::{rngs::StdRng, SeedableRng};
//!
//! # fn main() -> ndkit::Result<()> {
//! let mut rng = StdRng::seed_from_u64(0);
//! let mut l1 = Dense::<f64>::new(2, 8, Init::HeNormal, &mut rng);
//! let mut l2 = Dense::<f64>::new(8, 3, Init::XavierUniform, &mut rng);
//! let adam = Adam::new(1e-2);
//! let (mut s1, mut s2) = (adam.init(&l1), adam.init(&l2));
//!
//! let x = array![[0.5, -1.0], [1.5, 0.25]];
//! let labels = [2, 0];
//! let z1 = l1.forward(&x)?;
//! let h = relu(&z1);
//! let logits = l2.forward(&h)?;
//! let (loss, dlogits) = softmax_cross_entropy(&logits, &labels)?;
//! let g2 = l2.backward(&h, &dlogits)?;
//! let g1 = l1.backward(&x, &relu_backward(&z1, &g2.input)?)?;
//! adam.step(&mut l2, &g2, &mut s2)?;
//! adam.step(&mut l1, &g1, &mut s1)?;
//! assert!(loss > 0.0);
//! # Ok(())
//! # }
//! ```

mod activation;
mod dense;
mod loss;
mod optim;
mod pca;

pub use activation::{log_softmax, relu, relu_backward, softmax};
pub use dense::{Dense, DenseGrad, Init};
pub use loss::{cross_entropy, softmax_cross_entropy};
pub use optim::{Adam, AdamState, Optimizer, Sgd, SgdState};
pub(crate) use pca::{centred_scatter, scaled_mean, shifted_mean};
pub use pca::{FittedPca, Pca, PcaSolver};
