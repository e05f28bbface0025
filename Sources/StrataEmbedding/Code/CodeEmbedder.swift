import Foundation
import StrataKernels
import StrataText

/// The store's default embedder: offline, deterministic, with no model files.
///
/// Each text is read once as UTF-8 bytes by a tokenizer that knows no particular language
/// (see `FeatureExtractor`), and becomes four groups of hashed features:
///
/// - **Structure**: 2-, 3- and 4-grams of the token stream in which keywords, operators,
///   brackets, line breaks (with their indentation change) and literal classes are kept and
///   every identifier is one placeholder. Renaming leaves them untouched, so a function and
///   its renamed copy share all of them.
/// - **Data flow**: 2- and 3-grams of the same stream in which an identifier becomes how far
///   back the same name was last used (new, 1, 2, 3–4, … identifiers ago). Consistent
///   renaming keeps these too; they tell apart functions of the same shape that use their
///   variables differently.
/// - **Words**: identifiers split at `camelCase`, `snake_case` and digits, plus the words of
///   comments and strings, lower-cased, a plural `s` dropped, keywords and English stop
///   words left out. These carry the meaning: "parse json config file" meets
///   `parse_json_config`.
/// - **Trigrams**: character trigrams of those words, so `parser` is near `parse`.
///
/// A natural-language text (few operators, brackets or literals among its words) gets only
/// the two word groups, or a reduced share of the structural ones; its ranking of code then
/// depends on words alone.
///
/// Every feature is hashed with FNV-1a 64 and SplitMix64, never Swift's per-process seeded
/// `Hasher`, into four signed slots of the output (signed hashing keeps collisions from
/// adding up; four slots keep one unlucky collision from erasing a feature). Within a document a feature weighs `(1 + ln tf) × idf` (see ``Weights``).
/// Each group is scaled to unit length and given a fixed share of the vector, so a text
/// with many words cannot drown its structure or the other way round; the sum is then
/// normalized.
///
/// - Important: Vectors depend on the ``Weights``: refitting them changes every vector, so a
///   store re-embeds its patterns when it refits. The ``identifier`` names the feature design
///   and dimension, not the fit.
public struct CodeEmbedder: Embedder {
    /// Version of the feature design; part of ``identifier``.
    public static let version = 1
    /// The smallest dimension accepted: below it, signed hashing collides too often.
    public static let minimumDimension = 16
    /// The largest dimension accepted.
    public static let maximumDimension = 65_536
    /// The share of each `FeatureGroup` in the vector, indexed by group: structure, data
    /// flow, words, trigrams.
    ///
    /// Tuned on the Python standard library (`CodeEmbedderStdlibTests`): renamed copies find
    /// their original whatever the shares, while searching functions by their docstring's
    /// summary line went from MRR 0.21 with trigrams at 0.6 to 0.27 at 1.3–1.6.
    static let groupWeights: [Float] = [1.0, 1.0, 1.0, 1.5]

    /// `builtin-code-v<version>-<dimension>`, e.g. `builtin-code-v1-384`.
    public let identifier: String
    public let dimension: Int
    /// The weights this embedder was built with.
    public let weights: Weights
    private let idf: [Float]?

    /// Creates the embedder.
    ///
    /// - Parameters:
    ///   - dimension: length of the vectors, 16 through 65,536; 384 by default.
    ///   - weights: IDF weights fitted on the store's corpus; `nil` (an empty store) weighs
    ///     every feature 1.
    /// - Throws: ``EmbeddingError/invalidArgument(name:value:expected:)`` for a dimension out of range.
    public init(dimension: Int = 384, weights: Weights? = nil) throws(EmbeddingError) {
        guard (Self.minimumDimension...Self.maximumDimension).contains(dimension) else {
            throw .invalidArgument(name: "dimension", value: "\(dimension)",
                                   expected: "\(Self.minimumDimension) through \(Self.maximumDimension)")
        }
        self.dimension = dimension
        self.identifier = "builtin-code-v\(Self.version)-\(dimension)"
        self.weights = weights ?? .uniform
        self.idf = self.weights.inverseDocumentFrequencies()
    }

    /// Embeds `texts`, in parallel for large batches.
    ///
    /// - Returns: `texts.count × dimension` floats, row-major, each row of unit length. A text
    ///   with no feature at all (a lone `;`) gets a fixed unit vector.
    /// - Throws: ``EmbeddingError/emptyText(id:)`` naming the index (`#3`) of the first empty or
    ///   white-space-only text; nothing is embedded then.
    /// - Complexity: O(total text length + texts × dimension).
    public func embed(_ texts: [String]) throws(EmbeddingError) -> [Float] {
        for index in texts.indices where Self.isBlank(texts[index]) {
            throw .emptyText(id: "#\(index)")
        }
        let dimension = dimension
        var output = [Float](repeating: 0, count: texts.count * dimension)
        let chunk = 16
        let chunks = (texts.count + chunk - 1) / chunk
        let workers = texts.count >= 128 ? min(Parallel.coreCount, chunks) : 1
        let scratches = (0..<workers).map { _ in FeatureScratch() }
        output.withUnsafeMutableBufferPointer { buffer in
            let rows = OutputRows(base: buffer.baseAddress!)
            Parallel.forEach(chunks, threads: workers) { worker, item in
                for index in (item * chunk)..<min((item + 1) * chunk, texts.count) {
                    embed(texts[index], into: rows.base + index * dimension, scratch: scratches[worker])
                }
            }
        }
        return output
    }

