//! A fully connected layer `y = x·W + b` and its gradients.
//!
//! | method | f32 | f64 |
//! |---|---|---|
//! | [`Dense::forward`] | `sgemm` (β = 1 onto the bias) | `dgemm` (β = 1 onto the bias) |
//! | [`Dense::backward`] | 2 × `sgemm` (`xᵀ·g`, `g·Wᵀ` by transpose flags) + column sum | 2 × `dgemm` + column sum |
//!
//! The weight is stored `(in_features, out_features)`, so a batch `x` of shape
//! `(batch, in_features)` maps to `x·W` without a transpose (PyTorch's `nn.Linear` stores the
//! transpose). The transposes in the backward pass are views handed to BLAS with its transpose
//! flag; nothing is copied unless an input has no unit stride (then once, inside
//! [`linalg::gemm`]).

use ndarray::{Array1, Array2, ArrayBase, Axis, Data, Ix2};
use rand::Rng;
use rand_distr::StandardNormal;

use crate::layout::check_dims;
use crate::linalg;
use crate::{Error, Real, Result};

/// How [`Dense::new`] draws the initial weights (the bias always starts at zero), with
/// `fan_in = in_features` and `fan_out = out_features`.
///
/// ```
/// use ndkit::ml::{Dense, Init};
/// use ndkit::rand::{rngs::StdRng, SeedableRng};
/// let layer = Dense::<f32>::new(100, 10, Init::HeUniform, &mut StdRng::seed_from_u64(1));
/// let a = (6.0_f32 / 100.0).sqrt();
/// assert!(layer.weight.iter().all(|w| w.abs() <= a));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Init {
    /// Glorot/Xavier uniform: `U(−a, a)`, `a = √(6 / (fan_in + fan_out))`.
    XavierUniform,
    /// Glorot/Xavier normal: `N(0, σ²)`, `σ² = 2 / (fan_in + fan_out)`.
    XavierNormal,
    /// He/Kaiming uniform: `U(−a, a)`, `a = √(6 / fan_in)`.
    HeUniform,
    /// He/Kaiming normal: `N(0, σ²)`, `σ² = 2 / fan_in`.
    HeNormal,
    /// All weights zero.
    Zeros,
}

/// A fully connected (affine) layer: `forward(x) = x·weight + bias`.
///
/// Both fields are public, so a layer can be built from given parameters with a struct
/// literal; [`forward`](Dense::forward) and [`backward`](Dense::backward) check that they fit
/// together.
///
/// ```
/// use ndarray::array;
/// use ndkit::ml::Dense;
/// # fn main() -> ndkit::Result<()> {
/// let layer = Dense { weight: array![[1.0, 0.0, 2.0], [0.0, 1.0, 3.0]], bias: array![0.5, 0.5, 0.5] };
/// assert_eq!(layer.forward(&array![[1.0, 2.0]])?, array![[1.5, 2.5, 8.5]]);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Dense<T: Real> {
    /// The weights, shape `(in_features, out_features)`.
    pub weight: Array2<T>,
    /// The bias, length `out_features`.
    pub bias: Array1<T>,
}

/// The gradients of a scalar loss with respect to a [`Dense`] layer's parameters and input,
/// from [`Dense::backward`].
///
/// ```
/// use ndarray::array;
/// use ndkit::ml::Dense;
/// # fn main() -> ndkit::Result<()> {
/// let layer = Dense { weight: array![[2.0], [3.0]], bias: array![0.0] };
/// let grad = layer.backward(&array![[1.0, 1.0]], &array![[1.0]])?;
/// assert_eq!(grad.weight, array![[1.0], [1.0]]);
/// assert_eq!(grad.bias, array![1.0]);
/// assert_eq!(grad.input, array![[2.0, 3.0]]);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct DenseGrad<T: Real> {
    /// `∂L/∂W = xᵀ·g`, shape `(in_features, out_features)`.
    pub weight: Array2<T>,
    /// `∂L/∂b = Σ_batch g`, length `out_features`.
    pub bias: Array1<T>,
    /// `∂L/∂x = g·Wᵀ`, shape `(batch, in_features)`: the `grad_out` of the layer below.
    pub input: Array2<T>,
}

