/**
 * The source of a worker thread whose code is a real function in a real module (checked by tsc
 * and ESLint like the rest), run with `new Worker(source, { eval: true })`: the server build is
 * one bundle with no separate worker file beside it, and this works the same under tsx, vitest
 * and the bundle. `main` must be self-contained: it takes Node's modules from
 * `process.getBuiltinModule` and its settings from `workerData`, never from its module's scope.
 * Transpilers that keep function names (tsx) call a `__name` helper inside it; the worker gets
 * a harmless one.
 */
export function workerSource(main: () => void): string {
  return `"use strict";\nconst __name = (target) => target;\n(${main.toString()})();\n`;
}
