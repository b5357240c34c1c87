//! The BLAS/LAPACK library underneath: which one, which version, which kernels, how many
//! threads — and, for an OpenBLAS that does not know the CPU, better kernels.
//!
//! # Kernel selection
//! A DYNAMIC_ARCH OpenBLAS (Debian's, Ubuntu's, Fedora's, Homebrew's) picks its kernels from
//! the CPU's model number when it is loaded. A CPU newer than the library gets a generic
//! fallback: Debian 12's OpenBLAS 0.3.21 runs its SSE3 `Prescott` kernels on an AVX-512 Xeon
//! of 2023, 2–5× slower than NumPy's bundled OpenBLAS. Before its first BLAS call, ndkit
//! therefore checks the library's choice against the instruction sets the CPU reports and,
//! when the choice uses less than the CPU has, switches the library to the best kernel set
//! it has and the CPU can run (Cooperlake, SkylakeX, Haswell or Sandybridge, ranked by
//! measurement; the switch is OpenBLAS's own `OPENBLAS_CORETYPE` mechanism, applied through
//! its exported `gotoblas_dynamic_init`). [`backend()`] reports the kernels in use.
//!
//! | environment | effect |
//! |---|---|
//! | `OPENBLAS_CORETYPE=<core>` | OpenBLAS's own override; ndkit never changes it |
//! | `NDKIT_BLAS_KERNELS=keep` | keep OpenBLAS's choice |
//! | `NDKIT_BLAS_KERNELS=<core>` | switch to `<core>` (e.g. `Haswell`) if the CPU can run it |
//!
//! The switch happens once, at ndkit's first BLAS call or the first [`backend()`] call,
//! whichever comes first. Call [`backend()`] early in `main` if other code in the process
//! calls BLAS from other threads at start-up. Nothing is printed. Non-x86-64 machines,
//! OpenBLAS builds without DYNAMIC_ARCH, MKL and the reference (netlib) library are left as
//! they are.

#[cfg(any(feature = "openblas-system", feature = "openblas-static"))]
mod openblas;
#[cfg(any(feature = "openblas-system", feature = "openblas-static"))]
mod select;

use std::fmt;

/// The BLAS/LAPACK library ndkit runs on, as [`backend()`] reports it.
///
/// ```
/// let backend = ndkit::backend();
/// println!("{backend}"); // e.g. "OpenBLAS 0.3.21, kernels Zen, LAPACK 3.9.1, 2 threads"
/// assert!(backend.threads >= 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Backend {
    /// `"OpenBLAS"`, `"Intel MKL"`, `"Netlib"`, or `"none"` without a backend feature.
    pub library: String,
    /// The library's version (`"0.3.21"`), or `"unknown"`.
    pub version: String,
    /// The kernel set in use (`"SkylakeX"`, `"Haswell"`, `"Zen"`, `"reference"` for netlib),
    /// or `"unknown"`.
    pub kernels: String,
    /// Who chose [`kernels`](Backend::kernels).
    pub kernel_choice: KernelChoice,
    /// The version of the LAPACK routines (`ilaver`), or `"unknown"`.
    pub lapack_version: String,
    /// The number of threads one BLAS call may use ([`crate::num_threads`]).
    pub threads: usize,
    /// The library's own description of its build (OpenBLAS: `openblas_get_config()`, e.g.
    /// `"OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64"`), or empty.
    pub config: String,
}

/// Who chose the kernel set a [`Backend`] runs.
///
/// ```
/// use ndkit::KernelChoice;
///
/// match ndkit::backend().kernel_choice {
///     KernelChoice::Ndkit { replaced } => println!("ndkit replaced {replaced}"),
///     other => println!("{other:?}"),
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KernelChoice {
    /// The library itself (also for libraries with a single kernel set).
    Library,
    /// The user, through `OPENBLAS_CORETYPE`.
    OpenblasCoretype,
    /// The user, through `NDKIT_BLAS_KERNELS=<core>`.
    Requested,
    /// `NDKIT_BLAS_KERNELS` named a kernel set this CPU or library cannot run; the library's
    /// own choice was kept.
    RequestRejected {
        /// The value of `NDKIT_BLAS_KERNELS`.
        requested: String,
    },
    /// ndkit, because the library's own choice was a generic fallback for this CPU.
    Ndkit {
        /// The kernel set the library had chosen.
        replaced: String,
    },
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}, kernels {}",
            self.library, self.version, self.kernels
        )?;
        match &self.kernel_choice {
            KernelChoice::Library => {}
            KernelChoice::OpenblasCoretype => write!(f, " (set by OPENBLAS_CORETYPE)")?,
            KernelChoice::Requested => write!(f, " (set by NDKIT_BLAS_KERNELS)")?,
            KernelChoice::RequestRejected { requested } => {
                write!(f, " (NDKIT_BLAS_KERNELS={requested} cannot run here)")?
            }
            KernelChoice::Ndkit { replaced } => {
                write!(f, " (chosen by ndkit; {} chose {replaced})", self.library)?
            }
        }
        let plural = if self.threads == 1 { "" } else { "s" };
        write!(
            f,
            ", LAPACK {}, {} thread{plural}",
            self.lapack_version, self.threads
        )
    }
}

