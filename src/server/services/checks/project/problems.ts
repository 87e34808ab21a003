/**
 * Problems in a check's output: tsc (`file(line,col): error TS…` and the
 * pretty `file:line:col - error TS…`), ESLint (stylish, unix, compact) and
 * the generic `path:line:col: message`. Paths are mapped from the temporary
 * copy back to the workspace (relative, '/'-separated); the proposal's own
 * files are kept, the rest counted.
 */
import path from 'node:path';
import type { ProjectCheckProblem } from '../../../../shared/checks';

export interface RawProblem {
  file: string;
  line: number;
  column?: number;
  severity: 'error' | 'warning';
  message: string;
}

/** Most problems parsed from one output (a broken build can print thousands). */
export const MAX_PROBLEMS = 500;
const MAX_MESSAGE = 500;

// ANSI escapes (colours, cursor moves) and the other control characters a terminal would hide.
const CONTROL = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]|[\u0000-\u0008\u000b-\u001f\u007f]/g;

export function stripControl(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(CONTROL, '');
}

const TSC = /^(?<file>[^\s(][^(]*?)\((?<line>\d+),(?<col>\d+)\): (?<sev>error|warning) (?<code>TS\d+): (?<msg>.*)$/;
const TSC_PRETTY = /^(?<file>[^\s:][^:]*?):(?<line>\d+):(?<col>\d+) - (?<sev>error|warning) (?<code>TS\d+): (?<msg>.*)$/;
const ESLINT_UNIX = /^(?<file>[^\s:][^:]*?|[A-Za-z]:[^:]*?):(?<line>\d+):(?<col>\d+): (?<msg>.*?) \[(?<sev>Error|Warning)(?:\/(?<rule>[^\]]+))?\]$/;
const ESLINT_COMPACT = /^(?<file>.+?): line (?<line>\d+), col (?<col>\d+), (?<sev>Error|Warning) - (?<msg>.*?)(?: \((?<rule>[^()]+)\))?$/;
const STYLISH_ROW = /^\s+(?<line>\d+):(?<col>\d+)\s+(?<sev>error|warning)\s+(?<msg>.*?)(?:\s{2,}(?<rule>[@\w/.-]+))?\s*$/;
// The file must end in an extension: "Done in 12:30:45" is a time, not a place.
const GENERIC = /^(?<file>(?:[^\s:][^:]*?|[A-Za-z]:[^:]*?)\.[\w]+):(?<line>\d+):(?<col>\d+):?\s*(?:-\s*)?(?<msg>\S.*)$/;

/** Every problem the output reports, in order, at most MAX_PROBLEMS. */
export function parseProblems(output: string): RawProblem[] {
  const problems: RawProblem[] = [];
  let stylishFile: string | undefined;
  for (const line of stripControl(output).split('\n')) {
    if (problems.length >= MAX_PROBLEMS) break;
    const trimmedEnd = line.trimEnd();
    let match = TSC.exec(trimmedEnd) ?? TSC_PRETTY.exec(trimmedEnd);
    if (match?.groups) {
      const g = match.groups;
      problems.push(problem(g.file, g.line, g.col, g.sev === 'warning' ? 'warning' : 'error', `${g.code}: ${g.msg}`));
      stylishFile = undefined;
      continue;
    }
    match = ESLINT_UNIX.exec(trimmedEnd) ?? ESLINT_COMPACT.exec(trimmedEnd);
    if (match?.groups) {
      const g = match.groups;
      problems.push(problem(g.file, g.line, g.col, g.sev === 'Warning' ? 'warning' : 'error', g.rule ? `${g.msg} (${g.rule})` : (g.msg ?? '')));
      stylishFile = undefined;
      continue;
    }
    if (stylishFile !== undefined) {
      match = STYLISH_ROW.exec(trimmedEnd);
      if (match?.groups) {
        const g = match.groups;
        problems.push(problem(stylishFile, g.line, g.col, g.sev === 'warning' ? 'warning' : 'error', g.rule ? `${g.msg} (${g.rule})` : (g.msg ?? '')));
        continue;
      }
    }
    // A stylish block starts with the file's path alone on its line.
    if (trimmedEnd !== '' && !/^\s/.test(trimmedEnd) && !/\s{2,}/.test(trimmedEnd) && looksLikePath(trimmedEnd)) {
      stylishFile = trimmedEnd;
      continue;
    }
    match = GENERIC.exec(trimmedEnd);
    if (match?.groups && !/^https?$/i.test(match.groups.file ?? '')) {
      const g = match.groups;
      const message = g.msg ?? '';
      const severity = /^warn(ing)?\b/i.test(message) ? 'warning' : 'error';
      problems.push(problem(g.file, g.line, g.col, severity, message.replace(/^(error|warning|warn):\s*/i, '')));
      continue;
    }
    if (trimmedEnd === '') stylishFile = undefined;
  }
  return problems;
}

function looksLikePath(text: string): boolean {
  return /^(\/|[A-Za-z]:[\\/]|\.{1,2}[\\/]|[\w@.-]+[\\/])[^:*?"<>|]*\.[\w]+$/.test(text);
}

function problem(file: string | undefined, line: string | undefined, col: string | undefined, severity: 'error' | 'warning', message: string): RawProblem {
  const column = Number(col);
  return {
    file: (file ?? '').trim(),
    line: Math.max(1, Number(line)),
    ...(Number.isFinite(column) && column > 0 ? { column } : {}),
    severity,
    message: message.trim().slice(0, MAX_MESSAGE),
  };
}

export interface PathMap {
  /** Where the check ran: the workspace folder inside the copy (relative paths in the output are relative to it). */
  cwd: string;
  /** Other spellings of the same folder a tool may print (the copy's path before real paths, the person's folder). */
  aliases: readonly string[];
}

/** A path from the output as the workspace names it ('/'-separated, relative), or undefined when it is outside. */
export function toWorkspacePath(file: string, map: PathMap): string | undefined {
  const native = file.replace(/[\\/]/g, path.sep);
  const absolute = path.resolve(map.cwd, native);
  for (const base of [map.cwd, ...map.aliases]) {
    const relative = path.relative(base, absolute);
    if (relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)) return relative.split(path.sep).join('/');
  }
  return undefined;
}

/** The problems in the proposal's files (mapped to the workspace), and how many others there were. */
export function sortOutProblems(raw: readonly RawProblem[], map: PathMap, changed: ReadonlySet<string>): { problems: ProjectCheckProblem[]; otherProblems: number } {
  const problems: ProjectCheckProblem[] = [];
  let otherProblems = 0;
  for (const entry of raw) {
    const relative = toWorkspacePath(entry.file, map);
    if (relative === undefined || !changed.has(relative)) {
      otherProblems++;
      continue;
    }
    problems.push({ path: relative, line: entry.line, ...(entry.column !== undefined ? { column: entry.column } : {}), severity: entry.severity, message: entry.message });
  }
  return { problems, otherProblems };
}
