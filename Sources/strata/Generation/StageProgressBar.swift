import Foundation
import StrataGeneration

/// A one-line progress bar over the generation stages on standard error, redrawn in place on
/// a terminal, one line per stage otherwise; silent when disabled.
final class StageProgressBar {
    private let enabled: Bool
    private let terminal = isatty(STDERR_FILENO) != 0
    private var done = 0
    private let total = GenerationStage.allCases.count

    init(enabled: Bool) {
        self.enabled = enabled
    }

    func advance(_ timing: StageTiming) {
        guard enabled else { return }
        done += 1
        let width = 24
        let filled = width * done / total
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let status = timing.status == .ran ? "" : " (\(timing.status.rawValue))"
        let line = String(format: "[%@] %2d/%d %@%@ %.1f ms", bar, done, total, timing.stage.rawValue, status, timing.milliseconds)
        FileHandle.standardError.write(Data((terminal ? "\r\u{1B}[2K" + line : line + "\n").utf8))
    }

    func finish() {
        if enabled, terminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
