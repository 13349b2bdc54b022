import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryDocStore } from '@meshpad/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, type TestRelay } from '../../test/harness.js';

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

  it('says how to build the app when it is missing', async () => {
    const bare = await startRelay({ env: { MESHPAD_WEB_DIR: join(webDir, 'nowhere') } });
    const res = await bare.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm start');
    await bare.close();
  });
});
