import ArgumentParser
import Foundation
import StrataAnalytics

extension StoreOptions {
    /// The performance tracker over this store's catalog.
    func tracker() throws -> PerformanceTracker { try PerformanceTracker.open(storeDirectory: path, catalog: catalog()) }
}

/// A date given on the command line: `yyyy-mm-dd` (midnight UTC), ISO 8601, or epoch seconds.
struct DateArgument: ExpressibleByArgument {
    var date: Date

    init?(argument: String) {
        if let seconds = Double(argument) {
            date = Date(timeIntervalSince1970: seconds)
            return
        }
        for style in [Date.ISO8601FormatStyle(includingFractionalSeconds: true), Date.ISO8601FormatStyle(), Date.ISO8601FormatStyle().year().month().day()] {
            if let parsed = try? style.parse(argument) {
                date = parsed
                return
            }
        }
        return nil
    }

    static var defaultCompletionKind: CompletionKind { .default }
}

extension BudgetPeriod: ExpressibleByArgument {}

/// Dollars with enough digits for a cent fraction of a cheap call.
func dollars(_ value: Double) -> String {
    value >= 1 ? String(format: "$%.2f", value) : String(format: "$%.4f", value)
}
