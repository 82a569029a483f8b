import { api, Indicator, LeadRow } from "../api";
import { clear, errorBox, fmtScore, h, href } from "../dom";
import { navigate } from "../nav";
import { atLeast } from "../session";

const PAGE_SIZE = 50;
const FILTERS = ["role", "indicator", "country", "status", "assignee", "q"] as const;
const STATUSES = ["new", "in_review", "referred", "dismissed"];

let indicatorCache: Indicator[] | null = null;
/** selected lead ids survive paging and filtering until a case is opened. */
const selected = new Set<string>();

function paramsFromHash(hash: string): URLSearchParams {
  const i = hash.indexOf("?");
  return new URLSearchParams(i >= 0 ? hash.slice(i + 1) : "");
}

function go(p: URLSearchParams): void {
  for (const [k, v] of [...p.entries()]) if (!v) p.delete(k);
  const qs = p.toString();
  navigate("#/leads" + (qs ? "?" + qs : ""));
}

export async function renderLeads(view: HTMLElement, hash: string): Promise<void> {
  const p = paramsFromHash(hash);
  const page = Math.max(1, parseInt(p.get("page") || "1", 10) || 1);
  const sort = p.get("sort") || "-score";

  if (!indicatorCache) {
    try {
      indicatorCache = (await api.indicators()) ?? [];
    } catch (e) {
      view.appendChild(errorBox(e));
      indicatorCache = null;
    }
  }

  // Filters.
  const role = h(
    "select",
    { id: "f-role", name: "role" },
    h("option", { value: "" }, "any role"),
    h("option", { value: "buyer" }, "buyer"),
    h("option", { value: "facilitator" }, "facilitator"),
  );
  const indicator = h(
    "select",
    { id: "f-indicator", name: "indicator" },
    h("option", { value: "" }, "any indicator"),
    (indicatorCache ?? [])
      .filter((ind) => !p.get("role") || (ind.roles ?? []).includes(p.get("role") as string) || ind.code === p.get("indicator"))
      .map((ind) =>
      h("option", { value: ind.code, title: ind.description }, `${ind.code} – ${ind.description}`),
    ),
  );
  const status = h(
    "select",
    { id: "f-status", name: "status" },
    h("option", { value: "" }, "any status"),
    STATUSES.map((s) => h("option", { value: s }, s)),
  );
  const country = h("input", { id: "f-country", name: "country", placeholder: "e.g. DE", size: 4, maxlength: 2 });
  const assignee = h("input", { id: "f-assignee", name: "assignee", placeholder: "username", size: 10 });
  const q = h("input", { id: "f-q", name: "q", type: "search", placeholder: "name, id…", size: 16 });
  const fields: Record<(typeof FILTERS)[number], HTMLInputElement | HTMLSelectElement> = {
    role,
    indicator,
    country,
    status,
    assignee,
    q,
  };
  for (const k of FILTERS) fields[k].value = p.get(k) || "";

  const apply = (): void => {
    const np = new URLSearchParams();
    for (const k of FILTERS) np.set(k, fields[k].value.trim());
    np.set("sort", sort === "-score" ? "" : sort);
    go(np);
  };
  role.addEventListener("change", apply);
  indicator.addEventListener("change", apply);
  status.addEventListener("change", apply);

  const filterForm = h(
    "form",
    { class: "filters", "data-testid": "filters", "aria-label": "Filter leads" },
    label("Role", role),
    label("Indicator", indicator),
    label("Country", country),
    label("Status", status),
    label("Assignee", assignee),
    label("Search", q),
    h("button", { type: "submit", id: "f-apply" }, "Apply"),
    h("button", { type: "button", id: "f-reset", onclick: () => go(new URLSearchParams()) }, "Reset"),
  );
  filterForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    apply();
  });

  view.appendChild(h("h1", {}, "Lead queue"));
  view.appendChild(
    h("p", { class: "hint" }, "Leads are people put forward for human review by the indicators below. A lead is not a finding."),
  );
  view.appendChild(filterForm);

  const req = new URLSearchParams();
  for (const k of FILTERS) if (p.get(k)) req.set(k, p.get(k) as string);
  req.set("sort", sort);
  req.set("page", String(page));
  req.set("page_size", String(PAGE_SIZE));
  const res = await api.leads(req);
  const items = res.items ?? [];
  const total = res.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  // Selection and case creation.
  const selCount = h("span", { id: "selected-count" }, String(selected.size));
  const caseBar = h("div", { class: "casebar" });
  const openCase = h(
    "button",
    { type: "button", id: "open-case", disabled: selected.size === 0 || !atLeast("analyst") },
    "Open case from selected",
  );
  const refreshSel = (): void => {
    selCount.textContent = String(selected.size);
    openCase.disabled = selected.size === 0 || !atLeast("analyst");
  };
  openCase.addEventListener("click", () => {
    clear(caseBar);
    const title = h("input", { id: "new-case-title", placeholder: "Case title", size: 40, "aria-required": "true" });
    const err = h("span", { class: "error", role: "alert" });
    const create = h("button", { type: "submit", id: "create-case" }, "Create case");
    const f = h(
      "form",
      { class: "inline" },
      h("label", { for: "new-case-title" }, `New case with ${selected.size} lead(s): `),
      title,
      create,
      h("button", { type: "button", onclick: () => clear(caseBar) }, "Cancel"),
      err,
    );
    f.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      if (!title.value.trim()) {
        err.textContent = "A title is required.";
        return;
      }
      create.disabled = true;
      try {
        const c = await api.createCase(title.value.trim(), [...selected]);
        selected.clear();
        navigate(href.case(c.id));
      } catch (e) {
        err.textContent = e instanceof Error ? e.message : String(e);
        create.disabled = false;
      }
    });
    caseBar.appendChild(f);
    title.focus();
  });

  view.appendChild(
    h(
      "div",
      { class: "toolbar" },
      h("span", { id: "lead-total", "data-testid": "lead-total", "data-total": total }, `${total} leads`),
      h("span", {}, " · selected: ", selCount),
      h("button", { type: "button", id: "clear-selection", onclick: () => { selected.clear(); syncBoxes(); refreshSel(); } }, "Clear selection"),
      openCase,
    ),
  );
  view.appendChild(caseBar);

  // Table.
  const sortable: Record<string, string> = { Rank: "rank", Score: "score", Role: "role", Name: "name", Country: "country", Status: "status" };
  const headers = ["", "Rank", "Score", "Role", "Name", "Country", "Indicators", "Status", "Assignee", "Unit", "Case"];
  const thead = h(
    "thead",
    {},
    h(
      "tr",
      {},
      headers.map((t) => {
        const key = sortable[t];
        if (!key) return h("th", { scope: "col" }, t);
        const active = sort === key || sort === "-" + key;
        // A first click sorts scores high to low and the rest A to Z; a second click reverses.
        const first = key === "score" ? "-score" : key;
        const next = sort === first ? (first.startsWith("-") ? key : "-" + key) : first;
        const arrow = active ? (sort.startsWith("-") ? " ▼" : " ▲") : "";
        return h(
          "th",
          { scope: "col", "aria-sort": active ? (sort.startsWith("-") ? "descending" : "ascending") : "none" },
          h(
            "button",
            {
              type: "button",
              class: "sort",
              "data-sort": key,
              id: "sort-" + key,
              onclick: () => {
                const np = new URLSearchParams(p);
                np.set("sort", next);
                np.delete("page");
                go(np);
              },
            },
            t + arrow,
          ),
        );
      }),
    ),
  );
  const tbody = h("tbody", {});
  const boxes: HTMLInputElement[] = [];
  const syncBoxes = (): void => {
    for (const b of boxes) b.checked = selected.has(b.value);
  };
  for (const r of items) tbody.appendChild(row(r, boxes, refreshSel));
  if (items.length === 0) {
    tbody.appendChild(h("tr", {}, h("td", { colspan: headers.length, class: "empty" }, "No leads match these filters.")));
  }
  view.appendChild(h("table", { id: "lead-table", class: "data clickable", "data-testid": "lead-table" }, thead, tbody));

  // Paging.
  const toPage = (n: number) => () => {
    const np = new URLSearchParams(p);
    np.set("page", String(n));
    go(np);
  };
  view.appendChild(
    h(
      "div",
      { class: "pager" },
      h("button", { type: "button", id: "page-prev", disabled: page <= 1, onclick: toPage(page - 1) }, "‹ Previous"),
      h("span", { id: "page-info" }, `Page ${page} of ${pages}`),
      h("button", { type: "button", id: "page-next", disabled: page >= pages, onclick: toPage(page + 1) }, "Next ›"),
    ),
  );
}

