//! What the h2 crate does not hand over: the debug data of a GOAWAY frame
//! (where APNs puts `{"reason":"BadCertificateEnvironment"}`) and the
//! rustls error behind a failed read (where a refused client certificate's
//! alert arrives under TLS 1.3). h2 turns both into text; the [`Tap`] reads
//! them off the wire first, as values.
//!
//! The tap sits between TLS and h2 and watches the frames the peer sends:
//! an HTTP/2 frame is a 9-byte header (24-bit length, type, flags, 31-bit
//! stream id) and its payload; the server's side of a connection is frames
//! from the first byte (RFC 9113, section 3.4).

use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use mdm_push_cert::apns::Outcome;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Frame type GOAWAY (RFC 9113, section 6.8).
pub(crate) const GOAWAY: u8 = 0x7;
/// Frame type HEADERS.
#[cfg_attr(not(feature = "testing"), allow(dead_code))]
pub(crate) const HEADERS: u8 = 0x1;
/// Frame type SETTINGS.
#[cfg_attr(not(feature = "testing"), allow(dead_code))]
pub(crate) const SETTINGS: u8 = 0x4;
/// The length of a frame header.
pub(crate) const HEADER_LEN: usize = 9;
/// The most debug data kept from one GOAWAY; APNs sends a short JSON object.
pub(crate) const MAX_DEBUG_DATA: usize = 4096;

/// A GOAWAY frame the peer sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct GoAway {
    /// The highest stream the peer processed or may still process; every
    /// stream above it was not processed and may be sent again.
    pub(crate) last_stream_id: u32,
    /// The HTTP/2 error code (0 is NO_ERROR, a graceful shutdown).
    pub(crate) error_code: u32,
    /// The debug data, at most [`MAX_DEBUG_DATA`] bytes of it.
    pub(crate) debug_data: Vec<u8>,
}

#[cfg_attr(not(feature = "testing"), allow(dead_code))]
impl GoAway {
    /// The frame's bytes: header and payload.
    pub(crate) fn encode(&self) -> Vec<u8> {
        let len = 8 + self.debug_data.len();
        let mut out = Vec::with_capacity(HEADER_LEN + len);
        out.extend_from_slice(&header(len, GOAWAY, 0, 0));
        out.extend_from_slice(&(self.last_stream_id & 0x7fff_ffff).to_be_bytes());
        out.extend_from_slice(&self.error_code.to_be_bytes());
        out.extend_from_slice(&self.debug_data);
        out
    }
}

/// A frame header: `len` must fit in 24 bits (callers send short frames).
#[cfg_attr(not(feature = "testing"), allow(dead_code))]
pub(crate) fn header(len: usize, kind: u8, flags: u8, stream: u32) -> [u8; HEADER_LEN] {
    let len = u32::try_from(len).unwrap_or(0x00ff_ffff).min(0x00ff_ffff);
    let l = len.to_be_bytes();
    let s = (stream & 0x7fff_ffff).to_be_bytes();
    [l[1], l[2], l[3], kind, flags, s[0], s[1], s[2], s[3]]
}

/// Follows frame boundaries in a byte stream, fed in pieces of any size,
/// and keeps the payload of the frames of one type.
#[derive(Debug)]
pub(crate) struct FrameReader {
    head: [u8; HEADER_LEN],
    head_len: usize,
    /// Payload bytes of the current frame not yet seen.
    remaining: usize,
    kind: u8,
    /// The current frame's payload, when it is of the kept type.
    payload: Vec<u8>,
    keep: u8,
}

impl FrameReader {
    /// A reader keeping frames of type `keep`.
    pub(crate) fn new(keep: u8) -> Self {
        Self {
            head: [0; HEADER_LEN],
            head_len: 0,
            remaining: 0,
            kind: 0,
            payload: Vec::new(),
            keep,
        }
    }

