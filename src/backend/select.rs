//! Which OpenBLAS kernel set to run: the decision alone, free of FFI, so it can be tested for
//! every CPU and every choice OpenBLAS might make.
//!
//! OpenBLAS's DYNAMIC_ARCH builds pick a kernel set ("core") from the CPU's model number at
//! load time. A CPU newer than the library is not in its tables and gets a generic fallback
//! (OpenBLAS 0.3.21 on an Emerald Rapids Xeon: `Prescott`, SSE3 kernels, 2–5× slower than
//! `SkylakeX`). The decision below ranks kernel sets by the instruction sets they need and
//! upgrades only a choice whose instruction set is below what the CPU has.

/// The instruction-set level a kernel set needs, or a CPU offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Isa {
    /// SSE2/SSE3 only (OpenBLAS's generic x86-64 kernels and all pre-AVX cores).
    Sse,
    /// AVX without AVX2/FMA (Sandybridge, Bulldozer).
    Avx,
    /// AVX and FMA without AVX2 (a CPU level only: AMD Piledriver … Excavator).
    AvxFma,
    /// AVX2 and FMA (Haswell, Zen).
    Avx2,
    /// AVX-512 F, CD, BW, DQ and VL (SkylakeX).
    Avx512,
    /// AVX-512 with BF16 (Cooperlake).
    Avx512Bf16,
}

/// The instruction set OpenBLAS's x86-64 kernel set `core` needs; `None` for names this
/// table does not know (other architectures, future cores) and for sets that need more than
/// the levels above say: AMD's Bulldozer family (Bulldozer … Excavator) uses FMA4, which no
/// Intel and no Zen CPU has, and newer OpenBLAS builds SapphireRapids with AMX/FP16. Those
/// are never requested, and never replaced.
pub(crate) fn core_isa(core: &str) -> Option<Isa> {
    let core = core.to_ascii_lowercase();
    Some(match core.as_str() {
        "katmai" | "coppermine" | "northwood" | "prescott" | "banias" | "atom" | "core2"
        | "penryn" | "dunnington" | "nehalem" | "athlon" | "opteron" | "opteron_sse3"
        | "barcelona" | "nano" | "bobcat" => Isa::Sse,
        "sandybridge" => Isa::Avx,
        "haswell" | "zen" => Isa::Avx2,
        "skylakex" => Isa::Avx512,
        "cooperlake" => Isa::Avx512Bf16,
        _ => return None,
    })
}

/// The kernel sets to try on a CPU offering `cpu`, best first. Ranked by measurement: dgemm
/// 1024, 1 thread, OpenBLAS 0.3.21 on an Emerald Rapids Xeon (AVX-512 with BF16): Cooperlake
/// 59–64 GFLOP/s, SkylakeX 43–65, Haswell 34–35, Prescott 14; on an AMD EPYC (Zen 3, AVX2):
/// Zen and Haswell run the same kernels (see BENCHMARKS.md).
pub(crate) fn candidates(cpu: Isa) -> &'static [&'static str] {
    match cpu {
        Isa::Avx512Bf16 => &["Cooperlake", "SkylakeX", "Haswell"],
        Isa::Avx512 => &["SkylakeX", "Haswell"],
        Isa::Avx2 => &["Haswell"],
        Isa::Avx | Isa::AvxFma => &["Sandybridge"],
        Isa::Sse => &[],
    }
}

/// The kernel sets worth switching to, best first, when OpenBLAS chose `current` on a CPU
/// offering `cpu`: empty when `current` already uses the CPU's vector width (or is unknown).
/// SkylakeX on a CPU with BF16 is kept: OpenBLAS knew the CPU, and Cooperlake differs from it
/// only in the bfloat16 kernels ndkit does not call.
pub(crate) fn upgrades(current: &str, cpu: Isa) -> Vec<&'static str> {
    let Some(current) = core_isa(current) else {
        return Vec::new();
    };
    let width = |isa: Isa| isa.min(Isa::Avx512);
    candidates(cpu)
        .iter()
        .copied()
        .filter(|core| core_isa(core).is_some_and(|isa| width(isa) > width(current) && isa <= cpu))
        .collect()
}

