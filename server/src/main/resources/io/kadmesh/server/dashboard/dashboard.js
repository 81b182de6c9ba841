// The kadmesh dashboard: fetches api/status every 2 s and draws it. Plain DOM and SVG, no library.
// Everything the node sends is shown as text (textContent, attribute values), never parsed as
// markup: node IDs, addresses and failure messages come from the network.
"use strict";

const REFRESH_MS = 2000;
const HISTORY = 60; // rate samples kept: two minutes at one per refresh
const SVG = "http://www.w3.org/2000/svg";

// The rate chart's series: counter families summed over their labels.
const RATE_SERIES = [
  { name: "API calls", family: "kadmesh_api_requests_total" },
  { name: "peer calls served", family: "kadmesh_peer_requests_total" },
  { name: "peer requests sent", family: "kadmesh_peer_client_requests_total" },
  { name: "errors", family: ["kadmesh_api_requests_total", "kadmesh_peer_requests_total"], errorsOnly: true },
];

// The histograms drawn, in order; seconds are shown in milliseconds.
const HISTOGRAMS = [
  { family: "kadmesh_api_request_duration_seconds", title: "API calls", seconds: true },
  { family: "kadmesh_peer_request_duration_seconds", title: "Peer calls served", seconds: true },
  { family: "kadmesh_peer_client_request_duration_seconds", title: "Peer requests sent", seconds: true },
  { family: "kadmesh_lookup_hops", title: "Lookup hops", seconds: false },
  { family: "kadmesh_lookup_rpcs", title: "Requests per lookup", seconds: false },
];

const state = { nodeId: null, previous: null, history: [] };

function $(id) { return document.getElementById(id); }

function setText(id, value) { $(id).textContent = String(value); }

// An element with attributes and children; string children become text nodes.
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

function svg(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = String(text);
  return e;
}

function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

function formatBytes(n) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(1)) + " " + units[i];
}

function formatDuration(seconds) {
  seconds = Math.max(0, Math.floor(seconds));
  const d = Math.floor(seconds / 86400), h = Math.floor(seconds / 3600) % 24;
  const m = Math.floor(seconds / 60) % 60, s = seconds % 60;
  if (d > 0) return d + "d " + h + "h " + m + "m";
  if (h > 0) return h + "h " + m + "m " + s + "s";
  if (m > 0) return m + "m " + s + "s";
  return s + "s";
}

