using Bot.Core.Chat;

namespace Bot.Playground;

/// <summary>The playground page: plain HTML and script, no build step. All text goes in through textContent.</summary>
internal static class PlaygroundPage
{
    private const string ExampleCommand = "/incident balloon";
    private const string Examples = "try /incident balloon, /timeline balloon, /onthisday 02-04, /briefing preview digest, /ask when was the balloon shot down?";

    /// <summary>The page, its example commands under the configured public names (names are validated: letters, digits, '-' and '_').</summary>
    public static string For(CommandNames names) =>
        !names.AnyRenamed
            ? Html
            : Html.Replace($"placeholder=\"{ExampleCommand}\"", $"placeholder=\"{names.Slash("incident", "balloon")}\"", StringComparison.Ordinal)
                .Replace(Examples,
                    $"try {names.Slash("incident", "balloon")}, {names.Slash("timeline", "balloon")}, {names.Slash("onthisday", "02-04")}, "
                    + $"{names.Slash("briefing", "preview digest")}, {names.Slash("ask", "when was the balloon shot down?")}",
                    StringComparison.Ordinal)
                .Replace("type /feeds add <url>", $"type {names.Slash("feeds", "add <url>")}", StringComparison.Ordinal)
                .Replace("waits in /feeds triage", $"waits in {names.Slash("feeds", "triage")}", StringComparison.Ordinal);

