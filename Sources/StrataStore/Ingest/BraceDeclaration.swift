/// What a classifier found in front of a `{`.
struct BraceDeclaration {
    /// The name relative to the enclosing scope (a Go method's is already `Receiver.name`).
    var name: String
    /// `.function` inside a type becomes `.method` in the walker.
    var kind: SourceUnit.Kind
    /// The token of the name (its line is the unit's declaration line).
    var nameToken: Int
    /// The first token of the declaration: its first attribute or modifier.
    var firstToken: Int
    /// Whether declarations in the body are reported (types, extensions, namespaces).
    var reportsMembers: Bool = false
    /// A namespace (Rust `mod`, TypeScript `namespace`) qualifies its members' names but is
    /// no unit itself.
    var isNamespace: Bool = false
}
