extension PythonScanner {
    /// Whether `bytes[start..<end]` is a string prefix: at most two of `r`, `b`, `u`, `f` in
    /// any case (`rb"…"`, `F'…'`).
    ///
    /// Looser than Python, which rejects `bb`, `ub` and `uf`: a scanner that is never wrong
    /// about valid code need not reject invalid code.
    @inlinable
    public static func isStringPrefix(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
        guard end - start <= 2 else { return false }
        for i in start..<end {
            switch ByteClass.lowered(bytes[i]) {
            case 98, 102, 114, 117: continue  // b f r u
            default: return false
            }
        }
        return true
    }

    mutating func name() -> Token {
        let start = position
        // A local index: the loop then keeps it in a register instead of storing `position`.
        var end = position + 1
        while end < bytes.count, ByteClass.isNameByte(bytes[end]) { end += 1 }
        position = end
        // `rb"..."`, `f'...'`: a short run of prefix letters directly before a quote.
        if position < bytes.count, bytes[position] == 34 || bytes[position] == 39,
           bytes.withUnsafeBufferPointer({ Self.isStringPrefix($0, from: start, to: position) }) {
            return string(from: start, quoteAt: position)
        }
        return token(.name, from: start)
    }

    /// Reads the string whose prefix starts at `start` and whose quote is at `quoteIndex`.
    /// The line feeds it spans are reported as line starts after it.
    mutating func string(from start: Int, quoteAt quoteIndex: Int) -> Token {
        let column = start - lineOffset
        let n = bytes.count
        let quote = bytes[quoteIndex]
        let triple = quoteIndex + 2 < n && bytes[quoteIndex + 1] == quote && bytes[quoteIndex + 2] == quote
        position = quoteIndex + (triple ? 3 : 1)
        while position < n {
            let byte = bytes[position]
            if byte == 92 {
                // An escaped character (in raw strings too, where a backslash still keeps a
                // quote from closing the string); an escaped line break keeps the string open.
                position = isLineBreak(at: position + 1) ? position + (bytes[position + 1] == 13 ? 3 : 2) : min(position + 2, n)
            } else if byte == 10 {
                if !triple { break }
                position += 1
            } else if byte == quote, !triple || (position + 2 < n && bytes[position + 1] == quote && bytes[position + 2] == quote) {
                position += triple ? 3 : 1
                break
            } else {
                position += 1
            }
        }
        pending = quoteIndex
        pendingEnd = position
        return Token(kind: .string, start: start, end: position, line: lineNumber, column: column)
    }

    mutating func number() -> Token {
        let start = position
        var end = position
        while end < bytes.count {
            let byte = bytes[end]
            // 1e-5, but not 0x1e-5 (a hex number minus 5).
            let isExponentSign = (byte == 43 || byte == 45)
                && end > start && bytes[end - 1] | 0x20 == 101
                && !(bytes[start] == 48 && end > start + 1 && bytes[start + 1] | 0x20 == 120)
            guard ByteClass.isNameByte(byte) || byte == 46 || isExponentSign else { break }
            end += 1
        }
        position = end
        return token(.number, from: start)
    }

    mutating func op() -> Token {
        let start = position
        position += Self.operatorLength(bytes, at: position)
        if position == start + 1 {
            switch bytes[start] {
            case 40, 91, 123: bracketDepth += 1  // ( [ {
            case 41, 93, 125: bracketDepth = max(0, bracketDepth - 1)  // ) ] }
            default: break
            }
        }
        return token(.op, from: start)
    }

    /// The length of Python's operator at `start`: 3 for `**=`, `//=`, `>>=`, `<<=`, `...`; 2
    /// for `**`, `//`, `<<`, `>>`, `<=`, `>=`, `==`, `!=`, `->`, `:=` and the augmented
    /// assignments `+=` … `@=`; else 1.
    @inline(__always)
    static func operatorLength(_ bytes: [UInt8], at start: Int) -> Int {
        let n = bytes.count
        let a = bytes[start]
        let b: UInt8 = start + 1 < n ? bytes[start + 1] : 0
        // Every longer operator's second character is one of * / < > = . : most delimiters
        // (`(`, `,`, `)` before a name or a space) leave here.
        switch b {
        case 42, 47, 60, 62, 61, 46: break
        default: return 1
        }
        let c: UInt8 = start + 2 < n ? bytes[start + 2] : 0
        switch (a, b, c) {
        case (42, 42, 61), (47, 47, 61), (62, 62, 61), (60, 60, 61), (46, 46, 46):
            return 3  // **= //= >>= <<= ...
        default:
            break
        }
        switch (a, b) {
        case (42, 42), (47, 47), (60, 60), (62, 62), (60, 61), (62, 61), (61, 61), (33, 61), (45, 62), (58, 61),
             (43, 61), (45, 61), (42, 61), (47, 61), (37, 61), (38, 61), (124, 61), (94, 61), (64, 61):
            return 2  // ** // << >> <= >= == != -> := += -= *= /= %= &= |= ^= @=
        default:
            return 1
        }
    }
}
