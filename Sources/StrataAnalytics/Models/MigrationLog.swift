import Foundation
import StrataStore

/// The migration engine's decisions, in the catalog's `migration_decisions` table: every
/// state change with its evidence, readable back in order.
public struct MigrationLog: Sendable {
    public let catalog: AnalyticsCatalog

    static let schema = [
        """
        CREATE TABLE migration_decisions(
            id INTEGER PRIMARY KEY,
            stage TEXT NOT NULL,
            time REAL NOT NULL,
            action TEXT NOT NULL,
            before_state TEXT NOT NULL,
            after_state TEXT NOT NULL,
            incumbent TEXT, incumbent_n INTEGER, incumbent_mean REAL, incumbent_sd REAL,
            candidate TEXT, candidate_n INTEGER, candidate_mean REAL, candidate_sd REAL,
            difference REAL, standard_error REAL, statistic REAL, degrees_of_freedom REAL,
            p_value REAL, inferiority_p_value REAL, margin REAL, adjusted INTEGER,
            watch_statistic REAL, watch_threshold REAL, canary_n INTEGER,
            reason TEXT NOT NULL
        );
        CREATE INDEX migration_decisions_stage ON migration_decisions(stage, id);
        """,
    ]

    /// Opens the log in `catalog`, creating its table on first use.
    public init(catalog: AnalyticsCatalog) throws(AnalyticsError) {
        self.catalog = catalog
        try catalog.migrate(component: "migrations", steps: Self.schema)
    }

    /// Writes `decision`; returns its row id.
    ///
    /// The write happens only if the stage is still where the decision started: the last
    /// logged state of the stage, if any, must be `decision.before`. The check and the write
    /// are one exclusive transaction, so two replicas never both promote (or roll back) one
    /// canary.
    ///
    /// - Throws: ``AnalyticsError/migrationStateChanged(stage:found:)`` when another process
    ///   logged a different state first.
    @discardableResult
    public func append(_ decision: MigrationDecision) throws(AnalyticsError) -> Int64 {
        let before = try Self.encode(decision.before), after = try Self.encode(decision.after)
        return try catalog.exclusiveTransaction { () throws(AnalyticsError) -> Int64 in
            let current = try catalog.run { () throws(StoreError) in
                try catalog.database.statement("SELECT after_state FROM migration_decisions WHERE stage = ? ORDER BY id DESC LIMIT 1")
                    .bind(1, decision.stage).rows { $0.string(0) }.first
            }
            if let current, current != before {
                throw .migrationStateChanged(stage: decision.stage, found: current)
            }
            return try catalog.run { () throws(StoreError) in
                try Self.insert(decision, before: before, after: after, into: catalog.database.statement("""
                    INSERT INTO migration_decisions(stage, time, action, before_state, after_state,
                        incumbent, incumbent_n, incumbent_mean, incumbent_sd, candidate, candidate_n, candidate_mean, candidate_sd,
                        difference, standard_error, statistic, degrees_of_freedom, p_value, inferiority_p_value, margin, adjusted,
                        watch_statistic, watch_threshold, canary_n, reason)
                    VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                    """))
            }
        }
    }

    /// Binds and runs the insert of a decision on the statement's own type (a chain of
    /// bindings through `any CatalogStatement` costs the optimizer minutes).
    private static func insert(_ decision: MigrationDecision, before: String, after: String, into statement: some CatalogStatement) throws(StoreError) -> Int64 {
        let evidence = decision.evidence
        return try statement
            .bind(1, decision.stage).bind(2, decision.time.timeIntervalSince1970).bind(3, decision.action.rawValue)
            .bind(4, before).bind(5, after)
            .bind(6, evidence.incumbent?.model).bind(7, evidence.incumbent?.generations).bind(8, evidence.incumbent?.mean).bind(9, evidence.incumbent?.sd)
            .bind(10, evidence.candidate?.model).bind(11, evidence.candidate?.generations).bind(12, evidence.candidate?.mean).bind(13, evidence.candidate?.sd)
            .bind(14, evidence.test?.difference).bind(15, evidence.test?.standardError).bind(16, evidence.test?.statistic)
            .bind(17, evidence.test?.degreesOfFreedom).bind(18, evidence.test?.pValue).bind(19, evidence.test?.inferiorityPValue)
            .bind(20, evidence.test?.margin).bind(21, evidence.test.map { $0.adjusted ? 1 : 0 })
            .bind(22, evidence.watchStatistic).bind(23, evidence.watchThreshold).bind(24, evidence.canaryGenerations)
            .bind(25, decision.reason)
            .runReturning() ?? 0
    }

