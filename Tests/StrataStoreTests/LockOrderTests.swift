import StrataStore
import Testing

/// The store's lock order, as the debug-build check applies it.
@Suite struct LockOrderTests {
    @Test func locksAreTakenOnlyInRankOrder() {
        #expect(LockOrder.violation(held: [], acquiring: .write) == nil)
        #expect(LockOrder.violation(held: [.payloadBuild, .write, .read], acquiring: .state) == nil)
        #expect(LockOrder.violation(held: [.write], acquiring: .replica) == nil)
        let backwards = LockOrder.violation(held: [.write, .state], acquiring: .read)
        #expect(backwards?.contains("taking read while holding state") == true)
        #expect(backwards?.contains("write → state") == true)
        // A lock is not taken twice by one thread: NSLock would deadlock.
        #expect(LockOrder.violation(held: [.write], acquiring: .write) != nil)
    }
}
