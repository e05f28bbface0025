import Foundation

/// Which records a read of the audit log wants: every set field must match.
public struct AuditQuery: Sendable, Equatable {
    public var tenant: String?
    public var since: Date?
    public var until: Date?
    /// An action, or a prefix of actions ending in `.` (`patterns.`).
    public var action: String?
    public var actor: String?
    /// Records after this number (the previous page's last).
    public var after: Int64 = 0
    public var limit: Int = 1000

    public init(tenant: String? = nil, since: Date? = nil, until: Date? = nil, action: String? = nil, actor: String? = nil, after: Int64 = 0, limit: Int = 1000) {
        self.tenant = tenant
        self.since = since
        self.until = until
        self.action = action
        self.actor = actor
        self.after = after
        self.limit = limit
    }
}

extension AuditTrail {
    static let columns = "seq, at_us, tenant, actor, request_id, action, subject, before_digest, after_digest, previous_hash, hash"

    static func entry(_ row: some CatalogStatement) -> AuditEntry {
        AuditEntry(
            sequence: row.int64(0), microseconds: row.int64(1), tenant: row.string(2), actor: row.string(3), requestID: row.optionalString(4),
            event: AuditEvent(action: row.string(5), subject: row.string(6), before: row.optionalString(7), after: row.optionalString(8)),
            previousHash: row.string(9), hash: row.string(10))
    }

    /// The records `query` selects, oldest first.
    package static func entries(_ query: AuditQuery, in database: any CatalogDatabase) throws(CatalogError) -> [AuditEntry] {
        guard try database.tableNames().contains("audit_log") else { return [] }
        var clauses = ["seq > ?"]
        if query.tenant != nil { clauses.append("tenant = ?") }
        if query.since != nil { clauses.append("at_us >= ?") }
        if query.until != nil { clauses.append("at_us < ?") }
        if let action = query.action { clauses.append(action.hasSuffix(".") ? "substr(action, 1, \(action.utf8.count)) = ?" : "action = ?") }
        if query.actor != nil { clauses.append("actor = ?") }
        let statement = try database.statement("SELECT \(columns) FROM audit_log WHERE \(clauses.joined(separator: " AND ")) ORDER BY seq LIMIT ?")
        var index: Int32 = 1
        func bind(_ value: String) { statement.bind(index, value); index += 1 }
        func bind(_ value: Int64) { statement.bind(index, value); index += 1 }
        bind(query.after)
        if let tenant = query.tenant { bind(tenant) }
        if let since = query.since { bind(Int64((since.timeIntervalSince1970 * 1e6).rounded())) }
        if let until = query.until { bind(Int64((until.timeIntervalSince1970 * 1e6).rounded())) }
        if let action = query.action { bind(action) }
        if let actor = query.actor { bind(actor) }
        bind(Int64(query.limit))
        return try statement.rows { entry($0) }
    }

    /// Walks the whole chain from its anchor: every number in turn, every record's hash from
    /// its own fields and the one before, and the head the anchor row names.
    package static func verify(in database: any CatalogDatabase) throws(CatalogError) -> AuditVerification {
        guard try database.tableNames().contains("audit_log") else { return AuditVerification(checked: 0) }
        let anchor = try database.statement("SELECT anchor_seq, anchor_hash, head_seq, head_hash FROM audit_anchor WHERE id = 1")
            .rows { (anchorSequence: $0.int64(0), anchorHash: $0.string(1), headSequence: $0.int64(2), headHash: $0.string(3)) }.first
        var expected = (sequence: (anchor?.anchorSequence ?? 0) + 1, previous: anchor?.anchorHash ?? genesis)
        var checked = 0
        var broken: (Int64, String)?
        let statement = try database.statement("SELECT \(columns) FROM audit_log ORDER BY seq")
        while broken == nil, try statement.step() {
            let record = entry(statement)
            checked += 1
            if record.sequence != expected.sequence {
                broken = record.sequence > expected.sequence
                    ? (expected.sequence, "record \(expected.sequence) is missing (the next is \(record.sequence))")
                    : (record.sequence, "record \(record.sequence) is out of place (expected \(expected.sequence))")
            } else if record.previousHash != expected.previous {
                broken = (record.sequence, "record \(record.sequence) does not follow the one before it (its previous hash is not that record's hash)")
            } else if record.recomputedHash != record.hash {
                broken = (record.sequence, "record \(record.sequence) was altered: its fields do not give its hash")
            }
            expected = (record.sequence + 1, record.hash)
        }
        statement.reset()
        if broken == nil, let anchor, anchor.headSequence != expected.sequence - 1 || anchor.headHash != expected.previous {
            broken = anchor.headSequence >= expected.sequence
                ? (expected.sequence, "record \(expected.sequence) is missing: the log ends at \(expected.sequence - 1), its head is \(anchor.headSequence)")
                : (expected.sequence - 1, "record \(expected.sequence - 1) is not the head the log recorded (\(anchor.headSequence))")
        }
        return AuditVerification(checked: checked, firstBroken: broken?.0, problem: broken?.1)
    }

    /// Removes the records written before `date` (retention), keeping the chain: the last one
    /// removed becomes the anchor, and the removal is itself recorded. Call inside a
    /// transaction. Gives how many were removed.
    package static func prune(before date: Date, in database: any CatalogDatabase) throws(CatalogError) -> Int {
        try database.lockTransaction(key: lockKey)
        let cutoff = Int64((date.timeIntervalSince1970 * 1e6).rounded())
        guard let last = try database.statement("SELECT seq, hash FROM audit_log WHERE at_us < ? ORDER BY seq DESC LIMIT 1")
            .bind(1, cutoff).rows({ ($0.int64(0), $0.string(1)) }).first else { return 0 }
        let removed = try database.statement("DELETE FROM audit_log WHERE seq <= ? RETURNING seq").bind(1, last.0).rows { $0.int64(0) }.count
        try database.statement("UPDATE audit_anchor SET anchor_seq = ?, anchor_hash = ? WHERE id = 1").bind(1, last.0).bind(2, last.1).run()
        try append([AuditEvent(action: "audit.prune", subject: "\(removed) records before \(ISO8601DateFormatter().string(from: date))")], in: database)
        return removed
    }
}
