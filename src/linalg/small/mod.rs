//! Register-level kernels for stacks of small matrices, where a LAPACK call costs more in
//! overhead than in arithmetic: LU with partial pivoting (inverse, solve, determinant) and
//! Cholesky. Each works on a copy of one matrix in a fixed-size array on the stack and keeps
//! LAPACK's algorithm (the same pivoting rule and elimination order as `?getf2`/`?potf2`), so
//! its backward-error bounds are LAPACK's; no cofactor or closed-form formulas.

pub(crate) mod cholesky;
pub(crate) mod lu;
