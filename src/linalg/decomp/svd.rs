//! PLACEHOLDER (being written): SVD.
#![allow(unused)]
use ndarray::{Array1, Array2, ArrayBase, Data, Ix2};
use crate::{Result, Scalar};
/// Svd
#[derive(Debug, Clone)]
pub struct Svd<T: Scalar> { /// u
 pub u: Array2<T>, /// s
 pub s: Array1<T::Real>, /// vt
 pub vt: Array2<T> }
/// svd
pub fn svd<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>, full_matrices: bool) -> Result<Svd<T>> { unimplemented!() }
/// svdvals
pub fn svdvals<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>) -> Result<Array1<T::Real>> { unimplemented!() }
