import StrataCatalog

/// What `verify` and `stats` ask the catalog about itself.
extension Catalog {
    /// What the database's own integrity check finds wrong (empty when sound).
    func integrityProblems() throws(StoreError) -> [String] {
        try inCatalog { () throws(CatalogError) in try database.integrityProblems() }
    }

    /// The bytes the catalog takes on disk.
    func storageBytes() throws(StoreError) -> Int {
        try inCatalog { () throws(CatalogError) in try database.storageBytes() }
    }

    /// How many patterns have each value of `column` (a column of `patterns` the caller names).
    func patternCounts(by column: String) throws(StoreError) -> [String: Int] {
        try inCatalog { () throws(CatalogError) in
            let statement = try database.statement("SELECT \(column), count(*) FROM patterns GROUP BY \(column)")
            var counts: [String: Int] = [:]
            while try statement.step() { counts[statement.string(0)] = statement.int(1) }
            return counts
        }
    }

    /// The rows of the hot patterns, and how many hot vectors are stored for them.
    func hotRowsAndVectorCount() throws(StoreError) -> (rows: [UInt64], vectors: Int) {
        try inCatalog { () throws(CatalogError) in
            let rows = try database.statement("SELECT row FROM patterns WHERE tier = 0").rows { UInt64($0.int64(0)) }
            let vectors = try database.statement("SELECT count(*) FROM hot_vectors").rows { $0.int(0) }.first ?? 0
            return (rows, vectors)
        }
    }

    /// Cold patterns whose segment the catalog does not list.
    func coldRowsWithoutSegment() throws(StoreError) -> Int {
        try inCatalog { () throws(CatalogError) in
            try database.statement("SELECT count(*) FROM patterns p WHERE p.tier = 1 AND NOT EXISTS (SELECT 1 FROM segments s WHERE s.id = p.segment)")
                .rows { $0.int(0) }.first ?? 0
        }
    }
}
