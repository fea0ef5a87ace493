/**
 * Request bodies are bounded before they are read. GitHub caps webhook payloads at 25 MB, so no
 * genuine delivery is larger: a body that declares more (`content-length`) is answered 413 before
 * one byte of it is read, and a streamed (chunked) body is counted as it arrives and cut off, with
 * the connection, once it passes the cap. Without this, one unsigned 1 GiB POST made Probot's
 * middleware hold the whole body in memory before the signature check could refuse it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** GitHub's own cap on a webhook payload. */
export const WEBHOOK_BODY_LIMIT = 25 * 1024 * 1024;

/** True when the request says its body is larger than `limit` bytes. */
export function declaresTooLarge(req: IncomingMessage, limit: number): boolean {
  const declared = req.headers['content-length'];
  return declared !== undefined && Number(declared) > limit;
}

/**
 * Answers 413 and closes the connection once the answer is out: the rest of the body is never
 * read (Node would otherwise read and discard it to reuse the connection).
 */
export function refuseTooLarge(req: IncomingMessage, res: ServerResponse, limit: number): void {
  req.pause();
  if (!res.headersSent) {
    res.once('finish', () => req.socket.destroy());
    res
      .writeHead(413, { 'content-type': 'application/json', connection: 'close' })
      .end(
        `${JSON.stringify({ error: `request body larger than ${limit} bytes (GitHub sends webhook payloads of at most 25 MiB)` })}\n`,
      );
  } else {
    req.socket.destroy();
  }
}

/**
 * Reads the body up to `limit` bytes: its bytes when `keep`, else an empty buffer (the bytes are
 * counted and dropped). Undefined when there is nothing to answer: the body passed the limit (413
 * sent, connection closed) or the client went away before sending all of it.
 */
export function readBoundedBody(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
  keep: boolean,
): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) {
        req.off('data', onData);
        chunks.length = 0;
        refuseTooLarge(req, res, limit);
        resolve(undefined);
        return;
      }
      if (keep) chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    // After 'end' these change nothing: a promise settles once.
    req.once('error', () => resolve(undefined));
    req.once('close', () => resolve(undefined));
  });
}
