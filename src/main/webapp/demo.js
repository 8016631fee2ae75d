// The demo page at /herald/: everything here goes through herald.js or the REST API, as an
// application's page would. ?topic=NAME and ?room=NAME pick the notification topic and chat room,
// ?user=NAME the visitor's name (dev mode), ?token=JWT a token of the application's own.
import { Herald } from './herald.js';

const params = new URLSearchParams(location.search);
const NOTIFY_TOPIC = params.get('topic') || 'demo.notifications';
const ROOM = params.get('room') || 'lobby';
const TICKER_TOPIC = 'demo.ticker';
const API = new URL('api/', import.meta.url);
const SPARK_POINTS = 40;
const MAX_FEED = 1000;
const MAX_LOG = 200;

/**
 * What the page's dev tokens may do: everything it shows, and no more. sub:* reads the ticker,
 * the notification topics and the room; pub:chat.* posts in chat rooms; pub:demo.* lets the
 * notification form publish to demo.* topics through the REST API (which needs a pub: match like a
 * WebSocket publish). The form posts to /api/topics/{topic}/messages, not to
 * /api/users/{me}/messages: pushing to a user's private topic needs `admin`, and a page that gave
 * every visitor an admin token would let anyone push to anyone and publish anywhere. Pushing to
 * users is a back end's job, with a token of its own that never reaches a browser.
 */
const DEMO_SCOPE = 'sub:* pub:chat.* pub:demo.*';
const NAME_KEY = 'herald-demo-user';

const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child); // strings become text nodes: no HTML injection
  return node;
}

function text(data) {
  if (data && typeof data === 'object' && typeof data.text === 'string') return data.text;
  return JSON.stringify(data);
}

function clock(ms = Date.now()) {
  return new Date(ms).toLocaleTimeString([], { hour12: false });
}

/** Appends to a list, keeping it bounded and scrolled to the newest entry if it was already there. */
function append(list, item, max) {
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.append(item);
  while (list.children.length > max) list.firstElementChild.remove();
  if (atBottom) list.scrollTop = list.scrollHeight;
}

function log(message, kind = '') {
  append($('log'), el('li', { class: kind }, el('span', { class: 't' }, clock()), message), MAX_LOG);
}

// ---------------------------------------------------------------- tokens

/** The banner above the cards, for what stops the page from working: no token, a refused one, an expired one. */
function notice(kind, ...content) {
  const box = $('auth-notice');
  box.dataset.kind = kind;
  box.replaceChildren(...content);
  box.hidden = false;
}

function clearNotice(kind) {
  const box = $('auth-notice');
  if (!box.hidden && box.dataset.kind === kind) box.hidden = true;
}

class DevModeOff extends Error {}

/** A JWT's claims, read without checking the signature (the server does that): for display and expiry only. */
function claims(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(payload.padEnd(Math.ceil(payload.length / 4) * 4, '=')));
  } catch {
    return {};
  }
}

/** A token the application gave the page (?token=JWT): used as is, and kept out of the address bar. */
const GIVEN_TOKEN = params.get('token');
if (GIVEN_TOKEN) {
  const url = new URL(location.href);
  url.searchParams.delete('token');
  history.replaceState(history.state, '', url);
}

