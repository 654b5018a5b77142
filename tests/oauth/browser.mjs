#!/usr/bin/env node
// A headless "system browser" for envdeck's reconnect tests, set as
//   ENVDECK_BROWSER="node /abs/path/tests/oauth/browser.mjs"
// envdeck runs that command with the URL appended as the last argument.
//
// It GETs the URL, follows redirects (a cookie jar per host:port), signs in on
// oidc-provider's devInteractions login form, then answers its consent form, and follows
// the redirects back to the app's callback.
//
// By default it returns at once: it starts a detached copy of itself that does the work
// and exits 0 (like a real browser opened by xdg-open). env:
//   BROWSER_LOGIN=ana@example.com   the login typed in (the account id and email)
//   BROWSER_CONSENT=allow|deny      deny = the person clicks Cancel on the consent page
//   BROWSER_DELAY_MS=0              wait that long before starting
//   BROWSER_LOG=/path/file          append the log there (default: stderr in the foreground
//                                   or on a terminal, else $TMPDIR/envdeck-test-browser.log)
//   BROWSER_WAIT=1                  do the work in the foreground; exit 0 when the flow
//                                   reached a page outside the OAuth server (the app's
//                                   callback), printing its status on stdout as JSON
//                                   {"status":200,"url":"…","body":"…"}; exit 1 otherwise.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const url = process.argv[process.argv.length - 1];
const login = process.env.BROWSER_LOGIN || 'ana@example.com';
const consent = (process.env.BROWSER_CONSENT || 'allow').toLowerCase();
const delay = Number.parseInt(process.env.BROWSER_DELAY_MS || '0', 10) || 0;
const logFile = process.env.BROWSER_LOG;
const foreground = process.env.BROWSER_WAIT === '1' || process.env.BROWSER_CHILD === '1';

function log(msg) {
  const line = `browser[${process.pid}] ${new Date().toISOString()} ${msg}\n`;
  if (logFile) fs.appendFileSync(logFile, line);
  else process.stderr.write(line);
}

if (process.argv.length < 3 || !/^https?:\/\//.test(url)) {
  log(`usage: node browser.mjs URL (got ${JSON.stringify(process.argv.slice(2))})`);
  process.exit(2);
}

if (!foreground) {
  // Detach: the caller gets exit 0 at once and is never blocked on our pipes. The child
  // logs to BROWSER_LOG, else to the caller's stderr when that is a terminal, else to
  // $TMPDIR/envdeck-test-browser.log (a caller reading our stderr pipe to its end must not
  // wait for the flow).
  const childLog = logFile ?? (process.stderr.isTTY ? null : path.join(os.tmpdir(), 'envdeck-test-browser.log'));
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), url], {
    detached: true,
    stdio: ['ignore', 'ignore', childLog ? fs.openSync(childLog, 'a') : 'inherit'],
    env: { ...process.env, BROWSER_CHILD: '1', ...(childLog ? { BROWSER_LOG: childLog } : {}) },
  });
  child.unref();
  log(`opening ${url} in the background (pid ${child.pid}${childLog ? `, log ${childLog}` : ''})`);
  process.exit(0);
}

// host:port -> Map(name -> value)
const jars = new Map();

function jarFor(u) {
  const k = new URL(u).host;
  if (!jars.has(k)) jars.set(k, new Map());
  return jars.get(k);
}

function storeCookies(u, res) {
  const jar = jarFor(u);
  for (const sc of res.headers.getSetCookie()) {
    const [pair, ...attrs] = sc.split(';');
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const expired = attrs.some((a) => {
      const [k, v = ''] = a.trim().split('=');
      if (k.toLowerCase() === 'max-age') return Number(v) <= 0;
      if (k.toLowerCase() === 'expires') return Date.parse(v) <= Date.now();
      return false;
    });
    if (expired || value === '') jar.delete(name);
    else jar.set(name, value);
  }
}

