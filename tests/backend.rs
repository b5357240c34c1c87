//! `ndkit::backend()` and the kernel selection. The environment variables are read once per
//! process, so each case that sets one runs in a child process: this test binary again, with
//! the variable set, running one `#[ignore]`d case. OpenBLAS only; the kernel-switching cases
//! need a DYNAMIC_ARCH build (Debian's, and every distribution's, is one).
#![cfg(any(feature = "openblas-system", feature = "openblas-static"))]

mod common;

use common::{fro_diff, random_matrix, rng, well_conditioned};
use ndarray::Array2;
use ndkit::{linalg, KernelChoice};
use std::process::Command;

/// OpenBLAS x86-64 kernel sets below AVX2 + FMA: generic fallbacks on a CPU that has both.
const BELOW_AVX2: [&str; 21] = [
    "Katmai",
    "Coppermine",
    "Northwood",
    "Prescott",
    "Banias",
    "Atom",
    "Core2",
    "Penryn",
    "Dunnington",
    "Nehalem",
    "Athlon",
    "Opteron",
    "Opteron_SSE3",
    "Barcelona",
    "Nano",
    "Bobcat",
    "Sandybridge",
    "Bulldozer",
    "Piledriver",
    "Steamroller",
    "Excavator",
];

fn has_avx2_fma() -> bool {
    #[cfg(target_arch = "x86_64")]
    return std::arch::is_x86_feature_detected!("avx2")
        && std::arch::is_x86_feature_detected!("fma");
    #[cfg(not(target_arch = "x86_64"))]
    false
}

fn has_avx() -> bool {
    #[cfg(target_arch = "x86_64")]
    return std::arch::is_x86_feature_detected!("avx");
    #[cfg(not(target_arch = "x86_64"))]
    false
}

/// A solve and a product through the kernels in use are right (backward errors of ε·n size).
fn blas_still_right() {
    let mut g = rng(3);
    let n = 300; // large enough for the blocked, multi-threaded code paths
    let a: Array2<f64> = well_conditioned(&mut g, n);
    let b: Array2<f64> = random_matrix(&mut g, n, 7);
    let x = linalg::solve(&a, &b).unwrap();
    let residual = fro_diff(&linalg::matmul(&a, &x).unwrap(), &b);
    // ‖A·x − b‖ / (‖A‖·‖x‖·n·ε) is O(1) for a backward-stable solve; 10 leaves room.
    let scale = common::fro(&a) * common::fro(&x) * n as f64 * f64::EPSILON;
    assert!(
        residual / scale < 10.0,
        "residual ratio {}",
        residual / scale
    );
}

#[test]
fn backend_fields_are_filled() {
    let backend = ndkit::backend();
    assert_eq!(backend.library, "OpenBLAS");
    assert!(
        backend.version.starts_with("0.") && backend.version.split('.').count() == 3,
        "{}",
        backend.version
    );
    assert!(!backend.kernels.is_empty() && backend.kernels != "unknown");
    assert!(
        backend.lapack_version.starts_with("3."),
        "{}",
        backend.lapack_version
    );
    assert_eq!(backend.threads, ndkit::num_threads());
    let line = backend.to_string();
    for part in [&backend.library, &backend.version, &backend.kernels] {
        assert!(line.contains(part.as_str()), "{line}");
    }
    assert!(!line.contains('\n'));
    assert!(
        backend.config.starts_with("OpenBLAS "),
        "{}",
        backend.config
    );
}

#[test]
fn kernels_in_use_are_not_a_generic_fallback() {
    if std::env::var_os("OPENBLAS_CORETYPE").is_some()
        || std::env::var_os("NDKIT_BLAS_KERNELS").is_some()
        || !has_avx2_fma()
    {
        return; // the user's choice, or a CPU without AVX2 + FMA: nothing to check
    }
    let kernels = ndkit::backend().kernels;
    assert!(!BELOW_AVX2.contains(&kernels.as_str()), "{kernels}");
}

