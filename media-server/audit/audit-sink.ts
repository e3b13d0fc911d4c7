// Where media-server reports what it recorded. The app owns the hash-chained audit log;
// media-server only appends to it through this interface and never imports app/.
export type AuditEntry = {
  /** Stable action name, e.g. `witness.segment.closed`. */
  action: string;
  /** What the entry is about, e.g. `room:<id>/track:<key>`. */
  subject: string;
  data: Record<string, unknown>;
};

export interface AuditSink {
  append(entry: AuditEntry): Promise<void>;
  /** Resolves once every entry appended so far has been handed over (or spooled). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Keeps entries in memory: tests, and a media server run without the app. */
export class InMemoryAuditSink implements AuditSink {
  readonly entries: AuditEntry[] = [];

  async append(entry: AuditEntry): Promise<void> {
    this.entries.push(structuredClone(entry));
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}
