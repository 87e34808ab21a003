/**
 * Whether an endpoint is on this machine, for `tandem.dataBoundary.localOnly`.
 * Decided on the host the URL parser sees, never on the text: a host is
 * local only when it is `localhost` exactly (not `x.localhost`: not every
 * resolver keeps those on this machine), an IPv4 address in
 * 127.0.0.0/8 (in any spelling the WHATWG parser accepts, which it
 * normalises: `127.1`, `0x7f.1`, `2130706433`), or the IPv6 loopback `::1`
 * (also as an IPv4-mapped `::ffff:127.x.y.z`). So `localhost.evil.com`,
 * `127.0.0.1.nip.io` and `http://127.0.0.1@evil.com` (userinfo, the host is
 * evil.com) are not local. Names other than localhost are never resolved:
 * DNS could answer anything. Pure, for the service and the extension.
 */

export type EndpointDecision = { local: true } | { local: false; reason: string };

export function decideEndpoint(url: string): EndpointDecision {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { local: false, reason: 'it is not a valid URL' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { local: false, reason: `its scheme ${parsed.protocol} is not http or https` };
  }
  return isLoopbackHost(parsed.hostname) ? { local: true } : { local: false, reason: `${parsed.hostname || 'its host'} is not this machine (loopback)` };
}

/** `hostname` as the WHATWG URL parser gives it (lower case, IPv4 normalised, IPv6 in brackets). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost') return true;
  if (/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return isLoopbackIpv4(host);
  if (host.startsWith('[') && host.endsWith(']')) return isLoopbackIpv6(host.slice(1, -1));
  return false;
}

function isLoopbackIpv4(dotted: string): boolean {
  const parts = dotted.split('.').map(Number);
  return parts.length === 4 && parts.every((part) => part >= 0 && part <= 255) && parts[0] === 127;
}

/** The parser gives IPv6 compressed and lower case: `::1`, and mapped IPv4 as `::ffff:7f00:1`. */
function isLoopbackIpv6(address: string): boolean {
  if (address === '::1') return true;
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(address);
  if (!mapped) return false;
  const high = Number.parseInt(mapped[1] ?? '', 16);
  return high >> 8 === 127;
}
