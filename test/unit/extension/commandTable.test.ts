import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { COMMAND_IDS } from '../../../src/extension/commandIds';

interface Manifest {
  contributes: {
    commands: { command: string }[];
    menus: Record<string, { command: string }[]>;
    keybindings?: { command: string }[];
  };
}

describe('the command table and package.json', () => {
  const manifest = JSON.parse(fs.readFileSync('package.json', 'utf8')) as Manifest;
  const contributed = manifest.contributes.commands.map((c) => c.command);

  it('declares exactly the contributed commands, each once', () => {
    assert.deepEqual([...COMMAND_IDS].sort(), [...contributed].sort());
    assert.equal(new Set(COMMAND_IDS).size, COMMAND_IDS.length);
  });

  it('every menu and keybinding names a command of the table', () => {
    const used = [
      ...Object.values(manifest.contributes.menus).flat(),
      ...(manifest.contributes.keybindings ?? []),
    ].map((m) => m.command);
    assert.ok(used.length > 10);
    for (const id of used) assert.ok((COMMAND_IDS as readonly string[]).includes(id), id);
  });

  it('extension.ts registers the table, not single commands', () => {
    const source = fs.readFileSync('src/extension/extension.ts', 'utf8');
    assert.equal((source.match(/registerCommand\(/g) ?? []).length, 1);
    assert.match(source, /COMMAND_IDS\.map/);
  });
});
