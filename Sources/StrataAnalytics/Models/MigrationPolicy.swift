import Foundation

/// When the migration engine may move a stage to a cheaper model, how it tries it, and when
/// it gives it up. Every default is stated on its field.
public struct MigrationPolicy: Sendable, Equatable {
    /// Scored generations each arm needs before any test. Default 30.
    public var minimumGenerations: Int
    /// How far (in quality, 0–1) the candidate's mean may fall below the incumbent's and
    /// still count as non-inferior. Default 0.02 (two quality points).
    public var margin: Double
    /// Significance level of the one-sided tests. Default 0.05.
    public var alpha: Double
    /// Share of the stage's generations routed to the candidate during a canary. Default 0.10.
    public var canaryShare: Double
    /// Candidate generations in a canary before it may be promoted. Default 30.
    public var canaryGenerations: Int
    /// Candidate generations after which a canary that has not shown non-inferiority is
    /// rolled back. Default 150.
    public var maximumCanaryGenerations: Int
    /// Share of the incumbent's cost a candidate must save to be tried. Default 0.25.
    public var minimumSaving: Double
    /// The drop below (baseline − margin) the quality watch is tuned to catch quickly: the
    /// CUSUM's reference shift, in quality. Default 0.10.
    public var watchShift: Double
    /// The CUSUM's alarm threshold, in standard deviations. Default 5.
    public var watchThreshold: Double
    /// How long a rolled-back model is kept out of the stage's candidates. Default 7 days.
    public var rejectionPeriod: TimeInterval
    /// Most recent scored generations of a model the tests use. Default 500.
    public var evidenceWindow: Int

    public init(
        minimumGenerations: Int = 30, margin: Double = 0.02, alpha: Double = 0.05, canaryShare: Double = 0.10, canaryGenerations: Int = 30,
        maximumCanaryGenerations: Int = 150, minimumSaving: Double = 0.25, watchShift: Double = 0.10, watchThreshold: Double = 5,
        rejectionPeriod: TimeInterval = 7 * 86_400, evidenceWindow: Int = 500
    ) {
        self.minimumGenerations = minimumGenerations
        self.margin = margin
        self.alpha = alpha
        self.canaryShare = canaryShare
        self.canaryGenerations = canaryGenerations
        self.maximumCanaryGenerations = maximumCanaryGenerations
        self.minimumSaving = minimumSaving
        self.watchShift = watchShift
        self.watchThreshold = watchThreshold
        self.rejectionPeriod = rejectionPeriod
        self.evidenceWindow = evidenceWindow
    }

    /// Explains the first field out of range.
    public func validate() throws(AnalyticsError) {
        func check(_ ok: Bool, _ name: String, _ value: Any, _ expected: String) throws(AnalyticsError) {
            if !ok { throw .invalidArgument(name: name, value: "\(value)", expected: expected) }
        }
        try check(minimumGenerations >= 2, "minimumGenerations", minimumGenerations, "at least 2 generations per arm (a spread needs two)")
        try check(margin >= 0 && margin < 1, "margin", margin, "a quality difference in 0…1")
        try check(alpha > 0 && alpha < 0.5, "alpha", alpha, "a significance level in (0, 0.5)")
        try check(canaryShare > 0 && canaryShare < 1, "canaryShare", canaryShare, "a share in (0, 1)")
        try check(canaryGenerations >= 2, "canaryGenerations", canaryGenerations, "at least 2")
        try check(maximumCanaryGenerations >= canaryGenerations, "maximumCanaryGenerations", maximumCanaryGenerations, "at least canaryGenerations (\(canaryGenerations))")
        try check(minimumSaving >= 0 && minimumSaving < 1, "minimumSaving", minimumSaving, "a share in 0…1")
        try check(watchShift > 0, "watchShift", watchShift, "a positive quality drop")
        try check(watchThreshold > 0, "watchThreshold", watchThreshold, "a positive number of standard deviations")
        try check(rejectionPeriod >= 0, "rejectionPeriod", rejectionPeriod, "seconds ≥ 0")
        try check(evidenceWindow >= minimumGenerations, "evidenceWindow", evidenceWindow, "at least minimumGenerations (\(minimumGenerations))")
    }
}
