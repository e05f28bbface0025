import Foundation
import Hummingbird
import StrataStore

/// Qdrant's REST API, the subset its clients use for collections and points, on Qdrant's own
/// paths: answers in Qdrant's `{"result", "status", "time"}` envelope (``QdrantAnswer``),
/// errors as `{"status": {"error"}, "time"}` (``ErrorEnvelope``).
struct QdrantController {
    /// The version Strata answers as: the Qdrant REST API level its subset follows (tested with
    /// qdrant-client 1.20; clients warn when the server is more than one minor version away).
    static let compatibleVersion = "1.20.0"

    let collections: QdrantCollections
    let metrics: ServiceMetrics

    func addRoutes(to router: Router<StrataRequestContext>) {
        router.get("/", use: root)
        addSnapshotRoutes(to: router.group("collections"))
        router.group("collections")
            .get(use: list)
            .get(":collection", use: info)
            .get(":collection/exists", use: exists)
            .put(":collection", use: create)
            .delete(":collection", use: delete)
            .put(":collection/points", use: upsert)
            .post(":collection/points", use: retrieve)
            .get(":collection/points/:id", use: point)
            .post(":collection/points/delete", use: deletePoints)
            .post(":collection/points/search", use: search)
            .post(":collection/points/query", use: query)
            .post(":collection/points/scroll", use: scroll)
            .post(":collection/points/count", use: count)
            .put(":collection/index", use: createFieldIndex)
            .delete(":collection/index/:field", use: deleteFieldIndex)
    }

    /// Qdrant's root answers its version; a browser asking for a page goes to the dashboard.
    @Sendable func root(_ request: Request, context _: StrataRequestContext) -> Response {
        if let accept = request.headers[.accept], accept.contains("text/html") {
            return Response(status: .seeOther, headers: [.location: "/dashboard"])
        }
        return JSONResponse.make(["title": "qdrant - vector search engine", "version": Self.compatibleVersion, "commit": NSNull()])
    }

    // MARK: collections

    @Sendable func list(_: Request, context: StrataRequestContext) throws -> Response {
        QdrantAnswer.make(["collections": try collections.names().map { ["name": $0] }], context: context)
    }

    @Sendable func info(_: Request, context: StrataRequestContext) throws -> Response {
        QdrantAnswer.make(try Self.info(try collectionStore(context)), context: context)
    }

    @Sendable func exists(_: Request, context: StrataRequestContext) throws -> Response {
        QdrantAnswer.make(["exists": try collections.contains(try Self.collectionName(context))], context: context)
    }

    @Sendable func create(_ request: Request, context: StrataRequestContext) async throws -> Response {
        let name = try Self.collectionName(context)
        let body = try await request.decode(as: CreateCollectionBody.self, context: context)
        try collections.create(name, dimension: body.size, metric: try QdrantCollections.metric(body.distance), vectorName: body.vectorName, sparseNames: body.sparseNames)
        return QdrantAnswer.make(true, context: context)
    }

    @Sendable func delete(_: Request, context: StrataRequestContext) throws -> Response {
        QdrantAnswer.make(try collections.delete(try Self.collectionName(context)), context: context)
    }

    // MARK: points

    @Sendable func upsert(_ request: Request, context: StrataRequestContext) async throws -> Response {
        let store = try collectionStore(context)
        let body = try await request.decode(as: UpsertBody.self, context: context)
        let patterns = try body.points.map { point, path throws(ServerError) in
            try Self.checkVectorName(point.vector.name, store, at: path)
            for name in point.vector.sparse.keys { _ = try Self.sparseName(name, store, at: path) }
            guard let values = point.vector.values else {
                throw ServerError.badRequest("\(path) has no dense vector: every point here carries the collection's dense vector")
            }
            try Self.checkDimension(values, store, at: path)
            var pattern = NewPattern(id: point.id.storageKey, text: "", kind: "point", vector: values, payload: point.payload?.text)
            pattern.sparse = point.vector.sparse
            return pattern
        }
        _ = try store.add(patterns, existing: .replace)
        return QdrantAnswer.completed(context: context)
    }

    @Sendable func retrieve(_ request: Request, context: StrataRequestContext) async throws -> Response {
        let store = try collectionStore(context)
        let body = try await request.decode(as: RetrieveBody.self, context: context)
        var found: [Pattern] = []
        for id in body.ids {
            if let pattern = try Self.pattern(id, in: store) { found.append(pattern) }
        }
        var writer = QdrantPointWriter(shape: body.shape, store: store, expected: found.count)
        try writer.list(found) { ($0, nil) }
        return QdrantAnswer.make(result: writer.out, context: context)
    }

