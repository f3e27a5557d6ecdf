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
 * What a view registered outside its own elements (observers, window listeners, theme and frame
 * subscriptions): disposed together when the view is replaced, so nothing outlives it.
 */
export class Disposables {
  private items: (() => void)[] = [];

  add(dispose: () => void): void {
    this.items.push(dispose);
  }

  /** A ResizeObserver that lives as long as this owner. */
  observeResize(target: Element, fn: () => void): void {
    const o = new ResizeObserver(fn);
    o.observe(target);
    this.add(() => o.disconnect());
  }

  /** A window listener that lives as long as this owner. */
  listen<K extends keyof WindowEventMap>(type: K, fn: (e: WindowEventMap[K]) => void): void {
    window.addEventListener(type, fn);
    this.add(() => window.removeEventListener(type, fn));
  }

  dispose(): void {
    for (const d of this.items.splice(0).reverse()) d();
  }
}

/** A link that selects a layer (and shows it in the Layers table). */
export function layerLink(name: string, onSelect: (layer: string) => void): HTMLElement {
  const link = el('a', name);
  link.href = '#';
  link.addEventListener('click', (e) => {
    e.preventDefault();
    onSelect(name);
  });
  return link;
}

/** A captioned table of cells (text or elements); the `numeric` columns right-aligned. */
export function dataTable(
  cls: string,
  caption: string,
  heads: readonly string[],
  rows: readonly (readonly (string | HTMLElement)[])[],
  numeric: readonly number[],
): HTMLTableElement {
  const t = el('table', undefined, cls);
  t.append(el('caption', caption));
  const head = el('tr');
  for (const h of heads) head.append(el('th', h));
  const thead = el('thead');
  thead.append(head);
  const body = el('tbody');
  for (const cells of rows) {
    const tr = el('tr');
    cells.forEach((c, i) => {
      const td = el(
        'td',
        typeof c === 'string' ? c : undefined,
        numeric.includes(i) ? 'num' : undefined,
      );
      if (typeof c !== 'string') td.append(c);
      tr.append(td);
    });
    body.append(tr);
  }
  t.append(thead, body);
  return t;
}

/** A secondary toolbar button; `data-action` is its label in kebab case (tests find it so). */
export function toolButton(label: string, title: string, onClick: () => void): HTMLElement {
  const b = document.createElement('vscode-button');
  b.textContent = label;
  b.title = title;
  b.setAttribute('secondary', '');
  b.dataset.action = label.toLowerCase().replace(/\W+/g, '-');
  b.addEventListener('click', onClick);
  return b;
}

/** A toolbar picker (vscode-single-select) of value/label options, `selected` chosen. */
export function toolPicker(
  label: string,
  options: readonly (readonly [string, string])[],
  selected: string,
  onChange: (value: string) => void,
): HTMLElement & { value: string } {
  const pick = document.createElement('vscode-single-select') as HTMLElement & { value: string };
  pick.setAttribute('aria-label', label);
  for (const [value, text] of options) {
    const o = document.createElement('vscode-option');
    o.setAttribute('value', value);
    o.textContent = text;
    if (value === selected) o.setAttribute('selected', '');
    pick.append(o);
  }
  pick.addEventListener('change', () => onChange(pick.value));
  return pick;
}

/** A toolbar search field (vscode-textfield). */
export function searchField(
  placeholder: string,
  label: string,
  cls: string,
): HTMLElement & { value: string } {
  const find = document.createElement('vscode-textfield') as HTMLElement & {
    value: string;
    placeholder: string;
  };
  find.placeholder = placeholder;
  find.setAttribute('aria-label', label);
  find.className = cls;
  return find;
}

/**
 * Sizes a canvas to `width` x `height` CSS pixels at the device's pixel ratio (sharp on HiDPI)
 * and returns its context cleared, drawing in CSS pixels; null without a 2D context.
 */
export function canvasFrame(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
): { readonly g: CanvasRenderingContext2D; readonly dpr: number } | null {
  const dpr = window.devicePixelRatio || 1;
  canvas.width = width * dpr;
  canvas.height = height * dpr;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const g = canvas.getContext('2d');
  if (!g) return null;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, width, height);
  return { g, dpr };
}

/**
 * A tab bar as the WAI-ARIA tabs pattern has it: role tablist/tab, one tab in the Tab order
 * (roving tabindex), ←/→/Home/End move between tabs and choose them. `setActive` marks the shown
 * tab; each tab controls the panel with id `panel-<id>`.
 */
export function tabBar<T extends string>(
  tabs: readonly (readonly [T, string])[],
  label: string,
  onPick: (tab: T) => void,
): { readonly element: HTMLElement; setActive(tab: T): void } {
  const bar = el('div', undefined, 'tabs');
  bar.setAttribute('role', 'tablist');
  bar.setAttribute('aria-label', label);
  const buttons = tabs.map(([id, text]) => {
    const b = el('button', text, 'tab');
    b.setAttribute('role', 'tab');
    b.id = `tab-${id}`;
    b.dataset.tab = id;
    b.setAttribute('aria-controls', `panel-${id}`);
    b.addEventListener('click', () => onPick(id));
    bar.append(b);
    return b;
  });
  bar.addEventListener('keydown', (ev) => {
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0) return;
    const n = buttons.length;
    const to =
      ev.key === 'ArrowRight'
        ? (at + 1) % n
        : ev.key === 'ArrowLeft'
          ? (at + n - 1) % n
          : ev.key === 'Home'
            ? 0
            : ev.key === 'End'
              ? n - 1
              : -1;
    if (to < 0) return;
    ev.preventDefault();
    buttons[to].focus();
    onPick(tabs[to][0]);
  });
  return {
    element: bar,
    setActive(tab: T) {
      for (const b of buttons) {
        const on = b.dataset.tab === tab;
        b.classList.toggle('active', on);
        b.setAttribute('aria-selected', String(on));
        b.tabIndex = on ? 0 : -1;
      }
    },
  };
}

/** Marks a panel as the tab panel of tab `id` (see tabBar). */
export function tabPanel(element: HTMLElement, id: string): void {
  element.setAttribute('role', 'tabpanel');
  element.id = `panel-${id}`;
  element.setAttribute('aria-labelledby', `tab-${id}`);
}
