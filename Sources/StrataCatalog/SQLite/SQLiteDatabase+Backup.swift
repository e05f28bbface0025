import CSQLite
import Foundation

extension SQLiteDatabase {
    /// Copies the whole database, as of one moment, into a new file at `destination`
    /// (SQLite's online backup: every page in one step under one read transaction, so writers
    /// on other connections go on and the copy is a consistent point in time, the write-ahead
    /// log's committed pages included).
    ///
    /// - Throws: ``CatalogError`` `.unavailable` when the destination exists or cannot be
    ///   written, or the copy does not finish (it is removed then).
    package func backup(to destination: String) throws(CatalogError) {
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw CatalogError(.unavailable, "cannot back up \(path) to \(destination): the file exists")
        }
        var target: OpaquePointer?
        guard sqlite3_open_v2(destination, &target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK, let target else {
            let message = target.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(target)
            throw CatalogError(.unavailable, "cannot create \(destination) for the backup of \(path): \(message)")
        }
        defer { sqlite3_close_v2(target) }
        guard let backup = sqlite3_backup_init(target, "main", handle, "main") else {
            let message = String(cString: sqlite3_errmsg(target))
            try? FileManager.default.removeItem(atPath: destination)
            throw CatalogError(.unavailable, "cannot back up \(path): \(message)")
        }
        // -1: every page in one step, so no other connection's write can restart the copy.
        var status = sqlite3_backup_step(backup, -1)
        var tries = 0
        while status == SQLITE_BUSY || status == SQLITE_LOCKED, tries < 100 {
            tries += 1
            usleep(20_000)
            status = sqlite3_backup_step(backup, -1)
        }
        sqlite3_backup_finish(backup)
        guard status == SQLITE_DONE else {
            let message = String(cString: sqlite3_errstr(status))
            try? FileManager.default.removeItem(atPath: destination)
            throw CatalogError(.unavailable, "the backup of \(path) to \(destination) did not finish: \(message)")
        }
    }
}
