import { api } from "../api";
import { fmtTime, h, table } from "../dom";

/** renderAudit shows the hash-chained audit log, newest page last, with a
 * pager. Supervisors and admins only; the server enforces it. */
export async function renderAudit(view: HTMLElement, hash: string): Promise<void> {
  const q = new URLSearchParams(hash.split("?")[1] ?? "");
  const pageSize = 100;
  let page = Number(q.get("page") ?? "0");
  const first = await api.audit(1, pageSize);
  const pages = Math.max(1, Math.ceil(first.total / pageSize));
  if (!page || page < 1 || page > pages) page = pages; // the latest entries first
  const data = page === 1 ? first : await api.audit(page, pageSize);
  view.appendChild(h("h1", {}, "Audit log"));
  view.appendChild(
    h(
      "p",
      { class: "small" },
      `${first.total} entries. Each entry's hash commits to the one before it; `,
      h("code", {}, "filo audit verify"),
      " checks the whole chain.",
    ),
  );
  view.appendChild(
    table(
      ["#", "Time", "User", "Action", "Object", "Detail", "Hash"],
      (data.items ?? []).map((e) => [String(e.seq), fmtTime(e.at), e.user, e.action, e.object, e.detail, h("span", { class: "mono small", title: e.hash }, e.hash.slice(0, 12) + "…")]),
      { class: "data", id: "audit-table" },
    ),
  );
  view.appendChild(
    h(
      "p",
      { class: "pager" },
      page > 1 ? h("a", { href: `#/audit?page=${page - 1}` }, "‹ Older") : null,
      ` Page ${page} of ${pages} `,
      page < pages ? h("a", { href: `#/audit?page=${page + 1}` }, "Newer ›") : null,
    ),
  );
}
