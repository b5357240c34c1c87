//! PLACEHOLDER (being written): eigen.
#![allow(unused)]
use ndarray::{Array1, Array2, ArrayBase, Data, Ix2};
use crate::linalg::UPLO;
use crate::{Result, Scalar};
/// Eigh
#[derive(Debug, Clone)]
pub struct Eigh<T: Scalar> { /// v
 pub values: Array1<T::Real>, /// v
 pub vectors: Array2<T> }
/// Eig
#[derive(Debug, Clone)]
pub struct Eig<T: Scalar> { /// v
 pub values: Array1<T::Complex>, /// v
 pub vectors: Array2<T::Complex> }
/// eigh
pub fn eigh<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>, uplo: UPLO) -> Result<Eigh<T>> { unimplemented!() }
/// eigvalsh
pub fn eigvalsh<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>, uplo: UPLO) -> Result<Array1<T::Real>> { unimplemented!() }
/// eig
pub fn eig<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>) -> Result<Eig<T>> { unimplemented!() }
/// eigvals
pub fn eigvals<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>) -> Result<Array1<T::Complex>> { unimplemented!() }
