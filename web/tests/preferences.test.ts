// The 消息 page's preferences form: rows per kind, the defaults, quiet hours.
import { describe, expect, it } from "vitest";
import { create } from "@bufbuild/protobuf";
import {
  ChannelType,
  Kind,
  PreferencesSchema,
  RouteSchema,
} from "@/gen/uplift/notify/v1/notify_pb";
import { fromForm, toForm } from "@/preferences";

describe("preferences form", () => {
  it("shows every kind, the defaults where the person chose nothing", () => {
    const form = toForm(undefined);
    expect(form.rows.map((r) => r.kind)).toEqual([
      Kind.ESCALATION,
      Kind.SUPERVISOR_NOTICE,
      Kind.ALERT,
      Kind.REMINDER_DIGEST,
      Kind.REQUEST,
    ]);
    expect(form.rows.every((r) => r.useDefault)).toBe(true);
    expect(form.rows[0].types).toEqual([
      ChannelType.SMS,
      ChannelType.WECOM,
      ChannelType.DINGTALK,
    ]);
    expect(form.rows[2].types).toEqual([ChannelType.EMAIL]);
    expect(form.rows[4].types).toEqual([
      ChannelType.WECOM,
      ChannelType.DINGTALK,
    ]);
    expect(form.quiet).toBe(false);
    expect(fromForm(form).routes).toEqual([]);
  });

  it("keeps what the person chose, an empty route meaning the inbox only", () => {
    const stored = create(PreferencesSchema, {
      routes: [
        create(RouteSchema, {
          kind: Kind.ESCALATION,
          channelTypes: [ChannelType.EMAIL, ChannelType.SMS],
        }),
        create(RouteSchema, { kind: Kind.ALERT, channelTypes: [] }),
      ],
      quietStart: "21:30",
      quietEnd: "07:00",
    });
    const form = toForm(stored);
    expect(form.rows[0]).toEqual({
      kind: Kind.ESCALATION,
      useDefault: false,
      types: [ChannelType.SMS, ChannelType.EMAIL],
    });
    expect(form.rows[2]).toEqual({
      kind: Kind.ALERT,
      useDefault: false,
      types: [],
    });
    expect(form.quiet).toBe(true);
    const back = fromForm(form);
    expect(back.routes.map((r) => [r.kind, r.channelTypes])).toEqual([
      [Kind.ESCALATION, [ChannelType.SMS, ChannelType.EMAIL]],
      [Kind.ALERT, []],
    ]);
    expect([back.quietStart, back.quietEnd]).toEqual(["21:30", "07:00"]);
  });

  it("turning quiet hours off clears them", () => {
    const form = toForm(undefined);
    form.quiet = false;
    form.quietStart = "22:00";
    expect(fromForm(form).quietStart).toBe("");
  });
});
