import { useTranslation } from "react-i18next";

export interface SpecialtyRow {
  code: string;
  level: number;
  parentCode: string | null;
  nameZh: string;
  nameEn: string;
}

/** The specialty's name in the reader's language, with its code. */
export function specialtyLabel(
  row: Pick<SpecialtyRow, "code" | "nameZh" | "nameEn"> | undefined,
  code: string,
  lng: string,
): string {
  if (!row) return code;
  return `${lng === "zh-CN" ? row.nameZh : row.nameEn} (${row.code})`;
}

/** Checkboxes for level-3 specialities, grouped under 工程/货物/服务 → field. */
export function SpecialtyChoice({
  specialties,
  chosen,
  error,
  name = "specialties",
}: {
  specialties: SpecialtyRow[];
  chosen: string[];
  error?: string;
  name?: string;
}) {
  const { t, i18n } = useTranslation("experts");
  const name_ = (r: SpecialtyRow) => (i18n.language === "zh-CN" ? r.nameZh : r.nameEn);
  return (
    <fieldset className={error ? "field has-error" : "field"}>
      <legend>{t("apply.specialties")}</legend>
      {specialties
        .filter((r) => r.level === 2)
        .map((field) => (
          <div key={field.code}>
            <strong>
              {name_(specialties.find((r) => r.code === field.parentCode) ?? field)} · {name_(field)}
            </strong>
            {specialties
              .filter((r) => r.parentCode === field.code)
              .map((r) => (
                <label key={r.code} style={{ display: "inline-block", marginInlineEnd: "1em" }}>
                  <input type="checkbox" name={name} value={r.code} defaultChecked={chosen.includes(r.code)} /> {name_(r)}{" "}
                  <small className="code">{r.code}</small>
                </label>
              ))}
          </div>
        ))}
      {error && (
        <small className="error" role="alert">
          {error}
        </small>
      )}
    </fieldset>
  );
}
