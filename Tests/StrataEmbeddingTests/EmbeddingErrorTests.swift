import Testing
import StrataEmbedding

/// Errors name what is wrong and how to fix it.
@Suite struct EmbeddingErrorTests {
    @Test func missingModelSaysHowToGetIt() {
        let error = EmbeddingError.modelMissing(path: "/m/all-MiniLM-L6-v2", remedy: "run `make model`")
        #expect(error.description == "no model at /m/all-MiniLM-L6-v2: run `make model`")
    }

    @Test func invalidModelNamesTheFile() {
        let error = EmbeddingError.modelInvalid(file: "model.safetensors", problem: "ends at byte 12, its header promises 4,096")
        #expect(error.description.hasPrefix("model.safetensors: ends at byte 12"))
        #expect(error.description.contains("make model"))
    }
}
