import StrataIndex

/// The store's state as searches and writes see it: the embedding space and its embedder,
/// the hot in-RAM graph and the lexical index of the same rows, the cold mapped segments, the payload index once built, and whether
/// the store is closed. One lock (``LockRank/state``) guards it, held for a copy or a swap
/// only: a search copies a ``TierSnapshot`` and works on that, a write swaps in what changed
/// after its transaction commits.
final class TierSet: @unchecked Sendable {
    private let lock = RankedLock(.state)
    // Guarded by lock.
    private var _configuration: StoreConfiguration
    private var _settings: EmbedderSettings
    private var _space: EmbeddingSpace
    private var _embedder: (any Embedder)?
    private var _hot: HNSWGraph
    private var _hotLexical = LexicalMemoryIndex()
    private var _cold: [ColdSegment] = []
    private var _payload: PayloadIndex?
    private var _closed = false

    init(configuration: StoreConfiguration, settings: EmbedderSettings, space: EmbeddingSpace, embedder: (any Embedder)?, hot: HNSWGraph) {
        _configuration = configuration
        _settings = settings
        _space = space
        _embedder = embedder
        _hot = hot
    }

    var configuration: StoreConfiguration { lock.withLock { _configuration } }
    var settings: EmbedderSettings { lock.withLock { _settings } }
    var space: EmbeddingSpace { lock.withLock { _space } }
    var embedder: (any Embedder)? { lock.withLock { _embedder } }
    var hot: HNSWGraph { lock.withLock { _hot } }
    var hotLexical: LexicalMemoryIndex { lock.withLock { _hotLexical } }
    var cold: [ColdSegment] { lock.withLock { _cold } }
    /// Starts reading the cold segments' files into the page cache in the background, so that
    /// the first searches after a start on a cold machine find them in memory; how many.
    func preloadCold() -> Int {
        let segments = cold
        for segment in segments { segment.segment.preload() }
        return segments.count
    }
    var isClosed: Bool { lock.withLock { _closed } }
    /// The tiers as one search reads them.
    var snapshot: TierSnapshot { lock.withLock { TierSnapshot(hot: _hot, hotLexical: _hotLexical, cold: _cold) } }
    /// The in-RAM filter columns, nil until built (``PatternStore/payloadIndex()``) or after
    /// they were dropped.
    var payload: PayloadIndex? {
        get { lock.withLock { _payload } }
        set { lock.withLock { _payload = newValue } }
    }

    /// Marks the store closed: every later call fails with ``StoreError/closed(path:)``.
    func close() { lock.withLock { _closed = true } }

    /// Swaps in a new embedder (a re-embed), and the space's name with it.
    func replaceEmbedder(_ embedder: any Embedder) {
        lock.withLock {
            _embedder = embedder
            _space.embedder = embedder.identifier
        }
    }

    /// Swaps in another embedding space with the tiers of its vectors, at once (a replica
    /// following a re-embed another process committed): no search sees the new embedder with
    /// the old vectors.
    func replaceSpace(
        configuration: StoreConfiguration, settings: EmbedderSettings, space: EmbeddingSpace, embedder: (any Embedder)?,
        hot: HNSWGraph, hotLexical: LexicalMemoryIndex, cold: [ColdSegment]
    ) {
        lock.withLock {
            _configuration = configuration
            _settings = settings
            _space = space
            _embedder = embedder
            _hot = hot
            _hotLexical = hotLexical
            _cold = cold
        }
    }

    /// Swaps in the tiers a write or maintenance run produced.
    func replace(hot: HNSWGraph? = nil, hotLexical: LexicalMemoryIndex? = nil, cold: [ColdSegment]? = nil) {
        lock.withLock {
            if let hot { _hot = hot }
            if let hotLexical { _hotLexical = hotLexical }
            if let cold { _cold = cold }
        }
    }
}
