/**
 * The client's address as seen by the server. The custom server sets `x-mb-remote-addr` from
 * the socket (honouring X-Forwarded-For only when TRUST_PROXY is configured in express).
 */
export function clientIp(request: Request): string | undefined {
  return request.headers.get("x-mb-remote-addr") ?? undefined;
}

/** The body could not be read as what the route expects: a 4xx naming the problem. */
export function malformedBody(what = "form"): Response {
  return new Response(`Malformed request body: expected a ${what}.`, {
    status: 400,
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
}

/**
 * The request's form fields (urlencoded or multipart). A body of another type, a multipart
 * body without a boundary, or one that breaks off is a 400, not an exception (a 500).
 */
export async function readForm(request: Request): Promise<FormData> {
  const type = (request.headers.get("Content-Type") ?? "").toLowerCase();
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) {
    throw new Response("Unsupported body: send an HTML form (application/x-www-form-urlencoded or multipart/form-data).", {
      status: 415,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  try {
    return await request.formData();
  } catch {
    throw malformedBody();
  }
}
