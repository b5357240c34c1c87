//! PLACEHOLDER (being written): QR.
#![allow(unused)]
use ndarray::{Array2, ArrayBase, Data, Ix2};
use crate::{Result, Scalar};
/// Qr
#[derive(Debug, Clone)]
pub struct Qr<T: Scalar> { /// q
 pub q: Array2<T>, /// r
 pub r: Array2<T> }
/// qr
pub fn qr<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>) -> Result<Qr<T>> { unimplemented!() }
