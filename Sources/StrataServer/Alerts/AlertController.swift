import Foundation
import Hummingbird

/// The alerts over HTTP: `GET /v1/alerts` (every rule with its value and state, and the
/// messages sent lately) and `POST /v1/alerts/test` (a test message to every webhook, the
/// deliveries' outcomes in the answer). Tenants other than the default have no alerts.
struct AlertController {
    let alerts: AlertEngine?

    func addRoutes(to router: Router<StrataRequestContext>) {
        router.get("v1/alerts", use: list)
        router.post("v1/alerts/test", use: test)
    }

    @Sendable func list(_: Request, context _: StrataRequestContext) throws -> Response {
        JSONResponse.make([
            "rules": (alerts?.rules ?? []).map(\.jsonObject),
            "notices": (alerts?.notices ?? []).map(\.jsonObject),
        ])
    }

    @Sendable func test(_: Request, context _: StrataRequestContext) async throws -> Response {
        guard let alerts, !alerts.configuration.webhooks.isEmpty else {
            throw ServerError.conflict("no alert webhooks are configured: name an alerts file (the alerts key) with webhooks")
        }
        let notices = try await offloaded { alerts.sendTest() }
        return JSONResponse.make(["notices": notices.map(\.jsonObject)])
    }
}

extension AlertEngine.AlertState {
    /// The rule's state as `GET /v1/alerts` and `strata alerts list --json` give it.
    public var jsonObject: [String: Any] {
        let stamp = ISO8601DateFormatter()
        var object: [String: Any] = ["name": rule.name, "condition": rule.condition, "metric": rule.metric.rawValue, "state": firingSince == nil ? "ok" : "firing"]
        object["value"] = value
        object["firing_since"] = firingSince.map(stamp.string)
        object["evaluated_at"] = evaluatedAt.map(stamp.string)
        object["problem"] = problem
        return object
    }
}

extension AlertEngine.AlertNotice {
    /// One delivery as `GET /v1/alerts` and `strata alerts test --json` give it.
    public var jsonObject: [String: Any] {
        var object: [String: Any] = [
            "rule": rule, "status": status, "at": ISO8601DateFormatter().string(from: at), "webhook": webhook, "delivered": delivered, "attempts": attempts,
        ]
        object["value"] = value
        object["problem"] = problem
        return object
    }
}
