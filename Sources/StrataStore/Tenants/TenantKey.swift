import Foundation

/// One API key as the catalog keeps it: never the key, only its SHA-256.
public struct TenantKey: Sendable, Equatable {
    /// The key's public id: the part after `strata_`, shown in lists and logs.
    public var id: String
    public var tenant: String
    public var role: TenantRole
    public var createdAt: Date
    /// After this instant the key is refused; nil: never.
    public var expiresAt: Date?
    /// When it was revoked; nil while it is not.
    public var revokedAt: Date?

    /// Whether the key opens requests at `now`.
    public func isActive(at now: Date) -> Bool {
        revokedAt == nil && (expiresAt.map { now < $0 } ?? true)
    }

    /// SHA-256 of what the record says (never of the key): the audit log's before and after.
    var digest: String {
        AuditTrail.digest([id, tenant, role.rawValue, "\(createdAt.timeIntervalSince1970)", "\(expiresAt?.timeIntervalSince1970 ?? -1)", "\(revokedAt?.timeIntervalSince1970 ?? -1)"].joined(separator: "|"))
    }

    /// `active`, `expired` or `revoked`, at `now`.
    public func state(at now: Date) -> String {
        revokedAt != nil ? "revoked" : isActive(at: now) ? "active" : "expired"
    }
}

/// A key just issued: the only time the key itself is seen.
public struct IssuedKey: Sendable, Equatable {
    /// The key to send (`api-key` header, or `Authorization: Bearer`).
    public var key: String
    /// What the catalog keeps of it.
    public var record: TenantKey
}

/// The form of a key: `strata_<id>_<secret>`, the id 12 hex digits, the secret 32 random
/// bytes in unpadded base64url.
///
/// The catalog keeps the SHA-256 of the whole key. A slow password hash buys nothing here:
/// the secret has 256 bits of entropy, so there is no dictionary to try; a fast digest keeps
/// every request's check to microseconds.
package enum TenantKeyFormat {
    static let prefix = "strata_"

    /// A new key's id and text, from the system's cryptographic generator.
    static func make() -> (id: String, key: String) {
        var generator = SystemRandomNumberGenerator()
        let id = (0..<6).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        let secret = Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
            .base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return (id, prefix + id + "_" + secret)
    }

    /// The id a presented key claims; nil for text not of the form.
    static func id(of key: String) -> String? {
        guard key.hasPrefix(prefix) else { return nil }
        let rest = key.dropFirst(prefix.count)
        guard let separator = rest.firstIndex(of: "_") else { return nil }
        let id = rest[..<separator]
        guard id.count == 12, id.allSatisfy(\.isHexDigit) else { return nil }
        return String(id)
    }

    /// The digest kept for `key`, as hex.
    static func digest(_ key: String) -> String { AuditTrail.digest(key) }

    /// Compares two digests in time that does not depend on where they differ.
    package static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
