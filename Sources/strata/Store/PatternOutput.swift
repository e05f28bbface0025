import Foundation
import StrataStore

extension Pattern {
    /// One line for the human table of `get` and `search`.
    var summaryCells: [String] {
        [id, name.isEmpty ? "-" : name, nodeType.rawValue, language.isEmpty ? "-" : language, format(quality, digits: 2), tier.rawValue]
    }

    /// The human view of `strata get`.
    var details: String {
        var lines = [
            "id          \(id)",
            "name        \(name)",
            "kind        \(kind.rawValue)",
            "node type   \(nodeType.rawValue)",
            "domain      \(domain)",
            "language    \(language)",
            "tags        \(tags.joined(separator: ", "))",
            "quality     \(format(quality, digits: 2))   success rate \(format(successRate, digits: 2))   uses \(usageCount)",
            "lifecycle   \(lifecycle.rawValue)   tier \(tier.rawValue)   version \(version)",
            "created     \(ISO8601DateFormatter().string(from: createdAt))   updated \(ISO8601DateFormatter().string(from: updatedAt))",
        ]
        if let source { lines.append("source      \(source.path):\(source.lineStart)-\(source.lineEnd)") }
        if !summary.isEmpty { lines.append("summary     \(summary)") }
        lines.append("hash        \(contentHash)")
        lines.append("")
        lines.append(text)
        return lines.joined(separator: "\n")
    }
}

extension AddOutcome {
    var jsonObject: [String: Any] {
        var object: [String: Any] = ["id": id, "action": action.rawValue, "stored_as": storedAs]
        if let similarity { object["similarity"] = similarity }
        return object
    }

    var sentence: String {
        switch action {
        case .added: "added \(id)"
        case .replaced: "replaced \(id)"
        case .unchanged: "\(id) unchanged"
        case .mergedExact: "\(id) has the same text as \(storedAs): merged into it"
        case .mergedNear: "\(id) is a near duplicate of \(storedAs) (similarity \(format(similarity ?? 0))): merged into it"
        }
    }
}

extension MaintenanceReport {
    var jsonObject: [String: Any] {
        ["operation": operation, "patterns": patterns, "segments_written": segmentsWritten, "segments_removed": segmentsRemoved,
         "seconds": seconds, "removed_ids": removedIDs]
    }
}
