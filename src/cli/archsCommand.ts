import { parseArgs } from 'node:util';
import { columnMemtileBytes } from '../core/target/architecture';
import { ARCHITECTURE_PRESETS } from '../core/target/presets';
import { textTable } from '../core/report/textTable';
import { formatBytes, GIB } from '../core/units';
import type { CliIo } from './cliSupport';

/** `blocksparse archs [--json]`: the built-in arrays and their parameters. */
export function archsCommand(args: string[], io: CliIo): number {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
  if (values.json) {
    io.out(JSON.stringify(ARCHITECTURE_PRESETS, null, 2));
    return 0;
  }
  const rows = ARCHITECTURE_PRESETS.map((a) => [
    a.name,
    `${a.columns} x ${a.rows}`,
    String(a.columns * a.rows),
    `${a.columns * a.memtilesPerColumn} x ${formatBytes(a.memtileBytes)}`,
    formatBytes(columnMemtileBytes(a)),
    a.memtiles,
    `${a.ddrChannelsPerMemtile}+${a.ddrChannelsPerMemtile} x ${(a.ddrChannelBytesPerSecond / GIB).toFixed(0)} GiB/s`,
    `${a.memtileDmaChannels}+${a.memtileDmaChannels}`,
    `${(a.clockHz / 1e9).toFixed(2)} GHz`,
    a.description,
  ]);
  io.out(
    textTable(
      [
        'Name',
        'Cols x rows',
        'Cores',
        'Memtiles',
        'Per column',
        'Memtiles are',
        'DDR in+out',
        'Memtile DMA',
        'Clock',
        'Description',
      ],
      rows,
      [false, true, true, true, true, false, false, false, true, false],
    ),
  );
  io.out(
    '\nCore memory: input 2 x 8 KiB (12 KiB strided), output 2 x 8 KiB, weights 16 KiB; int8 256 MAC/cycle.',
  );
  io.out(
    'Custom arrays: --arch-file a.json with name, columns, rows [, memtilesPerColumn, memtileKiB, memtiles,',
  );
  io.out(
    'clockGHz, ddrChannelsPerMemtile, ddrChannelGiBps, memtileCoreGiBps, memtileDmaChannels].',
  );
  io.out(
    "Channels per column and direction: the interface tile's 2 MM2S + 2 S2MM DDR channels (AM020), a memtile's 6 + 6 DMA channels (UG1603); paper mode charges one 4 GiB/s channel per lane.",
  );
  return 0;
}
