/**
 * herald.js — the client for Herald, real-time push over WebSocket.
 *
 * One dependency-free ES module on the standard WebSocket API. It runs in browsers and in any
 * JavaScript runtime with a global `WebSocket` (Node 22+, Node 20 with `--experimental-websocket`,
 * Deno, Bun), or with a constructor passed as `options.WebSocket`.
 *
 * ```js
 * import { Herald } from '/herald/herald.js';
 * // on a page served by Herald: its own /ws/push; the token function is asked before every connection
 * const herald = new Herald(undefined, { token: async () => (await (await fetch('/my-app/herald-token')).json()).token });
 * herald.subscribe('orders.42', (m) => console.log(m.seq, m.data));
 * herald.on('notification', (m) => console.log('for me:', m.data)); // POST /herald/api/users/{me}/messages
 * const ack = await herald.publish('orders.42', { status: 'shipped' });
 * ```
 *
 * What it does for you: reconnects with exponential backoff and jitter; resumes every
 * subscription from its last `seq` and `epoch`, so each message reaches your callback once and in
 * order (and tells you, with the `gap` event, when the server could not fill the hole); subscribes
 * each connection to its user's private topic `user:{id}` and hands those messages to the
 * `notification` event; watches
 * the connection with JSON pings, because a browser cannot see a half-open socket any other way;
 * and treats each close code as docs/protocol.md says it means.
 *
 * @module herald
 */

/** Closes that a retry cannot fix: the client or its input is wrong, so looping would only hammer the server. */
const FATAL_CLOSES = new Map([
  [1003, 'the server refused a binary frame'],
  [1007, 'the server refused a frame that is not valid UTF-8'],
  [1008, 'the server refused the connection (policy violation)'],
  [1009, 'a message was over the server\'s size limit'],
]);
const TOKEN_EXPIRED = 4001;
/**
 * Handshakes in a row that failed before the socket opened, after which the `error` event says so.
 * A browser cannot tell a refused handshake (401 no or bad token, 403 Origin or room not allowed,
 * 503 server full) from an unreachable server: both are a close 1006 without an open. Either way
 * the client keeps trying with backoff; the error is there so that the page can tell its user.
 */
const HANDSHAKE_FAILURES_REPORTED = 3;

/** What the server accepts as a topic name (docs/protocol.md): a user id that does not fit has no private topic. */
const TOPIC_NAME = /^[A-Za-z0-9._:-]{1,128}$/;
/** What the server accepts as a room name (docs/protocol.md section 3), besides `.` and `..`. */
const ROOM_NAME = /^[A-Za-z0-9._-]{1,100}$/;

/** Subscribe errors worth another try on the same connection: the server was busy, not the request wrong. */
const TRANSIENT_ERRORS = new Set(['rate_limited', 'unavailable', 'internal']);

const DEFAULTS = Object.freeze({
  initialDelay: 500,
  maxDelay: 30000,
  connectTimeout: 15000,
  requestTimeout: 10000,
  heartbeat: 25000,
});

/**
 * @typedef {'connecting' | 'connected' | 'reconnecting' | 'closed'} HeraldState
 *
 * @typedef {object} StateDetail
 * @property {number} [code]     the close code that ended the previous connection (1006: no close frame)
 * @property {string} [reason]   its reason, or why the client gave up on the connection
 * @property {number} [attempt]  reconnecting: how many tries since the last good connection, from 1
 * @property {number} [delay]    reconnecting: milliseconds until the next try
 * @property {boolean} [refused] reconnecting: the last try closed before the WebSocket opened: its
 *   handshake was refused (HTTP 401, 403 or 503, which a browser does not show) or the server was
 *   not reachable
 * @property {number} [failures] reconnecting: how many tries in a row closed before opening
 * @property {Error}  [error]    closed: why the client stopped, when it was not `close()`
 *
 * @typedef {object} MessageFrame  the server's `message` frame, as it arrived
 * @property {'message'} type
 * @property {string} topic
 * @property {number} seq   position in the topic, from 1, no gaps (within one epoch)
 * @property {string} id    the message's id, assigned by Herald
 * @property {number} time  epoch milliseconds when stored
 * @property {string} from  the publishing user (for REST, the token's `sub`); `"server"` for the Java API
 * @property {*} data
 *
 * @typedef {object} AckFrame
 * @property {'ack'} type
 * @property {string} [id]
 * @property {string} topic
 * @property {number} seq
 *
 * @typedef {object} SubscribedFrame
 * @property {'subscribed'} type
 * @property {string} topic
 * @property {number} seq
 * @property {string} epoch
 * @property {boolean} recovered
 * @property {string} [id]
 *
 * @typedef {object} WelcomeFrame
 * @property {'welcome'} type
 * @property {string} session
 * @property {string} user
 * @property {string} node
 * @property {number} heartbeat  milliseconds
 *
 * @typedef {'connect' | 'reconnect' | 'expired' | 'refused'} TokenReason  why a token is asked for:
 *   the first connection; a reconnect after a connection that worked; a 4001 close (the token
 *   expired: a new one is needed); or the last attempt's handshake failed before the socket opened
 *   (a 401 for a bad or expired token looks like this to a browser, and so does an unreachable
 *   server), so a cached token should not be trusted
 *
 * @typedef {object} TokenContext
 * @property {TokenReason} reason
 * @property {string} [previous]  the token the last attempt used, if any: a token function shared
 *   by several clients can compare it with its cache to see whether another client already
 *   replaced it
 *
 * @typedef {string | ((context: TokenContext) => (string | null | undefined | Promise<string | null | undefined>))} TokenSource
 *
 * @typedef {object} HeraldOptions
 * @property {TokenSource} [token]  sent as the `access_token` query parameter; a function (it may be
 *   async) is called again before every connection attempt, with the reason, so it can hand out a
 *   fresh token; after a 4001 close (`reason: 'expired'`) the client reconnects at once with it
 * @property {typeof WebSocket} [WebSocket]  a WebSocket constructor, when the runtime has no global one
 * @property {boolean} [reconnect=true]  false: stop at the first lost connection
 * @property {number} [initialDelay=500]  first backoff step in ms
 * @property {number} [maxDelay=30000]  backoff ceiling in ms
 * @property {number} [connectTimeout=15000]  give up on an attempt that has no `welcome` after this many ms
 * @property {number} [requestTimeout=10000]  default time a `publish` waits for its answer
 * @property {boolean} [notifications=true]  `Herald` only: after every `welcome`, subscribe to the
 *   connection's own `user:{welcome.user}` and deliver its messages to the `notification` event;
 *   false: leave `user:` topics to the application's own `subscribe()`
 */