    /// Reads `bytes`; `on_frame` gets the type and (for the kept type, up
    /// to `8 + MAX_DEBUG_DATA` bytes) payload of each frame completed.
    pub(crate) fn feed(&mut self, mut bytes: &[u8], on_frame: &mut dyn FnMut(u8, &[u8])) {
        while !bytes.is_empty() {
            if self.head_len < HEADER_LEN {
                let take = (HEADER_LEN - self.head_len).min(bytes.len());
                self.head[self.head_len..self.head_len + take].copy_from_slice(&bytes[..take]);
                self.head_len += take;
                bytes = &bytes[take..];
                if self.head_len < HEADER_LEN {
                    return;
                }
                self.remaining = usize::from(self.head[0]) << 16
                    | usize::from(self.head[1]) << 8
                    | usize::from(self.head[2]);
                self.kind = self.head[3];
                self.payload.clear();
                if self.remaining == 0 {
                    self.finish(on_frame);
                }
                continue;
            }
            let take = self.remaining.min(bytes.len());
            if self.kind == self.keep {
                let room = (8 + MAX_DEBUG_DATA).saturating_sub(self.payload.len());
                self.payload.extend_from_slice(&bytes[..take.min(room)]);
            }
            self.remaining -= take;
            bytes = &bytes[take..];
            if self.remaining == 0 {
                self.finish(on_frame);
            }
        }
    }

    fn finish(&mut self, on_frame: &mut dyn FnMut(u8, &[u8])) {
        on_frame(self.kind, &self.payload);
        self.head_len = 0;
        self.payload.clear();
    }
}

/// Reads a GOAWAY payload; `None` when shorter than its 8 fixed bytes.
pub(crate) fn read_goaway(payload: &[u8]) -> Option<GoAway> {
    let last = u32::from_be_bytes(payload.get(0..4)?.try_into().ok()?) & 0x7fff_ffff;
    let code = u32::from_be_bytes(payload.get(4..8)?.try_into().ok()?);
    Some(GoAway {
        last_stream_id: last,
        error_code: code,
        debug_data: payload[8..].iter().copied().take(MAX_DEBUG_DATA).collect(),
    })
}

/// What the tap saw on one connection.
#[derive(Debug, Default)]
pub(crate) struct Seen {
    /// The last GOAWAY the server sent.
    pub(crate) goaway: Option<GoAway>,
    /// The outcome of a TLS error under a read: a refused client
    /// certificate's alert, or an untrusted server.
    pub(crate) tls: Option<Outcome>,
}

/// The shared record of a [`Tap`].
pub(crate) type SeenSlot = Arc<Mutex<Seen>>;

/// An I/O stream that reports the peer's GOAWAY frames and TLS errors.
pub(crate) struct Tap<T> {
    inner: T,
    reader: FrameReader,
    seen: SeenSlot,
}

impl<T> Tap<T> {
    pub(crate) fn new(inner: T) -> (Self, SeenSlot) {
        let seen = SeenSlot::default();
        (
            Self {
                inner,
                reader: FrameReader::new(GOAWAY),
                seen: Arc::clone(&seen),
            },
            seen,
        )
    }
}

/// The outcome a rustls error inside an I/O error stands for, by type.
pub(crate) fn tls_outcome(error: &io::Error) -> Option<Outcome> {
    let inner = error.get_ref()?;
    let rustls = inner.downcast_ref::<rustls::Error>()?;
    Outcome::from_rustls_error(rustls)
}

