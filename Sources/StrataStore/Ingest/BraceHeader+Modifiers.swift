extension BraceHeader {
    /// Walks back from a declaration's keyword or name over modifiers and attributes
    /// (`public static`, `@MainActor`, `@available(…)`, `private(set)`, `#[derive(…)]`,
    /// `pub(crate)`, `extern "C"`, TypeScript decorators), returning the first of them.
    func declarationStart(from k: Int, modifiers: Set<String>) -> Int {
        var first = k
        var p = k - 1
        while p >= start {
            if isWord(p) {
                if modifiers.contains(text(p)) { first = p; p -= 1; continue }
                if let at = attributeSign(endingAt: p) { first = at; p = at - 1; continue }
                break
            }
            if tokens[p].kind == .literal, language == .rust, isWord(p - 1, "extern") {
                first = p - 1; p -= 2; continue
            }
            if isPunct(p, "*"), language == .javascript || language == .typescript {
                first = p; p -= 1; continue   // a generator method, `*items() {`
            }
            guard isPunct(p, ")") || isPunct(p, "]"), let open = matchingOpen(p) else { break }
            if isPunct(p, "]") {
                // Rust `#[attribute]`.
                guard isPunct(open - 1, "#") else { break }
                first = open - 1; p = open - 2; continue
            }
            if isWord(open - 1), modifiers.contains(text(open - 1)) {
                first = open - 1; p = open - 2; continue
            }
            if isWord(open - 1), let at = attributeSign(endingAt: open - 1) {
                first = at; p = at - 1; continue
            }
            break
        }
        return first
    }

    /// The `@` of an attribute whose (possibly dotted) name ends at word `k`.
    private func attributeSign(endingAt k: Int) -> Int? {
        var q = k
        while isPunct(q - 1, "."), isWord(q - 2) { q -= 2 }
        return isPunct(q - 1, "@") ? q - 1 : nil
    }
}
