// Bundled by the browser test and loaded in Chromium: exposes the client library to the page.
import { publishDevice, subscribeRooms } from "../client/index.ts";

declare global {
  interface Window {
    witness: { publishDevice: typeof publishDevice; subscribeRooms: typeof subscribeRooms };
  }
}

window.witness = { publishDevice, subscribeRooms };
