extension BraceHeader {
    private static let javaControl: Set<String> = [
        "if", "for", "while", "switch", "catch", "synchronized", "try", "return", "new", "else", "do", "throw",
    ]

    /// Reads a Java header. Java ends every member with `;` or `}`, so the whole header —
    /// annotations, modifiers, type parameters, return type — is the declaration.
    ///
    /// `class`, `record`, `@interface`/`interface`, `enum` at any level; inside a type,
    /// methods and constructors (`name(…) [throws …] {`). Static and instance initializer
    /// blocks, enum constant bodies and anonymous classes are not units.
    func classifyJava() -> BraceDeclaration? {
        for k in topLevel() where isWord(k) && !followsDot(k) {
            let kind: SourceUnit.Kind
            switch text(k) {
            case "class": kind = .class
            case "interface": kind = .interface
            case "enum": kind = .enum
            case "record" where isWord(k + 1) && (isPunct(k + 2, "(") || isPunct(k + 2, "<")): kind = .class
            default: continue
            }
            guard isWord(k + 1) else { return nil }
            return BraceDeclaration(name: text(k + 1), kind: kind, nameToken: k + 1, firstToken: start, reportsMembers: true)
        }
        guard inType, let close = lastParameterListClose(), let open = matchingOpen(close) else { return nil }
        let name = open - 1
        guard isWord(name), !BraceHeader.javaControl.contains(text(name)) else { return nil }
        guard !followsDot(name), !isWord(name - 1, "new"), !topLevel().contains(where: { $0 < name && isPunct($0, "=") })
        else { return nil }
        // A method has a return type in front of its name (`void`, `List<T>`, `int[]`); a
        // constructor is named after its class. Enum constants with bodies, `RED("r") {`,
        // have neither.
        let returnType = isWord(name - 1) || isPunct(name - 1, "]") || (contains(name - 1) && bytes[tokens[name - 1].end - 1] == UInt8(ascii: ">"))
        let constructor = scopeName.split(separator: ".").last.map { $0 == text(name) } ?? false
        guard returnType || constructor else { return nil }
        return BraceDeclaration(name: text(name), kind: .function, nameToken: name, firstToken: start)
    }
}
