// Throwaway-grade mock of the `filo serve` API (httpapi/openapi.yaml) for UI work
// without the Go binary: node e2e/mock.mjs [port]. Serves web/dist too.
// It keeps everything in memory and is not a reference implementation.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { fileURLToPath } from "node:url";

const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "dist");
const port = Number(process.argv[2] || process.env.PORT || 8080);

const users = {
  alice: { password: "alice-e2e-password", role: "analyst", unit: "north" },
  sam: { password: "sam-e2e-password", role: "supervisor", unit: "north" },
  vic: { password: "vic-e2e-password", role: "viewer", unit: "north" },
};
const sessions = new Map(); // token -> {username, csrf}

// Deterministic fake data.
let seed = 1;
const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
const countries = ["DE", "NL", "PH", "RO", "US", "GB"];
const indicators = [
  { code: "B1", description: "Repeated small payments to a facilitator ring", source: "payments", roles: ["buyer"] },
  { code: "B2", description: "Payments coincide with live sessions", source: "sessions", roles: ["buyer"] },
  { code: "F1", description: "Many distinct payers from abroad", source: "payments", roles: ["facilitator"] },
];
const entities = [];
for (let i = 0; i < 300; i++) {
  entities.push({ id: "E" + String(i).padStart(4, "0"), name: i === 7 ? '<img src=x onerror=window.__xss=1> Mallory' : `Person ${i}`, country: countries[i % countries.length] });
}
const payments = [];
for (let i = 0; i < 1500; i++) {
  const a = entities[Math.floor(rnd() * 300)], b = entities[Math.floor(rnd() * 40)];
  if (a === b) continue;
  payments.push({ id: "P" + i, from: a.id, to: b.id, ts: new Date(Date.UTC(2025, 0, 1) + rnd() * 3e10).toISOString(), amount_usd: Math.round(rnd() * 500 * 100) / 100, line: i + 2 });
}
const leads = [];
for (let i = 0; i < 130; i++) {
  const e = entities[i < 20 ? i : 20 + i];
  const role = i < 20 ? "facilitator" : "buyer";
  leads.push({
    id: "L" + String(i + 1).padStart(4, "0"), role, rank: 0, score: Math.round(rnd() * 1000) / 100, name: e.name, country: e.country,
    indicators: role === "buyer" ? ["B1", "B2"].slice(0, 1 + (i % 2)) : ["F1"], entity_ids: [e.id],
    labels: i % 9 === 0 && role === "buyer" ? ["possible_fraud_victim"] : [],
  });
}
leads.sort((a, b) => b.score - a.score).forEach((l, i) => (l.rank = i + 1));
const triage = new Map(leads.map((l) => [l.id, { status: "new", assignee: "", unit: "", case_id: "" }]));
const cases = [];
const notes = new Map();
const disps = new Map();
const now = () => new Date().toISOString();

