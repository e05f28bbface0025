import Foundation
import StrataCatalog

extension Catalog {
    /// Hot rows a flush moves: all of them, except busy ones (at least `minimumUses` uses,
    /// the last one at or after `usedSince`), which stay in RAM.
    func flushableHotRows(minimumUses: Int, usedSince: Date) throws(StoreError) -> [Int64] {
        try inCatalog { () throws(CatalogError) -> [Int64] in
            let statement = try database.statement("""
                SELECT row FROM patterns WHERE tier = 0
                AND NOT (usage_count >= ? AND coalesce(last_used_at, 0) >= ?) ORDER BY row
                """)
            statement.bind(1, minimumUses).bind(2, usedSince.timeIntervalSince1970)
            return try statement.rows { $0.int64(0) }
        }
    }

    /// Hot rows neither changed nor used since `idleSince`.
    func idleHotRows(idleSince: Date) throws(StoreError) -> [Int64] {
        try inCatalog { () throws(CatalogError) -> [Int64] in
            let statement = try database.statement("SELECT row FROM patterns WHERE tier = 0 AND \(database.dialect.greatest("updated_at", "coalesce(last_used_at, 0)")) < ? ORDER BY row")
            statement.bind(1, idleSince.timeIntervalSince1970)
            return try statement.rows { $0.int64(0) }
        }
    }

    /// Cold rows used at least `minimumUses` times, the last one at or after `usedSince`.
    func busyColdRows(minimumUses: Int, usedSince: Date) throws(StoreError) -> [VectorLocation] {
        try inCatalog { () throws(CatalogError) -> [VectorLocation] in
            let statement = try database.statement("""
                SELECT row, tier, segment, slot FROM patterns WHERE tier = 1 AND usage_count >= ? AND coalesce(last_used_at, 0) >= ? ORDER BY row
                """)
            statement.bind(1, minimumUses).bind(2, usedSince.timeIntervalSince1970)
            return try statement.rows { Self.location(from: $0) }
        }
    }

    /// Patterns pruning removes: low quality, little used, idle, not validated.
    func prunable(maximumQuality: Double, maximumUses: Int, idleSince: Date) throws(StoreError) -> [(id: String, location: VectorLocation)] {
        try inCatalog { () throws(CatalogError) -> [(id: String, location: VectorLocation)] in
            let statement = try database.statement("""
                SELECT row, tier, segment, slot, id FROM patterns
                WHERE quality <= ? AND usage_count <= ? AND \(database.dialect.greatest("updated_at", "coalesce(last_used_at, 0)")) < ? AND lifecycle != 'validated'
                ORDER BY row
                """)
            statement.bind(1, maximumQuality).bind(2, maximumUses).bind(3, idleSince.timeIntervalSince1970)
            return try statement.rows { ($0.string(4), Self.location(from: $0)) }
        }
    }

    /// The newest maintenance log entries, newest first.
    func recentLog(limit: Int) throws(StoreError) -> [(at: Date, operation: String, detail: String)] {
        try inCatalog { () throws(CatalogError) -> [(at: Date, operation: String, detail: String)] in
            let statement = try database.statement("SELECT at, operation, detail FROM maintenance_log ORDER BY id DESC LIMIT ?")
            statement.bind(1, limit)
            return try statement.rows { (Date(timeIntervalSince1970: $0.double(0)), $0.string(1), $0.string(2)) }
        }
    }
}
