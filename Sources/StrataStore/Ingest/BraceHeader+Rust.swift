extension BraceHeader {
    static let rustModifiers: Set<String> = ["pub", "unsafe", "async", "const", "extern", "default", "crate"]

    /// Reads a Rust item header forwards: the first item keyword at bracket depth 0 decides,
    /// so `fn f() -> impl Iterator {` is a function and `impl Display for Point {` an `impl`.
    ///
    /// `fn` → function (method inside `impl`/`trait`), `struct`/`union` → struct, `enum`,
    /// `trait` → interface, `impl` → extension named by the implementing type (the type after
    /// `for` when there is one, without generics or path), `mod` → namespace. Attributes
    /// (`#[…]`) and `pub(crate)`, `unsafe`, `async`, `const`, `extern "C"` belong to the unit.
    func classifyRust() -> BraceDeclaration? {
        for k in topLevel() where isWord(k) && !followsDot(k) {
            switch text(k) {
            case "fn":
                guard isWord(k + 1) else { return nil }
                return rustItem(text(k + 1), .function, keyword: k, nameToken: k + 1, members: false)
            case "struct", "union":
                guard isWord(k + 1) else { return nil }
                return rustItem(text(k + 1), .struct, keyword: k, nameToken: k + 1, members: false)
            case "enum":
                guard isWord(k + 1) else { return nil }
                return rustItem(text(k + 1), .enum, keyword: k, nameToken: k + 1, members: false)
            case "trait":
                guard isWord(k + 1) else { return nil }
                return rustItem(text(k + 1), .interface, keyword: k, nameToken: k + 1, members: true)
            case "mod":
                guard isWord(k + 1) else { return nil }
                var item = rustItem(text(k + 1), .extension, keyword: k, nameToken: k + 1, members: true)
                item.isNamespace = true
                return item
            case "impl":
                guard let (name, token) = rustImplementedType(after: k) else { return nil }
                return rustItem(name, .extension, keyword: k, nameToken: token, members: true)
            case "let", "static", "type", "use", "macro_rules", "if", "match", "while", "loop", "for":
                return nil
            default:
                continue
            }
        }
        return nil
    }

    private func rustItem(
        _ name: String, _ kind: SourceUnit.Kind, keyword: Int, nameToken: Int, members: Bool
    ) -> BraceDeclaration {
        BraceDeclaration(
            name: name, kind: kind, nameToken: nameToken,
            firstToken: declarationStart(from: keyword, modifiers: BraceHeader.rustModifiers), reportsMembers: members
        )
    }

    /// `impl<T> Trait for path::Type<T> where … {` → `Type`.
    private func rustImplementedType(after keyword: Int) -> (String, Int)? {
        var k = keyword + 1
        // The impl's own generic parameters.
        if contains(k), tokens[k].kind == .punct, bytes[tokens[k].start] == UInt8(ascii: "<") {
            var depth = 0
            while k < brace {
                if tokens[k].kind == .punct {
                    for offset in tokens[k].start..<tokens[k].end {
                        if bytes[offset] == UInt8(ascii: "<") { depth += 1 }
                        if bytes[offset] == UInt8(ascii: ">") { depth -= 1 }
                    }
                }
                k += 1
                if depth <= 0 { break }
            }
        }
        var typeStart = k
        var j = k
        while j < brace, !isWord(j, "where") {
            if isWord(j, "for") { typeStart = j + 1 }
            j = next(after: j)
        }
        // The last path segment before the type's generic arguments.
        var result: (String, Int)?
        j = typeStart
        while j < brace, !isWord(j, "where") {
            if tokens[j].kind == .punct, bytes[tokens[j].start] == UInt8(ascii: "<") { break }
            if isWord(j), !["dyn", "mut", "const", "unsafe"].contains(text(j)) { result = (text(j), j) }
            j += 1
        }
        return result
    }
}
