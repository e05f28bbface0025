import ArgumentParser
import Foundation
import StrataAnalytics

extension Strata {
    struct Predict: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Predict a generation's quality, cost and latency from the store's recorded generations.",
            discussion: """
            Fits three ridge regressions (penalty chosen by 5-fold cross-validation) on the recorded generations, \
            with one-hot node type, domain, stage and model, and the prompt's word count, the top retrieval \
            similarity and the number of context patterns; prints each prediction with its interval, R² and the \
            coefficients that weigh most.
            """)

        @OptionGroup var options: StoreOptions
        @Option(name: .customLong("node-type"), help: "effect, compute, reducer, orchestrator or none.") var nodeType: String = "none"
        @Option(help: "The domain, such as database.") var domain: String = "general"
        @Option(help: "The pipeline stage, such as generate or refine.") var stage: String = "generate"
        @Option(help: "The model that would run it.") var model: String
        @Option(help: "The prompt text.") var prompt: String
        @Option(name: .customLong("top-similarity"), help: "The best retrieval similarity (0-1).") var topSimilarity: Double?
        @Option(help: "Patterns given as context.") var context: Int = 0
        @Option(help: "Fit on this project's records only (default: all).") var project: String?
        @Option(help: "Interval coverage, between 0 and 1.") var confidence: Double = 0.95
        @Option(name: .customLong("min-records"), help: "The fewest scored records to fit on.") var minimumRecords: Int = 30
        @Option(help: "Coefficients to show per model.") var top: Int = 5

        func validate() throws {
            guard confidence > 0, confidence < 1 else { throw ValidationError("--confidence takes a coverage between 0 and 1, such as 0.95") }
            if let topSimilarity, !(topSimilarity >= -1 && topSimilarity <= 1) { throw ValidationError("--top-similarity takes a similarity from -1 to 1") }
            guard context >= 0 else { throw ValidationError("--context takes a pattern count ≥ 0") }
        }

        func run() throws {
            let predictor = try GenerationPredictor.fit(
                tracker: options.tracker(), filter: RecordQuery(project: project),
                configuration: GenerationPredictor.Configuration(minimumRecords: minimumRecords))
            let request = GenerationRequest(nodeType: nodeType, domain: domain, stage: stage, model: model, prompt: prompt,
                                            topSimilarity: topSimilarity, contextPatterns: context)
            let forecast = try predictor.predict(request, confidence: confidence)
            let targets: [(String, RidgeModel, RidgeModel.Prediction, (Double) -> String)] = [
                ("quality", predictor.quality, forecast.quality, { format($0, digits: 3) }),
                ("cost", predictor.cost, forecast.cost, dollars),
                ("latency", predictor.latency, forecast.latency, { format($0, digits: 2) + " s" }),
            ]
            if options.json {
                var object: [String: Any] = ["confidence": confidence]
                for (name, model, prediction, _) in targets {
                    object[name] = [
                        "value": prediction.value, "low": prediction.low, "high": prediction.high, "r2": model.quality.rSquared,
                        "cv_r2": model.quality.crossValidatedRSquared as Any, "mae": model.quality.meanAbsoluteError,
                        "cv_mae": model.quality.crossValidatedMeanAbsoluteError as Any, "lambda": model.lambda, "rows": model.rowCount,
                        "intercept": model.intercept,
                        "coefficients": Dictionary(uniqueKeysWithValues: model.namedCoefficients.map { ($0.name, $0.value) }),
                    ] as [String: Any]
                }
                options.emit(object)
                return
            }
            print(table(["", "predicted", "\(format(100 * confidence, digits: 0)) % interval", "R²", "CV R²", "records"], targets.map { name, model, prediction, show in
                [name, show(prediction.value), "[\(show(prediction.low)), \(show(prediction.high))]", format(model.quality.rSquared, digits: 2),
                 model.quality.crossValidatedRSquared.map { format($0, digits: 2) } ?? "-", "\(model.rowCount)"]
            }))
            for (name, model, _, _) in targets {
                let strongest = model.strongestCoefficients(top).map { "\($0.name): \($0.value >= 0 ? "+" : "")\(format($0.value, digits: 4))" }
                print("\(name) weighs most: \(strongest.joined(separator: ", "))")
            }
        }
    }
}
