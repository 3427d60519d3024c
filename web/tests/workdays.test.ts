// Working days left follow the State Council's calendar, not just weekends.
import { describe, expect, it } from "vitest";
import { deadlineWords, isWorkingDay, workingDaysLeft } from "@/workdays";

const at = (iso: string) => new Date(iso);

describe("working days", () => {
  it("knows holidays and make-up working days", () => {
    expect(isWorkingDay("2023-10-02")).toBe(false); // 国庆
    expect(isWorkingDay("2023-10-07")).toBe(true); // a Saturday made a working day
    expect(isWorkingDay("2023-09-16")).toBe(false); // an ordinary Saturday
    expect(isWorkingDay("2023-09-18")).toBe(true);
  });
  it("counts working days to a deadline across the National Day holiday", () => {
    // Thursday 28 September to Monday 9 October 2023: 7, 8 and 9 October work.
    expect(
      workingDaysLeft(
        at("2023-10-09T09:00:00+08:00"),
        at("2023-09-28T09:00:00+08:00"),
      ),
    ).toBe(3);
  });
  it("says a passed deadline is overdue, in China Standard Time", () => {
    const w = deadlineWords(
      at("2023-09-18T17:00:00+08:00"),
      at("2023-09-20T09:00:00+08:00"),
    );
    expect(w.overdue).toBe(true);
    expect(w.text).toContain("已超期 2 个工作日");
    const soon = deadlineWords(
      at("2023-09-22T17:00:00+08:00"),
      at("2023-09-20T09:00:00+08:00"),
    );
    expect(soon).toEqual({
      text: "09月22日（还有 2 个工作日）",
      overdue: false,
    });
  });
});
