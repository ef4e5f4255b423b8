// The console page: polls the JSON API and draws what it returns. Every value from a
// webhook is set as text (textContent), never as HTML.
"use strict";

const csrf = document.querySelector('meta[name="csrf"]').content;
const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
const PALETTE = ["#2563eb", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777", "#4b5563"];
let spool = false;
// The API path of the open row's detail: a spool entry's, or a remembered row's.
let openPath = null;
let offeredStates = "";
let openDetail = null;
const commands = new Set();

function text(tag, value, className) {
  const element = document.createElement(tag);
  element.textContent = value === null || value === undefined ? "–" : String(value);
  if (className) element.className = className;
  return element;
}

function time(ms) {
  return ms ? new Date(ms).toLocaleString() : "–";
}

// Each command keeps the style it got first: a colour and a pattern, so that no two of
// the first 64 look alike even without colour vision. Refusals are red and crossed.
const PATTERNS = ["solid", "diagonal", "dots", "horizontal", "grid", "vertical", "back", "rings"];
const styles = new Map();

function styleOf(name) {
  if (name === "refused") return { colour: "#dc2626", pattern: "cross", id: "style-refused" };
  if (!styles.has(name)) {
    const index = styles.size;
    styles.set(name, {
      colour: PALETTE[index % PALETTE.length],
      pattern: PATTERNS[(index + Math.floor(index / PATTERNS.length)) % PATTERNS.length],
      id: "style-" + index,
    });
  }
  return styles.get(name);
}

function svg(tag, attributes) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

// The fill of a style: a plain colour, or a pattern of the colour on a paler ground.
function fillOf(style, defs) {
  if (style.pattern === "solid") return style.colour;
  if (!defs.querySelector("#" + style.id)) {
    const pattern = svg("pattern", { id: style.id, width: 6, height: 6, patternUnits: "userSpaceOnUse" });
    pattern.append(svg("rect", { width: 6, height: 6, fill: style.colour, "fill-opacity": 0.3 }));
    const ink = { stroke: style.colour, "stroke-width": 1.6 };
    const marks = {
      diagonal: [["line", { x1: 0, y1: 6, x2: 6, y2: 0 }]],
      back: [["line", { x1: 0, y1: 0, x2: 6, y2: 6 }]],
      horizontal: [["line", { x1: 0, y1: 3, x2: 6, y2: 3 }]],
      vertical: [["line", { x1: 3, y1: 0, x2: 3, y2: 6 }]],
      grid: [["line", { x1: 0, y1: 3, x2: 6, y2: 3 }], ["line", { x1: 3, y1: 0, x2: 3, y2: 6 }]],
      cross: [["line", { x1: 0, y1: 6, x2: 6, y2: 0 }], ["line", { x1: 0, y1: 0, x2: 6, y2: 6 }]],
      dots: [["circle", { cx: 3, cy: 3, r: 1.5, fill: style.colour }]],
      rings: [["circle", { cx: 3, cy: 3, r: 1.8, fill: "none" }]],
    }[style.pattern];
    for (const [tag, attributes] of marks) pattern.append(svg(tag, Object.assign({}, ink, attributes)));
    defs.appendChild(pattern);
  }
  return "url(#" + style.id + ")";
}

async function api(path, options) {
  const response = await fetch(path, Object.assign({ credentials: "same-origin", cache: "no-store" }, options));
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || ("HTTP " + response.status));
  return body;
}

function say(message, bad) {
  const element = $("message");
  element.textContent = message;
  element.className = bad ? "state-failed" : "muted";
}

function drawCounters(summary) {
  $("received").textContent = summary.received;
  $("refused").textContent = summary.refused;
  $("duplicates").textContent = summary.duplicates;
  $("pending").textContent = summary.pending ?? "–";
  $("dead").textContent = summary.dead ?? "–";
  $("oldest").textContent = summary.oldest_pending_age_s ? summary.oldest_pending_age_s + " s" : "–";
}

// The plot: 60 one-minute slots between x 40 and 640, counts from y 160 (0) up to y 10.
const PLOT = { left: 40, width: 600, top: 10, bottom: 160 };

