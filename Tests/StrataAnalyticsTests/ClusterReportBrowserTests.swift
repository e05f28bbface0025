import Foundation
import StrataStore
import Testing
import StrataAnalytics

/// The report as a browser renders it: headless Chromium loads the page from disk and dumps
/// the DOM it built, so markup that only looks right as text (an unclosed tag swallowing the
/// map, an SVG a browser refuses) fails here.
@Suite struct ClusterReportBrowserTests {
    static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The DOM Chromium builds from `file`.
    static func renderedDOM(of file: String, chromium: String, profile: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=\(profile)",
                             "--dump-dom", URL(fileURLWithPath: file).absoluteString]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test(.enabled(if: chromium != nil, "chromium is not installed: `make deps` installs the Debian package `chromium`"))
    func chromiumRendersTheMapTheLegendAndTheCharts() throws {
        try PatternFamilies.withStore(ClusterReportTests.plantedPatterns()) { store, directory in
            let report = try ClusterReport.generate(store: store, clustering: ClusterReportTests.clustering)
            let page = directory + "/report.html"
            try Data(report.html().utf8).write(to: URL(fileURLWithPath: page))

            let dom = try Self.renderedDOM(of: page, chromium: Self.chromium!, profile: directory + "/chromium-profile")
            #expect(dom.contains("<svg id=\"map\""), "no map in the rendered DOM (\(dom.count) characters)")
            #expect(Self.count("<circle class=\"point\"", in: dom) == report.map.points.count)
            #expect(Self.count("<polygon class=\"centroid\"", in: dom) == report.k)
            let legend = try #require(dom.components(separatedBy: "<ul class=\"legend\" id=\"legend\">").dropFirst().first?.components(separatedBy: "</ul>").first)
            #expect(Self.count("<li>", in: legend) == report.k)
            let quality = try #require(dom.components(separatedBy: "<svg id=\"quality-chart\"").dropFirst().first?.components(separatedBy: "</svg>").first)
            #expect(Self.count("<rect class=\"bar\"", in: quality) == report.k)
            #expect(Self.count("<line class=\"whisker\"", in: quality) == 3 * report.k)
            #expect(dom.contains("<svg id=\"size-chart\""))
            // The pattern whose id is a script tag is text in a tooltip, not an element.
            #expect(!dom.contains("<script"))
            #expect(dom.contains("&lt;script&gt;alert('id')&lt;/script&gt;"))
        }
    }
}
