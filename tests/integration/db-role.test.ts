import { randomUUID } from "node:crypto";
import pg from "pg";
import { appendAudit } from "~/platform/audit/audit.server.ts";
import { disconnectDb } from "~/platform/db.server.ts";

// The app connects as mingbiao_app, which owns nothing (docs/decisions/053; issue 11, item 4).
async function withClient<T>(url: string | undefined, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
const asApp = <T>(work: (c: pg.Client) => Promise<T>) => withClient(process.env.DATABASE_URL, work);
const asOwner = <T>(work: (c: pg.Client) => Promise<T>) => withClient(process.env.MIGRATION_DATABASE_URL, work);

let checkpointId: string;

beforeAll(async () => {
  await appendAudit({ action: "test.db_role", subjectType: "Test" });
  checkpointId = randomUUID();
  // The app may add a checkpoint (the job does), like an entry.
  await asApp((c) =>
    c.query("INSERT INTO audit_checkpoint (id, seq, hash, at) VALUES ($1, 1, $2, now())", [checkpointId, "ab".repeat(32)]),
  );
});

afterAll(async () => {
  await disconnectDb();
});

describe("the app's database role", () => {
  it("is not the owner of the tables and not a superuser", async () => {
    const row = await asApp(
      async (c) =>
        (
          await c.query<{ u: string; su: boolean; owner: string }>(
            "SELECT current_user AS u, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS su, (SELECT tableowner FROM pg_tables WHERE tablename = 'audit_entry') AS owner",
          )
        ).rows[0],
    );
    expect(row).toMatchObject({ u: "mingbiao_app", su: false });
    expect(row?.owner).not.toBe("mingbiao_app");
  });

  it.each([
    ["TRUNCATE audit_entry", /permission denied/],
    ["TRUNCATE audit_checkpoint", /permission denied/],
    ["ALTER TABLE audit_entry DISABLE TRIGGER ALL", /must be owner/],
    ["ALTER TABLE audit_checkpoint DISABLE TRIGGER ALL", /must be owner/],
    ["DROP TRIGGER audit_entry_append_only ON audit_entry", /must be owner/],
    ["UPDATE audit_entry SET action = 'x'", /permission denied/],
    ["DELETE FROM audit_entry", /permission denied/],
    ["UPDATE audit_checkpoint SET hash = 'x'", /permission denied/],
    ["DELETE FROM audit_checkpoint", /permission denied/],
    ["SELECT * FROM _prisma_migrations", /permission denied/],
  ])("refuses %s", async (statement, error) => {
    await expect(asApp((c) => c.query(statement))).rejects.toThrow(error);
  });

  it("still reads and writes ordinary rows", async () => {
    const n = await asApp(async (c) => (await c.query("UPDATE app_user SET name = name WHERE false")).rowCount);
    expect(n).toBe(0);
  });
});

describe("audit_checkpoint is append-only like the entries", () => {
  it.each([
    ["UPDATE audit_checkpoint SET hash = 'x' WHERE id = $1", [true]],
    ["DELETE FROM audit_checkpoint WHERE id = $1", [true]],
    ["TRUNCATE audit_checkpoint", [false]],
  ])("refuses the owner's %s", async (statement, [withId]) => {
    await expect(asOwner((c) => c.query(statement, withId ? [checkpointId] : []))).rejects.toThrow(
      /audit_checkpoint is append-only/,
    );
  });
});
