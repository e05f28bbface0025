import Foundation
import Hummingbird
import StrataKernels
import StrataStore

/// Qdrant's REST API, the subset its clients use for collections and points, on Qdrant's own
/// paths: answers in Qdrant's `{"result", "status", "time"}` envelope, errors as
/// `{"status": {"error"}, "time"}` (``QdrantEnvelopeMiddleware``).
extension StrataService {
    /// The version Strata answers as: the Qdrant REST API level its subset follows (tested with
    /// qdrant-client 1.20; clients warn when the server is more than one minor version away).
    package static let qdrantCompatibleVersion = "1.20.0"

    func addQdrantRoutes(to router: Router<BasicRequestContext>) {
        // Qdrant's root answers its version; a browser asking for a page goes to the dashboard.
        router.get("/") { request, _ in
            if let accept = request.headers[.accept], accept.contains("text/html") {
                return Response(status: .seeOther, headers: [.location: "/dashboard"])
            }
            return JSONResponse.make(["title": "qdrant - vector search engine", "version": Self.qdrantCompatibleVersion, "commit": NSNull()])
        }
        let collections = router.group("collections").add(middleware: QdrantEnvelopeMiddleware())
        collections.get { _, _ throws(ServerError) in
            Self.qdrant(["collections": self.collections.names().map { ["name": $0] }])
        }
        collections.get(":collection") { _, context throws(ServerError) in
            let name = try self.collectionName(context)
            return Self.qdrant(try self.collectionInfo(name))
        }
        collections.get(":collection/exists") { _, context throws(ServerError) in
            Self.qdrant(["exists": self.collections.contains(try self.collectionName(context))])
        }
        collections.put(":collection") { request, context throws(ServerError) in
            let name = try self.collectionName(context)
            let body = try await JSONResponse.object(request, limit: self.configuration.maxBodyBytes)
            let (size, metric) = try Self.vectorParameters(body["vectors"])
            try self.collections.create(name, dimension: size, metric: metric)
            return Self.qdrant(true)
        }
        collections.delete(":collection") { _, context throws(ServerError) in
            Self.qdrant(try self.collections.delete(try self.collectionName(context)))
        }
        collections.put(":collection/points") { request, context throws(ServerError) in
            let store = try self.collectionStore(context)
            let body = try await JSONResponse.object(request, limit: self.configuration.maxBodyBytes)
            let points = try Self.points(body, dimension: store.configuration.dimension)
            _ = try self.storeCall { () throws(StoreError) in try store.add(points, existing: .replace) }
            return Self.qdrant(Self.completed())
        }
        collections.post(":collection/points") { request, context throws(ServerError) in
            let store = try self.collectionStore(context)
            let body = try await JSONResponse.object(request, limit: self.configuration.maxBodyBytes)
            guard let ids = body["ids"] as? [Any] else { throw .badRequest("\"ids\" must be a list of point ids") }
            let shape = try RecordShape(body)
            var records: [Any] = []
            for id in ids {
                let key = try QdrantPointID(json: id).storageKey
                guard let pattern = try? store.pattern(id: key) else { continue }
                records.append(try self.record(pattern, shape: shape, store: store))
            }
            return Self.qdrant(records)
        }
        collections.get(":collection/points/:id") { _, context throws(ServerError) in
            let store = try self.collectionStore(context)
            let raw = context.parameters.get("id") ?? ""
            let key = try QdrantPointID(json: raw).storageKey
            guard let pattern = try? store.pattern(id: key) else { throw .notFound("No point with id \(raw) found") }
            return Self.qdrant(try self.record(pattern, shape: RecordShape(payload: .all, vector: true), store: store))
        }
        collections.post(":collection/points/delete") { request, context throws(ServerError) in
            let store = try self.collectionStore(context)
            let body = try await JSONResponse.object(request, limit: self.configuration.maxBodyBytes)
            var filter = PatternFilter()
            if let ids = body["points"] as? [Any] {
                var keys: [String] = []
                for id in ids { keys.append(try QdrantPointID(json: id).storageKey) }
                filter.payload = .hasID(keys)
            } else if let condition = body["filter"] {
                filter.payload = try QdrantFilter.condition(condition)
            } else {
                throw .badRequest("send \"points\" (a list of ids) or \"filter\" to say which points to delete")
            }
            _ = try self.storeCall { () throws(StoreError) in try store.delete(matching: filter) }
            return Self.qdrant(Self.completed())
        }
        collections.post(":collection/points/search") { request, context throws(ServerError) in
            let store = try self.collectionStore(context)
            let body = try await JSONResponse.object(request, limit: self.configuration.maxBodyBytes)
            guard let vector = body["vector"] else { throw .badRequest("\"vector\" is required: the query vector, a list of numbers") }
            return Self.qdrant(try self.nearest(store, vector: try Self.vector(vector, at: "vector"), body: body))
        }
        collections.post(":collection/points/query") { request, context throws(ServerError) in
            let store = try self.collectionStore(context)
            let body = try await JSONResponse.object(request, limit: self.configuration.maxBodyBytes)
            guard let query = body["query"], !(query is NSNull) else {
                // No query: the points in id order, as Qdrant answers.
                let limit = try JSONResponse.whole(body["limit"], "limit", default: 10, range: 1...10_000)
                let filter = try Self.filter(body)
                let page = try self.storeCall { () throws(StoreError) in try store.scroll(filter, limit: limit) }
                let shape = try RecordShape(body)
                var points: [Any] = []
                for pattern in page.patterns { points.append(try self.scoredPoint(pattern, score: 0, shape: shape, store: store)) }
                return Self.qdrant(["points": points])
            }
            let vector: [Float]
            if let nearest = (query as? [String: Any])?["nearest"] {
                vector = try self.queryVector(nearest, store: store)
            } else {
                vector = try self.queryVector(query, store: store)
            }
            return Self.qdrant(["points": try self.nearest(store, vector: vector, body: body)])
        }
        collections.post(":collection/points/scroll") { request, context throws(ServerError) in
            let store = try self.collectionStore(context)
            let body = try await JSONResponse.object(request, limit: self.configuration.maxBodyBytes)
            let limit = try JSONResponse.whole(body["limit"], "limit", default: 10, range: 1...10_000)
            let filter = try Self.filter(body)
            var from: String?
            if let offset = body["offset"], !(offset is NSNull) { from = try QdrantPointID(json: offset).storageKey }
            let page = try self.storeCall { () throws(StoreError) in try store.scroll(filter, from: from, limit: limit) }
            let shape = try RecordShape(body)
            var records: [Any] = []
            for pattern in page.patterns { records.append(try self.record(pattern, shape: shape, store: store)) }
            let next: Any = page.nextID.flatMap(QdrantPointID.init(storageKey:))?.json ?? NSNull()
            return Self.qdrant(["points": records, "next_page_offset": next])
        }
        collections.post(":collection/points/count") { request, context throws(ServerError) in
            let store = try self.collectionStore(context)
            // A count of everything may come without a body; a body must still be valid JSON.
            let body = try await JSONResponse.object(request, limit: self.configuration.maxBodyBytes, emptyIs: [:])
            let filter = try Self.filter(body)
            return Self.qdrant(["count": try self.storeCall { () throws(StoreError) in try store.count(filter) }])
        }
    }

