//! The crate's one error type.
//!
//! Every fallible ndkit function returns [`Result`]. Each variant names the operation that
//! failed (`op`) and carries the shapes or values at fault, so a message such as
//! `matmul: incompatible shapes [3, 4] and [5, 2]` can be acted on without a debugger.
//! LAPACK `info` codes are translated into [`Error::Singular`],
//! [`Error::NotPositiveDefinite`] or [`Error::NoConvergence`]; they never leak raw.
//!
//! [`Error::kind`] gives the fieldless [`ErrorKind`] of an error, for code that branches on
//! what went wrong without naming the variants' fields (or their future additions).

/// `Result<T, ndkit::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, and in which operation.
///
/// ```
/// use ndarray::array;
/// use ndkit::{linalg, Error};
///
/// let a = array![[1.0, 2.0], [2.0, 4.0]];
/// match linalg::inv(&a) {
///     Err(Error::Singular { op, .. }) => assert_eq!(op, "inv"),
///     other => panic!("expected a singular-matrix error, got {other:?}"),
/// }
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Two operands whose shapes do not fit together.
    #[error("{op}: incompatible shapes {lhs:?} and {rhs:?}")]
    IncompatibleShapes {
        /// The operation.
        op: &'static str,
        /// Shape of the first operand.
        lhs: Vec<usize>,
        /// Shape of the second operand.
        rhs: Vec<usize>,
    },
    /// A square matrix was required.
    #[error("{op}: expected a square matrix, got shape {shape:?}")]
    NotSquare {
        /// The operation.
        op: &'static str,
        /// The shape received.
        shape: Vec<usize>,
    },
    /// An operand of the wrong dimensionality or shape for this operation.
    #[error("{op}: invalid shape {shape:?}: {expected}")]
    InvalidShape {
        /// The operation.
        op: &'static str,
        /// The shape received.
        shape: Vec<usize>,
        /// What was expected instead.
        expected: String,
    },
    /// The matrix is singular: a pivot is exactly zero (`pivot` is its 0-based index), or the
    /// reciprocal condition number of the equilibrated matrix is below the dtype's ε
    /// (singular to working precision; `pivot` is `None`).
    #[error("{op}: matrix is singular{}", singular_detail(*pivot, *rcond))]
    Singular {
        /// The operation.
        op: &'static str,
        /// 0-based index of the exactly-zero pivot, if that is the reason.
        pivot: Option<usize>,
        /// The reciprocal condition number estimate (0 for an exact zero pivot).
        rcond: f64,
    },
    /// Cholesky factorisation failed: the leading minor of order `minor` is not positive.
    #[error(
        "{op}: matrix is not positive definite (leading minor of order {minor} is not positive)"
    )]
    NotPositiveDefinite {
        /// The operation.
        op: &'static str,
        /// Order (1-based) of the first leading minor that is not positive.
        minor: usize,
    },
    /// An iterative LAPACK routine did not converge.
    #[error("{op}: {routine} did not converge ({unconverged} values failed to converge)")]
    NoConvergence {
        /// The operation.
        op: &'static str,
        /// The LAPACK routine.
        routine: &'static str,
        /// How many values or superdiagonals failed to converge (LAPACK's `info`).
        unconverged: usize,
    },
    /// NaN or ±Inf in an input to a routine that would otherwise iterate on it.
    #[error("{op}: input of shape {shape:?} contains NaN or infinity")]
    NonFinite {
        /// The operation.
        op: &'static str,
        /// Shape of the offending input.
        shape: Vec<usize>,
    },
    /// A dimension does not fit LAPACK's/BLAS's 32-bit integers.
    #[error("{op}: dimension {dim} exceeds the 32-bit index range of BLAS/LAPACK ({max})", max = i32::MAX)]
    TooLarge {
        /// The operation.
        op: &'static str,
        /// The offending size.
        dim: usize,
    },
    /// A result, or the workspace a LAPACK routine needs, that is too large to allocate or to
    /// count in LAPACK's 32-bit integers.
    #[error("{op}: {what} would need {elements} elements, more than can be allocated or indexed")]
    TooLargeToAllocate {
        /// The operation.
        op: &'static str,
        /// What would have been allocated (the result, or a routine's workspace).
        what: &'static str,
        /// How many elements it would need.
        elements: u128,
    },
    /// An argument value outside the range the operation accepts.
    #[error("{op}: {message}")]
    InvalidArgument {
        /// The operation.
        op: &'static str,
        /// What is wrong with which argument.
        message: String,
    },
    /// An error from one of ndarray's own shape operations (`into_shape_with_order`,
    /// `from_shape_vec`, `into_dimensionality`, …), converted by `?` inside code returning
    /// [`Result`].
    ///
    /// ```
    /// use ndarray::Array1;
    /// fn reshaped(v: Vec<f64>) -> ndkit::Result<ndarray::Array2<f64>> {
    ///     Ok(Array1::from(v).into_shape_with_order((2, 2))?)
    /// }
    /// let err = reshaped(vec![1.0; 3]).unwrap_err();
    /// assert!(matches!(err, ndkit::Error::Ndarray(_)));
    /// assert!(err.to_string().starts_with("ndarray: "));
    /// ```
    #[error("ndarray: {0}")]
    Ndarray(#[from] ndarray::ShapeError),
    /// A malformed einsum specification; `position` is the 0-based character offset.
    #[error("einsum: '{spec}': {message}{}", position.map(|p| format!(" (position {p})")).unwrap_or_default())]
    Einsum {
        /// The specification string as given.
        spec: String,
        /// Offset of the offending character, when one can be named.
        position: Option<usize>,
        /// What is wrong.
        message: String,
    },
}

