extension SQLDialect {
    /// `sql` with its `?` placeholders numbered `$1, $2, …` as PostgreSQL wants them; question
    /// marks inside quoted literals, quoted identifiers and comments are left alone. A numbered
    /// `?N` keeps its number, and a plain `?` takes the next after the highest so far, as in
    /// SQLite. `count` is how many parameters there are: one left unbound is NULL, as in SQLite.
    package static func numberingPlaceholders(_ sql: String) -> (text: String, count: Int) {
        var out = ""
        out.reserveCapacity(sql.utf8.count + 16)
        var highest = 0
        // The digits after a `?` in code, while they last.
        var digits: String?
        func endPlaceholder() {
            guard let number = digits else { return }
            digits = nil
            if let given = Int(number) {
                highest = max(highest, given)
                out += "$\(given)"
            } else {
                highest += 1
                out += "$\(highest)"
            }
        }
        scan(sql) { character, isCode in
            if digits != nil, isCode, character.isASCII, character.isNumber {
                digits!.append(character)
                return
            }
            endPlaceholder()
            if isCode && character == "?" {
                digits = ""
            } else {
                out.append(character)
            }
        }
        endPlaceholder()
        return (out, highest)
    }

    /// The statements of a script, split at the semicolons that end them (not those inside
    /// quotes or comments), trimmed, empty ones dropped: PostgreSQL's extended protocol takes
    /// one statement at a time.
    package static func statements(_ sql: String) -> [String] {
        var statements: [String] = []
        var current = ""
        scan(sql) { character, isCode in
            if isCode && character == ";" {
                statements.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        statements.append(current)
        return statements.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    /// Walks `sql`, telling `body` each character and whether it is SQL code: false inside a
    /// quoted literal, a quoted identifier or a `--` comment (quotes included).
    static func scan(_ sql: String, _ body: (Character, Bool) -> Void) {
        var quote: Character?
        var lineComment = false
        var previous: Character?
        for character in sql {
            defer { previous = character }
            if lineComment {
                body(character, false)
                if character == "\n" { lineComment = false }
            } else if let open = quote {
                body(character, false)
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
                body(character, false)
            } else if character == "-" && previous == "-" {
                lineComment = true
                body(character, false)
            } else {
                body(character, true)
            }
        }
    }
}
