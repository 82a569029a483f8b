import "./style.css";
import { api, onUnauthorized } from "./api";
import { clear, errorBox, h } from "./dom";
import { atLeast, loadMe, me, setMe } from "./session";
import { navigate, setRerender } from "./nav";
import { renderLogin } from "./views/login";
import { renderLeads } from "./views/leads";
import { renderLead } from "./views/lead";
import { renderCases, renderCase } from "./views/cases";
import { renderAudit } from "./views/audit";

const app = document.getElementById("app") as HTMLElement;
const topbar = document.getElementById("topbar") as HTMLElement;

/** cleanup of the current view (charts, graphs). */
let teardown: (() => void) | null = null;
let known = false;


onUnauthorized(() => {
  setMe(null);
  if (!location.hash.startsWith("#/login")) {
    const back = location.hash && location.hash !== "#/login" ? location.hash : "";
    sessionStorage.setItem("filo.after-login", back);
    location.hash = "#/login";
  }
});

function renderTopbar(): void {
  clear(topbar);
  const m = me();
  topbar.appendChild(h("a", { href: "#/leads", class: "brand" }, "filo"));
  if (!m) return;
  topbar.appendChild(
    h(
      "nav",
      {},
      h("a", { href: "#/leads", "data-testid": "nav-leads" }, "Leads"),
      h("a", { href: "#/cases", "data-testid": "nav-cases" }, "Cases"),
      atLeast("supervisor") ? h("a", { href: "#/audit", "data-testid": "nav-audit" }, "Audit log") : null,
    ),
  );
  topbar.appendChild(
    h(
      "div",
      { class: "who" },
      h("span", { id: "whoami", "data-testid": "whoami" }, m.username),
      h("span", { class: "badge" }, m.role),
      m.unit ? h("span", { class: "badge unit" }, "unit " + m.unit) : null,
      h("button", { id: "logout", type: "button", onclick: () => void logout() }, "Log out"),
    ),
  );
}

async function logout(): Promise<void> {
  try {
    await api.logout();
  } catch {
    /* the session may already be gone */
  }
  setMe(null);
  navigate("#/login");
}

async function route(): Promise<void> {
  if (teardown) {
    teardown();
    teardown = null;
  }
  const hash = location.hash || "#/leads";
  const path = hash.replace(/^#\/?/, "").split("?")[0];
  const parts = path.split("/");
  const name = parts[0];
  const rawArg = parts.slice(1).join("/");
  const arg = rawArg ? decodeURIComponent(rawArg) : "";

  if (!known) {
    try {
      await loadMe();
    } catch (e) {
      clear(app);
      app.appendChild(errorBox(e));
      return;
    }
    known = true;
  }
  if (!me() && name !== "login") {
    sessionStorage.setItem("filo.after-login", hash);
    location.hash = "#/login";
    return;
  }
  renderTopbar();
  clear(app);
  const view = h("div", { class: "view", "data-view": name, "data-hash": location.hash });
  app.appendChild(view);
  try {
    switch (name) {
      case "login":
        renderLogin(view, () => {
          renderTopbar();
          const next = sessionStorage.getItem("filo.after-login") || "#/leads";
          sessionStorage.removeItem("filo.after-login");
          navigate(next.startsWith("#/login") ? "#/leads" : next);
        });
        break;
      case "":
      case "leads":
        await renderLeads(view, hash);
        break;
      case "lead":
        await renderLead(view, arg);
        break;
      case "person":
        // chart.js and cytoscape load only when their views are opened.
        teardown = await (await import("./views/person")).renderPerson(view, arg);
        break;
      case "network":
        teardown = await (await import("./views/network")).renderNetwork(view, arg);
        break;
      case "cases":
        await renderCases(view);
        break;
      case "case":
        await renderCase(view, arg);
        break;
      case "audit":
        await renderAudit(view, hash);
        break;
      default:
        view.appendChild(h("p", {}, "Page not found. ", h("a", { href: "#/leads" }, "Back to the lead queue")));
    }
  } catch (e) {
    view.appendChild(errorBox(e));
  }
  view.setAttribute("data-ready", "1");
}

setRerender(() => void route());
window.addEventListener("hashchange", () => void route());
void route();
