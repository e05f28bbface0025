import Foundation

/// A calendar period a budget resets on, in UTC.
public enum BudgetPeriod: String, Sendable, CaseIterable, Codable {
    /// Midnight to midnight UTC.
    case day
    /// Monday 00:00 UTC to the next Monday (ISO 8601 weeks).
    case week
    /// The first of the month 00:00 UTC to the first of the next.
    case month

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// The period that contains `date`: start inclusive, end exclusive.
    public func interval(containing date: Date) -> DateInterval {
        let component: Calendar.Component = switch self {
        case .day: .day
        case .week: .weekOfYear
        case .month: .month
        }
        return Self.calendar.dateInterval(of: component, for: date)!
    }
}

/// A spending limit for one project over one calendar period, in every environment or in one.
public struct Budget: Sendable, Equatable {
    public var project: String
    public var period: BudgetPeriod
    /// US dollars per period.
    public var limit: Double
    /// The environment (dev, staging, prod) whose spend the limit holds; nil: all of them.
    public var environment: String?

    public init(project: String, period: BudgetPeriod, limit: Double, environment: String? = nil) {
        self.project = project
        self.period = period
        self.limit = limit
        self.environment = environment
    }

    /// Whether spend in `environment` counts against this budget.
    public func applies(to environment: String) -> Bool {
        self.environment == nil || self.environment == environment
    }
}

/// The thresholds at which a budget raises an alert, as fractions of its limit.
public enum BudgetAlertLevel: Int, Sendable, CaseIterable, Comparable, Codable {
    case none = 0
    /// Half the limit spent.
    case half = 50
    /// Four fifths spent.
    case fourFifths = 80
    /// The whole limit spent.
    case exhausted = 100

    /// The spent fraction that raises this level.
    public var fraction: Double { Double(rawValue) / 100 }

    /// The highest level `fraction` has reached.
    public init(fraction: Double) {
        self = Self.allCases.last { $0 != .none && fraction >= $0.fraction } ?? .none
    }

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// An alert a budget raised: once per threshold per period.
public struct BudgetAlert: Sendable, Equatable {
    public var level: BudgetAlertLevel
    public var raisedAt: Date
    /// Dollars spent in the period when it was raised.
    public var spent: Double
}

/// Where a budget stands in its current period, and where the period is heading.
public struct BudgetStatus: Sendable, Equatable {
    public var budget: Budget
    public var period: DateInterval
    /// Dollars spent in the period so far.
    public var spent: Double
    /// Dollars set aside for calls under way or made and not yet recorded
    /// (``BudgetLedger/hold(_:project:environment:at:)``).
    public var held: Double
    /// `spent / limit` (above 1 past the limit).
    public var fraction: Double
    /// Dollars left after what is spent and held, never below zero.
    public var remaining: Double
    public var level: BudgetAlertLevel
    /// Every alert raised this period, oldest first.
    public var alerts: [BudgetAlert]
    /// The alerts this status call raised (each is raised once per period): what a caller
    /// shows as news.
    public var newAlerts: [BudgetAlert]
    /// The period's expected end spend.
    public var forecast: SpendForecast
    /// True when the forecast expects the period to end over the limit.
    public var forecastOverLimit: Bool { forecast.expected > budget.limit }
}