impl<T: AsyncRead + Unpin> AsyncRead for Tap<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                let seen = &this.seen;
                this.reader
                    .feed(&buf.filled()[before..], &mut |kind, payload| {
                        if kind == GOAWAY
                            && let Some(goaway) = read_goaway(payload)
                        {
                            tracing::debug!(
                                last_stream_id = goaway.last_stream_id,
                                error_code = goaway.error_code,
                                debug_data = %String::from_utf8_lossy(&goaway.debug_data),
                                "GOAWAY received"
                            );
                            lock(seen).goaway = Some(goaway);
                        }
                    });
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => {
                if let Some(outcome) = tls_outcome(&e) {
                    lock(&this.seen).tls.get_or_insert(outcome);
                }
                Poll::Ready(Err(e))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Tap<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// Locks, ignoring poisoning (the record stays meaningful).
pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goaway_is_found_across_any_split() {
        let mut stream = Vec::new();
        stream.extend_from_slice(&header(6, SETTINGS, 0, 0));
        stream.extend_from_slice(&[0, 3, 0, 0, 3, 232]);
        stream.extend_from_slice(&header(3, HEADERS, 4, 1));
        stream.extend_from_slice(b"abc");
        let goaway = GoAway {
            last_stream_id: 7,
            error_code: 0,
            debug_data: br#"{"reason":"Shutdown"}"#.to_vec(),
        };
        stream.extend_from_slice(&goaway.encode());
        for split in 1..stream.len() {
            let mut reader = FrameReader::new(GOAWAY);
            let mut found = Vec::new();
            let mut kinds = Vec::new();
            for piece in stream.chunks(split) {
                reader.feed(piece, &mut |kind, payload| {
                    kinds.push(kind);
                    if kind == GOAWAY {
                        found.push(read_goaway(payload).unwrap());
                    }
                });
            }
            assert_eq!(kinds, [SETTINGS, HEADERS, GOAWAY], "split {split}");
            assert_eq!(found, std::slice::from_ref(&goaway), "split {split}");
        }
    }

    #[test]
    fn long_debug_data_is_cut_and_short_frames_ignored() {
        let goaway = GoAway {
            last_stream_id: 0x7fff_ffff,
            error_code: 2,
            debug_data: vec![b'x'; MAX_DEBUG_DATA * 3],
        };
        let mut reader = FrameReader::new(GOAWAY);
        let mut found = Vec::new();
        reader.feed(&goaway.encode(), &mut |_, p| found.push(read_goaway(p)));
        let got = found.pop().flatten().unwrap();
        assert_eq!(got.debug_data.len(), MAX_DEBUG_DATA);
        assert_eq!(got.last_stream_id, 0x7fff_ffff);
        assert_eq!(read_goaway(&[0; 7]), None);
    }

    /// Any bytes, cut anywhere: no panic, and the same frames whatever the
    /// cuts (a server's bytes are not trusted).
    #[test]
    fn any_bytes_in_any_pieces_read_the_same() {
        // A small deterministic generator: the test needs variety, not
        // secrecy.
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for round in 0..400 {
            let len = (next() % 600) as usize;
            let mut bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            // Frame headers with small lengths now and then, so that
            // frames complete, GOAWAYs among them.
            let mut at = 0;
            while at + HEADER_LEN <= bytes.len() && round % 2 == 0 {
                let payload = (next() % 40) as usize;
                bytes[at..at + HEADER_LEN].copy_from_slice(&header(
                    payload,
                    if next() % 3 == 0 { GOAWAY } else { 0 },
                    0,
                    0,
                ));
                at += HEADER_LEN + payload;
            }
            let whole = frames_of(&[&bytes]);
            let mut pieces = Vec::new();
            let mut rest = &bytes[..];
            while !rest.is_empty() {
                let n = 1 + (next() % 17) as usize;
                let (a, b) = rest.split_at(n.min(rest.len()));
                pieces.push(a);
                rest = b;
            }
            assert_eq!(frames_of(&pieces), whole, "round {round}");
        }
    }

    fn frames_of(pieces: &[&[u8]]) -> Vec<(u8, Option<GoAway>)> {
        let mut reader = FrameReader::new(GOAWAY);
        let mut out = Vec::new();
        for piece in pieces {
            reader.feed(piece, &mut |kind, payload| {
                out.push((
                    kind,
                    (kind == GOAWAY).then(|| read_goaway(payload)).flatten(),
                ));
            });
        }
        out
    }
}
