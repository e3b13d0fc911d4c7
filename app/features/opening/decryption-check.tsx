import { useFetcher } from "@remix-run/react";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "../../ui/components/csrf.tsx";
import { checkDecryption, type CheckResult, HallError } from "./hall.browser.ts";

/** On the bid page after a submission: check, in the page, that the .p12 opens the submitted envelope. */
export function DecryptionCheck({ tenderId }: { tenderId: string }) {
  const { t } = useTranslation("opening");
  const fetcher = useFetcher();
  const [result, setResult] = useState<CheckResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const file = data.get("p12");
    const password = String(data.get("password") ?? "");
    setError(null);
    setResult(null);
    if (!(file instanceof File) || file.size === 0 || !password) return setError("opening.chooseFile");
    try {
      const checked = await checkDecryption(file, password, tenderId);
      setResult(checked.result);
      const post = new FormData();
      post.set("csrf", String(data.get("csrf") ?? ""));
      post.set("versionId", checked.versionId);
      post.set("result", checked.result);
      fetcher.submit(post, { method: "post", action: `/opening/${tenderId}/check` });
    } catch (e) {
      setError(e instanceof HallError ? e.code : "opening.failed");
    }
  }
  return (
    <form className="card" data-testid="decryption-check" onSubmit={(e) => void onSubmit(e)}>
      <h2>{t("check.title")}</h2>
      <p>{t("check.help")}</p>
      <CsrfInput />
      <label>
        {t("bidder.keyFile")} <input type="file" name="p12" accept=".p12,.pfx,application/x-pkcs12" />
      </label>
      <label>
        {t("bidder.password")} <input type="password" name="password" autoComplete="off" />
      </label>
      <button type="submit">{t("check.button")}</button>
      {result ? (
        <p className={result === "ok" ? "notice" : "error"} role="status" data-testid="check-result">
          {t(`check.${result}`)}
        </p>
      ) : null}
      {error ? (
        <p className="error" role="alert">
          {t(error)}
        </p>
      ) : null}
    </form>
  );
}
