// 监督人员指派 — the trading centre (ADMIN) assigns supervisors to tenders. Only assigned
// supervisors may watch a tender's evaluation room or play back its recording.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireUser } from "~/platform/auth/auth.server.ts";
import { CsrfInput } from "~/ui/components/csrf.tsx";
import { requireCsrf } from "~/platform/auth/csrf.server.ts";
import { db } from "~/platform/db.server.ts";
import { assignSupervisor, removeSupervisor, witnessReason } from "~/features/witness/index.ts";
import { SUPERVISED_STATUSES } from "~/features/tenders/index.ts";
import { readForm } from "~/platform/request.server.ts";

export const meta: MetaFunction = () => [{ title: "监督人员指派 · 明标" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ["ADMIN"]);
  const [tenders, supervisors] = await Promise.all([
    db().tender.findMany({
      where: { status: { in: [...SUPERVISED_STATUSES] } },
      orderBy: { publishedAt: "desc" },
      take: 200,
      select: {
        id: true,
        code: true,
        title: true,
        status: true,
        supervisors: { orderBy: { assignedAt: "asc" }, select: { user: { select: { id: true, name: true, email: true } } } },
      },
    }),
    db().user.findMany({
      where: { role: "SUPERVISOR", disabledAt: null },
      orderBy: { name: "asc" },
      select: { id: true, name: true, email: true },
    }),
  ]);
  return json({
    tenders: tenders.map((x) => ({
      id: x.id,
      code: x.code,
      title: x.title,
      status: x.status,
      supervisors: x.supervisors.map((s) => s.user),
    })),
    supervisors,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireUser(request, ["ADMIN"]);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const parsed = AssignmentSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    // The form offers only listed tenders and supervisors: anything else was not chosen on it.
    const tenderId = String(form.get("tenderId") ?? "");
    return json(
      { tenderId, error: parsed.error.issues.some((i) => i.path[0] === "userId") ? "NOT_SUPERVISOR" : "BAD_REQUEST" },
      { status: 400 },
    );
  }
  const { intent, tenderId, userId } = parsed.data;
  if (intent === "assign") {
    const result = await assignSupervisor(admin.id, tenderId, userId);
    if (!result.ok) return json({ tenderId, error: witnessReason(result.refusal) }, { status: result.refusal.status });
    return json({ tenderId, error: null });
  }
  await removeSupervisor(admin.id, tenderId, userId);
  return json({ tenderId, error: null });
}

/** What the assignment form posts. */
const AssignmentSchema = z.object({
  intent: z.enum(["assign", "remove"]),
  tenderId: z.string().uuid(),
  userId: z.string().uuid(),
});

export default function SupervisorAssignment() {
  const { tenders, supervisors } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("witness");
  const { t: tc } = useTranslation("common");
  return (
    <section className="stack">
      <h1>{t("admin.title")}</h1>
      <p className="muted">{t("admin.intro")}</p>
      {tenders.length === 0 ? <p>{t("admin.noTenders")}</p> : null}
      <table>
        <thead>
          <tr>
            <th>{t("admin.tender")}</th>
            <th>{t("admin.supervisors")}</th>
            <th>{t("admin.assign")}</th>
          </tr>
        </thead>
        <tbody>
          {tenders.map((x) => (
            <tr key={x.id} data-testid={`assign-${x.code}`}>
              <td>
                {x.title}
                <br />
                <small className="code">{x.code}</small> · {tc(`tenderStatus.${x.status}`)}
              </td>
              <td>
                {x.supervisors.length === 0 ? <span className="muted">{t("admin.none")}</span> : null}
                <ul>
                  {x.supervisors.map((s) => (
                    <li key={s.id}>
                      {s.name} ({s.email})
                      <Form method="post" style={{ display: "inline" }}>
                        <CsrfInput />
                        <input type="hidden" name="tenderId" value={x.id} />
                        <input type="hidden" name="userId" value={s.id} />
                        <button type="submit" name="intent" value="remove">
                          {t("admin.remove")}
                        </button>
                      </Form>
                    </li>
                  ))}
                </ul>
              </td>
              <td>
                <Form method="post">
                  <CsrfInput />
                  <input type="hidden" name="tenderId" value={x.id} />
                  <label>
                    {t("admin.choose")}
                    <select name="userId" required defaultValue="">
                      <option value="" disabled>
                        —
                      </option>
                      {supervisors
                        .filter((s) => !x.supervisors.some((a) => a.id === s.id))
                        .map((s) => (
                          <option key={s.id} value={s.id}>
                            {s.name} ({s.email})
                          </option>
                        ))}
                    </select>
                  </label>
                  <button type="submit" name="intent" value="assign">
                    {t("admin.assign")}
                  </button>
                </Form>
                {result?.tenderId === x.id && result.error ? (
                  <p role="alert" className="error">
                    {t(`errors.${result.error}`)}
                  </p>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
