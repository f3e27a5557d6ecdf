/** Parses `--input name=1x3x224x224` values into a map; returns an error message when malformed. */
export function parseInputShapes(specs: readonly string[]): Map<string, number[]> | string {
  const out = new Map<string, number[]>();
  for (const spec of specs) {
    const eq = spec.lastIndexOf('=');
    if (eq <= 0) return `--input '${spec}': expected name=NxCxHxW`;
    const name = spec.slice(0, eq);
    const dims = spec.slice(eq + 1).split(/[xX,]/);
    if (dims.length === 0 || dims.some((d) => !/^\d+$/.test(d) || Number(d) > 2 ** 31)) {
      return `--input '${spec}': dims must be positive integers separated by x`;
    }
    out.set(name, dims.map(Number));
  }
  return out;
}
