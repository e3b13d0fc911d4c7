// One keyset page of a public list (decision 070): the page statement fetched with one row more
// than the page, the bounded count, and the cursors to the older and newer pages. Two plain
// statements on the public pool, one after the other, outside any transaction. The public notice
// list and the public results list both read their pages here.
import { publicSql } from "./db.server.ts";
import { publicRead } from "./public-gate.server.ts";

export interface KeysetStatements {
  /** Ordered by the key and limited to pageSize + 1 rows (newest first, or oldest first going back). */
  page: { text: string; values: unknown[] };
  /** `SELECT count(*)::int AS n` over the rows, limited to countBound + 1. */
  count: { text: string; values: unknown[] };
}

export interface KeysetPage<Item> {
  items: Item[];
  total: number;
  totalIsBound: boolean;
  older: string | null;
  newer: string | null;
}

export async function readKeysetPage<Row extends object, Item>(input: {
  statements: KeysetStatements;
  query: { after?: unknown; before?: unknown };
  pageSize: number;
  countBound: number;
  toItem: (row: Row) => Item;
  cursorOf: (item: Item) => string;
}): Promise<KeysetPage<Item>> {
  const { statements, query, pageSize, countBound } = input;
  const backwards = !query.after && Boolean(query.before);
  const { rows } = await publicRead(() => publicSql().query<Row>(statements.page.text, statements.page.values));
  const more = rows.length > pageSize;
  const page = rows.slice(0, pageSize);
  if (backwards) page.reverse();
  const { rows: counted } = await publicRead(() =>
    publicSql().query<{ n: number }>(statements.count.text, statements.count.values),
  );
  const n = counted[0]?.n ?? 0;
  const items = page.map(input.toItem);
  const first = items[0];
  const last = items.at(-1);
  // Going forwards there is an older page when a row beyond this one exists; there is a newer one
  // whenever we did not start from the top. Backwards, the other way round.
  const hasOlder = backwards ? Boolean(query.before) : more;
  const hasNewer = backwards ? more : Boolean(query.after);
  return {
    items,
    total: Math.min(n, countBound),
    totalIsBound: n > countBound,
    older: hasOlder && last !== undefined ? input.cursorOf(last) : null,
    newer: hasNewer && first !== undefined ? input.cursorOf(first) : null,
  };
}