    // MARK: answers

    /// The envelope of a successful answer, with the seconds since the request reached
    /// ``QdrantEnvelopeMiddleware``.
    static func qdrant(_ result: Any) -> Response {
        let seconds = QdrantRequestClock.arrival.map { (ContinuousClock.now - $0) / .seconds(1) } ?? 0
        return JSONResponse.make(["result": result, "status": "ok", "time": seconds])
    }

    /// An update's result: Strata acknowledges a write once it is durable, so it is always
    /// completed (`wait` or not).
    static func completed() -> [String: Any] {
        ["operation_id": Int(Date().timeIntervalSince1970 * 1_000), "status": "completed"]
    }

    func collectionInfo(_ name: String) throws(ServerError) -> [String: Any] {
        let store = try collections.store(name)
        let stats = try storeCall { () throws(StoreError) in try store.stats() }
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

    /// Which parts of a point an answer carries: `with_payload` (true, false, a list of keys,
    /// `{"include"}` or `{"exclude"}`) and `with_vector`/`with_vectors`.
    struct RecordShape {
        enum Payload { case none, all, include(Set<String>), exclude(Set<String>) }
        var payload: Payload
        var vector: Bool

        init(payload: Payload, vector: Bool) {
            self.payload = payload
            self.vector = vector
        }

        init(_ body: [String: Any], payloadByDefault: Bool = true) throws(ServerError) {
            switch body["with_payload"] {
            case nil, is NSNull: payload = payloadByDefault ? .all : .none
            case let keys as [String]: payload = .include(Set(keys))
            case let object as [String: Any]:
                if let keys = object["include"] as? [String] { payload = .include(Set(keys)) }
                else if let keys = object["exclude"] as? [String] { payload = .exclude(Set(keys)) }
                else { throw .badRequest("\"with_payload\" must be true, false, a list of keys, {\"include\": [...]} or {\"exclude\": [...]}") }
            case let number as NSNumber where number.isJSONBoolean: payload = number.boolValue ? .all : .none
            default: throw .badRequest("\"with_payload\" must be true, false, a list of keys, {\"include\": [...]} or {\"exclude\": [...]}")
            }
            let flag = body["with_vector"] ?? body["with_vectors"]
            switch flag {
            case nil, is NSNull: vector = false
            case let number as NSNumber where number.isJSONBoolean: vector = number.boolValue
            default: throw .badRequest("\"with_vector\" must be true or false (named vectors are not supported)")
            }
        }
    }

    /// A stored point as Qdrant's Record: id, payload, vector.
    func record(_ pattern: Pattern, shape: RecordShape, store: PatternStore) throws(ServerError) -> [String: Any] {
        var object: [String: Any] = ["id": QdrantPointID(storageKey: pattern.id)?.json ?? pattern.id]
        switch shape.payload {
        case .none: object["payload"] = NSNull()
        case .all: object["payload"] = RawJSON(pattern.payload ?? "{}")
        case let .include(keys), let .exclude(keys):
            let whole = (pattern.payload.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) } as? [String: Any]) ?? [:]
            let include: Bool
            if case .include = shape.payload { include = true } else { include = false }
            object["payload"] = whole.filter { keys.contains($0.key) == include }
        }
        if shape.vector {
            object["vector"] = try storeCall { () throws(StoreError) in try store.vector(id: pattern.id) }
        } else {
            object["vector"] = NSNull()
        }
        return object
    }

    func scoredPoint(_ pattern: Pattern, score: Double, shape: RecordShape, store: PatternStore) throws(ServerError) -> [String: Any] {
        var object = try record(pattern, shape: shape, store: store)
        object["score"] = score
        object["version"] = pattern.version
        return object
    }

    // MARK: requests

    func collectionName(_ context: BasicRequestContext) throws(ServerError) -> String {
        let name = context.parameters.get("collection") ?? ""
        try QdrantCollections.validate(name: name)
        return name
    }

    func collectionStore(_ context: BasicRequestContext) throws(ServerError) -> PatternStore {
        try collections.store(try collectionName(context))
    }

    /// `{"vectors": {"size": 384, "distance": "Cosine"}}`; named vectors are refused.
    static func vectorParameters(_ value: Any?) throws(ServerError) -> (Int, Metric) {
        guard let vectors = value as? [String: Any], let size = vectors["size"] as? NSNumber, let distance = vectors["distance"] as? String else {
            throw .badRequest("\"vectors\" must be {\"size\": N, \"distance\": \"Cosine\"|\"Dot\"|\"Euclid\"} (named vectors are not supported)")
        }
        guard size.doubleValue == size.doubleValue.rounded() else { throw .badRequest("vectors.size must be a whole number") }
        return (size.intValue, try QdrantCollections.metric(distance))
    }

    /// Points to upsert: `{"points": [{"id", "vector", "payload"}]}` or `{"batch": {"ids",
    /// "vectors", "payloads"}}`.
    static func points(_ body: [String: Any], dimension: Int) throws(ServerError) -> [NewPattern] {
        var items: [(id: Any, vector: Any, payload: Any?)] = []
        if let points = body["points"] {
            guard let points = points as? [Any] else { throw .badRequest("\"points\" must be a list of {\"id\", \"vector\", \"payload\"}") }
            for (index, point) in points.enumerated() {
                guard let point = point as? [String: Any], let id = point["id"], let vector = point["vector"] else {
                    throw .badRequest("points[\(index)] must have \"id\" and \"vector\"")
                }
                items.append((id, vector, point["payload"]))
            }
        } else if let batch = body["batch"] as? [String: Any] {
            guard let ids = batch["ids"] as? [Any], let vectors = batch["vectors"] as? [Any], vectors.count == ids.count else {
                throw .badRequest("\"batch\" must have \"ids\" and \"vectors\" lists of the same length")
            }
            let payloads = batch["payloads"] as? [Any]
            if let payloads, payloads.count != ids.count { throw .badRequest("batch.payloads must have one entry per id (\(ids.count)), got \(payloads.count)") }
            for index in ids.indices { items.append((ids[index], vectors[index], payloads?[index])) }
        } else {
            throw .badRequest("send \"points\" (a list) or \"batch\" (ids, vectors, payloads)")
        }
        guard !items.isEmpty else { throw .badRequest("no points to upsert") }
        var seen = Set<String>()
        var patterns: [NewPattern] = []
        patterns.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            let key = try QdrantPointID(json: item.id).storageKey
            guard seen.insert(key).inserted else { throw .badRequest("point id \(item.id) appears twice in one upsert") }
            var payload: String?
            if let value = item.payload, !(value is NSNull) {
                guard value is [String: Any], let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]) else {
                    throw .badRequest("points[\(index)].payload must be a JSON object")
                }
                payload = String(decoding: data, as: UTF8.self)
            }
            let vector = try vector(item.vector, at: "points[\(index)].vector")
            try checkDimension(vector, dimension, at: "points[\(index)].vector")
            patterns.append(NewPattern(id: key, text: "", kind: "point", vector: vector, payload: payload))
        }
        return patterns
    }

    static func vector(_ value: Any, at path: String) throws(ServerError) -> [Float] {
        guard let list = value as? [Any] else {
            throw .badRequest("\(path) must be a list of numbers (named and sparse vectors are not supported)")
        }
        var vector: [Float] = []
        vector.reserveCapacity(list.count)
        for (index, element) in list.enumerated() {
            guard let number = element as? NSNumber, !number.isJSONBoolean else {
                throw .badRequest("\(path)[\(index)] is not a number")
            }
            vector.append(number.floatValue)
        }
        return vector
    }

    /// Qdrant's own words for a vector of the wrong length.
    static func checkDimension(_ vector: [Float], _ dimension: Int, at path: String) throws(ServerError) {
        guard vector.count == dimension else {
            throw .badRequest("Wrong input: Vector dimension error: expected dim: \(dimension), got \(vector.count) (\(path))")
        }
    }

    /// A query: a vector, or the id of a stored point whose vector is the query.
    func queryVector(_ value: Any, store: PatternStore) throws(ServerError) -> [Float] {
        if value is [Any] { return try Self.vector(value, at: "query") }
        let key = try QdrantPointID(json: value).storageKey
        return try storeCall { () throws(StoreError) in try store.vector(id: key) }
    }

    static func filter(_ body: [String: Any]) throws(ServerError) -> PatternFilter {
        var filter = PatternFilter()
        if let value = body["filter"], !(value is NSNull) { filter.payload = try QdrantFilter.condition(value) }
        return filter
    }

    /// Nearest points for search and query: `limit`, `offset`, `filter`, `score_threshold`,
    /// `params` {`hnsw_ef`, `exact`}, `with_payload`, `with_vector`.
    func nearest(_ store: PatternStore, vector: [Float], body: [String: Any]) throws(ServerError) -> [Any] {
        try Self.checkDimension(vector, store.configuration.dimension, at: "query")
        let limit = try JSONResponse.whole(body["limit"] ?? body["top"], "limit", default: 10, range: 1...10_000)
        let offset = try JSONResponse.whole(body["offset"], "offset", default: 0, range: 0...10_000)
        let params = body["params"] as? [String: Any] ?? [:]
        let ef = params["hnsw_ef"] == nil || params["hnsw_ef"] is NSNull ? nil : try JSONResponse.whole(params["hnsw_ef"], "params.hnsw_ef", default: 0, range: 1...100_000)
        let exact = (params["exact"] as? NSNumber)?.boolValue ?? false
        var threshold: Double?
        if let value = body["score_threshold"], !(value is NSNull) {
            guard let number = value as? NSNumber else { throw .badRequest("\"score_threshold\" must be a number") }
            threshold = number.doubleValue
        }
        let request = SearchRequest(query: .vector(vector), k: min(limit + offset, 10_000), filter: try Self.filter(body), ef: ef, exact: exact)
        let response = try storeCall { () throws(StoreError) in try store.search(request) }
        metrics.search(microseconds: response.tookMicroseconds)
        let shape = try RecordShape(body, payloadByDefault: false)
        // Euclid scores are distances: lower is nearer.
        let lowerIsBetter = store.configuration.metric == .l2
        var points: [Any] = []
        for hit in response.hits.dropFirst(offset) {
            if let threshold, lowerIsBetter ? hit.similarity > threshold : hit.similarity < threshold { continue }
            points.append(try scoredPoint(hit.pattern, score: hit.similarity, shape: shape, store: store))
        }
        return points
    }
}

/// Qdrant's envelope around the collection routes: the answer's time in seconds, and errors
/// as `{"status": {"error": "..."}, "time": ...}` with their HTTP status.
struct QdrantEnvelopeMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        do {
            return try await QdrantRequestClock.$arrival.withValue(started) { try await next(request, context) }
        } catch let error as ServerError {
            return error.qdrantResponse(seconds: (ContinuousClock.now - started) / .seconds(1))
        }
    }
}

/// The arrival time of the Qdrant request a task answers (a generic type cannot hold it).
enum QdrantRequestClock {
    @TaskLocal static var arrival: ContinuousClock.Instant?
}
