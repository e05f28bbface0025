import CLinearAlgebra
import Foundation

/// The BLAS library Strata runs on, and how many threads it may use.
///
/// Strata parallelizes batched work itself (one block of queries per core, each block one
/// `sgemm`), so OpenBLAS is held to one thread: its own pool would otherwise start a second
/// set of busy threads on the same cores and both would slow down. `STRATA_BLAS_THREADS=N`
/// overrides this for programs that call BLAS from one thread only.
public enum BLAS {
    /// A description of the BLAS in use, for `strata version`.
    public struct Runtime: Sendable, Equatable {
        /// OpenBLAS's build configuration (`openblas_get_config()`), e.g. `OpenBLAS 0.3.21 DYNAMIC_ARCH ...`.
        public var configuration: String
        /// The kernel set chosen for this CPU (`openblas_get_corename()`), e.g. `Haswell`.
        public var coreName: String
        /// Threads OpenBLAS uses per call.
        public var threads: Int
        /// Processors OpenBLAS sees.
        public var processors: Int
    }

    /// Applied once, before the first BLAS call any Strata kernel makes.
    private static let configured: Bool = {
        let requested = ProcessInfo.processInfo.environment["STRATA_BLAS_THREADS"].flatMap(Int32.init) ?? 1
        openblas_set_num_threads(max(1, requested))
        return true
    }()

    /// Makes sure the thread policy above is in force. Cheap after the first call.
    @inline(__always)
    public static func ensureConfigured() {
        _ = configured
    }

    /// The BLAS build and thread count in use.
    public static var runtime: Runtime {
        ensureConfigured()
        return Runtime(
            configuration: String(cString: openblas_get_config()).trimmingCharacters(in: .whitespaces),
            coreName: String(cString: openblas_get_corename()),
            threads: Int(openblas_get_num_threads()),
            processors: Int(openblas_get_num_procs())
        )
    }
}
