import Foundation

/// The CLI's one progress bar, on standard error (public only so that its tests can import
/// the executable's module):
///
/// ```
/// [##########..........] 1,234/5,000 files  12,345 patterns  3.2 s
/// ```
///
/// On a terminal it is redrawn in place, at most every ``minimumInterval`` (the last step
/// always), and ended with a newline. Piped, a bar of many small steps (ingest) draws
/// nothing, and one of few long ones (the generation's stages) writes a line per step, so a
/// log still shows where the time went. `STRATA_PROGRESS=always` or `never` overrides the
/// terminal check (tests, CI logs).
public final class ProgressBar {
    /// How a step shows when standard error is not a terminal.
    enum Piped {
        case silent
        case linePerStep
    }

    /// Shortest time between two redraws on a terminal.
    static let minimumInterval: Duration = .milliseconds(100)
    /// Cells of the bar.
    static let width = 20

    private let total: Int
    private let unit: String
    private let inPlace: Bool
    private let enabled: Bool
    private let started = ContinuousClock.now
    private var lastDrawn: ContinuousClock.Instant?

    /// A bar over `total` steps counted in `unit` ("files", "stages"); `enabled` false draws
    /// nothing at all (`--json` output).
    init(total: Int, unit: String, piped: Piped, enabled: Bool = true) {
        self.total = total
        self.unit = unit
        let terminal: Bool = switch ProcessInfo.processInfo.environment["STRATA_PROGRESS"] {
        case "always": true
        case "never": false
        default: isatty(STDERR_FILENO) != 0
        }
        inPlace = terminal
        self.enabled = enabled && (terminal || piped == .linePerStep)
    }

    /// Shows `done` steps with `detail` after the count.
    func update(done: Int, detail: String) {
        guard enabled else { return }
        let now = ContinuousClock.now
        if inPlace, let lastDrawn, now - lastDrawn < Self.minimumInterval, done < total { return }
        lastDrawn = now
        let line = Self.render(done: done, total: total, unit: unit, detail: detail, elapsed: seconds(now - started), width: Self.width)
        emit(inPlace ? "\r\u{1B}[2K" + line : line + "\n")
    }

    /// Shows the final state and ends the line.
    func finish(done: Int, detail: String) {
        guard enabled else { return }
        lastDrawn = nil
        update(done: done, detail: detail)
        if inPlace { emit("\n") }
    }

    /// One line, without `\r` or newline: `[###.......] 1,234/5,000 files  detail  3.2 s`.
    /// `done` is clamped to `0...total`; a total of 0 draws an empty bar.
    public static func render(done: Int, total: Int, unit: String, detail: String, elapsed: Double, width: Int) -> String {
        let cells = max(1, width)
        let total = max(0, total)
        let done = min(max(0, done), total)
        let filled = total == 0 ? 0 : done * cells / total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: cells - filled)
        let counted = "\(grouped(done))/\(grouped(total)) \(unit)"
        return "[\(bar)] " + (detail.isEmpty ? counted : counted + "  " + detail) + "  " + duration(elapsed)
    }

    /// `12345` → `12,345`, whatever the locale.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return value < 0 ? "-" + result : result
    }

    /// Tenths of a second under a minute (`3.2 s`), then minutes and seconds (`2 min 05 s`).
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

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private func emit(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// `1 pattern`, `12,345 patterns`: the ingest's detail.
    public static func patterns(_ count: Int) -> String {
        grouped(count) + (count == 1 ? " pattern" : " patterns")
    }
}
