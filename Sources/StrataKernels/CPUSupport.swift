import CStrataShims
import Foundation

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

    /// The CPU's model name as `/proc/cpuinfo` gives it (`AMD EPYC 9R14`), or `unknown`:
    /// every benchmark figure names the CPU it was measured on.
    public static let modelName: String = {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
              let colon = line.firstIndex(of: ":")
        else { return "unknown" }
        return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }()
}
