//! `numpy.einsum` at BLAS speed: NumPy's grammar, a contraction planner, GEMM execution.
//!
//! ```
//! use ndarray::Array;
//! # fn main() -> ndkit::Result<()> {
//! let q = Array::<f32, _>::ones((2, 3, 4, 8)); // (batch, heads, i, d)
//! let k = Array::<f32, _>::ones((2, 3, 5, 8)); // (batch, heads, j, d)
//! let scores = ndkit::einsum!("bhid,bhjd->bhij", q, k)?;
//! assert_eq!(scores.shape(), &[2, 3, 4, 5]);
//! assert!(scores.iter().all(|&s| s == 8.0));
//! # Ok(())
//! # }
//! ```
//!
//! ## Grammar
//! NumPy's: `->` with an explicit output, or implicit mode (the output is the indices used
//! exactly once, in ASCII order — upper case first); `...` for broadcast leading axes; a
//! repeated index inside one operand takes its diagonal (`"ii->i"`) and, when absent from the
//! output, its trace (`"ii"`); size-1 axes broadcast against any size; spaces are ignored.
//! Every malformed spec is an [`Error::Einsum`] naming the character
//! position at fault.
//!
//! ## Execution
//! | case | how | routine |
//! |---|---|---|
//! | one operand: permutation, diagonal, trace, sums | one strided loop over the operand, no intermediate | — |
//! | two operands, small (≤ 512 index points) | one strided loop | — |
//! | two operands | one GEMM per batch element on views (transpose flags, no copy when the strides allow; else one copy of the operand) | `?gemm`, `?gemv`, `?dotu` |
//! | three or more | pairwise, in the order [`einsum_path`] finds (optimal up to 10 operands, greedy beyond) | as above |
//!
//! Intermediate results are laid out so that the next GEMM reads them without a copy. No
//! conjugation happens anywhere, as in NumPy.

mod exec;
mod loops;
mod parse;
mod plan;

use std::fmt;

use ndarray::{ArrayD, ArrayViewD, IxDyn};

use crate::layout::uninit_array;
use crate::{Error, Result, Scalar};
use exec::{c_order, checked_len, contract, intermediate_labels, Buffer, Dest, Tensor};
use loops::reduce;
use parse::{Bound, Mask};
use plan::{Report, Steps};

