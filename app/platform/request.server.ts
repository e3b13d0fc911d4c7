/**
 * The client's address as seen by the server. The custom server sets `x-mb-remote-addr` from
 * the socket (honouring X-Forwarded-For only when TRUST_PROXY is configured in express).
 */
export function clientIp(request: Request): string | undefined {
  return request.headers.get("x-mb-remote-addr") ?? undefined;
}
