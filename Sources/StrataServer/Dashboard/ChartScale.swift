import Foundation
import StrataAnalytics

/// Where a data value lands along a chart axis (0 at the low end, 1 at the high end), and
/// the round values the axis is labelled at.
struct ChartScale: Sendable, Equatable {
    /// The value at the low end of the axis.
    var lower: Double
    /// The value at the high end of the axis.
    var upper: Double
    /// Whether positions follow the logarithm of the value (decades equally spaced).
    var logarithmic: Bool
    /// The values the axis is labelled and gridded at, ascending.
    var ticks: [Double]

    /// The position of `value`, from 0 to 1; values outside the axis are pinned to its ends.
    func position(_ value: Double) -> Double {
        let fraction = logarithmic
            ? (log10(max(value, lower)) - log10(lower)) / (log10(upper) - log10(lower))
            : (value - lower) / (upper - lower)
        return fraction.isFinite ? min(max(fraction, 0), 1) : 0
    }

    /// An axis from `lower` to `upper`, both widened to round steps, with about five ticks
    /// (quarters of a 1, 2, 2.5 or 5 × 10ⁿ step).
    static func linear(_ lower: Double, _ upper: Double) -> ChartScale {
        let span = upper - lower > 1e-12 ? upper - lower : max(abs(upper), 1)
        let step = SVGChart.niceCeiling(span / 4)
        let low = (lower / step).rounded(.down) * step
        let high = max((upper / step - 1e-9).rounded(.up) * step, low + step)
        let count = Int(((high - low) / step).rounded())
        return ChartScale(lower: low, upper: high, logarithmic: false, ticks: (0...count).map { low + Double($0) * step })
    }

    /// Whole decades covering `low` to `high` (both above zero), a tick at each: for values
    /// that span orders of magnitude, such as model prices.
    static func decades(_ low: Double, _ high: Double) -> ChartScale {
        let first = Int(log10(low).rounded(.down))
        let last = max(Int(log10(high).rounded(.up)), first + 1)
        let ticks = (first...last).map { pow(10, Double($0)) }
        return ChartScale(lower: ticks[0], upper: ticks[ticks.count - 1], logarithmic: true, ticks: ticks)
    }

    /// A linear axis from zero, unless the positive `values` span more than `ratio` times,
    /// when decades show the cheap end as clearly as the dear one.
    static func fromZeroOrDecades(_ values: [Double], ratio: Double = 30) -> ChartScale {
        let positive = values.filter { $0 > 0 }
        if positive.count == values.count, let low = positive.min(), let high = positive.max(), high / low > ratio {
            return decades(low, high)
        }
        return linear(0, (values.max() ?? 0) * 1.08)
    }
}
