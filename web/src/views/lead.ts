import { api, Attribution, Evidence, Reason, Triage } from "../api";
import { fileLine, fmtScore, h, href, section, table } from "../dom";
import { atLeast, me } from "../session";

/** labels that give context rather than add suspicion. */
const CONTEXT_LABELS: Record<string, string> = {
  possible_fraud_victim: "This person may be a victim of fraud rather than a buyer. Review with care.",
  possible_same_person:
    "This lead covers several entities that entity resolution kept apart: their names agree, nothing in their records differs, and they pay the same recipients. Probably one person: confirm with filo entity link, or separate them.",
};

export function evidenceTable(ev: Evidence[] | null, testid = "evidence-table"): HTMLTableElement {
  return table(
    ["Kind", "Record", "Source (file:line)", "Note"],
    (ev ?? []).map((e) => [e.kind, e.record_id, h("code", {}, fileLine(e.file, e.line)), e.note]),
    { class: "data evidence", "data-testid": testid },
  );
}

export function attributionBlock(a: Attribution): HTMLElement {
  return h(
    "div",
    { class: "attribution", "data-testid": "attribution" },
    h(
      "p",
      {},
      h("strong", {}, a.platform_account),
      " → ",
      a.entity_id ? h("a", { href: href.person(a.entity_id) }, a.entity_id) : "(no entity)",
      ` · confidence ${fmtScore(a.confidence)} · method `,
      h("code", {}, a.method),
    ),
    h("details", {}, h("summary", {}, `Attribution chain (${(a.chain ?? []).length} steps)`), evidenceTable(a.chain, "chain-table")),
  );
}

export async function renderLead(view: HTMLElement, id: string): Promise<void> {
  const { lead, triage } = await api.lead(id);
  const labels = lead.labels ?? [];
  const reasons = [...(lead.reasons ?? [])].sort((a, b) => (b.contribution ?? 0) - (a.contribution ?? 0));

  view.appendChild(
    h(
      "h1",
      { id: "lead-title" },
      "Lead ",
      h("span", { class: "mono" }, lead.id),
      ": ",
      h("span", { id: "lead-name" }, lead.name),
    ),
  );
  for (const l of labels) {
    if (CONTEXT_LABELS[l]) {
      view.appendChild(
        h("div", { class: "context-label", role: "note", "data-testid": "label-" + l }, h("strong", {}, l), " — ", CONTEXT_LABELS[l]),
      );
    }
  }

  const triageBox = h("dl", { class: "facts", id: "triage" });
  const renderTriage = (t: Triage): void => {
    triageBox.replaceChildren(
      ...facts([
        ["Status", t.status || "new", "triage-status"],
        ["Unit", t.unit, "triage-unit"],
        ["Assignee", t.assignee, "triage-assignee"],
        ["Case", t.case_id ? h("a", { href: href.case(t.case_id) }, t.case_id) : "", "triage-case"],
      ]),
    );
  };
  renderTriage(triage);

  view.appendChild(
    h(
      "div",
      { class: "columns" },
      section(
        "Summary",
        h(
          "dl",
          { class: "facts" },
          ...facts([
            ["Score", h("span", { id: "lead-score", class: "score" }, fmtScore(lead.score)), ""],
            ["Rank", String(lead.rank ?? ""), ""],
            ["Role", h("span", { id: "lead-role", class: "role role-" + (lead.role || "none") }, lead.role), ""],
            ["Country", lead.country, ""],
            ["Labels", labels.length ? labels.map((l) => h("span", { class: "badge label" }, l)) : "none", "lead-labels"],
          ]),
        ),
        h("h3", {}, "People behind this lead"),
        h(
          "ul",
          { id: "lead-entities" },
          (lead.entity_ids ?? []).map((e) =>
            h(
              "li",
              {},
              h("span", { class: "mono" }, e),
              " · ",
              h("a", { href: href.person(e), "data-testid": "person-link" }, "person view"),
              " · ",
              h("a", { href: href.network(e), "data-testid": "network-link" }, "network view"),
            ),
          ),
        ),
        (lead.party_ids ?? []).length ? h("p", { class: "small" }, "Party records: ", (lead.party_ids ?? []).join(", ")) : null,
        (lead.platform_accounts ?? []).length
          ? h("p", { class: "small" }, "Platform accounts: ", (lead.platform_accounts ?? []).join(", "))
          : null,
      ),
      section("Triage", triageBox, atLeast("supervisor") ? assignForm(lead.id, triage, renderTriage) : null),
    ),
  );

  view.appendChild(
    section(
      "Reasons (strongest first)",
      reasons.length === 0 ? h("p", {}, "No reasons recorded.") : null,
      h("ol", { class: "reasons", id: "reasons" }, reasons.map(reasonItem)),
    ),
  );

  const attrs = lead.attributions ?? [];
  view.appendChild(
    section(
      "Attributions",
      attrs.length === 0 ? h("p", {}, "No platform accounts are attributed to this lead.") : null,
      attrs.map(attributionBlock),
    ),
  );
}

function facts(items: [string, Node | Node[] | string, string][]): HTMLElement[] {
  const out: HTMLElement[] = [];
  for (const [k, v, id] of items) {
    out.push(h("dt", {}, k));
    out.push(h("dd", id ? { id } : {}, v));
  }
  return out;
}

export function reasonItem(r: Reason): HTMLElement {
  const ev = r.evidence ?? [];
  return h(
    "li",
    { class: "reason", "data-testid": "reason", "data-code": r.code },
    h(
      "div",
      { class: "reason-head" },
      h("code", { class: "code" }, r.code),
      h("span", { class: "contribution", title: "contribution to the score" }, "+" + fmtScore(r.contribution)),
      h("span", { class: "source small" }, r.source),
    ),
    h("p", {}, r.description),
    r.detail ? h("p", { class: "detail" }, r.detail) : null,
    h("details", { class: "evidence" }, h("summary", {}, `Evidence (${ev.length})`), evidenceTable(ev)),
  );
}

function assignForm(id: string, t: Triage, onDone: (t: Triage) => void): HTMLElement {
  const unit = h("input", { id: "assign-unit", value: t.unit || me()?.unit || "", size: 10 });
  const assignee = h("input", { id: "assign-assignee", value: t.assignee || "", size: 12, placeholder: "username" });
  const msg = h("span", { id: "assign-msg", role: "status" });
  const btn = h("button", { type: "submit", id: "assign" }, "Assign");
  const f = h(
    "form",
    { class: "inline", "data-testid": "assign-form" },
    h("label", { for: "assign-unit" }, "Unit "),
    unit,
    h("label", { for: "assign-assignee" }, " Assignee "),
    assignee,
    btn,
    msg,
  );
  f.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    btn.disabled = true;
    msg.textContent = "";
    msg.className = "";
    try {
      const nt = await api.assign(id, unit.value.trim(), assignee.value.trim());
      onDone(nt);
      msg.textContent = "Saved.";
    } catch (e) {
      msg.className = "error";
      msg.textContent = e instanceof Error ? e.message : String(e);
    } finally {
      btn.disabled = false;
    }
  });
  return h("div", {}, h("h3", {}, "Assign"), f);
}
