import Foundation
import StrataKernels

/// Draws from the distributions the model selector samples (Thompson sampling) and the
/// simulation's hidden world, in double precision and from one seeded stream, so that a
/// seed reproduces every choice.
extension SeededRandom {
    /// Standard normal, Box–Muller in double precision (the kernel's `gaussian()` is `Float`).
    package mutating func standardNormal() -> Double {
        let u1 = max(uniform(), .leastNormalMagnitude), u2 = uniform()
        return (-2 * Foundation.log(u1)).squareRoot() * cos(2 * .pi * u2)
    }

    /// Gamma with the given shape and scale 1 (Marsaglia and Tsang's squeeze method).
    ///
    /// A shape below 1 is drawn at shape + 1 and scaled by `U^(1/shape)`, the usual boost.
    package mutating func gamma(shape: Double) -> Double {
        precondition(shape > 0, "gamma shape must be positive, got \(shape)")
        if shape < 1 {
            return gamma(shape: shape + 1) * pow(max(uniform(), .leastNormalMagnitude), 1 / shape)
        }
        let d = shape - 1.0 / 3.0, c = 1 / (9 * d).squareRoot()
        while true {
            var x = 0.0, v = 0.0
            repeat {
                x = standardNormal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = uniform()
            if u < 1 - 0.0331 * x * x * x * x { return d * v }
            if Foundation.log(max(u, .leastNormalMagnitude)) < 0.5 * x * x + d * (1 - v + Foundation.log(v)) { return d * v }
        }
    }

    /// Beta(a, b) as the ratio of two gamma draws.
    package mutating func beta(_ a: Double, _ b: Double) -> Double {
        let x = gamma(shape: a), y = gamma(shape: b)
        return x / (x + y)
    }
}
