/**
 * A horizontal bar chart as geometry, for the template to draw as SVG (so Nunjucks escapes every label). Each bar
 * has its label above it, full width, so long labels read on a phone; the value is printed at the bar's end. A
 * value held back by disclosure control has no bar, only its words ("fewer than 8"): no length to measure it by.
 * The data table beside every chart carries the same figures; the chart is never the only way to read them.
 */

export interface ChartItem {
  label: string;
  /** What the bar's length stands for; null when the figure is not shown. */
  value: number | null;
  /** The figure as printed, exactly as in the table. */
  text: string;
}

export interface Bar {
  label: string;
  text: string;
  labelY: number;
  barY: number;
  width: number;
  valueX: number;
  valueY: number;
}

export interface BarChart {
  width: number;
  height: number;
  barHeight: number;
  fontSize: number;
  bars: Bar[];
}

export const CHART_WIDTH = 400;
/** A generous width of a character of a bold value, so the longest value still fits after the longest bar. */
const VALUE_CHAR_WIDTH = 8.5;
const SHORTEST_LONGEST_BAR = 120;
const LONGEST_BAR = 290;
const ROW_HEIGHT = 44;
const LABEL_TO_BAR = 6;
const BAR_HEIGHT = 16;
const FONT_SIZE = 14;
const TOP = 16;

export function barChart(items: readonly ChartItem[]): BarChart {
  const largest = Math.max(0, ...items.map((i) => i.value ?? 0));
  const longestText = Math.max(0, ...items.map((i) => i.text.length));
  const longestBar = Math.min(LONGEST_BAR, Math.max(SHORTEST_LONGEST_BAR, Math.floor(CHART_WIDTH - 8 - longestText * VALUE_CHAR_WIDTH)));
  const bars = items.map((item, index): Bar => {
    const labelY = TOP + index * ROW_HEIGHT;
    const barY = labelY + LABEL_TO_BAR;
    // Every shown non-zero value gets at least a sliver, so a small figure is not mistaken for none.
    const width = item.value === null || item.value <= 0 || largest === 0 ? 0 : Math.max(2, Math.round((item.value / largest) * longestBar));
    return { label: item.label, text: item.text, labelY, barY, width, valueX: width + 6, valueY: barY + BAR_HEIGHT - 3 };
  });
  return { width: CHART_WIDTH, height: TOP + items.length * ROW_HEIGHT, barHeight: BAR_HEIGHT, fontSize: FONT_SIZE, bars };
}
