import CoreMetrics
import Foundation
import Prometheus
import StrataAnalytics
import StrataGeneration
import StrataStore

/// The service's metrics, made through swift-metrics with a factory of its own (so that two
/// services in one process, as in tests, never share counters) and exported in Prometheus'
/// text format at `/metrics`.
public final class ServiceMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory

    init() {
        factory = PrometheusMetricsFactory(registry: registry)
    }

    /// Counts a request and records its latency under its route (the matched path pattern,
    /// not the raw path, so ids do not explode the label space).
    func request(route: String, method: String, status: Int, seconds: Double) {
        let dimensions = [("route", route), ("method", method), ("status", String(status))]
        Counter(label: "strata_http_requests_total", dimensions: dimensions, factory: factory).increment()
        Timer(label: "strata_http_request_duration_seconds", dimensions: [("route", route), ("method", method)], preferredDisplayUnit: .seconds, factory: factory)
            .recordNanoseconds(Int64(seconds * 1e9))
    }

    /// Records one search's own time (embedding, planning, traversal, hydration).
    func search(microseconds: Double) {
        Timer(label: "strata_search_duration_seconds", preferredDisplayUnit: .seconds, factory: factory).recordNanoseconds(Int64(microseconds * 1000))
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
