import StrataText

extension CodeEmbedder.Weights {
    /// The weights as bytes, for the store's catalog (see the layout on ``CodeEmbedder/Weights``).
    ///
    /// A fit on 25,000 functions takes about 1 MiB; ``uniform`` about 30 bytes.
    public func serialized() -> [UInt8] {
        var payload: [UInt8] = []
        payload.reserveCapacity(documentCount == 0 ? 8 : Self.bucketCount)
        func append(_ value: UInt64) {
            var v = value
            while v >= 0x80 {
                payload.append(UInt8(truncatingIfNeeded: v) | 0x80)
                v >>= 7
            }
            payload.append(UInt8(v))
        }
        var zeros = 0
        for bucket in 0..<Self.bucketCount {
            let frequency = documentCount == 0 ? 0 : documentFrequencies[bucket]
            if frequency == 0 {
                zeros += 1
                continue
            }
            if zeros > 0 { append(UInt64(zeros - 1) << 1 | 1); zeros = 0 }
            append(UInt64(frequency) << 1)
        }
        if zeros > 0 { append(UInt64(zeros - 1) << 1 | 1) }

        var bytes = Self.magic
        bytes.reserveCapacity(Self.headerSize + payload.count)
        appendLittleEndian(UInt64(Self.formatVersion), size: 2, to: &bytes)
        bytes.append(UInt8(Self.bucketBits))
        bytes.append(0)
        appendLittleEndian(UInt64(documentCount), size: 8, to: &bytes)
        appendLittleEndian(checksum(payload[...]), size: 8, to: &bytes)
        bytes += payload
        return bytes
    }

    /// Reads weights written by ``serialized()``.
    ///
    /// - Throws: ``EmbeddingError/invalidArgument(name:value:expected:)`` naming what is wrong
    ///   (magic, version, bucket bits, checksum, payload) when the bytes are not weights of this
    ///   format; refit with ``fit(corpus:threads:)`` to recover.
    public init(serialized bytes: [UInt8]) throws(EmbeddingError) {
        func fail(_ value: String, _ expected: String) -> EmbeddingError {
            .invalidArgument(name: "code embedder weights", value: value, expected: expected + "; refit the weights on the corpus")
        }
        guard bytes.count >= Self.headerSize else {
            throw fail("\(bytes.count) bytes", "at least a \(Self.headerSize)-byte header")
        }
        guard Array(bytes[0..<4]) == Self.magic else { throw fail("magic \(Array(bytes[0..<4]))", "\"SCEW\"") }
        let version = readLittleEndian(bytes, at: 4, size: 2)
        guard version == UInt64(Self.formatVersion) else {
            throw fail("version \(version)", "version \(Self.formatVersion)")
        }
        guard Int(bytes[6]) == Self.bucketBits, bytes[7] == 0 else {
            throw fail("bucket bits \(bytes[6])", "\(Self.bucketBits)")
        }
        let documentCount = readLittleEndian(bytes, at: 8, size: 8)
        guard documentCount <= UInt64(Int32.max) else { throw fail("document count \(documentCount)", "a count below 2^31") }
        let payload = bytes[Self.headerSize...]
        let stored = readLittleEndian(bytes, at: 16, size: 8)
        guard checksum(payload) == stored else { throw fail("a payload whose checksum does not match", "intact bytes") }

        var frequencies = [UInt32](repeating: 0, count: Self.bucketCount)
        var bucket = 0
        var i = payload.startIndex
        while i < payload.endIndex {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard i < payload.endIndex, shift < 64 else { throw fail("a truncated varint", "whole varints") }
                let byte = payload[i]
                i += 1
                value |= UInt64(byte & 0x7f) << shift
                if byte < 0x80 { break }
                shift += 7
            }
            if value & 1 == 1 {
                guard value >> 1 < UInt64(Self.bucketCount - bucket) else { throw fail("too many buckets", "\(Self.bucketCount) buckets") }
                bucket += Int(value >> 1) + 1
            } else {
                guard bucket < Self.bucketCount else { throw fail("too many buckets", "\(Self.bucketCount) buckets") }
                let frequency = value >> 1
                guard frequency <= documentCount else {
                    throw fail("frequency \(frequency) for \(documentCount) documents", "at most the document count")
                }
                frequencies[bucket] = UInt32(frequency)
                bucket += 1
            }
        }
        guard bucket == Self.bucketCount else { throw fail("\(bucket) buckets", "\(Self.bucketCount) buckets") }
        try self.init(documentCount: Int(documentCount), documentFrequencies: frequencies)
    }
}

private func appendLittleEndian(_ value: UInt64, size: Int, to bytes: inout [UInt8]) {
    for k in 0..<size { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(8 * k))) }
}

private func readLittleEndian(_ bytes: [UInt8], at offset: Int, size: Int) -> UInt64 {
    var value: UInt64 = 0
    for k in 0..<size { value |= UInt64(bytes[offset + k]) << UInt64(8 * k) }
    return value
}

private func checksum(_ payload: ArraySlice<UInt8>) -> UInt64 {
    var hash = StableHash.fnvOffset
    for byte in payload { hash = (hash ^ UInt64(byte)) &* StableHash.fnvPrime }
    return hash
}
