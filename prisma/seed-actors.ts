// The demo's standing actors, looked up by the demo seeds that build a tender around them
// (seed-opening.ts, seed-room.ts): the agent, the trading centre's admin, the supervisor and the
// first tenderer organisation. prisma/seed.ts creates them first.
import type { PrismaClient } from "../app/generated/prisma/client.ts";

export async function demoActors(prisma: PrismaClient) {
  const agent = await prisma.user.findUniqueOrThrow({
    where: { email: "agent@demo.mingbiao.cn" },
    select: { id: true, organizationId: true },
  });
  const admin = await prisma.user.findUniqueOrThrow({ where: { email: "admin@demo.mingbiao.cn" }, select: { id: true } });
  const supervisor = await prisma.user.findUniqueOrThrow({
    where: { email: "supervisor@demo.mingbiao.cn" },
    select: { id: true },
  });
  const tenderer = await prisma.organization.findFirstOrThrow({ where: { kind: "TENDERER" }, select: { id: true } });
  return { agent, admin, supervisor, tenderer };
}
