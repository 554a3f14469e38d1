// netwatch dashboard: plain JavaScript over the gateway's REST API and WebSockets, no build step.
'use strict';

const state = { token: '', alerts: new Map(), alertLoads: 0, alertLoadsOpen: 0, selectedAlert: null, flowPage: 0, packets: [], pausedPackets: false,
  charts: {}, sockets: {}, map: null, markers: null };
const SEVERITIES = ['low', 'medium', 'high', 'critical'];
const $ = (sel) => document.querySelector(sel);

// ---- token and API ------------------------------------------------------------------------------------------
function initToken() {
  const hash = new URLSearchParams(location.hash.slice(1));
  state.token = hash.get('token') || localStorage.getItem('netwatch.token') || '';
  if (hash.get('token')) { localStorage.setItem('netwatch.token', state.token); history.replaceState(null, '', location.pathname); }
  $('#token').value = state.token;
  $('#token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    state.token = $('#token').value.trim();
    localStorage.setItem('netwatch.token', state.token);
    connectAll(); refreshCurrent();
  });
}

async function api(path, options = {}) {
  const headers = Object.assign({}, options.headers || {});
  if (state.token) headers.Authorization = 'Bearer ' + state.token;
  const res = await fetch(path, Object.assign({}, options, { headers }));
  if (!res.ok) {
    let detail = res.status + ' ' + res.statusText;
    try { const p = await res.json(); detail = p.detail || p.title || detail; } catch (e) { /* not JSON */ }
    showBanner(detail);
    throw new Error(detail);
  }
  hideBanner();
  return res.status === 204 ? null : res.json();
}

function withToken(url) {
  return url + (url.includes('?') ? '&' : '?') + 'access_token=' + encodeURIComponent(state.token);
}

function showBanner(text) { const b = $('#banner'); b.textContent = text; b.hidden = false; }
function hideBanner() { $('#banner').hidden = true; }

// ---- formatting ---------------------------------------------------------------------------------------------
function fmtRate(bits) {
  const units = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s', 'Tbit/s'];
  let i = 0; while (bits >= 1000 && i < units.length - 1) { bits /= 1000; i++; }
  return bits.toFixed(bits < 10 && i > 0 ? 2 : 0) + ' ' + units[i];
}
function fmtBytes(b) {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0; while (b >= 1000 && i < units.length - 1) { b /= 1000; i++; }
  return b.toFixed(i ? 1 : 0) + ' ' + units[i];
}
function fmtUs(us) { return us ? new Date(us / 1000).toISOString().replace('T', ' ').replace('Z', '') : ''; }
function esc(s) { return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c])); }
function endpoint(ip, port) { return port == null ? esc(ip) : (String(ip).includes(':') ? '[' + esc(ip) + ']' : esc(ip)) + ':' + port; }
function sev(s) { return '<span class="sev ' + esc(s) + '">' + esc(s) + '</span>'; }
function table(el, head, rows) {
  el.innerHTML = '<thead><tr>' + head.map((h) => '<th>' + h + '</th>').join('') + '</tr></thead><tbody>' + rows.join('') + '</tbody>';
}

// ---- views --------------------------------------------------------------------------------------------------
function show(view) {
  document.querySelectorAll('nav button').forEach((b) => b.classList.toggle('active', b.dataset.view === view));
  document.querySelectorAll('.view').forEach((v) => { v.hidden = v.id !== 'view-' + view; });
  state.view = view;
  refreshCurrent();
}

function refreshCurrent() {
  const v = state.view || 'live';
  const loaders = { live: loadLive, alerts: loadAlerts, flows: loadFlows, packets: loadPackets, map: loadMap, capture: loadProbes };
  loaders[v]().catch(() => { /* the banner says why */ });
}

// ---- live ---------------------------------------------------------------------------------------------------
const perProbe = new Map();

