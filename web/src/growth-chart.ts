// The option of the cluster revenue growth chart: year-to-date comparable
// growth by month for each cluster and the county, against the plan's
// target (12 %) and stretch (14 %) lines.
import type { EChartsCoreOption } from "echarts/core";

export interface GrowthSeries {
  name: string;
  values: (number | null)[]; // percent, one per month; null where undefined
}

export function growthChartOption(
  months: string[],
  series: GrowthSeries[],
  targetPct: number,
  stretchPct: number,
): EChartsCoreOption {
  return {
    // Drawn at once: a leader reads the figures, not an animation (and the
    // page is interactive as soon as its answers are in).
    animation: false,
    tooltip: {
      trigger: "axis",
      valueFormatter: (v: unknown) =>
        typeof v === "number" ? `${v.toFixed(2)}%` : "—",
    },
    legend: { type: "scroll", bottom: 0 },
    grid: { left: 48, right: 72, top: 24, bottom: 48 },
    xAxis: {
      type: "category",
      data: months.map((m) => `${Number(m.slice(5))}月`),
    },
    yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
    series: series.map((s, i) => ({
      name: s.name,
      type: "line",
      data: s.values,
      connectNulls: false,
      markLine:
        i === 0
          ? {
              symbol: "none",
              label: { formatter: "{b} {c}%" },
              data: [
                {
                  name: "目标",
                  yAxis: targetPct,
                  lineStyle: { color: "#e6a23c" },
                },
                {
                  name: "争取",
                  yAxis: stretchPct,
                  lineStyle: { color: "#f56c6c" },
                },
              ],
            }
          : undefined,
    })),
  };
}
