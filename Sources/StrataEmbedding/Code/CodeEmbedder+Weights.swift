import Foundation
import StrataKernels

extension CodeEmbedder {
    /// Inverse document frequencies for the built-in embedder, fitted on a store's corpus.
    ///
    /// Features are counted in ``bucketCount`` hashed buckets, independent of the output
    /// dimension, so one fit serves every dimension. A feature found in `df` of `N` documents
    /// weighs `ln((N + 1) / (df + 1)) + 1`: a feature in every function (`) :`, `self`) counts
    /// about 1, one in a single function about `ln N + 1`. ``uniform`` (no documents) weighs
    /// every feature 1, which is what an empty store uses until its first fit.
    ///
    /// ## Serialized form
    ///
    /// ```
    /// offset  size  field
    ///      0     4  magic "SCEW"
    ///      4     2  version (1), little-endian
    ///      6     1  bucket bits (20)
    ///      7     1  reserved, 0
    ///      8     8  document count N, little-endian
    ///     16     8  FNV-1a 64 of the payload, little-endian
    ///     24     …  payload: 2^bits document frequencies in bucket order, LEB128 varints,
    ///               a value v as v << 1, a run of r zero buckets as (r - 1) << 1 | 1
    /// ```
    public struct Weights: Sendable, Equatable {
        /// log2 of ``bucketCount``.
        public static let bucketBits = 20
        /// Number of hashed document-frequency buckets (2^20, 4 MiB in memory).
        public static let bucketCount = 1 << bucketBits
        /// Version of the serialized form.
        public static let formatVersion: UInt16 = 1
        static let magic: [UInt8] = Array("SCEW".utf8)
        static let headerSize = 24

        /// Documents the weights were fitted on.
        public let documentCount: Int
        /// Documents holding a feature of each bucket; empty when ``documentCount`` is 0.
        public let documentFrequencies: [UInt32]

        /// Weights that weigh every feature 1, for an embedder with no corpus yet.
        public static let uniform = Weights(uncheckedCount: 0, frequencies: [])

        /// Weights from raw counts.
        ///
        /// - Throws: ``EmbeddingError/invalidArgument(name:value:expected:)`` when
        ///   `documentFrequencies` has not ``bucketCount`` entries (or none with no documents)
        ///   or a frequency exceeds `documentCount`.
        public init(documentCount: Int, documentFrequencies: [UInt32]) throws(EmbeddingError) {
            guard documentCount >= 0 else {
                throw .invalidArgument(name: "documentCount", value: "\(documentCount)", expected: "0 or more")
            }
            if documentCount == 0 {
                guard documentFrequencies.allSatisfy({ $0 == 0 }) else {
                    throw .invalidArgument(name: "documentFrequencies", value: "non-zero counts",
                                           expected: "all zero when documentCount is 0")
                }
                self.init(uncheckedCount: 0, frequencies: [])
                return
            }
            guard documentFrequencies.count == Self.bucketCount else {
                throw .invalidArgument(name: "documentFrequencies", value: "\(documentFrequencies.count) buckets",
                                       expected: "\(Self.bucketCount) buckets")
            }
            if let high = documentFrequencies.first(where: { Int($0) > documentCount }) {
                throw .invalidArgument(name: "documentFrequencies", value: "\(high)",
                                       expected: "at most documentCount (\(documentCount))")
            }
            self.init(uncheckedCount: documentCount, frequencies: documentFrequencies)
        }

        init(uncheckedCount: Int, frequencies: [UInt32]) {
            documentCount = uncheckedCount
            documentFrequencies = uncheckedCount == 0 ? [] : frequencies
        }

        /// Counts, for every feature bucket, the documents of `corpus` holding it.
        ///
        /// Empty and white-space-only texts are skipped and not counted as documents.
        ///
        /// - Parameters:
        ///   - corpus: the store's pattern texts.
        ///   - threads: workers; defaults to every core.
        /// - Complexity: O(total text length), plus O(``bucketCount``) per worker to merge.
        public static func fit(corpus: [String], threads: Int = Parallel.coreCount) -> Weights {
            let chunk = 64
            let chunks = (corpus.count + chunk - 1) / chunk
            let workers = max(1, min(threads, chunks))
            let counts = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: workers * bucketCount)
            counts.initialize(repeating: 0)
            defer { counts.deallocate() }
            let documents = UnsafeMutableBufferPointer<Int>.allocate(capacity: workers)
            documents.initialize(repeating: 0)
            defer { documents.deallocate() }
            let scratches = (0..<workers).map { _ in FeatureScratch() }
            let shared = SharedBuffers(counts: counts, documents: documents)
            Parallel.forEach(chunks, threads: workers) { worker, item in
                let scratch = scratches[worker]
                let local = shared.counts.baseAddress! + worker * bucketCount
                for index in (item * chunk)..<min((item + 1) * chunk, corpus.count) {
                    var text = corpus[index]
                    let counted = text.withUTF8 { bytes -> Bool in
                        guard !CodeEmbedder.isBlank(bytes) else { return false }
                        FeatureExtractor.extract(bytes, into: scratch)
                        return true
                    }
                    guard counted else { continue }
                    shared.documents[worker] += 1
                    scratch.features.sort()
                    // Buckets are the top bits, so sorted features give sorted buckets.
                    var previous = -1
                    for feature in scratch.features {
                        let bucket = Int(feature >> UInt64(64 - bucketBits))
                        if bucket != previous {
                            local[bucket] &+= 1
                            previous = bucket
                        }
                    }
                }
            }
            var total = [UInt32](repeating: 0, count: bucketCount)
            for worker in 0..<workers {
                let local = counts.baseAddress! + worker * bucketCount
                for bucket in 0..<bucketCount { total[bucket] &+= local[bucket] }
            }
            return Weights(uncheckedCount: documents.reduce(0, +), frequencies: total)
        }

        /// These weights plus another fit's, as if both corpora had been fitted together:
        /// for adding documents without re-reading the old ones.
        public func merged(with other: Weights) -> Weights {
            if other.documentCount == 0 { return self }
            if documentCount == 0 { return other }
            var total = documentFrequencies
            for bucket in 0..<Self.bucketCount { total[bucket] &+= other.documentFrequencies[bucket] }
            return Weights(uncheckedCount: documentCount + other.documentCount, frequencies: total)
        }

        /// The IDF of every bucket, or `nil` for uniform weights.
        func inverseDocumentFrequencies() -> [Float]? {
            guard documentCount > 0 else { return nil }
            let documents = Double(documentCount) + 1
            return documentFrequencies.map { Float(log(documents / (Double($0) + 1)) + 1) }
        }
    }
}

/// Pointers shared by the fitting workers; each worker writes only its own slice.
private struct SharedBuffers: @unchecked Sendable {
    let counts: UnsafeMutableBufferPointer<UInt32>
    let documents: UnsafeMutableBufferPointer<Int>
}
