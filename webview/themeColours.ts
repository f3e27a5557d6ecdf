/**
 * Theme colours for canvases, read from VS Code's --vscode-* variables once per theme: a canvas
 * redraw (60 a second while the timeline pans) asks the cache, not getComputedStyle. VS Code marks
 * a theme change on the body's class; the cache is then emptied and the listeners redraw.
 */
const cache = new Map<string, string>();
const listeners = new Set<() => void>();
let style: CSSStyleDeclaration | undefined;
let observer: MutationObserver | undefined;

function watch(): void {
  if (observer) return;
  observer = new MutationObserver(() => {
    cache.clear();
    style = undefined;
    for (const l of [...listeners]) l();
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
}

/** The theme's value of a CSS variable, or `fallback` when the theme leaves it unset. */
export function themeColour(name: string, fallback: string): string {
  const key = `${name}|${fallback}`;
  let v = cache.get(key);
  if (v === undefined) {
    style ??= getComputedStyle(document.body);
    v = style.getPropertyValue(name).trim() || fallback;
    cache.set(key, v);
  }
  return v;
}

/** The first of the variables the theme sets (high-contrast themes set contrastBorder only). */
export function firstThemeColour(names: readonly string[], fallback: string): string {
  for (const n of names) {
    const v = themeColour(n, '');
    if (v) return v;
  }
  return fallback;
}

/** Calls `fn` after each theme change; the returned function stops that. */
export function onThemeChange(fn: () => void): () => void {
  watch();
  listeners.add(fn);
  return () => listeners.delete(fn);
}