/**
 * An Error from Herald: a server `error` frame (its `code` is the server's, e.g. `bad_request`,
 * `forbidden`, `rate_limited`), or a client-side failure with one of the codes `timeout`,
 * `disconnected`, `closed`, `closed_by_server`, `token_expired`, `token_failed`,
 * `handshake_failed`, `connection_refused`, `unsubscribed`.
 */
export class HeraldError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {object} [extra]  `frame` (the server's error frame), `topic`, `closeCode`
   */
  constructor(code, message, extra = {}) {
    super(message);
    this.name = 'HeraldError';
    /** @type {string} */
    this.code = code;
    /** @type {string | undefined} */
    this.topic = extra.topic;
    /** @type {object | undefined} */
    this.frame = extra.frame;
    /** @type {number | undefined} */
    this.closeCode = extra.closeCode;
  }
}

/** A tiny event emitter, because EventTarget's Event objects would hide the payload behind `.detail`. */
class Emitter {
  #listeners = new Map();

  /**
   * @param {string} event
   * @param {Function} listener
   * @returns {() => void} a function that removes the listener
   */
  on(event, listener) {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    if (!this.#listeners.has(event)) this.#listeners.set(event, new Set());
    this.#listeners.get(event).add(listener);
    return () => this.off(event, listener);
  }

  /** @param {string} event @param {Function} listener */
  off(event, listener) {
    this.#listeners.get(event)?.delete(listener);
  }

  /** @protected */
  _listenerCount(event) {
    return this.#listeners.get(event)?.size ?? 0;
  }

  /** @protected */
  _emit(event, ...args) {
    if (event === 'error' && this._listenerCount('error') === 0) {
      console.error('herald.js:', ...args); // nobody listens: an error must still not pass silently
      return;
    }
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      this._call(listener, args);
    }
  }

  /**
   * Application code must not be able to break the connection's bookkeeping, so its exceptions
   * are reported, never propagated into the message loop.
   * @protected
   */
  _call(fn, args) {
    try {
      fn(...args);
    } catch (error) {
      if (fn !== this.#reporting && this._listenerCount('error') > 0) {
        this.#reporting = fn;
        try {
          this._emit('error', error);
        } finally {
          this.#reporting = null;
        }
      } else {
        console.error('herald.js: a listener threw', error);
      }
    }
  }

  #reporting = null;
}

/** Turns a relative or http(s) URL into an absolute ws(s) URL. */
function toWebSocketUrl(url) {
  const base = globalThis.location?.href;
  const u = base ? new URL(url, base) : new URL(url);
  if (u.protocol === 'http:') u.protocol = 'ws:';
  else if (u.protocol === 'https:') u.protocol = 'wss:';
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:') {
    throw new TypeError(`not a WebSocket URL: ${url}`);
  }
  return u;
}

/**
 * The private topic of `user` (`user:{id}`), or null when the id cannot make a topic name: such a
 * user has no private topic on the server either (REST answers 400 for it), so there is nothing to
 * subscribe to.
 * @param {unknown} user
 * @returns {string | null}
 */
function notificationTopic(user) {
  if (typeof user !== 'string' || user === '') return null;
  const topic = `user:${user}`;
  return TOPIC_NAME.test(topic) ? topic : null;
}

