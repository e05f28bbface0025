import CStrataShims

/// What the hot modules were compiled for and what the running CPU offers.
public enum CPUSupport {
    /// True when `StrataKernels` and `StrataIndex` were compiled for Haswell (AVX2 + FMA),
    /// which `Package.swift` chooses when the building machine has both.
    public static var compiledForAVX2: Bool {
        #if STRATA_AVX2
        true
        #else
        false
        #endif
    }

    /// True when the running CPU executes AVX2 and FMA instructions.
    public static var runningCPUHasAVX2: Bool { strata_cpu_has_avx2_fma() != 0 }
}
