import Foundation
import Hummingbird
import StrataStore

extension StrataService {
    func addHealthRoutes(to router: Router<BasicRequestContext>) {
        // Alive: the process answers.
        router.get("healthz") { _, _ in JSONResponse.make(["status": "ok"]) }
        // Ready: the store answers a count, and a replica of a shared store has applied every
        // write the others made (503 until it has, so a load balancer holds traffic back).
        router.get("readyz") { _, _ throws(ServerError) in
            let stats = try self.storeCall { () throws(StoreError) in try self.store.stats() }
            var answer: [String: Any] = ["ready": true, "patterns": stats.patterns, "hot": stats.hot, "cold": stats.cold]
            guard let replication = self.store.replicationStatus else { return JSONResponse.make(answer) }
            let caughtUp = replication.isCaughtUp()
            answer["ready"] = caughtUp
            var replica: [String: Any] = [
                "caught_up": caughtUp, "applied_sequence": replication.appliedSequence,
                "newest_sequence": replication.newestSequence, "maintainer": replication.isMaintainer,
            ]
            replica["lag_seconds"] = replication.lagSeconds
            replica["last_poll_seconds_ago"] = replication.lastPoll.map { Date().timeIntervalSince($0) }
            replica["error"] = replication.lastError
            answer["replica"] = replica
            return JSONResponse.make(answer, status: caughtUp ? .ok : .serviceUnavailable)
        }
        router.get("metrics") { _, _ throws(ServerError) in
            let stats = try self.storeCall { () throws(StoreError) in try self.store.stats() }
            self.metrics.patterns(hot: stats.hot, cold: stats.cold)
            if let replication = self.store.replicationStatus { self.metrics.replication(replication) }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: self.metrics.exposition())))
        }
    }
}
