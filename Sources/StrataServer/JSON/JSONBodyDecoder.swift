import Hummingbird
import NIOCore

/// The request decoder of every route (``StrataRequestContext/requestDecoder``): the body,
/// within the size limit, checked to be JSON (``JSONDocument``) and read into the route's
/// `Decodable` type (``JSONValueDecoder``).
///
/// Every failure is a ``ServerError`` naming what is wrong: 413 past the limit; 400 for text
/// that is not JSON (with the byte where it stops being JSON), a field of the wrong type
/// (`"exact" must be true or false, not 1 (byte 48)`), a missing field, or a value a type's
/// own check refuses. An empty body is refused too, unless the type says what it stands for
/// (``EmptyBodyDecodable``).
public struct JSONBodyDecoder: RequestDecoder {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: context.maxUploadSize)
        } catch {
            throw ServerError.tooLarge(limit: context.maxUploadSize)
        }
        return try Self.decode(type, from: Array(body.readableBytesView))
    }

    /// Reads `bytes` as `T`.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(ServerError) -> T {
        guard bytes.contains(where: { !JSONBytes.isSpace($0) }) else {
            guard let empty = type as? any EmptyBodyDecodable.Type else { throw .badRequest("the body is empty; send a JSON object") }
            return empty.init() as! T
        }
        let document: JSONDocument
        do {
            document = try JSONDocument(bytes)
        } catch {
            throw .badRequest("the body is not valid JSON: \(error)")
        }
        do {
            return try document.decode(type, at: document.root, path: [])
        } catch let error as DecodingError {
            throw .badRequest(message(error))
        } catch let error as ServerError {
            throw error
        } catch {
            throw .badRequest("\(error)")
        }
    }

    /// `"rerank.keyword" must be a number, not "a" (byte 23)`
    static func message(_ error: DecodingError) -> String {
        switch error {
        case let .keyNotFound(key, context): "\(name(context.codingPath + [key])) is required"
        case let .typeMismatch(_, context), let .valueNotFound(_, context), let .dataCorrupted(context):
            "\(name(context.codingPath)) \(context.debugDescription)"
        @unknown default: "\(error)"
        }
    }

    /// A coding path as the request writes it, `"points[3].vector"`; the root is "the body".
    static func name(_ path: [any CodingKey]) -> String {
        guard !path.isEmpty else { return "the body" }
        var name = ""
        for key in path {
            if key is JSONIndexKey, let index = key.intValue {
                name += "[\(index)]"
            } else {
                name += (name.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return "\"\(name)\""
    }
}

/// A request type that an empty body stands for: `init()` gives its value (Qdrant's count of
/// everything comes without a body).
protocol EmptyBodyDecodable: Decodable {
    init()
}
