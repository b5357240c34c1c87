//! Optimisers: stochastic gradient descent with momentum, and Adam — PyTorch's update rules
//! (`torch.optim.SGD` without dampening/Nesterov/weight decay, `torch.optim.Adam` without
//! AMSGrad/weight decay), applied to any set of [`Parameters`] — a [`Dense`] layer from its
//! [`DenseGrad`], or a layer of your own that exposes its (parameter, gradient) pairs.
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
//! `step` checks that the gradient and the state fit the layer before changing anything.
//! The hyper-parameters are validated once: the state remembers the last hyper-parameters
//! it accepted, and `step` checks them again only when they differ (a changed learning-rate
//! schedule is checked at its first step). The [`Optimizer`] trait lets training code be
//! generic over the optimiser. Hyper-parameters are `f64` for both element types (like
//! PyTorch's Python floats); they are rounded to `T` once per step.
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

use std::fmt;
use std::marker::PhantomData;

use ndarray::{ArrayD, ArrayView1, ArrayView2, ArrayViewD, ArrayViewMutD, Ix1, Ix2, Zip};

use super::dense::Dense;
#[cfg(doc)]
use super::dense::DenseGrad;
use super::params::{zeros_like, Parameters};
use crate::{Error, Real, Result, Scalar};

/// An optimiser that updates sets of [`Parameters`] (by default a [`Dense`] layer) from their
/// gradients, with one `State` per set.
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
pub trait Optimizer<T: Real, P: Parameters<Elem = T> = Dense<T>> {
    /// The per-layer state (momentum buffers, moment estimates, step count).
    type State;
    /// A fresh state for `params` (zeros of its parameters' shapes).
    fn init(&self, params: &P) -> Self::State;
    /// One update of `params` from `grad`, advancing `state`.
    ///
    /// # Errors
    /// [`Error::IncompatibleShapes`] when `grad` does not match the parameters,
    /// [`Error::InvalidShape`] when `state` was made for parameters of other shapes,
    /// [`Error::InvalidArgument`] for invalid hyper-parameters. Nothing is changed on error.
    fn step(&self, params: &mut P, grad: &P::Grad, state: &mut Self::State) -> Result<()>;
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

/// The momentum buffers of one set of parameters `P` (by default a [`Dense`] layer) under
/// [`Sgd`], from [`Sgd::init`].
///
/// ```
/// use ndkit::ml::{Dense, Init, Sgd};
/// use ndkit::rand::{rngs::StdRng, SeedableRng};
/// let layer = Dense::<f64>::new(4, 2, Init::HeNormal, &mut StdRng::seed_from_u64(0));
/// let state = Sgd::new(0.1, 0.9).init(&layer);
/// assert_eq!(state.velocity().0.dim(), (4, 2));
/// ```
pub struct SgdState<T: Real, P = Dense<T>> {
    velocity: Vec<ArrayD<T>>,
    accepted: Option<Sgd>,
    params: PhantomData<fn() -> P>,
}

impl<T: Real, P> SgdState<T, P> {
    /// The velocity `v` of each parameter tensor, in the order of
    /// [`Parameters::parameters`] (zeros before the first step).
    ///
    /// ```
    /// use ndarray::array;
    /// use ndkit::ml::{Dense, Sgd};
    /// let layer = Dense { weight: array![[1.0_f64, 2.0]], bias: array![0.0, 0.0] };
    /// let state = Sgd::new(0.1, 0.9).init(&layer);
    /// assert_eq!(state.buffers()[0].shape(), &[1, 2]);
    /// ```
    pub fn buffers(&self) -> Vec<ArrayViewD<'_, T>> {
        self.velocity.iter().map(|v| v.view()).collect()
    }
}

impl<T: Real> SgdState<T, Dense<T>> {
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
        dense_views(&self.velocity)
    }
}

