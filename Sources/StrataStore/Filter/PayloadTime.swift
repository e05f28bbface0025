import Foundation

/// Date-times as payloads and Qdrant's range bounds write them: RFC 3339 and its common
/// relaxations, read to seconds since 1970.
///
/// Accepted: `2023-02-08`, `2023-02-08T10:49`, `2023-02-08T10:49:00`, with a fraction
/// (`.123456`), a `T`, `t` or space between date and time, and a zone `Z`, `+01:00`, `-0530`
/// or none (UTC). Read by hand rather than by a date formatter: a filter reads one per
/// candidate value, and this costs tens of nanoseconds where a formatter costs microseconds.
public enum PayloadTime {
    /// Seconds since 1970-01-01T00:00:00Z, or nil when `text` is not such a date-time.
    public static func seconds(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { seconds(bytes: $0) }
    }

    private static func seconds(bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var position = 0
        func digits(_ count: Int) -> Int? {
            guard position + count <= bytes.count else { return nil }
            var value = 0
            for _ in 0..<count {
                let digit = Int(bytes[position]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
                position += 1
            }
            return value
        }
        func take(_ character: Character) -> Bool {
            guard position < bytes.count, bytes[position] == character.asciiValue! else { return false }
            position += 1
            return true
        }
        guard let year = digits(4), take("-"), let month = digits(2), take("-"), let day = digits(2),
              (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
        else { return nil }
        var seconds = Double(daysSince1970(year: year, month: month, day: day)) * 86_400
        guard position < bytes.count else { return seconds }
        guard take("T") || take("t") || take(" "), let hour = digits(2), take(":"), let minute = digits(2),
              hour < 24, minute < 60
        else { return nil }
        seconds += Double(hour * 3_600 + minute * 60)
        if take(":") {
            guard let second = digits(2), second <= 60 else { return nil }
            seconds += Double(second)
            if take(".") {
                var scale = 0.1
                let start = position
                while position < bytes.count, (48...57).contains(bytes[position]) {
                    seconds += Double(bytes[position] - 48) * scale
                    scale /= 10
                    position += 1
                }
                guard position > start else { return nil }
            }
        }
        if take("Z") || take("z") { return position == bytes.count ? seconds : nil }
        guard position < bytes.count else { return seconds }
        let sign: Double = take("+") ? -1 : (take("-") ? 1 : 0)
        guard sign != 0, let zoneHour = digits(2), zoneHour < 24 else { return nil }
        _ = take(":")
        guard let zoneMinute = digits(2), zoneMinute < 60, position == bytes.count else { return nil }
        // A zone ahead of UTC means the same clock time came earlier in UTC.
        return seconds + sign * Double(zoneHour * 3_600 + zoneMinute * 60)
    }

    private static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (the civil-from-days inverse).
    private static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let shifted = month <= 2 ? year - 1 : year
        let era = (shifted >= 0 ? shifted : shifted - 399) / 400
        let yearOfEra = shifted - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
