//! PLACEHOLDER (being written)
#![allow(unused)]
use ndarray::{Array, Array1, ArrayBase, Data, Dimension, Ix2};
use crate::linalg::UPLO;
use crate::{Result, Scalar};
/// Lstsq
#[derive(Debug, Clone)]
pub struct Lstsq<T: Scalar, D: Dimension> { /// a
 pub solution: Array<T, D>, /// a
 pub residuals: Array1<T::Real>, /// a
 pub rank: usize, /// a
 pub singular_values: Array1<T::Real> }
/// solve
pub fn solve<T: Scalar, Sa: Data<Elem = T>, Sb: Data<Elem = T>, D: Dimension>(a: &ArrayBase<Sa, Ix2>, b: &ArrayBase<Sb, D>) -> Result<Array<T, D>> { unimplemented!() }
/// solve_triangular
pub fn solve_triangular<T: Scalar, Sa: Data<Elem = T>, Sb: Data<Elem = T>, D: Dimension>(a: &ArrayBase<Sa, Ix2>, b: &ArrayBase<Sb, D>, uplo: UPLO) -> Result<Array<T, D>> { unimplemented!() }
/// lstsq
pub fn lstsq<T: Scalar, Sa: Data<Elem = T>, Sb: Data<Elem = T>, D: Dimension>(a: &ArrayBase<Sa, Ix2>, b: &ArrayBase<Sb, D>, rcond: Option<T::Real>) -> Result<Lstsq<T, D>> { unimplemented!() }
