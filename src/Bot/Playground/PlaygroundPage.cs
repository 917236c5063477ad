namespace Bot.Playground;

/// <summary>The playground page: plain HTML and script, no build step. All text goes in through textContent.</summary>
internal static class PlaygroundPage
{
    public const string Html = """
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
<section>
  <h2>#briefings <button id="digest-now" type="button">Post today's digest now</button></h2>
  <div class="log" id="briefings"></div>
</section>
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
  // A button sends its command, which the user never typed: the chat shows the button pressed instead.
  for (const b of m.buttons || []) { const button = el('button', null, b.label); button.type = 'button'; button.onclick = () => send(b.command, 'you pressed ' + b.label, 'you pressed'); card.append(button); }
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
    send(f.submitCommand, 'you saved “' + f.title + '”', 'you pressed', values);
  };
  return form;
}

async function send(text, shown, cls, form) {
  const log = document.getElementById('chat');
  log.append(el('div', cls || 'you', shown || 'you: ' + text));
  const response = await fetch('/playground/chat', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: text.replace(/^\//, ''), conversation, form }) });
  log.append(render(await response.json()));
  log.scrollTop = log.scrollHeight;
}

document.getElementById('form').onsubmit = e => { e.preventDefault(); const input = document.getElementById('input'); if (input.value.trim()) send(input.value.trim()); input.value = ''; };
document.getElementById('digest-now').onclick = () => fetch('/playground/digest-now', { method: 'POST' });
const events = new EventSource('/playground/briefings');
events.onmessage = e => { const log = document.getElementById('briefings'); log.append(render(JSON.parse(e.data))); log.scrollTop = log.scrollHeight; };
</script>
</body>
</html>
""";
}
