import Foundation
import StrataAnalytics
import StrataStore

extension Generator {
    /// Records the generation in the performance tracker, with a record per reviewer's vote,
    /// and releases the budget holds of its calls in the same transaction; returns the
    /// generation's row id.
    func recordGeneration(
        _ reviewed: Reviewed, score: QualityScore, refinement: Refinement, intelligence: Intelligence,
        time: Date, seconds: Double, calls: CallBudget, run: inout PipelineRun
    ) -> Int64? {
        let (node, report) = (reviewed.node, reviewed.report)
        let started = ContinuousClock.now
        guard let tracker, configuration.learn else {
            run.finish(.record, .skipped, since: started, detail: configuration.learn ? "no performance tracker" : "dry run")
            return nil
        }
        let record = GenerationRecord(
            time: time, project: configuration.project, environment: configuration.environment, prompt: node.intent.prompt,
            nodeType: node.contract.nodeType.rawValue, domain: node.intent.domain, stage: Self.recordStage,
            provider: refinement.provider, model: refinement.model,
            latencySeconds: refinement.node == nil ? seconds : refinement.latencySeconds,
            inputTokens: refinement.inputTokens, outputTokens: refinement.outputTokens,
            // Offline costs nothing; a provider's unpriced call is priced by the catalog if it can be.
            cost: refinement.provider == Self.offlineProvider ? 0 : (refinement.cost > 0 ? refinement.cost : nil),
            quality: score.value,
            gatesPassed: report.gates.filter { $0.status == .passed }.map(\.name),
            gatesFailed: report.gates.filter { $0.status == .failed }.map(\.name),
            patternIDs: intelligence.relevant.map(\.id), topSimilarity: intelligence.relevant.first.map { max(0, min(1, $0.similarity)) },
            outcome: Self.accepted(reviewed) ? .success : .failure)
        do {
            let stored = try tracker.record([record] + reviewRecords(reviewed, time: time, quorum: quorum), releasing: calls.holds)
            let votes = stored.count > 1 ? " and \(stored.count - 1) review votes" : ""
            run.finish(.record, .ran, since: started, detail: "record \(stored[0].id ?? 0)\(votes)")
            return stored[0].id
        } catch {
            run.finish(.record, .failed, since: started, detail: error.description)
            return nil
        }
    }

    /// Whether a node is accepted: every gate that ran passed, and the quorum (if any
    /// reviewer answered) did not fail it or leave it between its thresholds.
    static func accepted(_ reviewed: Reviewed) -> Bool {
        reviewed.report.allPassed && (reviewed.decision == nil || reviewed.decision == .pass)
    }

    /// Whether a node may become a pattern: accepted, and passed by its reviewers when it had
    /// any (a node no reviewer could score is used, not learned from).
    static func learnable(_ reviewed: Reviewed) -> Bool {
        accepted(reviewed) && (reviewed.reviews.isEmpty || reviewed.decision == .pass)
    }

    /// Offers a good result to the store as a pattern and updates the patterns it was built from.
    func learn(_ reviewed: Reviewed, score: QualityScore, intelligence: Intelligence, run: inout PipelineRun) -> (AddOutcome?, String) {
        let node = reviewed.node
        let started = ContinuousClock.now
        guard let store, configuration.learn else {
            let why = configuration.learn ? "no store" : "dry run"
            run.finish(.learn, .skipped, since: started, detail: why)
            return (nil, configuration.learn ? "no store to learn into" : "dry run: nothing stored")
        }
        let good = Self.learnable(reviewed) && score.value >= configuration.storeThreshold
        var outcome: AddOutcome?
        var detail: String
        do {
            for pattern in intelligence.relevant {
                try store.recordUse(of: pattern.id, outcome: good ? .success : .failure)
            }
            if good {
                let code = node.file(node.nodePath)?.text ?? ""
                let pattern = NewPattern(
                    id: "generated/\(node.intent.folderName)/\(Pattern.contentHash(of: code).prefix(12))", text: code,
                    name: node.contract.className, kind: .class, nodeType: node.contract.nodeType, domain: node.intent.domain,
                    language: "python", summary: node.intent.prompt, tags: ["generated", Self.environmentTag(configuration.environment)] + node.intent.operations,
                    quality: score.value, lifecycle: .provisional)
                let added = try store.add([pattern], existing: .replaceIfChanged)[0]
                outcome = added
                detail = switch added.action {
                case .added, .replaced: "stored as \(added.storedAs)"
                case .unchanged: "already stored as \(added.storedAs)"
                case .mergedExact: "same code as \(added.storedAs): merged"
                case .mergedNear: String(format: "near-duplicate of %@ (%.3f): merged", added.storedAs, added.similarity ?? 0)
                }
            } else {
                let report = reviewed.report
                detail = if !report.allPassed {
                    "not stored: failed \(report.gates.filter { $0.status == .failed }.map(\.name).joined(separator: ", "))"
                } else if let decision = reviewed.decision, decision != .pass {
                    String(format: "not stored: the reviewers scored it %.2f (%@)", reviewed.reviews.last?.score ?? 0, decision.rawValue)
                } else if !reviewed.reviews.isEmpty, reviewed.decision == nil {
                    "not stored: no reviewer gave a score"
                } else {
                    String(format: "not stored: quality %.2f is under %.2f", score.value, configuration.storeThreshold)
                }
            }
            if !intelligence.relevant.isEmpty { detail += "; \(intelligence.relevant.count) patterns used, marked \(good ? "success" : "failure")" }
        } catch {
            run.finish(.learn, .failed, since: started, detail: error.description)
            return (nil, error.description)
        }
        run.finish(.learn, .ran, since: started, detail: detail)
        return (outcome, detail)
    }
}
