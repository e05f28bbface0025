/// How two vectors are compared.
///
/// Every kernel and index in Strata works with a *distance*, where lower is closer, so that
/// one ordering serves all three metrics:
///
/// | metric | distance | score shown to people |
/// |---|---|---|
/// | ``cosine`` | `1 - cos(a, b)` (vectors normalized on insert) | `cos(a, b)` |
/// | ``innerProduct`` | `-(a · b)` | `a · b` |
/// | ``l2`` | `‖a - b‖²` | `‖a - b‖` |
public enum Metric: String, Sendable, CaseIterable, Codable {
    /// Cosine similarity: vectors are normalized to unit length when stored and queried.
    case cosine
    /// Raw inner product, for embeddings whose length carries meaning.
    case innerProduct = "ip"
    /// Squared Euclidean distance.
    case l2

    /// The numeric code stored in segment file headers.
    public var code: UInt32 {
        switch self {
        case .cosine: 0
        case .innerProduct: 1
        case .l2: 2
        }
    }

    /// The metric stored under `code` in a segment header, or `nil` for an unknown code.
    public init?(code: UInt32) {
        switch code {
        case 0: self = .cosine
        case 1: self = .innerProduct
        case 2: self = .l2
        default: return nil
        }
    }

    /// Parses the names people type: `cosine`, `ip` / `dot` / `inner-product`, `l2` / `euclidean`.
    public init?(name: String) {
        switch name.lowercased() {
        case "cosine", "cos": self = .cosine
        case "ip", "dot", "inner-product", "innerproduct": self = .innerProduct
        case "l2", "euclid", "euclidean": self = .l2
        default: return nil
        }
    }

    /// Whether stored and query vectors are normalized to unit length.
    public var normalizesVectors: Bool { self == .cosine }

    /// Converts an internal distance into the score people read (see the table above).
    @inlinable
    public func score(fromDistance distance: Float) -> Float {
        switch self {
        case .cosine: 1 - distance
        case .innerProduct: -distance
        case .l2: distance.squareRoot()
        }
    }

    /// Converts the dot product of two vectors into this metric's distance; for ``l2`` the
    /// squared norms of both vectors are needed too (`‖a‖² + ‖b‖² - 2 a·b`).
    @inlinable
    public func distance(dot: Float, squaredNormA: Float = 0, squaredNormB: Float = 0) -> Float {
        switch self {
        case .cosine: 1 - dot
        case .innerProduct: -dot
        case .l2: max(0, squaredNormA + squaredNormB - 2 * dot)
        }
    }
}
