import { api } from "../api";
import { h } from "../dom";
import { setMe } from "../session";

export function renderLogin(view: HTMLElement, done: () => void): void {
  const user = h("input", { id: "username", name: "username", autocomplete: "username", required: true });
  const pass = h("input", {
    id: "password",
    name: "password",
    type: "password",
    autocomplete: "current-password",
    required: true,
  });
  const err = h("p", { id: "login-error", class: "error", role: "alert" });
  const btn = h("button", { id: "login", type: "submit" }, "Log in");
  const form = h(
    "form",
    { class: "login panel", "data-testid": "login-form" },
    h("h1", {}, "Sign in to filo"),
    h("label", { for: "username" }, "Username"),
    user,
    h("label", { for: "password" }, "Password"),
    pass,
    btn,
    err,
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    err.textContent = "";
    btn.disabled = true;
    try {
      setMe(await api.login(user.value, pass.value));
      done();
    } catch (e) {
      err.textContent = e instanceof Error ? e.message : String(e);
    } finally {
      btn.disabled = false;
    }
  });
  view.appendChild(form);
  user.focus();
}
