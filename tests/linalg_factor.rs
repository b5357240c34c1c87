//! The scipy.linalg-style factorisations and helpers — `qr_complete`, `qr_pivoted`, `lu`,
//! `LuFactor::{slogdet, solve_t, solve_h}`, `CholeskyFactor::{det, slogdet, inv}`,
//! `ldl_factor`, `solve_tridiagonal`, `inv_triangular`, `kron`, `null_space`, `orth` —
//! tested the LAPACK way.
//!
//! Every accuracy check is a ratio in the style of LAPACK's test drivers (`dchkqp`, `dchkge`,
//! `dchksy`, `dchktr`, `dchkgt`): a residual divided by ‖A‖·max(m, n)·ε (orthogonality by
//! n·ε), which a backward-stable routine keeps O(1) whatever the conditioning; above
//! [`THRESH`] fails. Inputs run in all four dtypes (one #[test] each) and, for the matrix
//! arguments, in every layout of `tests/common`'s matrix (C, F, transposed, padded, negative
//! and non-unit strides, zero strides); results for every layout must equal the C-order
//! result exactly (each routine copies into one Fortran-order buffer, so any difference is a
//! layout bug). Goldens from SciPy 1.17 (`tests/factor_reference/generate.py`) pin the
//! conventions: permutations, signs, which triangle.

mod common;

use common::{
    conj_t, eps, f64_of, fro, fro_diff, hermitian, hilbert, hpd, laid_all, naive_matmul,
    orthogonality_ratio, random_matrix, random_vector, rank_deficient, rng, well_conditioned, Laid,
    TestScalar, LAYOUTS,
};
use ndarray::{array, s, Array1, Array2, ArrayView2, Axis, Ix1};
use ndarray_npy::{read_npy, ReadNpyExt};
use ndkit::linalg::{
    cho_factor, det, eigvalsh, inv_triangular, kron, ldl_factor, lu, lu_factor, null_space, orth,
    qr_complete, qr_pivoted, slogdet, solve_tridiagonal, UPLO,
};
use ndkit::{c64, Error, Scalar};
use num_traits::Float;
use rand::rngs::StdRng;

/// LAPACK's test-driver threshold for a normalised ratio (`THRESH` = 30 in its `*.in`
/// files): a backward-stable routine stays O(1), while a wrong transpose, conjugation,
/// triangle or permutation gives ratios of order 1/ε.
const THRESH: f64 = 30.0;

/// Shapes across LAPACK's blocking (block size 32, `?geqp3`/`?getrf` crossovers at 128 are
/// reached by the one large case in each suite): empty, vectors, square, tall and wide.
const SHAPES: [(usize, usize); 9] = [
    (1, 1),
    (1, 5),
    (5, 1),
    (2, 2),
    (3, 3),
    (7, 4),
    (4, 7),
    (33, 33),
    (40, 17),
];

/// `‖r‖_F / (‖a‖_F · n · ε)`, 0 when both vanish.
fn ratio(residual: f64, scale: f64, n: usize) -> f64 {
    if residual == 0.0 {
        return 0.0;
    }
    residual / (scale * n.max(1) as f64)
}

fn assert_ratio(r: f64, what: &str, label: &str) {
    assert!(r <= THRESH, "{label}: {what} ratio {r:.3e} > {THRESH}");
    WORST.with(|w| {
        let mut w = w.borrow_mut();
        if r > w.0 {
            *w = (r, format!("{label}: {what}"));
        }
    });
}

thread_local! {
    /// The largest ratio this test has seen, and where (each #[test] runs on its own thread).
    static WORST: std::cell::RefCell<(f64, String)> = const { std::cell::RefCell::new((0.0, String::new())) };
}

/// Prints the test's worst ratio (`cargo test --test linalg_factor -- --nocapture` shows the
/// margin to THRESH).
fn report(suite: &str) {
    WORST.with(|w| {
        let w = w.borrow();
        eprintln!("{suite}: worst ratio {:.3} ({})", w.0, w.1);
    });
}

/// The test matrices of one shape: random, a graded one (columns scaled over 12 decades in
/// f64, 4 in f32), a rank-deficient one and, when square, the Hilbert matrix.
fn cases<T: TestScalar>(rng: &mut StdRng, m: usize, n: usize) -> Vec<(String, Array2<T>)> {
    let decades = if eps::<T>() > 1e-10 { 4.0 } else { 12.0 };
    let random = random_matrix::<T>(rng, m, n);
    let mut graded = random_matrix::<T>(rng, m, n);
    for (j, mut col) in graded.axis_iter_mut(Axis(1)).enumerate() {
        let e = if n > 1 {
            decades * j as f64 / (n - 1) as f64
        } else {
            0.0
        };
        col.mapv_inplace(|x| x * T::from_f64_nearest(10f64.powf(-e)));
    }
    let mut out = vec![
        (format!("{}x{} random {}", m, n, T::NAME), random),
        (format!("{}x{} graded {}", m, n, T::NAME), graded),
    ];
    let r = m.min(n) / 2;
    if r > 0 {
        out.push((
            format!("{m}x{n} rank {r} {}", T::NAME),
            rank_deficient::<T>(rng, m, n, r),
        ));
    }
    if m == n && m > 1 {
        out.push((format!("hilbert({n}) {}", T::NAME), hilbert::<T>(n)));
    }
    out
}

