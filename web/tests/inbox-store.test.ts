// The inbox store: the live feed's messages join the list once each, new
// unacknowledged ones raise the unread count, acknowledging lowers it, and
// an ended feed is opened again.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { createPinia, setActivePinia } from "pinia";
import { create } from "@bufbuild/protobuf";
import {
  NoticeSchema,
  SubscribeResponseSchema,
  type SubscribeResponse,
} from "@/gen/uplift/notify/v1/notify_pb";

const feed: {
  queue: SubscribeResponse[];
  waiters: (() => void)[];
  opened: number;
  end: boolean;
} = {
  queue: [],
  waiters: [],
  opened: 0,
  end: false,
};
const acked = new Set<string>();
const notice = (id: string, acknowledged = false) =>
  create(NoticeSchema, {
    notificationId: id,
    unitId: "leader-equipment",
    title: id,
    requiresAck: true,
    acknowledged,
  });

vi.mock("@/api/clients", () => ({
  notify: {
    listInbox: vi.fn(async () => ({
      notifications: [notice("nt-old", acked.has("nt-old"))],
      unread: acked.has("nt-old") ? 0 : 1,
      nextPageToken: "",
    })),
    acknowledge: vi.fn(
      async ({ notificationId }: { notificationId: string }) => {
        acked.add(notificationId);
        return { notification: notice(notificationId, true) };
      },
    ),
    subscribe: (_req: unknown, { signal }: { signal: AbortSignal }) => {
      feed.opened++;
      return (async function* () {
        while (!signal.aborted) {
          if (feed.end) {
            feed.end = false;
            return; // the token expired: the server ends the stream
          }
          if (feed.queue.length) {
            yield feed.queue.shift()!;
            continue;
          }
          await new Promise<void>((r) => feed.waiters.push(r));
        }
      })();
    },
  },
}));

function push(n: ReturnType<typeof notice>, backlog = false) {
  feed.queue.push(
    create(SubscribeResponseSchema, { notification: n, backlog }),
  );
  feed.waiters.splice(0).forEach((w) => w());
}

const settle = () => new Promise((r) => setTimeout(r, 10));

describe("inbox store", () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    feed.queue = [];
    feed.opened = 0;
    acked.clear();
  });

  it("adds live notifications once and counts the unread", async () => {
    const { useInbox } = await import("@/stores/inbox");
    const inbox = useInbox();
    await inbox.start("leader-equipment");
    expect(inbox.unread).toBe(1);
    push(notice("nt-old"), true); // the backlog repeats what the list has
    push(notice("nt-new"));
    await settle();
    expect(inbox.notices.map((n) => n.notificationId)).toEqual([
      "nt-new",
      "nt-old",
    ]);
    expect(inbox.unread).toBe(2);
    expect(inbox.live).toBe(true);
    inbox.stop();
  });

  it("opens the feed again when it ends", async () => {
    const { useInbox } = await import("@/stores/inbox");
    const inbox = useInbox();
    await inbox.start("leader-equipment");
    await settle();
    expect(feed.opened).toBe(1);
    feed.end = true;
    feed.waiters.splice(0).forEach((w) => w());
    await vi.waitFor(() => expect(feed.opened).toBe(2), { timeout: 3000 });
    push(notice("nt-after"));
    await vi.waitFor(() =>
      expect(inbox.notices[0]?.notificationId).toBe("nt-after"),
    );
    inbox.stop();
  });

  it("lowers the count when one is acknowledged", async () => {
    const { useInbox } = await import("@/stores/inbox");
    const inbox = useInbox();
    await inbox.start("leader-equipment");
    await inbox.acknowledge("nt-old");
    expect(
      inbox.notices.find((n) => n.notificationId === "nt-old")?.acknowledged,
    ).toBe(true);
    expect(inbox.unread).toBe(0);
    inbox.stop();
    expect(inbox.notices).toEqual([]);
  });
});
