import type { WeightPlan } from './compression';
import type { DdrTiling } from './ddrTiling';
import type { GraphCut } from './graphCut';
import type { StepMemory } from './memory';
import type { LoweredNetwork } from './network';
import type { OpProgram } from './program';
import type { Schedule } from './schedule';
import type { Tiling } from './tiles';

/** Text dumps of the compiler passes: stable, line-oriented, for golden files and --dump-passes. */

const dims = (d: readonly number[]) => `[${d.join(',')}]`;

/**
 * A dump with one line per scheduled op that has a value: `%id name: ` + line(value). Ops
 * without one print `unplaced` when given, else are left out.
 */
function perStep<T>(
  header: string,
  net: LoweredNetwork,
  schedule: Schedule,
  values: ReadonlyMap<number, T>,
  line: (v: T, id: number) => string | null,
  unplaced?: string,
): string {
  const lines = [header];
  for (const { ops } of schedule) {
    for (const id of ops) {
      const v = values.get(id);
      const text = v === undefined ? (unplaced ?? null) : line(v, id);
      if (text !== null) lines.push(`%${id} ${net.ops[id].name}: ${text}`);
    }
  }
  return lines.join('\n') + '\n';
}
const num = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(6).replace(/0+$/, ''));

export function dumpLowered(net: LoweredNetwork): string {
  const lines = ['# lower: accelerator ops (tensors as HxWxC at batch 1)'];
  for (const op of net.ops) {
    const out = net.tensors.get(op.output);
    const shape = out ? `${out.h}x${out.w}x${out.c}` : '?';
    let detail = '';
    if (op.conv) {
      const c = op.conv;
      detail = ` cout=${c.cout} cin=${c.cin} group=${c.group} k=${c.kh}x${c.kw} s=${c.sh}x${c.sw} pads=${dims(c.pads)}`;
    } else if (op.pool) {
      const p = op.pool;
      detail = ` k=${p.kh}x${p.kw} s=${p.sh}x${p.sw} pads=${dims(p.pads)}`;
    }
    lines.push(
      `%${op.id} ${op.kind}[${op.fused.join('+')}] ${op.name} (${op.inputs.join(', ')}) -> ${op.output} ${shape}${detail} macs=${op.macs}`,
    );
  }
  for (const n of net.cpuNodes) lines.push(`cpu ${n.opType} ${n.name}`);
  lines.push(`graph outputs: ${[...net.graphOutputs].join(', ')}`);
  return lines.join('\n') + '\n';
}

export function dumpCut(net: LoweredNetwork, cut: GraphCut): string {
  const lines = ['# cut: what runs on the array'];
  lines.push(cut.at ? `cut at ${cut.at.opType} ${cut.at.name}` : 'no cut');
  for (const op of cut.cutOps) lines.push(`cpu after the cut: %${op.id} ${op.kind} ${op.name}`);
  lines.push(`kept: ${cut.kept.length} of ${net.ops.length} ops; cut MACs ${cut.cutMacs}`);
  lines.push(`to DDR: ${[...cut.toDdr].join(', ')}`);
  return lines.join('\n') + '\n';
}

export function dumpSchedule(net: LoweredNetwork, schedule: Schedule): string {
  return (
    [
      '# schedule: depth-first topological order, one op per step',
      ...schedule.map(
        (s, i) => `${i}: ${s.ops.map((id) => `%${id} ${net.ops[id].name}`).join(' ')}`,
      ),
    ].join('\n') + '\n'
  );
}

export function dumpTiles(
  net: LoweredNetwork,
  schedule: Schedule,
  tiles: ReadonlyMap<number, Tiling>,
): string {
  return perStep(
    '# subvolume: W=[Co,kh,kw,Ci] per core, I=[Ih,Iw,Ic] O=[Oh,Ow,Oc] per column and iteration',
    net,
    schedule,
    tiles,
    (t) => {
      const c = t.core;
      const r = t.rows;
      return (
        `W=${dims(t.sub.W)} I=${dims(t.sub.I)} O=${dims(t.sub.O)} ` +
        `n=${r.iterations} head=${r.head} body=${r.body} tail=${r.tail} channel-passes=${t.channelPasses}` +
        (c.chunks
          ? ` chunks=${c.chunks} cin-slices=${c.cinSlices} cout-chunks/core=${c.coutChunksPerCore} chunks/memtile=${c.chunksPerMemtile}`
          : '')
      );
    },
    'not placed',
  );
}

