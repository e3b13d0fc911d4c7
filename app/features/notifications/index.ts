// What routes and other features may use of features/notifications (lint: eslint/depcruise boundaries). Import nothing deeper.
export { LiveNotifications } from "./live-notifier.tsx";
export { listNotifications, markRead, MarkReadSchema, unreadCount } from "./notifications.server.ts";
