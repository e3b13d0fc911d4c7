// Browser side of the witness signaling protocol: one socket.io connection to `/witness`, with
// the token in the handshake, and typed request/response calls.
import { io, type Socket } from "socket.io-client";
import type { Ack, ClientEvents, Request, RequestName, Responses, ServerEvents } from "../signaling/protocol.ts";

export type WitnessSocket = Socket<ServerEvents, ClientEvents>;

export class SignalingRefused extends Error {}

export function connectWitness(url: string, token: string): WitnessSocket {
  return io(`${url.replace(/\/$/, "")}/witness`, {
    auth: { token },
    transports: ["websocket"],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  });
}

export async function request<N extends RequestName>(socket: WitnessSocket, name: N, payload: Request<N>): Promise<Responses[N]> {
  const emit = socket.timeout(10_000).emitWithAck as unknown as (n: N, p: Request<N>) => Promise<Ack<Responses[N]>>;
  const response = await emit.call(socket.timeout(10_000), name, payload);
  if (response.ok) return response.data;
  if (response.error.code === "FORBIDDEN") throw new SignalingRefused(response.error.message);
  throw new Error(`${name}: ${response.error.message}`);
}

/** A token the server refused never becomes valid by retrying. */
export function isAuthRefusal(error: Error): boolean {
  return error.message.startsWith("unauthorised");
}

/**
 * Connection trouble is reported as "reconnecting" (socket.io retries by itself); a refused
 * token stops the socket for good and is reported as "refused".
 */
export function reportConnectErrors(
  socket: WitnessSocket,
  state: (s: "reconnecting" | "refused", detail?: string) => void,
): void {
  socket.on("connect_error", (error) => {
    if (!isAuthRefusal(error)) return state("reconnecting", error.message);
    socket.disconnect();
    state("refused", error.message);
  });
}
