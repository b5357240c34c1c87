//! Run-time dispatch of a generic kernel to a build for the CPU's vector extensions.

/// `simd_dispatch!(vis fn name => kernel(arg: type, …) -> ret)` defines `name<T: Real>`, which
/// runs the `#[inline(always)]` function `kernel::<T, true>` compiled for AVX2 and FMA when the
/// CPU has them (checked at run time; std caches the answer), and `kernel::<T, false>` compiled
/// for the baseline target otherwise. The exponential then vectorises 8 lanes wide with fused
/// multiply–adds on AVX2 machines. The two differ only in the roundings of the multiply–adds
/// (both exponentials stay within 2 ulp); each is deterministic, independent of layout.
macro_rules! simd_dispatch {
    ($vis:vis fn $name:ident => $kernel:ident($($arg:ident: $ty:ty),*) -> $ret:ty) => {
        #[inline]
        $vis fn $name<T: Real>($($arg: $ty),*) -> $ret {
            #[cfg(target_arch = "x86_64")]
            {
                /// The kernel compiled with AVX2 and FMA enabled.
                ///
                /// # Safety
                /// The CPU must support AVX2 and FMA.
                #[target_feature(enable = "avx2,fma")]
                unsafe fn avx2<T: Real>($($arg: $ty),*) -> $ret {
                    $kernel::<T, true>($($arg),*)
                }
                if std::arch::is_x86_feature_detected!("avx2")
                    && std::arch::is_x86_feature_detected!("fma")
                {
                    // SAFETY: `avx2` only enables instructions the CPU was just found to
                    // support.
                    return unsafe { avx2($($arg),*) };
                }
            }
            $kernel::<T, false>($($arg),*)
        }
    };
}
pub(crate) use simd_dispatch;
