// The unit's inbox, live: the feed (Subscribe) pushes each new notification
// as it is made; the unread count drives the header's badge; a browser
// notification shows where the person allowed it. The feed is opened again
// when it ends (its token expires after 30 minutes, or the network drops).
import { defineStore } from "pinia";
import { ref } from "vue";
import { notify } from "@/api/clients";
import type { Notice } from "@/gen/uplift/notify/v1/notify_pb";
import { Code, ConnectError } from "@connectrpc/connect";

export const useInbox = defineStore("inbox", () => {
  const notices = ref<Notice[]>([]);
  const unread = ref(0);
  const live = ref(false);
  let unitId = "";
  let abort: AbortController | null = null;

  async function refresh(): Promise<void> {
    if (!unitId) return;
    const r = await notify.listInbox({ unitId, pageSize: 100 });
    notices.value = r.notifications;
    unread.value = r.unread;
  }

  function upsert(n: Notice): boolean {
    const i = notices.value.findIndex(
      (x) => x.notificationId === n.notificationId,
    );
    if (i >= 0) {
      notices.value[i] = n;
      return false;
    }
    notices.value.unshift(n);
    return true;
  }

  async function follow(signal: AbortSignal): Promise<void> {
    let wait = 500;
    while (!signal.aborted) {
      try {
        for await (const m of notify.subscribe(
          { unitId },
          {
            signal,
            timeoutMs: 12 * 3600 * 1000,
            // uplift-web answers the stream's headers once the feed is open.
            onHeader: () => {
              live.value = true;
              wait = 500;
            },
          },
        )) {
          live.value = true;
          wait = 500;
          const n = m.notification;
          if (!n) continue;
          const isNew = upsert(n);
          if (isNew && !n.acknowledged && n.requiresAck) unread.value += 1;
          if (isNew && !m.backlog) announce(n);
        }
      } catch (e) {
        if (signal.aborted) return;
        if (
          e instanceof ConnectError &&
          (e.code === Code.Unauthenticated || e.code === Code.PermissionDenied)
        ) {
          live.value = false;
          return;
        }
      }
      live.value = false;
      await new Promise((r) => setTimeout(r, wait));
      wait = Math.min(wait * 2, 10_000);
      if (!signal.aborted) await refresh().catch(() => undefined);
    }
  }

  async function start(unit: string): Promise<void> {
    if (unit === unitId && abort) return;
    stop();
    unitId = unit;
    if (!unitId) return;
    abort = new AbortController();
    await refresh().catch(() => undefined);
    void follow(abort.signal);
  }

  function stop(): void {
    abort?.abort();
    abort = null;
    unitId = "";
    notices.value = [];
    unread.value = 0;
    live.value = false;
  }

  async function acknowledge(id: string): Promise<void> {
    const r = await notify.acknowledge({ notificationId: id });
    if (r.notification) upsert(r.notification);
    unread.value = Math.max(0, unread.value - 1);
    await refresh().catch(() => undefined);
  }

  return { notices, unread, live, start, stop, refresh, acknowledge };
});

function announce(n: Notice): void {
  if (
    typeof Notification === "undefined" ||
    Notification.permission !== "granted"
  )
    return;
  try {
    new Notification(n.title, { body: n.body, tag: n.notificationId });
  } catch {
    // Some browsers allow notifications only from a service worker.
  }
}
