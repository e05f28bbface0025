extension BraceHeader {
    static let javaScriptModifiers: Set<String> = [
        "export", "default", "async", "static", "get", "set", "public", "private", "protected", "readonly",
        "abstract", "override", "declare", "accessor", "const",
    ]

    /// Words that look like a call's name before `(…) {` but are control flow.
    private static let javaScriptControl: Set<String> = [
        "if", "for", "while", "switch", "catch", "with", "function", "return", "do", "else", "try", "finally",
    ]

    /// Reads a JavaScript or TypeScript header.
    ///
    /// At file and namespace level: `class`, `interface`, `enum` (TypeScript), `namespace`,
    /// `function name(`, and `const|let|var name = (…) => {` or `= function (…) {`. In a class
    /// body: methods (`name(…) {`, with `static`, `async`, `get`/`set`, `*`, `#private`,
    /// decorators) and arrow-function fields (`name = (…) => {`).
    ///
    /// Functions passed as arguments (`app.get("/", (req, res) => {`), object-literal
    /// methods and functions returned from calls (`React.memo(() => {`) are not units: the
    /// brace sits inside parentheses or an expression, and only the enclosing statement
    /// (if any) is one.
    func classifyJavaScript() -> BraceDeclaration? {
        if inType { return javaScriptMember() }
        if let type = javaScriptType() { return type }
        if isPunct(brace - 1, "=>") { return javaScriptBinding(kind: .function) }
        return javaScriptFunction()
    }

    private func javaScriptType() -> BraceDeclaration? {
        for k in topLevel() where isWord(k) && !followsDot(k) {
            let word = text(k)
            let kind: SourceUnit.Kind
            switch word {
            case "class": kind = .class
            case "interface": kind = .interface
            case "enum": kind = .enum
            case "namespace", "module":
                guard isWord(k + 1) else { return nil }   // `declare module "x" {`
                var name = text(k + 1)
                var after = k + 2
                while isPunct(after, "."), isWord(after + 1) { name += "." + text(after + 1); after += 2 }
                return BraceDeclaration(name: name, kind: .extension, nameToken: k + 1, firstToken: k, reportsMembers: true, isNamespace: true)
            case "function":
                return nil   // `function f() { … }` is decided by javaScriptFunction
            default:
                continue
            }
            let firstToken = declarationStart(from: k, modifiers: BraceHeader.javaScriptModifiers)
            if isWord(k + 1), !["extends", "implements"].contains(text(k + 1)) {
                return BraceDeclaration(name: text(k + 1), kind: kind, nameToken: k + 1, firstToken: firstToken, reportsMembers: kind == .class)
            }
            // `const Name = class {`.
            guard kind == .class, var binding = javaScriptBinding(kind: .class) else { return nil }
            binding.reportsMembers = true
            return binding
        }
        return nil
    }

    /// `const|let|var name[: Type] = …` in front of the brace.
    private func javaScriptBinding(kind: SourceUnit.Kind) -> BraceDeclaration? {
        for k in topLevel() where isWord(k) && ["const", "let", "var"].contains(text(k)) {
            guard isWord(k + 1) else { return nil }
            let firstToken = declarationStart(from: k, modifiers: BraceHeader.javaScriptModifiers)
            return BraceDeclaration(name: text(k + 1), kind: kind, nameToken: k + 1, firstToken: firstToken)
        }
        return nil
    }

    /// `function name(…) {`, `function* name`, `async function name`, or an anonymous
    /// function expression bound by `const name =` or assigned to `exports.name =`.
    private func javaScriptFunction() -> BraceDeclaration? {
        guard let close = lastParameterListClose(), let open = matchingOpen(close) else { return nil }
        let p = skipAngleBrackets(endingAt: open - 1)
        var keyword = p - 1
        if isPunct(keyword, "*") { keyword -= 1 }
        if isWord(p), isWord(keyword, "function") {
            let firstToken = declarationStart(from: keyword, modifiers: BraceHeader.javaScriptModifiers)
            return BraceDeclaration(name: text(p), kind: .function, nameToken: p, firstToken: firstToken)
        }
        var anonymous = p
        if isPunct(anonymous, "*") { anonymous -= 1 }
        guard isWord(anonymous, "function") else { return nil }
        if let binding = javaScriptBinding(kind: .function) { return binding }
        var assigned = anonymous - 1
        if isWord(assigned, "async") { assigned -= 1 }
        guard isPunct(assigned, "="), isWord(assigned - 1) else { return nil }
        var first = assigned - 1
        while isPunct(first - 1, "."), isWord(first - 2) { first -= 2 }
        return BraceDeclaration(name: text(assigned - 1), kind: .function, nameToken: assigned - 1, firstToken: first)
    }

    private func javaScriptMember() -> BraceDeclaration? {
        if isPunct(brace - 1, "=>") {
            // An arrow-function field: `name = (…) => {`, `handle: Handler = async (e) => {`.
            let level = topLevel()
            guard let equals = level.first(where: { isPunct($0, "=") }) else { return nil }
            let annotation = level.first { $0 < equals && (isPunct($0, ":") || isPunct($0, "?:") || isPunct($0, "!:")) }
            let name = (annotation ?? equals) - 1
            guard isWord(name) else { return nil }
            let firstToken = declarationStart(from: name, modifiers: BraceHeader.javaScriptModifiers)
            return BraceDeclaration(name: text(name), kind: .function, nameToken: name, firstToken: firstToken)
        }
        guard let close = lastParameterListClose(), let open = matchingOpen(close) else { return nil }
        var name = skipAngleBrackets(endingAt: open - 1)
        if isPunct(name, "?") { name -= 1 }   // `optional?() {` in TypeScript
        guard isWord(name), !BraceHeader.javaScriptControl.contains(text(name)) else { return nil }
        guard !followsDot(name), !isPunct(name - 1, "="), !isWord(name - 1, "new") else { return nil }
        let firstToken = declarationStart(from: name, modifiers: BraceHeader.javaScriptModifiers)
        return BraceDeclaration(name: text(name), kind: .function, nameToken: name, firstToken: firstToken)
    }
}
