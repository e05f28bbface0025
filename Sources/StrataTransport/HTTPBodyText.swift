import Foundation

/// What an HTTP answer says, in a form fit for an error message.
///
/// Every HTTP client of the package (the embedder, the generation providers) quotes the
/// server's own words when a request fails, so they share one way of finding them.
package enum HTTPBodyText {
    /// The server's own words: OpenAI's and Anthropic's `{"error": {"message": …}}`, the
    /// `{"error": "…"}` of Ollama and others, `{"message"|"detail": …}`, or the start of the body.
    package static func serverMessage(_ body: [UInt8]) -> String {
        if let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] {
            if let error = object["error"] as? [String: Any], let message = error["message"] as? String { return message }
            for key in ["error", "message", "detail"] {
                if let message = object[key] as? String { return message }
            }
        }
        return excerpt(body)
    }

    /// The first 300 bytes of `body` as text, `…` marking a cut, `(empty body)` for nothing.
    package static func excerpt(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return "(empty body)" }
        return body.count > 300 ? text + "…" : text
    }
}