function initCharts() {
  Chart.defaults.color = '#7f8ea3'; Chart.defaults.borderColor = '#263140';
  state.charts.bandwidth = new Chart($('#c-bandwidth'), { type: 'line', data: { labels: [], datasets: [
    { label: 'Mbit/s', data: [], borderColor: '#3fa7ff', pointRadius: 0, tension: .2, fill: false },
    { label: 'kpackets/s', data: [], borderColor: '#6fbf73', pointRadius: 0, tension: .2, fill: false }] },
    options: { animation: false, scales: { x: { ticks: { maxTicksLimit: 8 } } } } });
  state.charts.protocols = new Chart($('#c-protocols'), { type: 'doughnut', data: { labels: [], datasets: [
    { data: [], backgroundColor: ['#3fa7ff', '#6fbf73', '#e0b341', '#f0803c', '#e5484d', '#a78bfa', '#64d2ff', '#8e9aaf'] }] },
    options: { animation: false, plugins: { legend: { position: 'right' } } } });
  state.charts.timeline = new Chart($('#c-timeline'), { type: 'bar', data: { labels: [], datasets: SEVERITIES.map((s) => ({
    label: s, data: [], backgroundColor: getComputedStyle(document.documentElement).getPropertyValue('--' + s) })) },
    options: { animation: false, scales: { x: { stacked: true }, y: { stacked: true, ticks: { precision: 0 } } } } });
}

function addSecond(ts, packets, bytes) {
  const c = state.charts.bandwidth; const label = new Date(ts / 1000).toLocaleTimeString();
  const i = c.data.labels.indexOf(label);
  if (i >= 0) { c.data.datasets[0].data[i] = bytes * 8 / 1e6; c.data.datasets[1].data[i] = packets / 1000; }
  else {
    c.data.labels.push(label); c.data.datasets[0].data.push(bytes * 8 / 1e6); c.data.datasets[1].data.push(packets / 1000);
    while (c.data.labels.length > 300) { c.data.labels.shift(); c.data.datasets.forEach((d) => d.data.shift()); }
  }
  c.update();
}

function onMetrics(msg) {
  const m = msg.metrics; perProbe.set(m.probe_id, m);
  let pps = 0; let bps = 0; const protocols = {};
  perProbe.forEach((w) => {
    pps += w.packets; bps += w.bytes * 8;
    Object.entries(w.protocols || {}).forEach(([k, v]) => { protocols[k] = (protocols[k] || 0) + v.bytes; });
  });
  $('#k-pps').textContent = pps.toLocaleString(); $('#k-bps').textContent = fmtRate(bps);
  $('#k-flows').textContent = (msg.active_flows ?? 0).toLocaleString();
  const p = state.charts.protocols; p.data.labels = Object.keys(protocols); p.data.datasets[0].data = Object.values(protocols); p.update();
  addSecond(m.window_start, m.packets, m.bytes);
}

async function loadLive() {
  const [summary, history, src, dst] = await Promise.all([api('/api/summary'), api('/api/traffic/history?seconds=300'),
    api('/api/traffic/top-talkers?direction=src'), api('/api/traffic/top-talkers?direction=dst')]);
  $('#k-pps').textContent = summary.packets_per_second.toLocaleString(); $('#k-bps').textContent = fmtRate(summary.bits_per_second);
  $('#k-flows').textContent = summary.active_flows.toLocaleString();
  $('#k-alerts').textContent = Object.values(summary.unacknowledged_alerts).reduce((a, b) => a + b, 0).toLocaleString();
  $('#k-probes').textContent = summary.probes_capturing + ' / ' + summary.probes;
  const c = state.charts.bandwidth; c.data.labels = []; c.data.datasets.forEach((d) => { d.data = []; });
  history.forEach((s) => addSecond(s.ts, s.packets, s.bytes));
  const row = (t) => '<tr><td>' + esc(t.ip) + '</td><td>' + esc(t.intel?.country_iso || '') + '</td><td>' + fmtBytes(t.bytes)
    + '</td><td>' + t.packets.toLocaleString() + '</td></tr>';
  table($('#t-src'), ['Address', 'Country', 'Bytes', 'Packets'], src.map(row));
  table($('#t-dst'), ['Address', 'Country', 'Bytes', 'Packets'], dst.map(row));
}

