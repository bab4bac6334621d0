// @vitest-environment jsdom
// The page events that pause and resume the live connection (web/app/live-connection.ts): leaving the
// page (pagehide) pauses it, coming back from the back/forward cache resumes it, and a page hidden
// for longer than the delay pauses it until it is visible again.
import { afterEach, describe, expect, it } from 'vitest';
import { bindPageLifecycle } from './live-connection.js';

const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(5);
  }
}

function bind(hiddenCloseMs: number) {
  const calls: string[] = [];
  const stop = bindPageLifecycle(window, { pause: () => void calls.push('pause'), resume: () => void calls.push('resume') }, hiddenCloseMs);
  stops.push(stop);
  const setVisibility = (state: 'hidden' | 'visible') => {
    Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  };
  const transition = (type: 'pagehide' | 'pageshow', persisted: boolean) => window.dispatchEvent(new PageTransitionEvent(type, { persisted }));
  return { calls, stop, setVisibility, transition };
}

describe('bindPageLifecycle', () => {
  it('pauses when the page is left and resumes when it comes back from the back/forward cache', () => {
    const { calls, transition } = bind(50);
    transition('pagehide', true);
    expect(calls).toEqual(['pause']);
    transition('pageshow', true);
    expect(calls).toEqual(['pause', 'resume']);
    // A first load's pageshow (not from the cache) changes nothing.
    transition('pageshow', false);
    expect(calls).toEqual(['pause', 'resume']);
  });

  it('pauses a page hidden for longer than the delay, not one shown again before it, and resumes it when visible', async () => {
    const { calls, setVisibility, transition, stop } = bind(50);
    setVisibility('hidden');
    setVisibility('visible');
    await pause(150);
    expect(calls).toEqual(['resume']);

    setVisibility('hidden');
    await until(() => calls.includes('pause'), 'the hidden page paused');
    setVisibility('visible');
    expect(calls).toEqual(['resume', 'pause', 'resume']);

    // Once stopped, neither the hidden timer already set nor a page event pauses anything.
    setVisibility('hidden');
    stop();
    transition('pagehide', false);
    await pause(150);
    expect(calls).toEqual(['resume', 'pause', 'resume']);
  });
});
