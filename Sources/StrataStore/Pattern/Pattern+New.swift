import Foundation

extension Pattern {
    /// The pattern `new` becomes when stored under `id`, its text's hash `hash`, at `now`.
    package static func made(from new: NewPattern, id: String, hash: String, now: Date) -> Pattern {
        Pattern(
            id: id, name: new.name, kind: new.kind, nodeType: new.nodeType, domain: new.domain,
            language: new.language.lowercased(), text: new.text, summary: new.summary, tags: mergedTags([], new.tags),
            quality: new.quality ?? 0.5, successRate: new.successRate ?? 0, usageCount: new.usageCount ?? 0,
            lifecycle: new.lifecycle, contentHash: hash, createdAt: new.createdAt ?? now, updatedAt: now,
            lastUsedAt: nil, tier: .hot, version: 1, source: new.source, payload: new.payload, sparse: new.sparse)
    }

    /// `existing` followed by the new tags of `added`, each once, in first-seen order.
    static func mergedTags(_ existing: [String], _ added: [String]) -> [String] {
        var seen = Set(existing)
        var result = existing
        for tag in added where seen.insert(tag).inserted { result.append(tag) }
        return result
    }
}
