import Testing
import StrataStore

@Suite struct IngestProgressTests {
    @Test func rendersBarCountsAndTime() {
        #expect(IngestProgress.render(done: 1234, total: 5000, patterns: 12345, elapsed: 3.21, width: 10)
            == "[##........] 1,234/5,000 files  12,345 patterns  3.2 s")
        #expect(IngestProgress.render(done: 5000, total: 5000, patterns: 1, elapsed: 125.4, width: 4)
            == "[####] 5,000/5,000 files  1 pattern  2 min 05 s")
        #expect(IngestProgress.render(done: 0, total: 0, patterns: 0, elapsed: 0, width: 3)
            == "[...] 0/0 files  0 patterns  0.0 s")
        // Out-of-range input is clamped, not drawn past the bar.
        #expect(IngestProgress.render(done: 9, total: 3, patterns: 1_000_000, elapsed: 59.99, width: 0)
            == "[#] 3/3 files  1,000,000 patterns  1 min 00 s")
    }

    @Test func drawsNothingWhenDisabled() {
        var progress = IngestProgress(total: 10, isEnabled: false)
        progress.update(done: 5, patterns: 50)
        progress.finish(done: 10, patterns: 100)
        #expect(progress.elapsed >= 0)
    }
}
