//! The MDM push as an HTTP/2 request, and the same request read back (what
//! a stand-in APNs checks).

use http::header::{HeaderName, HeaderValue};
use time::OffsetDateTime;

use crate::apns::endpoint::Endpoint;
use crate::apns::json;
use crate::apns::reason::Reason;
use crate::apns::token::{ApnsId, DeviceToken, PushMagic};
use crate::topic::Topic;

/// How long APNs keeps a push for a device that is offline when it is
/// sent, by default: seven days.
///
/// An MDM push only tells the device to check in, and APNs keeps only the
/// newest push per device and topic, so a long lifetime costs nothing: a
/// later push replaces an earlier one, and a late check-in finds the
/// commands still queued (or none, which is harmless). A short one drops the
/// push for a laptop closed over a long weekend or a phone on a week's
/// holiday, and the queued commands then wait for the next push. Zero, or
/// no header, is what fleet sent, and APNs then keeps nothing for an
/// offline device (fleet PR #43812).
pub const DEFAULT_EXPIRATION: time::Duration = time::Duration::days(7);

/// The `apns-priority` of every MDM push: 10, deliver at once.
///
/// Apple's MDM documentation names no priority for MDM pushes; 10 is what
/// APNs assumes when the header is absent (what nanomdm and micromdm
/// send), and 5 lets APNs group, delay and throttle a push, which would
/// delay a lock or wipe command.
pub const MDM_PRIORITY: u8 = 10;

/// Largest push payload APNs takes, in bytes.
pub const MAX_PAYLOAD_LEN: usize = 4096;

/// `apns-topic`.
pub const APNS_TOPIC: HeaderName = HeaderName::from_static("apns-topic");
/// `apns-push-type`.
pub const APNS_PUSH_TYPE: HeaderName = HeaderName::from_static("apns-push-type");
/// `apns-expiration`.
pub const APNS_EXPIRATION: HeaderName = HeaderName::from_static("apns-expiration");
/// `apns-priority`.
pub const APNS_PRIORITY: HeaderName = HeaderName::from_static("apns-priority");
/// `apns-id`, in a request and in APNs' answer.
pub const APNS_ID: HeaderName = HeaderName::from_static("apns-id");

/// One MDM push: the device token it goes to, the device's PushMagic its
/// body carries, when APNs may drop it, and an optional `apns-id`.
///
/// [`to_request`](Self::to_request) makes the HTTP/2 request Apple
/// documents ("Sending notification requests to APNs"): `POST
/// /3/device/<token>` with
///
/// | header | value |
/// |---|---|
/// | `apns-topic` | the push certificate's topic ([`PushIdentity::topic`](crate::identity::PushIdentity::topic)) |
/// | `apns-push-type` | `mdm` |
/// | `apns-expiration` | the expiration, UNIX seconds; `now` + [`DEFAULT_EXPIRATION`] unless set |
/// | `apns-priority` | `10` ([`MDM_PRIORITY`]) |
/// | `apns-id` | only when set |
///
/// and the body exactly `{"mdm":"<PushMagic>"}`. The library has no clock:
/// `now` is the caller's.
///
/// ```
/// use mdm_push_cert::apns::{DeviceToken, Endpoint, MdmPush, PushMagic};
/// use mdm_push_cert::time::macros::datetime;
/// use mdm_push_cert::Topic;
///
/// let token: DeviceToken = "00fc13adff785122b4ad28809a3420982341241421348097878e577c991de8f0".parse()?;
/// let magic: PushMagic = "5D0B0B4D-6A1B-4B8E-9F10-2A3B4C5D6E7F".parse()?;
/// let topic: Topic = "com.apple.mgmt.External.6c1b2f9e-3d4a-4b8e-9f10-2a3b4c5d6e7f".parse()?;
/// let now = datetime!(2026-12-01 09:00 UTC);
///
/// let request = MdmPush::new(token, magic, now).to_request(&Endpoint::PRODUCTION, &topic);
/// assert_eq!(request.method(), "POST");
/// assert_eq!(request.uri().path(), "/3/device/00fc13adff785122b4ad28809a3420982341241421348097878e577c991de8f0");
/// assert_eq!(request.headers()["apns-push-type"], "mdm");
/// assert_eq!(request.headers()["apns-expiration"], "1796720400"); // 2026-12-08 09:00 UTC
/// assert_eq!(request.body(), br#"{"mdm":"5D0B0B4D-6A1B-4B8E-9F10-2A3B4C5D6E7F"}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MdmPush {
    token: DeviceToken,
    push_magic: PushMagic,
    expiration: OffsetDateTime,
    apns_id: Option<ApnsId>,
}

impl MdmPush {
    /// A push to `token` carrying `push_magic`, which APNs keeps until
    /// `now` + [`DEFAULT_EXPIRATION`] while the device is offline.
    pub fn new(token: DeviceToken, push_magic: PushMagic, now: OffsetDateTime) -> Self {
        Self {
            token,
            push_magic,
            expiration: now.saturating_add(DEFAULT_EXPIRATION),
            apns_id: None,
        }
    }

