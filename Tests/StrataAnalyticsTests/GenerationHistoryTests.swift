import Foundation
import StrataAnalytics
import Testing

@Suite struct GenerationHistoryTests {
    /// The tracker and the in-memory history answer the same question the same way: a stage's
    /// records since a time, oldest first.
    @Test func trackerAndMemoryAgreeOnAStagesRecordsSinceATime() throws {
        let start = Date(timeIntervalSince1970: 1_767_225_600)
        var records: [GenerationRecord] = []
        for index in 0..<40 {
            // Out of time order on purpose.
            let minute = Double((index * 17) % 40)
            records.append(GenerationRecord(time: start.addingTimeInterval(60 * minute), stage: index % 2 == 0 ? "generate" : "refine",
                                            provider: "p", model: "m\(index % 3)", cost: 0.001, quality: 0.8))
        }
        let tracker = try PerformanceTracker(catalog: AnalyticsCatalog.inMemory())
        try tracker.record(records)
        var memory = InMemoryGenerationHistory()
        for record in records { memory.append(record) }
        let histories: [any GenerationHistory] = [tracker, memory]
        let since = start.addingTimeInterval(60 * 10)
        let answers = try histories.map { try $0.records(stage: "generate", since: since).map { "\($0.time.timeIntervalSince1970)/\($0.model)" } }
        #expect(answers[0] == answers[1])
        #expect(answers[0].count == records.filter { $0.stage == "generate" && $0.time >= since }.count)
        let times = try tracker.records(stage: nil, since: nil).map(\.time)
        #expect(times == times.sorted())
        #expect(times.count == 40)
    }
}
