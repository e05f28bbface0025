import Foundation
import Hummingbird
import NIOPosix
import StrataAnalytics
import StrataGeneration
import StrataStore

/// The native API's generation: `POST /v1/generate`, offline, into the configured output
/// folder.
struct GenerationController {
    let store: PatternStore
    let tracker: PerformanceTracker
    let metrics: ServiceMetrics
    /// Where nodes are written: the configuration's `output`, or `<store>/generated`.
    let outputDirectory: String
    /// The environment the server runs in: every generation is recorded under it.
    let environment: String

    func addRoutes(to router: Router<StrataRequestContext>) {
        router.post("v1/generate", use: generate)
    }

    /// `{"prompt", "quality_target", "budget", "node_type", "name", "domain", "operations",
    /// "force", "dry_run"}` (``GenerateBody``). The answer is `strata generate --json`'s object
    /// plus the score's dimensions and the gates: 201 when written, 200 for a dry run.
    @Sendable func generate(_ request: Request, context: StrataRequestContext) async throws -> Response {
        let body = try await request.decode(as: GenerateBody.self, context: context)
        var configuration = GeneratorConfiguration()
        configuration.outputDirectory = outputDirectory
        configuration.force = body.force
        configuration.writeFiles = !body.dryRun
        configuration.learn = !body.dryRun
        configuration.environment = environment
        configuration.project = body.project
        if let workflow = body.workflow { return try await feature(workflow, body, configuration: configuration) }
        let result = try await offloaded { [store, tracker, configuration] () throws(GenerationError) -> GenerationResult in
            let generator = try Generator(store: store, tracker: tracker, configuration: configuration)
            return try generator.generate(prompt: body.prompt, qualityTarget: body.qualityTarget, budgetLimit: body.budget, overrides: body.overrides)
        }
        if !body.dryRun { metrics.generated(result) }
        var object = result.jsonObject
        object["dimensions"] = result.quality.dimensions.map { ["name": $0.name, "weight": $0.weight, "value": $0.value, "explanation": $0.explanation] }
        object["gate_results"] = result.validation.gates.map { ["name": $0.name, "status": $0.status.rawValue, "detail": $0.detail] }
        object["pattern"] = result.learnDetail
        return JSONResponse.make(object, status: body.dryRun ? .ok : .created)
    }

    /// A feature of `workflow` (built in, or a file of the store's `workflows/`): the answer is
    /// `strata generate --workflow --json`'s object.
    private func feature(_ workflow: String, _ body: GenerateBody, configuration: GeneratorConfiguration) async throws -> Response {
        let catalog = try WorkflowCatalog(folders: [WorkflowCatalog.folder(ofStore: store.directory)])
        let chosen = try catalog.workflow(named: workflow)
        guard let name = body.entity ?? FeatureEntity.entity(in: body.prompt) else {
            throw ServerError.badRequest("the prompt names no entity for the \(chosen.name) workflow: give \"entity\" (User, OrderLine)")
        }
        let entity = try FeatureEntity(name: name, fields: try body.fields.map { try FeatureEntity.parseFields($0) } ?? FeatureEntity.defaultFields)
        let result = try await offloaded { [store, tracker, configuration] () throws(GenerationError) -> FeatureResult in
            let generator = try FeatureGenerator(store: store, tracker: tracker, configuration: configuration)
            return try generator.generate(
                prompt: body.prompt, workflow: chosen, entity: entity, domain: body.overrides.domain, qualityTarget: body.qualityTarget, budgetLimit: body.budget)
        }
        if !body.dryRun { for node in result.nodes { metrics.generated(node.result) } }
        return JSONResponse.make(result.jsonObject, status: body.dryRun ? .ok : .created)
    }
}

/// Runs a long synchronous call (a cluster run, a generation that may wait on a model
/// provider) on NIO's pool for blocking work, its error as it threw it.
///
/// Handlers run on the event loops (see ``StrataService/runTasksOnEventLoops()``), and a loop
/// busy for seconds would leave every other connection it owns unanswered meanwhile. Searches
/// and writes stay on the loop: they take well under a millisecond, less than the hop to the
/// pool and back.
func offloaded<T: Sendable, Failure: Error>(_ body: @escaping @Sendable () throws(Failure) -> T) async throws -> T {
    let context = WorkContext.current
    return try await NIOThreadPool.singleton.runIfActive { () throws -> T in try context.run { () throws -> T in try body() } }
}
