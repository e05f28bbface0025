import Foundation
import StrataCatalog
import StrataStore

/// Every generation's model, time, tokens, cost and quality, kept in the store's catalog,
/// and the statistics, trends, prices and budgets computed from them.
///
/// ```swift
/// let tracker = try PerformanceTracker(catalog: AnalyticsCatalog.open(storeDirectory: path))
/// try tracker.prices.set(Price(provider: "openai", model: "gpt-4o-mini", inputPerMillion: 0.15, outputPerMillion: 0.6))
/// try tracker.record(GenerationRecord(provider: "openai", model: "gpt-4o-mini", inputTokens: 900, outputTokens: 300, quality: 0.82))
/// let perModel = try tracker.statistics(groupBy: [.model, .stage])
/// ```
///
/// - Important: Thread-safe: every use of the catalog connection, by the tracker, its
///   ``prices`` and its ``budgets``, holds one lock.
public final class PerformanceTracker: @unchecked Sendable {
    let catalog: AnalyticsCatalog
    private let lock = NSLock()

    /// Takes ownership of `catalog`, creating or upgrading the generation, price and budget
    /// tables in it.
    public init(catalog: AnalyticsCatalog) throws(AnalyticsError) {
        self.catalog = catalog
        try catalog.migrate(Self.generationsSchema)
        try catalog.migrate(PriceCatalog.schema)
        try catalog.migrate(BudgetLedger.schema)
    }

    /// The tracker of the store in `storeDirectory`, or of the catalog `catalog` names.
    public static func open(storeDirectory: String, catalog: CatalogLocation? = nil) throws(AnalyticsError) -> PerformanceTracker {
        try PerformanceTracker(catalog: AnalyticsCatalog.open(storeDirectory: storeDirectory, catalog: catalog))
    }

    /// The prices that turn tokens into dollars for records recorded without a cost.
    public var prices: PriceCatalog { PriceCatalog(tracker: self) }

    /// Per-project spending limits, their alerts and forecasts.
    public var budgets: BudgetLedger { BudgetLedger(tracker: self) }

    /// Stores one generation.
    ///
    /// - Returns: the record as stored: its row id, and its cost computed from the price
    ///   catalog when it had none.
    /// - Throws: ``AnalyticsError/invalidArgument(name:value:expected:)`` for a field out of
    ///   range, ``AnalyticsError/missingPrice(provider:model:time:)`` when the cost is nil and
    ///   no price is in effect at the record's time.
    @discardableResult
    public func record(_ generation: GenerationRecord) throws(AnalyticsError) -> GenerationRecord {
        try record([generation])[0]
    }

    /// Stores `batch` in one transaction: all of it, or (on any error) none of it.
    @discardableResult
    public func record(_ batch: [GenerationRecord]) throws(AnalyticsError) -> [GenerationRecord] {
        try record(batch) { _, error in error }
    }

    /// Stores `batch` and ends `holds` (the budget holds of the calls it records) in one
    /// transaction, so the spend is never counted twice nor missed between the two.
    @discardableResult
    public func record(_ batch: [GenerationRecord], releasing holds: [BudgetHold]) throws(AnalyticsError) -> [GenerationRecord] {
        try record(batch, releasing: holds) { _, error in error }
    }

    /// Checks and prices every record before writing any; `describe` turns the error of the
    /// record at an index into the one thrown (the JSONL import names the file and line).
    func record(
        _ batch: [GenerationRecord], releasing holds: [BudgetHold] = [], describe: (Int, AnalyticsError) -> AnalyticsError
    ) throws(AnalyticsError) -> [GenerationRecord] {
        try withCatalog { catalog throws(AnalyticsError) in
            var prepared: [GenerationRecord] = []
            prepared.reserveCapacity(batch.count)
            for (index, record) in batch.enumerated() {
                do throws(AnalyticsError) {
                    prepared.append(try prepare(record, catalog: catalog))
                } catch {
                    throw describe(index, error)
                }
            }
            let write = { () throws(CatalogError) -> [GenerationRecord] in
                for index in prepared.indices {
                    prepared[index].id = try self.insert(prepared[index], into: catalog.database)
                }
                try BudgetLedger.delete(holds, in: catalog.database)
                return prepared
            }
            guard !holds.isEmpty else { return try catalog.transaction(write) }
            // Exclusive, as holding is: a replica holding between reading the spend and the
            // holds must not miss this cost in both.
            return try catalog.exclusiveTransaction { () throws(AnalyticsError) in try catalog.run(write) }
        }
    }

    /// Stores one generation only if its cost keeps its project within every budget of its
    /// environment for the period it falls in, after what is held for calls under way: the
    /// check and the write are one exclusive transaction, so replicas spending at once never
    /// take a budget past its limit between them.
    ///
    /// - Throws: ``AnalyticsError/overBudget(project:period:limit:spent:cost:)`` when it would
    ///   pass one (nothing is stored), and what ``record(_:)-(GenerationRecord)`` throws.
    @discardableResult
    public func recordWithinBudgets(_ generation: GenerationRecord) throws(AnalyticsError) -> GenerationRecord {
        try withCatalog { catalog throws(AnalyticsError) in
            var prepared = try prepare(generation, catalog: catalog)
            let cost = prepared.cost ?? 0
            return try catalog.exclusiveTransaction { () throws(AnalyticsError) -> GenerationRecord in
                for budget in try BudgetLedger.budgets(project: prepared.project, in: catalog) where budget.applies(to: prepared.environment) {
                    let spent = try catalog.run { () throws(CatalogError) in try BudgetLedger.committed(to: budget, at: prepared.time, in: catalog.database) }
                    if spent + cost > budget.limit {
                        throw .overBudget(project: prepared.project, period: budget.period.rawValue, limit: budget.limit, spent: spent, cost: cost)
                    }
                }
                prepared.id = try catalog.run { () throws(CatalogError) in try insert(prepared, into: catalog.database) }
                return prepared
            }
        }
    }

