import Foundation
import Hummingbird
import StrataStore

extension StrataService {
    func addHealthRoutes(to router: Router<BasicRequestContext>) {
        // Alive: the process answers.
        router.get("healthz") { _, _ in JSONResponse.make(["status": "ok"]) }
        // Ready: the store answers a count.
        router.get("readyz") { _, _ throws(ServerError) in
            let stats = try self.storeCall { () throws(StoreError) in try self.store.stats() }
            return JSONResponse.make(["ready": true, "patterns": stats.patterns, "hot": stats.hot, "cold": stats.cold])
        }
        router.get("metrics") { _, _ throws(ServerError) in
            let stats = try self.storeCall { () throws(StoreError) in try self.store.stats() }
            self.metrics.patterns(hot: stats.hot, cold: stats.cold)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: self.metrics.exposition())))
        }
    }
}
