import Foundation
import StrataIndex

extension PatternStore {
    /// Reads a JSONL file of patterns (one JSON object a line; see
    /// ``NewPattern/init(jsonObject:)``) and adds them in batches.
    ///
    /// Every line is parsed and checked before anything is written, so a malformed line
    /// changes nothing. Ids already stored are left when their text is unchanged and
    /// replaced otherwise, so re-running an interrupted import completes it without
    /// duplicates.
    ///
    /// - Parameters:
    ///   - vectors: row i is line i's embedding (`.fvecs` or `.npy`); its count must equal
    ///     the records'.
    ///   - batchSize: records per transaction.
    ///   - progress: called after each batch commits with the records committed so far.
    public func importJSONL(
        path: String, vectorsPath: String? = nil, batchSize: Int = 50_000,
        progress: (_ committed: Int, _ total: Int) -> Void = { _, _ in }
    ) throws(StoreError) -> ImportReport {
        try PatternTransfer(store: self).importJSONL(path: path, vectorsPath: vectorsPath, batchSize: batchSize, progress: progress)
    }

    /// Writes every pattern the filter accepts as JSONL to `path` (`-` for standard output),
    /// and with `vectorsPath` their vectors as `.fvecs` in the same order.
    ///
    /// - Returns: the number of patterns written.
    @discardableResult
    public func exportJSONL(to path: String, vectorsPath: String? = nil, filter: PatternFilter = PatternFilter()) throws(StoreError) -> Int {
        try PatternTransfer(store: self).exportJSONL(to: path, vectorsPath: vectorsPath, filter: filter)
    }

    /// Every pattern the filter accepts, with its vector at the same position: the input of
    /// the analytics (clustering, reports), read page by page so a concurrent write is seen
    /// whole or not at all per page.
    public func snapshot(_ filter: PatternFilter = PatternFilter()) throws(StoreError) -> PatternSnapshot {
        try PatternTransfer(store: self).snapshot(filter)
    }

    /// The `text` of every line of a JSONL query file (other fields ignored), naming the
    /// first bad line.
    public static func readQueries(path: String) throws(StoreError) -> [String] {
        try PatternFile.queries(path: path)
    }
}
