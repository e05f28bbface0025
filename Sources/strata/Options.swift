import ArgumentParser
import Foundation
import StrataIndex
import StrataKernels
import StrataStore

extension Metric: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public static var allValueStrings: [String] { ["cosine", "ip", "l2"] }
}

extension VectorQuantization: ExpressibleByArgument {}
extension SearchMode: ExpressibleByArgument {}
extension FusionMethod: ExpressibleByArgument {}

/// A comma-separated list of integers, such as `16,32,64`.
struct IntegerList: ExpressibleByArgument {
    var values: [Int]
    init?(argument: String) {
        let parts = argument.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
        values = parts.map { $0! }
    }
}
