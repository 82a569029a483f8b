import { api, Case, CaseDetail } from "../api";
import { fmtTime, h, href, section, table } from "../dom";
import { atLeast } from "../session";

const STATUSES = ["new", "in_review", "referred", "dismissed"];

export async function renderCases(view: HTMLElement): Promise<void> {
  const res = await api.cases(new URLSearchParams({ page: "1", page_size: "200" }));
  const items = res.items ?? [];
  view.appendChild(h("h1", {}, "Cases"));
  view.appendChild(
    h("p", { class: "hint" }, `${res.total ?? items.length} case(s). Open a case from selected leads in the `, h("a", { href: "#/leads" }, "lead queue"), "."),
  );
  view.appendChild(
    table(
      ["Case", "Title", "Unit", "Status", "Assignee", "Leads", "Created by", "Updated"],
      items.map((c) => [
        h("a", { href: href.case(c.id), class: "mono" }, c.id),
        h("a", { href: href.case(c.id), class: "case-title" }, c.title),
        c.unit,
        h("span", { class: "status status-" + c.status }, c.status),
        c.assignee,
        String((c.lead_ids ?? []).length),
        c.created_by,
        fmtTime(c.updated_at),
      ]),
      { class: "data", id: "case-table", "data-testid": "case-table" },
    ),
  );
}

export async function renderCase(view: HTMLElement, id: string): Promise<void> {
  const d = await api.caseDetail(id);
  const can = atLeast("analyst");
  const root = h("div", {});
  view.appendChild(root);

  const draw = (d: CaseDetail): void => {
    const c = d.case;
    const err = h("p", { class: "error", role: "alert", id: "case-error" });
    const fail = (e: unknown): void => {
      err.textContent = e instanceof Error ? e.message : String(e);
    };
    const reload = async (): Promise<void> => draw(await api.caseDetail(id));

    // Status and assignee.
    const status = h(
      "select",
      { id: "case-status-select", disabled: !can, "aria-label": "Case status" },
      STATUSES.map((s) => h("option", { value: s, selected: s === c.status }, s)),
    );
    status.value = c.status;
    status.addEventListener("change", async () => {
      try {
        await api.patchCase(id, { status: status.value });
        await reload();
      } catch (e) {
        fail(e);
      }
    });
    const assignee = h("input", { id: "case-assignee", value: c.assignee || "", size: 12, disabled: !can });
    const assignForm = h(
      "form",
      { class: "inline" },
      assignee,
      h("button", { type: "submit", id: "case-assign", disabled: !can }, "Set assignee"),
    );
    assignForm.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      try {
        await api.patchCase(id, { assignee: assignee.value.trim() });
        await reload();
      } catch (e) {
        fail(e);
      }
    });

    // Members.
    const memberInput = h("input", { id: "member-username", placeholder: "username", size: 12 });
    const memberForm = atLeast("supervisor")
      ? h("form", { class: "inline" }, memberInput, h("button", { type: "submit", id: "add-member" }, "Add member"))
      : null;
    memberForm?.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      try {
        await api.addMember(id, memberInput.value.trim());
        await reload();
      } catch (e) {
        fail(e);
      }
    });

    // Notes.
    const body = h("textarea", { id: "note-body", rows: 3, cols: 60, placeholder: "Add a note…", disabled: !can });
    const noteForm = h(
      "form",
      { class: "stack" },
      h("label", { for: "note-body" }, "New note"),
      body,
      h("button", { type: "submit", id: "add-note", disabled: !can }, "Add note"),
    );
    noteForm.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      if (!body.value.trim()) {
        err.textContent = "A note cannot be empty.";
        return;
      }
      try {
        await api.addNote(id, body.value);
        await reload();
      } catch (e) {
        fail(e);
      }
    });

    // Disposition.
    const disp = h(
      "select",
      { id: "disposition", disabled: !can },
      h("option", { value: "referred" }, "referred"),
      h("option", { value: "dismissed" }, "dismissed"),
    );
    const reason = h("input", { id: "disposition-reason", size: 40, placeholder: "Reason (required)", "aria-required": "true", disabled: !can });
    const dispForm = h(
      "form",
      { class: "inline" },
      h("label", { for: "disposition" }, "Disposition "),
      disp,
      h("label", { for: "disposition-reason" }, " Reason "),
      reason,
      h("button", { type: "submit", id: "set-disposition", disabled: !can }, "Set disposition"),
    );
    dispForm.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      if (!reason.value.trim()) {
        err.textContent = "A reason is required for a disposition.";
        reason.focus();
        return;
      }
      try {
        await api.dispose(id, disp.value, reason.value.trim());
        await reload();
      } catch (e) {
        fail(e);
      }
    });

    root.replaceChildren(
      h("h1", {}, "Case ", h("span", { class: "mono" }, c.id), ": ", h("span", { id: "case-title", "data-testid": "case-title" }, c.title)),
      err,
      h(
        "div",
        { class: "columns" },
        section(
          "Details",
          h(
            "dl",
            { class: "facts" },
            h("dt", {}, "Status"),
            h("dd", {}, h("span", { id: "case-status", class: "status status-" + c.status }, c.status), " ", status),
            h("dt", {}, "Unit"),
            h("dd", { id: "case-unit" }, c.unit),
            h("dt", {}, "Assignee"),
            h("dd", {}, assignForm),
            h("dt", {}, "Members"),
            h("dd", {}, h("div", { id: "case-members" }, (c.members ?? []).join(", ") || "none"), memberForm),
            h("dt", {}, "Created"),
            h("dd", {}, `${c.created_by} · ${fmtTime(c.created_at)}`),
            h("dt", {}, "Updated"),
            h("dd", {}, fmtTime(c.updated_at)),
            h("dt", {}, "Disposition"),
            h("dd", { id: "case-disposition" }, c.disposition ? `${c.disposition}: ${c.disposition_reason}` : "none"),
          ),
          h("p", {}, h("a", { href: api.exportUrl(c.id), id: "export", download: `case-${c.id}.json` }, "Export case (JSON)")),
        ),
        section(
          `Leads (${(c.lead_ids ?? []).length})`,
          h("ul", { id: "case-leads" }, (c.lead_ids ?? []).map((l) => h("li", {}, h("a", { href: href.lead(l) }, l)))),
        ),
      ),
      section(
        "Notes",
        h(
          "ol",
          { id: "notes", class: "notes" },
          (d.notes ?? []).map((n) =>
            h("li", { class: "note" }, h("div", { class: "small" }, `${n.author} · ${fmtTime(n.at)}`), h("p", { class: "note-body" }, n.body)),
          ),
        ),
        can ? noteForm : null,
      ),
      section(
        "Disposition",
        can ? dispForm : h("p", { class: "small" }, "Viewers cannot set a disposition."),
        table(
          ["When", "By", "Disposition", "Reason"],
          (d.dispositions ?? []).map((x) => [fmtTime(x.at), x.by, x.disposition, x.reason]),
          { class: "data", id: "dispositions" },
        ),
      ),
    );
  };
  draw(d);
}

export type { Case };
