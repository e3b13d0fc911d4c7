import { Prisma } from "../../generated/prisma/client.ts";
import { db } from "../../platform/db.server.ts";
import { appendAudit } from "../../platform/audit/audit.server.ts";
import { hashPassword } from "./password.server.ts";
import type { SignUpInput } from "./account-forms.ts";
import { AUDIT_SUBJECT } from "../../platform/audit/subjects.ts";

export type RegisterResult =
  { ok: true; userId: string; organizationId: string } | { ok: false; field: "email" | "creditCode"; message: string };

/**
 * Registers a bidder organisation and its first user in one transaction, with its audit entry.
 * Uniqueness is decided by the database constraints, so two simultaneous sign-ups with the same
 * credit code cannot both succeed.
 */
export async function registerBidder(input: SignUpInput, meta: { ip?: string }): Promise<RegisterResult> {
  const passwordHash = await hashPassword(input.password);
  try {
    return await db().$transaction(async (tx) => {
      const org = await tx.organization.create({
        data: { name: input.organizationName, creditCode: input.creditCode, kind: "BIDDER" },
        select: { id: true },
      });
      const user = await tx.user.create({
        data: {
          email: input.email,
          name: input.name,
          phone: input.phone,
          passwordHash,
          role: "BIDDER",
          organizationId: org.id,
        },
        select: { id: true },
      });
      await appendAudit(
        {
          actorId: user.id,
          action: "account.bidder_registered",
          subjectType: AUDIT_SUBJECT.Organization,
          subjectId: org.id,
          data: { userId: user.id, creditCode: input.creditCode, name: input.organizationName, ip: meta.ip },
        },
        tx,
      );
      return { ok: true as const, userId: user.id, organizationId: org.id };
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const target = JSON.stringify(error.meta ?? {});
      return target.includes("credit_code") || target.includes("creditCode")
        ? { ok: false, field: "creditCode", message: "auth.creditCodeTaken" }
        : { ok: false, field: "email", message: "auth.emailTaken" };
    }
    throw error;
  }
}
