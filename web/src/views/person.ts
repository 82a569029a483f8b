import {
  Chart,
  Legend,
  LinearScale,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartDataset,
} from "chart.js";
import { api, Payment, PersonRecord, RecordLink, Session } from "../api";
import { fileLine, fmtScore, fmtTime, fmtUsd, h, href, section, table } from "../dom";
import { attributionBlock, reasonItem } from "./lead";

Chart.register(ScatterController, PointElement, LinearScale, LogarithmicScale, Tooltip, Legend);

type Pt = { x: number; y: number; label: string };

export async function renderPerson(view: HTMLElement, id: string): Promise<() => void> {
  const p = await api.entity(id);
  const records = p.records ?? [];
  const payments = [...(p.payments ?? [])].sort((a, b) => a.ts.localeCompare(b.ts));
  const sessions = p.sessions ?? [];

  view.appendChild(
    h(
      "h1",
      { id: "person-title" },
      "Person ",
      h("span", { class: "mono" }, p.id),
      ": ",
      h("span", { id: "person-name" }, p.name),
      p.country ? h("span", { class: "badge" }, p.country) : null,
    ),
  );
  view.appendChild(
    h("p", {}, h("a", { href: href.network(p.id), id: "to-network" }, "Open network view")),
  );

  const leads = p.leads ?? [];
  view.appendChild(
    section(
      "Leads this person belongs to",
      leads.length === 0
        ? h("p", {}, "This person is not part of any lead.")
        : table(
            ["Lead", "Role", "Score", "Rank"],
            leads.map((l) => [h("a", { href: href.lead(l.id) }, l.id), l.role, fmtScore(l.score), String(l.rank ?? "")]),
            { class: "data", id: "person-leads" },
          ),
    ),
  );

  // The indicators behind each lead, with their evidence rows and sources,
  // so that the person can be understood from this page alone.
  for (const l of leads) {
    const box = section(`Indicators of lead ${l.id}`, h("p", { class: "small" }, "Loading…"));
    box.setAttribute("data-testid", "person-indicators");
    view.appendChild(box);
    api
      .lead(l.id)
      .then((d) => {
        box.replaceChildren(
          h("h2", {}, `Indicators of lead ${l.id} (${d.lead.role}, score ${fmtScore(d.lead.score)})`),
          h("ol", { class: "reasons" }, (d.lead.reasons ?? []).map(reasonItem)),
        );
      })
      .catch((e: unknown) => {
        box.replaceChildren(h("p", { class: "error" }, `Indicators of lead ${l.id} could not be read: ${String(e)}`));
      });
  }

  // Timeline.
  const canvas = h("canvas", { id: "timeline", "aria-label": "Timeline of payments and sessions", role: "img" });
  view.appendChild(
    section(
      "Timeline",
      h("p", { class: "small" }, "Outgoing and incoming payments (USD, log scale) and platform sessions over time."),
      h("div", { class: "chart-box" }, canvas),
    ),
  );
  const chart = timeline(canvas, payments, sessions);

  view.appendChild(
    section(
      `Payments (${payments.length})`,
      table(
        ["Time", "Dir", "Amount", "USD", "Counterparty", "Country", "Channel", "Reference", "Source"],
        payments.map((x) => [
          fmtTime(x.ts),
          x.direction === "out" ? "out →" : "← in",
          `${fmtUsd(x.amount)} ${x.currency}`,
          fmtUsd(x.amount_usd),
          x.counterparty_entity
            ? h("a", { href: href.person(x.counterparty_entity) }, x.counterparty_name || x.counterparty_entity)
            : x.counterparty_name,
          x.counterparty_country,
          x.channel,
          x.reference,
          h("code", {}, fileLine(x.file, x.line)),
        ]),
        { class: "data", id: "payments" },
      ),
    ),
  );

  view.appendChild(section(`Records (${records.length}) and why they are linked`, recordsTable(records)));

  const accounts = p.accounts ?? [];
  view.appendChild(
    section(
      `Accounts (${accounts.length})`,
      table(
        ["Account", "Party", "Institution", "Kind", "Currency", "IBAN"],
        accounts.map((a) => [h("span", { class: "mono" }, a.id), a.party_id, a.institution, a.kind, a.currency, a.iban]),
        { class: "data", id: "accounts" },
      ),
    ),
  );

  const pas = p.platform_accounts ?? [];
  view.appendChild(
    section(
      `Platform accounts (${pas.length})`,
      pas.length === 0 ? h("p", {}, "None.") : null,
      pas.map((pa) =>
        h(
          "div",
          { class: "platform-account" },
          h(
            "p",
            {},
            h("strong", {}, pa.platform),
            " · ",
            h("span", { class: "mono" }, pa.account_id),
            pa.handle ? ` · @${pa.handle}` : "",
            pa.display_name ? ` · “${pa.display_name}”` : "",
          ),
          pa.attribution ? attributionBlock(pa.attribution) : h("p", { class: "small" }, "No attribution."),
        ),
      ),
    ),
  );

  if (sessions.length) {
    view.appendChild(
      section(
        `Sessions (${sessions.length})`,
        h(
          "details",
          {},
          h("summary", {}, "Show sessions"),
          table(
            ["Start", "End", "Platform", "Kind", "Account", "Peer", "IP", "Source"],
            sessions.map((s) => [
              fmtTime(s.start),
              fmtTime(s.end),
              s.platform,
              s.kind,
              s.account_id,
              s.peer_account_id,
              s.ip,
              h("code", {}, fileLine(s.file, s.line)),
            ]),
            { class: "data" },
          ),
        ),
      ),
    );
  }

  return () => chart.destroy();
}

