import Foundation
import StrataGeneration
import StrataStore
import Testing

/// The syntax gate's kept interpreters (``SyntaxWorkers``): answers never crossed between
/// threads, no more workers than cores, and a worker that breaks or hangs is replaced.
@Suite struct SyntaxWorkerTests {
    /// A shell script standing in for python3, removed by the caller.
    static func fakeInterpreter(_ body: String) throws -> URL {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("strata-fake-python-\(UUID().uuidString)")
        try "#!/bin/sh\n\(body)\n".write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        return script
    }

    @Test(.enabled(if: hasPython)) func nodesCheckedAtOnceEachGetTheirOwnAnswer() throws {
        let python = try #require(PythonCheck.python)
        let configuration = ValidationGates.Configuration(python: python, gates: [.syntax])
        // Every third node has a syntax error on a line of its own, so a crossed answer shows.
        let nodes = (0..<24).map { index -> (RenderedNode, Int?) in
            var node = NodeFixtures.valid(NodeType.buildable[index % NodeType.buildable.count])
            guard index % 3 == 0 else { return (node, nil) }
            let padding = String(repeating: "\n", count: index)
            node.setFile("v1_0_0/broken.py", text: "x = 1\(padding)\ndef oops(:\n")
            return (node, index + 2)
        }
        let results = Array(repeating: GateResult?.none, count: nodes.count)
        let answers = UnsafeSendableBox(results)
        DispatchQueue.concurrentPerform(iterations: nodes.count) { index in
            answers.set(index, ValidationGates.validate(nodes[index].0, configuration: configuration)[.syntax])
        }
        for (index, (_, brokenLine)) in nodes.enumerated() {
            let result = try #require(answers.values[index])
            if let brokenLine {
                #expect(result.status == .failed, "node \(index)")
                #expect(result.issues.map(\.path) == ["v1_0_0/broken.py"], "node \(index)")
                #expect(result.issues.first?.line == brokenLine, "node \(index)")
            } else {
                #expect(result.status == .passed, "node \(index): \(result.detail)")
            }
        }
        #expect(SyntaxWorkers.alive(python) <= SyntaxWorkers.capacity)
        #expect(SyntaxWorkers.alive(python) >= 1, "the workers stay for the next node")
    }

    @Test func aWorkerThatDiesIsReplacedByAOneOffRunThatSaysWhy() throws {
        // Reads the request (or the whole input of a one-off run), then fails as a broken
        // interpreter would.
        let script = try Self.fakeInterpreter("read line\necho 'Fatal Python error: init_fs_encoding' >&2\nexit 3")
        defer { try? FileManager.default.removeItem(at: script) }
        let configuration = ValidationGates.Configuration(python: script.path, syntaxTimeout: 5, gates: [.syntax])
        for _ in 0..<2 {
            let result = try #require(ValidationGates.validate(NodeFixtures.valid(.compute), configuration: configuration)[.syntax])
            #expect(result.status == .failed)
            #expect(result.detail.contains("exited with status 3"), "\(result.detail)")
            #expect(result.detail.contains("init_fs_encoding"), "\(result.detail)")
        }
        #expect(SyntaxWorkers.alive(script.path) == 0, "a dead worker is not kept")
    }

    @Test func aHungWorkerIsKilledAndNotKept() throws {
        let script = try Self.fakeInterpreter("exec sleep 30")
        defer { try? FileManager.default.removeItem(at: script) }
        let configuration = ValidationGates.Configuration(python: script.path, syntaxTimeout: 0.3, gates: [.syntax])
        let result = try #require(ValidationGates.validate(NodeFixtures.valid(.effect), configuration: configuration)[.syntax])
        #expect(result.status == .failed)
        #expect(result.detail.contains("did not finish"))
        #expect(SyntaxWorkers.alive(script.path) == 0)
    }

    @Test(.enabled(if: hasPython)) func preparedWorkersAreWhatTheGateUses() throws {
        // A path of its own (a symlink), so other tests' workers do not count.
        let link = FileManager.default.temporaryDirectory.appendingPathComponent("strata-python-link-\(UUID().uuidString)")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: try #require(PythonCheck.python))
        defer { try? FileManager.default.removeItem(at: link) }
        let configuration = ValidationGates.Configuration(python: link.path, gates: [.syntax])
        ValidationGates.prepare(configuration, count: 1)
        #expect(SyntaxWorkers.alive(link.path) == 1)
        for _ in 0..<5 {
            #expect(ValidationGates.validate(NodeFixtures.valid(.reducer), configuration: configuration)[.syntax]?.status == .passed)
        }
        #expect(SyntaxWorkers.alive(link.path) == 1, "one node at a time needs one worker")
        var oneOff = configuration
        oneOff.keepsInterpreter = false
        ValidationGates.prepare(oneOff, count: 2)
        #expect(ValidationGates.validate(NodeFixtures.valid(.reducer), configuration: oneOff)[.syntax]?.status == .passed)
        #expect(SyntaxWorkers.alive(link.path) == 1, "without keepsInterpreter nothing is started or kept")
    }
}

/// Results written by concurrent iterations, each to its own index.
private final class UnsafeSendableBox: @unchecked Sendable {
    // Each index is written by one iteration only, and read after `concurrentPerform` returns.
    private(set) var values: [GateResult?]
    private let lock = NSLock()

    init(_ values: [GateResult?]) { self.values = values }

    func set(_ index: Int, _ value: GateResult?) {
        lock.withLock { values[index] = value }
    }
}
