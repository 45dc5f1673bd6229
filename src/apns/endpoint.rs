//! Where pushes go: Apple's production and development servers, on port 443
//! or 2197, or a base URL of the caller's (a staging proxy, a stand-in).

use core::fmt;

use http::uri::{Authority, PathAndQuery, Scheme};

use crate::apns::token::DeviceToken;

/// Which APNs environment an endpoint belongs to. A device token is issued
/// for one of them; MDM push certificates from Apple Push Certificates
/// Portal are for production.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Environment {
    /// `api.push.apple.com`.
    Production,
    /// `api.development.push.apple.com` (Apple's sandbox).
    Development,
}

/// The APNs server a push is sent to: its scheme and authority, from which
/// the request URI and the `:authority` pseudo-header are made.
///
/// Apple's servers listen on port 443 and, for networks that block it
/// outbound, on port 2197. The authority leaves out the scheme's default
/// port, as Go's `net/http` and curl do.
///
/// ```
/// use mdm_push_cert::apns::{DeviceToken, Endpoint, Environment};
/// let token: DeviceToken = "00fc13adff785122b4ad28809a3420982341241421348097878e577c991de8f0".parse()?;
/// let uri = Endpoint::PRODUCTION.device_uri(&token);
/// assert_eq!(uri.to_string(), format!("https://api.push.apple.com/3/device/{token}"));
/// assert_eq!(Endpoint::DEVELOPMENT_2197.authority().as_str(), "api.development.push.apple.com:2197");
/// assert_eq!(Endpoint::PRODUCTION.environment(), Some(Environment::Production));
///
/// let stand_in = Endpoint::custom("https://127.0.0.1:8443")?;
/// assert_eq!((stand_in.host(), stand_in.port()), ("127.0.0.1", 8443));
/// assert_eq!(stand_in.environment(), None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Endpoint {
    scheme: Scheme,
    authority: Authority,
    environment: Option<Environment>,
}

/// Why a base URL cannot be an APNs endpoint.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EndpointError {
    /// The text is not an absolute URL.
    #[error("the APNs base URL is not an absolute URL: {detail}")]
    NotAUrl {
        /// What the URL parser reported.
        detail: String,
    },
    /// The scheme is neither `https` nor `http`.
    #[error(
        "the APNs base URL's scheme is {scheme:?}; only https (or http, for a plaintext test server) is used"
    )]
    UnsupportedScheme {
        /// The scheme found.
        scheme: String,
    },
    /// The URL has a path, a query or a fragment: pushes always go to
    /// `/3/device/<token>` on the server.
    #[error(
        "the APNs base URL has a path or query; give the scheme and authority only, e.g. https://host:port"
    )]
    HasPath,
    /// The URL carries user information (`user@host`), which APNs never takes.
    #[error("the APNs base URL carries user information (user@host)")]
    HasUserInfo,
    /// The URL names no host.
    #[error("the APNs base URL names no host")]
    NoHost,
    /// The host is neither a DNS name (letters, digits, `-`, `.`, `_`), an
    /// IPv4 address nor a bracketed IPv6 address.
    #[error("the APNs base URL's host {host:?} is not a DNS name or an IP address")]
    InvalidHost {
        /// The host as written.
        host: String,
    },
    /// The port is not a number from 1 to 65535.
    #[error("the APNs base URL's port {port:?} is not a number from 1 to 65535")]
    InvalidPort {
        /// The port as written.
        port: String,
    },
}

impl Endpoint {
    /// Host of Apple's production server.
    pub const PRODUCTION_HOST: &'static str = "api.push.apple.com";
    /// Host of Apple's development (sandbox) server.
    pub const DEVELOPMENT_HOST: &'static str = "api.development.push.apple.com";
    /// The port Apple's servers also listen on, for networks that block
    /// outbound 443.
    pub const ALTERNATE_PORT: u16 = 2197;

    /// `https://api.push.apple.com` (port 443).
    pub const PRODUCTION: Self = Self {
        scheme: Scheme::HTTPS,
        authority: Authority::from_static("api.push.apple.com"),
        environment: Some(Environment::Production),
    };
    /// `https://api.push.apple.com:2197`.
    pub const PRODUCTION_2197: Self = Self {
        scheme: Scheme::HTTPS,
        authority: Authority::from_static("api.push.apple.com:2197"),
        environment: Some(Environment::Production),
    };
    /// `https://api.development.push.apple.com` (port 443).
    pub const DEVELOPMENT: Self = Self {
        scheme: Scheme::HTTPS,
        authority: Authority::from_static("api.development.push.apple.com"),
        environment: Some(Environment::Development),
    };
    /// `https://api.development.push.apple.com:2197`.
    pub const DEVELOPMENT_2197: Self = Self {
        scheme: Scheme::HTTPS,
        authority: Authority::from_static("api.development.push.apple.com:2197"),
        environment: Some(Environment::Development),
    };

