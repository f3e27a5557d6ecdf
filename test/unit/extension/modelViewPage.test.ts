import { strict as assert } from 'node:assert';
import { cspNonce, modelViewCsp, modelViewPage } from '../../../src/extension/modelViewPage';

const RES = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/modelView.css',
};

/** The directives of the page's CSP meta tag. */
function cspOf(html: string): Map<string, string[]> {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
  assert.ok(m, 'a CSP meta tag');
  return new Map(
    m[1].split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

describe('model view page (HTML and Content Security Policy)', () => {
  it('allows nothing by default, scripts only by nonce, styles and images only from the bundle', () => {
    const html = modelViewPage(RES, 'n0nce');
    const csp = cspOf(html);
    assert.deepEqual(csp.get('default-src'), ["'none'"]);
    assert.deepEqual(csp.get('script-src'), ["'nonce-n0nce'"]);
    // styles: the bundle's stylesheet, or the same text embedded with the nonce
    assert.deepEqual(csp.get('style-src'), [RES.cspSource, "'nonce-n0nce'"]);
    assert.deepEqual(csp.get('img-src'), [RES.cspSource, 'data:']);
    assert.deepEqual(csp.get('base-uri'), ["'none'"]);
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval|strict-dynamic|\*/);
  });

  it('one script, ours, carrying the nonce; no inline code or styles; no model data', () => {
    const html = modelViewPage(RES, 'n0nce');
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.deepEqual(scripts, [`<script nonce="n0nce" src="${RES.scriptUri}">`]);
    assert.doesNotMatch(html, /<script[^>]*>[^<]+<\/script>/, 'no inline script body');
    assert.doesNotMatch(html, /<style|\sstyle=|\son\w+=/i);
    assert.match(
      html,
      new RegExp(`<link rel="stylesheet" href="${RES.styleUri.replace(/[.+]/g, '\\$&')}">`),
    );
  });

  it('embedded bundle: script and style carry the nonce; a closing tag in the text cannot end them', () => {
    const html = modelViewPage(
      {
        ...RES,
        inline: {
          script: 'const s = "</script><script>alert(1)</script>";',
          style: 'a{}</style><b>',
        },
      },
      'n0nce',
    );
    assert.match(
      html,
      /<script nonce="n0nce">const s = "<\\\/script><script>alert\(1\)<\\\/script>";<\/script>/,
    );
    assert.match(html, /<style nonce="n0nce">a\{\}<\\\/style><b><\/style>/);
    assert.equal((html.match(/<\/script>/g) ?? []).length, 1, 'only our own closing tag');
    assert.doesNotMatch(html, /<link rel="stylesheet"/);
  });

  it('a fresh 128-bit nonce per page', () => {
    const nonces = new Set(Array.from({ length: 200 }, cspNonce));
    assert.equal(nonces.size, 200);
    for (const n of nonces) assert.equal(Buffer.from(n, 'base64').length, 16);
    assert.notEqual(
      cspOf(modelViewPage(RES)).get('script-src')?.[0],
      cspOf(modelViewPage(RES)).get('script-src')?.[0],
    );
  });

  it('escapes what it puts in attributes', () => {
    const html = modelViewPage({ ...RES, scriptUri: 'x"><script>alert(1)</script>' }, 'n');
    assert.doesNotMatch(html, /"><script>alert/);
    assert.equal(modelViewCsp('a', 'b').includes('"'), false);
  });
});
