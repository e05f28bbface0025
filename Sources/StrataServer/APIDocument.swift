/// The native API and the Qdrant-compatible subset as an OpenAPI 3.1 document, served at `/openapi.json`. A test checks that
/// its operations are exactly the router's routes, so neither drifts from the other.
enum APIDocument {
    struct Operation {
        var method: String
        /// In OpenAPI form: `/v1/patterns/{id}`.
        var path: String
        var summary: String
        /// What the request body holds, or `nil` for none.
        var body: String?
        /// The success status and what it returns.
        var success: (status: Int, description: String)
    }

    static let operations: [Operation] = [
        .init(method: "get", path: "/healthz", summary: "Alive: the process answers.", body: nil, success: (200, "{\"status\":\"ok\"}")),
        .init(method: "get", path: "/readyz", summary: "Ready: the store answers; patterns per tier.", body: nil, success: (200, "{\"ready\",\"patterns\",\"hot\",\"cold\"}")),
        .init(method: "get", path: "/metrics", summary: "Prometheus metrics (text format 0.0.4).", body: nil, success: (200, "Prometheus text")),
        .init(method: "get", path: "/openapi.json", summary: "This document.", body: nil, success: (200, "OpenAPI 3.1")),
        .init(method: "get", path: "/dashboard", summary: "The service dashboard: an HTML page with SVG charts that refreshes itself.", body: nil, success: (200, "HTML page")),
        .init(method: "post", path: "/v1/patterns", summary: "Add one pattern, or {\"patterns\":[...]}, fields as in `strata import`; 201 once durable.", body: "pattern object or {\"patterns\":[...]}", success: (201, "{\"ids\":[...],\"results\":[{\"id\",\"action\",\"stored_as\"}]}")),
        .init(method: "get", path: "/v1/patterns/{id}", summary: "One pattern with its metadata and text.", body: nil, success: (200, "pattern object")),
        .init(method: "delete", path: "/v1/patterns/{id}", summary: "Delete a pattern.", body: nil, success: (200, "{\"deleted\":id}")),
        .init(method: "patch", path: "/v1/patterns/{id}", summary: "Feedback: a use with its outcome and optionally a new quality.", body: "{\"outcome\":\"success|failure|used\",\"quality\"}", success: (200, "the pattern after the update")),
        .init(method: "post", path: "/v1/search", summary: "Nearest patterns to a text or vector, with a filter expression and optional re-ranking.", body: "{\"text\"|\"vector\",\"k\",\"filter\",\"rerank\",\"ef\",\"exact\",\"with_text\"}", success: (200, "{\"results\":[{\"id\",\"score\",\"similarity\",...}],\"took_us\",\"plan\"}")),
        .init(method: "post", path: "/v1/generations", summary: "Record generations, one or {\"generations\":[...]}, fields as in `strata record`.", body: "generation record(s)", success: (201, "{\"ids\",\"records\"}")),
        .init(method: "get", path: "/v1/generations", summary: "Recorded generations; query model, provider, stage, project, since, limit.", body: nil, success: (200, "{\"records\":[...]}")),
        .init(method: "post", path: "/v1/predict", summary: "Predicted quality, cost and latency (ridge regression over the recorded generations).", body: "{\"model\",\"prompt\",\"node_type\",\"domain\",\"stage\",\"top_similarity\",\"context\"}", success: (200, "{\"quality\",\"cost\",\"latency_seconds\"} each {value,low,high}")),
        .init(method: "get", path: "/v1/models/recommend", summary: "The model the selector chooses; query stage, node_type, domain, budget, quality_target.", body: nil, success: (200, "{\"model\",\"provider\",\"predicted_quality\",\"predicted_cost\",\"reason\",\"alternatives\"}")),
        .init(method: "get", path: "/v1/budgets", summary: "Budgets with spend, alerts and the period's forecast; query project.", body: nil, success: (200, "{\"budgets\":[...]}")),
        .init(method: "post", path: "/v1/clusters", summary: "Cluster the store (k-means) and return the report; the run is kept.", body: "{\"k\",\"filter\",\"restarts\",\"seed\"}", success: (201, "the cluster report as JSON")),
        .init(method: "get", path: "/v1/clusters", summary: "Past cluster runs.", body: nil, success: (200, "{\"runs\":[...]}")),
        .init(method: "post", path: "/v1/generate", summary: "Generate an ONEX node offline from a prompt (the pipeline of `strata generate`).", body: "{\"prompt\",\"quality_target\",\"budget\",\"node_type\",\"name\",\"domain\",\"operations\",\"force\",\"dry_run\"}", success: (201, "strata generate --json's object plus dimensions, gate_results, pattern")),
        .init(method: "get", path: "/v1/audit", summary: "The tenant's audit log, oldest first; query since, until (ISO 8601 or epoch seconds), action (a prefix when it ends in .), actor, after, limit.", body: nil, success: (200, "{\"records\":[{\"seq\",\"at\",\"tenant\",\"actor\",\"request_id\",\"action\",\"subject\",\"before\",\"after\",\"hash\"}],\"next_after\"}")),
        .init(method: "get", path: "/v1/audit/verify", summary: "Walk the audit chain: whether it holds, else the first broken record.", body: nil, success: (200, "{\"holds\",\"checked\",\"first_broken\",\"problem\"}")),
        .init(method: "get", path: "/v1/alerts", summary: "The alert rules with their values and states (ok, firing), and the messages sent lately.", body: nil, success: (200, "{\"rules\":[{\"name\",\"condition\",\"state\",\"value\",\"firing_since\"}],\"notices\":[...]}")),
        .init(method: "post", path: "/v1/alerts/test", summary: "Send a test message to every alert webhook now; the deliveries' outcomes.", body: nil, success: (200, "{\"notices\":[{\"webhook\",\"delivered\",\"attempts\",\"problem\"}]}")),
        .init(method: "get", path: "/v1/generations/stream", summary: "Server-sent events: each generation recorded from now on (or after Last-Event-ID / after); max_events and seconds end the stream.", body: nil, success: (200, "text/event-stream: event: generation, data: the record")),
        .init(method: "get", path: "/explore", summary: "The pattern explorer: search the store (q, mode, filter) with the results' code shown. HTML, no script.", body: nil, success: (200, "text/html")),
        .init(method: "get", path: "/explore/patterns/{id}", summary: "A pattern's page: metadata, code, uses by day, the generations that used it, near duplicates, its cluster.", body: nil, success: (200, "text/html")),
        .init(method: "get", path: "/explore/clusters/{run}/{cluster}", summary: "A cluster's patterns, from a cluster run.", body: nil, success: (200, "text/html")),
        // Tenants and keys: admin keys only.
        .init(method: "get", path: "/v1/tenants", summary: "Tenants with their patterns, active keys, generations and cost (the cost allocated by tenant). Admin key.", body: nil, success: (200, "{\"tenants\":[{\"tenant\",\"patterns\",\"active_keys\",\"generations\",\"cost_usd\"}]}")),
        .init(method: "post", path: "/v1/tenants", summary: "Make a tenant (when new) and issue it a key, shown this once. Admin key.", body: "{\"name\",\"role\":\"read|write|admin\",\"expires_days\"}", success: (201, "{\"tenant\",\"key\",\"key_id\",\"role\",\"created\",\"expires_at\"}")),
        .init(method: "get", path: "/v1/tenants/{tenant}/keys", summary: "A tenant's keys: ids, roles, state (never the keys). Admin key.", body: nil, success: (200, "{\"keys\":[...]}")),
        .init(method: "post", path: "/v1/tenants/{tenant}/keys", summary: "Issue another key to a tenant. Admin key.", body: "{\"role\",\"expires_days\"}", success: (201, "{\"tenant\",\"key\",\"key_id\",\"role\",\"expires_at\"}")),
        .init(method: "delete", path: "/v1/tenants/{tenant}/keys/{key}", summary: "Revoke a key: refused from now on. Admin key.", body: nil, success: (200, "the key's record, state revoked")),
        // Qdrant's REST API, the subset its clients use; answers in {"result","status","time"}.
        .init(method: "get", path: "/", summary: "Qdrant's version answer (a browser asking for HTML is sent to /dashboard).", body: nil, success: (200, "{\"title\",\"version\"}")),
        .init(method: "get", path: "/collections", summary: "Qdrant: list collections.", body: nil, success: (200, "{\"result\":{\"collections\":[{\"name\"}]}}")),
        .init(method: "put", path: "/collections/{collection}", summary: "Qdrant: create a collection of one unnamed vector (Cosine, Dot or Euclid).", body: "{\"vectors\":{\"size\",\"distance\"}}", success: (200, "{\"result\":true}")),
        .init(method: "get", path: "/collections/{collection}", summary: "Qdrant: collection info (points, config).", body: nil, success: (200, "{\"result\":{\"status\",\"points_count\",\"config\",...}}")),
        .init(method: "delete", path: "/collections/{collection}", summary: "Qdrant: delete a collection.", body: nil, success: (200, "{\"result\":true|false}")),
        .init(method: "get", path: "/collections/{collection}/exists", summary: "Qdrant: whether a collection exists.", body: nil, success: (200, "{\"result\":{\"exists\"}}")),
        .init(method: "put", path: "/collections/{collection}/points", summary: "Qdrant: upsert points, a list or a batch; integer or UUID ids; answered once durable.", body: "{\"points\":[{\"id\",\"vector\",\"payload\"}]} or {\"batch\":{\"ids\",\"vectors\",\"payloads\"}}", success: (200, "{\"result\":{\"operation_id\",\"status\":\"completed\"}}")),
        .init(method: "post", path: "/collections/{collection}/points", summary: "Qdrant: retrieve points by id.", body: "{\"ids\",\"with_payload\",\"with_vector\"}", success: (200, "{\"result\":[{\"id\",\"payload\",\"vector\"}]}")),
        .init(method: "get", path: "/collections/{collection}/points/{id}", summary: "Qdrant: one point.", body: nil, success: (200, "{\"result\":{\"id\",\"payload\",\"vector\"}}")),
        .init(method: "post", path: "/collections/{collection}/points/delete", summary: "Qdrant: delete points by ids or by filter.", body: "{\"points\":[...]} or {\"filter\"}", success: (200, "{\"result\":{\"operation_id\",\"status\"}}")),
        .init(method: "post", path: "/collections/{collection}/points/search", summary: "Qdrant: nearest points to a vector under a filter.", body: "{\"vector\",\"filter\",\"limit\",\"offset\",\"score_threshold\",\"params\",\"with_payload\",\"with_vector\"}", success: (200, "{\"result\":[{\"id\",\"version\",\"score\",\"payload\",\"vector\"}]}")),
        .init(method: "post", path: "/collections/{collection}/points/query", summary: "Qdrant: universal query, nearest to a vector or a point id (or points in id order without a query).", body: "{\"query\":[...]|{\"nearest\":[...]}|id,\"filter\",\"limit\",\"offset\",\"score_threshold\",\"params\",\"with_payload\",\"with_vector\"}", success: (200, "{\"result\":{\"points\":[...]}}")),
        .init(method: "post", path: "/collections/{collection}/points/scroll", summary: "Qdrant: points in id order, a page at a time.", body: "{\"filter\",\"limit\",\"offset\",\"with_payload\",\"with_vector\"}", success: (200, "{\"result\":{\"points\",\"next_page_offset\"}}")),
        .init(method: "post", path: "/collections/{collection}/points/count", summary: "Qdrant: points a filter matches (always exact).", body: "{\"filter\",\"exact\"}", success: (200, "{\"result\":{\"count\"}}")),
        .init(method: "put", path: "/collections/{collection}/index", summary: "Qdrant: index a payload field (keyword, integer, float, bool, datetime, text, geo, uuid), built before the answer.", body: "{\"field_name\",\"field_schema\":name|{\"type\"}}", success: (200, "{\"result\":{\"operation_id\",\"status\"}}")),
        .init(method: "delete", path: "/collections/{collection}/index/{field}", summary: "Qdrant: drop a payload field's index.", body: nil, success: (200, "{\"result\":{\"operation_id\",\"status\"}}")),
        .init(method: "post", path: "/collections/{collection}/snapshots", summary: "Qdrant: take a snapshot of the collection (a consistent point in time, taken while it serves).", body: nil, success: (200, "{\"result\":{\"name\",\"creation_time\",\"size\",\"checksum\"}}")),
        .init(method: "get", path: "/collections/{collection}/snapshots", summary: "Qdrant: the collection's snapshots.", body: nil, success: (200, "{\"result\":[{\"name\",\"creation_time\",\"size\",\"checksum\"}]}")),
        .init(method: "get", path: "/collections/{collection}/snapshots/{snapshot}", summary: "Qdrant: download a snapshot (the archive; its SHA-256 is the checksum).", body: nil, success: (200, "the archive's bytes")),
        .init(method: "delete", path: "/collections/{collection}/snapshots/{snapshot}", summary: "Qdrant: delete a snapshot.", body: nil, success: (200, "{\"result\":true}")),
        .init(method: "put", path: "/collections/{collection}/snapshots/recover", summary: "Qdrant: make the collection what a snapshot holds (every byte checked first; a damaged archive changes nothing).", body: "{\"location\":\"file:///path\"|NAME}", success: (200, "{\"result\":true}")),
    ]

