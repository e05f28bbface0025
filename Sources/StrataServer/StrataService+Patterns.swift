import Foundation
import Hummingbird
import StrataStore

extension StrataService {
    func addPatternRoutes(to router: Router<BasicRequestContext>) {
        let patterns = router.group("v1/patterns")
        // One pattern object, or {"patterns": [...]}; fields as in `strata import`. 201 once
        // the transaction has committed: the patterns survive a crash from then on.
        patterns.post { request, _ throws(ServerError) in
            let body = try await JSONResponse.object(request, limit: self.configuration.maxBodyBytes)
            let decoded = try Self.decodeEach(try Self.list(body, key: "patterns"), what: "pattern") { object throws(NewPatternDecodingError) in
                try NewPattern(jsonObject: object)
            }
            let outcomes = try self.storeCall { () throws(StoreError) in try self.store.add(decoded, existing: .fail) }
            return JSONResponse.make([
                "ids": outcomes.map(\.storedAs),
                "results": outcomes.map { ["id": $0.id, "action": $0.action.rawValue, "stored_as": $0.storedAs] },
            ], status: .created)
        }
        patterns.get(":id") { _, context throws(ServerError) in
            let id = try self.id(context)
            let pattern = try self.storeCall { () throws(StoreError) in try self.store.pattern(id: id) }
            return JSONResponse.make(pattern.jsonObject())
        }
        patterns.delete(":id") { _, context throws(ServerError) in
            let id = try self.id(context)
            try self.storeCall { () throws(StoreError) in try self.store.delete(id: id) }
            return JSONResponse.make(["deleted": id])
        }
        // Feedback: {"outcome": "success"|"failure"|"used", "quality": 0.8}.
        patterns.patch(":id") { request, context throws(ServerError) in
            let id = try self.id(context)
            let body = try await JSONResponse.object(request, limit: self.configuration.maxBodyBytes)
            let outcomeText = body["outcome"] as? String ?? "used"
            guard let outcome = UseOutcome(rawValue: outcomeText) else {
                throw .badRequest("\"outcome\" must be success, failure or used; got \"\(outcomeText)\"")
            }
            var quality: Double?
            if let value = body["quality"] {
                guard let number = value as? NSNumber else { throw .badRequest("\"quality\" must be a number from 0 to 1") }
                quality = number.doubleValue
            }
            let updated = try self.storeCall { () throws(StoreError) in try self.store.recordUse(of: id, outcome: outcome, quality: quality) }
            return JSONResponse.make(updated.jsonObject(includeText: false))
        }
    }

    func id(_ context: BasicRequestContext) throws(ServerError) -> String {
        guard let id = context.parameters.get("id"), !id.isEmpty else { throw .badRequest("the path needs a pattern id") }
        return id
    }
}
