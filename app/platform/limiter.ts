/**
 * At most `max` calls of `run` in progress; the rest wait in arrival order. A finishing call
 * hands its slot straight to the next waiter, so the limit holds even when new calls arrive
 * in between.
 */
export function createLimiter(max: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async function run<T>(fn: () => Promise<T>): Promise<T> {
    if (active < max) active += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active -= 1;
    }
  };
}
