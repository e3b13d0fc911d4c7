import { platformCrls } from "~/features/pki/index.ts";

/** The issuing CA's CRL (DER), as named in every holder certificate's CRL distribution point. */
export async function loader() {
  const crls = await platformCrls();
  return new Response(crls.issuing, {
    headers: { "Content-Type": "application/pkix-crl", "Cache-Control": "public, max-age=300" },
  });
}
