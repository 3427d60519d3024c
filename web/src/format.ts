// Times and amounts as people in the county read them.
import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { deadlineDay } from "./workdays";

export function when(ts: Timestamp | undefined): string {
  if (!ts) return "—";
  return timestampDate(ts).toLocaleString("zh-CN", {
    timeZone: "Asia/Shanghai",
    hour12: false,
  });
}

// The day a deadline falls on (the end of that day): "2023年12月16日".
export function day(ts: Timestamp | undefined): string {
  if (!ts) return "—";
  const [y, m, d] = deadlineDay(timestampDate(ts)).split("-").map(Number);
  return `${y}年${m}月${d}日`;
}

export function date(ts: Timestamp | undefined): Date | undefined {
  return ts ? timestampDate(ts) : undefined;
}

// Basis points as a percentage: 1234 -> "12.34%".
export function percent(bp: bigint | number): string {
  return `${(Number(bp) / 100).toFixed(2)}%`;
}

// Fen as 万元.
export function wan(fen: bigint | number): string {
  return (Number(fen) / 1_000_000).toLocaleString("zh-CN", {
    maximumFractionDigits: 2,
  });
}