    /// Apple's server for `environment`, on port 443.
    pub fn apple(environment: Environment) -> Self {
        match environment {
            Environment::Production => Self::PRODUCTION,
            Environment::Development => Self::DEVELOPMENT,
        }
    }

    /// A server of the caller's, from a base URL with a scheme and an
    /// authority only (`https://apns.staging.example:8443`, a trailing `/`
    /// allowed). `http` is accepted for a plaintext (h2c) test server; the
    /// client decides whether it speaks it.
    ///
    /// # Errors
    /// [`EndpointError`] for anything else.
    pub fn custom(base_url: &str) -> Result<Self, EndpointError> {
        let uri: http::Uri =
            base_url
                .parse()
                .map_err(|e: http::uri::InvalidUri| EndpointError::NotAUrl {
                    detail: e.to_string(),
                })?;
        let parts = uri.into_parts();
        let scheme = parts.scheme.ok_or_else(|| EndpointError::NotAUrl {
            detail: "no scheme".to_owned(),
        })?;
        if scheme != Scheme::HTTPS && scheme != Scheme::HTTP {
            return Err(EndpointError::UnsupportedScheme {
                scheme: scheme.as_str().to_owned(),
            });
        }
        let authority = parts.authority.ok_or(EndpointError::NoHost)?;
        if authority.as_str().contains('@') {
            return Err(EndpointError::HasUserInfo);
        }
        check_host_and_port(&authority)?;
        if parts
            .path_and_query
            .is_some_and(|p| !(p.path() == "/" || p.path().is_empty()) || p.query().is_some())
            || base_url.contains('#')
        {
            return Err(EndpointError::HasPath);
        }
        Ok(Self {
            scheme,
            authority,
            environment: None,
        })
    }

    /// The environment, for Apple's servers; `None` for a custom endpoint.
    pub fn environment(&self) -> Option<Environment> {
        self.environment
    }

    /// The scheme: `https`, or `http` for a plaintext custom endpoint.
    pub fn scheme(&self) -> &Scheme {
        &self.scheme
    }

    /// Whether the endpoint is reached over TLS (`https`).
    pub fn is_tls(&self) -> bool {
        self.scheme == Scheme::HTTPS
    }

    /// The authority, as the `:authority` pseudo-header carries it: the
    /// host, and the port where it is not the scheme's default.
    pub fn authority(&self) -> &Authority {
        &self.authority
    }

    /// The host to connect to and to name in TLS (SNI and the server
    /// certificate check): a DNS name or an IP address, an IPv6 address
    /// without its brackets.
    pub fn host(&self) -> &str {
        let host = self.authority.host();
        host.strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host)
    }

    /// The TCP port: the authority's, or the scheme's default (443, or 80
    /// for `http`).
    pub fn port(&self) -> u16 {
        self.authority
            .port_u16()
            .unwrap_or(if self.is_tls() { 443 } else { 80 })
    }

    /// The URI of a push to `token`: `<scheme>://<authority>/3/device/<hex>`.
    pub fn device_uri(&self, token: &DeviceToken) -> http::Uri {
        let mut parts = http::uri::Parts::default();
        parts.scheme = Some(self.scheme.clone());
        parts.authority = Some(self.authority.clone());
        parts.path_and_query = Some(device_path(token));
        // Scheme, authority and path are all present and each was validated
        // on its own, so the parts always make a URI; the path alone is the
        // safe answer if they ever did not.
        http::Uri::from_parts(parts).unwrap_or_else(|_| http::Uri::from(device_path(token)))
    }

    /// The TLS server name of [`host`](Self::host), for rustls.
    ///
    /// # Errors
    /// [`EndpointError::NoHost`] if the host is not a DNS name or an IP
    /// address rustls takes.
    #[cfg(feature = "rustls")]
    pub fn server_name(&self) -> Result<rustls_pki_types::ServerName<'static>, EndpointError> {
        rustls_pki_types::ServerName::try_from(self.host().to_owned())
            .map_err(|_| EndpointError::NoHost)
    }
}

