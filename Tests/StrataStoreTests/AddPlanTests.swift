import Foundation
import StrataStore
import Testing

/// The dedup and merge rules of an add, decided with no catalog and no graph: each test feeds
/// the plan what the store would have looked up.
@Suite struct AddPlanTests {
    static func stored(_ id: String, text: String, usage: Int = 3) -> Pattern {
        var pattern = Pattern.made(from: NewPattern(id: id, text: text, usageCount: usage), id: id, hash: Pattern.contentHash(of: text), now: Date(timeIntervalSince1970: 1))
        pattern.successRate = 0.75
        return pattern
    }

    static func plan(_ patterns: [NewPattern]) -> AddPlan {
        var counter = 0
        return AddPlan(patterns) {
            counter += 1
            return "made-\(counter)"
        }
    }

    /// Runs step 1 for every pattern, with stored ids and texts given as dictionaries.
    static func classifyAll(_ plan: inout AddPlan, storedIDs: [String: (Int64, Pattern)] = [:], storedTexts: [String: (Int64, String)] = [:], policy: ExistingIDPolicy = .fail) throws {
        for index in plan.patterns.indices {
            let stored = plan.patterns[index].id.flatMap { storedIDs[$0] }.map { (row: $0.0, pattern: $0.1) }
            let hash = plan.hashes[index]
            try plan.classify(index, stored: stored, policy: policy) { () throws(StoreError) in
                storedTexts[hash].map { (row: $0.0, id: $0.1) }
            }
        }
    }

    @Test func aStoredIDFailsIsUnchangedOrIsReplacedByPolicy() throws {
        let old = Self.stored("a", text: "def a(): pass")
        let same = NewPattern(id: "a", text: "def a(): pass")
        let changed = NewPattern(id: "a", text: "def a(): return 1")
        var failing = Self.plan([same])
        #expect(throws: StoreError.invalidArgument(name: "id", value: "a", expected: "an id not yet in the store (use upsert to replace a pattern)")) {
            try Self.classifyAll(&failing, storedIDs: ["a": (7, old)])
        }
        var unchanged = Self.plan([same])
        try Self.classifyAll(&unchanged, storedIDs: ["a": (7, old)], policy: .replaceIfChanged)
        #expect(unchanged.outcomes.map(\.action) == [.unchanged] && unchanged.replacements.isEmpty && unchanged.fresh.isEmpty)
        var replaced = Self.plan([changed])
        try Self.classifyAll(&replaced, storedIDs: ["a": (7, old)], policy: .replaceIfChanged)
        #expect(replaced.outcomes.map(\.action) == [.replaced])
        #expect(replaced.replacements.map(\.row) == [7] && replaced.replacements[0].old.id == "a")
        var forced = Self.plan([same])
        try Self.classifyAll(&forced, storedIDs: ["a": (7, old)], policy: .replace)
        #expect(forced.outcomes.map(\.action) == [.replaced])
    }

    /// Same text as a stored pattern merges into it (usage at least one each, tags added);
    /// a repeat within the batch follows its first; a pattern with no text never merges.
    @Test func exactRepeatsMergeIntoTheStoredPatternOrTheBatchsFirst() throws {
        var plan = Self.plan([
            NewPattern(text: "known text", tags: ["x"], usageCount: 4),
            NewPattern(id: "n1", text: "new text", tags: ["t1"]),
            NewPattern(id: "n2", text: "new text", tags: ["t2"], usageCount: 2),
            NewPattern(id: "v1", text: "", vector: [1, 0]),
            NewPattern(id: "v2", text: "", vector: [1, 0]),
        ])
        try Self.classifyAll(&plan, storedTexts: [Pattern.contentHash(of: "known text"): (40, "holder")])
        #expect(plan.fresh == [1, 3, 4])
        #expect(plan.merges[40] == AddPlan.Merge(usage: 4, tags: ["x"]))
        plan.assignRows([100, 101, 102])
        plan.settleRepeats()
        let outcomes = plan.outcomes
        #expect(outcomes.map(\.action) == [.mergedExact, .added, .mergedExact, .added, .added])
        #expect(outcomes[0].storedAs == "holder" && outcomes[0].id == "made-1")
        #expect(outcomes[2].storedAs == "n1")
        #expect(plan.merges[100] == AddPlan.Merge(usage: 2, tags: ["t2"]))
        #expect(plan.keptRows == [100, 101, 102])
    }

    /// A fresh pattern whose nearest stored vector reaches the threshold merges into it;
    /// below, or with no holder, it stays new.
    @Test func nearDuplicatesOfStoredPatternsMergeAtTheThreshold() throws {
        var plan = Self.plan([NewPattern(id: "a", text: "alpha"), NewPattern(id: "b", text: "beta"), NewPattern(id: "c", text: "gamma")])
        try Self.classifyAll(&plan)
        plan.mergeNearStored([(row: 9, id: "nine", similarity: 0.97), (row: 9, id: "nine", similarity: 0.94), nil], threshold: 0.95)
        #expect(plan.fresh == [1, 2])
        #expect(plan.outcomes[0] == AddOutcome(id: "a", action: .mergedNear, storedAs: "nine", similarity: 0.97))
        #expect(plan.merges[9] == AddPlan.Merge(usage: 1, tags: []))
    }

    /// Within the batch, a pattern nearly repeating earlier ones merges into the earliest,
    /// followed along a chain to the pattern that one merged into; merges land on the kept
    /// one, and an exact repeat of a merged pattern follows it there.
    @Test func nearDuplicatesWithinTheBatchFollowTheChainToTheKeptPattern() throws {
        var plan = Self.plan([
            NewPattern(id: "p0", text: "zero", tags: ["a"]),
            NewPattern(id: "p1", text: "one", tags: ["b"]),
            NewPattern(id: "p2", text: "two", tags: ["c"]),
            NewPattern(id: "p3", text: "three"),
            NewPattern(id: "p4", text: "two", tags: ["d"]),
        ])
        try Self.classifyAll(&plan)
        #expect(plan.fresh == [0, 1, 2, 3])
        plan.assignRows([10, 11, 12, 13])
        let absorbed = plan.mergeWithinBatch([
            [(row: 10, similarity: 1)],
            [(row: 10, similarity: 0.96), (row: 11, similarity: 1)],
            [(row: 11, similarity: 0.97), (row: 12, similarity: 1)],
            [(row: 12, similarity: 0.5), (row: 13, similarity: 1)],
        ], threshold: 0.95)
        plan.settleRepeats()
        #expect(absorbed == [11, 12])
        #expect(plan.keepers == [0, 3] && plan.keptRows == [10, 13])
        let outcomes = plan.outcomes
        #expect(outcomes[1] == AddOutcome(id: "p1", action: .mergedNear, storedAs: "p0", similarity: 0.96))
        #expect(outcomes[2] == AddOutcome(id: "p2", action: .mergedNear, storedAs: "p0", similarity: 0.97))
        #expect(outcomes[4].action == .mergedExact && outcomes[4].storedAs == "p0")
        #expect(plan.merges[10] == AddPlan.Merge(usage: 3, tags: ["b", "c", "d"]))
        var taken = plan
        #expect(taken.takeMerge(into: 10) != nil && taken.takeMerge(into: 10) == nil)
    }
}
