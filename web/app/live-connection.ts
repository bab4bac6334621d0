// One live connection per page: every subscription of the page travels over one WebSocket to /trpc
// (tRPC's wsLink multiplexes them), outside the browser's six HTTP connections per host. The page
// closes it when it is left (pagehide: a page in the back/forward cache must not hold it) or hidden
// for long, and reopens it when shown again: its subscriptions start anew, and each one's start makes
// its page refetch what changed meanwhile (useRunChanges' onStarted, the inbox's first answer).
import { createWSClient, wsLink, type TRPCLink } from '@trpc/client';
import { observable, type Unsubscribable } from '@trpc/server/observable';
import type { AppRouter } from '../../server/api/trpc/router.js';

export interface LiveConnectionOptions {
  url: string | (() => string);
  /**
   * Who the page is signed in as (any value that changes with the session): a new subscription on a
   * socket opened for another session reopens it, so it never runs with the old user's cookie.
   */
  sessionKey: () => string | null;
  /** How long the socket stays open once no subscription needs it (navigating between pages). */
  closeMs?: number;
  /** Outside a browser (tests on Node 20): a WebSocket class, e.g. the `ws` package's. */
  WebSocket?: typeof WebSocket;
}

export interface LiveConnection {
  /** The subscription branch of the client's links. */
  links: TRPCLink<AppRouter>[];
  /** Close the socket; the page's subscriptions wait, and start again on resume(). */
  pause(): void;
  resume(): void;
}

/** After a lost connection: at once, then 1 s, 2 s, 4 s, 8 s, then every 10 s (± a quarter, so that a restarted server is not met by every page at once). */
export function reconnectDelay(attempt: number): number {
  if (attempt === 0) return 0;
  return Math.min(1_000 * 2 ** (attempt - 1), 10_000) * (0.75 + Math.random() / 2);
}

export function createLiveConnection(options: LiveConnectionOptions): LiveConnection {
  /** The session the open socket was opened for; undefined while none is open. */
  let openedFor: string | null | undefined;
  let paused = false;
  /** A close under way: nothing starts before it has finished, or the new socket could be the one closed. */
  let closing: Promise<void> = Promise.resolve();

  const client = createWSClient({
    url: options.url,
    WebSocket: options.WebSocket,
    lazy: { enabled: true, closeMs: options.closeMs ?? 10_000 },
    retryDelayMs: reconnectDelay,
    // Finds a connection that died silently (a network change, a sleeping laptop).
    keepAlive: { enabled: true, intervalMs: 25_000, pongTimeoutMs: 10_000 },
    onOpen: () => {
      openedFor = options.sessionKey();
    },
    onClose: () => {
      openedFor = undefined;
    },
  });

  interface Subscription {
    start(): void;
    stop(): void;
  }
  const subscriptions = new Set<Subscription>();

  const startAll = () => {
    void closing.then(() => {
      if (!paused) for (const subscription of subscriptions) subscription.start();
    });
  };
  const closeSocket = () => {
    for (const subscription of subscriptions) subscription.stop();
    closing = client.close().catch(() => undefined);
  };

  // Holds each subscription across pauses: stopping and starting it on the socket below while the
  // page's own subscriber stays subscribed.
  const resumable: TRPCLink<AppRouter> = () => ({ op, next }) =>
    observable((observer) => {
      let below: Unsubscribable | null = null;
      // Unsubscribing below completes it there; only the current start's events reach the page.
      let generation = 0;
      const subscription: Subscription = {
        start() {
          if (below) return;
          const mine = ++generation;
          below = next(op).subscribe({
            next: (value) => mine === generation && observer.next(value),
            error: (error) => mine === generation && observer.error(error),
            complete: () => mine === generation && observer.complete(),
          });
        },
        stop() {
          generation++;
          below?.unsubscribe();
          below = null;
        },
      };
      subscriptions.add(subscription);
      if (openedFor !== undefined && openedFor !== options.sessionKey()) {
        closeSocket();
        startAll();
      } else {
        void closing.then(() => {
          if (!paused && subscriptions.has(subscription)) subscription.start();
        });
      }
      return () => {
        subscriptions.delete(subscription);
        subscription.stop();
      };
    });

  return {
    links: [resumable, wsLink<AppRouter>({ client })],
    pause() {
      if (paused) return;
      paused = true;
      closeSocket();
    },
    resume() {
      if (!paused) return;
      paused = false;
      startAll();
    },
  };
}

/** How long a hidden page keeps its live connection. */
export const HIDDEN_CLOSE_MS = 60_000;

/**
 * Pauses `connection` when the page is left (pagehide) or has been hidden for `hiddenCloseMs`, and
 * resumes it when the page is shown again (restored from the back/forward cache, or visible).
 * Returns a function that stops listening.
 */
export function bindPageLifecycle(view: Window, connection: Pick<LiveConnection, 'pause' | 'resume'>, hiddenCloseMs = HIDDEN_CLOSE_MS): () => void {
  const { document } = view;
  let hiddenTimer: ReturnType<typeof setTimeout> | undefined;
  const onPageHide = () => {
    clearTimeout(hiddenTimer);
    connection.pause();
  };
  const onPageShow = (event: PageTransitionEvent) => {
    if (event.persisted) connection.resume();
  };
  const onVisibilityChange = () => {
    clearTimeout(hiddenTimer);
    if (document.visibilityState === 'hidden') hiddenTimer = setTimeout(() => connection.pause(), hiddenCloseMs);
    else connection.resume();
  };
  view.addEventListener('pagehide', onPageHide);
  view.addEventListener('pageshow', onPageShow);
  document.addEventListener('visibilitychange', onVisibilityChange);
  return () => {
    clearTimeout(hiddenTimer);
    view.removeEventListener('pagehide', onPageHide);
    view.removeEventListener('pageshow', onPageShow);
    document.removeEventListener('visibilitychange', onVisibilityChange);
  };
}
