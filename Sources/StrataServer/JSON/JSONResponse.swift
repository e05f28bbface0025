import Foundation
import Hummingbird

/// JSON answers: plain values (strings, numbers, booleans, lists, dictionaries) written by
/// ``JSONText``, or text already written (the search answers, Qdrant's points).
enum JSONResponse {
    static func make(_ object: Any, status: HTTPResponse.Status = .ok) -> Response {
        make(bytes: JSONText.bytes(object), status: status)
    }

    /// An answer whose JSON text is already written.
    static func make(bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
