// Per-application QPS limit: a fixed one-second window per clientId, as the platform counts "requests per second".
export class RateLimiter {
  private readonly windows = new Map<string, { second: number; count: number }>();

  /** 0 when the request may pass, else the seconds to wait (Retry-After). */
  take(clientId: string, qpsLimit: number, now: number): number {
    if (qpsLimit <= 0) return 0;
    const second = Math.floor(now / 1000);
    let window = this.windows.get(clientId);
    if (!window || window.second !== second) {
      window = { second, count: 0 };
      this.windows.set(clientId, window);
    }
    window.count += 1;
    return window.count > qpsLimit ? 1 : 0;
  }
}
