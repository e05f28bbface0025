import Foundation
import StrataCatalog

/// Where a pattern's vector is: the hot graph, or a slot of a cold segment.
struct VectorLocation: Sendable, Equatable {
    var row: Int64
    var tier: Tier
    var segment: Int64?
    var slot: Int?
}

extension Catalog {
    /// The columns ``pattern(from:)`` reads, in order.
    static let patternColumns = """
        p.row, p.id, p.name, p.kind, p.node_type, p.domain, p.language, p.text, p.summary, p.tags, p.quality, \
        p.success_rate, p.usage_count, p.lifecycle, p.content_hash, p.created_at, p.updated_at, p.last_used_at, \
        p.tier, p.version, p.source_path, p.line_start, p.line_end, p.payload, p.sparse
        """

    /// Tags are stored newline-separated (a tag never holds a newline: ``PatternStore`` checks).
    static func encodeTags(_ tags: [String]) -> String { tags.joined(separator: "\n") }
    static func decodeTags(_ text: String) -> [String] { text.isEmpty ? [] : text.split(separator: "\n").map(String.init) }

    static func pattern(from statement: some CatalogStatement) -> (row: Int64, pattern: Pattern) {
        let source: SourceSpan? = statement.optionalString(20).map {
            SourceSpan(path: $0, lineStart: statement.optionalInt(21) ?? 0, lineEnd: statement.optionalInt(22) ?? 0)
        }
        let pattern = Pattern(
            id: statement.string(1), name: statement.string(2),
            kind: PatternKind(rawValue: statement.string(3)) ?? .code,
            nodeType: NodeType(rawValue: statement.string(4)) ?? .none,
            domain: statement.string(5), language: statement.string(6), text: statement.string(7),
            summary: statement.string(8), tags: decodeTags(statement.string(9)),
            quality: statement.double(10), successRate: statement.double(11), usageCount: statement.int(12),
            lifecycle: Lifecycle(rawValue: statement.string(13)) ?? .candidate, contentHash: statement.string(14),
            createdAt: Date(timeIntervalSince1970: statement.double(15)),
            updatedAt: Date(timeIntervalSince1970: statement.double(16)),
            lastUsedAt: statement.optionalDouble(17).map(Date.init(timeIntervalSince1970:)),
            tier: statement.int(18) == 0 ? .hot : .cold, version: statement.int(19), source: source,
            payload: statement.optionalString(23), sparse: SparseVector.decode(text: statement.optionalString(24))
        )
        return (statement.int64(0), pattern)
    }

    /// Row numbers for `count` new patterns, ascending. A row is never given twice: SQLite's
    /// numbers follow the highest ever used (one writer at a time); PostgreSQL's come from the
    /// table's sequence, so replicas writing at once never share one (nor need consecutive ones).
    func allocateRows(_ count: Int) throws(StoreError) -> [Int64] {
        try inCatalog { () throws(CatalogError) in try database.nextIdentities(table: "patterns", column: "row", count: count) }
    }

    /// Inserts a new pattern as `row` (from ``allocateRows(_:)``), with its tags.
    func insert(_ pattern: Pattern, row: Int64, location: VectorLocation?) throws(StoreError) {
        try inCatalog { () throws(CatalogError) in
            let statement = try database.statement("""
                INSERT INTO patterns(row, id, name, kind, node_type, domain, language, text, summary, tags, quality, success_rate,
                    usage_count, lifecycle, content_hash, created_at, updated_at, last_used_at, tier, segment, slot, version,
                    source_path, line_start, line_end, payload, sparse)
                VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                """)
            Self.bindInsert(pattern, row: row, location: location, to: statement)
            try statement.run()
        }
        try replaceTags(row: row, pattern.tags)
        noteVectorChange(row)
    }

    /// Rewrites the metadata and text of an existing row (not its tier or location).
    func update(row: Int64, with pattern: Pattern) throws(StoreError) {
        try inCatalog { () throws(CatalogError) in
            let statement = try database.statement("""
                UPDATE patterns SET name = ?, kind = ?, node_type = ?, domain = ?, language = ?, text = ?, summary = ?, tags = ?,
                    quality = ?, success_rate = ?, usage_count = ?, lifecycle = ?, content_hash = ?, updated_at = ?,
                    last_used_at = ?, version = version + 1, source_path = ?, line_start = ?, line_end = ?, payload = ?, sparse = ?
                WHERE row = ?
                """)
            Self.bindUpdate(pattern, row: row, to: statement)
            try statement.run()
        }
        try replaceTags(row: row, pattern.tags)
        noteMetadataChange(row)
    }

