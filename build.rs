// Links the system OpenBLAS for the default `openblas-system` backend (pkg-config's flags, else
// `-lopenblas` from wherever the linker finds it) and fails early, with install instructions,
// when it cannot be found. The other backends are linked by their `*-src` crates. With no
// backend feature at all (a library depending on ndkit with `default-features = false`) it
// warns that the final binary must pick one, instead of leaving a bare `undefined symbol`.

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The backend features, as cargo spells them in `CARGO_FEATURE_*` and as users write them.
const BACKENDS: [(&str, &str); 4] = [
    ("OPENBLAS_SYSTEM", "openblas-system"),
    ("OPENBLAS_STATIC", "openblas-static"),
    ("INTEL_MKL_STATIC", "intel-mkl-static"),
    ("NETLIB_SYSTEM", "netlib-system"),
];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    for var in ["LIBRARY_PATH", "CC", "DOCS_RS", "PKG_CONFIG_PATH"] {
        println!("cargo:rerun-if-env-changed={var}");
    }

    let feature = |name: &str| env::var_os(format!("CARGO_FEATURE_{name}")).is_some();
    let selected: Vec<&str> = BACKENDS
        .iter()
        .filter(|(var, _)| feature(var))
        .map(|&(_, name)| name)
        .collect();
    match selected[..] {
        [] => {
            for line in NO_BACKEND.lines() {
                println!("cargo:warning={line}");
            }
            return;
        }
        [_] => {}
        [..] => println!(
            "cargo:warning=ndkit: more than one BLAS/LAPACK backend feature is enabled ({}); \
             enable exactly one (did a dependency forget `default-features = false`?)",
            selected.join(", ")
        ),
    }
    if !feature("OPENBLAS_SYSTEM") || env::var_os("DOCS_RS").is_some() {
        return;
    }
    // pkg-config's flags when it knows OpenBLAS (Linux distributions, Homebrew with
    // PKG_CONFIG_PATH, an OpenBLAS in another prefix); for cross builds it needs
    // PKG_CONFIG_ALLOW_CROSS and a sysroot, else the plain `-lopenblas` below.
    if pkg_config::Config::new().probe("openblas").is_ok() {
        return;
    }
    let cross = env::var_os("TARGET") != env::var_os("HOST");
    let target_os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if !cross && target_os != "windows" {
        match search_dirs().into_iter().find(|dir| has_openblas(dir)) {
            // Homebrew's keg is the one place the linker does not search by itself.
            Some(dir) if HOMEBREW_KEGS.iter().any(|keg| dir == Path::new(keg)) => {
                println!("cargo:rustc-link-search=native={}", dir.display());
            }
            Some(_) => {}
            None if links_with_cc() => {}
            None => {
                eprintln!("{MISSING_OPENBLAS}");
                std::process::exit(1);
            }
        }
    }
    println!("cargo:rustc-link-lib=dylib=openblas");
}

/// Where Homebrew keeps OpenBLAS (keg-only: not linked into the default search path).
const HOMEBREW_KEGS: [&str; 2] = [
    "/opt/homebrew/opt/openblas/lib",
    "/usr/local/opt/openblas/lib",
];

const NO_BACKEND: &str = "\
ndkit: no BLAS/LAPACK backend feature is enabled, so nothing links BLAS/LAPACK and linking a \
binary or test that uses ndkit will fail with `undefined symbol: dgelsd_` (or similar).
ndkit: enable exactly one of the features `openblas-system` (the default), `openblas-static`, \
`intel-mkl-static` or `netlib-system`.
ndkit: the rule: a library depends on ndkit with `default-features = false` and no backend; \
the final binary, and the library's own tests (a dev-dependency on ndkit with e.g. \
`features = [\"openblas-system\"]`), pick exactly one.";

const MISSING_OPENBLAS: &str = "
error: ndkit's default backend (feature `openblas-system`) needs the system OpenBLAS,
       but neither pkg-config (`openblas`) nor the linker (`-lopenblas`) can find it.

