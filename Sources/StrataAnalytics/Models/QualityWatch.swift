/// Watches a newly served model for a quality drop: a one-sided CUSUM (Page's test) of its
/// generations against the incumbent's baseline less the margin.
///
/// Each generation adds `(reference − quality) / σ − k` to a running sum floored at zero,
/// where `reference` is the baseline mean minus the margin, `σ` the generations' spread and
/// `k` half the shift to catch (``MigrationPolicy/watchShift``), in σ. The alarm sounds when
/// the sum reaches ``MigrationPolicy/watchThreshold``. A model as good as the baseline
/// drifts the sum down by margin/σ + k a generation and almost never alarms; a drop of
/// `watchShift` below the reference climbs by k a generation, and a 13-point drop reaches
/// a threshold of 5 in about five generations.
package struct QualityWatch {
    package var reference: Double
    package var sd: Double
    package var allowance: Double
    package var threshold: Double

    package init(baselineMean: Double, sd: Double, policy: MigrationPolicy) {
        reference = baselineMean - policy.margin
        self.sd = max(sd, 1e-6)
        allowance = policy.watchShift / (2 * self.sd)
        threshold = policy.watchThreshold
    }

    /// The statistic after `qualities` (in order), and whether it reached the threshold on
    /// the way; the sum stops at the first alarm.
    package func scan(_ qualities: some Sequence<Double>) -> (statistic: Double, alarm: Bool) {
        var sum = 0.0
        for quality in qualities {
            sum = max(0, sum + (reference - quality) / sd - allowance)
            if sum >= threshold { return (sum, true) }
        }
        return (sum, false)
    }
}
