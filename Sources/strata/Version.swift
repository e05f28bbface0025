import ArgumentParser
import StrataKernels

enum StrataVersion {
    static let current = "0.1.0"
}

extension Strata {
    struct Version: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the version, the BLAS library in use and its threads, and the SIMD code generation.")

        func run() {
            let blas = BLAS.runtime
            print("strata \(StrataVersion.current)")
            print("blas: \(blas.configuration)")
            print("blas core: \(blas.coreName), threads per call: \(blas.threads) (of \(blas.processors) processors)")
            print("simd: \(CPUSupport.compiledForAVX2 ? "AVX2+FMA (haswell)" : "baseline x86-64 (SSE2)"); cpu has AVX2+FMA: \(CPUSupport.runningCPUHasAVX2 ? "yes" : "no")")
            let kernels = KernelLevel.report
            print("kernels: \(kernels["level"]!) (f32 \(kernels["f32"]!), i8 \(kernels["i8"]!)); the cpu supports \(kernels["detected"]!); STRATA_KERNELS=portable|avx2|avx512|avx512vnni forces a lower level")
            print("cpu: \(CPUSupport.modelName)")
            print("cores: \(Parallel.coreCount)")
        }
    }
}
