import Foundation
import Testing
import StrataAnalytics

@Suite struct RidgeRegressionTests {
    @Test func noPenaltyEqualsLeastSquaresByQR() throws {
        let problem = try LinearProblem(rows: 300, weights: [1.5, -2, 0.25, 3, -0.7], intercept: 4, noise: 0.5, correlation: 0.6, seed: 7)
        let model = try RidgeRegression(configuration: .init(lambda: 0)).fit(problem.features, targets: problem.targets)
        let reference = leastSquaresByQR(problem.features, problem.targets)
        #expect(maximumDifference(model.coefficients, reference.slopes) < 1e-6)
        #expect(abs(model.intercept - reference.intercept) < 1e-6)
        #expect(model.solver == "dposv")
        #expect(model.lambda == 0)
    }

    @Test func penaltyMatchesTheAugmentedSystem() throws {
        let problem = try LinearProblem(rows: 120, weights: [0.8, -1.1, 2.0], intercept: -1, noise: 1, correlation: 0.5, seed: 11)
        for lambda in [0.5, 10, 300] {
            let model = try RidgeRegression(configuration: .init(lambda: lambda)).fit(problem.features, targets: problem.targets)
            let reference = ridgeByAugmentedQR(problem.features, problem.targets, lambda: lambda)
            #expect(maximumDifference(model.coefficients, reference.slopes) < 1e-8, "λ = \(lambda)")
            #expect(abs(model.intercept - reference.intercept) < 1e-8)
        }
    }

    @Test func recoversPlantedCoefficientsWithCrossValidatedPenalty() throws {
        let weights = [2.0, -1.0, 0.5, 0, 4]
        let problem = try LinearProblem(rows: 3000, weights: weights, intercept: 10, noise: 0.3, correlation: 0.3, seed: 3)
        let model = try RidgeRegression().fit(problem.features, targets: problem.targets)
        #expect(maximumDifference(model.coefficients, weights) < 0.03)
        #expect(abs(model.intercept - 10) < 0.1)
        #expect(model.crossValidation.count == 25)
        #expect(model.quality.rSquared > 0.99)
        let crossValidated = try #require(model.quality.crossValidatedRSquared)
        #expect(crossValidated > 0.99 && crossValidated <= model.quality.rSquared + 1e-9)
        #expect(abs(model.residualStandardDeviation - 0.3) < 0.03)
        #expect(try abs(model.quality.crossValidatedMeanAbsoluteError! - 0.3 * (2 / Double.pi).squareRoot()) < 0.02)
        #expect(model.namedCoefficients.map(\.name) == ["x0", "x1", "x2", "x3", "x4"])
        #expect(model.strongestCoefficients(2).map(\.name) == ["x4", "x0"])
    }

    @Test func crossValidationShrinksMoreOnNoisyCollinearData() throws {
        let clean = try LinearProblem(rows: 400, weights: [1, 2, -1, 0.5], intercept: 0, noise: 0.1, seed: 5)
        let noisy = try LinearProblem(rows: 60, weights: [1, 2, -1, 0.5], intercept: 0, noise: 8, correlation: 0.97, seed: 5)
        let cleanLambda = try RidgeRegression().fit(clean.features, targets: clean.targets).lambda
        let noisyModel = try RidgeRegression().fit(noisy.features, targets: noisy.targets)
        // Compare shrinkage per row: the grid scales with the rows per fold.
        #expect(noisyModel.lambda / 48 > 100 * cleanLambda / 320)
        let unpenalized = try RidgeRegression(configuration: .init(lambda: 0)).fit(noisy.features, targets: noisy.targets)
        let norm = { (w: [Double]) in w.reduce(0) { $0 + $1 * $1 } }
        #expect(norm(noisyModel.coefficients) < norm(unpenalized.coefficients))
    }

    @Test func intervalsCoverAboutNinetyFivePercentOfNewData() throws {
        let weights = [1.0, -0.5, 2.0]
        let training = try LinearProblem(rows: 400, weights: weights, intercept: 1, noise: 1.5, correlation: 0.4, seed: 21)
        let heldOut = try LinearProblem(rows: 4000, weights: weights, intercept: 1, noise: 1.5, correlation: 0.4, seed: 22)
        let model = try RidgeRegression().fit(training.features, targets: training.targets)
        var covered = 0
        for row in 0..<heldOut.features.rows {
            let prediction = try model.predict(heldOut.features[row: row], confidence: 0.95)
            if heldOut.targets[row] >= prediction.low && heldOut.targets[row] <= prediction.high { covered += 1 }
        }
        let coverage = Double(covered) / Double(heldOut.features.rows)
        #expect(coverage > 0.93 && coverage < 0.97, "coverage \(coverage)")
        let narrow = try model.predict(heldOut.features[row: 0], confidence: 0.5)
        let wide = try model.predict(heldOut.features[row: 0], confidence: 0.99)
        #expect(wide.high - wide.low > 2 * (narrow.high - narrow.low))
    }

