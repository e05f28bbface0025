import Foundation
import StrataStore

/// `PUT /collections/{c}`: `{"vectors": {"size": 384, "distance": "Cosine"}}`, or one named
/// vector `{"vectors": {"text": {"size", "distance"}}}` (more than one name is refused), and
/// `sparse_vectors` `{"name": {}}` beside it.
struct CreateCollectionBody: Decodable {
    var size: Int
    var distance: String
    var vectorName: String?
    var sparseNames: [String] = []

    private enum CodingKeys: String, CodingKey {
        case vectors
        case sparse = "sparse_vectors"
    }

    private enum SparseKeys: String, CodingKey { case modifier }
    private enum VectorKeys: String, CodingKey { case size, distance }

    init(from decoder: any Decoder) throws {
        let body = try decoder.container(keyedBy: CodingKeys.self)
        if body.contains(.sparse), try !body.decodeNil(forKey: .sparse) {
            let sparse = try body.nestedContainer(keyedBy: JSONKey.self, forKey: .sparse)
            for name in sparse.allKeys {
                let parameters = try sparse.nestedContainer(keyedBy: SparseKeys.self, forKey: name)
                if let modifier = try parameters.decodeIfPresent(String.self, forKey: .modifier), modifier.lowercased() != "none" {
                    throw DecodingError.dataCorruptedError(
                        forKey: .modifier, in: parameters, debugDescription: "\"\(modifier)\" is not supported: send weights that already hold the term statistics (modifier none)")
                }
            }
            sparseNames = sparse.allKeys.map(\.stringValue).sorted()
        }
        guard body.contains(.vectors) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "must hold \"vectors\": a collection here has one dense vector, with sparse vectors beside it if any"))
        }
        var vectors = try body.nestedContainer(keyedBy: VectorKeys.self, forKey: .vectors)
        if !vectors.contains(.size), !vectors.contains(.distance) {
            let named = try body.nestedContainer(keyedBy: JSONKey.self, forKey: .vectors)
            guard named.allKeys.count == 1, let name = named.allKeys.first else {
                throw DecodingError.dataCorruptedError(
                    forKey: .vectors, in: body,
                    debugDescription: "names \(named.allKeys.count) vectors; a collection here holds one vector, unnamed or named")
            }
            vectorName = name.stringValue
            vectors = try named.nestedContainer(keyedBy: VectorKeys.self, forKey: name)
        }
        guard vectors.contains(.size), vectors.contains(.distance) else {
            throw DecodingError.dataCorruptedError(
                forKey: .vectors, in: body,
                debugDescription: "must be {\"size\": N, \"distance\": \"Cosine\"|\"Dot\"|\"Euclid\"} or {\"name\": {\"size\", \"distance\"}}")
        }
        size = try vectors.decode(Int.self, forKey: .size)
        distance = try vectors.decode(String.self, forKey: .distance)
    }
}

/// `PUT /collections/{c}/points`: `{"points": [{"id", "vector", "payload"}]}` or
/// `{"batch": {"ids", "vectors", "payloads"}}`.
struct UpsertBody: Decodable {
    struct Point: Decodable {
        var id: QdrantPointID
        var vector: QdrantVector
        var payload: JSONObjectText?
    }

    /// The points in the order given, each with the path it came from (for the errors the
    /// store's checks give later).
    var points: [(point: Point, path: String)]

    private enum CodingKeys: String, CodingKey { case points, batch }
    private enum BatchKeys: String, CodingKey { case ids, vectors, payloads }

    init(from decoder: any Decoder) throws {
        let body = try decoder.container(keyedBy: CodingKeys.self)
        if body.contains(.points) {
            points = try body.decode([Point].self, forKey: .points).enumerated().map { ($1, "points[\($0)].vector") }
        } else if body.contains(.batch) {
            let batch = try body.nestedContainer(keyedBy: BatchKeys.self, forKey: .batch)
            let ids = try batch.decode([QdrantPointID].self, forKey: .ids)
            var vectors: [QdrantVector]
            if let plain = try? batch.decode([[Float]].self, forKey: .vectors) {
                vectors = plain.map { QdrantVector(name: nil, values: $0) }
            } else {
                let named = try batch.decode([String: [[Float]]].self, forKey: .vectors)
                guard named.count == 1, let (name, lists) = named.first else {
                    throw DecodingError.dataCorruptedError(forKey: .vectors, in: batch, debugDescription: "must be a list of vectors or one named list ({\"name\": [[...]]})")
                }
                vectors = lists.map { QdrantVector(name: name, values: $0) }
            }
            let payloads = try batch.decodeIfPresent([JSONObjectText?].self, forKey: .payloads) ?? Array(repeating: nil, count: ids.count)
            guard vectors.count == ids.count, payloads.count == ids.count else {
                throw DecodingError.dataCorruptedError(
                    forKey: .batch, in: body, debugDescription: "must have ids, vectors and payloads lists of the same length (\(ids.count) ids)")
            }
            points = ids.indices.map { (Point(id: ids[$0], vector: vectors[$0], payload: payloads[$0]), "batch.vectors[\($0)]") }
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "must hold \"points\" (a list) or \"batch\" (ids, vectors, payloads)"))
        }
        guard !points.isEmpty else { throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "holds no points to upsert")) }
        var seen = Set<QdrantPointID>()
        for (point, _) in points where !seen.insert(point.id).inserted {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "has point id \(point.id.storageKey.dropFirst(2)) twice in one upsert"))
        }
    }
}