/// The (weight, bias) views of a [`Dense`] layer's state buffers.
fn dense_views<T: Real>(buffers: &[ArrayD<T>]) -> (ArrayView2<'_, T>, ArrayView1<'_, T>) {
    // A state of a Dense layer is only made by `init` from `Dense::parameters`, which gives
    // the 2-d weight then the 1-d bias, and `step` never changes the buffers' shapes.
    let weight = buffers[0].view().into_dimensionality::<Ix2>();
    let bias = buffers[1].view().into_dimensionality::<Ix1>();
    (
        weight.expect("a Dense state's first buffer is 2-d"),
        bias.expect("a Dense state's second buffer is 1-d"),
    )
}

impl<T: Real, P> fmt::Debug for SgdState<T, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SgdState")
            .field("velocity", &self.velocity)
            .finish()
    }
}

impl<T: Real, P> Clone for SgdState<T, P> {
    fn clone(&self) -> Self {
        SgdState {
            velocity: self.velocity.clone(),
            accepted: self.accepted,
            params: PhantomData,
        }
    }
}

/// States are equal when their buffers are (which hyper-parameters were last accepted does
/// not matter).
impl<T: Real, P> PartialEq for SgdState<T, P> {
    fn eq(&self, other: &Self) -> bool {
        self.velocity == other.velocity
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

    /// A fresh state for `params` (e.g. a [`Dense`] layer): zero velocity of its shapes.
    ///
    /// ```
    /// use ndarray::array;
    /// use ndkit::ml::{Dense, Sgd};
    /// let layer = Dense { weight: array![[1.0_f32, 2.0]], bias: array![0.0, 0.0] };
    /// let state = Sgd::new(0.1, 0.9).init(&layer);
    /// assert!(state.velocity().1.iter().all(|&v| v == 0.0));
    /// ```
    pub fn init<P: Parameters>(&self, params: &P) -> SgdState<P::Elem, P> {
        SgdState {
            velocity: zeros_like(params),
            accepted: None,
            params: PhantomData,
        }
    }

    /// The hyper-parameters' checks.
    fn validate(&self) -> Result<()> {
        const OP: &str = "Sgd::step";
        check_hyper(OP, "lr", self.lr, self.lr >= 0.0)?;
        check_hyper(OP, "momentum", self.momentum, self.momentum >= 0.0)
    }

    /// One update `v ← μ·v + g`, `p ← p − lr·v` of every parameter of `params`.
    ///
    /// # Errors
    /// [`Error::IncompatibleShapes`] when a gradient's shape differs from its parameter's;
    /// [`Error::InvalidShape`] when `state` was made for other shapes;
    /// [`Error::InvalidArgument`] when `lr` or `momentum` is negative or not finite (checked
    /// at the first step and whenever they change). Nothing is changed on error.
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
    /// assert!(Sgd::new(-1.0, 0.0).step(&mut layer, &grad, &mut state).is_err());
    /// # Ok(())
    /// # }
    /// ```
    pub fn step<P: Parameters>(
        &self,
        params: &mut P,
        grad: &P::Grad,
        state: &mut SgdState<P::Elem, P>,
    ) -> Result<()> {
        if state.accepted != Some(*self) {
            self.validate()?;
        }
        let mut pairs = params.parameters_and_grads(grad);
        check_shapes("Sgd::step", &pairs, [&state.velocity])?;
        state.accepted = Some(*self);
        let lr = <P::Elem as Scalar>::from_f64_nearest(self.lr);
        let mu = <P::Elem as Scalar>::from_f64_nearest(self.momentum);
        for ((p, g), v) in pairs.iter_mut().zip(&mut state.velocity) {
            if self.momentum == 0.0 {
                Zip::from(p).and(&*g).for_each(|p, &g| *p -= lr * g);
                // The velocity of μ = 0 is the gradient itself.
                v.assign(&*g);
            } else {
                Zip::from(p).and(&*g).and(v).for_each(|p, &g, v| {
                    *v = mu * *v + g;
                    *p -= lr * *v;
                });
            }
        }
        Ok(())
    }
}

impl<T: Real, P: Parameters<Elem = T>> Optimizer<T, P> for Sgd {
    type State = SgdState<T, P>;
    fn init(&self, params: &P) -> SgdState<T, P> {
        Sgd::init(self, params)
    }
    fn step(&self, params: &mut P, grad: &P::Grad, state: &mut SgdState<T, P>) -> Result<()> {
        Sgd::step(self, params, grad, state)
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

/// The moment estimates and step count of one set of parameters `P` (by default a [`Dense`]
/// layer) under [`Adam`], from [`Adam::init`].
///
/// ```
/// use ndarray::array;
/// use ndkit::ml::{Adam, Dense};
/// let layer = Dense { weight: array![[1.0, 2.0]], bias: array![0.0, 0.0] };
/// let state = Adam::new(1e-3).init(&layer);
/// assert_eq!(state.steps(), 0);
/// ```
pub struct AdamState<T: Real, P = Dense<T>> {
    steps: u64,
    m: Vec<ArrayD<T>>,
    v: Vec<ArrayD<T>>,
    accepted: Option<Adam>,
    params: PhantomData<fn() -> P>,
}

impl<T: Real, P> fmt::Debug for AdamState<T, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AdamState")
            .field("steps", &self.steps)
            .field("m", &self.m)
            .field("v", &self.v)
            .finish()
    }
}

impl<T: Real, P> Clone for AdamState<T, P> {
    fn clone(&self) -> Self {
        AdamState {
            steps: self.steps,
            m: self.m.clone(),
            v: self.v.clone(),
            accepted: self.accepted,
            params: PhantomData,
        }
    }
}

/// States are equal when their step counts and moments are.
impl<T: Real, P> PartialEq for AdamState<T, P> {
    fn eq(&self, other: &Self) -> bool {
        self.steps == other.steps && self.m == other.m && self.v == other.v
    }
}

impl<T: Real, P> AdamState<T, P> {
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