    /// The decisions for `stage` (every stage when `nil`), oldest first.
    public func decisions(stage: String? = nil) throws(AnalyticsError) -> [MigrationDecision] {
        let rows = try catalog.run { () throws(StoreError) in
            try catalog.database.statement("SELECT * FROM migration_decisions WHERE CAST(?1 AS TEXT) IS NULL OR stage = ?1 ORDER BY id")
            .bind(1, stage)
                .rows { row -> (Int64, [String?], [Double?], [Int?]) in
                    let texts = [1, 3, 4, 5, 6, 10, 25].map { row.optionalString(Int32($0)) }
                    let doubles = [2, 8, 9, 12, 13, 14, 15, 16, 17, 18, 19, 20, 22, 23].map { row.optionalDouble(Int32($0)) }
                    let ints = [7, 11, 21, 24].map { row.optionalInt(Int32($0)) }
                    return (row.int64(0), texts, doubles, ints)
                }
        }
        var decisions: [MigrationDecision] = []
        for (id, texts, doubles, ints) in rows {
            guard let action = texts[1].flatMap(MigrationDecision.Action.init(rawValue:)) else {
                throw .catalog(problem: "migration decision \(id) has an unknown action '\(texts[1] ?? "")'; upgrade strata")
            }
            var evidence = MigrationEvidence(watchStatistic: doubles[12], watchThreshold: doubles[13], canaryGenerations: ints[3])
            if let model = texts[4] {
                evidence.incumbent = ArmSummary(model: model, generations: ints[0] ?? 0, mean: doubles[1] ?? 0, sd: doubles[2] ?? 0)
            }
            if let model = texts[5] {
                evidence.candidate = ArmSummary(model: model, generations: ints[1] ?? 0, mean: doubles[3] ?? 0, sd: doubles[4] ?? 0)
            }
            if let difference = doubles[5] {
                evidence.test = NonInferiorityResult(
                    difference: difference, standardError: doubles[6] ?? 0, statistic: doubles[7] ?? 0, degreesOfFreedom: doubles[8] ?? 0,
                    pValue: doubles[9] ?? 1, inferiorityPValue: doubles[10] ?? 1, margin: doubles[11] ?? 0, adjusted: ints[2] == 1
                )
            }
            decisions.append(MigrationDecision(
                id: id, stage: texts[0] ?? "", time: Date(timeIntervalSince1970: doubles[0] ?? 0), action: action,
                before: try Self.decode(texts[2], id: id), after: try Self.decode(texts[3], id: id), evidence: evidence, reason: texts[6] ?? ""
            ))
        }
        return decisions
    }

    static func encode(_ state: MigrationState) throws(AnalyticsError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        do {
            return String(decoding: try encoder.encode(state), as: UTF8.self)
        } catch {
            throw .catalog(problem: "could not encode migration state \(state): \(error)")
        }
    }

    static func decode(_ text: String?, id: Int64) throws(AnalyticsError) -> MigrationState {
        do {
            return try JSONDecoder().decode(MigrationState.self, from: Data((text ?? "").utf8))
        } catch {
            throw .catalog(problem: "migration decision \(id) has an unreadable state '\(text ?? "")'; upgrade strata")
        }
    }
}
