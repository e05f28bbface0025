import StrataStore

/// A stored pattern the RAG lookup returned for a prompt, with how close it was.
public struct RetrievedPattern: Sendable, Equatable {
    public var id: String
    public var name: String
    public var nodeType: NodeType
    public var domain: String
    /// Cosine similarity between the prompt's query and the pattern, −1…1.
    public var similarity: Double
    public var quality: Double
    public var successRate: Double
    public var text: String

    public init(id: String, name: String, nodeType: NodeType, domain: String, similarity: Double, quality: Double, successRate: Double, text: String) {
        self.id = id
        self.name = name
        self.nodeType = nodeType
        self.domain = domain
        self.similarity = similarity
        self.quality = quality
        self.successRate = successRate
        self.text = text
    }

    /// The hit as the store returned it.
    public init(_ hit: SearchHit) {
        let pattern = hit.pattern
        self.init(
            id: pattern.id, name: pattern.name, nodeType: pattern.nodeType, domain: pattern.domain, similarity: hit.similarity,
            quality: pattern.quality, successRate: pattern.successRate, text: pattern.text)
    }
}