impl<T: Real> Dense<T> {
    /// A layer with `in_features` inputs and `out_features` outputs, weights drawn from `rng`
    /// as `init` says, bias zero. A layer with zero inputs or outputs has an empty weight
    /// matrix and draws nothing.
    ///
    /// Samples are drawn in `f64` and rounded to `T`, in row-major order of the weight, so a
    /// seeded `rng` gives the same layer every time (and the same values, rounded, for `f32`
    /// and `f64`).
    ///
    /// ```
    /// use ndkit::ml::{Dense, Init};
    /// use ndkit::rand::{rngs::StdRng, SeedableRng};
    /// let layer = Dense::<f64>::new(784, 128, Init::XavierNormal, &mut StdRng::seed_from_u64(7));
    /// assert_eq!(layer.weight.dim(), (784, 128));
    /// assert!(layer.bias.iter().all(|&b| b == 0.0));
    /// ```
    pub fn new(in_features: usize, out_features: usize, init: Init, rng: &mut impl Rng) -> Self {
        let (fan_in, fan_out) = (in_features as f64, out_features as f64);
        let mut uniform = |a: f64| {
            // random::<f64>() is uniform on [0, 1); this maps it onto [−a, a).
            Array2::from_shape_simple_fn((in_features, out_features), || {
                T::from_f64_nearest(a * (2.0 * rng.random::<f64>() - 1.0))
            })
        };
        let weight = match init {
            Init::XavierUniform => uniform((6.0 / (fan_in + fan_out)).sqrt()),
            Init::HeUniform => uniform((6.0 / fan_in).sqrt()),
            Init::XavierNormal | Init::HeNormal => {
                let var = if init == Init::XavierNormal {
                    2.0 / (fan_in + fan_out)
                } else {
                    2.0 / fan_in
                };
                let std = var.sqrt();
                Array2::from_shape_simple_fn((in_features, out_features), || {
                    let z: f64 = rng.sample(StandardNormal);
                    T::from_f64_nearest(std * z)
                })
            }
            Init::Zeros => Array2::zeros((in_features, out_features)),
        };
        Dense {
            weight,
            bias: Array1::zeros(out_features),
        }
    }

    /// `in_features`: the number of rows of the weight.
    ///
    /// ```
    /// use ndkit::ml::{Dense, Init};
    /// use ndkit::rand::{rngs::StdRng, SeedableRng};
    /// let layer = Dense::<f32>::new(3, 5, Init::Zeros, &mut StdRng::seed_from_u64(0));
    /// assert_eq!((layer.in_features(), layer.out_features()), (3, 5));
    /// ```
    pub fn in_features(&self) -> usize {
        self.weight.nrows()
    }

    /// `out_features`: the number of columns of the weight.
    ///
    /// ```
    /// use ndkit::ml::{Dense, Init};
    /// use ndkit::rand::{rngs::StdRng, SeedableRng};
    /// let layer = Dense::<f64>::new(3, 5, Init::Zeros, &mut StdRng::seed_from_u64(0));
    /// assert_eq!(layer.out_features(), 5);
    /// ```
    pub fn out_features(&self) -> usize {
        self.weight.ncols()
    }

    /// `x·W + b` for a batch `x` of shape `(batch, in_features)`; the result is
    /// `(batch, out_features)`, C order.
    ///
    /// One `?gemm`: the output rows are first filled with the bias, then
    /// `y ← 1·x·W + 1·y` — no broadcast temporary, no second pass to add the bias.
    ///
    /// # Errors
    /// [`Error::IncompatibleShapes`] when `x.ncols() != in_features`; [`Error::InvalidShape`]
    /// when the bias length is not `out_features`; [`Error::TooLarge`] for a dimension beyond
    /// BLAS's 32-bit integers.
    ///
    /// ```
    /// use ndarray::array;
    /// use ndkit::ml::Dense;
    /// # fn main() -> ndkit::Result<()> {
    /// let layer = Dense { weight: array![[1.0_f32, 2.0], [3.0, 4.0]], bias: array![10.0, 20.0] };
    /// assert_eq!(layer.forward(&array![[1.0, 1.0], [0.0, 0.0]])?, array![[14.0, 26.0], [10.0, 20.0]]);
    /// assert!(layer.forward(&array![[1.0_f32, 2.0, 3.0]]).is_err());
    /// # Ok(())
    /// # }
    /// ```
    pub fn forward<S: Data<Elem = T>>(&self, x: &ArrayBase<S, Ix2>) -> Result<Array2<T>> {
        const OP: &str = "Dense::forward";
        self.check_input(OP, x)?;
        let mut y = Array2::zeros((x.nrows(), self.out_features()));
        y.assign(&self.bias);
        linalg::gemm(T::one(), x, &self.weight, T::one(), &mut y)?;
        Ok(y)
    }

