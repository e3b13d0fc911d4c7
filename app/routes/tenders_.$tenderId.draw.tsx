// 专家抽取公示与验证: the public page of a tender's expert draw (Regs Art 46, TBL Art 37).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { DrawVerifier, publicDraw } from "~/features/experts/index.ts";
import { db } from "~/platform/db.server.ts";
import { env } from "~/platform/env.server.ts";
import { formatDateTime } from "~/ui/format.ts";
import { isLocale } from "~/ui/i18n.ts";

export const meta: MetaFunction = () => [{ title: "专家抽取公示与验证 · 明标" }];

export async function loader({ params }: LoaderFunctionArgs) {
  const id = z.string().uuid().safeParse(params.tenderId);
  const tender = id.success
    ? await db().tender.findFirst({
        where: { id: id.data, status: { not: "DRAFT" } },
        select: { id: true, code: true, title: true },
      })
    : null;
  if (!tender) throw new Response("Not Found", { status: 404 });
  return json({ tender, draw: await publicDraw(tender.id), jsonUrl: `${env().PUBLIC_URL}/tenders/${tender.id}/draw.json` });
}

export default function PublicDrawPage() {
  const { tender, draw, jsonUrl } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("experts");
  const lng = isLocale(i18n.language) ? i18n.language : "zh-CN";
  return (
    <section className="stack">
      <p>
        <Link to={`/tenders/${tender.id}`}>← {tender.title}</Link> <small className="code">{tender.code}</small>
      </p>
      <h1>{t("draw.title")}</h1>
      <p className="muted">{t("draw.intro")}</p>
      {draw.state === "none" && <p>{t("draw.none")}</p>}
      {draw.state === "failed" && <p>{t("draw.failed")}</p>}
      {(draw.state === "committed" || draw.state === "drawn") && (
        <>
          <dl>
            <dt>{t("draw.commitment")}</dt>
            <dd className="code" data-testid="seed-commitment">
              {draw.seedCommitment}
            </dd>
            <dt>{t("draw.poolHash")}</dt>
            <dd className="code" data-testid="pool-hash">
              {draw.poolHash ?? t("draw.poolPending")}
            </dd>
            <dt>{draw.drawnAt ? t("draw.drawnAt") : t("draw.drawAt")}</dt>
            <dd>{formatDateTime(draw.drawnAt ?? draw.drawAt, lng)}</dd>
          </dl>
          <p data-testid="draw-sealed">{t("draw.sealed")}</p>
        </>
      )}
      {draw.state === "published" && (
        <>
          <dl>
            <dt>{t("draw.commitment")}</dt>
            <dd className="code" data-testid="seed-commitment">
              {draw.draw.commitment}
            </dd>
            <dt>{t("draw.poolHash")}</dt>
            <dd className="code" data-testid="pool-hash">
              {draw.draw.poolHash}
            </dd>
            <dt>{t("draw.drawnAt")}</dt>
            <dd>{formatDateTime(draw.drawnAt, lng)}</dd>
          </dl>
          <h2>{t("draw.members")}</h2>
          <ol data-testid="published-members">
            {draw.draw.members.map((m) => (
              <li key={m.expertId}>
                {draw.names[m.expertId] ?? ""} <small className="code">{m.expertId}</small> · {m.specialty}
              </li>
            ))}
          </ol>
          <DrawVerifier draw={draw.draw} />
          <p>
            <a href={`/tenders/${tender.id}/draw.json`}>{t("draw.json")}</a> ·{" "}
            <small className="code">{t("draw.cli", { url: jsonUrl })}</small>
          </p>
        </>
      )}
    </section>
  );
}
