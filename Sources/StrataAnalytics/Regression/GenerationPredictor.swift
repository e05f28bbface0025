/// Predicts a generation's quality, cost and latency before it runs, from three ridge
/// regressions fitted on the recorded generations.
///
/// ```swift
/// let predictor = try GenerationPredictor.fit(tracker: tracker)
/// let forecast = try predictor.predict(GenerationRequest(nodeType: "effect", domain: "database",
///                                                        stage: "generate", model: "gpt-4o-mini", prompt: text))
/// print(forecast.quality.value, predictor.quality.strongestCoefficients(5))
/// ```
public struct GenerationPredictor: Sendable {
    /// How the predictor is fitted. Every field has a default.
    public struct Configuration: Sendable, Equatable {
        /// The fewest scored records the quality model is fitted on (default 30); fewer is
        /// ``AnalyticsError/insufficientData(what:needed:got:)``.
        public var minimumRecords: Int
        /// Levels kept per categorical field (default 12).
        public var maximumLevels: Int
        /// The ridge fits' settings (default: λ by 5-fold cross-validation).
        public var ridge: RidgeRegression.Configuration

        public init(minimumRecords: Int = 30, maximumLevels: Int = 12, ridge: RidgeRegression.Configuration = .init()) {
            self.minimumRecords = minimumRecords
            self.maximumLevels = maximumLevels
            self.ridge = ridge
        }
    }

    /// Quality (0–1), cost (dollars) and latency (seconds) of one request, each with its
    /// prediction interval, clipped to the values each can take.
    public struct Forecast: Sendable, Equatable {
        public var quality: RidgeModel.Prediction
        public var cost: RidgeModel.Prediction
        public var latency: RidgeModel.Prediction
    }

    public let encoder: GenerationFeatureEncoder
    /// Fitted on scored records.
    public let quality: RidgeModel
    /// Fitted on every record.
    public let cost: RidgeModel
    /// Fitted on every record.
    public let latency: RidgeModel

    /// Fits the three models on `records`.
    ///
    /// - Throws: ``AnalyticsError/insufficientData(what:needed:got:)`` when fewer than
    ///   `minimumRecords` records have a quality score.
    public static func fit(records: [GenerationRecord], configuration: Configuration = .init()) throws(AnalyticsError) -> GenerationPredictor {
        let scored = records.filter { $0.quality != nil }
        let needed = max(configuration.minimumRecords, RidgeRegression(configuration: configuration.ridge).minimumRows(features: 1))
        guard scored.count >= needed else {
            throw .insufficientData(what: "scored generation records (with a quality) to predict from", needed: needed, got: scored.count)
        }
        let encoder = GenerationFeatureEncoder(fitting: records.map(GenerationRequest.init), maximumLevels: configuration.maximumLevels)
        let ridge = RidgeRegression(configuration: configuration.ridge)
        func design(_ subset: [GenerationRecord]) throws(AnalyticsError) -> DesignMatrix {
            try DesignMatrix(columns: encoder.names.count, values: subset.flatMap { encoder.encode(GenerationRequest($0)) }, names: encoder.names)
        }
        let all = try design(records)
        return GenerationPredictor(
            encoder: encoder,
            quality: try ridge.fit(try design(scored), targets: scored.map { $0.quality! }),
            cost: try ridge.fit(all, targets: records.map { $0.cost ?? 0 }),
            latency: try ridge.fit(all, targets: records.map(\.latencySeconds)))
    }

    /// Fits on the records `filter` matches (default: all) in `tracker`.
    public static func fit(tracker: PerformanceTracker, filter: RecordQuery = .all, configuration: Configuration = .init()) throws(AnalyticsError) -> GenerationPredictor {
        try fit(records: try tracker.records(matching: filter), configuration: configuration)
    }

    /// The forecast for `request`, with `confidence` intervals (default 0.95).
    public func predict(_ request: GenerationRequest, confidence: Double = 0.95) throws(AnalyticsError) -> Forecast {
        let row = encoder.encode(request)
        return Forecast(
            quality: clip(try quality.predict(row, confidence: confidence), to: 0...1),
            cost: clip(try cost.predict(row, confidence: confidence), to: 0...Double.infinity),
            latency: clip(try latency.predict(row, confidence: confidence), to: 0...Double.infinity))
    }

    private func clip(_ prediction: RidgeModel.Prediction, to range: ClosedRange<Double>) -> RidgeModel.Prediction {
        var clipped = prediction
        clipped.value = min(max(prediction.value, range.lowerBound), range.upperBound)
        clipped.low = min(max(prediction.low, range.lowerBound), range.upperBound)
        clipped.high = min(max(prediction.high, range.lowerBound), range.upperBound)
        return clipped
    }
}
