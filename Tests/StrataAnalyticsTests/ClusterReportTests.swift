import Foundation
import StrataStore
import Testing
import StrataAnalytics

@Suite struct ClusterReportTests {
    /// Four families of 60, five near-copies of `kafka-0`, one pattern full of markup.
    static func plantedPatterns() -> [NewPattern] {
        var patterns = PatternFamilies.patterns(perFamily: 60)
        let original = patterns[0]
        for copy in 1...5 {
            patterns.append(NewPattern(id: "kafka-copy-\(copy)", text: original.text + "    # retry \(copy)\n", name: original.name,
                                       nodeType: .effect, domain: "kafka", language: "python", quality: 0.8))
        }
        patterns.append(NewPattern(id: "<script>alert('id')</script>", text: "def render_page(page):\n    return \"<script>alert(1)</script>\" + page.body\n",
                                   name: "<b>render</b>", nodeType: .orchestrator, domain: "http", language: "python", quality: 0.7))
        return patterns
    }

    /// Each family has three function shapes, and the built-in embedder weighs structure as
    /// much as words: twelve templates, so twelve clusters, each (nearly) one family.
    static let clustering = KMeansConfiguration(clusters: 12, seed: 3)

    /// The report's cluster of pattern `id`.
    static func cluster(of id: String, in report: ClusterReport) -> Int {
        Int(report.assignments[report.patternIDs.firstIndex(of: id)!])
    }

    /// The family (domain) most members of each report cluster belong to, by cluster.
    static func majorityFamily(_ report: ClusterReport, _ patterns: [Pattern]) -> [String] {
        var counts = [[String: Int]](repeating: [:], count: report.k)
        for (row, pattern) in patterns.enumerated() { counts[Int(report.assignments[row])][pattern.domain, default: 0] += 1 }
        return counts.map { $0.max { $0.value < $1.value }?.key ?? "" }
    }

    @Test func findsTheFamiliesTheirWordsThePlantedCopiesAndSaysWhatToDo() throws {
        try PatternFamilies.withStore(Self.plantedPatterns()) { store, directory in
            let report = try ClusterReport.generate(store: store, clustering: Self.clustering)
            #expect(report.n == 246)
            #expect(report.k == 12)
            #expect(report.spherical)
            #expect(report.clusters.map(\.size) == report.clusters.map(\.size).sorted(by: >))
            #expect(report.clusters.map(\.size).reduce(0, +) == report.n)

            // Purity: each cluster is (nearly) one family.
            let snapshot = try store.snapshot()
            #expect(report.patternIDs == snapshot.patterns.map(\.id))
            var byCluster: [Int: [String: Int]] = [:]
            for (row, pattern) in snapshot.patterns.enumerated() { byCluster[Int(report.assignments[row]), default: [:]][pattern.domain, default: 0] += 1 }
            let purity = Double(byCluster.values.map { $0.values.max() ?? 0 }.reduce(0, +)) / Double(report.n)
            #expect(purity >= 0.95, "purity \(purity): \(byCluster)")

            let familyWords = PatternFamilies.exclusiveWords(Self.plantedPatterns())
            let families = Self.majorityFamily(report, snapshot.patterns)
            #expect(Set(families) == Set(familyWords.keys))
            for cluster in report.clusters {
                let top = cluster.distinctiveTokens.prefix(3).map(\.token)
                // A splinter of two or three patterns (k-means may leave one) is marked by its own subjects.
                if cluster.size >= 10 {
                    #expect(!Set(top).isDisjoint(with: familyWords[families[cluster.index]]!), "cluster \(cluster.index) of \(families[cluster.index]) is marked by \(top)")
                }
                #expect(cluster.domains.first?.name == families[cluster.index])
                #expect(cluster.exemplars.count == min(5, cluster.size))
                #expect(cluster.exemplars.map(\.similarity) == cluster.exemplars.map(\.similarity).sorted(by: >))
                // The nearest five are at least as close as the average member.
                #expect(cluster.size <= 5 || cluster.exemplars.allSatisfy { $0.similarity <= 1.0001 && $0.similarity >= cluster.cohesion - 1e-6 })
                #expect(cluster.cohesion > 0 && cluster.cohesion <= 1.0001)
                if families[cluster.index] == "math" {
                    #expect(cluster.nodeTypes.first?.name == "compute")
                }
            }

            // The planted copies are one group, and a suggestion names them by their family.
            let planted = Set(["kafka-0"] + (1...5).map { "kafka-copy-\($0)" })
            let group = try #require(report.duplicateGroups.first { !planted.isDisjoint(with: $0.members) })
            #expect(planted.isSubset(of: Set(group.members)), "\(group.members)")
            #expect(group.minimumSimilarity >= 0.95)
            #expect(group.cluster == Self.cluster(of: "kafka-0", in: report))
            let merge = try #require(report.suggestions.first { $0.kind == .mergeDuplicates && $0.cluster == group.cluster })
            #expect(merge.text.contains("Effect patterns"))
            let named = merge.text.split(separator: "`").enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
            #expect(!named.isEmpty && Set(named).isSubset(of: familyWords["kafka"]!), "\(merge.text)")

            // The math family (quality 0.3 against 0.7–0.8) is the one sent for review.
            let reviews = report.suggestions.filter { $0.kind == .reviewQuality }
            #expect(!reviews.isEmpty && reviews.allSatisfy { families[$0.cluster] == "math" }, "\(reviews)")
            #expect(reviews.contains { $0.text.contains("0.30 is the lowest") }, "\(reviews)")
        }
    }

