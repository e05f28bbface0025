extension BraceHeader {
    /// Reads a Go header: `func Name(`, `func (r *T) Name(` (method `T.Name`, generic
    /// receivers `(l *List[T])` too), `type Name struct {` / `interface {`, alone or inside a
    /// `type ( … )` group.
    ///
    /// A top-level `func` starts its line in gofmt'ed code; requiring that keeps function
    /// types in signatures (`func F() func() int {`) from being taken for the declaration.
    func classifyGo() -> BraceDeclaration? {
        if let type = goType() { return type }
        guard parenDepth == 0 else { return nil }
        for k in topLevelBackwards() where isWord(k, "func") && (k == start || tokens[k - 1].line != tokens[k].line) {
            return goFunction(keyword: k)
        }
        return nil
    }

    private func goType() -> BraceDeclaration? {
        let keyword = brace - 1
        let kind: SourceUnit.Kind
        if isWord(keyword, "struct") { kind = .struct } else if isWord(keyword, "interface") { kind = .interface } else { return nil }
        var name = keyword - 1
        if isPunct(name, "]"), let open = matchingOpen(name) { name = open - 1 }   // type Set[T comparable] struct
        guard isWord(name) else { return nil }
        let typeKeyword = isWord(name - 1, "type")
        // In a group, each type starts its own line: `type (\n\tA struct {`.
        let inGroup = parenDepth > 0 && (name == start || tokens[name - 1].line != tokens[name].line)
        guard typeKeyword || inGroup else { return nil }
        return BraceDeclaration(name: text(name), kind: kind, nameToken: name, firstToken: typeKeyword ? name - 1 : name)
    }

    private func goFunction(keyword k: Int) -> BraceDeclaration? {
        var p = k + 1
        var receiver: String?
        if isPunct(p, "("), let close = matchingClose(p) {
            // The receiver's type is its last word at depth 0: `(s *Server)`, `(Server)`,
            // `(l *List[T])`.
            var j = p + 1
            while j < close {
                if isWord(j) { receiver = text(j) }
                j = next(after: j)
            }
            guard receiver != nil else { return nil }
            p = close + 1
        }
        guard isWord(p), isPunct(p + 1, "(") || isPunct(p + 1, "[") else { return nil }
        let name = text(p)
        if let receiver {
            return BraceDeclaration(name: "\(receiver).\(name)", kind: .method, nameToken: p, firstToken: k)
        }
        return BraceDeclaration(name: name, kind: .function, nameToken: p, firstToken: k)
    }
}
