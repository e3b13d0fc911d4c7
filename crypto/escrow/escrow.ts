import { concatBytes, fromBase64, randomBytes, toBase64, toHex, utf8 } from "../bytes.ts";
import { canonicalJson } from "../canonical-json.ts";
import { CryptoErrorCode, fail } from "../errors.ts";
import { sha256 } from "../hash.ts";
import {
  keyId,
  privateKeyFromPkcs8,
  privateKeyToPkcs8,
  publicKeyFromSpki,
  publicKeyOf,
  publicKeyToSpki,
  sameKeyPair,
  type KeyPair,
  type PrivateKey,
} from "../pki/keys.ts";
import { describeName } from "../pki/names.ts";
import type { Certificate } from "../pki/pem.ts";
import { openBox, sealBox, type SealedBox } from "./sealed-box.ts";
import { combine, split } from "./shamir.ts";

export interface Custodian {
  /** e.g. supervisor, agent, notary; the certificate must be an encryption certificate. */
  role: string;
  cert: Certificate;
}

export interface EscrowShareRecord {
  x: number;
  role: string;
  custodian: string;
  custodianKeyId: string;
  /** SHA-256 of (x ‖ share), hex: a wrong or altered share is named, not silently combined. */
  shareDigest: string;
  box: SealedBox;
}

/** Stored by the platform (and signed by its signing service); it reveals nothing without k shares. */
export interface EscrowRecord {
  format: "MB-ESCROW";
  version: 1;
  tenderId: string;
  escrowKeyId: string;
  escrowPublicKey: string;
  threshold: number;
  shares: EscrowShareRecord[];
  createdAt: string;
}

export interface CustodianShare {
  x: number;
  share: string;
}

const shareAad = (tenderId: string, x: number) => utf8(`MB-ESCROW-1|${tenderId}|${x}`);
const shareDigest = (x: number, y: Uint8Array) => toHex(sha256(concatBytes([new Uint8Array([x]), y])));

/**
 * Split the tender's escrow private key k-of-n among custodians, each share sealed to the
 * custodian's encryption certificate. The caller then discards the escrow private key.
 */
export async function createEscrow(input: {
  tenderId: string;
  escrowKey: KeyPair;
  custodians: readonly Custodian[];
  threshold: number;
  now: Date;
}): Promise<EscrowRecord> {
  const secret = privateKeyToPkcs8(input.escrowKey.privateKey);
  const parts = split(secret, input.custodians.length, input.threshold, randomBytes);
  secret.fill(0);
  const shares = await Promise.all(
    parts.map(async (part, i) => {
      const custodian = input.custodians[i] as Custodian;
      const ku = custodian.cert.getExtension("keyUsage") as { keyEncipherment?: boolean } | null;
      if (!ku?.keyEncipherment)
        fail(CryptoErrorCode.CERT_USAGE, `Custodian "${custodian.role}" must present an encryption certificate.`);
      const pub = custodian.cert.publicKey as KeyPair["publicKey"];
      return {
        x: part.x,
        role: custodian.role,
        custodian: describeName(custodian.cert.subject),
        custodianKeyId: keyId(pub),
        shareDigest: shareDigest(part.x, part.y),
        box: await sealBox(pub, part.y, shareAad(input.tenderId, part.x)),
      };
    }),
  );
  return {
    format: "MB-ESCROW",
    version: 1,
    tenderId: input.tenderId,
    escrowKeyId: keyId(input.escrowKey.publicKey),
    escrowPublicKey: toBase64(publicKeyToSpki(input.escrowKey.publicKey)),
    threshold: input.threshold,
    shares,
    createdAt: input.now.toISOString(),
  };
}

export function encodeEscrowRecord(record: EscrowRecord): Uint8Array {
  return utf8(canonicalJson(record));
}

/** A custodian decrypts its own share with its P12 key, in its own browser. */
export async function openCustodianShare(record: EscrowRecord, custodianKey: PrivateKey): Promise<CustodianShare> {
  const id = keyId(publicKeyOf(custodianKey));
  const entry = record.shares.find((s) => s.custodianKeyId === id);
  if (!entry) fail(CryptoErrorCode.WRONG_CERT, "This key holds no share of this tender's escrow key.");
  const y = await openBox(entry.box, custodianKey, shareAad(record.tenderId, entry.x));
  return { x: entry.x, share: toBase64(y) };
}

/**
 * Rebuild the escrow private key from at least k shares. Each share is checked against its
 * digest in the record, and the result against the escrow public key, so a wrong share fails
 * with its custodian named instead of yielding a wrong key. (The app allows this only after
 * the opening time, E-Measures Art 31.)
 */
export function reconstructEscrowKey(record: EscrowRecord, submitted: readonly CustodianShare[]): PrivateKey {
  const unique = new Map<number, Uint8Array>();
  for (const s of submitted) {
    const entry = record.shares.find((r) => r.x === s.x);
    if (!entry) fail(CryptoErrorCode.SHARE_INVALID, `Share #${s.x} does not belong to this escrow.`);
    const y = fromBase64(s.share);
    if (shareDigest(s.x, y) !== entry.shareDigest) {
      fail(CryptoErrorCode.SHARE_INVALID, `The share of ${entry.role} "${entry.custodian}" (#${s.x}) is wrong or was altered.`, {
        x: s.x,
        role: entry.role,
      });
    }
    unique.set(s.x, y);
  }
  if (unique.size < record.threshold) {
    fail(
      CryptoErrorCode.NOT_ENOUGH_SHARES,
      `${unique.size} valid share(s) given; ${record.threshold} custodians must take part.`,
    );
  }
  return rebuild(
    record,
    [...unique].map(([x, y]) => ({ x, y })),
  );
}

function rebuild(record: EscrowRecord, shares: { x: number; y: Uint8Array }[]): PrivateKey {
  const secret = combine(shares);
  let key: PrivateKey;
  try {
    key = privateKeyFromPkcs8(secret);
  } catch {
    fail(CryptoErrorCode.ESCROW_MISMATCH, "The shares combine to no valid key: the escrow record does not match them.");
  } finally {
    secret.fill(0);
  }
  if (!sameKeyPair(key, publicKeyFromSpki(fromBase64(record.escrowPublicKey)))) {
    fail(CryptoErrorCode.ESCROW_MISMATCH, "The rebuilt key does not match the tender's escrow public key.");
  }
  return key;
}
