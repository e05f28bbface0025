import Foundation
import StrataAnalytics

/// The pattern explorer's pages: server-rendered HTML in the dashboard's style, no script,
/// no asset from elsewhere, every stored text escaped.
enum ExplorerPage {
    /// A whole page: the dashboard's style, a header with the search form, `body`.
    static func page(title: String, query: String = "", mode: String = "hybrid", filter: String = "", body: String) -> String {
        let modes = ["hybrid", "dense", "lexical"].map { "<option\($0 == mode ? " selected" : "")>\($0)</option>" }.joined()
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTMLText.escape(title)) — Strata explorer</title><style>\(DashboardPage.style)\(style)</style></head>
            <body><main id="explorer">
            <header><h1>Pattern explorer</h1><p class="sub"><a href="/dashboard">dashboard</a> · <a href="/explore">search</a></p>
            <form id="search" method="get" action="/explore">
            <input type="search" name="q" value="\(HTMLText.escape(query))" placeholder="what the code does: retry with backoff, postgres writer…" aria-label="query" autofocus>
            <select name="mode" aria-label="mode">\(modes)</select>
            <input type="text" name="filter" value="\(HTMLText.escape(filter))" placeholder="filter: node_type=effect,quality>=0.7" aria-label="filter">
            <button type="submit">Search</button></form></header>
            \(body)
            </main></body></html>

            """
    }

    static let style = """
        #explorer header form{display:flex;gap:8px;flex-wrap:wrap;margin:12px 0}
        #explorer input[type=search]{flex:1 1 320px;padding:6px 8px}
        #explorer input[type=text]{flex:0 1 260px;padding:6px 8px}
        #explorer pre{background:#f6f8fa;border:1px solid #e1e4e8;border-radius:6px;padding:10px;overflow:auto;font-size:12.5px;line-height:1.45;max-height:420px}
        #explorer .hit{border-top:1px solid #e1e4e8;padding:10px 0}
        #explorer .hit h3{margin:0 0 4px;font-size:15px}
        #explorer .meta{color:var(--muted);font-size:12.5px}
        """

    /// A pattern's code, readable: monospace, its lines kept, escaped.
    static func code(_ text: String, language: String) -> String {
        "<pre><code class=\"language-\(HTMLText.escape(language))\">\(HTMLText.escape(text))</code></pre>"
    }

    static func link(pattern id: String, _ label: String? = nil) -> String {
        "<a href=\"/explore/patterns/\(percent(id))\">\(HTMLText.escape(label ?? id))</a>"
    }

    static func percent(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }

    static func table(id: String, _ header: [String], _ rows: [[String]]) -> String {
        "<div class=\"table\"><table id=\"\(id)\"><tr>" + header.map { "<th>\($0)</th>" }.joined() + "</tr>"
            + rows.map { "<tr>" + $0.map { "<td>\($0)</td>" }.joined() + "</tr>" }.joined() + "</table></div>"
    }
}
