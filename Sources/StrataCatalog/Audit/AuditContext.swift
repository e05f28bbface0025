import Foundation
import Synchronization

/// Who is writing: what every audit record names beside what changed.
///
/// The server binds one per request (``current``, a task-local: the key's id, the tenant,
/// the request id); a command-line run sets ``processDefault`` once. Work that hops to
/// another thread carries it there (``WorkContext``).
public struct AuditContext: Sendable, Equatable {
    /// The one acting: `key:<id>` for an API key, `cli:<user>` at the command line.
    public var actor: String
    /// The tenant whose data the write changes.
    public var tenant: String
    /// The request that made it, when there is one.
    public var requestID: String?

    public init(actor: String, tenant: String, requestID: String? = nil) {
        self.actor = actor
        self.tenant = tenant
        self.requestID = requestID
    }

    /// The context of the task running now.
    @TaskLocal public static var current: AuditContext?

    private static let fallback = Mutex<AuditContext?>(nil)

    /// The context of writes made outside any bound one: a command-line run's.
    public static var processDefault: AuditContext {
        get {
            fallback.withLock { $0 } ?? AuditContext(
                actor: "local:" + (ProcessInfo.processInfo.environment["USER"] ?? "unknown"), tenant: "default")
        }
        set { fallback.withLock { $0 = newValue } }
    }

    /// The context a write made now is recorded under.
    public static var effective: AuditContext { current ?? processDefault }
}

/// One change as a write notes it, before it is chained: what was done to what, with the
/// digests of the thing before and after (nil where there was none).
public struct AuditEvent: Sendable, Equatable {
    /// What was done: `patterns.add`, `patterns.delete`, `budget.set`, `key.issue`…
    public var action: String
    /// To what: ids, names, a count.
    public var subject: String
    /// SHA-256 (hex) of the thing before the change.
    public var before: String?
    /// SHA-256 (hex) of the thing after it.
    public var after: String?

    public init(action: String, subject: String, before: String? = nil, after: String? = nil) {
        self.action = action
        self.subject = subject
        self.before = before
        self.after = after
    }

    /// A subject naming `names`: all of them up to eight, else the first eight and how many more.
    public static func listing(_ names: [String]) -> String {
        names.count <= 8 ? names.joined(separator: ", ") : names.prefix(8).joined(separator: ", ") + " (+\(names.count - 8) more)"
    }
}