function leadOf(entityId) {
  return leads.find((l) => l.entity_ids.includes(entityId));
}
function row(l) {
  const t = triage.get(l.id);
  return { id: l.id, role: l.role, rank: l.rank, score: l.score, name: l.name, country: l.country, indicators: l.indicators, status: t.status, assignee: t.assignee, unit: t.unit, case_id: t.case_id, entity_ids: l.entity_ids };
}
function fullLead(l) {
  const ev = (n) => Array.from({ length: n }, (_, k) => ({ kind: "payment", record_id: "P" + k, file: "bank/payments.csv", line: k + 2, note: "payment to ring member" }));
  return {
    ...row(l), party_ids: ["party-" + l.entity_ids[0]], platform_accounts: ["cam:" + l.id], labels: l.labels,
    reasons: l.indicators.map((c, k) => ({ code: c, description: indicators.find((x) => x.code === c).description, source: "policy", contribution: (k + 1) * 1.5, detail: `${3 + k} payments`, evidence: ev(3 + k) })),
    attributions: [{ platform_account: "cam:" + l.id, entity_id: l.entity_ids[0], confidence: 0.9, method: "email_match", chain: ev(2) }],
  };
}
function network(id, limit) {
  const ps = payments.filter((p) => p.from === id || p.to === id);
  const ids = new Set([id]);
  for (const p of ps) { ids.add(p.from); ids.add(p.to); if (ids.size >= limit) break; }
  const agg = new Map();
  for (const p of payments) {
    if (!ids.has(p.from) || !ids.has(p.to)) continue;
    const k = p.from + ">" + p.to;
    const e = agg.get(k) || { source: p.from, target: p.to, count: 0, amount_usd: 0, first: p.ts, last: p.ts };
    e.count++; e.amount_usd += p.amount_usd; if (p.ts < e.first) e.first = p.ts; if (p.ts > e.last) e.last = p.ts;
    agg.set(k, e);
  }
  return {
    center: id,
    nodes: [...ids].map((x) => { const e = entities.find((y) => y.id === x); const l = leadOf(x); return { id: x, name: e.name, country: e.country, lead_id: l ? l.id : "", role: l ? l.role : "", score: l ? l.score : 0, ring: !l && Number(x.slice(1)) % 5 === 0 ? "L0001" : "" }; }),
    edges: [...agg.values()],
  };
}
function person(id) {
  const e = entities.find((x) => x.id === id);
  if (!e) return null;
  const name = (x) => entities.find((y) => y.id === x).name;
  return {
    id, name: e.name, country: e.country,
    records: [
      { type: "party", id: "party-" + id, name: e.name, country: e.country, birth_date: "1980-01-01", phone: "+49 1", email: "a@example.org", address: "Street 1", id_number: "X1", institution: "Bank A", file: "bank/parties.csv", line: 3, links: [{ other: "party-" + id + "b", kind: "same", weight: 7.5, prob: 0.98, basis: "name+birth date", source: "model", fields: [{ field: "name", level: "exact", weight: 4, a: e.name, b: e.name }] }] },
      { type: "platform_account", id: "cam:" + id, name: e.name, country: "", birth_date: "", phone: "", email: "a@example.org", address: "", id_number: "", institution: "", file: "platform/accounts.csv", line: 9, links: [] },
    ],
    accounts: [{ id: "A-" + id, party_id: "party-" + id, institution: "Bank A", kind: "current", currency: "EUR", iban: "DE00 0000" }],
    platform_accounts: [{ platform: "cam", account_id: "cam:" + id, handle: "h" + id, display_name: e.name, attribution: { platform_account: "cam:" + id, entity_id: id, confidence: 0.8, method: "email", chain: [{ kind: "email", record_id: "cam:" + id, file: "platform/accounts.csv", line: 9, note: "same email" }] } }],
    payments: payments.filter((p) => p.from === id || p.to === id).map((p) => { const out = p.from === id; const cp = out ? p.to : p.from; return { id: p.id, ts: p.ts, direction: out ? "out" : "in", amount: p.amount_usd * 0.9, currency: "EUR", amount_usd: p.amount_usd, counterparty_entity: cp, counterparty_name: name(cp), counterparty_country: "PH", channel: "card", reference: "ref " + p.id, file: "bank/payments.csv", line: p.line }; }),
    sessions: [{ platform: "cam", session_id: "S1", account_id: "cam:" + id, peer_account_id: "cam:x", kind: "live", start: "2025-03-01T10:00:00Z", end: "2025-03-01T10:30:00Z", ip: "10.0.0.1", file: "platform/sessions.csv", line: 4 }],
    leads: leads.filter((l) => l.entity_ids.includes(id)).map((l) => ({ id: l.id, role: l.role, score: l.score, rank: l.rank })),
  };
}

