import Foundation

/// The sparse vectors of one name, inverted: for each dimension, the rows with a weight there.
/// Guarded by the ``PayloadIndex`` that holds it.
final class SparseInvertedIndex {
    private var postings: [UInt32: [(row: Int32, weight: Float)]] = [:]
    /// Each row's vector, to take its postings out when it changes.
    private var vectors: [Int32: SparseVector] = [:]

    var count: Int { vectors.count }

    /// Replaces the vector of `row`; nil removes it.
    func set(row: Int, _ vector: SparseVector?) {
        let key = Int32(row)
        if let old = vectors.removeValue(forKey: key) {
            for index in old.indices {
                postings[index]?.removeAll { $0.row == key }
                if postings[index]?.isEmpty == true { postings[index] = nil }
            }
        }
        guard let vector else { return }
        vectors[key] = vector
        for (index, weight) in zip(vector.indices, vector.values) where weight != 0 {
            postings[index, default: []].append((key, weight))
        }
    }

    /// The dot product of `query` with every row sharing a dimension with it (and accepted by
    /// `allowed`, when given).
    func scores(_ query: SparseVector, allowed: Set<Int64>?) -> [Int32: Float] {
        var scores: [Int32: Float] = [:]
        for (index, weight) in zip(query.indices, query.values) where weight != 0 {
            for posting in postings[index] ?? [] where allowed?.contains(Int64(posting.row)) ?? true {
                scores[posting.row, default: 0] += weight * posting.weight
            }
        }
        return scores
    }
}

extension PayloadIndex {
    /// The `k` best rows by their `name` sparse vector's dot product with `query`, best first
    /// (ties by row); rows sharing no dimension with it are not ranked.
    func sparseNearest(_ name: String, _ query: SparseVector, k: Int, allowed: Set<Int64>?) -> [(row: Int64, score: Float)] {
        lock.lock()
        defer { lock.unlock() }
        guard let index = sparse[name] else { return [] }
        let ranked = index.scores(query, allowed: allowed).sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        return ranked.prefix(k).map { (Int64($0.key), $0.value) }
    }
}
