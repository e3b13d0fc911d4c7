export declare const SECRET_KEYS: readonly string[];
export declare function parseDotEnv(text: string): Record<string, string>;
export declare function completeDotEnv(
  text: string,
  current: Record<string, string>,
  random?: () => string,
): { text: string; changed: string[] };
