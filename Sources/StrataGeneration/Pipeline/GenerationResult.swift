import StrataAnalytics
import StrataStore

/// Everything one generation produced and decided, for the summary, `--json` and tools.
public struct GenerationResult: Sendable {
    /// What the quality and cost were expected to be before generating (the predictor's
    /// 95 % intervals), when the history held enough to predict.
    public struct Prediction: Sendable, Equatable {
        public var quality: Double
        public var qualityRange: ClosedRange<Double>
        public var cost: Double
    }

    /// A cheaper model the selector would choose next time for the same kind of node.
    public struct CheaperModel: Sendable, Equatable {
        public var provider: String
        public var model: String
        public var predictedQuality: Double
        public var predictedCost: Double
        /// Dollars saved per generation against this one's cost.
        public var saving: Double
    }

    public var intent: GenerationIntent
    public var node: RenderedNode
    /// The version folder written, or `nil` when files were not written.
    public var path: String?
    public var quality: QualityScore
    public var validation: ValidationReport
    /// Every round of the quorum's review, first to last; empty when nobody reviewed.
    public var reviews: [QuorumReview]
    public var provider: String
    public var model: String
    public var inputTokens: Int
    public var outputTokens: Int
    /// Dollars this generation cost (0 offline).
    public var cost: Double
    public var seconds: Double
    public var stages: [StageTiming]
    /// What the RAG lookup returned, nearest first.
    public var patterns: [RetrievedPattern]
    /// Retrieved patterns at or above the similarity threshold.
    public var hits: Int
    public var prediction: Prediction?
    public var recommendation: ModelRecommendation?
    public var cheaperModel: CheaperModel?
    /// What happened when the result was offered to the store: added, merged, or why not.
    public var storedPattern: AddOutcome?
    public var learnDetail: String
    /// The performance tracker's row, when recorded.
    public var recordID: Int64?

    public var nodeType: NodeType { node.contract.nodeType }
    public var className: String { node.contract.className }

    /// The `--json` object: path, node_type, class_name, quality, gates {passed, total},
    /// cost_usd, model, seconds, stages [{name, ms}], patterns [{id, similarity, quality}] (what
    /// the RAG lookup returned, nearest first) and hits (how many of them counted).
    public var jsonObject: [String: Any] {
        [
            "path": path ?? "",
            "node_type": nodeType.rawValue,
            "class_name": className,
            "quality": quality.value,
            "gates": ["passed": validation.passed, "total": validation.total],
            "cost_usd": cost,
            "model": model,
            "seconds": seconds,
            "stages": stages.map { ["name": $0.stage.rawValue, "ms": $0.milliseconds] as [String: Any] },
            "patterns": patterns.map { ["id": $0.id, "similarity": $0.similarity, "quality": $0.quality] as [String: Any] },
            "hits": hits,
            "reviews": reviews.map(\.jsonObject),
            "learn": learnDetail,
            "review_decision": reviews.last?.decision?.rawValue as Any,
        ]
    }
}
