// Fails early, with install instructions, when the default `openblas-system` backend is
// selected but the system OpenBLAS cannot be found. Linking itself is left to
// `openblas-src`; this script only checks, so it emits no link flags of its own.

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    for var in ["LIBRARY_PATH", "CC", "DOCS_RS"] {
        println!("cargo:rerun-if-env-changed={var}");
    }

    let feature = |name: &str| env::var_os(format!("CARGO_FEATURE_{name}")).is_some();
    let other_backend = ["OPENBLAS_STATIC", "INTEL_MKL_STATIC", "NETLIB_SYSTEM"]
        .iter()
        .any(|name| feature(name));
    let target_os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    // Windows (vcpkg / msys2) and cross builds are left to openblas-src's own search.
    if !feature("OPENBLAS_SYSTEM")
        || other_backend
        || target_os == "windows"
        || env::var_os("DOCS_RS").is_some()
        || env::var_os("TARGET") != env::var_os("HOST")
    {
        return;
    }

    let found = pkg_config::Config::new()
        .cargo_metadata(false) // openblas-src emits the link flags
        .probe("openblas")
        .is_ok()
        || search_dirs().iter().any(|dir| has_openblas(dir))
        || links_with_cc();
    if !found {
        eprintln!("{MISSING_OPENBLAS}");
        std::process::exit(1);
    }
}

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

/// Directories the linker searches for `-lopenblas`, as far as a build script can tell:
/// `LIBRARY_PATH`, `-L` flags in `RUSTFLAGS`, the usual system dirs (with Debian multiarch
/// dirs such as /usr/lib/x86_64-linux-gnu) and Homebrew's keg, which openblas-src adds.
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
    dirs.push("/opt/homebrew/opt/openblas/lib".into());
    dirs.push("/usr/local/opt/openblas/lib".into());
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
