import ArgumentParser
import Foundation
import StrataAnalytics

extension Strata {
    struct BudgetCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "budget", abstract: "Per-project spending limits per day, week or month (UTC), with alerts and forecasts.",
            subcommands: [SetBudget.self, BudgetStatusCommand.self], defaultSubcommand: BudgetStatusCommand.self)
    }

    struct SetBudget: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Set a project's limit for a period.")
        @OptionGroup var options: StoreOptions
        @Option(help: "The project.") var project: String
        @Option(help: "day, week (Monday to Monday) or month, in UTC.") var period: BudgetPeriod
        @Option(help: "US dollars per period.") var limit: Double
        @Option(help: "Hold only this environment's spend (dev, staging, prod); default: every environment's.") var environment: String?

        func run() throws {
            try options.tracker().budgets.set(StrataAnalytics.Budget(project: project, period: period, limit: limit, environment: environment))
            if options.json {
                options.emit(["project": project, "period": period.rawValue, "limit": limit, "environment": environment as Any])
            } else {
                print("budget for \(project)\(environment.map { " in \($0)" } ?? ""): \(dollars(limit)) per \(period.rawValue)")
            }
        }
    }

    struct BudgetStatusCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status", abstract: "Spend so far this period, alerts (new ones marked) and the forecast for the period's end.")
        @OptionGroup var options: StoreOptions
        @Option(help: "Only this project (default: every project with a budget).") var project: String?
        @Option(help: "The moment to report at (default: now). Format: yyyy-mm-dd, ISO 8601 or epoch seconds.")
        var at: DateArgument?

        func run() throws {
            let statuses = try options.tracker().budgets.status(project: project, at: at?.date ?? Date())
            if options.json {
                options.emit(["budgets": statuses.map(statusObject)])
                return
            }
            if statuses.isEmpty {
                print("no budgets; set one with `strata budget set --project P --period month --limit 100`")
                return
            }
            print(table(["project", "environment", "period", "spent", "held", "limit", "used", "alert", "forecast (95 %)", "method"], statuses.map { status in
                let forecast = status.forecast
                return [status.budget.project, status.budget.environment ?? "all", status.budget.period.rawValue, dollars(status.spent),
                        dollars(status.held), dollars(status.budget.limit),
                        format(100 * status.fraction, digits: 0) + " %", status.level == .none ? "-" : "\(status.level.rawValue) %",
                        "\(dollars(forecast.expected)) [\(dollars(forecast.low)), \(dollars(forecast.high))]",
                        forecast.method.rawValue]
            }))
            for status in statuses {
                for alert in status.newAlerts {
                    print("NEW ALERT: \(status.budget.project) has spent \(alert.level.rawValue) % of its \(status.budget.period.rawValue) budget (\(dollars(alert.spent)) of \(dollars(status.budget.limit)))")
                }
                if status.forecastOverLimit, status.level < .exhausted {
                    print("warning: \(status.budget.project) is heading for \(dollars(status.forecast.expected)) this \(status.budget.period.rawValue), over its \(dollars(status.budget.limit)) limit")
                }
            }
        }
    }
}

private func statusObject(_ status: BudgetStatus) -> [String: Any] {
    let alert = { (alert: BudgetAlert) -> [String: Any] in
        ["level": alert.level.rawValue, "raised_at": Date.ISO8601FormatStyle().format(alert.raisedAt), "spent": alert.spent]
    }
    return [
        "project": status.budget.project, "environment": status.budget.environment as Any, "period": status.budget.period.rawValue,
        "limit": status.budget.limit, "held": status.held,
        "period_start": Date.ISO8601FormatStyle().format(status.period.start), "period_end": Date.ISO8601FormatStyle().format(status.period.end),
        "spent": status.spent, "fraction": status.fraction, "remaining": status.remaining, "level": status.level.rawValue,
        "alerts": status.alerts.map(alert), "new_alerts": status.newAlerts.map(alert),
        "forecast": [
            "method": status.forecast.method.rawValue, "expected": status.forecast.expected, "low": status.forecast.low,
            "high": status.forecast.high, "confidence": status.forecast.confidence, "days_observed": status.forecast.daysObserved,
            "over_limit": status.forecastOverLimit,
        ] as [String: Any],
    ]
}
