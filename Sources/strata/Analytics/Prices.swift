import ArgumentParser
import Foundation
import StrataAnalytics

extension Strata {
    struct Prices: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Model prices that turn tokens into dollars for records without a cost.",
            subcommands: [SetPrice.self, ListPrices.self], defaultSubcommand: ListPrices.self)
    }

    struct SetPrice: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "Add a model's price from a date on (records before it keep the older price).")
        @OptionGroup var options: StoreOptions
        @Option(help: "Provider, such as openai or anthropic.") var provider: String
        @Option(help: "Model, such as gpt-4o-mini.") var model: String
        @Option(help: "US dollars per million input tokens.") var input: Double
        @Option(help: "US dollars per million output tokens.") var output: Double
        @Option(help: "When the price takes effect (default: always). Format: yyyy-mm-dd, ISO 8601 or epoch seconds.")
        var from: DateArgument?

        func run() throws {
            let price = Price(provider: provider, model: model, inputPerMillion: input, outputPerMillion: output,
                              effectiveFrom: from?.date ?? Date(timeIntervalSince1970: 0))
            try options.tracker().prices.set(price)
            if options.json {
                options.emit(priceObject(price))
            } else {
                print("\(provider)/\(model): $\(input) in, $\(output) out per million tokens from \(Date.ISO8601FormatStyle().format(price.effectiveFrom))")
            }
        }
    }

    struct ListPrices: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Every price and when it took effect.")
        @OptionGroup var options: StoreOptions

        func run() throws {
            let prices = try options.tracker().prices.all()
            if options.json {
                options.emit(["prices": prices.map(priceObject)])
                return
            }
            print(table(["provider", "model", "input $/1M", "output $/1M", "from"], prices.map {
                [$0.provider, $0.model, "\($0.inputPerMillion)", "\($0.outputPerMillion)", Date.ISO8601FormatStyle().format($0.effectiveFrom)]
            }))
        }
    }
}

private func priceObject(_ price: Price) -> [String: Any] {
    ["provider": price.provider, "model": price.model, "input_per_million": price.inputPerMillion,
     "output_per_million": price.outputPerMillion, "effective_from": Date.ISO8601FormatStyle().format(price.effectiveFrom)]
}
