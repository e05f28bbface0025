import ArgumentParser
import Foundation
import StrataAnalytics
import StrataGeneration
import StrataStore

extension Strata {
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate an ONEX node, or a feature of nodes wired and tested together (Python), from a prompt.",
            discussion: """
            Parses the prompt, looks up similar patterns of the node's type in the store, predicts quality and cost, \
            chooses a model, builds contract.yaml, renders node.py, models and pytest tests from templates and the \
            retrieved patterns, refines with a model provider when one is given, validates (syntax, naming, methods, \
            imports, contract, complexity), scores, writes node_<domain>_<name>_<type>/v1_0_0/, records the generation \
            and stores a good result as a new pattern. Offline (the default) needs no network and costs nothing.
            Provider keys come from OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY.

            With --workflow (crud, event-handler, api-endpoint, etl, or one of the store's workflows/*.yaml), or when \
            the prompt asks for one ("Create CRUD API for User management"), generates every node of the workflow, \
            the independent ones at once, into one package feature_<entity>_<workflow>/ under --out with a shared \
            model of the entity, the wiring of its orchestrator and integration tests: `python3 -m pytest OUT` runs them.
            """)

        @Argument(help: "What to build, e.g. \"Create PostgreSQL writer Effect node\".") var prompt: String
        @OptionGroup var store: StoreOptions
        @Option(help: "Write the node under this folder.") var out: String = "generated"
        @Option(help: "offline, openai (any OpenAI-compatible server), anthropic or gemini.") var provider: String = "offline"
        @Option(help: "The provider's model; default: the selector's choice among the provider's priced or recorded models.") var model: String?
        @Option(name: .customLong("base-url"), help: "Another server for the provider (Ollama: http://127.0.0.1:11434).") var baseURL: String?
        @Option(help: "Dollars this generation may spend.") var budget: Double?
        @Option(help: "Models that review each node, provider:model[=weight] comma-separated (openai:gpt-4o-mini=2,anthropic:claude-haiku-4-5); pass at 0.75, retry from 0.5.")
        var reviewers: String?
        @Option(help: "The project the generation is recorded and budgeted under.") var project: String = "default"
        @Option(help: "The environment it runs in (dev, staging, prod): recorded, budgeted, and the patterns it learns from and into.")
        var environment: String = "dev"
        @Flag(name: .customLong("environment-patterns-only"), help: "Learn from this environment only: no pattern another environment stored, no other environment's records for the model choice.")
        var environmentPatternsOnly = false
        @Option(name: .customLong("quality-target"), help: "The quality the model choice aims at, 0-1.") var qualityTarget: Double = 0.8
        @Option(name: .customLong("node-type"), help: "Override the node type: effect, compute, reducer or orchestrator.") var nodeType: String?
        @Option(help: "Override the name (PascalCase or words).") var name: String?
        @Option(help: "Override the domain.") var domain: String?
        @Option(help: "Override the operations, comma-separated (write,read).") var operations: String?
        @Option(name: .customLong("min-pattern-quality"), help: "Retrieve only patterns at least this good.") var minimumPatternQuality: Double = 0.5
        @Option(name: .customLong("store-threshold"), help: "Store the result as a pattern from this quality up.") var storeThreshold: Double = 0.7
        @Option(help: "Generate a feature of this workflow: crud, event-handler, api-endpoint, etl, or a file's.") var workflow: String?
        @Option(help: "The feature's entity (PascalCase or words); default: the prompt's (\"... for User management\").") var entity: String?
        @Option(help: "The entity's fields, name:type comma-separated (name:str,email:str,age:int).") var fields: String?
        @Option(help: "A folder of more workflow files (*.yaml), besides the store's workflows/.") var workflows: String?
        @Flag(help: "Replace the node's version folder (a feature's folder) when it exists.") var force = false
        @Flag(help: "Make a feature's nodes one after another, not the independent ones at once (to measure).") var sequential = false
        @Flag(name: .customLong("dry-run"), help: "Validate and score, but write no files, record nothing and store nothing.") var dryRun = false

        func validate() throws {
            guard ProviderKind(rawValue: provider) != nil else {
                throw ValidationError("--provider takes \(ProviderKind.allCases.map(\.rawValue).joined(separator: ", ")); got \(provider)")
            }
            if let nodeType, NodeType(buildableName: nodeType) == nil {
                throw ValidationError("--node-type takes effect, compute, reducer or orchestrator; got \(nodeType)")
            }
            if workflow != nil, nodeType != nil || name != nil || operations != nil {
                throw ValidationError("--workflow names every node itself; leave out --node-type, --name and --operations")
            }
        }

        /// The pipeline's configuration from the flags.
        var generatorConfiguration: GeneratorConfiguration {
            var configuration = GeneratorConfiguration()
            configuration.outputDirectory = out
            configuration.force = force
            configuration.writeFiles = !dryRun
            configuration.learn = !dryRun
            configuration.minimumPatternQuality = minimumPatternQuality
            configuration.storeThreshold = storeThreshold
            configuration.project = project
            configuration.environment = environment
            configuration.scopedToEnvironment = environmentPatternsOnly
            return configuration
        }

        /// The review quorum from --reviewers, each provider as --provider would make it.
        func quorum(tracker: PerformanceTracker?, budget: BudgetGuard?) throws -> QuorumConfiguration? {
            guard let reviewers else { return nil }
            return QuorumConfiguration(reviewers: try QuorumConfiguration.reviewers(reviewers) { kind throws(GenerationError) in
                // --base-url is the --provider's server; another provider's calls (and key) never go there.
                try kind.make(baseURL: kind.rawValue == provider ? baseURL : nil, prices: tracker?.prices, budget: budget)
            })
        }

        func run() throws {
            let hasStore = try store.exists()
            if !hasStore {
                note("no store at \(store.path): generating without retrieval, history or learning (`strata init --store \(store.path)` makes one)")
            }
            let patterns = hasStore ? try store.open() : nil
            defer { try? patterns?.close() }
            let tracker = hasStore ? try store.tracker() : nil
            if let feature = try featureWorkflow() {
                try runFeature(feature, store: patterns, tracker: tracker)
                return
            }
            let budgetGuard = try budget.map { limit throws(GenerationError) in try BudgetGuard(limit: limit) }
            let provider = try ProviderKind(rawValue: provider)!.make(baseURL: baseURL, prices: tracker?.prices, budget: budgetGuard)

            let generator = try Generator(
                store: patterns, tracker: tracker, provider: provider, model: model, quorum: try quorum(tracker: tracker, budget: budgetGuard),
                configuration: generatorConfiguration)
            let overrides = IntentOverrides(
                nodeType: nodeType.flatMap(NodeType.init(buildableName:)), name: name, domain: domain,
                operations: operations.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() } })

            let bar = ProgressBar(total: GenerationStage.allCases.count, unit: "stages", piped: .linePerStep, enabled: !store.json)
            var stages = 0
            let result = try generator.generate(prompt: prompt, qualityTarget: qualityTarget, budgetLimit: budget, overrides: overrides) { timing in
                stages += 1
                let status = timing.status == .ran ? "" : " (\(timing.status.rawValue))"
                bar.update(done: stages, detail: timing.stage.rawValue + status + " " + format(timing.milliseconds, digits: 1) + " ms")
            }
            bar.finish(done: stages, detail: "done")
            if store.json {
                store.emit(result.jsonObject)
            } else {
                print(GenerationSummary(result).text)
            }
        }
    }
}