    // The bindings of a long statement are made on the statement's own type (a generic
    // parameter), never through `any CatalogStatement`: a chain of twenty-odd calls, each
    // opening an existential and returning another, took the optimizer tens of minutes.

    private static func bindInsert(_ pattern: Pattern, row: Int64, location: VectorLocation?, to statement: some CatalogStatement) {
        statement.bind(1, row)
        statement.bind(2, pattern.id).bind(3, pattern.name).bind(4, pattern.kind.rawValue).bind(5, pattern.nodeType.rawValue)
            .bind(6, pattern.domain).bind(7, pattern.language).bind(8, pattern.text).bind(9, pattern.summary)
            .bind(10, encodeTags(pattern.tags)).bind(11, pattern.quality).bind(12, pattern.successRate)
            .bind(13, pattern.usageCount).bind(14, pattern.lifecycle.rawValue).bind(15, pattern.contentHash)
            .bind(16, pattern.createdAt.timeIntervalSince1970).bind(17, pattern.updatedAt.timeIntervalSince1970)
            .bind(18, pattern.lastUsedAt?.timeIntervalSince1970).bind(19, pattern.tier == .hot ? 0 : 1)
            .bind(20, location?.segment).bind(21, location?.slot).bind(22, pattern.version)
            .bind(23, pattern.source?.path).bind(24, pattern.source?.lineStart).bind(25, pattern.source?.lineEnd)
            .bind(26, pattern.payload).bind(27, SparseVector.encode(pattern.sparse))
    }

    private static func bindUpdate(_ pattern: Pattern, row: Int64, to statement: some CatalogStatement) {
        statement
            .bind(1, pattern.name).bind(2, pattern.kind.rawValue).bind(3, pattern.nodeType.rawValue).bind(4, pattern.domain)
            .bind(5, pattern.language).bind(6, pattern.text).bind(7, pattern.summary).bind(8, encodeTags(pattern.tags))
            .bind(9, pattern.quality).bind(10, pattern.successRate).bind(11, pattern.usageCount)
            .bind(12, pattern.lifecycle.rawValue).bind(13, pattern.contentHash).bind(14, pattern.updatedAt.timeIntervalSince1970)
            .bind(15, pattern.lastUsedAt?.timeIntervalSince1970).bind(16, pattern.source?.path)
            .bind(17, pattern.source?.lineStart).bind(18, pattern.source?.lineEnd).bind(19, pattern.payload)
            .bind(20, SparseVector.encode(pattern.sparse)).bind(21, row)
    }

    private func replaceTags(row: Int64, _ tags: [String]) throws(StoreError) {
        try inCatalog { () throws(CatalogError) in
            try database.statement("DELETE FROM pattern_tags WHERE row = ?").bind(1, row).run()
            let insert = try database.statement("INSERT INTO pattern_tags(tag, row) VALUES(?, ?) ON CONFLICT DO NOTHING")
            for tag in tags {
                insert.reset()
                try insert.bind(1, tag).bind(2, row).run()
            }
        }
    }

    func location(ofID id: String) throws(StoreError) -> VectorLocation? {
        try inCatalog { () throws(CatalogError) -> VectorLocation? in
            let statement = try database.statement("SELECT row, tier, segment, slot FROM patterns WHERE id = ?")
            statement.bind(1, id)
            guard try statement.step() else { return nil }
            return Self.location(from: statement)
        }
    }

    static func location(from statement: some CatalogStatement, offset: Int32 = 0) -> VectorLocation {
        VectorLocation(
            row: statement.int64(offset), tier: statement.int(offset + 1) == 0 ? .hot : .cold,
            segment: statement.isNull(offset + 2) ? nil : statement.int64(offset + 2),
            slot: statement.optionalInt(offset + 3)
        )
    }

    func pattern(id: String) throws(StoreError) -> (row: Int64, pattern: Pattern)? {
        try inCatalog { () throws(CatalogError) -> (row: Int64, pattern: Pattern)? in
            let statement = try database.statement("SELECT \(Self.patternColumns) FROM patterns p WHERE p.id = ?")
            statement.bind(1, id)
            return try statement.step() ? Self.pattern(from: statement) : nil
        }
    }

    func pattern(row: Int64) throws(StoreError) -> Pattern? {
        try inCatalog { () throws(CatalogError) -> Pattern? in
            let statement = try database.statement("SELECT \(Self.patternColumns) FROM patterns p WHERE p.row = ?")
            statement.bind(1, row)
            return try statement.step() ? Self.pattern(from: statement).pattern : nil
        }
    }

