import { describe, expect, it } from 'vitest';
import { hostNameOf, isAllowedOrigin, isLoopbackAddress, isLoopbackName } from './request-origin.js';

describe('hostNameOf', () => {
  it('takes the name without its port, in lower case', () => {
    expect(hostNameOf('LocalHost:4321')).toBe('localhost');
    expect(hostNameOf('[::1]:80')).toBe('[::1]');
    expect(hostNameOf('pad.example.com')).toBe('pad.example.com');
  });

  it('rejects what is not a host: user info, paths, spaces, a missing header', () => {
    for (const bad of ['attacker.example@127.0.0.1', '127.0.0.1/x', 'a b', '', '[::1', ':4321']) {
      expect(hostNameOf(bad), bad).toBeUndefined();
    }
    expect(hostNameOf(undefined)).toBeUndefined();
  });
});

describe('loopback names', () => {
  it('are localhost, 127.0.0.0/8 and [::1]; nothing a DNS name can resolve to counts', () => {
    for (const name of ['localhost', '127.0.0.1', '127.1.2.3', '[::1]']) expect(isLoopbackName(name), name).toBe(true);
    for (const name of ['localhost.attacker.example', '127.0.0.1.nip.io', 'attacker.example', '10.0.0.1', '[::2]']) {
      expect(isLoopbackName(name), name).toBe(false);
    }
  });

  it('tell a loopback bind (--host) from one other machines reach', () => {
    for (const host of ['127.0.0.1', '::1', 'localhost']) expect(isLoopbackAddress(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.5']) expect(isLoopbackAddress(host), host).toBe(false);
  });
});

describe('isAllowedOrigin', () => {
  it('same-host: the origin names the host and port the request was addressed to, whatever the scheme', () => {
    expect(isAllowedOrigin('http://127.0.0.1:4321', '127.0.0.1:4321', 'same-host')).toBe(true);
    expect(isAllowedOrigin('https://pad.example.com', 'pad.example.com', 'same-host')).toBe(true);
    expect(isAllowedOrigin('https://pad.example.com', 'pad.example.com:443', 'same-host')).toBe(true);
    expect(isAllowedOrigin('http://attacker.example:4321', '127.0.0.1:4321', 'same-host')).toBe(false);
    expect(isAllowedOrigin('http://127.0.0.1:8080', '127.0.0.1:4321', 'same-host')).toBe(false);
    expect(isAllowedOrigin('http://127.0.0.1:4321', undefined, 'same-host')).toBe(false);
  });

  it('a list: exactly those origins, scheme included', () => {
    const allowed = ['https://pad.example.com'];
    expect(isAllowedOrigin('https://pad.example.com', '127.0.0.1:4321', allowed)).toBe(true);
    expect(isAllowedOrigin('http://pad.example.com', 'pad.example.com', allowed)).toBe(false);
    expect(isAllowedOrigin('https://pad.example.com.attacker.example', 'pad.example.com', allowed)).toBe(false);
  });

  it('never an opaque or malformed origin', () => {
    expect(isAllowedOrigin('null', '127.0.0.1:4321', 'same-host')).toBe(false);
    expect(isAllowedOrigin('file://', 'localhost', 'same-host')).toBe(false);
    expect(isAllowedOrigin('garbage', 'localhost', ['https://pad.example.com'])).toBe(false);
  });
});
