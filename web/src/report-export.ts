// A generated report (dispatch report or bulletin) as the files people take
// away: Markdown as the service wrote it, CSV (UTF-8 with BOM, CRLF, one
// block per section, as Excel on Chinese Windows opens it) and XLSX (one
// sheet, sections one under the other, numbers as numbers).
import type { GeneratedReport } from "@/gen/uplift/indicators/v1/indicators_pb";

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function reportCsv(r: GeneratedReport): string {
  const lines: string[] = [csvField(r.title)];
  for (const s of r.sections) {
    lines.push("", csvField(s.title));
    if (s.columns.length) lines.push(s.columns.map(csvField).join(","));
    for (const l of s.lines) lines.push(l.cells.map(csvField).join(","));
    if (!s.columns.length && s.text) lines.push(csvField(s.text));
  }
  return "\uFEFF" + lines.join("\r\n") + "\r\n";
}

// A cell that is a plain number ("1,234.5", "12.3%") as a number.
export function numericCell(s: string): number | string {
  const t = s.trim().replace(/,/g, "");
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : s;
}

export async function reportXlsx(r: GeneratedReport): Promise<Blob> {
  const { default: ExcelJS } = await import("exceljs");
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(
    r.title.slice(0, 31).replace(/[\\/?*[\]:]/g, " "),
  );
  sheet.addRow([r.title]).font = { bold: true, size: 14 };
  for (const s of r.sections) {
    sheet.addRow([]);
    sheet.addRow([s.title]).font = { bold: true };
    if (s.columns.length) sheet.addRow(s.columns).font = { bold: true };
    for (const l of s.lines) sheet.addRow(l.cells.map(numericCell));
    if (!s.columns.length && s.text) sheet.addRow([s.text]);
  }
  sheet.columns.forEach((c) => (c.width = 18));
  const buffer = await book.xlsx.writeBuffer();
  return new Blob([buffer], {
    type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  });
}

export function download(
  name: string,
  data: Blob | string,
  type = "text/plain;charset=utf-8",
): void {
  const blob = typeof data === "string" ? new Blob([data], { type }) : data;
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
