// Stands in for the evaluation session (not built yet) in end-to-end tests: opens or closes a
// tender's witness room through the very functions the session will call
// (openEvaluationWitness / closeEvaluationWitness), in a process of its own with the test
// servers' environment. Prints the result as JSON; exits 1 when it is refused.
//   tsx tests/support/evaluation-witness-cli.ts open|close <tenderId>
import { closeEvaluationWitness, openEvaluationWitness } from "../../app/features/witness/index.ts";
import { disconnectDb } from "../../app/platform/db.server.ts";

const [command, tenderId] = process.argv.slice(2);
if ((command !== "open" && command !== "close") || !tenderId) {
  console.error("usage: evaluation-witness-cli.ts open|close <tenderId>");
  process.exit(2);
}
try {
  const result = command === "open" ? await openEvaluationWitness(tenderId) : await closeEvaluationWitness(tenderId);
  console.log(JSON.stringify(result));
  process.exitCode = result.ok ? 0 : 1;
} finally {
  await disconnectDb();
}
