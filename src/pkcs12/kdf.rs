//! The PKCS#12 key derivation ([RFC 7292 Appendix B]): the key, IV and MAC
//! key of the PKCS#12 PBE schemes and of every PKCS#12 MAC, from a password
//! and a salt.
//!
//! The RFC itself deprecates it for encryption (PBES2 replaces it); this
//! crate encrypts with it only in [`Pkcs12Profile::Legacy`], and derives
//! every file's MAC key with it, as every PKCS#12 implementation does.
//! Every buffer that holds the password or derived bytes is zeroized when
//! dropped.
//!
//! [RFC 7292 Appendix B]: https://datatracker.ietf.org/doc/html/rfc7292#appendix-B
//! [`Pkcs12Profile::Legacy`]: super::Pkcs12Profile::Legacy

use sha2::digest::{Digest, DynDigest};
use zeroize::Zeroizing;

/// What the derived bytes are for: the ID of [RFC 7292 B.3], which
/// diversifies one password and salt into three unrelated outputs.
///
/// [RFC 7292 B.3]: https://datatracker.ietf.org/doc/html/rfc7292#appendix-B.3
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// A cipher key (ID 1).
    Key = 1,
    /// A cipher IV (ID 2).
    Iv = 2,
    /// An HMAC key (ID 3).
    Mac = 3,
}

/// A hash the derivation runs on, with the two sizes B.2 names: `u`, its
/// output, and `v`, its block, in bytes.
pub(crate) trait Hash: Digest + DynDigest {
    /// `u`: the output size, and so the length of the HMAC key.
    const OUTPUT: usize;
    /// `v`: the block size.
    const BLOCK: usize;
}

impl Hash for sha1::Sha1 {
    const OUTPUT: usize = 20;
    const BLOCK: usize = 64;
}
impl Hash for sha2::Sha256 {
    const OUTPUT: usize = 32;
    const BLOCK: usize = 64;
}
impl Hash for sha2::Sha384 {
    const OUTPUT: usize = 48;
    const BLOCK: usize = 128;
}
impl Hash for sha2::Sha512 {
    const OUTPUT: usize = 64;
    const BLOCK: usize = 128;
}

/// The password as the derivation takes it ([RFC 7292 B.1]): a BMPString
/// (UTF-16 big-endian) followed by two zero bytes, so the empty password is
/// `00 00`. `None` for a character a BMPString cannot hold (beyond the Basic
/// Multilingual Plane, or U+FFFF), as `der`'s `BmpString::from_utf8`
/// refuses them.
///
/// [RFC 7292 B.1]: https://datatracker.ietf.org/doc/html/rfc7292#appendix-B.1
fn bmp_password(password: &str) -> Option<Zeroizing<Vec<u8>>> {
    // Each character is at least one UTF-8 byte and at most two BMP bytes
    // per UTF-8 byte, so this capacity is never outgrown: no reallocation
    // leaves a copy of the password behind.
    let capacity = password.len().checked_mul(2)?.checked_add(2)?;
    let mut bmp = Zeroizing::new(Vec::with_capacity(capacity));
    for c in password.chars() {
        let unit = u16::try_from(u32::from(c))
            .ok()
            .filter(|&u| u != u16::MAX)?;
        bmp.extend_from_slice(&unit.to_be_bytes());
    }
    bmp.extend_from_slice(&[0, 0]);
    Some(bmp)
}

