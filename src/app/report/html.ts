/**
 * The report page: one self-contained HTML file (inline SVG figures, a small stylesheet; a few lines
 * of script only when a table is sortable).
 */

/** A table of the report: a caption, a header row and body rows. */
export interface ReportTable {
  readonly caption: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
  /** Clicking a column's header sorts the rows by it (numbers as numbers), again to reverse. */
  readonly sortable?: boolean;
}

/** A rendered figure section. */
export interface RenderedFigure {
  readonly id: string;
  readonly heading: string;
  readonly caption: string;
  /** The figure as an SVG document. */
  readonly svg: string;
}

/** Everything on the page. */
export interface ReportPage {
  readonly title: string;
  /** Key facts shown first (task, model, accuracy, ...). */
  readonly summary: readonly (readonly [string, string])[];
  readonly figures: readonly RenderedFigure[];
  readonly tables: readonly ReportTable[];
}

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; color: #222; max-width: 1100px; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 0.8em 0; }
th, td { border: 1px solid #ccc; padding: 3px 9px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.3em; }
table.sortable th { cursor: pointer; }
figure { margin: 1em 0; }
figcaption { color: #555; max-width: 800px; }
svg { max-width: 100%; height: auto; }
`;

/** Escapes text for HTML content and attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Gives every `id` of an SVG a prefix (and rewrites its references), so several inline SVGs on one
 * page do not share clip-path ids.
 */
export function scopeSvgIds(svg: string, prefix: string): string {
  return svg
    .replace(/<\?xml[^>]*>\s*/, "")
    .replace(/\bid="([^"]+)"/g, `id="${prefix}-$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${prefix}-$1)`)
    .replace(/href="#([^"]+)"/g, `href="#${prefix}-$1"`);
}

/** Sorts a sortable table by the clicked header's column: numbers numerically, the rest as text. */
const SORT_SCRIPT = `<script>
for (const table of document.querySelectorAll("table.sortable")) {
  table.querySelectorAll("th").forEach((th, col) => th.addEventListener("click", () => {
    const body = table.tBodies[0];
    const down = th.dataset.order !== "asc";
    th.dataset.order = down ? "asc" : "desc";
    const key = (row) => row.cells[col].textContent;
    const rows = [...body.rows].sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      const [nx, ny] = [parseFloat(x), parseFloat(y)];
      const c = isNaN(nx) || isNaN(ny) ? x.localeCompare(y) : nx - ny;
      return down ? c : -c;
    });
    body.append(...rows);
  }));
}
</script>`;

function table(t: ReportTable): string {
  const cells = (row: readonly (string | number)[], tag: string) =>
    `<tr>${row.map((c) => `<${tag}>${escapeHtml(String(c))}</${tag}>`).join("")}</tr>`;
  return `<table${t.sortable ? ' class="sortable"' : ""}><caption>${escapeHtml(t.caption)}</caption><thead>${cells(t.header, "th")}</thead><tbody>${t.rows
    .map((r) => cells(r, "td"))
    .join("")}</tbody></table>`;
}

/** Lays out the page. */
export function reportHtml(page: ReportPage): string {
  const summary = page.summary
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join("");
  const figures = page.figures
    .map(
      (f) =>
        `<section class="figure" id="${escapeHtml(f.id)}"><h2>${escapeHtml(f.heading)}</h2><figure>${scopeSvgIds(f.svg, f.id)}<figcaption>${escapeHtml(f.caption)}</figcaption></figure></section>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(page.title)}</h1>
<table class="summary">${summary}</table>
${figures}
<section class="tables"><h2>Tables</h2>
${page.tables.map(table).join("\n")}
</section>
${page.tables.some((t) => t.sortable) ? SORT_SCRIPT : ""}
</body>
</html>
`;
}
