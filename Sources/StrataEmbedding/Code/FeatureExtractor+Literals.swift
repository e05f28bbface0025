extension FeatureExtractor {
    /// Where a string literal's content starts and ends, and where reading goes on after it.
    struct StringBounds {
        var contentStart: Int
        var contentEnd: Int
        var next: Int
    }

    /// The bounds of the string literal opening at `start`, or `nil` when a single-quoted
    /// literal does not close on its line (a Rust lifetime, an apostrophe in prose).
    static func stringEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> StringBounds? {
        let n = bytes.count
        let quote = bytes[start]
        if start + 2 < n, bytes[start + 1] == quote, bytes[start + 2] == quote {
            var i = start + 3
            while i < n {
                if bytes[i] == 92 { i += 2; continue }
                if bytes[i] == quote, i + 2 < n, bytes[i + 1] == quote, bytes[i + 2] == quote {
                    return StringBounds(contentStart: start + 3, contentEnd: i, next: i + 3)
                }
                i += 1
            }
            return StringBounds(contentStart: start + 3, contentEnd: n, next: n)
        }
        var i = start + 1
        while i < n {
            let c = bytes[i]
            if c == 92 { i += 2; continue }
            if c == quote { return StringBounds(contentStart: start + 1, contentEnd: i, next: i + 1) }
            if c == 10 && quote != 96 { return nil }
            i += 1
        }
        return nil
    }

    /// The length of the operator at `start`: a known two- or three-character operator, else 1.
    @inline(__always)
    static func operatorLength(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int {
        let n = bytes.count
        guard start + 1 < n else { return 1 }
        let a = bytes[start], b = bytes[start + 1]
        let c: UInt8 = start + 2 < n ? bytes[start + 2] : 0
        switch (a, b, c) {
        case (61, 61, 61), (33, 61, 61), (42, 42, 61), (47, 47, 61), (62, 62, 61), (60, 60, 61),
             (46, 46, 46), (46, 46, 60), (62, 62, 62), (38, 38, 61), (124, 124, 61), (63, 63, 61):
            return 3  // === !== **= //= >>= <<= ... ..< >>> &&= ||= ??=
        default:
            break
        }
        switch (a, b) {
        case (61, 61), (33, 61), (60, 61), (62, 61), (45, 62), (61, 62), (43, 61), (45, 61),
             (42, 61), (47, 61), (37, 61), (38, 61), (124, 61), (94, 61), (38, 38), (124, 124),
             (60, 60), (62, 62), (42, 42), (43, 43), (45, 45), (58, 58), (46, 46), (63, 63),
             (63, 46), (58, 61), (60, 45), (124, 62):
            return 2  // == != <= >= -> => += -= *= /= %= &= |= ^= && || << >> ** ++ -- :: .. ?? ?. := <- |>
        default:
            return 1
        }
    }
}
