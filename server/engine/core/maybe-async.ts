// Most transitions need nothing asynchronous: only a JSONata expression does (JSONata 2 evaluates
// asynchronously). A step's work is therefore written as "a value or a promise of it", so a
// transition that evaluates no JSONata runs to its end without a promise or a microtask per call.
export type MaybePromise<T> = T | Promise<T>;

/**
 * `next(value)` now when `value` is at hand, or once its promise fulfils. (Not named `then`: a module
 * that exports `then` is itself a thenable, and `await import()` of it would call it.)
 */
export function andThen<T, R>(value: MaybePromise<T>, next: (value: T) => MaybePromise<R>): MaybePromise<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}
