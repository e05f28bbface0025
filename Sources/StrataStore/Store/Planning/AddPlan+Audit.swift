import StrataCatalog

extension AddPlan {
    /// The audit record of the add: the ids it wrote (new and replaced), the digest of the
    /// texts the replaced ones held before and of every text written after; nil when it
    /// writes nothing.
    var auditEvent: AuditEvent? {
        let added = keepers.map { fresh[$0] }
        let written = added.map { ids[$0] } + replacements.map(\.old.id)
        guard !written.isEmpty || !merges.isEmpty else { return nil }
        var subject = AuditEvent.listing(written)
        if !merges.isEmpty { subject += (written.isEmpty ? "" : "; ") + "merged into \(merges.count) stored patterns" }
        return AuditEvent(
            action: replacements.isEmpty ? "patterns.add" : "patterns.replace", subject: subject,
            before: replacements.isEmpty ? nil : AuditTrail.digest(replacements.map(\.old.contentHash).joined(separator: "\n")),
            after: AuditTrail.digest((added.map { hashes[$0] } + replacements.map { hashes[$0.index] }).joined(separator: "\n")))
    }
}
