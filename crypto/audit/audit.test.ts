import { CryptoErrorCode } from "../errors.ts";
import { createTestPki, type Holder, type TestPki } from "../testing/pki-fixture.node.ts";
import { appendEntry, GENESIS_HASH, verifyAuditChain, type AuditEntry } from "./chain.ts";
import { signCheckpoint, verifyCheckpoint } from "./checkpoint.ts";

function buildChain(n: number): AuditEntry[] {
  const out: AuditEntry[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      appendEntry(out[i - 1] ?? null, {
        at: `2026-11-21T10:00:0${i}Z`,
        actor: `user-${i % 3}`,
        action: "bid.received",
        data: { tender: "T-1", n: i, 名称: "投标" },
      }),
    );
  }
  return out;
}

let pki: TestPki;
let service: Holder;
beforeAll(async () => {
  pki = await createTestPki();
  service = await pki.issue("MingBiao audit service", "service", "signing");
});

describe("audit hash chain", () => {
  it("a clean chain verifies and reports its head", () => {
    const chain = buildChain(6);
    expect(chain[0]?.prevHash).toBe(GENESIS_HASH);
    expect(verifyAuditChain(chain)).toEqual({ ok: true, length: 6, headHash: chain[5]?.hash });
  });

  it("an edited entry is named as the first broken one", () => {
    const chain = buildChain(6);
    chain[3] = { ...chain[3]!, actor: "someone-else" };
    expect(verifyAuditChain(chain)).toMatchObject({ ok: false, firstBrokenSeq: 3, reason: expect.stringMatching(/edited/) });
  });

  it("an edited entry with a recomputed hash breaks the next link", () => {
    const chain = buildChain(6);
    const forged = appendEntry(chain[1]!, { ...chain[2]!, data: { tender: "T-1", n: 99 } });
    expect(forged.seq).toBe(2);
    chain[2] = forged;
    expect(verifyAuditChain(chain)).toMatchObject({ ok: false, firstBrokenSeq: 3 });
  });

  it("a removed or inserted entry is detected at its position", () => {
    const chain = buildChain(6);
    expect(verifyAuditChain([...chain.slice(0, 2), ...chain.slice(3)])).toMatchObject({ ok: false, index: 2, firstBrokenSeq: 3 });
  });

  it("verifies a slice from an anchor", () => {
    const chain = buildChain(6);
    expect(verifyAuditChain(chain.slice(3), { seq: 2, hash: chain[2]!.hash })).toMatchObject({ ok: true, length: 3 });
  });

  it("signed checkpoints pin the head; a rewritten log fails AUDIT_BROKEN", () => {
    const chain = buildChain(5);
    const signer = { cert: service.cert, key: service.key, chain: [pki.issuing.cert] };
    const cp = signCheckpoint("tender:T-1", chain[4]!, signer, new Date());
    expect(verifyCheckpoint(cp, chain, pki.trust(), new Date()).seq).toBe(4);
    const rewritten = buildChain(4);
    rewritten.push(appendEntry(rewritten[3]!, { at: "x", actor: "admin", action: "bid.deleted", data: null }));
    expect(() => verifyCheckpoint(cp, rewritten, pki.trust(), new Date())).toThrow(
      expect.objectContaining({ code: CryptoErrorCode.AUDIT_BROKEN }),
    );
    const tamperedCp = { ...cp, checkpoint: cp.checkpoint.map((b, i) => (i === 30 ? b ^ 1 : b)) };
    expect(() => verifyCheckpoint(tamperedCp, chain, pki.trust(), new Date())).toThrow(
      expect.objectContaining({ code: CryptoErrorCode.BAD_SIGNATURE }),
    );
  });
});
