// Types for herald.js, the Herald client (served at /herald/herald.js). See docs/client.md.

/** `connecting` (first attempt) → `connected` → `reconnecting` (once per try) → `connected` … → `closed`. */
export type HeraldState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface StateDetail {
  /** The close code that ended the previous connection (1006: no close frame; 4002–4004: given up by the client). */
  code?: number;
  /** Its reason, or why the client gave up on the connection. */
  reason?: string;
  /** `reconnecting`: tries since the last good connection, from 1. */
  attempt?: number;
  /** `reconnecting`: milliseconds until this try. */
  delay?: number;
  /**
   * `reconnecting`: the last try closed before the WebSocket opened. Its handshake was refused
   * (HTTP 401: no, bad or expired token; 403: Origin or room not allowed; 503: server full), which
   * a browser reports only as a close 1006, or the server could not be reached.
   */
  refused?: boolean;
  /** `reconnecting`: tries in a row that closed before opening; at 3 an `error` (`handshake_failed`) says so. */
  failures?: number;
  /** `closed`: why the client stopped, when it was not `close()`. */
  error?: HeraldError;
}

/** A `message` frame, as the server sent it. */
export interface MessageFrame<T = unknown> {
  type: 'message';
  topic: string;
  /** Position in the topic from 1, without gaps, within one epoch. */
  seq: number;
  /** The message's id, assigned by Herald. */
  id: string;
  /** Epoch milliseconds when stored. */
  time: number;
  /** The publishing user (for REST, the token's `sub`); `"server"` for the Java API. */
  from: string;
  data: T;
}

export interface AckFrame {
  type: 'ack';
  id?: string;
  topic: string;
  seq: number;
}

export interface SubscribedFrame {
  type: 'subscribed';
  topic: string;
  seq: number;
  epoch: string;
  recovered: boolean;
  id?: string;
}

export interface WelcomeFrame {
  type: 'welcome';
  session: string;
  user: string;
  node: string;
  /** Heartbeat interval in milliseconds. */
  heartbeat: number;
}

export interface ErrorFrame {
  type: 'error';
  code: string;
  message: string;
  id?: string;
  topic?: string;
}

export interface SubscribedInfo {
  /** True when this answered a resume: a subscribe with `since`. */
  resumed: boolean;
  /** The seq it resumed from. */
  since?: number;
}

export interface Gap {
  topic: string;
  /** The stream's current epoch. */
  epoch: string;
  /** The epoch the client knew, if any. */
  previousEpoch: string | null;
  /** The seq the client asked to resume from. */
  since: number;
  frame: SubscribedFrame;
}

export interface PresenceChange {
  /** The room's members after this change, sorted. */
  members: string[];
  /** Absent for a snapshot. */
  event?: 'join' | 'leave';
  user?: string;
}

/**
 * Why a token is asked for: the first connection; a reconnect after a connection that worked; a
 * 4001 close (the token expired, a new one is needed); or the last try's handshake failed before
 * the socket opened (a 401 looks like this to a browser, and so does an unreachable server), so a
 * cached token should not be trusted.
 */
export type TokenReason = 'connect' | 'reconnect' | 'expired' | 'refused';

export interface TokenContext {
  reason: TokenReason;
  /**
   * The token the last try used, if any. A token function shared by several clients (a `Herald`
   * and its rooms) can compare it with its cache: if they differ, another client already replaced it.
   */
  previous?: string;
}

export type TokenSource =
  | string
  | ((context: TokenContext) => string | null | undefined | Promise<string | null | undefined>);

export interface HeraldOptions {
  /**
   * Sent as the `access_token` query parameter on every connection attempt. A function (it may be
   * async) is called again before each one, told why, so it can return a fresh token; after a 4001
   * close (`reason: 'expired'`) the client reconnects at once. A string token that expires stops the
   * client with `token_expired`.
   */
  token?: TokenSource;
  /** A WebSocket constructor, when the runtime has no global one. */
  WebSocket?: { new (url: string): WebSocket };
  /** `false`: stop at the first lost connection. Default true. */
  reconnect?: boolean;
  /** First backoff step in ms (default 500); each try doubles it, with jitter. */
  initialDelay?: number;
  /** Backoff ceiling in ms (default 30000). */
  maxDelay?: number;
  /** An attempt with no `welcome` after this many ms is given up (default 15000). */
  connectTimeout?: number;
  /** How long `publish`/`send` wait for their answer by default, in ms (default 10000). */
  requestTimeout?: number;
  /**
   * `Herald` only. Default true: after every `welcome`, subscribe to the connection's own
   * `user:{welcome.user}` and deliver its messages to the `notification` event, resuming across
   * reconnects like any subscription. `false`: no automatic subscription; `user:` topics are left to
   * your own `subscribe()`.
   */
  notifications?: boolean;
}

