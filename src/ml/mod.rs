//! Machine-learning building blocks on top of [`linalg`](crate::linalg): a dense layer,
//! activations, losses, optimisers and PCA, for `f32` and `f64` ([`Real`](crate::Real)).
//!
//! | item | file | routine behind it |
//! |---|---|---|
//! | [`Dense::forward`] | `dense.rs` | one `?gemm` (`y ← x·W + 1·y`, `y` pre-filled with the bias) |
//! | [`Dense::backward`] | `dense.rs` | two `?gemm` with transpose flags (`xᵀ·g`, `g·Wᵀ`) + a column sum |
//! | [`relu`], [`relu_backward`] | `activation/mod.rs` | element-wise |
//! | [`softmax`], [`log_softmax`] | `activation/mod.rs` | per lane: max, then exp (a vectorised kernel) and sum |
//! | [`sigmoid`], [`tanh`], [`silu`], [`softplus`], [`leaky_relu`], [`gelu`] and their `_backward`s | `activation/smooth.rs` | one fused vectorised pass (run-time AVX2+FMA dispatch) |
//! | [`cross_entropy`], [`softmax_cross_entropy`] | `loss/mod.rs` | per row: max, log-sum-exp; fused gradient |
//! | [`nll_loss`], [`nll_loss_grad`] | `loss/nll.rs` | a gather of `log_probs[i, yᵢ]` |
//! | [`mse_loss`], [`bce_with_logits`] and their `_grad`s | `loss/pointwise.rs` | one fused vectorised pass |
//! | [`Sgd`], [`Adam`] | `optim.rs` | element-wise updates (PyTorch's formulas) of any [`Parameters`] (`params.rs`) |
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
mod params;
mod pca;

pub use activation::{
    gelu, gelu_backward, leaky_relu, leaky_relu_backward, log_softmax, relu, relu_backward,
    sigmoid, sigmoid_backward, silu, silu_backward, softmax, softplus, softplus_backward, tanh,
    tanh_backward, GeluApprox,
};
pub use dense::{Dense, DenseGrad, Init};
pub use loss::{
    bce_with_logits, bce_with_logits_grad, cross_entropy, mse_loss, mse_loss_grad, nll_loss,
    nll_loss_grad, softmax_cross_entropy,
};
pub use optim::{Adam, AdamState, Optimizer, Sgd, SgdState};
pub use params::Parameters;
pub use pca::{CovarianceAccumulator, FittedPca, IncrementalPca, Pca, PcaSolver};
