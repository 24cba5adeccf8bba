import { BlockList, isIP } from 'node:net';

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');
loopback.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/**
 * What `confbill serve` says about the address it listens on. Every route needs a credential, but the
 * server speaks plain HTTP: on an address other machines reach, keys and session cookies cross the
 * network as they are, so the notice says to put TLS in front. A host name other than localhost may
 * resolve to anything, so it counts as reachable.
 */
export function listenNotice(host: string): { loopback: boolean; text: string } {
  const family = isIP(host);
  const isLoopback = host === 'localhost' || (family === 4 && loopback.check(host, 'ipv4')) || (family === 6 && loopback.check(host, 'ipv6'));
  if (isLoopback) {
    return { loopback: true, text: 'Listening on the loopback interface only: other machines cannot connect. To receive records from them, give --host 0.0.0.0 (every interface) or the address of one.' };
  }
  return {
    loopback: false,
    text: `warning: listening on ${host}, which other machines can reach, over plain HTTP: API keys, passwords and session cookies cross the network readable. Put a TLS proxy in front of this port, or let only your call platforms and operators reach it.`,
  };
}