    /// The patterns at `rows`, keyed by row; rows no longer present are absent.
    func patterns(rows: [Int64]) throws(StoreError) -> [Int64: Pattern] {
        try inCatalog { () throws(CatalogError) -> [Int64: Pattern] in
            var found: [Int64: Pattern] = [:]
            // Fixed-size IN lists keep the statement cache small.
            let width = 16
            var start = 0
            while start < rows.count {
                let chunk = rows[start..<min(start + width, rows.count)]
                let statement = try database.statement("SELECT \(Self.patternColumns) FROM patterns p WHERE p.row IN (\(Array(repeating: "?", count: width).joined(separator: ",")))")
                for (offset, row) in chunk.enumerated() { statement.bind(Int32(offset + 1), row) }
                while try statement.step() {
                    let (row, pattern) = Self.pattern(from: statement)
                    found[row] = pattern
                }
                start += width
            }
            return found
        }
    }

    /// The row holding text with this content hash, if any.
    func row(forContentHash hash: String) throws(StoreError) -> (row: Int64, id: String)? {
        try inCatalog { () throws(CatalogError) -> (row: Int64, id: String)? in
            let statement = try database.statement("SELECT row, id FROM patterns WHERE content_hash = ? ORDER BY row LIMIT 1")
            statement.bind(1, hash)
            return try statement.step() ? (statement.int64(0), statement.string(1)) : nil
        }
    }

    /// Removes a pattern. A cold pattern's slot becomes a tombstone of its segment.
    func delete(_ location: VectorLocation) throws(StoreError) {
        try inCatalog { () throws(CatalogError) in
            try database.statement("DELETE FROM patterns WHERE row = ?").bind(1, location.row).run()
            try database.statement("DELETE FROM pattern_tags WHERE row = ?").bind(1, location.row).run()
        }
        try retireVector(location)
    }

    /// Drops the vector at `location`: the hot copy's row, or the cold slot (a tombstone).
    func retireVector(_ location: VectorLocation) throws(StoreError) {
        try inCatalog { () throws(CatalogError) in
            noteVectorChange(location.row)
            if location.tier == .hot {
                try database.statement("DELETE FROM hot_vectors WHERE row = ?").bind(1, location.row).run()
            } else if let segment = location.segment {
                // RETURNING says whether the tombstone is new: only then does the dead count grow.
                let added = try database.statement("INSERT INTO tombstones(segment, row) VALUES(?, ?) ON CONFLICT DO NOTHING RETURNING row")
                    .bind(1, segment).bind(2, location.row).runReturning() != nil
                if added {
                    try database.statement("UPDATE segments SET dead = dead + 1 WHERE id = ?").bind(1, segment).run()
                    noteSegmentChange()
                }
            }
        }
    }

    func insertHotVector(row: Int64, _ vector: [Float]) throws(StoreError) {
        try inCatalog { () throws(CatalogError) in
            try database.statement("INSERT INTO hot_vectors(row, vector) VALUES(?, ?) ON CONFLICT(row) DO UPDATE SET vector = excluded.vector").bind(1, row).bind(2, floats: vector).run()
            noteVectorChange(row)
        }
    }

    /// Moves a row's vector to the hot tier (its vector already in `hot_vectors`).
    func markHot(row: Int64) throws(StoreError) {
        try inCatalog { () throws(CatalogError) in
            try database.statement("UPDATE patterns SET tier = 0, segment = NULL, slot = NULL WHERE row = ?").bind(1, row).run()
            noteVectorChange(row)
        }
    }

    /// Points a row at a cold segment slot.
    func markCold(row: Int64, segment: Int64, slot: Int) throws(StoreError) {
        try inCatalog { () throws(CatalogError) in
            try database.statement("UPDATE patterns SET tier = 1, segment = ?, slot = ? WHERE row = ?").bind(1, segment).bind(2, slot).bind(3, row).run()
            noteVectorChange(row)
        }
    }

    /// Every hot vector, for rebuilding the hot graph at open.
    func hotVectors(dimension: Int) throws(StoreError) -> (rows: [UInt64], vectors: [Float]) {
        try inCatalog { () throws(CatalogError) -> (rows: [UInt64], vectors: [Float]) in
            let statement = try database.statement("SELECT h.row, h.vector FROM hot_vectors h JOIN patterns p ON p.row = h.row AND p.tier = 0 ORDER BY h.row")
            var rows: [UInt64] = []
            var vectors: [Float] = []
            while try statement.step() {
                let vector = statement.floats(1)
                guard vector.count == dimension else {
                    throw CatalogError(.statementFailed, "hot vector of row \(statement.int64(0)) has \(vector.count) floats, expected \(dimension); run `strata verify`")
                }
                rows.append(UInt64(statement.int64(0)))
                vectors += vector
            }
            return (rows, vectors)
        }
    }

