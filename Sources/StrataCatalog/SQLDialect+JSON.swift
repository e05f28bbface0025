/// Conditions on JSON documents kept as text in a column, in a dialect's words: SQLite reads
/// them with its JSON functions, PostgreSQL casts them to `jsonb` and walks them with JSON
/// paths. Both see the same values at a path: one for a scalar, one per element of an array.
///
/// Each function returns SQL with `?` placeholders and says what to bind, in order, beside
/// whatever the caller binds: paths are written `$.key.sub` (SQLite's form, which the
/// PostgreSQL side extends as it needs).
extension SQLDialect {
    /// True when some value at `path` in `column` meets `predicate`, a condition on `value`
    /// (``jsonValue``); the path is bound first, then the predicate's own placeholders.
    package func anyJSONValue(in column: String, path: String, where predicate: String) -> (sql: String, path: String) {
        switch self {
        case .sqlite:
            // json_each walks an object's members too; only an array's elements (integer
            // keys) or a scalar (no key) are values at the path, as in PostgreSQL.
            return ("EXISTS (SELECT 1 FROM json_each(\(column), ?) j WHERE typeof(j.key) <> 'text' AND \(predicate))", path)
        case .postgres:
            // Lax mode's `[*]` gives an array's elements, or a scalar itself.
            return ("EXISTS (SELECT 1 FROM jsonb_path_query(CAST(\(column) AS jsonb), CAST(? AS jsonpath)) j WHERE \(predicate))", path + "[*]")
        }
    }

    /// The value `anyJSONValue`'s predicate tests is a string equal to one bound placeholder.
    package var jsonValueIsText: String {
        self == .sqlite ? "(j.type = 'text' AND j.value = ?)" : "j = to_jsonb(CAST(? AS text))"
    }

    /// …an integer equal to one bound placeholder.
    package var jsonValueIsInteger: String {
        self == .sqlite ? "(j.type = 'integer' AND j.value = ?)" : "(jsonb_typeof(j) = 'number' AND j = to_jsonb(CAST(? AS bigint)))"
    }

    /// …the boolean `flag`.
    package func jsonValueIs(_ flag: Bool) -> String {
        self == .sqlite ? "j.type = '\(flag)'" : "j = CAST('\(flag)' AS jsonb)"
    }

    /// …not JSON's null.
    package var jsonValueIsNotNull: String {
        self == .sqlite ? "j.type <> 'null'" : "jsonb_typeof(j) <> 'null'"
    }

    /// …a string containing one bound placeholder.
    package var jsonValueContainsText: String {
        self == .sqlite ? "j.type = 'text' AND instr(j.value, ?) > 0" : "jsonb_typeof(j) = 'string' AND strpos(j #>> '{}', ?) > 0"
    }

    /// …a number, and `comparisons` (`">"`, `"<="`, …) each against one bound placeholder.
    /// PostgreSQL may test in any order, so a non-number is never cast.
    package func jsonValueIsNumber(_ comparisons: [String]) -> String {
        let number = self == .sqlite ? "j.value" : "(CASE WHEN jsonb_typeof(j) = 'number' THEN CAST(j #>> '{}' AS double precision) END)"
        let isNumber = self == .sqlite ? "j.type IN ('integer', 'real')" : "jsonb_typeof(j) = 'number'"
        return ([isNumber] + comparisons.map { "\(number) \($0) ?" }).joined(separator: " AND ")
    }

    /// True when `path` holds something other than null: a scalar, an object, or an array
    /// with a non-null element; binds `paths`.
    package func jsonHasValue(in column: String, path: String) -> (sql: String, paths: [String]) {
        let (some, elementPath) = anyJSONValue(in: column, path: path, where: jsonValueIsNotNull)
        switch self {
        case .sqlite:
            return ("(json_type(\(column), ?) = 'object' OR \(some))", [path, elementPath])
        case .postgres:
            return (some, [elementPath])
        }
    }

    /// The number of non-null values at `path` (an array's elements, or 1 for a scalar or
    /// an object), as a scalar expression; binds `paths`.
    package func jsonValueCount(in column: String, path: String) -> (sql: String, paths: [String]) {
        switch self {
        case .sqlite:
            return ("((SELECT count(*) FROM json_each(\(column), ?) j WHERE typeof(j.key) <> 'text' AND j.type <> 'null') + (coalesce(json_type(\(column), ?), '') = 'object'))", [path, path])
        case .postgres:
            return ("(SELECT count(*) FROM jsonb_path_query(CAST(\(column) AS jsonb), CAST(? AS jsonpath)) j WHERE jsonb_typeof(j) <> 'null')", [path + "[*]"])
        }
    }

    /// True when the value at `path` is absent, null or an empty array; binds `paths`.
    package func jsonIsEmpty(in column: String, path: String) -> (sql: String, paths: [String]) {
        switch self {
        case .sqlite:
            return ("(coalesce(json_type(\(column), ?), 'null') = 'null' OR (json_type(\(column), ?) = 'array' AND json_array_length(\(column), ?) = 0))", [path, path, path])
        case .postgres:
            return ("coalesce(jsonb_path_query_first(CAST(\(column) AS jsonb), CAST(? AS jsonpath)) IN (CAST('null' AS jsonb), CAST('[]' AS jsonb)), TRUE)", [path])
        }
    }

    /// True when the value at `path` is JSON's null (present, and null); binds `path`.
    package func jsonIsNull(in column: String, path: String) -> String {
        self == .sqlite ? "json_type(\(column), ?) = 'null'" : "jsonb_path_query_first(CAST(\(column) AS jsonb), CAST(? AS jsonpath)) = CAST('null' AS jsonb)"
    }
}