/// `POST /collections/{c}/points`: `{"ids", "with_payload", "with_vector"}`.
struct RetrieveBody: Decodable {
    var ids: [QdrantPointID]
    var shape: RecordShape

    private enum CodingKeys: String, CodingKey { case ids }

    init(from decoder: any Decoder) throws {
        ids = try decoder.container(keyedBy: CodingKeys.self).decode([QdrantPointID].self, forKey: .ids)
        shape = try RecordShape(from: decoder, payloadByDefault: true)
    }
}

/// `PUT /collections/{c}/index`: `{"field_name", "field_schema"}`, the schema a name
/// (`"keyword"`) or `{"type": name, ...}` whose other parameters change nothing here.
struct CreateFieldIndexBody: Decodable {
    var key: PayloadKey
    var schema: PayloadFieldSchema

    private enum CodingKeys: String, CodingKey {
        case name = "field_name"
        case schema = "field_schema"
    }

    private enum SchemaKeys: String, CodingKey { case type }

    init(from decoder: any Decoder) throws {
        let body = try decoder.container(keyedBy: CodingKeys.self)
        let name = try body.decode(String.self, forKey: .name)
        do {
            key = try PayloadKey(name)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .name, in: body, debugDescription: "is not a field path: \(error.description)")
        }
        let schemaName: String
        if let plain = try? body.decode(String.self, forKey: .schema) {
            schemaName = plain
        } else if let object = try? body.nestedContainer(keyedBy: SchemaKeys.self, forKey: .schema) {
            schemaName = try object.decode(String.self, forKey: .type)
        } else {
            throw DecodingError.dataCorruptedError(forKey: .schema, in: body, debugDescription: "must be a schema name or {\"type\": name}")
        }
        guard let schema = PayloadFieldSchema(rawValue: schemaName) else {
            throw DecodingError.dataCorruptedError(
                forKey: .schema, in: body,
                debugDescription: "\"\(schemaName.prefix(40))\" is not a schema: expected " + PayloadFieldSchema.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self.schema = schema
    }
}

/// `POST /collections/{c}/points/delete`: `{"points": [ids]}` or `{"filter"}`.
struct DeletePointsBody: Decodable {
    var filter: PatternFilter

    private enum CodingKeys: String, CodingKey { case points, filter }

    init(from decoder: any Decoder) throws {
        let body = try decoder.container(keyedBy: CodingKeys.self)
        if let ids = try body.decodeIfPresent([QdrantPointID].self, forKey: .points) {
            filter = PatternFilter()
            filter.payload = .hasID(ids.map(\.storageKey))
        } else if let condition = try body.decodeIfPresent(QdrantFilter.self, forKey: .filter) {
            filter = PatternFilter(qdrant: condition)
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "must hold \"points\" (a list of ids) or \"filter\" to say which points to delete"))
        }
    }
}

/// `POST /collections/{c}/points/search`: `{"vector"}` and the ``NearestParameters``.
struct SearchPointsBody: Decodable {
    var vector: QdrantVector
    var nearest: NearestParameters

    private enum CodingKeys: String, CodingKey { case vector }

    init(from decoder: any Decoder) throws {
        vector = try decoder.container(keyedBy: CodingKeys.self).decode(QdrantVector.self, forKey: .vector)
        nearest = try NearestParameters(from: decoder)
    }
}

/// `POST /collections/{c}/points/query`: `query` (a vector, a point id whose vector is the
/// query, `{"nearest": either}`, or `{"fusion": "rrf"|"dbsf"}` over the prefetches; absent:
/// the points in id order), `prefetch` (one or a list of `{"query", "filter", "limit",
/// "params"}` searches whose results the query fuses or re-scores) and the
/// ``NearestParameters``.
struct QueryPointsBody: Decodable {
    enum Query {
        case vector([Float])
        case sparse(SparseVector)
        case point(QdrantPointID)
        case fusion(FusionMethod)
    }

