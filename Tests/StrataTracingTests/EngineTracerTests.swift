import Foundation
import StrataTracing
import Synchronization
import Testing
import Tracing

/// The engine's tracer: spans nest under the task's current span, sampling follows the parent
/// or the ratio, and nothing is made where no tracer is bound.
@Suite struct EngineTracerTests {
    /// A tracer whose buffer keeps every batch it would send.
    final class Recorder: Sendable {
        final class Batches: Sendable {
            let sent = Mutex<[[FinishedSpan]]>([])
        }

        let batches = Batches()
        let buffer: SpanBuffer
        let tracer: EngineTracer

        init(sampling: Double = 1, configuration: SpanBuffer.Configuration = .init(delay: .milliseconds(20))) {
            let batches = self.batches
            buffer = SpanBuffer(configuration: configuration) { spans in batches.sent.withLock { $0.append(spans) } }
            tracer = EngineTracer(sampling: sampling, buffer: buffer)
        }

        /// Stops the buffer and returns every span it sent.
        func spans() -> [FinishedSpan] {
            buffer.shutdown()
            return batches.sent.withLock { $0.flatMap { $0 } }
        }

        /// Runs `body` as a task bound to the tracer.
        func traced<T>(_ body: () throws -> T) rethrows -> T {
            var context = InstrumentationContext.topLevel
            context.engineTracer = tracer
            return try InstrumentationContext.$current.withValue(context) { try body() }
        }
    }

    struct Failure: Error {}

    @Test func spansNestAndCarryWhatTheirBodiesSay() throws {
        let recorder = Recorder()
        var headers: [String] = []
        recorder.traced {
            EngineTrace.span("outer") { outer in
                outer.set("strata.count", 3)
                EngineTrace.span("inner", kind: .client) { _ in headers = EngineTrace.propagationHeaders() }
                _ = try? EngineTrace.span("failing") { (_) throws(Failure) in throw Failure() }
            }
        }
        let spans = recorder.spans()
        let byName = Dictionary(uniqueKeysWithValues: spans.map { ($0.name, $0) })
        let outer = try #require(byName["outer"]), inner = try #require(byName["inner"]), failing = try #require(byName["failing"])
        #expect(outer.parentSpanID == 0 && inner.parentSpanID == outer.context.spanID && failing.parentSpanID == outer.context.spanID)
        #expect(Set(spans.map(\.context.traceHex)).count == 1)
        #expect(outer.attributes["strata.count"]?.toSpanAttribute() == .int64(3))
        #expect(inner.kind == .client && outer.start <= inner.start && inner.end <= outer.end)
        #expect(failing.status?.code == .error && failing.events.map(\.name) == ["exception"])
        #expect(headers == ["traceparent: \(inner.context.traceparent)"])
    }

    @Test func withoutATracerNothingIsMadeAndTheBodyStillRuns() {
        var ran = false
        EngineTrace.span("untraced") { span in
            #expect(!span.isRecording)
            ran = true
        }
        #expect(ran && !EngineTrace.isActive && EngineTrace.propagationHeaders().isEmpty)
    }

    @Test func rootsAreSampledByTheRatioAndChildrenFollowTheirParent() {
        let quarter = Recorder(sampling: 0.25, configuration: .init(delay: .milliseconds(20), maxQueue: 100_000))
        let roots = 20_000
        for _ in 0..<roots { quarter.tracer.startSpan("root", context: .topLevel).end() }
        let kept = Double(quarter.spans().count) / Double(roots)
        #expect(abs(kept - 0.25) < 0.02, "\(kept)")

        let none = Recorder(sampling: 0)
        var sampledParent = InstrumentationContext.topLevel
        sampledParent.traceContext = TraceContext(traceID: (1, 2), spanID: 3, sampled: true)
        let child = none.tracer.startSpan("child", context: sampledParent)
        none.tracer.startSpan("root", context: .topLevel).end()
        child.end()
        var unsampledParent = InstrumentationContext.topLevel
        unsampledParent.traceContext = TraceContext(traceID: (1, 2), spanID: 3, sampled: false)
        let all = Recorder(sampling: 1)
        let skipped = all.tracer.startSpan("skipped", context: unsampledParent)
        #expect(!skipped.isRecording && skipped.context.traceContext?.sampled == false)
        skipped.end()
        #expect(none.spans().map(\.name) == ["child"] && all.spans().isEmpty)
    }

    @Test func aFullBufferDropsAndCountsAndShutdownSendsTheRest() {
        let recorder = Recorder(configuration: .init(delay: .seconds(60), batchSize: 4, maxQueue: 10))
        // Held: the sending thread waits a minute unless a batch fills; the first four wake it.
        recorder.traced { for index in 0..<3 { EngineTrace.span("s\(index)") { _ in } } }
        #expect(recorder.batches.sent.withLock { $0.isEmpty })
        recorder.traced { for index in 3..<30 { EngineTrace.span("s\(index)") { _ in } } }
        let sent = recorder.spans()
        #expect(sent.count + recorder.buffer.dropped == 30 && recorder.buffer.dropped > 0)
        #expect(recorder.batches.sent.withLock { $0.allSatisfy { $0.count <= 4 } })
        #expect(sent.map(\.name) == sent.map(\.name).sorted { Int($0.dropFirst())! < Int($1.dropFirst())! })
        recorder.tracer.startSpan("late", context: .topLevel).end()
        #expect(recorder.buffer.dropped > 0 && recorder.batches.sent.withLock { $0.flatMap { $0 } }.count == sent.count)
    }
}
