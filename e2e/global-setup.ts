import { join } from 'node:path';
import { startRelay } from './support/relay-process.js';

/** Starts the built relay for the whole run; the returned function stops it. Tests find it in MESHPAD_E2E_URL. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const relay = await startRelay(join(import.meta.dirname, 'test-results', 'relay.log'));
  process.env.MESHPAD_E2E_URL = relay.url;
  return relay.stop;
}
