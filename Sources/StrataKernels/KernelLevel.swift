import CStrataShims
import Foundation

/// The instruction sets Strata's hot kernels are written for, lowest first.
///
/// One binary holds every variant (each C kernel carries its own `target` attribute), and the
/// best the running CPU supports is chosen once at start-up: the graph walk is specialized per
/// ``KernelSet``, so a search pays one switch, never a function pointer per distance. A binary
/// built on an AVX-512 machine still runs, on its AVX2 or portable path, where AVX-512 is
/// absent.
///
/// `STRATA_KERNELS=portable|avx2|avx512|avx512vnni` forces a lower level (never a higher one
/// than the CPU has), so that tests run every variant on the same inputs and benchmarks
/// compare them.
public enum KernelLevel: Int, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    /// Swift SIMD, for any CPU (AVX2 code when the module is compiled for Haswell).
    case portable = 0
    /// AVX2 + FMA: 256-bit float FMA, int8 pairs through `vpmaddwd`.
    case avx2 = 1
    /// AVX-512 F/BW/VL/DQ: 512-bit registers, masked tails.
    case avx512 = 2
    /// AVX-512 with VNNI: int8 pairs multiplied and accumulated by `vpdpwssd`.
    case avx512VNNI = 3

    public static func < (a: KernelLevel, b: KernelLevel) -> Bool { a.rawValue < b.rawValue }

    /// The name `STRATA_KERNELS` takes and reports show.
    public var description: String {
        switch self {
        case .portable: "portable"
        case .avx2: "avx2"
        case .avx512: "avx512"
        case .avx512VNNI: "avx512vnni"
        }
    }

    /// The best level the running CPU supports.
    public static let detected = KernelLevel(rawValue: Int(strata_cpu_kernel_level())) ?? .portable

    /// The level the kernels run at: ``detected``, or lower when `STRATA_KERNELS` says so.
    public static let active: KernelLevel = {
        let forced = ProcessInfo.processInfo.environment["STRATA_KERNELS"].flatMap { try? KernelLevel(named: $0) }
        return min(forced ?? detected, detected)
    }()

    /// The level called `name` (``description``).
    ///
    /// - Throws: ``KernelLevelError`` naming the levels there are.
    public init(named name: String) throws(KernelLevelError) {
        guard let level = Self.allCases.first(where: { $0.description == name.lowercased() }) else {
            throw KernelLevelError(name: name)
        }
        self = level
    }

    /// The levels this CPU can run, lowest first: what a test compares against the portable one.
    public static var runnable: [KernelLevel] { allCases.filter { $0 <= detected } }

    /// What runs, for `strata version` and the benchmarks' JSON: the active and detected
    /// levels, each kernel's variant, and the CPU's model name.
    public static var report: [String: String] {
        active.kernelNames.merging(["level": active.description, "detected": detected.description, "cpu": CPUSupport.modelName]) { $1 }
    }

    /// What each kernel runs as at this level, for `strata version` and benchmark reports.
    public var kernelNames: [String: String] {
        let inlinedFloat = CPUSupport.compiledForAVX2 ? "swift-simd8-haswell" : nil
        return switch self {
        case .portable: ["f32": inlinedFloat ?? "swift-simd8", "i8": "swift-simd8-widen"]
        case .avx2: ["f32": inlinedFloat ?? "avx2-fma", "i8": "avx2-vpmaddwd"]
        case .avx512: ["f32": inlinedFloat ?? "avx512-fma", "i8": "avx512bw-vpmaddwd"]
        case .avx512VNNI: ["f32": inlinedFloat ?? "avx512-fma", "i8": "avx512vnni-vpdpwssd"]
        }
    }
}

/// A kernel level name that is not one.
public struct KernelLevelError: Error, CustomStringConvertible {
    public var name: String
    public var description: String {
        "kernel level \"\(name)\" is not known: expected one of \(KernelLevel.allCases.map(\.description).joined(separator: ", "))"
    }
}
