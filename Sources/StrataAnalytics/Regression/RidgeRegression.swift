import CLinearAlgebra
import Foundation
import StrataKernels

/// Ridge regression with an intercept: `y ≈ b + wᵀx`, minimizing `Σ(y − b − wᵀx)² + λ‖w‖²`
/// over standardized features, solved in Double through LAPACKE.
///
/// Features are standardized (centred, divided by their standard deviation) before the
/// penalty applies, so λ treats every feature alike whatever its unit; the intercept is not
/// penalized. Coefficients come back in the features' original units. With no λ given, it
/// is chosen by k-fold cross-validation over a log-spaced grid; the data are read once for
/// all folds and all candidates (see ``CrossProducts``).
///
/// ```swift
/// let model = try RidgeRegression().fit(design, targets: y)
/// let next = try model.predict(row, confidence: 0.95)
/// ```
public struct RidgeRegression: Sendable {
    /// How a fit is run. Every field has a default.
    public struct Configuration: Sendable, Equatable {
        /// The penalty λ on the sum-of-squares scale (as scikit-learn's `alpha`), applied to
        /// the standardized slopes. `nil` (the default) chooses it by cross-validation.
        public var lambda: Double?
        /// Candidates for λ when it is chosen. `nil` (the default): 25 values, `n · 10^e` for
        /// `e` from −6 to 2 in steps of 1/3, where `n` is the training rows per fold; the
        /// penalty then means the same shrinkage whatever the data's size.
        public var lambdaGrid: [Double]?
        /// Folds of cross-validation (default 5); below 2 there is none, and λ must be given.
        public var folds: Int
        /// Standardize the features before penalizing (default true). False penalizes the raw
        /// slopes, as scikit-learn's `Ridge` does.
        public var standardize: Bool
        /// Seed of the shuffle that assigns rows to folds (default 42).
        public var seed: UInt64

        public init(lambda: Double? = nil, lambdaGrid: [Double]? = nil, folds: Int = 5, standardize: Bool = true, seed: UInt64 = 42) {
            self.lambda = lambda
            self.lambdaGrid = lambdaGrid
            self.folds = folds
            self.standardize = standardize
            self.seed = seed
        }

        /// Explains the first setting that cannot work.
        public func validate() throws(AnalyticsError) {
            if let lambda, !(lambda >= 0 && lambda.isFinite) {
                throw .invalidArgument(name: "lambda", value: "\(lambda)", expected: "a finite penalty ≥ 0")
            }
            if let grid = lambdaGrid, grid.isEmpty || grid.contains(where: { !($0 >= 0 && $0.isFinite) }) {
                throw .invalidArgument(name: "lambdaGrid", value: "\(grid)", expected: "at least one finite penalty ≥ 0")
            }
            if lambda == nil, folds < 2 {
                throw .invalidArgument(name: "folds", value: "\(folds)", expected: "at least 2 to choose λ by cross-validation, or give lambda")
            }
        }
    }

    public var configuration: Configuration

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// The fewest rows a fit of `features` columns accepts: enough for every fold to hold a
    /// row, and with no penalty, more rows than fitted parameters.
    public func minimumRows(features: Int) -> Int {
        max(3, configuration.folds, configuration.lambda == 0 ? features + 2 : 3)
    }

    /// Fits `targets` on the columns of `features`.
    ///
    /// - Throws: ``AnalyticsError/invalidArgument(name:value:expected:)`` for a target count
    ///   that is not one per row, or a NaN/infinite value (naming its row and feature);
    ///   ``AnalyticsError/insufficientData(what:needed:got:)`` for too few rows;
    ///   ``AnalyticsError/linearAlgebra(routine:info:problem:)`` if LAPACK fails.
    /// - Complexity: O(n·p²) for the data, plus O(p³) per fold and candidate λ.
    public func fit(_ features: DesignMatrix, targets: [Double]) throws(AnalyticsError) -> RidgeModel {
        try configuration.validate()
        guard targets.count == features.rows else {
            throw .invalidArgument(name: "targets", value: "\(targets.count) values", expected: "one per row (\(features.rows))")
        }
        let needed = minimumRows(features: features.columns)
        guard features.rows >= needed else {
            throw .insufficientData(what: "rows to fit \(features.columns) feature(s)", needed: needed, got: features.rows)
        }
        BLAS.ensureConfigured()
        let design = ShiftedDesign(features, targets: targets, folds: max(1, configuration.folds), seed: configuration.seed)
        if !design.allFinite {
            if let bad = features.firstNonFinite() {
                throw .invalidArgument(name: "feature '\(features.names[bad.column])' in row \(bad.row)", value: "\(bad.value)", expected: "a finite number")
            }
            if let row = targets.firstIndex(where: { !$0.isFinite }) {
                throw .invalidArgument(name: "target in row \(row)", value: "\(targets[row])", expected: "a finite number")
            }
        }
        return try design.fitModel(configuration: configuration, names: features.names)
    }

    /// The default candidates for `trainingRows` rows per fold.
    static func defaultGrid(trainingRows: Int) -> [Double] {
        (0...24).map { Double(trainingRows) * pow(10, -6 + Double($0) / 3) }
    }
}
