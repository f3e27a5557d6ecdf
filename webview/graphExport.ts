/**
 * The graph as an SVG document: every placed node (coloured as on screen, with its op and name)
 * and edge, expanded bodies framed. Pure string building, so the export is tested in Node and
 * the PNG export rasterises the same picture.
 */
import type { ModelGraph } from '../src/shared/protocol';
import { nodeFill, type MetricColours } from './graphMetrics';
import type { Scene } from './graphScene';

export interface SvgTheme {
  readonly background: string;
  readonly foreground: string;
  readonly border: string;
  readonly neutral: string;
}

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** The whole scene as SVG (scene units are pixels). */
export function graphSvg(
  graph: ModelGraph,
  scene: Scene,
  colours: MetricColours,
  theme: SvgTheme,
): string {
  const b = scene.bounds;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(b.w)}" height="${Math.ceil(b.h)}" viewBox="${b.x} ${b.y} ${Math.ceil(b.w)} ${Math.ceil(b.h)}" font-family="sans-serif">`,
    `<rect x="${b.x}" y="${b.y}" width="${Math.ceil(b.w)}" height="${Math.ceil(b.h)}" fill="${esc(theme.background)}"/>`,
    `<defs><marker id="arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0L8,4L0,8z" fill="${esc(theme.foreground)}"/></marker></defs>`,
  ];
  scene.panels.forEach((p, i) => {
    if (i === 0) return;
    out.push(
      `<g class="body"><rect x="${p.x}" y="${p.y}" width="${p.w}" height="${p.h}" fill="${esc(theme.background)}" stroke="${esc(theme.border)}"/>` +
        `<text x="${p.x + 8}" y="${p.y + 15}" font-size="12" font-weight="600" fill="${esc(theme.foreground)}">${esc(p.title)}</text></g>`,
    );
  });
  out.push(`<g class="edges" fill="none" stroke="${esc(theme.foreground)}" stroke-opacity="0.5">`);
  for (const e of scene.edges) {
    if (e.points.length < 4) continue;
    const d = e.points.reduce(
      (s, v, k) => s + (k % 2 === 0 ? `${k === 0 ? 'M' : 'L'}${v}` : `,${v}`),
      '',
    );
    out.push(`<path d="${d}" marker-end="url(#arrow)"/>`);
  }
  out.push('</g><g class="nodes">');
  for (const p of scene.nodes) {
    const n = graph.nodes[p.node];
    const c = colours.colours[p.node];
    const fill = nodeFill(c, theme.neutral);
    const cx = p.x + p.w / 2;
    const title = `${n.op} ${n.id}${colours.text[p.node] ? ` · ${colours.text[p.node]}` : ''}`;
    const label =
      n.kind === 'op'
        ? `<text x="${cx}" y="${p.y + 14}" font-size="12" font-weight="600">${esc(n.op)}</text>` +
          (n.name !== n.op
            ? `<text x="${cx}" y="${p.y + 27}" font-size="10">${esc(n.name.length > 24 ? `${n.name.slice(0, 23)}…` : n.name)}</text>`
            : '')
        : `<text x="${cx}" y="${p.y + p.h / 2 + 4}" font-size="11">${esc(n.name)}</text>`;
    out.push(
      `<g data-id="${esc(n.id)}"><title>${esc(title)}</title><rect x="${p.x}" y="${p.y}" width="${p.w}" height="${p.h}" rx="${n.kind === 'op' ? 4 : p.h / 2}" fill="${esc(fill)}" stroke="${esc(theme.border)}"/>` +
        `<g text-anchor="middle" fill="${c === null ? esc(theme.foreground) : textOn(fill)}">${label}</g></g>`,
    );
  }
  out.push('</g></svg>');
  return out.join('\n');
}

/** Black or white text, whichever reads better on the fill (relative luminance). */
export function textOn(fill: string): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(fill);
  const rgb = /^rgb\((\d+), (\d+), (\d+)\)$/.exec(fill);
  const [r, g, b] = hex
    ? [16, 8, 0].map((s) => (parseInt(hex[1], 16) >> s) & 255)
    : rgb
      ? [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])]
      : [255, 255, 255];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 140 ? '#000' : '#fff';
}
