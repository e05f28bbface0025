import Foundation

/// How the dashboard writes times, money and counts. Times are UTC, as budgets and daily
/// trends count days in UTC.
///
/// - Important: Holds `DateFormatter`s, which are not thread-safe: make one per page.
package struct DashboardFormat {
    private let timestampFormatter = Self.formatter("yyyy-MM-dd HH:mm:ss")
    private let dayFormatter = Self.formatter("MMM d")
    private let weekdayFormatter = Self.formatter("EEE d")
    private let hourFormatter = Self.formatter("HH:mm")

    private static func formatter(_ format: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        return formatter
    }

    /// `2026-03-01 14:05:09`.
    func timestamp(_ date: Date) -> String { timestampFormatter.string(from: date) }
    /// `Mar 1`.
    func day(_ date: Date) -> String { dayFormatter.string(from: date) }
    /// `Mon 2`.
    func weekday(_ date: Date) -> String { weekdayFormatter.string(from: date) }
    /// `14:05`.
    func hour(_ date: Date) -> String { hourFormatter.string(from: date) }

    /// US dollars with the digits the amount needs: `$1,234`, `$12.30`, `$0.045`, `$0.0012`.
    package static func dollars(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude == 0 { return "$0" }
        if magnitude >= 1_000 { return "$" + count(Int(value.rounded())) }
        let digits = magnitude >= 1 ? 2 : magnitude >= 0.01 ? 3 : magnitude >= 0.0001 ? 4 : 6
        return "$" + number(value, digits: digits)
    }

    /// A fixed number of decimals.
    static func number(_ value: Double, digits: Int = 2) -> String {
        String(format: "%.\(digits)f", value)
    }

    /// A count with thousands separated by commas: `12,345`.
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// A size in bytes with a binary unit: `512 B`, `3.4 MiB`.
    static func bytes(_ value: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var amount = Double(value), unit = 0
        while amount >= 1_024, unit < units.count - 1 {
            amount /= 1_024
            unit += 1
        }
        return unit == 0 ? "\(value) B" : number(amount, digits: amount < 10 ? 1 : 0) + " " + units[unit]
    }

    /// A fraction as a whole percentage: `0.456` → `46 %`.
    static func percent(_ fraction: Double) -> String {
        "\(Int((fraction * 100).rounded())) %"
    }

    /// `text` cut to `limit` characters, with an ellipsis when cut, on one line.
    static func shortened(_ text: String, limit: Int) -> String {
        let line = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ⏎ ")
        return line.count > limit ? String(line.prefix(limit - 1)) + "…" : line
    }
}
