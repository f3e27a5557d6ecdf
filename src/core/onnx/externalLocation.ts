/**
 * Lexical checks of an external-data location (TensorProto.external_data "location").
 * The ONNX spec says it is a path relative to the model's folder. Anything that could
 * point elsewhere is refused here, before the file system is touched; the Node adapter
 * then also resolves symlinks and checks the real path.
 */

/** Returns why a location is refused, or undefined when it is a plain relative path. */
export function externalLocationProblem(location: string): string | undefined {
  if (location.length === 0) return 'the location is empty';
  if (location.includes('\0')) return 'the location contains a NUL character';
  if (/^[\\/]/.test(location)) return 'the location is an absolute path';
  if (/^[A-Za-z]:/.test(location)) return 'the location names a drive';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) return 'the location is a URL';
  if (/%(2e|2f|5c|00)/i.test(location)) return 'the location contains an encoded dot or separator';
  const segments = location.split(/[\\/]+/);
  if (segments.some((s) => s === '..')) return "the location contains '..'";
  return undefined;
}
