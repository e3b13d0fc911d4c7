import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { UNHANDLED_REJECTION_EXIT } from "./process-guard.mjs";

const guard = fileURLToPath(new URL("./process-guard.mjs", import.meta.url));

describe("process guard (issue 11, item 7)", () => {
  it("logs an unhandled rejection with its stack and exits non-zero, so the launcher restarts the process", () => {
    const script = `const { exitOnUnhandledRejection } = await import(${JSON.stringify(guard)});
      exitOnUnhandledRejection("media server");
      setInterval(() => {}, 1000);
      Promise.reject(new Error("recorder went away"));`;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 20_000 });
    expect(run.status).toBe(UNHANDLED_REJECTION_EXIT);
    expect(run.stderr).toMatch(/media server: unhandled rejection, exiting to be restarted: Error: recorder went away\n\s+at /);
  });
});
