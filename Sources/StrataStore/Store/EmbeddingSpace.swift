import StrataKernels

/// The embedding space of a store: every vector in it comes from one embedder, has one
/// dimension and is compared by one metric.
public struct EmbeddingSpace: Sendable, Equatable, CustomStringConvertible {
    public var embedder: String
    public var dimension: Int
    public var metric: Metric

    public var description: String { "\(embedder), \(dimension) dimensions, \(metric.rawValue)" }
}