/// Whether this CPU can run the kernel set `core` (false for names this table does not know).
pub(crate) fn runs_on(core: &str, cpu: Isa) -> bool {
    core_isa(core).is_some_and(|isa| isa <= cpu)
}

/// What the CPU running this process offers (`Sse` off x86-64).
pub(crate) fn cpu_isa() -> Isa {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::is_x86_feature_detected as has;
        let avx512 = has!("avx512f")
            && has!("avx512cd")
            && has!("avx512bw")
            && has!("avx512dq")
            && has!("avx512vl");
        if avx512 && has!("avx512bf16") {
            Isa::Avx512Bf16
        } else if avx512 {
            Isa::Avx512
        } else if has!("avx2") && has!("fma") {
            Isa::Avx2
        } else if has!("avx") && has!("fma") {
            Isa::AvxFma
        } else if has!("avx") {
            Isa::Avx
        } else {
            Isa::Sse
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        Isa::Sse
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generic_fallback_is_upgraded_to_what_the_cpu_has() {
        assert_eq!(
            upgrades("Prescott", Isa::Avx512Bf16),
            ["Cooperlake", "SkylakeX", "Haswell"]
        );
        assert_eq!(upgrades("Prescott", Isa::Avx512), ["SkylakeX", "Haswell"]);
        assert_eq!(upgrades("Nehalem", Isa::Avx2), ["Haswell"]);
        assert_eq!(upgrades("Sandybridge", Isa::Avx2), ["Haswell"]);
        // Zen 4 under a library that only knows Zen's AVX2 kernels, as newer OpenBLAS
        // releases do for that CPU.
        assert_eq!(upgrades("Zen", Isa::Avx512), ["SkylakeX"]);
        assert_eq!(upgrades("Prescott", Isa::Avx), ["Sandybridge"]);
    }

    #[test]
    fn a_fitting_choice_is_kept() {
        for (core, cpu) in [
            ("Haswell", Isa::Avx2),
            ("Zen", Isa::Avx2),
            ("SkylakeX", Isa::Avx512),
            ("SkylakeX", Isa::Avx512Bf16),
            ("Cooperlake", Isa::Avx512Bf16),
            ("Prescott", Isa::Sse),
            // FMA4 kernel sets are not in the table: left alone, never replaced.
            ("Excavator", Isa::AvxFma),
            ("Piledriver", Isa::Avx2),
            // Names the table does not know (ARM cores, future x86 cores) are left alone.
            ("NeoverseN1", Isa::Sse),
            ("SomethingNew", Isa::Avx512),
        ] {
            assert!(upgrades(core, cpu).is_empty(), "{core} on {cpu:?}");
        }
    }

    #[test]
    fn never_a_kernel_set_the_cpu_cannot_run() {
        let cpus = [
            Isa::Sse,
            Isa::Avx,
            Isa::AvxFma,
            Isa::Avx2,
            Isa::Avx512,
            Isa::Avx512Bf16,
        ];
        for cpu in cpus {
            for core in upgrades("Prescott", cpu) {
                assert!(runs_on(core, cpu), "{core} on {cpu:?}");
            }
        }
        assert!(!runs_on("SkylakeX", Isa::Avx2));
        // FMA4 (Bulldozer family) and AMX (SapphireRapids) kernels are never accepted.
        for core in [
            "Bulldozer",
            "Piledriver",
            "Steamroller",
            "Excavator",
            "SapphireRapids",
        ] {
            assert!(!runs_on(core, Isa::Avx512Bf16), "{core}");
        }
        assert!(runs_on("skylakex", Isa::Avx512));
        assert!(!runs_on("Unknown", Isa::Avx512));
    }

    #[test]
    fn this_cpu_is_detected_consistently() {
        #[cfg(target_arch = "x86_64")]
        {
            let cpu = cpu_isa();
            if std::arch::is_x86_feature_detected!("avx2")
                && std::arch::is_x86_feature_detected!("fma")
            {
                assert!(cpu >= Isa::Avx2);
            } else {
                assert!(cpu < Isa::Avx2);
            }
        }
    }
}