// ---- alerts -------------------------------------------------------------------------------------------------
function alertQuery() {
  const q = new URLSearchParams();
  if ($('#a-severity').value) q.set('severity', $('#a-severity').value);
  if ($('#a-rule').value.trim()) q.set('rule', $('#a-rule').value.trim());
  if ($('#a-ip').value.trim()) q.set('ip', $('#a-ip').value.trim());
  if ($('#a-unack').checked) q.set('unacknowledged', 'true');
  return q;
}

async function loadAlerts() {
  const q = alertQuery(); q.set('size', '200');
  const load = ++state.alertLoads;
  state.alertLoadsOpen++;
  let page;
  try { page = await api('/api/alerts?' + q); } finally { state.alertLoadsOpen--; }
  // a later load, or an acknowledgement made while this answer was on its way, makes it stale
  if (load !== state.alertLoads) return;
  state.alerts = new Map(page.items.map((a) => [a.alert_id, a]));
  renderAlerts();
  if (state.selectedAlert && state.alerts.has(state.selectedAlert)) selectAlert(state.selectedAlert);
  $('#a-export-csv').href = withToken('/api/alerts/export?format=csv&' + alertQuery());
  $('#a-export-json').href = withToken('/api/alerts/export?format=json&' + alertQuery());
}

function renderAlerts() {
  const alerts = [...state.alerts.values()].sort((a, b) => b.last_seen - a.last_seen);
  table($('#t-alerts'), ['Severity', 'Rule', 'Source', 'Target', 'Hits', 'Last seen', 'Ack'], alerts.map((a) =>
    '<tr data-id="' + esc(a.alert_id) + '"' + (a.alert_id === state.selectedAlert ? ' class="selected"' : '') + '><td>' + sev(a.severity)
    + '</td><td>' + esc(a.rule) + '</td><td>' + esc(a.src_ip) + '</td><td>' + esc(a.dst_ip || '') + '</td><td>' + a.count
    + '</td><td>' + fmtUs(a.last_seen) + '</td><td>' + (a.acknowledged ? '✓' : '') + '</td></tr>'));
  document.querySelectorAll('#t-alerts tbody tr').forEach((tr) => tr.addEventListener('click', () => selectAlert(tr.dataset.id)));
  // timeline: alerts per minute of their first hit, stacked by severity
  const buckets = new Map();
  alerts.forEach((a) => {
    const minute = Math.floor(a.ts / 60e6) * 60e6;
    if (!buckets.has(minute)) buckets.set(minute, { low: 0, medium: 0, high: 0, critical: 0 });
    buckets.get(minute)[a.severity]++;
  });
  const keys = [...buckets.keys()].sort((x, y) => x - y);
  const t = state.charts.timeline; t.data.labels = keys.map((k) => new Date(k / 1000).toLocaleTimeString());
  t.data.datasets.forEach((d) => { d.data = keys.map((k) => buckets.get(k)[d.label]); }); t.update();
}

function intelLine(label, i) {
  if (!i) return '';
  const where = [i.city, i.country].filter(Boolean).join(', ') || i.scope;
  return '<p><b>' + label + '</b> ' + esc(i.ip) + ' — ' + esc(where) + (i.as_org ? ' · ' + esc(i.as_org) : '')
    + (i.score != null ? ' · score ' + i.score : '') + (i.suspicious ? ' · <span class="sev critical">suspicious</span>' : '') + '</p>';
}

