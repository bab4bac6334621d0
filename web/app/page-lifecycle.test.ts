// @vitest-environment jsdom
// The page events that pause and resume the live connection (web/app/live-connection.ts): leaving the
// page (pagehide) pauses it, coming back from the back/forward cache resumes it, and a page hidden
// for longer than the delay pauses it until it is visible again.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bindPageLifecycle } from './live-connection.js';

const stops: (() => void)[] = [];
// The hidden-page delay runs on fake timers: the test moves time instead of waiting for it.
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  for (const stop of stops.splice(0)) stop();
  Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
});

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

  it('pauses a page hidden for longer than the delay, not one shown again before it, and resumes it when visible', () => {
    const { calls, setVisibility, transition, stop } = bind(50);
    setVisibility('hidden');
    vi.advanceTimersByTime(49);
    setVisibility('visible');
    vi.advanceTimersByTime(150);
    expect(calls).toEqual(['resume']);

    setVisibility('hidden');
    vi.advanceTimersByTime(49);
    expect(calls).toEqual(['resume']);
    vi.advanceTimersByTime(1);
    expect(calls).toEqual(['resume', 'pause']);
    setVisibility('visible');
    expect(calls).toEqual(['resume', 'pause', 'resume']);

    // Once stopped, neither the hidden timer already set nor a page event pauses anything.
    setVisibility('hidden');
    stop();
    transition('pagehide', false);
    vi.advanceTimersByTime(150);
    expect(calls).toEqual(['resume', 'pause', 'resume']);
  });
});