/** The `/ws/push` URL next to this module, when it was loaded from a Herald server. */
function defaultPushUrl() {
  const here = new URL(import.meta.url);
  if (here.protocol !== 'http:' && here.protocol !== 'https:') {
    throw new TypeError('new Herald(url): a URL is needed when herald.js is not loaded from a Herald server');
  }
  return new URL('ws/push', here).href;
}

/**
 * The machinery shared by both endpoints: connect (with the token), welcome, heartbeat watchdog,
 * close-code handling, backoff and request/answer matching. Not exported; `Herald` and
 * `ChatRoom` are the public faces.
 */
class Connection extends Emitter {
  #url;
  #token;
  #WebSocket;
  #options;
  /** @type {WebSocket | null} */
  #ws = null;
  /** @type {HeraldState | null} null until the first attempt announces itself */
  #state = null;
  #stopped = false;
  #attempt = 0;
  /** attempts in a row whose socket closed before it opened */
  #failures = 0;
  /** whether the current socket has opened (its handshake succeeded) */
  #opened = false;
  /** bumped by every attempt and every retry, so that a token fetch that lost the race goes no further */
  #generation = 0;
  #connectedOnce = false;
  #tokenReason = 'connect';
  /** @type {string | undefined} the token of the last attempt */
  #lastToken;
  #retryTimer = null;
  #connectTimer = null;
  #heartbeatTimer = null;
  #lastHeard = 0;
  #lastPing = 0;
  #nextId = 0;
  /** id -> {frame, resolve, reject, timer, sent} */
  #requests = new Map();
  #onOnline = () => this.#retryNow();
  /** @type {WelcomeFrame | null} */
  #welcome = null;