    @Test func collinearFeaturesWithoutPenaltyFallBackToMinimumNorm() throws {
        let base = try LinearProblem(rows: 100, weights: [1, 2], intercept: 0.5, noise: 0.2, seed: 9)
        var values: [Double] = []
        for row in 0..<base.features.rows {
            let x = base.features[row: row]
            values += x + [2 * x[0]]
        }
        let doubled = try DesignMatrix(columns: 3, values: values, names: ["a", "b", "twice a"])
        let model = try RidgeRegression(configuration: .init(lambda: 0)).fit(doubled, targets: base.targets)
        #expect(model.solver == "dgelsd")
        #expect(model.rank == 2)
        let reference = leastSquaresByQR(base.features, base.targets)
        // Only a + 2·(twice a) is identified; it equals the least-squares slope of a.
        #expect(abs(model.coefficients[0] + 2 * model.coefficients[2] - reference.slopes[0]) < 1e-6)
        #expect(abs(model.coefficients[1] - reference.slopes[1]) < 1e-6)
    }

    @Test func constantFeatureGetsNoWeight() throws {
        let base = try LinearProblem(rows: 80, weights: [1.5], intercept: 2, noise: 0.1, seed: 4)
        let values = (0..<base.features.rows).flatMap { row -> [Double] in base.features[row: row] + [7] }
        let model = try RidgeRegression(configuration: .init(lambda: 1)).fit(DesignMatrix(columns: 2, values: values, names: ["x", "seven"]), targets: base.targets)
        #expect(model.coefficients[1] == 0)
        #expect(abs(model.coefficients[0] - 1.5) < 0.05)
    }

    @Test func refusesBadInput() throws {
        let problem = try LinearProblem(rows: 20, weights: [1, 1], intercept: 0, noise: 1, seed: 1)
        let ridge = RidgeRegression()
        #expect(throws: AnalyticsError.invalidArgument(name: "targets", value: "19 values", expected: "one per row (20)")) {
            try ridge.fit(problem.features, targets: Array(problem.targets.dropLast()))
        }
        var targets = problem.targets
        targets[3] = .nan
        #expect(throws: AnalyticsError.invalidArgument(name: "target in row 3", value: "nan", expected: "a finite number")) {
            try ridge.fit(problem.features, targets: targets)
        }
        var values = problem.features.values
        values[5] = .infinity
        #expect(throws: AnalyticsError.invalidArgument(name: "feature 'x1' in row 2", value: "inf", expected: "a finite number")) {
            try ridge.fit(DesignMatrix(columns: 2, values: values, names: ["x0", "x1"]), targets: problem.targets)
        }
        let four = try DesignMatrix(columns: 2, values: Array(problem.features.values.prefix(8)), names: ["x0", "x1"])
        #expect(throws: AnalyticsError.insufficientData(what: "rows to fit 2 feature(s)", needed: 5, got: 4)) {
            try ridge.fit(four, targets: Array(problem.targets.prefix(4)))
        }
        #expect(throws: AnalyticsError.self) { try RidgeRegression(configuration: .init(lambda: -1)).fit(problem.features, targets: problem.targets) }
        #expect(throws: AnalyticsError.self) { try RidgeRegression(configuration: .init(folds: 1)).fit(problem.features, targets: problem.targets) }
        #expect(throws: AnalyticsError.self) { try DesignMatrix(rows: [[1, 2], [3]], names: ["a", "b"]) }
        let model = try ridge.fit(problem.features, targets: problem.targets)
        #expect(throws: AnalyticsError.self) { try model.predict([1]) }
        #expect(throws: AnalyticsError.self) { try model.predict([1, 2], confidence: 1.5) }
    }

    @Test func quantilesMatchTables() {
        #expect(abs(Quantiles.normal(0.975) - 1.959964) < 1e-6)
        #expect(abs(Quantiles.normal(0.5)) < 1e-12)
        #expect(abs(Quantiles.studentT(0.975, degreesOfFreedom: 1) - 12.706205) < 1e-5)
        #expect(abs(Quantiles.studentT(0.975, degreesOfFreedom: 2) - 4.302653) < 1e-5)
        #expect(abs(Quantiles.studentT(0.975, degreesOfFreedom: 3) - 3.182446) < 0.005)
        #expect(abs(Quantiles.studentT(0.975, degreesOfFreedom: 10) - 2.228139) < 1e-3)
        #expect(abs(Quantiles.studentT(0.95, degreesOfFreedom: 30) - 1.697261) < 1e-4)
    }
}
