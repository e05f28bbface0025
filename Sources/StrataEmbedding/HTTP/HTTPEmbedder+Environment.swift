import Foundation

extension HTTPEmbedder.Configuration {
    /// Reads a configuration from environment variables.
    ///
    /// | variable | field | |
    /// |---|---|---|
    /// | `STRATA_EMBED_URL` | ``endpoint`` | required |
    /// | `STRATA_EMBED_MODEL` | ``model`` | required |
    /// | `STRATA_EMBED_API_KEY` | ``apiKey`` | optional |
    /// | `STRATA_EMBED_DIMENSION` | ``dimension`` | optional, an integer |
    ///
    /// Every other field keeps its default.
    ///
    /// - Parameter environment: the variables; the process's by default.
    /// - Throws: ``EmbeddingError/invalidArgument(name:value:expected:)`` naming the variable that
    ///   is missing or malformed.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws(EmbeddingError) {
        func required(_ name: String, _ example: String) throws(EmbeddingError) -> String {
            guard let value = environment[name], !value.isEmpty else {
                throw .invalidArgument(name: name, value: "(unset)", expected: example)
            }
            return value
        }
        let endpoint = try required("STRATA_EMBED_URL", "the embedding server's URL, such as http://127.0.0.1:11434")
        let model = try required("STRATA_EMBED_MODEL", "an embedding model name, such as nomic-embed-text")
        var dimension: Int?
        if let text = environment["STRATA_EMBED_DIMENSION"], !text.isEmpty {
            guard let value = Int(text) else {
                throw .invalidArgument(name: "STRATA_EMBED_DIMENSION", value: text, expected: "a whole number such as 768")
            }
            dimension = value
        }
        let key = environment["STRATA_EMBED_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        self.init(endpoint: endpoint, model: model, apiKey: key, dimension: dimension)
    }
}
