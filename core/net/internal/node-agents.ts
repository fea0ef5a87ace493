/**
 * Node http(s) agents that honour HTTPS_PROXY, HTTP_PROXY and NO_PROXY, for clients built on
 * node:http: the AWS SDK's NodeHttpHandler (`httpAgent` / `httpsAgent`). Each request is routed by
 * our curl rules to a direct agent or to a CONNECT tunnel through its proxy (https-proxy-agent), for
 * http:// targets too, as undici and @actions/http-client do.
 *
 * Not proxy-agent's ProxyAgent, the same design: with `maxSockets` set it queues requests behind
 * sockets it handed to another agent and never frees, so a pull of more files than sockets hangs;
 * and its forwarded http:// requests lose their absolute path on a reused keep-alive connection (the
 * proxy gets `GET /bucket/key`). Here the router limits nothing and the agents behind it pool.
 */
import { Agent as HttpAgent, type AgentOptions, type ClientRequest } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { Agent as AgentBase } from 'agent-base';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { proxyEnv, proxyFor, type NetEnv, type ProxySettings } from './proxy-settings.ts';

export interface AgentSettings {
  keepAlive: boolean;
  maxSockets: number;
}

class ProxyRoutingAgent extends AgentBase {
  private readonly tunnels = new Map<string, HttpsProxyAgent<string>>();
  private readonly direct: HttpAgent;

  constructor(
    private readonly proxies: ProxySettings,
    private readonly settings: AgentSettings,
    private readonly secure: boolean,
  ) {
    // The router only picks a route: the agent it hands a request to pools and limits sockets.
    super({ keepAlive: settings.keepAlive, maxSockets: Infinity });
    this.direct = secure ? new HttpsAgent(settings) : new HttpAgent(settings);
  }

  // One router per scheme (the SDK's httpAgent and httpsAgent), so no guessing from the call stack.
  override isSecureEndpoint(): boolean {
    return this.secure;
  }

  connect(req: ClientRequest, options: { host?: string | null; port?: number | null }): HttpAgent {
    const host = req.getHeader('host') ?? `${options.host}${options.port ? `:${options.port}` : ''}`;
    const proxy = proxyFor(new URL(req.path, `${this.secure ? 'https' : 'http'}://${String(host)}`), this.proxies);
    if (proxy === undefined) return this.direct;
    let tunnel = this.tunnels.get(proxy);
    if (!tunnel) {
      tunnel = new HttpsProxyAgent(proxy, { ...this.settings });
      this.tunnels.set(proxy, tunnel);
    }
    return tunnel;
  }

  override destroy(): void {
    this.direct.destroy();
    for (const tunnel of this.tunnels.values()) tunnel.destroy();
    super.destroy();
  }
}

/**
 * The SDK request handler's agents: plain agent options when no proxy is set (the handler builds its
 * own agents, as before), else proxy-routing agents with the same pooling.
 */
export function nodeAgents(
  env: NetEnv,
  settings: AgentSettings,
): { httpAgent: AgentOptions | HttpAgent; httpsAgent: AgentOptions | HttpAgent } {
  const proxies = proxyEnv(env);
  if (!proxies) return { httpAgent: { ...settings }, httpsAgent: { ...settings } };
  return {
    httpAgent: new ProxyRoutingAgent(proxies, settings, false),
    httpsAgent: new ProxyRoutingAgent(proxies, settings, true),
  };
}
