/**
 * Lexical checks of an external-data location (TensorProto.external_data "location").
 * The ONNX spec says it is a path relative to the model's folder. Anything that could
 * point elsewhere — on Linux, macOS or Windows, whichever machine opens the model — or that
 * hides what it names is refused here, before the file system is touched; the Node adapter
 * then also resolves symlinks and checks the real path of the file it opens.
 */

/** Windows device names: opening `CON` or `NUL.bin` reaches a device, not a file, on Windows. */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/** Characters that change how a name reads without being visible: controls, bidi, zero-width. */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;

/** Dots and slashes that do not fold to ASCII under NFKC but read as one (division slash, …). */
const LOOKALIKES =
  /[\u2024-\u2026\u2044\u2215\u2216\u29f5\u29f8\u29f9\u3002\ufe52\ufe68\uff0e\uff0f\uff3c\uff61]/;

/** Returns why a location is refused, or undefined when it is a plain relative path. */
export function externalLocationProblem(location: string): string | undefined {
  if (location.length === 0) return 'the location is empty';
  if (location.includes('\0')) return 'the location contains a NUL character';
  if (INVISIBLE.test(location)) {
    return 'the location contains control, bidirectional or zero-width characters';
  }
  if (/^[\\/]/.test(location)) return 'the location is an absolute path';
  if (/^[A-Za-z]:/.test(location)) return 'the location names a drive';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) return 'the location is a URL';
  // after the drive and URL checks: any other ':' is an NTFS stream or a drive in mid-path
  if (location.includes(':')) return "the location contains ':' (a drive or an NTFS stream)";
  if (/%(2e|2f|5c|00|25)/i.test(location)) {
    return 'the location contains an encoded dot or separator';
  }
  // full-width dots and slashes, the one-dot leader, division and fraction slashes: they
  // fold to '.', '/' or '\' under Unicode normalisation, which some file systems apply
  const folded = location.normalize('NFKC');
  const marks = (s: string) => s.replace(/[^./\\:]/g, '').length;
  if (marks(folded) !== marks(location) || LOOKALIKES.test(location)) {
    return 'the location contains characters that look like dots or separators';
  }
  const segments = location.split(/[\\/]+/);
  if (segments.some((s) => s === '..')) return "the location contains '..'";
  // Windows drops trailing dots and spaces, so '...' or '.. ' would act as '..'
  if (segments.some((s) => s !== '.' && /^[. ]+$/.test(s))) {
    return 'the location has a segment of only dots and spaces';
  }
  if (segments.some((s) => WINDOWS_DEVICE.test(s.trimEnd()))) {
    return 'the location names a Windows device (CON, NUL, COM1, …)';
  }
  return undefined;
}
