import Testing
import StrataAnalytics

@Suite struct AnalyticsErrorTests {
    @Test func descriptionsNameWhatToFix() {
        #expect(AnalyticsError.invalidArgument(name: "k", value: "0", expected: "an integer ≥ 2").description == "invalid k '0': expected an integer ≥ 2")
        #expect(AnalyticsError.insufficientData(what: "generations", needed: 30, got: 4).description.contains("need at least 30, have 4"))
        #expect(AnalyticsError.unknown(kind: "model", name: "gpt-9", known: []).description.contains("none recorded yet"))
        #expect(AnalyticsError.unknown(kind: "model", name: "x", known: ["a", "b"]).description.hasSuffix("known: a, b"))
    }
}
