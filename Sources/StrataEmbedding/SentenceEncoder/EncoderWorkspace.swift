import Foundation

/// One thread's scratch memory for the forward pass, grown on demand and reused across batches.
///
/// Sequences are packed without padding: token t of the batch is row t of every buffer, each
/// sequence's rows contiguous. Only attention looks across rows, and it does so per sequence,
/// so no row ever sees another sequence's tokens and there is nothing to mask.
///
/// ```
/// hidden   [tokens × hidden]        the running token vectors
/// spare    [tokens × hidden]        residual + attention output, before its LayerNorm
/// qkv      [tokens × 3·hidden]      Q | K | V, head h at columns h·d ..< (h+1)·d of each third
/// context  [tokens × hidden]        attention output, heads side by side
/// wide     [tokens × intermediate]  the feed-forward layer
/// scores   [longest × longest]      one head's attention matrix for one sequence
/// ```
///
/// - Important: Not thread-safe; each worker owns one. Pointers stay valid until the next
///   `reserve` or the workspace's end.
final class EncoderWorkspace {
    private(set) var hidden = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    private(set) var spare = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    private(set) var qkv = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    private(set) var context = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    private(set) var wide = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    private(set) var scores = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    private var tokenCapacity = 0
    private var lengthCapacity = 0
    let architecture: BertArchitecture

    init(architecture: BertArchitecture) {
        self.architecture = architecture
    }

    /// Makes room for `tokens` rows and sequences up to `longest` tokens.
    func reserve(tokens: Int, longest: Int) {
        let h = architecture.hiddenSize
        if tokens > tokenCapacity {
            let capacity = max(tokens, tokenCapacity * 3 / 2)
            for pointer in [hidden, spare, qkv, context, wide] { pointer.deallocate() }
            hidden = Self.zeroed(capacity * h)
            spare = Self.zeroed(capacity * h)
            qkv = Self.zeroed(capacity * 3 * h)
            context = Self.zeroed(capacity * h)
            wide = Self.zeroed(capacity * architecture.intermediateSize)
            tokenCapacity = capacity
        }
        if longest > lengthCapacity {
            scores.deallocate()
            scores = Self.zeroed(longest * longest)
            lengthCapacity = longest
        }
    }

    private static func zeroed(_ count: Int) -> UnsafeMutablePointer<Float> {
        let pointer = UnsafeMutablePointer<Float>.allocate(capacity: count)
        pointer.initialize(repeating: 0, count: count)
        return pointer
    }

    deinit {
        for pointer in [hidden, spare, qkv, context, wide, scores] { pointer.deallocate() }
    }
}

/// Workspaces kept between calls, so a steady stream of `embed` calls reuses warm memory
/// instead of faulting in fresh pages each time.
final class EncoderWorkspacePool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [EncoderWorkspace] = []
    private let architecture: BertArchitecture
    /// Most workspaces kept idle (one per worker thread is enough).
    private let limit: Int

    init(architecture: BertArchitecture, limit: Int) {
        self.architecture = architecture
        self.limit = limit
    }

    /// An idle workspace, or a new one. Return it with `release`.
    func acquire() -> EncoderWorkspace {
        lock.lock()
        defer { lock.unlock() }
        return idle.popLast() ?? EncoderWorkspace(architecture: architecture)
    }

    func release(_ workspace: EncoderWorkspace) {
        lock.lock()
        defer { lock.unlock() }
        if idle.count < limit { idle.append(workspace) }
    }
}
