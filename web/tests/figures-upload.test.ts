// Figures from a spreadsheet: the same columns and amounts as upliftctl's
// import, every bad row with its line.
import { describe, expect, it } from "vitest";
import { parseCsv, parseRows, parseScaled } from "@/figures-upload";

describe("figures upload", () => {
  it("reads amounts exactly", () => {
    expect(parseScaled("1,234.5", 2)).toBe(123450n);
    expect(parseScaled("12", 2)).toBe(1200n);
    expect(parseScaled("1.234", 2)).toBeNull();
    expect(parseScaled("-3", 2)).toBeNull();
    expect(parseScaled("三百", 2)).toBeNull();
  });
  it("parses quoted CSV with a BOM and CRLF, keeping line numbers", () => {
    const rows = parseCsv('\uFEFFa,b\r\n"x,1","say ""hi"""\r\n3,4');
    expect(rows).toEqual([
      { line: 1, cells: ["a", "b"] },
      { line: 2, cells: ["x,1", 'say "hi"'] },
      { line: 3, cells: ["3", "4"] },
    ]);
  });
  it("keeps good rows and lists each bad one with its line and reason", () => {
    const csv = [
      "统一社会信用代码,月份,营业收入(元),从业人员",
      '91130184MA0CN1PX1Q,2023-09,"1,000.00",12',
      "91130184MA0CN1PX1Q,2023-13,100,1",
      "91130184MA0CN1PX1Q,2023-08,很多,1",
      "",
      "91130184ma0cn1px1q,2023-07,5,",
    ].join("\n");
    const { reports, errors } = parseRows(parseCsv(csv));
    expect(reports.map((r) => r.line)).toEqual([2, 6]);
    expect(reports[0].report.figures).toEqual({
      revenueFen: 100000n,
      employees: 12n,
    });
    expect(reports[1].report.creditCode).toBe("91130184MA0CN1PX1Q");
    expect(errors).toEqual([
      { line: 3, reason: "月份「2023-13」应为 YYYY-MM" },
      { line: 4, reason: "营业收入「很多」不是最多两位小数的数字" },
    ]);
  });
  it("refuses a header it does not know, naming the column", () => {
    const { errors } = parseRows(parseCsv("信用代码,月份,利润\n1,2023-01,3"));
    expect(errors[0].reason).toContain("利润");
  });
});
