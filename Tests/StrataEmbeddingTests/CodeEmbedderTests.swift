import Testing
import StrataEmbedding

private let sampleFunction = """
    def read_config(path, defaults=None):
        # Merge the file's settings over the defaults.
        settings = dict(defaults or {})
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                key, _, value = line.partition("=")
                settings[key.strip()] = value.strip()
        return settings
    """

private func norm(_ row: ArraySlice<Float>) -> Float {
    row.reduce(0) { $0 + $1 * $1 }.squareRoot()
}

private func dot(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Float {
    zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
}

@Test func codeEmbedderIsDeterministicAndUnitLength() throws {
    let texts = [sampleFunction, "func parseJSON(_ data: Data) throws -> Config { try decoder.decode(Config.self, from: data) }",
                 "read json file", ";", "+", "42", "é"]
    let first = try CodeEmbedder().embed(texts)
    let second = try CodeEmbedder().embed(texts)
    #expect(first == second)
    #expect(first.count == texts.count * 384)
    for row in 0..<texts.count {
        let slice = first[(row * 384)..<((row + 1) * 384)]
        #expect(slice.allSatisfy { $0.isFinite })
        #expect(abs(norm(slice) - 1) < 1e-4, "row \(row)")
    }
    // One text alone embeds as it does within a batch, and batches of any size agree.
    let alone = try CodeEmbedder().embed([sampleFunction])
    #expect(alone == Array(first[0..<384]))
    let many = try CodeEmbedder().embed(Array(repeating: sampleFunction, count: 300))
    #expect(Array(many[(299 * 384)...]) == alone)
}

@Test func codeEmbedderPinsItsVectors() throws {
    // Hashing is FNV-1a/SplitMix64, not Swift's per-process seeded Hasher: these slots are
    // the same on every run and machine. A change here is a new feature design (bump version).
    let vector = try CodeEmbedder(dimension: 16).embed(["x = 1"])
    let signature = vector.map { $0 == 0 ? "0" : $0 > 0 ? "+" : "-" }.joined()
    #expect(signature == "0-++-0-000-0-0-+")
}

@Test func codeEmbedderRespectsDimension() throws {
    for dimension in [16, 17, 100, 384, 1536] {
        let embedder = try CodeEmbedder(dimension: dimension)
        #expect(embedder.dimension == dimension)
        #expect(embedder.identifier == "builtin-code-v1-\(dimension)")
        #expect(try embedder.embed([sampleFunction, "a b"]).count == 2 * dimension)
    }
    for dimension in [-1, 0, 15, 1 << 20] {
        #expect(throws: EmbeddingError.self) { try CodeEmbedder(dimension: dimension) }
    }
}

@Test func codeEmbedderRefusesBlankTexts() throws {
    let embedder = try CodeEmbedder()
    #expect(throws: EmbeddingError.emptyText(id: "#1")) { try embedder.embed(["x", " \n\t"]) }
    #expect(throws: EmbeddingError.emptyText(id: "#0")) { try embedder.embed([""]) }
    #expect(throws: EmbeddingError.emptyText(id: "#0")) { try embedder.embed(["\u{00A0}\u{2003}"]) }
    #expect(try embedder.embed([]).isEmpty)
}

@Test func codeEmbedderWeightsRoundTrip() throws {
    let corpus = [sampleFunction, "def f(x):\n    return x + 1", "read json file", "   ", "fn main() { println!(\"hi\"); }"]
    let weights = CodeEmbedder.Weights.fit(corpus: corpus, threads: 2)
    #expect(weights.documentCount == 4)
    #expect(weights == CodeEmbedder.Weights.fit(corpus: corpus, threads: 1))
    let bytes = weights.serialized()
    #expect(try CodeEmbedder.Weights(serialized: bytes) == weights)

    let uniform = CodeEmbedder.Weights.uniform.serialized()
    #expect(uniform.count < 64)
    #expect(try CodeEmbedder.Weights(serialized: uniform) == .uniform)

    #expect(throws: EmbeddingError.self) { try CodeEmbedder.Weights(serialized: []) }
    #expect(throws: EmbeddingError.self) { try CodeEmbedder.Weights(serialized: Array(bytes.prefix(30))) }
    #expect(throws: EmbeddingError.self) { try CodeEmbedder.Weights(serialized: Array(bytes.dropLast())) }
    var flipped = bytes
    flipped[flipped.count / 2] ^= 0x10
    #expect(throws: EmbeddingError.self) { try CodeEmbedder.Weights(serialized: flipped) }
    var badMagic = bytes
    badMagic[0] = 0
    #expect(throws: EmbeddingError.self) { try CodeEmbedder.Weights(serialized: badMagic) }

    // Fitting in two parts and merging is fitting once.
    let merged = CodeEmbedder.Weights.fit(corpus: Array(corpus.prefix(2)))
        .merged(with: .fit(corpus: Array(corpus.dropFirst(2))))
    #expect(merged == weights)

    // The fitted embedder differs from the uniform one but is just as well-formed.
    let fitted = try CodeEmbedder(weights: weights).embed([sampleFunction])
    let plain = try CodeEmbedder().embed([sampleFunction])
    #expect(fitted != plain)
    #expect(abs(norm(fitted[...]) - 1) < 1e-4)
}

/// Natural-language queries find the function whose names say the same thing.
@Test(arguments: [false, true])
func codeEmbedderRanksByMeaning(fitted: Bool) throws {
    let corpus = [
        "def read_json_file(path):\n    with open(path) as handle:\n        return json.load(handle)",
        "def sort_items_by_key(items, key):\n    return sorted(items, key=lambda item: item[key])",
        "def parse_json_config(text):\n    config = json.loads(text)\n    return Config(**config)",
        "func resizeImage(_ image: Image, to size: Size) -> Image {\n    image.scaled(to: size)\n}",
        "function sendEmail(recipient, subject, body) {\n  return mailer.send({ to: recipient, subject, body });\n}",
        "fn compute_checksum(data: &[u8]) -> u32 {\n    crc32fast::hash(data)\n}",
        "def connect_database(url):\n    engine = create_engine(url)\n    return engine.connect()",
        "func writeCSVRows(rows [][]string, w io.Writer) error {\n\treturn csv.NewWriter(w).WriteAll(rows)\n}",
        "public int countWords(String text) {\n    return text.split(\"\\\\s+\").length;\n}",
        "static void free_list(struct node *head) {\n    while (head) { struct node *next = head->next; free(head); head = next; }\n}",
    ]
    let weights: CodeEmbedder.Weights? = fitted ? .fit(corpus: corpus) : nil
    let embedder = try CodeEmbedder(weights: weights)
    let vectors = try embedder.embed(corpus)
    let queries = [
        ("read json file", 0), ("sort list by key", 1), ("parse json config file", 2), ("resize an image", 3),
        ("send mail", 4), ("checksum of bytes", 5), ("open a database connection", 6), ("write csv", 7),
        ("count the words in a string", 8), ("free a linked list", 9),
    ]
    for (query, expected) in queries {
        let q = try embedder.embed([query])
        let scores = (0..<corpus.count).map { dot(q[...], vectors[($0 * 384)..<(($0 + 1) * 384)]) }
        let best = scores.indices.max { scores[$0] < scores[$1] }!
        #expect(best == expected, "\"\(query)\" found #\(best), scores \(scores)")
    }
}