    /// The document as a JSON object.
    static var jsonObject: [String: Any] {
        var paths: [String: [String: Any]] = [:]
        for operation in operations {
            var entry: [String: Any] = [
                "summary": operation.summary,
                "responses": [
                    String(operation.success.status): ["description": operation.success.description],
                    "4XX": ["description": operation.path.hasPrefix("/collections")
                        ? "{\"status\":{\"error\"},\"time\"}: what is wrong with the request and what was expected"
                        : "{\"error\":{\"status\",\"message\"}}: what is wrong with the request and what was expected"],
                ],
            ]
            let parameters = operation.path.split(separator: "/").filter { $0.hasPrefix("{") && $0.hasSuffix("}") }.map { $0.dropFirst().dropLast() }
            if !parameters.isEmpty {
                entry["parameters"] = parameters.map { ["name": String($0), "in": "path", "required": true, "schema": ["type": "string"]] }
            }
            if let body = operation.body {
                entry["requestBody"] = ["required": true, "description": body, "content": ["application/json": ["schema": ["type": "object"]]]]
            }
            paths[operation.path, default: [:]][operation.method] = entry
        }
        return [
            "openapi": "3.1.0",
            "info": ["title": "Strata", "version": "1.0.0", "description": "The pattern store, analytics and generation of one Strata store over HTTP."],
            "components": ["securitySchemes": ["apiKey": ["type": "apiKey", "in": "header", "name": "api-key"]]],
            "paths": paths,
        ]
    }
}
