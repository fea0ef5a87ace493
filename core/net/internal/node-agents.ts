/**
 * Node http(s) agents that honour HTTPS_PROXY, HTTP_PROXY and NO_PROXY, for clients built on
 * node:http: the AWS SDK's NodeHttpHandler (`httpAgent` / `httpsAgent`). proxy-agent picks the
 * proxy per request through our curl rules (not its own proxy-from-env, which reads process.env):
 * http:// targets are forwarded (absolute-form requests), https:// ones tunnelled with CONNECT.
 */
import type { AgentOptions } from 'node:http';
import { ProxyAgent } from 'proxy-agent';
import { proxyEnv, proxyFor, type NetEnv } from './proxy-settings.ts';

export interface AgentSettings {
  keepAlive: boolean;
  maxSockets: number;
}

/**
 * The SDK request handler's agents: plain agent options when no proxy is set (the handler builds its
 * own agents, as before), else proxy-aware agents with the same pooling.
 */
export function nodeAgents(env: NetEnv, settings: AgentSettings): { httpAgent: AgentOptions | ProxyAgent; httpsAgent: AgentOptions | ProxyAgent } {
  const proxies = proxyEnv(env);
  if (!proxies) return { httpAgent: { ...settings }, httpsAgent: { ...settings } };
  const agent = () => new ProxyAgent({ ...settings, getProxyForUrl: (url: string) => proxyFor(url, proxies) ?? '' });
  return { httpAgent: agent(), httpsAgent: agent() };
}