function drawChart(minutes) {
  const chart = $("chart");
  chart.replaceChildren();
  const defs = svg("defs", {});
  chart.appendChild(defs);
  const now = Date.now();
  const start = now - (now % 60000) - 59 * 60000;
  const width = PLOT.width / 60;
  const height = PLOT.bottom - PLOT.top;
  let peak = 1;
  for (const minute of minutes) {
    const total = Object.values(minute.counts).reduce((a, b) => a + b, 0) + minute.refused;
    peak = Math.max(peak, total);
  }
  drawAxes(chart, peak);
  const seen = new Set();
  for (const minute of minutes) {
    const slot = Math.round((minute.start_ms - start) / 60000);
    if (slot < 0 || slot > 59) continue;
    let y = PLOT.bottom;
    const parts = Object.entries(minute.counts).sort(([a], [b]) => (a < b ? -1 : 1));
    if (minute.refused) parts.push(["refused", minute.refused]);
    for (const [name, count] of parts) {
      seen.add(name);
      const bar = (count / peak) * height;
      y -= bar;
      const rect = svg("rect", {
        x: PLOT.left + slot * width + 1, y, width: width - 2, height: bar,
        fill: fillOf(styleOf(name), defs), stroke: styleOf(name).colour, "stroke-width": 0.5,
      });
      rect.dataset.command = name;
      const title = document.createElementNS(SVG, "title");
      title.textContent = name + ": " + count + " at " + new Date(minute.start_ms).toLocaleTimeString();
      rect.appendChild(title);
      chart.appendChild(rect);
    }
  }
  const legend = $("legend");
  legend.replaceChildren();
  for (const name of [...seen].sort()) {
    const style = styleOf(name);
    const item = document.createElement("span");
    item.dataset.colour = style.colour;
    item.dataset.pattern = style.pattern;
    const swatch = svg("svg", { width: 12, height: 12, viewBox: "0 0 12 12", "aria-hidden": "true" });
    swatch.append(svg("rect", { width: 12, height: 12, fill: fillOf(style, defs), stroke: style.colour }));
    item.append(swatch, text("span", name));
    legend.appendChild(item);
  }
}

// A count axis (0, half, the peak) and a time axis (60 minutes ago to now).
function drawAxes(chart, peak) {
  const height = PLOT.bottom - PLOT.top;
  for (const value of [...new Set([0, Math.round(peak / 2), peak])]) {
    const y = PLOT.bottom - (value / peak) * height;
    chart.append(svg("line", { x1: PLOT.left, y1: y, x2: PLOT.left + PLOT.width, y2: y, class: "gridline" }));
    const label = svg("text", { x: PLOT.left - 4, y: y + 3, "text-anchor": "end", class: "axis axis-count" });
    label.textContent = String(value);
    chart.append(label);
  }
  for (const [ago, anchor] of [[60, "start"], [45, "middle"], [30, "middle"], [15, "middle"], [0, "end"]]) {
    const x = PLOT.left + PLOT.width * (1 - ago / 60);
    const label = svg("text", { x, y: PLOT.bottom + 14, "text-anchor": anchor, class: "axis axis-time" });
    label.textContent = ago === 0 ? "now" : "−" + ago + " min";
    chart.append(label);
  }
}

function fillCommands(entries) {
  const select = $("command");
  let added = false;
  for (const entry of entries) {
    if (!commands.has(entry.command)) {
      commands.add(entry.command);
      added = true;
    }
  }
  if (!added) return;
  const chosen = select.value;
  select.replaceChildren(text("option", "all"));
  select.firstChild.value = "";
  for (const command of [...commands].sort()) {
    const option = text("option", command);
    option.value = command;
    select.appendChild(option);
  }
  select.value = chosen;
}

// A spool entry opens by its id; a row the console remembers (a webhook answered without
// the spool, a duplicate, a refusal) by the number it was seen as.
function detailPath(entry) {
  return entry.seen !== undefined && entry.seen !== null
    ? "/api/seen/" + encodeURIComponent(entry.seen)
    : "/api/webhooks/" + encodeURIComponent(entry.id);
}

function drawRows(entries) {
  const rows = $("rows");
  rows.replaceChildren();
  for (const entry of entries) {
    const row = document.createElement("tr");
    const path = detailPath(entry);
    row.dataset.path = path;
    row.append(
      text("td", time(entry.received_at_ms)),
      text("td", entry.name || entry.what),
      text("td", entry.sdkappid),
      text("td", entry.room),
      text("td", entry.state, "state-" + entry.state),
      text("td", entry.decision),
      text("td", entry.attempts),
      text("td", entry.last_status),
    );
    if (path === openPath) row.classList.add("selected");
    row.addEventListener("click", () => open(path, row));
    rows.appendChild(row);
  }
  $("empty").hidden = entries.length > 0;
}

function pretty(body) {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch (_) {
    return body;
  }
}

