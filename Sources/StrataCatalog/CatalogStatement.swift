/// A statement of a ``CatalogDatabase``: bind with 1-based indexes, step through the rows,
/// read columns with 0-based indexes.
package protocol CatalogStatement: AnyObject {
    @discardableResult func bind(_ index: Int32, _ value: String?) -> Self
    @discardableResult func bind(_ index: Int32, _ value: Int64?) -> Self
    @discardableResult func bind(_ index: Int32, _ value: Double?) -> Self
    @discardableResult func bind(_ index: Int32, blob: [UInt8]) -> Self
    /// Advances to the next row; `false` when the statement is done. The first step runs it.
    func step() throws(CatalogError) -> Bool
    /// Clears the bindings and any rows not yet read, ready to run again.
    func reset()

    func isNull(_ column: Int32) -> Bool
    func int64(_ column: Int32) -> Int64
    func double(_ column: Int32) -> Double
    func string(_ column: Int32) -> String
    func bytes(_ column: Int32) -> [UInt8]
}

extension CatalogStatement {
    @discardableResult
    package func bind(_ index: Int32, _ value: Int?) -> Self { bind(index, value.map(Int64.init)) }

    @discardableResult
    package func bind(_ index: Int32, floats: [Float]) -> Self {
        bind(index, blob: floats.withUnsafeBytes { Array($0) })
    }

    /// Runs a statement that returns no rows (or whose rows do not matter).
    package func run() throws(CatalogError) {
        while try step() {}
    }

    /// Runs a statement ending in `RETURNING` and gives the first column of its first row as
    /// an integer, nil when no row came back (an upsert that did nothing, a delete that found
    /// nothing); the statement is left reset. The portable form of SQLite's
    /// `last_insert_rowid()` and `changes()`.
    package func runReturning() throws(CatalogError) -> Int64? {
        defer { reset() }
        return try step() ? int64(0) : nil
    }

    /// Every row, mapped by `row`.
    package func rows<T>(_ row: (Self) throws(CatalogError) -> T) throws(CatalogError) -> [T] {
        var values: [T] = []
        while try step() { values.append(try row(self)) }
        return values
    }

    package func int(_ column: Int32) -> Int { Int(int64(column)) }
    package func optionalString(_ column: Int32) -> String? { isNull(column) ? nil : string(column) }
    package func optionalDouble(_ column: Int32) -> Double? { isNull(column) ? nil : double(column) }
    package func optionalInt(_ column: Int32) -> Int? { isNull(column) ? nil : int(column) }

    /// The column's bytes as float32 values (a vector stored as a blob).
    package func floats(_ column: Int32) -> [Float] {
        let bytes = bytes(column)
        let count = bytes.count / MemoryLayout<Float>.size
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            bytes.withUnsafeBytes { raw in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[..<(count * MemoryLayout<Float>.size)]))
            }
            initialized = count
        }
    }
}
