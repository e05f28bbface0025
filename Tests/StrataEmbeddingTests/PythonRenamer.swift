/// Renames the identifiers of a Python function consistently, as a refactoring would.
///
/// Every name that is not a keyword, a builtin, `self`/`cls`, or an attribute (a name after
/// `.`) is renamed: the function's own name, parameters, locals, globals and imported modules.
/// Strings are left alone; comments are dropped, so that no renamed name survives in them.
struct PythonRenamer {
    enum Style {
        /// `v1`, `v2`, … in order of first use.
        case numbered
        /// Two random words from a list of common programming words, `node_count`, `item_value`.
        case words(seed: UInt64)
    }

    static let keptNames: Set<String> = Set("""
        False None True and as assert async await break class continue def del elif else except \
        finally for from global if import in is lambda nonlocal not or pass raise return try \
        while with yield self cls \
        abs all any ascii bin bool breakpoint bytearray bytes callable chr classmethod compile \
        complex delattr dict dir divmod enumerate eval exec filter float format frozenset getattr \
        globals hasattr hash help hex id input int isinstance issubclass iter len list locals map \
        max memoryview min next object oct open ord pow print property range repr reversed round \
        set setattr slice sorted staticmethod str sum super tuple type vars zip __import__ \
        NotImplemented Ellipsis __name__ __file__ __doc__ __class__ __dict__ \
        BaseException Exception ArithmeticError AssertionError AttributeError BlockingIOError \
        BufferError EOFError FileExistsError FileNotFoundError ImportError IndexError KeyError \
        KeyboardInterrupt LookupError MemoryError ModuleNotFoundError NameError \
        NotImplementedError OSError IOError OverflowError PermissionError RecursionError \
        ReferenceError RuntimeError StopIteration StopAsyncIteration SyntaxError SystemError \
        SystemExit TimeoutError TypeError UnboundLocalError UnicodeDecodeError \
        UnicodeEncodeError UnicodeError ValueError ZeroDivisionError Warning DeprecationWarning \
        RuntimeWarning UserWarning GeneratorExit
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))

    static let vocabulary = """
        item value node data result count index name key entry buffer record state line token \
        source target path size total temp first last left right parent child element field \
        handler config option flag text chunk block offset limit start end current previous \
        list table cache queue stack item_id context request response message payload reader \
        writer stream handle target_name
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)

    var style: Style

    func rename(_ source: String) -> String {
        let bytes = Array(source.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 64)
        var names: [String: String] = [:]
        var used = Set<String>()
        var random = style.seed
        var previousSignificant: UInt8 = 0
        let n = bytes.count
        var i = 0
        func isStart(_ c: UInt8) -> Bool { c == 95 || (65...90).contains(c) || (97...122).contains(c) || c >= 0x80 }
        func isPart(_ c: UInt8) -> Bool { isStart(c) || (48...57).contains(c) }
        var attempts = 0
        func newName() -> String {
            while true {
                attempts += 1
                let candidate: String
                switch style {
                case .numbered:
                    candidate = "v\(attempts)"
                case .words:
                    let a = Self.vocabulary[Int(Self.next(&random) % UInt64(Self.vocabulary.count))]
                    let b = Self.vocabulary[Int(Self.next(&random) % UInt64(Self.vocabulary.count))]
                    candidate = "\(a)_\(b)"
                }
                if !used.contains(candidate) && !Self.keptNames.contains(candidate) && !source.contains(candidate) {
                    used.insert(candidate)
                    return candidate
                }
            }
        }
        while i < n {
            let c = bytes[i]
            if c == 35 {  // comment: dropped
                while i < n && bytes[i] != 10 { i += 1 }
                continue
            }
            if c == 34 || c == 39 {
                let end = Self.stringEnd(bytes, i)
                output += bytes[i..<end]
                previousSignificant = c
                i = end
                continue
            }
            if (48...57).contains(c) {
                var end = i + 1
                while end < n && (isPart(bytes[end]) || bytes[end] == 46) { end += 1 }
                output += bytes[i..<end]
                previousSignificant = c
                i = end
                continue
            }
            if isStart(c) {
                var end = i + 1
                while end < n && isPart(bytes[end]) { end += 1 }
                let name = String(decoding: bytes[i..<end], as: UTF8.self)
                let prefixOfString = end < n && (bytes[end] == 34 || bytes[end] == 39) && end - i <= 2
                    && name.lowercased().allSatisfy { "rbfu".contains($0) }
                if prefixOfString || previousSignificant == 46 || Self.keptNames.contains(name) {
                    output += bytes[i..<end]
                } else {
                    if names[name] == nil { names[name] = newName() }
                    output += Array(names[name]!.utf8)
                }
                previousSignificant = 97
                i = end
                continue
            }
            output.append(c)
            if c != 32 && c != 10 && c != 9 && c != 13 { previousSignificant = c }
            i += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The index after the string literal opening at `start` (prefix already copied).
    static func stringEnd(_ bytes: [UInt8], _ start: Int) -> Int {
        let quote = bytes[start]
        let n = bytes.count
        if start + 2 < n && bytes[start + 1] == quote && bytes[start + 2] == quote {
            var i = start + 3
            while i < n {
                if bytes[i] == 92 { i += 2; continue }
                if i + 2 < n && bytes[i] == quote && bytes[i + 1] == quote && bytes[i + 2] == quote { return i + 3 }
                i += 1
            }
            return n
        }
        var i = start + 1
        while i < n {
            if bytes[i] == 92 { i += 2; continue }
            if bytes[i] == quote || bytes[i] == 10 { return min(i + 1, n) }
            i += 1
        }
        return n
    }

    static func next(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

extension PythonRenamer.Style {
    var seed: UInt64 {
        if case let .words(seed) = self { return seed }
        return 0
    }
}