function drawDetail(detail) {
  openDetail = detail;
  $("detail").hidden = false;
  $("detail-id").textContent = detail.id || detail.what;
  const fields = $("fields");
  fields.replaceChildren();
  // A remembered row was answered here: its status is the one sent back.
  const here = detail.seen !== undefined && detail.seen !== null;
  const shown = [
    ["received", time(detail.received_at_ms)], ["event", detail.name || detail.what],
    ["command", detail.command], ["app", detail.sdkappid],
    ["room", detail.room], ["state", detail.state], ["attempts", detail.attempts],
    ["status sent back", here ? detail.last_status : undefined],
    ["decision", detail.decision], ["answered by", detail.answered_by], ["went to", detail.went],
    ["last status", here ? undefined : detail.last_status],
    [detail.state === "refused" ? "reason" : "last error", detail.last_error],
    ["client", detail.client], ["path", detail.path],
    ["next attempt", detail.next_attempt_at_ms ? time(detail.next_attempt_at_ms) : null],
  ];
  for (const [name, value] of shown) {
    // A field the row does not have is left out; one it has without a value shows "–".
    if (value !== undefined) fields.append(text("dt", name), text("dd", value));
  }
  const kept = detail.query !== undefined;
  const none = "(not kept: a refused request keeps only why it was refused)";
  $("query").textContent = kept ? detail.query : none;
  $("body").textContent = !kept ? none : $("exact").checked ? detail.body : pretty(detail.body);
  const attempts = $("attempts");
  attempts.replaceChildren();
  for (const attempt of detail.history || []) {
    const row = document.createElement("tr");
    row.append(
      text("td", attempt.attempt), text("td", time(attempt.at_ms)), text("td", attempt.delivered ? "yes" : "no"),
      text("td", attempt.status), text("td", attempt.error),
    );
    attempts.appendChild(row);
  }
  $("retry-one").hidden = !(spool && (detail.state === "dead" || detail.state === "pending"));
}

async function open(path, row) {
  openPath = path;
  for (const selected of document.querySelectorAll("#rows tr.selected")) selected.classList.remove("selected");
  if (row) row.classList.add("selected");
  try {
    drawDetail(await api(path));
    // Where the eye is: the detail comes into view, not somewhere below the list.
    $("detail").scrollIntoView({ block: "nearest" });
  } catch (error) {
    say(error.message, true);
  }
}

async function change(path, done) {
  try {
    const result = await api(path, { method: "POST", headers: { "X-Live-Webhook-Csrf": csrf } });
    say(done(result));
    await refresh();
  } catch (error) {
    say(error.message, true);
  }
}

async function refresh() {
  try {
    const summary = await api("/api/summary");
    spool = summary.spool;
    document.body.classList.toggle("no-spool", !spool);
    if (summary.states.join() !== offeredStates) {
      offeredStates = summary.states.join();
      const select = $("state");
      const chosen = select.value;
      select.replaceChildren(text("option", "all"));
      select.firstChild.value = "";
      for (const state of summary.states) {
        const option = text("option", state);
        option.value = state;
        select.appendChild(option);
      }
      select.value = summary.states.includes(chosen) ? chosen : "";
    }
    drawCounters(summary);
    drawChart(summary.minutes);
    const query = new URLSearchParams({ command: $("command").value, state: $("state").value });
    const entries = await api("/api/webhooks?" + query);
    fillCommands(entries);
    drawRows(entries);
    if (openPath) drawDetail(await api(openPath));
    $("status").textContent = "updated " + new Date().toLocaleTimeString();
  } catch (error) {
    $("status").textContent = "not updated: " + error.message;
  }
}

$("command").addEventListener("change", refresh);
$("state").addEventListener("change", refresh);
$("exact").addEventListener("change", () => openDetail && drawDetail(openDetail));
$("close").addEventListener("click", () => { openPath = null; openDetail = null; $("detail").hidden = true; });
$("retry-one").addEventListener("click", () =>
  openDetail && change("/api/webhooks/" + encodeURIComponent(openDetail.id) + "/retry", () => "retried"));
$("retry-pending").addEventListener("click", () =>
  change("/api/retry-pending", (r) => r.retried + " made due now"));
$("retry-dead").addEventListener("click", () => change("/api/retry-dead", (r) => r.retried + " retried"));
$("purge-dead").addEventListener("click", () => change("/api/purge?state=dead", (r) => r.purged + " purged"));
$("purge-delivered").addEventListener("click", () =>
  change("/api/purge?state=delivered", (r) => r.purged + " purged"));
refresh();
setInterval(refresh, 2000);
