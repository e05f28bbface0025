import Foundation
import Hummingbird
import StrataGeneration
import StrataStore

extension StrataService {
    func addGenerateRoutes(to router: Router<BasicRequestContext>) {
        // {"prompt", "quality_target", "budget", "node_type", "name", "domain", "operations",
        //  "force", "dry_run"}: offline generation into the configured output folder. The
        // answer is `strata generate --json`'s object plus the score's dimensions and the gates.
        router.post("v1/generate") { request, _ throws(ServerError) in
            let body = try await JSONResponse.object(request, limit: self.configuration.maxBodyBytes)
            guard let prompt = body["prompt"] as? String else { throw .badRequest("send \"prompt\": what to build, e.g. \"Create PostgreSQL writer Effect node\"") }
            var nodeType: NodeType?
            if let name = body["node_type"] {
                guard let text = name as? String, let type = NodeType(buildableName: text) else {
                    throw .badRequest("\"node_type\" must be effect, compute, reducer or orchestrator")
                }
                nodeType = type
            }
            var generation = GeneratorConfiguration()
            generation.outputDirectory = self.configuration.output ?? (self.configuration.store + "/generated")
            generation.force = body["force"] as? Bool ?? false
            let dryRun = body["dry_run"] as? Bool ?? false
            generation.writeFiles = !dryRun
            generation.learn = !dryRun
            let overrides = IntentOverrides(
                nodeType: nodeType, name: body["name"] as? String, domain: body["domain"] as? String, operations: body["operations"] as? [String])
            let qualityTarget = (body["quality_target"] as? NSNumber)?.doubleValue ?? 0.8
            let budgetLimit = (body["budget"] as? NSNumber)?.doubleValue
            let result = try await self.offloaded { [generation] () throws(ServerError) -> GenerationResult in
                do throws(GenerationError) {
                    let generator = try Generator(store: self.store, tracker: self.tracker, configuration: generation)
                    return try generator.generate(prompt: prompt, qualityTarget: qualityTarget, budgetLimit: budgetLimit, overrides: overrides)
                } catch {
                    throw self.serverError(error)
                }
            }
            if !dryRun { self.metrics.generated(result) }
            var object = result.jsonObject
            object["dimensions"] = result.quality.dimensions.map { ["name": $0.name, "weight": $0.weight, "value": $0.value, "explanation": $0.explanation] }
            object["gate_results"] = result.validation.gates.map { ["name": $0.name, "status": $0.status.rawValue, "detail": $0.detail] }
            object["pattern"] = result.learnDetail
            return JSONResponse.make(object, status: dryRun ? .ok : .created)
        }
    }

    func serverError(_ error: GenerationError) -> ServerError {
        switch error {
        case .invalidArgument, .unclearPrompt, .budgetExceeded: return .badRequest(error.description)
        case .file: return .conflict(error.description)
        case let .store(storeError): return serverError(storeError)
        case .provider, .analytics: return .internal(error.description)
        }
    }
}
