/** Creates an element with text content (never HTML: model strings are untrusted). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  cls?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

/**
 * Observers and listeners that belong to the current drawing of the view: each render starts a
 * new drawing and disposes what the previous one registered (its elements are gone).
 */
const drawing: (() => void)[] = [];

/** Registers a disposer of the current drawing. */
export function onRedraw(dispose: () => void): void {
  drawing.push(dispose);
}

/** Disposes the previous drawing's observers (called before every render). */
export function newDrawing(): void {
  for (const d of drawing.splice(0)) d();
}

/** A ResizeObserver that lives as long as the current drawing. */
export function observeResize(target: Element, fn: () => void): void {
  const o = new ResizeObserver(fn);
  o.observe(target);
  onRedraw(() => o.disconnect());
}
