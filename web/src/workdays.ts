// Working days between today and a deadline, by the State Council's holiday
// calendars (calendars/, as the services count them), in China Standard Time.
import calendarsJson from "@/gen/calendars.json";

interface CalendarYear {
  holidays: [string, string][];
  makeup: string[];
}
const CALENDARS = calendarsJson as unknown as Record<string, CalendarYear>;

// YYYY-MM-DD of a moment in Asia/Shanghai (UTC+8, no daylight saving).
export function shanghaiDate(d: Date): string {
  return new Date(d.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

export function isWorkingDay(day: string): boolean {
  const cal = CALENDARS[day.slice(0, 4)];
  if (cal?.makeup.includes(day)) return true;
  if (cal?.holidays.some(([from, to]) => day >= from && day <= to))
    return false;
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

// The day a deadline falls on: the services' deadlines are the end (24:00)
// of a working day, so the instant itself is the next day's 00:00.
export function deadlineDay(deadline: Date): string {
  return shanghaiDate(new Date(deadline.getTime() - 1));
}

// Working days after today up to and including the deadline's day; negative
// (working days past) once the deadline has gone by.
export function workingDaysLeft(
  deadline: Date,
  now: Date = new Date(),
): number {
  const today = shanghaiDate(now);
  const last = deadlineDay(deadline);
  if (deadline.getTime() < now.getTime()) {
    let n = 0;
    for (let d = last; d < today; d = nextDay(d))
      if (isWorkingDay(nextDay(d))) n++;
    return -n;
  }
  let n = 0;
  for (let d = today; d < last;) {
    d = nextDay(d);
    if (isWorkingDay(d)) n++;
  }
  return n;
}

export function deadlineWords(
  deadline: Date | undefined,
  now: Date = new Date(),
): { text: string; overdue: boolean } {
  if (!deadline) return { text: "—", overdue: false };
  const n = workingDaysLeft(deadline, now);
  const [, month, date] = deadlineDay(deadline).split("-").map(Number);
  const day = `${month}月${date}日`;
  if (deadline.getTime() < now.getTime())
    return {
      text: `${day}（已超期${n === 0 ? "" : ` ${-n} 个工作日`}）`,
      overdue: true,
    };
  return { text: `${day}（还有 ${n} 个工作日）`, overdue: false };
}
