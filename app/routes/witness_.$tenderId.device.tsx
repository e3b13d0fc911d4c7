// `witness_`: not nested under the supervisor page (its loader requires the SUPERVISOR role).
// 数字见证 — a room device: a computer in the evaluation room publishing its camera and
// microphone (`?device=camera-1`, one page per device). It reconnects by itself. Run by the
// trading centre (its staff or a room device account; decision 037, revised), never the agent.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { publishDevice, type PublishState } from "~/features/witness/index.ts";
import {
  mediaPublicUrl,
  openWitnessRoom,
  requireRoomDevice,
  roomIdOf,
  witnessState,
  witnessToken,
} from "~/features/witness/index.ts";

export const meta: MetaFunction = () => [{ title: "数字见证 · 明标" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, tender } = await requireRoomDevice(request, params.tenderId ?? "");
  const state = witnessState(tender);
  if (state !== "open") return json({ state, url: "", token: "", roomId: "", title: tender.title, tenderId: tender.id });
  // The evaluation session started witnessing; make sure the media server still has the room
  // after a restart of its own. Idempotent: it neither opens a new room nor writes an audit entry.
  await openWitnessRoom(tender.id, tender.title).catch(() => {
    throw new Response("The witness (media) server is not reachable.", { status: 503 });
  });
  return json({
    state,
    url: mediaPublicUrl(),
    token: witnessToken(user, "device", [tender.id]),
    roomId: roomIdOf(tender.id),
    title: tender.title,
    tenderId: tender.id,
  });
}

export default function WitnessDevice() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("witness");
  if (data.state !== "open") {
    return (
      <section className="witness">
        <h1>{t("device.title", { title: data.title })}</h1>
        <p role="alert" data-testid="device-not-open">
          {t(data.state === "ended" ? "device.ended" : "device.notOpen")}
        </p>
        <p>
          <Link to="/centre/devices">{t("devices.back")}</Link>
        </p>
      </section>
    );
  }
  return <DevicePublisher {...data} />;
}

function DevicePublisher({ url, token, roomId, title }: { url: string; token: string; roomId: string; title: string }) {
  const { t } = useTranslation("witness");
  const [params] = useSearchParams();
  const deviceId = /^[A-Za-z0-9_-]{1,40}$/.test(params.get("device") ?? "") ? (params.get("device") as string) : "camera-1";
  const [state, setState] = useState<PublishState>("connecting");
  const preview = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const publication = publishDevice({
      url,
      token,
      roomId,
      deviceId,
      deviceKind: "camera+microphone",
      onState: (s) => setState(s),
      onLocalStream: (stream) => {
        if (preview.current) preview.current.srcObject = stream;
      },
    });
    return () => publication.stop();
  }, [url, token, roomId, deviceId]);
  return (
    <section className="witness">
      <h1>{t("device.title", { title })}</h1>
      <p>{t("device.name", { device: deviceId })}</p>
      <p className="witness-state" data-state={state}>
        {t(`state.${state}`)}
      </p>
      <video
        ref={preview}
        autoPlay
        playsInline
        muted
        className="witness-preview"
        style={{ width: "100%", maxWidth: 640, background: "#000" }}
      />
      <p>{t("device.notice")}</p>
    </section>
  );
}
