//! PLACEHOLDER (being written)
#![allow(unused)]
use ndarray::{Array, Array2, ArrayBase, Data, Dimension, Ix2};
use crate::{Result, Scalar};
/// LuFactor
#[derive(Debug, Clone)]
pub struct LuFactor<T: Scalar> { lu: Array2<T> }
impl<T: Scalar> LuFactor<T> {
    /// solve
    pub fn solve<S: Data<Elem = T>, D: Dimension>(&self, b: &ArrayBase<S, D>) -> Result<Array<T, D>> { unimplemented!() }
    /// det
    pub fn det(&self) -> T { unimplemented!() }
    /// inv
    pub fn inv(&self) -> Result<Array2<T>> { unimplemented!() }
}
/// lu_factor
pub fn lu_factor<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>) -> Result<LuFactor<T>> { unimplemented!() }
