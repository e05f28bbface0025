import Crypto
import Foundation

/// One record of the audit log: an ``AuditEvent`` with who, when, its place in the chain and
/// the chain's hash through it.
public struct AuditEntry: Sendable, Equatable {
    /// Its number: 1, 2, 3… with no gap (a gap is a removed record).
    public var sequence: Int64
    /// When it was written, in microseconds since 1970 (exact on both catalogs).
    public var microseconds: Int64
    public var tenant: String
    public var actor: String
    public var requestID: String?
    public var event: AuditEvent
    /// The hash of the record before it (of the chain's anchor for the first).
    public var previousHash: String
    /// SHA-256 over `previousHash` and every field of this record.
    public var hash: String

    public var date: Date { Date(timeIntervalSince1970: Double(microseconds) / 1e6) }

    /// The hash this record's fields give after `previous`: each field length-prefixed, so no
    /// two different records hash the same bytes.
    static func chainHash(previous: String, sequence: Int64, microseconds: Int64, tenant: String, actor: String, requestID: String?, event: AuditEvent) -> String {
        let absent = "\u{0}"
        let fields: [String] = [
            previous, String(sequence), String(microseconds), tenant, actor, requestID ?? absent,
            event.action, event.subject, event.before ?? absent, event.after ?? absent,
        ]
        var hasher = SHA256()
        for field in fields {
            let bytes = Array(field.utf8)
            hasher.update(data: Array("\(bytes.count):".utf8))
            hasher.update(data: bytes)
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// The hash its own fields give now: differs from ``hash`` when it was altered.
    var recomputedHash: String {
        Self.chainHash(previous: previousHash, sequence: sequence, microseconds: microseconds, tenant: tenant, actor: actor, requestID: requestID, event: event)
    }

    /// The record as the API and the command line show it.
    public var jsonObject: [String: Any] {
        var object: [String: Any] = [:]
        object["seq"] = sequence
        object["at"] = ISO8601DateFormatter.withFractions.string(from: date)
        object["tenant"] = tenant
        object["actor"] = actor
        object["request_id"] = requestID as Any? ?? NSNull()
        object["action"] = event.action
        object["subject"] = event.subject
        object["before"] = event.before as Any? ?? NSNull()
        object["after"] = event.after as Any? ?? NSNull()
        object["hash"] = hash
        return object
    }
}

extension ISO8601DateFormatter {
    /// `2026-12-07T09:12:03.123Z`.
    static var withFractions: ISO8601DateFormatter {
        let format = ISO8601DateFormatter()
        format.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return format
    }
}

/// What ``AuditTrail/verify(in:)`` found.
public struct AuditVerification: Sendable, Equatable {
    /// Records checked.
    public var checked: Int
    /// The first record that breaks the chain (altered, or following a removed one); nil when
    /// the chain holds.
    public var firstBroken: Int64?
    /// What is wrong with it.
    public var problem: String?

    public var holds: Bool { firstBroken == nil }
}
