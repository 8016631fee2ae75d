'use strict';
// Draws docs/benchmarks.svg from a results file (default bench/results/latest.json): for each
// scenario, each server's median over the rounds of delivered messages/s and server CPU per
// delivery, side by side. Plain SVG, no dependency.
//   node bench/chart.js [results.json] [out.svg]
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const file = process.argv[2] || path.join(ROOT, 'bench', 'results', 'latest.json');
const out = process.argv[3] || path.join(ROOT, 'docs', 'benchmarks.svg');
const results = JSON.parse(fs.readFileSync(file, 'utf8'));
const COLORS = { herald: '#2b6cb0', tyrus: '#a0aec0', node: '#68a063' };

function median(xs) {
  const s = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  if (!s.length) {
    return 0;
  }
  const m = s.length >> 1;
  return +(s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2).toFixed(2);
}

const panels = [];
for (const [name, sc] of Object.entries(results.scenarios)) {
  const runs = (sc.runs || []).filter((r) => !r.error && !r.pending);
  if (!runs.length || runs[0].delivered_per_s === undefined || name.startsWith('b_')) {
    continue;
  }
  const servers = [...new Set(runs.map((r) => r.server))];
  for (const [metric, label] of [['delivered_per_s', 'delivered messages/s (higher is better)'],
    ['server_cpu_us_per_delivery', 'server CPU µs per delivery (lower is better)']]) {
    panels.push({ title: `${name}: ${label}`,
      bars: servers.map((s) => ({ server: s, value: median(runs.filter((r) => r.server === s).map((r) => r[metric])) })) });
  }
}
const idle = Object.entries(results.scenarios).find(([n]) => n.startsWith('c_'));
if (idle) {
  const runs = idle[1].runs.filter((r) => !r.error);
  const servers = [...new Set(runs.map((r) => r.server))];
  panels.push({ title: `${idle[0]}: RSS KB per idle connection (lower is better)`,
    bars: servers.map((s) => ({ server: s, value: median(runs.filter((r) => r.server === s).map((r) => r.rss_kb_per_connection)) })) });
}

const W = 520;
const PH = 150;
const cols = 2;
const rows = Math.ceil(panels.length / cols);
const H = rows * PH + 70;
let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W * cols}" height="${H}" font-family="sans-serif" font-size="12">\n`;
svg += `<rect width="100%" height="100%" fill="white"/>\n`;
svg += `<text x="10" y="18" font-size="15" font-weight="bold">Herald vs bare Tyrus vs Node ws: same run, median of ${results.rounds} alternating rounds</text>\n`;
const loads = Object.values(results.scenarios).flatMap((sc) => sc.runs.map((r) => r.loadavg_1m)).filter((x) => typeof x === 'number');
const loadRange = loads.length ? `${Math.min(...loads)}–${Math.max(...loads)}` : 'not recorded';
svg += `<text x="10" y="34" fill="#555">${results.started.slice(0, 16)}Z, ${results.machine.nproc} cores shared with the load generator (1-min load average ${loadRange}); see docs/benchmarks.md for what limits each number</text>\n`;
panels.forEach((p, i) => {
  const x0 = (i % cols) * W + 10;
  const y0 = Math.floor(i / cols) * PH + 48;
  const max = Math.max(...p.bars.map((b) => b.value), 1e-9);
  svg += `<text x="${x0}" y="${y0 + 14}" font-weight="bold">${p.title}</text>\n`;
  p.bars.forEach((b, j) => {
    const y = y0 + 26 + j * 32;
    const w = Math.max(1, (b.value / max) * (W - 200));
    svg += `<text x="${x0}" y="${y + 17}">${b.server}</text>`;
    svg += `<rect x="${x0 + 60}" y="${y}" width="${w.toFixed(1)}" height="24" fill="${COLORS[b.server] || '#718096'}"/>`;
    svg += `<text x="${x0 + 66 + w}" y="${y + 17}">${b.value >= 1000 ? Math.round(b.value).toLocaleString('en') : b.value}</text>\n`;
  });
});
svg += '</svg>\n';
fs.writeFileSync(out, svg);
console.log('chart written to ' + out);
