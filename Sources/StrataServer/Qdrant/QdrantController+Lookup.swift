import Foundation
import Hummingbird
import StrataStore

extension QdrantController {
    static func collectionName(_ context: StrataRequestContext) throws(ServerError) -> String {
        let name = context.parameters.get("collection") ?? ""
        try QdrantCollections.validate(name: name)
        return name
    }

    /// The open store of the path's collection; 404 when there is none.
    func collectionStore(_ context: StrataRequestContext) throws(ServerError) -> PatternStore {
        try collections.store(try Self.collectionName(context))
    }

    /// The point's pattern; nil when the collection has no such point. Any other failure (the
    /// catalog's) is the store's error, never a point that is not there.
    static func pattern(_ id: QdrantPointID, in store: PatternStore) throws(StoreError) -> Pattern? {
        do {
            return try store.pattern(id: id.storageKey)
        } catch {
            if case .unknownID = error { return nil }
            throw error
        }
    }

    /// Qdrant's own words for a vector name the collection does not have. No name means the
    /// collection's one vector, named or not.
    static func checkVectorName(_ name: String?, _ store: PatternStore, at path: String) throws(ServerError) {
        let own = store.configuration.vectorName
        guard let name, name != own else { return }
        throw .badRequest("Wrong input: Not existing vector name error: \(name) (\(path)); the collection's vector is " + (own.map { "\"\($0)\"" } ?? "unnamed"))
    }

    /// Qdrant's own words for a vector of the wrong length.
    static func checkDimension(_ vector: [Float], _ store: PatternStore, at path: String) throws(ServerError) {
        let dimension = store.configuration.dimension
        guard vector.count == dimension else {
            throw .badRequest("Wrong input: Vector dimension error: expected dim: \(dimension), got \(vector.count) (\(path))")
        }
    }

    /// The name a sparse query searches: `name` when the collection declares it.
    static func sparseName(_ name: String?, _ store: PatternStore, at path: String) throws(ServerError) -> String {
        let declared = store.configuration.sparseVectorNames ?? []
        guard let name, declared.contains(name) else {
            throw .badRequest("Wrong input: Not existing vector name error: \(name ?? "(none)") (\(path)); a sparse query names one of the collection's sparse vectors: "
                + (declared.isEmpty ? "it has none" : declared.joined(separator: ", ")))
        }
        return name
    }

    /// The hits of one search, dense or sparse, `limit + offset` of them, under `filter`: a
    /// vector, a point id (its dense vector), or a sparse vector under the name `using` (or
    /// `sparseName`, the name a search's named sparse vector gave).
    func hits(
        _ query: QueryPointsBody.Query, _ parameters: NearestParameters, filter: PatternFilter, in store: PatternStore, at path: String, sparseName: String? = nil
    ) throws -> [SearchHit] {
        let vector: [Float]
        switch query {
        case let .vector(given): vector = given
        case let .point(id): vector = try store.vector(id: id.storageKey)
        case let .sparse(sparse):
            let name = try Self.sparseName(sparseName ?? parameters.using, store, at: path)
            return try store.sparseVectors.search(name, sparse, k: min(parameters.limit + parameters.offset, 10_000), filter: filter)
        case .fusion: throw ServerError.badRequest("\(path) must be a vector, a sparse vector or a point id")
        }
        try Self.checkVectorName(parameters.using, store, at: path)
        try Self.checkDimension(vector, store, at: path)
        var request = parameters.request(vector)
        request.filter = filter
        let response = try store.search(request)
        metrics.search(microseconds: response.tookMicroseconds)
        return response.hits
    }

    /// The nearest points to a query as a JSON list of scored points: `limit` after
    /// `offset`, at or past `score_threshold` (Euclid scores are distances, lower is nearer).
    func nearest(_ query: QueryPointsBody.Query, _ parameters: NearestParameters, in store: PatternStore, sparseName: String? = nil) throws -> [UInt8] {
        let found = try hits(query, parameters, filter: parameters.filter, in: store, at: "query", sparseName: sparseName)
        let lowerIsBetter: Bool
        if case .sparse = query { lowerIsBetter = false } else { lowerIsBetter = store.configuration.metric == .l2 }
        let hits = found.dropFirst(parameters.offset).filter { hit in
            guard let threshold = parameters.scoreThreshold else { return true }
            return lowerIsBetter ? hit.similarity <= threshold : hit.similarity >= threshold
        }
        var writer = QdrantPointWriter(shape: parameters.shape, store: store, expected: hits.count)
        try writer.list(hits) { ($0.pattern, $0.similarity) }
        return writer.out
    }