export interface Position {
  since?: number;
  epoch?: string;
}

export interface Subscription {
  topic: string;
  /** Settles with the first `subscribed`, or rejects with the server's error. */
  ready: Promise<SubscribedFrame>;
  unsubscribe(): void;
}

/**
 * A server `error` (its `code` is the server's: `bad_request`, `forbidden`, `rate_limited`,
 * `too_many_subscriptions`, `conflict`, `unavailable`, `internal`) or a client-side failure: `timeout`,
 * `disconnected`, `closed`, `closed_by_server`, `token_expired`, `token_failed`,
 * `handshake_failed` (3 tries in a row closed before opening; the client goes on trying),
 * `connection_refused`, `unsubscribed`.
 */
export class HeraldError extends Error {
  constructor(code: string, message: string, extra?: { frame?: ErrorFrame; topic?: string; closeCode?: number });
  name: 'HeraldError';
  code: string;
  topic?: string;
  frame?: ErrorFrame;
  /** The close code, for errors caused by a close. */
  closeCode?: number;
}

interface ConnectionEvents {
  state: (state: HeraldState, detail: StateDetail) => void;
  welcome: (frame: WelcomeFrame) => void;
  error: (error: HeraldError | Error) => void;
}

declare class Connection<Events extends ConnectionEvents> {
  readonly state: HeraldState;
  /** The current connection's welcome, or null between connections. */
  readonly welcome: WelcomeFrame | null;
  /** The endpoint URL, without the token. */
  readonly url: string;
  /** Adds a listener; returns a function that removes it. */
  on<E extends keyof Events>(event: E, listener: Events[E]): () => void;
  off<E extends keyof Events>(event: E, listener: Events[E]): void;
  /** Drops the connection as the network would and reconnects after `delay` ms (default 0). */
  reconnect(options?: { delay?: number }): void;
  /** Closes for good: no reconnect; pending requests reject with `closed`. */
  close(): void;
}

export interface HeraldEvents extends ConnectionEvents {
  /**
   * A message of the connection's own user's private topic `user:{welcome.user}` (pushed by a back
   * end with `POST /herald/api/users/{user}/messages`), once each and in order across reconnects.
   * Off with `{ notifications: false }`. After a reconnect with a token for another user, the new
   * user's notifications, from then on.
   */
  notification: (message: MessageFrame) => void;
  subscribed: (frame: SubscribedFrame, info: SubscribedInfo) => void;
  /** A resume answered with `recovered: false`: messages were lost, reload what you built from the topic. */
  gap: (gap: Gap) => void;
}

/** A client of `/ws/push`: topics with resume. */
export class Herald extends Connection<HeraldEvents> {
  /**
   * @param url the `/ws/push` URL (ws, wss, http, https or relative to the page); defaults to the
   *   one next to herald.js when it was loaded from a Herald server
   */
  constructor(url?: string, options?: HeraldOptions);
  /** One server subscription per topic, shared by its listeners and (for your own `user:` topic) the `notification` event. */
  subscribe<T = unknown>(topic: string, listener: (message: MessageFrame<T>) => void, position?: Position): Subscription;
  /** Without `listener`: all of your listeners. The `notification` event's topic stays subscribed while notifications are on. */
  unsubscribe(topic: string, listener?: (message: MessageFrame<any>) => void): void;
  /** The subscribed topics, the `notification` event's `user:` topic included. */
  topics(): string[];
  /** The epoch and last seq delivered, to store and pass back to `subscribe` later. */
  position(topic: string): { epoch: string | null; seq: number | null } | null;
  /** Resolves to the `ack`; rejects with a HeraldError carrying the server's `code`. */
  publish(topic: string, data: unknown, options?: { timeout?: number }): Promise<AckFrame>;
  /** A chat room on the same server, with the same options. */
  room(room: string): ChatRoom;
}

export interface ChatRoomEvents extends ConnectionEvents {
  message: (message: MessageFrame) => void;
  presence: (change: PresenceChange) => void;
}

/** A client of `/ws/chat/{room}`. */
export class ChatRoom extends Connection<ChatRoomEvents> {
  constructor(url: string, options?: HeraldOptions);
  /** The members, sorted, as last told by the server. */
  readonly members: string[];
  /** Posts to the room; resolves to the `ack`. */
  send(data: unknown, options?: { timeout?: number }): Promise<AckFrame>;
}

export default Herald;
