import { contentDisposition } from "./documents.server.ts";
import { cleanFileName } from "./document-upload.server.ts";

describe("document file names", () => {
  it("keeps only the last path segment and drops characters unsafe in headers and file systems", () => {
    expect(cleanFileName("C:\\Users\\王\\招标文件.pdf")).toBe("招标文件.pdf");
    expect(cleanFileName("../../etc/passwd")).toBe("passwd");
    expect(cleanFileName('a"b<c>|d.pdf\u0000')).toBe("abcd.pdf");
    expect(cleanFileName("")).toBe("document.pdf");
  });

  it("sends an ASCII fallback and the UTF-8 name (RFC 6266 / RFC 5987)", () => {
    expect(contentDisposition("招标文件 (第二版).pdf")).toBe(
      `attachment; filename="____ (___).pdf"; filename*=UTF-8''%E6%8B%9B%E6%A0%87%E6%96%87%E4%BB%B6%20%28%E7%AC%AC%E4%BA%8C%E7%89%88%29.pdf`,
    );
    expect(contentDisposition('x"y.pdf')).toBe(`attachment; filename="x_y.pdf"; filename*=UTF-8''x%22y.pdf`);
  });
});
