import Foundation
import Hummingbird
import StrataAnalytics

/// The generation feed as server-sent events: `GET /v1/generations/stream` sends each
/// generation recorded from now on (after `Last-Event-ID` or `?after=ID` when given) as
/// `event: generation` with the record's JSON, and a comment every 15 s so proxies keep the
/// connection. `?max_events=N` and `?seconds=S` end the stream (scripts, tests). The
/// dashboard's feed listens to it instead of waiting for its refresh.
struct GenerationStream {
    let tracker: PerformanceTracker
    /// How often the catalog is asked for new records.
    static let poll: Duration = .milliseconds(500)

    func addRoutes(to router: Router<StrataRequestContext>) {
        router.get("v1/generations/stream", use: stream)
    }

    @Sendable func stream(_ request: Request, context _: StrataRequestContext) throws -> Response {
        let parameters = request.uri.queryParameters
        func number(_ text: String?, _ name: String) throws(ServerError) -> Double? {
            guard let text, !text.isEmpty else { return nil }
            guard let value = Double(text), value >= 0 else { throw .badRequest("\(name) \"\(text)\" must be a number ≥ 0") }
            return value
        }
        let given = try number(request.headers[.init("Last-Event-ID")!] ?? parameters["after"].map(String.init), "after")
        let maxEvents = try number(parameters["max_events"].map(String.init), "max_events").map(Int.init)
        let seconds = try number(parameters["seconds"].map(String.init), "seconds")
        let start = try given.map(Int64.init) ?? (tracker.records(matching: RecordQuery(limit: 1)).first?.id ?? 0)
        let tracker = tracker
        let body = ResponseBody { writer in
            let started = ContinuousClock.now
            var sent = 0, quiet = ContinuousClock.now, last = start
            try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
            while maxEvents.map({ sent < $0 }) ?? true, seconds.map({ ContinuousClock.now - started < .seconds($0) }) ?? true {
                let fresh = try tracker.records(matching: RecordQuery(limit: 100)).filter { ($0.id ?? 0) > last }.reversed()
                for record in fresh.prefix(maxEvents.map { $0 - sent } ?? .max) {
                    let data = (try? JSONSerialization.data(withJSONObject: record.jsonObject, options: [.sortedKeys])) ?? Data("{}".utf8)
                    try await writer.write(ByteBuffer(string: "id: \(record.id ?? 0)\nevent: generation\ndata: \(String(decoding: data, as: UTF8.self))\n\n"))
                    last = max(last, record.id ?? 0)
                    sent += 1
                    quiet = .now
                }
                if ContinuousClock.now - quiet > .seconds(15) {
                    try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                    quiet = .now
                }
                try await Task.sleep(for: Self.poll)
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"], body: body)
    }
}
