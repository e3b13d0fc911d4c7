import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { createIssuingCa, createRootCa, issueCertificate, type CaIdentity } from "../pki/ca.ts";
import { createCrl, crlToPem, RevocationReason, type RevokedEntry, type RevocationReasonName } from "../pki/crl.ts";
import { createCsr } from "../pki/csr.ts";
import { generateRsaKeyPair } from "../pki/keygen.node.ts";
import { HOLDER_ROLES, type HolderRole } from "../pki/names.ts";
import { certFromPem, certToPem } from "../pki/pem.ts";
import { encryptKeyPem, optStr, password, readEncryptedKey, readText, say, str, UsageError, writeOut, type Flags } from "./io.ts";

interface CaState {
  crlNumber: number;
  crlUrl: string;
  revoked: { serial: string; revokedAt: string; reason?: RevocationReasonName }[];
}

const files = (dir: string) => ({
  rootCert: path.join(dir, "root.pem"),
  rootKey: path.join(dir, "root.key.pem"),
  issuingCert: path.join(dir, "issuing.pem"),
  issuingKey: path.join(dir, "issuing.key.pem"),
  chain: path.join(dir, "chain.pem"),
  state: path.join(dir, "ca-state.json"),
});

export async function caInit(flags: Flags): Promise<void> {
  const dir = str(flags, "dir");
  const pass = password(flags, "MB_CA_PASSWORD");
  const bits = Number(optStr(flags, "bits") ?? "3072");
  if (![2048, 3072, 4096].includes(bits)) throw new UsageError("--bits must be 2048, 3072 or 4096");
  const name = optStr(flags, "name") ?? "MingBiao";
  const crlUrl = optStr(flags, "crl-url") ?? "http://pki.mingbiao.local/issuing.crl";
  await mkdir(dir, { recursive: true });
  const now = new Date();
  const [rootKeys, issuingKeys] = await Promise.all([generateRsaKeyPair(bits), generateRsaKeyPair(bits)]);
  const root = createRootCa({ keys: rootKeys, subject: { commonName: `${name} Root CA`, organization: name }, now });
  const issuing = createIssuingCa(root, {
    keys: issuingKeys,
    subject: { commonName: `${name} Issuing CA`, organization: name },
    now,
  });
  const f = files(dir);
  await writeOut(f.rootCert, certToPem(root.cert));
  await writeFile(f.rootKey, encryptKeyPem(root.key, pass), { mode: 0o600 });
  await writeOut(f.issuingCert, certToPem(issuing.cert));
  await writeFile(f.issuingKey, encryptKeyPem(issuing.key, pass), { mode: 0o600 });
  await writeOut(f.chain, certToPem(issuing.cert));
  await saveState(dir, { crlNumber: 0, crlUrl, revoked: [] });
  say(`OK platform CA created in ${dir}: root.pem, issuing.pem (RSA-${bits}); keys encrypted with your password`);
}

async function loadIssuing(dir: string, flags: Flags): Promise<CaIdentity> {
  const f = files(dir);
  return {
    cert: certFromPem(await readText(f.issuingCert)),
    key: await readEncryptedKey(f.issuingKey, password(flags, "MB_CA_PASSWORD")),
  };
}

async function loadState(dir: string): Promise<CaState> {
  return JSON.parse(await readFile(files(dir).state, "utf8")) as CaState;
}

async function saveState(dir: string, state: CaState): Promise<void> {
  await writeFile(files(dir).state, JSON.stringify(state, null, 2) + "\n");
}

export async function certIssue(flags: Flags): Promise<void> {
  const dir = str(flags, "dir");
  const profile = str(flags, "profile");
  if (!["signing", "encryption", "tsa"].includes(profile)) throw new UsageError("--profile must be signing, encryption or tsa");
  const role = (optStr(flags, "role") ?? (profile === "tsa" ? "service" : "bidder")) as HolderRole;
  if (!HOLDER_ROLES.includes(role)) throw new UsageError(`--role must be one of ${HOLDER_ROLES.join(", ")}`);
  const ca = await loadIssuing(dir, flags);
  const state = await loadState(dir);
  const cert = issueCertificate(ca, {
    csrPem: await readText(str(flags, "csr")),
    profile: profile as "signing" | "encryption" | "tsa",
    role,
    now: new Date(),
    validityDays: Number(optStr(flags, "days") ?? "730"),
    crlUrl: state.crlUrl,
  });
  await writeOut(str(flags, "out"), certToPem(cert));
  say(
    `OK issued ${profile} certificate serial ${cert.serialNumber} for role ${role}, valid until ${cert.validity.notAfter.toISOString()}`,
  );
}

export async function certRevoke(flags: Flags): Promise<void> {
  const dir = str(flags, "dir");
  await loadIssuing(dir, flags);
  const serial = str(flags, "serial").toLowerCase();
  const reason = (optStr(flags, "reason") ?? "unspecified") as RevocationReasonName;
  if (!(reason in RevocationReason)) throw new UsageError(`--reason must be one of ${Object.keys(RevocationReason).join(", ")}`);
  const state = await loadState(dir);
  if (!state.revoked.some((r) => r.serial === serial))
    state.revoked.push({ serial, revokedAt: new Date().toISOString(), reason });
  await saveState(dir, state);
  say(`OK serial ${serial} revoked (${reason}); run crl:make to publish it`);
}

export async function crlMake(flags: Flags): Promise<void> {
  const dir = str(flags, "dir");
  const ca = await loadIssuing(dir, flags);
  const state = await loadState(dir);
  state.crlNumber++;
  const now = new Date();
  const revoked: RevokedEntry[] = state.revoked.map((r) => ({
    serial: r.serial,
    revokedAt: new Date(r.revokedAt),
    reason: r.reason,
  }));
  const der = createCrl(ca, {
    crlNumber: state.crlNumber,
    thisUpdate: now,
    nextUpdate: new Date(now.getTime() + Number(optStr(flags, "days") ?? "7") * 86_400_000),
    revoked,
  });
  await writeOut(optStr(flags, "out") ?? path.join(dir, "issuing.crl.pem"), crlToPem(der));
  await saveState(dir, state);
  say(`OK CRL #${state.crlNumber} with ${revoked.length} revoked certificate(s)`);
}

/** For operators and tests: a key pair and CSR made locally (bidders do this in the browser). */
export async function csrCreate(flags: Flags): Promise<void> {
  const keys = await generateRsaKeyPair(2048);
  const csr = createCsr(keys, {
    commonName: str(flags, "cn"),
    organization: optStr(flags, "org"),
    serialNumber: optStr(flags, "id"),
  });
  await writeOut(str(flags, "out"), csr);
  await writeFile(str(flags, "key-out"), encryptKeyPem(keys.privateKey, password(flags)), { mode: 0o600 });
  say(`OK CSR written to ${str(flags, "out")}; private key encrypted in ${str(flags, "key-out")}`);
}
