/**
 * How busy the machine was while something ran, split into our process tree
 * (this process and its descendants: code-server, the extension host, the
 * model service, Chromium) and everything else. The benchmark runs on shared
 * machines, and other work competing for the CPUs shows up as longer tasks.
 * Linux only (/proc); elsewhere `cpuSnapshot()` returns undefined.
 *
 * Our short-lived children (git, a sandbox, a helper) are ours too: once
 * reaped, their time shows in their parent's cutime/cstime, which we count;
 * counting them as others' would call a quiet run busy.
 */
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

interface ProcessTicks {
  ppid: number;
  name: string;
  /** utime + stime: the process itself. */
  own: number;
  /** cutime + cstime: its children that it reaped. */
  reaped: number;
}

export interface CpuSnapshot {
  at: number;
  /** Busy clock ticks of all CPUs together, from /proc/stat. */
  busyTicks: number;
  /** Our process tree, by pid. */
  ours: Map<number, ProcessTicks>;
  /** Every other process, by pid. */
  others: Map<number, ProcessTicks>;
}

export interface CpuUsage {
  seconds: number;
  cpus: number;
  /** Average number of CPUs kept busy (0..cpus) by our process tree and by everything else. */
  ours: number;
  others: number;
  /** The other processes that used the most CPU (CPUs kept busy), when any used a noticeable share. */
  topOthers: Array<{ name: string; cpus: number }>;
}

/** Others keeping more than this many CPUs busy on average make a run "busy": its timings are inflated. */
export const BUSY_OTHERS = 0.25;

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux that matters

function processTicks(): Map<number, ProcessTicks> {
  const processes = new Map<number, ProcessTicks>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: the fields start after its last ')'.
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const field = (index: number): number => Number(fields[index] ?? 0);
      processes.set(Number(entry), { ppid: field(1), name, own: field(11) + field(12), reaped: field(13) + field(14) });
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
  const children = new Map<number, number[]>();
  for (const [pid, { ppid }] of processes) {
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const ours = new Map<number, ProcessTicks>();
  const pending = [process.pid];
  while (pending.length > 0) {
    const pid = pending.pop() as number;
    const ticks = processes.get(pid);
    if (ticks) {
      ours.set(pid, ticks);
    }
    pending.push(...(children.get(pid) ?? []));
  }
  const others = new Map([...processes].filter(([pid]) => !ours.has(pid)));
  return { at: Date.now(), busyTicks, ours, others };
}

/**
 * Usage between two snapshots. Our processes that exited in between count
 * through their parent's reaped time; what they had used before the first
 * snapshot is taken off again.
 */
export function cpuUsage(before: CpuSnapshot | undefined, after: CpuSnapshot | undefined): CpuUsage | undefined {
  if (!before || !after || after.at <= before.at) {
    return undefined;
  }
  const seconds = (after.at - before.at) / 1000;
  let ourTicks = 0;
  for (const [pid, ticks] of after.ours) {
    const earlier = before.ours.get(pid);
    ourTicks += ticks.own + ticks.reaped - (earlier ? earlier.own + earlier.reaped : 0);
  }
  for (const [pid, ticks] of before.ours) {
    if (!after.ours.has(pid)) {
      ourTicks -= ticks.own;
    }
  }
  const allTicks = after.busyTicks - before.busyTicks;
  const perSecond = (ticks: number): number => Math.max(0, ticks / TICKS_PER_SECOND / seconds);
  const others = perSecond(allTicks - ourTicks);
  const topOthers = [...after.others]
    .map(([pid, ticks]) => ({ name: ticks.name, cpus: perSecond(ticks.own - (before.others.get(pid)?.own ?? 0)) }))
    .filter((entry) => entry.cpus >= 0.05)
    .sort((a, b) => b.cpus - a.cpus)
    .slice(0, 3);
  return { seconds, cpus: os.cpus().length, ours: perSecond(ourTicks), others, topOthers };
}