/// `len` bytes for `purpose` from `password` and `salt` with `rounds`
/// iterations of `H` ([RFC 7292 B.2]; the numbered comments are its steps).
/// `None` if the password has a character a BMPString cannot hold (see
/// [`bmp_password`]) or `rounds` is 0.
///
/// [RFC 7292 B.2]: https://datatracker.ietf.org/doc/html/rfc7292#appendix-B.2
pub(crate) fn derive<H: Hash>(
    password: &str,
    salt: &[u8],
    purpose: Purpose,
    rounds: u32,
    len: usize,
) -> Option<Zeroizing<Vec<u8>>> {
    if rounds == 0 {
        return None;
    }
    let password = bmp_password(password)?;
    let (u, v) = (H::OUTPUT, H::BLOCK);
    // 1. D: v copies of the ID.
    let diversifier = vec![purpose as u8; v];
    // 2.-4. I = S || P: the salt and the password, each repeated to a whole
    // number of v-byte blocks (an empty salt gives an empty S; P is never
    // empty, it ends in two zero bytes).
    let blocks = |x: &[u8]| x.len().div_ceil(v).saturating_mul(v);
    let (s_len, p_len) = (blocks(salt), blocks(&password));
    let mut i = Zeroizing::new(Vec::with_capacity(s_len.saturating_add(p_len)));
    i.extend(salt.iter().cycle().take(s_len));
    i.extend(password.iter().cycle().take(p_len));
    let mut out = Zeroizing::new(Vec::with_capacity(len));
    let mut a = Zeroizing::new(vec![0u8; u]);
    let mut b = Zeroizing::new(vec![0u8; v]);
    let mut hash = H::new();
    // 5.-7. A = A_1 || A_2 || ..., as many as `len` needs.
    loop {
        // 6A. A_i = H^r(D || I).
        Digest::update(&mut hash, &diversifier);
        Digest::update(&mut hash, &*i);
        DynDigest::finalize_into_reset(&mut hash, &mut a).ok()?;
        for _ in 1..rounds {
            Digest::update(&mut hash, &*a);
            DynDigest::finalize_into_reset(&mut hash, &mut a).ok()?;
        }
        // 8. The first `len` bytes of A.
        let take = len.saturating_sub(out.len()).min(u);
        out.extend(a.iter().take(take));
        if out.len() >= len {
            return Some(out);
        }
        // 6B. B: copies of A_i, v bytes.
        for (b, a) in b.iter_mut().zip(a.iter().cycle()) {
            *b = *a;
        }
        // 6C. Each v-byte block I_j of I becomes (I_j + B + 1) mod 2^v, as
        // big-endian integers.
        for block in i.chunks_exact_mut(v) {
            let mut carry = 1u16;
            for (x, y) in block.iter_mut().rev().zip(b.iter().rev()) {
                let [high, low] = (u16::from(*x) + u16::from(*y) + carry).to_be_bytes();
                *x = low;
                carry = u16::from(high);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
            .collect()
    }

    /// Every vector OpenSSL's PKCS12KDF computed (`make_pkcs12_kdf.sh`):
    /// four hashes, three IDs, passwords empty, long and non-ASCII, salts
    /// shorter and longer than a block, outputs longer than one hash.
    #[test]
    fn agrees_with_openssl() {
        let vectors = include_str!("../../tests/fixtures/pkcs12_kdf.txt");
        let mut n = 0;
        for line in vectors.lines().filter(|l| !l.starts_with('#')) {
            let f: Vec<&str> = line.split(' ').collect();
            let [digest, password, salt, id, rounds, len, expected] = f[..] else {
                panic!("bad line {line}");
            };
            let password = if password == "-" {
                String::new()
            } else {
                String::from_utf8(hex(password)).expect("utf-8")
            };
            let purpose = match id {
                "1" => Purpose::Key,
                "2" => Purpose::Iv,
                "3" => Purpose::Mac,
                other => panic!("id {other}"),
            };
            let (salt, rounds, len) = (
                hex(salt),
                rounds.parse().expect("n"),
                len.parse().expect("n"),
            );
            let derived = match digest {
                "SHA1" => derive::<sha1::Sha1>(&password, &salt, purpose, rounds, len),
                "SHA256" => derive::<sha2::Sha256>(&password, &salt, purpose, rounds, len),
                "SHA384" => derive::<sha2::Sha384>(&password, &salt, purpose, rounds, len),
                "SHA512" => derive::<sha2::Sha512>(&password, &salt, purpose, rounds, len),
                other => panic!("digest {other}"),
            }
            .expect("derived");
            assert_eq!(derived.as_slice(), hex(expected), "{line}");
            n += 1;
        }
        assert_eq!(n, 240);
    }

    /// The password as B.1 makes it; what a BMPString cannot hold is refused.
    #[test]
    fn the_password_is_a_terminated_bmp_string() {
        assert_eq!(bmp_password("").expect("bmp").as_slice(), [0, 0]);
        assert_eq!(
            bmp_password("aé€").expect("bmp").as_slice(),
            [0, 0x61, 0, 0xe9, 0x20, 0xac, 0, 0]
        );
        assert_eq!(bmp_password("\u{1F511}"), None);
        assert_eq!(bmp_password("\u{FFFF}"), None);
        assert!(derive::<sha1::Sha1>("\u{1F511}", b"salt", Purpose::Key, 1, 8).is_none());
        assert!(derive::<sha1::Sha1>("pw", b"salt", Purpose::Key, 0, 8).is_none());
    }
}