export function dumpWeights(
  net: LoweredNetwork,
  schedule: Schedule,
  weights: ReadonlyMap<number, WeightPlan>,
): string {
  return perStep(
    '# compression: rho of every chunk; w = bytes per chunk; per memtile; compiled',
    net,
    schedule,
    weights,
    (x, id) =>
      net.ops[id].kind === 'conv'
        ? `rho=${num(x.rho)} w=${num(x.chunkBytes)} memtile=${num(x.memtileBytes)} compiled=${num(x.compiledBytes)}`
        : null,
  );
}

export function dumpMemory(
  net: LoweredNetwork,
  schedule: Schedule,
  memory: ReadonlyMap<number, StepMemory>,
): string {
  return perStep(
    '# memory: bytes per memtile',
    net,
    schedule,
    memory,
    (m) =>
      `${m.mode}${m.reason ? ` (${m.reason})` : ''} need=${Math.round(m.needBytes)} ` +
      `preload=${m.preloadBytes} evict=${m.evictBytes} out-write=${m.outputWriteBytes} weight-groups=${m.weightGroups}` +
      (m.inPlaceOf ? ` in-place-of=${m.inPlaceOf}` : '') +
      (m.evicted.length ? ` evicted=${m.evicted.join(',')}` : ''),
  );
}

export function dumpDdr(
  net: LoweredNetwork,
  schedule: Schedule,
  ddr: ReadonlyMap<number, DdrTiling>,
): string {
  return perStep(
    '# ddr-tiling: tiles (axis), weight groups, streamed bytes, row loop per pass',
    net,
    schedule,
    ddr,
    (d) => {
      const r = d.tileRows[0];
      const heads = d.tiles > 1 ? ` tile-heads=${d.tileRows.map((t) => t.head).join(',')}` : '';
      const run = d.run ? ` depth-run=%${d.run.ops.join('+%')} saves=${num(d.run.savedBytes)}` : '';
      return (
        `tiles=${d.tiles} (${d.axis}) weight-groups=${d.weightGroups} stream=${num(d.streamBytes)} ` +
        `n=${r.iterations} head=${r.head} body=${r.body} tail=${r.tail}${heads} memtile=${Math.round(d.memtileBytes)}${run}`
      );
    },
    'not placed',
  );
}

export function dumpPrograms(
  net: LoweredNetwork,
  schedule: Schedule,
  programs: ReadonlyMap<number, OpProgram>,
): string {
  return perStep(
    '# program: bytes per memtile (LOAD, LOADW, WRITE), per column (LOADFM, WRITEFM), per core (LOADWM); cycles per iteration',
    net,
    schedule,
    programs,
    (p) => {
      // the first and the last pass in full, the ones between counted
      const shown = p.passes.length > 2 ? [0, p.passes.length - 1] : p.passes.map((_, i) => i);
      const lines = [
        `LOAD ${num(p.loadBytes)} LOADW ${num(p.loadwBytes)} WRITE ${num(p.writeBytes)} passes=${p.passes.length}`,
      ];
      for (const i of shown) {
        if (i > 0 && p.passes.length > 2) lines.push(`  ... ${p.passes.length - 2} more passes`);
        const pass = p.passes[i];
        const groups = pass.groups
          .map(
            (g) =>
              `${g.kind}x${g.iterations}{LOADFM ${g.work.loadfmBytes} COMP ${num(g.work.compCycles)} WRITEFM ${g.work.writefmBytes}}`,
          )
          .join(' ');
        lines.push(
          `  pass ${i}: LOADWM ${pass.loadwmBytes} ${groups}${pass.streaming ? '' : ' sequential'}`,
        );
      }
      return lines.join('\n');
    },
  );
}
