/**
 * fetch through the proxy the environment names, for Octokit (`request: { fetch }`) and any other
 * fetch-based client.
 *
 * Not undici's EnvHttpProxyAgent (6.29), though it is the same parts: its NO_PROXY rules are not
 * curl's (`example.com` does not cover `api.example.com`, `.example.com` does not cover
 * `example.com`), it sends https:// through HTTP_PROXY when HTTPS_PROXY is unset, and it prints an
 * "experimental" warning on every run (bench/RESULTS.md, "Libraries replaced"). Here curl's rules
 * pick, per request origin, between a direct Agent and one ProxyAgent per proxy (CONNECT).
 */
import { Agent, Dispatcher, ProxyAgent, fetch as undiciFetch } from 'undici';
import { proxyEnv, proxyFor, type NetEnv, type ProxySettings } from './proxy-settings.ts';

export class ProxyDispatcher extends Dispatcher {
  private readonly direct = new Agent();
  private readonly proxies = new Map<string, ProxyAgent>();

  constructor(private readonly settings: ProxySettings) {
    super();
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandlers): boolean {
    const proxy = options.origin === undefined ? undefined : proxyFor(String(options.origin), this.settings);
    return this.dispatcherFor(proxy).dispatch(options, handler);
  }

  private dispatcherFor(proxy: string | undefined): Dispatcher {
    if (proxy === undefined) return this.direct;
    let agent = this.proxies.get(proxy);
    if (!agent) {
      agent = new ProxyAgent({ uri: proxy });
      this.proxies.set(proxy, agent);
    }
    return agent;
  }

  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | void {
    const closed = Promise.all([this.direct, ...this.proxies.values()].map((d) => d.close())).then(() => undefined);
    if (!callback) return closed;
    void closed.then(callback);
  }

  override destroy(): Promise<void>;
  override destroy(err: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(err: Error | null, callback: () => void): void;
  override destroy(first?: Error | null | (() => void), second?: () => void): Promise<void> | void {
    const err = typeof first === 'function' ? null : (first ?? null);
    const callback = typeof first === 'function' ? first : second;
    const destroyed = Promise.all([this.direct, ...this.proxies.values()].map((d) => d.destroy(err))).then(
      () => undefined,
    );
    if (!callback) return destroyed;
    void destroyed.then(callback);
  }
}

/**
 * A fetch that honours HTTPS_PROXY, HTTP_PROXY and NO_PROXY in `env`; undefined when no proxy is
 * set, so the caller keeps the fetch it had (the global one, which tests intercept).
 */
export function proxiedFetch(env: NetEnv): typeof globalThis.fetch | undefined {
  const settings = proxyEnv(env);
  if (!settings) return undefined;
  const dispatcher = new ProxyDispatcher(settings);
  // undici's own fetch with its own dispatcher: the global fetch is a different undici copy.
  const fetch = (input: Parameters<typeof globalThis.fetch>[0], init?: RequestInit) =>
    undiciFetch(input as never, { ...(init as object), dispatcher } as never);
  return fetch as unknown as typeof globalThis.fetch;
}
