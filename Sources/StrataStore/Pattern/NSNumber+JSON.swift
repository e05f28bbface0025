import Foundation

extension NSNumber {
    /// Whether `JSONSerialization` read this from `true` or `false`. On Linux such a number
    /// also casts to `Bool`, `Int` and `Double` (and `1` casts to `Bool`), so only its type
    /// code tells: `c` (or `B`) is a boolean.
    package var isJSONBoolean: Bool {
        let code = String(cString: objCType)
        return code == "c" || code == "B"
    }
}
