//! Per-matrix times of the small kernels against LAPACK, which set [`EIGH_MAX`] and
//! [`SVD_MAX`]. A measurement, not a test: run in release mode at one thread with
//!
//! ```text
//! OPENBLAS_NUM_THREADS=1 cargo test --release --lib small::timing -- --ignored --nocapture
//! ```
//!
//! ns per matrix, the best of 40 interleaved passes over 200 random matrices (the best, not
//! the mean, so that a shared machine's other work drops out), for: the kernel with vectors
//! and without; LAPACK (`?syevd`/`?heevd` jobz 'V', `?gesdd` jobz 'S') called directly with
//! workspaces allocated once — what a stacked loop above the crossover pays; the crate's
//! LAPACK kernel method (which queries and allocates its workspaces per call); and the
//! crate's 2-D function (`linalg::eigh`, `linalg::svd`: plus array allocation and checks).
//! Each input is copied into scratch first in every column, as LAPACK overwrites it. f32 and
//! c32 run the same f64/c64 kernels (see the module docs), so the table covers f64 and c64.

use std::ffi::c_char;
use std::hint::black_box;
use std::time::Instant;

use ndarray::{ArrayView2, ShapeBuilder};

use super::tests::Gen;
use super::{eigh, svd, EIGH_MAX, SVD_MAX};
use crate::linalg::UPLO;
use crate::{c64, Scalar};

/// Matrices per pass.
const BATCH: usize = 200;
/// Passes; the fastest counts.
const PASSES: usize = 40;

/// LAPACK with workspaces allocated once per order, for the types the table reports.
trait Direct: Gen {
    /// `?syevd`/`?heevd` jobz 'V' uplo 'L' on the n×n `a` with reused workspaces.
    fn heevd_direct(n: usize) -> impl FnMut(&mut [Self], &mut [Self::Real]);
    /// `?gesdd` jobz 'S' on the n×n `a` with reused workspaces.
    #[allow(clippy::type_complexity)] // the closure takes a, s, u and vt
    fn gesdd_direct(
        n: usize,
    ) -> impl FnMut(&mut [Self], &mut [Self::Real], &mut [Self], &mut [Self]);
}

impl Direct for f64 {
    fn heevd_direct(n: usize) -> impl FnMut(&mut [f64], &mut [f64]) {
        let ni = n as i32;
        let (lwork, liwork) = (1 + 6 * ni + 2 * ni * ni, 3 + 5 * ni);
        let (mut work, mut iwork) = (vec![0.0; lwork as usize], vec![0; liwork as usize]);
        move |a, w| {
            let mut info = 0;
            // SAFETY: a is n×n (lda = n), w holds n values, and the workspaces have the sizes
            // ?syevd documents as minimal for jobz 'V'.
            unsafe {
                lapack_sys::dsyevd_(
                    &(b'V' as c_char),
                    &(b'L' as c_char),
                    &ni,
                    a.as_mut_ptr(),
                    &ni,
                    w.as_mut_ptr(),
                    work.as_mut_ptr(),
                    &lwork,
                    iwork.as_mut_ptr(),
                    &liwork,
                    &mut info,
                )
            };
            assert_eq!(info, 0);
        }
    }
    fn gesdd_direct(n: usize) -> impl FnMut(&mut [f64], &mut [f64], &mut [f64], &mut [f64]) {
        let ni = n as i32;
        let lwork = 3 * ni + (5 * ni * ni + 4 * ni).max(ni) + 16;
        let (mut work, mut iwork) = (vec![0.0; lwork as usize], vec![0; 8 * n]);
        move |a, s, u, vt| {
            let mut info = 0;
            // SAFETY: a, u, vt are n×n (leading dimension n), s holds n values, and lwork is
            // above ?gesdd's documented minimum for jobz 'S' with m = n.
            unsafe {
                lapack_sys::dgesdd_(
                    &(b'S' as c_char),
                    &ni,
                    &ni,
                    a.as_mut_ptr(),
                    &ni,
                    s.as_mut_ptr(),
                    u.as_mut_ptr(),
                    &ni,
                    vt.as_mut_ptr(),
                    &ni,
                    work.as_mut_ptr(),
                    &lwork,
                    iwork.as_mut_ptr(),
                    &mut info,
                )
            };
            assert_eq!(info, 0);
        }
    }
}

