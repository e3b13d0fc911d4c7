// npm run audit:export -- --out <file.json>
// Writes the audit chain and its signed checkpoints for outsiders (issue 11, item 8); verify with
//   npm run crypto -- verify:audit --in <file.json> --ca <platform root.pem>
// Reads .env (the app's settings) unless the variables are already set.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { parseDotEnv } from "./dotenv.mjs";

const { values } = parseArgs({ options: { out: { type: "string" } }, strict: true });
if (!values.out) {
  process.stderr.write("usage: npm run audit:export -- --out <file.json>\n");
  process.exit(64);
}
const dotEnv = path.resolve(".env");
if (fs.existsSync(dotEnv)) {
  for (const [k, v] of Object.entries(parseDotEnv(fs.readFileSync(dotEnv, "utf8")))) process.env[k] ??= v;
}
const { exportAudit } = await import("../app/features/audit/index.ts");
const { disconnectDb } = await import("../app/platform/db.server.ts");
try {
  const exported = await exportAudit();
  fs.writeFileSync(values.out, `${JSON.stringify(exported, null, 1)}\n`);
  const head = exported.entries.at(-1);
  process.stdout.write(
    `wrote ${values.out}: ${exported.entries.length} entries (head #${head?.seq ?? "-"}), ${exported.checkpoints.length} signed checkpoints\n`,
  );
} finally {
  await disconnectDb();
}
