import Crypto
import Foundation

/// The audit log of a catalog: one record per write, appended in the write's own transaction
/// (so there is no write without its record, and no record of a write rolled back), each
/// chained to the one before by SHA-256.
///
/// The chain starts from an anchor: 64 zeros, or after a retention prune the last record
/// pruned. The anchor row also keeps the head (the newest record's number and hash), so a
/// removed newest record is found too, not only an altered or removed one in the middle.
/// Appends take a transaction lock of their own (PostgreSQL's advisory lock; SQLite's
/// `BEGIN IMMEDIATE` already serializes writers), always last in their transaction, so
/// replicas writing at once chain one after the other and no two locks are taken in
/// opposite orders.
public enum AuditTrail {
    /// The audit tables: the records, and the anchor with the head.
    public static let schema = CatalogSchema(component: "audit", versionRecord: .table("catalog_schema"), migrations: [
        CatalogMigration(
            sqlite: """
            CREATE TABLE audit_log(
                seq INTEGER PRIMARY KEY,
                at_us INTEGER NOT NULL,
                tenant TEXT NOT NULL,
                actor TEXT NOT NULL,
                request_id TEXT,
                action TEXT NOT NULL,
                subject TEXT NOT NULL,
                before_digest TEXT,
                after_digest TEXT,
                previous_hash TEXT NOT NULL,
                hash TEXT NOT NULL
            );
            CREATE INDEX audit_log_tenant_at ON audit_log(tenant, at_us);
            CREATE INDEX audit_log_tenant_action ON audit_log(tenant, action, at_us);
            CREATE TABLE audit_anchor(
                id INTEGER PRIMARY KEY CHECK (id = 1),
                anchor_seq INTEGER NOT NULL, anchor_hash TEXT NOT NULL,
                head_seq INTEGER NOT NULL, head_hash TEXT NOT NULL
            );
            """,
            postgres: """
            CREATE TABLE audit_log(
                seq BIGINT PRIMARY KEY,
                at_us BIGINT NOT NULL,
                tenant TEXT NOT NULL,
                actor TEXT NOT NULL,
                request_id TEXT,
                action TEXT NOT NULL,
                subject TEXT NOT NULL,
                before_digest TEXT,
                after_digest TEXT,
                previous_hash TEXT NOT NULL,
                hash TEXT NOT NULL
            );
            CREATE INDEX audit_log_tenant_at ON audit_log(tenant, at_us);
            CREATE INDEX audit_log_tenant_action ON audit_log(tenant, action, at_us);
            CREATE TABLE audit_anchor(
                id BIGINT PRIMARY KEY CHECK (id = 1),
                anchor_seq BIGINT NOT NULL, anchor_hash TEXT NOT NULL,
                head_seq BIGINT NOT NULL, head_hash TEXT NOT NULL
            );
            """),
    ])

    /// The hash before the first record ever written.
    public static let genesis = String(repeating: "0", count: 64)
    /// The transaction lock appends take (PostgreSQL).
    static let lockKey: Int64 = 0x5354_5241_4155

    /// SHA-256 of `text`, as hex: the digests records carry.
    public static func digest(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Appends `events` under ``AuditContext/effective``, chained after the newest record.
    /// Call inside the transaction of the write they record, after its changes.
    package static func append(_ events: [AuditEvent], in database: any CatalogDatabase, at now: Date = Date()) throws(CatalogError) {
        guard !events.isEmpty else { return }
        let context = AuditContext.effective
        try database.lockTransaction(key: lockKey)
        var (sequence, hash) = try head(in: database)
        let microseconds = Int64((now.timeIntervalSince1970 * 1e6).rounded())
        let insert = try database.statement("""
            INSERT INTO audit_log(seq, at_us, tenant, actor, request_id, action, subject, before_digest, after_digest, previous_hash, hash)
            VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for event in events {
            sequence += 1
            let next = AuditEntry.chainHash(previous: hash, sequence: sequence, microseconds: microseconds, tenant: context.tenant, actor: context.actor, requestID: context.requestID, event: event)
            insert.reset()
            try bind(insert, sequence, microseconds, context, event, previous: hash, hash: next).run()
            hash = next
        }
        try database.statement("""
            INSERT INTO audit_anchor(id, anchor_seq, anchor_hash, head_seq, head_hash) VALUES(1, 0, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET head_seq = excluded.head_seq, head_hash = excluded.head_hash
            """).bind(1, genesis).bind(2, sequence).bind(3, hash).run()
    }

    // Bound on the statement's own type (a generic parameter), never through `any
    // CatalogStatement`: a chain of calls each opening an existential takes the optimizer
    // minutes (see Catalog+Patterns in StrataStore).
    private static func bind<S: CatalogStatement>(
        _ statement: S, _ sequence: Int64, _ microseconds: Int64, _ context: AuditContext, _ event: AuditEvent, previous: String, hash: String
    ) -> S {
        statement.bind(1, sequence)
        statement.bind(2, microseconds)
        statement.bind(3, context.tenant)
        statement.bind(4, context.actor)
        statement.bind(5, context.requestID)
        statement.bind(6, event.action)
        statement.bind(7, event.subject)
        statement.bind(8, event.before)
        statement.bind(9, event.after)
        statement.bind(10, previous)
        statement.bind(11, hash)
        return statement
    }

    /// The newest record's number and hash (the anchor's when there is none).
    private static func head(in database: any CatalogDatabase) throws(CatalogError) -> (Int64, String) {
        if let newest = try database.statement("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").rows({ ($0.int64(0), $0.string(1)) }).first {
            return newest
        }
        return try anchor(in: database).map { ($0.anchorSequence, $0.anchorHash) } ?? (0, genesis)
    }

    private static func anchor(in database: any CatalogDatabase) throws(CatalogError) -> (anchorSequence: Int64, anchorHash: String, headSequence: Int64, headHash: String)? {
        try database.statement("SELECT anchor_seq, anchor_hash, head_seq, head_hash FROM audit_anchor WHERE id = 1")
            .rows { ($0.int64(0), $0.string(1), $0.int64(2), $0.string(3)) }.first
    }
}
