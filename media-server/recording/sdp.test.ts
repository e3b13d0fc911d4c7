import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { holdsMedia, readClosedSegments, segmenterArgs } from "./ffmpeg-segmenter.ts";
import { consumerSdp, containerFor } from "./sdp.ts";

describe("recorder plumbing", () => {
  it("describes an Opus consumer for FFmpeg with RTCP on the next port and a wake stream after it", () => {
    const sdp = consumerSdp(
      "audio",
      { codecs: [{ mimeType: "audio/opus", payloadType: 100, clockRate: 48000, channels: 2 }], encodings: [] },
      20000,
    );
    expect(sdp).toContain("m=audio 20000 RTP/AVPF 100");
    expect(sdp).toContain("a=rtcp:20001");
    expect(sdp).toContain("a=rtpmap:100 opus/48000/2");
    expect(sdp).toContain("m=audio 20002 RTP/AVP 0");
  });

  it("puts VP8 and Opus into WebM and H264 into Matroska", () => {
    expect(containerFor("video/VP8")).toBe("webm");
    expect(containerFor("audio/opus")).toBe("webm");
    expect(containerFor("video/H264")).toBe("mkv");
  });

  it("stream-copies (never transcodes) into fixed-length segments", () => {
    const args = segmenterArgs({
      ffmpegBin: "ffmpeg",
      sdpFile: "a.sdp",
      outDir: "/o",
      listFile: "l.csv",
      container: "webm",
      segmentSeconds: 60,
      runTag: "r1",
    });
    expect(args.join(" ")).toContain("-c copy -f segment -segment_time 60 -segment_format webm");
    expect(args.at(-1)).toBe("/o/run-r1-%06d.webm");
  });

  it("reads only complete lines of the segment list", async () => {
    const file = path.join(await fs.mkdtemp(path.join(os.tmpdir(), "seglist-")), "l.csv");
    await fs.writeFile(file, "seg-000001.webm,0.000000,2.002000\nseg-000002.webm,2.002000,4.0");
    expect(await readClosedSegments(file, 0)).toEqual([{ file: "seg-000001.webm", start: 0, end: 2.002 }]);
    expect(await readClosedSegments(file, 1)).toEqual([]);
  });

  it("tells a segment closed before its first packet (listed with no time in it) from one with media", async () => {
    // As FFmpeg listed it when a producer closed ~0.4 s after its recorder started (seen in an
    // end-to-end run): a 486-byte header-only file that FFmpeg's concat demuxer cannot read.
    const file = path.join(await fs.mkdtemp(path.join(os.tmpdir(), "seglist-")), "l.csv");
    await fs.writeFile(file, "run-1-000000.webm,0.000000,0.000000\nrun-1-000001.webm,0.000000,0.020000\n");
    expect((await readClosedSegments(file, 0)).map(holdsMedia)).toEqual([false, true]);
  });
});