  /**
   * @param {string} url
   * @param {HeraldOptions} options
   */
  constructor(url, options = {}) {
    super();
    this.#url = toWebSocketUrl(url);
    this.#token = options.token;
    this.#WebSocket = options.WebSocket ?? globalThis.WebSocket;
    if (typeof this.#WebSocket !== 'function') {
      throw new TypeError('no WebSocket in this runtime: on Node 20 run node --experimental-websocket, '
        + 'or pass options.WebSocket');
    }
    this.#options = { ...DEFAULTS, reconnect: true, ...options };
    globalThis.addEventListener?.('online', this.#onOnline);
    // after the caller's synchronous on()/subscribe() calls, so that they see the first state
    queueMicrotask(() => this.#connect());
  }

  /** @returns {HeraldState} */
  get state() {
    return this.#state ?? 'connecting';
  }

  /** The current connection's `welcome` (session id, user, node, heartbeat), or null between connections. */
  get welcome() {
    return this.#welcome;
  }

  /** The endpoint's URL, without the token. */
  get url() {
    return this.#url.href;
  }

  /**
   * Why the server is sure to refuse this URL, found before connecting, or null.
   * @protected
   * @param {URL} url
   * @returns {HeraldError | null}
   */
  _urlRefusal(url) {
    return null;
  }

  /** @protected */
  get _options() {
    return this.#options;
  }

  /** @protected */
  get _connected() {
    return this.#state === 'connected';
  }

  /** @protected a fresh frame id, unique for this client */
  _id(prefix) {
    return `${prefix}-${++this.#nextId}`;
  }

  /** @protected sends now if connected; frames sent while disconnected are dropped (subclasses resend state on welcome) */
  _send(frame) {
    if (!this._connected) return false;
    try {
      this.#ws.send(JSON.stringify(frame));
      return true;
    } catch {
      return false; // the socket is closing; its close event will follow
    }
  }

  /**
   * Sends a frame that the server answers by `id`, now or once connected, and resolves to the
   * answer. An `error` answer rejects with a HeraldError carrying the server's code.
   * @protected
   */
  _request(frame, timeout = this.#options.requestTimeout) {
    if (this.#stopped) {
      return Promise.reject(new HeraldError('closed', 'this client is closed', { topic: frame.topic }));
    }
    return new Promise((resolve, reject) => {
      const request = { frame, resolve, reject, sent: false, timer: null };
      this.#requests.set(frame.id, request);
      if (timeout > 0 && Number.isFinite(timeout)) {
        request.timer = setTimeout(() => {
          this.#requests.delete(frame.id);
          reject(new HeraldError('timeout', `no answer from the server within ${timeout} ms`
            + (request.sent ? '; the message may or may not have been stored' : '; it was never sent'),
          { topic: frame.topic }));
        }, timeout);
      }
      if (this._connected) request.sent = this._send(frame);
    });
  }

  /**
   * Drops the current connection as if the network had, and reconnects after `delay` ms
   * (subscriptions resume as after any reconnect). For demos and tests.
   * @param {{delay?: number}} [options]
   */
  reconnect({ delay = 0 } = {}) {
    if (this.#stopped) return;
    this.#abandon(4002, 'reconnect requested by the client', delay);
  }

  /** Closes the connection for good: no reconnect, pending requests reject with code `closed`. */
  close() {
    if (this.#stopped) return;
    this.#stopped = true;
    globalThis.removeEventListener?.('online', this.#onOnline);
    clearTimeout(this.#retryTimer);
    const ws = this.#ws;
    this.#teardown();
    try {
      ws?.close(1000, 'closed by the client');
    } catch {
      // already closing
    }
    this.#failRequests(() => new HeraldError('closed', 'the client was closed'), true);
    this.#setState('closed', { code: 1000, reason: 'closed by the client' });
  }

  async #connect() {
    if (this.#stopped) return;
    const refusal = this._urlRefusal(this.#url);
    if (refusal) {
      this.#stop(refusal); // the server would refuse the handshake every time: don't hammer it
      return;
    }
    clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    if (!this.#connectedOnce && this.#attempt === 0) this.#setState('connecting', {});
    const generation = ++this.#generation;
    let token;
    try {
      token = typeof this.#token === 'function'
        ? await this.#token({ reason: this.#tokenReason, previous: this.#lastToken })
        : this.#token;
    } catch (error) {
      if (this.#stopped || generation !== this.#generation) return;
      this._emit('error', new HeraldError('token_failed', `the token function failed: ${error?.message ?? error}`));
      this.#retry(1006, 'no token');
      return;
    }
    // closed, or reconnect()/another attempt came while the token was fetched: that one goes on
    if (this.#stopped || this.#ws || generation !== this.#generation) return;
    this.#lastToken = token ? String(token) : undefined;
    const url = new URL(this.#url);
    if (token) url.searchParams.set('access_token', String(token));
    let ws;
    try {
      ws = new this.#WebSocket(url.href);
    } catch (error) {
      this.#stop(new HeraldError('connection_refused', `cannot open ${this.#url.href}: ${error?.message ?? error}`));
      return;
    }
    this.#ws = ws;
    this.#opened = false;
    this.#lastHeard = Date.now();
    // an attempt that never gets its welcome (a proxy that accepts and then says nothing) must not hang forever
    this.#connectTimer = setTimeout(() => {
      if (this.#ws === ws) this.#abandon(4003, 'no welcome within the connect timeout');
    }, this.#options.connectTimeout);
    ws.addEventListener('open', () => {
      if (this.#ws === ws) this.#opened = true;
    });
    ws.addEventListener('message', (event) => {
      if (this.#ws !== ws) return;
      this.#lastHeard = Date.now();
      if (typeof event.data === 'string') this.#onText(event.data);
    });
    ws.addEventListener('close', (event) => {
      if (this.#ws !== ws) return; // a socket we gave up on already
      this.#onClose(event.code, event.reason);
    });
    ws.addEventListener('error', () => {
      // The standard fires close right after error, with the code that says what to do. Node 20's
      // experimental WebSocket never does when the handshake fails, and would hang the client.
      setTimeout(() => {
        if (this.#ws === ws) this.#abandon(1006, 'the connection failed');
      }, 250);
    });
  }

  #onText(text) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      this._emit('error', new HeraldError('bad_frame', 'the server sent a frame that is not JSON'));
      return;
    }
    if (frame === null || typeof frame !== 'object') return;
    switch (frame.type) {
      case 'welcome':
        this.#onWelcome(frame);
        break;
      case 'pong':
        break;
      case 'ack': {
        const request = this.#take(frame.id);
        if (request) request.resolve(frame);
        break;
      }
      case 'error': {
        const request = this.#take(frame.id);
        const error = new HeraldError(frame.code, frame.message ?? frame.code, { frame, topic: frame.topic });
        if (request) request.reject(error);
        else if (!this._onError(frame, error)) this._emit('error', error);
        break;
      }
      default:
        this._onFrame(frame);
    }
  }

  #onWelcome(frame) {
    clearTimeout(this.#connectTimer);
    this.#welcome = frame;
    this.#attempt = 0;
    this.#failures = 0;
    this.#tokenReason = 'reconnect';
    this.#connectedOnce = true;
    this.#setState('connected', {});
    this._emit('welcome', frame);
    this.#startHeartbeat(Number(frame.heartbeat) > 0 ? Number(frame.heartbeat) : this.#options.heartbeat);
    this._onWelcome();
    for (const request of this.#requests.values()) {
      if (!request.sent) request.sent = this._send(request.frame);
    }
  }

  #startHeartbeat(interval) {
    clearInterval(this.#heartbeatTimer);
    // checking twice per interval keeps detection close to the 2 intervals the protocol recommends
    const every = Math.max(50, interval / 2);
    let lastTick = Date.now();
    this.#lastPing = lastTick;
    this.#heartbeatTimer = setInterval(() => {
      const now = Date.now();
      const late = now - lastTick > 2 * every;
      lastTick = now;
      if (late) {
        // Our own timers were held up: a busy page, a background tab whose timers the browser
        // throttles, a laptop that just woke. The silence may be ours, not the server's, whose
        // answers could not be sent for want of our pings: ask now, and judge at a later check.
        this.#lastHeard = Math.max(this.#lastHeard, now - 2 * interval + Math.min(interval, 5000));
        this.#lastPing = now;
        this._send({ type: 'ping' });
        return;
      }
      if (now - this.#lastHeard > 2 * interval) {
        this.#abandon(4004, `nothing heard from the server for ${now - this.#lastHeard} ms`);
        return;
      }
      if (now - this.#lastPing >= interval - interval / 4) {
        this.#lastPing = now;
        this._send({ type: 'ping' });
      }
    }, every);
  }

  /**
   * Gives up on the current socket without waiting for its close handshake, which on a dead
   * network never completes, and goes on as if it had closed with `code`.
   */
  #abandon(code, reason, delay) {
    const ws = this.#ws;
    this.#ws = null;
    try {
      ws?.close(1000, reason.slice(0, 120));
    } catch {
      // not yet open or already closing: dropping our reference is enough
    }
    this.#onClose(code, reason, delay);
  }

  #onClose(code, reason, delay) {
    // a socket that never opened had its handshake refused, or never reached the server (4002: the
    // application asked for the reconnect, whatever the socket's state)
    const refused = !this.#opened && code !== 4002;
    this.#opened = false;
    this.#teardown();
    this._onDisconnect();
    this.#failRequests((request) => new HeraldError('disconnected',
      `the connection closed (${code}) before the server answered; the message may or may not have been stored`,
      { topic: request.frame.topic, closeCode: code }), false);
    if (this.#stopped) return;
    if (FATAL_CLOSES.has(code)) {
      this.#stop(new HeraldError('closed_by_server', `${FATAL_CLOSES.get(code)} (${code}${reason ? `: ${reason}` : ''})`,
        { closeCode: code }), code, reason);
      return;
    }
    if (code === TOKEN_EXPIRED) {
      if (typeof this.#token !== 'function') {
        this.#stop(new HeraldError('token_expired', 'the token expired, and options.token is not a function '
          + 'that could give a new one', { closeCode: code }), code, reason);
        return;
      }
      this.#tokenReason = 'expired';
      this.#retry(code, reason, 0); // a new token fixes it: no reason to wait
      return;
    }
    if (!refused) this.#tokenReason = this.#connectedOnce ? 'reconnect' : 'connect';
    this.#retry(code, reason, delay, refused);
  }

  #retry(code, reason, delay, refused = false) {
    this.#ws = null;
    this.#generation++;
    if (!this.#options.reconnect) {
      this.#stop(new HeraldError('disconnected', `the connection closed (${code})`, { closeCode: code }), code, reason);
      return;
    }
    const attempt = ++this.#attempt;
    if (delay === undefined) {
      // "equal jitter": at least half the step, so clients that lost the same server spread out
      const step = Math.min(this.#options.maxDelay, this.#options.initialDelay * 2 ** (attempt - 1));
      delay = Math.round(step / 2 + Math.random() * step / 2);
    }
    const detail = { code, reason, attempt, delay };
    if (refused) {
      // the token may be why (a 401 looks like this): the token function should not reuse a cached one
      this.#tokenReason = 'refused';
      detail.refused = true;
      detail.failures = ++this.#failures;
      if (!reason) {
        detail.reason = 'the connection closed before it opened: the handshake was refused '
          + '(no or bad token, Origin or room not allowed, server full) or the server is unreachable';
      }
    } else {
      this.#failures = 0;
    }
    this.#setState('reconnecting', detail);
    if (refused && this.#failures === HANDSHAKE_FAILURES_REPORTED) {
      this._emit('error', new HeraldError('handshake_failed', `${this.#failures} connection attempts in a row `
        + `to ${this.#url.href} failed before the WebSocket opened. The server may have refused them `
        + '(401: no, bad or expired token; 403: Origin or room not allowed; 503: full or shutting down) '
        + 'or may be unreachable; the client keeps trying with backoff', { closeCode: code }));
    }
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => this.#connect(), delay);
  }

  /** The network came back ('online'): waiting out the rest of a long backoff would only delay recovery. */
  #retryNow() {
    if (this.#retryTimer && !this.#ws && !this.#stopped) {
      clearTimeout(this.#retryTimer);
      this.#retryTimer = null;
      this.#connect();
    }
  }

  #stop(error, code, reason) {
    this.#stopped = true;
    globalThis.removeEventListener?.('online', this.#onOnline);
    clearTimeout(this.#retryTimer);
    const ws = this.#ws;
    this.#teardown();
    try {
      ws?.close(1000);
    } catch {
      // already closing
    }
    this.#failRequests(() => new HeraldError('closed', error.message, { closeCode: code }), true);
    this._emit('error', error);
    this.#setState('closed', { code, reason, error });
  }

  #teardown() {
    clearTimeout(this.#connectTimer);
    clearInterval(this.#heartbeatTimer);
    this.#heartbeatTimer = null;
    this.#ws = null;
    this.#welcome = null;
  }

  /** Sent requests can't be answered on a new connection; unsent ones wait for it unless `all`. */
  #failRequests(makeError, all) {
    for (const [id, request] of this.#requests) {
      if (all || request.sent) {
        this.#requests.delete(id);
        clearTimeout(request.timer);
        request.reject(makeError(request));
      }
    }
  }

  #take(id) {
    if (id === undefined) return undefined;
    const request = this.#requests.get(id);
    if (request) {
      this.#requests.delete(id);
      clearTimeout(request.timer);
    }
    return request;
  }

  #setState(state, detail) {
    const changed = state !== this.#state || state === 'reconnecting';
    this.#state = state;
    if (changed) this._emit('state', state, detail);
  }

  /** @protected @param {object} frame */
  _onFrame(frame) {} // eslint-disable-line no-unused-vars

  /** @protected @returns {boolean} whether the error was handled */
  _onError(frame, error) { // eslint-disable-line no-unused-vars
    return false;
  }

  /** @protected */
  _onWelcome() {}

  /** @protected */
  _onDisconnect() {}
}

/**
 * A client of `/ws/push`: topics, with resume.
 *
 * Events (`on(event, listener)`, which returns a function that removes the listener):
 * - `state` `(state, detail)`: `connecting` → `connected` → `reconnecting` (repeated, with
 *   `attempt` and `delay`, for every try; `refused` and `failures` when tries closed before the
 *   socket opened, which is how a browser sees a handshake refused with 401 or 403) → `connected`
 *   …, and finally `closed`.
 * - `welcome` `(frame)`: each new connection's welcome (session id, user, node, heartbeat).
 * - `notification` `(message)`: a `message` frame of the connection's own user's private topic
 *   `user:{welcome.user}`, which a back end fills with `POST /herald/api/users/{user}/messages` (it
 *   needs `admin`). After every `welcome` the client subscribes to that topic for you, unless
 *   `options.notifications` is false; it resumes across reconnects like any subscription, so each
 *   notification arrives once and in order, and a `gap` for the topic says some were lost. It is
 *   the same subscription as a `subscribe('user:…')` of your own, which gets the same messages.
 *   When a reconnect's token is for another user, the notifications follow the new user (from
 *   now on; the old user's topic is given up, unless you subscribed to it yourself).
 * - `subscribed` `(frame, info)`: every `subscribed` frame; `info.resumed` is true when it answered
 *   a resume (a subscribe with `since`), `info.since` the seq it resumed from.
 * - `gap` `({topic, epoch, previousEpoch, since, frame})`: the server could not fill the hole on a
 *   resume (`recovered: false`: history no longer holds it, or the stream is new, e.g. after a
 *   restart of an in-memory server). Reload what you built from the topic; the messages that
 *   follow are everything the server still has, from its new oldest.
 * - `error` `(HeraldError)`: an error not tied to a `publish` promise (a refused subscribe, a
 *   fatal close, a token function that failed, `handshake_failed` after 3 tries in a row that
 *   closed before opening, a listener that threw).
 */
export class Herald extends Connection {
  /** topic -> {listeners, seq, epoch, active, ready, subscribeId, retryTimer} */
  #subs = new Map();
  #options;
  /** @type {string | null} the `user:` topic that feeds `notification`, once a welcome named the user */
  #notificationTopic = null;
  /** the subscription listener behind the `notification` event; it resumes like any other */
  #notify = (message) => this._emit('notification', message);

  /**
   * @param {string} [url]  the `/ws/push` URL (ws:, wss:, http:, https: or relative to the page);
   *   defaults to the one next to herald.js when it was loaded from Herald
   * @param {HeraldOptions} [options]
   */
  constructor(url, options = {}) {
    super(url ?? defaultPushUrl(), options);
    this.#options = options;
  }

  /**
   * Subscribes `listener` to `topic`. The listener gets every `message` frame of the topic once,
   * in `seq` order, across reconnects. Several listeners may share a topic (one subscription);
   * so does the `notification` event: subscribing to your own `user:{id}` adds no second one.
   *
   * @param {string} topic
   * @param {(message: MessageFrame) => void} listener
   * @param {{since?: number, epoch?: string}} [position]  start from a stored position instead of
   *   "live from now" (e.g. one kept in sessionStorage across page loads; see `position()`)
   * @returns {{topic: string, ready: Promise<SubscribedFrame>, unsubscribe: () => void}}
   *   `ready` settles with the first `subscribed` (or rejects with the server's error)
   */
  subscribe(topic, listener, position = {}) {
    if (typeof topic !== 'string' || topic === '') throw new TypeError('topic must be a non-empty string');
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    let sub = this.#subs.get(topic);
    if (!sub) {
      let settle;
      const ready = new Promise((resolve, reject) => { settle = { resolve, reject }; });
      ready.catch(() => {}); // the 'error' event reports it too; an unread `ready` must not be an unhandled rejection
      sub = {
        listeners: new Set(),
        seq: Number.isInteger(position.since) ? position.since : null,
        epoch: typeof position.epoch === 'string' ? position.epoch : null,
        active: false,
        ready,
        settle,
        subscribeId: null,
        retryTimer: null,
        retries: 0,
      };
      this.#subs.set(topic, sub);
      this.#sendSubscribe(topic, sub);
    }
    sub.listeners.add(listener);
    return { topic, ready: sub.ready, unsubscribe: () => this.unsubscribe(topic, listener) };
  }

  /**
   * Removes `listener` from `topic`, or every listener when none is given. The subscription ends
   * on the server when its last listener goes; the `notification` event's topic stays subscribed
   * as long as it is on (`options.notifications`).
   * @param {string} topic
   * @param {Function} [listener]
   */
  unsubscribe(topic, listener) {
    const sub = this.#subs.get(topic);
    if (!sub) return;
    if (listener) {
      if (listener !== this.#notify) sub.listeners.delete(listener);
    } else {
      // "every listener" is the application's: the `notification` event keeps its subscription
      for (const l of sub.listeners) if (l !== this.#notify) sub.listeners.delete(l);
    }
    if (sub.listeners.size > 0) return;
    this.#forget(topic, sub);
    this._send({ type: 'unsubscribe', topic, id: this._id('u') });
  }

  #forget(topic, sub) {
    clearTimeout(sub.retryTimer);
    this.#subs.delete(topic);
    sub.settle.reject(new HeraldError('unsubscribed', 'unsubscribed before the server answered', { topic }));
  }

  /** The topics currently subscribed, the `notification` event's `user:` topic included. @returns {string[]} */
  topics() {
    return [...this.#subs.keys()];
  }

  /**
   * Where this client stands in `topic`: the `epoch` and the last `seq` delivered (or the topic's
   * seq when it subscribed). Store it to resume after a page reload with `subscribe(…, position)`.
   * @param {string} topic
   * @returns {{epoch: string | null, seq: number | null} | null}
   */
  position(topic) {
    const sub = this.#subs.get(topic);
    return sub ? { epoch: sub.epoch, seq: sub.seq } : null;
  }

  /**
   * Publishes `data` (any JSON value) to `topic`. Waits for a connection if there is none yet.
   *
   * @param {string} topic
   * @param {*} data
   * @param {{timeout?: number}} [options]  ms to wait for the answer (default `requestTimeout`)
   * @returns {Promise<AckFrame>} the `ack`, with the message's `seq`; rejects with a HeraldError
   *   whose `code` is the server's (`bad_request`, `forbidden`, `rate_limited`, …) or `timeout`,
   *   `disconnected` (the connection dropped before the answer: the message may or may not have
   *   been stored), `closed`
   */
  publish(topic, data, options = {}) {
    if (data === undefined) return Promise.reject(new TypeError('data must be a JSON value (null is fine)'));
    return this._request({ type: 'publish', topic, data, id: this._id('c') }, options.timeout);
  }

  /**
   * A chat room on the same server, with the same options (token, WebSocket, backoff): a
   * connection of its own to `/ws/chat/{room}`.
   * @param {string} room
   * @returns {ChatRoom}
   */
  room(room) {
    const url = new URL(this.url);
    if (!/\/ws\/push\/?$/.test(url.pathname)) {
      throw new TypeError(`cannot derive a chat URL from ${this.url}; use new ChatRoom(url)`);
    }
    url.pathname = url.pathname.replace(/\/ws\/push\/?$/, `/ws/chat/${encodeURIComponent(room)}`);
    return new ChatRoom(url.href, this.#options);
  }

  #sendSubscribe(topic, sub) {
    if (!this._connected) return; // sent on welcome
    sub.subscribeId = this._id('s');
    const frame = { type: 'subscribe', topic, id: sub.subscribeId };
    if (sub.seq !== null) {
      frame.since = sub.seq;
      if (sub.epoch !== null) frame.epoch = sub.epoch;
    }
    sub.resumingFrom = sub.seq;
    this._send(frame);
  }

  /** @protected */
  _onWelcome() {
    const topic = this.#options.notifications === false ? null : notificationTopic(this.welcome?.user);
    if (this.#notificationTopic !== null && this.#notificationTopic !== topic) {
      // a token for another user: the old user's notifications are not this connection's to read
      const old = this.#subs.get(this.#notificationTopic);
      old?.listeners.delete(this.#notify);
      if (old && old.listeners.size === 0) this.#forget(this.#notificationTopic, old); // never subscribed on this connection
    }
    this.#notificationTopic = topic;
    for (const [name, sub] of this.#subs) {
      // null: not yet sent on this connection (a `welcome` or `state` listener may have subscribed already)
      if (sub.subscribeId === null) this.#sendSubscribe(name, sub);
    }
    // one subscription per topic: an application's own subscribe('user:…') is shared, not repeated
    if (topic !== null) this.subscribe(topic, this.#notify);
  }

  /** @protected */
  _onDisconnect() {
    for (const sub of this.#subs.values()) {
      sub.active = false;
      sub.subscribeId = null;
      clearTimeout(sub.retryTimer);
    }
  }

  /** @protected */
  _onError(frame, error) {
    const topic = frame.topic;
    const sub = topic !== undefined ? this.#subs.get(topic) : undefined;
    if (!sub || frame.id === undefined || frame.id !== sub.subscribeId) return false;
    sub.subscribeId = null;
    if (TRANSIENT_ERRORS.has(frame.code) && sub.retries < 10) {
      // e.g. rate_limited when many topics resume at once: try again shortly on this connection
      sub.retries++;
      sub.retryTimer = setTimeout(() => {
        if (this.#subs.get(topic) === sub && !sub.active) this.#sendSubscribe(topic, sub);
      }, 250 * sub.retries + Math.random() * 250);
      return true;
    }
    this.#subs.delete(topic);
    sub.settle.reject(error);
    this._emit('error', error);
    return true;
  }

  /** @protected */
  _onFrame(frame) {
    if (frame.type === 'message') {
      const sub = this.#subs.get(frame.topic);
      // inactive: a late frame of a subscription that was dropped or is being re-established
      if (!sub || !sub.active) return;
      // the server never repeats itself within a subscription; this guards the seam between two
      if (sub.seq !== null && Number.isInteger(frame.seq) && frame.seq <= sub.seq) return;
      sub.seq = frame.seq;
      for (const listener of [...sub.listeners]) this._call(listener, [frame]);
    } else if (frame.type === 'subscribed') {
      const sub = this.#subs.get(frame.topic);
      if (!sub || (frame.id !== undefined && frame.id !== sub.subscribeId)) return;
      const since = sub.resumingFrom;
      const resumed = since !== null && since !== undefined;
      const previousEpoch = sub.epoch;
      sub.active = true;
      sub.retries = 0;
      sub.epoch = frame.epoch;
      if (!resumed) {
        sub.seq = frame.seq; // live from here
      } else if (!frame.recovered) {
        sub.seq = 0; // the replay that follows may restart below the old seq (a new epoch)
      }
      sub.settle.resolve(frame);
      this._emit('subscribed', frame, { resumed, since: resumed ? since : undefined });
      if (resumed && !frame.recovered) {
        this._emit('gap', { topic: frame.topic, epoch: frame.epoch, previousEpoch, since, frame });
      }
    }
  }
}

/**
 * A client of `/ws/chat/{room}`: one room, its presence and its messages. It reconnects like
 * `Herald`; the room sends its recent messages again on every connection, and those already
 * delivered are dropped (by message id), so each reaches `message` listeners once.
 *
 * Events: `state`, `welcome`, `error` as for `Herald`, and
 * - `message` `(frame)`: a chat message (`from` is the sender, `data` what they sent);
 * - `presence` `({members, event, user})`: the member list after a snapshot (no `event`) or a
 *   `join`/`leave` of `user`.
 */
export class ChatRoom extends Connection {
  #members = new Set();
  #seen = new Set();

  /**
   * @param {string} url  the `/ws/chat/{room}` URL
   * @param {HeraldOptions} [options]
   */
  constructor(url, options = {}) {
    super(url, options);
  }

  /**
   * A room name the server refuses with HTTP 400 before the upgrade, which a browser cannot see
   * (a close 1006, as for an unreachable server): refused here, once, instead of retried.
   * @protected
   */
  _urlRefusal(url) {
    const room = url.pathname.slice(url.pathname.lastIndexOf('/') + 1);
    if (ROOM_NAME.test(room) && room !== '.' && room !== '..') return null;
    return new HeraldError('bad_request', 'room names are 1-100 characters of A-Z a-z 0-9 . _ -, but not . or ..');
  }

  /** The room's members (users, sorted), as last told by the server. @returns {string[]} */
  get members() {
    return [...this.#members].sort();
  }

  /**
   * Posts `data` to the room.
   * @param {*} data
   * @param {{timeout?: number}} [options]
   * @returns {Promise<AckFrame>}
   */
  send(data, options = {}) {
    if (data === undefined) return Promise.reject(new TypeError('data must be a JSON value (null is fine)'));
    return this._request({ type: 'publish', data, id: this._id('c') }, options.timeout);
  }

  /** @protected */
  _onFrame(frame) {
    if (frame.type === 'message') {
      if (this.#seen.has(frame.id)) return;
      this.#seen.add(frame.id);
      // the room replays at most 50, so remembering a few hundred ids is enough to drop every repeat
      if (this.#seen.size > 500) this.#seen.delete(this.#seen.values().next().value);
      this._emit('message', frame);
    } else if (frame.type === 'presence') {
      if (Array.isArray(frame.members)) {
        this.#members = new Set(frame.members);
      } else if (frame.event === 'join') {
        this.#members.add(frame.user);
      } else if (frame.event === 'leave') {
        this.#members.delete(frame.user);
      } else {
        return;
      }
      this._emit('presence', { members: this.members, event: frame.event, user: frame.user });
    }
  }
}

export default Herald;