/// The `http` crate's authority parser is lenient (`[]`, `host:8x`), so
/// the host and port are checked here: a bad port must not silently become
/// the default one.
fn check_host_and_port(authority: &Authority) -> Result<(), EndpointError> {
    let written = authority.as_str();
    let host = authority.host();
    if host.is_empty() {
        return Err(EndpointError::NoHost);
    }
    let ok_host = match host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        Some(ip6) => ip6.parse::<std::net::Ipv6Addr>().is_ok(),
        None => host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_')),
    };
    if !ok_host {
        return Err(EndpointError::InvalidHost {
            host: host.to_owned(),
        });
    }
    let rest = written.get(host.len()..).unwrap_or_default();
    if let Some(port) = rest.strip_prefix(':') {
        let valid = !port.is_empty()
            && port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u16>().is_ok_and(|p| p != 0);
        if !valid {
            return Err(EndpointError::InvalidPort {
                port: port.to_owned(),
            });
        }
    } else if !rest.is_empty() {
        return Err(EndpointError::InvalidHost {
            host: written.to_owned(),
        });
    }
    Ok(())
}

/// `/3/device/<hex>`: hex digits and `/` only, always a valid path.
pub(crate) fn device_path(token: &DeviceToken) -> PathAndQuery {
    let path = format!("/3/device/{}", token.as_hex());
    PathAndQuery::try_from(path).unwrap_or_else(|_| PathAndQuery::from_static("/3/device/"))
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Endpoint({self})")
    }
}

/// The base URL, `https://api.push.apple.com`.
impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}", self.scheme, self.authority)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_base_urls() {
        let ok =
            |s: &str| Endpoint::custom(s).map(|e| (e.to_string(), e.host().to_owned(), e.port()));
        assert_eq!(
            ok("https://apns.example:8443/"),
            Ok((
                "https://apns.example:8443".to_owned(),
                "apns.example".to_owned(),
                8443
            ))
        );
        assert_eq!(
            ok("http://[::1]:8080"),
            Ok(("http://[::1]:8080".to_owned(), "::1".to_owned(), 8080))
        );
        assert_eq!(
            ok("https://apns.example"),
            Ok((
                "https://apns.example".to_owned(),
                "apns.example".to_owned(),
                443
            ))
        );
        assert!(matches!(
            ok("apns.example:443"),
            Err(EndpointError::NotAUrl { .. })
        ));
        assert!(matches!(
            ok("ftp://apns.example"),
            Err(EndpointError::UnsupportedScheme { .. })
        ));
        assert_eq!(
            ok("https://apns.example/3/device"),
            Err(EndpointError::HasPath)
        );
        assert_eq!(ok("https://apns.example/?x=1"), Err(EndpointError::HasPath));
        assert_eq!(ok("https://apns.example/#x"), Err(EndpointError::HasPath));
        assert_eq!(
            ok("https://u:p@apns.example"),
            Err(EndpointError::HasUserInfo)
        );
        // Found by the `apns_push` fuzz target: an empty IPv6 literal and a
        // port that is not a number were taken (the port as 443).
        assert_eq!(
            ok("https://[]:85A$3"),
            Err(EndpointError::InvalidHost { host: "[]".into() })
        );
        assert_eq!(
            ok("https://apns.example:85A"),
            Err(EndpointError::InvalidPort { port: "85A".into() })
        );
        assert_eq!(
            ok("https://apns.example:0"),
            Err(EndpointError::InvalidPort { port: "0".into() })
        );
        assert_eq!(
            ok("https://apns.example:"),
            Err(EndpointError::InvalidPort { port: "".into() })
        );
        assert!(matches!(
            ok("https://[::g]:1"),
            Err(EndpointError::InvalidHost { .. })
        ));
        assert!(matches!(
            ok("https://a$b"),
            Err(EndpointError::InvalidHost { .. })
        ));
        assert!(ok("").is_err());
    }

    #[test]
    fn apples_endpoints() {
        assert_eq!(Endpoint::PRODUCTION.port(), 443);
        assert_eq!(Endpoint::PRODUCTION_2197.port(), Endpoint::ALTERNATE_PORT);
        assert_eq!(Endpoint::DEVELOPMENT.host(), Endpoint::DEVELOPMENT_HOST);
        assert_eq!(Endpoint::PRODUCTION.host(), Endpoint::PRODUCTION_HOST);
        assert_eq!(
            Endpoint::apple(Environment::Development),
            Endpoint::DEVELOPMENT
        );
        assert_eq!(
            Endpoint::DEVELOPMENT_2197.environment(),
            Some(Environment::Development)
        );
    }
}