    private const string Html = """
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Briefing bot — playground</title>
<style>
  /* minmax(0, …) and overflow-wrap: a 10,000-character word wraps inside its pane instead of widening the page. */
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0; display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); height: 100vh; background: #f6f7f9; color: #1f2937; }
  section { display: flex; flex-direction: column; border-right: 1px solid #e5e7eb; min-height: 0; }
  h2 { margin: 0; padding: 12px 16px; font-size: 15px; border-bottom: 1px solid #e5e7eb; background: #fff; }
  .log { flex: 1; overflow-y: auto; padding: 12px 16px; overflow-wrap: anywhere; }
  .you { margin: 8px 0; color: #6b7280; }
  .card { background: #fff; border-left: 4px solid #3b82f6; border-radius: 6px; padding: 10px 12px; margin: 8px 0; box-shadow: 0 1px 2px #0001; }
  .card.notice { border-color: #9ca3af; } .card.error { border-color: #ef4444; }
  .title { font-weight: 600; } .badges { color: #6b7280; font-size: 12px; margin-left: 6px; }
  .fields { display: grid; grid-template-columns: 120px minmax(0, 1fr); gap: 2px 10px; margin-top: 8px; font-size: 14px; }
  .fields dt { color: #6b7280; } .fields dd { margin: 0; }
  .heading { font-weight: 600; margin-top: 8px; } .line .label { color: #6b7280; display: inline-block; min-width: 96px; margin-right: 8px; }
  .source, .footer { color: #6b7280; font-size: 13px; margin-top: 6px; }
  button { margin: 8px 6px 0 0; padding: 4px 10px; border: 1px solid #d1d5db; border-radius: 4px; background: #fff; cursor: pointer; }
  form { display: flex; gap: 8px; padding: 12px 16px; background: #fff; border-top: 1px solid #e5e7eb; }
  input { flex: 1; min-width: 0; padding: 8px; border: 1px solid #d1d5db; border-radius: 4px; font: inherit; }
  .you.pressed { font-style: italic; }
  form.modal { flex-direction: column; gap: 6px; padding: 8px 0 0; border-top: 0; background: none; }
  form.modal label { display: flex; flex-direction: column; gap: 2px; font-size: 13px; color: #6b7280; }
  .side { display: flex; flex-direction: column; min-height: 0; } .side section { flex: 1; border-right: 0; }
  .side section + section { border-top: 1px solid #e5e7eb; }
  .feed { margin: 4px 0 8px; } .feed .status { display: inline-block; min-width: 48px; font-size: 12px; font-weight: 600; color: #059669; }
  .feed.failing .status { color: #d97706; } .feed.off .status { color: #dc2626; }
  .feed .url, .item .meta, .item .triage, .hint, .note { color: #6b7280; font-size: 13px; } .feed .problem { color: #b91c1c; font-size: 13px; }
  .item { background: #fff; border-radius: 6px; padding: 6px 10px; margin: 6px 0; box-shadow: 0 1px 2px #0001; }
  .item.fresh { border-left: 4px solid #10b981; } .item button { margin: 4px 4px 0 0; padding: 1px 8px; font-size: 12px; }
  textarea { min-height: 72px; padding: 8px; border: 1px solid #d1d5db; border-radius: 4px; font: inherit; resize: vertical; }
  /* A phone: the panes stack, the chat above the channel. */
  @media (max-width: 700px) {
    body { grid-template-columns: minmax(0, 1fr); grid-template-rows: minmax(0, 3fr) minmax(0, 2fr); }
    section { border-right: 0; border-bottom: 1px solid #e5e7eb; }
    .fields { grid-template-columns: minmax(0, 1fr); } .fields dd { margin-bottom: 4px; }
  }
</style>
</head>
<body>
<section>
  <h2>#chat — try /incident balloon, /timeline balloon, /onthisday 02-04, /briefing preview digest, /ask when was the balloon shot down?</h2>
  <div class="log" id="chat"></div>
  <form id="form"><input id="input" autocomplete="off" placeholder="/incident balloon" aria-label="message"><button type="submit">Send</button></form>
</section>
<div class="side">
<section>
  <h2>#briefings <button id="digest-now" type="button">Post today's digest now</button></h2>
  <div class="log" id="briefings"></div>
</section>
<section>
  <h2>Feeds <button id="feeds-poll" type="button">Poll now</button> <span class="note" id="feeds-note"></span></h2>
  <div class="log"><div id="feed-list"></div><div class="heading">New items</div><div id="feed-items"></div></div>
</section>
</div>
<script>
const conversation = crypto.randomUUID ? crypto.randomUUID() : String(Math.random());
const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; };

function render(m) {
  const card = el('div', 'card ' + (m.kind || 'card'));
  const title = el('div', 'title', [m.emoji, m.title].filter(Boolean).join(' '));
  if (m.badges && m.badges.length) title.append(el('span', 'badges', '[' + m.badges.join(' · ') + ']'));
  if (title.textContent) card.append(title);
  if (m.text) card.append(el('div', 'text', m.text));
  if (m.fields && m.fields.length) {
    const dl = el('dl', 'fields');
    for (const f of m.fields) { dl.append(el('dt', null, f.name), el('dd', null, f.value)); }
    card.append(dl);
  }
  for (const s of m.sections || []) {
    card.append(el('div', 'heading', s.heading));
    for (const l of s.lines) { const line = el('div', 'line'); if (l.label) line.append(el('span', 'label', l.label)); if (l.url && /^https?:\/\//i.test(l.url)) { const a = el('a', null, l.text); a.href = l.url; a.rel = 'noopener'; line.append(a); } else line.append(document.createTextNode(l.text)); card.append(line); }
  }
  for (const s of m.sources || []) {
    const p = el('div', 'source', 'Source: ');
    if (s.url) { const a = el('a', null, s.text); a.href = s.url; a.rel = 'noopener'; p.append(a); } else p.append(document.createTextNode(s.text));
    card.append(p);
  }
  if (m.footer) card.append(el('div', 'footer', m.footer));
  // A button sends its command (an internal one, never renamed), which the user never typed: the chat shows the button pressed instead.
  for (const b of m.buttons || []) { const button = el('button', null, b.label); button.type = 'button'; button.onclick = () => send(b.command, 'you pressed ' + b.label, 'you pressed', undefined, true); card.append(button); }
  if (m.form) card.append(renderForm(m.form));
  return card;
}

// A form (Discord and Slack open it as a modal): its fields are sent with the form's own command.
function renderForm(f) {
  const form = el('form', 'modal');
  form.append(el('div', 'heading', f.title));
  const inputs = [];
  for (const field of f.fields) {
    const label = el('label', null, field.label);
    const input = el(field.multiline ? 'textarea' : 'input');
    input.name = field.id; input.value = field.value || ''; input.maxLength = field.maxLength; input.required = field.required;
    if (field.placeholder) input.placeholder = field.placeholder;
    label.append(input); form.append(label); inputs.push(input);
  }
  const save = el('button', null, 'Save'); save.type = 'submit'; form.append(save);
  form.onsubmit = e => {
    e.preventDefault();
    const values = {}; for (const i of inputs) values[i.name] = i.value;
    save.disabled = true;
    send(f.submitCommand, 'you saved “' + f.title + '”', 'you pressed', values, true);
  };
  return form;
}

async function send(text, shown, cls, form, pressed) {
  const log = document.getElementById('chat');
  log.append(el('div', cls || 'you', shown || 'you: ' + text));
  const response = await fetch('/playground/chat', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: text.replace(/^\//, ''), conversation, form, pressed: !!pressed }) });
  log.append(render(await response.json()));
  log.scrollTop = log.scrollHeight;
}

document.getElementById('form').onsubmit = e => { e.preventDefault(); const input = document.getElementById('input'); if (input.value.trim()) send(input.value.trim()); input.value = ''; };
document.getElementById('digest-now').onclick = () => fetch('/playground/digest-now', { method: 'POST' });
const events = new EventSource('/playground/briefings');
events.onmessage = e => { const log = document.getElementById('briefings'); log.append(render(JSON.parse(e.data))); log.scrollTop = log.scrollHeight; };

// The local workspace's feeds and newest items: a whole snapshot each time something changed; items that arrived
// after the page opened stay marked fresh.
const shownItems = new Set(), freshItems = new Set();
let firstSnapshot = true;
const when = iso => new Date(iso).toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
function renderFeeds(s) {
  const list = document.getElementById('feed-list');
  list.replaceChildren();
  if (!s.polling) list.append(el('div', 'hint', 'This host has no feed fetcher: feeds are listed, not polled.'));
  if (!s.feeds.length) list.append(el('div', 'hint', 'No feeds yet: type /feeds add <url> in the chat.'));
  for (const f of s.feeds) {
    const row = el('div', 'feed ' + f.status);
    row.append(el('span', 'status', f.status), el('span', 'outlet', f.outlet), el('div', 'url', f.url));
    if (f.disabledReason) row.append(el('div', 'problem', 'switched off: ' + f.disabledReason));
    else if (f.lastError) row.append(el('div', 'problem', f.lastError));
    list.append(row);
  }
  const items = document.getElementById('feed-items');
  items.replaceChildren();
  if (!s.items.length) items.append(el('div', 'hint', 'None yet.'));
  for (const i of s.items) {
    if (!firstSnapshot && !shownItems.has(i.id)) freshItems.add(i.id);
    const row = el('div', 'item' + (freshItems.has(i.id) ? ' fresh' : ''));
    row.dataset.id = i.id;
    const title = el(i.link && /^https?:\/\//i.test(i.link) ? 'a' : 'span', 'title', i.title);
    if (title.tagName === 'A') { title.href = i.link; title.rel = 'noopener'; title.target = '_blank'; }
    row.append(title, el('div', 'meta', i.outlet + ' · ' + (i.hasDate ? when(i.publishedAt) : 'undated, seen ' + when(i.firstSeenAt))));
    for (const link of i.incidents) { const b = el('button', 'incident', link.title); b.type = 'button'; b.onclick = () => send('incident ' + link.slug, 'you opened ' + link.title, 'you pressed', undefined, true); row.append(b); }
    if (!i.incidents.length) row.append(el('div', 'triage', i.triage === 'dismissed' ? 'dismissed' : 'matched no incident: waits in /feeds triage'));
    items.append(row);
  }
  for (const i of s.items) shownItems.add(i.id);
  firstSnapshot = false;
}
new EventSource('/playground/feeds/events').onmessage = e => renderFeeds(JSON.parse(e.data));
document.getElementById('feeds-poll').onclick = async () => {
  const button = document.getElementById('feeds-poll'), note = document.getElementById('feeds-note');
  button.disabled = true; note.textContent = 'polling…';
  try {
    const response = await fetch('/playground/feeds/poll', { method: 'POST' });
    if (!response.ok) { note.textContent = await response.text(); return; }
    const r = await response.json();
    note.textContent = `${r.feeds} polled: ${r.new} new, ${r.updated} updated, ${r.toTriage} to triage` + (r.problems.length ? ' — ' + r.problems.join('; ') : '');
  } finally { button.disabled = false; }
};
</script>
</body>
</html>
""";
}
