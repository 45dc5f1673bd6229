//! The client against the stand-in APNs: answers, refusals, faults, and a
//! swap under load. Every push is counted to one outcome.

use std::time::{Duration, SystemTime};

use mdm_push_cert::apns::{DeviceToken, MdmPush, PushMagic};
use mdm_push_cert::testing::StandInApple;
use mdm_push_cert::time::OffsetDateTime;
use mdm_push_cert::{PrivateKey, PushIdentity, Topic};
use mdm_push_cert_apns::stand_in::{Fault, StandInApns};
use mdm_push_cert_apns::{ApnsClient, Builder};

fn now() -> OffsetDateTime {
    OffsetDateTime::from(SystemTime::now())
}

struct World {
    apple: StandInApple,
    key: PrivateKey,
    identity: PushIdentity,
    apns: StandInApns,
}

impl World {
    async fn new() -> Self {
        let apple = StandInApple::new(11);
        let key = apple.customer_key(1).unwrap();
        let cert = apple
            .first_registration(&key, now() - mdm_push_cert::time::Duration::hours(1))
            .unwrap();
        let identity = PushIdentity::new(cert, key.clone()).unwrap();
        let apns = StandInApns::start(&apple).await.unwrap();
        Self {
            apple,
            key,
            identity,
            apns,
        }
    }

    fn topic(&self) -> &Topic {
        self.identity.topic()
    }

    fn builder(&self, identity: &PushIdentity) -> Builder {
        ApnsClient::builder(identity)
            .endpoint(self.apns.endpoint())
            .roots(self.apns.client_roots())
            .backoff(Duration::from_millis(20))
            .request_timeout(Duration::from_secs(5))
    }

    fn client(&self) -> ApnsClient {
        self.builder(&self.identity).build().unwrap()
    }

    /// `n` tokens registered for the identity's topic.
    fn devices(&self, n: usize) -> Vec<DeviceToken> {
        (0..n)
            .map(|i| {
                let mut bytes = [0x5a; 32];
                bytes[..8].copy_from_slice(&(i as u64 + 1).to_be_bytes());
                let token = DeviceToken::from_bytes(&bytes).unwrap();
                self.apns.register(&token, self.topic());
                token
            })
            .collect()
    }
}

fn magic() -> PushMagic {
    "5D0B0B4D-6A1B-4B8E-9F10-2A3B4C5D6E7F".parse().unwrap()
}

/// Pushes to every token at once; the codes in token order.
async fn burst(client: &ApnsClient, tokens: &[DeviceToken]) -> Vec<&'static str> {
    let tasks: Vec<_> = tokens
        .iter()
        .map(|token| {
            let client = client.clone();
            let push = MdmPush::new(token.clone(), magic(), now());
            tokio::spawn(async move { client.push(&push).await.code() })
        })
        .collect();
    let mut codes = Vec::new();
    for task in tasks {
        codes.push(task.await.unwrap());
    }
    codes
}