function formatNumber(x) {
  if (x === 0) return "0";
  if (Math.abs(x) >= 100) return Math.round(x).toLocaleString("en");
  if (Math.abs(x) >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

function formatLatency(seconds) {
  if (!isFinite(seconds)) return "> last bucket";
  const ms = seconds * 1000;
  return ms >= 1000 ? (ms / 1000).toFixed(ms >= 10000 ? 0 : 1) + " s" : (ms >= 10 ? ms.toFixed(0) : ms.toFixed(1)) + " ms";
}

// A bucket bound in a few characters, for an axis: 5ms, 250ms, 2.5s.
function shortLatency(seconds) {
  return seconds < 1 ? +(seconds * 1000).toPrecision(3) + "ms" : +seconds.toPrecision(3) + "s";
}

function upperBound(le) { return le === "+Inf" ? Infinity : Number(le); }

// ---- rates ---------------------------------------------------------------------------------

// A call the node answered with an error; one the caller cancelled is counted apart (lookups
// cancel what they no longer need, watchers cancel their streams when done).
function isError(code) { return code !== undefined && code !== "OK" && code !== "CANCELLED"; }

function counterTotals(metrics) {
  const totals = {};
  for (const series of RATE_SERIES) {
    const families = [].concat(series.family);
    let sum = 0;
    for (const f of families) {
      for (const p of metrics.counters[f] || []) {
        if (!series.errorsOnly || isError(p.labels.code)) sum += p.value;
      }
    }
    totals[series.name] = sum;
  }
  return totals;
}

function methodTotals(metrics) {
  const out = {};
  for (const [port, family] of [["api", "kadmesh_api_requests_total"], ["peer", "kadmesh_peer_requests_total"]]) {
    for (const p of metrics.counters[family] || []) {
      const key = port + " " + p.labels.method;
      const t = out[key] || (out[key] = { port: port, method: p.labels.method, calls: 0, errors: 0, cancelled: 0 });
      t.calls += p.value;
      if (isError(p.labels.code)) t.errors += p.value;
      if (p.labels.code === "CANCELLED") t.cancelled += p.value;
    }
  }
  return out;
}

// One rate sample from the counters' change since the previous refresh, by the node's clock.
function sampleRates(data) {
  const now = Date.parse(data.node.now);
  const totals = counterTotals(data.metrics);
  const methods = methodTotals(data.metrics);
  const prev = state.previous;
  state.previous = { now: now, totals: totals, methods: methods };
  if (!prev || now <= prev.now) return null;
  const dt = (now - prev.now) / 1000;
  const rates = {};
  for (const name of Object.keys(totals)) {
    const delta = totals[name] - prev.totals[name];
    if (delta < 0) return null; // the counters started again: no rate across a restart
    rates[name] = delta / dt;
  }
  const methodRates = {};
  for (const key of Object.keys(methods)) {
    methodRates[key] = (methods[key].calls - ((prev.methods[key] || { calls: 0 }).calls)) / dt;
  }
  state.history.push({ t: now, rates: rates });
  if (state.history.length > HISTORY) state.history.shift();
  return methodRates;
}

function niceMax(x) {
  if (x <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(x)));
  for (const m of [1, 2, 5, 10]) if (x <= m * p) return m * p;
  return 10 * p;
}

function drawRates() {
  const chart = $("rate-chart");
  clear(chart);
  const W = 900, H = 220, L = 50, R = 10, T = 10, B = 24;
  const legend = $("rate-legend");
  clear(legend);
  RATE_SERIES.forEach((s, i) => {
    const last = state.history.length ? state.history[state.history.length - 1].rates[s.name] : undefined;
    legend.append(el("span", { "data-series": s.name }, el("span", { class: "swatch series-" + i }),
      s.name + (last === undefined ? "" : ": " + formatNumber(last) + "/s")));
  });
  if (state.history.length < 2) {
    chart.append(svg("text", { x: W / 2, y: H / 2, "text-anchor": "middle", class: "empty" }, "measuring… (a rate needs two refreshes)"));
    return;
  }
  let max = 0;
  for (const h of state.history) for (const v of Object.values(h.rates)) max = Math.max(max, v);
  max = niceMax(max);
  const t0 = state.history[0].t, t1 = state.history[state.history.length - 1].t;
  const x = (t) => L + (t1 === t0 ? 0 : (t - t0) / (t1 - t0)) * (W - L - R);
  const y = (v) => T + (1 - v / max) * (H - T - B);
  for (const v of [0, max / 2, max]) {
    chart.append(svg("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), class: "axis" }));
    chart.append(svg("text", { x: L - 6, y: y(v) + 4, "text-anchor": "end" }, formatNumber(v)));
  }
  const span = (t1 - t0) / 1000;
  chart.append(svg("text", { x: L, y: H - 6 }, span < 1 ? "−" + Math.round(span * 1000) + " ms" : "−" + formatDuration(span)));
  chart.append(svg("text", { x: W - R, y: H - 6, "text-anchor": "end" }, "now"));
  RATE_SERIES.forEach((s, i) => {
    const points = state.history.map((h) => x(h.t).toFixed(1) + "," + y(h.rates[s.name]).toFixed(1)).join(" ");
    const line = svg("polyline", { points: points, class: "rate-line series-" + i, "data-series": s.name });
    line.append(svg("title", {}, s.name));
    chart.append(line);
  });
}

// ---- histograms ----------------------------------------------------------------------------

// The family's buckets summed over its label values (they share their bounds), per bucket.
function mergedBuckets(points) {
  const byLe = new Map();
  let count = 0;
  for (const p of points) {
    count += p.count;
    for (const b of p.buckets) byLe.set(String(b.le), (byLe.get(String(b.le)) || 0) + b.count);
  }
  const buckets = [...byLe.entries()].map(([le, n]) => ({ le: upperBound(le), count: n }))
    .sort((a, b) => a.le - b.le);
  return { count: count, buckets: buckets };
}

// The bucket bound under which a fraction q of the observations fall (an upper estimate).
function quantile(buckets, q) {
  const total = buckets.reduce((s, b) => s + b.count, 0);
  if (total === 0) return NaN;
  let seen = 0;
  for (const b of buckets) {
    seen += b.count;
    if (seen >= q * total) return b.le;
  }
  return Infinity;
}

function drawHistogram(spec, points) {
  const box = el("div", { class: "histogram", "data-family": spec.family });
  const merged = mergedBuckets(points);
  const label = (le) => !isFinite(le) ? "more" : spec.seconds ? shortLatency(le) : "≤" + le;
  const summary = merged.count === 0 ? "none yet" : "n=" + merged.count + ", p50 ≤ " +
    (spec.seconds ? formatLatency(quantile(merged.buckets, 0.5)) : quantile(merged.buckets, 0.5)) + ", p99 ≤ " +
    (spec.seconds ? formatLatency(quantile(merged.buckets, 0.99)) : quantile(merged.buckets, 0.99));
  box.append(el("h3", {}, spec.title + " ", el("span", { class: "muted" }, "(" + summary + ")")));
  const W = 420, H = 150, L = 36, B = 22, T = 8;
  const chart = svg("svg", { class: "chart", viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": spec.title });
  box.append(chart);
  if (merged.count === 0) {
    chart.append(svg("text", { x: W / 2, y: H / 2, "text-anchor": "middle", class: "empty" }, "no observations yet"));
    return box;
  }
  const max = niceMax(Math.max(...merged.buckets.map((b) => b.count)));
  const n = merged.buckets.length, slot = (W - L) / n;
  chart.append(svg("text", { x: L - 4, y: T + 8, "text-anchor": "end" }, formatNumber(max)));
  chart.append(svg("line", { x1: L, x2: W, y1: H - B, y2: H - B, class: "axis" }));
  // Every label where they fit side by side, else every other one.
  const longest = Math.max(...merged.buckets.map((b) => label(b.le).length));
  const every = longest * 6.5 > slot ? 2 : 1;
  merged.buckets.forEach((b, i) => {
    const h = (b.count / max) * (H - B - T);
    const bar = svg("rect", { class: "hist-bar", x: L + i * slot + 1, y: H - B - h, width: Math.max(1, slot - 2), height: h, "data-count": b.count });
    bar.append(svg("title", {}, label(b.le) + ": " + b.count));
    chart.append(bar);
    if (i % every === 0) {
      chart.append(svg("text", { x: L + (i + 0.5) * slot, y: H - B + 12, "text-anchor": "middle" }, label(b.le)));
    }
  });
  return box;
}

function drawHistograms(metrics) {
  const grid = $("histograms");
  clear(grid);
  for (const spec of HISTOGRAMS) grid.append(drawHistogram(spec, metrics.histograms[spec.family] || []));
}

// ---- the rest ------------------------------------------------------------------------------

function drawBuckets(routing, k) {
  const chart = $("bucket-chart");
  clear(chart);
  const W = 900, H = 160, L = 44, B = 22, T = 8;
  const buckets = routing.buckets;
  if (buckets.length === 0) {
    chart.append(svg("text", { x: W / 2, y: H / 2, "text-anchor": "middle", class: "empty" }, "no contacts yet"));
    return;
  }
  const max = Math.max(k, ...buckets.map((b) => b.contacts + b.replacements));
  const slot = Math.min(60, (W - L) / buckets.length);
  const y = (v) => (v / max) * (H - B - T);
  chart.append(svg("text", { x: L - 4, y: H - B - y(k) + 4, "text-anchor": "end" }, "k=" + k));
  chart.append(svg("line", { x1: L, x2: W, y1: H - B - y(k), y2: H - B - y(k), class: "axis" }));
  buckets.forEach((b, i) => {
    const x = L + i * slot + 2, w = Math.max(2, slot - 4);
    const bar = svg("rect", { class: "bucket-bar", "data-bucket": b.index, "data-contacts": b.contacts,
      x: x, y: H - B - y(b.contacts), width: w, height: y(b.contacts) });
    bar.append(svg("title", {}, "bucket " + b.index + ": " + b.contacts + " contacts, " + b.replacements + " waiting"));
    chart.append(bar);
    if (b.replacements > 0) {
      const top = H - B - y(b.contacts + b.replacements);
      chart.append(svg("rect", { class: "bucket-replacements", x: x, y: top, width: w, height: y(b.replacements) }));
    }
    chart.append(svg("text", { x: x + w / 2, y: H - 6, "text-anchor": "middle" }, b.index));
  });
}

function drawMethods(metrics, methodRates) {
  const body = $("methods").tBodies[0];
  clear(body);
  const totals = methodTotals(metrics);
  const latency = {};
  for (const [port, family] of [["api", "kadmesh_api_request_duration_seconds"], ["peer", "kadmesh_peer_request_duration_seconds"]]) {
    for (const p of metrics.histograms[family] || []) latency[port + " " + p.labels.method] = mergedBuckets([p]).buckets;
  }
  const keys = Object.keys(totals).sort((a, b) => totals[b].calls - totals[a].calls);
  if (keys.length === 0) body.append(el("tr", {}, el("td", { class: "none", colspan: 8 }, "no calls yet")));
  for (const key of keys) {
    const t = totals[key], b = latency[key] || [];
    const rate = methodRates && methodRates[key] !== undefined ? formatNumber(methodRates[key]) : "…";
    body.append(el("tr", { "data-method": t.method },
      el("td", {}, t.port), el("td", {}, t.method), el("td", { class: "num" }, t.calls),
      el("td", { class: "num" }, t.errors), el("td", { class: "num" }, t.cancelled), el("td", { class: "num rate" }, rate),
      el("td", { class: "num" }, b.length ? formatLatency(quantile(b, 0.5)) : ""),
      el("td", { class: "num" }, b.length ? formatLatency(quantile(b, 0.99)) : "")));
  }
}

function drawPeers(peers, now) {
  const body = $("peers").tBodies[0];
  clear(body);
  setText("peer-summary", "(" + (peers.listed.length < peers.total ? peers.listed.length + " of " : "") + peers.total + ")");
  // Closest neighbours (the highest buckets) first.
  const listed = peers.listed.slice().sort((a, b) => b.bucket - a.bucket || a.id.localeCompare(b.id));
  if (listed.length === 0) body.append(el("tr", {}, el("td", { class: "none", colspan: 5 }, "none: this node knows no other node yet")));
  for (const p of listed) {
    const seen = p.lastSeen === null ? "not since promoted" : formatDuration((now - Date.parse(p.lastSeen)) / 1000) + " ago";
    const st = p.stale ? "stale (" + p.failures + " failures)" : p.failures > 0 ? "live, " + p.failures + " failed" : "live";
    body.append(el("tr", { class: p.stale ? "peer stale" : "peer" },
      el("td", { class: "mono", title: p.id }, p.id.slice(0, 16) + "…"), el("td", { class: "mono" }, p.address),
      el("td", { class: "num" }, p.bucket), el("td", { title: p.lastSeen || "" }, seen), el("td", {}, st)));
  }
}

function drawFailures(failures) {
  const body = $("failures").tBodies[0];
  clear(body);
  if (failures.length === 0) body.append(el("tr", {}, el("td", { class: "none", colspan: 5 }, "none since the node started")));
  for (const f of failures) {
    body.append(el("tr", { class: "failure" },
      el("td", { title: f.at }, new Date(f.at).toLocaleTimeString()), el("td", {}, f.port),
      el("td", {}, f.method), el("td", { class: "code" }, f.code), el("td", {}, f.message)));
  }
}

function render(data) {
  const n = data.node;
  if (state.nodeId !== n.id) { // another node answers at this address now: start the rates afresh
    state.nodeId = n.id;
    state.previous = null;
    state.history = [];
  }
  document.title = "kadmesh " + n.id.slice(0, 8) + " · " + n.network;
  setText("node-short", n.id.slice(0, 8));
  setText("node-id", n.id);
  setText("network", n.network);
  setText("peer-address", n.peerAddress);
  setText("api-address", n.apiAddress);
  setText("advertise-address", n.advertiseAddress);
  setText("uptime", formatDuration(n.uptimeSeconds) + " (since " + new Date(n.startedAt).toLocaleString() + ")");
  setText("params", n.k + " · " + n.alpha + " · " + n.writeQuorum);
  const serving = $("serving");
  serving.textContent = n.serving ? "serving" : "cut off: no live peer";
  serving.className = "badge " + (n.serving ? "good" : "bad");

  const s = data.storage;
  setText("records", s.records.toLocaleString("en"));
  setText("max-records", s.maxRecords.toLocaleString("en"));
  setText("stored-bytes", formatBytes(s.storedBytes));
  setText("max-stored-bytes", formatBytes(s.maxStoredBytes));
  $("records-meter").max = Math.max(1, s.maxRecords);
  $("records-meter").value = s.records;
  $("bytes-meter").max = Math.max(1, s.maxStoredBytes);
  $("bytes-meter").value = s.storedBytes;
  setText("engine", s.engine);
  setText("data-dir", s.dataDirectory || "none (nothing kept on disk)");

  const r = data.routing;
  setText("contact-count", r.contacts);
  setText("live-count", r.liveContacts);
  setText("bucket-count", r.buckets.length);
  setText("replacement-count", r.buckets.reduce((sum, b) => sum + b.replacements, 0));

  const methodRates = sampleRates(data);
  drawBuckets(r, n.k);
  drawRates();
  drawMethods(data.metrics, methodRates);
  drawHistograms(data.metrics);
  drawPeers(data.peers, Date.parse(n.now));
  drawFailures(data.failures);
}

async function refresh() {
  try {
    const response = await fetch("api/status", { cache: "no-store" });
    if (!response.ok) throw new Error("HTTP " + response.status);
    render(await response.json());
    document.body.classList.remove("unreachable");
    setText("refresh-state", "updated " + new Date().toLocaleTimeString());
  } catch (e) {
    document.body.classList.add("unreachable");
    setText("refresh-state", "cannot reach the node (" + e.message + "); retrying");
  } finally {
    setTimeout(refresh, REFRESH_MS);
  }
}

refresh();