impl Direct for c64 {
    fn heevd_direct(n: usize) -> impl FnMut(&mut [c64], &mut [f64]) {
        let ni = n as i32;
        let (lwork, lrwork, liwork) = (2 * ni + ni * ni, 1 + 5 * ni + 2 * ni * ni, 3 + 5 * ni);
        let mut work = vec![c64::new(0.0, 0.0); lwork as usize];
        let (mut rwork, mut iwork) = (vec![0.0; lrwork as usize], vec![0; liwork as usize]);
        move |a, w| {
            let mut info = 0;
            // SAFETY: as for f64; c64 has the layout of LAPACK's double complex.
            unsafe {
                lapack_sys::zheevd_(
                    &(b'V' as c_char),
                    &(b'L' as c_char),
                    &ni,
                    a.as_mut_ptr() as *mut _,
                    &ni,
                    w.as_mut_ptr(),
                    work.as_mut_ptr() as *mut _,
                    &lwork,
                    rwork.as_mut_ptr(),
                    &lrwork,
                    iwork.as_mut_ptr(),
                    &liwork,
                    &mut info,
                )
            };
            assert_eq!(info, 0);
        }
    }
    fn gesdd_direct(n: usize) -> impl FnMut(&mut [c64], &mut [f64], &mut [c64], &mut [c64]) {
        let ni = n as i32;
        let lwork = 2 * ni + ni * ni + ni + 16;
        let lrwork = (5 * n * n + 5 * n).max(4 * n * n + n) + 16;
        let mut work = vec![c64::new(0.0, 0.0); lwork as usize];
        let (mut rwork, mut iwork) = (vec![0.0; lrwork], vec![0; 8 * n]);
        move |a, s, u, vt| {
            let mut info = 0;
            // SAFETY: as for f64; c64 has the layout of LAPACK's double complex.
            unsafe {
                lapack_sys::zgesdd_(
                    &(b'S' as c_char),
                    &ni,
                    &ni,
                    a.as_mut_ptr() as *mut _,
                    &ni,
                    s.as_mut_ptr(),
                    u.as_mut_ptr() as *mut _,
                    &ni,
                    vt.as_mut_ptr() as *mut _,
                    &ni,
                    work.as_mut_ptr() as *mut _,
                    &lwork,
                    rwork.as_mut_ptr(),
                    iwork.as_mut_ptr(),
                    &mut info,
                )
            };
            assert_eq!(info, 0);
        }
    }
}

/// Interleaved best-of-`PASSES` times (ns per matrix) of the `methods`, each called with a
/// matrix index < `BATCH`.
fn race(methods: &mut [&mut dyn FnMut(usize)]) -> Vec<f64> {
    let mut best = vec![f64::INFINITY; methods.len()];
    for _ in 0..PASSES {
        for (m, b) in methods.iter_mut().zip(best.iter_mut()) {
            let start = Instant::now();
            for i in 0..BATCH {
                m(i);
            }
            *b = b.min(start.elapsed().as_nanos() as f64 / BATCH as f64);
        }
    }
    best
}

