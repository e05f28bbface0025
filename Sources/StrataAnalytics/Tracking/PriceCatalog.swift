import Foundation
import StrataCatalog
import StrataStore

/// What one model costs from a date on: dollars per million input and output tokens.
public struct Price: Sendable, Equatable {
    public var provider: String
    public var model: String
    /// US dollars per 1,000,000 input (prompt) tokens.
    public var inputPerMillion: Double
    /// US dollars per 1,000,000 output (completion) tokens.
    public var outputPerMillion: Double
    /// The first moment this price applies; it holds until the next price of the same model.
    public var effectiveFrom: Date

    public init(provider: String, model: String, inputPerMillion: Double, outputPerMillion: Double, effectiveFrom: Date = Date(timeIntervalSince1970: 0)) {
        self.provider = provider
        self.model = model
        self.inputPerMillion = inputPerMillion
        self.outputPerMillion = outputPerMillion
        self.effectiveFrom = effectiveFrom
    }

    /// Dollars for a call with these token counts.
    public func cost(inputTokens: Int, outputTokens: Int) -> Double {
        (Double(inputTokens) * inputPerMillion + Double(outputTokens) * outputPerMillion) / 1_000_000
    }
}

/// The prices of every provider's models, with the dates they took effect, kept in the
/// catalog's `prices` table. A record's cost uses the price in effect at the record's time,
/// so a price change never rewrites the past.
///
/// Reached through ``PerformanceTracker/prices``, under the tracker's lock.
public struct PriceCatalog: Sendable {
    let tracker: PerformanceTracker

    /// Adds a price, or replaces the one of the same provider, model and start date.
    ///
    /// - Throws: ``AnalyticsError/invalidArgument(name:value:expected:)`` for an empty name or
    ///   a negative or non-finite price.
    public func set(_ price: Price) throws(AnalyticsError) {
        for (name, value) in [("provider", price.provider), ("model", price.model)] where value.trimmingCharacters(in: .whitespaces).isEmpty {
            throw .invalidArgument(name: name, value: value, expected: "a non-empty name")
        }
        for (name, value) in [("input price", price.inputPerMillion), ("output price", price.outputPerMillion)] where !(value.isFinite && value >= 0) {
            throw .invalidArgument(name: name, value: "\(value)", expected: "dollars per million tokens ≥ 0")
        }
        try tracker.withCatalog { catalog throws(AnalyticsError) in
            try catalog.run { () throws(CatalogError) in
                try catalog.database.statement("""
                    INSERT INTO prices(provider, model, effective_from, input_per_million, output_per_million) VALUES(?, ?, ?, ?, ?)
                    ON CONFLICT(provider, model, effective_from) DO UPDATE SET
                        input_per_million = excluded.input_per_million, output_per_million = excluded.output_per_million
                    """)
                    .bind(1, price.provider).bind(2, price.model).bind(3, price.effectiveFrom.timeIntervalSince1970)
                    .bind(4, price.inputPerMillion).bind(5, price.outputPerMillion).run()
            }
        }
    }

    /// The price of `provider`'s `model` in effect at `time`, or nil when none is known.
    public func price(provider: String, model: String, at time: Date = Date()) throws(AnalyticsError) -> Price? {
        try tracker.withCatalog { catalog throws(AnalyticsError) in try Self.price(provider: provider, model: model, at: time, in: catalog) }
    }

    /// Every price (each change of each model), by provider, model and start date.
    public func all() throws(AnalyticsError) -> [Price] {
        try tracker.withCatalog { catalog throws(AnalyticsError) in
            try catalog.run { () throws(CatalogError) in
                try catalog.database.statement("SELECT \(Self.columns) FROM prices ORDER BY provider, model, effective_from").rows { Self.price(from: $0) }
            }
        }
    }

    static func price(provider: String, model: String, at time: Date, in catalog: AnalyticsCatalog) throws(AnalyticsError) -> Price? {
        try catalog.run { () throws(CatalogError) in
            try catalog.database.statement("""
                SELECT \(columns) FROM prices WHERE provider = ? AND model = ? AND effective_from <= ?
                ORDER BY effective_from DESC LIMIT 1
                """)
                .bind(1, provider).bind(2, model).bind(3, time.timeIntervalSince1970).rows { price(from: $0) }.first
        }
    }

    private static let columns = "provider, model, input_per_million, output_per_million, effective_from"

    private static func price(from row: some CatalogStatement) -> Price {
        Price(provider: row.string(0), model: row.string(1), inputPerMillion: row.double(2), outputPerMillion: row.double(3),
              effectiveFrom: Date(timeIntervalSince1970: row.double(4)))
    }

    static let schema = CatalogSchema(component: "prices", versionRecord: .table("analytics_schema"), migrations: [
        CatalogMigration(
            sqlite: """
            CREATE TABLE prices(
                provider TEXT NOT NULL,
                model TEXT NOT NULL,
                effective_from REAL NOT NULL,
                input_per_million REAL NOT NULL,
                output_per_million REAL NOT NULL,
                PRIMARY KEY(provider, model, effective_from)
            );
            """,
            postgres: """
            CREATE TABLE prices(
                provider TEXT NOT NULL,
                model TEXT NOT NULL,
                effective_from DOUBLE PRECISION NOT NULL,
                input_per_million DOUBLE PRECISION NOT NULL,
                output_per_million DOUBLE PRECISION NOT NULL,
                PRIMARY KEY(provider, model, effective_from)
            );
            """),
    ])
}
