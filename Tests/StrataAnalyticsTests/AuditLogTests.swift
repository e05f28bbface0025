import Foundation
import StrataAnalytics
import StrataStore
import StrataTestSupport
import Synchronization
import Testing

/// The audit log as writers fill it: one record per write of every kind, none for a refused
/// one, and exactly one each when threads and replicas write at once.
@Suite struct AuditLogTests {
    static func folder() -> String {
        let path = NSTemporaryDirectory() + "strata-audit-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func store(_ directory: String, _ backend: CatalogBackend) throws -> PatternStore {
        var configuration = StoreConfiguration()
        configuration.dimension = 64
        configuration.nearDuplicateSimilarity = nil
        return try PatternStore.create(at: directory, catalog: try backend.storeCatalog(), configuration: configuration, embedder: CodeEmbedder(dimension: 64), settings: .builtin)
    }

    static func text(_ index: Int) -> String {
        "def handler_\(index)(request_\(index)):\n    return respond_\(index)(request_\(index).body)\n"
    }

    @Test(arguments: CatalogBackend.available)
    func everyKindOfWriteIsRecordedOnceAndARefusedOneNot(backend: CatalogBackend) throws {
        let directory = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try Self.store(directory, backend)
        defer { try? store.close() }
        let tracker = try PerformanceTracker(catalog: AnalyticsCatalog(location: store.catalogLocation, create: false))
        try AuditContext.$current.withValue(AuditContext(actor: "key:abc", tenant: "default", requestID: "r-7")) {
            try store.add(NewPattern(id: "a", text: Self.text(1)))
            try store.upsert(NewPattern(id: "a", text: Self.text(2)))
            try store.recordUse(of: "a", outcome: .success, quality: 0.9)
            #expect(throws: StoreError.self) { try store.add(NewPattern(id: "v", text: "", vector: [1, 2, 3])) }
            #expect(throws: StoreError.self) { try store.delete(id: "nothing") }
            try tracker.record(GenerationRecord(provider: "openai", model: "gpt-test", cost: 0.02))
            try tracker.budgets.set(Budget(project: "p", period: .month, limit: 10))
            try tracker.budgets.set(Budget(project: "p", period: .month, limit: 20))
            try store.delete(id: "a")
        }
        let records = try StoreAudit(store: store).entries()
        #expect(records.map(\.event.action) == ["patterns.add", "patterns.replace", "patterns.use", "generation.record", "budget.set", "budget.set", "patterns.delete"])
        #expect(records.allSatisfy { $0.actor == "key:abc" && $0.requestID == "r-7" })
        let replace = records[1].event
        #expect(replace.subject == "a" && replace.before == AuditTrail.digest(Pattern.contentHash(of: Self.text(1))) && replace.after == AuditTrail.digest(Pattern.contentHash(of: Self.text(2))))
        #expect(records[4].event.before == nil && records[5].event.before != nil && records[5].event.before == records[4].event.after)
        #expect(records[6].event.before == Pattern.contentHash(of: Self.text(2)))
        #expect(try StoreAudit(store: store).verify().holds)
    }

    /// Threads on each replica (two replicas of a PostgreSQL store; one store on SQLite,
    /// whose folder one process holds) make `operations` mixed writes: exactly that many
    /// records, one chain. `STRATA_AUDIT_OPERATIONS` sets the count (10,000 for the figure
    /// in the notes).
    @Test(arguments: CatalogBackend.available)
    func concurrentWritersOnTwoReplicasGiveExactlyOneRecordEach(backend: CatalogBackend) throws {
        let operations = ProcessInfo.processInfo.environment["STRATA_AUDIT_OPERATIONS"].flatMap(Int.init) ?? 400
        let directory = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try Self.store(directory, backend)
        defer { try? first.close() }
        let second = backend == .postgres ? try PatternStore.open(at: directory) : first
        defer { if second !== first { try? second.close() } }
        let replicas = try [first, second].map { store in
            (store: store, tracker: try PerformanceTracker(catalog: AnalyticsCatalog(location: store.catalogLocation, create: false)))
        }
        let threads = 4
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            let (store, tracker) = replicas[thread % 2]
            var index = thread
            while index < operations {
                do {
                    switch index % 5 {
                    case 0, 1: try store.add(NewPattern(id: "p\(index)", text: Self.text(index)))
                    case 2: try tracker.record(GenerationRecord(provider: "openai", model: "m\(thread)", cost: 0.01))
                    case 3: try tracker.budgets.set(Budget(project: "t\(thread)", period: .day, limit: Double(index + 1)))
                    default: try store.add([NewPattern(id: "p\(index)", text: Self.text(index))], existing: .replace)
                    }
                } catch {
                    failures.withLock { $0.append("\(index): \(error)") }
                }
                index += threads
            }
        }
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0.prefix(3) })")
        let audit = StoreAudit(store: first)
        let verdict = try audit.verify()
        #expect(verdict.holds, "\(verdict.problem ?? "")")
        #expect(verdict.checked == operations)
        let records = try audit.entries(AuditQuery(limit: 100_000))
        #expect(records.map(\.sequence) == Array(1...Int64(operations)))
    }
}
