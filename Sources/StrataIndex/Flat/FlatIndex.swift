import Foundation
import StrataKernels

/// Exact nearest-neighbour search by scoring every stored vector: the ground truth for
/// every recall figure, and the fast path for small or heavily filtered sets.
///
/// One query is one `cblas_sgemv` over all vectors; a batch is `cblas_sgemm` over blocks of
/// queries × blocks of vectors, one block of queries per core (BLAS itself is held to one
/// thread, see ``BLAS``).
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

    /// Queries per `sgemm` block, and rows per block: 128 × 2,048 scores (1 MiB) stay in L2.
    static let queryBlock = 128
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
        var prepared = rows
        try prepared.withUnsafeMutableBufferPointer { (buffer) throws(IndexError) in
            if let position = Kernels.firstNonFinite(UnsafeBufferPointer(buffer)) {
                throw .nonFiniteComponent(position: position % dimension)
            }
            guard metric.normalizesVectors else { return }
            for r in 0..<newIDs.count where Kernels.normalize(buffer.baseAddress! + r * dimension, count: dimension) == 0 {
                throw .zeroVector
            }
        }
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
        let q = try prepare(query)
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
        var prepared = queries
        let n = queries.count / dimension
        try prepared.withUnsafeMutableBufferPointer { (buffer) throws(IndexError) in
            if let position = Kernels.firstNonFinite(UnsafeBufferPointer(buffer)) { throw .nonFiniteComponent(position: position % dimension) }
            if metric.normalizesVectors {
                for r in 0..<n { Kernels.normalize(buffer.baseAddress! + r * dimension, count: dimension) }
            }
        }
        let results = ResultSlots<[SearchResult]>(count: n, initial: [])
        let blocks = (n + Self.queryBlock - 1) / Self.queryBlock
        prepared.withUnsafeBufferPointer { q in
            vectors.withUnsafeBufferPointer { v in
                squaredNorms.withUnsafeBufferPointer { norms in
                    nonisolated(unsafe) let (queryBase, rowBase, normBase) = (q.baseAddress!, v.baseAddress, norms.baseAddress)
                    Parallel.forEach(blocks, threads: threads) { _, block in
                        let first = block * Self.queryBlock
                        let found = searchBlock(queries: queryBase + first * dimension, count: min(Self.queryBlock, n - first),
                                                rows: rowBase, norms: normBase, k: k)
                        for (i, list) in found.enumerated() { results[first + i] = list }
                    }
                }
            }
        }
        return results.values
    }

    /// Scores one block of queries against every row, block by block, keeping each query's top k.
    private func searchBlock(queries: UnsafePointer<Float>, count queryCount: Int,
                             rows: UnsafePointer<Float>?, norms: UnsafePointer<Float>?, k: Int) -> [[SearchResult]] {
        var tops = [TopK](repeating: TopK(k: k), count: queryCount)
        guard let rows, let norms, count > 0 else { return tops.map { _ in [] } }
        let scores = UnsafeMutablePointer<Float>.allocate(capacity: queryCount * Self.rowBlock)
        defer { scores.deallocate() }
        var queryNorms = [Float](repeating: 0, count: queryCount)
        if metric == .l2 {
            for i in 0..<queryCount { queryNorms[i] = Kernels.dot(queries + i * dimension, queries + i * dimension, count: dimension) }
        }
        var start = 0
        while start < count {
            let rowCount = min(Self.rowBlock, count - start)
            BatchScores.dotProducts(queries: queries, queryCount: queryCount, base: rows + start * dimension,
                                    baseCount: rowCount, dimension: dimension, into: scores)
            for i in 0..<queryCount {
                let line = scores + i * rowCount
                switch metric {
                case .cosine:
                    for j in 0..<rowCount { line[j] = 1 - line[j] }
                case .innerProduct:
                    for j in 0..<rowCount { line[j] = -line[j] }
                case .l2:
                    let qn = queryNorms[i]
                    for j in 0..<rowCount { line[j] = max(0, qn + norms[start + j] - 2 * line[j]) }
                }
                tops[i].insert(distances: UnsafeBufferPointer(start: line, count: rowCount), idOffset: UInt64(start))
            }
            start += rowCount
        }
        return tops.map { top in top.sorted().map { SearchResult(id: ids[Int($0.id)], distance: $0.distance) } }
    }

    /// Checks a query and normalizes it for cosine.
    private func prepare(_ query: [Float]) throws(IndexError) -> [Float] {
        var q = query
        try q.withUnsafeMutableBufferPointer { (buffer) throws(IndexError) in
            try IndexError.validate(UnsafeBufferPointer(buffer), dimension: dimension)
            if metric.normalizesVectors { Kernels.normalize(buffer.baseAddress!, count: dimension) }
        }
        return q
    }
}
