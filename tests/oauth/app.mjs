#!/usr/bin/env node
// A small web app playing one environment's product for envdeck's reconnect tests: its
// "connect" page starts an OAuth authorization-code + PKCE flow against ISSUER, and its
// callback exchanges the code and writes the integration row into that environment's
// PostgreSQL database (DATABASE_URL), tokens included, as a real product would.
//
//   node tests/oauth/app.mjs [PORT]   (or env PORT; 0 = pick a free one)
//   env: DATABASE_URL (required), ISSUER (required), CLIENT_ID (default "app"),
//        INTEGRATIONS_TABLE (default "integrations"; "schema.table" allowed),
//        APP_URL (the public base URL; default http://127.0.0.1:PORT),
//        PROVIDER_SCOPES (JSON {"provider":"scope scope"}, merged over the defaults),
//        EXIT_ON_STDIN_EOF=1 (stop when stdin closes: the Rust helpers set it).
// Prints one JSON line on stdout when ready: {"app_url":"http://127.0.0.1:PORT"}.
//
// Routes:
//   GET  /api/integrations/{provider}/connect   302 to the issuer's authorization endpoint
//        (prompt=consent, scopes "openid email offline_access" + the provider's scopes).
//   GET  /api/integrations/{provider}/callback  checks state, exchanges the code with the
//        PKCE verifier, reads the granted scope and the email, then UPDATEs the row for
//        (provider, account_email) in place or INSERTs one; 200 "connected". An error in
//        the callback (error=access_denied when consent was denied) writes nothing: 400.
//   POST /__test/scopes  {"provider":"twitter","scopes":"tweet.read"}: scopes asked from
//        then on for that provider.
//   GET  /__test/health  200 "ok".
// Only columns that exist in the table are written (a table with no updated_at works too).
import http from 'node:http';
import process from 'node:process';
import { createHash, randomBytes } from 'node:crypto';

import pg from 'pg';

const BASE_SCOPES = 'openid email offline_access';
const DEFAULT_PROVIDER_SCOPES = {
  twitter: 'tweet.read tweet.write users.read',
  x: 'tweet.read tweet.write users.read',
  linkedin: 'posts.read posts.write',
};

const log = (...a) => console.error('test-app:', ...a);

const portArg = process.argv[2] ?? process.env.PORT ?? '0';
const port = Number.parseInt(portArg, 10);
const databaseUrl = process.env.DATABASE_URL;
const issuer = (process.env.ISSUER ?? '').replace(/\/+$/, '');
const clientId = process.env.CLIENT_ID || 'app';
const tableName = process.env.INTEGRATIONS_TABLE || 'integrations';
if (!Number.isInteger(port) || port < 0 || port > 65535 || !databaseUrl || !issuer) {
  log('usage: DATABASE_URL=postgres://… ISSUER=http://127.0.0.1:N [CLIENT_ID=app] node app.mjs [PORT]');
  process.exit(2);
}
const providerScopes = {
  ...DEFAULT_PROVIDER_SCOPES,
  ...JSON.parse(process.env.PROVIDER_SCOPES || '{}'),
};
const table = tableName
  .split('.')
  .map((p) => pg.escapeIdentifier(p))
  .join('.');

const pool = new pg.Pool({ connectionString: databaseUrl, max: 2, idleTimeoutMillis: 5000 });
pool.on('error', (e) => log('pool error:', e.message));

const b64url = (buf) => buf.toString('base64url');
// state -> { verifier, provider, redirectUri, nonce }
const pending = new Map();
let discovery;
let appUrl;

async function metadata() {
  if (!discovery) {
    const r = await fetch(`${issuer}/.well-known/openid-configuration`);
    if (!r.ok) throw new Error(`discovery: HTTP ${r.status}`);
    discovery = await r.json();
  }
  return discovery;
}

// The table's columns, read at each write (the test may create the table after start).
async function columns(client) {
  const parts = tableName.split('.');
  const [schema, name] = parts.length === 2 ? parts : [null, parts[0]];
  const r = await client.query(
    `SELECT column_name FROM information_schema.columns
      WHERE table_name = $1 AND (($2::text IS NULL AND table_schema = ANY (current_schemas(false)))
                                 OR table_schema = $2)`,
    [name, schema],
  );
  if (r.rowCount === 0) throw new Error(`table ${tableName} not found`);
  return new Set(r.rows.map((x) => x.column_name));
}

