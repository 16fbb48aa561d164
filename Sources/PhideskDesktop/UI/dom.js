// Small DOM helpers. Everything that may carry record data goes through
// textContent or text nodes; nothing here ever parses markup.

/** Creates an element; `children` may be nodes or strings (added as text). */
export function el(tag, options = {}, ...children) {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  if (options.text !== undefined) node.textContent = options.text;
  if (options.id) node.id = options.id;
  if (options.attrs) {
    for (const [name, value] of Object.entries(options.attrs)) node.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false || child === '') continue;
    node.append(child);
  }
  return node;
}

/** A trimmed string for a string or number, otherwise ''. */
export function str(value) {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return '';
}

/** The value when it is an array, otherwise an empty array. */
export function arr(value) {
  return Array.isArray(value) ? value : [];
}

/** The value when it is a plain object, otherwise an empty object. */
export function obj(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

/** "female" → "Female"; unknown values are shown as written. */
export function formatGender(value) {
  const text = str(value);
  if (!text) return '';
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Dates are shown as written in the record (no time-zone conversion). `day` keeps the
 * date alone (onsets, prescriptions); otherwise a date-time shows to the minute, e.g.
 * "2021-03-25 12:59".
 */
export function formatDate(value, { day = false } = {}) {
  const text = str(value);
  const parts = text.match(/^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}))?/);
  if (!parts) return text;
  return day || !parts[2] ? parts[1] : `${parts[1]} ${parts[2]}`;
}

/** UCUM codes as people write them; annotations such as "{score}" are dropped. */
const UNIT_NAMES = { Cel: '°C', 'mm[Hg]': 'mmHg', '[degF]': '°F', '[in_i]': 'in', '[lb_av]': 'lb' };

export function formatUnit(unit) {
  const u = str(unit);
  if (/^\{[^}]*\}$/.test(u)) return '';
  return UNIT_NAMES[u] || u;
}

/** A value and its unit, e.g. "120 mmHg". */
export function withUnit(value, unit) {
  const v = str(value);
  const u = formatUnit(unit);
  if (!v) return '';
  return u ? `${v} ${u}` : v;
}
