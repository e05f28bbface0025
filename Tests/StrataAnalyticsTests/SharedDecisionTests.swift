import Foundation
import Testing
import StrataTestSupport
import StrataAnalytics
import StrataStore
import Synchronization

/// Decisions several processes share through one catalog: spending against a budget and
/// moving a canary. Each process is played by a connection of its own, on each backend.
@Suite struct SharedDecisionTests {
    /// One catalog that several connections open: a SQLite file, or a PostgreSQL schema.
    static func sharedCatalog(_ backend: CatalogBackend) throws -> (location: CatalogLocation, cleanup: () -> Void) {
        if let location = try backend.storeCatalog() { return (location, {}) }
        let path = NSTemporaryDirectory() + "strata-shared-\(UUID().uuidString).sqlite"
        return (.sqlite(path: path), { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } })
    }

    @Test(arguments: CatalogBackend.available)
    func concurrentSpendsNeverOverrunABudget(_ backend: CatalogBackend) throws {
        let (location, cleanup) = try Self.sharedCatalog(backend)
        defer { cleanup() }
        let replicas = try (0..<3).map { _ in try PerformanceTracker(catalog: AnalyticsCatalog(location: location, create: true)) }
        try replicas[0].budgets.set(Budget(project: "shop", period: .month, limit: 10))
        let now = Date()
        // Three replicas try 20 generations of $0.75 each at once: 13 fit ($9.75).
        let accepted = Mutex(0)
        let refused = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: replicas.count) { replica in
            for attempt in 0..<20 {
                let record = GenerationRecord(time: now, project: "shop", provider: "openai", model: "m\(replica)-\(attempt)", cost: 0.75)
                do {
                    try replicas[replica].recordWithinBudgets(record)
                    accepted.withLock { $0 += 1 }
                } catch let error as AnalyticsError {
                    if case .overBudget = error { refused.withLock { $0 += 1 } }
                } catch {}
            }
        }
        #expect(accepted.withLock { $0 } == 13 && refused.withLock { $0 } == 47)
        let spent = try replicas[1].budgets.status(project: "shop", at: now)[0].spent
        #expect(abs(spent - 9.75) < 1e-9, "spent \(spent) of a $10 budget")
        let error = try #require(throws: AnalyticsError.self) {
            try replicas[2].recordWithinBudgets(GenerationRecord(time: now, project: "shop", provider: "openai", model: "m", cost: 0.5))
        }
        #expect("\(error)".contains("past its month budget: $9.75 of $10.00 spent"))
    }

    @Test(arguments: CatalogBackend.available)
    func twoReplicasNeverBothPromoteOneCanary(_ backend: CatalogBackend) throws {
        let (location, cleanup) = try Self.sharedCatalog(backend)
        defer { cleanup() }
        let first = try MigrationLog(catalog: AnalyticsCatalog(location: location, create: true))
        let second = try MigrationLog(catalog: AnalyticsCatalog(location: location, create: true))
        let start = Date(timeIntervalSince1970: 1_780_000_000)
        let canary = MigrationState.canary(from: "premium", to: "cheap", share: 0.1)
        try first.append(MigrationDecision(stage: "generate", time: start, action: .startCanary, before: .stable(model: "premium"), after: canary, evidence: MigrationEvidence(), reason: "cheap is non-inferior"))

        var engines = try [MigrationEngine(log: first), MigrationEngine(log: second)]
        #expect(engines.allSatisfy { $0.state(of: "generate") == canary })
        let promote = MigrationDecision(stage: "generate", time: start.addingTimeInterval(3600), action: .promote, before: canary,
                                        after: .promoted(from: "premium", to: "cheap"), evidence: MigrationEvidence(), reason: "quality held")
        let rollBack = MigrationDecision(stage: "generate", time: start.addingTimeInterval(3601), action: .rollBack, before: canary,
                                         after: .rolledBack(to: "premium", from: "cheap"), evidence: MigrationEvidence(), reason: "quality dropped")
        try engines[0].apply(promote)
        // The second replica decided from the canary too: refused, and it now knows the promotion.
        #expect(throws: AnalyticsError.self) { try engines[1].apply(rollBack) }
        #expect(engines[1].state(of: "generate") == .promoted(from: "premium", to: "cheap"))
        #expect(try second.decisions(stage: "generate").map(\.action) == [.startCanary, .promote])
    }
}
