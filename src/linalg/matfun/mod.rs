//! Matrix functions, as `scipy.linalg.expm` and `scipy.linalg.sqrtm`: one module per
//! function, each with the routines behind it in its docs.

mod expm;
mod sqrtm;

pub use expm::expm;
pub use sqrtm::sqrtm;