    /// The hot vectors of those of `rows` that are in the hot tier now, keyed by row.
    func hotVectors(rows: [Int64], dimension: Int) throws(StoreError) -> [Int64: [Float]] {
        try inCatalog { () throws(CatalogError) -> [Int64: [Float]] in
            var found: [Int64: [Float]] = [:]
            try forEachChunk(of: rows, { "SELECT h.row, h.vector FROM hot_vectors h JOIN patterns p ON p.row = h.row AND p.tier = 0 WHERE h.row IN (\($0))" }) { (statement) throws(CatalogError) in
                while try statement.step() {
                    let vector = statement.floats(1)
                    guard vector.count == dimension else {
                        throw CatalogError(.statementFailed, "hot vector of row \(statement.int64(0)) has \(vector.count) floats, expected \(dimension); run `strata verify`")
                    }
                    found[statement.int64(0)] = vector
                }
            }
            return found
        }
    }

    // MARK: filters, counts, pages

    func count(matching filter: PatternFilter) throws(StoreError) -> Int {
        try inCatalog { () throws(CatalogError) -> Int in
            let (condition, values) = filter.sqlCondition(database.dialect)
            let statement = try database.statement("SELECT count(*) FROM patterns p WHERE \(condition)")
            statement.bind(values)
            _ = try statement.step()
            return statement.int(0)
        }
    }

    /// Locations of every pattern the filter accepts, in row order.
    func locations(matching filter: PatternFilter) throws(StoreError) -> [VectorLocation] {
        try inCatalog { () throws(CatalogError) -> [VectorLocation] in
            let (condition, values) = filter.sqlCondition(database.dialect)
            let statement = try database.statement("SELECT p.row, p.tier, p.segment, p.slot FROM patterns p WHERE \(condition) ORDER BY p.row")
            statement.bind(values)
            return try statement.rows { Self.location(from: $0) }
        }
    }

    /// Up to `limit` patterns the filter accepts with id ≥ `from`, in id order (byte order).
    func page(matching filter: PatternFilter, fromID from: String, limit: Int) throws(StoreError) -> [Pattern] {
        try inCatalog { () throws(CatalogError) -> [Pattern] in
            let (condition, values) = filter.sqlCondition(database.dialect)
            let statement = try database.statement("SELECT \(Self.patternColumns) FROM patterns p WHERE \(condition) AND p.id >= ? ORDER BY p.id LIMIT ?")
            statement.bind(values)
            statement.bind(Int32(values.count + 1), from).bind(Int32(values.count + 2), limit)
            return try statement.rows { Self.pattern(from: $0).pattern }
        }
    }

    /// Up to `limit` patterns the filter accepts with row > `after`, in row order.
    func page(matching filter: PatternFilter, after: Int64, limit: Int) throws(StoreError) -> [(row: Int64, pattern: Pattern)] {
        try inCatalog { () throws(CatalogError) -> [(row: Int64, pattern: Pattern)] in
            let (condition, values) = filter.sqlCondition(database.dialect)
            let statement = try database.statement("SELECT \(Self.patternColumns) FROM patterns p WHERE \(condition) AND p.row > ? ORDER BY p.row LIMIT ?")
            statement.bind(values)
            statement.bind(Int32(values.count + 1), after).bind(Int32(values.count + 2), limit)
            return try statement.rows { Self.pattern(from: $0) }
        }
    }
}

extension Catalog {
    /// The content hash stored for each id (nil for a nil id or one not stored), in order.
    func contentHashes(ofIDs ids: [String?]) throws(StoreError) -> [String?] {
        try inCatalog { () throws(CatalogError) -> [String?] in
            let statement = try database.statement("SELECT content_hash FROM patterns WHERE id = ?")
            return try ids.map { (id) throws(CatalogError) -> String? in
                guard let id else { return nil }
                statement.reset()
                statement.bind(1, id)
                return try statement.step() ? statement.string(0) : nil
            }
        }
    }

