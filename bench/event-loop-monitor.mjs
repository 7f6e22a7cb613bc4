// Loaded into a sandbox by a benchmark (NODE_OPTIONS=--import): every 100 ms, appends the longest event-loop delay
// of the sandbox's main thread in that time to $BENCH_EVENT_LOOP_FILE, as "<epoch ms> <delay ms>" lines. A
// client's latency maximum mixes the server's pauses with its own and the kernel's; this is the server's alone.
// Only the sandbox's process records: tsx's launcher process, which gets the same NODE_OPTIONS, does not.
import { appendFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { isMainThread } from "node:worker_threads";

const file = process.env.BENCH_EVENT_LOOP_FILE;
if (file && isMainThread && process.argv[1]?.endsWith("mock/sandbox/main.ts")) {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  setInterval(() => {
    appendFileSync(file, `${Date.now()} ${(delay.max / 1e6).toFixed(1)}\n`);
    delay.reset();
  }, 100).unref();
}
