// The deadline component: working days left, red once past.
import { describe, expect, it } from "vitest";
import { mount } from "@vue/test-utils";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import DeadlineText from "@/components/DeadlineText.vue";

describe("DeadlineText", () => {
  it("is red when the deadline has passed", () => {
    const w = mount(DeadlineText, {
      props: {
        deadline: timestampFromDate(new Date(Date.now() - 3 * 86400_000)),
      },
    });
    expect(w.find("span").classes()).toContain("overdue");
    expect(w.text()).toContain("已超期");
  });
  it("says the working days left before it", () => {
    const w = mount(DeadlineText, {
      props: {
        deadline: timestampFromDate(new Date(Date.now() + 30 * 86400_000)),
      },
    });
    expect(w.find("span").classes()).not.toContain("overdue");
    expect(w.text()).toMatch(/还有 \d+ 个工作日/);
  });
  it("shows a dash for a resolved problem", () => {
    const w = mount(DeadlineText, {
      props: { deadline: timestampFromDate(new Date()), resolved: true },
    });
    expect(w.text()).toBe("—");
  });
});
