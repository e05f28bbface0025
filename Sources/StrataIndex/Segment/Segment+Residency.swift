#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// Whether a segment's file is mostly on disk, as its searches need to know: while it is, they
/// ask for their pages ahead in batches (``SegmentView/adviseNeeded(_:count:codes:)``), which
/// would only cost system calls once the file is in memory.
///
/// Measured with `mincore` on the first search and every ``recheckEvery`` searches while cold;
/// once warm it stays warm (a file evicted later is read back page by page, as before).
final class SegmentResidency: Sendable {
    private enum State: UInt8 { case unknown, cold, warm }
    private let state = Atomic<UInt8>(State.unknown.rawValue)
    private let coldSearches = Atomic<Int>(0)

    /// Searches between two measurements while cold.
    static let recheckEvery = 64
    /// The resident share of the searched sections above which the file counts as warm.
    static let warmFraction = 0.9

    /// Whether the next search should ask for its pages ahead; `measure` gives the resident
    /// fraction when a measurement is due.
    func isCold(measure: () -> Double) -> Bool {
        switch State(rawValue: state.load(ordering: .relaxed)) {
        case .warm: return false
        case .cold:
            let searches = coldSearches.wrappingAdd(1, ordering: .relaxed).newValue
            if searches % Self.recheckEvery != 0 { return true }
        default: break
        }
        let warm = measure() >= Self.warmFraction
        state.store((warm ? State.warm : .cold).rawValue, ordering: .relaxed)
        return !warm
    }

    func markWarm() { state.store(State.warm.rawValue, ordering: .relaxed) }
}

extension Segment {
    /// The sections a search reads for most of its pages: the vectors (or the int8 codes of
    /// a quantized walk) and the level-0 lists.
    var searchedSections: [SegmentSection] {
        [header.quantized ? .quantizedVectors : .vectors, .levelZeroLinks]
    }

    /// The share of the searched sections' pages in memory, by `mincore` on up to
    /// ``residencySamples`` pages spread evenly over them (asking for every page of a 1M-vector
    /// file took milliseconds); 1 when the call fails.
    public func residentFraction() -> Double {
        let page = SegmentView.pageSize
        var resident = 0, total = 0
        for section in searchedSections {
            let entry = header.sections[section.rawValue]
            guard entry.length > 0 else { continue }
            let start = (Int(bitPattern: mapping) + entry.offset) & ~(page - 1)
            let end = Int(bitPattern: mapping) + entry.offset + entry.length
            let pages = (end - start + page - 1) / page
            let step = max(1, pages / (Self.residencySamples / searchedSections.count))
            var state: UInt8 = 0
            for index in stride(from: 0, to: pages, by: step) {
                guard mincore(UnsafeMutableRawPointer(bitPattern: start + index * page), page, &state) == 0 else { return 1 }
                resident += Int(state & 1)
                total += 1
            }
        }
        return total == 0 ? 1 : Double(resident) / Double(total)
    }

    /// Pages a residency measurement asks about.
    static let residencySamples = 512

    /// Starts reading the whole file into the page cache on a background thread, 16 MiB at a
    /// time, so that later searches find it in memory; returns at once. Searches meanwhile
    /// ask for their own pages ahead as on any cold file. The thread holds the segment only
    /// while it reads a chunk, so closing the segment stops it.
    public func preload() {
        let chunk = 16 << 20
        let fileBytes = self.fileBytes
        let thread = Thread { [weak self] in
            var offset = 0
            while offset < fileBytes {
                guard let segment = self else { return }
                let length = min(chunk, fileBytes - offset)
                let start = segment.mapping + offset
                SegmentView.advise(start, bytes: length)
                // Touch a byte of every page: the advice starts the reads, the touch waits
                // for them, so the next chunk is asked for only when this one is in.
                var sum: UInt8 = 0
                for page in stride(from: 0, to: length, by: SegmentView.pageSize) {
                    sum &+= start.load(fromByteOffset: page, as: UInt8.self)
                }
                withExtendedLifetime(sum) {}
                offset += length
            }
            self?.residency.markWarm()
        }
        thread.name = "strata-preload"
        thread.qualityOfService = .utility
        thread.start()
    }

    /// Asks for the sections every search starts in (the upper levels and the flags), which
    /// are small, as the segment opens; the kernel reads them while the caller gets on.
    func adviseUpperLevels() {
        for section in [SegmentSection.upperOffsets, .upperLinks, .flags] {
            let entry = header.sections[section.rawValue]
            if entry.length > 0 { SegmentView.advise(mapping + entry.offset, bytes: entry.length) }
        }
    }
}
