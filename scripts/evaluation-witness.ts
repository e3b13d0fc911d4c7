// npm run evaluation:witness -- open|close <tender id | tender code>
// Stands in for the evaluation session until it exists (issue 15): opens or closes a tender's
// witness room through the very functions the session will call, openEvaluationWitness /
// closeEvaluationWitness (decision 037, revised). For the demo walk and the end-to-end tests.
// Reads .env (the app's settings) unless the variables are already set. Prints the result as
// JSON; exits 1 when it is refused.
import fs from "node:fs";
import path from "node:path";
import { parseDotEnv } from "./dotenv.mjs";

const [command, tender] = process.argv.slice(2);
if ((command !== "open" && command !== "close") || !tender) {
  process.stderr.write("usage: npm run evaluation:witness -- open|close <tender id | code>\n");
  process.exit(64);
}
const dotEnv = path.resolve(".env");
if (fs.existsSync(dotEnv)) {
  for (const [k, v] of Object.entries(parseDotEnv(fs.readFileSync(dotEnv, "utf8")))) process.env[k] ??= v;
}
process.env.MEDIA_INTERNAL_URL ??= process.env.MEDIA_URL;
const { closeEvaluationWitness, openEvaluationWitness, witnessReason } = await import("../app/features/witness/index.ts");
const { db, disconnectDb } = await import("../app/platform/db.server.ts");
try {
  const byCode = await db().tender.findUnique({ where: { code: tender }, select: { id: true } });
  const tenderId = byCode?.id ?? tender;
  const result = command === "open" ? await openEvaluationWitness(tenderId) : await closeEvaluationWitness(tenderId);
  process.stdout.write(`${JSON.stringify(result.ok ? { ok: true } : { ok: false, error: witnessReason(result.refusal) })}\n`);
  process.exitCode = result.ok ? 0 : 1;
} finally {
  await disconnectDb();
}
