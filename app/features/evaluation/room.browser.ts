// In the member's page: the signing key file (.p12) signs the act's statement; the key never leaves the page.
import { importP12, signCms, toBase64 } from "../../../crypto/browser.ts";
import { roomStatement, type RoomAct } from "./statement.ts";

export async function roomSignature(
  file: File,
  password: string,
  act: RoomAct,
  tenderId: string,
  memberUserId: string,
  body: unknown,
): Promise<string> {
  const identity = importP12(new Uint8Array(await file.arrayBuffer()), password);
  const der = signCms({
    content: roomStatement(act, tenderId, memberUserId, body),
    signer: { cert: identity.certificate, key: identity.privateKey, chain: identity.chain },
    signingTime: new Date(),
    detached: true,
  });
  return toBase64(der);
}
