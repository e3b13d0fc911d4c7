import { currentCrls } from "~/pki.server.ts";
import { revokedEntries } from "~/certificates.server.ts";

/** The issuing CA's CRL (DER), as named in every holder certificate's CRL distribution point. */
export async function loader() {
  const crls = await currentCrls(await revokedEntries(), Math.floor(Date.now() / 1000));
  return new Response(crls.issuing, {
    headers: { "Content-Type": "application/pkix-crl", "Cache-Control": "public, max-age=300" },
  });
}
