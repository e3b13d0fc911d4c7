// Runs in the bidder's page in the opening hall. The .p12 files are opened here; the signing
// key signs the 签到 challenge and the encryption key unwraps the bid's content key from its
// envelope header. Only the signature and the content key of this one bid leave the page.
import {
  contentKeyToBase64,
  type EscrowRecord,
  importP12,
  openCustodianShare,
  type P12Contents,
  signCms,
  toBase64,
  unwrapContentKeyFromHeader,
  utf8,
} from "../../../crypto/browser.ts";
import { signInStatementText } from "./statement.ts";

export class HallError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

function codeOf(error: unknown): string {
  return (error as { code?: string }).code ?? "";
}

/** Opens a .p12 file: a wrong password and an unreadable file get their own messages. */
export async function openKeyFile(file: File, password: string): Promise<P12Contents> {
  try {
    return importP12(new Uint8Array(await file.arrayBuffer()), password);
  } catch (error) {
    throw new HallError(codeOf(error) === "CRYPTO.WRONG_PASSWORD" ? "opening.p12WrongPassword" : "opening.p12Invalid");
  }
}

/** 签到: a detached CMS signature with the signing certificate over the challenge statement. */
export async function signInSignature(
  file: File,
  password: string,
  tenderId: string,
  openingBidId: string,
  challenge: string,
): Promise<string> {
  const identity = await openKeyFile(file, password);
  const der = signCms({
    content: utf8(signInStatementText(tenderId, openingBidId, challenge)),
    signer: { cert: identity.certificate, key: identity.privateKey, chain: identity.chain },
    signingTime: new Date(),
    detached: true,
  });
  return toBase64(der);
}

/**
 * Fetches the envelope header of the bidder's own bid and unwraps the content key with the
 * encryption key inside the page. A key the envelope was not sealed to is told apart.
 */
export async function unwrapBidKey(file: File, password: string, tenderId: string, openingBidId: string): Promise<string> {
  const identity = await openKeyFile(file, password);
  const response = await fetch(`/opening/${tenderId}/header?bid=${encodeURIComponent(openingBidId)}`, {
    headers: { Accept: "application/json" },
  });
  const body = (await response.json().catch(() => ({}))) as { header?: string; error?: string };
  if (!response.ok || !body.header) throw new HallError(body.error ?? "opening.headerUnavailable");
  try {
    return contentKeyToBase64(unwrapContentKeyFromHeader(body.header, identity.privateKey));
  } catch (error) {
    throw new HallError(codeOf(error) === "CRYPTO.WRONG_CERT" ? "opening.p12WrongCert" : "opening.p12CannotUnwrap");
  }
}

/** Escrow remedy: the custodian unseals its own share of the tender's escrow key in this page. */
export async function custodianShare(file: File, password: string, record: EscrowRecord): Promise<{ x: string; share: string }> {
  const identity = await openKeyFile(file, password);
  try {
    const share = await openCustodianShare(record, identity.privateKey);
    return { x: String(share.x), share: share.share };
  } catch {
    throw new HallError("opening.notCustodianKey");
  }
}

export type CheckResult = "ok" | "wrongCert" | "wrongPassword" | "unreadable";

/** The decryption check: can this .p12 unwrap the key of the envelope this bidder submitted? Only the answer is sent. */
export async function checkDecryption(
  file: File,
  password: string,
  tenderId: string,
): Promise<{ versionId: string; result: CheckResult }> {
  const response = await fetch(`/opening/${tenderId}/check`, { headers: { Accept: "application/json" } });
  const body = (await response.json().catch(() => ({}))) as { versionId?: string; header?: string; error?: string };
  if (!response.ok || !body.header || !body.versionId) throw new HallError(body.error ?? "opening.headerUnavailable");
  let identity: P12Contents;
  try {
    identity = await openKeyFile(file, password);
  } catch (error) {
    return {
      versionId: body.versionId,
      result: (error as HallError).code === "opening.p12WrongPassword" ? "wrongPassword" : "unreadable",
    };
  }
  try {
    unwrapContentKeyFromHeader(body.header, identity.privateKey).fill(0);
    return { versionId: body.versionId, result: "ok" };
  } catch {
    return { versionId: body.versionId, result: "wrongCert" };
  }
}
