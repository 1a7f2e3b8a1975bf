namespace Advex.Reporting.Html;

/// <summary>The report's inline style sheet: system fonts only, a readable column, tables that become
/// blocks of "column: value" lines on a phone, so that nothing scrolls sideways.</summary>
internal static class ReportStyle
{
    public const string Css = """
        :root { color-scheme: light; --ink: #1d2430; --muted: #5b6472; --line: #d9dee5; --accent: #2457a6; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
               color: var(--ink); background: #f6f7f9; }
        main { max-width: 1040px; margin: 0 auto; padding: 16px; }
        main, header { overflow-wrap: anywhere; }
        header { background: #fff; border-bottom: 1px solid var(--line); }
        header .inner { max-width: 1040px; margin: 0 auto; padding: 16px; }
        h1 { font-size: 1.6rem; margin: 0 0 4px; }
        h2 { font-size: 1.25rem; margin: 0 0 12px; }
        h3 { font-size: 1.05rem; margin: 16px 0 8px; }
        section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px; margin: 16px 0; }
        nav { display: flex; flex-wrap: wrap; gap: 4px 12px; font-size: .9rem; }
        nav a { color: var(--accent); text-decoration: none; }
        .muted, figcaption, caption { color: var(--muted); font-size: .9rem; }
        .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; }
        .card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
        .card .value { font-size: 1.5rem; font-weight: 600; }
        .scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; margin: 8px 0; }
        table { border-collapse: collapse; min-width: 100%; font-size: .9rem; }
        caption { text-align: left; padding-bottom: 4px; }
        th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
        td { overflow-wrap: break-word; } td.path { overflow-wrap: anywhere; min-width: 8em; } td.nb { white-space: nowrap; }
        th { background: #eef1f5; }
        figure { margin: 12px 0; }
        .figs { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 8px 16px; }
        .figs figure { margin: 4px 0; }
        p.caption { color: var(--muted); font-size: .9rem; margin: 12px 0 2px; }
        img { max-width: 100%; height: auto; border: 1px solid var(--line); background: #fff; }
        .badge { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: .8rem; font-weight: 600; }
        .badge.pass { background: #d7f2dc; color: #17652a; }
        .badge.warn { background: #fde8c4; color: #8a4b00; }
        td.detail { white-space: normal; min-width: 240px; }
        .notrun { color: var(--muted); font-style: italic; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; }
        dt { color: var(--muted); } dd { margin: 0; overflow-wrap: anywhere; }
        code { font-size: .85rem; overflow-wrap: anywhere; }
        @media (max-width: 600px) { main { padding: 8px; } section { padding: 10px; } dl { grid-template-columns: 1fr; }
          .figs { grid-template-columns: 1fr; }
          .scroll { overflow-x: visible; }
          table, tbody, td { display: block; } table { min-width: 0; } thead { display: none; }
          tr { display: flex; flex-wrap: wrap; gap: 0 16px; padding: 6px 0; border-bottom: 1px solid var(--line); }
          td, td.nb { border: 0; padding: 0; white-space: normal; min-width: 0; max-width: 100%; }
          td::before { content: attr(data-label) ": "; color: var(--muted); font-weight: normal; }
          td[data-label=""]::before { content: none; }
          td:first-child { flex-basis: 100%; font-weight: 600; } table.sanity td:first-child { flex-basis: auto; }
          td.detail { min-width: 0; flex-basis: 100%; } }
        """;
}
