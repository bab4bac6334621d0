// One time-series chart on uPlot (a small canvas chart library): series coloured from the design
// tokens (read from CSS at mount, so no colour is written here), resized with its container.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  /** A design token naming the line's colour, e.g. `--cairn-danger`. */
  token: string;
  values: (number | null)[];
}

const token = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

export function TimeChart({ title, unit, times, series, testId }: { title: string; unit: string; times: number[]; series: ChartSeries[]; testId: string }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data = [times.map((ms) => ms / 1_000), ...series.map((line) => line.values)] as uPlot.AlignedData;
  const shape = series.map((line) => `${line.label}:${line.token}`).join('|');

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const axis = { stroke: token('--cairn-muted'), grid: { stroke: token('--cairn-border') }, ticks: { stroke: token('--cairn-border') } };
    plot.current = new uPlot(
      {
        width: Math.max(element.clientWidth, 200),
        height: 180,
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true }, y: { range: (_u, min, max) => [Math.min(0, min), Math.max(1, max * 1.1)] } },
        axes: [axis, { ...axis, label: unit, size: 56 }],
        series: [{}, ...series.map((line) => ({ label: line.label, stroke: token(line.token), width: 2, points: { show: false } }))],
      },
      data,
      element,
    );
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(element.clientWidth, 200), height: 180 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // The chart is rebuilt only when its series change; new points go through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shape, unit]);

  useEffect(() => {
    plot.current?.setData(data);
  });

  return (
    <section className="cairn-card cairn-ops-chart" data-testid={testId} aria-label={title}>
      <h2 className="cairn-ops-chart__title">{title}</h2>
      <div ref={box} className="cairn-ops-chart__plot" data-points={times.length} />
    </section>
  );
}
