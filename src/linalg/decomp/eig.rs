//! Eigendecompositions, as `numpy.linalg.eigh`/`eigvalsh` and `numpy.linalg.eig`/`eigvals`.
//!
//! | function | f32 | f64 | c32 | c64 |
//! |---|---|---|---|---|
//! | [`eigh`] (`jobz` = `V`), [`eigvalsh`] (`jobz` = `N`) | `ssyevd` | `dsyevd` | `cheevd` | `zheevd` |
//! | [`eig`] (`jobvr` = `V`), [`eigvals`] (`jobvr` = `N`) | `sgeev` | `dgeev` | `cgeev` | `zgeev` |
//! | the k largest eigenpairs (crate-internal, for PCA) | `ssyevr` | `dsyevr` | `cheevr` | `zheevr` |
//!
//! The input is copied once into Fortran order. For `eigh` only the named triangle is
//! copied (the other is left zero), so whatever the caller keeps in the unused triangle —
//! garbage, NaN — never reaches LAPACK; the eigenvectors are computed in that same buffer.

use ndarray::{
    s, Array, Array1, Array2, ArrayBase, ArrayView2, ArrayViewMut1, ArrayViewMut2, Data, Dimension,
    Ix2, ShapeBuilder,
};

use crate::kernels::{with_lapack_stack, Workspace};
use crate::layout::{
    copy_triangle, ensure_finite, ensure_workspace, in_contiguous, in_fortran, lapack_int,
    lapack_status, scratch_matrix, square_order, to_fortran, uplo_char,
};
use crate::linalg::UPLO;
use crate::{Result, Scalar};

/// Eigenvalues and eigenvectors of a symmetric/Hermitian matrix, as returned by [`eigh`].
///
/// ```
/// use ndarray::array;
/// use ndkit::linalg::{eigh, UPLO};
///
/// let a = array![[2.0_f64, 1.0], [1.0, 2.0]];
/// let ndkit::linalg::Eigh { values, vectors } = eigh(&a, UPLO::Lower)?;
/// let residual = a.dot(&vectors) - vectors.dot(&ndarray::Array2::from_diag(&values));
/// assert!(residual.iter().all(|r| r.abs() < 1e-12));
/// # Ok::<(), ndkit::Error>(())
/// ```
#[derive(Debug, Clone)]
///
/// The stacked form ([`crate::linalg::stacked::eigh`]) has `D = IxDyn`: both fields then have
/// the batch axes in front.
pub struct Eigh<T: Scalar, D: Dimension = Ix2> {
    /// The eigenvalues, ascending.
    pub values: Array<T::Real, D::Smaller>,
    /// The orthonormal eigenvectors, as columns: column `i` belongs to `values[i]`.
    pub vectors: Array<T, D>,
}

/// Eigenvalues and right eigenvectors of a general square matrix, as returned by [`eig`].
///
/// ```
/// use ndarray::array;
/// use ndkit::c64;
///
/// let a = array![[1.0, 2.0], [0.0, 3.0]];
/// let ndkit::linalg::Eig { values, vectors } = ndkit::linalg::eig(&a)?;
/// let ac = a.mapv(|x| c64::new(x, 0.0));
/// let residual = ac.dot(&vectors) - vectors.dot(&ndarray::Array2::from_diag(&values));
/// assert!(residual.iter().all(|r| r.norm() < 1e-12));
/// # Ok::<(), ndkit::Error>(())
/// ```
#[derive(Debug, Clone)]
///
/// The stacked form ([`crate::linalg::stacked::eig`]) has `D = IxDyn`.
pub struct Eig<T: Scalar, D: Dimension = Ix2> {
    /// The eigenvalues, in the order LAPACK returns them (unsorted, as in NumPy). For real
    /// input, complex eigenvalues come in adjacent conjugate pairs, positive imaginary part
    /// first.
    pub values: Array<T::Complex, D::Smaller>,
    /// The right eigenvectors, as columns of unit 2-norm: column `i` belongs to `values[i]`.
    pub vectors: Array<T::Complex, D>,
}

