import Foundation

extension SentenceEncoder {
    /// Embeds texts: one unit-length row of `dimension` floats per text, in order.
    ///
    /// Texts are tokenized (truncated at `maxTokens`), sorted by length and cut into batches
    /// of `configuration.batchSize`, which `configuration.threads` workers take in turn.
    ///
    /// - Parameter texts: Any texts; megabyte-long ones cost no more than `maxTokens` tokens.
    /// - Returns: `texts.count × dimension` floats, row-major.
    /// - Throws: `EmbeddingError.emptyText(id: "#i")` for the first text that is empty or
    ///   white space only (`i` its index).
    /// - Complexity: O(tokens · (hidden² + hidden · intermediate) + tokens · length · hidden).
    public func embed(_ texts: [String]) throws(EmbeddingError) -> [Float] {
        var sequences: [[Int32]] = []
        sequences.reserveCapacity(texts.count)
        for (index, text) in texts.enumerated() {
            guard text.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else {
                throw .emptyText(id: "#\(index)")
            }
            sequences.append(tokenizer.tokenize(text, maxTokens: maxTokens))
        }
        return embed(tokenIDs: sequences)
    }

    /// Embeds sequences that are already token ids (for distillation and tests).
    ///
    /// Each row should start with `[CLS]` and end with `[SEP]`. A row longer than `maxTokens`
    /// keeps its first `maxTokens - 1` ids and its last; an id outside the vocabulary counts as
    /// `[UNK]`; an empty row is read as `[CLS] [SEP]`.
    ///
    /// - Returns: `tokenIDs.count × dimension` floats, row-major, each row of unit length.
    public func embed(tokenIDs: [[Int32]]) -> [Float] {
        let sequences = tokenIDs.map(sanitized)
        let order = sequences.indices.sorted { sequences[$0].count > sequences[$1].count }
        let batchSize = configuration.batchSize
        let batches = stride(from: 0, to: order.count, by: batchSize).map { $0..<min($0 + batchSize, order.count) }
        let h = dimension
        var output = [Float](repeating: 0, count: sequences.count * h)
        output.withUnsafeMutableBufferPointer { buffer in
            let shared = SharedOutput(base: buffer.baseAddress!)
            let queue = BatchQueue(count: batches.count)
            let workers = max(1, min(configuration.threads, batches.count))
            let run: @Sendable (Int) -> Void = { _ in
                let workspace = workspaces.acquire()
                defer { workspaces.release(workspace) }
                var pooled = [Float](repeating: 0, count: batchSize * h)
                while let next = queue.take() {
                    let range = batches[next]
                    let batch = ArraySlice(range.map { sequences[order[$0]] })
                    pooled.withUnsafeMutableBufferPointer { pool in
                        weights.encode(batch, workspace: workspace, output: pool.baseAddress!)
                        for (row, position) in range.enumerated() {
                            // Each text's row is written by exactly one worker.
                            (shared.base + order[position] * h).update(from: pool.baseAddress! + row * h, count: h)
                        }
                    }
                }
            }
            if workers == 1 { run(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: run) }
        }
        return output
    }

    /// A row cut to `maxTokens` (its last id kept), ids outside the vocabulary as `[UNK]`.
    private func sanitized(_ row: [Int32]) -> [Int32] {
        guard !row.isEmpty else { return [tokenizer.classifierID, tokenizer.separatorID] }
        var out = row.count > maxTokens ? Array(row.prefix(maxTokens - 1)) + [row.last!] : row
        let limit = Int32(architecture.vocabularySize)
        for index in out.indices where out[index] < 0 || out[index] >= limit { out[index] = tokenizer.unknownID }
        return out
    }
}

/// The output matrix, written by several workers at disjoint rows.
private struct SharedOutput: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
}

/// Hands out batch numbers 0..<count, each once, to whichever worker asks first.
private final class BatchQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private let count: Int

    init(count: Int) { self.count = count }

    func take() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < count else { return nil }
        next += 1
        return next - 1
    }
}
