import { WitnessRoom, type RoomDeps } from "./witness-room.ts";

export const roomIdSchemaPattern = /^[A-Za-z0-9_-]{1,64}$/;

/** The rooms of this process. Creation is idempotent: the app may retry a create call. */
export class RoomRegistry {
  private readonly rooms = new Map<string, WitnessRoom>();
  private readonly creating = new Map<string, Promise<WitnessRoom>>();

  constructor(private readonly deps: RoomDeps) {}

  get(id: string): WitnessRoom | undefined {
    return this.rooms.get(id);
  }

  list(): WitnessRoom[] {
    return [...this.rooms.values()];
  }

  async create(id: string, title: string): Promise<{ room: WitnessRoom; created: boolean }> {
    const existing = this.rooms.get(id);
    if (existing) return { room: existing, created: false };
    const pending = this.creating.get(id);
    if (pending) return { room: await pending, created: false };
    const creation = WitnessRoom.create(id, title, this.deps);
    this.creating.set(id, creation);
    try {
      const room = await creation;
      this.rooms.set(id, room);
      room.once("closed", () => this.rooms.delete(id));
      return { room, created: true };
    } finally {
      this.creating.delete(id);
    }
  }

  async close(id: string): Promise<boolean> {
    const room = this.rooms.get(id);
    if (!room) return false;
    await room.close();
    return true;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.list().map((room) => room.close()));
  }
}
