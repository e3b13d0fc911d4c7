// 数字见证 — the supervisors' wall: up to nine cameras across several evaluation rooms
// (`/witness/wall?tender=<id>&tender=<id>…`). Sound plays for one tile at a time.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { SourceTile, useWitnessSources } from "~/features/witness/index.ts";
import { mediaPublicUrl, requireSupervisor, roomIdOf, witnessToken } from "~/features/witness/index.ts";

const MAX_TILES = 9;

// Layout lives with the page: app/styles is shared with every other feature.
const GRID = { display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(320px, 1fr))", gap: "0.5rem" } as const;

export const meta: MetaFunction = () => [{ title: "数字见证 · 明标" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const tenderIds = [...new Set(new URL(request.url).searchParams.getAll("tender"))].slice(0, MAX_TILES);
  if (tenderIds.length === 0) throw new Response("Bad Request", { status: 400 });
  const { user, tenders } = await requireSupervisor(request, tenderIds);
  return json({
    url: mediaPublicUrl(),
    token: witnessToken(user, "supervisor", tenderIds),
    roomIds: tenderIds.map(roomIdOf),
    titles: Object.fromEntries(tenders.map((tender) => [roomIdOf(tender.id), tender.title])),
  });
}

export default function WitnessWall() {
  const { url, token, roomIds, titles } = useLoaderData<typeof loader>();
  const { t } = useTranslation("witness");
  const { sources, state } = useWitnessSources(url, token, roomIds);
  const [listening, setListening] = useState<string | null>(null);
  const shown = sources.slice(0, MAX_TILES);
  return (
    <section className="witness">
      <h1>{t("wall.title")}</h1>
      <p className="witness-state" data-state={state.state}>
        {t(`state.${state.state}`)}
      </p>
      {sources.length > MAX_TILES ? <p>{t("wall.more", { count: sources.length - MAX_TILES })}</p> : null}
      <div className="witness-grid witness-wall" style={GRID}>
        {shown.map((s) => (
          <button
            key={s.key}
            type="button"
            className="witness-tile-button"
            onClick={() => setListening((k) => (k === s.key ? null : s.key))}
          >
            <SourceTile
              source={s}
              muted={listening !== s.key}
              caption={t("wall.caption", { room: titles[s.roomId] ?? s.roomId, camera: s.label })}
            />
          </button>
        ))}
      </div>
    </section>
  );
}
