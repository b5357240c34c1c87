//! PLACEHOLDER (being written)
#![allow(unused)]
use ndarray::{Array, Array2, ArrayBase, Data, Dimension, Ix2};
use crate::linalg::UPLO;
use crate::{Result, Scalar};
/// CholeskyFactor
#[derive(Debug, Clone)]
pub struct CholeskyFactor<T: Scalar> { c: Array2<T> }
impl<T: Scalar> CholeskyFactor<T> {
    /// solve
    pub fn solve<S: Data<Elem = T>, D: Dimension>(&self, b: &ArrayBase<S, D>) -> Result<Array<T, D>> { unimplemented!() }
}
/// cholesky
pub fn cholesky<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>, uplo: UPLO) -> Result<Array2<T>> { unimplemented!() }
/// cho_factor
pub fn cho_factor<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>, uplo: UPLO) -> Result<CholeskyFactor<T>> { unimplemented!() }
