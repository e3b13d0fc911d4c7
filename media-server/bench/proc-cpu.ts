import fs from "node:fs";

const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far, from /proc. */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Percentage of one core each process used over `ms`; 0 for a process that is gone by the end. */
export async function cpuPercent(pids: number[], ms: number): Promise<number[]> {
  const read = (pid: number) => {
    try {
      return cpuSeconds(pid);
    } catch {
      return Number.NaN;
    }
  };
  const before = pids.map(read);
  await new Promise((r) => setTimeout(r, ms));
  return pids.map((pid, i) => {
    const used = ((read(pid) - (before[i] ?? Number.NaN)) / (ms / 1000)) * 100;
    return Number.isFinite(used) ? Math.max(0, used) : 0;
  });
}

/**
 * The whole machine's CPU time so far, in ticks, from the first line of /proc/stat: idle (idle +
 * iowait), interrupts (irq + softirq: loopback delivery is softirq work, not charged to processes
 * here), steal (taken by the hypervisor) and total.
 */
export function machineTicks(): { idle: number; interrupts: number; steal: number; total: number } {
  const f = (fs.readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "").trim().split(/\s+/).slice(1, 9).map(Number);
  const at = (i: number) => f[i] ?? 0;
  return { idle: at(3) + at(4), interrupts: at(5) + at(6), steal: at(7), total: f.reduce((a, b) => a + b, 0) };
}

const PF_KTHREAD = 0x0020_0000;

/** CPU seconds used so far by all kernel threads (kdamond, ksoftirqd, kworkers...). */
export function kernelThreadSeconds(): number {
  let ticks = 0;
  for (const pid of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[6]) & PF_KTHREAD) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone meanwhile
    }
  }
  return ticks / TICKS_PER_SECOND;
}

/** Seconds a process's threads have spent runnable but waiting for a CPU (run-queue delay), from /proc/<pid>/task/<tid>/schedstat. */
export function runQueueWaitSeconds(pid: number): number {
  let ns = 0;
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[1] ?? 0);
    } catch {
      // the thread ended meanwhile
    }
  }
  return ns / 1e9;
}
