// Typed clients of every service, over uplift-web's Connect (HTTP/JSON)
// protocol, from the descriptors generated from protos/ at build time.
import { createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { Accounts } from "@/gen/uplift/accounts/v1/accounts_pb";
import { EnterpriseRegistry } from "@/gen/uplift/registry/v1/registry_pb";
import { TaskAssignment } from "@/gen/uplift/tasks/v1/tasks_pb";
import { ProjectLedger } from "@/gen/uplift/tasks/v1/projects_pb";
import { IndicatorAggregation } from "@/gen/uplift/indicators/v1/indicators_pb";
import { Notification } from "@/gen/uplift/notify/v1/notify_pb";
import { onUnauthenticated } from "./session-events";

// A call refused as unauthenticated means the session has ended: the
// console returns to the sign-in page (and comes back afterwards).
const sessionEnded: Interceptor = (next) => async (req) => {
  try {
    return await next(req);
  } catch (e) {
    onUnauthenticated(e, req.method.name);
    throw e;
  }
};

const transport = createConnectTransport({
  baseUrl: window.location.origin,
  useBinaryFormat: false,
  // The session cookie is HttpOnly and same-origin.
  fetch: (input, init) =>
    globalThis.fetch(input, { ...init, credentials: "same-origin" }),
  interceptors: [sessionEnded],
});

export const accounts = createClient(Accounts, transport);
export const registry = createClient(EnterpriseRegistry, transport);
export const tasks = createClient(TaskAssignment, transport);
export const projects = createClient(ProjectLedger, transport);
export const indicators = createClient(IndicatorAggregation, transport);
export const notify = createClient(Notification, transport);
