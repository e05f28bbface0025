/// Text made safe to place inside generated Python.
enum PythonText {
    /// A double-quoted Python string literal holding `text` exactly. Its escapes (`\\`,
    /// `\"`, `\n`, `\r`, `\t`, `\xNN`) mean the same in a YAML double-quoted scalar.
    static func literal(_ text: String) -> String {
        "\"" + escaped(text) { control in
            switch control {
            case "\n": "\\n"
            case "\r": "\\r"
            case "\t": "\\t"
            default: "\\x" + String(control.value, radix: 16).leftPadded(to: 2)
            }
        } + "\""
    }

    /// `text` on one line, fit for the inside of a `"""docstring"""`: backslashes doubled,
    /// quotes that could close it escaped, line breaks and control characters turned to spaces.
    static func docstring(_ text: String) -> String {
        escaped(text) { _ in " " }.trimmingSpaces()
    }

    /// `text` with backslashes and double quotes escaped and each control character
    /// (below 0x20, and DEL) replaced by `control(character)`.
    private static func escaped(_ text: String, control: (Unicode.Scalar) -> String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += control(scalar)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Every line of `text` indented by `spaces` more; blank lines stay empty.
    static func indent(_ text: String, by spaces: Int) -> String {
        let pad = String(repeating: " ", count: spaces)
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.allSatisfy(\.isWhitespace) ? "" : pad + $0 }
            .joined(separator: "\n")
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }

    func trimmingSpaces() -> String {
        var view = Substring(self)
        while view.first == " " { view.removeFirst() }
        while view.last == " " { view.removeLast() }
        return String(view)
    }
}
