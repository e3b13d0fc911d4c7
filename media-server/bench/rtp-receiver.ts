// A bench receiver: a child process (forked by receivers.ts) whose UDP sockets take the packets
// of a share of the plain RTP consumers and count them. The "latency" receiver also sends the
// probe's packets and times those that come back; it gets only the probe's consumers, so it
// does little else. Talks to the bench over the IPC channel; exits when the bench goes away.
// Arguments: role ("count" | "latency"), number of sockets, requested SO_RCVBUF in bytes.
import dgram from "node:dgram";
import type { AddressInfo } from "node:net";
import { sendProbes } from "./probe-publisher.ts";
import { quantile, RtpCounter } from "./rtp-counter.ts";
import type { FromReceiver, ToReceiver } from "./receivers.ts";

const [role = "count", socketCount = "1", recvBufferSize = String(8 * 1024 * 1024)] = process.argv.slice(2);
const timed = role === "latency";
const counter = new RtpCounter();
const sockets: dgram.Socket[] = [];
let probe: { stop(): void } | undefined;

function send(message: FromReceiver): void {
  process.send?.(message);
}

function stop(): void {
  probe?.stop();
  for (const socket of sockets) socket.close();
  process.exit(0);
}

async function main(): Promise<void> {
  for (let i = 0; i < Number(socketCount); i++) {
    const socket = dgram.createSocket({ type: "udp4", recvBufferSize: Number(recvBufferSize) });
    // The arrival time is read first thing in the callback, before any other work on the packet.
    socket.on("message", timed ? (msg) => counter.onPacket(msg, process.hrtime.bigint()) : (msg) => counter.onPacket(msg));
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
    sockets.push(socket);
  }
  process.on("message", (message: ToReceiver) => {
    switch (message.type) {
      case "count":
        for (const ssrc of message.ssrcs) counter.count(ssrc);
        break;
      case "probe":
        void sendProbes(message.port).then((p) => (probe = p));
        break;
      case "reset":
        counter.reset();
        send({ type: "reset", id: message.id });
        break;
      case "report": {
        const latencies = counter.latenciesMs();
        send({
          type: "report",
          id: message.id,
          ...counter.tally(),
          latency: {
            n: latencies.length,
            p50: quantile(latencies, 0.5),
            p95: quantile(latencies, 0.95),
            max: latencies.at(-1) ?? Number.NaN,
          },
        });
        break;
      }
      case "stop":
        stop();
    }
  });
  process.on("disconnect", stop);
  send({
    type: "ready",
    ports: sockets.map((s) => (s.address() as AddressInfo).port),
    recvBufferBytes: sockets.map((s) => s.getRecvBufferSize()),
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
