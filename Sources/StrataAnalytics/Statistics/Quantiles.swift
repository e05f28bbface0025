import Foundation

/// Quantiles of the distributions that prediction and forecast intervals use.
public enum Quantiles {
    /// The standard normal quantile: `x` with `Φ(x) = probability`.
    ///
    /// Bisection on `Φ(x) = erfc(−x/√2)/2` to the last bit: exact, and cheap for the few
    /// intervals a call asks for.
    public static func normal(_ probability: Double) -> Double {
        precondition(probability > 0 && probability < 1, "a quantile needs a probability strictly between 0 and 1")
        var low = -40.0, high = 40.0
        for _ in 0..<200 {
            let middle = (low + high) / 2
            if middle == low || middle == high { break }
            if erfc(-middle / 2.0.squareRoot()) / 2 < probability { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }

    /// Student's t quantile with `degreesOfFreedom` (> 0, need not be whole).
    ///
    /// Exact for 1 and 2 degrees of freedom; otherwise the Cornish–Fisher expansion around the
    /// normal quantile (Hill, 1970), within 0.1 % of the exact value from 3 degrees of freedom
    /// on and far closer beyond 10, which is finer than the normal-error assumption behind the
    /// interval itself.
    public static func studentT(_ probability: Double, degreesOfFreedom nu: Double) -> Double {
        precondition(nu > 0, "Student's t needs positive degrees of freedom")
        let centred = probability - 0.5
        if nu == 1 { return tan(.pi * centred) }
        if nu == 2 { return 2 * centred / (2 * probability * (1 - probability)).squareRoot() }
        let z = normal(probability)
        let z2 = z * z, z3 = z2 * z, z5 = z3 * z2, z7 = z5 * z2, z9 = z7 * z2
        let g1 = (z3 + z) / 4
        let g2 = (5 * z5 + 16 * z3 + 3 * z) / 96
        let g3 = (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / 384
        let g4 = (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / 92160
        return z + g1 / nu + g2 / (nu * nu) + g3 / (nu * nu * nu) + g4 / (nu * nu * nu * nu)
    }

    /// The two-sided multiplier for a `confidence` interval (0.95 → 1.96 for large samples).
    public static func twoSided(confidence: Double, degreesOfFreedom: Double) -> Double {
        let probability = 0.5 + confidence / 2
        return degreesOfFreedom > 1000 ? normal(probability) : studentT(probability, degreesOfFreedom: degreesOfFreedom)
    }
}
