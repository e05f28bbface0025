/// A unit found by a language scanner: 0-based line indices, no text yet.
struct Declaration {
    var name: String
    var kind: SourceUnit.Kind
    /// The first line, its comments and attributes included.
    var lineStart: Int
    /// The last line: the closing brace, or a Python block's last line.
    var lineEnd: Int
    /// The line of the declared name.
    var declarationLine: Int
}