    var query: Query?
    var prefetch: [Prefetch] = []
    var nearest: NearestParameters
    /// The shape of the points listed without a query: the payload by default, as a scroll.
    var listShape: RecordShape

    private enum CodingKeys: String, CodingKey { case query, prefetch }
    private enum NearestKeys: String, CodingKey { case nearest, fusion }

    init(from decoder: any Decoder) throws {
        let body = try decoder.container(keyedBy: CodingKeys.self)
        nearest = try NearestParameters(from: decoder)
        listShape = try RecordShape(from: decoder, payloadByDefault: true)
        if body.contains(.prefetch), try !body.decodeNil(forKey: .prefetch) {
            // One search or a list of them; each decoded for its own errors.
            if (try? body.nestedUnkeyedContainer(forKey: .prefetch)) != nil {
                prefetch = try body.decode([Prefetch].self, forKey: .prefetch)
            } else {
                prefetch = [try body.decode(Prefetch.self, forKey: .prefetch)]
            }
        }
        guard body.contains(.query), try !body.decodeNil(forKey: .query) else {
            if !prefetch.isEmpty {
                throw DecodingError.dataCorruptedError(forKey: .query, in: body, debugDescription: "must say what to do with the prefetches: {\"fusion\": \"rrf\"} or a vector to re-score them by")
            }
            return
        }
        query = try Self.query(body.superDecoder(forKey: .query))
        if case .fusion = query, prefetch.isEmpty {
            throw DecodingError.dataCorruptedError(forKey: .prefetch, in: body, debugDescription: "must list the searches a fusion query fuses")
        }
    }

    /// A vector, a sparse vector, a point id, `{"nearest": one of those}` or `{"fusion": method}`.
    static func query(_ decoder: any Decoder) throws -> Query {
        if let object = try? decoder.container(keyedBy: NearestKeys.self) {
            if object.contains(.fusion) {
                guard let method = try object.decodeCaseIfPresent(FusionMethod.self, forKey: .fusion) else {
                    throw DecodingError.dataCorruptedError(forKey: .fusion, in: object, debugDescription: "must be rrf or dbsf")
                }
                return .fusion(method)
            }
            if object.contains(.nearest) { return try plainQuery(object.superDecoder(forKey: .nearest)) }
        }
        return try plainQuery(decoder)
    }

    private static func plainQuery(_ decoder: any Decoder) throws -> Query {
        let value = try decoder.singleValueContainer()
        if let vector = try? value.decode([Float].self) { return .vector(vector) }
        if let id = try? value.decode(QdrantPointID.self) { return .point(id) }
        if (try? decoder.container(keyedBy: JSONKey.self))?.contains(JSONKey("indices")) == true {
            return .sparse(try value.decode(QdrantSparseVector.self).vector)
        }
        // The vector's own error names the element that is not a number.
        return .vector(try value.decode([Float].self))
    }
}

/// One search of a hybrid query: `query` (a vector, a point id or `{"nearest": either}`),
/// `filter` (with the request's own), `limit` (default 10), `params` `{"hnsw_ef", "exact"}`,
/// `using` (the collection's vector name).
struct Prefetch: Decodable {
    var query: QueryPointsBody.Query
    var parameters: NearestParameters

    private enum CodingKeys: String, CodingKey { case query, prefetch }

    init(from decoder: any Decoder) throws {
        let body = try decoder.container(keyedBy: CodingKeys.self)
        if body.contains(.prefetch) {
            throw DecodingError.dataCorruptedError(forKey: .prefetch, in: body, debugDescription: "nested prefetches are not supported; list every search at the top level")
        }
        query = try QueryPointsBody.query(body.superDecoder(forKey: .query))
        if case .fusion = query {
            throw DecodingError.dataCorruptedError(forKey: .query, in: body, debugDescription: "must be a vector or a point id: a prefetch searches, the top-level query fuses")
        }
        parameters = try NearestParameters(from: decoder)
    }
}

/// `POST /collections/{c}/points/scroll`: `limit` (default 10), `offset` (the point id to
/// start at), `filter`, `with_payload` (default true), `with_vector`.
struct ScrollBody: Decodable {
    var limit: Int
    var offset: QdrantPointID?
    var filter: PatternFilter
    var shape: RecordShape

    private enum CodingKeys: String, CodingKey { case limit, offset, filter }

    init(from decoder: any Decoder) throws {
        let body = try decoder.container(keyedBy: CodingKeys.self)
        limit = try body.decodeIfPresent(Int.self, forKey: .limit, in: 1...10_000) ?? 10
        offset = try body.decodeIfPresent(QdrantPointID.self, forKey: .offset)
        filter = PatternFilter(qdrant: try body.decodeIfPresent(QdrantFilter.self, forKey: .filter))
        shape = try RecordShape(from: decoder, payloadByDefault: true)
    }
}

