// The items panel: every item with price, stock, remaining, a sold bar and its state, kept
// current by the stream's snapshots; and the forms to create and restock items.

import { api, query } from "./api.js";
import { cell, count, el, localToIso, money } from "./format.js";

const MAX_PAGES = 10;

export class ItemsPanel {
  constructor({ onChange }) {
    this.items = new Map();
    this.onChange = onChange;
    this.body = document.getElementById("items-body");
    this.note = document.getElementById("items-note");
    this.bindForms();
  }

  /** Loads every item through GET /items, page by page. */
  async load() {
    const all = [];
    let cursor;
    for (let i = 0; i < MAX_PAGES; i++) {
      const page = await api("GET", `/items${query({ limit: 200, cursor })}`);
      all.push(...page.data);
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    this.items = new Map(all.map((i) => [i.id, i]));
    this.render();
  }

  /** Merges the live views of a snapshot (remaining from the gate, stock, state). */
  update(views) {
    let added = false;
    for (const v of views) {
      if (!this.items.has(v.id)) added = true;
      this.items.set(v.id, { ...this.items.get(v.id), ...v });
    }
    this.render(added);
  }

  list() {
    return [...this.items.values()].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  }

  render(changedSet = true) {
    const rows = this.list().map((item) => this.row(item));
    this.body.replaceChildren(...rows);
    if (rows.length === 0) this.body.append(el("tr", { class: "empty" }, el("td", { colSpan: 6 }, "No items yet: create one.")));
    const live = this.list().filter((i) => i.state === "live").length;
    this.note.textContent = `${this.items.size} ${this.items.size === 1 ? "item" : "items"} · ${live} live`;
    if (changedSet) this.onChange(this.list());
  }

  row(item) {
    const sold = Math.max(0, item.stock - item.remaining);
    const share = item.stock > 0 ? Math.min(1, sold / item.stock) : 0;
    const fill = el("span", { class: "fill" });
    fill.style.width = `${(share * 100).toFixed(1)}%`;
    return el(
      "tr",
      { dataset: { itemId: item.id } },
      cell("Item", el("strong", {}, item.name), el("div", { class: "muted small" }, `max ${item.maxPerUser} per buyer`)),
      cell("Price", money(item.price, item.currency)),
      cell("Stock", el("span", { class: "num stock" }, count(item.stock))),
      cell("Remaining", el("span", { class: "num remaining" }, count(item.remaining))),
      cell("Sold", el("div", { class: "bar", title: `${count(sold)} of ${count(item.stock)} sold or reserved` }, fill), el("span", { class: "small muted" }, `${Math.round(share * 100)}%`)),
      cell("State", el("span", { class: `badge state-${item.state}` }, item.state.replace("_", " "))),
    );
  }

  bindForms() {
    const create = document.getElementById("item-form");
    create.addEventListener("submit", (e) => {
      e.preventDefault();
      const f = new FormData(create);
      const body = {
        name: f.get("name"),
        price: Number(f.get("price")),
        currency: String(f.get("currency")).toUpperCase(),
        stock: Number(f.get("stock")),
        maxPerUser: Number(f.get("maxPerUser") || 1),
        rewardRate: Number(f.get("rewardRate") || 0),
        startsAt: localToIso(f.get("startsAt")),
        endsAt: localToIso(f.get("endsAt")),
      };
      submit(create, () => api("POST", "/items", body), (item) => {
        this.update([item]);
        create.reset();
        return `Created “${item.name}”.`;
      });
    });

    const restock = document.getElementById("restock-form");
    restock.addEventListener("submit", (e) => {
      e.preventDefault();
      const f = new FormData(restock);
      const id = String(f.get("itemId"));
      submit(restock, () => api("POST", `/items/${id}/restock`, { quantity: Number(f.get("quantity")) }), (item) => {
        this.update([item]);
        restock.elements.quantity.value = "";
        return `${item.name}: stock ${count(item.stock)}, remaining ${count(item.remaining)}.`;
      });
    });
  }
}

/** Runs a form's request with its button disabled; the outcome goes to the form's note. */
async function submit(form, request, success) {
  const button = form.querySelector("button[type=submit]");
  const note = form.querySelector(".note");
  button.disabled = true;
  note.className = "note";
  note.textContent = "…";
  try {
    note.textContent = success(await request());
    note.classList.add("ok");
  } catch (err) {
    note.textContent = err.message;
    note.classList.add("error");
  } finally {
    button.disabled = false;
  }
}

/** Fills every item <select> with the items, keeping what each had selected. */
export function fillItemSelects(items) {
  for (const select of document.querySelectorAll("select.item-select")) {
    const keep = select.value;
    const options = items.map((i) => el("option", { value: i.id }, `${i.name} (${i.id.slice(0, 8)})`));
    if (select.dataset.any) options.unshift(el("option", { value: "" }, select.dataset.any));
    select.replaceChildren(...options);
    if ([...select.options].some((o) => o.value === keep)) select.value = keep;
  }
}