function selectAlert(id) {
  // the detail is drawn again with each new hit: a note being typed for the same alert survives that
  const typing = state.selectedAlert === id ? $('#ack-note') : null;
  const note = typing ? typing.value : '';
  const focused = typing !== null && document.activeElement === typing;
  state.selectedAlert = id; const a = state.alerts.get(id); if (!a) return;
  document.querySelectorAll('#t-alerts tbody tr').forEach((tr) => tr.classList.toggle('selected', tr.dataset.id === id));
  const ack = a.acknowledged
    ? '<p>Acknowledged by <b>' + esc(a.ack.by) + '</b> at ' + esc(a.ack.at) + (a.ack.note ? ': ' + esc(a.ack.note) : '') + '</p><button id="unack">Unacknowledge</button>'
    : '<input id="ack-note" placeholder="note (optional)" size="30"> <button id="ack">Acknowledge</button>';
  $('#alert-detail').innerHTML = '<h2>' + sev(a.severity) + ' ' + esc(a.rule) + (a.mitre_technique ? ' · ' + esc(a.mitre_technique) : '') + '</h2>'
    + '<p>' + esc(a.description) + '</p><p class="muted">first ' + fmtUs(a.ts) + ' · last ' + fmtUs(a.last_seen) + ' · ' + a.count + ' hits · probe ' + esc(a.probe_id) + '</p>'
    + intelLine('Source', a.src_intel) + intelLine('Target', a.dst_intel)
    + '<p><a class="export" id="alert-pcap" href="' + esc(withToken('/api/export/pcap?alert_id=' + encodeURIComponent(a.alert_id))) + '">PCAP of the alert\'s packets</a></p>'
    + '<h2>Evidence</h2><pre>' + esc(JSON.stringify(a.evidence, null, 2)) + '</pre>' + (a.dst_ports ? '<p>Ports: ' + esc(a.dst_ports.join(', ')) + '</p>' : '') + ack;
  if ($('#ack')) $('#ack').addEventListener('click', () => acknowledge(id, true));
  if ($('#unack')) $('#unack').addEventListener('click', () => acknowledge(id, false));
  const noteInput = $('#ack-note');
  if (noteInput) { noteInput.value = note; if (focused) noteInput.focus(); }
}

async function acknowledge(id, ack) {
  const updated = ack
    ? await api('/api/alerts/' + encodeURIComponent(id) + '/ack', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ note: $('#ack-note').value || null }) })
    : await api('/api/alerts/' + encodeURIComponent(id) + '/ack', { method: 'DELETE' });
  const stale = state.alertLoadsOpen > 0;
  state.alertLoads++;
  state.alerts.set(id, updated); renderAlerts(); selectAlert(id);
  // a list asked for before this change would bring the old state back: it is asked for again
  if (stale) loadAlerts().catch(() => {});
}

function onAlert(msg) {
  const a = Object.assign({}, state.alerts.get(msg.alert.alert_id) || { acknowledged: false }, msg.alert);
  if (msg.src_intel) a.src_intel = msg.src_intel;
  if (msg.dst_intel) a.dst_intel = msg.dst_intel;
  state.alerts.set(a.alert_id, a);
  if (state.view === 'alerts') { renderAlerts(); if (state.selectedAlert === a.alert_id) selectAlert(a.alert_id); }
  const open = [...state.alerts.values()].filter((x) => !x.acknowledged).length;
  if (state.view !== 'alerts') $('#k-alerts').textContent = Math.max(open, Number($('#k-alerts').textContent) || 0).toLocaleString();
}

// ---- flows --------------------------------------------------------------------------------------------------
function flowQuery() {
  const q = new URLSearchParams();
  [['ip', '#f-ip'], ['port', '#f-port'], ['protocol', '#f-protocol'], ['app', '#f-app']].forEach(([k, sel]) => {
    if ($(sel).value.trim()) q.set(k, $(sel).value.trim());
  });
  if ($('#f-from').value) q.set('from', new Date($('#f-from').value).toISOString());
  if ($('#f-to').value) q.set('to', new Date($('#f-to').value).toISOString());
  return q;
}