/// Evaluates the Einstein summation `spec` on `operands` (`numpy.einsum`).
///
/// Any memory layout works (C, F, transposed, sliced, negative strides); pairwise
/// contractions run as BLAS GEMMs on the operands' memory when their strides allow, and
/// three or more operands are contracted in the cheapest order (see [`einsum_path`]). The
/// result is a new array in C order. [`einsum!`](crate::einsum!) calls this with any mix of
/// arrays and views.
///
/// # Errors
/// [`Error::Einsum`] for a malformed spec, a wrong number of operands, an operand whose number
/// of axes does not match its term, or an index whose lengths differ between operands (not 1);
/// [`Error::TooLarge`] for a matrix dimension beyond BLAS's 32-bit integers;
/// [`Error::InvalidArgument`] for a result too large to allocate.
///
/// ```
/// use ndarray::array;
/// # fn main() -> ndkit::Result<()> {
/// let a = array![[1.0, 2.0], [3.0, 4.0]];
/// let b = array![[5.0, 6.0], [7.0, 8.0]];
/// let (a, b) = (a.view().into_dyn(), b.view().into_dyn());
/// assert_eq!(ndkit::einsum("ij,jk->ik", &[a.view(), b.view()])?, array![[19.0, 22.0], [43.0, 50.0]].into_dyn());
/// assert_eq!(ndkit::einsum("ii", &[a.view()])?, ndarray::arr0(5.0).into_dyn()); // trace
/// assert_eq!(ndkit::einsum("ji", &[a.view()])?, array![[1.0, 3.0], [2.0, 4.0]].into_dyn());
/// # Ok(())
/// # }
/// ```
pub fn einsum<T: Scalar>(spec: &str, operands: &[ArrayViewD<'_, T>]) -> Result<ArrayD<T>> {
    let parsed = parse::parse(spec)?;
    let bound = parsed.bind(operands.len(), |i| operands[i].shape())?;
    let steps = if operands.len() > 2 {
        plan::search(&bound)
    } else {
        Vec::new()
    };
    run(&bound, &steps, operands)
}

/// `einsum!(spec, a, b, …)`: [`einsum`](crate::einsum()) on any arrays or views (each is
/// passed as `.view().into_dyn()`), returning `Result<ArrayD<T>>`.
///
/// ```
/// use ndarray::{array, Array3};
/// # fn main() -> ndkit::Result<()> {
/// let a = Array3::<f64>::ones((4, 2, 3));
/// let b = array![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]];
/// let c = ndkit::einsum!("bij,jk->bik", a, b.view())?; // owned arrays and views alike
/// assert_eq!(c.shape(), &[4, 2, 2]);
/// assert_eq!(c[[0, 0, 1]], 12.0);
/// # Ok(())
/// # }
/// ```
#[macro_export]
macro_rules! einsum {
    ($spec:expr $(, $operand:expr)+ $(,)?) => {
        $crate::einsum::einsum($spec, &[$(($operand).view().into_dyn()),+])
    };
}

/// A contraction order computed once for a spec and operand shapes
/// (`numpy.einsum_path`), reusable through [`EinsumPath::execute`] without re-planning.
///
/// `Display` prints numpy's report: the naive and optimised FLOP counts, the largest
/// intermediate, and each pairwise step with the operands that remain after it.
///
/// ```
/// # fn main() -> ndkit::Result<()> {
/// let path = ndkit::einsum::einsum_path("ij,jk,kl->il", &[&[1000, 10], &[10, 1000], &[1000, 10]])?;
/// assert_eq!(path.path(), &[(1, 2), (0, 1)]); // jk·kl first: 1000× fewer FLOPs
/// println!("{path}");
/// # Ok(())
/// # }
/// ```
pub struct EinsumPath {
    bound: Bound,
    steps: Steps,
    shapes: Vec<Vec<usize>>,
    spec: String,
    report: Report,
}

/// Plans the contraction of operands of `shapes` by `spec` (`numpy.einsum_path` with
/// `optimize='optimal'` up to 10 operands, greedy beyond). For one operand the path is empty,
/// for two it is `[(0, 1)]`.
///
/// # Errors
/// As [`einsum`]: [`Error::Einsum`] for a malformed spec or shapes that do not fit it.
///
/// ```
/// use ndarray::Array2;
/// # fn main() -> ndkit::Result<()> {
/// let path = ndkit::einsum::einsum_path("ij,jk,kl->il", &[&[2, 3], &[3, 4], &[4, 5]])?;
/// let (a, b, c) = (Array2::<f64>::ones((2, 3)), Array2::ones((3, 4)), Array2::ones((4, 5)));
/// let out = path.execute(&[a.view().into_dyn(), b.view().into_dyn(), c.view().into_dyn()])?;
/// assert!(out.iter().all(|&x| x == 12.0));
/// # Ok(())
/// # }
/// ```
pub fn einsum_path(spec: &str, shapes: &[&[usize]]) -> Result<EinsumPath> {
    let parsed = parse::parse(spec)?;
    let bound = parsed.bind(shapes.len(), |i| shapes[i])?;
    let steps = match shapes.len() {
        1 => Vec::new(),
        2 => vec![(0, 1)],
        _ => plan::search(&bound),
    };
    let report = Report::new(&bound, &steps);
    Ok(EinsumPath {
        bound,
        steps,
        shapes: shapes.iter().map(|s| s.to_vec()).collect(),
        spec: spec.to_string(),
        report,
    })
}

impl EinsumPath {
    /// Evaluates the planned contraction on `operands`, whose shapes must be those planned for.
    ///
    /// # Errors
    /// [`Error::Einsum`] when the number of operands or a shape differs from the plan's;
    /// otherwise as [`einsum`].
    ///
    /// ```
    /// use ndarray::Array1;
    /// # fn main() -> ndkit::Result<()> {
    /// let path = ndkit::einsum::einsum_path("i,i->", &[&[3], &[3]])?;
    /// let x = Array1::from(vec![1.0, 2.0, 3.0]);
    /// assert_eq!(path.execute(&[x.view().into_dyn(), x.view().into_dyn()])?[[]], 14.0);
    /// assert!(path.execute(&[x.view().into_dyn()]).is_err());
    /// # Ok(())
    /// # }
    /// ```
    pub fn execute<T: Scalar>(&self, operands: &[ArrayViewD<'_, T>]) -> Result<ArrayD<T>> {
        let mismatch = |message: String| Error::Einsum {
            spec: self.spec.clone(),
            position: None,
            message,
        };
        if operands.len() != self.shapes.len() {
            return Err(mismatch(format!(
                "the path was planned for {} operands but {} were given",
                self.shapes.len(),
                operands.len()
            )));
        }
        for (i, (op, planned)) in operands.iter().zip(&self.shapes).enumerate() {
            if op.shape() != planned.as_slice() {
                return Err(mismatch(format!(
                    "operand {i} has shape {:?} but the path was planned for {planned:?}",
                    op.shape()
                )));
            }
        }
        run(&self.bound, &self.steps, operands)
    }

    /// The contraction order in `numpy.einsum_path`'s format: each pair names two positions
    /// in the current operand list, which are removed and their result appended.
    ///
    /// ```
    /// # fn main() -> ndkit::Result<()> {
    /// let path = ndkit::einsum::einsum_path("ij,jk->ik", &[&[2, 3], &[3, 4]])?;
    /// assert_eq!(path.path(), &[(0, 1)]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn path(&self) -> &[(usize, usize)] {
        &self.steps
    }

    /// The estimated FLOP count of evaluating the spec in one naive loop, as numpy reports it.
    ///
    /// ```
    /// # fn main() -> ndkit::Result<()> {
    /// let path = ndkit::einsum::einsum_path("ij,jk->ik", &[&[3, 4], &[4, 5]])?;
    /// assert_eq!(path.naive_flops(), 120.0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn naive_flops(&self) -> f64 {
        self.report.naive_flops()
    }

    /// The estimated FLOP count along this path, as numpy reports it.
    ///
    /// ```
    /// # fn main() -> ndkit::Result<()> {
    /// let path = ndkit::einsum::einsum_path("ij,jk,kl->il", &[&[1000, 10], &[10, 1000], &[1000, 10]])?;
    /// assert_eq!(path.optimized_flops(), 400_001.0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn optimized_flops(&self) -> f64 {
        self.report.opt_flops()
    }

    /// The number of elements of the largest intermediate result along this path.
    ///
    /// ```
    /// # fn main() -> ndkit::Result<()> {
    /// let path = ndkit::einsum::einsum_path("ij,jk,kl->il", &[&[1000, 10], &[10, 1000], &[1000, 10]])?;
    /// assert_eq!(path.largest_intermediate(), 10_000.0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn largest_intermediate(&self) -> f64 {
        self.report.largest()
    }
}

