extension BraceHeader {
    /// 1 at an opening bracket, -1 at a closing one, 0 at any other token.
    private func bracketDelta(_ k: Int) -> Int {
        let token = tokens[k]
        guard token.kind == .punct, token.end - token.start == 1 else { return 0 }
        switch bytes[token.start] {
        case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"): return 1
        case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"): return -1
        default: return 0
        }
    }

    func isOpening(_ k: Int) -> Bool { contains(k) && bracketDelta(k) == 1 }
    func isClosing(_ k: Int) -> Bool { contains(k) && bracketDelta(k) == -1 }

    /// The opening bracket matching the closing one at `k`, within the header.
    func matchingOpen(_ k: Int) -> Int? {
        var depth = 0
        var j = k
        while j >= start {
            depth += bracketDelta(j)
            if depth == 0 { return j }
            j -= 1
        }
        return nil
    }

    /// The closing bracket matching the opening one at `k`, within the header.
    func matchingClose(_ k: Int) -> Int? {
        var depth = 0
        var j = k
        while j < brace {
            depth += bracketDelta(j)
            if depth == 0 { return j }
            j += 1
        }
        return nil
    }

    /// The next token index after `k` at the same bracket depth (skipping a bracketed group).
    func next(after k: Int) -> Int {
        if isOpening(k), let close = matchingClose(k) { return close + 1 }
        return k + 1
    }

    /// Indices of the header's tokens at bracket depth 0, first to last.
    func topLevel() -> [Int] {
        var result: [Int] = []
        var k = start
        while k < brace {
            result.append(k)
            k = next(after: k)
        }
        return result
    }

    /// Indices of the header's tokens at bracket depth 0, from the brace back to the first,
    /// read lazily; a closing bracket whose opening one is not in the header ends them.
    func topLevelBackwards() -> UnfoldSequence<Int, Int> {
        sequence(state: brace - 1) { k in
            while k >= start, isClosing(k) {
                guard let open = matchingOpen(k) else { return nil }
                k = open - 1
            }
            guard k >= start else { return nil }
            defer { k -= 1 }
            return k
        }
    }

    /// Index just before a generic argument list ending at `k` (`Foo<T>`), counting `<` and
    /// `>` inside operator tokens; `k` itself when it does not end one.
    func skipAngleBrackets(endingAt k: Int) -> Int {
        guard contains(k), tokens[k].kind == .punct, bytes[tokens[k].end - 1] == UInt8(ascii: ">") else { return k }
        var depth = 0
        var j = k
        while j >= start {
            if tokens[j].kind == .punct {
                for offset in tokens[j].start..<tokens[j].end {
                    if bytes[offset] == UInt8(ascii: ">") { depth += 1 }
                    if bytes[offset] == UInt8(ascii: "<") { depth -= 1 }
                }
                if depth <= 0 { return j - 1 }
            }
            j -= 1
        }
        return k
    }

    /// The `)` at depth 0 closest before the brace, passing over a return type, `throws`
    /// clause or `where` clause; `nil` if an assignment or arrow comes first.
    func lastParameterListClose() -> Int? {
        var k = brace - 1
        while k >= start {
            if isPunct(k, ")") { return k }
            if isClosing(k) {
                guard let open = matchingOpen(k) else { return nil }
                k = open - 1
                continue
            }
            if isPunct(k, "=") || isPunct(k, "=>") || isPunct(k, ";") { return nil }
            k -= 1
        }
        return nil
    }
}
