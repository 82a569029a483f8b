// Tiny DOM helpers. Server data only ever becomes text nodes or element
// properties here: nothing in the UI assigns innerHTML.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | ((ev: Event) => void) | null | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "innerHTML" || k === "outerHTML") throw new Error("innerHTML is not allowed");
    if (typeof v === "function") {
      el.addEventListener(k.replace(/^on/, "").toLowerCase(), v as EventListener);
    } else if (k === "class") {
      el.className = String(v);
    } else if (k === "value" || k === "checked" || k === "disabled" || k === "selected" || k === "open") {
      (el as unknown as Record<string, unknown>)[k] = v;
    } else if (k === "href") {
      el.setAttribute("href", safeHref(String(v)));
    } else {
      el.setAttribute(k, v === true ? "" : String(v));
    }
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: (Child | Child[])[]): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
  }
}

/** safeHref allows only in-app hashes and same-origin paths. */
function safeHref(v: string): string {
  if (v.startsWith("#") || (v.startsWith("/") && !v.startsWith("//"))) return v;
  return "#";
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/** leadHref etc. build hash routes with encoded ids. */
export const href = {
  lead: (id: string) => "#/lead/" + encodeURIComponent(id),
  person: (id: string) => "#/person/" + encodeURIComponent(id),
  network: (id: string) => "#/network/" + encodeURIComponent(id),
  case: (id: string) => "#/case/" + encodeURIComponent(id),
};

export function fmtScore(n: number | null | undefined): string {
  return typeof n === "number" ? n.toFixed(3) : "";
}

export function fmtUsd(n: number | null | undefined): string {
  return typeof n === "number" ? n.toLocaleString("en-US", { maximumFractionDigits: 2 }) : "";
}

export function fmtTime(s: string | null | undefined): string {
  if (!s) return "";
  const d = new Date(s);
  return isNaN(d.getTime()) ? s : d.toISOString().replace("T", " ").replace(/:\d\d\.\d+Z$|:\d\dZ$/, "Z");
}

export function fileLine(file: string | null | undefined, line: number | null | undefined): string {
  if (!file) return "";
  return line ? `${file}:${line}` : file;
}

export function table(headers: string[], rows: Child[][], attrs: Attrs = {}): HTMLTableElement {
  return h(
    "table",
    attrs,
    h("thead", {}, h("tr", {}, headers.map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, rows.map((r) => h("tr", {}, r.map((c) => h("td", {}, c))))),
  );
}

export function errorBox(err: unknown): HTMLElement {
  const msg = err instanceof Error ? err.message : String(err);
  return h("p", { class: "error", role: "alert", "data-testid": "error" }, msg);
}

export function section(title: string, ...children: (Child | Child[])[]): HTMLElement {
  return h("section", { class: "panel" }, h("h2", {}, title), ...children);
}