async function loadFlows() {
  const q = flowQuery(); q.set('page', state.flowPage); q.set('size', '50');
  const page = await api('/api/flows?' + q);
  table($('#t-flows'), ['Start', 'Proto', 'Source', 'Destination', 'App', 'State', 'Packets', 'Bytes', 'Duration', ''], page.items.map((f) =>
    '<tr><td>' + fmtUs(f.ts) + '</td><td>' + esc(f.transport) + '</td><td>' + endpoint(f.src_ip, f.src_port) + '</td><td>'
    + endpoint(f.dst_ip, f.dst_port) + '</td><td>' + esc(f.app_protocol || '') + '</td><td>' + esc(f.conn_state || f.record_type) + '</td><td>'
    + (f.orig_pkts + f.resp_pkts).toLocaleString() + '</td><td>' + fmtBytes(f.orig_bytes + f.resp_bytes) + '</td><td>' + (f.duration_us / 1e6).toFixed(3) + ' s</td><td>'
    + '<a class="pcap" title="the flow\'s packets from the probe that captured them" href="' + esc(withToken('/api/export/pcap?flow_id=' + encodeURIComponent(f.flow_id))) + '">PCAP</a></td></tr>'));
  const pages = Math.max(1, Math.ceil(page.total / page.size));
  $('#f-page').textContent = 'page ' + (page.page + 1) + ' of ' + pages + ' (' + page.total.toLocaleString() + ' flows)';
  $('#f-prev').disabled = page.page === 0; $('#f-next').disabled = page.page + 1 >= pages;
  $('#f-export-csv').href = withToken('/api/flows/export?format=csv&' + flowQuery());
  $('#f-export-json').href = withToken('/api/flows/export?format=json&' + flowQuery());
}

// ---- packets ------------------------------------------------------------------------------------------------
function packetRow(p) {
  const proto = p.dns ? 'DNS' : p.http ? 'HTTP' : p.tls ? 'TLS' : p.arp ? 'ARP' : (p.transport || p.link_type || '').toUpperCase();
  const info = p.dns ? (p.dns.response ? 'response ' : 'query ') + (p.dns.qtype_name || '') + ' ' + (p.dns.qname || '')
    : p.http ? (p.http.method ? p.http.method + ' ' + (p.http.host || '') + (p.http.uri || '') : 'HTTP ' + (p.http.status || ''))
      : p.tls ? 'Client Hello ' + (p.tls.sni || '') : p.arp ? (p.arp.operation === 1 ? 'who has ' + p.arp.target_ip + '? tell ' + p.arp.sender_ip : p.arp.sender_ip + ' is at ' + p.arp.sender_mac) : (p.tcp_flags != null ? tcpFlags(p.tcp_flags) : '');
  return '<tr data-id="' + esc(p.id) + '"><td>' + fmtUs(p.ts).slice(11) + '</td><td>' + endpoint(p.src_ip || p.src_mac, p.src_port) + '</td><td>'
    + endpoint(p.dst_ip || p.dst_mac, p.dst_port) + '</td><td>' + esc(proto) + '</td><td>' + p.wire_len + '</td><td>' + esc(info) + '</td></tr>';
}
function tcpFlags(f) { return ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'].filter((n, i) => f & (1 << i)).join(','); }

function renderPackets() {
  table($('#t-packets'), ['Time', 'Source', 'Destination', 'Protocol', 'Length', 'Info'], state.packets.map(packetRow));
  document.querySelectorAll('#t-packets tbody tr').forEach((tr) => tr.addEventListener('click', () => selectPacket(tr.dataset.id)));
}

// Probes with packet-filter=rules publish only what per-packet rules read; the rest of their traffic is in flows.
async function showPacketSubset() {
  const subset = (await api('/api/probes')).filter((p) => p.packet_filter === 'rules').map((p) => p.probe_id);
  const note = $('#packets-subset');
  note.hidden = subset.length === 0;
  note.textContent = subset.length === 0 ? '' : 'Probe' + (subset.length > 1 ? 's ' : ' ') + subset.join(', ')
    + ' publish only the packets detection rules read (DNS queries, HTTP requests, ARP, cleartext logins, odd TCP flags, '
    + 'frames of no flow); their other packets are counted in their flows (Flows view).';
}

async function loadPackets() {
  showPacketSubset().catch(() => {});
  const q = new URLSearchParams({ limit: '200' });
  [['ip', '#p-ip'], ['port', '#p-port'], ['protocol', '#p-protocol']].forEach(([k, sel]) => { if ($(sel).value.trim()) q.set(k, $(sel).value.trim()); });
  state.packets = await api('/api/packets?' + q);
  renderPackets();
}

function layer(title, fields) {
  const rows = Object.entries(fields).filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => '<div>' + esc(k) + ': ' + esc(typeof v === 'object' ? JSON.stringify(v) : v) + '</div>').join('');
  return rows ? '<details class="layer" open><summary>' + esc(title) + '</summary>' + rows + '</details>' : '';
}

