import Foundation
import Testing
import StrataTestSupport
import StrataAnalytics

@Suite struct BudgetTests {
    func spend(_ tracker: PerformanceTracker, _ dollars: Double, at time: Date, project: String = "shop") throws {
        try tracker.record(GenerationRecord(time: time, project: project, provider: "openai", model: "m", cost: dollars))
    }

    @Test func periodsAreUTCCalendarPeriods() {
        let wednesday = monday.addingTimeInterval(2 * day + 3600 * 15)
        #expect(BudgetPeriod.day.interval(containing: wednesday) == DateInterval(start: monday.addingTimeInterval(2 * day), duration: day))
        #expect(BudgetPeriod.week.interval(containing: wednesday) == DateInterval(start: monday, duration: 7 * day))
        let march = BudgetPeriod.month.interval(containing: wednesday)
        #expect(march.start == monday.addingTimeInterval(-day) && march.duration == 31 * day)
    }

    @Test(arguments: CatalogBackend.available) func alertsAreRaisedOncePerThresholdPerPeriod(_ backend: CatalogBackend) throws {
        let tracker = try makeTracker(backend)
        try tracker.budgets.set(Budget(project: "shop", period: .month, limit: 100))
        let now = monday.addingTimeInterval(3 * day)
        try spend(tracker, 30, at: monday)
        var status = try #require(try tracker.budgets.status(project: "shop", at: now).first)
        #expect(status.level == .none && status.newAlerts.isEmpty && abs(status.fraction - 0.3) < 1e-12)
        try spend(tracker, 25, at: monday.addingTimeInterval(day))
        status = try tracker.budgets.status(project: "shop", at: now)[0]
        #expect(status.newAlerts.map(\.level) == [.half])
        #expect(status.newAlerts.first?.spent == 55)
        status = try tracker.budgets.status(project: "shop", at: now)[0]
        #expect(status.newAlerts.isEmpty && status.alerts.map(\.level) == [.half])
        try spend(tracker, 50, at: monday.addingTimeInterval(2 * day))
        status = try tracker.budgets.status(project: "shop", at: now)[0]
        #expect(status.newAlerts.map(\.level) == [.fourFifths, .exhausted])
        #expect(status.level == .exhausted && status.remaining == 0 && abs(status.fraction - 1.05) < 1e-12)
        #expect(status.alerts.map(\.level) == [.half, .fourFifths, .exhausted])
        // April starts clean.
        let april = try tracker.budgets.status(project: "shop", at: monday.addingTimeInterval(31 * day))[0]
        #expect(april.spent == 0 && april.alerts.isEmpty && april.level == .none)
    }

    @Test(arguments: CatalogBackend.available) func statusAndRemainingCountOnlyTheProjectsCurrentPeriod(_ backend: CatalogBackend) throws {
        let tracker = try makeTracker(backend)
        #expect(try tracker.budgets.remaining(project: "shop") == nil)
        #expect(throws: AnalyticsError.unknown(kind: "budget project", name: "shop", known: [])) { try tracker.budgets.status(project: "shop") }
        try tracker.budgets.set(Budget(project: "shop", period: .week, limit: 50))
        try tracker.budgets.set(Budget(project: "shop", period: .day, limit: 20))
        try tracker.budgets.set(Budget(project: "blog", period: .month, limit: 10))
        try spend(tracker, 7, at: monday.addingTimeInterval(-3600))  // the Sunday before: last week
        try spend(tracker, 12, at: monday.addingTimeInterval(3600))
        try spend(tracker, 15, at: monday.addingTimeInterval(day + 3600))
        try spend(tracker, 99, at: monday.addingTimeInterval(day + 3600), project: "blog")
        let now = monday.addingTimeInterval(day + 7200)
        let statuses = try tracker.budgets.status(project: "shop", at: now)
        #expect(statuses.map(\.budget.period) == [.day, .week])
        #expect(statuses.map(\.spent) == [15, 27])
        #expect(try tracker.budgets.remaining(project: "shop", at: now) == 5)
        #expect(try tracker.budgets.status(at: now).count == 3)
        #expect(try tracker.budgets.remove(project: "shop", period: .day))
        #expect(try tracker.budgets.remaining(project: "shop", at: now) == 23)
        #expect(throws: AnalyticsError.self) { try tracker.budgets.set(Budget(project: "shop", period: .day, limit: 0)) }
    }

    @Test(arguments: CatalogBackend.available) func linearForecastFindsTheTrendOfASyntheticSpendSeries(_ backend: CatalogBackend) throws {
        let tracker = try makeTracker(backend)
        try tracker.budgets.set(Budget(project: "shop", period: .month, limit: 250))
        let march = monday.addingTimeInterval(-day)
        let noise = [0.2, -0.3, 0.1, 0.4, -0.2, -0.1, 0.3, -0.4, 0.0, 0.2, -0.2, 0.1, -0.3, 0.3, 0.0, -0.1, 0.2, -0.2, 0.1, -0.1]
        for (t, wobble) in noise.enumerated() {
            try spend(tracker, 2 + 0.5 * Double(t) + wobble, at: march.addingTimeInterval(Double(t) * day + 12 * 3600))
        }
        try spend(tracker, 6, at: march.addingTimeInterval(20 * day + 6 * 3600))
        let status = try tracker.budgets.status(project: "shop", at: march.addingTimeInterval(20.5 * day))[0]
        let truth = (0..<31).reduce(0.0) { $0 + 2 + 0.5 * Double($1) }  // 294.5
        #expect(status.forecast.method == .linearTrend && status.forecast.daysObserved == 20)
        #expect(abs(status.forecast.expected - truth) < 5, "forecast \(status.forecast.expected)")
        #expect(status.forecast.low < truth && truth < status.forecast.high)
        #expect(status.forecast.high - status.forecast.low < 40)
        #expect(status.forecastOverLimit)
    }

    @Test func fewDaysGiveARunRateWithAWideInterval() {
        let forecast = SpendForecast.project(dailySpend: [10], spentToday: 5, dayFraction: 0.5, periodDays: 31)
        #expect(forecast.method == .runRate && forecast.daysObserved == 1)
        #expect(abs(forecast.expected - 310) < 1e-9)
        #expect(abs(forecast.low - (15 + 295.0 / 3)) < 1e-9 && abs(forecast.high - (15 + 3 * 295)) < 1e-9)
    }

    @Test func aPerfectLineIsForecastExactly() {
        let forecast = SpendForecast.project(dailySpend: [1, 2, 3, 4], spentToday: 0, dayFraction: 0, periodDays: 7)
        #expect(forecast.method == .linearTrend)
        #expect(abs(forecast.expected - 28) < 1e-9)
        #expect(abs(forecast.high - forecast.low) < 1e-6)
    }
}
