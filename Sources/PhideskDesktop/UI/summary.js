// Renders a ChartSummary reply. Every field may be missing; nothing is trusted
// to be markup-free, so all text goes in through text nodes.

import { el, str, arr, obj, formatGender, formatDate, withUnit } from './dom.js';

function section(id, title, body) {
  const headingID = `summary-${id}-title`;
  return el('section', { className: 'card summary-section', attrs: { 'aria-labelledby': headingID } },
    el('h2', { id: headingID, text: title }),
    body);
}

function empty(text = 'None recorded.') {
  return el('p', { className: 'empty', text });
}

function itemList(items, render, emptyText = undefined) {
  if (items.length === 0) return empty(emptyText);
  const list = el('ul', { className: 'item-list' });
  for (const item of items) list.append(render(obj(item)));
  return list;
}

/** A wide table scrolls inside its card, not the whole page (reflow at high zoom). */
function scrollable(node, label) {
  if (node.tagName !== 'TABLE') return node;
  return el('div', { className: 'table-scroll',
    attrs: { role: 'region', 'aria-label': label, tabindex: '0' } }, node);
}

function itemRow(title, ...details) {
  const shown = details.filter(Boolean);
  return el('li', { className: 'item' },
    el('span', { className: 'item-title', text: title || '(no description)' }),
    shown.length ? el('span', { className: 'item-detail' }, ...shown) : null);
}

function detail(label, value) {
  const text = str(value);
  if (!text) return null;
  return el('span', { className: 'detail' }, el('span', { className: 'detail-label', text: `${label}: ` }), text);
}

function demographics(patient, patientID) {
  const name = str(patient.displayName) || '(no name)';
  const facts = el('dl', { className: 'facts' });
  const addFact = (label, value) => {
    if (!value) return;
    facts.append(el('div', { className: 'fact' }, el('dt', { text: label }), el('dd', { text: value })));
  };
  addFact('Birth date', formatDate(patient.birthDate) || 'Not recorded');
  addFact('Gender', formatGender(patient.gender) || 'Not recorded');
  if (patient.isDeceased === true) {
    addFact('Deceased', formatDate(patient.deceasedDateTime) || 'Yes');
  }
  const header = el('header', { className: 'card patient-header' },
    el('h1', { id: 'summary-title', text: name, attrs: { tabindex: '-1' } }),
    patient.isDeceased === true ? el('p', { className: 'badge badge-deceased', text: 'Deceased' }) : null,
    facts);
  if (patientID) header.append(el('p', { className: 'record-id' }, 'Record id ', el('code', { text: patientID })));
  return header;
}

// LOINC codes of blood pressure's parts, shown as the usual "systolic/diastolic unit".
const SYSTOLIC = '8480-6';
const DIASTOLIC = '8462-4';

function bloodPressure(components) {
  const find = (code) => components.find((c) => str(c.code).endsWith(`|${code}`));
  const systolic = find(SYSTOLIC);
  const diastolic = find(DIASTOLIC);
  if (!systolic || !diastolic || !str(systolic.value) || !str(diastolic.value)) return '';
  if (str(systolic.unit) !== str(diastolic.unit)) return '';
  return withUnit(`${str(systolic.value)}/${str(diastolic.value)}`, systolic.unit);
}

function vitalValue(vital) {
  const components = arr(vital.components).map(obj);
  const main = withUnit(vital.value, vital.unit);
  const pressure = main ? '' : bloodPressure(components);
  if (pressure) return pressure;
  if (components.length === 0) return main || 'No value';
  const list = el('ul', { className: 'components' });
  for (const component of components) {
    list.append(el('li', {},
      el('span', { className: 'detail-label', text: `${str(component.display) || 'Component'}: ` }),
      withUnit(component.value, component.unit) || 'no value'));
  }
  if (!main) return list;
  const wrap = el('div');
  wrap.append(el('p', { text: main }), list);
  return wrap;
}

function vitalsTable(vitals) {
  if (vitals.length === 0) return empty();
  const body = el('tbody');
  for (const raw of vitals) {
    const vital = obj(raw);
    const value = vitalValue(vital);
    body.append(el('tr', {},
      el('th', { attrs: { scope: 'row' }, text: str(vital.display) || str(vital.code) || '(unnamed)' }),
      el('td', {}, value),
      el('td', { className: 'nowrap', text: formatDate(vital.date) || '—' })));
  }
  return el('table', { className: 'table' },
    el('thead', {}, el('tr', {},
      el('th', { attrs: { scope: 'col' }, text: 'Vital sign' }),
      el('th', { attrs: { scope: 'col' }, text: 'Value' }),
      el('th', { attrs: { scope: 'col' }, text: 'Date' }))),
    body);
}

function countsTable(counts) {
  const rows = counts.map(obj).filter((c) => str(c.resourceType));
  if (rows.length === 0) return empty('No records.');
  const body = el('tbody');
  let total = 0;
  for (const row of rows) {
    const count = Number.isFinite(row.count) ? row.count : 0;
    total += count;
    body.append(el('tr', {},
      el('th', { attrs: { scope: 'row' }, text: str(row.resourceType) }),
      el('td', { className: 'num', text: String(count) })));
  }
  return el('table', { className: 'table counts' },
    el('thead', {}, el('tr', {},
      el('th', { attrs: { scope: 'col' }, text: 'Record type' }),
      el('th', { attrs: { scope: 'col' }, className: 'num', text: 'Count' }))),
    body,
    el('tfoot', {}, el('tr', {},
      el('th', { attrs: { scope: 'row' }, text: 'Total' }),
      el('td', { className: 'num', text: String(total) }))));
}

/** Builds the summary view's content. */
export function renderSummary(rawSummary, patientID) {
  const summary = obj(rawSummary);
  const fragment = document.createDocumentFragment();
  fragment.append(demographics(obj(summary.patient), str(patientID)));

  const damaged = Number(summary.damagedRecords);
  if (Number.isFinite(damaged) && damaged > 0) {
    const what = damaged === 1 ? '1 record' : `${damaged} records`;
    fragment.append(el('p', { className: 'card notice-damaged', attrs: { role: 'alert' },
      text: `${what} of this patient could not be read (failed the integrity check). `
        + 'This summary may be incomplete; tell your administrator.' }));
  }

  // Allergies first: the broker sorts active high-criticality ones to the top.
  fragment.append(section('allergies', 'Allergies',
    itemList(arr(summary.allergies), (a) => {
      const criticality = str(a.criticality);
      const row = itemRow(str(a.display), detail('Criticality', criticality), detail('Status', a.clinicalStatus));
      if (criticality.toLowerCase() === 'high') {
        row.classList.add('item-high');
        row.prepend(el('span', { className: 'badge badge-high', text: 'High criticality' }));
      }
      return row;
    }, 'No allergies recorded. This does not mean the patient has none.')));

  fragment.append(section('problems', 'Active problems',
    itemList(arr(summary.problems), (p) => itemRow(str(p.display), detail('Onset', formatDate(p.onset, { day: true }))))));

  fragment.append(section('medications', 'Active medications',
    itemList(arr(summary.medications), (m) => itemRow(str(m.display), detail('Prescribed', formatDate(m.authoredOn, { day: true }))))));

  fragment.append(section('vitals', 'Latest vitals',
    scrollable(vitalsTable(arr(summary.vitals)), 'Latest vitals')));
  fragment.append(section('counts', 'Record counts',
    scrollable(countsTable(arr(summary.resourceCounts)), 'Record counts')));
  return fragment;
}
