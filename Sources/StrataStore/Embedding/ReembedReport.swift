import Foundation

/// What a re-embed did.
public struct ReembedReport: Sendable, Equatable, Codable {
    public var patterns: Int
    public var from: String
    public var to: String
    public var dimension: Int
    public var seconds: Double
}
