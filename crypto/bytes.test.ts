import forge from "node-forge";
import { fromBase64, fromBinary, toBase64, toBinary } from "./bytes.ts";

// Under Node the binary-string and base64 helpers take a native path; they must give exactly
// what the portable code (and node-forge, which reads these strings) gives in the browser.

const every = Uint8Array.from({ length: 256 * 3 + 17 }, (_, i) => (i * 151 + 7) & 0xff);

describe("byte helpers", () => {
  it("turns bytes into one char per byte and back, for every byte value, at any offset", () => {
    const view = every.subarray(5, 600);
    const s = toBinary(view);
    expect(s.length).toBe(view.length);
    for (let i = 0; i < view.length; i++) expect(s.charCodeAt(i)).toBe(view[i]);
    expect(fromBinary(s)).toEqual(new Uint8Array(view));
    expect(forge.util.createBuffer(s).getBytes()).toBe(s);
  });

  it("keeps the low byte of chars above 0xff, as the portable loop does", () => {
    expect(Array.from(fromBinary("\u0141\u00ff\u0000A"))).toEqual([0x41, 0xff, 0x00, 0x41]);
  });

  it("returns bytes that own their memory", () => {
    const out = fromBinary("abc");
    expect(out.byteOffset).toBe(0);
    expect(out.buffer.byteLength).toBe(3);
  });

  it("writes the same base64 as node-forge, which reads it back", () => {
    for (const n of [0, 1, 2, 3, 255, 256, 257]) {
      const bytes = every.subarray(0, n);
      expect(toBase64(bytes)).toBe(forge.util.encode64(forge.util.createBuffer(toBinary(bytes)).getBytes()));
      expect(fromBase64(toBase64(bytes))).toEqual(new Uint8Array(bytes));
    }
  });
});
