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

    /// Qdrant's own words for a vector of the wrong length.
    static func checkDimension(_ vector: [Float], _ store: PatternStore, at path: String) throws(ServerError) {
        let dimension = store.configuration.dimension
        guard vector.count == dimension else {
            throw .badRequest("Wrong input: Vector dimension error: expected dim: \(dimension), got \(vector.count) (\(path))")
        }
    }

    /// The nearest points to `vector` as a JSON list of scored points: `limit` after
    /// `offset`, at or past `score_threshold` (Euclid scores are distances, lower is nearer).
    func nearest(_ vector: [Float], _ parameters: NearestParameters, in store: PatternStore) throws -> [UInt8] {
        try Self.checkDimension(vector, store, at: "query")
        let response = try store.search(parameters.request(vector))
        metrics.search(microseconds: response.tookMicroseconds)
        let lowerIsBetter = store.configuration.metric == .l2
        let hits = response.hits.dropFirst(parameters.offset).filter { hit in
            guard let threshold = parameters.scoreThreshold else { return true }
            return lowerIsBetter ? hit.similarity <= threshold : hit.similarity >= threshold
        }
        var writer = QdrantPointWriter(shape: parameters.shape, store: store, expected: hits.count)
        try writer.list(hits) { ($0.pattern, $0.similarity) }
        return writer.out
    }

    /// `GET /collections/{c}`: what qdrant-client's `CollectionInfo` needs.
    static func info(_ store: PatternStore) throws(StoreError) -> [String: Any] {
        let stats = try store.stats()
        let configuration = store.configuration
        return [
            "status": "green", "optimizer_status": "ok",
            "indexed_vectors_count": stats.patterns, "points_count": stats.patterns, "segments_count": stats.segments.count + 1,
            "config": [
                "params": [
                    "vectors": ["size": configuration.dimension, "distance": QdrantCollections.distance(configuration.metric)],
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
            "payload_schema": [String: Any](),
        ]
    }
}
