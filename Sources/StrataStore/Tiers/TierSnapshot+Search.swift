import CStrataShims
import StrataIndex
import StrataKernels

extension TierSnapshot {
    /// Nearest rows over the hot graph and every cold segment, tombstones skipped.
    func nearest(_ query: [Float], k: Int, ef: Int, accept: ((UInt64) -> Bool)?) throws(StoreError) -> [SearchResult] {
        var merged: [SearchResult] = []
        do {
            if hot.count > 0 {
                merged += try hot.search(query, k: k, ef: ef, filter: accept)
            }
            for cold in cold where cold.record.live > 0 {
                let filter: ((UInt64) -> Bool)?
                switch (accept, cold.dead.isEmpty) {
                case (nil, true): filter = nil
                case (nil, false): filter = { cold.isLive($0) }
                case let (accept?, true): filter = accept
                case let (accept?, false): filter = { cold.isLive($0) && accept($0) }
                }
                merged += try cold.segment.search(query, k: k, ef: ef, filter: filter)
            }
        } catch {
            throw .index(error)
        }
        merged.sort { $0.distance < $1.distance || ($0.distance == $1.distance && $0.id < $1.id) }
        // A row moving between tiers (a flush, a promotion) is briefly in both: keep its nearest.
        var seen = Set<UInt64>()
        var nearest: [SearchResult] = []
        nearest.reserveCapacity(k)
        for result in merged where nearest.count < k && seen.insert(result.id).inserted {
            nearest.append(result)
        }
        return nearest
    }

    /// Exact nearest among `locations`: their vectors are gathered in blocks of
    /// ``exactScanBlock`` rows (a buffer that stays in L2 and is never page-faulted anew),
    /// each block scored with one sgemv, the best `k` kept.
    func exactNearest(_ query: [Float], k: Int, among locations: [VectorLocation], metric: Metric) -> [SearchResult] {
        let dimension = query.count
        let segments = Dictionary(uniqueKeysWithValues: cold.map { ($0.record.id, $0) })
        let block = Self.exactScanBlock
        var matrix = [Float](repeating: 0, count: block * dimension)
        var rows = [UInt64](repeating: 0, count: block)
        var dots = [Float](repeating: 0, count: block)
        var norms = [Float](repeating: 0, count: block)
        var top = TopK(k: k)
        let queryNorm = metric == .l2 ? query.withUnsafeBufferPointer { Kernels.dot($0.baseAddress!, $0.baseAddress!, count: dimension) } : 0
        var filled = 0
        func score() {
            guard filled > 0 else { return }
            query.withUnsafeBufferPointer { q in
                matrix.withUnsafeBufferPointer { m in
                    BatchScores.dotProducts(query: q.baseAddress!, base: m.baseAddress!, baseCount: filled, dimension: dimension, into: &dots)
                    if metric == .l2 { BatchScores.squaredNorms(m.baseAddress!, count: filled, dimension: dimension, into: &norms) }
                }
            }
            for index in 0..<filled {
                top.insert(distance: metric.distance(dot: dots[index], squaredNormA: queryNorm, squaredNormB: norms[index]), id: rows[index])
            }
            filled = 0
        }
        // Where each vector is, first: matching rows lie scattered over the segments, and a
        // row fetched from memory costs far more than its dot product, so the copy loop
        // prefetches a few rows ahead.
        var sources: [(row: UInt64, vector: UnsafePointer<Float>)] = []
        sources.reserveCapacity(locations.count)
        var hotCopies: [(row: UInt64, vector: [Float])] = []
        for location in locations {
            switch location.tier {
            case .hot:
                // A row committed hot but not yet in this snapshot's graph is skipped: the
                // search began before the write finished.
                guard let vector = hot.vector(for: UInt64(location.row)) else { continue }
                hotCopies.append((UInt64(location.row), vector))
            case .cold:
                guard let id = location.segment, let slot = location.slot, let cold = segments[id], slot < cold.segment.slotCount else { continue }
                sources.append((UInt64(location.row), cold.segment.vector(atSlot: slot).baseAddress!))
            }
        }
        let bytes = dimension * MemoryLayout<Float>.stride
        let ahead = Self.exactScanPrefetchDistance
        for index in sources.indices {
            if index + ahead < sources.count { strata_prefetch_range(sources[index + ahead].vector, bytes) }
            let offset = filled * dimension
            matrix.withUnsafeMutableBufferPointer { m in
                (m.baseAddress! + offset).update(from: sources[index].vector, count: dimension)
            }
            rows[filled] = sources[index].row
            filled += 1
            if filled == block { score() }
        }
        for (row, vector) in hotCopies {
            matrix.replaceSubrange(filled * dimension..<(filled + 1) * dimension, with: vector)
            rows[filled] = row
            filled += 1
            if filled == block { score() }
        }
        score()
        return top.sorted().map { SearchResult(id: $0.id, distance: $0.distance) }
    }

    /// Rows the exact scan's copy loop prefetches ahead.
    static let exactScanPrefetchDistance = 8

    /// Rows per sgemv in ``exactNearest(_:k:among:metric:)``: 64 × 384 floats is 96 KiB.
    static let exactScanBlock = 64

    /// The `k` nearest by the planner's `route`: the graphs, an exact scan of `matching`,
    /// or the graphs accepting only `matching`'s rows.
    func nearest(_ query: [Float], k: Int, route: SearchPlanner.Route, matching: [VectorLocation], metric: Metric) throws(StoreError) -> [SearchResult] {
        switch route {
        case let .graph(ef):
            return try nearest(query, k: k, ef: ef, accept: nil)
        case .exact:
            return exactNearest(query, k: k, among: matching, metric: metric)
        case let .filteredGraph(ef):
            let accepted = RowSet(matching.map(\.row))
            return try nearest(query, k: k, ef: ef, accept: { accepted.contains($0) })
        }
    }

    /// The vector stored at `location`, nil when its tier does not hold it.
    func vector(at location: VectorLocation) -> [Float]? {
        switch location.tier {
        case .hot:
            return hot.vector(for: UInt64(location.row))
        case .cold:
            guard let cold = cold.first(where: { $0.record.id == location.segment }), let slot = location.slot, slot < cold.segment.slotCount else { return nil }
            return Array(cold.segment.vector(atSlot: slot))
        }
    }
}
