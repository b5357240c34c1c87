//! PLACEHOLDER (being written): norms and properties.
#![allow(unused)]
use ndarray::{Array, ArrayBase, Axis, Data, Dimension, Ix1, Ix2, RemoveAxis};
use crate::{Result, Scalar};
/// VectorNorm
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum VectorNorm { /// L1
 L1, /// L2
 L2, /// Inf
 Inf, /// NegInf
 NegInf, /// Zero
 Zero, /// P
 P(f64) }
/// MatrixNorm
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatrixNorm { /// a
 Fro, /// a
 Nuc, /// a
 One, /// a
 NegOne, /// a
 Inf, /// a
 NegInf, /// a
 Two, /// a
 NegTwo }
/// vector_norm
pub fn vector_norm<T: Scalar, S: Data<Elem = T>>(x: &ArrayBase<S, Ix1>, ord: VectorNorm) -> T::Real { unimplemented!() }
/// vector_norm_axis
pub fn vector_norm_axis<T: Scalar, S: Data<Elem = T>, D: RemoveAxis>(a: &ArrayBase<S, D>, axis: Axis, ord: VectorNorm) -> Array<T::Real, D::Smaller> { unimplemented!() }
/// matrix_norm
pub fn matrix_norm<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>, ord: MatrixNorm) -> Result<T::Real> { unimplemented!() }
/// matrix_rank
pub fn matrix_rank<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>, tol: Option<T::Real>) -> Result<usize> { unimplemented!() }
/// cond
pub fn cond<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>, ord: MatrixNorm) -> Result<T::Real> { unimplemented!() }
/// trace
pub fn trace<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>) -> Result<T> { unimplemented!() }