    @Test func htmlIsSelfContainedAndEscapesEveryText() throws {
        try PatternFamilies.withStore(Self.plantedPatterns()) { store, directory in
            var configuration = ClusterReportConfiguration()
            configuration.mapSample = 100
            let report = try ClusterReport.generate(store: store, clustering: Self.clustering, configuration: configuration)
            let html = report.html()
            #expect(html.hasPrefix("<!DOCTYPE html>"))
            #expect(!html.lowercased().contains("<script"), "a pattern's markup got through unescaped")
            #expect(!html.contains("<b>render"))
            #expect(html.contains("&lt;b&gt;render&lt;/b&gt;") || html.contains("&lt;script&gt;alert(&#39;id&#39;)&lt;/script&gt;"))
            // Nothing from the network: no external src/href, stylesheet link, CSS import or url().
            #expect(!html.contains("http://") && !html.contains("https://"))
            #expect(!html.contains(" src="))
            #expect(!html.contains("<link") && !html.contains("@import") && !html.contains("url("))
            for attribute in html.components(separatedBy: "href=\"").dropFirst() {
                #expect(attribute.hasPrefix("#"), "href to \(attribute.prefix(40))")
            }
            #expect(html.components(separatedBy: "<circle class=\"point\"").count - 1 == 100)
            #expect(report.map.points.count == 100 && report.map.total == report.n)
            #expect(html.components(separatedBy: "<rect class=\"bar\"").count - 1 == 2 * report.k)
        }
    }

    @Test func escapingCoversTheMarkupCharacters() {
        #expect(HTMLText.escape("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        #expect(HTMLText.escape("plain ü ✓") == "plain ü ✓")
    }

    @Test func jsonCarriesTheWholeReport() throws {
        try PatternFamilies.withStore(Self.plantedPatterns()) { store, directory in
            let history = try ClusterRunHistory(catalog: AnalyticsCatalog.open(storeDirectory: directory))
            let report = try ClusterReport.generate(store: store, filter: "node_type=effect", clustering: KMeansConfiguration(clusters: 2, seed: 3), history: history)
            let object = try #require(try JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any])
            #expect(Set(object.keys) == ["run_id", "created_at", "filter", "k", "n", "dimension", "spherical", "inertia", "silhouette", "iterations", "seed",
                                         "clusters", "duplicate_groups", "suggestions", "pca", "changes", "timings"])
            #expect(object["n"] as? Int == 125)  // kafka and database families, and the copies
            #expect(object["filter"] as? String == "node_type=effect")
            #expect(object["run_id"] as? Int == Int(report.runID ?? -1))
            #expect(object["changes"] is NSNull)
            #expect(object["silhouette"] is NSNull)
            let clusters = try #require(object["clusters"] as? [[String: Any]])
            #expect(clusters.count == 2)
            #expect(Set(clusters[0].keys) == ["index", "size", "cohesion", "mean_quality", "quality_spread", "mean_success_rate", "exemplars", "tokens", "node_types", "domains"])
            #expect((clusters[0]["tokens"] as? [[String: Any]])?.first?["weight"] is Double)
            let pca = try #require(object["pca"] as? [String: Any])
            let ratios = try #require(pca["explained_ratios"] as? [Double])
            #expect(ratios.count == 2 && ratios[0] >= ratios[1] && ratios[1] > 0 && ratios[0] + ratios[1] <= 1.000001)
            #expect(((pca["points"] as? [String: Any])?["id"] as? [String])?.count == 125)
                #expect(((pca["points"] as? [String: Any])?["x"] as? [Double])?.count == 125)
            let groups = try #require(object["duplicate_groups"] as? [[String: Any]])
            #expect(groups.contains { ($0["members"] as? [String])?.contains("kafka-copy-3") == true })
        }
    }
}