    /// The first- and second-moment estimates `(m, v)` of each parameter tensor, in the order
    /// of [`Parameters::parameters`] (not bias-corrected).
    ///
    /// ```
    /// use ndarray::array;
    /// use ndkit::ml::{Adam, Dense};
    /// let layer = Dense { weight: array![[1.0_f64]], bias: array![0.0] };
    /// let state = Adam::new(1e-3).init(&layer);
    /// assert_eq!(state.moments().len(), 2);
    /// ```
    pub fn moments(&self) -> Vec<(ArrayViewD<'_, T>, ArrayViewD<'_, T>)> {
        self.m
            .iter()
            .zip(&self.v)
            .map(|(m, v)| (m.view(), v.view()))
            .collect()
    }
}

impl<T: Real> AdamState<T, Dense<T>> {
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
        dense_views(&self.m)
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
        dense_views(&self.v)
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

    /// A fresh state for `params` (e.g. a [`Dense`] layer): zero moments of its shapes, step
    /// count 0.
    ///
    /// ```
    /// use ndarray::array;
    /// use ndkit::ml::{Adam, Dense};
    /// let layer = Dense { weight: array![[1.0_f32]], bias: array![0.0] };
    /// let state = Adam::new(1e-3).init(&layer);
    /// assert_eq!(state.first_moment().0[[0, 0]], 0.0);
    /// ```
    pub fn init<P: Parameters>(&self, params: &P) -> AdamState<P::Elem, P> {
        AdamState {
            steps: 0,
            m: zeros_like(params),
            v: zeros_like(params),
            accepted: None,
            params: PhantomData,
        }
    }

    /// The hyper-parameters' checks.
    fn validate(&self) -> Result<()> {
        const OP: &str = "Adam::step";
        check_hyper(OP, "lr", self.lr, self.lr >= 0.0)?;
        check_hyper(OP, "eps", self.eps, self.eps >= 0.0)?;
        for (name, beta) in [("beta1", self.beta1), ("beta2", self.beta2)] {
            check_hyper(OP, name, beta, (0.0..1.0).contains(&beta))?;
        }
        Ok(())
    }

