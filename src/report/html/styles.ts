/** The report's stylesheet: inlined, system fonts only, nothing fetched. */
export const STYLES = `
:root { color-scheme: light; --ink: #0f172a; --muted: #475569; --line: #e2e8f0; --up: #b91c1c; --down: #15803d; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 24px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.headline { font-size: 18px; margin: 4px 0; }
.meta, .note-small { color: var(--muted); margin: 2px 0; }
.cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 12px; }
.card h3 { margin: 0 0 6px; font-size: 13px; color: var(--muted); font-weight: 600; text-transform: uppercase; letter-spacing: .03em; }
.card .big { font-size: 20px; font-weight: 650; }
.up { color: var(--up); }
.down { color: var(--down); }
.unknown { color: #b45309; }
.chart { position: relative; height: 340px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.verdict { margin: 4px 0; }
.badge { display: inline-block; min-width: 64px; text-align: center; border-radius: 4px; padding: 0 6px; font-size: 12px; font-weight: 650; margin-right: 6px; }
.badge.blocked { background: #fee2e2; color: #991b1b; }
.badge.warning { background: #fef3c7; color: #92400e; }
.badge.waived { background: #dbeafe; color: #1e40af; }
.badge.passed { background: #dcfce7; color: #166534; }
.badge.not-priced { background: #f1f5f9; color: #334155; border: 1px dashed #64748b; }
.banner { display: flex; flex-wrap: wrap; align-items: baseline; gap: 6px 14px; border-radius: 8px; padding: 12px 16px; margin: 0 0 16px; border: 2px solid; }
.banner-word { font-size: 22px; font-weight: 800; letter-spacing: .04em; }
.banner-counts { font-size: 15px; }
.banner.blocked { background: #fee2e2; border-color: #b91c1c; color: #7f1d1d; }
.banner.warnings, .banner.not-priced { background: #fef3c7; border-color: #b45309; color: #78350f; }
.banner.passed { background: #dcfce7; border-color: #15803d; color: #14532d; }
.banner.not-gated { background: #f1f5f9; border-color: #64748b; color: #1e293b; }
tr.mark-blocked td:first-child { box-shadow: inset 4px 0 #b91c1c; }
tr.mark-warning td:first-child { box-shadow: inset 4px 0 #b45309; }
tr.mark-not-priced td:first-child { box-shadow: inset 4px 0 #64748b; }
.notes li { color: var(--muted); }
details { margin: 6px 0; }
details ul { margin: 4px 0 8px; }
code { font-size: 12px; }
`;
