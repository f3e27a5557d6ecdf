/**
 * Mapping layers of PyTorch-exported models back to the Python that defines them: from the
 * node's metadata (stack trace, class hierarchy) when the exporter wrote it, otherwise from the
 * module path torch.onnx encodes in node names, matched against `self.<attr> = nn.X(...)` lines.
 */
import type { MetadataEntry } from '../onnx/ir';

/** A module path: `layer1.0.conv1` is attribute `conv1` of the module at `layer1.0`. */
export interface ModulePath {
  readonly module: string;
  readonly parent: string;
  readonly attr: string;
}

/**
 * The module path in a torch.onnx node name: `/layer1/layer1.0/conv1/Conv` → layer1.0.conv1.
 * Each scope is either relative to the previous one (`conv1`) or repeats the previous scope's
 * last part with a Sequential index (`layer1.0` after `layer1`, `downsample.0` after
 * `downsample`). Undefined for names that do not look like that.
 */
export function modulePathOf(nodeName: string): ModulePath | undefined {
  const parts = nodeName.split('/').filter(Boolean);
  if (parts.length < 2 || !nodeName.startsWith('/')) return undefined;
  const scopes = parts.slice(0, -1); // the last part is the op ("Conv", "Gemm")
  let path = '';
  for (const scope of scopes) {
    if (!/^[\w.]+$/.test(scope)) return undefined;
    const last = path.split('.').slice(-1)[0];
    const parentOfLast = path.split('.').slice(0, -1).join('.');
    if (path && last && scope.startsWith(`${last}.`))
      path = parentOfLast ? `${parentOfLast}.${scope}` : scope;
    else path = path ? `${path}.${scope}` : scope;
  }
  const dot = path.lastIndexOf('.');
  return {
    module: path,
    parent: dot < 0 ? '' : path.slice(0, dot),
    attr: dot < 0 ? path : path.slice(dot + 1),
  };
}

/** A place in a Python file (line is 0-based). */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  /** The source line, trimmed: shown in the quick pick when several places match. */
  readonly text: string;
  readonly reason: string;
}

/** The innermost user frame of `pkg.torch.onnx.stack_trace` metadata, if any. */
export function stackTraceLocation(
  metadata: readonly MetadataEntry[],
): { file: string; line: number } | undefined {
  const trace = metadata.find((m) => m.key === 'pkg.torch.onnx.stack_trace')?.value;
  if (!trace) return undefined;
  const frames = [...trace.matchAll(/File "([^"]+)", line (\d+)/g)].map((m) => ({
    file: m[1],
    line: Number(m[2]) - 1,
  }));
  const user = frames.filter(
    (f) => !/[\\/](site-packages|dist-packages)[\\/]|[\\/]torch[\\/]nn[\\/]/.test(f.file),
  );
  return user[user.length - 1] ?? frames[frames.length - 1];
}

/** Class names from `pkg.torch.onnx.class_hierarchy`, outermost first (short names). */
export function classHierarchy(metadata: readonly MetadataEntry[]): string[] {
  const value = metadata.find((m) => m.key === 'pkg.torch.onnx.class_hierarchy')?.value;
  if (!value) return [];
  return [...value.matchAll(/['"]([\w.]+)['"]/g)].map((m) => m[1].split('.').slice(-1)[0]);
}

/**
 * Lines of Python `files` that define the module: `self.<attr> = ...(` for a named attribute,
 * or the container (`self.<parent's attr> = nn.Sequential(`) for a Sequential index. With a
 * known enclosing class only that class's lines count.
 */
export function findModuleDefinitions(
  files: readonly { readonly file: string; readonly text: string }[],
  path: ModulePath,
  enclosingClass?: string,
): SourceLocation[] {
  const numeric = /^\d+$/.test(path.attr);
  const attr = numeric ? path.parent.split('.').slice(-1)[0] : path.attr;
  if (!attr || /^\d+$/.test(attr)) return [];
  const assign = new RegExp(
    `^\\s*self\\.${attr.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*(?::[^=]+)?=\\s*[\\w.]+\\(`,
  );
  const out: SourceLocation[] = [];
  for (const { file, text } of files) {
    let currentClass: string | undefined;
    let classIndent = -1;
    text.split(/\r?\n/).forEach((line, i) => {
      const cls = /^(\s*)class\s+(\w+)/.exec(line);
      if (cls) {
        currentClass = cls[2];
        classIndent = cls[1].length;
      } else if (
        currentClass &&
        line.trim() &&
        line.length - line.trimStart().length <= classIndent
      ) {
        currentClass = undefined;
      }
      if (!assign.test(line)) return;
      if (enclosingClass && currentClass !== enclosingClass) return;
      out.push({
        file,
        line: i,
        text: line.trim(),
        reason: numeric
          ? `item ${path.attr} of ${attr}${currentClass ? ` in ${currentClass}` : ''}`
          : `${attr}${currentClass ? ` in class ${currentClass}` : ''}`,
      });
    });
  }
  return out;
}