    /// Sets when APNs may drop the push if the device has not come online.
    /// A time at or before 1970-01-01T00:00:01Z is sent as `1`, never as
    /// `0`, which would tell APNs not to keep the push at all.
    #[must_use]
    pub fn expires_at(mut self, expiration: OffsetDateTime) -> Self {
        self.expiration = expiration;
        self
    }

    /// Sets the `apns-id` APNs echoes in its answer.
    #[must_use]
    pub fn with_apns_id(mut self, id: ApnsId) -> Self {
        self.apns_id = Some(id);
        self
    }

    /// The device token.
    pub fn token(&self) -> &DeviceToken {
        &self.token
    }

    /// The PushMagic.
    pub fn push_magic(&self) -> &PushMagic {
        &self.push_magic
    }

    /// When APNs may drop the push.
    pub fn expiration(&self) -> OffsetDateTime {
        self.expiration
    }

    /// The `apns-id`, if set.
    pub fn apns_id(&self) -> Option<&ApnsId> {
        self.apns_id.as_ref()
    }

    /// The `apns-expiration` value: UNIX seconds, at least 1.
    pub fn expiration_header(&self) -> i64 {
        self.expiration.unix_timestamp().max(1)
    }

    /// The body, `{"mdm":"<PushMagic>"}` (the PushMagic needs no escaping:
    /// [`PushMagic`] refuses what would need it).
    pub fn body(&self) -> Vec<u8> {
        let mut out = String::with_capacity(self.push_magic.as_str().len() + 10);
        out.push_str("{\"mdm\":");
        json::write_string(&mut out, self.push_magic.as_str());
        out.push('}');
        out.into_bytes()
    }

    /// The request to `endpoint` for the push certificate's `topic`. Each
    /// call makes a new request with the same bytes, so a push can be sent
    /// again (after a GOAWAY, or a 429's wait).
    pub fn to_request(&self, endpoint: &Endpoint, topic: &Topic) -> http::Request<Vec<u8>> {
        let mut request = http::Request::new(self.body());
        *request.method_mut() = http::Method::POST;
        *request.uri_mut() = endpoint.device_uri(&self.token);
        *request.version_mut() = http::Version::HTTP_2;
        let headers = request.headers_mut();
        // A topic holds only ASCII letters, digits, `.`, `-` and `_`, all
        // valid in a header value. Were it ever refused, the empty value
        // sent instead makes APNs answer `MissingTopic`, a rejected request,
        // never a push silently dropped.
        headers.insert(
            APNS_TOPIC,
            HeaderValue::try_from(topic.as_str()).unwrap_or(HeaderValue::from_static("")),
        );
        headers.insert(APNS_PUSH_TYPE, HeaderValue::from_static("mdm"));
        headers.insert(APNS_EXPIRATION, HeaderValue::from(self.expiration_header()));
        headers.insert(APNS_PRIORITY, HeaderValue::from(u16::from(MDM_PRIORITY)));
        if let Some(id) = &self.apns_id
            && let Ok(value) = HeaderValue::try_from(id.as_str())
        {
            headers.insert(APNS_ID, value);
        }
        request
    }
}

/// An MDM push request as APNs receives it, checked as APNs checks it: what
/// a stand-in APNs records, and answers with the [`Reason`] APNs would give
/// when a check fails.
///
/// ```
/// use mdm_push_cert::apns::{DeviceToken, Endpoint, MdmPush, PushMagic, ReceivedPush, Reason};
/// use mdm_push_cert::time::macros::datetime;
///
/// let token: DeviceToken = "00fc13adff785122b4ad28809a3420982341241421348097878e577c991de8f0".parse()?;
/// let push = MdmPush::new(token, "5D0B0B4D".parse()?, datetime!(2026-12-01 09:00 UTC));
/// let request = push.to_request(&Endpoint::DEVELOPMENT, &"com.apple.mgmt.External.x".parse()?);
/// let received = ReceivedPush::read(&request).expect("a valid push");
/// assert_eq!(received.token(), push.token());
/// assert_eq!(received.push_magic(), Some(push.push_magic()));
///
/// let mut wrong = request;
/// wrong.headers_mut().remove("apns-topic");
/// assert_eq!(ReceivedPush::read(&wrong), Err(Reason::MissingTopic));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceivedPush {
    token: DeviceToken,
    topic: String,
    push_type: String,
    expiration: Option<i64>,
    priority: Option<u8>,
    apns_id: Option<ApnsId>,
    push_magic: Option<PushMagic>,
    body: Vec<u8>,
}

