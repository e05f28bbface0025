import Testing
import StrataStore

@Test func storeErrorsNameTheSpace() {
    let error = StoreError.dimensionMismatch(space: "builtin-code-v1, 384 dimensions, cosine", got: 3)
    #expect(error.description.contains("384 dimensions"))
}
