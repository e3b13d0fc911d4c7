import { action } from "~/routes/pki.enrol.tsx";
import { action as signUp } from "~/routes/signup.tsx";
import { db, disconnectDb } from "~/platform/db.server.ts";
import { closeRedis } from "~/platform/redis.server.ts";
import { currentCrls, trustStore } from "~/features/pki/platform-pki.server.ts";
import { revokedEntries } from "~/features/pki/certificates.server.ts";
import { createCsr } from "../../crypto/pki/csr.ts";
import { generateRsaKeyPair } from "../../crypto/pki/keygen.node.ts";
import { certFromPem } from "../../crypto/pki/pem.ts";
import { verifyCertificateChain } from "../../crypto/pki/chain.ts";
import { cookieFrom, csrfPair, formRequest, respond } from "../support/requests.ts";
import { randomCreditCode, uniqueEmail } from "../support/ids.ts";

afterAll(async () => {
  await closeRedis();
  await disconnectDb();
});

async function newBidder() {
  const { cookie, token } = await csrfPair();
  const org = { organizationName: "证书测试有限公司", creditCode: randomCreditCode() };
  const res = await respond(() =>
    signUp({
      request: formRequest(
        "/signup",
        {
          ...org,
          name: "证书",
          email: uniqueEmail("pki"),
          phone: "13600136000",
          password: "pki-password-123",
          passwordConfirm: "pki-password-123",
          csrf: token,
        },
        cookie,
      ),
      params: {},
      context: {},
    }),
  );
  return { cookie: `${cookie}; ${cookieFrom(res, "mb_session")}`, token, org };
}

async function csrs(subject: { organization: string; creditCode: string }) {
  const [s, e] = await Promise.all([generateRsaKeyPair(2048), generateRsaKeyPair(2048)]);
  const name = { commonName: subject.organization, organization: subject.organization, serialNumber: subject.creditCode };
  return { signingCsr: createCsr(s, name), encryptionCsr: createCsr(e, name) };
}

function enrol(cookie: string, token: string, fields: Record<string, string>) {
  return respond(() =>
    action({ request: formRequest("/pki/enrol", { ...fields, csrf: token }, cookie), params: {}, context: {} }),
  );
}

describe("certificate enrolment (双证书)", () => {
  it("issues a signing and an encryption certificate that chain to the platform root", async () => {
    const bidder = await newBidder();
    const res = await enrol(
      bidder.cookie,
      bidder.token,
      await csrs({ organization: bidder.org.organizationName, creditCode: bidder.org.creditCode }),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { signingPem: string; encryptionPem: string };
    const store = await trustStore(await currentCrls(await revokedEntries(), 1));
    const signing = certFromPem(body.signingPem);
    const encryption = certFromPem(body.encryptionPem);
    expect(verifyCertificateChain(signing, store, { at: new Date(), usage: "signing" })).toHaveLength(3);
    expect(verifyCertificateChain(encryption, store, { at: new Date(), usage: "encryption" })).toHaveLength(3);
    expect(() => verifyCertificateChain(signing, store, { at: new Date(), usage: "encryption" })).toThrow();
    const rows = await db().certificate.findMany({
      where: { serialNumber: { in: [signing.serialNumber, encryption.serialNumber] } },
    });
    expect(rows.map((r) => r.usage).sort()).toEqual(["ENCRYPTION", "SIGNING"]);
    expect(
      await db().auditEntry.count({
        where: { action: "pki.certificates_issued", data: { path: ["signingSerial"], equals: signing.serialNumber } },
      }),
    ).toBe(1);
  });

  it("refuses a request naming another organisation", async () => {
    const bidder = await newBidder();
    const res = await enrol(
      bidder.cookie,
      bidder.token,
      await csrs({ organization: "别的公司", creditCode: bidder.org.creditCode }),
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe("pki.subjectMismatch");
  });

  it("refuses garbage instead of a CSR", async () => {
    const bidder = await newBidder();
    const res = await enrol(bidder.cookie, bidder.token, { signingCsr: "x".repeat(200), encryptionCsr: "y".repeat(200) });
    expect(res.status).toBe(400);
  });

  it("revokes the previous pair on re-enrolment, and the CRL says so", async () => {
    const bidder = await newBidder();
    const subject = { organization: bidder.org.organizationName, creditCode: bidder.org.creditCode };
    const first = (await (await enrol(bidder.cookie, bidder.token, await csrs(subject))).json()) as { signingPem: string };
    await enrol(bidder.cookie, bidder.token, await csrs(subject));
    const old = certFromPem(first.signingPem);
    const store = await trustStore(await currentCrls(await revokedEntries(), 2));
    expect(() => verifyCertificateChain(old, store, { at: new Date(), usage: "signing" })).toThrow(/revoked/i);
  });
});
