import Foundation

/// What maintenance does, decided from counts and dates alone: which cold segments a
/// compaction rewrites, and from when patterns count as busy, idle or prunable.
///
/// Pure (`MaintenancePlannerTests`): the store reads the segment list and the clock, the
/// planner decides, the store writes the segments and moves the rows.
package struct MaintenancePlanner: Sendable {
    /// A cold segment as compaction sees it.
    package struct Occupancy: Sendable, Equatable {
        package var id: Int64
        /// Slots holding a live pattern.
        package var live: Int
        /// Slots whose pattern was deleted, replaced or promoted.
        package var dead: Int

        package init(id: Int64, live: Int, dead: Int) {
            self.id = id
            self.live = live
            self.dead = dead
        }

        var deadRatio: Double { live + dead == 0 ? 1 : Double(dead) / Double(live + dead) }
    }

    package var configuration: StoreConfiguration

    package init(configuration: StoreConfiguration) {
        self.configuration = configuration
    }

    /// The segments one compaction merges into a single new one (in the order given), empty
    /// when there is nothing worth doing.
    ///
    /// A segment is rewritten when it holds no live pattern, when its dead share reaches
    /// ``StoreConfiguration/compactDeadRatio``, or (`force`) when it has any dead slot. When
    /// more than ``StoreConfiguration/maxSegments`` (`force`: one) would remain, the smallest
    /// others join the merge, so that exactly that many remain: every segment searched costs a
    /// full graph descent.
    package func compaction(of segments: [Occupancy], force: Bool) -> [Int64] {
        var selected = Set<Int64>()
        for segment in segments where segment.live == 0 || segment.deadRatio >= configuration.compactDeadRatio || (force && segment.dead > 0) {
            selected.insert(segment.id)
        }
        let remaining = segments.filter { !selected.contains($0.id) }
        let limit = force ? 1 : configuration.maxSegments
        // The merge's output counts as one segment; with nothing selected yet, the smallest
        // ones merge into one of their own.
        let after = remaining.count + (selected.isEmpty ? 0 : 1)
        if after > limit {
            let extra = after - limit + (selected.isEmpty ? 1 : 0)
            for segment in remaining.sorted(by: { $0.live < $1.live }).prefix(extra) { selected.insert(segment.id) }
        }
        let chosen = segments.filter { selected.contains($0.id) }
        // One segment without dead slots would only be copied.
        if chosen.isEmpty || (chosen.count == 1 && chosen[0].dead == 0) { return [] }
        return chosen.map(\.id)
    }

    /// Patterns used since then (at least ``StoreConfiguration/promoteMinimumUses`` times)
    /// are busy: promoted, and kept hot by a flush.
    package func busySince(_ now: Date) -> Date { now.addingTimeInterval(-configuration.promoteWindowDays * 86_400) }
    /// Hot patterns neither updated nor used since then are demoted.
    package func idleSince(_ now: Date) -> Date { now.addingTimeInterval(-configuration.demoteIdleDays * 86_400) }
    /// Patterns of low quality and little use, idle since then, are pruned.
    package func prunableSince(_ now: Date) -> Date { now.addingTimeInterval(-configuration.pruneIdleDays * 86_400) }
}
