import Foundation
import StrataText

/// What a feature is about: the entity (`User`) and its fields (`name: str`, `email: str`),
/// which name every node, shape the feature's shared model and fill its tests.
public struct FeatureEntity: Sendable, Equatable {
    /// PascalCase: `User`, `OrderLine`.
    public var name: String
    /// snake_case: `order_line`.
    public var snakeName: String
    /// The plural in snake_case: `order_lines`.
    public var pluralSnakeName: String
    public var fields: [NodeContract.Field]

    /// The Python types a field may have.
    public static let fieldTypes = ["str", "int", "float", "bool"]

    /// The fields an entity gets when none are given.
    public static let defaultFields = [
        NodeContract.Field(name: "id", type: "str", description: "The record's id."),
        NodeContract.Field(name: "name", type: "str", description: "The record's name."),
    ]

    /// - Throws: ``GenerationError/invalidArgument(name:value:expected:)`` for a name that is
    ///   not a word of letters and digits or whose Python form is a keyword, and for fields
    ///   that are not identifiers, are keywords, repeat, or have a type other than
    ///   ``fieldTypes``.
    public init(name: String, fields: [NodeContract.Field] = FeatureEntity.defaultFields) throws(GenerationError) {
        let words = name.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        guard let first = words.first?.first, first.isLetter, words.joined().allSatisfy({ $0.isASCII }) else {
            throw .invalidArgument(name: "entity", value: name, expected: "a name of ASCII letters and digits starting with a letter (User, OrderLine)")
        }
        self.name = words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        snakeName = IntentParser.snakeCase(self.name)
        for form in [snakeName, self.name, self.name.lowercased()] where Keywords.python.contains(form) {
            throw .invalidArgument(name: "entity", value: name, expected: "a name that is not a Python keyword (\(form) is one)")
        }
        pluralSnakeName = Self.plural(snakeName)
        guard !fields.isEmpty else { throw .invalidArgument(name: "fields", value: "(none)", expected: "at least one field") }
        var seen = Set<String>()
        for field in fields {
            guard let head = field.name.first, head.isLetter || head == "_",
                  field.name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
            else { throw .invalidArgument(name: "field", value: field.name, expected: "a Python identifier (letters, digits, _; not starting with a digit)") }
            guard !Keywords.python.contains(field.name) else {
                throw .invalidArgument(name: "field", value: field.name, expected: "a name that is not a Python keyword")
            }
            guard seen.insert(field.name).inserted else { throw .invalidArgument(name: "field", value: field.name, expected: "each field named once") }
            guard Self.fieldTypes.contains(field.type) else {
                throw .invalidArgument(name: "type of field \(field.name)", value: field.type, expected: Self.fieldTypes.joined(separator: ", "))
            }
        }
        self.fields = fields
    }

    /// `name:str,email:str,age:int` (a field without a type is a `str`).
    public static func parseFields(_ text: String) throws(GenerationError) -> [NodeContract.Field] {
        try text.split(separator: ",").map { (item) throws(GenerationError) -> NodeContract.Field in
            let parts = item.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let name = parts.first, !name.isEmpty else {
                throw .invalidArgument(name: "fields", value: text, expected: "name:type pairs separated by commas (name:str,email:str)")
            }
            return NodeContract.Field(name: name, type: parts.count > 1 ? parts[1] : "str", description: "The \(name.replacingOccurrences(of: "_", with: " ")).")
        }
    }

    /// The entity a prompt names: the word after "for", "of" or "on" that is not a filler
    /// (`Create CRUD API for User management` → `User`), else its first capitalized word
    /// that is not a workflow's vocabulary; nil when there is none.
    public static func entity(in prompt: String) -> String? {
        let words = prompt.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        let filler: Set<String> = [
            "a", "an", "the", "all", "every", "new", "my", "our", "crud", "api", "rest", "etl", "pipeline", "endpoint", "event", "events",
            "handler", "create", "build", "make", "generate", "management", "feature", "service", "records", "data",
        ]
        for (index, word) in words.enumerated() where ["for", "of", "on"].contains(word.lowercased()) {
            if let next = words[(index + 1)...].first(where: { !filler.contains($0.lowercased()) }) { return next }
        }
        return words.dropFirst().first { $0.first?.isUppercase == true && !filler.contains($0.lowercased()) }
    }

    /// `pattern` with `{Entity}`, `{entity}` and `{entities}` filled in.
    public func fill(_ pattern: String) -> String {
        pattern.replacingOccurrences(of: "{Entity}", with: name).replacingOccurrences(of: "{entities}", with: pluralSnakeName)
            .replacingOccurrences(of: "{entity}", with: snakeName)
    }

    /// English plural of a snake_case name's last word.
    static func plural(_ snake: String) -> String {
        if snake.hasSuffix("s") || snake.hasSuffix("x") || snake.hasSuffix("z") || snake.hasSuffix("ch") || snake.hasSuffix("sh") { return snake + "es" }
        if snake.hasSuffix("y"), let before = snake.dropLast().last, !"aeiou".contains(before) { return snake.dropLast() + "ies" }
        return snake + "s"
    }
}
