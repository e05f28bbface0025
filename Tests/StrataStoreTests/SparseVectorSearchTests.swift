import Foundation
import StrataKernels
import StrataStore
import Testing
import StrataTestSupport

/// Named sparse vectors: exact dot-product ranking against brute force, under filters, after
/// replacements, deletes and a reopen, through the JSON form, and refusals.
@Suite struct SparseVectorSearchTests {
    static func randomSparse(_ random: inout SeededRandom, vocabulary: UInt32 = 60, terms: Int = 6) -> SparseVector {
        let indices = Array(Set((0..<terms).map { _ in UInt32.random(in: 0..<vocabulary, using: &random) })).sorted()
        return SparseVector(indices: indices, values: indices.map { _ in Float(Int.random(in: 1...8, using: &random)) / 4 })
    }

    static func dot(_ a: SparseVector, _ b: SparseVector) -> Float {
        let weights = Dictionary(uniqueKeysWithValues: zip(b.indices, b.values))
        return zip(a.indices, a.values).reduce(Float(0)) { $0 + $1.1 * (weights[$1.0] ?? 0) }
    }

    /// The brute-force ranking: ids sharing a dimension with the query, best first, ties by id.
    static func expected(_ query: SparseVector, _ vectors: [String: SparseVector], k: Int) -> [String] {
        let scored = vectors.compactMap { id, vector -> (String, Float)? in
            Set(vector.indices).isDisjoint(with: query.indices) ? nil : (id, dot(query, vector))
        }
        return scored.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.prefix(k).map(\.0)
    }

    @Test(arguments: CatalogBackend.available) func sparseSearchRanksExactlyAsBruteForceThroughEveryWrite(_ backend: CatalogBackend) throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        var random = SeededRandom(seed: 2_024)
        let dense = clusteredVectors(count: 150, dimension: 8, seed: 21)
        var vectors: [String: SparseVector] = [:]
        var points: [NewPattern] = []
        for index in 0..<dense.count {
            let id = String(format: "s%03d", index)
            var point = NewPattern(id: id, text: "", kind: "point", vector: dense[index], payload: #"{"even":\#(index % 2 == 0)}"#)
            if index % 10 != 9 {
                vectors[id] = Self.randomSparse(&random)
                point.sparse = ["splade": vectors[id]!]
            }
            points.append(point)
        }
        do {
            let store = try makeVectorStore(directory, backend: backend, dimension: 8)
            defer { try? store.close() }
            _ = try store.add(points)
            func check(_ label: String) throws {
                for _ in 0..<20 {
                    let query = Self.randomSparse(&random, terms: 4)
                    let hits = try store.sparseVectors.search("splade", query, k: 7)
                    #expect(hits.map(\.pattern.id) == Self.expected(query, vectors, k: 7), "\(label)")
                    for hit in hits { #expect(Float(hit.score) == Self.dot(query, vectors[hit.pattern.id]!)) }
                    var even = PatternFilter()
                    even.payload = .equals(try PayloadKey("even"), .bool(true))
                    let evenIDs = vectors.filter { Int($0.key.dropFirst())! % 2 == 0 }
                    #expect(try store.sparseVectors.search("splade", query, k: 5, filter: even).map(\.pattern.id) == Self.expected(query, evenIDs, k: 5), "\(label), filtered")
                }
            }
            try check("as added")
            // A replaced point's new vector, a deleted point, a point that loses its vector.
            var replaced = points[4]
            replaced.sparse = ["splade": SparseVector(indices: [1, 2], values: [9, 9])]
            vectors["s004"] = replaced.sparse["splade"]
            var stripped = points[6]
            stripped.sparse = [:]
            vectors["s006"] = nil
            _ = try store.add([replaced, stripped], existing: .replace)
            try store.delete(id: "s010")
            vectors["s010"] = nil
            try check("after writes")
            #expect(try store.sparseVectors.search("splade", SparseVector(indices: [1, 2], values: [1, 1]), k: 1).first?.pattern.id == "s004")
            #expect(try store.sparseVectors.search("other", SparseVector(indices: [1], values: [1])).isEmpty)
            let exported = try store.pattern(id: "s004").jsonObject()
            #expect(try NewPattern(jsonObject: exported).sparse == replaced.sparse)
        }
        let store = try PatternStore.open(at: directory)
        defer { try? store.close() }
        for _ in 0..<10 {
            let query = Self.randomSparse(&random, terms: 4)
            #expect(try store.sparseVectors.search("splade", query, k: 7).map(\.pattern.id) == Self.expected(query, vectors, k: 7), "after a reopen")
        }
        #expect(try store.verify().isEmpty)
    }

    @Test func malformedSparseVectorsAreRefusedAndNothingIsStored() throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let store = try makeVectorStore(directory, dimension: 8)
        defer { try? store.close() }
        let dense = clusteredVectors(count: 2, dimension: 8, seed: 22)
        for bad in [SparseVector(indices: [1, 2], values: [1]), SparseVector(indices: [3, 3], values: [1, 2]), SparseVector(indices: [1], values: [.nan])] {
            var point = NewPattern(id: "x", text: "", kind: "point", vector: dense[0])
            point.sparse = ["splade": bad]
            #expect(throws: StoreError.self) { try store.add([NewPattern(id: "ok", text: "", kind: "point", vector: dense[1]), point]) }
            #expect(throws: StoreError.self) { try store.sparseVectors.search("splade", bad) }
        }
        #expect(try store.count() == 0)
        #expect(throws: StoreError.self) { try store.sparseVectors.search("splade", SparseVector(indices: [1], values: [1]), k: 0) }
        #expect(throws: NewPatternDecodingError.self) { try NewPattern(jsonObject: ["text": "x = 1", "sparse": ["a": ["indices": [-1], "values": [1]]]]) }
    }
}