Install it:
  Debian/Ubuntu:  sudo apt-get install -y libopenblas-dev
  Fedora:         sudo dnf install openblas-devel
  macOS:          brew install openblas
                  export PKG_CONFIG_PATH=\"$(brew --prefix openblas)/lib/pkgconfig:$PKG_CONFIG_PATH\"

An OpenBLAS in another prefix is found through PKG_CONFIG_PATH (its openblas.pc)
or LIBRARY_PATH / RUSTFLAGS=\"-L <dir>\".

Or choose another backend:
  cargo build --no-default-features --features openblas-static
      builds OpenBLAS from source (needs a Fortran compiler and network access at build time)
  cargo build --no-default-features --features intel-mkl-static
      links Intel MKL statically (x86_64; downloaded at build time if not installed)
As a dependency: ndkit = { version = \"...\", default-features = false, features = [\"openblas-static\"] }
";

/// Directories the linker may search for `-lopenblas`, as far as a build script can tell:
/// `LIBRARY_PATH`, `-L` flags in `RUSTFLAGS`, the usual system dirs (with Debian multiarch
/// dirs such as /usr/lib/x86_64-linux-gnu) and Homebrew's keg (the one build.rs adds with
/// `-L` when OpenBLAS is found there).
fn search_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = env::var_os("LIBRARY_PATH")
        .map(|paths| env::split_paths(&paths).collect())
        .unwrap_or_default();
    dirs.extend(rustflags_dirs());
    let arch = env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let arch = if arch == "x86" { "i386" } else { &arch };
    let multiarch_prefix = format!("{arch}-linux-");
    for root in ["/usr/local/lib", "/usr/lib", "/lib"] {
        dirs.push(root.into());
        dirs.push(format!("{root}64").into());
        let entries = std::fs::read_dir(root).into_iter().flatten().flatten();
        dirs.extend(entries.map(|entry| entry.path()).filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with(&multiarch_prefix))
        }));
    }
    dirs.extend(HOMEBREW_KEGS.iter().map(PathBuf::from));
    dirs
}

/// `-L [KIND=]PATH` arguments from the rustflags cargo passes to rustc.
fn rustflags_dirs() -> Vec<PathBuf> {
    let flags = env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    let mut args = flags.split('\x1f');
    let mut dirs = Vec::new();
    while let Some(arg) = args.next() {
        let path = match arg.strip_prefix("-L") {
            Some("") => args.next(),
            other => other,
        };
        if let Some(path) = path {
            let kinds = ["native=", "all=", "dependency=", "crate=", "framework="];
            let path = kinds
                .iter()
                .find_map(|kind| path.strip_prefix(kind))
                .unwrap_or(path);
            dirs.push(path.into());
        }
    }
    dirs
}

fn has_openblas(dir: &Path) -> bool {
    ["libopenblas.so", "libopenblas.a", "libopenblas.dylib"]
        .iter()
        .any(|file| dir.join(file).exists())
}

/// Last resort: link a C program that calls `cblas_dgemm` against `-lopenblas` with the C
/// compiler (`$CC`, else `cc`), which knows the linker's full default search path.
fn links_with_cc() -> bool {
    let Some(out_dir) = env::var_os("OUT_DIR").map(PathBuf::from) else {
        return false;
    };
    let source = out_dir.join("openblas_probe.c");
    let program = "char cblas_dgemm(void);\nint main(void) { return cblas_dgemm(); }\n";
    if std::fs::write(&source, program).is_err() {
        return false;
    }
    let cc = env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let mut cc = cc.split_whitespace();
    let Some(compiler) = cc.next() else {
        return false;
    };
    let search = rustflags_dirs()
        .into_iter()
        .map(|dir| format!("-L{}", dir.display()));
    Command::new(compiler)
        .args(cc)
        .arg(&source)
        .arg("-o")
        .arg(out_dir.join("openblas_probe"))
        .args(search)
        .arg("-lopenblas")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}
