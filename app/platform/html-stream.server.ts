// React 18's renderToPipeableStream sometimes writes NUL bytes into the HTML (react#24985): when
// a string does not fit the rest of its 2 KiB buffer, it fills what whole characters fit and then
// writes the *whole* buffer, so the 1–2 bytes a split 3-byte character (any Chinese character)
// could not take go out as 0x00 and the browser shows "评审�因素". Valid UTF-8 text never holds a
// 0x00 byte inside a character and HTML has no use for one, so the server's HTML passes through
// this filter, which drops them.
import { Transform } from "node:stream";

function withoutNul(chunk: Uint8Array): Uint8Array {
  if (chunk.indexOf(0) === -1) return chunk;
  return chunk.filter((byte) => byte !== 0);
}

export function nulFreeHtml(): Transform {
  return new Transform({
    transform(chunk: Uint8Array | string, _encoding, done) {
      done(null, typeof chunk === "string" ? chunk.replaceAll("\0", "") : withoutNul(chunk));
    },
  });
}