    /// Counts one use of `row` at `time`: `outcome` (1 success, 0 failure, nil a plain use)
    /// moves the success rate by `smoothing` of the way (the first outcome sets it), and a
    /// `quality` replaces the stored one.
    func recordUse(row: Int64, outcome: Double?, quality: Double?, at time: Date, smoothing: Double) throws(StoreError) {
        try inCatalog { () throws(CatalogError) in
            try database.statement("""
                UPDATE patterns SET usage_count = usage_count + 1, last_used_at = ?,
                    success_rate = CASE WHEN CAST(?2 AS DOUBLE PRECISION) IS NULL THEN success_rate
                                        WHEN outcome_count = 0 THEN ?2
                                        ELSE success_rate + ?3 * (?2 - success_rate) END,
                    outcome_count = outcome_count + (CASE WHEN ?2 IS NULL THEN 0 ELSE 1 END),
                    quality = coalesce(?4, quality),
                    updated_at = CASE WHEN CAST(?4 AS DOUBLE PRECISION) IS NULL THEN updated_at ELSE ?1 END,
                    version = version + 1
                WHERE row = ?5
                """)
                .bind(1, time.timeIntervalSince1970).bind(2, outcome).bind(3, smoothing)
                .bind(4, quality).bind(5, row).run()
        }
        noteMetadataChange(row)
    }

    /// The texts and names of those of `rows` that exist (and with `hotOnly` are hot), for the
    /// lexical indexes: a segment's when rebuilt, the hot tier's after every write.
    func lexicalSources(rows: [Int64], hotOnly: Bool) throws(StoreError) -> [LexicalSource] {
        try inCatalog { () throws(CatalogError) -> [LexicalSource] in
            var found: [LexicalSource] = []
            try forEachChunk(of: rows, { "SELECT row, text, name FROM patterns WHERE row IN (\($0))\(hotOnly ? " AND tier = 0" : "")" }) { (statement) throws(CatalogError) in
                while try statement.step() { found.append(LexicalSource(row: statement.int64(0), text: statement.string(1), name: statement.string(2))) }
            }
            return found
        }
    }

    /// Runs the query `sql` builds around an `IN` list of 64 marks once per chunk of `rows`
    /// (unused marks bound to -1): one prepared statement serves every chunk.
    func forEachChunk(of rows: [Int64], _ sql: (String) -> String, _ body: (any CatalogStatement) throws(CatalogError) -> Void) throws(CatalogError) {
        let width = 64
        let marks = Array(repeating: "?", count: width).joined(separator: ",")
        for start in stride(from: 0, to: rows.count, by: width) {
            let chunk = rows[start..<min(start + width, rows.count)]
            let statement = try database.statement(sql(marks))
            for (offset, row) in chunk.enumerated() { statement.bind(Int32(offset + 1), row) }
            for offset in chunk.count..<width { statement.bind(Int32(offset + 1), Int64(-1)) }
            try body(statement)
        }
    }

    /// Every pattern's text and name in row order (with `hotOnly`, the hot tier's): the
    /// corpus a re-embedding reads, the hot lexical index at open.
    func lexicalSources(hotOnly: Bool) throws(StoreError) -> [LexicalSource] {
        try inCatalog { () throws(CatalogError) in
            try database.statement("SELECT row, text, name FROM patterns\(hotOnly ? " WHERE tier = 0" : "") ORDER BY row").rows {
                LexicalSource(row: $0.int64(0), text: $0.string(1), name: $0.string(2))
            }
        }
    }

    /// Forgets every vector's place (hot vectors, segments, tombstones), the patterns kept:
    /// a re-embedding puts them all back.
    func removeAllVectorLocations() throws(StoreError) {
        try inCatalog { () throws(CatalogError) in
            try database.execute("DELETE FROM hot_vectors; DELETE FROM tombstones; DELETE FROM segments;")
        }
    }

    /// Reads every pattern's filter columns into `index`.
    func scanPayloads(into index: PayloadIndex) throws(StoreError) {
        try inCatalog { () throws(CatalogError) in
            _ = try index.update(database.statement("SELECT \(index.columns) FROM patterns"))
        }
    }

    /// Re-reads the filter columns of `rows` into `index`; gives the rows found (a row not
    /// found was deleted).
    func scanPayloads(of rows: [Int64], into index: PayloadIndex) throws(StoreError) -> Set<Int64> {
        try inCatalog { () throws(CatalogError) -> Set<Int64> in
            var found = Set<Int64>()
            try forEachChunk(of: rows, { "SELECT \(index.columns) FROM patterns WHERE row IN (\($0))" }) { (statement) throws(CatalogError) in
                found.formUnion(try index.update(statement))
            }
            return found
        }
    }
}
