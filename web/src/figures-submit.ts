// Sends parsed figures to uplift-indicators row by row (SubmitReport; the
// streaming import is for gRPC clients), a few at a time, reporting
// progress; a refused row is kept with its line and the service's reason,
// the others are stored.
import { indicators } from "@/api/clients";
import { fieldError } from "@/api/errors";
import type { ParsedRow, RowError, SheetRow } from "./figures-upload";

export async function submitRows(
  rows: ParsedRow[],
  onProgress: (done: number) => void,
  inFlight = 8,
): Promise<{ stored: number; errors: RowError[] }> {
  let next = 0;
  let done = 0;
  let stored = 0;
  const errors: RowError[] = [];
  async function worker() {
    while (next < rows.length) {
      const row = rows[next++];
      try {
        await indicators.submitReport({ report: row.report });
        stored++;
      } catch (e) {
        const f = fieldError(e);
        errors.push({
          line: row.line,
          reason: f.field ? `${f.field}: ${f.message}` : f.message,
        });
      }
      onProgress(++done);
    }
  }
  await Promise.all(
    Array.from({ length: Math.min(inFlight, rows.length) }, worker),
  );
  errors.sort((a, b) => a.line - b.line);
  return { stored, errors };
}

export async function xlsxRows(file: File): Promise<SheetRow[]> {
  const { default: ExcelJS } = await import("exceljs");
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(await file.arrayBuffer());
  const sheet = book.worksheets[0];
  const rows: SheetRow[] = [];
  sheet?.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: string[] = [];
    row.eachCell(
      { includeEmpty: true },
      (cell, col) => (cells[col - 1] = cell.text ?? ""),
    );
    rows.push({ line, cells: Array.from(cells, (c) => c ?? "") });
  });
  return rows;
}
