import * as crypto from 'node:crypto';

/** Where the page's resources live, as the webview sees them. */
export interface PageResources {
  /** The webview's CSP source (webview.cspSource): our extension's files and nothing else. */
  readonly cspSource: string;
  readonly scriptUri: string;
  readonly styleUri: string;
  /**
   * The bundle's own text, embedded instead of fetched: a webview fetches its resources through
   * the workbench (code-server: over the network), which took a second before the first paint.
   * Embedded code carries the nonce like the linked script, so the CSP is as strict.
   */
  readonly inline?: { readonly script: string; readonly style: string };
}

/**
 * Text that may sit inside <script> or <style>: no closing tag can end it early, and no '<!--'
 * can switch the parser into its escaped states.
 */
const embeddable = (text: string, tag: string) =>
  text.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1').replace(/<!--/g, '<\\!--');

/** A fresh CSP nonce: 128 random bits, so no script but ours can carry it. */
export function cspNonce(): string {
  return crypto.randomBytes(16).toString('base64');
}

/** The Content Security Policy: no inline code, no eval, nothing from outside the bundle. */
export function modelViewCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Escapes a value for an HTML attribute (the URIs come from VS Code, but still). */
const attr = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The model view's HTML: a strict Content Security Policy (nothing but our bundled script and
 * stylesheet), all content rendered by dist/webview.js from messages — the page itself holds
 * no model data, so nothing from a model is ever parsed as HTML.
 */
export function modelViewPage(
  r: PageResources,
  nonce = cspNonce(),
  view: 'model' | 'diff' = 'model',
): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(modelViewCsp(r.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${r.inline ? `<style nonce="${attr(nonce)}">${embeddable(r.inline.style, 'style')}</style>` : `<link rel="stylesheet" href="${attr(r.styleUri)}">`}
<title>${view === 'diff' ? 'Block Sparse: Compare Models' : 'Block Sparse Model View'}</title>
</head>
<body>
<main id="app" data-view="${view}" aria-live="polite"><p class="status">Analysing…</p></main>
${r.inline ? `<script nonce="${attr(nonce)}">${embeddable(r.inline.script, 'script')}</script>` : `<script nonce="${attr(nonce)}" src="${attr(r.scriptUri)}"></script>`}
</body>
</html>`;
}
