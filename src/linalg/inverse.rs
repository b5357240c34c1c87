//! PLACEHOLDER (being written)
#![allow(unused)]
use ndarray::{Array2, ArrayBase, Data, Ix2};
use crate::{Result, Scalar};
/// inv
pub fn inv<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>) -> Result<Array2<T>> { unimplemented!() }
/// pinv
pub fn pinv<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>, rcond: Option<T::Real>) -> Result<Array2<T>> { unimplemented!() }
/// det
pub fn det<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>) -> Result<T> { unimplemented!() }
/// slogdet
pub fn slogdet<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>) -> Result<(T, T::Real)> { unimplemented!() }
