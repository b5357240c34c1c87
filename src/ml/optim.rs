//! Optimisers: stochastic gradient descent with momentum, and Adam — PyTorch's update rules
//! (`torch.optim.SGD` without dampening/Nesterov/weight decay, `torch.optim.Adam` without
//! AMSGrad/weight decay), applied to a [`Dense`] layer from its [`DenseGrad`].
//!
//! | optimiser | update per parameter `p` with gradient `g` |
//! |---|---|
//! | [`Sgd`] | `v ← μ·v + g`, `p ← p − lr·v` (`μ = 0`: `p ← p − lr·g`) |
//! | [`Adam`] | `m ← β₁m + (1−β₁)g`, `v ← β₂v + (1−β₂)g²`, `p ← p − (lr/(1−β₁ᵗ))·m / (√v/√(1−β₂ᵗ) + ε)` |
//!
//! **Design: hyper-parameters and state are separate.** `Sgd` and `Adam` hold only their
//! hyper-parameters (public fields, `Copy`, buildable with a struct literal); the per-parameter
//! state (momentum buffers, Adam's moments and step count) lives in a state object per layer,
//! created by `init(&layer)` with the layer's shapes — as in optax, and like the per-parameter
//! `state` dictionary of a PyTorch optimiser made explicit. One optimiser serves any number of
//! layers: keep one state per layer and pass it to every `step` of that layer.
//! `step` checks that the gradient and the state fit the layer (and that the hyper-parameters
//! are valid) before changing anything. The [`Optimizer`] trait lets training code be generic
//! over the optimiser. Hyper-parameters are `f64` for both element types (like PyTorch's
//! Python floats); they are rounded to `T` once per step.
//!
//! ```
//! use ndarray::array;
//! use ndkit::ml::{Dense, DenseGrad, Optimizer, Sgd};
//!
//! fn train_step<O: Optimizer<f64>>(
//!     opt: &O,
//!     layers: &mut [Dense<f64>],
//!     grads: &[DenseGrad<f64>],
//!     states: &mut [O::State],
//! ) -> ndkit::Result<()> {
//!     for ((layer, grad), state) in layers.iter_mut().zip(grads).zip(states) {
//!         opt.step(layer, grad, state)?;
//!     }
//!     Ok(())
//! }
//!
//! # fn main() -> ndkit::Result<()> {
//! let mut layers = vec![Dense { weight: array![[1.0]], bias: array![0.0] }; 2];
//! let sgd = Sgd::new(0.1, 0.9);
//! let mut states: Vec<_> = layers.iter().map(|l| sgd.init(l)).collect();
//! let grad = DenseGrad { weight: array![[1.0]], bias: array![1.0], input: array![[0.0]] };
//! train_step(&sgd, &mut layers, &[grad.clone(), grad], &mut states)?;
//! assert_eq!(layers[1].weight, array![[0.9]]);
//! # Ok(())
//! # }
//! ```

use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Zip};

use super::dense::{Dense, DenseGrad};
use crate::{Error, Real, Result};

/// An optimiser that updates [`Dense`] layers from their gradients, with one `State` per
/// layer.
///
/// ```
/// use ndarray::array;
/// use ndkit::ml::{Adam, Dense, DenseGrad, Optimizer};
/// # fn main() -> ndkit::Result<()> {
/// let mut layer = Dense { weight: array![[1.0_f32]], bias: array![0.0] };
/// let grad = DenseGrad { weight: array![[2.0]], bias: array![-2.0], input: array![[0.0]] };
/// let adam = Adam::new(0.1);
/// let mut state = Optimizer::init(&adam, &layer);
/// Optimizer::step(&adam, &mut layer, &grad, &mut state)?;
/// // Adam's first step moves every parameter by lr against the sign of its gradient.
/// assert!((layer.weight[[0, 0]] - 0.9).abs() < 1e-6 && (layer.bias[0] - 0.1).abs() < 1e-6);
/// # Ok(())
/// # }
/// ```
pub trait Optimizer<T: Real> {
    /// The per-layer state (momentum buffers, moment estimates, step count).
    type State;
    /// A fresh state for `layer` (zeros of its parameters' shapes).
    fn init(&self, layer: &Dense<T>) -> Self::State;
    /// One update of `layer` from `grad`, advancing `state`.
    ///
    /// # Errors
    /// [`Error::IncompatibleShapes`] when `grad` does not match the layer's parameters,
    /// [`Error::InvalidShape`] when `state` was made for a layer of other shapes,
    /// [`Error::InvalidArgument`] for invalid hyper-parameters. Nothing is changed on error.
    fn step(
        &self,
        layer: &mut Dense<T>,
        grad: &DenseGrad<T>,
        state: &mut Self::State,
    ) -> Result<()>;
}

