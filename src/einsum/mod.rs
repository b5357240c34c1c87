//! PLACEHOLDER (being written): NumPy's einsum.
#![allow(unused)]
use ndarray::{ArrayD, ArrayViewD};
use crate::{Result, Scalar};
/// einsum
pub fn einsum<T: Scalar>(spec: &str, operands: &[ArrayViewD<'_, T>]) -> Result<ArrayD<T>> { unimplemented!() }
