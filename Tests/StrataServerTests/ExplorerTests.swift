import Foundation
import Hummingbird
import HummingbirdTesting
import StrataAnalytics
import StrataServer
import StrataStore
import Testing

/// The pattern explorer as a browser without JavaScript sees it, and the live feed as an
/// EventSource reads it.
@Suite struct ExplorerTests {
    static let subjects = ["invoice", "parcel", "ledger", "coupon", "voucher", "shipment"]

    static func text(_ subject: String) -> String {
        "class \(subject.capitalized)Writer:\n    def write_\(subject)s(self, rows):\n        # <script>alert('\(subject)')</script>\n        return self.\(subject)_table.insert_many(rows)\n"
    }

    @Test func searchPatternPageAndClusterDrillDown() async throws {
        let served = try ServedStore()
        try served.service.tracker.record(GenerationRecord(prompt: "Create invoice writer", provider: "openai", model: "gpt-x", cost: 0.01, patternIDs: ["invoice"]))
        try await served.test { client in
            let patterns = Self.subjects.map { ["id": $0, "name": "\($0.capitalized)Writer", "text": Self.text($0), "node_type": "effect"] }
            try await client.execute(uri: "/v1/patterns", method: .post, body: body(["patterns": patterns])) { #expect($0.status == .created) }
            try await client.execute(uri: "/v1/clusters", method: .post, body: body(["k": 2, "seed": 3])) { #expect($0.status == .created) }

            try await client.execute(uri: "/explore?q=write+ledger+rows&mode=hybrid&filter=node_type%3Deffect", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentSecurityPolicy]?.contains("form-action 'self'") == true)
                let page = String(buffer: response.body)
                #expect(page.contains("<form id=\"search\" method=\"get\" action=\"/explore\">") && page.contains("value=\"write ledger rows\""))
                #expect(page.contains("<article class=\"hit\"><h3><a href=\"/explore/patterns/ledger\">LedgerWriter</a>"))
                #expect(page.contains("&lt;script&gt;alert(") && !page.contains("<script>alert("), "stored text is escaped")
                #expect(page.contains("id=\"summary\">6 results") || page.contains("results (hybrid"))
            }
            try await client.execute(uri: "/explore?q=x&filter=quality%3E%3Dlots", method: .get) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/explore?q=x&mode=psychic", method: .get) { #expect($0.status == .badRequest) }

            let clusterLink = try await client.execute(uri: "/explore/patterns/invoice", method: .get) { response -> String in
                #expect(response.status == .ok)
                let page = String(buffer: response.body)
                #expect(page.contains("id=\"pattern-facts\"") && page.contains("InvoiceWriter") && page.contains("&lt;script&gt;"))
                #expect(page.contains("id=\"pattern-usage\"") && page.contains("id=\"pattern-generations\"") && page.contains("Create invoice writer"))
                #expect(page.contains("id=\"pattern-neighbours\"") && page.contains("/explore/patterns/"))
                guard let range = page.range(of: "/explore/clusters/[0-9]+/[0-9]+", options: .regularExpression) else {
                    Issue.record("no cluster link on the pattern's page")
                    return ""
                }
                return String(page[range])
            }
            try await client.execute(uri: clusterLink, method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("/explore/patterns/invoice"))
            }
            try await client.execute(uri: "/explore/patterns/nothing", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/explore/clusters/1/99", method: .get) { #expect($0.status == .notFound) }
            // The dashboard's cluster legend drills down to the same pages.
            try await client.execute(uri: "/dashboard", method: .get) { response in
                #expect(String(buffer: response.body).contains("href=\"/explore/clusters/"))
                #expect(String(buffer: response.body).contains("new EventSource(\"/v1/generations/stream\")"))
            }
        }
    }

    @Test func theFeedStreamsEachNewGenerationAsAnEvent() async throws {
        let served = try ServedStore()
        let tracker = served.service.tracker
        let before = try tracker.record(GenerationRecord(provider: "openai", model: "before", cost: 0.01)).id ?? 0
        let recorder = Task.detached {
            try await Task.sleep(for: .milliseconds(600))
            try tracker.record(GenerationRecord(prompt: "first live", provider: "openai", model: "m", cost: 0.01))
            try tracker.record(GenerationRecord(prompt: "second live", provider: "openai", model: "m", cost: 0.02))
        }
        try await served.test { client in
            // From the record before: the two recorded while the stream runs come, however late it starts.
            try await client.execute(uri: "/v1/generations/stream?after=\(before)&max_events=2&seconds=60", method: .get) { response in
                #expect(response.headers[.contentType] == "text/event-stream")
                let text = String(buffer: response.body)
                let events = text.components(separatedBy: "event: generation\n").dropFirst()
                #expect(events.count == 2, "\(text)")
                #expect(text.contains("first live") && text.contains("second live") && !text.contains("\"model\":\"before\""))
                #expect(text.range(of: "id: [0-9]+\nevent: generation\ndata: \\{", options: .regularExpression) != nil)
            }
            // Resumed after the first: only the second.
            try await client.execute(uri: "/v1/generations/stream?after=\(before + 1)&max_events=1&seconds=30", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains("second live") && !text.contains("first live"), "\(text)")
            }
        }
        try await recorder.value
    }

    /// The explorer driven by headless Chromium as a person uses it: the search box typed into
    /// (DevTools' `Input.insertText`), Enter pressed, the results read from the page the
    /// browser then shows (`explorer_browser_check.py`, beside this file).
    @Test func chromiumTypesAQueryAndReadsTheResults() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: DashboardTests.chromium),
                     "chromium is not installed at \(DashboardTests.chromium): install the Debian package `chromium` (`make deps` does)")
        let served = try ServedStore()
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("explorer_browser_check.py").path
        try await Application(responder: served.service.makeResponder(), configuration: .init(address: .hostname("127.0.0.1", port: 0))).test(.live) { client in
            let patterns = Self.subjects.map { ["id": $0, "name": "\($0.capitalized)Writer", "text": Self.text($0), "node_type": "effect"] }
            try await client.execute(uri: "/v1/patterns", method: .post, body: body(["patterns": patterns])) { #expect($0.status == .created) }
            let port = try #require(client.port)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", script, DashboardTests.chromium, "http://127.0.0.1:\(port)", "write the parcel rows"]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            // Read while it runs, then wait: a full pipe would hold the script.
            let printed = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            let page = try #require(try JSONSerialization.jsonObject(with: printed) as? [String: Any], "\(String(decoding: printed, as: UTF8.self))")
            #expect((page["url"] as? String)?.contains("/explore?q=write+the+parcel+rows") == true, "\(page)")
            let results = page["results"] as? [[String: String]] ?? []
            #expect(results.first?["id"] == "parcel" && results.first?["title"] == "ParcelWriter", "\(results)")
            #expect(results.count == Self.subjects.count)
            #expect((page["code"] as? String)?.contains("self.parcel_table.insert_many(rows)") == true)
            #expect((page["summary"] as? String)?.hasPrefix("\(Self.subjects.count) results") == true)
        }
    }
}
