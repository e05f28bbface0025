import Foundation
import Testing
import StrataTestSupport
import StrataAnalytics

@Suite struct PriceCatalogTests {
    @Test(arguments: CatalogBackend.available) func costUsesThePriceInEffectAtTheRecordsTime(_ backend: CatalogBackend) throws {
        let tracker = try makeTracker(backend)
        try tracker.prices.set(Price(provider: "openai", model: "gpt-4o-mini", inputPerMillion: 0.15, outputPerMillion: 0.60, effectiveFrom: monday))
        try tracker.prices.set(Price(provider: "openai", model: "gpt-4o-mini", inputPerMillion: 0.10, outputPerMillion: 0.40, effectiveFrom: monday.addingTimeInterval(7 * day)))
        let before = GenerationRecord(time: monday.addingTimeInterval(day), provider: "openai", model: "gpt-4o-mini", inputTokens: 1_000_000, outputTokens: 500_000)
        let after = GenerationRecord(time: monday.addingTimeInterval(8 * day), provider: "openai", model: "gpt-4o-mini", inputTokens: 1_000_000, outputTokens: 500_000)
        let stored = try tracker.record([before, after])
        #expect(abs(stored[0].cost! - 0.45) < 1e-12)
        #expect(abs(stored[1].cost! - 0.30) < 1e-12)
        var given = after
        given.cost = 9
        #expect(try tracker.record(given).cost == 9)

        let early = GenerationRecord(time: monday.addingTimeInterval(-day), provider: "openai", model: "gpt-4o-mini", inputTokens: 10)
        #expect(throws: AnalyticsError.missingPrice(provider: "openai", model: "gpt-4o-mini", time: "2026-03-01T00:00:00.000Z")) { try tracker.record(early) }
        let other = GenerationRecord(time: monday, provider: "anthropic", model: "gpt-4o-mini", inputTokens: 10)
        #expect(throws: AnalyticsError.self) { try tracker.record(other) }
        #expect(AnalyticsError.missingPrice(provider: "a", model: "b", time: "t").description.contains("strata prices set --provider a --model b"))
    }

    @Test(arguments: CatalogBackend.available) func setReplacesThePriceOfTheSameStartAndListsEveryChange(_ backend: CatalogBackend) throws {
        let tracker = try makeTracker(backend)
        try tracker.prices.set(Price(provider: "p", model: "m", inputPerMillion: 1, outputPerMillion: 2, effectiveFrom: monday))
        try tracker.prices.set(Price(provider: "p", model: "m", inputPerMillion: 3, outputPerMillion: 4, effectiveFrom: monday))
        try tracker.prices.set(Price(provider: "p", model: "a", inputPerMillion: 5, outputPerMillion: 6))
        let all = try tracker.prices.all()
        #expect(all.map(\.model) == ["a", "m"])
        #expect(all[1].inputPerMillion == 3)
        #expect(try tracker.prices.price(provider: "p", model: "m", at: monday.addingTimeInterval(-1)) == nil)
        #expect(try tracker.prices.price(provider: "p", model: "m", at: monday)?.outputPerMillion == 4)
        #expect(throws: AnalyticsError.self) { try tracker.prices.set(Price(provider: "p", model: "m", inputPerMillion: -1, outputPerMillion: 0)) }
        #expect(throws: AnalyticsError.self) { try tracker.prices.set(Price(provider: "", model: "m", inputPerMillion: 1, outputPerMillion: 0)) }
    }
}
