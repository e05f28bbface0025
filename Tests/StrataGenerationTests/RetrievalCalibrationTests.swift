import StrataGeneration
import StrataStore
import Testing

@Suite struct RetrievalCalibrationTests {
    @Test func theThresholdsFollowTheStoresEmbedder() {
        let defaults = GeneratorConfiguration()
        #expect(defaults.calibration(for: nil) == .builtin)
        #expect(defaults.calibration(for: .builtin).hitThreshold == 0.35)
        #expect(defaults.calibration(for: .sentenceEncoder(model: "all-MiniLM-L6-v2", maxTokens: 128)) == .sentenceEncoder)
        #expect(defaults.calibration(for: .openAICompatible(endpoint: "http://127.0.0.1:1", model: "m")) == .sentenceEncoder)
        #expect(defaults.calibration(for: .staticDistilled(model: "all-MiniLM-L6-v2", dimension: 256)) == .staticDistilled)
        // Each scale puts its hit threshold inside its grounding span, and the scales differ.
        for calibration in [RetrievalCalibration.builtin, .sentenceEncoder, .staticDistilled] {
            #expect(calibration.grounding.contains(calibration.hitThreshold))
        }
        #expect(RetrievalCalibration.builtin.hitThreshold < RetrievalCalibration.sentenceEncoder.hitThreshold)
        #expect(RetrievalCalibration.sentenceEncoder.hitThreshold < RetrievalCalibration.staticDistilled.hitThreshold)
    }

    @Test func valuesSetByTheCallerWin() {
        var configuration = GeneratorConfiguration()
        configuration.similarityThreshold = 0.8
        let calibration = configuration.calibration(for: .staticDistilled(model: "all-MiniLM-L6-v2", dimension: 256))
        #expect(calibration.hitThreshold == 0.8)
        #expect(calibration.grounding == RetrievalCalibration.staticDistilled.grounding)
        configuration.groundingSimilarity = 0.1...0.9
        #expect(configuration.calibration(for: nil).grounding == 0.1...0.9)
    }

    @Test func aPatternBelowTheThresholdIsRetrievedButNotAHit() throws {
        let workspace = try GenerationWorkspace()
        let prompt = "Create PostgreSQL writer Effect node"
        let first = try workspace.generator().generate(prompt: prompt)
        var strict = GeneratorConfiguration()
        strict.outputDirectory = workspace.output
        strict.force = true
        strict.similarityThreshold = 0.99
        let second = try Generator(store: workspace.store, tracker: workspace.tracker, configuration: strict).generate(prompt: prompt)
        #expect(second.patterns.first?.id == first.storedPattern?.storedAs)
        #expect(try #require(second.patterns.first?.similarity) < 0.99)
        #expect(second.hits == 0)
        #expect(second.quality.dimension("grounding")?.value == 0)
    }
}
