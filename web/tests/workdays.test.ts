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
  it("reads a deadline at 24:00 as the end of its day, as the services set them", () => {
    // 10 working days from Wednesday 2 December 2026: the end of Wednesday 16 December.
    const end = at("2026-12-17T00:00:00+08:00");
    expect(deadlineWords(end, at("2026-12-02T10:00:00+08:00"))).toEqual({
      text: "12月16日（还有 10 个工作日）",
      overdue: false,
    });
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
      text: "9月22日（还有 2 个工作日）",
      overdue: false,
    });
  });
});
