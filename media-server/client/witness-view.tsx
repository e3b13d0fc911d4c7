// React helpers for the witness pages: the live sources of one or more rooms (a source is a room
// device or an IP camera: its video and its sound) and a tile that plays one of them.
import { useEffect, useRef, useState } from "react";
import { subscribeRooms, type SubscribeState } from "./subscribe-rooms.ts";

export type LiveSource = {
  key: string;
  roomId: string;
  source: string;
  label: string;
  video?: MediaStreamTrack;
  audio?: MediaStreamTrack;
};

type Tracks = Map<string, { roomId: string; source: string; label: string; kind: "audio" | "video"; track: MediaStreamTrack }>;

function groupSources(tracks: Tracks): LiveSource[] {
  const sources = new Map<string, LiveSource>();
  for (const t of tracks.values()) {
    const key = `${t.roomId}/${t.source}`;
    const entry = sources.get(key) ?? { key, roomId: t.roomId, source: t.source, label: t.label };
    entry[t.kind] = t.track;
    sources.set(key, entry);
  }
  return [...sources.values()].sort((a, b) => a.key.localeCompare(b.key));
}

export function useWitnessSources(url: string, token: string, roomIds: string[]) {
  const [tracks, setTracks] = useState<Tracks>(new Map());
  const [state, setState] = useState<{ state: SubscribeState; detail?: string }>({ state: "connecting" });
  const [titles, setTitles] = useState<Record<string, string>>({});
  const rooms = roomIds.join(",");
  useEffect(() => {
    const subscription = subscribeRooms({
      url,
      token,
      roomIds: rooms.split(","),
      onState: (s, detail) => setState({ state: s, ...(detail ? { detail } : {}) }),
      onRoomTitle: (roomId, title) => setTitles((prev) => ({ ...prev, [roomId]: title })),
      onTrack: ({ producerId, roomId, source, label, kind, track }) =>
        setTracks((prev) => new Map(prev).set(producerId, { roomId, source, label, kind, track })),
      onTrackEnded: ({ producerId }) =>
        setTracks((prev) => {
          const next = new Map(prev);
          next.delete(producerId);
          return next;
        }),
    });
    return () => subscription.stop();
  }, [url, token, rooms]);
  return { sources: groupSources(tracks), state, titles };
}

export function SourceTile({ source, muted, caption }: { source: LiveSource; muted: boolean; caption: string }) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const audioRef = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    if (videoRef.current) videoRef.current.srcObject = source.video ? new MediaStream([source.video]) : null;
  }, [source.video]);
  useEffect(() => {
    if (audioRef.current) audioRef.current.srcObject = source.audio ? new MediaStream([source.audio]) : null;
  }, [source.audio]);
  return (
    <figure className="witness-tile" data-room={source.roomId} data-source={source.source} style={{ margin: 0 }}>
      <video ref={videoRef} autoPlay playsInline muted style={{ width: "100%", background: "#000" }} />
      <audio ref={audioRef} autoPlay muted={muted} />
      <figcaption>{caption}</figcaption>
    </figure>
  );
}
