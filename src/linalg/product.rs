//! PLACEHOLDER (being written): matrix products.
#![allow(unused)]
use ndarray::{Array1, Array2, ArrayBase, ArrayD, ArrayView2, Data, DataMut, Dimension, Ix1, Ix2};
use crate::{Result, Scalar};
/// matmul
pub fn matmul<T: Scalar, Sa: Data<Elem = T>, Sb: Data<Elem = T>>(a: &ArrayBase<Sa, Ix2>, b: &ArrayBase<Sb, Ix2>) -> Result<Array2<T>> { unimplemented!() }
/// matvec
pub fn matvec<T: Scalar, Sa: Data<Elem = T>, Sx: Data<Elem = T>>(a: &ArrayBase<Sa, Ix2>, x: &ArrayBase<Sx, Ix1>) -> Result<Array1<T>> { unimplemented!() }
/// dot
pub fn dot<T: Scalar, Sx: Data<Elem = T>, Sy: Data<Elem = T>>(x: &ArrayBase<Sx, Ix1>, y: &ArrayBase<Sy, Ix1>) -> Result<T> { unimplemented!() }
/// vdot
pub fn vdot<T: Scalar, Sx: Data<Elem = T>, Sy: Data<Elem = T>>(x: &ArrayBase<Sx, Ix1>, y: &ArrayBase<Sy, Ix1>) -> Result<T> { unimplemented!() }
/// batched_matmul
pub fn batched_matmul<T: Scalar, Sa: Data<Elem = T>, Sb: Data<Elem = T>, Da: Dimension, Db: Dimension>(a: &ArrayBase<Sa, Da>, b: &ArrayBase<Sb, Db>) -> Result<ArrayD<T>> { unimplemented!() }
/// gemm
pub fn gemm<T: Scalar, Sa: Data<Elem = T>, Sb: Data<Elem = T>, Sc: DataMut<Elem = T>>(alpha: T, a: &ArrayBase<Sa, Ix2>, b: &ArrayBase<Sb, Ix2>, beta: T, c: &mut ArrayBase<Sc, Ix2>) -> Result<()> { unimplemented!() }
/// outer
pub fn outer<T: Scalar, Sx: Data<Elem = T>, Sy: Data<Elem = T>>(x: &ArrayBase<Sx, Ix1>, y: &ArrayBase<Sy, Ix1>) -> Array2<T> { unimplemented!() }
/// multi_dot
pub fn multi_dot<T: Scalar>(arrays: &[ArrayView2<'_, T>]) -> Result<Array2<T>> { unimplemented!() }
/// matrix_power
pub fn matrix_power<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>, n: i32) -> Result<Array2<T>> { unimplemented!() }