    /// Embeds one text into `row` (`dimension` floats, overwritten).
    func embed(_ text: String, into row: UnsafeMutablePointer<Float>, scratch: FeatureScratch) {
        var text = text
        text.withUTF8 { FeatureExtractor.extract($0, into: scratch) }
        row.initialize(repeating: 0, count: dimension)
        guard !scratch.features.isEmpty else {
            row[Self.fallbackSlot(dimension)] = 1
            return
        }
        scratch.features.sort()
        scratch.features.withUnsafeBufferPointer { features in
            if let idf {
                idf.withUnsafeBufferPointer { accumulate(features, idf: $0.baseAddress, into: row, scratch: scratch) }
            } else {
                accumulate(features, idf: nil, into: row, scratch: scratch)
            }
        }
        // Features whose signed slots cancel exactly would leave a zero row: never NaN.
        if Kernels.normalize(row, count: dimension) == 0 { row[Self.fallbackSlot(dimension)] = 1 }
    }

    /// Adds every distinct feature's signed, weighted value to its slot, each group scaled to
    /// its share.
    private func accumulate(
        _ features: UnsafeBufferPointer<UInt64>, idf: UnsafePointer<Float>?,
        into row: UnsafeMutablePointer<Float>, scratch: FeatureScratch
    ) {
        scratch.weights.removeAll(keepingCapacity: true)
        var squares: (Float, Float, Float, Float) = (0, 0, 0, 0)
        var i = 0
        while i < features.count {
            let feature = features[i]
            var end = i + 1
            while end < features.count && features[end] == feature { end += 1 }
            let termWeight = Self.termWeight(end - i)
            let inverse = idf?[Int(feature >> UInt64(64 - Weights.bucketBits))] ?? 1
            let weight = termWeight * inverse
            scratch.weights.append(weight)
            switch feature & 3 {
            case 0: squares.0 += weight * weight
            case 1: squares.1 += weight * weight
            case 2: squares.2 += weight * weight
            default: squares.3 += weight * weight
            }
            i = end
        }
        func scale(_ square: Float, _ group: FeatureGroup) -> Float {
            square > 0 ? Self.groupWeights[group.rawValue] / square.squareRoot() : 0
        }
        let codeLikeness = scratch.codeLikeness
        let scales = (scale(squares.0, .structure) * codeLikeness, scale(squares.1, .dataFlow) * codeLikeness,
                      scale(squares.2, .words), scale(squares.3, .trigrams))
        let dimension = UInt64(dimension)
        i = 0
        var distinct = 0
        while i < features.count {
            let feature = features[i]
            var end = i + 1
            while end < features.count && features[end] == feature { end += 1 }
            let groupScale: Float
            switch feature & 3 {
            case 0: groupScale = scales.0
            case 1: groupScale = scales.1
            case 2: groupScale = scales.2
            default: groupScale = scales.3
            }
            // Several signed slots per feature, sharing its weight: collisions add the same
            // noise on average, but one unlucky collision between two heavy features (a
            // one-word query's word) shifts a score by a fraction instead of all of it.
            let value = scratch.weights[distinct] * groupScale * Self.slotShare
            var hash = feature
            for _ in 0..<Self.slotsPerFeature {
                row[Self.slot(hash, dimension)] += hash & (1 << 40) == 0 ? value : -value
                hash = StableHash.mix(hash ^ 0x5851_f42d_4c95_7f2d)
            }
            distinct += 1
            i = end
        }
    }

    /// Slots each feature is spread over.
    static let slotsPerFeature = 4
    /// The weight of each of those slots, so that the feature's squared weight is kept.
    static let slotShare = 1 / Float(slotsPerFeature).squareRoot()

    /// The output slot of a hash: its bits 2–33 scaled to `0..<dimension`.
    @inline(__always)
    static func slot(_ hash: UInt64, _ dimension: UInt64) -> Int {
        Int((((hash >> 2) & 0xffff_ffff) &* dimension) >> 32)
    }

    /// `1 + ln tf`: a token repeated ten times counts about three times, not ten.
    @inline(__always)
    static func termWeight(_ count: Int) -> Float {
        count < termWeights.count ? termWeights[count] : 1 + Float(log(Double(count)))
    }
    private static let termWeights: [Float] = (0..<64).map { $0 == 0 ? 0 : 1 + Float(log(Double($0))) }

    static func fallbackSlot(_ dimension: Int) -> Int {
        Int(StableHash.mix(StableHash.fnv1a("<no-features>")) % UInt64(dimension))
    }

    /// True when `text` is empty or only white space.
    static func isBlank(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { isBlank($0) }
    }

    /// True when every byte is ASCII white space, or the text is Unicode white space only.
    static func isBlank(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var ascii = true
        for byte in bytes {
            switch byte {
            case 32, 9...13: continue
            case 0x80...: ascii = false
            default: return false
            }
        }
        return ascii || String(decoding: bytes, as: UTF8.self).allSatisfy(\.isWhitespace)
    }
}

/// The output rows, written by several workers, each to rows of its own.
private struct OutputRows: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
}