    @Sendable func point(_: Request, context: StrataRequestContext) throws -> Response {
        let store = try collectionStore(context)
        let text = context.parameters.get("id") ?? ""
        guard let id = QdrantPointID(text: text) else {
            throw ServerError.badRequest("point id \"\(text.prefix(60))\" is not valid: expected an unsigned integer or a UUID")
        }
        guard let pattern = try Self.pattern(id, in: store) else { throw ServerError.notFound("No point with id \(text) found") }
        var writer = QdrantPointWriter(shape: RecordShape(payload: .all, vector: true), store: store, expected: 1)
        try writer.point(pattern, score: nil)
        return QdrantAnswer.make(result: writer.out, context: context)
    }

    @Sendable func deletePoints(_ request: Request, context: StrataRequestContext) async throws -> Response {
        let store = try collectionStore(context)
        let body = try await request.decode(as: DeletePointsBody.self, context: context)
        _ = try store.delete(matching: body.filter)
        return QdrantAnswer.completed(context: context)
    }

    /// Nearest points to `vector`: a bare list (the older clients' search).
    @Sendable func search(_ request: Request, context: StrataRequestContext) async throws -> Response {
        let store = try collectionStore(context)
        let body = try await request.decode(as: SearchPointsBody.self, context: context)
        if let values = body.vector.values {
            try Self.checkVectorName(body.vector.name, store, at: "vector")
            return QdrantAnswer.make(result: try nearest(.vector(values), body.nearest, in: store), context: context)
        }
        guard body.vector.sparse.count == 1, let (name, sparse) = body.vector.sparse.first else {
            throw ServerError.badRequest("vector must be one dense or one named sparse vector")
        }
        return QdrantAnswer.make(result: try nearest(.sparse(sparse), body.nearest, in: store, sparseName: name), context: context)
    }

    /// `{"points": [...]}`: nearest to the query, or without a query the points in id order.
    @Sendable func query(_ request: Request, context: StrataRequestContext) async throws -> Response {
        let store = try collectionStore(context)
        let body = try await request.decode(as: QueryPointsBody.self, context: context)
        var out: [UInt8] = []
        out.append(literal: #"{"points":"#)
        switch body.query {
        case _? where !body.prefetch.isEmpty:
            out += try fused(body, in: store)
        case .fusion?:
            throw ServerError.badRequest("a fusion query needs prefetches")
        case let query?:
            out += try nearest(query, body.nearest, in: store)
        case nil:
            let page = try store.scroll(body.nearest.filter, limit: body.nearest.limit)
            var writer = QdrantPointWriter(shape: body.listShape, store: store, expected: page.patterns.count)
            try writer.list(page.patterns) { ($0, 0) }
            out += writer.out
        }
        out.append(UInt8(ascii: "}"))
        return QdrantAnswer.make(result: out, context: context)
    }

    @Sendable func scroll(_ request: Request, context: StrataRequestContext) async throws -> Response {
        let store = try collectionStore(context)
        let body = try await request.decode(as: ScrollBody.self, context: context)
        let page = try store.scroll(body.filter, from: body.offset?.storageKey, limit: body.limit)
        var writer = QdrantPointWriter(shape: body.shape, store: store, expected: page.patterns.count)
        writer.out.append(literal: #"{"points":"#)
        try writer.list(page.patterns) { ($0, nil) }
        writer.out.append(literal: #","next_page_offset":"#)
        if let next = page.nextID.flatMap(QdrantPointID.init(storageKey:)) { next.write(into: &writer.out) } else { writer.out.append(literal: "null") }
        writer.out.append(UInt8(ascii: "}"))
        return QdrantAnswer.make(result: writer.out, context: context)
    }

    @Sendable func count(_ request: Request, context: StrataRequestContext) async throws -> Response {
        let store = try collectionStore(context)
        let body = try await request.decode(as: CountBody.self, context: context)
        return QdrantAnswer.make(["count": try store.count(body.filter)], context: context)
    }

    // MARK: payload indexes

    /// `PUT /collections/{c}/index`: builds the field's index before answering.
    @Sendable func createFieldIndex(_ request: Request, context: StrataRequestContext) async throws -> Response {
        let store = try collectionStore(context)
        let body = try await request.decode(as: CreateFieldIndexBody.self, context: context)
        try store.payloadFields.create(body.key, schema: body.schema)
        return QdrantAnswer.completed(context: context)
    }

    /// `DELETE /collections/{c}/index/{field}`: answered the same whether or not there was one.
    @Sendable func deleteFieldIndex(_: Request, context: StrataRequestContext) throws -> Response {
        let store = try collectionStore(context)
        let name = context.parameters.get("field") ?? ""
        let key: PayloadKey
        do { key = try PayloadKey(name) } catch { throw ServerError.badRequest("field \"\(name.prefix(80))\" is not valid: \(error.description)") }
        try store.payloadFields.delete(key)
        return QdrantAnswer.completed(context: context)
    }
}