function selectPacket(id) {
  const p = state.packets.find((x) => x.id === id); if (!p) return;
  $('#packet-detail').innerHTML = layer('Frame ' + p.id, { time: fmtUs(p.ts), probe: p.probe_id, interface: p.interface, 'wire length': p.wire_len, 'captured length': p.cap_len, 'link type': p.link_type, 'community id': p.community_id, 'decode error': p.decode_error })
    + layer('Ethernet', { source: p.src_mac, destination: p.dst_mac, ethertype: p.eth_type != null ? '0x' + p.eth_type.toString(16).padStart(4, '0') : null, vlan: p.vlan, 'inner vlan': p.inner_vlan })
    + (p.arp ? layer('ARP', p.arp) : '')
    + layer('IPv' + (p.ip_version || ''), { source: p.src_ip, destination: p.dst_ip, ttl: p.ttl, protocol: p.ip_proto, fragment: p.fragment })
    + layer((p.transport || '').toUpperCase(), { 'source port': p.src_port, 'destination port': p.dst_port, flags: p.tcp_flags != null ? tcpFlags(p.tcp_flags) : null, seq: p.tcp_seq, ack: p.tcp_ack, window: p.tcp_window, 'payload length': p.payload_len, 'icmp type': p.icmp_type, 'icmp code': p.icmp_code })
    + (p.dns ? layer('DNS', p.dns) : '') + (p.http ? layer('HTTP', p.http) : '') + (p.tls ? layer('TLS', p.tls) : '')
    + (p.payload_head ? layer('Payload (head)', { bytes: p.payload_head }) : '');
}

function onPacket(msg) {
  if (state.pausedPackets) return;
  state.packets.unshift(msg.packet); if (state.packets.length > 200) state.packets.length = 200;
  if (state.view === 'packets') renderPackets();
}

// ---- map and graph ------------------------------------------------------------------------------------------
async function loadMap() {
  if (!state.map) {
    state.map = L.map('map', { worldCopyJump: true, attributionControl: false }).setView([25, 10], 2);
    const world = await (await fetch('/vendor/countries-110m.json')).json();
    L.geoJSON(topojson.feature(world, world.objects.countries), { style: { color: '#3b4a5c', weight: 1, fillColor: '#1c2733', fillOpacity: 1 } }).addTo(state.map);
    state.markers = L.layerGroup().addTo(state.map);
  }
  const [src, dst, graph] = await Promise.all([api('/api/traffic/top-talkers?direction=src&limit=100'),
    api('/api/traffic/top-talkers?direction=dst&limit=100'), api('/api/traffic/graph')]);
  state.markers.clearLayers();
  const max = Math.max(1, ...src.concat(dst).map((t) => t.bytes));
  src.concat(dst).filter((t) => t.intel && t.intel.latitude != null).forEach((t) => {
    L.circleMarker([t.intel.latitude, t.intel.longitude], { radius: 4 + 14 * Math.sqrt(t.bytes / max), color: t.intel.suspicious ? '#e5484d' : '#3fa7ff' })
      .bindTooltip(t.ip + ' · ' + [t.intel.city, t.intel.country].filter(Boolean).join(', ') + ' · ' + fmtBytes(t.bytes)).addTo(state.markers);
  });
  drawGraph(graph);
}