/// Stochastic gradient descent with (heavy-ball) momentum, as `torch.optim.SGD(lr, momentum)`.
///
/// ```
/// use ndarray::array;
/// use ndkit::ml::{Dense, DenseGrad, Sgd};
/// # fn main() -> ndkit::Result<()> {
/// let mut layer = Dense { weight: array![[1.0]], bias: array![1.0] };
/// let grad = DenseGrad { weight: array![[1.0]], bias: array![2.0], input: array![[0.0]] };
/// let sgd = Sgd { lr: 0.5, momentum: 0.0 };
/// let mut state = sgd.init(&layer);
/// sgd.step(&mut layer, &grad, &mut state)?;
/// assert_eq!((layer.weight[[0, 0]], layer.bias[0]), (0.5, 0.0));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sgd {
    /// Learning rate (`≥ 0`).
    pub lr: f64,
    /// Momentum factor `μ` (`≥ 0`; `0` is plain gradient descent).
    pub momentum: f64,
}

/// The momentum buffers of one layer under [`Sgd`], from [`Sgd::init`].
///
/// ```
/// use ndkit::ml::{Dense, Init, Sgd};
/// use ndkit::rand::{rngs::StdRng, SeedableRng};
/// let layer = Dense::<f64>::new(4, 2, Init::HeNormal, &mut StdRng::seed_from_u64(0));
/// let state = Sgd::new(0.1, 0.9).init(&layer);
/// assert_eq!(state.velocity().0.dim(), (4, 2));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SgdState<T: Real> {
    weight: Array2<T>,
    bias: Array1<T>,
}

impl<T: Real> SgdState<T> {
    /// The velocity `v` of the weight and of the bias (zeros before the first step).
    ///
    /// ```
    /// use ndarray::array;
    /// use ndkit::ml::{Dense, DenseGrad, Sgd};
    /// # fn main() -> ndkit::Result<()> {
    /// let mut layer = Dense { weight: array![[0.0]], bias: array![0.0] };
    /// let grad = DenseGrad { weight: array![[1.0]], bias: array![3.0], input: array![[0.0]] };
    /// let sgd = Sgd::new(0.1, 0.9);
    /// let mut state = sgd.init(&layer);
    /// sgd.step(&mut layer, &grad, &mut state)?;
    /// sgd.step(&mut layer, &grad, &mut state)?;
    /// assert_eq!(state.velocity().1[0], 0.9 * 3.0 + 3.0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn velocity(&self) -> (ArrayView2<'_, T>, ArrayView1<'_, T>) {
        (self.weight.view(), self.bias.view())
    }
}

impl Sgd {
    /// SGD with learning rate `lr` and momentum factor `momentum`.
    ///
    /// ```
    /// let sgd = ndkit::ml::Sgd::new(0.01, 0.9);
    /// assert_eq!((sgd.lr, sgd.momentum), (0.01, 0.9));
    /// ```
    pub fn new(lr: f64, momentum: f64) -> Self {
        Sgd { lr, momentum }
    }

    /// A fresh state for `layer`: zero velocity of the layer's shapes.
    ///
    /// ```
    /// use ndarray::array;
    /// use ndkit::ml::{Dense, Sgd};
    /// let layer = Dense { weight: array![[1.0_f32, 2.0]], bias: array![0.0, 0.0] };
    /// let state = Sgd::new(0.1, 0.9).init(&layer);
    /// assert!(state.velocity().1.iter().all(|&v| v == 0.0));
    /// ```
    pub fn init<T: Real>(&self, layer: &Dense<T>) -> SgdState<T> {
        SgdState {
            weight: Array2::zeros(layer.weight.raw_dim()),
            bias: Array1::zeros(layer.bias.raw_dim()),
        }
    }

