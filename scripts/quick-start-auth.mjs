/**
 * The access mode `npm start` gives the relay when MESHPAD_AUTH does not say. The quick start on one
 * machine needs no links: on a loopback address nobody else can reach the relay, so it runs open there;
 * bound to any other address it requires tokens. A `--auth` flag, passed through, wins over both.
 */
export function quickStartAuth(argv, env) {
  const flag = argv.indexOf('--host');
  const host =
    (flag >= 0 ? argv[flag + 1] : argv.find((arg) => arg.startsWith('--host='))?.slice('--host='.length)) ??
    env.HOST ??
    '127.0.0.1';
  const loopback = host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
  return loopback ? 'open' : 'required';
}