// A small force-directed layout (repulsion between nodes, springs along links), drawn on a canvas.
function drawGraph(graph) {
  const canvas = $('#graph'); const ctx = canvas.getContext('2d'); const W = canvas.width; const H = canvas.height;
  const nodes = graph.nodes.map((n, i) => Object.assign({ x: W / 2 + 150 * Math.cos(i), y: H / 2 + 150 * Math.sin(i), vx: 0, vy: 0 }, n));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const links = graph.links.map((l) => ({ s: byId.get(l.source), t: byId.get(l.target), bytes: l.bytes })).filter((l) => l.s && l.t);
  for (let step = 0; step < 300; step++) {
    for (const a of nodes) for (const b of nodes) {
      if (a === b) continue; const dx = a.x - b.x; const dy = a.y - b.y; const d2 = Math.max(dx * dx + dy * dy, 25);
      a.vx += 400 * dx / d2; a.vy += 400 * dy / d2;
    }
    for (const l of links) {
      const dx = l.t.x - l.s.x; const dy = l.t.y - l.s.y; const d = Math.sqrt(dx * dx + dy * dy) || 1; const f = (d - 80) * 0.02;
      l.s.vx += f * dx / d; l.s.vy += f * dy / d; l.t.vx -= f * dx / d; l.t.vy -= f * dy / d;
    }
    for (const n of nodes) {
      n.vx += (W / 2 - n.x) * 0.005; n.vy += (H / 2 - n.y) * 0.005;
      n.x = Math.min(W - 10, Math.max(10, n.x + n.vx * 0.5)); n.y = Math.min(H - 10, Math.max(10, n.y + n.vy * 0.5)); n.vx *= 0.6; n.vy *= 0.6;
    }
  }
  ctx.clearRect(0, 0, W, H);
  const maxBytes = Math.max(1, ...links.map((l) => l.bytes));
  ctx.strokeStyle = '#3b4a5c';
  for (const l of links) { ctx.lineWidth = 0.5 + 4 * l.bytes / maxBytes; ctx.beginPath(); ctx.moveTo(l.s.x, l.s.y); ctx.lineTo(l.t.x, l.t.y); ctx.stroke(); }
  ctx.font = '10px sans-serif';
  for (const n of nodes) {
    ctx.fillStyle = n.suspicious ? '#e5484d' : '#3fa7ff'; ctx.beginPath(); ctx.arc(n.x, n.y, 4, 0, 2 * Math.PI); ctx.fill();
    ctx.fillStyle = '#d8e0ea'; ctx.fillText(n.id, n.x + 6, n.y + 3);
  }
  if (!nodes.length) { ctx.fillStyle = '#7f8ea3'; ctx.fillText('no active flows', W / 2 - 30, H / 2); }
}

// ---- probes and capture -------------------------------------------------------------------------------------
async function loadProbes() {
  const probes = await api('/api/probes');
  table($('#t-probes'), ['Probe', 'State', 'Mode', 'Source', 'Filter', 'Packets', 'Packet records', 'Kernel drops', 'Queue drops', 'Last error'], probes.map((p) =>
    '<tr><td>' + esc(p.probe_id) + '</td><td>' + esc(p.state) + '</td><td>' + esc(p.mode || '') + '</td><td>' + esc(p.source || '') + '</td><td>'
    + esc(p.filter || '') + '</td><td>' + p.packets.toLocaleString() + '</td><td>' + (p.packet_filter === 'rules' ? 'for rules only (' + (p.filtered ?? 0).toLocaleString() + ' in flows only)' : 'every packet')
    + '</td><td>' + (p.kernel_drops ?? '') + '</td><td>' + p.queue_drops + '</td><td>' + esc(p.last_error || '') + '</td></tr>'));
  document.querySelectorAll('.probe-select').forEach((s) => { s.innerHTML = probes.map((p) => '<option>' + esc(p.probe_id) + '</option>').join(''); });
}

