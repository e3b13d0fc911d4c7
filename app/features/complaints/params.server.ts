const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A route's id parameter, or 404: ids that are not uuids never reach the database. */
export function idParam(value: string | undefined): string {
  if (!value || !UUID.test(value)) throw new Response("Not Found", { status: 404 });
  return value;
}
