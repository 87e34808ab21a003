#!/usr/bin/env node
// Fails when package.json contributes a command that the code does not register
// (or registers one package.json does not declare), or when a menu, keybinding
// or view names an id that does not exist. Command ids drift otherwise.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
// Command tables: object entries keyed by a command id, in any file of the extension.
const extensionDir = path.join(root, 'src/extension');
const source = readdirSync(extensionDir, { recursive: true })
  .filter((file) => String(file).endsWith('.ts'))
  .map((file) => readFileSync(path.join(extensionDir, String(file)), 'utf8'))
  .join('\n');

const declared = new Set(pkg.contributes.commands.map((command) => command.command));
const registered = new Set([...source.matchAll(/^\s+'(tandem\.[A-Za-z.]+)': /gm)].map((match) => match[1]));
const problems = [];
for (const id of declared) {
  if (!registered.has(id)) problems.push(`package.json declares ${id}, but no command table in src/extension registers it`);
}
for (const id of registered) {
  if (!declared.has(id)) problems.push(`src/extension registers ${id}, but package.json does not declare it`);
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
