/**
 * Which proxy, if any, a request goes through: the variables curl, the Actions runner and
 * @actions/http-client read, with curl's rules.
 *
 *   HTTPS_PROXY / https_proxy   proxy for https:// URLs (an https URL never falls back to HTTP_PROXY)
 *   HTTP_PROXY / http_proxy     proxy for http:// URLs
 *   NO_PROXY / no_proxy         hosts reached directly: comma- or space-separated names, each
 *                               matching itself and its subdomains (a leading dot changes nothing),
 *                               `*` for every host, `name:port` for that port only, IP addresses
 *                               and CIDR ranges (10.0.0.0/8) for addresses
 *
 * The lower-case form wins when both are set; an empty variable counts as unset. A proxy without a
 * scheme is http://; a SOCKS or PAC proxy is refused (a UserError) rather than half-used.
 */
import { BlockList, isIP } from 'node:net';
import { UserError } from '../../errors.ts';

/** An environment as the front doors pass it (process.env, or a test's own). */
export type NetEnv = Readonly<Record<string, string | undefined>>;

export interface ProxySettings {
  httpProxy?: string;
  httpsProxy?: string;
  noProxy: string;
}

const pick = (env: NetEnv, name: string): string | undefined =>
  env[name.toLowerCase()] || env[name.toUpperCase()] || undefined;

/** The proxy variables of `env`; undefined when no proxy is set, so callers keep their direct clients. */
export function proxyEnv(env: NetEnv): ProxySettings | undefined {
  const httpProxy = proxyUrl(env, 'http_proxy');
  const httpsProxy = proxyUrl(env, 'https_proxy');
  if (!httpProxy && !httpsProxy) return undefined;
  return { httpProxy, httpsProxy, noProxy: pick(env, 'no_proxy') ?? '' };
}

/** The proxy a variable names, checked; the messages never repeat the value, which may hold a password. */
function proxyUrl(env: NetEnv, name: string): string | undefined {
  const value = pick(env, name)?.trim();
  if (!value) return undefined;
  const shown = env[name] ? name : name.toUpperCase();
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let protocol: string;
  try {
    ({ protocol } = new URL(url));
  } catch (error) {
    throw new UserError(`${shown} is not a proxy URL; set it like http://proxy.example.com:3128.`, { cause: error });
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new UserError(
      `${shown} names a ${protocol.slice(0, -1)} proxy; Cairn reaches GitHub and S3 through HTTP proxies only (http:// or https://).`,
    );
  }
  return url;
}

/** The proxy URL for `url`, or undefined when it goes direct (no proxy for its scheme, or NO_PROXY names it). */
export function proxyFor(url: string | URL, settings: ProxySettings | undefined): string | undefined {
  if (!settings) return undefined;
  const target = typeof url === 'string' ? new URL(url) : url;
  const proxy =
    target.protocol === 'https:' || target.protocol === 'wss:'
      ? settings.httpsProxy
      : target.protocol === 'http:' || target.protocol === 'ws:'
        ? settings.httpProxy
        : undefined;
  if (!proxy || bypassesProxy(target, settings.noProxy)) return undefined;
  return proxy;
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443, 'ws:': 80, 'wss:': 443 };

/**
 * curl's NO_PROXY match (lib/noproxy.c): `*` only as the whole value; plus `name:port` entries and a
 * leading `*.`, as the toolkit and undici read them.
 */
export function bypassesProxy(url: URL, noProxy: string): boolean {
  if (noProxy.trim() === '*') return true;
  const host = url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  const port = url.port ? Number(url.port) : DEFAULT_PORTS[url.protocol];
  const hostIsIp = isIP(host);
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === '' || entry === '*') continue;
    const { name, port: entryPort } = splitPort(entry);
    if (entryPort !== undefined && entryPort !== port) continue;
    if (hostIsIp) {
      if (ipMatches(host, hostIsIp, name)) return true;
      continue;
    }
    const domain = name.replace(/^\*?\./, '').replace(/\.$/, '');
    if (domain !== '' && (host === domain || host.endsWith(`.${domain}`))) return true;
  }
  return false;
}

function splitPort(entry: string): { name: string; port?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { name: bracketed[1], port: bracketed[2] === undefined ? undefined : Number(bracketed[2]) };
  // A bare IPv6 address has colons of its own and no port.
  if (isIP(entry.split('/')[0]) === 6) return { name: entry };
  const withPort = /^(.+):(\d+)$/.exec(entry);
  return withPort ? { name: withPort[1], port: Number(withPort[2]) } : { name: entry };
}

function ipMatches(host: string, family: number, entry: string): boolean {
  const [address, bits] = entry.split('/');
  const entryFamily = isIP(address);
  if (entryFamily !== family) return false;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (bits === undefined) {
    const single = new BlockList();
    single.addAddress(address, type);
    return single.check(host, type);
  }
  const prefix = Number(bits);
  if (!/^\d+$/.test(bits) || prefix > (family === 4 ? 32 : 128)) return false;
  const range = new BlockList();
  range.addSubnet(address, prefix, type);
  return range.check(host, type);
}
