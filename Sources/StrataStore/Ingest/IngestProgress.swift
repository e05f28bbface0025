import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A one-line progress bar for `strata ingest`, redrawn in place on standard error.
///
/// ```
/// [#########...........] 1,234/5,000 files  12,345 patterns  3.2 s
/// ```
///
/// The bar draws only when standard error is a terminal (`isatty(2)`), so logs and pipes get
/// no `\r` noise, and at most every ``minimumInterval`` so a fast ingest does not spend its
/// time writing to the terminal. ``render(done:total:patterns:elapsed:width:)`` is the pure
/// formatting, for tests and other front ends.
///
/// - Important: Not for concurrent use; keep one instance on the thread that reports
///   progress.
public struct IngestProgress: Sendable {
    /// The number of files to process.
    public var total: Int
    /// Whether anything is drawn; defaults to whether standard error is a terminal.
    public var isEnabled: Bool
    /// Cells of the bar. Default 30.
    public var width: Int
    /// Shortest time between redraws. Default 0.1 s.
    public var minimumInterval: Duration

    private let started: ContinuousClock.Instant
    private var lastDrawn: ContinuousClock.Instant?

    /// Starts timing.
    ///
    /// - Parameters:
    ///   - total: Files to process.
    ///   - isEnabled: Draw or not (default: when standard error is a terminal).
    ///   - width: Cells of the bar (default 30).
    ///   - minimumInterval: Shortest time between redraws (default 0.1 s).
    public init(total: Int, isEnabled: Bool = isatty(2) != 0, width: Int = 30, minimumInterval: Duration = .milliseconds(100)) {
        self.total = total
        self.isEnabled = isEnabled
        self.width = width
        self.minimumInterval = minimumInterval
        started = ContinuousClock.now
    }

    /// Seconds since the progress was created.
    public var elapsed: Double {
        let duration = ContinuousClock.now - started
        return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Redraws the line if enough time has passed since the last redraw (always for the last
    /// file).
    public mutating func update(done: Int, patterns: Int) {
        guard isEnabled else { return }
        let now = ContinuousClock.now
        if let lastDrawn, now - lastDrawn < minimumInterval, done < total { return }
        lastDrawn = now
        IngestProgress.emit("\r" + IngestProgress.render(done: done, total: total, patterns: patterns, elapsed: elapsed, width: width))
    }

    /// Draws the final state and ends the line, so later output starts on a fresh one.
    public mutating func finish(done: Int, patterns: Int) {
        guard isEnabled else { return }
        IngestProgress.emit("\r" + IngestProgress.render(done: done, total: total, patterns: patterns, elapsed: elapsed, width: width) + "\n")
    }

    /// Formats one progress line, without `\r` or newline.
    ///
    /// - Parameters:
    ///   - done: Files processed so far (clamped to `0...total`).
    ///   - total: Files in all; 0 draws an empty bar.
    ///   - patterns: Patterns added so far.
    ///   - elapsed: Seconds since the start; under a minute shows tenths (`3.2 s`), then
    ///     minutes and seconds (`2 min 05 s`).
    ///   - width: Cells of the bar, at least 1.
    /// - Returns: A line such as `[###.......] 1,234/5,000 files  12,345 patterns  3.2 s`.
    public static func render(done: Int, total: Int, patterns: Int, elapsed: Double, width: Int) -> String {
        let cells = max(1, width)
        let total = max(0, total)
        let done = min(max(0, done), total)
        let filled = total == 0 ? 0 : done * cells / total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: cells - filled)
        let noun = patterns == 1 ? "pattern" : "patterns"
        return "[\(bar)] \(grouped(done))/\(grouped(total)) files  \(grouped(patterns)) \(noun)  \(duration(elapsed))"
    }

    /// `12345` → `12,345`, whatever the locale, so output and tests agree everywhere.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return value < 0 ? "-" + result : result
    }

    static func duration(_ seconds: Double) -> String {
        let seconds = seconds.isFinite ? max(0, seconds) : 0
        if seconds < 59.95 {
            let tenths = Int((seconds * 10).rounded())
            return "\(tenths / 10).\(tenths % 10) s"
        }
        let whole = Int(seconds.rounded())
        let remainder = whole % 60
        return "\(whole / 60) min \(remainder < 10 ? "0" : "")\(remainder) s"
    }

    /// Writes to standard error unbuffered, so the `\r` redraw shows at once.
    private static func emit(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(2, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }
}