/// The BLAS/LAPACK library in use: name, version, kernel set and thread count. Cheap; never
/// fails (parts that cannot be known read `"unknown"`). The first call applies the kernel
/// selection described in the module docs, if ndkit has not made a BLAS call yet.
///
/// ```
/// let backend = ndkit::backend();
/// assert!(!backend.library.is_empty() && !backend.kernels.is_empty());
/// ```
pub fn backend() -> Backend {
    let kernel_choice = select_kernels_once().clone();
    let config = config();
    Backend {
        library: library().to_string(),
        version: version(&config),
        kernels: kernels(),
        kernel_choice,
        lapack_version: lapack_version(),
        threads: crate::num_threads(),
        config,
    }
}

fn config() -> String {
    #[cfg(any(feature = "openblas-system", feature = "openblas-static"))]
    return openblas::config();
    #[cfg(not(any(feature = "openblas-system", feature = "openblas-static")))]
    String::new()
}

/// Runs the kernel selection the first time it is called, from whichever thread; later
/// calls (one atomic load) return its outcome.
pub(crate) fn select_kernels_once() -> &'static KernelChoice {
    static CHOICE: std::sync::OnceLock<KernelChoice> = std::sync::OnceLock::new();
    CHOICE.get_or_init(select_kernels)
}

#[cfg(any(feature = "openblas-system", feature = "openblas-static"))]
fn select_kernels() -> KernelChoice {
    if std::env::var_os("OPENBLAS_CORETYPE").is_some() {
        return KernelChoice::OpenblasCoretype;
    }
    let request = std::env::var("NDKIT_BLAS_KERNELS").unwrap_or_default();
    let request = request.trim();
    if request.eq_ignore_ascii_case("keep") {
        return KernelChoice::Library;
    }
    let Some(switch) = openblas::KernelSwitch::new() else {
        return match request {
            "" => KernelChoice::Library,
            _ => KernelChoice::RequestRejected {
                requested: request.to_string(),
            },
        };
    };
    let current = openblas::corename();
    let cpu = select::cpu_isa();
    if !request.is_empty() {
        return if select::runs_on(request, cpu) && switch.to(request) {
            KernelChoice::Requested
        } else {
            KernelChoice::RequestRejected {
                requested: request.to_string(),
            }
        };
    }
    for core in select::upgrades(&current, cpu) {
        if switch.to(core) {
            return KernelChoice::Ndkit { replaced: current };
        }
    }
    KernelChoice::Library
}

#[cfg(not(any(feature = "openblas-system", feature = "openblas-static")))]
fn select_kernels() -> KernelChoice {
    // Only OpenBLAS has run-time kernel sets.
    KernelChoice::Library
}

fn library() -> &'static str {
    if cfg!(any(
        feature = "openblas-system",
        feature = "openblas-static"
    )) {
        "OpenBLAS"
    } else if cfg!(feature = "intel-mkl-static") {
        "Intel MKL"
    } else if cfg!(feature = "netlib-system") {
        "Netlib"
    } else {
        "none"
    }
}

/// The version in the library's `config` (OpenBLAS: its second word).
fn version(config: &str) -> String {
    match config.split_whitespace().nth(1) {
        Some(version)
            if cfg!(any(
                feature = "openblas-system",
                feature = "openblas-static"
            )) =>
        {
            version.to_string()
        }
        _ => "unknown".to_string(),
    }
}

fn kernels() -> String {
    #[cfg(any(feature = "openblas-system", feature = "openblas-static"))]
    return openblas::corename();
    #[cfg(not(any(feature = "openblas-system", feature = "openblas-static")))]
    if cfg!(feature = "netlib-system") && !cfg!(feature = "intel-mkl-static") {
        "reference".to_string()
    } else {
        "unknown".to_string()
    }
}

fn lapack_version() -> String {
    #[cfg(any(
        feature = "openblas-system",
        feature = "openblas-static",
        feature = "intel-mkl-static",
        feature = "netlib-system"
    ))]
    {
        let (mut major, mut minor, mut patch) = (0, 0, 0);
        // SAFETY: `ilaver` (LAPACK ≥ 3.1, in every backend above) writes three integers
        // through the pointers, which point to live locals.
        unsafe { lapack_sys::ilaver_(&mut major, &mut minor, &mut patch) };
        if major > 0 {
            return format!("{major}.{minor}.{patch}");
        }
    }
    "unknown".to_string()
}
