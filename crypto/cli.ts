/**
 * MingBiao crypto CLI:  npm run crypto -- <command> [--flags]
 * Exit codes: 0 OK, 2 verification or input failed (message names the problem), 64 usage error.
 */
import { parseArgs } from "node:util";
import { isCryptoError } from "./errors.ts";
import { caInit, certIssue, certRevoke, crlMake, csrCreate } from "./cli/ca-commands.ts";
import { UsageError, type Flags } from "./cli/io.ts";
import {
  openEnvelopeCommand,
  verifyAuditCommand,
  verifyEnvelopeCommand,
  verifySignatureCommand,
  verifyTimestampCommand,
} from "./cli/verify-commands.ts";

const COMMANDS: Record<string, { run: (f: Flags) => Promise<void>; usage: string }> = {
  "ca:init": { run: caInit, usage: "--dir <ca dir> --password <pw> [--bits 3072] [--name MingBiao] [--crl-url URL]" },
  "csr:create": {
    run: csrCreate,
    usage: "--cn <name> [--org <org>] [--id <credit code>] --out <csr.pem> --key-out <key.pem> --password <pw>",
  },
  "cert:issue": {
    run: certIssue,
    usage:
      "--dir <ca dir> --password <pw> --csr <csr.pem> --profile signing|encryption|tsa [--role bidder] --out <cert.pem> [--days 730]",
  },
  "cert:revoke": { run: certRevoke, usage: "--dir <ca dir> --password <pw> --serial <hex> [--reason keyCompromise]" },
  "crl:make": { run: crlMake, usage: "--dir <ca dir> --password <pw> [--out <crl.pem>] [--days 7]" },
  "verify:envelope": {
    run: verifyEnvelopeCommand,
    usage: "--in <envelope> --ca <root.pem> [--chain <chain.pem>] --crl <crl> [--tender <id>] [--at ISO]",
  },
  "open:envelope": {
    run: openEnvelopeCommand,
    usage: "--in <envelope> --p12 <enc.p12> --password <pw> --out <dir> --ca <root.pem> --crl <crl>",
  },
  "verify:signature": {
    run: verifySignatureCommand,
    usage: "--in <sig.p7s> [--content <file>] --ca <root.pem> --crl <crl> [--at ISO]",
  },
  "verify:timestamp": {
    run: verifyTimestampCommand,
    usage: "--in <resp.tsr|token> (--data <file> | --digest <hex>) --ca <root.pem> --crl <crl>",
  },
  "verify:audit": {
    run: verifyAuditCommand,
    usage:
      "--in <export.json (npm run audit:export)> --ca <root.pem> [--at ISO] | --in <entries.json|jsonl> [--checkpoint <cp.json> --signature <cp.p7s> --ca <root.pem> --crl <crl>]",
  },
};

const OPTIONS = Object.fromEntries(
  [
    "dir",
    "password",
    "bits",
    "name",
    "crl-url",
    "cn",
    "org",
    "id",
    "out",
    "key-out",
    "csr",
    "profile",
    "role",
    "days",
    "serial",
    "reason",
    "in",
    "ca",
    "chain",
    "tender",
    "at",
    "p12",
    "content",
    "data",
    "digest",
    "checkpoint",
    "signature",
  ].map((n) => [n, { type: "string" as const }]),
);

function usage(): string {
  return [
    "usage: npm run crypto -- <command> [flags]",
    ...Object.entries(COMMANDS).map(([c, d]) => `  ${c} ${d.usage}`),
    "  common: --crl may repeat; --no-crl skips revocation checks; passwords may come from MB_CRYPTO_PASSWORD / MB_CA_PASSWORD",
  ].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const entry = command ? COMMANDS[command] : undefined;
  if (!entry) {
    process.stderr.write(`${command ? `unknown command "${command}"\n` : ""}${usage()}\n`);
    return 64;
  }
  try {
    const { values } = parseArgs({
      args: rest,
      options: { ...OPTIONS, crl: { type: "string", multiple: true }, "no-crl": { type: "boolean" } },
      strict: true,
    });
    await entry.run(values as Flags);
    return 0;
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      process.stderr.write(`${(e as Error).message}\nusage: npm run crypto -- ${command} ${entry.usage}\n`);
      return 64;
    }
    if (isCryptoError(e)) {
      process.stderr.write(`FAILED [${e.code}] ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

if (process.argv[1] && /cli\.ts$/.test(process.argv[1])) {
  process.exitCode = await main(process.argv.slice(2));
}