async function request(u, init = {}) {
  const jar = jarFor(u);
  const headers = { 'user-agent': 'envdeck-test-browser', ...(init.headers ?? {}) };
  if (jar.size) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(u, { ...init, headers, redirect: 'manual' });
  storeCookies(u, res);
  return res;
}

// GET (or POST) u, then follow redirects; returns { url, res, body } of the last response.
async function go(u, init) {
  let cur = u;
  let res = await request(cur, init);
  for (let hops = 0; res.status >= 300 && res.status < 400 && res.headers.get('location'); hops++) {
    if (hops > 20) throw new Error('too many redirects');
    await res.arrayBuffer();
    cur = new URL(res.headers.get('location'), cur).toString();
    log(`  -> ${res.status} ${cur}`);
    res = await request(cur);
  }
  const body = await res.text();
  return { url: cur, res, body };
}

const attr = (tag, name) => tag.match(new RegExp(`${name}="([^"]*)"`))?.[1];
const unescape = (s) =>
  s
    .replace(/&#x2F;/gi, '/')
    .replace(/&#x3D;/gi, '=')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

// The first <form method="post">: its action and hidden inputs.
function parseForm(html, base) {
  const m = html.match(/<form\b[^>]*>([\s\S]*?)<\/form>/i);
  if (!m) return null;
  const action = unescape(attr(m[0], 'action') ?? '');
  const fields = {};
  for (const input of m[1].match(/<input\b[^>]*>/gi) ?? []) {
    const name = attr(input, 'name');
    if (name && attr(input, 'type') === 'hidden') fields[name] = unescape(attr(input, 'value') ?? '');
  }
  return { action: new URL(action, base).toString(), fields };
}

function cancelLink(html, base) {
  const m = html.match(/<a href="([^"]*)">\[ Cancel \]<\/a>/);
  return m ? new URL(unescape(m[1]), base).toString() : null;
}

async function run() {
  if (delay > 0) {
    log(`waiting ${delay} ms`);
    await new Promise((r) => setTimeout(r, delay));
  }
  log(`GET ${url} (login ${login}, consent ${consent})`);
  let page = await go(url);
  const issuerHost = (u) => /\/interaction\//.test(new URL(u).pathname);
  for (let step = 0; step < 5 && issuerHost(page.url); step++) {
    const form = parseForm(page.body, page.url);
    if (!form) throw new Error(`no form on ${page.url}: ${page.body.slice(0, 300)}`);
    if (form.fields.prompt === 'login') {
      log(`login page: signing in as ${login}`);
      page = await go(form.action, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...form.fields, login, password: 'any' }).toString(),
      });
    } else if (form.fields.prompt === 'consent') {
      if (consent === 'deny') {
        const cancel = cancelLink(page.body, page.url);
        if (!cancel) throw new Error('consent page has no Cancel link');
        log('consent page: denying (Cancel)');
        page = await go(cancel);
      } else {
        log('consent page: allowing');
        page = await go(form.action, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(form.fields).toString(),
        });
      }
    } else {
      throw new Error(`unexpected form on ${page.url}: ${JSON.stringify(form.fields)}`);
    }
  }
  if (issuerHost(page.url)) throw new Error(`stuck on ${page.url}`);
  if (page.body.includes('<pre id="error">')) {
    throw new Error(`the OAuth server refused: ${page.res.status} ${page.url} ${page.body.slice(0, 300)}`);
  }
  const body = page.body.slice(0, 500);
  log(`done: ${page.res.status} ${page.url} ${JSON.stringify(body.slice(0, 200))}`);
  return { status: page.res.status, url: page.url, body };
}

try {
  const t0 = Date.now();
  const out = await run();
  log(`flow took ${Date.now() - t0} ms`);
  if (process.env.BROWSER_WAIT === '1') process.stdout.write(`${JSON.stringify(out)}\n`);
  process.exit(0);
} catch (e) {
  log(`failed: ${e.stack ?? e}${e.cause ? ` (${e.cause.message ?? e.cause})` : ''}`);
  process.exit(1);
}