/// `a` through every layout of the common matrix, each checked by `check` against the result
/// for C order with `same`.
fn for_layouts<T: TestScalar, R>(
    a: &Array2<T>,
    mut run: impl FnMut(ArrayView2<'_, T>) -> R,
    same: impl Fn(&R, &R) -> bool,
    label: &str,
) -> R {
    let first = run(a.view());
    for laid in laid_all(a, &LAYOUTS) {
        let got = run(laid.view());
        assert!(
            same(&first, &got),
            "{label}: layout {} differs from C order",
            laid.layout
        );
    }
    first
}

fn is_permutation(p: &[usize], n: usize) -> bool {
    let mut seen = vec![false; n];
    p.len() == n
        && p.iter()
            .all(|&i| i < n && !std::mem::replace(&mut seen[i], true))
}

fn identity<T: Scalar>(n: usize) -> Array2<T> {
    Array2::from_shape_fn((n, n), |(i, j)| if i == j { T::one() } else { T::zero() })
}

// ---------------------------------------------------------------------------- pivoted QR

fn check_qr_pivoted<T: TestScalar>(a: &Array2<T>, label: &str) {
    let (m, n) = a.dim();
    let k = m.min(n);
    let f = for_layouts(
        a,
        |v| qr_pivoted(&v).unwrap(),
        |x, y| x.q == y.q && x.r == y.r && x.perm == y.perm,
        label,
    );
    assert_eq!((f.q.dim(), f.r.dim()), ((m, k), (k, n)), "{label}: shapes");
    assert!(is_permutation(&f.perm, n), "{label}: perm {:?}", f.perm);
    for i in 0..k {
        assert!(
            f.r.slice(s![i, ..i]).iter().all(|&x| x == T::zero()),
            "{label}: r not upper"
        );
        if i > 0 {
            assert!(
                f.r[[i, i]].norm() <= f.r[[i - 1, i - 1]].norm(),
                "{label}: |diag r| increases at {i}"
            );
        }
    }
    let permuted = a.select(Axis(1), &f.perm);
    let back = naive_matmul(&f.q, &f.r);
    let residual = ratio(fro_diff(&permuted, &back), fro(a), m.max(n)) / eps::<T>();
    assert_ratio(residual, "‖a[:, perm] − qr‖", label);
    assert_ratio(orthogonality_ratio(&f.q), "‖qᴴq − I‖", label);
}

fn qr_pivoted_suite<T: TestScalar>() {
    let mut rng = rng(11);
    for (m, n) in SHAPES {
        for (label, a) in cases::<T>(&mut rng, m, n) {
            check_qr_pivoted(&a, &format!("qr_pivoted {label}"));
        }
    }
    // Past the 128-column crossover of ?geqp3's blocked code (C order only: it is slow in a
    // debug build to run through every layout).
    let a = random_matrix::<T>(&mut rng, 150, 140);
    let f = qr_pivoted(&a).unwrap();
    let back = naive_matmul(&f.q, &f.r);
    let r = ratio(fro_diff(&a.select(Axis(1), &f.perm), &back), fro(&a), 150) / eps::<T>();
    assert_ratio(r, "150x140 ‖a[:, perm] − qr‖", T::NAME);
    assert_ratio(orthogonality_ratio(&f.q), "150x140 ‖qᴴq − I‖", T::NAME);
    // Rank revealing: a rank-3 matrix has |r[3, 3]| at rounding level.
    let a = rank_deficient::<T>(&mut rng, 12, 9, 3);
    let f = qr_pivoted(&a).unwrap();
    let tail = f.r[[3, 3]].norm().to_f64_lossy() / f.r[[0, 0]].norm().to_f64_lossy();
    assert!(tail < 100.0 * eps::<T>(), "rank 3: |r33/r00| = {tail:.2e}");
    report(&format!("qr_pivoted_invariants {}", T::NAME));
}
dtype_tests!(qr_pivoted_invariants => qr_pivoted_suite);

trait Lossy {
    fn to_f64_lossy(self) -> f64;
}
impl<R: num_traits::ToPrimitive> Lossy for R {
    fn to_f64_lossy(self) -> f64 {
        f64_of(self)
    }
}

// ---------------------------------------------------------------------------- complete QR

fn qr_complete_suite<T: TestScalar>() {
    let mut rng = rng(12);
    for (m, n) in SHAPES {
        for (label, a) in cases::<T>(&mut rng, m, n) {
            let label = format!("qr_complete {label}");
            let f = for_layouts(
                &a,
                |v| qr_complete(&v).unwrap(),
                |x, y| x.q == y.q && x.r == y.r,
                &label,
            );
            assert_eq!((f.q.dim(), f.r.dim()), ((m, m), (m, n)), "{label}: shapes");
            for i in 0..m {
                assert!(
                    f.r.slice(s![i, ..i.min(n)]).iter().all(|&x| x == T::zero()),
                    "{label}: r not upper"
                );
            }
            let back = naive_matmul(&f.q, &f.r);
            let r = ratio(fro_diff(&a, &back), fro(&a), m.max(n)) / eps::<T>();
            assert_ratio(r, "‖a − qr‖", &label);
            assert_ratio(orthogonality_ratio(&f.q), "‖qᴴq − I‖", &label);
        }
    }
    report(&format!("qr_complete_invariants {}", T::NAME));
}
dtype_tests!(qr_complete_invariants => qr_complete_suite);

// ---------------------------------------------------------------------------- explicit LU

fn lu_suite<T: TestScalar>() {
    let mut rng = rng(13);
    let mut shapes = SHAPES.to_vec();
    shapes.push((140, 135)); // past ?getrf's recursive/blocked crossover
    for (m, n) in shapes {
        for (label, a) in cases::<T>(&mut rng, m, n) {
            let label = format!("lu {label}");
            let f = if m > 100 {
                lu(&a).unwrap()
            } else {
                for_layouts(
                    &a,
                    |v| lu(&v).unwrap(),
                    |x, y| x.l == y.l && x.u == y.u && x.perm == y.perm,
                    &label,
                )
            };
            let k = m.min(n);
            assert_eq!((f.l.dim(), f.u.dim()), ((m, k), (k, n)), "{label}: shapes");
            assert!(is_permutation(&f.perm, m), "{label}: perm");
            for j in 0..k {
                assert_eq!(f.l[[j, j]], T::one(), "{label}: unit diagonal");
                assert!(
                    f.l.slice(s![..j, j]).iter().all(|&x| x == T::zero()),
                    "{label}: l upper part"
                );
                // Partial pivoting bounds every multiplier by 1 (in LAPACK's |re| + |im| for
                // complex pivots, hence √2 in modulus).
                assert!(
                    f.l.column(j).iter().all(|x| f64_of(x.norm())
                        <= 1.0 + 1e-6 + if T::IS_COMPLEX { 0.4143 } else { 0.0 }),
                    "{label}: |l| > 1"
                );
            }
            for i in 0..k {
                assert!(
                    f.u.slice(s![i, ..i]).iter().all(|&x| x == T::zero()),
                    "{label}: u lower part"
                );
            }
            let back = naive_matmul(&f.l, &f.u);
            let r = ratio(
                fro_diff(&a.select(Axis(0), &f.perm), &back),
                fro(&a),
                m.max(n),
            ) / eps::<T>();
            assert_ratio(r, "‖a[perm, :] − lu‖", &label);
        }
    }
    // Singular matrices factor without error (an exact zero on u's diagonal).
    let f = lu(&Array2::<T>::zeros((3, 3))).unwrap();
    assert_eq!(f.perm, vec![0, 1, 2]);
    assert!(f.u.iter().all(|&x| x == T::zero()));
    report(&format!("lu_invariants {}", T::NAME));
}
dtype_tests!(lu_invariants => lu_suite);

// ---------------------------------------------------------------------------- LuFactor

/// Rows scaled by 10^±3 alternately, so `lu_factor` equilibrates.
fn badly_scaled<T: TestScalar>(rng: &mut StdRng, n: usize) -> Array2<T> {
    let mut a = well_conditioned::<T>(rng, n);
    for (i, mut row) in a.axis_iter_mut(Axis(0)).enumerate() {
        let f = if i % 2 == 0 { 1e3 } else { 1e-3 };
        row.mapv_inplace(|x| x * T::from_f64_nearest(f));
    }
    a
}

/// `‖op(a)·x − b‖ / (‖op(a)‖·‖x‖·n·ε)`.
fn solve_ratio<T: TestScalar>(op_a: &Array2<T>, x: &Array2<T>, b: &Array2<T>) -> f64 {
    let n = op_a.nrows();
    let res = fro_diff(&naive_matmul(op_a, x), b);
    ratio(res, fro(op_a) * fro(x), n) / eps::<T>()
}

fn lu_factor_suite<T: TestScalar>() {
    let mut rng = rng(14);
    for n in [1, 2, 5, 33] {
        let mut mats = vec![
            ("random", well_conditioned::<T>(&mut rng, n)),
            ("badly scaled", badly_scaled::<T>(&mut rng, n)),
        ];
        if n > 1 {
            mats.push(("hilbert", hilbert::<T>(n.min(5))));
        }
        for (what, a) in mats {
            let n = a.nrows();
            let b = random_matrix::<T>(&mut rng, n, 3);
            let label = format!("lu_factor {what} n={n} {}", T::NAME);
            let at = a.t().to_owned();
            let ah = conj_t(&a);
            let (x_t, x_h) = for_layouts(
                &a,
                |v| {
                    let f = lu_factor(&v).unwrap();
                    (f.solve_t(&b).unwrap(), f.solve_h(&b).unwrap())
                },
                |x, y| {
                    // Layouts take one of two paths (A or Aᵀ factored): equal up to rounding.
                    let (rx, ry) = (solve_ratio(&at, &x.0, &b), solve_ratio(&at, &y.0, &b));
                    rx <= THRESH && ry <= THRESH && solve_ratio(&ah, &y.1, &b) <= THRESH
                },
                &label,
            );
            assert_ratio(solve_ratio(&at, &x_t, &b), "‖aᵀx − b‖", &label);
            assert_ratio(solve_ratio(&ah, &x_h, &b), "‖aᴴx − b‖", &label);
            // A vector right-hand side gives a vector.
            let f = lu_factor(&a).unwrap();
            let bv = b.column(0).to_owned();
            let xv: Array1<T> = f.solve_t(&bv).unwrap();
            assert_eq!(xv.dim(), n);
            let xv: Array2<T> = xv.insert_axis(Axis(1));
            assert_ratio(
                solve_ratio(&at, &xv, &bv.insert_axis(Axis(1))),
                "vector ‖aᵀx − b‖",
                &label,
            );
            // slogdet agrees with the standalone one (same factorisation up to scaling).
            let (sign, logdet) = f.slogdet();
            let (sign2, logdet2) = slogdet(&a).unwrap();
            assert!(
                f64_of((sign - sign2).norm()) < 1e3 * eps::<T>() * n as f64,
                "{label}: sign"
            );
            let tol = 1e3 * eps::<T>() * n as f64 * (1.0 + f64_of(logdet2.abs()));
            assert!(
                f64_of((logdet - logdet2).abs()) < tol,
                "{label}: logdet {logdet} vs {logdet2}"
            );
        }
    }
    // Errors: as `.solve`.
    let f = lu_factor(&well_conditioned::<T>(&mut rng, 3)).unwrap();
    let wrong = random_matrix::<T>(&mut rng, 4, 1);
    assert!(matches!(
        f.solve_t(&wrong),
        Err(Error::IncompatibleShapes {
            op: "lu_factor.solve_t",
            ..
        })
    ));
    assert!(matches!(
        f.solve_h(&wrong),
        Err(Error::IncompatibleShapes {
            op: "lu_factor.solve_h",
            ..
        })
    ));
    let three_d = ndarray::Array3::<T>::zeros((3, 1, 1));
    assert!(matches!(
        f.solve_t(&three_d),
        Err(Error::InvalidShape { .. })
    ));
    let singular = lu_factor(&Array2::<T>::from_elem((2, 2), T::one())).unwrap();
    let b = random_vector::<T>(&mut rng, 2);
    assert!(singular.solve_t(&b).unwrap_err().is_singular());
    assert!(singular.solve_h(&b).unwrap_err().is_singular());
    assert_eq!(
        singular.slogdet(),
        (T::zero(), <T::Real as num_traits::Float>::neg_infinity())
    );
    // Empty.
    let empty = lu_factor(&Array2::<T>::zeros((0, 0))).unwrap();
    assert_eq!(empty.solve_t(&Array1::<T>::zeros(0)).unwrap().len(), 0);
    assert_eq!(
        empty.solve_h(&Array2::<T>::zeros((0, 2))).unwrap().dim(),
        (0, 2)
    );
    assert_eq!(
        empty.slogdet(),
        (T::one(), <T::Real as num_traits::Zero>::zero())
    );
    report(&format!("lu_factor_transposed_solves {}", T::NAME));
}
dtype_tests!(lu_factor_transposed_solves => lu_factor_suite);

// ---------------------------------------------------------------------------- Cholesky

fn cholesky_suite<T: TestScalar>() {
    let mut rng = rng(15);
    for n in [1, 2, 6, 33] {
        for (what, a) in [
            ("hpd", hpd::<T>(&mut rng, n)),
            ("hilbert", hilbert::<T>(n.min(4))),
        ] {
            let n = a.nrows();
            for uplo in [UPLO::Lower, UPLO::Upper] {
                let label = format!("cho_factor {what} n={n} {uplo:?} {}", T::NAME);
                let inv = for_layouts(
                    &a,
                    |v| {
                        let f = cho_factor(&v, uplo).unwrap();
                        (f.inv().unwrap(), f.det(), f.slogdet())
                    },
                    |x, y| x == y,
                    &label,
                );
                let (inv, d, (sign, logdet)) = inv;
                // Hermitian exactly, real diagonal.
                for i in 0..n {
                    assert_eq!(
                        inv[[i, i]].im(),
                        <T::Real as num_traits::Zero>::zero(),
                        "{label}: diag"
                    );
                    for j in 0..n {
                        assert_eq!(inv[[i, j]], inv[[j, i]].conj(), "{label}: not Hermitian");
                    }
                }
                let res = fro_diff(&naive_matmul(&a, &inv), &identity::<T>(n));
                let r = ratio(res, fro(&a) * fro(&inv), n) / eps::<T>();
                assert_ratio(r, "‖a·inv − I‖/(‖a‖‖inv‖)", &label);
                assert_eq!(sign, T::one());
                let want = slogdet(&a).unwrap().1;
                let tol = 100.0 * eps::<T>() * n as f64 * (1.0 + f64_of(want.abs()));
                assert!(
                    f64_of((logdet - want).abs()) < tol,
                    "{label}: logdet {logdet} vs {want}"
                );
                let want = det(&a).unwrap();
                // (f32's det of the order-33 matrices overflows in both; slogdet is checked.)
                assert!(
                    !f64_of(want.norm()).is_finite()
                        || f64_of((d - want).norm()) <= tol * f64_of(want.norm()),
                    "{label}: det {d} vs {want}"
                );
            }
        }
    }
    // Extreme scales: slogdet does not overflow where det would.
    let big = Array2::from_diag(&Array1::from_elem(4, T::from_f64_nearest(1e30)));
    let f = cho_factor(&big, UPLO::Lower).unwrap();
    let want = 120.0 * 10f64.ln();
    assert!((f64_of(f.slogdet().1) - want).abs() < 1e-5 * want);
    let empty = cho_factor(&Array2::<T>::zeros((0, 0)), UPLO::Upper).unwrap();
    assert_eq!(empty.det(), T::one());
    assert_eq!(empty.inv().unwrap().dim(), (0, 0));
    report(&format!("cholesky_det_inv {}", T::NAME));
}
dtype_tests!(cholesky_det_inv => cholesky_suite);

// ---------------------------------------------------------------------------- LDL

/// `a` with the triangle `uplo` does not name replaced by NaN (it must not be read).
fn poison<T: TestScalar>(a: &Array2<T>, uplo: UPLO) -> Array2<T> {
    let nan = T::from_f64_nearest(f64::NAN);
    Array2::from_shape_fn(a.dim(), |(i, j)| {
        let outside = match uplo {
            UPLO::Lower => j > i,
            UPLO::Upper => i > j,
        };
        if outside {
            nan
        } else {
            a[[i, j]]
        }
    })
}

/// The inertia from the eigenvalues, with the same zero rule as `LdlFactor::inertia` but on
/// the eigenvalues of `a` itself (n·ε·max|λ|).
fn eig_inertia<T: TestScalar>(a: &Array2<T>) -> (usize, usize, usize) {
    let w: Vec<f64> = eigvalsh(a, UPLO::Lower)
        .unwrap()
        .iter()
        .map(|&x| f64_of(x))
        .collect();
    let tol = w.len() as f64 * eps::<T>() * w.iter().fold(0.0, |m: f64, x| m.max(x.abs()));
    w.iter().fold((0, 0, 0), |(p, q, z), &x| {
        if x.abs() <= tol {
            (p, q, z + 1)
        } else if x > 0.0 {
            (p + 1, q, z)
        } else {
            (p, q + 1, z)
        }
    })
}

fn ldl_suite<T: TestScalar>() {
    let mut rng = rng(16);
    for n in [1, 2, 3, 8, 40] {
        let a = hermitian::<T>(&mut rng, n);
        let b = random_matrix::<T>(&mut rng, n, 2);
        for uplo in [UPLO::Lower, UPLO::Upper] {
            let label = format!("ldl n={n} {uplo:?} {}", T::NAME);
            let poisoned = poison(&a, uplo);
            let (x, d, inertia) = for_layouts(
                &poisoned,
                |v| {
                    let f = ldl_factor(&v, uplo).unwrap();
                    (f.solve(&b).unwrap(), f.det(), f.inertia())
                },
                |x, y| x.0 == y.0 && x.1 == y.1 && x.2 == y.2,
                &label,
            );
            assert_ratio(solve_ratio(&a, &x, &b), "‖a·x − b‖", &label);
            assert_eq!(inertia, eig_inertia(&a), "{label}: inertia");
            let want = det(&a).unwrap();
            // |det| error ≲ n·κ·ε relatively; these random Hermitian matrices have κ ≲ 1e3.
            let tol = 1e4 * n as f64 * eps::<T>() * f64_of(want.norm());
            assert!(
                f64_of((d - want).norm()) <= tol,
                "{label}: det {d} vs {want}"
            );
            assert_eq!(
                d.im(),
                <T::Real as num_traits::Zero>::zero(),
                "{label}: det not real"
            );
        }
    }
    // Positive definite and negative definite.
    let p = hpd::<T>(&mut rng, 6);
    assert_eq!(ldl_factor(&p, UPLO::Lower).unwrap().inertia(), (6, 0, 0));
    assert_eq!(
        ldl_factor(&p.mapv(|x| -x), UPLO::Upper).unwrap().inertia(),
        (0, 6, 0)
    );
    // Exactly singular: an exactly zero pivot.
    let ones = Array2::<T>::from_elem((2, 2), T::one());
    let f = ldl_factor(&ones, UPLO::Lower).unwrap();
    assert_eq!(f.inertia(), (1, 0, 1));
    assert_eq!(f.det(), T::zero());
    assert!(matches!(
        f.solve(&random_vector::<T>(&mut rng, 2)),
        Err(Error::Singular {
            op: "ldl_factor.solve",
            pivot: Some(1),
            ..
        })
    ));
    // Singular up to rounding: B·Bᴴ of rank 3 in order 6 has three pivots of rounding size.
    for _ in 0..20 {
        let g = random_matrix::<T>(&mut rng, 6, 3);
        let low_rank = naive_matmul(&g, &conj_t(&g));
        assert_eq!(
            ldl_factor(&low_rank, UPLO::Lower).unwrap().inertia(),
            (3, 0, 3)
        );
    }
    let g = random_matrix::<T>(&mut rng, 6, 3);
    let low_rank = naive_matmul(&g, &conj_t(&g));
    assert_eq!(
        ldl_factor(&low_rank, UPLO::Lower).unwrap().inertia(),
        (3, 0, 3)
    );
    // Zero matrix.
    assert_eq!(
        ldl_factor(&Array2::<T>::zeros((3, 3)), UPLO::Upper)
            .unwrap()
            .inertia(),
        (0, 0, 3)
    );
    // Errors.
    assert!(matches!(
        ldl_factor(&random_matrix::<T>(&mut rng, 2, 3), UPLO::Lower),
        Err(Error::NotSquare { .. })
    ));
    let mut nan = hermitian::<T>(&mut rng, 3);
    nan[[2, 0]] = T::from_f64_nearest(f64::NAN);
    assert!(matches!(
        ldl_factor(&nan, UPLO::Lower),
        Err(Error::NonFinite { .. })
    ));
    assert!(
        ldl_factor(&nan, UPLO::Upper).is_ok(),
        "the NaN is outside the upper triangle"
    );
    let f = ldl_factor(&hermitian::<T>(&mut rng, 3), UPLO::Lower).unwrap();
    assert!(matches!(
        f.solve(&Array1::<T>::zeros(4)),
        Err(Error::IncompatibleShapes { .. })
    ));
    // Empty.
    let e = ldl_factor(&Array2::<T>::zeros((0, 0)), UPLO::Lower).unwrap();
    assert_eq!((e.det(), e.inertia()), (T::one(), (0, 0, 0)));
    assert_eq!(e.solve(&Array2::<T>::zeros((0, 3))).unwrap().dim(), (0, 3));
    report(&format!("ldl_invariants {}", T::NAME));
}
dtype_tests!(ldl_invariants => ldl_suite);

// ---------------------------------------------------------------------------- tridiagonal

fn tridiagonal_dense<T: Scalar>(dl: &Array1<T>, d: &Array1<T>, du: &Array1<T>) -> Array2<T> {
    let n = d.len();
    Array2::from_shape_fn((n, n), |(i, j)| {
        if i == j {
            d[i]
        } else if i == j + 1 {
            dl[j]
        } else if j == i + 1 {
            du[i]
        } else {
            T::zero()
        }
    })
}

fn tridiagonal_suite<T: TestScalar>() {
    let mut rng = rng(17);
    for n in [1, 2, 3, 10, 100] {
        let off = n - 1;
        let (dl, du) = (
            random_vector::<T>(&mut rng, off),
            random_vector::<T>(&mut rng, off),
        );
        // Random diagonal (not dominant: pivoting is exercised) and a tiny-pivot variant.
        for (what, d) in [
            ("random", random_vector::<T>(&mut rng, n)),
            ("tiny first pivot", {
                let mut d = random_vector::<T>(&mut rng, n);
                d[0] = T::from_f64_nearest(1e-4);
                d
            }),
        ] {
            let label = format!("solve_tridiagonal {what} n={n} {}", T::NAME);
            let a = tridiagonal_dense(&dl, &d, &du);
            let b = random_matrix::<T>(&mut rng, n, 3);
            let x = for_layouts(
                &b,
                |v| solve_tridiagonal(&dl, &d, &du, &v).unwrap(),
                |x, y| x == y,
                &label,
            );
            assert_ratio(solve_ratio(&a, &x, &b), "‖a·x − b‖", &label);
            // Negative-stride diagonals and a vector right-hand side.
            let (rl, rd, ru) = (
                dl.slice(s![..;-1]).to_owned(),
                d.slice(s![..;-1]).to_owned(),
                du.slice(s![..;-1]).to_owned(),
            );
            let xv = solve_tridiagonal(
                &rl.slice(s![..;-1]),
                &rd.slice(s![..;-1]),
                &ru.slice(s![..;-1]),
                &b.column(1),
            )
            .unwrap();
            assert_eq!(xv, x.column(1), "{label}: vector / negative strides");
        }
    }
    let v = |n: usize| Array1::<T>::from_elem(n, T::one());
    // Lengths.
    let err = solve_tridiagonal(&v(2), &v(3), &v(1), &v(3)).unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidShape {
                op: "solve_tridiagonal",
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("du"), "{err}");
    assert!(matches!(
        solve_tridiagonal(&v(3), &v(3), &v(2), &v(3)),
        Err(Error::InvalidShape { .. })
    ));
    assert!(matches!(
        solve_tridiagonal(&v(2), &v(3), &v(2), &v(4)),
        Err(Error::IncompatibleShapes { .. })
    ));
    // Singular: an exactly zero pivot.
    let z = Array1::<T>::zeros(3);
    let err = solve_tridiagonal(&v(2), &z, &v(2), &v(3)).unwrap_err();
    assert!(err.is_singular(), "{err}");
    let err = solve_tridiagonal(
        &Array1::zeros(2),
        &array![T::one(), T::zero(), T::one()],
        &Array1::zeros(2),
        &v(3),
    )
    .unwrap_err();
    assert!(
        matches!(err, Error::Singular { pivot: Some(1), .. }),
        "{err}"
    );
    // Empty.
    let e = solve_tridiagonal(&v(0), &v(0), &v(0), &Array2::<T>::zeros((0, 2))).unwrap();
    assert_eq!(e.dim(), (0, 2));
    let e = solve_tridiagonal(&v(0), &v(2), &v(1), &Array2::<T>::zeros((2, 0)));
    assert!(matches!(e, Err(Error::InvalidShape { .. })));
    assert_eq!(
        solve_tridiagonal(&v(1), &v(2), &v(1), &Array2::<T>::zeros((2, 0)))
            .unwrap()
            .dim(),
        (2, 0)
    );
    report(&format!("tridiagonal_invariants {}", T::NAME));
}
dtype_tests!(tridiagonal_invariants => tridiagonal_suite);

// ---------------------------------------------------------------------------- inv_triangular

fn inv_triangular_suite<T: TestScalar>() {
    let mut rng = rng(18);
    for n in [1, 2, 5, 33, 70] {
        let well = well_conditioned::<T>(&mut rng, n);
        // Ill-conditioned: the rows of a well-conditioned one graded down to 1e-6 (f64) /
        // 1e-3 (f32), with complex phases (κ ≈ 10^decades).
        let decades = if eps::<T>() > 1e-10 { 3.0 } else { 6.0 };
        let mut ill = well_conditioned::<T>(&mut rng, n);
        for (i, mut row) in ill.axis_iter_mut(Axis(0)).enumerate() {
            let e = if n > 1 {
                decades * i as f64 / (n - 1) as f64
            } else {
                0.0
            };
            row.mapv_inplace(|x| x * T::make(10f64.powf(-e), 0.5 * 10f64.powf(-e)));
        }
        for (what, a) in [("well", well), ("ill", ill)] {
            for uplo in [UPLO::Lower, UPLO::Upper] {
                let label = format!("inv_triangular {what} n={n} {uplo:?} {}", T::NAME);
                let poisoned = poison(&a, uplo);
                let x = if n > 40 {
                    inv_triangular(&poisoned, uplo).unwrap()
                } else {
                    for_layouts(
                        &poisoned,
                        |v| inv_triangular(&v, uplo).unwrap(),
                        |x, y| x == y,
                        &label,
                    )
                };
                let t = Array2::from_shape_fn((n, n), |(i, j)| {
                    let inside = if uplo == UPLO::Lower { i >= j } else { i <= j };
                    if inside {
                        a[[i, j]]
                    } else {
                        T::zero()
                    }
                });
                for ((i, j), &v) in x.indexed_iter() {
                    let inside = if uplo == UPLO::Lower { i >= j } else { i <= j };
                    assert!(inside || v == T::zero(), "{label}: other triangle not zero");
                }
                // LAPACK's dtrt01 ratio: ‖T·X − I‖ / (‖T‖·‖X‖·n·ε).
                let res = fro_diff(&naive_matmul(&t, &x), &identity::<T>(n));
                let r = ratio(res, fro(&t) * fro(&x), n) / eps::<T>();
                assert_ratio(r, "‖T·X − I‖/(‖T‖‖X‖)", &label);
            }
        }
    }
    // An exact zero on the diagonal, named; zeros outside the named triangle do not matter.
    let mut a = well_conditioned::<T>(&mut rng, 4);
    a[[2, 2]] = T::zero();
    for uplo in [UPLO::Lower, UPLO::Upper] {
        let err = inv_triangular(&a, uplo).unwrap_err();
        assert!(
            matches!(
                err,
                Error::Singular {
                    op: "inv_triangular",
                    pivot: Some(2),
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("pivot 2"), "{err}");
    }
    assert!(matches!(
        inv_triangular(&random_matrix::<T>(&mut rng, 2, 3), UPLO::Lower),
        Err(Error::NotSquare { .. })
    ));
    assert_eq!(
        inv_triangular(&Array2::<T>::zeros((0, 0)), UPLO::Upper)
            .unwrap()
            .dim(),
        (0, 0)
    );
    report(&format!("inv_triangular_invariants {}", T::NAME));
}
dtype_tests!(inv_triangular_invariants => inv_triangular_suite);

// ---------------------------------------------------------------------------- kron

fn kron_suite<T: TestScalar>() {
    let mut rng = rng(19);
    for ((m, n), (p, q)) in [
        ((2, 3), (3, 2)),
        ((1, 1), (4, 5)),
        ((0, 3), (2, 2)),
        ((2, 2), (2, 0)),
    ] {
        let a = random_matrix::<T>(&mut rng, m, n);
        let b = random_matrix::<T>(&mut rng, p, q);
        let want = Array2::from_shape_fn((m * p, n * q), |(r, c)| {
            a[[r / p, c / q]] * b[[r % p, c % q]]
        });
        for la in laid_all(&a, &LAYOUTS) {
            let lb = Laid::new(&b, la.layout);
            assert_eq!(
                kron(&la.view(), &lb.view()),
                want,
                "kron {m}x{n} ⊗ {p}x{q} {}",
                la.layout
            );
        }
    }
}
dtype_tests!(kron_matches_definition => kron_suite);

// ---------------------------------------------------------------------------- null_space / orth

fn subspace_suite<T: TestScalar>() {
    let mut rng = rng(20);
    for (m, n, r) in [(5, 7, 3), (7, 5, 2), (6, 6, 6), (4, 4, 0), (1, 3, 1)] {
        let a = if r == 0 {
            Array2::<T>::zeros((m, n))
        } else {
            rank_deficient::<T>(&mut rng, m, n, r)
        };
        let label = format!("subspace {m}x{n} rank {r} {}", T::NAME);
        let z = for_layouts(&a, |v| null_space(&v, None).unwrap(), |x, y| x == y, &label);
        let o = for_layouts(&a, |v| orth(&v, None).unwrap(), |x, y| x == y, &label);
        assert_eq!((z.dim(), o.dim()), ((n, n - r), (m, r)), "{label}: dims");
        assert_ratio(orthogonality_ratio(&z), "null ‖zᴴz − I‖", &label);
        assert_ratio(orthogonality_ratio(&o), "orth ‖oᴴo − I‖", &label);
        let scale = fro(&a).max(f64::MIN_POSITIVE);
        assert_ratio(
            ratio(fro(&naive_matmul(&a, &z)), scale, m.max(n)) / eps::<T>(),
            "‖a·z‖",
            &label,
        );
        // a lies in the span of o: ‖a − o·oᴴ·a‖.
        let proj = naive_matmul(&o, &naive_matmul(&conj_t(&o), &a));
        assert_ratio(
            ratio(fro_diff(&a, &proj), scale, m.max(n)) / eps::<T>(),
            "‖a − ooᴴa‖",
            &label,
        );
    }
    // rcond relative to the largest singular value.
    let d = Array2::from_diag(&array![T::one(), T::from_f64_nearest(0.1)]);
    let half = <T::Real as Scalar>::from_f64_nearest(0.5);
    assert_eq!(orth(&d, Some(half)).unwrap().dim(), (2, 1));
    assert_eq!(null_space(&d, Some(half)).unwrap().dim(), (2, 1));
    assert_eq!(null_space(&d, None).unwrap().dim(), (2, 0));
    // Empty as SciPy: null_space of 0×3 is the 3×3 identity, orth of 3×0 is 3×0.
    assert_eq!(
        null_space(&Array2::<T>::zeros((0, 3)), None).unwrap(),
        identity::<T>(3)
    );
    assert_eq!(
        orth(&Array2::<T>::zeros((3, 0)), None).unwrap().dim(),
        (3, 0)
    );
    let mut nan = random_matrix::<T>(&mut rng, 2, 2);
    nan[[0, 1]] = T::from_f64_nearest(f64::NAN);
    assert!(matches!(
        null_space(&nan, None),
        Err(Error::NonFinite {
            op: "null_space",
            ..
        })
    ));
    assert!(matches!(
        orth(&nan, None),
        Err(Error::NonFinite { op: "orth", .. })
    ));
    report(&format!("subspace_invariants {}", T::NAME));
}
dtype_tests!(subspace_invariants => subspace_suite);

// ---------------------------------------------------------------------------- shared errors

fn error_suite<T: TestScalar>() {
    let mut rng = rng(21);
    let mut nan = random_matrix::<T>(&mut rng, 3, 2);
    nan[[1, 1]] = T::from_f64_nearest(f64::INFINITY);
    assert!(matches!(
        qr_pivoted(&nan),
        Err(Error::NonFinite {
            op: "qr_pivoted",
            ..
        })
    ));
    // A 0×2³¹ array allocates nothing but does not fit LAPACK's integers.
    let huge = Array2::<T>::zeros((0, 1usize << 31));
    assert!(matches!(qr_pivoted(&huge), Err(Error::TooLarge { .. })));
    assert!(matches!(qr_complete(&huge), Err(Error::TooLarge { .. })));
    assert!(matches!(lu(&huge), Err(Error::TooLarge { .. })));
    // Empty shapes as SciPy / NumPy.
    for (m, n) in [(0, 0), (0, 3), (3, 0)] {
        let a = Array2::<T>::zeros((m, n));
        let p = qr_pivoted(&a).unwrap();
        assert_eq!(
            (p.q.dim(), p.r.dim(), p.perm.clone()),
            ((m, 0), (0, n), (0..n).collect::<Vec<_>>())
        );
        let c = qr_complete(&a).unwrap();
        assert_eq!((c.q.clone(), c.r.dim()), (identity::<T>(m), (m, n)));
        let f = lu(&a).unwrap();
        assert_eq!(
            (f.l.dim(), f.u.dim(), f.perm),
            ((m, 0), (0, n), (0..m).collect::<Vec<_>>())
        );
    }
}
dtype_tests!(errors_and_empty => error_suite);

// ---------------------------------------------------------------------------- SciPy goldens

const DATA_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/factor_reference/data/");

fn load<T: ReadNpyExt>(name: &str) -> T {
    let path = format!("{DATA_DIR}{name}.npy");
    read_npy(&path).unwrap_or_else(|e| {
        panic!("cannot read {path}: {e} (run tests/factor_reference/generate.py)")
    })
}

/// The goldens are f64/c128; real cases are read as complex with zero imaginary parts where
/// the matrix is complex, and compared in c64 through this one helper.
fn c2(name: &str) -> Array2<c64> {
    let path = format!("{DATA_DIR}{name}.npy");
    read_npy::<_, Array2<c64>>(&path)
        .unwrap_or_else(|_| load::<Array2<f64>>(name).mapv(|x| c64::new(x, 0.0)))
}

fn c1(name: &str) -> Array1<c64> {
    let path = format!("{DATA_DIR}{name}.npy");
    read_npy::<_, Array1<c64>>(&path)
        .unwrap_or_else(|_| load::<Array1<f64>>(name).mapv(|x| c64::new(x, 0.0)))
}

fn perm(name: &str) -> Vec<usize> {
    load::<Array1<i64>>(name)
        .iter()
        .map(|&p| p as usize)
        .collect()
}

fn scalar(name: &str) -> f64 {
    load::<Array1<f64>>(name)[0]
}

/// Normwise relative difference `max|got − want| / max|want|`.
fn rel(got: &Array2<c64>, want: &Array2<c64>) -> f64 {
    assert_eq!(got.dim(), want.dim());
    let scale = want
        .iter()
        .fold(0.0, |m: f64, x| m.max(x.norm()))
        .max(f64::MIN_POSITIVE);
    got.iter()
        .zip(want)
        .fold(0.0, |m: f64, (g, w)| m.max((g - w).norm()))
        / scale
}

/// Goldens of well-conditioned matrices of order ≤ 7 from the same LAPACK algorithms: the
/// normwise difference is a few n·κ·ε ≈ 1e-14; 1e-10 leaves room for different blocking and
/// kernels while every convention error (sign, permutation, triangle, conjugation) is O(1).
const GOLDEN_TOL: f64 = 1e-10;

fn golden(got: &Array2<c64>, want: &Array2<c64>, what: &str) {
    let r = rel(got, want);
    eprintln!("{what}: {r:.2e} from SciPy");
    assert!(r < GOLDEN_TOL, "{what}: differs from SciPy by {r:.2e}");
}

#[test]
fn matches_scipy() {
    let cx = |a: &Array2<f64>| a.mapv(|x| c64::new(x, 0.0));
    let real = |name: &str| load::<Array2<f64>>(name);
    // Pivoted QR: same permutation, same Q and R (LAPACK's Householder sign convention).
    for tag in ["tall", "wide", "rank2"] {
        let a = real(&format!("qr_pivoted_{tag}_a"));
        let f = qr_pivoted(&a).unwrap();
        let p = perm(&format!("qr_pivoted_{tag}_perm"));
        // The rank-2 case's trailing columns have norms at rounding level: their order is
        // noise, so only the first two pivots are pinned there.
        let pinned = if tag == "rank2" { 2 } else { p.len() };
        assert_eq!(f.perm[..pinned], p[..pinned], "qr_pivoted {tag}: perm");
        let k = pinned.min(f.r.nrows());
        golden(
            &cx(&f.q).slice(s![.., ..k]).to_owned(),
            &c2(&format!("qr_pivoted_{tag}_q"))
                .slice(s![.., ..k])
                .to_owned(),
            &format!("qr_pivoted {tag} q"),
        );
        golden(
            &cx(&f.r).slice(s![..k, ..k]).to_owned(),
            &c2(&format!("qr_pivoted_{tag}_r"))
                .slice(s![..k, ..k])
                .to_owned(),
            &format!("qr_pivoted {tag} r"),
        );
    }
    let a = c2("qr_pivoted_complex_a");
    let f = qr_pivoted(&a).unwrap();
    assert_eq!(f.perm, perm("qr_pivoted_complex_perm"));
    golden(&f.q, &c2("qr_pivoted_complex_q"), "qr_pivoted complex q");
    golden(&f.r, &c2("qr_pivoted_complex_r"), "qr_pivoted complex r");
    // Complete QR.
    for tag in ["tall", "wide", "complex"] {
        let a = c2(&format!("qr_complete_{tag}_a"));
        let f = qr_complete(&a).unwrap();
        golden(
            &f.q,
            &c2(&format!("qr_complete_{tag}_q")),
            &format!("qr_complete {tag} q"),
        );
        golden(
            &f.r,
            &c2(&format!("qr_complete_{tag}_r")),
            &format!("qr_complete {tag} r"),
        );
    }
    // LU: perm = argmax(P, axis=0) for SciPy's a = P·L·U.
    for tag in ["square", "tall", "wide", "complex"] {
        let a = c2(&format!("lu_{tag}_a"));
        let f = lu(&a).unwrap();
        assert_eq!(f.perm, perm(&format!("lu_{tag}_perm")), "lu {tag}: perm");
        golden(&f.l, &c2(&format!("lu_{tag}_l")), &format!("lu {tag} l"));
        golden(&f.u, &c2(&format!("lu_{tag}_u")), &format!("lu {tag} u"));
    }
    // lu_solve(trans=1, 2) and slogdet; the real case also in f64.
    for tag in ["real", "complex"] {
        let (a, b) = (
            c2(&format!("lu_solve_{tag}_a")),
            c2(&format!("lu_solve_{tag}_b")),
        );
        for (c_layout, a) in [
            (true, a.clone()),
            (false, a.t().as_standard_layout().t().to_owned()),
        ] {
            let f = lu_factor(&a).unwrap();
            let what = format!("lu_solve {tag} (C order {c_layout})");
            golden(
                &f.solve_t(&b).unwrap(),
                &c2(&format!("lu_solve_{tag}_x_t")),
                &format!("{what} trans=1"),
            );
            golden(
                &f.solve_h(&b).unwrap(),
                &c2(&format!("lu_solve_{tag}_x_h")),
                &format!("{what} trans=2"),
            );
            let (sign, logdet) = f.slogdet();
            let want_sign = c1(&format!("lu_solve_{tag}_sign"))[0];
            assert!(
                (sign - want_sign).norm() < GOLDEN_TOL,
                "{what}: sign {sign} vs {want_sign}"
            );
            assert!(
                (logdet - scalar(&format!("lu_solve_{tag}_logdet"))).abs() < GOLDEN_TOL,
                "{what}: logdet"
            );
        }
        if tag == "real" {
            let (a, b) = (real("lu_solve_real_a"), real("lu_solve_real_b"));
            let f = lu_factor(&a).unwrap();
            golden(
                &cx(&f.solve_t(&b).unwrap()),
                &c2("lu_solve_real_x_t"),
                "lu_solve real f64 trans=1",
            );
        }
    }
    // Cholesky det / slogdet / inv.
    for tag in ["real", "complex"] {
        let a = c2(&format!("cho_{tag}_a"));
        for uplo in [UPLO::Lower, UPLO::Upper] {
            let f = cho_factor(&a, uplo).unwrap();
            let want = scalar(&format!("cho_{tag}_det"));
            assert!((f.det() - want).norm() < GOLDEN_TOL * want, "cho {tag} det");
            assert!(
                (f.slogdet().1 - scalar(&format!("cho_{tag}_logdet"))).abs() < GOLDEN_TOL,
                "cho {tag} logdet"
            );
            golden(
                &f.inv().unwrap(),
                &c2(&format!("cho_{tag}_inv")),
                &format!("cho {tag} {uplo:?} inv"),
            );
        }
    }
    // LDL: solve, det, inertia.
    for tag in ["real", "complex"] {
        let (a, b) = (c2(&format!("ldl_{tag}_a")), c2(&format!("ldl_{tag}_b")));
        let want_inertia = perm(&format!("ldl_{tag}_inertia"));
        let want_det = scalar(&format!("ldl_{tag}_det"));
        for uplo in [UPLO::Lower, UPLO::Upper] {
            let f = ldl_factor(&a, uplo).unwrap();
            golden(
                &f.solve(&b).unwrap(),
                &c2(&format!("ldl_{tag}_x")),
                &format!("ldl {tag} {uplo:?} solve"),
            );
            assert!(
                (f.det() - want_det).norm() < GOLDEN_TOL * want_det.abs(),
                "ldl {tag} det"
            );
            let (p, q, z) = f.inertia();
            assert_eq!(vec![p, q, z], want_inertia, "ldl {tag} inertia");
        }
        if tag == "real" {
            let f = ldl_factor(&real("ldl_real_a"), UPLO::Lower).unwrap();
            golden(
                &cx(&f.solve(&real("ldl_real_b")).unwrap()),
                &c2("ldl_real_x"),
                "ldl real f64",
            );
        }
    }
    // Tridiagonal against solve_banded.
    for tag in ["real", "complex"] {
        let x = solve_tridiagonal(
            &c1(&format!("tridiagonal_{tag}_dl")),
            &c1(&format!("tridiagonal_{tag}_d")),
            &c1(&format!("tridiagonal_{tag}_du")),
            &c2(&format!("tridiagonal_{tag}_b")),
        )
        .unwrap();
        golden(
            &x,
            &c2(&format!("tridiagonal_{tag}_x")),
            &format!("tridiagonal {tag}"),
        );
    }
    // Triangular inverse.
    for tag in ["real", "complex"] {
        let a = c2(&format!("inv_triangular_{tag}_a"));
        golden(
            &inv_triangular(&a, UPLO::Lower).unwrap(),
            &c2(&format!("inv_triangular_{tag}_lower")),
            &format!("inv_triangular {tag} lower"),
        );
        golden(
            &inv_triangular(&a, UPLO::Upper).unwrap(),
            &c2(&format!("inv_triangular_{tag}_upper")),
            &format!("inv_triangular {tag} upper"),
        );
    }
    // kron.
    golden(&kron(&c2("kron_a"), &c2("kron_b")), &c2("kron_ab"), "kron");
    // null_space / orth through their projectors.
    for tag in ["rank3", "complex"] {
        let a = c2(&format!("subspace_{tag}_a"));
        let (z, o) = (null_space(&a, None).unwrap(), orth(&a, None).unwrap());
        assert_eq!(
            perm(&format!("subspace_{tag}_dims")),
            vec![z.ncols(), o.ncols()],
            "subspace {tag} dims"
        );
        golden(
            &z.dot(&conj_t(&z)),
            &c2(&format!("subspace_{tag}_null_proj")),
            &format!("null_space {tag}"),
        );
        golden(
            &o.dot(&conj_t(&o)),
            &c2(&format!("subspace_{tag}_orth_proj")),
            &format!("orth {tag}"),
        );
    }
}

#[test]
fn solve_tridiagonal_1d_type() {
    // The dimension type follows b: Ix1 in, Ix1 out.
    let x: ndarray::Array<f64, Ix1> = solve_tridiagonal(
        &array![1.0],
        &array![2.0, 2.0],
        &array![1.0],
        &array![3.0, 3.0],
    )
    .unwrap();
    assert_eq!(x, array![1.0, 1.0]);
}
