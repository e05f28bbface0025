extension BraceHeader {
    /// Words that may precede a Swift declaration keyword.
    static let swiftModifiers: Set<String> = [
        "public", "private", "fileprivate", "internal", "open", "package", "static", "class", "final",
        "override", "mutating", "nonmutating", "required", "convenience", "dynamic", "lazy", "weak",
        "unowned", "nonisolated", "isolated", "indirect", "optional", "prefix", "postfix", "infix",
        "distributed", "consuming", "borrowing", "__consuming",
    ]

    /// Keywords whose braces are not a declaration's body: properties, observers,
    /// accessors, control flow, closures in expressions.
    private static let swiftOpaque: Set<String> = [
        "var", "let", "if", "guard", "else", "for", "while", "switch", "do", "catch", "repeat", "defer",
        "return", "case", "willSet", "didSet", "get", "set", "_modify", "_read", "init_accessor", "throw",
        "macro", "#if", "#else", "#elseif",
    ]

    /// Words after `class` that make it a modifier (`class func`, `class var`), not a type.
    private static let swiftClassModifierFollowers: Set<String> = swiftModifiers.union([
        "func", "var", "let", "subscript", "init", "deinit", "typealias",
    ])

    /// Reads a Swift header backwards from the brace; the latest declaration keyword at
    /// bracket depth 0 decides (`let x = 1` then `func f() {` on the next line is a function).
    ///
    /// `func`, `init`, `deinit`, `subscript` are functions (methods in a type);
    /// `class`/`actor` → class, `struct`, `enum`, `protocol` → interface, `extension` →
    /// extension named by the extended type (`extension Foo.Bar: P where …`). Operators are
    /// named by their symbol; `var name: Type {` is a computed property. Stored properties
    /// with observers or closure initializers, accessors and control flow claim the brace
    /// without a unit.
    func classifySwift() -> BraceDeclaration? {
        for k in topLevelBackwards() where isWord(k) && !followsDot(k) {
            let word = text(k)
            switch word {
            case "func":
                guard contains(k + 1), !isOpening(k + 1) else { return nil }
                var name = text(k + 1)
                // `func ==<T>(…)`: the operator token swallowed the generic's `<`.
                if tokens[k + 1].kind == .punct, name.count > 1, name.hasSuffix("<") { name.removeLast() }
                return swiftMember(name, keyword: k, nameToken: k + 1)
            case "init":
                guard isPunct(k + 1, "(") || isPunct(k + 1, "?") || isPunct(k + 1, "!") || startsWithAngle(k + 1)
                else { return nil }
                return swiftMember("init", keyword: k, nameToken: k)
            case "deinit":
                return k + 1 == brace ? swiftMember("deinit", keyword: k, nameToken: k) : nil
            case "subscript":
                guard isPunct(k + 1, "(") || startsWithAngle(k + 1) else { return nil }
                return swiftMember("subscript", keyword: k, nameToken: k)
            case "class", "struct", "enum", "actor", "protocol", "extension":
                if let type = swiftType(word, keyword: k) { return type }
                // `protocol P: class {` or `class func`: keep looking further back.
                if word == "class" || word == "actor" { continue }
                return nil
            case "var":
                return swiftComputedProperty(keyword: k)
            default:
                if BraceHeader.swiftOpaque.contains(word) { return nil }
            }
        }
        return nil
    }

    /// `var name: Type {` with no `=` (an initializer makes the braces observers or a
    /// closure, not a getter).
    private func swiftComputedProperty(keyword k: Int) -> BraceDeclaration? {
        guard isWord(k + 1), isPunct(k + 2, ":") else { return nil }
        var j = k + 2
        while j < brace {
            if isPunct(j, "=") { return nil }
            j = next(after: j)
        }
        return BraceDeclaration(
            name: text(k + 1), kind: .property, nameToken: k + 1,
            firstToken: declarationStart(from: k, modifiers: BraceHeader.swiftModifiers)
        )
    }

    private func startsWithAngle(_ k: Int) -> Bool {
        contains(k) && tokens[k].kind == .punct && bytes[tokens[k].start] == UInt8(ascii: "<")
    }

    private func swiftMember(_ name: String, keyword: Int, nameToken: Int) -> BraceDeclaration {
        BraceDeclaration(
            name: name, kind: .function, nameToken: nameToken,
            firstToken: declarationStart(from: keyword, modifiers: BraceHeader.swiftModifiers)
        )
    }

    private func swiftType(_ keyword: String, keyword k: Int) -> BraceDeclaration? {
        guard isWord(k + 1), !BraceHeader.swiftOpaque.contains(text(k + 1)) else { return nil }
        if keyword == "class", BraceHeader.swiftClassModifierFollowers.contains(text(k + 1)) { return nil }
        var name = text(k + 1)
        var after = k + 2
        if keyword == "extension" {
            while isPunct(after, "."), isWord(after + 1) {
                name += "." + text(after + 1)
                after += 2
            }
        }
        // What may follow a type's name: its body, inheritance, generics, a where clause.
        guard after == brace || isPunct(after, ":") || startsWithAngle(after) || isWord(after, "where") else { return nil }
        let kind: SourceUnit.Kind = switch keyword {
        case "struct": .struct
        case "enum": .enum
        case "protocol": .interface
        case "extension": .extension
        default: .class
        }
        let modifiers = BraceHeader.swiftModifiers.subtracting(["class"])
        return BraceDeclaration(
            name: name, kind: kind, nameToken: k + 1,
            firstToken: declarationStart(from: k, modifiers: modifiers), reportsMembers: true
        )
    }
}