async function writeIntegration(row) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const cols = await columns(client);
    const values = {
      status: 'connected',
      access_token: row.access_token,
      refresh_token: row.refresh_token,
      scopes: row.scopes,
      expires_at: row.expires_at,
    };
    const present = Object.entries(values).filter(([k]) => cols.has(k));
    const params = [row.provider, row.account_email, ...present.map(([, v]) => v)];
    const sets = present.map(([k], i) => `${pg.escapeIdentifier(k)} = $${i + 3}`);
    if (cols.has('updated_at')) sets.push('updated_at = now()');
    const upd = await client.query(
      `UPDATE ${table} SET ${sets.join(', ')} WHERE provider = $1 AND account_email = $2 RETURNING id`,
      params,
    );
    let outcome;
    if (upd.rowCount > 0) {
      outcome = `updated id ${upd.rows.map((r) => r.id).join(',')}`;
    } else {
      const names = ['provider', 'account_email', ...present.map(([k]) => k)];
      const ins = await client.query(
        `INSERT INTO ${table} (${names.map((n) => pg.escapeIdentifier(n)).join(', ')})
         VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
        params,
      );
      outcome = `inserted id ${ins.rows[0].id}`;
    }
    await client.query('COMMIT');
    return outcome;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(body);
}

async function readBody(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

async function connect(res, provider) {
  const md = await metadata();
  const verifier = b64url(randomBytes(32));
  const state = b64url(randomBytes(16));
  const nonce = b64url(randomBytes(16));
  const redirectUri = `${appUrl}/api/integrations/${encodeURIComponent(provider)}/callback`;
  const scope = [BASE_SCOPES, providerScopes[provider] ?? ''].join(' ').trim();
  pending.set(state, { verifier, provider, redirectUri, nonce });
  const u = new URL(md.authorization_endpoint);
  u.search = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope,
    state,
    nonce,
    prompt: 'consent',
    code_challenge: b64url(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
  }).toString();
  log(`connect ${provider}: scope "${scope}", redirecting to ${md.authorization_endpoint}`);
  send(res, 302, `redirecting to ${u}`, { location: u.toString() });
}

async function callback(res, provider, q) {
  const state = q.get('state');
  const p = state && pending.get(state);
  if (!p || p.provider !== provider) {
    log(`callback ${provider}: unknown state`);
    return send(res, 400, 'unknown or missing state');
  }
  pending.delete(state);
  if (q.get('error')) {
    log(`callback ${provider}: ${q.get('error')} (${q.get('error_description') ?? ''}); nothing written`);
    return send(res, 400, `${q.get('error')}: ${q.get('error_description') ?? ''}`);
  }
  const code = q.get('code');
  if (!code) return send(res, 400, 'missing code');
  if (q.get('iss') && q.get('iss') !== issuer) return send(res, 400, 'wrong issuer');

  const md = await metadata();
  const tr = await fetch(md.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: p.redirectUri,
      client_id: clientId,
      code_verifier: p.verifier,
    }),
  });
  const tok = await tr.json();
  if (!tr.ok) {
    log(`callback ${provider}: token exchange failed: ${JSON.stringify(tok)}`);
    return send(res, 502, `token exchange failed: ${tok.error ?? tr.status}`);
  }
  let email;
  if (tok.id_token) {
    const claims = JSON.parse(Buffer.from(tok.id_token.split('.')[1], 'base64url').toString());
    if (claims.nonce !== p.nonce) return send(res, 400, 'id_token nonce mismatch');
    email = claims.email;
  }
  if (!email && md.userinfo_endpoint) {
    const ur = await fetch(md.userinfo_endpoint, {
      headers: { authorization: `Bearer ${tok.access_token}` },
    });
    if (ur.ok) email = (await ur.json()).email;
  }
  if (!email) return send(res, 502, 'no email from the provider');
  // The scopes the provider granted, minus the login plumbing.
  const granted = (tok.scope ?? '')
    .split(' ')
    .filter((s) => s && !['openid', 'email', 'offline_access'].includes(s))
    .join(' ');
  const expiresAt = tok.expires_in ? new Date(Date.now() + tok.expires_in * 1000) : null;
  const outcome = await writeIntegration({
    provider,
    account_email: email,
    access_token: tok.access_token,
    refresh_token: tok.refresh_token ?? null,
    scopes: granted,
    expires_at: expiresAt,
  });
  log(`callback ${provider}: ${email} connected, scopes "${granted}", ${outcome}`);
  return send(res, 200, 'connected');
}

async function handle(req, res) {
  const url = new URL(req.url, appUrl);
  const m = url.pathname.match(/^\/api\/integrations\/([^/]+)\/(connect|callback)$/);
  if (req.method === 'GET' && m) {
    const provider = decodeURIComponent(m[1]);
    return m[2] === 'connect' ? connect(res, provider) : callback(res, provider, url.searchParams);
  }
  if (req.method === 'POST' && url.pathname === '/__test/scopes') {
    const body = JSON.parse((await readBody(req)) || '{}');
    if (typeof body.provider !== 'string' || typeof body.scopes !== 'string') {
      return send(res, 400, 'expected {"provider": "...", "scopes": "..."}');
    }
    providerScopes[body.provider] = body.scopes;
    log(`scopes for ${body.provider} now "${body.scopes}"`);
    return send(res, 200, 'ok');
  }
  if (req.method === 'GET' && url.pathname === '/__test/health') return send(res, 200, 'ok');
  return send(res, 404, 'not found');
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((e) => {
    log(`${req.method} ${req.url}: ${e.stack ?? e}`);
    if (!res.headersSent) send(res, 500, `error: ${e.message}`);
    else res.end();
  });
});
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(port, '127.0.0.1', resolve);
});
appUrl = (process.env.APP_URL || `http://127.0.0.1:${server.address().port}`).replace(/\/+$/, '');

const stop = () => {
  server.close();
  pool.end().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
if (process.env.EXIT_ON_STDIN_EOF === '1') {
  process.stdin.on('end', stop);
  process.stdin.resume();
}

log(`listening on ${appUrl} (issuer ${issuer}, client ${clientId}, table ${tableName})`);
process.stdout.write(`${JSON.stringify({ app_url: appUrl })}\n`);
