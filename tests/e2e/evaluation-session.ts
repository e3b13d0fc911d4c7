// The evaluation session's part in witnessing, for end-to-end tests until the session exists:
// it opens the room when it starts and closes it when the report is signed (decision 037,
// revised). Runs scripts/evaluation-witness.ts against the test servers.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { testEnv } from "../../scripts/test-env.mjs";

const run = promisify(execFile);

export async function evaluationWitness(command: "open" | "close", tenderId: string): Promise<{ ok: boolean; error?: string }> {
  const env = {
    ...process.env,
    ...testEnv,
    MEDIA_INTERNAL_URL: `http://127.0.0.1:${process.env.E2E_MEDIA_PORT}`,
    MEDIA_INTERNAL_SECRET: process.env.E2E_INTERNAL_SECRET ?? "",
    WITNESS_TOKEN_SECRET: process.env.E2E_WITNESS_SECRET ?? "",
  };
  const { stdout } = await run(process.execPath, ["--import", "tsx", "scripts/evaluation-witness.ts", command, tenderId], {
    env,
  }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? "{}" }));
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as { ok: boolean; error?: string };
}
