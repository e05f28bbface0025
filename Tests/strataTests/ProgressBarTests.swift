import Testing
import strata

/// The CLI's progress line, as it is drawn (the drawing itself is tested through the binary
/// in StoreCLITests).
@Suite struct ProgressBarTests {
    @Test func rendersBarCountsDetailAndTime() {
        #expect(ProgressBar.render(done: 1234, total: 5000, unit: "files", detail: ProgressBar.patterns(12345), elapsed: 3.21, width: 10)
            == "[##........] 1,234/5,000 files  12,345 patterns  3.2 s")
        #expect(ProgressBar.render(done: 5000, total: 5000, unit: "files", detail: ProgressBar.patterns(1), elapsed: 125.4, width: 4)
            == "[####] 5,000/5,000 files  1 pattern  2 min 05 s")
        #expect(ProgressBar.render(done: 0, total: 0, unit: "files", detail: "", elapsed: 0, width: 3)
            == "[...] 0/0 files  0.0 s")
        // Out-of-range input is clamped, not drawn past the bar.
        #expect(ProgressBar.render(done: 9, total: 3, unit: "stages", detail: "review", elapsed: 59.99, width: 0)
            == "[#] 3/3 stages  review  1 min 00 s")
    }
}
