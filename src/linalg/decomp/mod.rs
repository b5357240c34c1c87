//! Matrix factorisations, one per module, each returning a reusable factor object.

pub(crate) mod cholesky;
pub(crate) mod eig;
pub(crate) mod equilibration;
pub(crate) mod lu;
pub(crate) mod qr;
pub(crate) mod svd;
pub(crate) mod svd_job;