/// `POST /collections/{c}/points/count`: `filter`, `exact` (counts are always exact). A
/// count of everything may come without a body.
struct CountBody: EmptyBodyDecodable {
    var filter = PatternFilter()

    private enum CodingKeys: String, CodingKey { case filter, exact }

    init() {}

    init(from decoder: any Decoder) throws {
        let body = try decoder.container(keyedBy: CodingKeys.self)
        _ = try body.decodeIfPresent(Bool.self, forKey: .exact)
        filter = PatternFilter(qdrant: try body.decodeIfPresent(QdrantFilter.self, forKey: .filter))
    }
}

/// What search and query share: `limit` (or `top`, default 10), `offset`, `filter`,
/// `score_threshold`, `params` `{"hnsw_ef", "exact"}`, `using` (the vector's name),
/// `with_payload` (default false), `with_vector`.
struct NearestParameters: Decodable {
    var using: String?
    var limit: Int
    var offset: Int
    var filter: PatternFilter
    var scoreThreshold: Double?
    var ef: Int?
    var exact: Bool
    var shape: RecordShape

    private enum CodingKeys: String, CodingKey {
        case limit, top, offset, filter, params, using
        case scoreThreshold = "score_threshold"
    }

    private enum ParameterKeys: String, CodingKey {
        case exact
        case ef = "hnsw_ef"
    }

    init(from decoder: any Decoder) throws {
        let body = try decoder.container(keyedBy: CodingKeys.self)
        limit = try body.decodeIfPresent(Int.self, forKey: .limit, in: 1...10_000) ?? body.decodeIfPresent(Int.self, forKey: .top, in: 1...10_000) ?? 10
        offset = try body.decodeIfPresent(Int.self, forKey: .offset, in: 0...10_000) ?? 0
        using = try body.decodeIfPresent(String.self, forKey: .using)
        filter = PatternFilter(qdrant: try body.decodeIfPresent(QdrantFilter.self, forKey: .filter))
        scoreThreshold = try body.decodeIfPresent(Double.self, forKey: .scoreThreshold)
        if body.contains(.params), try !body.decodeNil(forKey: .params) {
            let params = try body.nestedContainer(keyedBy: ParameterKeys.self, forKey: .params)
            ef = try params.decodeIfPresent(Int.self, forKey: .ef, in: 1...100_000)
            exact = try params.decodeIfPresent(Bool.self, forKey: .exact) ?? false
        } else {
            exact = false
        }
        shape = try RecordShape(from: decoder, payloadByDefault: false)
    }

    /// The store's search for `vector`, enough hits for the offset.
    func request(_ vector: [Float]) -> SearchRequest {
        SearchRequest(query: .vector(vector), k: min(limit + offset, 10_000), filter: filter, ef: ef, exact: exact)
    }
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

    private enum CodingKeys: String, CodingKey {
        case withPayload = "with_payload", withVector = "with_vector", withVectors = "with_vectors"
    }

    private enum SelectionKeys: String, CodingKey { case include, exclude }

    /// Reads the shape from a request body's members.
    init(from decoder: any Decoder, payloadByDefault: Bool) throws {
        let body = try decoder.container(keyedBy: CodingKeys.self)
        payload = payloadByDefault ? .all : .none
        if body.contains(.withPayload), try !body.decodeNil(forKey: .withPayload) {
            if let flag = try? body.decode(Bool.self, forKey: .withPayload) {
                payload = flag ? .all : .none
            } else if let keys = try? body.decode([String].self, forKey: .withPayload) {
                payload = .include(Set(keys))
            } else if let selection = try? body.nestedContainer(keyedBy: SelectionKeys.self, forKey: .withPayload),
                      let keys = try selection.decodeIfPresent([String].self, forKey: .include) ?? selection.decodeIfPresent([String].self, forKey: .exclude) {
                payload = selection.contains(.include) ? .include(Set(keys)) : .exclude(Set(keys))
            } else {
                throw DecodingError.dataCorruptedError(
                    forKey: .withPayload, in: body, debugDescription: "must be true, false, a list of keys, {\"include\": [...]} or {\"exclude\": [...]}")
            }
        }
        let flag = body.contains(.withVector) ? CodingKeys.withVector : .withVectors
        if let names = try? body.decode([String].self, forKey: flag) {
            // A list of vector names: the collection has one, so any name asks for it.
            vector = !names.isEmpty
        } else {
            do {
                vector = try body.decodeIfPresent(Bool.self, forKey: flag) ?? false
            } catch {
                throw DecodingError.dataCorruptedError(forKey: flag, in: body, debugDescription: "must be true, false or a list of vector names")
            }
        }
    }
}