/// Eigenvalues (ascending) and orthonormal eigenvectors (columns) of a symmetric/Hermitian
/// matrix (`np.linalg.eigh(a, UPLO)`), by LAPACK's divide-and-conquer `?syevd`/`?heevd`.
///
/// Only the triangle named by `uplo` is read (the imaginary parts of a complex diagonal are
/// ignored, as in LAPACK and NumPy); the other triangle may hold anything, NaN included.
///
/// # Errors
/// [`Error::NotSquare`](crate::Error::NotSquare) for a non-square input,
/// [`Error::NonFinite`](crate::Error::NonFinite) for NaN/Inf in the named triangle,
/// [`Error::NoConvergence`](crate::Error::NoConvergence) if LAPACK fails to converge,
/// [`Error::TooLarge`](crate::Error::TooLarge) beyond LAPACK's 32-bit integers.
///
/// ```
/// use ndarray::array;
/// use ndkit::linalg::{eigh, UPLO};
///
/// // Only the upper triangle is read: the NaN below the diagonal is ignored.
/// let a = array![[2.0, 1.0], [f64::NAN, 2.0]];
/// let e = eigh(&a, UPLO::Upper)?;
/// assert!((e.values[0] - 1.0).abs() < 1e-12 && (e.values[1] - 3.0).abs() < 1e-12);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn eigh<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>, uplo: UPLO) -> Result<Eigh<T>> {
    hermitian("eigh", a, uplo, true)
}

/// Eigenvalues (ascending) of a symmetric/Hermitian matrix (`np.linalg.eigvalsh(a, UPLO)`),
/// by `?syevd`/`?heevd` without vectors. Only the triangle named by `uplo` is read.
///
/// # Errors
/// As [`eigh`].
///
/// ```
/// use ndarray::array;
/// use ndkit::{c64, linalg::{eigvalsh, UPLO}};
///
/// // Hermitian [[2, -i], [i, 2]] has eigenvalues 1 and 3.
/// let a = array![
///     [c64::new(2.0, 0.0), c64::new(0.0, -1.0)],
///     [c64::new(0.0, 1.0), c64::new(2.0, 0.0)],
/// ];
/// let w = eigvalsh(&a, UPLO::Lower)?;
/// assert!((w[0] - 1.0).abs() < 1e-12 && (w[1] - 3.0).abs() < 1e-12);
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn eigvalsh<T: Scalar, S: Data<Elem = T>>(
    a: &ArrayBase<S, Ix2>,
    uplo: UPLO,
) -> Result<Array1<T::Real>> {
    hermitian("eigvalsh", a, uplo, false).map(|e| e.values)
}

/// Eigenvalues and right eigenvectors (columns of unit 2-norm) of a general square matrix
/// (`np.linalg.eig`), by LAPACK's `?geev`. Values and vectors are complex also for real
/// input; their order is LAPACK's (unsorted, as in NumPy).
///
/// # Errors
/// [`Error::NotSquare`](crate::Error::NotSquare) for a non-square input,
/// [`Error::NonFinite`](crate::Error::NonFinite) for NaN/Inf entries,
/// [`Error::NoConvergence`](crate::Error::NoConvergence) if the QR algorithm fails,
/// [`Error::TooLarge`](crate::Error::TooLarge) beyond LAPACK's 32-bit integers.
///
/// ```
/// use ndarray::array;
///
/// // A rotation by 90°: eigenvalues ±i.
/// let e = ndkit::linalg::eig(&array![[0.0_f64, -1.0], [1.0, 0.0]])?;
/// assert!(e.values.iter().all(|z| z.re.abs() < 1e-12 && (z.im.abs() - 1.0).abs() < 1e-12));
/// for v in e.vectors.columns() {
///     let norm2: f64 = v.iter().map(|z| z.norm_sqr()).sum();
///     assert!((norm2 - 1.0).abs() < 1e-12); // unit 2-norm
/// }
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn eig<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>) -> Result<Eig<T>> {
    general("eig", a, true)
}

/// Eigenvalues of a general square matrix (`np.linalg.eigvals`), by `?geev` without vectors,
/// in LAPACK's order.
///
/// # Errors
/// As [`eig`].
///
/// ```
/// use ndarray::array;
///
/// let w = ndkit::linalg::eigvals(&array![[2.0_f32, 1.0], [0.0, 5.0]])?;
/// assert!(w.iter().any(|z| (z.re - 5.0).abs() < 1e-5 && z.im == 0.0));
/// # Ok::<(), ndkit::Error>(())
/// ```
pub fn eigvals<T: Scalar, S: Data<Elem = T>>(a: &ArrayBase<S, Ix2>) -> Result<Array1<T::Complex>> {
    general("eigvals", a, false).map(|e| e.values)
}

