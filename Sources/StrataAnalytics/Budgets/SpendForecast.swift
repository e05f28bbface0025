import Foundation

/// The expected spend at the end of a budget period, with an interval.
public struct SpendForecast: Sendable, Equatable {
    /// How the forecast was made.
    public enum Method: String, Sendable, Codable {
        /// Ordinary least squares on the daily spend of the period's completed days
        /// (three or more), extended to the period's end; a t-based prediction interval.
        case linearTrend = "linear_trend"
        /// Fewer than three completed days: spend so far divided by the time elapsed, times
        /// the period. The interval spans a third to three times the remaining spend at that
        /// rate: a rough figure, marked as such.
        case runRate = "run_rate"
    }

    public var method: Method
    /// Dollars expected by the end of the period.
    public var expected: Double
    public var low: Double
    public var high: Double
    /// The interval's coverage (0.95 for the linear trend; nominal for the run rate).
    public var confidence: Double
    /// Completed days the forecast was fitted on.
    public var daysObserved: Int

    /// Forecasts a period's end spend.
    ///
    /// - Parameters:
    ///   - dailySpend: dollars per completed day of the period, in order.
    ///   - spentToday: dollars so far on the current (incomplete) day.
    ///   - dayFraction: how much of the current day has passed (0–1).
    ///   - periodDays: days in the whole period.
    public static func project(dailySpend: [Double], spentToday: Double, dayFraction: Double, periodDays: Int, confidence: Double = 0.95) -> SpendForecast {
        let spent = dailySpend.reduce(0, +) + spentToday
        let k = dailySpend.count
        guard k >= 3 else {
            let elapsed = max(Double(k) + dayFraction, 1.0 / 24)
            let ahead = spent / elapsed * max(Double(periodDays) - elapsed, 0)
            return SpendForecast(method: .runRate, expected: spent + ahead, low: spent + ahead / 3, high: spent + 3 * ahead, confidence: confidence, daysObserved: k)
        }
        // Fit spend_t = a + b·t on t = 0..k-1.
        let n = Double(k)
        let ts = (0..<k).map(Double.init)
        let sumT = ts.reduce(0, +), sumTT = ts.reduce(0) { $0 + $1 * $1 }
        let sumY = dailySpend.reduce(0, +), sumTY = zip(ts, dailySpend).reduce(0) { $0 + $1.0 * $1.1 }
        let determinant = n * sumTT - sumT * sumT
        let slope = (n * sumTY - sumT * sumY) / determinant
        let intercept = (sumY - slope * sumT) / n
        let residuals = zip(ts, dailySpend).map { $1 - intercept - slope * $0 }
        let variance = residuals.reduce(0) { $0 + $1 * $1 } / (n - 2)
        // The rest of today counts for the part of it still to come.
        var expected = spent, weights = 0.0, sumWeight = 0.0, sumWeightT = 0.0
        for day in k..<max(periodDays, k + 1) {
            let weight = day == k ? 1 - dayFraction : 1
            expected += weight * max(intercept + slope * Double(day), 0)
            weights += weight * weight
            sumWeight += weight
            sumWeightT += weight * Double(day)
        }
        // Var(Σ w_j ŷ_j) = σ² sᵀ(XᵀX)⁻¹s with s = Σ w_j (1, t_j); plus σ² Σ w_j² of new noise.
        let parameterVariance = (sumTT * sumWeight * sumWeight - 2 * sumT * sumWeight * sumWeightT + n * sumWeightT * sumWeightT) / determinant
        let half = Quantiles.twoSided(confidence: confidence, degreesOfFreedom: n - 2) * (variance * (weights + parameterVariance)).squareRoot()
        return SpendForecast(method: .linearTrend, expected: expected, low: max(spent, expected - half), high: expected + half, confidence: confidence, daysObserved: k)
    }
}