    /// One update `v ← μ·v + g`, `p ← p − lr·v` of the weight and bias of `layer`.
    ///
    /// # Errors
    /// [`Error::IncompatibleShapes`] when `grad`'s weight or bias shape differs from the
    /// layer's; [`Error::InvalidShape`] when `state` was made for other shapes;
    /// [`Error::InvalidArgument`] when `lr` or `momentum` is negative or not finite. Nothing
    /// is changed on error.
    ///
    /// ```
    /// use ndarray::array;
    /// use ndkit::ml::{Dense, DenseGrad, Sgd};
    /// # fn main() -> ndkit::Result<()> {
    /// let mut layer = Dense { weight: array![[1.0_f64]], bias: array![0.0] };
    /// let grad = DenseGrad { weight: array![[1.0]], bias: array![0.0], input: array![[0.0]] };
    /// let sgd = Sgd::new(0.1, 0.5);
    /// let mut state = sgd.init(&layer);
    /// sgd.step(&mut layer, &grad, &mut state)?; // v = 1,   w = 1 − 0.1
    /// sgd.step(&mut layer, &grad, &mut state)?; // v = 1.5, w = 0.9 − 0.15
    /// assert!((layer.weight[[0, 0]] - 0.75).abs() < 1e-15);
    /// # Ok(())
    /// # }
    /// ```
    pub fn step<T: Real>(
        &self,
        layer: &mut Dense<T>,
        grad: &DenseGrad<T>,
        state: &mut SgdState<T>,
    ) -> Result<()> {
        const OP: &str = "Sgd::step";
        check_hyper(OP, "lr", self.lr, self.lr >= 0.0)?;
        check_hyper(OP, "momentum", self.momentum, self.momentum >= 0.0)?;
        check_shapes(OP, layer, grad, [&state.weight], [&state.bias])?;
        let lr = T::from_f64(self.lr);
        if self.momentum == 0.0 {
            Zip::from(&mut layer.weight)
                .and(&grad.weight)
                .for_each(|p, &g| *p -= lr * g);
            Zip::from(&mut layer.bias)
                .and(&grad.bias)
                .for_each(|p, &g| *p -= lr * g);
            // The velocity of μ = 0 is the gradient itself.
            state.weight.assign(&grad.weight);
            state.bias.assign(&grad.bias);
            return Ok(());
        }
        let mu = T::from_f64(self.momentum);
        let update = |p: &mut T, &g: &T, v: &mut T| {
            *v = mu * *v + g;
            *p -= lr * *v;
        };
        Zip::from(&mut layer.weight)
            .and(&grad.weight)
            .and(&mut state.weight)
            .for_each(update);
        Zip::from(&mut layer.bias)
            .and(&grad.bias)
            .and(&mut state.bias)
            .for_each(update);
        Ok(())
    }
}

impl<T: Real> Optimizer<T> for Sgd {
    type State = SgdState<T>;
    fn init(&self, layer: &Dense<T>) -> SgdState<T> {
        Sgd::init(self, layer)
    }
    fn step(
        &self,
        layer: &mut Dense<T>,
        grad: &DenseGrad<T>,
        state: &mut SgdState<T>,
    ) -> Result<()> {
        Sgd::step(self, layer, grad, state)
    }
}

/// Adam (Kingma & Ba), as `torch.optim.Adam(lr, betas=(beta1, beta2), eps)`.
///
/// ```
/// use ndkit::ml::Adam;
/// let adam = Adam::new(1e-3);
/// assert_eq!((adam.beta1, adam.beta2, adam.eps), (0.9, 0.999, 1e-8));
/// let custom = Adam { lr: 1e-2, beta1: 0.8, ..adam };
/// assert_eq!(custom.beta2, 0.999);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Adam {
    /// Learning rate (`≥ 0`).
    pub lr: f64,
    /// Decay of the first-moment (mean) estimate, in `[0, 1)`.
    pub beta1: f64,
    /// Decay of the second-moment (uncentred variance) estimate, in `[0, 1)`.
    pub beta2: f64,
    /// Added to the denominator for numerical stability (`≥ 0`).
    pub eps: f64,
}

/// The moment estimates and step count of one layer under [`Adam`], from [`Adam::init`].
///
/// ```
/// use ndarray::array;
/// use ndkit::ml::{Adam, Dense};
/// let layer = Dense { weight: array![[1.0, 2.0]], bias: array![0.0, 0.0] };
/// let state = Adam::new(1e-3).init(&layer);
/// assert_eq!(state.steps(), 0);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct AdamState<T: Real> {
    steps: u64,
    m_weight: Array2<T>,
    m_bias: Array1<T>,
    v_weight: Array2<T>,
    v_bias: Array1<T>,
}

