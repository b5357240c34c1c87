//! What OpenBLAS says about itself, and the switch of its kernel set.

use std::ffi::{c_char, CStr};

extern "C" {
    fn openblas_get_config() -> *const c_char;
    fn openblas_get_corename() -> *const c_char;
}

/// A string OpenBLAS returns, copied (`"unknown"` for a null pointer).
///
/// # Safety
/// `s` is null or points to a NUL-terminated string that stays valid during the call.
unsafe fn owned(s: *const c_char) -> String {
    if s.is_null() {
        return "unknown".to_string();
    }
    // SAFETY: `s` is non-null and, by the caller's contract, a valid NUL-terminated string.
    unsafe { CStr::from_ptr(s) }.to_string_lossy().into_owned()
}

/// `openblas_get_config()`: e.g. `"OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Zen
/// MAX_THREADS=64"`.
pub(super) fn config() -> String {
    // OpenBLAS rebuilds the string in one static buffer on every call: ndkit's calls take
    // turns (another library calling it at the same moment is beyond ndkit's reach).
    static CONFIG_BUFFER: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = CONFIG_BUFFER
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    // SAFETY: returns a pointer to OpenBLAS's static NUL-terminated buffer, which it rewrites
    // only inside this function; the string is copied before the lock is released.
    unsafe { owned(openblas_get_config()) }
}

/// `openblas_get_corename()`: the kernel set in use, e.g. `"Haswell"`.
pub(super) fn corename() -> String {
    // SAFETY: returns a pointer into OpenBLAS's static table of core names.
    unsafe { owned(openblas_get_corename()) }
}

/// OpenBLAS's `gotoblas_dynamic_quit` / `gotoblas_dynamic_init` pair, found at run time:
/// only DYNAMIC_ARCH builds on x86-64 have them, and ndkit must link against every other
/// build too. `gotoblas_dynamic_init` picks the kernel set again, honouring
/// `OPENBLAS_CORETYPE` (OpenBLAS 0.3.21 `driver/others/dynamic.c`: a name in its table is
/// used as is; any other falls back to its CPU-feature rule — in 0.3.21 that includes
/// `Cooperlake`, which its lookup loop stops short of, and which that rule picks on a CPU with
/// AVX-512 BF16; nothing is printed at the default verbosity, "Core not found" with
/// `OPENBLAS_VERBOSE` ≥ 1).
pub(super) struct KernelSwitch {
    quit: unsafe extern "C" fn(),
    init: unsafe extern "C" fn(),
}

impl KernelSwitch {
    /// The switch, if this is a DYNAMIC_ARCH OpenBLAS on x86-64 whose symbols the dynamic
    /// linker can see (a statically linked OpenBLAS does not export them).
    pub(super) fn new() -> Option<KernelSwitch> {
        if !cfg!(target_arch = "x86_64") || !config().contains("DYNAMIC_ARCH") {
            return None;
        }
        Some(KernelSwitch {
            quit: symbol(c"gotoblas_dynamic_quit")?,
            init: symbol(c"gotoblas_dynamic_init")?,
        })
    }

    /// Switches OpenBLAS to the kernel set `core`; true if `core` is what it runs afterwards.
    /// Otherwise OpenBLAS is back on the kernels its own CPU detection picks (the ones it chose
    /// when loaded, unless `OPENBLAS_CORETYPE` was set then and removed since).
    pub(super) fn to(&self, core: &str) -> bool {
        self.reinit(Some(core));
        if corename().eq_ignore_ascii_case(core) {
            return true;
        }
        self.reinit(None);
        false
    }

    /// Runs OpenBLAS's kernel selection again, with `OPENBLAS_CORETYPE` set to `core` for
    /// its duration (or unset).
    fn reinit(&self, core: Option<&str>) {
        // The variable is set only for the duration of the re-selection. std's environment
        // lock orders this against every std::env access; C code reading the environment in
        // another thread at this moment is the one unordered case (the module docs say to
        // call `backend()` early when that matters).
        match core {
            Some(core) => std::env::set_var("OPENBLAS_CORETYPE", core),
            None => std::env::remove_var("OPENBLAS_CORETYPE"),
        }
        // SAFETY: `quit` only clears OpenBLAS's kernel-table pointer and `init` sets it again
        // (it returns early if already set, and exits only if no kernel set at all exists,
        // which cannot happen in a DYNAMIC_ARCH build). This runs once, inside
        // `select_kernels_once`'s OnceLock, before any BLAS call of ndkit's: no ndkit call can
        // observe the cleared pointer, and OpenBLAS's worker threads read the table only while
        // executing a call. A BLAS call by other code in another thread during these
        // microseconds would see it cleared: the documented condition of the selection (the
        // module docs: call `ndkit::backend()` early when other code calls BLAS from threads
        // at start-up, or set `NDKIT_BLAS_KERNELS=keep`).
        unsafe {
            (self.quit)();
            (self.init)();
        }
        std::env::remove_var("OPENBLAS_CORETYPE");
    }
}

/// A function exported by the loaded OpenBLAS, or `None`.
fn symbol(name: &CStr) -> Option<unsafe extern "C" fn()> {
    #[cfg(unix)]
    {
        // SAFETY: dlsym with RTLD_DEFAULT searches the loaded objects for a NUL-terminated
        // name; it returns null or the address of that symbol.
        let address = unsafe { libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr()) };
        if address.is_null() {
            return None;
        }
        // SAFETY: both looked-up symbols are `void f(void)` functions in OpenBLAS
        // (`driver/others/dynamic.c`), so the address is one of such a function.
        Some(unsafe { std::mem::transmute::<*mut libc::c_void, unsafe extern "C" fn()>(address) })
    }
    #[cfg(not(unix))]
    {
        let _ = name;
        None
    }
}
