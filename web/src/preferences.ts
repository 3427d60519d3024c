// A person's notification preferences as the 消息 page edits them: one row
// per kind pushed to people, each following the service's default or
// naming the person's channels it goes to (none: the inbox only), and
// quiet hours that hold alerts and digests but never an escalation. The
// defaults mirror uplift-notify's (services/notify/person_preferences.cc).
import { create } from "@bufbuild/protobuf";
import {
  ChannelType,
  Kind,
  PreferencesSchema,
  RouteSchema,
  type Preferences,
} from "@/gen/uplift/notify/v1/notify_pb";

export const PERSONAL_KINDS: Kind[] = [
  Kind.ESCALATION,
  Kind.SUPERVISOR_NOTICE,
  Kind.ALERT,
  Kind.REMINDER_DIGEST,
  Kind.REQUEST,
];

// The person's channel types, in the order the page shows them.
export const PERSONAL_CHANNEL_TYPES: ChannelType[] = [
  ChannelType.SMS,
  ChannelType.WECOM,
  ChannelType.DINGTALK,
  ChannelType.EMAIL,
];

export const DEFAULT_ROUTES: Record<number, ChannelType[]> = {
  [Kind.ESCALATION]: [ChannelType.SMS, ChannelType.WECOM, ChannelType.DINGTALK],
  [Kind.SUPERVISOR_NOTICE]: [
    ChannelType.SMS,
    ChannelType.WECOM,
    ChannelType.DINGTALK,
  ],
  [Kind.ALERT]: [ChannelType.EMAIL],
  [Kind.REMINDER_DIGEST]: [ChannelType.EMAIL],
  [Kind.REQUEST]: [ChannelType.WECOM, ChannelType.DINGTALK],
};

// Escalations and supervisor notices go at once, quiet hours or not.
export function ignoresQuietHours(kind: Kind): boolean {
  return kind === Kind.ESCALATION || kind === Kind.SUPERVISOR_NOTICE;
}

export interface RouteRow {
  kind: Kind;
  useDefault: boolean;
  types: ChannelType[];
}

export interface PreferencesForm {
  rows: RouteRow[];
  quiet: boolean;
  quietStart: string;
  quietEnd: string;
}

const byPageOrder = (a: ChannelType, b: ChannelType) =>
  PERSONAL_CHANNEL_TYPES.indexOf(a) - PERSONAL_CHANNEL_TYPES.indexOf(b);

export function toForm(p: Preferences | undefined): PreferencesForm {
  const rows = PERSONAL_KINDS.map((kind) => {
    const route = p?.routes.find((r) => r.kind === kind);
    return {
      kind,
      useDefault: !route,
      types: [...(route ? route.channelTypes : DEFAULT_ROUTES[kind])].sort(
        byPageOrder,
      ),
    };
  });
  const quiet = !!p?.quietStart;
  return {
    rows,
    quiet,
    quietStart: quiet ? p!.quietStart : "22:00",
    quietEnd: quiet ? p!.quietEnd : "07:00",
  };
}

export function fromForm(form: PreferencesForm): Preferences {
  return create(PreferencesSchema, {
    routes: form.rows
      .filter((r) => !r.useDefault)
      .map((r) =>
        create(RouteSchema, { kind: r.kind, channelTypes: [...r.types] }),
      ),
    quietStart: form.quiet ? form.quietStart : "",
    quietEnd: form.quiet ? form.quietEnd : "",
  });
}