    /// A hybrid query: each prefetch searched (its filter and the request's both hold), then
    /// the candidates fused (`{"fusion": "rrf"|"dbsf"}`) or re-scored by the query vector;
    /// `limit` after `offset` of them, at or past `score_threshold`.
    func fused(_ body: QueryPointsBody, in store: PatternStore) throws -> [UInt8] {
        try Self.checkVectorName(body.nearest.using, store, at: "using")
        var legs: [[SearchFusion.Candidate]] = []
        var patterns: [UInt64: Pattern] = [:]
        var keys: [String: UInt64] = [:]
        for (index, prefetch) in body.prefetch.enumerated() {
            var filter = prefetch.parameters.filter
            if let outer = body.nearest.filter.payload {
                filter.payload = filter.payload.map { .all([$0, outer]) } ?? outer
            }
            let found = try hits(prefetch.query, prefetch.parameters, filter: filter, in: store, at: "prefetch[\(index)].query")
            legs.append(found.map { hit in
                let key = keys[hit.pattern.id] ?? UInt64(keys.count)
                keys[hit.pattern.id] = key
                patterns[key] = hit.pattern
                return SearchFusion.Candidate(row: key, score: Float(hit.similarity))
            })
        }
        var ranked: [SearchFusion.Candidate]
        switch body.query {
        case let .fusion(method)?:
            ranked = SearchFusion(method: method).fuse(legs)
        case let .vector(vector)?:
            ranked = try rescored(legs, by: vector, patterns: patterns, in: store)
        case let .point(id)?:
            ranked = try rescored(legs, by: try store.vector(id: id.storageKey), patterns: patterns, in: store)
        case .sparse?:
            throw ServerError.badRequest("query: re-scoring prefetches by a sparse vector is not supported; fuse them ({\"fusion\": \"rrf\"})")
        case nil:
            ranked = []
        }
        let threshold = body.nearest.scoreThreshold.map(Float.init)
        let lowerIsBetter = store.configuration.metric == .l2 && !isFusion(body.query)
        let hits = ranked.dropFirst(body.nearest.offset).prefix(body.nearest.limit).filter { candidate in
            guard let threshold else { return true }
            return lowerIsBetter ? candidate.score <= threshold : candidate.score >= threshold
        }
        var writer = QdrantPointWriter(shape: body.nearest.shape, store: store, expected: hits.count)
        try writer.list(hits) { (patterns[$0.row]!, Double($0.score)) }
        return writer.out
    }

    func isFusion(_ query: QueryPointsBody.Query?) -> Bool {
        if case .fusion? = query { return true }
        return false
    }

    /// Every prefetch candidate scored by the query vector as Qdrant scores (cosine, dot
    /// product, or Euclidean distance), best first.
    private func rescored(_ legs: [[SearchFusion.Candidate]], by vector: [Float], patterns: [UInt64: Pattern], in store: PatternStore) throws -> [SearchFusion.Candidate] {
        try Self.checkDimension(vector, store, at: "query")
        let metric = store.configuration.metric
        let norm = vector.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
        // Cosine stores keep unit vectors; the query is scaled to match.
        let query = metric == .cosine && norm > 0 ? vector.map { $0 / norm } : vector
        var scored: [SearchFusion.Candidate] = []
        for row in Set(legs.joined().map(\.row)).sorted() {
            let stored = try store.vector(id: patterns[row]!.id)
            let score = metric == .l2
                ? zip(query, stored).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
                : zip(query, stored).reduce(Float(0)) { $0 + $1.0 * $1.1 }
            scored.append(SearchFusion.Candidate(row: row, score: score))
        }
        let lowerIsBetter = metric == .l2
        return scored.sorted { ($0.score == $1.score) ? $0.row < $1.row : (lowerIsBetter ? $0.score < $1.score : $0.score > $1.score) }
    }

    /// `GET /collections/{c}`: what qdrant-client's `CollectionInfo` needs.
    static func info(_ store: PatternStore) throws(StoreError) -> [String: Any] {
        let stats = try store.stats()
        let configuration = store.configuration
        let vectors: [String: Any] = ["size": configuration.dimension, "distance": QdrantCollections.distance(configuration.metric)]
        return [
            "status": "green", "optimizer_status": "ok",
            "indexed_vectors_count": stats.patterns, "points_count": stats.patterns, "segments_count": stats.segments.count + 1,
            "config": [
                "params": [
                    "vectors": configuration.vectorName.map { [$0: vectors] as [String: Any] } ?? vectors,
                    "sparse_vectors": (configuration.sparseVectorNames ?? []).reduce(into: [String: Any]()) { $0[$1] = [String: Any]() },
                    "shard_number": 1, "replication_factor": 1, "write_consistency_factor": 1, "on_disk_payload": true,
                ] as [String: Any],
                "hnsw_config": [
                    "m": configuration.m, "ef_construct": configuration.efConstruction,
                    "full_scan_threshold": configuration.exactScanLimit, "max_indexing_threads": 0, "on_disk": true,
                ] as [String: Any],
                "optimizer_config": [
                    "deleted_threshold": configuration.compactDeadRatio, "vacuum_min_vector_number": 1_000,
                    "default_segment_number": configuration.maxSegments, "max_segment_size": NSNull(), "memmap_threshold": NSNull(),
                    "indexing_threshold": configuration.flushThreshold, "flush_interval_sec": 5, "max_optimization_threads": NSNull(),
                ] as [String: Any],
                "wal_config": ["wal_capacity_mb": 32, "wal_segments_ahead": 0],
                "quantization_config": NSNull(),
            ] as [String: Any],
            "payload_schema": try store.payloadFields.list().reduce(into: [String: Any]()) { schema, field in
                schema[field.key] = ["data_type": field.schema.rawValue, "points": field.points]
            },
        ]
    }
}
