// npm run verify:draw -- --url https://…/tenders/<id>/draw.json   (or --in draw.json)
// Re-runs a published expert draw with bidding-core (docs/bidding-core/expert-draw.md,
// docs/decisions/080): the seed secret against its commitment, the eligible pool against its
// hash, then the draw itself; prints the committee or where it differs. Exit 0 = matches.
import fs from "node:fs";
import { checkPublishedDraw, type PublishedDraw } from "../bidding-core/index.ts";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function load(): Promise<unknown> {
  const url = arg("url");
  const file = arg("in");
  if (url) {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    return res.json();
  }
  if (file) return JSON.parse(fs.readFileSync(file, "utf8"));
  throw new Error("usage: npm run verify:draw -- --url <…/tenders/<id>/draw.json> | --in <file.json>");
}

try {
  const body = (await load()) as { state?: string; draw?: PublishedDraw; tender?: string };
  if (body.state !== "published" || !body.draw) {
    console.log(
      `not published yet (state: ${body.state ?? "unknown"}): the seed and the pool are revealed when the result is fixed`,
    );
    process.exit(2);
  }
  const check = checkPublishedDraw(body.draw);
  if (check.matches) {
    console.log(`matches${body.tender ? ` (${body.tender})` : ""}: seed commitment, pool hash and the draw agree`);
    check.members.forEach((m, i) => console.log(`  member ${i + 1}: ${m.expertId} ${m.specialty}`));
    check.reserves.forEach((m, i) => console.log(`  reserve ${i + 1}: ${m.expertId} ${m.specialty}`));
    process.exit(0);
  }
  const where = check.position
    ? ` at position ${check.position} (computed ${check.expected}, published ${check.found})`
    : check.expected
      ? ` (published ${check.expected}, computed ${check.found})`
      : "";
  console.log(`does not match: ${check.failure}${where}`);
  process.exit(1);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(3);
}
