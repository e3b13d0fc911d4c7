// The process side of the launcher's supervision (scripts/start.mjs; issue 11, item 7), used by
// the app server (server.ts) and the media server (media-server/main.ts).

/** Exit code of a process that stopped itself after an unhandled rejection (EX_SOFTWARE). */
export const UNHANDLED_REJECTION_EXIT = 70;
/** Exit code of a process whose environment is invalid: restarting cannot help. */
export const CONFIG_ERROR_EXIT = 2;

/**
 * An unhandled rejection leaves the process in a state nobody reasoned about: log it with its
 * stack and exit non-zero, so that the launcher restarts this process, and only this one.
 */
export function exitOnUnhandledRejection(name) {
  process.on("unhandledRejection", (reason) => {
    const text = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
    console.error(`✗ ${name}: unhandled rejection, exiting to be restarted: ${text}`);
    process.exit(UNHANDLED_REJECTION_EXIT);
  });
}
