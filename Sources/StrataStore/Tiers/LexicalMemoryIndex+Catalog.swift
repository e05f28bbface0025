import StrataIndex

/// The hot tier's lexical index as the catalog fills it.
extension LexicalMemoryIndex {
    /// The index of every hot pattern the catalog lists (an open, a replica's reload).
    convenience init(hotTiersOf catalog: Catalog) throws(StoreError) {
        self.init()
        upsert(Array(LexicalDocument.documents(of: try catalog.lexicalSources(hotOnly: true)).values))
    }

    /// Re-reads `rows` after a commit: those in the hot tier now get their current text's
    /// document, the others (deleted, flushed to a segment) leave. Each row's document is
    /// replaced in place, so a search meanwhile finds its old text or its new one.
    func refresh(_ rows: [Int64], from catalog: Catalog) throws(StoreError) {
        guard !rows.isEmpty else { return }
        let documents = LexicalDocument.documents(of: try catalog.lexicalSources(rows: rows, hotOnly: true))
        upsert(Array(documents.values))
        remove(rows.map { UInt64($0) }.filter { documents[$0] == nil })
    }
}
