import * as fs from 'node:fs';
import * as path from 'node:path';

/** One row of a calibration table (test/fixtures/paper/calibration.md), as the paper logged it. */
export interface CalibrationRow {
  readonly layer: string;
  readonly op: string;
  readonly W: readonly number[] | null;
  readonly I: readonly number[] | null;
  readonly O: readonly number[] | null;
  readonly OM: readonly number[] | null;
  readonly head: number;
  readonly body: number;
  readonly tail: number;
  readonly passes: number;
  /** The memory flags column, e.g. 'IN DDR OUT DDR'. */
  readonly memory: string;
  readonly rho: number;
  /** µs, sums over passes and iterations; T is the layer's time. */
  readonly us: {
    readonly LOAD: number;
    readonly LOADW: number;
    readonly LOADFM: number;
    readonly LOADWM: number;
    readonly COMP: number;
    readonly WRITEFM: number;
    readonly WRITE: number;
    readonly T: number;
  };
}

export interface CalibrationTable {
  /** e.g. 'Res4-dense' */
  readonly run: string;
  readonly rows: readonly CalibrationRow[];
}

const dims = (s: string): number[] | null =>
  /^\[[\d,]+\]$/.test(s) ? s.slice(1, -1).split(',').map(Number) : null;

/** Parses the calibration tables. */
export function calibrationTables(): CalibrationTable[] {
  const file = path.resolve(__dirname, '..', 'fixtures', 'paper', 'calibration.md');
  const text = fs.readFileSync(file, 'utf8');
  return text
    .split(/^### /m)
    .slice(1)
    .map((section) => {
      const run = section.split(/\s/)[0];
      const rows = section
        .split('\n')
        .filter((l) => l.startsWith('|') && !/^\|(-| layer \| op )/.test(l))
        .map((l): CalibrationRow => {
          const c = l
            .split('|')
            .slice(1, -1)
            .map((x) => x.trim());
          const hbt = /^(\d+)\/(\d+)\/(\d+) x(\d+)$/.exec(c[6]) ?? ['', '0', '0', '0', '0'];
          const n = (i: number) => Number(c[i]);
          return {
            layer: c[0],
            op: c[1],
            W: dims(c[2]),
            I: dims(c[3]),
            O: dims(c[4]),
            OM: dims(c[5]),
            head: Number(hbt[1]),
            body: Number(hbt[2]),
            tail: Number(hbt[3]),
            passes: Number(hbt[4]),
            memory: c[8],
            rho: c[9] === '' ? 1 : n(9),
            us: {
              LOAD: n(10),
              LOADW: n(11),
              LOADFM: n(12),
              LOADWM: n(13),
              COMP: n(14),
              WRITEFM: n(15),
              WRITE: n(16),
              T: n(17),
            },
          };
        });
      return { run, rows };
    });
}