impl<T: Real> AdamState<T> {
    /// The number of steps taken (`t` in the bias corrections).
    ///
    /// ```
    /// use ndarray::array;
    /// use ndkit::ml::{Adam, Dense, DenseGrad};
    /// # fn main() -> ndkit::Result<()> {
    /// let mut layer = Dense { weight: array![[1.0_f64]], bias: array![0.0] };
    /// let grad = DenseGrad { weight: array![[1.0]], bias: array![1.0], input: array![[0.0]] };
    /// let adam = Adam::new(1e-3);
    /// let mut state = adam.init(&layer);
    /// adam.step(&mut layer, &grad, &mut state)?;
    /// assert_eq!(state.steps(), 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// The first-moment estimates `m` of the weight and of the bias (not bias-corrected).
    ///
    /// ```
    /// use ndarray::array;
    /// use ndkit::ml::{Adam, Dense, DenseGrad};
    /// # fn main() -> ndkit::Result<()> {
    /// let mut layer = Dense { weight: array![[1.0_f64]], bias: array![0.0] };
    /// let grad = DenseGrad { weight: array![[2.0]], bias: array![0.0], input: array![[0.0]] };
    /// let adam = Adam::new(1e-3);
    /// let mut state = adam.init(&layer);
    /// adam.step(&mut layer, &grad, &mut state)?;
    /// assert!((state.first_moment().0[[0, 0]] - 0.2).abs() < 1e-15); // (1 − β₁)·g
    /// # Ok(())
    /// # }
    /// ```
    pub fn first_moment(&self) -> (ArrayView2<'_, T>, ArrayView1<'_, T>) {
        (self.m_weight.view(), self.m_bias.view())
    }

    /// The second-moment estimates `v` of the weight and of the bias (not bias-corrected).
    ///
    /// ```
    /// use ndarray::array;
    /// use ndkit::ml::{Adam, Dense, DenseGrad};
    /// # fn main() -> ndkit::Result<()> {
    /// let mut layer = Dense { weight: array![[1.0_f64]], bias: array![0.0] };
    /// let grad = DenseGrad { weight: array![[2.0]], bias: array![0.0], input: array![[0.0]] };
    /// let adam = Adam::new(1e-3);
    /// let mut state = adam.init(&layer);
    /// adam.step(&mut layer, &grad, &mut state)?;
    /// assert!((state.second_moment().0[[0, 0]] - 0.004).abs() < 1e-15); // (1 − β₂)·g²
    /// # Ok(())
    /// # }
    /// ```
    pub fn second_moment(&self) -> (ArrayView2<'_, T>, ArrayView1<'_, T>) {
        (self.v_weight.view(), self.v_bias.view())
    }
}

impl Adam {
    /// Adam with learning rate `lr` and PyTorch's defaults `beta1 = 0.9`, `beta2 = 0.999`,
    /// `eps = 1e-8`.
    ///
    /// ```
    /// let adam = ndkit::ml::Adam::new(3e-4);
    /// assert_eq!(adam.lr, 3e-4);
    /// ```
    pub fn new(lr: f64) -> Self {
        Adam {
            lr,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
        }
    }

    /// A fresh state for `layer`: zero moments of the layer's shapes, step count 0.
    ///
    /// ```
    /// use ndarray::array;
    /// use ndkit::ml::{Adam, Dense};
    /// let layer = Dense { weight: array![[1.0_f32]], bias: array![0.0] };
    /// let state = Adam::new(1e-3).init(&layer);
    /// assert_eq!(state.first_moment().0[[0, 0]], 0.0);
    /// ```
    pub fn init<T: Real>(&self, layer: &Dense<T>) -> AdamState<T> {
        AdamState {
            steps: 0,
            m_weight: Array2::zeros(layer.weight.raw_dim()),
            m_bias: Array1::zeros(layer.bias.raw_dim()),
            v_weight: Array2::zeros(layer.weight.raw_dim()),
            v_bias: Array1::zeros(layer.bias.raw_dim()),
        }
    }

