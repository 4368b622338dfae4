// Display helpers: money in minor units, times, numbers, and small DOM builders.

const digitsCache = new Map();

/** Fraction digits of an ISO 4217 currency (USD 2, JPY 0); PTS and unknown codes 0. */
function fractionDigits(currency) {
  if (!digitsCache.has(currency)) {
    let d = 0;
    try {
      d = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits;
    } catch {
      d = 0;
    }
    digitsCache.set(currency, d);
  }
  return digitsCache.get(currency);
}

/** An integer amount of minor units as money: 2500 USD → "$25.00". */
export function money(minor, currency) {
  const d = fractionDigits(currency);
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency, minimumFractionDigits: d, maximumFractionDigits: d }).format(minor / 10 ** d);
  } catch {
    return `${minor} ${currency}`;
  }
}

export const count = (n) => (n === null || n === undefined ? "–" : new Intl.NumberFormat().format(n));

export function rate(n) {
  if (n === null || n === undefined) return "–";
  return n >= 100 ? count(Math.round(n)) : (Math.round(n * 10) / 10).toString();
}

export function when(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  const sameDay = d.toDateString() === new Date().toDateString();
  return sameDay ? d.toLocaleTimeString() : d.toLocaleString();
}

/** A datetime-local input's value (local time) as an ISO string in UTC, or undefined. */
export function localToIso(value) {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** document.createElement with properties, data attributes and children (text is never parsed as HTML). */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null) continue;
    if (k === "dataset") Object.assign(node.dataset, v);
    else if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node[k] = v;
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false && c !== "") node.append(c instanceof Node ? c : String(c));
  return node;
}

/** A table cell labelled for the card layout of narrow screens. */
export const cell = (label, ...children) => el("td", { dataset: { label } }, ...children);

/** The first 8 characters of a UUID, with the whole id in its title. */
export const shortId = (id) => el("code", { title: id, class: "id" }, id.slice(0, 8));