    /// One Adam update of every parameter of `params` (PyTorch's formulation):
    /// `t ← t + 1`, `m ← β₁m + (1−β₁)g`, `v ← β₂v + (1−β₂)g²`,
    /// `p ← p − (lr/(1−β₁ᵗ))·m / (√v/√(1−β₂ᵗ) + ε)`.
    ///
    /// # Errors
    /// [`Error::IncompatibleShapes`] when a gradient's shape differs from its parameter's;
    /// [`Error::InvalidShape`] when `state` was made for other shapes;
    /// [`Error::InvalidArgument`] when `lr` or `eps` is negative or not finite, or a `beta`
    /// is outside `[0, 1)` (checked at the first step and whenever they change). Nothing is
    /// changed on error.
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
    pub fn step<P: Parameters>(
        &self,
        params: &mut P,
        grad: &P::Grad,
        state: &mut AdamState<P::Elem, P>,
    ) -> Result<()> {
        if state.accepted != Some(*self) {
            self.validate()?;
        }
        let mut pairs = params.parameters_and_grads(grad);
        check_shapes("Adam::step", &pairs, [&state.m, &state.v])?;
        state.accepted = Some(*self);
        state.steps += 1;
        let t = state.steps as f64;
        let bias_correction1 = 1.0 - self.beta1.powf(t);
        let bias_correction2 = 1.0 - self.beta2.powf(t);
        let from = <P::Elem as Scalar>::from_f64_nearest;
        let step_size = from(self.lr / bias_correction1);
        let inv_sqrt_bc2 = from(1.0 / bias_correction2.sqrt());
        let (b1, b2) = (from(self.beta1), from(self.beta2));
        let (c1, c2) = (from(1.0 - self.beta1), from(1.0 - self.beta2));
        let eps = from(self.eps);
        for (((p, g), m), v) in pairs.iter_mut().zip(&mut state.m).zip(&mut state.v) {
            Zip::from(p).and(&*g).and(m).and(v).for_each(|p, &g, m, v| {
                *m = b1 * *m + c1 * g;
                *v = b2 * *v + c2 * g * g;
                *p -= step_size * *m / (num_traits::Float::sqrt(*v) * inv_sqrt_bc2 + eps);
            });
        }
        Ok(())
    }
}

impl<T: Real, P: Parameters<Elem = T>> Optimizer<T, P> for Adam {
    type State = AdamState<T, P>;
    fn init(&self, params: &P) -> AdamState<T, P> {
        Adam::init(self, params)
    }
    fn step(&self, params: &mut P, grad: &P::Grad, state: &mut AdamState<T, P>) -> Result<()> {
        Adam::step(self, params, grad, state)
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

/// Each gradient must have its parameter's shape, and every state buffer list must have one
/// buffer of that shape per parameter.
fn check_shapes<T: Real, const N: usize>(
    op: &'static str,
    pairs: &[(ArrayViewMutD<'_, T>, ArrayViewD<'_, T>)],
    states: [&Vec<ArrayD<T>>; N],
) -> Result<()> {
    for (p, g) in pairs {
        if p.shape() != g.shape() {
            return Err(Error::IncompatibleShapes {
                op,
                lhs: p.shape().to_vec(),
                rhs: g.shape().to_vec(),
            });
        }
    }
    let shapes: Vec<&[usize]> = pairs.iter().map(|(p, _)| p.shape()).collect();
    for buffers in states {
        let fits = buffers.len() == shapes.len()
            && buffers.iter().zip(&shapes).all(|(b, s)| b.shape() == *s);
        if !fits {
            let got = buffers
                .iter()
                .map(|b| b.shape().to_vec())
                .collect::<Vec<_>>();
            return Err(Error::InvalidShape {
                op,
                shape: got.first().cloned().unwrap_or_default(),
                expected: format!(
                    "optimiser state for parameters of shapes {shapes:?}, not {got:?} \
                     (create it with init(&params))"
                ),
            });
        }
    }
    Ok(())
}
