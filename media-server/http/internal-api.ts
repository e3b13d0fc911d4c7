// The app's interface to media-server: bearer MEDIA_INTERNAL_SECRET, JSON in and out. See
// README.md "Internal API". Every body is validated; a bad one gets a 400 naming the field.
import { timingSafeEqual, createHash } from "node:crypto";
import express, { type NextFunction, type Request, type Response } from "express";
import { z } from "zod";
import { ingestRequestSchema } from "../rooms/ingest.ts";
import type { RoomRegistry } from "../rooms/room-registry.ts";
import type { WitnessRoom } from "../rooms/witness-room.ts";
import type { RecordingStorage } from "../storage/recording-storage.ts";
import { verifyRecording } from "../recording/verify.ts";
import { ffmpegExample } from "../rooms/ingest.ts";

const roomIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "room id: 1–64 of A–Z a–z 0–9 _ -");
const createRoomSchema = z.object({ roomId: roomIdSchema, title: z.string().max(200).default("") });
const verifySchema = z.object({
  auditEntries: z.array(z.object({ action: z.string(), subject: z.string(), data: z.record(z.unknown()) })).optional(),
});

/** Constant-time comparison of the bearer secret (hashing first equalises the lengths). */
export function bearerMatches(header: string | undefined, secret: string): boolean {
  const given = header?.startsWith("Bearer ") ? header.slice(7) : "";
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return given.length > 0 && timingSafeEqual(digest(given), digest(secret));
}

export function describeRoom(room: WitnessRoom) {
  return {
    roomId: room.id,
    title: room.title,
    workerPid: room.workerPid,
    producers: room.listProducers(),
    ingests: room.listIngests(),
    peers: {
      devices: [...room.peers.values()].filter((p) => p.role === "device").length,
      supervisors: [...room.peers.values()].filter((p) => p.role === "supervisor").length,
    },
    recording: room.log.snapshot(),
  };
}

type AsyncHandler = (req: Request, res: Response) => Promise<unknown>;

/** Express 4 does not catch rejected promises; turn them into a 500 with the reason logged. */
function wrap(handler: AsyncHandler) {
  return (req: Request, res: Response, next: NextFunction) => {
    handler(req, res).catch((error: unknown) => {
      console.error("[media] internal API error", error);
      if (res.headersSent) return next(error);
      res.status(500).json({ error: "FAILED", message: error instanceof Error ? error.message : String(error) });
    });
  };
}

function badRequest(res: Response, error: z.ZodError): void {
  res.status(400).json({ error: "BAD_REQUEST", issues: error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) });
}

export function internalApi(rooms: RoomRegistry, storage: RecordingStorage, secret: string): express.Router {
  const api = express.Router();
  api.use((req: Request, res: Response, next: NextFunction) => {
    if (bearerMatches(req.headers.authorization, secret)) return next();
    res.status(401).json({ error: "UNAUTHORISED" });
  });
  api.use(express.json({ limit: "5mb" }));

  api.post(
    "/rooms",
    wrap(async (req, res) => {
      const body = createRoomSchema.safeParse(req.body);
      if (!body.success) return badRequest(res, body.error);
      const { room, created } = await rooms.create(body.data.roomId, body.data.title);
      res.status(created ? 201 : 200).json(describeRoom(room));
    }),
  );

  api.get("/rooms", (_req, res) => {
    res.json({ rooms: rooms.list().map(describeRoom) });
  });

  api.get("/rooms/:roomId", (req, res) => {
    const room = rooms.get(req.params.roomId ?? "");
    if (!room) return res.status(404).json({ error: "NOT_FOUND" });
    res.json(describeRoom(room));
  });

  api.post(
    "/rooms/:roomId/ingests",
    wrap(async (req, res) => {
      const room = rooms.get(req.params.roomId ?? "");
      if (!room) return res.status(404).json({ error: "NOT_FOUND" });
      const body = ingestRequestSchema.safeParse(req.body ?? {});
      if (!body.success) return badRequest(res, body.error);
      const spec = await room.addIngest(body.data);
      res.status(201).json({ ...spec, ffmpegExample: ffmpegExample(spec) });
    }),
  );

  api.delete(
    "/rooms/:roomId",
    wrap(async (req, res) => {
      const room = rooms.get(req.params.roomId ?? "");
      if (!room) return res.status(404).json({ error: "NOT_FOUND" });
      await room.close();
      res.json({ roomId: room.id, recording: room.log.snapshot() });
    }),
  );

  api.post(
    "/rooms/:roomId/verify",
    wrap(async (req, res) => {
      const roomId = roomIdSchema.safeParse(req.params.roomId);
      if (!roomId.success) return badRequest(res, roomId.error);
      const body = verifySchema.safeParse(req.body ?? {});
      if (!body.success) return badRequest(res, body.error);
      const report = await verifyRecording(storage, roomId.data, body.data.auditEntries);
      if (!report) return res.status(404).json({ error: "NOT_FOUND" });
      res.json(report);
    }),
  );

  return api;
}
