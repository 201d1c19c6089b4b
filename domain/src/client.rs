//! Who is on the other end of a request, for limits that count per client
//! address. The address is the peer's, unless the peer is one of the
//! reverse proxies the installation names: then `X-Forwarded-For` is read
//! from the right, past every named proxy, to the first address no proxy
//! of ours wrote. Anything to its left was written by the client and proves
//! nothing, so a forged header changes nothing.
use std::net::IpAddr;

/// The client address of a request from `peer` carrying `forwarded_for`
/// (every `X-Forwarded-For` value, in order), with `trusted` the proxies in
/// front.
pub fn client_address<'a>(
    peer: IpAddr,
    forwarded_for: impl IntoIterator<Item = &'a str>,
    trusted: &[IpAddr],
) -> IpAddr {
    let canonical = |ip: IpAddr| ip.to_canonical();
    if !trusted.contains(&canonical(peer)) {
        return canonical(peer);
    }
    let hops: Vec<&str> = forwarded_for
        .into_iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut client = canonical(peer);
    for hop in hops.iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(ip) => {
                client = canonical(ip);
                if !trusted.contains(&client) {
                    return client;
                }
            }
            // Garbage from a hop: the last address we could trust is the
            // client as far as we can tell.
            Err(_) => return client,
        }
    }
    client
}

/// What per-address limits count under: an IPv4 address, or an IPv6
/// address's /64 (one subscriber holds a whole /64 and could rotate
/// through it).
pub fn limit_key(ip: IpAddr) -> String {
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    #[test]
    fn ipv6_clients_count_by_their_64() {
        assert_eq!(limit_key(ip("198.51.100.7")), "198.51.100.7");
        assert_eq!(limit_key(ip("::ffff:198.51.100.7")), "198.51.100.7");
        assert_eq!(
            limit_key(ip("2001:db8:1:2::1")),
            limit_key(ip("2001:db8:1:2:ffff::9"))
        );
        assert_ne!(
            limit_key(ip("2001:db8:1:2::1")),
            limit_key(ip("2001:db8:1:3::1"))
        );
    }

    #[test]
    fn the_peer_is_the_client_unless_it_is_our_proxy() {
        let proxy = ip("10.0.0.2");
        let trusted = [proxy];
        // Straight from the internet: the header is the client's own word.
        assert_eq!(
            client_address(ip("203.0.113.9"), ["198.51.100.1"], &trusted),
            ip("203.0.113.9")
        );
        assert_eq!(
            client_address(ip("203.0.113.9"), [], &[]),
            ip("203.0.113.9")
        );
        // Through our proxy: the address it saw.
        assert_eq!(
            client_address(proxy, ["198.51.100.7"], &trusted),
            ip("198.51.100.7")
        );
        // A client that forges the header only adds on the left.
        assert_eq!(
            client_address(proxy, ["1.2.3.4, 198.51.100.7"], &trusted),
            ip("198.51.100.7")
        );
        assert_eq!(
            client_address(proxy, ["1.2.3.4", "198.51.100.7"], &trusted),
            ip("198.51.100.7")
        );
        // Two proxies of ours in a row.
        let inner = ip("10.0.0.3");
        assert_eq!(
            client_address(inner, ["1.2.3.4, 198.51.100.7, 10.0.0.2"], &[proxy, inner]),
            ip("198.51.100.7")
        );
        // Our proxy with no header, or with garbage: the proxy itself.
        assert_eq!(client_address(proxy, [], &trusted), proxy);
        assert_eq!(client_address(proxy, ["not-an-address"], &trusted), proxy);
        // IPv4 mapped into IPv6 is the same address.
        assert_eq!(
            client_address(ip("::ffff:10.0.0.2"), ["198.51.100.7"], &trusted),
            ip("198.51.100.7")
        );
    }
}
