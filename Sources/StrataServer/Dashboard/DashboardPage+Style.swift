extension DashboardPage {
    /// Hot and cold, in the tiers chart and its legend.
    static let hotColour = "#e4572e"
    static let coldColour = "#1f6fb4"

    /// The page's CSS: a grid of white panels on grey, charts stretched to their panel.
    static let style = """
        :root{--ink:#1d2330;--muted:#667085;--line:#e3e6eb;--panel:#fff;--bg:#f3f5f8}
        *{box-sizing:border-box}
        body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
        header{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 18px;padding:18px 24px 6px}
        h1{font-size:22px;margin:0;letter-spacing:.01em}
        .meta{color:var(--muted);margin:0}
        code{background:#eef1f5;padding:0 4px;border-radius:4px;font-size:12.5px}
        .tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(190px,1fr));gap:12px;padding:8px 24px}
        .tile{background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:10px 14px;min-width:0}
        .tile span{display:block;color:var(--muted);font-size:11.5px;text-transform:uppercase;letter-spacing:.05em}
        .tile b{display:block;font-size:24px;font-weight:650;font-variant-numeric:tabular-nums}
        .tile small{color:var(--muted);font-size:12px}
        .panels{display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:16px;padding:8px 24px 28px}
        .panel{background:var(--panel);border:1px solid var(--line);border-radius:12px;padding:14px 18px 16px;min-width:0}
        .panel.wide{grid-column:1/-1}
        .panel h2{font-size:16px;margin:0}
        .panel .sub{color:var(--muted);font-size:12.5px;margin:2px 0 10px}
        .columns{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:12px 24px}
        svg.chart{display:block;width:100%;height:auto;max-width:900px}
        svg text{font-family:inherit}
        svg .frame{fill:none;stroke:#cfd4dc}
        svg .grid{stroke:#edf0f3}
        svg .tick,svg .legend-label,svg .label{font-size:11px;fill:#4a5160}
        svg .axis-label{font-size:11.5px;fill:#667085}
        svg .value{font-size:11px;fill:#1d2330;font-weight:600}
        svg.chart.empty{max-width:640px}
        svg.empty .frame{fill:#fafbfc;stroke:#cfd4dc;stroke-dasharray:6 5}
        svg .empty-title{font-size:15px;font-weight:600;fill:#4a5160}
        svg .empty-message{font-size:12px;fill:#667085}
        svg .point{fill-opacity:.75}svg .centroid{stroke:#111;stroke-width:1.2}svg .centroid-label{font-size:11px;font-weight:700;fill:#111}
        svg .spent{fill:none;stroke:#1f6fb4;stroke-width:2.4;stroke-linejoin:round}
        svg .forecast{stroke:#1f6fb4;stroke-width:2;stroke-dasharray:6 4}
        svg .band{fill:#1f6fb4;fill-opacity:.12}
        svg .budget{stroke:#c0392b;stroke-width:1.8;stroke-dasharray:8 4}
        svg .now{stroke:#98a2b3;stroke-dasharray:2 3}
        svg .daily{fill:none;stroke:#8f4fc1;stroke-width:1.2;stroke-opacity:.55}
        svg .average{fill:none;stroke:#8f4fc1;stroke-width:2.6;stroke-linejoin:round}
        svg .day{fill:#8f4fc1}
        svg .spread{stroke:#667085;stroke-width:1.2}
        .hint{color:var(--muted);font-size:12.5px;margin:8px 0 0}
        .firing{color:#b42318;font-weight:600}
        .error{color:#b03a2e;font-weight:600}
        .table{overflow-x:auto}
        table{border-collapse:collapse;width:100%;font-size:12.5px;margin-top:10px}
        th{color:var(--muted);font-weight:600;text-align:left;border-bottom:1px solid var(--line);padding:4px 8px;white-space:nowrap}
        td{border-bottom:1px solid #f0f2f5;padding:4px 8px;vertical-align:top;font-variant-numeric:tabular-nums}
        th.num,td.num{text-align:right;white-space:nowrap}
        td.prompt{max-width:420px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
        .badge{display:inline-block;padding:0 8px;border-radius:10px;font-size:12px;font-weight:600}
        .badge.success,.badge.none{background:#e3f4e8;color:#1e7a36}
        .badge.failure,.badge.exhausted,.badge.over{background:#fde8e4;color:#b03a2e}
        .badge.error{background:#f3e5f5;color:#7b2c8f}
        .badge.half,.badge.fourFifths{background:#fdf2d8;color:#8a5a00}
        .swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px}
        .legend-list{list-style:none;padding:0;margin:6px 0 0;display:flex;flex-wrap:wrap;gap:2px 14px;font-size:12px;color:#4a5160}
        #stale{display:none;position:fixed;bottom:12px;left:50%;transform:translateX(-50%);margin:0;padding:8px 14px;border-radius:8px;background:#b03a2e;color:#fff}
        body.stale #stale{display:block}body.stale main{opacity:.65}
        """
}
