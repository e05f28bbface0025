import CLinearAlgebra
import StrataKernels

/// The rows of a fit laid out once for every fold: `[x − shift, 1, y − shift]`, shuffled so
/// that fold `f` is the contiguous block `folds[f]`.
///
/// Shifting by the whole data's means keeps the later centring (one subtraction of sums)
/// free of cancellation; the contiguous blocks let one `dsyrk` summarize each fold.
struct ShiftedDesign {
    let rows: Int
    let features: Int
    var width: Int { features + 2 }
    /// `rows × width`, row-major.
    private(set) var buffer: [Double]
    let featureShift: [Double]
    let targetShift: Double
    /// False when a feature or target is NaN or infinite (the design is then unusable).
    let allFinite: Bool
    let folds: [Range<Int>]
    /// The sums of each fold's rows.
    let blocks: [CrossProducts]

    init(_ x: DesignMatrix, targets: [Double], folds foldCount: Int, seed: UInt64) {
        rows = x.rows
        features = x.columns
        let p = features, m = features + 2, n = rows
        // The first rows' means are close enough to the data's to keep centring exact, and
        // cost no pass over the rest.
        let sample = min(n, 1024)
        var shift = [Double](repeating: 0, count: p)
        x.values.withUnsafeBufferPointer { values in
            for r in 0..<sample {
                for j in 0..<p { shift[j] += values[r * p + j] }
            }
        }
        shift = shift.map { $0 / Double(sample) }
        featureShift = shift
        let targetShift = targets.prefix(sample).reduce(0, +) / Double(sample)
        self.targetShift = targetShift
        var order = Array(0..<n)
        if foldCount > 1 {
            var random = SeededRandom(seed: seed)
            order.shuffle(using: &random)
        }
        // Every element is written below; zero-filling 8·n·m bytes first would be a wasted pass.
        let laid = [Double](unsafeUninitializedCapacity: n * m) { out, initialized in
            x.values.withUnsafeBufferPointer { values in
                targets.withUnsafeBufferPointer { targets in
                    for r in 0..<n {
                        let source = order[r] * p, row = r * m
                        for j in 0..<p { out[row + j] = values[source + j] - shift[j] }
                        out[row + p] = 1
                        out[row + p + 1] = targets[order[r]] - targetShift
                    }
                }
            }
            initialized = n * m
        }
        buffer = laid
        let folds = (0..<foldCount).map { f in (f * n / foldCount)..<((f + 1) * n / foldCount) }
        self.folds = folds
        let features = features
        blocks = laid.withUnsafeBufferPointer { data in
            folds.map { CrossProducts(buffer: data.baseAddress!, start: $0.lowerBound, rows: $0.count, features: features) }
        }
        // NaN and infinity survive every sum, so the sums tell whether the data were finite.
        allFinite = blocks.allSatisfy { $0.values.allSatisfy(\.isFinite) }
    }

    /// Absolute and squared errors of `solution` on the rows of `block` (one `dgemv`).
    func errors(of solution: RidgeSolution, on block: Range<Int>) -> (absolute: Double, squared: Double) {
        guard !block.isEmpty else { return (0, 0) }
        let p = features, m = width
        let coefficients = solution.slopes + [solution.intercept]
        var predictions = [Double](repeating: 0, count: block.count)
        return buffer.withUnsafeBufferPointer { data in
            let base = data.baseAddress! + block.lowerBound * m
            cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(block.count), Int32(p + 1), 1, base, Int32(m), coefficients, 1, 0, &predictions, 1)
            var absolute = 0.0, squared = 0.0
            for r in 0..<block.count {
                let residual = base[r * m + p + 1] - predictions[r]
                absolute += abs(residual)
                squared += residual * residual
            }
            return (absolute, squared)
        }
    }

    /// Chooses λ (unless given), fits on every row, and measures the fit in and out of sample.
    func fitModel(configuration: RidgeRegression.Configuration, names: [String]) throws(AnalyticsError) -> RidgeModel {
        let total = blocks.dropFirst().reduce(blocks[0], +)
        let crossValidated = folds.count > 1
        let trainingRows = crossValidated ? rows - rows / folds.count : rows
        let grid = configuration.lambda.map { [$0] } ?? configuration.lambdaGrid ?? RidgeRegression.defaultGrid(trainingRows: trainingRows)
        let standardize = configuration.standardize

        func foldSolutions(_ lambda: Double) throws(AnalyticsError) -> [RidgeSolution] {
            var solutions: [RidgeSolution] = []
            for block in blocks {
                solutions.append(try RidgeSolution(total - block, lambda: lambda, standardize: standardize, shift: featureShift, wantInverse: false))
            }
            return solutions
        }

        var path: [RidgeModel.LambdaScore] = []
        if crossValidated {
            for lambda in grid {
                let solutions = try foldSolutions(lambda)
                let squared = zip(blocks, solutions).reduce(0) { $0 + $1.0.squaredError(slopes: $1.1.slopes, intercept: $1.1.intercept) }
                path.append(.init(lambda: lambda, meanSquaredError: squared / Double(rows)))
            }
        }
        // Ties go to the larger penalty: the same error from a simpler model.
        let chosen = path.min { ($0.meanSquaredError, -$0.lambda) < ($1.meanSquaredError, -$1.lambda) }?.lambda ?? grid[0]
        let final = try RidgeSolution(total, lambda: chosen, standardize: standardize, shift: featureShift, wantInverse: true)

        let inSample = errors(of: final, on: 0..<rows)
        let n = Double(rows)
        // Σy² − (Σy)²/n, on shifted targets (the shift does not change it).
        let targetRow = (features + 1) * width
        let targetSum = total.values[targetRow + features]
        let totalSquares: Double = total.values[targetRow + features + 1] - targetSum * targetSum / n
        var quality = RidgeModel.FitQuality(
            rSquared: totalSquares > 0 ? 1 - inSample.squared / totalSquares : 1,
            meanAbsoluteError: inSample.absolute / n, crossValidatedRSquared: nil, crossValidatedMeanAbsoluteError: nil)
        if crossValidated {
            var absolute = 0.0, squared = 0.0
            for (block, solution) in zip(folds, try foldSolutions(chosen)) {
                let outOfSample = errors(of: solution, on: block)
                absolute += outOfSample.absolute
                squared += outOfSample.squared
            }
            quality.crossValidatedRSquared = totalSquares > 0 ? 1 - squared / totalSquares : 1
            quality.crossValidatedMeanAbsoluteError = absolute / n
        }
        let effective = final.effectiveParameters ?? Double(features)
        let residualDegrees = max(n - 1 - effective, 1)
        let slopes = final.slopes
        let originalMeans = zip(final.means, featureShift).map { $0 + $1 }
        return RidgeModel(
            names: names, coefficients: slopes,
            intercept: final.intercept + targetShift - zip(slopes, featureShift).reduce(0) { $0 + $1.0 * $1.1 },
            lambda: chosen, rowCount: rows, quality: quality,
            residualStandardDeviation: (inSample.squared / residualDegrees).squareRoot(),
            residualDegreesOfFreedom: residualDegrees, rank: final.rank, solver: final.routine,
            crossValidation: path, featureMeans: originalMeans, featureScales: final.scales,
            standardizedInverse: final.inverse ?? [])
    }
}
