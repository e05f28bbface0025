import Foundation
import StrataKernels

/// Exact nearest-neighbour search by scoring every stored vector: the ground truth for
/// every recall figure, and the fast path for small or heavily filtered sets.
///
/// One query is one `cblas_sgemv` over all vectors; a batch is `cblas_sgemm` over blocks of
/// vectors × blocks of queries, the vectors shared out between the cores (BLAS itself is held
/// to one thread, see ``BLAS``).
///
/// - Important: Searches may run concurrently with each other, not with `add`.
public final class FlatIndex: @unchecked Sendable {
    /// Vector length.
    public let dimension: Int
    /// The metric vectors are compared by.
    public let metric: Metric
    /// Stored vectors, row-major, normalized for cosine.
    public private(set) var vectors: [Float] = []
    /// The id of each stored row.
    public private(set) var ids: [UInt64] = []
    /// `‖v‖²` of each row, for l2.
    private var squaredNorms: [Float] = []

    /// Queries per `sgemm` block, and rows per block: a 2 MiB score buffer per worker. Larger
    /// row blocks (4,096-16,384) and smaller query blocks measured slower in
    /// `strata-kernel-bench flat`; the remaining shapes tied within the machine's noise.
    static let queryBlock = 256
    static let rowBlock = 2048

    /// Creates an empty index.
    public init(dimension: Int, metric: Metric) throws(IndexError) {
        guard dimension >= 1 else { throw .invalidConfiguration(parameter: "dimension", value: "\(dimension)", expected: "≥ 1") }
        self.dimension = dimension
        self.metric = metric
    }

    /// Stored vectors.
    public var count: Int { ids.count }
    /// Bytes held by vectors, ids and norms.
    public var memoryBytes: Int { vectors.capacity * 4 + ids.capacity * 8 + squaredNorms.capacity * 4 }

    /// Adds vectors (`ids.count * dimension` floats, row-major) with their ids.
    ///
    /// - Throws: ``IndexError`` for a wrong length, NaN or infinity, or (cosine) a zero vector;
    ///   nothing is added then.
    public func add(contentsOf rows: [Float], ids newIDs: [UInt64]) throws(IndexError) {
        guard rows.count == newIDs.count * dimension else {
            throw .invalidArgument(name: "vectors", value: "\(rows.count) floats", expected: "\(newIDs.count) × \(dimension)")
        }
        let prepared = try prepare(rows, rejectZero: metric.normalizesVectors)
        let first = ids.count
        vectors.append(contentsOf: prepared)
        ids.append(contentsOf: newIDs)
        squaredNorms.append(contentsOf: repeatElement(0, count: newIDs.count))
        vectors.withUnsafeBufferPointer { v in
            squaredNorms.withUnsafeMutableBufferPointer { norms in
                BatchScores.squaredNorms(v.baseAddress! + first * dimension, count: newIDs.count, dimension: dimension,
                                         into: norms.baseAddress! + first)
            }
        }
    }

    /// The `k` nearest stored vectors to `query`, nearest first; one `sgemv`.
    ///
    /// - Parameter filter: when given, only ids it accepts are returned.
    /// - Complexity: O(n × dimension).
    public func search(_ query: [Float], k: Int, filter: ((UInt64) -> Bool)? = nil) throws(IndexError) -> [SearchResult] {
        guard query.count == dimension else { throw .dimensionMismatch(expected: dimension, got: query.count) }
        let q = try prepare(query, rejectZero: false)
        guard k >= 1 else { throw .invalidArgument(name: "k", value: "\(k)", expected: "≥ 1") }
        var scores = [Float](repeating: 0, count: count)
        vectors.withUnsafeBufferPointer { v in
            scores.withUnsafeMutableBufferPointer { s in
                BatchScores.dotProducts(query: q, base: v.baseAddress!, baseCount: count, dimension: dimension, into: s.baseAddress!)
            }
        }
        var top = TopK(k: k)
        let queryNorm = metric == .l2 ? q.withUnsafeBufferPointer { Kernels.dot($0.baseAddress!, $0.baseAddress!, count: dimension) } : 0
        for row in 0..<count {
            if let filter, !filter(ids[row]) { continue }
            top.insert(distance: metric.distance(dot: scores[row], squaredNormA: queryNorm, squaredNormB: squaredNorms[row]), id: UInt64(row))
        }
        return top.sorted().map { SearchResult(id: ids[Int($0.id)], distance: $0.distance) }
    }

