/**
 * The one place a store URL is made safe to print: credentials written into a URL
 * (`https://user:secret@minio.example.com`, an S3 endpoint in `.dvc/config` or AWS_ENDPOINT_URL, a
 * mistyped `--remote`) never reach an error message or a log line, where CI logs would keep them.
 * As git and curl print such URLs: the userinfo becomes `***`, the rest stays, so the message still
 * says which host and path. Works on a URL or on any text that holds URLs.
 */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]*@/gi;
/** `user:secret@host` with its scheme left out, as a mistyped endpoint may be. */
const LEADING_USERINFO = /^[^\s/:@]+:[^\s/]*@/;

export function redactCredentials(text: string): string {
  return text.replace(USERINFO, '$1***@').replace(LEADING_USERINFO, '***@');
}
