import Foundation

/// What an import did.
public struct ImportReport: Sendable, Equatable, Codable {
    /// Records read (blank lines are skipped).
    public var records: Int = 0
    public var added: Int = 0
    public var replaced: Int = 0
    public var unchanged: Int = 0
    public var mergedExact: Int = 0
    public var mergedNear: Int = 0
    public var seconds: Double = 0

    mutating func count(_ outcomes: [AddOutcome]) {
        for outcome in outcomes {
            switch outcome.action {
            case .added: added += 1
            case .replaced: replaced += 1
            case .unchanged: unchanged += 1
            case .mergedExact: mergedExact += 1
            case .mergedNear: mergedNear += 1
            }
        }
    }
}
