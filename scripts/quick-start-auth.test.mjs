import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quickStartAuth } from './quick-start-auth.mjs';

test('npm start is open on a loopback address, as by default', () => {
  assert.equal(quickStartAuth([], {}), 'open');
  assert.equal(quickStartAuth(['--host', '127.0.0.2'], {}), 'open');
  assert.equal(quickStartAuth([], { HOST: 'localhost' }), 'open');
  assert.equal(quickStartAuth(['--host=::1'], {}), 'open');
});

test('npm start requires tokens on any other address, the flag winning over HOST', () => {
  assert.equal(quickStartAuth([], { HOST: '0.0.0.0' }), 'required');
  assert.equal(quickStartAuth(['--host', '192.168.1.5'], { HOST: '127.0.0.1' }), 'required');
  assert.equal(quickStartAuth(['--host=127.0.0.1.example.com'], {}), 'required');
});
