import type { Compression, LoweredNetwork, MemoryDecision, OpProgram, Tiling } from './plan';

/** Text dumps of the compiler passes: stable, line-oriented, for golden files and --dump-passes. */

const dims = (d: readonly number[]) => `[${d.join(',')}]`;
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
  for (const [type, names] of net.cpuOps)
    lines.push(`cpu ${type} x${names.length}: ${names.join(', ')}`);
  lines.push(`ddr-consumed: ${[...net.ddrConsumed].join(', ')}`);
  return lines.join('\n') + '\n';
}

export function dumpSchedule(net: LoweredNetwork, order: readonly number[]): string {
  return (
    [
      '# schedule: topological order',
      ...order.map((id, i) => `${i}: %${id} ${net.ops[id].name}`),
    ].join('\n') + '\n'
  );
}

export function dumpTilings(
  net: LoweredNetwork,
  order: readonly number[],
  tilings: ReadonlyMap<number, Tiling>,
): string {
  const lines = [
    '# subvolume: W=[Co,kh,kw,Ci] per core, I=[Ih,Iw,Ic] O=[Oh,Ow,Oc] per column and iteration',
  ];
  for (const id of order) {
    const t = tilings.get(id);
    if (!t) continue;
    const s = t.splits;
    lines.push(
      `%${id} ${net.ops[id].name}: W=${dims(t.sub.W)} I=${dims(t.sub.I)} O=${dims(t.sub.O)} ` +
        `n=${t.iterations} head=${t.head} body=${t.body} tail=${t.tail} passes=${t.passes} ` +
        `cin-slices=${s.cinSlices} cout-groups=${s.coutGroups} ddr-tiles=${s.ddrTiles} chunks=${s.chunks} ` +
        `chunks/memtile=${s.chunksPerMemtile} chunks/core=${s.chunksPerCore}${t.streaming ? '' : ' no-streaming'}`,
    );
  }
  return lines.join('\n') + '\n';
}

export function dumpCompression(
  net: LoweredNetwork,
  order: readonly number[],
  c: ReadonlyMap<number, Compression>,
): string {
  const lines = [
    '# compression: rho = non-zero block fraction of the busiest chunk; w = bytes per chunk',
  ];
  for (const id of order) {
    const x = c.get(id);
    if (x && net.ops[id].kind === 'conv') {
      lines.push(
        `%${id} ${net.ops[id].name}: rho=${num(x.rho)} w=${num(x.chunkBytes)} layer-bytes=${num(x.layerWeightBytes)}`,
      );
    }
  }
  return lines.join('\n') + '\n';
}

export function dumpMemory(
  net: LoweredNetwork,
  order: readonly number[],
  m: ReadonlyMap<number, MemoryDecision>,
): string {
  const lines = ['# memory: bytes per memtile'];
  for (const id of order) {
    const d = m.get(id);
    if (!d) continue;
    lines.push(
      `%${id} ${net.ops[id].name}: load=${d.loadBytes} write=${d.writeBytes} spill=${d.spillBytes} ` +
        `memtile=${Math.round(d.memtileBytes)}${d.inDdr ? ' in-ddr' : ''}${d.evicted.length ? ` evicted=${d.evicted.join(',')}` : ''}`,
    );
  }
  return lines.join('\n') + '\n';
}

export function dumpPrograms(
  net: LoweredNetwork,
  order: readonly number[],
  programs: ReadonlyMap<number, OpProgram>,
): string {
  const lines = [
    '# instructions: bytes per memtile (LOAD, LOADW, WRITE), per column (LOADFM, WRITEFM), per core (LOADWM); cycles per iteration',
  ];
  for (const id of order) {
    const p = programs.get(id);
    if (!p) continue;
    lines.push(
      `%${id} ${net.ops[id].name}: LOAD ${p.loadBytes} LOADW ${p.loadwBytes} WRITE ${p.writeBytes}`,
    );
    p.passes.forEach((pass, i) => {
      if (i > 0 && i === p.passes.length - 1 && p.passes.length > 2)
        lines.push(`  ... ${p.passes.length - 2} more passes`);
      if (i > 0 && i < p.passes.length - 1) return;
      const groups = pass.groups
        .map(
          (g) =>
            `${g.kind}x${g.iterations}{LOADFM ${g.work.loadfmBytes} COMP ${num(g.work.compCycles)} WRITEFM ${g.work.writefmBytes}}`,
        )
        .join(' ');
      lines.push(
        `  pass ${i}: LOADWM ${pass.loadwmBytes} ${groups}${pass.streaming ? '' : ' sequential'}`,
      );
    });
  }
  return lines.join('\n') + '\n';
}
