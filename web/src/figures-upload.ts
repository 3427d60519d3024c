// Monthly figures from a spreadsheet (CSV or XLSX), as `upliftctl report
// import` reads them: a header naming the columns in Chinese or English (a
// unit in brackets ignored), amounts in yuan with up to two decimals, land in
// mu. Each row becomes a MonthlyReport or an error with its line.
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { MonthlyReportSchema } from "@/gen/uplift/indicators/v1/indicators_pb";

type Column =
  | "code"
  | "period"
  | "revenue"
  | "output"
  | "tax"
  | "rnd"
  | "employees"
  | "land";

const HEADERS: Record<string, Column> = {
  credit_code: "code",
  统一社会信用代码: "code",
  信用代码: "code",
  period: "period",
  月份: "period",
  期间: "period",
  revenue: "revenue",
  营业收入: "revenue",
  output_value: "output",
  工业总产值: "output",
  tax: "tax",
  税收: "tax",
  税金: "tax",
  rnd: "rnd",
  研发投入: "rnd",
  研发费用: "rnd",
  employees: "employees",
  从业人员: "employees",
  从业人数: "employees",
  land: "land",
  占地面积: "land",
  用地面积: "land",
};

export interface SheetRow {
  line: number; // 1-based, as the spreadsheet shows it
  cells: string[];
}

export interface ParsedRow {
  line: number;
  report: MessageInitShape<typeof MonthlyReportSchema>;
}

export interface RowError {
  line: number;
  reason: string;
}

export function headerKey(raw: string): string {
  return raw.trim().split(/[(（]/)[0].trim().toLowerCase();
}

// A plain decimal number with at most `decimals` decimals (commas between
// digits allowed), times 10^decimals, exactly; null otherwise.
export function parseScaled(text: string, decimals: number): bigint | null {
  const t = text.trim().replace(/(\d),(?=\d{3})/g, "$1");
  const m = /^(\d+)(?:\.(\d+))?$/.exec(t);
  if (!m || (m[2] ?? "").length > decimals) return null;
  return BigInt(m[1] + (m[2] ?? "").padEnd(decimals, "0"));
}

export function parseRows(rows: SheetRow[]): {
  reports: ParsedRow[];
  errors: RowError[];
} {
  const [header, ...body] = rows;
  if (!header)
    return { reports: [], errors: [{ line: 1, reason: "文件是空的" }] };
  const columns = header.cells.map((h) => HEADERS[headerKey(h)]);
  const unknown = header.cells.filter((_, i) => !columns[i]);
  if (unknown.length)
    return {
      reports: [],
      errors: [
        { line: header.line, reason: `无法识别的列：${unknown.join("、")}` },
      ],
    };
  for (const need of ["code", "period", "revenue"] as Column[]) {
    if (!columns.includes(need))
      return {
        reports: [],
        errors: [
          {
            line: header.line,
            reason: "缺少必需的列：统一社会信用代码、月份、营业收入",
          },
        ],
      };
  }
  const reports: ParsedRow[] = [];
  const errors: RowError[] = [];
  for (const row of body) {
    if (row.cells.every((c) => !c.trim())) continue;
    const get = (c: Column) => (row.cells[columns.indexOf(c)] ?? "").trim();
    const figures: Record<string, bigint> = {};
    let bad = "";
    for (const [col, field, decimals, name] of [
      ["revenue", "revenueFen", 2, "营业收入"],
      ["output", "outputValueFen", 2, "工业总产值"],
      ["tax", "taxFen", 2, "税收"],
      ["rnd", "rndFen", 2, "研发投入"],
      ["employees", "employees", 0, "从业人员"],
      ["land", "landCentiMu", 2, "占地面积"],
    ] as [Column, string, number, string][]) {
      if (!columns.includes(col) || !get(col)) continue;
      const v = parseScaled(get(col), decimals);
      if (v === null) {
        bad = `${name}「${get(col)}」不是${decimals ? "最多两位小数的" : ""}数字`;
        break;
      }
      figures[field] = v;
    }
    if (!bad && !get("code")) bad = "统一社会信用代码为空";
    if (!bad && !/^\d{4}-(0[1-9]|1[0-2])$/.test(get("period")))
      bad = `月份「${get("period")}」应为 YYYY-MM`;
    if (bad) errors.push({ line: row.line, reason: bad });
    else
      reports.push({
        line: row.line,
        report: {
          creditCode: get("code").toUpperCase(),
          period: get("period"),
          figures,
        },
      });
  }
  return { reports, errors };
}

// RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF; a leading BOM dropped.
export function parseCsv(text: string): SheetRow[] {
  const rows: SheetRow[] = [];
  let line = 1;
  let start = 1;
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  const s = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === "\n") line++;
        cell += ch;
      }
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      cells.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && s[i + 1] === "\n") i++;
      cells.push(cell);
      rows.push({ line: start, cells });
      cells = [];
      cell = "";
      line++;
      start = line;
    } else cell += ch;
  }
  if (cell || cells.length) {
    cells.push(cell);
    rows.push({ line: start, cells });
  }
  return rows;
}
