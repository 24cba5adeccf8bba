import { BlockList, isIP } from 'node:net';

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');
loopback.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/**
 * What `confbill serve` says about the address it listens on. Until the Billing API brings
 * credentials, the CDR receivers store what anyone who can connect sends them: loopback is the
 * default, and any other address gets a warning. A host name other than localhost may resolve to
 * anything, so it is warned about too.
 */
export function listenNotice(host: string): { loopback: boolean; text: string } {
  const family = isIP(host);
  const isLoopback = host === 'localhost' || (family === 4 && loopback.check(host, 'ipv4')) || (family === 6 && loopback.check(host, 'ipv6'));
  if (isLoopback) {
    return { loopback: true, text: 'Listening on the loopback interface only: other machines cannot connect. To receive records from them, give --host 0.0.0.0 (every interface) or the address of one.' };
  }
  return {
    loopback: false,
    text: `warning: listening on ${host}, which other machines can reach: the CDR receivers have no credentials yet (the Billing API brings them), so they store what anyone who connects sends. Let only your call platforms reach this port (a firewall), or listen on 127.0.0.1 behind a proxy that authenticates.`,
  };
}
