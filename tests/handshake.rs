//! A real TLS 1.3 handshake with client authentication: the push identity,
//! exported through the `rustls` feature, against a rustls server on
//! 127.0.0.1 that requires and verifies the client certificate, as APNs
//! does. A server that does not trust the identity's CA refuses it.
#![cfg(feature = "rustls")]

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;

use mdm_push_cert::{Pkcs12Profile, PrivateKey, PushCertificate, PushIdentity};
use rand::SeedableRng as _;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn identity() -> PushIdentity {
    let cert = PushCertificate::parse(include_bytes!("fixtures/pki/push_b.pem")).unwrap();
    let key = PrivateKey::parse(include_bytes!("fixtures/pki/customer_b.key")).unwrap();
    PushIdentity::new(cert, key).unwrap()
}

/// A server trusting `client_cas` for client certificates; returns whether
/// the handshake completed and the server saw `expected` as the client's.
fn handshake(identity: &PushIdentity, client_cas: &[u8]) -> bool {
    let server_cert =
        CertificateDer::from_pem_slice(include_bytes!("fixtures/identity/server.pem")).unwrap();
    let server_key =
        PrivateKeyDer::from_pem_slice(include_bytes!("fixtures/identity/server.key")).unwrap();
    let mut roots = rustls::RootCertStore::empty();
    for c in CertificateDer::pem_slice_iter(client_cas) {
        roots.add(c.unwrap()).unwrap();
    }
    let verifier =
        rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider())
            .build()
            .unwrap();
    let server_config = rustls::ServerConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13])
        .unwrap()
        .with_client_cert_verifier(verifier)
        .with_single_cert(vec![server_cert.clone()], server_key)
        .unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || -> Option<Vec<u8>> {
        let (tcp, _) = listener.accept().ok()?;
        let conn = rustls::ServerConnection::new(Arc::new(server_config)).ok()?;
        let mut tls = rustls::StreamOwned::new(conn, tcp);
        let mut buf = [0u8; 4];
        tls.read_exact(&mut buf).ok()?;
        tls.write_all(b"pong").ok()?;
        tls.flush().ok()?;
        let peer = tls.conn.peer_certificates()?.first()?.to_vec();
        Some(peer)
    });
    let mut client_roots = rustls::RootCertStore::empty();
    client_roots.add(server_cert).unwrap();
    let (chain, key) = identity.to_rustls().unwrap();
    let client_config = rustls::ClientConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13])
        .unwrap()
        .with_root_certificates(client_roots)
        .with_client_auth_cert(chain, key)
        .unwrap();
    let conn = rustls::ClientConnection::new(
        Arc::new(client_config),
        ServerName::try_from("localhost").unwrap(),
    )
    .unwrap();
    let tcp = TcpStream::connect(addr).unwrap();
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    let client_ok = tls.write_all(b"ping").is_ok() && {
        let mut buf = [0u8; 4];
        tls.read_exact(&mut buf).is_ok() && &buf == b"pong"
    };
    let seen = server.join().unwrap();
    client_ok && seen.as_deref() == Some(identity.certificate().der())
}

#[test]
fn the_identity_authenticates_a_tls13_client() {
    // The server trusts the test PKI's root and its AAI2 (as APNs trusts
    // Apple's): the push certificate is accepted as the client's.
    assert!(handshake(
        &identity(),
        include_bytes!("fixtures/pki/anchors.pem")
    ));
    // The identity read back from the crate's own PKCS#12 works the same.
    let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    let p12 = identity()
        .to_pkcs12("pw", Pkcs12Profile::Modern, &mut rng)
        .unwrap();
    let back = PushIdentity::from_pkcs12(&p12, "pw").unwrap();
    assert!(handshake(&back, include_bytes!("fixtures/pki/anchors.pem")));
}

#[test]
fn a_server_without_the_identitys_ca_refuses_it() {
    assert!(!handshake(
        &identity(),
        include_bytes!("fixtures/identity/server.pem")
    ));
}
