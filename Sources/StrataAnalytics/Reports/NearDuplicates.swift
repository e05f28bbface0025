import StrataKernels

/// Groups of near-identical vectors: every pair at cosine ≥ a threshold is linked, and the
/// linked components (union–find) are the groups.
///
/// Pairs are compared within each cluster only, one `sgemm` per block of members against the
/// cluster, so the cost is Σ size² × d rather than n² × d (about 25 times less at k = 32 on
/// balanced clusters). Near-duplicates on either side of a cluster border are missed; at a
/// threshold as high as 0.95 such pairs are rare, since both sit close to the same centroid.
package enum NearDuplicates {
    package struct Group {
        /// Rows, ascending.
        package var rows: [Int]
        package var minimumSimilarity: Float
    }

    /// Rows per `sgemm` block: 512 rows × a 4,096-member cluster is 8 MiB of scores.
    static let blockRows = 512

    /// - Parameters:
    ///   - unit: `n × dimension` unit-length rows.
    ///   - members: the rows of each cluster.
    /// - Returns: groups of two or more rows, each inside one cluster.
    package static func groups(unit: [Float], dimension d: Int, members: [[Int]], threshold: Double) -> [Group] {
        let n = unit.count / max(d, 1)
        var parent = Array(0..<n)
        var weakest = [Float](repeating: 1, count: n)
        func root(_ x: Int) -> Int {
            var x = x
            while parent[x] != x {
                parent[x] = parent[parent[x]]
                x = parent[x]
            }
            return x
        }
        let cut = Float(threshold)
        var gathered: [Float] = []
        var scores: [Float] = []
        for rows in members where rows.count >= 2 {
            let m = rows.count
            gathered.removeAll(keepingCapacity: true)
            gathered.reserveCapacity(m * d)
            for row in rows { gathered += unit[row * d ..< (row + 1) * d] }
            scores = [Float](repeating: 0, count: min(blockRows, m) * m)
            var start = 0
            while start < m {
                let count = min(blockRows, m - start)
                // Only members from the block's first row on: each pair is scored once (upper
                // triangle), which halves the flops.
                let width = m - start
                gathered.withUnsafeBufferPointer { all in
                    scores.withUnsafeMutableBufferPointer { out in
                        BatchScores.dotProducts(queries: all.baseAddress! + start * d, queryCount: count,
                                                base: all.baseAddress! + start * d, baseCount: width, dimension: d, into: out.baseAddress!)
                    }
                }
                for i in 0..<count {
                    let a = start + i
                    for column in (i + 1)..<width where scores[i * width + column] >= cut {
                        let b = start + column
                        let ra = root(rows[a]), rb = root(rows[b])
                        let similarity = scores[i * width + column]
                        if ra != rb {
                            parent[max(ra, rb)] = min(ra, rb)
                            weakest[min(ra, rb)] = min(weakest[ra], weakest[rb], similarity)
                        }
                    }
                }
                start += count
            }
        }
        var byRoot: [Int: [Int]] = [:]
        for row in 0..<n where parent[row] != row {
            byRoot[root(row), default: []].append(row)
        }
        return byRoot.map { rootRow, others in
            Group(rows: ([rootRow] + others).sorted(), minimumSimilarity: weakest[rootRow])
        }
    }
}