/// Runs the `#[ignore]`d case `name` of this binary in a child process with `env` set
/// (a library without run-time kernel sets has nothing to switch: then nothing runs).
fn run_child(name: &str, env: &[(&str, &str)]) {
    if !ndkit::backend().config.contains("DYNAMIC_ARCH") {
        return;
    }
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([name, "--exact", "--ignored", "--test-threads=1"])
        .env_remove("OPENBLAS_CORETYPE")
        .env_remove("NDKIT_BLAS_KERNELS");
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "child {name} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn openblas_coretype_is_respected() {
    run_child(
        "child_prescott_by_openblas_coretype",
        &[("OPENBLAS_CORETYPE", "Prescott")],
    );
}

#[test]
#[ignore = "run by openblas_coretype_is_respected with OPENBLAS_CORETYPE=Prescott"]
fn child_prescott_by_openblas_coretype() {
    let backend = ndkit::backend();
    assert_eq!(backend.kernels, "Prescott");
    assert_eq!(backend.kernel_choice, KernelChoice::OpenblasCoretype);
    blas_still_right();
}

/// OpenBLAS loaded with Prescott kernels (as a library too old for the CPU would choose), then
/// the variable removed before ndkit's first call: ndkit sees a generic fallback.
#[test]
fn generic_fallback_is_replaced() {
    run_child(
        "child_fallback_replaced",
        &[("OPENBLAS_CORETYPE", "Prescott")],
    );
}

#[test]
#[ignore = "run by generic_fallback_is_replaced with OPENBLAS_CORETYPE=Prescott"]
fn child_fallback_replaced() {
    std::env::remove_var("OPENBLAS_CORETYPE");
    let backend = ndkit::backend();
    if has_avx() {
        assert_eq!(
            backend.kernel_choice,
            KernelChoice::Ndkit {
                replaced: "Prescott".to_string()
            }
        );
        assert!(!BELOW_AVX2.contains(&backend.kernels.as_str()) || !has_avx2_fma());
        assert_ne!(backend.kernels, "Prescott");
    } else {
        assert_eq!(backend.kernels, "Prescott");
    }
    blas_still_right();
}

#[test]
fn keep_keeps_the_librarys_choice() {
    run_child(
        "child_fallback_kept",
        &[
            ("OPENBLAS_CORETYPE", "Prescott"),
            ("NDKIT_BLAS_KERNELS", "keep"),
        ],
    );
}

#[test]
#[ignore = "run by keep_keeps_the_librarys_choice"]
fn child_fallback_kept() {
    std::env::remove_var("OPENBLAS_CORETYPE");
    let backend = ndkit::backend();
    assert_eq!(backend.kernels, "Prescott");
    assert_eq!(backend.kernel_choice, KernelChoice::Library);
}

#[test]
fn a_requested_kernel_set_is_used_or_rejected() {
    if has_avx() {
        run_child("child_requested", &[("NDKIT_BLAS_KERNELS", "Sandybridge")]);
    }
    run_child("child_rejected", &[("NDKIT_BLAS_KERNELS", "NoSuchCore")]);
}

#[test]
#[ignore = "run by a_requested_kernel_set_is_used_or_rejected"]
fn child_requested() {
    // The first BLAS call, not `backend()`, triggers the selection.
    blas_still_right();
    let backend = ndkit::backend();
    assert_eq!(backend.kernels, "Sandybridge");
    assert_eq!(backend.kernel_choice, KernelChoice::Requested);
}

#[test]
#[ignore = "run by a_requested_kernel_set_is_used_or_rejected"]
fn child_rejected() {
    let backend = ndkit::backend();
    assert_eq!(
        backend.kernel_choice,
        KernelChoice::RequestRejected {
            requested: "NoSuchCore".to_string()
        }
    );
    assert!(backend
        .to_string()
        .contains("NDKIT_BLAS_KERNELS=NoSuchCore"));
    blas_still_right();
}
