import { useTranslation } from "react-i18next";

interface FieldProps {
  name: string;
  label: string;
  type?: string;
  hint?: string;
  error?: string;
  defaultValue?: string;
  autoComplete?: string;
  required?: boolean;
}

/** A labelled input whose error (an i18n key from the zod schema) is announced to screen readers. */
export function Field({ name, label, type = "text", hint, error, defaultValue, autoComplete, required }: FieldProps) {
  const { t } = useTranslation();
  const errorId = `${name}-error`;
  return (
    <div className={error ? "field has-error" : "field"}>
      <label htmlFor={name}>{label}</label>
      <input
        id={name}
        name={name}
        type={type}
        defaultValue={defaultValue}
        autoComplete={autoComplete}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
      />
      {hint && !error && <small className="hint">{hint}</small>}
      {error && (
        <small id={errorId} className="error" role="alert">
          {t(error)}
        </small>
      )}
    </div>
  );
}
