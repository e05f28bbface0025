/// Text made safe for HTML and SVG: the five characters with a meaning in markup replaced
/// by entities, so pattern text (`<script>`, `"` in attributes) is shown, never run.
public enum HTMLText {
    /// `text` with `&`, `<`, `>`, `"` and `'` replaced by their entities.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}
