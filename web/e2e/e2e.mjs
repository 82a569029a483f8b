// Browser test of the filo web UI against a running `filo serve`.
// Usage: BASE_URL=http://127.0.0.1:18080 node web/e2e/e2e.mjs
// Passwords come from SAM_PASSWORD / ALICE_PASSWORD (defaults match run.sh).
import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const BASE = (process.env.BASE_URL || "http://127.0.0.1:8080").replace(/\/$/, "");
const SAM_PW = process.env.SAM_PASSWORD || "sam-e2e-password";
const ALICE_PW = process.env.ALICE_PASSWORD || "alice-e2e-password";
const VIC_PW = process.env.VIC_PASSWORD || "vic-e2e-password";
const SHOTS = path.join(here, "screenshots");
const XSS_TITLE = "<img src=x onerror=window.__xss=1>";
fs.mkdirSync(SHOTS, { recursive: true });

const results = [];
class Fail extends Error {}
function assert(cond, msg) {
  if (!cond) throw new Fail(msg);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const context = await browser.newContext({ viewport: { width: 1400, height: 950 } });
const page = await context.newPage();
page.setDefaultTimeout(20000);
const pageErrors = [];
page.on("pageerror", (e) => pageErrors.push(String(e)));
page.on("console", (m) => {
  if (m.type() === "error") console.log("  [browser console] " + m.text());
});
page.on("dialog", (d) => {
  pageErrors.push("unexpected dialog: " + d.message());
  void d.dismiss();
});

async function step(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`PASS  ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push({ name, ok: false, msg: e.message });
    console.log(`FAIL  ${name}: ${e.message.split("\n")[0]}`);
    try {
      await page.screenshot({ path: path.join(SHOTS, "failure.png"), fullPage: true });
    } catch {}
    throw e;
  }
}

async function shot(name) {
  await page.screenshot({ path: path.join(SHOTS, name + ".png"), fullPage: false });
}

/** ready waits until the hash matches and the view finished rendering. */
async function ready(hashPart) {
  await page.waitForFunction(
    (h) => {
      const v = document.querySelector('.view[data-ready="1"]');
      return location.hash.includes(h) && !!v && v.getAttribute("data-hash") === location.hash;
    },
    hashPart,
  );
  const err = await page.$('.view [data-testid="error"]');
  if (err) throw new Fail(`view ${hashPart} shows an error: ${await err.textContent()}`);
}

async function go(hash) {
  await page.evaluate((h) => (location.hash = h), hash);
  await ready(hash.split("?")[0]);
}

async function login(user, pw) {
  await page.goto(BASE + "/#/login");
  await page.waitForSelector("#username");
  await page.fill("#username", user);
  await page.fill("#password", pw);
  await page.click("#login");
  await ready("#/leads");
  const who = (await page.textContent("#whoami")) || "";
  assert(who.trim() === user, `top bar shows user "${who}", expected "${user}"`);
}

async function rowsData() {
  return page.$$eval("#lead-table tbody tr[data-lead-id]", (trs) =>
    trs.map((tr) => ({ id: tr.dataset.leadId, role: tr.dataset.role, score: Number(tr.querySelector("td.score")?.textContent) })),
  );
}

const state = {};
let exitCode = 0;
try {
  await step("login page rejects a wrong password", async () => {
    await page.goto(BASE + "/");
    await page.waitForSelector("#username");
    assert(page.url().includes("#/login"), `expected redirect to #/login, got ${page.url()}`);
    await page.fill("#username", "sam");
    await page.fill("#password", "wrong-password");
    await page.click("#login");
    await page.waitForFunction(() => (document.querySelector("#login-error")?.textContent || "").length > 0);
    await shot("01-login");
  });

  await step("log in as sam (supervisor)", async () => {
    await login("sam", SAM_PW);
    const role = await page.textContent("#topbar .who .badge");
    assert(role === "supervisor", `role badge shows "${role}"`);
  });

  await step("queue shows rows and a total", async () => {
    const rows = await rowsData();
    assert(rows.length > 0, "lead table has no rows");
    const total = Number(await page.getAttribute("#lead-total", "data-total"));
    assert(total >= rows.length, `total ${total} < rows ${rows.length}`);
    assert(rows.length <= 50, `page has ${rows.length} rows, expected at most 50`);
    state.total = total;
    await shot("02-queue");
  });

  await step("filter by role facilitator", async () => {
    await page.selectOption("#f-role", "facilitator");
    await ready("role=facilitator");
    const rows = await rowsData();
    assert(rows.length > 0, "no facilitator leads shown");
    const bad = rows.filter((r) => r.role !== "facilitator");
    assert(bad.length === 0, `non-facilitator rows after filter: ${bad.map((r) => r.id).join(",")}`);
    const total = Number(await page.getAttribute("#lead-total", "data-total"));
    assert(total <= state.total, `filtered total ${total} > unfiltered ${state.total}`);
  });

  await step("sort by score (ascending, then descending)", async () => {
    await page.click("#sort-score");
    await ready("sort=score");
    let s = (await rowsData()).map((r) => r.score);
    assert(s.length > 0, "no rows after sorting");
    assert(s.every((v, i) => i === 0 || s[i - 1] <= v), `scores not ascending: ${s.slice(0, 8).join(",")}`);
    await page.click("#sort-score");
    await ready("sort=-score");
    s = (await rowsData()).map((r) => r.score);
    assert(s.every((v, i) => i === 0 || s[i - 1] >= v), `scores not descending: ${s.slice(0, 8).join(",")}`);
  });

  await step("open the first buyer lead", async () => {
    await page.selectOption("#f-role", "buyer");
    await ready("role=buyer");
    const rows = await rowsData();
    assert(rows.length > 0, "no buyer leads");
    assert(rows[0].role === "buyer", `first row is ${rows[0].role}`);
    state.leadId = rows[0].id;
    await page.click(`#lead-table tbody tr[data-lead-id="${rows[0].id}"] td:nth-child(3)`);
    await ready("#/lead/");
    assert(page.url().includes(encodeURIComponent(state.leadId)), `URL ${page.url()} is not lead ${state.leadId}`);
  });

  await step("lead shows reasons and evidence", async () => {
    const n = await page.$$eval("#reasons li.reason", (x) => x.length);
    assert(n > 0, "no reasons shown");
    const contribs = await page.$$eval("#reasons .contribution", (x) => x.map((e) => Number(e.textContent.replace("+", ""))));
    assert(contribs.every((v, i) => i === 0 || contribs[i - 1] >= v), `reasons not strongest first: ${contribs}`);
    const firstEv = page.locator("#reasons li.reason details.evidence").first();
    await firstEv.locator("summary").click();
    const evRows = await firstEv.locator("tbody tr").count();
    assert(evRows > 0, "first reason has no evidence rows");
    assert(await firstEv.locator("tbody tr").first().isVisible(), "evidence table did not open");
    await shot("03-lead");
  });

  await step("assign the lead to unit north (supervisor)", async () => {
    await page.fill("#assign-unit", "north");
    await page.fill("#assign-assignee", "alice");
    await page.click("#assign");
    await page.waitForFunction(() => document.querySelector("#triage-unit")?.textContent === "north" || document.querySelector("#assign-msg.error"));
    const err = await page.$("#assign-msg.error");
    assert(!err, "assignment failed: " + (err && (await err.textContent())));
    assert((await page.textContent("#triage-assignee")) === "alice", "assignee not shown as alice");
  });

  await step("person view shows the timeline and the lead's indicators", async () => {
    await page.click('[data-testid="person-link"] >> nth=0');
    await ready("#/person/");
    const box = await page.locator("canvas#timeline").boundingBox();
    assert(box && box.width > 100 && box.height > 100, `timeline canvas missing or tiny: ${JSON.stringify(box)}`);
    await page.waitForSelector('[data-testid="person-indicators"] [data-testid="reason"]', { timeout: 10000 });
    const reasons = await page.locator('[data-testid="person-indicators"] [data-testid="reason"]').count();
    assert(reasons > 0, "the person view shows no indicators of the person's lead");
    await page.locator("canvas#timeline").scrollIntoViewIfNeeded();
    await shot("04-person");
  });

  await step("network view: nodes, click, expand", async () => {
    await page.click("#to-network");
    await ready("#/network/");
    await page.waitForSelector("#graph canvas");
    const before = Number(await page.textContent("#node-count"));
    assert(before > 1, `node-count is ${before}, expected > 1`);
    const nodes = await page.evaluate(() => window.__filoNetwork.nodes());
    const center = decodeURIComponent(page.url().split("/").pop());
    const target = nodes.find((n) => n.id !== center) || nodes[0];
    await page.mouse.click(target.x, target.y);
    let clicked = true;
    try {
      await page.waitForSelector("#node-panel #expand", { timeout: 3000 });
    } catch {
      clicked = false; // node hidden under another; fall back to the finder list
      await page.selectOption("#node-select", target.id);
      await page.waitForSelector("#node-panel #expand");
    }
    console.log(`      clicked node ${target.id} ${clicked ? "on the canvas" : "via the node list"}`);
    await page.click("#expand");
    await page.waitForFunction(() => /Expanded/.test(document.querySelector("#network-status")?.textContent || ""));
    const after = Number(await page.textContent("#node-count"));
    assert(after >= before, `node count shrank from ${before} to ${after}`);
    const ids = await page.evaluate(() => window.__filoNetwork.nodes().map((n) => n.id));
    assert(new Set(ids).size === ids.length, "duplicate nodes after expand");
    assert(ids.length === after, `counter ${after} != graph nodes ${ids.length}`);
    console.log(`      nodes ${before} -> ${after}`);
    await shot("05-network");
  });

  await step("select two leads in the queue and open a case", async () => {
    await go("#/leads");
    const boxes = page.locator("#lead-table tbody input.select-lead");
    assert((await boxes.count()) >= 2, "fewer than two leads in the queue");
    await page.click("#clear-selection");
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    state.caseLeads = [await boxes.nth(0).getAttribute("value"), await boxes.nth(1).getAttribute("value")];
    assert((await page.textContent("#selected-count")) === "2", "selected count is not 2");
    await page.click("#open-case");
    await page.fill("#new-case-title", "E2E review of two leads");
    await page.click("#create-case");
    await ready("#/case/");
    state.caseId = decodeURIComponent(page.url().split("#/case/")[1]);
    assert((await page.textContent("#case-title")) === "E2E review of two leads", "case title not shown");
    const links = await page.$$eval("#case-leads a", (a) => a.map((x) => x.textContent));
    for (const l of state.caseLeads) assert(links.includes(l), `case does not list lead ${l}`);
  });

  await step("add a note", async () => {
    await page.fill("#note-body", "Checked the payment evidence; see reasons.");
    await page.click("#add-note");
    await page.waitForFunction(() => [...document.querySelectorAll("#notes .note-body")].some((n) => n.textContent.includes("Checked the payment evidence")));
  });

  await step("disposition dismissed needs a reason, then applies", async () => {
    await page.selectOption("#disposition", "dismissed");
    await page.click("#set-disposition");
    await page.waitForFunction(() => (document.querySelector("#case-error")?.textContent || "").includes("reason"));
    await page.fill("#disposition-reason", "Payments explained by a documented business relationship.");
    await page.click("#set-disposition");
    await page.waitForFunction(() => document.querySelector("#case-status")?.textContent === "dismissed", null, { timeout: 10000 }).catch(() => {});
    const st = await page.textContent("#case-status");
    const err = await page.textContent("#case-error");
    assert(st === "dismissed", `case status is "${st}" (error: "${err}")`);
    const hist = await page.$$eval("#dispositions tbody tr", (r) => r.map((x) => x.textContent));
    assert(hist.some((t) => t.includes("dismissed")), "disposition history does not list dismissed");
    await shot("06-case");
  });

  await step("the audit log shows what was seen and changed (supervisor)", async () => {
    await page.click('[data-testid="nav-audit"]');
    await ready("#/audit");
    await page.waitForSelector("#audit-table tbody tr");
    const text = await page.textContent("#audit-table");
    for (const action of ["login", "view_person", "case_create", "case_disposition"]) {
      assert(text.includes(action), `the audit log shows no ${action} entry`);
    }
    await shot("07-audit");
  });

  await step("log out", async () => {
    await page.click("#logout");
    await page.waitForSelector("#username");
    assert(page.url().includes("#/login"), "not on the login screen after logout");
    const res = await page.evaluate(async () => (await fetch("/api/me", { credentials: "same-origin" })).status);
    assert(res === 401, `/api/me after logout answered ${res}, expected 401`);
  });

  await step("log in as alice (analyst) and see the case", async () => {
    await login("alice", ALICE_PW);
    await go("#/cases");
    const ids = await page.$$eval("#case-table tbody tr td:first-child", (t) => t.map((x) => x.textContent));
    assert(ids.includes(state.caseId), `case ${state.caseId} not in alice's case list (${ids.join(",")})`);
    await go("#/case/" + encodeURIComponent(state.caseId));
    assert((await page.textContent("#case-status")) === "dismissed", "alice does not see status dismissed");
  });

  await step("XSS: a case title with markup stays text", async () => {
    await go("#/leads");
    const boxes = page.locator("#lead-table tbody input.select-lead");
    // An analyst sees only the leads of their unit; any one will do.
    assert((await boxes.count()) >= 1, "alice sees no leads in the queue");
    await page.click("#clear-selection");
    await boxes.nth(0).check();
    await page.click("#open-case");
    await page.fill("#new-case-title", XSS_TITLE);
    await page.click("#create-case");
    await ready("#/case/");
    assert((await page.textContent("#case-title")) === XSS_TITLE, "title is not shown literally");
    assert((await page.$$("#app img")).length === 0, "an <img> element was created from the title");
    await go("#/cases");
    const titles = await page.$$eval("#case-table .case-title", (t) => t.map((x) => x.textContent));
    assert(titles.includes(XSS_TITLE), "case list does not show the title literally");
    await page.waitForTimeout(300);
    const xss = await page.evaluate(() => window.__xss);
    assert(xss === undefined, `window.__xss is ${xss}: markup was executed`);
  });

  await step("viewer vic sees the case read-only", async () => {
    await page.click("#logout");
    await page.waitForSelector("#username");
    await login("vic", VIC_PW);
    await go("#/case/" + encodeURIComponent(state.caseId));
    assert((await page.textContent("#case-status")) === "dismissed", "vic does not see the case status");
    assert((await page.$("#note-body")) === null, "viewer is offered the note form");
    assert((await page.$("#set-disposition")) === null, "viewer is offered the disposition form");
    assert(await page.isDisabled("#case-status-select"), "viewer can change the status");
    await go("#/lead/" + encodeURIComponent(state.leadId));
    assert((await page.$("#assign")) === null, "viewer is offered the assign form");
  });

  await step("no uncaught page errors", async () => {
    assert(pageErrors.length === 0, "page errors: " + pageErrors.join(" | "));
  });
} catch (e) {
  exitCode = 1;
  if (!(e instanceof Fail)) console.log(e.stack);
} finally {
  await browser.close();
}

const passed = results.filter((r) => r.ok).length;
console.log(`\ne2e: ${passed}/${results.length} steps passed${exitCode ? " — FAILED" : ""}; screenshots in ${SHOTS}`);
process.exit(exitCode);
