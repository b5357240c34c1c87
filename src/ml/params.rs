//! What an optimiser needs from a layer: its parameter tensors, each paired with the gradient
//! tensor of the same shape.

use ndarray::{ArrayViewD, ArrayViewMutD, IntoDimension};

use super::dense::{Dense, DenseGrad};
use crate::Real;

/// A set of parameters that [`Sgd`](crate::ml::Sgd) and [`Adam`](crate::ml::Adam) can update:
/// a layer (or a whole model) exposes its parameter tensors and pairs each with its gradient
/// from `Self::Grad`, always in the same order. [`Dense`] implements it with
/// `[(weight, grad.weight), (bias, grad.bias)]`.
///
/// ```
/// use ndarray::{array, Array1, ArrayViewD, ArrayViewMutD};
/// use ndkit::ml::{Adam, Parameters};
///
/// /// A learnable per-feature scale, `y = γ ⊙ x`.
/// struct Scale { gamma: Array1<f64> }
///
/// impl Parameters for Scale {
///     type Elem = f64;
///     type Grad = Array1<f64>;
///     fn parameters(&self) -> Vec<ArrayViewD<'_, f64>> {
///         vec![self.gamma.view().into_dyn()]
///     }
///     fn parameters_and_grads<'a>(
///         &'a mut self,
///         grad: &'a Array1<f64>,
///     ) -> Vec<(ArrayViewMutD<'a, f64>, ArrayViewD<'a, f64>)> {
///         vec![(self.gamma.view_mut().into_dyn(), grad.view().into_dyn())]
///     }
/// }
///
/// # fn main() -> ndkit::Result<()> {
/// let mut layer = Scale { gamma: array![1.0, 1.0] };
/// let adam = Adam::new(0.1);
/// let mut state = adam.init(&layer);
/// adam.step(&mut layer, &array![2.0, -3.0], &mut state)?;
/// // Adam's first step: lr·g/(|g| + ε) against each gradient's sign.
/// assert!((layer.gamma[0] - 0.9).abs() < 1e-8 && (layer.gamma[1] - 1.1).abs() < 1e-8);
/// # Ok(())
/// # }
/// ```
pub trait Parameters {
    /// The element type of the parameters.
    type Elem: Real;
    /// The gradient the layer's backward pass produces (e.g. [`DenseGrad`]).
    type Grad;
    /// The parameter tensors, in a fixed order (the optimiser state is made from their
    /// shapes).
    fn parameters(&self) -> Vec<ArrayViewD<'_, Self::Elem>>;
    /// Each parameter tensor, mutably, with the gradient tensor for it from `grad`, in the
    /// order of [`parameters`](Parameters::parameters). The optimiser checks that each pair
    /// has one shape.
    #[allow(clippy::type_complexity)]
    fn parameters_and_grads<'a>(
        &'a mut self,
        grad: &'a Self::Grad,
    ) -> Vec<(ArrayViewMutD<'a, Self::Elem>, ArrayViewD<'a, Self::Elem>)>;
}

impl<T: Real> Parameters for Dense<T> {
    type Elem = T;
    type Grad = DenseGrad<T>;

    fn parameters(&self) -> Vec<ArrayViewD<'_, T>> {
        vec![self.weight.view().into_dyn(), self.bias.view().into_dyn()]
    }

    fn parameters_and_grads<'a>(
        &'a mut self,
        grad: &'a DenseGrad<T>,
    ) -> Vec<(ArrayViewMutD<'a, T>, ArrayViewD<'a, T>)> {
        vec![
            (
                self.weight.view_mut().into_dyn(),
                grad.weight.view().into_dyn(),
            ),
            (self.bias.view_mut().into_dyn(), grad.bias.view().into_dyn()),
        ]
    }
}

/// Zeros of the shapes of `params`' parameters: the optimisers' state buffers.
pub(crate) fn zeros_like<P: Parameters>(params: &P) -> Vec<ndarray::ArrayD<P::Elem>> {
    params
        .parameters()
        .iter()
        .map(|p| ndarray::ArrayD::zeros(p.shape().into_dimension()))
        .collect()
}
