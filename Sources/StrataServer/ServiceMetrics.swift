import CoreMetrics
import Foundation
import Prometheus
import StrataAnalytics
import StrataGeneration
import StrataStore
import Synchronization

/// The service's metrics, made through swift-metrics with a factory of its own (so that two
/// services in one process, as in tests, never share counters) and exported in Prometheus'
/// text format at `/metrics`.
public final class ServiceMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory
    /// The last hour of requests and searches, for the alert rules' windows.
    let recent = Mutex(RecentActivity())

    init() {
        factory = PrometheusMetricsFactory(registry: registry)
    }

    /// Counts a request and records its latency under its route (the matched path pattern,
    /// not the raw path, so ids do not explode the label space).
    func request(route: String, method: String, status: Int, seconds: Double) {
        let dimensions = [("route", route), ("method", method), ("status", String(status))]
        Counter(label: "strata_http_requests_total", dimensions: dimensions, factory: factory).increment()
        recent.withLock { $0.requests.append((.now, status >= 500)) }
        Timer(label: "strata_http_request_duration_seconds", dimensions: [("route", route), ("method", method)], preferredDisplayUnit: .seconds, factory: factory)
            .recordNanoseconds(Int64(seconds * 1e9))
    }

    /// Records one search's own time (embedding, planning, traversal, hydration).
    func search(microseconds: Double) {
        Timer(label: "strata_search_duration_seconds", preferredDisplayUnit: .seconds, factory: factory).recordNanoseconds(Int64(microseconds * 1000))
        recent.withLock { $0.searches.append((.now, microseconds)) }
    }

    /// Counts a recorded generation with its cost and quality, per provider and model.
    func generation(_ record: GenerationRecord) {
        generation(provider: record.provider, model: record.model, outcome: record.outcome.rawValue, cost: record.cost, quality: record.quality)
    }

    /// Counts a generation made by this service.
    func generated(_ result: GenerationResult) {
        generation(
            provider: result.provider, model: result.model, outcome: result.validation.allPassed ? "success" : "failure",
            cost: result.cost, quality: result.quality.value)
    }

    private func generation(provider: String, model: String, outcome: String, cost: Double?, quality: Double?) {
        let dimensions = [("provider", provider), ("model", model)]
        Counter(label: "strata_generations_total", dimensions: dimensions + [("outcome", outcome)], factory: factory).increment()
        if let cost { FloatingPointCounter(label: "strata_generation_cost_dollars_total", dimensions: dimensions, factory: factory).increment(by: cost) }
        if let quality { Recorder(label: "strata_generation_quality", dimensions: dimensions, aggregate: true, factory: factory).record(quality) }
    }

    /// Sets the patterns per tier.
    func patterns(hot: Int, cold: Int) {
        Gauge(label: "strata_patterns", dimensions: [("tier", "hot")], factory: factory).record(hot)
        Gauge(label: "strata_patterns", dimensions: [("tier", "cold")], factory: factory).record(cold)
    }

    /// The text exposition format.
    /// A replica's standing: seconds from another replica's commit to its application here,
    /// feed entries not yet applied, and whether it is the maintainer.
    func replication(_ status: ReplicationStatus) {
        Gauge(label: "strata_replication_lag_seconds", factory: factory).record(status.lagSeconds ?? 0)
        Gauge(label: "strata_replication_pending_changes", factory: factory).record(max(0, status.newestSequence - status.appliedSequence))
        Gauge(label: "strata_replica_maintainer", factory: factory).record(status.isMaintainer ? 1 : 0)
    }

    func exposition() -> [UInt8] { registry.emitToBuffer() }
}

/// Requests and searches with their instants, kept for an hour at most (and 200,000 of each),
/// so alert rules read rates and percentiles over their own windows.
struct RecentActivity: Sendable {
    var requests: [(at: ContinuousClock.Instant, failed: Bool)] = []
    var searches: [(at: ContinuousClock.Instant, microseconds: Double)] = []
    static let horizon: Duration = .seconds(3600)
    static let limit = 200_000

    /// Drops what is older than the horizon or beyond the limit.
    mutating func trim(now: ContinuousClock.Instant) {
        let oldest = now - Self.horizon
        if let keep = requests.firstIndex(where: { $0.at >= oldest }) { requests.removeFirst(max(keep, requests.count - Self.limit)) } else { requests.removeAll() }
        if let keep = searches.firstIndex(where: { $0.at >= oldest }) { searches.removeFirst(max(keep, searches.count - Self.limit)) } else { searches.removeAll() }
    }

    /// The fraction of requests within `window` answered 5xx; nil when there were none.
    func errorRate(within window: Duration, now: ContinuousClock.Instant) -> Double? {
        let recent = requests.reversed().prefix { $0.at >= now - window }
        return recent.isEmpty ? nil : Double(recent.filter(\.failed).count) / Double(recent.count)
    }

    /// The 99th percentile of search time within `window`, in milliseconds; nil when none.
    func searchP99(within window: Duration, now: ContinuousClock.Instant) -> Double? {
        let times = searches.reversed().prefix { $0.at >= now - window }.map(\.microseconds).sorted()
        guard !times.isEmpty else { return nil }
        return times[min(times.count - 1, Int((0.99 * Double(times.count)).rounded(.up)) - 1)] / 1000
    }
}
