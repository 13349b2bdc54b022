import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryDocStore } from '@meshpad/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, type TestRelay } from '../../test/harness.js';

const CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

class BrokenStore extends MemoryDocStore {
  override check(): Promise<void> {
    return Promise.reject(new Error('database is locked'));
  }
}

describe('GET /healthz', () => {
  it('answers ok (200) or not ok (503) and nothing more; the cause goes to the log only', async () => {
    const healthy = await startRelay();
    const ok = await healthy.app.inject({ method: 'GET', url: '/healthz' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ status: 'ok' });
    await healthy.close();

    const broken = await startRelay({ store: new BrokenStore() });
    const bad = await broken.app.inject({ method: 'GET', url: '/healthz' });
    expect(bad.statusCode).toBe(503);
    expect(bad.json()).toEqual({ status: 'not ok' });
    const logged = broken.logs().find((l) => l.msg === 'health check: storage is not answering');
    expect((logged?.err as { message?: string } | undefined)?.message).toBe('database is locked');
    await broken.close();
  });
});

describe('web app', () => {
  let webDir: string;
  let relay: TestRelay;
  beforeAll(async () => {
    webDir = mkdtempSync(join(tmpdir(), 'meshpad-web-'));
    mkdirSync(join(webDir, 'assets'));
    writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>Meshpad</title>');
    writeFileSync(join(webDir, 'assets', 'app-abc123.js'), 'console.log(1)');
    relay = await startRelay({ env: { MESHPAD_WEB_DIR: webDir } });
  });
  afterAll(async () => {
    await relay.close();
    rmSync(webDir, { recursive: true, force: true });
  });

  it('serves index.html at / and for document links, revalidated', async () => {
    for (const url of ['/', '/d/AbCdEf123', '/d/AbCdEf123?x=1']) {
      const res = await relay.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('<title>Meshpad</title>');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('caches hashed assets for a year and 404s missing files', async () => {
    const asset = await relay.app.inject({ method: 'GET', url: '/assets/app-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    const missing = await relay.app.inject({ method: 'GET', url: '/assets/nope.js' });
    expect(missing.statusCode).toBe(404);
  });

  it('sends the Content-Security-Policy and the other security headers on pages, assets and 404s; no HSTS', async () => {
    for (const [url, status] of [
      ['/', 200],
      ['/d/AbCdEf123', 200],
      ['/assets/app-abc123.js', 200],
      ['/assets/nope.js', 404],
    ] as const) {
      const res = await relay.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(status);
      const csp = String(res.headers['content-security-policy'])
        .split(';')
        .map((directive) => directive.trim());
      expect(csp, url).toEqual(CSP.split(';').map((directive) => directive.trim()));
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['cross-origin-resource-policy'], url).toBe('same-origin');
      // Plain HTTP on a LAN must keep working: nothing that makes a browser insist on https.
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
      expect(String(res.headers['content-security-policy']), url).not.toContain('upgrade-insecure-requests');
      // Over plain HTTP on a LAN name, Chromium logged an error or a warning for these on every page load.
      expect(res.headers['cross-origin-opener-policy'], url).toBeUndefined();
      expect(res.headers['origin-agent-cluster'], url).toBeUndefined();
    }
  });

  it('says how to build the app when it is missing', async () => {
    const bare = await startRelay({ env: { MESHPAD_WEB_DIR: join(webDir, 'nowhere') } });
    const res = await bare.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm start');
    await bare.close();
  });
});