/// What kind of error an [`Error`] is, without its details: a fieldless `Copy` enum for
/// `match`, `==` and hash maps, from [`Error::kind`]. Several variants can share a kind
/// (`TooLarge` and `TooLargeToAllocate` are both [`ErrorKind::TooLarge`]); new kinds may be
/// added, so a `match` needs a `_` arm.
///
/// ```
/// use ndarray::array;
/// use ndkit::linalg::{self, UPLO};
/// use ndkit::ErrorKind;
///
/// let indefinite = array![[1.0_f64, 2.0], [2.0, 1.0]];
/// let err = linalg::cholesky(&indefinite, UPLO::Lower).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::NotPositiveDefinite);
/// let fallback = match err.kind() {
///     ErrorKind::NotPositiveDefinite => "use ldl or eigh instead",
///     ErrorKind::Singular => "regularise",
///     _ => "give up",
/// };
/// assert_eq!(fallback, "use ldl or eigh instead");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Operand shapes that do not fit together, or an operand of the wrong dimensionality or
    /// shape ([`Error::IncompatibleShapes`], [`Error::InvalidShape`], [`Error::Ndarray`]).
    Shape,
    /// A square matrix was required ([`Error::NotSquare`]).
    NotSquare,
    /// A singular matrix, exactly or to working precision ([`Error::Singular`]).
    Singular,
    /// A matrix that is not positive definite ([`Error::NotPositiveDefinite`]).
    NotPositiveDefinite,
    /// NaN or ±Inf where finite input is required ([`Error::NonFinite`]).
    NonFinite,
    /// An iterative routine that did not converge ([`Error::NoConvergence`]).
    NoConvergence,
    /// A size beyond BLAS/LAPACK's 32-bit integers or beyond what can be allocated
    /// ([`Error::TooLarge`], [`Error::TooLargeToAllocate`]).
    TooLarge,
    /// An argument value outside the accepted range ([`Error::InvalidArgument`]).
    InvalidArgument,
    /// A malformed einsum specification ([`Error::Einsum`]).
    Einsum,
}

fn singular_detail(pivot: Option<usize>, rcond: f64) -> String {
    match pivot {
        Some(p) => format!(" (pivot {p} is exactly zero)"),
        None => format!(" to working precision (reciprocal condition number {rcond:.3e} is below machine epsilon)"),
    }
}

