extension WordPieceTokenizer {
    /// Cuts one normalized word into vocabulary pieces, longest match first, and passes their
    /// ids to `body`; a word with no complete cut is one `[UNK]`.
    ///
    /// - Returns: What `body` last returned (false: stop tokenizing).
    /// - Complexity: O(n · `longestPiece`) dictionary lookups for a word of n scalars.
    func cut(_ word: [UInt32], _ body: (Int32) -> Bool) -> Bool {
        // UTF-8 of the word, with the byte offset where each scalar starts (and the end).
        var bytes: [UInt8] = []
        var offsets: [Int] = []
        bytes.reserveCapacity(word.count * 2)
        offsets.reserveCapacity(word.count + 1)
        for value in word {
            offsets.append(bytes.count)
            guard let scalar = Unicode.Scalar(value) else { return body(unknownID) }
            bytes.append(contentsOf: UTF8.encode(scalar).map { Array($0) } ?? [])
        }
        offsets.append(bytes.count)

        var ids: [Int32] = []
        var start = 0
        while start < word.count {
            var end = min(word.count, start + longestPiece)
            var found: Int32?
            while end > start {
                let piece = bytes[offsets[start]..<offsets[end]]
                let candidate = start > 0 ? "##" + String(decoding: piece, as: UTF8.self) : String(decoding: piece, as: UTF8.self)
                if let id = vocabulary[candidate] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let id = found else { return body(unknownID) }
            ids.append(id)
            start = end
        }
        for id in ids where !body(id) { return false }
        return true
    }
}