    /// The `k` nearest stored vectors to each query, through blocked `sgemm` on `threads` threads.
    ///
    /// - Parameter queries: `n * dimension` floats, row-major.
    /// - Complexity: O(n × count × dimension), at BLAS level-3 speed.
    public func search(batch queries: [Float], k: Int, threads: Int = Parallel.coreCount) throws(IndexError) -> [[SearchResult]] {
        guard queries.count % dimension == 0 else {
            throw .invalidArgument(name: "queries", value: "\(queries.count) floats", expected: "a multiple of the dimension \(dimension)")
        }
        guard k >= 1 else { throw .invalidArgument(name: "k", value: "\(k)", expected: "≥ 1") }
        let prepared = try prepare(queries, rejectZero: false)
        let n = queries.count / dimension
        guard count > 0 else { return Array(repeating: [], count: n) }
        // Rows are split between the workers, not queries: each worker streams its share of
        // the stored vectors once, against every query, and keeps a top-k per query; the
        // workers' selections are merged at the end. Splitting queries makes every worker
        // stream all the vectors instead; in paired runs the two tied within the noise.
        let workers = max(1, min(threads, (count + Self.rowBlock - 1) / Self.rowBlock))
        let selections = ResultSlots<[TopK]>(count: workers, initial: [])
        let rowBlocks = (count + Self.rowBlock - 1) / Self.rowBlock
        let queryNorms: [Float] = metric != .l2 ? Array(repeating: 0, count: n) : prepared.withUnsafeBufferPointer { q in
            (0..<n).map { Kernels.dot(q.baseAddress! + $0 * dimension, q.baseAddress! + $0 * dimension, count: dimension) }
        }
        prepared.withUnsafeBufferPointer { q in
            vectors.withUnsafeBufferPointer { v in
                squaredNorms.withUnsafeBufferPointer { norms in
                    nonisolated(unsafe) let (queryBase, rowBase, normBase) = (q.baseAddress!, v.baseAddress!, norms.baseAddress!)
                    Parallel.forEach(workers, threads: workers) { _, worker in
                        var tops = [TopK](repeating: TopK(k: k), count: n)
                        let scores = UnsafeMutablePointer<Float>.allocate(capacity: Self.queryBlock * Self.rowBlock)
                        defer { scores.deallocate() }
                        for block in stride(from: worker, to: rowBlocks, by: workers) {
                            let start = block * Self.rowBlock
                            let rowCount = min(Self.rowBlock, count - start)
                            for first in stride(from: 0, to: n, by: Self.queryBlock) {
                                let queryCount = min(Self.queryBlock, n - first)
                                // scores[row][query]: rows outer, so one pass over the buffer
                                // meets every query's bound in turn, all of them in L1.
                                BatchScores.dotProducts(queries: rowBase + start * dimension, queryCount: rowCount,
                                                        base: queryBase + first * dimension, baseCount: queryCount,
                                                        dimension: dimension, into: scores)
                                select(scores: scores, rows: rowCount, firstRow: start, queries: queryCount,
                                       firstQuery: first, queryNorms: queryNorms, norms: normBase, into: &tops)
                            }
                        }
                        selections[worker] = tops
                    }
                }
            }
        }
        return (0..<n).map { q in
            var merged = TopK(k: k)
            for worker in 0..<workers {
                for entry in selections[worker][q].sorted() { merged.insert(distance: entry.distance, id: entry.id) }
            }
            return merged.sorted().map { SearchResult(id: ids[Int($0.id)], distance: $0.distance) }
        }
    }

    /// Offers a block of scores, `scores[r * queries + q]` for rows `firstRow ..< firstRow + rows`
    /// and queries `firstQuery ..< firstQuery + queries`, to the queries' selections.
    ///
    /// Bounds are cached in a small array and refreshed only on an insert: most scores are
    /// rejected by one comparison. For cosine and inner product the bound is turned into a
    /// least dot product (`1 − d` and `−d`), so a rejection reads the score and compares it,
    /// nothing more (the pass was a fifth of a 1,000 × 100k batch).
    private func select(scores: UnsafePointer<Float>, rows: Int, firstRow: Int, queries: Int, firstQuery: Int,
                        queryNorms: [Float], norms: UnsafePointer<Float>, into tops: inout [TopK]) {
        guard metric != .l2 else {
            return selectL2(scores: scores, rows: rows, firstRow: firstRow, queries: queries, firstQuery: firstQuery, queryNorms: queryNorms, norms: norms, into: &tops)
        }
        // distance = offset − dot: cosine 1 − dot, inner product −dot.
        let offset = metric.distance(dot: 0)
        var least = (0..<queries).map { offset - tops[firstQuery + $0].bound }
        least.withUnsafeMutableBufferPointer { least in
            for r in 0..<rows {
                let line = scores + r * queries
                for q in 0..<queries where line[q] >= least[q] {
                    tops[firstQuery + q].insert(distance: metric.distance(dot: line[q]), id: UInt64(firstRow + r))
                    least[q] = offset - tops[firstQuery + q].bound
                }
            }
        }
    }

    /// ``select(scores:rows:firstRow:queries:firstQuery:queryNorms:norms:into:)`` for L2,
    /// whose distance needs both squared norms.
    private func selectL2(scores: UnsafePointer<Float>, rows: Int, firstRow: Int, queries: Int, firstQuery: Int,
                          queryNorms: [Float], norms: UnsafePointer<Float>, into tops: inout [TopK]) {
        var bounds = (0..<queries).map { tops[firstQuery + $0].bound }
        bounds.withUnsafeMutableBufferPointer { bound in
            for r in 0..<rows {
                let line = scores + r * queries
                let id = UInt64(firstRow + r)
                let rowNorm = norms[firstRow + r]
                for q in 0..<queries {
                    let d = metric.distance(dot: line[q], squaredNormA: queryNorms[firstQuery + q], squaredNormB: rowNorm)
                    if d <= bound[q] {
                        tops[firstQuery + q].insert(distance: d, id: id)
                        bound[q] = tops[firstQuery + q].bound
                    }
                }
            }
        }
    }

    /// Checks row-major vectors (see ``IndexError/validate(rows:dimension:rejectZero:)``) and
    /// returns them normalized for cosine.
    private func prepare(_ rows: [Float], rejectZero: Bool) throws(IndexError) -> [Float] {
        var prepared = rows
        try prepared.withUnsafeMutableBufferPointer { (buffer) throws(IndexError) in
            try IndexError.validate(rows: UnsafeBufferPointer(buffer), dimension: dimension, rejectZero: rejectZero)
            guard metric.normalizesVectors else { return }
            for start in stride(from: 0, to: buffer.count, by: dimension) { Kernels.normalize(buffer.baseAddress! + start, count: dimension) }
        }
        return prepared
    }
}