function send(res, code, body, headers = {}) {
  res.writeHead(code, { "Content-Type": "application/json", ...headers });
  res.end(body === undefined ? "" : JSON.stringify(body));
}
const err = (res, code, msg) => send(res, code, { error: msg });
const rank = { viewer: 0, analyst: 1, supervisor: 2, admin: 3 };

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, "http://x");
  const p = url.pathname;
  if (!p.startsWith("/api/")) {
    const f = path.join(dist, p === "/" ? "index.html" : p);
    if (f.startsWith(dist) && fs.existsSync(f) && fs.statSync(f).isFile()) {
      const type = f.endsWith(".js") ? "text/javascript" : f.endsWith(".css") ? "text/css" : "text/html";
      res.writeHead(200, { "Content-Type": type });
      return res.end(fs.readFileSync(f));
    }
    res.writeHead(200, { "Content-Type": "text/html" });
    return res.end(fs.readFileSync(path.join(dist, "index.html")));
  }
  let body = {};
  const chunks = [];
  for await (const c of req) chunks.push(c);
  if (chunks.length) { try { body = JSON.parse(Buffer.concat(chunks).toString()); } catch { return err(res, 400, "bad json"); } }
  const m = req.method;
  if (p === "/api/openapi.yaml") { res.writeHead(200, { "Content-Type": "application/yaml" }); return res.end("openapi: 3.1.0\n"); }
  if (p === "/api/session" && m === "POST") {
    const u = users[body.username];
    if (!u || u.password !== body.password) return err(res, 401, "invalid username or password");
    const tok = crypto.randomBytes(16).toString("hex"), csrf = crypto.randomBytes(16).toString("hex");
    sessions.set(tok, { username: body.username, csrf });
    return send(res, 200, { username: body.username, role: u.role, unit: u.unit, csrf }, { "Set-Cookie": `filo_session=${tok}; Path=/; HttpOnly; SameSite=Strict` });
  }
  const tok = /filo_session=([0-9a-f]+)/.exec(req.headers.cookie || "")?.[1];
  const s = tok && sessions.get(tok);
  if (!s) return err(res, 401, "not logged in");
  const u = { username: s.username, ...users[s.username] };
  if (m !== "GET" && req.headers["x-csrf-token"] !== s.csrf) return err(res, 403, "bad csrf token");
  const need = (r) => { if (rank[u.role] < rank[r]) { err(res, 403, "forbidden"); return false; } return true; };
  let mm;
  if (p === "/api/session" && m === "DELETE") { sessions.delete(tok); return send(res, 204); }
  if (p === "/api/me") return send(res, 200, { username: u.username, role: u.role, unit: u.unit, csrf: s.csrf });
  if (p === "/api/indicators") return send(res, 200, indicators);
  if (p === "/api/leads") {
    const q = url.searchParams;
    let ls = leads.map(row);
    for (const k of ["role", "country", "status", "assignee"]) if (q.get(k)) ls = ls.filter((l) => String(l[k]).toLowerCase() === q.get(k).toLowerCase());
    if (q.get("indicator")) ls = ls.filter((l) => l.indicators.includes(q.get("indicator")));
    if (q.get("q")) ls = ls.filter((l) => (l.name + l.id).toLowerCase().includes(q.get("q").toLowerCase()));
    const sort = q.get("sort") || "-score", key = sort.replace("-", "");
    ls.sort((a, b) => (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0) * (sort.startsWith("-") ? -1 : 1));
    const page = Number(q.get("page") || 1), ps = Number(q.get("page_size") || 50);
    return send(res, 200, { total: ls.length, page, page_size: ps, items: ls.slice((page - 1) * ps, page * ps) });
  }
  if ((mm = /^\/api\/leads\/([^/]+)$/.exec(p))) {
    const l = leads.find((x) => x.id === mm[1]);
    return l ? send(res, 200, { lead: fullLead(l), triage: triage.get(l.id) }) : err(res, 404, "no such lead");
  }
  if ((mm = /^\/api\/leads\/([^/]+)\/assignment$/.exec(p)) && m === "PUT") {
    if (!need("supervisor")) return;
    const t = triage.get(mm[1]);
    if (!t) return err(res, 404, "no such lead");
    t.unit = body.unit; t.assignee = body.assignee;
    return send(res, 200, t);
  }
  if (p === "/api/entities/BIG/network") {
    // 2,000 nodes to check that the network view copes with a large graph.
    const nodes = Array.from({ length: 2000 }, (_, i) => ({ id: "BIG" + i, name: "Node " + i, country: "DE", lead_id: i % 50 === 0 ? "L" + i : "", role: i % 50 === 0 ? "buyer" : "", score: i % 50 === 0 ? rnd() : 0, ring: "" }));
    const edges = Array.from({ length: 4000 }, (_, i) => ({ source: "BIG" + (i % 2000), target: "BIG" + Math.floor(rnd() * 2000), count: 1 + (i % 7), amount_usd: 10, first: "2025-01-01T00:00:00Z", last: "2025-02-01T00:00:00Z" })).filter((e) => e.source !== e.target);
    return send(res, 200, { center: "BIG0", nodes, edges });
  }
  if ((mm = /^\/api\/entities\/([^/]+)\/network$/.exec(p))) {
    if (!entities.find((x) => x.id === mm[1])) return err(res, 404, "no such entity");
    return send(res, 200, network(mm[1], Number(url.searchParams.get("limit") || 200)));
  }
  if ((mm = /^\/api\/entities\/([^/]+)$/.exec(p))) { const x = person(mm[1]); return x ? send(res, 200, x) : err(res, 404, "no such entity"); }
  if (p === "/api/cases" && m === "GET") return send(res, 200, { total: cases.length, items: cases });
  if (p === "/api/cases" && m === "POST") {
    if (!need("analyst")) return;
    if (!body.title) return err(res, 400, "title required");
    const c = { id: "C" + (cases.length + 1), title: body.title, unit: u.unit, status: "new", assignee: body.assignee || "", lead_ids: body.lead_ids || [], members: [u.username], created_by: u.username, created_at: now(), updated_at: now(), disposition: "", disposition_reason: "" };
    cases.push(c); notes.set(c.id, []); disps.set(c.id, []);
    for (const l of c.lead_ids) if (triage.has(l)) triage.get(l).case_id = c.id;
    return send(res, 201, c);
  }
  if ((mm = /^\/api\/cases\/([^/]+)(\/[a-z]+)?$/.exec(p))) {
    const c = cases.find((x) => x.id === mm[1]);
    if (!c) return err(res, 404, "no such case");
    const sub = mm[2] || "";
    if (sub === "" && m === "GET") return send(res, 200, { case: c, notes: notes.get(c.id), dispositions: disps.get(c.id) });
    if (sub === "" && m === "PATCH") { if (!need("analyst")) return; if (body.status) c.status = body.status; if (body.assignee !== undefined) c.assignee = body.assignee; c.updated_at = now(); return send(res, 200, c); }
    if (sub === "/notes" && m === "POST") { if (!need("analyst")) return; const n = { id: "N" + Date.now(), author: u.username, at: now(), body: body.body }; notes.get(c.id).push(n); return send(res, 201, n); }
    if (sub === "/disposition" && m === "POST") {
      if (!need("analyst")) return;
      if (!body.reason) return err(res, 400, "reason required");
      c.disposition = body.disposition; c.disposition_reason = body.reason; c.status = body.disposition; c.updated_at = now();
      disps.get(c.id).push({ disposition: body.disposition, reason: body.reason, by: u.username, at: now() });
      return send(res, 200, c);
    }
    if (sub === "/members" && m === "POST") { if (!need("supervisor")) return; c.members.push(body.username); return send(res, 200, c); }
    if (sub === "/export") return send(res, 200, { case: c, leads: c.lead_ids.map((id) => fullLead(leads.find((l) => l.id === id))) });
  }
  return err(res, 404, "not found");
});
server.listen(port, "127.0.0.1", () => console.log(`mock filo API on http://127.0.0.1:${port}`));
