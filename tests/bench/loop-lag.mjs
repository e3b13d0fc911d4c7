// Preloaded into the server under benchmark (node --import): samples the event-loop delay and,
// when BENCH_LOOP_FILE is set, writes a small histogram summary there as the process exits.
// It changes nothing in the app; monitorEventLoopDelay costs a timer per 10 ms.
import { writeFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";

const file = process.env.BENCH_LOOP_FILE;
if (file) {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  // The bench resets the histogram just before the timed phase (SIGUSR2), so set-up does not count.
  process.on("SIGUSR2", () => h.reset());
  process.on("exit", () => {
    h.disable();
    const ms = (ns) => Math.round(ns / 1e5) / 10;
    writeFileSync(
      file,
      JSON.stringify({ p50_ms: ms(h.percentile(50)), p99_ms: ms(h.percentile(99)), max_ms: ms(h.max), mean_ms: ms(h.mean) }),
    );
  });
}
