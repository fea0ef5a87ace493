/**
 * GetObject without the SDK's per-command middleware stack, for pulls of many small objects.
 *
 * Every `GetObjectCommand` spends CPU in the SDK's stack (resolving the middleware list, the
 * endpoint ruleset, serialising, deserialising) before and after the bytes move; with thousands of
 * small files that, not the network, bounds a pull (the figure: bench/RESULTS.md, "direct-get").
 * Here the SDK's own parts do the same job once per store or cheaply per request:
 *
 *   - the endpoint comes from the client's endpoint ruleset (`getEndpointFromInstructions` with
 *     GetObject's parameters), resolved once per bucket: virtual-hosted or path-style, FIPS,
 *     dual-stack and custom endpoints as the SDK would address them;
 *   - the request is signed by the SDK's SigV4 signer with the client's credential provider (the
 *     same chain, refreshed the same way) and its clock-skew correction;
 *   - it travels through the client's own HTTP handler (its keep-alive agents and timeouts).
 *
 * Only a 200 or 206 answer with a Content-Length is used. Anything else (an error status, a
 * redirect to another region, a dropped connection before the headers) returns undefined and the
 * caller sends the ordinary GetObjectCommand, so errors, retries and redirects stay the SDK's: a
 * failed GET costs one request more than the SDK alone would make. A throttling or server error
 * (5xx) turns this path off for PAUSE_MS, so a struggling server sees only the SDK's backed-off
 * retries; a region redirect turns it off for the rest of the store's life. An endpoint that needs
 * another signing scheme (SigV4a, S3 Express) never takes it.
 *
 * It relies on the SDK version in test/core/store/s3-direct-get-contract.test.ts; that test fails
 * on an upgrade until it and the benchmark have been rerun.
 */
import type { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getEndpointFromInstructions } from '@smithy/core/endpoints';
import { HttpRequest } from '@smithy/core/transport';
import { SignatureV4 } from '@smithy/signature-v4';

export interface DirectGetHeaders {
  range?: string;
  ifMatch?: string;
}

export interface DirectGetResponse {
  body: Readable;
  contentLength: number;
  contentRange?: string;
  etag?: string;
}

interface Prepared {
  base: URL;
  signer: SignatureV4;
}

interface AuthScheme {
  name?: string;
  signingName?: string;
  signingRegion?: string;
}

/** The parts of the resolved client config this path uses (all set by S3Client). */
interface ResolvedConfig {
  credentials: ConstructorParameters<typeof SignatureV4>[0]['credentials'];
  sha256: ConstructorParameters<typeof SignatureV4>[0]['sha256'];
  systemClockOffset?: number;
  requestHandler: {
    handle(
      request: HttpRequest,
      options?: { abortSignal?: AbortSignal },
    ): Promise<{ response: { statusCode: number; headers: Record<string, string>; body: unknown } }>;
  };
}

/** How long a 5xx answer (503 SlowDown included) leaves every GET to the SDK's retry strategy. */
const PAUSE_MS = 10_000;

export class DirectGetter {
  private prepared?: Promise<Prepared | undefined>;
  private off = false;
  private pausedUntil = 0;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  /** S3's answer when it was 200 or 206; undefined when the caller should send GetObjectCommand. */
  async get(key: string, headers: DirectGetHeaders, signal?: AbortSignal): Promise<DirectGetResponse | undefined> {
    if (this.off || Date.now() < this.pausedUntil) return undefined;
    const prepared = await (this.prepared ??= this.prepare().catch(() => undefined));
    if (prepared === undefined) {
      this.off = true;
      return undefined;
    }
    const config = this.client.config as unknown as ResolvedConfig;
    const request = buildGetRequest(prepared.base, key, headers);
    let response;
    try {
      // No credentials (or a provider that fails) is reported by the SDK's own send, with its message.
      const signed = await prepared.signer.sign(request, {
        signingDate: new Date(Date.now() + (config.systemClockOffset ?? 0)),
      });
      ({ response } = await config.requestHandler.handle(signed as HttpRequest, { abortSignal: signal }));
    } catch (error) {
      if (signal?.aborted) throw error;
      return undefined; // the SDK's send retries it
    }
    const body = response.body as Readable;
    const length = Number(response.headers['content-length']);
    if (
      (response.statusCode === 200 || response.statusCode === 206) &&
      response.headers['content-length'] !== undefined &&
      Number.isSafeInteger(length)
    ) {
      return {
        body,
        contentLength: length,
        contentRange: response.headers['content-range'],
        etag: response.headers.etag,
      };
    }
    body.destroy();
    // A bucket in another region answers 301 (or 400 naming its region); the SDK follows that for every later request.
    if (
      response.statusCode === 301 ||
      response.statusCode === 307 ||
      response.headers['x-amz-bucket-region'] !== undefined
    )
      this.off = true;
    if (response.statusCode >= 500) this.pausedUntil = Date.now() + PAUSE_MS;
    return undefined;
  }

  private async prepare(): Promise<Prepared | undefined> {
    const config = this.client.config as unknown as ResolvedConfig;
    const endpoint = await getEndpointFromInstructions(
      { Bucket: this.bucket, Key: 'key' },
      GetObjectCommand,
      this.client.config as never,
    );
    const schemes = (endpoint.properties?.authSchemes ?? []) as AuthScheme[];
    const scheme = schemes[0];
    if (scheme?.name !== 'sigv4' || !scheme.signingRegion || Object.keys(endpoint.headers ?? {}).length > 0)
      return undefined;
    if (typeof config.credentials !== 'function' || typeof config.requestHandler?.handle !== 'function')
      return undefined;
    const signer = new SignatureV4({
      credentials: config.credentials,
      region: scheme.signingRegion,
      service: scheme.signingName ?? 's3',
      sha256: config.sha256,
      uriEscapePath: false, // S3 signs the path as sent, not encoded twice
    });
    return { base: new URL(endpoint.url.href), signer };
  }
}

/**
 * GET of `key` under the endpoint's base URL, the key's segments encoded as the SDK encodes a
 * greedy path label (RFC 3986 unreserved characters kept, everything else percent-encoded).
 */
export function buildGetRequest(base: URL, key: string, headers: DirectGetHeaders): HttpRequest {
  const root = base.pathname.endsWith('/') ? base.pathname.slice(0, -1) : base.pathname;
  const path = `${root}/${key.split('/').map(encodeSegment).join('/')}`;
  const requestHeaders: Record<string, string> = { host: base.host };
  if (headers.range !== undefined) requestHeaders.range = headers.range;
  if (headers.ifMatch !== undefined) requestHeaders['if-match'] = headers.ifMatch;
  return new HttpRequest({
    protocol: base.protocol,
    hostname: base.hostname,
    port: base.port === '' ? undefined : Number(base.port),
    method: 'GET',
    path,
    query: {},
    headers: requestHeaders,
  });
}

function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
