
/// Byte offsets of the start of every line of a file.
struct LineTable {
    /// `starts[i]` is the offset of line `i`'s first byte; a final entry marks the end.
    private(set) var starts: [Int]

    init(_ bytes: [UInt8]) {
        var starts = [0]
        starts.reserveCapacity(bytes.count / 32 + 2)
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            starts.append(offset + 1)
        }
        // A final newline does not open a line of its own: the offset after it becomes the
        // end marker. Otherwise the marker sits one past the end, where a newline would be.
        if bytes.isEmpty || starts.last != bytes.count { starts.append(bytes.count + 1) }
        self.starts = starts
    }

    /// The number of lines (an empty file has one, empty, line).
    var count: Int { starts.count - 1 }

    /// Lines `first...last` of `bytes`, without the final line break.
    func text(_ bytes: [UInt8], from first: Int, through last: Int) -> String {
        let start = starts[first]
        var end = min(starts[last + 1] - 1, bytes.count)
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }
}