    /// Runs `body` with the catalog, holding the tracker's lock.
    func withCatalog<T>(_ body: (AnalyticsCatalog) throws(AnalyticsError) -> T) throws(AnalyticsError) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(catalog)
    }

    private func prepare(_ record: GenerationRecord, catalog: AnalyticsCatalog) throws(AnalyticsError) -> GenerationRecord {
        try record.validate()
        var prepared = record
        if prepared.cost == nil {
            guard let price = try PriceCatalog.price(provider: record.provider, model: record.model, at: record.time, in: catalog) else {
                throw .missingPrice(provider: record.provider, model: record.model, time: GenerationRecord.timestamp(record.time))
            }
            prepared.cost = price.cost(inputTokens: record.inputTokens, outputTokens: record.outputTokens)
        }
        return prepared
    }

    private func insert(_ record: GenerationRecord, into database: some CatalogDatabase) throws(CatalogError) -> Int64 {
        let id = try database.statement("""
            INSERT INTO generations(time, project, environment, prompt, node_type, domain, stage, provider, model,
                latency_seconds, input_tokens, output_tokens, cost, quality, gates_passed, gates_failed, pattern_ids,
                top_similarity, outcome)
            VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
            """)
            .bind(1, record.time.timeIntervalSince1970).bind(2, record.project).bind(3, record.environment)
            .bind(4, record.prompt).bind(5, record.nodeType).bind(6, record.domain).bind(7, record.stage)
            .bind(8, record.provider).bind(9, record.model).bind(10, record.latencySeconds)
            .bind(11, record.inputTokens).bind(12, record.outputTokens).bind(13, record.cost).bind(14, record.quality)
            .bind(15, GenerationRecord.encodeList(record.gatesPassed)).bind(16, GenerationRecord.encodeList(record.gatesFailed))
            .bind(17, GenerationRecord.encodeList(record.patternIDs)).bind(18, record.topSimilarity)
            .bind(19, record.outcome.rawValue)
            .runReturning()
        guard let id else { throw CatalogError(.statementFailed, "the generation was not stored (no id came back)") }
        try AuditTrail.append([AuditEvent(
            action: "generation.record", subject: "\(id): \(record.provider)/\(record.model), project \(record.project), \(record.environment)",
            after: AuditTrail.digest(String(decoding: (try? JSONSerialization.data(withJSONObject: record.jsonObject, options: [.sortedKeys])) ?? Data(), as: UTF8.self)))], in: database)
        return id
    }

    static let generationsSchema = CatalogSchema(component: "generations", versionRecord: .table("analytics_schema"), migrations: [
        CatalogMigration(
            sqlite: """
            CREATE TABLE generations(
                id INTEGER PRIMARY KEY,
                time REAL NOT NULL,
                project TEXT NOT NULL,
                environment TEXT NOT NULL,
                prompt TEXT NOT NULL,
                node_type TEXT NOT NULL,
                domain TEXT NOT NULL,
                stage TEXT NOT NULL,
                provider TEXT NOT NULL,
                model TEXT NOT NULL,
                latency_seconds REAL NOT NULL,
                input_tokens INTEGER NOT NULL,
                output_tokens INTEGER NOT NULL,
                cost REAL NOT NULL,
                quality REAL,
                gates_passed TEXT NOT NULL,
                gates_failed TEXT NOT NULL,
                pattern_ids TEXT NOT NULL,
                top_similarity REAL,
                outcome TEXT NOT NULL
            );
            CREATE INDEX generations_time ON generations(time);
            CREATE INDEX generations_model_time ON generations(model, time);
            CREATE INDEX generations_project_time ON generations(project, time);
            """,
            postgres: """
            CREATE TABLE generations(
                id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                time DOUBLE PRECISION NOT NULL,
                project TEXT NOT NULL,
                environment TEXT NOT NULL,
                prompt TEXT NOT NULL,
                node_type TEXT NOT NULL,
                domain TEXT NOT NULL,
                stage TEXT NOT NULL,
                provider TEXT NOT NULL,
                model TEXT NOT NULL,
                latency_seconds DOUBLE PRECISION NOT NULL,
                input_tokens BIGINT NOT NULL,
                output_tokens BIGINT NOT NULL,
                cost DOUBLE PRECISION NOT NULL,
                quality DOUBLE PRECISION,
                gates_passed TEXT NOT NULL,
                gates_failed TEXT NOT NULL,
                pattern_ids TEXT NOT NULL,
                top_similarity DOUBLE PRECISION,
                outcome TEXT NOT NULL
            );
            CREATE INDEX generations_time ON generations(time);
            CREATE INDEX generations_model_time ON generations(model, time);
            CREATE INDEX generations_project_time ON generations(project, time);
            """),
    ])
}