/// `?syevd`/`?heevd` on the `uplo` triangle of `a`; the vectors (columns) when `vectors`,
/// otherwise an empty 0×0 array in their place.
fn hermitian<T: Scalar, S: Data<Elem = T>>(
    op: &'static str,
    a: &ArrayBase<S, Ix2>,
    uplo: UPLO,
    vectors: bool,
) -> Result<Eigh<T>> {
    let n = square_order(op, a)?;
    let mut values = Array1::<T::Real>::zeros(n);
    let mut v = Array2::<T>::zeros(if vectors { (n, n) } else { (0, 0) }.f());
    EighCore::default().run(
        op,
        a.view(),
        uplo,
        values.view_mut(),
        vectors.then(|| v.view_mut()),
    )?;
    Ok(Eigh { values, vectors: v })
}

/// The per-matrix work of [`eigh`] and [`eigvalsh`], with LAPACK's work arrays kept across the
/// matrices of a stack (one workspace query per order).
#[derive(Debug, Default)]
pub(crate) struct EighCore<T: Scalar> {
    ws: Workspace<T>,
    scratch: Vec<T>,
    values: Vec<T::Real>,
}

impl<T: Scalar> EighCore<T> {
    /// Eigenvalues of the square `a` (order checked by the caller) into `values` (n entries)
    /// and, when given, orthonormal eigenvectors into the columns of `vectors` (n×n).
    pub(crate) fn run(
        &mut self,
        op: &'static str,
        a: ArrayView2<'_, T>,
        uplo: UPLO,
        values: ArrayViewMut1<'_, T::Real>,
        vectors: Option<ArrayViewMut2<'_, T>>,
    ) -> Result<()> {
        let n = a.nrows();
        if n == 0 {
            return Ok(());
        }
        // ?syevd/?heevd: LWORK (real) or LRWORK (complex) of 1 + 5n + 2n² (+n for real) with vectors.
        let nw = n as u128;
        let with_vectors = vectors.is_some();
        let workspace = if with_vectors {
            2 * nw * nw + 6 * nw + 1
        } else {
            2 * nw + 1
        };
        let routine = if T::IS_COMPLEX { "?heevd" } else { "?syevd" };
        ensure_workspace(op, routine, workspace)?;
        let ni = lapack_int(op, n)?;
        let jobz = if with_vectors { b'V' } else { b'N' };
        let EighCore {
            ws,
            scratch,
            values: values_scratch,
        } = self;
        let mut own = Vec::new();
        let (target, scratch) = match vectors {
            Some(v) => (v, scratch),
            None => (scratch_matrix(scratch, n, n), &mut own),
        };
        in_fortran(target, scratch, |mut work, lda| {
            copy_triangle(&a, uplo, &mut work);
            // The copy holds only what LAPACK reads, so NaN/Inf elsewhere in `a` is no error.
            ensure_finite(op, &work)?;
            let work_ptr = work.as_mut_ptr();
            in_contiguous(values, values_scratch, |w| {
                // SAFETY: `work` is a column-major n×n view with leading dimension `lda` ≥ n,
                // and `w` holds n values: the sizes ?syevd/?heevd read and write; `ws` sizes
                // the work arrays by the routine's own query.
                let info = with_lapack_stack(n * n, || unsafe {
                    T::heevd(jobz, uplo_char(uplo), ni, work_ptr, lda, w.as_mut_ptr(), ws)
                });
                lapack_status(op, routine, info)
            })
        })
    }
}

