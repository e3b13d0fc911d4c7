import forge from "node-forge";
import { createPrivateKey } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { fromBinary } from "../bytes.ts";
import { CryptoErrorCode, fail } from "../errors.ts";
import type { TrustStore } from "../pki/chain.ts";
import { privateKeyFromPkcs8, privateKeyToPkcs8, type PrivateKey } from "../pki/keys.ts";
import { certsFromPemBundle, type Certificate } from "../pki/pem.ts";

export type Flags = Record<string, string | boolean | string[] | undefined>;

export class UsageError extends Error {}

export function str(flags: Flags, name: string): string {
  const v = flags[name];
  if (typeof v !== "string" || v === "") throw new UsageError(`missing --${name}`);
  return v;
}

export function optStr(flags: Flags, name: string): string | undefined {
  const v = flags[name];
  return typeof v === "string" && v !== "" ? v : undefined;
}

export function list(flags: Flags, name: string): string[] {
  const v = flags[name];
  return Array.isArray(v) ? v : typeof v === "string" ? [v] : [];
}

export function password(flags: Flags, envName = "MB_CRYPTO_PASSWORD"): string {
  const v = optStr(flags, "password") ?? process.env[envName];
  if (!v) throw new UsageError(`give --password or set ${envName}`);
  return v;
}

export async function readBytes(file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (e) {
    fail(CryptoErrorCode.BAD_INPUT, `Cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export async function readText(file: string): Promise<string> {
  return new TextDecoder().decode(await readBytes(file));
}

export async function readCerts(file: string): Promise<Certificate[]> {
  const certs = certsFromPemBundle(await readText(file));
  if (certs.length === 0) fail(CryptoErrorCode.BAD_INPUT, `${file} holds no PEM certificate.`);
  return certs;
}

/** PEM or DER, whichever the file holds (OpenSSL writes either). */
export async function readDerOrPem(file: string, pemType: string): Promise<Uint8Array> {
  const bytes = await readBytes(file);
  const text = new TextDecoder().decode(bytes.subarray(0, 64));
  if (!text.startsWith("-----BEGIN")) return bytes;
  const block = forge.pem.decode(new TextDecoder().decode(bytes)).find((b) => b.type === pemType || b.type === "PKCS7");
  if (!block) fail(CryptoErrorCode.BAD_INPUT, `${file} holds no ${pemType} PEM block.`);
  return fromBinary(block.body);
}

export async function loadTrust(flags: Flags): Promise<TrustStore> {
  const roots = await readCerts(str(flags, "ca"));
  const intermediates = optStr(flags, "chain") ? await readCerts(str(flags, "chain")) : [];
  const crls = await Promise.all(list(flags, "crl").map((f) => readDerOrPem(f, "X509 CRL")));
  return { roots, intermediates, crls, requireCrl: flags["no-crl"] !== true };
}

export function atTime(flags: Flags): Date {
  const at = optStr(flags, "at");
  if (!at) return new Date();
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) throw new UsageError(`--at must be an ISO date, got "${at}"`);
  return d;
}

/** Encrypted PKCS#8 (PBES2, AES-256-CBC) written by OpenSSL through node:crypto: native speed. */
export function encryptKeyPem(key: PrivateKey, pass: string): string {
  const der = Buffer.from(privateKeyToPkcs8(key));
  return createPrivateKey({ key: der, format: "der", type: "pkcs8" })
    .export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: pass })
    .toString();
}

export async function readEncryptedKey(file: string, pass: string): Promise<PrivateKey> {
  const pem = await readText(file);
  let der: Buffer;
  try {
    der = createPrivateKey({ key: pem, format: "pem", passphrase: pass }).export({ type: "pkcs8", format: "der" });
  } catch {
    fail(CryptoErrorCode.WRONG_PASSWORD, `Wrong password for ${file} (or the file is not an encrypted private key).`);
  }
  return privateKeyFromPkcs8(new Uint8Array(der));
}

export async function writeOut(file: string, data: string | Uint8Array): Promise<void> {
  await writeFile(file, data, typeof data === "string" ? { mode: 0o644 } : undefined);
}

export function say(line: string): void {
  process.stdout.write(`${line}\n`);
}