impl Error {
    /// The kind of this error, without its details.
    ///
    /// ```
    /// use ndkit::{linalg, ErrorKind};
    /// let err = linalg::matmul(&ndarray::Array2::<f64>::zeros((2, 3)), &ndarray::Array2::zeros((2, 3)));
    /// assert_eq!(err.unwrap_err().kind(), ErrorKind::Shape);
    /// let err = ndkit::einsum::einsum::<f64>("ij->k", &[ndarray::ArrayD::zeros(vec![2, 2]).view()]);
    /// assert_eq!(err.unwrap_err().kind(), ErrorKind::Einsum);
    /// ```
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::IncompatibleShapes { .. } | Error::InvalidShape { .. } | Error::Ndarray(_) => {
                ErrorKind::Shape
            }
            Error::NotSquare { .. } => ErrorKind::NotSquare,
            Error::Singular { .. } => ErrorKind::Singular,
            Error::NotPositiveDefinite { .. } => ErrorKind::NotPositiveDefinite,
            Error::NonFinite { .. } => ErrorKind::NonFinite,
            Error::NoConvergence { .. } => ErrorKind::NoConvergence,
            Error::TooLarge { .. } | Error::TooLargeToAllocate { .. } => ErrorKind::TooLarge,
            Error::InvalidArgument { .. } => ErrorKind::InvalidArgument,
            Error::Einsum { .. } => ErrorKind::Einsum,
        }
    }

    /// Whether this error reports a singular matrix (exact or to working precision).
    ///
    /// ```
    /// let a = ndarray::array![[0.0_f64]];
    /// assert!(ndkit::linalg::solve(&a, &ndarray::array![1.0]).unwrap_err().is_singular());
    /// ```
    pub fn is_singular(&self) -> bool {
        self.kind() == ErrorKind::Singular
    }

    /// Whether this error reports a matrix that is not positive definite (Cholesky failed).
    ///
    /// ```
    /// use ndkit::linalg::{self, UPLO};
    /// let a = ndarray::array![[-1.0_f64]];
    /// assert!(linalg::cholesky(&a, UPLO::Lower).unwrap_err().is_not_positive_definite());
    /// ```
    pub fn is_not_positive_definite(&self) -> bool {
        self.kind() == ErrorKind::NotPositiveDefinite
    }

    /// Whether this error reports NaN or ±Inf in an input that must be finite.
    ///
    /// ```
    /// let a = ndarray::array![[f64::NAN, 0.0], [0.0, 1.0]];
    /// assert!(ndkit::linalg::svd(&a, false).unwrap_err().is_non_finite());
    /// ```
    pub fn is_non_finite(&self) -> bool {
        self.kind() == ErrorKind::NonFinite
    }

    /// The same error reported as operation `op` on the matrix at `index` of a stack, e.g.
    /// `stacked::inv (matrix [2, 0]): matrix is singular`. The variant and its fields stay
    /// those of the 2-D operation. Error variants name their operation with a `&'static str`,
    /// so each distinct name with an index is allocated once and kept for the life of the
    /// process (a bounded set in practice: one per failing matrix position).
    pub(crate) fn at_index(self, op: &'static str, index: &[usize]) -> Error {
        use std::collections::HashSet;
        use std::sync::{Mutex, PoisonError};
        static NAMES: Mutex<Option<HashSet<&'static str>>> = Mutex::new(None);
        if index.is_empty() {
            // A single matrix (a 2-D input to a stacked function): nothing to point at.
            return self.with_op(op);
        }
        let name = format!("{op} (matrix {index:?})");
        let mut names = NAMES.lock().unwrap_or_else(PoisonError::into_inner);
        let names = names.get_or_insert_with(HashSet::new);
        let name = match names.get(name.as_str()) {
            Some(&known) => known,
            None => {
                let leaked: &'static str = Box::leak(name.into_boxed_str());
                names.insert(leaked);
                leaked
            }
        };
        self.with_op(name)
    }

    /// The same error reported as operation `name`, for operations built on other ones.
    pub(crate) fn with_op(mut self, name: &'static str) -> Error {
        match &mut self {
            Error::IncompatibleShapes { op, .. }
            | Error::NotSquare { op, .. }
            | Error::InvalidShape { op, .. }
            | Error::Singular { op, .. }
            | Error::NotPositiveDefinite { op, .. }
            | Error::NoConvergence { op, .. }
            | Error::NonFinite { op, .. }
            | Error::TooLarge { op, .. }
            | Error::TooLargeToAllocate { op, .. }
            | Error::InvalidArgument { op, .. } => *op = name,
            Error::Einsum { .. } | Error::Ndarray(_) => {}
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::{Error, ErrorKind};

    /// One error of every variant, with the kind it must have.
    fn one_of_each() -> Vec<(Error, ErrorKind)> {
        let shape_error = ndarray::Array1::<f64>::zeros(3)
            .into_shape_with_order((2, 2))
            .unwrap_err();
        vec![
            (
                Error::IncompatibleShapes {
                    op: "matmul",
                    lhs: vec![2, 3],
                    rhs: vec![2, 3],
                },
                ErrorKind::Shape,
            ),
            (
                Error::NotSquare {
                    op: "inv",
                    shape: vec![2, 3],
                },
                ErrorKind::NotSquare,
            ),
            (
                Error::InvalidShape {
                    op: "x",
                    shape: vec![2],
                    expected: "2-D".into(),
                },
                ErrorKind::Shape,
            ),
            (
                Error::Singular {
                    op: "inv",
                    pivot: Some(1),
                    rcond: 0.0,
                },
                ErrorKind::Singular,
            ),
            (
                Error::NotPositiveDefinite {
                    op: "cholesky",
                    minor: 2,
                },
                ErrorKind::NotPositiveDefinite,
            ),
            (
                Error::NoConvergence {
                    op: "svd",
                    routine: "dgesdd",
                    unconverged: 1,
                },
                ErrorKind::NoConvergence,
            ),
            (
                Error::NonFinite {
                    op: "eig",
                    shape: vec![2, 2],
                },
                ErrorKind::NonFinite,
            ),
            (
                Error::TooLarge {
                    op: "solve",
                    dim: 1 << 31,
                },
                ErrorKind::TooLarge,
            ),
            (
                Error::TooLargeToAllocate {
                    op: "matmul",
                    what: "the result",
                    elements: 1 << 70,
                },
                ErrorKind::TooLarge,
            ),
            (
                Error::InvalidArgument {
                    op: "pinv",
                    message: "rcond is NaN".into(),
                },
                ErrorKind::InvalidArgument,
            ),
            (Error::Ndarray(shape_error), ErrorKind::Shape),
            (
                Error::Einsum {
                    spec: "ij->k".into(),
                    position: Some(4),
                    message: "x".into(),
                },
                ErrorKind::Einsum,
            ),
        ]
    }

    #[test]
    fn every_variant_has_its_kind() {
        let cases = one_of_each();
        for (err, kind) in &cases {
            assert_eq!(err.kind(), *kind, "{err:?}");
            // The kind survives the renaming composed and stacked operations do.
            assert_eq!(err.clone().with_op("outer").kind(), *kind, "{err:?}");
            assert_eq!(err.is_singular(), *kind == ErrorKind::Singular);
            assert_eq!(
                err.is_not_positive_definite(),
                *kind == ErrorKind::NotPositiveDefinite
            );
            assert_eq!(err.is_non_finite(), *kind == ErrorKind::NonFinite);
        }
        // Exhaustive (no `_` arm inside the crate): a new variant of `Error` must be added to
        // `one_of_each`, or this stops compiling.
        let covered = |probe: &Error| {
            cases
                .iter()
                .any(|(err, _)| std::mem::discriminant(err) == std::mem::discriminant(probe))
        };
        for (err, _) in &cases {
            match err {
                Error::IncompatibleShapes { .. }
                | Error::NotSquare { .. }
                | Error::InvalidShape { .. }
                | Error::Singular { .. }
                | Error::NotPositiveDefinite { .. }
                | Error::NoConvergence { .. }
                | Error::NonFinite { .. }
                | Error::TooLarge { .. }
                | Error::TooLargeToAllocate { .. }
                | Error::InvalidArgument { .. }
                | Error::Ndarray(_)
                | Error::Einsum { .. } => assert!(covered(err)),
            }
        }
        assert_eq!(cases.len(), 12, "one case per variant");
        // And every kind is reached by some variant.
        let kinds = [
            ErrorKind::Shape,
            ErrorKind::NotSquare,
            ErrorKind::Singular,
            ErrorKind::NotPositiveDefinite,
            ErrorKind::NonFinite,
            ErrorKind::NoConvergence,
            ErrorKind::TooLarge,
            ErrorKind::InvalidArgument,
            ErrorKind::Einsum,
        ];
        for kind in kinds {
            assert!(
                cases.iter().any(|(_, k)| *k == kind),
                "{kind:?} unreachable"
            );
        }
    }

    #[test]
    fn kinds_hash_and_compare() {
        use std::collections::HashMap;
        let mut counts = HashMap::new();
        for (err, _) in one_of_each() {
            *counts.entry(err.kind()).or_insert(0) += 1;
        }
        assert_eq!(counts[&ErrorKind::Shape], 3);
        assert_eq!(counts[&ErrorKind::TooLarge], 2);
        assert_eq!(counts.len(), 9);
    }
}
