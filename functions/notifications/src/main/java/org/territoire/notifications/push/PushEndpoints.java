package org.territoire.notifications.push;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Which endpoints a push may go to. The endpoint is the caller's text, and the function POSTs
 * to it from inside AWS: an endpoint naming a private, loopback or link-local address (the
 * instance metadata service at 169.254.169.254, a VPC neighbour) would make us a proxy into
 * places no caller should reach (SSRF,
 * https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html).
 * So: https only, a host name whose every address is public, checked when subscribing and again
 * before each send (an address may change). Locally, and only when {@code PUSH_ALLOW_LOOPBACK}
 * is set (the local platform sets it; the template never does), the test receiver's
 * {@code http://127.0.0.1:port} is allowed.
 */
public final class PushEndpoints {
    public static final int MAX_LENGTH = 1024;
    private final boolean allowLoopback;

    public PushEndpoints(boolean allowLoopback) {
        this.allowLoopback = allowLoopback;
    }

    /** Why {@code endpoint} is refused, or empty when a push may go there. */
    public Optional<String> refusal(String endpoint) {
        if (endpoint == null || endpoint.isEmpty() || endpoint.length() > MAX_LENGTH) {
            return Optional.of("must be an https URL of at most " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(endpoint);
        } catch (java.net.URISyntaxException e) {
            return Optional.of("is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        if (host == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            return Optional.of("must be an https URL with a host, no user and no fragment");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return Optional.of("names a host that does not resolve");
        }
        boolean loopbackOnly = addresses.length > 0;
        for (InetAddress a : addresses) {
            loopbackOnly &= a.isLoopbackAddress();
        }
        if (allowLoopback && loopbackOnly && (scheme.equals("http") || scheme.equals("https"))) {
            return Optional.empty();
        }
        if (!scheme.equals("https")) {
            return Optional.of("must be an https URL");
        }
        for (InetAddress a : addresses) {
            if (!isPublic(a)) {
                return Optional.of("must name a public host");
            }
        }
        return Optional.empty();
    }

    static boolean isPublic(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            // fc00::/7 unique local; an IPv4-mapped address is judged as its IPv4 address
            if ((b[0] & 0xfe) == 0xfc) {
                return false;
            }
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return isPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
            return true;
        }
        int first = b[0] & 0xff, second = b[1] & 0xff;
        // 0/8, 100.64/10 (carrier-grade NAT), 192.0.0/24, 198.18/15 (benchmarking), 240/4 (reserved)
        return first != 0 && !(first == 100 && second >= 64 && second < 128) && !(first == 192 && second == 0 && (b[2] & 0xff) == 0)
                && !(first == 198 && (second == 18 || second == 19)) && first < 240;
    }
}
