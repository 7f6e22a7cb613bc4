// Where a request comes from: the address the IP whitelist checks, the per-IP daily redemption limit counts, the
// login guard throttles and the access log shows.
//
// By default the TCP peer: X-Forwarded-For is a header any client can write, so it is not believed. Behind a
// balancer or reverse proxy the peer is the proxy, so every partner would look like one address. The operator then
// names the proxies (SANDBOX_TRUSTED_PROXIES: addresses, CIDR ranges, or proxy-addr's `loopback`, `linklocal`,
// `uniquelocal`), and the client is the nearest address in X-Forwarded-For that is not one of them, read from
// the right: each trusted proxy appends the address it received the request from, so entries a client wrote
// itself sit to the left of the ones the proxies added and are never reached while the chain is trusted. This is
// proxy-addr's rule (Express's and Fastify's "trust proxy"); both request paths use this one function.
import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";
import proxyaddr from "proxy-addr";

/** What the address is read from (the headers and the peer): node's IncomingMessage and a Fastify request. */
export interface AddressedRequest {
  headers: IncomingMessage["headers"];
  socket: { remoteAddress?: string | undefined };
}

export type ClientAddress = (request: AddressedRequest) => string | undefined;

/** The TCP peer's address: what the sandbox believes with no trusted proxy. */
const peerAddress: ClientAddress = (request) => request.socket.remoteAddress;

/**
 * The client address function for these trusted proxies (none: the TCP peer). Throws, naming the entry, when one
 * is neither an IP address, a CIDR range nor a proxy-addr keyword.
 */
export function clientAddressFor(trustedProxies: readonly string[]): ClientAddress {
  if (trustedProxies.length === 0) return peerAddress;
  const trust = proxyaddr.compile([...trustedProxies]);
  // An entry that is not an address (a proxy that passed on what the client wrote) names no one: "unknown".
  return (request) => {
    const address = proxyaddr(request as IncomingMessage, trust);
    return isIP(address) === 0 ? undefined : address;
  };
}
