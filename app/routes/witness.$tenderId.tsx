// 数字见证 — a supervisor watches one evaluation room: every camera, with sound.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { SourceTile, useWitnessSources } from "~/features/witness/index.ts";
import { mediaPublicUrl, requireSupervisor, roomIdOf, witnessState, witnessToken } from "~/features/witness/index.ts";

// Layout lives with the page: app/styles is shared with every other feature.
const GRID = { display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(320px, 1fr))", gap: "0.5rem" } as const;

export const meta: MetaFunction = () => [{ title: "数字见证 · 明标" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const tenderId = params.tenderId ?? "";
  const { user, tenders } = await requireSupervisor(request, [tenderId]);
  return json({
    state: witnessState(tenders[0] as (typeof tenders)[number]),
    tenderId,
    url: mediaPublicUrl(),
    token: witnessToken(user, "supervisor", [tenderId]),
    roomId: roomIdOf(tenderId),
    title: tenders[0]?.title ?? "",
  });
}

export default function WitnessRoomPage() {
  const { state, tenderId, url, token, roomId, title } = useLoaderData<typeof loader>();
  const { t } = useTranslation("witness");
  if (state !== "open") {
    return (
      <section className="witness">
        <h1>{t("room.title", { title })}</h1>
        <p role="status">{t(`witnessState.${state}`)}</p>
        {state === "ended" ? <Link to={`/witness/${tenderId}/recording`}>{t("index.recording")}</Link> : null}
      </section>
    );
  }
  return <LiveRoom url={url} token={token} roomId={roomId} title={title} />;
}

function LiveRoom({ url, token, roomId, title }: { url: string; token: string; roomId: string; title: string }) {
  const { t } = useTranslation("witness");
  const { sources, state } = useWitnessSources(url, token, [roomId]);
  const [soundOn, setSoundOn] = useState(false);
  return (
    <section className="witness">
      <h1>{t("room.title", { title })}</h1>
      <p className="witness-state" data-state={state.state}>
        {t(`state.${state.state}`)}
      </p>
      <button type="button" onClick={() => setSoundOn((on) => !on)}>
        {soundOn ? t("sound.off") : t("sound.on")}
      </button>
      {sources.length === 0 ? <p className="empty">{t("room.noCameras")}</p> : null}
      <div className="witness-grid" style={GRID}>
        {sources.map((s) => (
          <SourceTile key={s.key} source={s} muted={!soundOn} caption={s.label} />
        ))}
      </div>
    </section>
  );
}