    /// One Adam update of the weight and bias of `layer` (PyTorch's formulation):
    /// `t ← t + 1`, `m ← β₁m + (1−β₁)g`, `v ← β₂v + (1−β₂)g²`,
    /// `p ← p − (lr/(1−β₁ᵗ))·m / (√v/√(1−β₂ᵗ) + ε)`.
    ///
    /// # Errors
    /// [`Error::IncompatibleShapes`] when `grad`'s weight or bias shape differs from the
    /// layer's; [`Error::InvalidShape`] when `state` was made for other shapes;
    /// [`Error::InvalidArgument`] when `lr` or `eps` is negative or not finite, or a `beta`
    /// is outside `[0, 1)`. Nothing is changed on error.
    ///
    /// ```
    /// use ndarray::array;
    /// use ndkit::ml::{Adam, Dense, DenseGrad};
    /// # fn main() -> ndkit::Result<()> {
    /// let mut layer = Dense { weight: array![[1.0_f64]], bias: array![0.0] };
    /// let grad = DenseGrad { weight: array![[0.5]], bias: array![-4.0], input: array![[0.0]] };
    /// let adam = Adam::new(0.01);
    /// let mut state = adam.init(&layer);
    /// adam.step(&mut layer, &grad, &mut state)?;
    /// assert!((layer.weight[[0, 0]] - 0.99).abs() < 1e-9);
    /// assert!((layer.bias[0] - 0.01).abs() < 1e-9);
    /// # Ok(())
    /// # }
    /// ```
    pub fn step<T: Real>(
        &self,
        layer: &mut Dense<T>,
        grad: &DenseGrad<T>,
        state: &mut AdamState<T>,
    ) -> Result<()> {
        const OP: &str = "Adam::step";
        check_hyper(OP, "lr", self.lr, self.lr >= 0.0)?;
        check_hyper(OP, "eps", self.eps, self.eps >= 0.0)?;
        for (name, beta) in [("beta1", self.beta1), ("beta2", self.beta2)] {
            check_hyper(OP, name, beta, (0.0..1.0).contains(&beta))?;
        }
        check_shapes(
            OP,
            layer,
            grad,
            [&state.m_weight, &state.v_weight],
            [&state.m_bias, &state.v_bias],
        )?;
        state.steps += 1;
        let t = state.steps as f64;
        let bias_correction1 = 1.0 - self.beta1.powf(t);
        let bias_correction2 = 1.0 - self.beta2.powf(t);
        let step_size = T::from_f64(self.lr / bias_correction1);
        let inv_sqrt_bc2 = T::from_f64(1.0 / bias_correction2.sqrt());
        let (b1, b2) = (T::from_f64(self.beta1), T::from_f64(self.beta2));
        let (c1, c2) = (T::from_f64(1.0 - self.beta1), T::from_f64(1.0 - self.beta2));
        let eps = T::from_f64(self.eps);
        let update = |p: &mut T, &g: &T, m: &mut T, v: &mut T| {
            *m = b1 * *m + c1 * g;
            *v = b2 * *v + c2 * g * g;
            *p -= step_size * *m / (v.sqrt() * inv_sqrt_bc2 + eps);
        };
        Zip::from(&mut layer.weight)
            .and(&grad.weight)
            .and(&mut state.m_weight)
            .and(&mut state.v_weight)
            .for_each(update);
        Zip::from(&mut layer.bias)
            .and(&grad.bias)
            .and(&mut state.m_bias)
            .and(&mut state.v_bias)
            .for_each(update);
        Ok(())
    }
}

impl<T: Real> Optimizer<T> for Adam {
    type State = AdamState<T>;
    fn init(&self, layer: &Dense<T>) -> AdamState<T> {
        Adam::init(self, layer)
    }
    fn step(
        &self,
        layer: &mut Dense<T>,
        grad: &DenseGrad<T>,
        state: &mut AdamState<T>,
    ) -> Result<()> {
        Adam::step(self, layer, grad, state)
    }
}

/// A hyper-parameter must be finite and satisfy `ok`.
fn check_hyper(op: &'static str, name: &str, value: f64, ok: bool) -> Result<()> {
    if value.is_finite() && ok {
        return Ok(());
    }
    let range = match name {
        "beta1" | "beta2" => "in [0, 1)",
        _ => "finite and ≥ 0",
    };
    Err(Error::InvalidArgument {
        op,
        message: format!("{name} = {value} must be {range}"),
    })
}

/// The gradient must match the layer's parameter shapes, and every state buffer must too.
fn check_shapes<T: Real, const N: usize>(
    op: &'static str,
    layer: &Dense<T>,
    grad: &DenseGrad<T>,
    state_weights: [&Array2<T>; N],
    state_biases: [&Array1<T>; N],
) -> Result<()> {
    for (ours, theirs) in [
        (layer.weight.shape(), grad.weight.shape()),
        (layer.bias.shape(), grad.bias.shape()),
    ] {
        if ours != theirs {
            return Err(Error::IncompatibleShapes {
                op,
                lhs: ours.to_vec(),
                rhs: theirs.to_vec(),
            });
        }
    }
    let stale = state_weights
        .iter()
        .map(|w| w.shape())
        .find(|s| *s != layer.weight.shape())
        .or_else(|| {
            state_biases
                .iter()
                .map(|b| b.shape())
                .find(|s| *s != layer.bias.shape())
        });
    match stale {
        None => Ok(()),
        Some(shape) => Err(Error::InvalidShape {
            op,
            shape: shape.to_vec(),
            expected: format!(
                "optimiser state for a layer with weight {:?} and bias {:?} (create it with init(&layer))",
                layer.weight.shape(),
                layer.bias.shape()
            ),
        }),
    }
}
