import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UserError } from '../../../core/errors.ts';
import { bypassesProxy, proxyEnv, proxyFor } from '../../../core/net/index.ts';

const PROXY = 'http://proxy.corp:3128';
const via = (url: string, noProxy: string) => proxyFor(url, { httpProxy: PROXY, httpsProxy: PROXY, noProxy });

describe('proxyEnv: which variables count', () => {
  test('no proxy variable means no proxy settings, whatever NO_PROXY says', () => {
    assert.equal(proxyEnv({}), undefined);
    assert.equal(proxyEnv({ NO_PROXY: '*', HTTPS_PROXY: '' }), undefined);
  });

  test('upper- and lower-case forms are read; the lower-case one wins; an empty one counts as unset', () => {
    assert.deepEqual(proxyEnv({ HTTPS_PROXY: 'http://upper:1' }), {
      httpProxy: undefined,
      httpsProxy: 'http://upper:1',
      noProxy: '',
    });
    assert.deepEqual(
      proxyEnv({ HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2' })?.httpsProxy,
      'http://lower:2',
    );
    assert.deepEqual(
      proxyEnv({ HTTP_PROXY: 'http://upper:1', http_proxy: 'http://lower:2' })?.httpProxy,
      'http://lower:2',
    );
    assert.deepEqual(proxyEnv({ HTTP_PROXY: 'http://upper:1', http_proxy: '' })?.httpProxy, 'http://upper:1');
    assert.equal(
      proxyEnv({ HTTP_PROXY: PROXY, NO_PROXY: 'upper.example', no_proxy: 'lower.example' })?.noProxy,
      'lower.example',
    );
  });

  test('a proxy named without a scheme is http://', () => {
    assert.equal(proxyEnv({ HTTPS_PROXY: 'proxy.corp:3128' })?.httpsProxy, 'http://proxy.corp:3128');
  });

  test('a proxy that is not an HTTP proxy is refused with the variable named and its value (maybe a password) not repeated', () => {
    assert.throws(
      () => proxyEnv({ HTTPS_PROXY: 'socks5://user:s3cret@proxy.corp:1080' }),
      (error: Error) =>
        error instanceof UserError &&
        /HTTPS_PROXY names a socks5 proxy/.test(error.message) &&
        !error.message.includes('s3cret'),
    );
    assert.throws(
      () => proxyEnv({ http_proxy: 'http://proxy corp:3128' }),
      (error: Error) => error instanceof UserError && /^http_proxy is not a proxy URL/.test(error.message),
    );
  });

  test('https:// URLs use HTTPS_PROXY only, http:// URLs HTTP_PROXY only (as curl: no fallback)', () => {
    const httpsOnly = proxyEnv({ HTTPS_PROXY: PROXY });
    assert.equal(proxyFor('https://api.github.com/repos', httpsOnly), PROXY);
    assert.equal(proxyFor('http://minio.local:9000/bucket', httpsOnly), undefined);
    const httpOnly = proxyEnv({ HTTP_PROXY: PROXY });
    assert.equal(proxyFor('https://api.github.com/repos', httpOnly), undefined);
    assert.equal(proxyFor('http://minio.local:9000/bucket', httpOnly), PROXY);
  });
});

describe("NO_PROXY, by curl's rules", () => {
  test('a name covers itself and its subdomains, not names that merely end the same', () => {
    assert.equal(via('https://example.com/', 'example.com'), undefined);
    assert.equal(via('https://api.example.com/', 'example.com'), undefined);
    assert.equal(via('https://deep.api.example.com/', 'example.com'), undefined);
    assert.equal(via('https://notexample.com/', 'example.com'), PROXY);
    assert.equal(via('https://example.com.evil.net/', 'example.com'), PROXY);
  });

  test('a leading dot (or *.) changes nothing: .example.com covers example.com too', () => {
    for (const entry of ['.example.com', '*.example.com']) {
      assert.equal(via('https://example.com/', entry), undefined, entry);
      assert.equal(via('https://s3.example.com/', entry), undefined, entry);
      assert.equal(via('https://example.org/', entry), PROXY, entry);
    }
  });

  test('* as the whole value bypasses the proxy for every host; inside a list it is ignored, as curl does', () => {
    assert.equal(via('https://api.github.com/', '*'), undefined);
    assert.equal(via('https://api.github.com/', ' * '), undefined);
    assert.equal(via('http://10.1.2.3:9000/', 'internal.corp, *'), PROXY);
    assert.equal(via('http://internal.corp/', 'internal.corp, *'), undefined);
  });

  test('name:port covers that port only (default ports included)', () => {
    assert.equal(via('http://minio.corp:9000/b', 'minio.corp:9000'), undefined);
    assert.equal(via('http://minio.corp:9001/b', 'minio.corp:9000'), PROXY);
    assert.equal(via('https://ghe.corp/api/v3', 'ghe.corp:443'), undefined);
    assert.equal(via('http://ghe.corp/api/v3', 'ghe.corp:443'), PROXY);
  });

  test('entries split on commas and spaces, match without regard to case, and ignore a trailing dot', () => {
    assert.equal(via('https://API.Example.COM./', ' foo.corp ,  EXAMPLE.com bar.corp'), undefined);
    assert.equal(via('https://bar.corp/', 'foo.corp bar.corp'), undefined);
    assert.equal(via('https://baz.corp/', 'foo.corp,,bar.corp'), PROXY);
  });

  test('IP addresses match exactly or by CIDR range, never by suffix', () => {
    assert.equal(via('http://10.0.0.5:9000/', '10.0.0.5'), undefined);
    assert.equal(via('http://10.1.2.3/', '10.0.0.0/8'), undefined);
    assert.equal(via('http://11.1.2.3/', '10.0.0.0/8'), PROXY);
    assert.equal(via('http://110.0.0.5/', '0.0.5'), PROXY);
    assert.equal(via('http://[::1]:8080/', '::1'), undefined);
    assert.equal(via('http://[::1]:8080/', '[::1]:8080'), undefined);
    assert.equal(via('http://[::1]:8081/', '[::1]:8080'), PROXY);
    assert.equal(via('http://[fd00::5]/', 'fd00::/8'), undefined);
  });

  test('loopback is proxied unless NO_PROXY names it (curl makes no exception for it)', () => {
    assert.equal(bypassesProxy(new URL('http://127.0.0.1:9000/'), ''), false);
    assert.equal(bypassesProxy(new URL('http://localhost:9000/'), 'localhost,127.0.0.1'), true);
  });
});
