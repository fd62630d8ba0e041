import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Which listing a token continues: the same operation, region and query (pack, filters, names). */
export interface PageScope {
  readonly operation: string;
  readonly region: string;
  /** Any JSON-serialisable description of the query; only its hash goes into the token. */
  readonly query: unknown;
}

export class InvalidPageTokenError extends Error {
  constructor() {
    super('The nextToken provided is invalid');
    this.name = 'InvalidPageTokenError';
  }
}

/**
 * Opaque NextTokens. Each token carries the last key served plus a hash of its scope, sealed
 * with an HMAC under a per-server secret, so a token replayed against another pack, other
 * filters, another region or another server is refused as AWS refuses it.
 */
export class PageTokenCodec {
  constructor(private readonly secret: Buffer = randomBytes(32)) {}

  /** A token that resumes the listing after key `after` ('' = from the start). */
  encode(scope: PageScope, after: string): string {
    const payload = Buffer.from(JSON.stringify({ v: 1, s: scopeHash(scope), a: after })).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  /** The key to resume after; throws InvalidPageTokenError for anything not minted here for `scope`. */
  decode(scope: PageScope, token: string): string {
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined) throw new InvalidPageTokenError();
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new InvalidPageTokenError();
    let body: { v?: unknown; s?: unknown; a?: unknown };
    try {
      body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw new InvalidPageTokenError();
    }
    if (body.v !== 1 || body.s !== scopeHash(scope) || typeof body.a !== 'string') throw new InvalidPageTokenError();
    return body.a;
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}

function scopeHash(scope: PageScope): string {
  return createHash('sha256')
    .update(JSON.stringify([scope.operation, scope.region, scope.query]))
    .digest('base64url')
    .slice(0, 16);
}
