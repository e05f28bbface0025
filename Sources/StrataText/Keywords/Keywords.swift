/// The word lists Strata's readers of code and prose share.
///
/// - ``code``: keywords of Python, Swift, JavaScript/TypeScript, Go, Rust, Java and C in one
///   list, for readers that do not know a text's language (the built-in embedder, the cluster
///   report's words).
/// - ``englishStopWords``: English function words, which name nothing.
/// - ``python`` and ``pythonSoft``: Python's own keywords, for the Python scanner's callers.
///
/// ``KeywordTable`` looks ``code`` and ``englishStopWords`` up by hash on the hot path.
///
/// - Important: ``code`` and ``englishStopWords`` decide which words the built-in embedder
///   keeps, so they are part of its stored vectors: adding or removing a word changes them.
@frozen
public enum Keywords {
    /// Keywords across languages, as each language writes them (`None`, `Self` capitalised).
    ///
    /// Words that are keywords somewhere but common variable names elsewhere (`match`, `loop`,
    /// `select`, `default`, `type`, `init`) are left out: renaming such a variable would
    /// otherwise change the structure the embedder sees. `this` and `of` are in this list and in
    /// ``englishStopWords``; the keyword wins.
    public static let code: [String] = codeList.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)

    /// English function words (`the`, `which`, `into`…): no word feature in comments, strings or
    /// natural-language queries, and no word in reports. In code they are ordinary names.
    public static let englishStopWords: [String] = stopWordList.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)

    /// Python's hard keywords (`keyword.kwlist`), `True`, `False` and `None` included.
    public static let python: Set<String> = [
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
        "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
        "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
    ]

    /// Python's soft keywords (`keyword.softkwlist` as of 3.12): keywords only in `match`/`case`
    /// statements and `type` aliases, ordinary names everywhere else.
    public static let pythonSoft: Set<String> = ["_", "case", "match", "type"]

    // The lists as the embedder first wrote them: the order is the insertion order of
    // KeywordTable, which decides which kind a word in both lists gets.
    static let codeList = """
        False None True and as assert async await break class continue def del elif else \
        except finally for from global if import in is lambda nonlocal not or pass raise \
        return try while with yield \
        func let var struct enum protocol extension deinit guard switch case where throws \
        throw rethrows catch do repeat inout static private public internal fileprivate \
        final override mutating some Self self nil true false typealias associatedtype \
        subscript \
        function const new this typeof instanceof undefined null delete void export \
        interface implements extends super of \
        package chan go defer fallthrough goto fn mut pub impl trait crate dyn unsafe \
        protected abstract synchronized volatile boolean int long short byte char float \
        double union typedef unsigned signed sizeof extern
        """

    static let stopWordList = """
        the an of to on at by be are was were it its this that these those we you he she \
        they them our your their has have had will would can could should may might must \
        than then there here which who whom whose what when how why all any each both \
        such only own same so too very just also into onto about over under after before \
        between through during without within upon per via
        """
}
