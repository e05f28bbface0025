import Foundation
import StrataKernels
import StrataText

/// The distinct words of every pattern, with their document frequencies: the input of the
/// report's TF-IDF.
///
/// The texts are read in chunks on every core, each chunk keeping its patterns' distinct
/// word hashes; the chunks are then interned in order on one thread, so word ids (and the
/// spelling kept for each word) do not depend on the thread count. A pattern's words are kept
/// once each (CSR layout).
package struct TokenIndex {
    /// The text of each interned word, as first written.
    package private(set) var vocabulary: [String] = []
    /// Patterns using each word.
    private(set) var documentFrequency: [Int32] = []
    /// Pattern `i`'s distinct word ids are `tokens[offsets[i]..<offsets[i + 1]]`.
    package private(set) var offsets: [Int] = [0]
    package private(set) var tokens: [Int32] = []

    package var documentCount: Int { offsets.count - 1 }

    /// Patterns per chunk: enough to amortise a chunk's tables, small enough to balance.
    static let chunkSize = 512

    /// One chunk's reading: each pattern's distinct hashes, and the spelling of each hash.
    private struct Chunk {
        var hashes: [UInt64] = []
        var offsets: [Int] = [0]
        var spellings: [UInt64: String] = [:]
    }

    private final class Chunks: @unchecked Sendable {
        // Each worker writes only the slots of the chunks it claimed.
        var slots: [Chunk]
        init(_ count: Int) { slots = Array(repeating: Chunk(), count: count) }
    }

    package init(texts: [String], minimumLength: Int, threads: Int = Parallel.coreCount) {
        let words = IdentifierWords(minimumLength: minimumLength)
        let chunkCount = (texts.count + Self.chunkSize - 1) / Self.chunkSize
        let chunks = Chunks(chunkCount)
        Parallel.forEach(chunkCount, threads: threads) { _, chunk in
            var reading = Chunk()
            var seen = Set<UInt64>()
            for document in (chunk * Self.chunkSize)..<min(texts.count, (chunk + 1) * Self.chunkSize) {
                seen.removeAll(keepingCapacity: true)
                words.forEachWord(in: texts[document]) { hash, word in
                    guard seen.insert(hash).inserted else { return }
                    reading.hashes.append(hash)
                    if reading.spellings[hash] == nil { reading.spellings[hash] = String(decoding: word, as: UTF8.self) }
                }
                reading.offsets.append(reading.hashes.count)
            }
            chunks.slots[chunk] = reading
        }
        var ids: [UInt64: Int32] = [:]
        for chunk in chunks.slots {
            let base = tokens.count
            tokens.reserveCapacity(base + chunk.hashes.count)
            for hash in chunk.hashes {
                let id: Int32
                if let known = ids[hash] {
                    id = known
                } else {
                    id = Int32(vocabulary.count)
                    ids[hash] = id
                    vocabulary.append(chunk.spellings[hash]!)
                    documentFrequency.append(0)
                }
                documentFrequency[Int(id)] += 1
                tokens.append(id)
            }
            for end in chunk.offsets.dropFirst() { offsets.append(base + end) }
        }
    }

    /// The distinct word ids of pattern `document`.
    package func words(of document: Int) -> ArraySlice<Int32> { tokens[offsets[document]..<offsets[document + 1]] }

    /// ln(N / df): 0 for a word every pattern uses.
    package func inverseFrequency(_ token: Int32) -> Double {
        log(Double(documentCount) / Double(max(documentFrequency[Int(token)], 1)))
    }

    /// The `limit` words that best set apart the patterns in `members` from all patterns:
    /// the share of members using a word × its inverse document frequency.
    ///
    /// A word most members use and few other patterns do scores highest; a word every
    /// pattern uses scores 0, however common it is in the group.
    package func distinctive(_ members: [Int], limit: Int, counts: inout [Int32]) -> [WeightedToken] {
        guard !members.isEmpty else { return [] }
        if counts.count < vocabulary.count { counts = [Int32](repeating: 0, count: vocabulary.count) }
        var touched: [Int32] = []
        for member in members {
            for token in words(of: member) {
                if counts[Int(token)] == 0 { touched.append(token) }
                counts[Int(token)] += 1
            }
        }
        let size = Double(members.count)
        var scored = touched.map { token in
            (token: token, weight: Double(counts[Int(token)]) / size * inverseFrequency(token))
        }
        for token in touched { counts[Int(token)] = 0 }
        // Ties broken by the word itself, so equal inputs give equal reports.
        scored.sort { $0.weight != $1.weight ? $0.weight > $1.weight : vocabulary[Int($0.token)] < vocabulary[Int($1.token)] }
        return scored.prefix(limit).filter { $0.weight > 0 }.map { WeightedToken(token: vocabulary[Int($0.token)], weight: $0.weight) }
    }

    /// The words every one of `members` uses: those in `preferred` first, in its order (the
    /// words that mark the group's cluster say what the group is about), then the rest,
    /// rarest in the whole set first.
    package func shared(by members: [Int], preferring preferred: [String] = [], limit: Int) -> [String] {
        guard let first = members.first else { return [] }
        var common = Set(words(of: first))
        for member in members.dropFirst() { common.formIntersection(words(of: member)) }
        let words = common.map { vocabulary[Int($0)] }
        let leading = preferred.filter(words.contains)
        let rest = common.filter { !leading.contains(vocabulary[Int($0)]) }
            .sorted { documentFrequency[Int($0)] != documentFrequency[Int($1)] ? documentFrequency[Int($0)] < documentFrequency[Int($1)] : vocabulary[Int($0)] < vocabulary[Int($1)] }
            .map { vocabulary[Int($0)] }
        return Array((leading + rest).prefix(limit))
    }
}
