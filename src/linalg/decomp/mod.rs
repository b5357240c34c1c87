//! Matrix factorisations, one per module, each returning a reusable factor object.

pub(crate) mod cholesky;
pub(crate) mod eig;
pub(crate) mod equilibration;
pub(crate) mod generalized;
pub(crate) mod hessenberg;
pub(crate) mod ldl;
pub(crate) mod lu;
pub(crate) mod lu_explicit;
pub(crate) mod qr;
pub(crate) mod qr_pivoted;
pub(crate) mod schur;
pub(crate) mod subset;
pub(crate) mod svd;
pub(crate) mod svd_job;
