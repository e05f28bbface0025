import Foundation
import StrataServer
import Testing

@Suite struct ServerConfigurationTests {
    func file(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "strata-config-\(UUID().uuidString).yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func defaultsListenOnLoopback() throws {
        let configuration = try ServerConfiguration.load(file: nil, environment: [:])
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 8765)
        #expect(configuration.store == ".strata")
        #expect(configuration.apiKey == nil)
        #expect(configuration.preload == false)
        #expect(try ServerConfiguration.load(file: nil, environment: ["STRATA_PRELOAD": "yes"]).preload)
        #expect(throws: ServerError.self) { try ServerConfiguration.load(file: nil, environment: [:], overrides: ["preload": "sometimes"]) }
        // A long job leaves a core to the searches, and never has none.
        #expect(configuration.jobThreads == max(1, ProcessInfo.processInfo.activeProcessorCount - 1))
        #expect(try ServerConfiguration.load(file: nil, environment: ["STRATA_JOB_THREADS": "3"]).jobThreads == 3)
        for bad in ["0", "two", "-1"] {
            #expect(throws: ServerError.self) { try ServerConfiguration.load(file: nil, environment: [:], overrides: ["job_threads": bad]) }
        }
    }

    @Test func layersOverrideInOrder() throws {
        let path = try file("""
            port: 9000
            store: /srv/strata
            environments:
              dev:
                port: 9001
              prod:
                host: 0.0.0.0
                port: 9100
                api_key: from-file
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let dev = try ServerConfiguration.load(file: path, environment: [:])
        #expect(dev.port == 9001 && dev.store == "/srv/strata" && dev.host == "127.0.0.1")
        let prod = try ServerConfiguration.load(file: path, environment: ["STRATA_ENVIRONMENT": "prod", "STRATA_API_KEY": "from-env"])
        #expect(prod.host == "0.0.0.0" && prod.port == 9100 && prod.apiKey == "from-env")
        let flagged = try ServerConfiguration.load(file: path, environment: ["STRATA_ENVIRONMENT": "prod", "STRATA_PORT": "9200"], overrides: ["port": "9300"])
        #expect(flagged.port == 9300)
    }

    @Test func mistakesNameTheirSource() throws {
        let unknown = try file("prot: 1\n")
        let badPort = try file("port: http\n")
        let noSection = try file("environments:\n  dev:\n    port: 1\n")
        defer { for path in [unknown, badPort, noSection] { try? FileManager.default.removeItem(atPath: path) } }
        func problem(_ body: () throws -> ServerConfiguration) -> String {
            do { _ = try body(); return "" } catch { return "\(error)" }
        }
        #expect(problem { try ServerConfiguration.load(file: unknown, environment: [:]) }.contains("unknown key \"prot\""))
        #expect(problem { try ServerConfiguration.load(file: badPort, environment: [:]) }.contains("port \"http\" is not a port number"))
        #expect(problem { try ServerConfiguration.load(file: noSection, environment: [:], overrides: ["environment": "prod"]) }.contains("no section for environment \"prod\""))
        #expect(problem { try ServerConfiguration.load(file: nil, environment: ["STRATA_PORT": "0"]) }.contains("STRATA_* environment variables"))
        #expect(problem { try ServerConfiguration.load(file: "/nonexistent.yaml", environment: [:]) }.contains("cannot read the config file"))
    }
}

@Suite struct JSONTextTests {
    @Test func writesWhatJSONSerializationReadsBack() throws {
        let optionalCost: Double? = nil
        let value: [String: Any] = [
            "text": "quote \" backslash \\ newline \n tab \t bell \u{7} é 漢", "int": 42, "negative": -7, "double": 0.5421561002731323,
            "whole": 3.0, "flag": true, "off": false, "list": [1, "two", [3.5]], "nested": ["a": ["b": NSNull()]],
            "none": optionalCost as Any, "some": Optional(1.25) as Any, "nan": Double.nan,
        ]
        let object = try #require(try JSONSerialization.jsonObject(with: Data(JSONText.bytes(value))) as? [String: Any])
        #expect(object["text"] as? String == value["text"] as? String)
        #expect(object["int"] as? Int == 42 && object["negative"] as? Int == -7)
        #expect(object["double"] as? Double == 0.5421561002731323)
        #expect(object["whole"] as? Int == 3)
        #expect(object["flag"] as? Bool == true && object["off"] as? Bool == false)
        #expect(((object["list"] as? [Any])?[2] as? [Double]) == [3.5])
        #expect(((object["nested"] as? [String: Any])?["a"] as? [String: Any])?["b"] is NSNull)
        #expect(object["none"] is NSNull && object["some"] as? Double == 1.25 && object["nan"] is NSNull)
    }
}