function randomName() {
  const bytes = crypto.getRandomValues(new Uint8Array(3));
  return `guest-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** The visitor's name: ?user=, else the one picked earlier in this tab, else a random one. */
let userName = GIVEN_TOKEN ? claims(GIVEN_TOKEN).sub ?? '?' : params.get('user') || sessionStorage.getItem(NAME_KEY) || randomName();

/** The last dev token, shared by the push and chat connections and the REST calls. */
let cached = null; // {user, token, exp}
let pending = null; // {user, promise}

async function fetchDevToken(user) {
  const response = await fetch(new URL('dev/token', API), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user, scope: DEMO_SCOPE }),
  });
  if (response.status === 404) throw new DevModeOff('this Herald is not in dev mode: POST /api/dev/token answered 404');
  const body = await response.json().catch(() => ({}));
  if (!response.ok || typeof body.token !== 'string') {
    throw new Error(`POST /api/dev/token answered ${response.status} ${body.error ?? ''} ${body.message ?? ''}`.trim());
  }
  return body.token;
}

function showToken(token, source) {
  const c = claims(token);
  $('token-info').textContent = c.sub === undefined
    ? `${source}: not a JWT this page can read`
    : `${source} for ${c.sub} · scope ${c.scope ?? '(the server\'s default)'}`
      + (c.exp ? ` · valid until ${clock(c.exp * 1000)}` : '');
}

/**
 * herald.js's `token` option: called before every connection attempt of both connections. Dev
 * tokens come from POST /api/dev/token and are reused until they expire, the visitor picks another
 * name, or the server turned the one in use down: after a 4001 close (`expired`) or a handshake
 * that failed (`refused`) a new one is fetched, unless the other connection already did.
 */
async function token({ reason = 'connect', previous } = {}) {
  if (GIVEN_TOKEN) return GIVEN_TOKEN;
  const user = userName;
  const rejected = (reason === 'expired' || reason === 'refused') && cached && previous === cached.token;
  if (cached && cached.user === user && cached.exp * 1000 > Date.now() && !rejected) return cached.token;
  if (!pending || pending.user !== user) {
    const promise = fetchDevToken(user).then((fresh) => {
      cached = { user, token: fresh, exp: claims(fresh).exp ?? 0 };
      showToken(fresh, 'dev token');
      clearNotice('dev-off');
      log(`got a dev token for ${user}${reason === 'expired' ? ' (the last one expired: close 4001)' : ''}, `
        + `valid until ${clock(cached.exp * 1000)}`);
      return fresh;
    }).finally(() => {
      if (pending?.promise === promise) pending = null;
    });
    pending = { user, promise };
  }
  try {
    return await pending.promise;
  } catch (error) {
    if (error instanceof DevModeOff) {
      needsToken();
      throw error;
    }
    // the server may just be out of reach (the handshake would fail too): let the handshake decide
    if (cached && cached.user === user && cached.exp * 1000 > Date.now()) return cached.token;
    throw error;
  }
}

/** REST calls carry the same token as the WebSockets. */
async function authorized(init = {}) {
  return { ...init, headers: { ...init.headers, Authorization: `Bearer ${await token()}` } };
}

function needsToken() {
  const code = (s) => el('code', {}, s);
  notice('dev-off',
    el('strong', {}, 'This page needs a token. '),
    'This Herald is not in dev mode, so it hands out no tokens (', code('POST /herald/api/dev/token'), ' answered 404). ',
    'In production the token comes from your application: a JWT signed with ', code('HERALD_JWT_SECRET'),
    ' (or the key of ', code('HERALD_JWT_PUBLIC_KEY'), ') whose ', code('sub'), ' is the user, with an ', code('exp'),
    ' and a scope such as ', code(DEMO_SCOPE), '. To try this page with one, open ',
    code(`${location.origin}${location.pathname}?token=YOUR_JWT`), '. ',
    'Or run the standalone launcher without a key (', code('java -jar herald-standalone.jar'), '): that is dev mode.');
  for (const pill of [$('push-state'), $('chat-state')]) {
    pill.dataset.state = 'closed';
    pill.querySelector('.label').textContent = `${pill.id === 'push-state' ? 'push' : 'chat'}: no token`;
  }
  for (const control of document.querySelectorAll('main input, main button, #drop')) control.disabled = true;
  $('name-form').hidden = true;
  $('me').textContent = 'nobody yet';
}

// ---------------------------------------------------------------- connection state

function showState(pill, name, state, detail = {}) {
  pill.dataset.state = state;
  let label = `${name}: ${state}`;
  if (state === 'reconnecting') {
    // a browser sees a handshake refused with 401/403 only as a close before open
    if (detail.refused && detail.failures >= 3) label = `${name}: cannot connect`;
    label += ` (try ${detail.attempt} in ${(detail.delay / 1000).toFixed(1)} s)`;
  }
  pill.querySelector('.label').textContent = label;
}

function describeClose(detail) {
  if (detail.code === undefined) return '';
  return ` after close ${detail.code}${detail.reason ? ` "${detail.reason}"` : ''}`;
}

function watchConnection(connection, name, pill) {
  connection.on('state', (state, detail) => {
    showState(pill, name, state, detail);
    if (state === 'reconnecting') {
      log(`${name}: reconnecting in ${(detail.delay / 1000).toFixed(1)} s (try ${detail.attempt})${describeClose(detail)}`);
    } else if (state === 'closed') {
      log(`${name}: closed${describeClose(detail)}${detail.error ? `: ${detail.error.message}` : ''}`, 'error');
    } else if (state === 'connected') {
      clearNotice('refused');
    }
  });
  connection.on('welcome', (w) => log(`${name}: connected as ${w.user} (session ${w.session}, node ${w.node})`));
  connection.on('error', (error) => {
    log(`${name}: ${error.code ?? 'error'}: ${error.message}`, 'error');
    if (error.code === 'handshake_failed') {
      notice('refused', el('strong', {}, 'Cannot connect. '), 'The server refused the last connections or cannot be reached. ',
        GIVEN_TOKEN ? 'Is the token from ?token= valid (signature, exp) and allowed here? ' : '',
        'The page keeps trying.');
    } else if (error.code === 'token_expired') {
      notice('expired', el('strong', {}, 'The token has expired. '),
        'Reload the page with a new one in ?token= (a token given as a string cannot be renewed by the page).');
    }
  });
}

/**
 * Starts the page once a token is to be had: from ?token=, or from dev mode. Without dev mode and
 * without ?token=, the page says what it needs instead of failing quietly.
 */
async function main() {
  $('me').textContent = userName;
  $('room-name').textContent = ROOM;
  if (GIVEN_TOKEN) {
    showToken(GIVEN_TOKEN, 'token from ?token=');
  } else {
    try {
      await token();
    } catch (error) {
      if (error instanceof DevModeOff) return; // needsToken() said why
      log(`no dev token yet (${error.message}); herald.js will keep asking`, 'error');
    }
  }
  start();
}

function start() {
  // ---------------------------------------------------------------- push: ticker and notifications

  // herald.js asks `token` again before every connection attempt, so reconnects and 4001 get fresh ones
  const herald = new Herald(undefined, { token });
  watchConnection(herald, 'push', $('push-state'));

  const answered = new Set(); // topics that had their first `subscribed`: any later one is a resume

  herald.on('subscribed', (frame, info) => {
    if (!answered.has(frame.topic)) {
      answered.add(frame.topic);
      log(`subscribed to ${frame.topic} at seq ${frame.seq}${info.resumed ? `, replaying from seq ${info.since}` : ''} (epoch ${frame.epoch})`);
    } else if (frame.recovered) {
      const replayed = Math.max(0, frame.seq - info.since);
      log(`resumed ${frame.topic} from seq ${info.since}: ${replayed} missed message${replayed === 1 ? '' : 's'} replayed`, 'resume');
    } // recovered: false is the 'gap' event's
  });

  herald.on('gap', (gap) => {
    log(`${gap.topic}: recovered: false — the server could not replay what followed seq ${gap.since} `
      + `(epoch ${gap.previousEpoch ?? '?'} → ${gap.frame.epoch}: restarted, or history expired); showing what it still has`, 'gap');
    if (watched.has(gap.topic)) {
      append($('notifications'), el('li', { class: 'gap', dataset: { topic: gap.topic, epoch: gap.frame.epoch, recovered: 'false' } },
        `${gap.topic}: messages were lost (recovered: false); the stream continues below`), MAX_FEED);
    }
    if (gap.topic === TICKER_TOPIC) {
      for (const quote of quotes.values()) quote.history.length = 0;
    }
  });

  // ticker: the model changes on every message, the table is redrawn at most once per frame
  const quotes = new Map(); // symbol -> {price, change, history, flash}
  let tickerSeq = 0;
  let tickerDrawPending = false;

  function onTick(message) {
    tickerSeq = message.seq;
    for (const q of message.data?.quotes ?? []) {
      const quote = quotes.get(q.symbol) ?? { history: [] };
      const price = Number(q.price);
      quote.flash = quote.price === undefined ? '' : price > quote.price ? 'flash-up' : price < quote.price ? 'flash-down' : '';
      quote.price = price;
      quote.change = Number(q.change);
      quote.history.push(price);
      if (quote.history.length > SPARK_POINTS) quote.history.shift();
      quotes.set(q.symbol, quote);
    }
    if (!tickerDrawPending) {
      tickerDrawPending = true;
      requestAnimationFrame(drawTicker);
    }
  }

  /**
   * Starts the ticker with its last SPARK_POINTS ticks, so the charts are full at once: the REST
   * history says where the stream stands, and a subscribe with since/epoch replays the rest.
   */
  async function subscribeTicker() {
    let position = {};
    try {
      const response = await fetch(new URL(`topics/${TICKER_TOPIC}/messages?limit=1`, API), await authorized());
      if (response.ok) {
        const history = await response.json();
        position = { since: Math.max(0, history.seq - SPARK_POINTS), epoch: history.epoch };
      }
    } catch {
      // no history: live prices from now on are fine too
    }
    herald.subscribe(TICKER_TOPIC, onTick, position);
  }
  subscribeTicker();

  function sparkline(history) {
    const svgNs = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(svgNs, 'svg');
    svg.setAttribute('class', 'spark');
    svg.setAttribute('viewBox', `0 0 ${SPARK_POINTS - 1} 26`);
    svg.setAttribute('preserveAspectRatio', 'none');
    const min = Math.min(...history);
    const span = Math.max(...history) - min || 1;
    const line = document.createElementNS(svgNs, 'polyline');
    const offset = SPARK_POINTS - history.length;
    line.setAttribute('points', history.map((p, i) => `${offset + i},${(24 - ((p - min) / span) * 22).toFixed(1)}`).join(' '));
    line.setAttribute('vector-effect', 'non-scaling-stroke');
    svg.append(line);
    return svg;
  }

  function drawTicker() {
    tickerDrawPending = false;
    const body = $('ticker').tBodies[0];
    for (const [symbol, quote] of quotes) {
      let row = body.querySelector(`tr[data-symbol="${CSS.escape(symbol)}"]`);
      if (!row) {
        row = el('tr', { dataset: { symbol } }, el('th', { scope: 'row' }, symbol), el('td', { class: 'price' }),
          el('td', { class: 'change' }), el('td', { class: 'chart' }));
        body.append(row);
      }
      const [, priceCell, changeCell, chartCell] = row.children;
      priceCell.textContent = quote.price.toFixed(2);
      priceCell.className = `price ${quote.flash}`;
      // the flash colour fades out through the CSS transition once the class is gone
      if (quote.flash) setTimeout(() => { priceCell.className = 'price'; }, 150);
      changeCell.textContent = `${quote.change > 0 ? '+' : ''}${quote.change.toFixed(2)}`;
      changeCell.className = `change ${quote.change > 0 ? 'up' : quote.change < 0 ? 'down' : ''}`;
      chartCell.replaceChildren(sparkline(quote.history));
    }
    $('ticker-empty').hidden = quotes.size > 0;
    const position = herald.position(TICKER_TOPIC);
    $('ticker-meta').textContent = `seq ${tickerSeq} · epoch ${position?.epoch ?? '?'}`;
  }

  // notifications: one list for every topic this page watches
  const watched = new Set();

  function showNotification(message) {
    append($('notifications'), el('li', { dataset: { topic: message.topic, seq: String(message.seq), id: message.id } },
      el('span', { class: 'seq' }, `#${message.seq}`),
      el('span', { class: 'topic' }, message.topic),
      el('span', { class: 'text' }, text(message.data)),
      el('span', { class: 'time' }, `${message.from} · ${clock(message.time)}`)), MAX_FEED);
  }

  function watch(topic) {
    if (topic === `user:${herald.welcome?.user}`) return; // the 'notification' event shows those already
    if (watched.has(topic)) return;
    watched.add(topic);
    herald.subscribe(topic, showNotification);
  }

  // personal notifications: herald.js subscribes the connection to user:{me} (and follows a new
  // name); a back end pushes to it with POST /herald/api/users/{me}/messages and an admin token
  herald.on('notification', showNotification);

  watch(NOTIFY_TOPIC);
  $('notify-topic').value = NOTIFY_TOPIC;

  $('notify-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const topic = $('notify-topic').value.trim();
    const input = $('notify-text');
    const result = $('notify-result');
    watch(topic);
    // what an application's back end would do: POST to Herald's REST API, here with the visitor's
    // own token (see DEMO_SCOPE: demo.* topics only; anything else answers 403 forbidden)
    try {
      const response = await fetch(new URL(`topics/${encodeURIComponent(topic)}/messages`, API), await authorized({
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ text: input.value }),
      }));
      const body = await response.json().catch(() => ({}));
      result.textContent = response.ok
        ? `POST → ${response.status}: stored in ${body.topic} as seq ${body.seq}`
        : `POST → ${response.status} ${body.error ?? ''}: ${body.message ?? response.statusText}`;
      if (response.ok) input.value = '';
    } catch (error) {
      result.textContent = `POST failed: ${error.message}`;
    }
  });

  // ---------------------------------------------------------------- chat

  const room = herald.room(ROOM);
  watchConnection(room, 'chat', $('chat-state'));

  function me() {
    return room.welcome?.user;
  }

  room.on('welcome', (welcome) => {
    $('me').textContent = welcome.user;
  });

  room.on('presence', ({ members, event, user }) => {
    $('members').replaceChildren(...members.map((member) =>
      el('li', { class: member === me() ? 'me' : '', dataset: { user: member } }, member)));
    if (event) {
      append($('chat'), el('li', { class: 'notice' }, `${user} ${event === 'join' ? 'joined' : 'left'}`), MAX_FEED);
    }
  });

  room.on('message', (message) => {
    append($('chat'), el('li', { class: message.from === me() ? 'mine' : '', dataset: { seq: String(message.seq), from: message.from } },
      el('span', { class: 'from' }, message.from),
      el('span', { class: 'text' }, text(message.data)),
      el('span', { class: 'time' }, clock(message.time))), MAX_FEED);
  });

  $('chat-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = $('chat-text');
    const value = input.value.trim();
    if (!value) return;
    input.value = '';
    try {
      await room.send({ text: value });
    } catch (error) {
      append($('chat'), el('li', { class: 'notice' }, `not sent (${error.code}): ${error.message}`), MAX_FEED);
      input.value = value;
    }
  });

  // ---------------------------------------------------------------- name (dev mode: any name goes)

  $('name-form').hidden = Boolean(GIVEN_TOKEN); // a given token's user is its sub
  $('name-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = $('name');
    const name = input.value.trim();
    if (GIVEN_TOKEN || !name || name === userName) return;
    input.value = '';
    userName = name;
    sessionStorage.setItem(NAME_KEY, name);
    log(`renaming to ${name}: both connections reconnect with a dev token for that name`);
    // the token function sees the new name and fetches a token for it; subscriptions resume
    herald.reconnect();
    room.reconnect();
  });

  // ---------------------------------------------------------------- drop

  $('drop').addEventListener('click', () => {
    log('dropping both connections; they come back in 3 s and resume where they were', 'error');
    herald.reconnect({ delay: 3000 });
    room.reconnect({ delay: 3000 });
  });

  // for the console and the browser tests
  window.heraldDemo = { herald, room, token };
}

main();
