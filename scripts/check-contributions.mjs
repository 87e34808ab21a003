#!/usr/bin/env node
// Fails when package.json contributes a command that the command table
// (src/extension/commands.ts) does not register, or the table registers one
// package.json does not declare, or another file registers a command, or a
// menu or keybinding names an id that does not exist. Command ids drift otherwise.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
// The command table: the keys of COMMANDS in src/extension/commands.ts, the one place commands are registered.
const extensionDir = path.join(root, 'src/extension');
const TABLE_FILE = 'commands.ts';
const tableSource = readFileSync(path.join(extensionDir, TABLE_FILE), 'utf8');
const table = /^export const COMMANDS = \{\n([\s\S]*?)^\} satisfies /m.exec(tableSource)?.[1];

const declared = new Set(pkg.contributes.commands.map((command) => command.command));
const registered = new Set([...(table ?? '').matchAll(/^ {2}'(tandem\.[A-Za-z.]+)': /gm)].map((match) => match[1]));
const problems = [];
if (table === undefined) problems.push(`src/extension/${TABLE_FILE} has no command table (export const COMMANDS = { ... } satisfies ...)`);
// Anything registered elsewhere would bypass the table (and this check).
for (const file of readdirSync(extensionDir, { recursive: true }).map(String)) {
  if (!file.endsWith('.ts') || file === TABLE_FILE) continue;
  if (/\bregister(TextEditor)?Command\(/.test(readFileSync(path.join(extensionDir, file), 'utf8'))) {
    problems.push(`src/extension/${file} registers a command: add it to the table in src/extension/${TABLE_FILE} instead`);
  }
}
for (const id of declared) {
  if (!registered.has(id)) problems.push(`package.json declares ${id}, but the command table (src/extension/commands.ts) does not register it`);
}
for (const id of registered) {
  if (!declared.has(id)) problems.push(`the command table registers ${id}, but package.json does not declare it`);
}
const referenced = [
  ...Object.values(pkg.contributes.menus ?? {}).flat().filter((entry) => entry.command).map((entry) => entry.command),
  ...(pkg.contributes.keybindings ?? []).map((binding) => binding.command),
];
for (const id of referenced) {
  if (!declared.has(id)) problems.push(`a menu or keybinding names ${id}, which is not a declared command`);
}
const settings = Object.keys(pkg.contributes.configuration.properties);
for (const key of settings) {
  if (!key.startsWith('tandem.')) problems.push(`setting ${key} is not under tandem.*`);
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`[contributions] ${declared.size} commands, ${referenced.length} menu/keybinding references, ${settings.length} settings: consistent`);
