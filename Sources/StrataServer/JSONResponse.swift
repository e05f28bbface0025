import Foundation
import Hummingbird

/// JSON bodies in and out, as plain Foundation objects: the API's shapes are documented
/// objects with optional fields, which a JSON object maps to directly.
enum JSONResponse {
    static func make(_ object: Any, status: HTTPResponse.Status = .ok) -> Response {
        make(bytes: JSONText.bytes(object), status: status)
    }

    /// An answer whose JSON text is already written.
    static func make(bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The request's body as a JSON object, within the size limit; `emptyIs` stands for an
    /// empty body when given (an empty body is refused otherwise).
    static func object(_ request: Request, limit: Int, emptyIs empty: [String: Any]? = nil) async throws(ServerError) -> [String: Any] {
        let value = try await value(request, limit: limit, allowEmpty: empty != nil) ?? empty ?? [:]
        guard let object = value as? [String: Any] else { throw .badRequest("the body must be a JSON object") }
        return object
    }

    static func value(_ request: Request, limit: Int, allowEmpty: Bool = false) async throws(ServerError) -> Any? {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch {
            throw .tooLarge(limit: limit)
        }
        guard buffer.readableBytes > 0 else {
            if allowEmpty { return nil }
            throw .badRequest("the body is empty; send a JSON object")
        }
        do {
            return try JSONSerialization.jsonObject(with: Data(buffer: buffer))
        } catch {
            throw .badRequest("the body is not valid JSON (\((error as NSError).userInfo[NSDebugDescriptionErrorKey] ?? error.localizedDescription))")
        }
    }
}

extension NSNumber {
    /// True for a boolean JSONSerialization parsed: on Linux a 0 or 1 also casts to `Bool`, so
    /// the number's own type code (`c`) decides.
    var isJSONBoolean: Bool { String(cString: objCType) == "c" }
}

extension JSONResponse {
    /// A whole number in `range`, `fallback` when absent or null.
    static func whole(_ value: Any?, _ name: String, default fallback: Int, range: ClosedRange<Int>) throws(ServerError) -> Int {
        try whole(value, name, range: range) ?? fallback
    }

    /// A whole number in `range`, nil when absent or null (the caller decides what that means).
    static func whole(_ value: Any?, _ name: String, range: ClosedRange<Int>) throws(ServerError) -> Int? {
        guard let value, !(value is NSNull) else { return nil }
        guard let number = value as? NSNumber, !number.isJSONBoolean, number.doubleValue == number.doubleValue.rounded(), range.contains(number.intValue) else {
            throw .badRequest("\"\(name)\" must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number.intValue
    }
}