impl ReceivedPush {
    /// Reads a request, checking in this order: the method (`POST`, else
    /// [`Reason::MethodNotAllowed`]), the path (`/3/device/<token>`, else
    /// [`Reason::BadPath`], [`Reason::MissingDeviceToken`] or
    /// [`Reason::BadDeviceToken`]), repeated `apns-*` headers
    /// ([`Reason::DuplicateHeaders`]), `apns-topic`
    /// ([`Reason::MissingTopic`]), `apns-push-type` (`mdm`, else
    /// [`Reason::InvalidPushType`]), `apns-priority` (1, 5 or 10, else
    /// [`Reason::BadPriority`]), `apns-expiration` (an integer, else
    /// [`Reason::BadExpirationDate`]), `apns-id` (a UUID, else
    /// [`Reason::BadMessageId`]) and the body (not empty,
    /// [`Reason::PayloadEmpty`]; at most [`MAX_PAYLOAD_LEN`] bytes,
    /// [`Reason::PayloadTooLarge`]). The body's `mdm` string is read as a
    /// PushMagic when it is one; APNs does not check it, the device does.
    ///
    /// # Errors
    /// The [`Reason`] of the first check that fails.
    pub fn read<B: AsRef<[u8]>>(request: &http::Request<B>) -> Result<Self, Reason> {
        if request.method() != http::Method::POST {
            return Err(Reason::MethodNotAllowed);
        }
        let path = request.uri().path();
        let hex = path.strip_prefix("/3/device/").ok_or(Reason::BadPath)?;
        if hex.is_empty() {
            return Err(Reason::MissingDeviceToken);
        }
        if hex.contains('/') {
            return Err(Reason::BadPath);
        }
        let token: DeviceToken = hex.parse().map_err(|_| Reason::BadDeviceToken)?;
        let headers = request.headers();
        for name in [
            &APNS_TOPIC,
            &APNS_PUSH_TYPE,
            &APNS_EXPIRATION,
            &APNS_PRIORITY,
            &APNS_ID,
        ] {
            if headers.get_all(name).iter().count() > 1 {
                return Err(Reason::DuplicateHeaders);
            }
        }
        let text = |name: &HeaderName| -> Option<Result<&str, ()>> {
            headers.get(name).map(|v| v.to_str().map_err(|_| ()))
        };
        let topic = match text(&APNS_TOPIC) {
            Some(Ok(t)) if !t.is_empty() => t.to_owned(),
            Some(Ok(_)) | None => return Err(Reason::MissingTopic),
            Some(Err(())) => return Err(Reason::BadTopic),
        };
        let push_type = match text(&APNS_PUSH_TYPE) {
            Some(Ok("mdm")) => "mdm".to_owned(),
            _ => return Err(Reason::InvalidPushType),
        };
        let priority = match text(&APNS_PRIORITY) {
            None => None,
            Some(Ok(p)) => Some(match p {
                "1" => 1,
                "5" => 5,
                "10" => 10,
                _ => return Err(Reason::BadPriority),
            }),
            Some(Err(())) => return Err(Reason::BadPriority),
        };
        let expiration = match text(&APNS_EXPIRATION) {
            None => None,
            Some(Ok(e)) if !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit()) => {
                Some(e.parse::<i64>().map_err(|_| Reason::BadExpirationDate)?)
            }
            Some(_) => return Err(Reason::BadExpirationDate),
        };
        let apns_id = match text(&APNS_ID) {
            None => None,
            Some(Ok(id)) => Some(id.parse::<ApnsId>().map_err(|_| Reason::BadMessageId)?),
            Some(Err(())) => return Err(Reason::BadMessageId),
        };
        let body = request.body().as_ref();
        if body.is_empty() {
            return Err(Reason::PayloadEmpty);
        }
        if body.len() > MAX_PAYLOAD_LEN {
            return Err(Reason::PayloadTooLarge);
        }
        let push_magic = json::read_push_magic_field(body).and_then(|m| m.parse().ok());
        Ok(Self {
            token,
            topic,
            push_type,
            expiration,
            priority,
            apns_id,
            push_magic,
            body: body.to_vec(),
        })
    }

    /// The device token of the path.
    pub fn token(&self) -> &DeviceToken {
        &self.token
    }

    /// `apns-topic`, as sent.
    pub fn topic(&self) -> &str {
        &self.topic
    }

    /// `apns-push-type` (always `mdm` once read).
    pub fn push_type(&self) -> &str {
        &self.push_type
    }

    /// `apns-expiration` in UNIX seconds, if sent.
    pub fn expiration(&self) -> Option<i64> {
        self.expiration
    }

    /// `apns-priority`, if sent.
    pub fn priority(&self) -> Option<u8> {
        self.priority
    }

    /// `apns-id`, if sent.
    pub fn apns_id(&self) -> Option<&ApnsId> {
        self.apns_id.as_ref()
    }

    /// The body's `mdm` string, when the body is a JSON object whose `mdm`
    /// is a valid [`PushMagic`].
    pub fn push_magic(&self) -> Option<&PushMagic> {
        self.push_magic.as_ref()
    }

    /// The body as received.
    pub fn body(&self) -> &[u8] {
        &self.body
    }
}
