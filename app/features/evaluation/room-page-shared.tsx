// The evaluation room page's shared parts: the view's type, the signed act (useAct) and the card.
import type { SerializeFrom } from "@remix-run/node";
import { useFetcher, useRevalidator } from "@remix-run/react";
import { useEffect, useState, type ReactNode } from "react";
import { roomSignature } from "./room.browser.ts";
import type { RoomAct } from "./statement.ts";
import type { roomView } from "./view.server.ts";

export type AnyView = SerializeFrom<Awaited<ReturnType<typeof roomView>>>;
/** The room as a member or a supervisor sees it, once the session exists. */
export type View = Extract<AnyView, { members: unknown }>;
type Answer = { ok: boolean; error: string | null };
export type Key = { file: File; password: string } | null;

export function useAct(view: View, key: Key) {
  const fetcher = useFetcher<Answer>();
  const [local, setLocal] = useState<string | null>(null);
  const revalidator = useRevalidator();
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data) revalidator.revalidate();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetcher.state, fetcher.data]);
  async function act(intent: string, payload: Record<string, unknown>, sign?: { act: RoomAct; body: unknown }, csrf?: string) {
    setLocal(null);
    let signature: string | undefined;
    if (sign) {
      if (!key || !view.me) return setLocal("room.chooseKey");
      try {
        signature = await roomSignature(key.file, key.password, sign.act, view.tender.id, view.me.userId, sign.body);
      } catch {
        return setLocal("room.keyUnreadable");
      }
    }
    const form = new FormData();
    form.set("intent", intent);
    form.set("csrf", csrf ?? document.querySelector<HTMLInputElement>('input[name="csrf"]')?.value ?? "");
    form.set("payload", JSON.stringify(signature ? { ...payload, signature } : payload));
    fetcher.submit(form, { method: "post" });
  }
  const error = local ?? (fetcher.state === "idle" && fetcher.data && !fetcher.data.ok ? fetcher.data.error : null);
  return { act, error, busy: fetcher.state !== "idle" };
}

export function Card({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  return (
    <section className="card" data-testid={testId}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

export type ActFn = ReturnType<typeof useAct>["act"];