const RECORD_COLS = ["Type", "Id", "Name", "Country", "Birth date", "Phone", "Email", "Address", "Id number", "Institution", "Source"];

/** recordsTable lists the records, each followed by a full-width row that explains its links. */
function recordsTable(records: PersonRecord[]): HTMLTableElement {
  const body = h("tbody", {});
  records.forEach((r, i) => {
    const zebra = i % 2 ? "odd" : "even";
    body.appendChild(
      h(
        "tr",
        { class: zebra, "data-record-id": r.id },
        [r.type, h("span", { class: "mono" }, r.id), r.name, r.country, r.birth_date, r.phone, r.email, r.address, r.id_number, r.institution, h("code", {}, fileLine(r.file, r.line))].map(
          (c) => h("td", {}, c),
        ),
      ),
    );
    const links = r.links ?? [];
    body.appendChild(
      h(
        "tr",
        { class: zebra + " why-row" },
        h(
          "td",
          { colspan: RECORD_COLS.length },
          links.length === 0
            ? h("span", { class: "small" }, "No links recorded for this record.")
            : h("details", { class: "why" }, h("summary", {}, `Why linked: ${links.length} link(s)`), h("ul", {}, links.map(linkItem))),
        ),
      ),
    );
  });
  return h(
    "table",
    { class: "data records", id: "records" },
    h("thead", {}, h("tr", {}, RECORD_COLS.map((t) => h("th", { scope: "col" }, t)))),
    body,
  );
}

function linkItem(l: RecordLink): HTMLElement {
  const fields = l.fields ?? [];
  return h(
    "li",
    { "data-testid": "link" },
    h("span", { class: "mono" }, l.other),
    `: ${l.kind} (${l.source}) · weight ${fmtScore(l.weight)} · p ${fmtScore(l.prob)}`,
    l.basis ? h("div", { class: "small" }, "basis: ", l.basis) : null,
    fields.length
      ? table(
          ["Field", "Level", "Weight", "a", "b"],
          fields.map((f) => [f.field, f.level, fmtScore(f.weight), f.a, f.b]),
          { class: "data compact" },
        )
      : null,
  );
}

function timeline(canvas: HTMLCanvasElement, payments: Payment[], sessions: Session[]): Chart {
  const pt = (ts: string, y: number, label: string): Pt | null => {
    const t = Date.parse(ts);
    return isNaN(t) ? null : { x: t, y: Math.max(y, 1), label };
  };
  const out = payments
    .filter((x) => x.direction === "out")
    .map((x) => pt(x.ts, x.amount_usd, `out ${fmtUsd(x.amount_usd)} USD to ${x.counterparty_name || x.counterparty_entity}`))
    .filter((x): x is Pt => x !== null);
  const inc = payments
    .filter((x) => x.direction === "in")
    .map((x) => pt(x.ts, x.amount_usd, `in ${fmtUsd(x.amount_usd)} USD from ${x.counterparty_name || x.counterparty_entity}`))
    .filter((x): x is Pt => x !== null);
  const ses = sessions
    .map((s) => pt(s.start, 1, `${s.kind || "session"} on ${s.platform} (${s.account_id})`))
    .filter((x): x is Pt => x !== null);
  const datasets: ChartDataset<"scatter", Pt[]>[] = [
    { label: "Outgoing payments (USD)", data: out, backgroundColor: "#b4361e", pointStyle: "circle", pointRadius: 4 },
    { label: "Incoming payments (USD)", data: inc, backgroundColor: "#1f6f43", pointStyle: "rect", pointRadius: 4 },
    { label: "Sessions", data: ses, backgroundColor: "#3b5bb5", pointStyle: "triangle", pointRadius: 6 },
  ];
  return new Chart(canvas, {
    type: "scatter",
    data: { datasets },
    options: {
      animation: false,
      maintainAspectRatio: false,
      parsing: false,
      scales: {
        x: {
          type: "linear",
          ticks: { callback: (v) => new Date(Number(v)).toISOString().slice(0, 10), maxRotation: 0 },
        },
        y: { type: "logarithmic", title: { display: true, text: "USD" } },
      },
      plugins: {
        legend: { labels: { usePointStyle: true } },
        tooltip: {
          callbacks: {
            label: (ctx) => {
              const raw = ctx.raw as Pt;
              return `${new Date(raw.x).toISOString().slice(0, 16).replace("T", " ")} ${raw.label}`;
            },
          },
        },
      },
    },
  });
}