/// The `k` largest eigenvalues (ascending) of the symmetric/Hermitian `a` and their
/// eigenvectors (the columns of an n×k matrix), by `?syevr`/`?heevr` with `RANGE = 'I'`:
/// after the tridiagonal reduction only k eigenpairs are computed and back-transformed,
/// instead of all n as in [`eigh`]. Only the `uplo` triangle of `a` is read, and it is
/// overwritten. Used by PCA, which needs the leading components only.
#[cfg_attr(not(feature = "ml"), allow(dead_code))] // used by ml::Pca
pub(crate) fn eigh_largest<T: Scalar>(
    op: &'static str,
    mut a: Array2<T>,
    uplo: UPLO,
    k: usize,
) -> Result<Eigh<T>> {
    let n = square_order(op, &a)?;
    let k = k.min(n);
    if k == 0 {
        return Ok(Eigh {
            values: Array1::zeros(0),
            vectors: Array2::zeros((n, 0)),
        });
    }
    let routine = if T::IS_COMPLEX { "?heevr" } else { "?syevr" };
    // ?syevr: LWORK ≥ 26n, LIWORK ≥ 10n; ?heevr: LRWORK ≥ 24n, LWORK ≥ 2n.
    ensure_workspace(op, routine, 26 * n as u128)?;
    ensure_finite(op, &a)?;
    if !a.t().is_standard_layout() {
        a = to_fortran(&a);
    }
    let ni = lapack_int(op, n)?;
    let ki = lapack_int(op, k)?;
    let mut values = Array1::<T::Real>::zeros(n);
    let mut vectors = Array2::<T>::zeros((n, k).f());
    let (a_ptr, w_ptr, z_ptr) = (a.as_mut_ptr(), values.as_mut_ptr(), vectors.as_mut_ptr());
    // SAFETY: `a` is an F-order n×n buffer (lda = n ≥ 1); `values` has room for all n
    // eigenvalues, which ?syevr may use as workspace; `vectors` is an F-order n×k buffer
    // (ldz = n) for the eigenpairs n−k+1..=n; the kernel allocates the workspaces it queries.
    let (found, info) = with_lapack_stack(n * n, || unsafe {
        T::heevr_range(
            b'I',
            uplo_char(uplo),
            ni,
            a_ptr,
            ni,
            <T::Real as num_traits::Zero>::zero(),
            <T::Real as num_traits::Zero>::zero(),
            ni - ki + 1,
            ni,
            w_ptr,
            z_ptr,
            ni,
            &mut Workspace::default(),
        )
    });
    lapack_status(op, routine, info)?;
    debug_assert_eq!(found, ki, "{routine} returned {found} of {k} eigenpairs");
    values.slice_collapse(s![..k]);
    Ok(Eigh { values, vectors })
}

/// `?geev` on `a`; the right eigenvectors (columns) when `vectors`, otherwise an empty 0×0
/// array in their place.
fn general<T: Scalar, S: Data<Elem = T>>(
    op: &'static str,
    a: &ArrayBase<S, Ix2>,
    vectors: bool,
) -> Result<Eig<T>> {
    let n = square_order(op, a)?;
    let mut values = Array1::<T::Complex>::zeros(n);
    let mut v = Array2::<T::Complex>::zeros(if vectors { (n, n) } else { (0, 0) }.f());
    EigCore::default().run(
        op,
        a.view(),
        values.view_mut(),
        vectors.then(|| v.view_mut()),
    )?;
    Ok(Eig { values, vectors: v })
}

/// The per-matrix work of [`eig`] and [`eigvals`], with LAPACK's work arrays kept across the
/// matrices of a stack.
#[derive(Debug, Default)]
pub(crate) struct EigCore<T: Scalar> {
    ws: Workspace<T>,
    matrix: Vec<T>,
    values: Vec<T::Complex>,
    vectors: Vec<T::Complex>,
}