/// Every token's delivered answers as the stand-in recorded them: the
/// count of 200s per token.
fn delivered_per_token(apns: &StandInApns, tokens: &[DeviceToken]) -> Vec<usize> {
    let received = apns.received();
    tokens
        .iter()
        .map(|t| {
            received
                .iter()
                .filter(|r| r.status == Some(200))
                .filter(|r| r.push.as_ref().is_ok_and(|p| p.token() == t))
                .count()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_answer_is_its_outcome() {
    let w = World::new().await;
    let client = w.client();
    let [device, gone, elsewhere, unknown]: [DeviceToken; 4] = w.devices(4).try_into().unwrap();
    w.apns.unregister(&gone, 1_764_000_000_123);
    let other: Topic = "com.apple.mgmt.External.00000000-0000-4000-8000-000000000001"
        .parse()
        .unwrap();
    w.apns.register(&elsewhere, &other);
    let unknown = DeviceToken::from_bytes(&[unknown.as_bytes(), &[1]].concat()).unwrap();

    let delivered = client.push_now(device.clone(), magic()).await;
    assert_eq!(delivered.code(), "delivered", "{delivered}");
    assert_eq!(delivered.status(), Some(200));
    assert!(delivered.apns_id().is_some());

    let outcome = client.push_now(gone, magic()).await;
    assert_eq!(outcome.code(), "device_gone");
    assert!(outcome.prunes_token());
    assert_eq!(outcome.timestamp_ms(), Some(1_764_000_000_123));

    let outcome = client.push_now(elsewhere, magic()).await;
    assert_eq!(outcome.code(), "topic_mismatch");
    assert_eq!(
        outcome.reason().map(|r| r.name().to_owned()).as_deref(),
        Some("DeviceTokenNotForTopic")
    );

    let outcome = client.push_now(unknown, magic()).await;
    assert_eq!(outcome.code(), "bad_device_token");

    let probe = client.probe().await;
    assert_eq!(probe.code(), "bad_device_token");
    assert!(probe.certificate_accepted());

    // One connection for all of them, and what APNs saw is the MDM push.
    assert_eq!(w.apns.connections(), 1);
    let received = w.apns.received();
    assert_eq!(received.len(), 5);
    let first = received[0].push.as_ref().unwrap();
    assert_eq!(first.token(), &device);
    assert_eq!(first.topic(), w.topic().as_str());
    assert_eq!(first.push_type(), "mdm");
    assert_eq!(first.priority(), Some(10));
    assert!(first.expiration().unwrap() > now().unix_timestamp() + 6 * 86_400);
    assert_eq!(
        first.body(),
        br#"{"mdm":"5D0B0B4D-6A1B-4B8E-9F10-2A3B4C5D6E7F"}"#
    );
    assert_eq!(
        received[0].certificate_sha256,
        w.identity.certificate().sha256_fingerprint_hex()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_pushes_share_one_connection() {
    let w = World::new().await;
    let client = w.client();
    let tokens = w.devices(1000);
    let codes = burst(&client, &tokens).await;
    assert!(codes.iter().all(|c| *c == "delivered"), "{codes:?}");
    assert_eq!(w.apns.connections(), 1);
    assert_eq!(delivered_per_token(&w.apns, &tokens), vec![1; 1000]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn goaway_mid_burst_loses_no_push() {
    let w = World::new().await;
    let client = w.client();
    // More pushes than the 1,000 streams APNs allows at once: the rest
    // wait for a stream, and the GOAWAY comes while they do.
    let tokens = w.devices(1500);
    w.apns.inject(Fault::GoAwayAfter { after: 500 });
    let codes = burst(&client, &tokens).await;
    assert!(codes.iter().all(|c| *c == "delivered"), "{codes:?}");
    // Each processed exactly once: a GOAWAY's unprocessed streams are
    // sent again, the processed ones are not.
    assert_eq!(delivered_per_token(&w.apns, &tokens), vec![1; 1500]);
    assert!(w.apns.connections() >= 2, "{}", w.apns.connections());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resets_stalls_and_dropped_connections_are_sent_again() {
    let w = World::new().await;
    let client = w
        .builder(&w.identity)
        .request_timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let tokens = w.devices(60);
    w.apns.inject(Fault::Reset { count: 10 });
    w.apns.inject(Fault::Stall { count: 3 });
    let codes = burst(&client, &tokens).await;
    assert!(codes.iter().all(|c| *c == "delivered"), "{codes:?}");
    assert!(
        delivered_per_token(&w.apns, &tokens)
            .iter()
            .all(|n| *n >= 1)
    );

    let pushes = {
        let client = client.clone();
        let tokens = tokens.clone();
        tokio::spawn(async move { burst(&client, &tokens).await })
    };
    tokio::time::sleep(Duration::from_millis(5)).await;
    w.apns.drop_connections();
    let codes = pushes.await.unwrap();
    assert!(codes.iter().all(|c| *c == "delivered"), "{codes:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_restart_is_waited_out() {
    let w = World::new().await;
    let client = w.builder(&w.identity).max_attempts(10).build().unwrap();
    let tokens = w.devices(200);
    assert_eq!(
        client.push_now(tokens[0].clone(), magic()).await.code(),
        "delivered"
    );
    let pushes = {
        let client = client.clone();
        let tokens = tokens.clone();
        tokio::spawn(async move { burst(&client, &tokens).await })
    };
    w.apns.restart(Duration::from_millis(300)).await.unwrap();
    let codes = pushes.await.unwrap();
    assert!(codes.iter().all(|c| *c == "delivered"), "{codes:?}");
    assert!(w.apns.connections() >= 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_and_unavailability_are_retried_after_their_wait() {
    let w = World::new().await;
    let client = w.client();
    let tokens = w.devices(20);
    // A 429 storm shorter than the attempts, then a 503 with its wait.
    w.apns.inject(Fault::Answer {
        count: 30,
        status: 429,
        reason: "TooManyRequests".into(),
        retry_after: Some(0),
    });
    w.apns.inject(Fault::Answer {
        count: 5,
        status: 503,
        reason: "ServiceUnavailable".into(),
        retry_after: Some(0),
    });
    let codes = burst(&client, &tokens).await;
    assert!(codes.iter().all(|c| *c == "delivered"), "{codes:?}");
    assert_eq!(delivered_per_token(&w.apns, &tokens), vec![1; 20]);

    // A storm longer than the attempts: the push comes back rate-limited,
    // with the wait, for the caller's queue.
    let client = w.builder(&w.identity).max_attempts(3).build().unwrap();
    w.apns.inject(Fault::Answer {
        count: 3,
        status: 429,
        reason: "TooManyRequests".into(),
        retry_after: Some(0),
    });
    let outcome = client.push_now(tokens[0].clone(), magic()).await;
    assert_eq!(outcome.code(), "rate_limited");
    assert!(outcome.is_retryable() && outcome.retry_after().is_some());

    // A wait longer than the client's patience is not slept through.
    let client = w
        .builder(&w.identity)
        .max_retry_wait(Duration::from_secs(1))
        .build()
        .unwrap();
    w.apns.inject(Fault::Answer {
        count: 1,
        status: 503,
        reason: "Shutdown".into(),
        retry_after: Some(120),
    });
    let started = std::time::Instant::now();
    let outcome = client.push_now(tokens[0].clone(), magic()).await;
    assert_eq!(outcome.code(), "apns_unavailable");
    assert_eq!(outcome.retry_after(), Some(Duration::from_secs(120)));
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_goaway_with_a_reason_is_typed() {
    let w = World::new().await;
    let client = w.client();
    let token = w.devices(1).remove(0);
    w.apns.inject(Fault::GoAwayOnConnect {
        reason: "BadCertificateEnvironment".into(),
    });
    let outcome = client.push_now(token.clone(), magic()).await;
    assert_eq!(outcome.code(), "wrong_environment", "{outcome}");
    assert!(!outcome.is_retryable());
    assert!(w.apns.received().is_empty());

    // Shutdown: nothing processed, sent again on a new connection.
    w.apns.inject(Fault::GoAwayOnConnect {
        reason: "Shutdown".into(),
    });
    let outcome = client.push_now(token, magic()).await;
    assert_eq!(outcome.code(), "delivered", "{outcome}");
    assert_eq!(w.apns.connections(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_certificates_are_typed_and_not_retried() {
    let w = World::new().await;
    let token = w.devices(1).remove(0);

    let expired = w.apple.expired(&w.key, now()).unwrap();
    let expired = PushIdentity::new(expired, w.key.clone()).unwrap();
    let outcome = w
        .builder(&expired)
        .build()
        .unwrap()
        .push_now(token.clone(), magic())
        .await;
    assert_eq!(outcome.code(), "certificate_expired", "{outcome}");

    let foreign = StandInApple::new(12);
    let cert = foreign.first_registration(&w.key, now()).unwrap();
    let foreign = PushIdentity::new(cert, w.key.clone()).unwrap();
    let outcome = w
        .builder(&foreign)
        .build()
        .unwrap()
        .push_now(token.clone(), magic())
        .await;
    assert_eq!(outcome.code(), "certificate_not_trusted", "{outcome}");

    let client = w.client();
    assert_eq!(client.probe().await.code(), "bad_device_token");
    w.apns.revoke(w.identity.certificate());
    // The open connection keeps its certificate; a new one is refused.
    assert_eq!(
        client.push_now(token.clone(), magic()).await.code(),
        "delivered"
    );
    let outcome = w.client().push_now(token.clone(), magic()).await;
    assert_eq!(outcome.code(), "certificate_revoked", "{outcome}");
    assert!(outcome.nearest_upload_code().is_some());

    // The client does not trust the server: the embedded roots.
    let outcome = ApnsClient::builder(&w.identity)
        .endpoint(w.apns.endpoint())
        .build()
        .unwrap()
        .push_now(token, magic())
        .await;
    assert_eq!(outcome.code(), "server_not_trusted", "{outcome}");
    // One refused attempt each: none was retried. (The stand-in counts
    // its side of a handshake when its task gets there.)
    for _ in 0..50 {
        if w.apns.refused_handshakes() >= 4 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(w.apns.refused_handshakes(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_swap_under_load_loses_nothing_and_the_old_connection_drains() {
    let w = World::new().await;
    let client = w.client();
    let tokens = w.devices(400);
    assert_eq!(
        client.push_now(tokens[0].clone(), magic()).await.code(),
        "delivered"
    );
    let key = w.apple.customer_key(2).unwrap();
    let renewed = w
        .apple
        .renewal(w.identity.certificate(), &key, now())
        .unwrap();
    let renewed = PushIdentity::new(renewed, key).unwrap();

    let (first, second) = tokens.split_at(200);
    let a = {
        let client = client.clone();
        let tokens = first.to_vec();
        tokio::spawn(async move { burst(&client, &tokens).await })
    };
    let stamp = client.swap_identity(&renewed).unwrap();
    let b = burst(&client, second).await;
    let a = a.await.unwrap();
    assert!(a.iter().chain(&b).all(|c| *c == "delivered"), "{a:?} {b:?}");
    assert_eq!(client.identity().stamp(), stamp);

    let received = w.apns.received();
    let renewed_fp = renewed.certificate().sha256_fingerprint_hex();
    let second_on_new = received
        .iter()
        .filter(|r| r.push.as_ref().is_ok_and(|p| second.contains(p.token())))
        .all(|r| r.certificate_sha256 == renewed_fp);
    assert!(
        second_on_new,
        "pushes after the swap used the old certificate"
    );

    // The old connection closes once its pushes are done.
    for _ in 0..100 {
        if client.open_connections() == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(client.open_connections(), 1);
}
