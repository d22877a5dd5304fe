/** The signed-in user's notifications (worker/routes/notifications.ts). */
import { listQuery, readNotificationsBody } from "../../schema/api";
import { notificationListResponseSchema, readNotificationsResponseSchema } from "../../schema/responses";
import { routes } from "./route";

export const notificationRoutesDoc = routes(
  {
    method: "get",
    path: "/api/v1/notifications",
    operationId: "listNotifications",
    tag: "notifications",
    summary: "Your notifications, newest updatedAt first, with the unread count",
    description:
      "While unread, one notification groups a kind on one target (\"Ada and 3 others liked your post\"); follows group per UTC " +
      "day. Live, the socket message `notification` {notification, unreadCount} carries the same shape.",
    session: true,
    query: listQuery,
    success: { status: 200, description: "A page of notifications.", data: notificationListResponseSchema },
    errors: { 400: ["INVALID_CURSOR"] },
  },
  {
    method: "post",
    path: "/api/v1/notifications/read",
    operationId: "readNotifications",
    tag: "notifications",
    summary: "Mark notifications read: `upTo` and every one updated before it, or all",
    session: true,
    body: readNotificationsBody,
    idempotency: "accepted",
    success: { status: 200, description: "The unread count left.", data: readNotificationsResponseSchema },
  },
);
