// The orders table: GET /orders with filters (status, item, buyer, date range), cursor paging,
// and a refund button on COMPLETED orders (POST /orders/:id/refund).

import { api, query } from "./api.js";
import { cell, el, localToIso, money, shortId, when } from "./format.js";

const PAGE_SIZE = 25;

export class OrdersPanel {
  constructor({ itemName }) {
    this.itemName = itemName;
    this.form = document.getElementById("order-filters");
    this.body = document.getElementById("orders-body");
    this.error = document.getElementById("orders-error");
    this.note = document.getElementById("orders-note");
    this.prev = document.getElementById("prev-page");
    this.next = document.getElementById("next-page");
    this.label = document.getElementById("page-label");
    this.cursors = [undefined]; // the cursor of each page visited so far; the last is shown
    this.nextCursor = null;
    this.seq = 0;

    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.first();
    });
    this.form.addEventListener("reset", () => setTimeout(() => this.first()));
    this.next.addEventListener("click", () => {
      if (!this.nextCursor) return;
      this.cursors.push(this.nextCursor);
      this.show();
    });
    this.prev.addEventListener("click", () => {
      if (this.cursors.length < 2) return;
      this.cursors.pop();
      this.show();
    });
  }

  filters() {
    const f = new FormData(this.form);
    return {
      status: f.get("status"),
      itemId: f.get("itemId"),
      userId: String(f.get("userId") || "").trim(),
      from: localToIso(f.get("from")),
      to: localToIso(f.get("to")),
    };
  }

  /** Filters by one buyer (a click on a buyer id in the table). */
  byBuyer(userId) {
    this.form.elements.userId.value = userId;
    this.first();
  }

  first() {
    this.cursors = [undefined];
    return this.show();
  }

  /** Shows the current page; a slower, older request never overwrites a newer one. */
  async show() {
    const seq = ++this.seq;
    const cursor = this.cursors[this.cursors.length - 1];
    this.body.classList.add("loading");
    try {
      const page = await api("GET", `/orders${query({ ...this.filters(), limit: PAGE_SIZE, cursor })}`);
      if (seq !== this.seq) return;
      this.error.textContent = "";
      this.nextCursor = page.nextCursor;
      this.render(page.data);
    } catch (err) {
      if (seq !== this.seq) return;
      this.error.textContent = err.status === 404 ? "The orders list is not available on this server yet." : err.message;
      this.nextCursor = null;
      this.render([]);
    } finally {
      if (seq === this.seq) this.body.classList.remove("loading");
    }
  }

  render(orders) {
    const rows = orders.map((o) => this.row(o));
    if (rows.length === 0) rows.push(el("tr", { class: "empty" }, el("td", { colSpan: 7 }, "No orders match.")));
    this.body.replaceChildren(...rows);
    const page = this.cursors.length;
    this.label.textContent = `page ${page}`;
    this.note.textContent = orders.length ? `${orders.length} shown, newest first` : "";
    this.prev.disabled = page < 2;
    this.next.disabled = !this.nextCursor;
  }

  row(o) {
    const items = o.items.map((l) => `${l.quantity} × ${this.itemName(l.itemId)}`).join(", ");
    const buyer = el("button", { type: "button", class: "link", title: `show only ${o.userId}`, onclick: () => this.byBuyer(o.userId) }, shortId(o.userId));
    const action = o.status === "COMPLETED" ? el("button", { type: "button", class: "small danger refund", onclick: (e) => this.refund(o, e.currentTarget) }, "Refund") : "";
    return el(
      "tr",
      { dataset: { orderId: o.id, status: o.status } },
      cell("Created", when(o.createdAt)),
      cell("Order", shortId(o.id)),
      cell("Buyer", buyer),
      cell("Items", items),
      cell("Total", money(o.total, o.currency)),
      cell("Status", el("span", { class: `badge status-${o.status.toLowerCase()}`, title: o.reason ?? "" }, o.reason ? `${o.status} · ${o.reason}` : o.status)),
      cell("", action),
    );
  }

  async refund(order, button) {
    if (!confirm(`Refund order ${order.id.slice(0, 8)} (${money(order.total, order.currency)})?`)) return;
    button.disabled = true;
    try {
      await api("POST", `/orders/${order.id}/refund`);
      await this.show();
    } catch (err) {
      button.disabled = false;
      this.error.textContent = `Refund of ${order.id.slice(0, 8)} failed: ${err.message}`;
    }
  }
}
