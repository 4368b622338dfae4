// Orders per second over the last minutes, drawn by hand on a canvas (no library, no CDN).

const WINDOW_MS = 5 * 60_000;
// The visible span grows with the data (so a fresh board is not a sliver at the right edge),
// each step with its own tick spacing.
const SPANS = [
  { span: 15_000, tick: 5_000 },
  { span: 30_000, tick: 5_000 },
  { span: 60_000, tick: 10_000 },
  { span: 2 * 60_000, tick: 20_000 },
  { span: WINDOW_MS, tick: 60_000 },
];
const SERIES = [
  { key: "accepted", color: "--accepted", fill: true },
  { key: "completed", color: "--completed", fill: false },
  { key: "refused", color: "--refused", fill: false },
];

export class RateChart {
  constructor(canvas) {
    this.canvas = canvas;
    this.points = [];
    this.pending = false;
    new ResizeObserver(() => this.draw()).observe(canvas);
  }

  /** Replaces the history (a new stream's backlog). */
  reset(points) {
    this.points = points.slice();
    this.draw();
  }

  /** Adds one second's point and redraws on the next frame. */
  push(point) {
    this.points.push(point);
    const cutoff = point.at - WINDOW_MS - 5_000;
    while (this.points.length && this.points[0].at < cutoff) this.points.shift();
    if (!this.pending) {
      this.pending = true;
      requestAnimationFrame(() => {
        this.pending = false;
        this.draw();
      });
    }
  }

  draw() {
    const { canvas } = this;
    const css = getComputedStyle(canvas);
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (!width || !height) return;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    const g = canvas.getContext("2d");
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);

    const pad = { left: 44, right: 10, top: 10, bottom: 24 };
    const w = width - pad.left - pad.right;
    const h = height - pad.top - pad.bottom;
    const now = this.points.length ? this.points[this.points.length - 1].at : Date.now();
    const have = this.points.length ? now - this.points[0].at : 0;
    const { span, tick } = SPANS.find((s) => s.span >= have) ?? SPANS[SPANS.length - 1];
    const start = now - span;
    const top = niceCeiling(Math.max(5, ...this.points.map((p) => Math.max(p.accepted, p.completed, p.refused))));
    const x = (t) => pad.left + ((t - start) / span) * w;
    const y = (v) => pad.top + h - (v / top) * h;

    g.font = `11px ${css.fontFamily}`;
    g.fillStyle = css.getPropertyValue("--muted");
    g.strokeStyle = css.getPropertyValue("--grid");
    g.lineWidth = 1;
    g.textAlign = "right";
    g.textBaseline = "middle";
    const lead = top / 10 ** Math.floor(Math.log10(top)); // 1, 2 or 5: steps of 0.2, 0.5 or 1 of a power of ten
    const divisions = lead === 2 ? 4 : 5;
    for (let i = 0; i <= divisions; i++) {
      const v = (top / divisions) * i;
      const yy = Math.round(y(v)) + 0.5;
      g.beginPath();
      g.moveTo(pad.left, yy);
      g.lineTo(pad.left + w, yy);
      g.stroke();
      g.fillText(compact(v), pad.left - 6, yy);
    }
    g.textAlign = "center";
    g.textBaseline = "top";
    const step = w / (span / tick) < 44 ? tick * 2 : tick; // fewer labels on a narrow screen
    for (let ago = span; ago >= 0; ago -= step) {
      const label = ago === 0 ? "now" : ago % 60_000 === 0 ? `-${ago / 60_000}m` : `-${ago / 1000}s`;
      g.fillText(label, Math.max(pad.left + 8, Math.min(x(now - ago), pad.left + w - 10)), pad.top + h + 6);
    }

    const visible = this.points.filter((p) => p.at >= start);
    if (visible.length < 2) return;
    for (const s of SERIES) {
      const color = css.getPropertyValue(s.color).trim();
      g.beginPath();
      visible.forEach((p, i) => (i ? g.lineTo(x(p.at), y(p[s.key])) : g.moveTo(x(p.at), y(p[s.key]))));
      g.strokeStyle = color;
      g.lineWidth = 2;
      g.lineJoin = "round";
      g.stroke();
      if (s.fill) {
        g.lineTo(x(visible[visible.length - 1].at), y(0));
        g.lineTo(x(visible[0].at), y(0));
        g.closePath();
        const grad = g.createLinearGradient(0, pad.top, 0, pad.top + h);
        grad.addColorStop(0, withAlpha(color, 0.35));
        grad.addColorStop(1, withAlpha(color, 0.02));
        g.fillStyle = grad;
        g.fill();
      }
    }
  }
}

/** 1, 2, 5 × 10^n at or above v, so the axis reads in round numbers. */
function niceCeiling(v) {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function compact(v) {
  return v >= 1000 ? `${(v / 1000).toFixed(v >= 10_000 ? 0 : 1)}k` : String(Math.round(v * 10) / 10);
}

/** #rrggbb with an alpha, for the area under the accepted line. */
function withAlpha(hex, alpha) {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return hex;
  return `rgba(${parseInt(m[1], 16)}, ${parseInt(m[2], 16)}, ${parseInt(m[3], 16)}, ${alpha})`;
}
