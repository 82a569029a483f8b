import cytoscape, { type Core, type ElementDefinition, type NodeSingular } from "cytoscape";
import { api, NetEdge, NetNode, Network } from "../api";
import { clear, errorBox, fmtScore, fmtTime, fmtUsd, h, href } from "../dom";
import { navigate } from "../nav";

const COLORS = {
  buyer: "#c2410c",
  facilitator: "#6d28d9",
  ring: "#a78bfa",
  none: "#94a3b8",
};

function nodeClass(n: NetNode): string {
  if (n.role === "buyer") return "buyer";
  if (n.role === "facilitator") return "facilitator";
  if (n.ring) return "ring";
  return "none";
}

declare global {
  interface Window {
    /** test hook: rendered positions of the graph's nodes (page coordinates). */
    __filoNetwork?: { nodes: () => { id: string; x: number; y: number }[]; select: (id: string) => void };
  }
}

export async function renderNetwork(view: HTMLElement, id: string): Promise<() => void> {
  const first = await api.network(id);

  const count = h("span", { id: "node-count", "data-testid": "node-count" }, "0");
  const edgeCount = h("span", { id: "edge-count" }, "0");
  const status = h("span", { id: "network-status", role: "status" });
  const finder = h("select", { id: "node-select", "aria-label": "Select a node" });
  const panel = h("aside", { id: "node-panel", class: "panel side", "aria-live": "polite" }, h("p", {}, "Click a node to see its details."));
  const graph = h("div", { id: "graph", "data-testid": "graph" });

  view.appendChild(
    h("h1", {}, "Payment network around ", h("span", { class: "mono" }, first.center || id)),
  );
  view.appendChild(
    h(
      "div",
      { class: "toolbar" },
      h("span", {}, "Nodes: ", count, " · edges: ", edgeCount),
      h("label", {}, " Find: ", finder),
      h("span", { class: "legend" }, legendItem("buyer lead", COLORS.buyer), legendItem("facilitator lead", COLORS.facilitator), legendItem("facilitator ring member", COLORS.ring), legendItem("no lead", COLORS.none)),
      status,
    ),
  );
  view.appendChild(
    h("p", { class: "small" }, "Node size follows the lead score; edge width follows the number of payments (source pays target)."),
  );
  view.appendChild(h("div", { class: "network" }, graph, panel));

  const nodes = new Map<string, NetNode>();
  const edges = new Map<string, NetEdge>();
  let maxScore = 1;

  const cy: Core = cytoscape({
    container: graph,
    elements: [],
    minZoom: 0.05,
    maxZoom: 4,
    wheelSensitivity: 0.3,
    style: [
      {
        selector: "node",
        style: {
          "background-color": COLORS.none,
          label: "data(label)",
          "font-size": 10,
          color: "#1f2937",
          "text-valign": "bottom",
          "text-margin-y": 2,
          width: "data(size)",
          height: "data(size)",
          "min-zoomed-font-size": 7,
        },
      },
      { selector: "node.buyer", style: { "background-color": COLORS.buyer } },
      { selector: "node.facilitator", style: { "background-color": COLORS.facilitator } },
      { selector: "node.ring", style: { "background-color": COLORS.ring } },
      { selector: "node.center", style: { "border-width": 3, "border-color": "#111827" } },
      { selector: "node:selected", style: { "border-width": 4, "border-color": "#2563eb" } },
      {
        selector: "edge",
        style: {
          width: "data(width)",
          "line-color": "#cbd5e1",
          "target-arrow-color": "#94a3b8",
          "target-arrow-shape": "triangle",
          "curve-style": "bezier",
          "arrow-scale": 0.7,
        },
      },
    ],
  });

  const size = (n: NetNode): number => 14 + 36 * Math.min(1, Math.max(0, (n.score || 0) / maxScore));

  /** merge adds nodes and edges not yet in the graph; returns how many nodes were new. */
  const merge = (net: Network, around?: { x: number; y: number }): number => {
    const add: ElementDefinition[] = [];
    let added = 0;
    for (const n of net.nodes ?? []) maxScore = Math.max(maxScore, n.score || 0);
    for (const n of net.nodes ?? []) {
      if (nodes.has(n.id)) continue;
      nodes.set(n.id, n);
      added++;
      add.push({
        group: "nodes",
        data: { id: n.id, label: n.name || n.id, size: size(n) },
        classes: nodeClass(n) + (n.id === first.center ? " center" : ""),
        position: around ? { x: around.x + (Math.random() - 0.5) * 120, y: around.y + (Math.random() - 0.5) * 120 } : undefined,
      });
    }
    for (const e of net.edges ?? []) {
      const key = e.source + "\u0000" + e.target;
      if (edges.has(key) || !nodes.has(e.source) || !nodes.has(e.target)) continue;
      edges.set(key, e);
      add.push({
        group: "edges",
        data: { id: "e" + edges.size, source: e.source, target: e.target, width: 1 + Math.log2(Math.max(1, e.count || 1)) },
      });
    }
    cy.add(add);
    count.textContent = String(nodes.size);
    count.setAttribute("data-count", String(nodes.size));
    edgeCount.textContent = String(edges.size);
    refreshFinder();
    return added;
  };

  const layout = (randomize: boolean): void => {
    const n = cy.nodes().length;
    const opts =
      n > 300
        ? { name: "concentric", animate: false, minNodeSpacing: 4, concentric: (x: NodeSingular) => x.degree(false), levelWidth: () => 2 }
        : { name: "cose", animate: false, randomize, nodeRepulsion: () => 8000, idealEdgeLength: () => 60, numIter: 1000 };
    cy.layout(opts as cytoscape.LayoutOptions).run();
    cy.fit(undefined, 20);
    if (cy.zoom() > 1.2) {
      cy.zoom(1.2);
      cy.center();
    }
  };

  const refreshFinder = (): void => {
    const keep = finder.value;
    const sorted = [...nodes.values()].sort((a, b) => (b.score || 0) - (a.score || 0) || a.id.localeCompare(b.id));
    finder.replaceChildren(
      h("option", { value: "" }, "—"),
      ...sorted.map((n) => h("option", { value: n.id }, `${n.name || n.id} (${n.id})`)),
    );
    finder.value = keep;
  };

  const show = (nid: string): void => {
    const n = nodes.get(nid);
    if (!n) return;
    cy.nodes().unselect();
    cy.getElementById(nid).select();
    finder.value = nid;
    const ins = [...edges.values()].filter((e) => e.target === nid);
    const outs = [...edges.values()].filter((e) => e.source === nid);
    const sum = (es: NetEdge[]) => es.reduce((s, e) => s + (e.amount_usd || 0), 0);
    const expand = h("button", { type: "button", id: "expand" }, "Expand");
    expand.addEventListener("click", async () => {
      expand.disabled = true;
      status.textContent = "Loading…";
      try {
        const added = merge(await api.network(nid), { ...cy.getElementById(nid).position() });
        layout(false);
        status.textContent = `Expanded ${n.name || nid}: ${added} new node(s).`;
      } catch (e) {
        status.textContent = "";
        panel.appendChild(errorBox(e));
      } finally {
        expand.disabled = false;
      }
    });
    const dates = [...ins, ...outs];
    const firstTs = dates.map((e) => e.first).filter(Boolean).sort()[0];
    const lastTs = dates.map((e) => e.last).filter(Boolean).sort().at(-1);
    clear(panel);
    panel.append(
      h("h2", { id: "node-name" }, n.name || n.id),
      h(
        "dl",
        { class: "facts" },
        h("dt", {}, "Entity"),
        h("dd", { class: "mono" }, n.id),
        h("dt", {}, "Country"),
        h("dd", {}, n.country),
        h("dt", {}, "Lead"),
        h("dd", {}, n.lead_id ? h("a", { href: href.lead(n.lead_id) }, `${n.lead_id} (${n.role})`) : "none"),
        h("dt", {}, "Score"),
        h("dd", {}, n.lead_id ? fmtScore(n.score) : ""),
        h("dt", {}, "Ring"),
        h("dd", {}, n.ring ? h("a", { href: href.lead(n.ring) }, n.ring) : ""),
        h("dt", {}, "Pays (in graph)"),
        h("dd", {}, `${outs.length} counterpart(ies), ${fmtUsd(sum(outs))} USD`),
        h("dt", {}, "Paid by (in graph)"),
        h("dd", {}, `${ins.length} counterpart(ies), ${fmtUsd(sum(ins))} USD`),
        h("dt", {}, "Period"),
        h("dd", {}, firstTs ? `${fmtTime(firstTs)} – ${fmtTime(lastTs)}` : ""),
      ),
      h(
        "p",
        {},
        expand,
        " ",
        h("button", { type: "button", id: "open-person", onclick: () => navigate(href.person(nid)) }, "Open person"),
      ),
    );
  };

  cy.on("tap", "node", (ev) => show(ev.target.id()));
  cy.on("tap", "edge", (ev) => {
    const e = edges.get(ev.target.data("source") + "\u0000" + ev.target.data("target"));
    if (!e) return;
    const name = (id: string) => nodes.get(id)?.name || id;
    clear(panel);
    panel.append(
      h("h2", {}, "Payments"),
      h(
        "dl",
        { class: "facts" },
        h("dt", {}, "From"),
        h("dd", {}, h("a", { href: href.person(e.source) }, name(e.source))),
        h("dt", {}, "To"),
        h("dd", {}, h("a", { href: href.person(e.target) }, name(e.target))),
        h("dt", {}, "Count"),
        h("dd", {}, String(e.count)),
        h("dt", {}, "Total USD"),
        h("dd", {}, fmtUsd(e.amount_usd)),
        h("dt", {}, "Period"),
        h("dd", {}, `${fmtTime(e.first)} – ${fmtTime(e.last)}`),
      ),
    );
  });
  finder.addEventListener("change", () => {
    if (!finder.value) return;
    show(finder.value);
    const el = cy.getElementById(finder.value);
    cy.animate({ center: { eles: el } }, { duration: 0 });
  });

  merge(first);
  layout(true);

  window.__filoNetwork = {
    nodes: () => {
      const box = graph.getBoundingClientRect();
      return cy.nodes().map((n) => {
        const p = n.renderedPosition();
        return { id: n.id(), x: box.left + p.x, y: box.top + p.y };
      });
    },
    select: show,
  };

  return () => {
    delete window.__filoNetwork;
    cy.destroy();
  };
}

function legendItem(text: string, color: string): HTMLElement {
  const dot = h("span", { class: "dot" });
  dot.style.backgroundColor = color;
  return h("span", { class: "legend-item" }, dot, text);
}
