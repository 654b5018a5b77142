#!/usr/bin/env node
// A real OAuth 2.0 / OpenID Connect server for envdeck's reconnect tests (npm oidc-provider).
//
//   node tests/oauth/server.mjs [PORT]        PORT (or env PORT) 0 = pick a free one
//
// - Listens on 127.0.0.1 only; prints one JSON line on stdout when ready:
//   {"issuer":"http://127.0.0.1:PORT","clients":[...]}. Everything else goes to stderr.
// - Static public clients, one per test app (env OAUTH_CLIENTS, comma-separated; default
//   below): token_endpoint_auth_method none, PKCE (S256) required, code + refresh_token.
//   Any http redirect URI on a loopback host (127.0.0.1, localhost, [::1]) and any port is
//   accepted, so each test app's own /api/integrations/{provider}/callback works.
// - devInteractions login: any login name is accepted; the account id is the login, and the
//   `email` claim is the login too (in the id_token and from userinfo).
// - Scopes: openid, email, offline_access and a fixed list of provider-style scopes
//   (SCOPES below, plus env OAUTH_EXTRA_SCOPES, space-separated).
// - Stops on SIGTERM/SIGINT, or when its stdin closes if env EXIT_ON_STDIN_EOF=1 (the Rust
//   helpers set it, so a killed test run leaves no server behind).
import http from 'node:http';
import process from 'node:process';
import { randomBytes } from 'node:crypto';

import Provider from 'oidc-provider';

const DEFAULT_CLIENTS = ['app', 'app-dev', 'app-staging', 'app-prod'];
const SCOPES = [
  'openid',
  'email',
  'offline_access',
  'tweet.read',
  'tweet.write',
  'users.read',
  'offline.access',
  'posts.read',
  'posts.write',
];

const log = (...a) => console.error('oauth-server:', ...a);

const portArg = process.argv[2] ?? process.env.PORT ?? '0';
const port = Number.parseInt(portArg, 10);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  log(`bad port ${JSON.stringify(portArg)}`);
  process.exit(2);
}
const clientIds = (process.env.OAUTH_CLIENTS ?? DEFAULT_CLIENTS.join(','))
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const scopes = [
  ...new Set([...SCOPES, ...(process.env.OAUTH_EXTRA_SCOPES ?? '').split(/\s+/).filter(Boolean)]),
];

const server = http.createServer();
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(port, '127.0.0.1', resolve);
});
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: clientIds.map((id) => ({
    client_id: id,
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: ['http://127.0.0.1/callback'],
  })),
  pkce: { required: () => true },
  scopes,
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  // The email claim goes into the id_token too, not only to userinfo.
  conformIdTokenClaims: false,
  findAccount: (_ctx, id) => ({
    accountId: id,
    claims: () => ({ sub: id, email: id, email_verified: true }),
  }),
  features: {
    devInteractions: { enabled: true },
    revocation: { enabled: true },
  },
  // Refresh tokens are issued for every grant that asked offline_access (the default
  // policy), rotated on use.
  rotateRefreshToken: true,
  cookies: { keys: [randomBytes(32).toString('hex')] },
  ttl: {
    AccessToken: 3600,
    AuthorizationCode: 60,
    IdToken: 3600,
    Interaction: 600,
    Session: 3600,
    Grant: 86400,
    RefreshToken: 30 * 86400,
  },
  renderError(ctx, out, _error) {
    ctx.type = 'html';
    ctx.body = `<!DOCTYPE html><title>oops</title><pre id="error">${JSON.stringify(out)
      .replace(/</g, '&lt;')}</pre>`;
  },
});

// Any loopback http redirect URI, any port, any path (RFC 8252 §7.3 for native apps, widened
// to every path so one client serves all of a test app's providers).
provider.Client.prototype.redirectUriAllowed = function redirectUriAllowed(value) {
  let u;
  try {
    u = new URL(value);
  } catch {
    return false;
  }
  return (
    u.protocol === 'http:' &&
    ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) &&
    u.hash === ''
  );
};

for (const ev of ['grant.success', 'grant.error', 'authorization.error', 'server_error']) {
  provider.on(ev, (ctx, err) => {
    const e = err ?? ctx;
    log(ev, e?.message ?? '', e?.error_description ?? '');
  });
}

server.on('request', provider.callback());

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
if (process.env.EXIT_ON_STDIN_EOF === '1') {
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}

log(`listening on ${issuer} (clients ${clientIds.join(', ')})`);
process.stdout.write(`${JSON.stringify({ issuer, clients: clientIds })}\n`);
