// The platform's PAdES signature (ETSI.CAdES.detached) with an RFC 3161 signature timestamp,
// for any PDF the platform issues (opening record, evaluation report): one signer, no copies.
import { plainAddPlaceholder } from "@signpdf/placeholder-plain";
import { SignPdf } from "@signpdf/signpdf";
import { Signer as PdfSigner, SUBFILTER_ETSI_CADES_DETACHED } from "@signpdf/utils";
import {
  issueTimestamp,
  sha256,
  SIGNATURE_TIMESTAMP_ATTRIBUTE,
  signCms,
  type Signer,
  timestampRequestFor,
} from "../../crypto/index.node.ts";

/** crypto's CMS signer for @signpdf: detached CAdES over the byte range, the TSA's token as an unsigned attribute (PAdES B-T). */
class PlatformPdfSigner extends PdfSigner {
  constructor(
    private readonly signer: Signer,
    private readonly tsa: Signer,
    private readonly at: Date,
  ) {
    super();
  }

  override sign(pdfBuffer: Buffer): Promise<Buffer> {
    const der = signCms({
      content: pdfBuffer,
      signer: this.signer,
      signingTime: this.at,
      detached: true,
      unsignedAttributes: (signature) => [
        {
          type: SIGNATURE_TIMESTAMP_ATTRIBUTE,
          valueDer: issueTimestamp({ signer: this.tsa }, timestampRequestFor(sha256(signature)), this.at).token,
        },
      ],
    });
    return Promise.resolve(Buffer.from(der));
  }
}

/** Adds the signature placeholder to a rendered PDF (pdfkit) and signs it as the platform. */
export async function signPdfAsPlatform(
  plain: Buffer,
  meta: { reason: string; name: string; location: string },
  signer: Signer,
  tsa: Signer,
  at: Date,
): Promise<Buffer> {
  const withPlaceholder = plainAddPlaceholder({
    pdfBuffer: plain,
    reason: meta.reason,
    contactInfo: meta.name,
    name: meta.name,
    location: meta.location,
    signingTime: at,
    signatureLength: 16384,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    appName: "MingBiao",
  });
  return new SignPdf().sign(withPlaceholder, new PlatformPdfSigner(signer, tsa, at), at);
}

/** Debian's fonts-noto-cjk (pdfkit embeds the subset it uses): the face of the platform's zh-CN PDFs. */
export const CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
export const CJK_FACE = "NotoSansCJKsc-Regular";
