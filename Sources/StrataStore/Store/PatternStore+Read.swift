import Foundation

extension PatternStore {
    /// The pattern stored under `id`.
    ///
    /// - Throws: ``StoreError/unknownID(_:)``.
    public func pattern(id: String) throws(StoreError) -> Pattern {
        try ensureOpen()
        guard let found = try read({ () throws(StoreError) in try reader.pattern(id: id) }) else { throw .unknownID(id) }
        return found.pattern
    }

    /// The vector stored for `id`, as searches compare it (normalized for cosine stores).
    public func vector(id: String) throws(StoreError) -> [Float] {
        try ensureOpen()
        guard let location = try read({ () throws(StoreError) in try reader.location(ofID: id) }) else { throw .unknownID(id) }
        if let vector = tiers.snapshot.vector(at: location) { return vector }
        throw .inconsistent(problem: "pattern \(id) has no vector in its tier (\(location.tier.rawValue))")
    }

    /// Deletes the pattern stored under `id`.
    ///
    /// - Throws: ``StoreError/unknownID(_:)``; nothing changes then.
    public func delete(id: String) throws(StoreError) {
        try ensureOpen()
        try write { () throws(StoreError) in
            guard let location = try writer.location(ofID: id) else { throw .unknownID(id) }
            let hash = try writer.contentHashes(ofIDs: [id]).first ?? nil
            try writer.transaction { () throws(StoreError) in
                try writer.delete(location)
                writer.noteAudit(AuditEvent(action: "patterns.delete", subject: id, before: hash))
            }
            try forgetVectors([location])
        }
    }

    /// Deletes every pattern the filter accepts, in one transaction.
    ///
    /// - Returns: how many were deleted.
    @discardableResult
    public func delete(matching filter: PatternFilter) throws(StoreError) -> Int {
        try ensureOpen()
        return try write { () throws(StoreError) -> Int in
            let locations = try FilteredRows(store: self).locations(filter, writing: true)
            guard !locations.isEmpty else { return 0 }
            try writer.transaction { () throws(StoreError) in
                for location in locations { try writer.delete(location) }
                writer.noteAudit(AuditEvent(action: "patterns.delete", subject: "\(locations.count) patterns matching a filter"))
            }
            try forgetVectors(locations)
            return locations.count
        }
    }

    /// Records a use of a pattern: usage count and last use, the success rate as an
    /// exponential moving average of outcomes (weight ``StoreConfiguration/successRateSmoothing``;
    /// the first outcome sets it), and optionally a new quality.
    ///
    /// - Returns: the pattern after the update.
    @discardableResult
    public func recordUse(of id: String, outcome: UseOutcome = .used, quality: Double? = nil, at time: Date = Date()) throws(StoreError) -> Pattern {
        try ensureOpen()
        if let quality, !(0...1).contains(quality) {
            throw .invalidArgument(name: "quality", value: "\(quality)", expected: "a number from 0 to 1")
        }
        return try write { () throws(StoreError) in
            guard let location = try writer.location(ofID: id) else { throw .unknownID(id) }
            let value: Double? = switch outcome {
            case .success: 1
            case .failure: 0
            case .used: nil
            }
            try writer.transaction { () throws(StoreError) in
                try writer.recordUse(row: location.row, outcome: value, quality: quality, at: time, smoothing: configuration.successRateSmoothing)
                writer.noteAudit(AuditEvent(action: "patterns.use", subject: id + " " + outcome.rawValue + (quality.map { " quality \($0)" } ?? "")))
            }
            try refreshPayload([location.row])
            guard let updated = try writer.pattern(row: location.row) else { throw .unknownID(id) }
            return updated
        }
    }

    /// Patterns the filter accepts.
    public func count(_ filter: PatternFilter = PatternFilter()) throws(StoreError) -> Int {
        try ensureOpen()
        return try FilteredRows(store: self).count(filter)
    }

    /// A page of patterns the filter accepts, in insertion order.
    ///
    /// - Parameters:
    ///   - after: the previous page's ``PatternPage/nextCursor``; nil for the first page.
    ///   - limit: patterns per page, 1 to 10,000.
    public func list(_ filter: PatternFilter = PatternFilter(), after cursor: String? = nil, limit: Int = 100) throws(StoreError) -> PatternPage {
        try ensureOpen()
        guard (1...10_000).contains(limit) else { throw .invalidArgument(name: "limit", value: "\(limit)", expected: "1 to 10,000") }
        var after: Int64 = 0
        if let cursor {
            guard let row = Int64(cursor), row >= 0 else {
                throw .invalidArgument(name: "cursor", value: cursor, expected: "a cursor from a previous page")
            }
            after = row
        }
        let page = try FilteredRows(store: self).page(filter, after: after, limit: limit)
        return PatternPage(patterns: page.map(\.pattern), nextCursor: page.count == limit ? page.last.map { String($0.row) } : nil)
    }
}

extension PatternStore {
    /// A page of patterns the filter accepts, in id order (byte order of the UTF-8 ids),
    /// starting at `from` (inclusive): Qdrant's scroll.
    ///
    /// - Parameters:
    ///   - from: the first id of the page: nil for the first, then the previous page's
    ///     ``PatternScroll/nextID``.
    ///   - limit: patterns per page, 1 to 10,000.
    public func scroll(_ filter: PatternFilter = PatternFilter(), from: String? = nil, limit: Int = 100) throws(StoreError) -> PatternScroll {
        try ensureOpen()
        guard (1...10_000).contains(limit) else { throw .invalidArgument(name: "limit", value: "\(limit)", expected: "1 to 10,000") }
        var page = try FilteredRows(store: self).scroll(filter, fromID: from ?? "", limit: limit + 1)
        let next = page.count > limit ? page.removeLast().id : nil
        return PatternScroll(patterns: page, nextID: next)
    }
}
