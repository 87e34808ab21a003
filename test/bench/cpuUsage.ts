/**
 * How busy the machine was while something ran, split into our process tree
 * (this process and its descendants: code-server, the extension host, the
 * model service, Chromium) and everything else. The benchmark runs on shared
 * machines, and other work competing for the CPUs shows up as longer tasks.
 * Linux only (/proc); elsewhere `cpuSnapshot()` returns undefined.
 */
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

export interface CpuSnapshot {
  at: number;
  /** Busy clock ticks of all CPUs together, from /proc/stat. */
  busyTicks: number;
  /** Busy clock ticks per live process of our tree, by pid. */
  ours: Map<number, number>;
}

export interface CpuUsage {
  seconds: number;
  cpus: number;
  /** Average number of CPUs kept busy (0..cpus) by our process tree and by everything else. */
  ours: number;
  others: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux that matters

function processTicks(): Map<number, { ppid: number; ticks: number }> {
  const processes = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: the fields start after its last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      processes.set(Number(entry), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // Exited while we looked.
    }
  }
  return processes;
}

export function cpuSnapshot(): CpuSnapshot | undefined {
  if (process.platform !== 'linux') {
    return undefined;
  }
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
  // user nice system idle iowait irq softirq steal: all but idle and iowait are busy.
  const busyTicks = cpu.slice(0, 8).reduce((sum, value, index) => (index === 3 || index === 4 ? sum : sum + value), 0);
  const processes = processTicks();
  const ours = new Map<number, number>();
  const children = new Map<number, number[]>();
  for (const [pid, { ppid }] of processes) {
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const pending = [process.pid];
  while (pending.length > 0) {
    const pid = pending.pop() as number;
    ours.set(pid, processes.get(pid)?.ticks ?? 0);
    pending.push(...(children.get(pid) ?? []));
  }
  return { at: Date.now(), busyTicks, ours };
}

/**
 * Usage between two snapshots. Our processes that exited in between are
 * missed and counted as others' (ours are long-lived, so this is small).
 */
export function cpuUsage(before: CpuSnapshot | undefined, after: CpuSnapshot | undefined): CpuUsage | undefined {
  if (!before || !after || after.at <= before.at) {
    return undefined;
  }
  const seconds = (after.at - before.at) / 1000;
  let ourTicks = 0;
  for (const [pid, ticks] of after.ours) {
    ourTicks += ticks - (before.ours.get(pid) ?? 0);
  }
  const allTicks = after.busyTicks - before.busyTicks;
  const perSecond = (ticks: number): number => Math.max(0, ticks / TICKS_PER_SECOND / seconds);
  return { seconds, cpus: os.cpus().length, ours: perSecond(ourTicks), others: perSecond(allTicks - ourTicks) };
}
