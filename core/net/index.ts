/**
 * The one place Cairn's network clients get their proxy from: HTTPS_PROXY, HTTP_PROXY, NO_PROXY and
 * their lower-case forms, read from the environment a front door passes in, with curl's NO_PROXY
 * rules (internal/proxy-settings.ts). fetch-based clients (Octokit) take `proxiedFetch(env)`; the
 * AWS SDK takes `nodeAgents(env, ...)` in its request handler.
 */
export { bypassesProxy, proxyEnv, proxyFor, type NetEnv, type ProxySettings } from './internal/proxy-settings.ts';
export { proxiedFetch, ProxyDispatcher } from './internal/proxied-fetch.ts';
export { nodeAgents, type AgentSettings } from './internal/node-agents.ts';
export { describeNetworkFailure, networkFailure } from './internal/unreachable.ts';