function initCapture() {
  $('#capture-form').addEventListener('submit', async (e) => {
    e.preventDefault(); const f = e.target;
    await api('/api/probes/' + encodeURIComponent(f.probe.value) + '/capture', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ iface: f.iface.value, filter: f.filter.value || null }) });
    setTimeout(loadProbes, 1000);
  });
  $('#stop-probe').addEventListener('click', async () => {
    await api('/api/probes/' + encodeURIComponent($('#capture-form').probe.value) + '/stop', { method: 'POST' });
    setTimeout(loadProbes, 1000);
  });
  $('#replay-form').addEventListener('submit', async (e) => {
    e.preventDefault(); const f = e.target; const file = f.file.files[0];
    if (!file) { showBanner('choose a PCAP or PCAPNG file first'); return; }
    const upload = await api('/api/uploads?name=' + encodeURIComponent(file.name), { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: file });
    await api('/api/probes/' + encodeURIComponent(f.probe.value) + '/replay', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ upload_id: upload.upload_id, speed: Number(f.speed.value), loop: f.loop.checked }) });
    setTimeout(loadProbes, 1000);
  });
}

// ---- WebSockets ---------------------------------------------------------------------------------------------
function connect(stream, handler, filter) {
  if (state.sockets[stream]) state.sockets[stream].close(1000);
  const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws/' + stream + '?access_token=' + encodeURIComponent(state.token));
  state.sockets[stream] = ws;
  ws.onopen = () => { $('#conn').classList.add('on'); if (filter) ws.send(JSON.stringify(filter)); };
  ws.onmessage = (e) => {
    const msg = JSON.parse(e.data);
    if (msg.type === 'error') showBanner('live ' + stream + ': ' + msg.error);
    // the gateway dropped messages this page took too slowly: alerts are fetched again, the rest moves on
    else if (msg.type === 'dropped') { if (stream === 'alerts') loadAlerts().catch(() => {}); }
    else handler(msg);
  };
  ws.onclose = (e) => {
    if (state.sockets[stream] !== ws) return;
    $('#conn').classList.remove('on');
    if (e.code === 1008) { showBanner('live view refused: ' + e.reason); return; }
    setTimeout(() => connect(stream, handler, filter), 2000);
  };
}

function connectAll() {
  connect('metrics', onMetrics);
  connect('alerts', onAlert);
  connect('packets', onPacket);
}

// ---- start --------------------------------------------------------------------------------------------------
document.querySelectorAll('nav button').forEach((b) => b.addEventListener('click', () => show(b.dataset.view)));
$('#a-search').addEventListener('click', () => loadAlerts().catch(() => {}));
$('#f-search').addEventListener('click', () => { state.flowPage = 0; loadFlows().catch(() => {}); });
$('#f-prev').addEventListener('click', () => { state.flowPage = Math.max(0, state.flowPage - 1); loadFlows().catch(() => {}); });
$('#f-next').addEventListener('click', () => { state.flowPage++; loadFlows().catch(() => {}); });
$('#p-pause').addEventListener('change', (e) => { state.pausedPackets = e.target.checked; });
$('#p-apply').addEventListener('click', () => {
  const filter = {}; if ($('#p-ip').value.trim()) filter.ip = $('#p-ip').value.trim();
  if ($('#p-port').value.trim()) filter.port = Number($('#p-port').value); if ($('#p-protocol').value.trim()) filter.protocol = $('#p-protocol').value.trim();
  connect('packets', onPacket, filter); loadPackets().catch(() => {});
});
initToken(); initCharts(); initCapture(); connectAll(); show('live');
setInterval(() => { if (state.view === 'live') loadLive().catch(() => {}); }, 5000);
