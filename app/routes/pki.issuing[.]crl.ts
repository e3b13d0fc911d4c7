import { platformCrls } from "~/features/pki/index.ts";

/** The issuing CA's CRL (DER), as named in every holder certificate's CRL distribution point. */
export async function loader() {
  const crls = await platformCrls();
  return new Response(crls.issuing, {
    // Cache-Control, ETag and Last-Modified are the public cache's (decision 070).
    headers: { "Content-Type": "application/pkix-crl" },
  });
}