/// `BATCH` random n×n matrices (Hermitian when `hermitian`), column-major, back to back.
fn batch<T: Gen>(n: usize, hermitian: bool) -> Vec<T> {
    use rand::{Rng, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(n as u64);
    let mut out = Vec::with_capacity(BATCH * n * n);
    for _ in 0..BATCH {
        let a = ndarray::Array2::from_shape_simple_fn((n, n), || {
            T::make(rng.random_range(-1.0..=1.0), rng.random_range(-1.0..=1.0))
        });
        let a = if hermitian {
            &a + &a.t().mapv(|x| x.conj())
        } else {
            a
        };
        out.extend(a.t().iter().copied());
    }
    out
}

/// The eigh row for `T` and order n.
fn eigh_row<T: Direct>(n: usize) {
    let data = batch::<T>(n, true);
    let nn = n * n;
    let at = |i: usize| &data[i * nn..(i + 1) * nn];
    let (mut scratch, mut vectors) = (vec![T::zero(); nn], vec![T::zero(); nn]);
    let mut values = vec![<T::Real as Scalar>::from_f64_nearest(0.0); n];
    let mut direct = T::heevd_direct(n);
    let ni = n as i32;
    let times = {
        let mut kernel = |i: usize| {
            scratch.copy_from_slice(at(i));
            assert!(eigh(
                black_box(&mut scratch),
                n,
                true,
                &mut values,
                Some(&mut vectors)
            ));
            black_box(&vectors);
        };
        let (mut s2, mut v2) = (
            vec![T::zero(); nn],
            vec![<T::Real as Scalar>::from_f64_nearest(0.0); n],
        );
        let mut values_only = |i: usize| {
            s2.copy_from_slice(at(i));
            assert!(eigh(black_box(&mut s2), n, true, &mut v2, None));
            black_box(&v2);
        };
        let (mut s3, mut v3) = (
            vec![T::zero(); nn],
            vec![<T::Real as Scalar>::from_f64_nearest(0.0); n],
        );
        let mut lapack = |i: usize| {
            s3.copy_from_slice(at(i));
            direct(&mut s3, &mut v3);
            black_box(&s3);
        };
        let (mut s4, mut v4) = (
            vec![T::zero(); nn],
            vec![<T::Real as Scalar>::from_f64_nearest(0.0); n],
        );
        let mut method = |i: usize| {
            s4.copy_from_slice(at(i));
            // A fresh workspace per call, sized by the routine's query inside it.
            let ws = &mut crate::kernels::Workspace::default();
            // SAFETY: s4 is n×n column-major (lda = n ≥ 1), v4 holds n values.
            let info =
                unsafe { T::heevd(b'V', b'L', ni, s4.as_mut_ptr(), ni, v4.as_mut_ptr(), ws) };
            assert_eq!(info, 0);
            black_box(&s4);
        };
        let mut two_d = |i: usize| {
            let a = ArrayView2::from_shape((n, n).f(), at(i)).expect("shape");
            black_box(crate::linalg::eigh(&a, UPLO::Lower).expect("eigh"));
        };
        race(&mut [
            &mut kernel,
            &mut values_only,
            &mut lapack,
            &mut method,
            &mut two_d,
        ])
    };
    print_row("eigh", dtype::<T>(), n, &times);
}

/// The (square, thin) svd row for `T` and order n.
fn svd_row<T: Direct>(n: usize) {
    let data = batch::<T>(n, false);
    let nn = n * n;
    let at = |i: usize| &data[i * nn..(i + 1) * nn];
    let zeros = || {
        (
            vec![T::zero(); nn],
            vec![<T::Real as Scalar>::from_f64_nearest(0.0); n],
        )
    };
    let (mut u, mut vt) = (vec![T::zero(); nn], vec![T::zero(); nn]);
    let mut direct = T::gesdd_direct(n);
    let ni = n as i32;
    let times = {
        let (mut s1, mut v1) = zeros();
        let mut kernel = |i: usize| {
            s1.copy_from_slice(at(i));
            assert!(svd(
                black_box(&mut s1),
                n,
                n,
                &mut v1,
                Some((&mut u, &mut vt, false))
            ));
            black_box((&u, &vt));
        };
        let (mut s2, mut v2) = zeros();
        let mut values_only = |i: usize| {
            s2.copy_from_slice(at(i));
            assert!(svd(black_box(&mut s2), n, n, &mut v2, None));
            black_box(&v2);
        };
        let (mut s3, mut v3) = zeros();
        let (mut u3, mut vt3) = (vec![T::zero(); nn], vec![T::zero(); nn]);
        let mut lapack = |i: usize| {
            s3.copy_from_slice(at(i));
            direct(&mut s3, &mut v3, &mut u3, &mut vt3);
            black_box((&u3, &vt3));
        };
        let (mut s4, mut v4) = zeros();
        let (mut u4, mut vt4) = (vec![T::zero(); nn], vec![T::zero(); nn]);
        let mut method = |i: usize| {
            s4.copy_from_slice(at(i));
            // SAFETY: s4, u4, vt4 are n×n column-major (leading dimension n), v4 holds n
            // values: what ?gesdd jobz 'S' reads and writes for m = n.
            let info = unsafe {
                T::gesdd(
                    b'S',
                    ni,
                    ni,
                    s4.as_mut_ptr(),
                    ni,
                    v4.as_mut_ptr(),
                    u4.as_mut_ptr(),
                    ni,
                    vt4.as_mut_ptr(),
                    ni,
                    &mut crate::kernels::Workspace::default(),
                )
            };
            assert_eq!(info, 0);
            black_box((&u4, &vt4));
        };
        let mut two_d = |i: usize| {
            let a = ArrayView2::from_shape((n, n).f(), at(i)).expect("shape");
            black_box(crate::linalg::svd(&a, false).expect("svd"));
        };
        race(&mut [
            &mut kernel,
            &mut values_only,
            &mut lapack,
            &mut method,
            &mut two_d,
        ])
    };
    print_row("svd", dtype::<T>(), n, &times);
}

/// One table row: kernel, values-only, LAPACK direct, the crate's LAPACK method, the 2-D
/// function, and kernel/LAPACK-direct.
fn print_row(op: &str, dtype: &str, n: usize, t: &[f64]) {
    println!(
        "| {op} | {dtype} | {n} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.2} |",
        t[0],
        t[1],
        t[2],
        t[3],
        t[4],
        t[0] / t[2]
    );
}

/// The dtype's short name.
fn dtype<T: Scalar>() -> &'static str {
    match (T::IS_COMPLEX, std::mem::size_of::<T::Real>()) {
        (false, 4) => "f32",
        (false, _) => "f64",
        (true, 4) => "c32",
        (true, _) => "c64",
    }
}

#[test]
#[ignore = "a timing table for setting EIGH_MAX/SVD_MAX; run in release mode"]
fn small_kernel_timing() {
    println!("| op | dtype | n | kernel | values only | LAPACK direct | crate LAPACK | 2-D fn | kernel/LAPACK |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for n in 2..=EIGH_MAX {
        eigh_row::<f64>(n);
        eigh_row::<c64>(n);
    }
    for n in 2..=SVD_MAX {
        svd_row::<f64>(n);
        svd_row::<c64>(n);
    }
}