    /// The gradients for a batch `x` (the input given to [`forward`](Dense::forward)) and
    /// `grad_out = ∂L/∂y` of shape `(batch, out_features)`:
    /// `weight = xᵀ·g`, `bias = Σ_batch g`, `input = g·Wᵀ`, all C order.
    ///
    /// The two products are `?gemm` calls on the transposed views `x.t()` and `W.t()`, which
    /// BLAS reads through its transpose flag. An empty batch gives zero parameter gradients.
    ///
    /// # Errors
    /// [`Error::IncompatibleShapes`] when `x.ncols() != in_features`; [`Error::InvalidShape`]
    /// when `grad_out` is not `(batch, out_features)` or the bias length is not
    /// `out_features`; [`Error::TooLarge`] for a dimension beyond BLAS's 32-bit integers.
    ///
    /// ```
    /// use ndarray::array;
    /// use ndkit::ml::Dense;
    /// # fn main() -> ndkit::Result<()> {
    /// let layer = Dense { weight: array![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], bias: array![0.0, 0.0] };
    /// let x = array![[1.0, 0.0, -1.0]];
    /// let g = array![[1.0, -1.0]];
    /// let grad = layer.backward(&x, &g)?;
    /// assert_eq!(grad.weight, array![[1.0, -1.0], [0.0, 0.0], [-1.0, 1.0]]);
    /// assert_eq!(grad.bias, array![1.0, -1.0]);
    /// assert_eq!(grad.input, array![[-1.0, -1.0, -1.0]]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn backward<Sx, Sg>(
        &self,
        x: &ArrayBase<Sx, Ix2>,
        grad_out: &ArrayBase<Sg, Ix2>,
    ) -> Result<DenseGrad<T>>
    where
        Sx: Data<Elem = T>,
        Sg: Data<Elem = T>,
    {
        const OP: &str = "Dense::backward";
        self.check_input(OP, x)?;
        let (batch, (fan_in, fan_out)) = (x.nrows(), self.weight.dim());
        if grad_out.dim() != (batch, fan_out) {
            return Err(Error::InvalidShape {
                op: OP,
                shape: grad_out.shape().to_vec(),
                expected: format!(
                    "grad_out of shape [{batch}, {fan_out}] (batch of x × out_features)"
                ),
            });
        }
        let mut weight = Array2::zeros((fan_in, fan_out));
        linalg::gemm(T::one(), &x.t(), grad_out, T::zero(), &mut weight)?;
        let mut input = Array2::zeros((batch, fan_in));
        linalg::gemm(T::one(), grad_out, &self.weight.t(), T::zero(), &mut input)?;
        let bias = grad_out.sum_axis(Axis(0));
        Ok(DenseGrad {
            weight,
            bias,
            input,
        })
    }

    /// Checks that the layer's own parameters fit together, that `x` has `in_features`
    /// columns, and that every dimension fits BLAS's integers.
    fn check_input<S: Data<Elem = T>>(
        &self,
        op: &'static str,
        x: &ArrayBase<S, Ix2>,
    ) -> Result<()> {
        let (fan_in, fan_out) = self.weight.dim();
        if self.bias.len() != fan_out {
            return Err(Error::InvalidShape {
                op,
                shape: self.bias.shape().to_vec(),
                expected: format!(
                    "a bias of length {fan_out} (the columns of weight {:?})",
                    self.weight.shape()
                ),
            });
        }
        if x.ncols() != fan_in {
            return Err(Error::IncompatibleShapes {
                op,
                lhs: x.shape().to_vec(),
                rhs: self.weight.shape().to_vec(),
            });
        }
        check_dims(op, &[x.nrows(), fan_in, fan_out])
    }
}
