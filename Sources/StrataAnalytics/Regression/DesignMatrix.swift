/// Numeric features for a regression: `rows × columns` doubles, row-major, one name per
/// column (the names the fitted coefficients are reported under).
public struct DesignMatrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    /// `rows * columns` values, row after row.
    public let values: [Double]
    public let names: [String]

    /// - Throws: ``AnalyticsError/invalidArgument(name:value:expected:)`` when the values do not
    ///   fill whole rows, or the names do not match the columns.
    public init(columns: Int, values: [Double], names: [String]) throws(AnalyticsError) {
        guard columns > 0 else {
            throw .invalidArgument(name: "columns", value: "\(columns)", expected: "at least one feature column")
        }
        guard values.count % columns == 0 else {
            throw .invalidArgument(name: "values", value: "\(values.count) values", expected: "whole rows of \(columns)")
        }
        guard names.count == columns else {
            throw .invalidArgument(name: "names", value: "\(names.count) names", expected: "one per column (\(columns))")
        }
        self.rows = values.count / columns
        self.columns = columns
        self.values = values
        self.names = names
    }

    /// A matrix from one array per row.
    ///
    /// - Throws: ``AnalyticsError/invalidArgument(name:value:expected:)`` naming the first row
    ///   whose length differs from the names.
    public init(rows: [[Double]], names: [String]) throws(AnalyticsError) {
        for (index, row) in rows.enumerated() where row.count != names.count {
            throw .invalidArgument(name: "row \(index)", value: "\(row.count) values", expected: "\(names.count), one per feature name")
        }
        try self.init(columns: names.count, values: rows.flatMap { $0 }, names: names)
    }

    /// Row `index` as an array.
    public subscript(row index: Int) -> [Double] {
        Array(values[index * columns ..< (index + 1) * columns])
    }

    /// The first non-finite value, as (row, column), or nil.
    func firstNonFinite() -> (row: Int, column: Int, value: Double)? {
        for (offset, value) in values.enumerated() where !value.isFinite {
            return (offset / columns, offset % columns, value)
        }
        return nil
    }
}
