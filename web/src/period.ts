// Reporting periods: months (YYYY-MM) and quarters (YYYY-Qn) of the plan's
// year, defaulting to the latest one that has begun.
import { shanghaiDate } from "./workdays";

export function defaultPeriod(
  planYear: number,
  now: Date = new Date(),
): string {
  const today = shanghaiDate(now);
  const year = Number(today.slice(0, 4));
  if (year > planYear) return `${planYear}-12`;
  if (year < planYear) return `${planYear}-01`;
  return today.slice(0, 7);
}

export function monthsThrough(period: string): string[] {
  const year = period.slice(0, 4);
  const last = Number(period.slice(5, 7));
  return Array.from(
    { length: last },
    (_, i) => `${year}-${String(i + 1).padStart(2, "0")}`,
  );
}

export function quarterOf(period: string): string {
  return `${period.slice(0, 4)}-Q${Math.ceil(Number(period.slice(5, 7)) / 3)}`;
}

export function monthsOf(year: number): string[] {
  return Array.from(
    { length: 12 },
    (_, i) => `${year}-${String(i + 1).padStart(2, "0")}`,
  );
}
