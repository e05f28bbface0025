import Foundation
import StrataAnalytics
import StrataGeneration
import StrataStore
import Testing

/// The repository's `Fixtures/` folder, found from this file's path.
enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").path
    static let corpus = folder + "/patterns/onex-nodes.jsonl"
}

/// The learning loop on the fixture corpus: the same prompts generated twice, the second
/// pass standing on the patterns the first one stored.
@Suite struct LearningTests {
    @Test func theFixtureCorpusImportsWholeAndCoversEveryNodeType() throws {
        let workspace = try GenerationWorkspace()
        let report = try workspace.store.importJSONL(path: Fixtures.corpus)
        #expect(report.records == 64)
        #expect(report.added == 64)
        for type in NodeType.buildable {
            var filter = PatternFilter()
            filter.nodeTypes = [type]
            #expect(try workspace.store.count(filter) == 16, "\(type)")
        }
    }

    @Test func aSecondPassIsBetterGroundedAndScoresHigher() throws {
        let workspace = try GenerationWorkspace()
        _ = try workspace.store.importJSONL(path: Fixtures.corpus)
        let generator = try workspace.generator(force: true)
        let prompts = NodeRendererTests.prompts
        let first = GenerationBatchSummary(try prompts.map { try generator.generate(prompt: $0) })
        let second = GenerationBatchSummary(try prompts.map { try generator.generate(prompt: $0) })

        #expect(first.allGatesPassed == prompts.count && second.allGatesPassed == prompts.count)
        #expect(first.storedNew == prompts.count, "every first-pass node is good enough to keep")
        #expect(second.storedNew == 0, "the second pass renders the same code: merged, not stored again")
        #expect(second.hits > first.hits)
        #expect(second.generationsWithHits > first.generationsWithHits)
        #expect(second.meanTopSimilarity > first.meanTopSimilarity)
        #expect(second.meanQuality > first.meanQuality + 0.03, "pass 1 \(first.meanQuality), pass 2 \(second.meanQuality)")
        #expect(try workspace.tracker.records(matching: .all).count == 2 * prompts.count)
    }
}

/// Environments: what a generation stores carries its environment, and a generation scoped to
/// its environment learns from no other environment's patterns or records.
@Suite struct EnvironmentLearningTests {
    func generator(_ workspace: GenerationWorkspace, environment: String, scoped: Bool) throws -> Generator {
        var configuration = GeneratorConfiguration()
        configuration.outputDirectory = workspace.output + "/" + environment
        configuration.environment = environment
        configuration.scopedToEnvironment = scoped
        return try Generator(store: workspace.store, tracker: workspace.tracker, configuration: configuration)
    }

    @Test func aScopedGenerationLearnsOnlyFromItsEnvironment() throws {
        let workspace = try GenerationWorkspace()
        let prompt = "Create PostgreSQL writer Effect node"
        let prod = try generator(workspace, environment: "prod", scoped: false).generate(prompt: prompt)
        let stored = try #require(prod.storedPattern?.storedAs)
        #expect(try workspace.store.pattern(id: stored).tags.contains("env:prod"))
        #expect(try workspace.tracker.records(matching: RecordQuery(environment: "prod")).count == 1)
        // Dev, scoped: prod's node is not retrieved. Unscoped: it is, and grounds the node.
        let scoped = try generator(workspace, environment: "dev", scoped: true).generate(prompt: prompt)
        #expect(!scoped.patterns.map(\.id).contains(stored))
        let shared = try generator(workspace, environment: "staging", scoped: false).generate(prompt: prompt)
        #expect(shared.patterns.first?.id == stored)
        #expect(shared.quality.value > scoped.quality.value)
        #expect(try workspace.tracker.records(matching: RecordQuery(environment: "dev")).count == 1)
        var bad = GeneratorConfiguration()
        bad.environment = "pro d"
        #expect(throws: GenerationError.self) { try Generator(configuration: bad) }
    }
}

/// The store and the tracker share one catalog file: a write of each at once must wait for
/// the other, never fail (a lookup's snapshot made SQLite refuse at once before).
@Suite struct SharedCatalogWriteTests {
    @Test func theStoreAndItsTrackerWriteAtOnce() throws {
        let workspace = try GenerationWorkspace()
        let ids = try (0..<8).map { index in
            try workspace.store.add(NewPattern(id: "p\(index)", text: "def handler_\(index)(rows):\n    return [row for row in rows if row]\n", nodeType: .compute)).storedAs
        }
        let uses = { () throws -> Int in try Set(ids).reduce(0) { $0 + (try workspace.store.pattern(id: $1).usageCount ?? 0) } }
        let before = try uses()
        let failures = Locked(0)
        let (store, tracker) = (workspace.store, workspace.tracker)
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for round in 0..<120 {
                do {
                    if worker == 0 {
                        _ = try store.recordUse(of: ids[round % ids.count], outcome: .success)
                    } else if worker == 2 {
                        // An add reads first (its near-duplicate check), then writes.
                        let subject = ["invoice", "parcel", "ledger", "coupon", "tenant"][round % 5]
                        _ = try store.add(NewPattern(text: "class \(subject.capitalized)Store\(round):\n    def save_\(subject)_\(round)(self, \(subject)):\n        self.rows.append(\(subject))\n", nodeType: .effect))
                    } else {
                        try tracker.record(GenerationRecord(provider: "offline", model: "templates", cost: 0, quality: 0.8))
                    }
                } catch {
                    failures.add()
                }
            }
        }
        #expect(failures.value == 0)
        #expect(try workspace.tracker.count() == 240)
        #expect(try uses() - before == 120)
    }
}
