import CLinearAlgebra

/// The sums over a block of rows that a ridge fit and its squared error need.
///
/// For rows `u = [x − shift, 1, y − shift]` (the features, a one, the target, all shifted by
/// the whole data set's means so that centring later loses no digits), `values` is `UᵀU`, an
/// `m × m` matrix with `m = features + 2`: `Σxxᵀ`, `Σx`, the row count, `Σxy`, `Σy`, `Σy²`.
/// Sums of blocks add up, so k-fold cross-validation costs one pass over the data: the
/// training set of fold `f` is `total − block[f]`.
struct CrossProducts {
    let features: Int
    /// `m × m`, row-major, both triangles filled.
    var values: [Double]

    var width: Int { features + 2 }
    var count: Double { values[features * width + features] }

    /// `UᵀU` over `rows` rows of `buffer` starting at row `start` (`cblas_dsyrk`).
    init(buffer: UnsafePointer<Double>, start: Int, rows: Int, features: Int) {
        self.features = features
        let m = features + 2
        var sums = [Double](repeating: 0, count: m * m)
        if rows > 0 {
            cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(m), Int32(rows), 1, buffer + start * m, Int32(m), 0, &sums, Int32(m))
        }
        for i in 0..<m {
            for j in 0..<i { sums[i * m + j] = sums[j * m + i] }
        }
        values = sums
    }

    private init(features: Int, values: [Double]) {
        self.features = features
        self.values = values
    }

    static func + (a: CrossProducts, b: CrossProducts) -> CrossProducts {
        CrossProducts(features: a.features, values: zip(a.values, b.values).map { $0 + $1 })
    }

    static func - (a: CrossProducts, b: CrossProducts) -> CrossProducts {
        CrossProducts(features: a.features, values: zip(a.values, b.values).map { $0 - $1 })
    }

    /// `Σ (y − intercept − slopesᵀx)²` over this block's rows, without visiting them:
    /// with `v = [slopes, intercept, −1]` the residual is `−vᵀu`, so the sum is `vᵀ(UᵀU)v`.
    func squaredError(slopes: [Double], intercept: Double) -> Double {
        let m = width
        let v = slopes + [intercept, -1]
        var total = 0.0
        for i in 0..<m {
            var row = 0.0
            for j in 0..<m { row += values[i * m + j] * v[j] }
            total += v[i] * row
        }
        return max(total, 0)
    }
}