impl fmt::Display for EinsumPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.report.fmt(f)
    }
}

impl fmt::Debug for EinsumPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EinsumPath")
            .field("spec", &self.spec)
            .field("shapes", &self.shapes)
            .field("path", &self.steps)
            .finish()
    }
}

/// Evaluates a bound spec: one operand by a strided reduction, two by one contraction, more
/// pairwise along `steps`.
fn run<T: Scalar>(
    b: &Bound,
    steps: &[(usize, usize)],
    operands: &[ArrayViewD<'_, T>],
) -> Result<ArrayD<T>> {
    let shape = b.output_shape();
    let len = checked_len::<T>(&shape)?;
    if b.any_empty() || operands.len() == 1 {
        let mut out = ArrayD::<T>::zeros(IxDyn(&shape));
        if !b.any_empty() {
            let dst = c_order(out.as_mut_ptr() as *const T, b.output, &b.sizes);
            let bind = Tensor::bind(operands[0].as_ptr(), operands[0].strides(), &b.ops[0]);
            // SAFETY: the tensor views operand 0 through its label map (diagonals as summed
            // strides, broadcast axes dropped), so every index within the label sizes is
            // inside it; `dst` is the fresh zeroed output, of exactly the output labels'
            // sizes, overlapping no operand.
            unsafe { reduce(&bind, &dst, &b.sizes) };
        }
        return Ok(out);
    }
    let sizes = &b.sizes;
    // Fresh C-order memory, written only through this tensor (the last contraction
    // initialises every element) until it is returned.
    let mut out = uninit_array::<T, _>(IxDyn(&shape));
    let dst = c_order(out.as_mut_ptr() as *const T, b.output, sizes);
    let dest = Dest::Uninit(len);
    let bind = |i: usize| Tensor::bind(operands[i].as_ptr(), operands[i].strides(), &b.ops[i]);
    match operands.len() {
        // SAFETY: each tensor views its operand through its label map, so every index within
        // the label sizes is inside it; `dst` is the fresh output of `len` contiguous
        // elements, of exactly the output labels' sizes, overlapping no operand.
        2 => unsafe { contract(&bind(0), &bind(1), &dst, dest, sizes)? },
        _ => {
            // The last step writes the result: a path of any other length would leave it
            // unwritten (or contract into it twice).
            if steps.len() + 1 != operands.len() {
                return Err(Error::InvalidArgument {
                    op: "einsum",
                    message: format!(
                        "a contraction path for {} operands has {} steps, not {}",
                        operands.len(),
                        operands.len().saturating_sub(1),
                        steps.len()
                    ),
                });
            }
            let mut list: Vec<(Tensor<T>, Option<Buffer<T>>)> =
                (0..operands.len()).map(|i| (bind(i), None)).collect();
            for (si, &(i, j)) in steps.iter().enumerate() {
                if i >= j || j >= list.len() {
                    return Err(Error::InvalidArgument {
                        op: "einsum",
                        message: format!("invalid contraction step ({i}, {j})"),
                    });
                }
                let (y, y_buf) = list.remove(j);
                let (x, x_buf) = list.remove(i);
                if si + 1 == steps.len() {
                    // SAFETY: as above; intermediates are buffers owned by `x_buf`/`y_buf`,
                    // alive until the end of this iteration.
                    unsafe { contract(&x, &y, &dst, dest, sizes)? };
                } else {
                    let keep: Mask = list
                        .iter()
                        .fold(b.output.mask(), |m, (t, _)| m | t.labels.mask());
                    let buf = Buffer::zeros(intermediate_labels(&x, &y, keep), sizes)?;
                    let t = buf.tensor(sizes);
                    // SAFETY: as above; `buf` is fresh and zeroed, with labels from x and y.
                    unsafe { contract(&x, &y, &t, Dest::Zeroed, sizes)? };
                    list.push((t, Some(buf)));
                }
                drop((x_buf, y_buf));
            }
        }
    }
    // SAFETY: the last contraction wrote every element of `dst`, which is all of `out`.
    Ok(unsafe { out.assume_init() })
}