impl<T: Scalar> EigCore<T> {
    /// Eigenvalues of the square `a` (order checked by the caller) into `values` (n entries)
    /// and, when given, unit-norm right eigenvectors into the columns of `vectors` (n×n).
    pub(crate) fn run(
        &mut self,
        op: &'static str,
        a: ArrayView2<'_, T>,
        values: ArrayViewMut1<'_, T::Complex>,
        vectors: Option<ArrayViewMut2<'_, T::Complex>>,
    ) -> Result<()> {
        let n = a.nrows();
        if n == 0 {
            return Ok(());
        }
        ensure_finite(op, &a)?;
        let ni = lapack_int(op, n)?;
        let EigCore {
            ws,
            matrix,
            values: values_scratch,
            vectors: vectors_scratch,
        } = self;
        let mut work = scratch_matrix(matrix, n, n);
        work.assign(&a);
        let work_ptr = work.as_mut_ptr();
        let with_vectors = vectors.is_some();
        in_contiguous(values, values_scratch, |w| {
            let mut call = |v_ptr: *mut T::Complex| {
                // SAFETY: `work` is an F-order n×n buffer (lda = n ≥ 1), `w` holds n values
                // and, with vectors, `v_ptr` is a column-major n×n buffer with leading
                // dimension n, the layout ?geev (and the kernel's real-pair unpacking) writes;
                // without vectors the kernel never touches it.
                let info = with_lapack_stack(n * n, || unsafe {
                    T::geev(with_vectors, ni, work_ptr, ni, w.as_mut_ptr(), v_ptr, ws)
                });
                lapack_status(op, "?geev", info)
            };
            match vectors {
                // The kernel writes the vectors with leading dimension n: contiguous columns.
                Some(mut v) if v.t().is_standard_layout() => call(v.as_mut_ptr()),
                Some(mut v) => {
                    let mut buf = scratch_matrix(vectors_scratch, n, n);
                    call(buf.as_mut_ptr())?;
                    v.assign(&buf);
                    Ok(())
                }
                None => call(std::ptr::null_mut()),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{c32, c64};
    use ndarray::Axis;
    use num_traits::{Float, ToPrimitive};
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    /// The k largest eigenpairs from `?syevr`/`?heevr` agree with the last k of `eigh`, and
    /// satisfy A·v = λ·v with orthonormal v, for every dtype, both triangles and k from 0 to n.
    fn check<T: Scalar>(make: impl Fn(f64, f64) -> T) {
        let mut rng = StdRng::seed_from_u64(11);
        let n = 9;
        let b = Array2::from_shape_fn((n, n), |_| {
            make(rng.random_range(-1.0..1.0), rng.random_range(-1.0..1.0))
        });
        let a = &b + &b.t().mapv(|v| v.conj());
        let eps = T::Real::epsilon().to_f64().unwrap();
        let norm = a
            .iter()
            .map(|v| v.norm_sqr().to_f64().unwrap())
            .sum::<f64>()
            .sqrt();
        let all = eigh(&a, UPLO::Lower).unwrap();
        for uplo in [UPLO::Lower, UPLO::Upper] {
            for k in 0..=n {
                let top = eigh_largest("test", to_fortran(&a), uplo, k).unwrap();
                assert_eq!(top.values.len(), k);
                assert_eq!(top.vectors.dim(), (n, k));
                for (j, (&got, &want)) in top
                    .values
                    .iter()
                    .zip(&all.values.slice(s![n - k..]))
                    .enumerate()
                {
                    // Eigenvalues are well conditioned: both within a few n·ε·‖A‖.
                    let err = (got - want).abs().to_f64().unwrap();
                    assert!(
                        err <= 10.0 * n as f64 * eps * norm,
                        "k = {k}, value {j}: {err:e}"
                    );
                    let v = top.vectors.column(j);
                    let av = crate::linalg::matvec(&a, &v).unwrap();
                    let lambda = T::from_real(got);
                    let residual = av
                        .iter()
                        .zip(&v)
                        .map(|(&x, &y)| (x - lambda * y).norm_sqr().to_f64().unwrap())
                        .sum::<f64>()
                        .sqrt();
                    assert!(
                        residual <= 10.0 * n as f64 * eps * norm,
                        "k = {k}, residual {residual:e}"
                    );
                }
                let adjoint = top.vectors.t().mapv(|v| v.conj());
                let gram = crate::linalg::matmul(&adjoint, &top.vectors).unwrap();
                for ((i, j), g) in gram.indexed_iter() {
                    let want = if i == j { 1.0 } else { 0.0 };
                    let re = g.re().to_f64().unwrap();
                    let err = (re - want).abs() + g.im().abs().to_f64().unwrap();
                    assert!(
                        err <= 10.0 * n as f64 * eps,
                        "k = {k}, orthogonality {err:e}"
                    );
                }
            }
        }
        let empty = eigh_largest("test", Array2::<T>::zeros((0, 0)), UPLO::Lower, 3).unwrap();
        assert_eq!(empty.vectors.len_of(Axis(0)), 0);
    }

    #[test]
    fn largest_eigenpairs_match_eigh_for_every_dtype() {
        check::<f64>(|re, _| re);
        check::<f32>(|re, _| re as f32);
        check::<c64>(c64::new);
        check::<c32>(|re, im| c32::new(re as f32, im as f32));
    }

    #[test]
    fn largest_eigenpairs_reject_non_finite_input() {
        let mut a = Array2::<f64>::eye(3);
        a[[2, 1]] = f64::NAN;
        assert!(matches!(
            eigh_largest("test", a, UPLO::Lower, 1),
            Err(crate::Error::NonFinite { op: "test", .. })
        ));
    }
}
