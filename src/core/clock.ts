/** Time comes from here so tests can move it (session expiry, throttling) without waiting. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock for tests: starts where you say and moves only when told. */
export class FakeClock implements Clock {
  #at: number;
  constructor(start: Date | string = '2026-11-02T09:00:00Z') {
    this.#at = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.#at);
  }
  advance(ms: number): void {
    this.#at += ms;
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
