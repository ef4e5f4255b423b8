// The console page: polls the JSON API and draws what it returns. Every value from a
// webhook is set as text (textContent), never as HTML.
"use strict";

const csrf = document.querySelector('meta[name="csrf"]').content;
const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
const PALETTE = ["#2563eb", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777", "#4b5563"];
let spool = false;
let openId = null;
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

function colour(command) {
  let hash = 0;
  for (const char of command) hash = (hash * 31 + char.codePointAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length];
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

function drawChart(minutes) {
  const chart = $("chart");
  chart.replaceChildren();
  const now = Date.now();
  const start = now - (now % 60000) - 59 * 60000;
  const width = 600 / 60;
  let peak = 1;
  for (const minute of minutes) {
    const total = Object.values(minute.counts).reduce((a, b) => a + b, 0) + minute.refused;
    peak = Math.max(peak, total);
  }
  const seen = new Set();
  for (const minute of minutes) {
    const slot = Math.round((minute.start_ms - start) / 60000);
    if (slot < 0 || slot > 59) continue;
    let y = 160;
    const parts = Object.entries(minute.counts).map(([command, count]) => [command, count, colour(command)]);
    if (minute.refused) parts.push(["refused", minute.refused, "#dc2626"]);
    for (const [name, count, fill] of parts) {
      seen.add(name);
      const height = (count / peak) * 150;
      y -= height;
      const bar = document.createElementNS(SVG, "rect");
      bar.setAttribute("x", String(slot * width + 1));
      bar.setAttribute("y", String(y));
      bar.setAttribute("width", String(width - 2));
      bar.setAttribute("height", String(height));
      bar.setAttribute("fill", fill);
      const title = document.createElementNS(SVG, "title");
      title.textContent = name + ": " + count;
      bar.appendChild(title);
      chart.appendChild(bar);
    }
  }
  const legend = $("legend");
  legend.replaceChildren();
  for (const name of [...seen].sort()) {
    const item = text("span", name);
    item.style.setProperty("--swatch", name === "refused" ? "#dc2626" : colour(name));
    legend.appendChild(item);
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

function drawRows(entries) {
  const rows = $("rows");
  rows.replaceChildren();
  for (const entry of entries) {
    const row = document.createElement("tr");
    row.dataset.id = entry.id;
    row.append(
      text("td", time(entry.received_at_ms)),
      text("td", entry.name || entry.command),
      text("td", entry.sdkappid),
      text("td", entry.room),
      text("td", entry.state, "state-" + entry.state),
      text("td", entry.attempts),
      text("td", entry.last_status),
    );
    if (entry.id === openId) row.classList.add("selected");
    row.addEventListener("click", () => open(entry.id, row));
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
  $("detail-id").textContent = detail.id;
  const fields = $("fields");
  fields.replaceChildren();
  const shown = [
    ["received", time(detail.received_at_ms)], ["event", detail.name || detail.command],
    ["command", detail.command], ["app", detail.sdkappid],
    ["room", detail.room], ["state", detail.state], ["attempts", detail.attempts],
    ["last status", detail.last_status], ["last error", detail.last_error],
    ["next attempt", detail.next_attempt_at_ms ? time(detail.next_attempt_at_ms) : null],
  ];
  for (const [name, value] of shown) fields.append(text("dt", name), text("dd", value));
  $("query").textContent = detail.query;
  $("body").textContent = $("exact").checked ? detail.body : pretty(detail.body);
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

async function open(id, row) {
  openId = id;
  for (const selected of document.querySelectorAll("#rows tr.selected")) selected.classList.remove("selected");
  if (row) row.classList.add("selected");
  try {
    drawDetail(await api("/api/webhooks/" + encodeURIComponent(id)));
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
    if (summary.spool !== spool || !$("state").dataset.filled) {
      spool = summary.spool;
      document.body.classList.toggle("no-spool", !spool);
      const states = spool ? ["pending", "delivered", "dead"] : ["answered", "failed"];
      const select = $("state");
      select.replaceChildren(text("option", "all"));
      select.firstChild.value = "";
      for (const state of states) {
        const option = text("option", state);
        option.value = state;
        select.appendChild(option);
      }
      select.dataset.filled = "1";
    }
    drawCounters(summary);
    drawChart(summary.minutes);
    const query = new URLSearchParams({ command: $("command").value, state: $("state").value });
    const entries = await api("/api/webhooks?" + query);
    fillCommands(entries);
    drawRows(entries);
    if (openId) drawDetail(await api("/api/webhooks/" + encodeURIComponent(openId)));
    $("status").textContent = "updated " + new Date().toLocaleTimeString();
  } catch (error) {
    $("status").textContent = "not updated: " + error.message;
  }
}

$("command").addEventListener("change", refresh);
$("state").addEventListener("change", refresh);
$("exact").addEventListener("change", () => openDetail && drawDetail(openDetail));
$("close").addEventListener("click", () => { openId = null; openDetail = null; $("detail").hidden = true; });
$("retry-one").addEventListener("click", () =>
  openId && change("/api/webhooks/" + encodeURIComponent(openId) + "/retry", () => "retried"));
$("retry-pending").addEventListener("click", () =>
  change("/api/retry-pending", (r) => r.retried + " made due now"));
$("retry-dead").addEventListener("click", () => change("/api/retry-dead", (r) => r.retried + " retried"));
$("purge-dead").addEventListener("click", () => change("/api/purge?state=dead", (r) => r.purged + " purged"));
$("purge-delivered").addEventListener("click", () =>
  change("/api/purge?state=delivered", (r) => r.purged + " purged"));
refresh();
setInterval(refresh, 2000);
