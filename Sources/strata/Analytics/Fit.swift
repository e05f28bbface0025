import ArgumentParser
import Foundation
import StrataAnalytics
import StrataIndex

extension Strata {
    /// A ridge fit on a NumPy file, for `Benchmarks/analytics/ridge_compare.py`; hidden from help.
    struct Fit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fit a ridge regression on a .npy file (benchmarks).",
            discussion: """
            FILE is a 2-D C-ordered float64 (or float32) .npy array: the feature columns, then the target as the last \
            column. Prints the coefficients, intercept, R² and the wall time of each fit (the file read excluded).
            """,
            shouldDisplay: false)

        @Argument(help: "The .npy file: features then the target, one row per sample.") var file: String
        @Option(help: "The penalty (default: chosen by cross-validation).") var lambda: Double?
        @Option(help: "Cross-validation folds; below 2, none (then give --lambda).") var folds: Int = 5
        @Flag(help: "Penalize the raw slopes instead of standardized ones (as scikit-learn's Ridge).") var raw = false
        @Option(help: "Fits to time.") var `repeat`: Int = 1
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let matrix = try NumpyFile.readDoubles(file)
            guard matrix.columns >= 2 else { throw ValidationError("\(file) has \(matrix.columns) column(s); it needs features and a target") }
            let p = matrix.columns - 1
            var features = [Double](), targets = [Double]()
            features.reserveCapacity(matrix.rows * p)
            for row in 0..<matrix.rows {
                features += matrix.values[(row * matrix.columns)..<(row * matrix.columns + p)]
                targets.append(matrix.values[row * matrix.columns + p])
            }
            let design = try DesignMatrix(columns: p, values: features, names: (0..<p).map { "x\($0)" })
            let ridge = RidgeRegression(configuration: .init(lambda: lambda, folds: folds, standardize: !raw))
            var seconds: [Double] = []
            var model: RidgeModel?
            for _ in 0..<max(`repeat`, 1) {
                let start = DispatchTime.now().uptimeNanoseconds
                model = try ridge.fit(design, targets: targets)
                seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            guard let model else { return }
            if json {
                printJSON([
                    "coefficients": model.coefficients, "intercept": model.intercept, "lambda": model.lambda, "r2": model.quality.rSquared,
                    "cv_r2": model.quality.crossValidatedRSquared as Any, "solver": model.solver, "seconds": seconds, "rows": model.rowCount,
                ])
            } else {
                print("\(model.rowCount) rows × \(p) features, λ = \(model.lambda) (\(model.solver)), R² \(format(model.quality.rSquared, digits: 5))")
                print("intercept \(model.intercept)")
                print("fit seconds: \(seconds.map { format($0, digits: 4) }.joined(separator: ", "))")
            }
        }
    }
}
