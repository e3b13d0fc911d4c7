// `witness_`: not nested under the live page.
// 数字见证 — play back a tender's evaluation-room recording: one continuous video per camera
// (segments joined without transcoding, boundaries invisible), offered only after every segment
// verified against the platform's audit log. Under each player, the evidence timeline: the
// tender's audit entries within the recording; a click seeks the video to that moment.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useRef } from "react";
import { useTranslation } from "react-i18next";
import {
  EvidenceTimeline,
  evidenceTimeline,
  recordingSummary,
  requireSupervisor,
  witnessState,
} from "~/features/witness/index.ts";

export const meta: MetaFunction = () => [{ title: "录像回放 · 明标" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, tenders } = await requireSupervisor(request, [params.tenderId ?? ""]);
  const tender = tenders[0] as (typeof tenders)[number];
  const state = witnessState(tender);
  const recording = state === "ended" ? await recordingSummary(user, tender.id) : null;
  // Only a recording that verified is played, so only it gets a timeline.
  const timeline = recording?.kind === "verified" ? await evidenceTimeline(tender.id) : null;
  return json({ title: tender.title, tenderId: tender.id, state, recording, timeline });
}

export default function WitnessRecording() {
  const { title, tenderId, state, recording, timeline } = useLoaderData<typeof loader>();
  const { t } = useTranslation("witness");
  return (
    <section className="witness stack">
      <p>
        <Link to="/witness">← {t("index.title")}</Link>
      </p>
      <h1>{t("playback.title", { title })}</h1>
      {state !== "ended" ? (
        <p role="status">
          {t("playback.notEnded")} {state === "open" ? <Link to={`/witness/${tenderId}`}>{t("index.live")}</Link> : null}
        </p>
      ) : null}
      {recording?.kind === "none" ? <p>{t("playback.none")}</p> : null}
      {recording?.kind === "failed" ? <p role="alert">{t("playback.failed", { status: recording.status ?? "" })}</p> : null}
      {recording?.kind === "altered" ? (
        <p role="alert" className="error">
          {t("playback.altered", { problems: (recording.problems ?? []).join("; ") })}
        </p>
      ) : null}
      {recording?.kind === "verified" ? (
        <>
          <p data-testid="recording-verified">{t("playback.verified")}</p>
          {recording.gaps ? <p>{t("playback.gaps", { count: recording.gaps })}</p> : null}
          {recording.sources.length === 0 ? <p>{t("playback.none")}</p> : null}
          {recording.sources.map((s) => (
            <SourcePlayback
              key={s.source}
              source={s}
              segments={timeline?.sources[s.source] ?? []}
              entries={timeline?.entries ?? []}
              truncated={timeline?.truncated ?? false}
            />
          ))}
        </>
      ) : null}
    </section>
  );
}

function SourcePlayback({
  source,
  segments,
  entries,
  truncated,
}: {
  source: { source: string; seconds: number; src: string };
  segments: Parameters<typeof EvidenceTimeline>[0]["segments"];
  entries: Parameters<typeof EvidenceTimeline>[0]["entries"];
  truncated: boolean;
}) {
  const { t } = useTranslation("witness");
  const video = useRef<HTMLVideoElement>(null);
  return (
    <figure data-testid="recording-source" data-source={source.source}>
      <figcaption>{t("playback.source", { source: source.source, seconds: source.seconds })}</figcaption>
      <video
        ref={video}
        controls
        preload="metadata"
        src={source.src}
        style={{ width: "100%", maxWidth: 960, background: "#000" }}
      />
      <EvidenceTimeline video={video} segments={segments} entries={entries} truncated={truncated} />
    </figure>
  );
}