function label(text: string, control: HTMLElement): HTMLElement {
  return h("label", { class: "field" }, h("span", {}, text), control);
}

function row(r: LeadRow, boxes: HTMLInputElement[], onSel: () => void): HTMLTableRowElement {
  const box = h("input", {
    type: "checkbox",
    class: "select-lead",
    value: r.id,
    checked: selected.has(r.id),
    "aria-label": "Select lead " + r.id,
  });
  box.addEventListener("click", (ev) => ev.stopPropagation());
  box.addEventListener("change", () => {
    if (box.checked) selected.add(r.id);
    else selected.delete(r.id);
    onSel();
  });
  boxes.push(box);
  const tr = h(
    "tr",
    { "data-lead-id": r.id, "data-role": r.role, tabindex: 0 },
    h("td", {}, box),
    h("td", { class: "num" }, String(r.rank ?? "")),
    h("td", { class: "num score" }, fmtScore(r.score)),
    h("td", {}, h("span", { class: "role role-" + (r.role || "none") }, r.role)),
    h("td", {}, h("a", { href: href.lead(r.id), class: "lead-name" }, r.name || r.id)),
    h("td", {}, r.country),
    h(
      "td",
      { class: "codes" },
      (r.indicators ?? []).flatMap((c, i) => [
        i ? ", " : "",
        h("span", { title: indicatorCache?.find((x) => x.code === c)?.description ?? "" }, c),
      ]),
    ),
    h("td", {}, h("span", { class: "status status-" + (r.status || "new") }, r.status || "new")),
    h("td", {}, r.assignee),
    h("td", {}, r.unit),
    h("td", {}, r.case_id ? h("a", { href: href.case(r.case_id) }, r.case_id) : ""),
  );
  const open = (): void => navigate(href.lead(r.id));
  tr.addEventListener("click", (ev) => {
    if ((ev.target as HTMLElement).closest("a, input, button")) return;
    open();
  });
  tr.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && ev.target === tr) open();
  });
  return tr;
}
