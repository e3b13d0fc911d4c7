// The evidence timeline under a recording's player: the tender's audit entries on a bar as long
// as the playback, and as a list; a click on either seeks the video to that moment.
import type { RefObject } from "react";
import { useTranslation } from "react-i18next";
import { formatOffset, playbackSeconds, videoPosition, type TimelineSegment } from "./timeline.ts";

/** Evidence is read to the second, in Beijing time whatever the viewer's machine says. */
function beijingSeconds(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale === "en" ? "en-GB" : "zh-CN", {
    timeZone: "Asia/Shanghai",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hour12: false,
  }).format(new Date(iso));
}

export interface EvidenceEntry {
  seq: string;
  at: string;
  action: string;
  subjectType: string;
  actor: string | null;
}

export function EvidenceTimeline({
  video,
  segments,
  entries,
  truncated,
}: {
  video: RefObject<HTMLVideoElement>;
  segments: TimelineSegment[];
  entries: EvidenceEntry[];
  truncated: boolean;
}) {
  const { t, i18n } = useTranslation("evaluation");
  const length = playbackSeconds(segments);
  const placed = entries
    .map((e) => ({ ...e, position: videoPosition(segments, Date.parse(e.at)) }))
    .filter((e): e is typeof e & { position: NonNullable<typeof e.position> } => e.position !== null);
  const seek = (seconds: number) => {
    const v = video.current;
    if (!v) return;
    v.currentTime = seconds;
  };
  const label = (action: string) => t(`timeline.actions.${action.replaceAll(".", "_")}`, { defaultValue: action });
  return (
    <section className="stack" data-testid="evidence-timeline">
      <h3>{t("timeline.title")}</h3>
      <p className="muted">{t("timeline.intro")}</p>
      {placed.length === 0 ? (
        <p>{t("timeline.none")}</p>
      ) : (
        <>
          <div className="evidence-bar" role="group" aria-label={t("timeline.title")}>
            {placed.map((e) => (
              <button
                key={e.seq}
                type="button"
                className="evidence-marker"
                style={{ left: `${length > 0 ? Math.min(100, (e.position.offsetSeconds / length) * 100) : 0}%` }}
                title={`${formatOffset(e.position.offsetSeconds)} ${label(e.action)}`}
                aria-label={t("timeline.marker", { time: formatOffset(e.position.offsetSeconds), action: label(e.action) })}
                onClick={() => seek(e.position.offsetSeconds)}
              />
            ))}
          </div>
          <ol className="evidence-list">
            {placed.map((e) => (
              <li
                key={e.seq}
                data-testid="evidence-entry"
                data-action={e.action}
                data-offset={e.position.offsetSeconds.toFixed(3)}
              >
                <button type="button" className="link-button" onClick={() => seek(e.position.offsetSeconds)}>
                  {t("timeline.seek", { offset: formatOffset(e.position.offsetSeconds) })}
                </button>{" "}
                <time dateTime={e.at}>{beijingSeconds(e.at, i18n.language)}</time> · <strong>{label(e.action)}</strong> ·{" "}
                {t("timeline.actor", { actor: e.actor ?? t("timeline.system") })}
                {e.position.inGap ? <span className="muted"> {t("timeline.outside")}</span> : null}
              </li>
            ))}
          </ol>
          {truncated ? <p className="muted">{t("timeline.truncated")}</p> : null}
        </>
      )}
    </section>
  );
}
