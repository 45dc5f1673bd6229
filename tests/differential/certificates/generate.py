#!/usr/bin/env python3
"""Differential certificate corpus for mdm-push-cert.

Builds leaf certificates (valid push certificates in many benign variants,
and many ways of being wrong), one anchors PEM file per trust-anchor set, asks
two independent X.509 implementations about every case -- Go's crypto/x509
(oracle_go/main.go) and `openssl verify` -- and writes the verdicts to
cases.tsv next to this file. See README.md.

Rerun from anywhere:  python3 tests/differential/certificates/generate.py
Needs: python3 + cryptography, openssl (3.x), go (standard library only).
Everything is deterministic: RSA keys come from a seeded prime search, EC
keys from fixed labels, every random choice from fixed seeds, PKCS#1 v1.5, our
own PSS encoder and RFC 6979 ECDSA (cryptography >= 44) are deterministic, so
a rerun reproduces the same bytes (unless an oracle changes).
"""

import base64
import calendar
import datetime as dt
import hashlib
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid as uuidlib
from concurrent.futures import ThreadPoolExecutor

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
ANCHOR_DIR = os.path.join(HERE, "anchors")
TSV_PATH = os.path.join(HERE, "cases.tsv")
README_PATH = os.path.join(HERE, "README.md")
# The shared real-world folder: MDM_PUSH_CERT_REALWORLD, as the tests read
# it, else ../shared/realworld beside the repository.
REALWORLD = os.environ.get(
    "MDM_PUSH_CERT_REALWORLD", os.path.join(REPO, "..", "shared", "realworld"))
SHARED_APPLE = os.path.join(REALWORLD, "apple-ca")
APPLE_FILES = [  # root first, then the two intermediates
    "apple_AppleIncRootCertificate.from_der.pem",
    "apple_AppleAAI2CA.from_der.pem",
    "apple_AppleAAICA.from_der.pem",
]
NANOMDM_CANDIDATES = [
    os.path.join(REPO, "tests", "fixtures", "thirdparty", "nanomdm_e2e_push.pem"),
    os.path.join(REALWORLD, "push", "nanomdm_e2e_push.pem"),
]
HEADER = "id\tclass\tanchors\tnow\tgo\tgo_reason\topenssl\topenssl_reason\tprofile\tnote\tder_b64"

UTC = dt.timezone.utc


def D(*a):
    return dt.datetime(*a, tzinfo=UTC)


NOW = D(2026, 6, 1)
NB = D(2026, 1, 1)
NA = D(2026, 12, 31, 23, 59, 59)

# --------------------------------------------------------------------------
# DER writer
# --------------------------------------------------------------------------


def L(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def T(tag, content):
    tb = bytes([tag]) if isinstance(tag, int) else tag
    return tb + L(len(content)) + content


def SEQ(*xs):
    return T(0x30, b"".join(xs))


def SET(*xs):
    return T(0x31, b"".join(xs))


def SETOF(*xs):  # DER: SET OF sorted by encoding
    return T(0x31, b"".join(sorted(xs)))


def int_bytes(n):
    ln = ((n if n >= 0 else ~n).bit_length() + 8) // 8
    return n.to_bytes(ln, "big", signed=True)


def INT(n):
    return T(0x02, int_bytes(n))


def oid_content(s):
    arcs = [int(x) for x in s.split(".")]
    vals = [arcs[0] * 40 + arcs[1]] + arcs[2:]
    out = bytearray()
    for v in vals:
        chunk = [v & 0x7F]
        v >>= 7
        while v:
            chunk.append(0x80 | (v & 0x7F))
            v >>= 7
        out += bytes(reversed(chunk))
    return bytes(out)


def oid_decode(b):
    vals, v = [], 0
    for x in b:
        v = (v << 7) | (x & 0x7F)
        if not x & 0x80:
            vals.append(v)
            v = 0
    if not vals:
        return "?"
    f = vals[0]
    first = [0, f] if f < 40 else ([1, f - 40] if f < 80 else [2, f - 80])
    return ".".join(str(x) for x in first + vals[1:])


def OID(s):
    return T(0x06, oid_content(s))


NULL = b"\x05\x00"


def BOOL(v):
    return T(0x01, b"\xff" if v else b"\x00")


def OCT(b):
    return T(0x04, b)


def BIT(b, unused=0):
    return T(0x03, bytes([unused]) + b)


def _b(s, enc="ascii"):
    return s if isinstance(s, bytes) else s.encode(enc)


def UTF8(s):
    return T(0x0C, _b(s, "utf-8"))


def PRINT(s):
    return T(0x13, _b(s))


def IA5(s):
    return T(0x16, _b(s))


def EXP(n, x):
    return T(0xA0 | n, x)


def UTC_(d):
    return T(0x17, d.strftime("%y%m%d%H%M%SZ").encode())


def GEN(d):
    return T(0x18, d.strftime("%Y%m%d%H%M%SZ").encode())


def TIME(d):
    return UTC_(d) if 1950 <= d.year < 2050 else GEN(d)


def KU(*bits):
    """keyUsage BIT STRING, DER (no trailing zero bits)."""
    if not bits:
        return BIT(b"")
    nbytes = max(bits) // 8 + 1
    v = bytearray(nbytes)
    for b in bits:
        v[b // 8] |= 0x80 >> (b % 8)
    last = v[-1]
    unused = 0
    while not last & (1 << unused):
        unused += 1
    return BIT(bytes(v), unused)


def PEM(der, label="CERTIFICATE"):
    b = base64.b64encode(der).decode()
    return "-----BEGIN %s-----\n%s\n-----END %s-----\n" % (
        label, "\n".join(b[i:i + 64] for i in range(0, len(b), 64)), label)


def pem_certs(text):
    return [base64.b64decode("".join(m.split()))
            for m in re.findall(r"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", text, re.S)]

# --------------------------------------------------------------------------
# DER reader (tree), used for mutations and to pick fields out of certificates
# --------------------------------------------------------------------------


class Node:
    __slots__ = ("tag", "kids", "val", "encap")

    def __init__(self, tag, kids=None, val=None, encap=None):
        self.tag, self.kids, self.val, self.encap = tag, kids, val, encap

    def copy(self):
        return Node(self.tag, [k.copy() for k in self.kids] if self.kids is not None else None,
                    self.val, self.encap)


def read_tlv(b, i):
    try:
        s = i
        t = b[i]
        i += 1
        if t & 0x1F == 0x1F:
            while b[i] & 0x80:
                i += 1
            i += 1
        tag = bytes(b[s:i])
        ln = b[i]
        i += 1
        if ln & 0x80:
            n = ln & 0x7F
            if n == 0 or n > 4 or i + n > len(b):
                raise ValueError("bad length")
            ln = int.from_bytes(b[i:i + n], "big")
            i += n
    except IndexError:
        raise ValueError("truncated")
    if i + ln > len(b):
        raise ValueError("overrun")
    return tag, i, i + ln


def parse_seq(b, deep=True):
    out, i = [], 0
    while i < len(b):
        n, i = parse_one(b, i, deep)
        out.append(n)
    return out


def parse_one(b, i, deep=True):
    tag, cs, ce = read_tlv(b, i)
    content = b[cs:ce]
    if tag[0] & 0x20:
        return Node(tag, kids=parse_seq(content, deep)), ce
    n = Node(tag, val=content)
    if deep and tag in (b"\x03", b"\x04") and content:
        prefix = b""
        inner = content
        if tag == b"\x03":
            prefix, inner = content[:1], content[1:]
        if (tag != b"\x03" or prefix == b"\x00") and inner and inner[0] in (0x30, 0x31, 0x05, 0x02, 0x03, 0x04, 0x06, 0x01):
            try:
                kids = parse_seq(inner, deep)
                if b"".join(ser(k) for k in kids) == inner:
                    n.kids, n.encap = kids, prefix
            except ValueError:
                pass
    return n, ce


def ser(n):
    if n.kids is not None:
        c = (n.encap or b"") + b"".join(ser(k) for k in n.kids)
    else:
        c = n.val
    return n.tag + L(len(c)) + c


def parse(b, deep=False):
    n, end = parse_one(b, 0, deep)
    if end != len(b):
        raise ValueError("trailing data")
    return n


def cert_parts(der):
    """(tbs, subject, issuer, spki, extensions dict oid->value) of a DER certificate."""
    c = parse(der)
    tbs = c.kids[0]
    k = tbs.kids
    off = 1 if k[0].tag == b"\xa0" else 0
    issuer, subject, spki = k[off + 2], k[off + 4], k[off + 5]
    exts = {}
    for x in k[off + 6:]:
        if x.tag == b"\xa3":
            for e in x.kids[0].kids:
                exts[oid_decode(e.kids[0].val)] = e.kids[-1].val
    return ser(tbs), ser(subject), ser(issuer), ser(spki), exts

# --------------------------------------------------------------------------
# OIDs, algorithm identifiers
# --------------------------------------------------------------------------


O = dict(
    rsaEncryption="1.2.840.113549.1.1.1", md5RSA="1.2.840.113549.1.1.4",
    sha1RSA="1.2.840.113549.1.1.5", sha256RSA="1.2.840.113549.1.1.11",
    sha384RSA="1.2.840.113549.1.1.12", sha512RSA="1.2.840.113549.1.1.13",
    pss="1.2.840.113549.1.1.10", mgf1="1.2.840.113549.1.1.8",
    sha256="2.16.840.1.101.3.4.2.1", ecdsaSHA256="1.2.840.10045.4.3.2",
    ecdsaSHA1="1.2.840.10045.4.1", ecdsaSHA224="1.2.840.10045.4.3.1",
    ecdsaSHA384="1.2.840.10045.4.3.3", ecdsaSHA512="1.2.840.10045.4.3.4",
    ecPublicKey="1.2.840.10045.2.1", p256="1.2.840.10045.3.1.7",
    p384="1.3.132.0.34", p521="1.3.132.0.35", secp256k1="1.3.132.0.10", primeField="1.2.840.10045.1.1",
    bc="2.5.29.19", ku="2.5.29.15", eku="2.5.29.37", ski="2.5.29.14", aki="2.5.29.35",
    san="2.5.29.17", cp="2.5.29.32", crldp="2.5.29.31", aia="1.3.6.1.5.5.7.1.1",
    clientAuth="1.3.6.1.5.5.7.3.2", serverAuth="1.3.6.1.5.5.7.3.1",
    codeSigning="1.3.6.1.5.5.7.3.3", emailProtection="1.3.6.1.5.5.7.3.4",
    anyEKU="2.5.29.37.0", marker="1.2.840.113635.100.6.3.2",
    applePolicy="1.2.840.113635.100.5.1", cps="1.3.6.1.5.5.7.2.1",
    unotice="1.3.6.1.5.5.7.2.2", ocsp="1.3.6.1.5.5.7.48.1", caIssuers="1.3.6.1.5.5.7.48.2",
    uid="0.9.2342.19200300.100.1.1", cn="2.5.4.3", c="2.5.4.6", o="2.5.4.10", ou="2.5.4.11",
)
OID_SHORT = {v: k for k, v in O.items()}

ALG = {
    "sha1": SEQ(OID(O["sha1RSA"]), NULL),
    "sha256": SEQ(OID(O["sha256RSA"]), NULL),
    "sha384": SEQ(OID(O["sha384RSA"]), NULL),
    "sha512": SEQ(OID(O["sha512RSA"]), NULL),
    "md5": SEQ(OID(O["md5RSA"]), NULL),
    # ECDSA: parameters absent (RFC 5758 3.2)
    "ecdsa1": SEQ(OID(O["ecdsaSHA1"])),
    "ecdsa224": SEQ(OID(O["ecdsaSHA224"])),
    "ecdsa256": SEQ(OID(O["ecdsaSHA256"])),
    "ecdsa384": SEQ(OID(O["ecdsaSHA384"])),
    "ecdsa512": SEQ(OID(O["ecdsaSHA512"])),
    "pss": SEQ(OID(O["pss"]), SEQ(EXP(0, SEQ(OID(O["sha256"]), NULL)),
                                 EXP(1, SEQ(OID(O["mgf1"]), SEQ(OID(O["sha256"]), NULL))),
                                 EXP(2, INT(32)))),
}
DIGESTINFO = {
    "md5": bytes.fromhex("3020300c06082a864886f70d020505000410"),
    "sha1": bytes.fromhex("3021300906052b0e03021a05000414"),
    "sha256": bytes.fromhex("3031300d060960864801650304020105000420"),
    "sha384": bytes.fromhex("3041300d060960864801650304020205000430"),
    "sha512": bytes.fromhex("3051300d060960864801650304020305000440"),
}

# --------------------------------------------------------------------------
# Deterministic RSA keys
# --------------------------------------------------------------------------

SMALL_PRIMES = [p for p in range(3, 2000) if all(p % q for q in range(2, int(p ** 0.5) + 1))]


def probable_prime(n, rng):
    if pow(2, n - 1, n) != 1:
        return False
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for _ in range(12):
        a = rng.randrange(2, n - 2)
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def gen_prime(rng, bits, e):
    while True:
        c = rng.getrandbits(bits) | (3 << (bits - 2)) | 1
        if any(c % p == 0 for p in SMALL_PRIMES):
            continue
        if e > 1 and (c - 1) % e == 0:
            continue
        if probable_prime(c, rng):
            return c


class Key:
    """An RSA key from a seeded prime search (so reruns give identical bytes)."""

    def __init__(self, seed, bits=2048, e=65537):
        rng = random.Random("rsa|%s|%d|%d" % (seed, bits, e))
        while True:
            p = gen_prime(rng, (bits + 1) // 2, e)
            q = gen_prime(rng, bits // 2, e)
            n = p * q
            if p != q and n.bit_length() == bits:
                break
        lam = (p - 1) * (q - 1) // __import__("math").gcd(p - 1, q - 1)
        d = pow(e, -1, lam)
        self.n, self.e, self.d, self.p, self.q, self.bits = n, e, d, p, q, bits
        self._priv = None

    @property
    def priv(self):
        if self._priv is None:
            p, q, d = self.p, self.q, self.d
            self._priv = rsa.RSAPrivateNumbers(
                p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p),
                rsa.RSAPublicNumbers(self.e, self.n)).private_key()
        return self._priv

    @property
    def spki(self):
        return rsa_spki(self.n, self.e)

    def sign(self, data, alg="sha256"):
        if alg in ("sha1", "sha256", "sha384", "sha512"):
            h = {"sha1": hashes.SHA1(), "sha256": hashes.SHA256(),
                 "sha384": hashes.SHA384(), "sha512": hashes.SHA512()}[alg]
            return self.priv.sign(data, padding.PKCS1v15(), h)
        if alg == "md5":
            t = DIGESTINFO["md5"] + hashlib.md5(data).digest()
            k = (self.n.bit_length() + 7) // 8
            em = b"\x00\x01" + b"\xff" * (k - 3 - len(t)) + b"\x00" + t
            return pow(int.from_bytes(em, "big"), self.d, self.n).to_bytes(k, "big")
        if alg == "pss":
            return self.pss_sign(data)
        raise ValueError(alg)

    def pss_sign(self, data):
        """RSASSA-PSS, SHA-256, MGF1-SHA-256, 32-byte salt derived from the data."""
        hlen = 32
        salt = hashlib.sha256(b"salt" + data).digest()
        mhash = hashlib.sha256(data).digest()
        embits = self.n.bit_length() - 1
        emlen = (embits + 7) // 8
        h = hashlib.sha256(b"\x00" * 8 + mhash + salt).digest()
        db = b"\x00" * (emlen - len(salt) - hlen - 2) + b"\x01" + salt
        mask, c = b"", 0
        while len(mask) < emlen - hlen - 1:
            mask += hashlib.sha256(h + c.to_bytes(4, "big")).digest()
            c += 1
        masked = bytearray(x ^ y for x, y in zip(db, mask))
        masked[0] &= 0xFF >> (8 * emlen - embits)
        em = bytes(masked) + h + b"\xbc"
        k = (self.n.bit_length() + 7) // 8
        sig = pow(int.from_bytes(em, "big"), self.d, self.n).to_bytes(k, "big")
        self.priv.public_key().verify(sig, data, padding.PSS(padding.MGF1(hashes.SHA256()), 32), hashes.SHA256())
        return sig


def rsa_spki(n, e, params=NULL, extra=b""):
    return SEQ(SEQ(OID(O["rsaEncryption"]), *( [params] if params is not None else [] )),
               BIT(SEQ(INT(n), INT(e)) + extra))


def ski_of(spki):
    """RFC 5280 method 1: SHA-1 of the subjectPublicKey BIT STRING value."""
    n = parse(spki)
    return hashlib.sha1(n.kids[1].val[1:]).digest()

# --------------------------------------------------------------------------
# Names, extensions, certificates
# --------------------------------------------------------------------------


def AVA(oid, value_tlv):
    return SEQ(OID(oid), value_tlv)


def NAME(*rdns):
    out = []
    for r in rdns:
        out.append(SET(*r) if isinstance(r, (list, tuple)) else SET(r))
    return SEQ(*out)


def EXT(oid, value, critical=None):
    parts = [OID(oid)]
    if critical is not None:
        parts.append(BOOL(critical))
    parts.append(OCT(value))
    return SEQ(*parts)


def TOPIC(u):
    return "com.apple.mgmt.External." + u


def BC(ca=False, pathlen=None):
    return SEQ(*([BOOL(True)] if ca else []), *([INT(pathlen)] if pathlen is not None else []))


def AKI(keyid):
    return SEQ(T(0x80, keyid))


def EKU(*names):
    return SEQ(*[OID(O.get(n, n)) for n in names])


def CRLDP(uri):
    return SEQ(SEQ(EXP(0, EXP(0, T(0x86, uri.encode())))))


def CPOL(cps_uri="http://ca.example.test/cps", notice=False):
    quals = []
    if notice:
        quals.append(SEQ(OID(O["unotice"]), SEQ(UTF8(
            "Reliance on this test certificate by any party assumes acceptance of nothing at all."))))
    quals.append(SEQ(OID(O["cps"]), IA5(cps_uri)))
    return SEQ(SEQ(OID(O["applePolicy"]), SEQ(*quals)))


def AIA(uri="http://ocsp.example.test/ocsp"):
    return SEQ(SEQ(OID(O["ocsp"]), T(0x86, uri.encode())))


class CA:
    def __init__(self, name, key, subject, cert):
        self.name, self.key, self.subject, self.cert = name, key, subject, cert
        _, _, self.issuer, self.spki, self.exts = cert_parts(cert)
        self.ski = ski_of(self.spki)


def build_tbs(f):
    parts = [f[k] for k in ("version", "serial", "sigalg", "issuer", "validity", "subject", "spki",
                            "issuerUID", "subjectUID") if f.get(k) is not None]
    if f.get("exts_raw") is not None:
        parts.append(f["exts_raw"])
    elif f.get("exts") is not None:
        parts.append(EXP(3, SEQ(*[e for _, e in f["exts"]])))
    return SEQ(*parts)


def sign_cert(tbs, key, alg="sha256", outer=None, sig=None):
    if sig is None:
        sig = key.sign(tbs, alg)
    return SEQ(tbs, outer if outer is not None else ALG[alg], BIT(sig))


def make_ca(name, key, subject, issuer=None, serial=None, nb=D(2020, 1, 1), na=D(2055, 1, 1),
            pathlen=None, bc="crit", ku=(5, 6), ku_crit=True, ski=True, aki=True, extra=(),
            version=2, alg="sha256", signer=None, issuer_name=None, aki_keyid=None):
    """A CA certificate. issuer None = self-signed. bc: 'crit', 'noncrit', 'false', None."""
    spki = key.spki
    exts = []
    if bc == "crit":
        exts.append(EXT(O["bc"], BC(True, pathlen), True))
    elif bc == "noncrit":
        exts.append(EXT(O["bc"], BC(True, pathlen)))
    elif bc == "false":
        exts.append(EXT(O["bc"], BC(False), True))
    if ku is not None:
        exts.append(EXT(O["ku"], KU(*ku), True if ku_crit else None))
    if ski:
        exts.append(EXT(O["ski"], OCT(ski_of(spki))))
    if aki and (issuer is not None or aki_keyid):
        exts.append(EXT(O["aki"], AKI(aki_keyid or issuer.ski)))
    exts += list(extra)
    f = dict(
        version=EXP(0, INT(version)) if version else None,
        serial=INT(serial if serial is not None else 1 + int.from_bytes(hashlib.sha256(subject).digest()[:8], "big")),
        sigalg=ALG[alg],
        issuer=issuer_name or (issuer.subject if issuer is not None else subject),
        validity=SEQ(TIME(nb), TIME(na)),
        subject=subject,
        spki=spki,
        exts_raw=EXP(3, SEQ(*exts)) if (exts and version == 2) else None,
    )
    tbs = build_tbs(f)
    sk = signer or (issuer.key if issuer is not None else key)
    return CA(name, key, subject, sign_cert(tbs, sk, alg))


def ca_name(cn, o="Example Test PKI", ou="Test Certification Authority", apple_order=True):
    if apple_order:
        return NAME(AVA(O["cn"], UTF8(cn)), AVA(O["ou"], UTF8(ou)), AVA(O["o"], UTF8(o)), AVA(O["c"], PRINT("US")))
    return NAME(AVA(O["c"], PRINT("US")), AVA(O["o"], UTF8(o)), AVA(O["ou"], UTF8(ou)), AVA(O["cn"], UTF8(cn)))

# --------------------------------------------------------------------------
# Case registry
# --------------------------------------------------------------------------


class Case:
    __slots__ = ("id", "cls", "anchors", "now", "der", "note", "profile",
                 "go", "go_reason", "ossl", "ossl_reason", "carried", "upload")


CASES = []
ANCHORS = {}  # name -> list of DER certificates
R = random.Random(20260601)  # hand-made cases
RM = random.Random(4242)  # mutations


def add(cls, der, note, anchors="test", now=NOW, profile="other", carried=(), upload=None):
    """carried: CA certificates (DER) the upload holds beside the leaf; upload:
    the bytes the crate receives (der_b64) when they are not the leaf's DER."""
    assert anchors in ANCHORS, anchors
    assert "\t" not in note and "\n" not in note
    c = Case()
    c.id = "c%04d" % (len(CASES) + 1)
    c.cls, c.der, c.note, c.anchors, c.now, c.profile = cls, der, note, anchors, now, profile
    c.carried, c.upload = list(carried), upload
    CASES.append(c)
    return c


def new_uuid(rng=None):
    return str(uuidlib.UUID(int=(rng or R).getrandbits(128), version=4))


def serial8(rng=None):
    return (rng or R).getrandbits(63) | (1 << 62)


def leaf_subject(u, uid_tlv=None, pos=0, cn=None):
    rdns = [AVA(O["cn"], UTF8(cn or "APSP:" + u)), AVA(O["c"], PRINT("US"))]
    rdns.insert(pos, AVA(O["uid"], uid_tlv if uid_tlv is not None else UTF8(TOPIC(u))))
    return NAME(*rdns)


def std_exts(issuer_ski, spki, ku_crit=False, notice=False, ku=(0,)):
    return [
        ("bc", EXT(O["bc"], SEQ())),
        ("aki", EXT(O["aki"], AKI(issuer_ski))),
        ("cp", EXT(O["cp"], CPOL(notice=notice))),
        ("eku", EXT(O["eku"], EKU("clientAuth"))),
        ("crldp", EXT(O["crldp"], CRLDP("http://crl.example.test/aai2ca.crl"))),
        ("ski", EXT(O["ski"], OCT(ski_of(spki)))),
        ("ku", EXT(O["ku"], KU(*ku), True if ku_crit else None)),
        ("marker", EXT(O["marker"], NULL)),
    ]


def set_ext(f, name, tlv, pos=None):
    for i, (n, _) in enumerate(f["exts"]):
        if n == name:
            f["exts"][i] = (name, tlv)
            return f
    if pos is None:
        f["exts"].append((name, tlv))
    else:
        f["exts"].insert(pos, (name, tlv))
    return f


def del_ext(f, name):
    f["exts"] = [(n, e) for n, e in f["exts"] if n != name]
    return f


def leaf(ca=None, u=None, spki=None, serial=None, nb=NB, na=NA, ku_crit=False,
         uid_tlv=None, uid_pos=0, notice=False, subject=None, rng=None):
    ca = ca or AAI2
    u = u or new_uuid(rng)
    spki = spki or LEAF_KEYS[0].spki
    return dict(
        u=u, ca=ca,
        version=EXP(0, INT(2)),
        serial=INT(serial if serial is not None else serial8(rng)),
        sigalg=ALG["sha256"],
        issuer=ca.subject,
        validity=SEQ(TIME(nb), TIME(na)),
        subject=subject or leaf_subject(u, uid_tlv, uid_pos),
        spki=spki,
        exts=std_exts(ca.ski, spki, ku_crit, notice),
    )


def mk(f, alg="sha256", signer=None, outer=None, sig=None):
    """Sign the leaf fields with the issuer's key; returns DER."""
    tbs = build_tbs(f)
    return sign_cert(tbs, signer or f["ca"].key, alg, outer, sig)


def write_anchor(name, certs):
    ANCHORS[name] = list(certs)

# --------------------------------------------------------------------------
# The test PKI
# --------------------------------------------------------------------------


def setup_pki():
    global ROOT, AAI2, LEAF_KEYS, KEYS
    t = time.time()
    KEYS = {s: Key(s) for s in ("root", "aai2", "int1", "int2", "ca-a", "ca-b", "ca-c", "ca-d",
                                "ca-e", "ca-f", "forger", "otherroot")}
    LEAF_KEYS = [Key("leaf%d" % i) for i in range(4)]
    KEYS["leaf3072"] = Key("leaf3072", 3072)
    KEYS["leaf4096"] = Key("leaf4096", 4096)
    KEYS["leafe3"] = Key("leafe3", 2048, 3)
    KEYS["leaf1024"] = Key("leaf1024", 1024)
    KEYS["leaf2047"] = Key("leaf2047", 2047)
    KEYS["leaf512"] = Key("leaf512", 512)
    print("keys: %.1fs" % (time.time() - t), file=sys.stderr)

    ROOT = make_ca("Test Root CA", KEYS["root"], ca_name("Test Root CA", apple_order=False),
                   serial=2, na=D(2060, 1, 1))
    AAI2 = make_ca("Test AAI2", KEYS["aai2"],
                   ca_name("Test Application Integration 2 Certification Authority"),
                   issuer=ROOT, pathlen=0, serial=0x5A3C1E9B)
    write_anchor("test", [ROOT.cert, AAI2.cert])


def load_apple():
    """Apple's public CA certificates: root, AAI2, AAI (from the shared copy, or the committed file)."""
    global APPLE_ROOT_DER, APPLE_AAI2_DER, APPLE_AAI_DER
    if all(os.path.exists(os.path.join(SHARED_APPLE, f)) for f in APPLE_FILES):
        ders = [pem_certs(open(os.path.join(SHARED_APPLE, f)).read())[0] for f in APPLE_FILES]
    else:
        ders = pem_certs(open(os.path.join(ANCHOR_DIR, "apple.pem")).read())
    APPLE_ROOT_DER, APPLE_AAI2_DER, APPLE_AAI_DER = ders
    write_anchor("apple", ders)


def load_nanomdm():
    for p in NANOMDM_CANDIDATES:
        if os.path.exists(p):
            return pem_certs(open(p).read())[0]
    raise SystemExit("nanomdm_e2e_push.pem not found")

# --------------------------------------------------------------------------
# valid_*: the push profile in benign variations (profile = apple)
# --------------------------------------------------------------------------


def valid_cases():
    A = dict(profile="apple")
    for i in range(8):
        f = leaf(spki=LEAF_KEYS[i % 4].spki)
        add("valid_baseline", mk(f), "Apple push profile, keyUsage non-critical (as in nanomdm's real certificate)", **A)
    for i in range(4):
        f = leaf(spki=LEAF_KEYS[i % 4].spki, ku_crit=True, notice=bool(i % 2))
        add("valid_ku_critical", mk(f), "keyUsage digitalSignature marked critical" + (", policy with user notice" if i % 2 else ""), **A)
    for tname, fn in (("printable", PRINT), ("utf8", UTF8), ("ia5", IA5)):
        for pos, pname in ((0, "first"), (1, "middle"), (2, "last")):
            for kc in (False, True):
                u = new_uuid()
                f = leaf(u=u, uid_tlv=fn(TOPIC(u)), uid_pos=pos, ku_crit=kc)
                add("valid_uid_" + tname, mk(f), "UID as %s, %s RDN of the subject, keyUsage %s" % (
                    {"printable": "PrintableString", "utf8": "UTF8String", "ia5": "IA5String"}[tname], pname,
                    "critical" if kc else "non-critical"), **A)
    for i in range(12):
        f = leaf(ku_crit=bool(i % 2))
        R.shuffle(f["exts"])
        add("valid_ext_order_shuffled", mk(f), "extensions in order " + ",".join(n for n, _ in f["exts"]), **A)
    for ln in range(1, 21):
        v = R.randrange(1, 0x80) if ln == 1 else (R.randrange(1, 0x80) << (8 * (ln - 1))) | R.getrandbits(8 * (ln - 1))
        assert len(int_bytes(v)) == ln
        add("valid_serial_len", mk(leaf(serial=v)), "serial number of %d content octet(s), positive, minimal" % ln, **A)
    for ln in (2, 9, 20):
        v = (1 << (8 * (ln - 1) - 1)) | R.getrandbits(8 * (ln - 1) - 1)
        assert len(int_bytes(v)) == ln
        add("valid_serial_len", mk(leaf(serial=v)), "serial number of %d content octets: 00 pad before a high bit" % ln, **A)
    for name, k in (("valid_rsa_3072", KEYS["leaf3072"]), ("valid_rsa_4096", KEYS["leaf4096"]), ("valid_rsa_e3", KEYS["leafe3"])):
        for kc in (False, True):
            add(name, mk(leaf(spki=k.spki, ku_crit=kc)), "RSA-%d leaf key, e=%d" % (k.bits, k.e), **A)
    for i in range(2):
        add("valid_now_eq_not_before", mk(leaf(ku_crit=bool(i))), "now is exactly notBefore (2026-01-01T00:00:00Z)", now=NB, **A)
        add("valid_now_eq_not_after", mk(leaf(ku_crit=bool(i))), "now is exactly notAfter (2026-12-31T23:59:59Z)", now=NA, **A)
    add("valid_validity_edge", mk(leaf()), "now is one second after notBefore", now=NB + dt.timedelta(seconds=1), **A)
    add("valid_validity_edge", mk(leaf()), "now is one second before notAfter", now=NA - dt.timedelta(seconds=1), **A)
    add("valid_generalized_time_after_2049", mk(leaf(nb=D(2049, 6, 1), na=D(2050, 5, 31, 23, 59, 59))),
        "notBefore UTCTime 2049, notAfter GeneralizedTime 2050; now 2050-01-15", now=D(2050, 1, 15), **A)
    add("valid_generalized_time_after_2049", mk(leaf(nb=D(2050, 1, 1), na=D(2050, 12, 31, 23, 59, 59))),
        "both dates GeneralizedTime in 2050; now 2050-06-01", now=D(2050, 6, 1), **A)
    add("valid_generalized_time_after_2049", mk(leaf(nb=D(2053, 3, 1), na=D(2054, 2, 28, 23, 59, 59))),
        "both dates GeneralizedTime 2053-2054; now 2053-06-01", now=D(2053, 6, 1), **A)
    add("valid_generalized_time_after_2049", mk(leaf(na=D(2051, 1, 1))),
        "notBefore UTCTime 2026, notAfter GeneralizedTime 2051", **A)
    for i, san in enumerate((SEQ(T(0x82, b"push.example.test")), SEQ(T(0x82, b"mdm.example.test"), T(0x82, b"*.example.test")))):
        add("valid_san_dns", mk(set_ext(leaf(), "san", EXT(O["san"], san), pos=6)), "subjectAltName with dNSName(s), non-critical", **A)
    for i, san in enumerate((SEQ(T(0x81, b"mdm-admin@example.test")), SEQ(T(0x81, b"a@example.test"), T(0x82, b"a.example.test")))):
        add("valid_san_email", mk(set_ext(leaf(), "san", EXT(O["san"], san))), "subjectAltName with rfc822Name, non-critical", **A)
    for i in range(2):
        add("valid_no_eku", mk(del_ext(leaf(ku_crit=bool(i)), "eku")), "no extKeyUsage extension", **A)
        add("valid_no_ku", mk(del_ext(leaf(), "ku")), "no keyUsage extension", **A)
        add("valid_no_aki", mk(del_ext(leaf(ku_crit=bool(i)), "aki")), "no authorityKeyIdentifier", **A)
    add("valid_no_ski", mk(del_ext(leaf(), "ski")), "no subjectKeyIdentifier", **A)
    add("valid_no_cp", mk(del_ext(leaf(), "cp")), "no certificatePolicies", **A)
    add("valid_no_crldp", mk(del_ext(leaf(), "crldp")), "no CRL distribution points", **A)
    add("valid_no_bc", mk(del_ext(leaf(), "bc")), "no basicConstraints (end entity by default)", **A)
    add("valid_minimal_exts", mk(del_ext(del_ext(del_ext(del_ext(del_ext(leaf(), "cp"), "crldp"), "ski"), "bc"), "ku")),
        "only AKI, extKeyUsage and the push marker", **A)
    long_oid = "1.3.6.1.4.1.99999." + ".".join(str(200 + i) for i in range(20))
    assert len(oid_content(long_oid)) > 39
    for oid, val, note in (("2.999.1", NULL, "unknown non-critical extension 2.999.1 = NULL"),
                           ("2.999.1", OCT(b"hello"), "unknown non-critical extension 2.999.1 = OCTET STRING"),
                           ("1.3.6.1.4.1.4294967296.1", UTF8("x"), "unknown non-critical extension with an arc >= 2^32 (1.3.6.1.4.1.4294967296.1)"),
                           (long_oid, NULL, "unknown non-critical extension whose OID content is %d bytes" % len(oid_content(long_oid))),
                           ("1.2.840.113635.100.6.3.6", NULL, "another Apple marker OID (…100.6.3.6), non-critical")):
        add("valid_unknown_noncritical_ext", mk(set_ext(leaf(), "unk", EXT(oid, val), pos=R.randrange(9))), note, **A)
    for i in range(4):
        f = leaf(ca=INT2, ku_crit=bool(i % 2))
        add("valid_two_level", mk(f), "root -> int1 (no pathlen) -> int2 (pathlen 0) -> leaf", anchors="two_level", **A)
    for i in range(2):
        add("valid_eku_client_and_server", mk(set_ext(leaf(), "eku", EXT(O["eku"], EKU("serverAuth", "clientAuth") if i else EKU("clientAuth", "serverAuth")))),
            "extKeyUsage clientAuth and serverAuth", **A)
        add("valid_ku_extra_bits", mk(set_ext(leaf(), "ku", EXT(O["ku"], KU(0, 2), True if i else None))),
            "keyUsage digitalSignature + keyEncipherment", **A)
        add("valid_cp_user_notice", mk(leaf(notice=True, ku_crit=bool(i))), "certificatePolicies with a user notice and a CPS URI, as Apple's", **A)
        add("valid_aia_ocsp", mk(set_ext(leaf(), "aia", EXT(O["aia"], AIA()), pos=5)), "authorityInfoAccess with an OCSP URI", **A)
    # random combinations of the benign knobs
    keys = LEAF_KEYS + [KEYS["leaf3072"], KEYS["leafe3"]]
    for i in range(70):
        u = new_uuid()
        tname, fn = R.choice((("PrintableString", PRINT), ("UTF8String", UTF8), ("IA5String", IA5)))
        pos = R.randrange(3)
        ln = R.randrange(1, 21)
        serial = R.randrange(1, 0x80) if ln == 1 else (R.randrange(1, 0x80) << (8 * (ln - 1))) | R.getrandbits(8 * (ln - 1))
        start = D(2025, 6, 2) + dt.timedelta(seconds=R.randrange(364 * 86400))
        end = start + dt.timedelta(days=365) - dt.timedelta(seconds=1)
        k = R.choice(keys)
        f = leaf(u=u, spki=k.spki, serial=serial, nb=start, na=end, ku_crit=R.random() < 0.5,
                 uid_tlv=fn(TOPIC(u)), uid_pos=pos, notice=R.random() < 0.3)
        bits = ["UID %s pos %d" % (tname, pos), "serial %d octets" % ln, "RSA-%d e=%d" % (k.bits, k.e),
                "valid %s..%s" % (start.strftime("%Y-%m-%d"), end.strftime("%Y-%m-%d"))]
        for ext, p in (("eku", 0.1), ("ku", 0.1), ("cp", 0.1), ("crldp", 0.1), ("ski", 0.05)):
            if R.random() < p:
                del_ext(f, ext)
                bits.append("no " + ext)
        if R.random() < 0.15:
            set_ext(f, "san", EXT(O["san"], SEQ(T(0x82, b"mdm%d.example.test" % i))))
            bits.append("SAN")
        if R.random() < 0.3:
            R.shuffle(f["exts"])
            bits.append("shuffled extensions")
        add("valid_combo", mk(f), "; ".join(bits), **A)

# --------------------------------------------------------------------------
# Refusal families
# --------------------------------------------------------------------------


def version_cases():
    for i in range(2):
        f = leaf()
        f["version"] = None
        add("version_v1_with_exts", mk(f), "version field absent (v1) but extensions present")
        f = leaf()
        f["version"], f["exts"] = None, None
        add("version_v1_no_exts", mk(f), "genuine v1 certificate: no version field, no extensions")
        f = leaf()
        f["version"] = EXP(0, INT(1))
        if i:
            f["exts"] = None
        add("version_v2", mk(f), "version 2 (value 1)" + (" without extensions" if i else " with extensions"))
        f = leaf()
        f["version"] = EXP(0, INT(0))
        if i:
            f["exts"] = None
        add("version_v1_explicit", mk(f), "version v1 encoded explicitly ([0] INTEGER 0, a DEFAULT value)" + (" without extensions" if i else " with extensions"))
        f = leaf()
        f["version"] = EXP(0, INT(3))
        add("version_4", mk(f), "version value 3 (v4)")
    f = leaf()
    f["version"] = EXP(0, INT(-1))
    add("version_negative", mk(f), "version value -1")
    f = leaf()
    f["version"] = EXP(0, T(0x02, b"\x00\x02"))
    add("version_nonminimal", mk(f), "version INTEGER 00 02 (non-minimal)")
    f = leaf()
    f["version"] = INT(2)
    add("version_untagged", mk(f), "version INTEGER 2 without the [0] EXPLICIT tag")
    f = leaf()
    f["subjectUID"] = T(0x82, b"\x00\x01\x02\x03")
    add("version_unique_ids", mk(f), "v3 with a subjectUniqueID [2]")
    f = leaf()
    f["issuerUID"] = T(0x81, b"\x00\xaa\xbb")
    f["subjectUID"] = T(0x82, b"\x00\x01\x02\x03")
    add("version_unique_ids", mk(f), "v3 with issuerUniqueID [1] and subjectUniqueID [2]")


def sigalg_cases():
    for i in range(2):
        f = leaf()
        f["sigalg"] = ALG["sha1"]
        add("sigalg_inner_sha1", mk(f), "TBS says sha1WithRSA, outer says sha256WithRSA; signed with SHA-256")
        f = leaf()
        f["sigalg"] = ALG["sha384"]
        add("sigalg_inner_sha384", mk(f), "TBS says sha384WithRSA, outer sha256WithRSA; signed with SHA-256")
    f = leaf()
    f["sigalg"] = SEQ(OID(O["ecdsaSHA256"]))
    add("sigalg_inner_ecdsa", mk(f), "TBS says ecdsa-with-SHA256, outer sha256WithRSA")
    f = leaf()
    f["sigalg"] = ALG["sha256"]
    add("sigalg_inner_outer_mismatch", mk(f, outer=ALG["sha384"], sig=AAI2.key.sign(build_tbs(f), "sha256")),
        "TBS says sha256WithRSA, outer says sha384WithRSA, signature is SHA-256")
    for alg, cls in (("sha1", "sigalg_sha1"), ("sha384", "sigalg_sha384"), ("sha512", "sigalg_sha512"),
                     ("pss", "sigalg_rsassa_pss"), ("md5", "sigalg_md5")):
        for i in range(2 if alg != "md5" else 1):
            f = leaf(ku_crit=bool(i))
            f["sigalg"] = ALG[alg]
            add(cls, mk(f, alg), "properly signed with %s (inner and outer agree)" % {
                "pss": "RSASSA-PSS SHA-256/MGF1-SHA-256/salt 32"}.get(alg, alg + "WithRSAEncryption"))
    noparams = SEQ(OID(O["sha256RSA"]))
    for i in range(2):
        f = leaf(ku_crit=bool(i))
        f["sigalg"] = noparams
        add("sigalg_params_absent", mk(f, outer=noparams), "sha256WithRSA with parameters absent (inner and outer)")
    f = leaf()
    f["sigalg"] = noparams
    add("sigalg_params_absent", mk(f), "sha256WithRSA parameters absent in the TBS only, NULL outside")
    for params, what in ((INT(0), "INTEGER 0"), (OCT(b"\x01\x02"), "OCTET STRING"), (SEQ(), "empty SEQUENCE")):
        a = SEQ(OID(O["sha256RSA"]), params)
        f = leaf()
        f["sigalg"] = a
        add("sigalg_params_garbage", mk(f, outer=a), "sha256WithRSA with parameters %s instead of NULL" % what)
    a = SEQ(OID("1.2.840.113549.1.1.99"), NULL)
    f = leaf()
    f["sigalg"] = a
    add("sigalg_unknown_oid", mk(f, outer=a), "unknown signature algorithm 1.2.840.113549.1.1.99 (signed with SHA-256)")
    a = SEQ(OID(O["ecdsaSHA256"]))
    f = leaf()
    f["sigalg"] = a
    add("sigalg_ecdsa_with_rsa_key", mk(f, outer=a), "ecdsa-with-SHA256 inside and outside, issuer key is RSA")
    for i in range(2):
        f = leaf()
        sig = bytearray(AAI2.key.sign(build_tbs(f)))
        sig[R.randrange(len(sig))] ^= 1 << R.randrange(8)
        add("sigalg_bad_signature", mk(f, sig=bytes(sig)), "one bit of the signature flipped")
        add("sigalg_wrong_key", mk(leaf(), signer=KEYS["forger"]), "issuer name and AKI of the AAI2-like CA, signed by another key")
    f = leaf()
    add("sigalg_bad_signature", mk(f, sig=AAI2.key.sign(build_tbs(f))[:-1]), "signature one byte short")
    f = leaf()
    add("sigalg_bad_signature", mk(f, sig=b""), "empty signature BIT STRING")
    f = leaf()
    add("sigalg_bad_signature", mk(f, sig=b"\x00" + AAI2.key.sign(build_tbs(f))), "signature with a leading zero byte (257 bytes)")


def critical_cases():
    for oid, val, note in (("2.999.1", NULL, "2.999.1 = NULL"), ("1.3.6.1.4.1.55555.1", OCT(b"x"), "1.3.6.1.4.1.55555.1"),
                           ("2.999.2", SEQ(), "2.999.2 next to a non-critical 2.999.1")):
        f = leaf()
        set_ext(f, "unk", EXT(oid, val, True))
        if oid == "2.999.2":
            set_ext(f, "unk2", EXT("2.999.1", NULL))
        add("critical_unknown_ext", mk(f), "unknown critical extension " + note)
    for kc in (False, True):
        f = leaf(ku_crit=kc)
        set_ext(f, "marker", EXT(O["marker"], NULL, True))
        add("critical_push_marker", mk(f), "push marker 1.2.840.113635.100.6.3.2 marked critical")
    for name, tlv, cls in (("bc", EXT(O["bc"], SEQ()), "critical_dup_bc"),
                           ("marker", EXT(O["marker"], NULL), "critical_dup_marker"),
                           ("eku", EXT(O["eku"], EKU("clientAuth")), "critical_dup_eku"),
                           ("ski", EXT(O["ski"], OCT(b"\x01" * 20)), "critical_dup_ski"),
                           ("ku", EXT(O["ku"], KU(0)), "critical_dup_ku")):
        f = leaf()
        f["exts"].append((name + "2", tlv))
        add(cls, mk(f), "extension %s appears twice (second copy at the end)" % name)
    f = leaf()
    f["exts"].insert(0, ("bc0", EXT(O["bc"], BC(True), True)))
    add("critical_dup_bc", mk(f), "two basicConstraints: first cA TRUE critical, then cA FALSE")
    f = leaf()
    f["exts"].insert(2, ("eku0", EXT(O["eku"], EKU("serverAuth"))))
    add("critical_dup_eku", mk(f), "two extKeyUsage: serverAuth then clientAuth")
    f = leaf()
    f["exts"] += [("u1", EXT("2.999.1", NULL)), ("u2", EXT("2.999.1", NULL))]
    add("critical_dup_unknown", mk(f), "unknown non-critical extension 2.999.1 twice")
    for name, oid, val in (("marker", O["marker"], NULL), ("eku", O["eku"], EKU("clientAuth")),
                           ("bc", O["bc"], SEQ()), ("ku", O["ku"], KU(0))):
        add("critical_explicit_false", mk(set_ext(leaf(), name, EXT(oid, val, False))),
            "%s with critical FALSE encoded explicitly (DEFAULT value, not DER)" % name)
    for name, oid, val in (("ku", O["ku"], KU(0)), ("marker", O["marker"], NULL)):
        e = SEQ(OID(oid), T(0x01, b"\x01"), OCT(val))
        add("critical_bool_nonder", mk(set_ext(leaf(), name, e)), "%s critical BOOLEAN encoded 01 01 01 (not FF)" % name)
    e = SEQ(OID(O["ku"]), T(0x01, b"\xff\xff"), OCT(KU(0)))
    add("critical_bool_nonder", mk(set_ext(leaf(), "ku", e)), "keyUsage critical BOOLEAN with two content octets")
    for name, oid, val in (("eku", O["eku"], EKU("clientAuth")), ("bc", O["bc"], SEQ()), ("cp", O["cp"], CPOL()),
                           ("crldp", O["crldp"], CRLDP("http://crl.example.test/aai2ca.crl")),
                           ("aki", O["aki"], None), ("ski", O["ski"], None)):
        f = leaf()
        if val is None:
            val = dict(aki=AKI(AAI2.ski), ski=OCT(ski_of(f["spki"])))[name]
        add("critical_known_ext", mk(set_ext(f, name, EXT(oid, val, True))), "%s marked critical (a known extension)" % name)
    f = leaf()
    set_ext(f, "san", EXT(O["san"], SEQ(T(0x82, b"push.example.test")), True))
    add("critical_known_ext", mk(f), "subjectAltName marked critical")


def malformed_ext_cases():
    tr = b"\x05\x00"
    table = [
        ("ku", O["ku"], KU(0), OCT(b"\x80"), "OCTET STRING"),
        ("eku", O["eku"], EKU("clientAuth"), SET(OID(O["clientAuth"])), "SET"),
        ("ski", O["ski"], None, BIT(b"\x01" * 20), "BIT STRING"),
        ("aki", O["aki"], None, OCT(b"\x01" * 20), "OCTET STRING"),
        ("san", O["san"], SEQ(T(0x82, b"push.example.test")), SET(T(0x82, b"push.example.test")), "SET"),
        ("cp", O["cp"], CPOL(), OCT(b"policy"), "OCTET STRING"),
        ("crldp", O["crldp"], CRLDP("http://crl.example.test/aai2ca.crl"), INT(7), "INTEGER"),
        ("aia", O["aia"], AIA(), NULL, "NULL"),
        ("bc", O["bc"], SEQ(), BOOL(False), "BOOLEAN"),
    ]
    for name, oid, good, wrong, wname in table:
        f = leaf()
        if good is None:
            good = dict(ski=OCT(ski_of(f["spki"])), aki=AKI(AAI2.ski))[name]
        garbage = bytes([0x9F]) + bytes(R.getrandbits(8) for _ in range(7))
        for kind, val, what in (("garbage", garbage, "random bytes"), ("wrong_type", wrong, "a %s instead" % wname),
                                ("trailing", good + tr, "valid value followed by 05 00")):
            f = leaf()
            set_ext(f, name, EXT(oid, val))
            add("malformed_ext_" + name, mk(f), "%s value is %s" % (name, what))
    for val, what in ((b"\x05\x01\x00", "05 01 00 (NULL with content)"), (b"\x04\x00", "04 00 (empty OCTET STRING)"),
                      (b"\x05\x00\x05\x00", "05 00 05 00 (trailing NULL)"), (b"", "empty"),
                      (b"\x01\x01\xff", "BOOLEAN TRUE"), (b"\x30\x00", "empty SEQUENCE"), (b"\x05\x81\x00", "NULL with long-form length")):
        add("malformed_ext_marker", mk(set_ext(leaf(), "marker", EXT(O["marker"], val))), "push marker value " + what)
    for kc in (False, True):
        f = leaf(ku_crit=kc)
        f["exts"], f["exts_raw"] = None, EXP(3, SEQ())
        add("malformed_ext_empty_sequence", mk(f), "extensions [3] holding an empty SEQUENCE")
    f = leaf()
    f["exts"], f["exts_raw"] = None, EXP(3, b"")
    add("malformed_ext_empty_sequence", mk(f), "extensions [3] with no content at all")
    misc = [
        ("ku", O["ku"], T(0x03, b"\x07\x80\x00"), "keyUsage BIT STRING with a trailing zero octet"),
        ("ku", O["ku"], T(0x03, b"\x00\x80"), "keyUsage BIT STRING 00 80: trailing zero bits not removed"),
        ("ku", O["ku"], T(0x03, b"\x00"), "keyUsage BIT STRING with no bits"),
        ("ku", O["ku"], T(0x03, b"\x08\x80"), "keyUsage BIT STRING with 8 unused bits"),
        ("bc", O["bc"], SEQ(BOOL(False)), "basicConstraints with cA FALSE encoded explicitly"),
        ("bc", O["bc"], SEQ(INT(0)), "basicConstraints cA FALSE with pathLenConstraint 0"),
        ("bc", O["bc"], SEQ(BOOL(True), INT(-1)), "basicConstraints cA TRUE, pathLen -1"),
        ("eku", O["eku"], SEQ(), "extKeyUsage empty SEQUENCE"),
        ("san", O["san"], SEQ(), "subjectAltName empty SEQUENCE"),
        ("ski", O["ski"], OCT(b""), "subjectKeyIdentifier empty"),
        ("aki", O["aki"], SEQ(), "authorityKeyIdentifier empty SEQUENCE"),
        ("eku", O["eku"], SEQ(OID(O["clientAuth"]), NULL), "extKeyUsage with a NULL among the OIDs"),
    ]
    for name, oid, val, note in misc:
        add("malformed_ext_" + name, mk(set_ext(leaf(), name, EXT(oid, val))), note)
    add("malformed_ext_structure", mk(set_ext(leaf(), "marker", SEQ(OID(O["marker"])))), "push marker extension without extnValue")
    add("malformed_ext_structure", mk(set_ext(leaf(), "marker", SEQ(OID(O["marker"]), NULL))), "push marker extnValue is a bare NULL, not an OCTET STRING")
    add("malformed_ext_structure", mk(set_ext(leaf(), "ku", SEQ(OID(O["ku"]), OCT(KU(0)), BOOL(True)))), "keyUsage extension with critical after extnValue")
    add("malformed_ext_structure", mk(set_ext(leaf(), "marker", SEQ(OID(O["marker"]), OCT(NULL), NULL))), "push marker extension with an extra element")


def usage_cases():
    for i in range(2):
        add("usage_eku_server_only", mk(set_ext(leaf(ku_crit=bool(i)), "eku", EXT(O["eku"], EKU("serverAuth")))), "extKeyUsage serverAuth only")
        add("usage_eku_code_signing", mk(set_ext(leaf(ku_crit=bool(i)), "eku", EXT(O["eku"], EKU("codeSigning")))), "extKeyUsage codeSigning only")
        add("usage_eku_any", mk(set_ext(leaf(ku_crit=bool(i)), "eku", EXT(O["eku"], EKU("anyEKU")))), "extKeyUsage anyExtendedKeyUsage only")
        add("usage_ku_key_encipherment_only", mk(set_ext(leaf(), "ku", EXT(O["ku"], KU(2), True if i else None))), "keyUsage keyEncipherment only")
    add("usage_eku_any", mk(set_ext(leaf(), "eku", EXT(O["eku"], EKU("clientAuth", "anyEKU")))), "extKeyUsage clientAuth + anyExtendedKeyUsage")
    add("usage_eku_email", mk(set_ext(leaf(), "eku", EXT(O["eku"], EKU("emailProtection")))), "extKeyUsage emailProtection only")
    add("usage_eku_unknown", mk(set_ext(leaf(), "eku", EXT(O["eku"], EKU("1.3.6.1.4.1.55555.3.1")))), "extKeyUsage with one private OID only")
    add("usage_ku_key_cert_sign", mk(set_ext(leaf(), "ku", EXT(O["ku"], KU(0, 5), True))), "keyUsage digitalSignature + keyCertSign on a non-CA leaf")
    add("usage_ku_key_cert_sign", mk(set_ext(leaf(), "ku", EXT(O["ku"], KU(5)))), "keyUsage keyCertSign only on a non-CA leaf")
    add("usage_ku_key_agreement_only", mk(set_ext(leaf(), "ku", EXT(O["ku"], KU(4)))), "keyUsage keyAgreement only")
    add("usage_ku_crl_sign", mk(set_ext(leaf(), "ku", EXT(O["ku"], KU(6)))), "keyUsage cRLSign only")
    add("usage_ku_non_repudiation", mk(set_ext(leaf(), "ku", EXT(O["ku"], KU(1)))), "keyUsage nonRepudiation only")


def profile_cases():
    """Things both oracles probably accept but the push profile forbids."""
    for kc in (False, True):
        add("profile_no_marker", mk(del_ext(leaf(ku_crit=kc), "marker")), "no push marker extension")
    for oid in ("1.2.840.113635.100.6.3.1", "1.2.840.113635.100.6.3.3", "1.2.840.113635.100.6.3.2.1"):
        f = leaf()
        set_ext(f, "marker", EXT(oid, NULL))
        add("profile_marker_wrong_oid", mk(f), "marker-like extension %s instead of …6.3.2" % oid)
    for kc in (False, True):
        u = new_uuid()
        add("profile_uid_missing", mk(leaf(u=u, subject=NAME(AVA(O["cn"], UTF8("APSP:" + u)), AVA(O["c"], PRINT("US"))), ku_crit=kc)), "subject without UID")
    u = new_uuid()
    add("profile_uid_missing", mk(leaf(u=u, subject=NAME(AVA("0.9.2342.19200300.100.1.2", UTF8(TOPIC(u))), AVA(O["cn"], UTF8("APSP:" + u)), AVA(O["c"], PRINT("US"))))),
        "topic under OID 0.9.2342.19200300.100.1.2 instead of UID (…100.1.1)")
    u = new_uuid()
    add("profile_uid_missing", mk(leaf(u=u, subject=NAME(AVA(O["cn"], UTF8(TOPIC(u))), AVA(O["c"], PRINT("US"))))), "topic in the CN, no UID")
    for topic, what in (("com.apple.mgmt.Internal.%s", "prefix com.apple.mgmt.Internal."),
                        ("com.example.push.%s", "prefix com.example.push."),
                        ("com.apple.mgmt.External.", "prefix only, no UUID"),
                        ("com.apple.mgmt.External.%s ", "trailing space"),
                        ("com.apple.mgmt.External.%s\x00", "trailing NUL"),
                        ("com.apple.mgmt.External.%s.extra", "suffix after the UUID"),
                        ("com.apple.mgmt.external.%s", "lower-case 'external'"),
                        (" com.apple.mgmt.External.%s", "leading space"),
                        ("com.apple.mgmt.External.NOTAUUID", "not a UUID"),
                        ("com.apple.mgmt.External.%s", "UUID without hyphens")):
        u = new_uuid()
        uu = u.replace("-", "") if "hyphens" in what else u
        t = topic % uu if "%s" in topic else topic
        add("profile_uid_bad_topic", mk(leaf(u=u, uid_tlv=UTF8(t))), "UID " + what)
    u = new_uuid()
    add("profile_uid_uppercase_uuid", mk(leaf(u=u, uid_tlv=UTF8(TOPIC(u.upper())))), "UID with an upper-case UUID")
    for i in range(2):
        f = leaf()
        set_ext(f, "bc", EXT(O["bc"], BC(True, 0 if i else None), True))
        add("profile_leaf_is_ca", mk(f), "leaf with basicConstraints cA TRUE" + (", pathlen 0" if i else ""))
    f = leaf()
    set_ext(f, "bc", EXT(O["bc"], BC(True), True))
    set_ext(f, "ku", EXT(O["ku"], KU(0, 5), True))
    add("profile_leaf_is_ca", mk(f), "leaf with cA TRUE and keyUsage digitalSignature+keyCertSign")
    u = new_uuid()
    add("profile_cn_mismatch", mk(leaf(u=u, subject=leaf_subject(u, cn="APSP:" + new_uuid()))), "CN names a different UUID than the UID")
    f = leaf()
    f["subject"] = NAME(AVA(O["uid"], UTF8(TOPIC(f["u"]))))
    add("profile_uid_only_subject", mk(f), "subject holds only the UID")


def names_cases():
    u = new_uuid()
    f = leaf(u=u, subject=NAME(AVA(O["uid"], UTF8(TOPIC(u))), AVA(O["cn"], T(0x0C, b"APSP:\xff\xfe" + u.encode())), AVA(O["c"], PRINT("US"))))
    add("names_cn_invalid_utf8", mk(f), "CN UTF8String contains bytes FF FE")
    u = new_uuid()
    f = leaf(u=u, subject=NAME(AVA(O["uid"], UTF8(TOPIC(u))), AVA(O["cn"], T(0x0C, b"APSP:\xc0\xaf" + u.encode())), AVA(O["c"], PRINT("US"))))
    add("names_cn_invalid_utf8", mk(f), "CN UTF8String contains an overlong encoding C0 AF")
    u = new_uuid()
    add("names_uid_invalid_utf8", mk(leaf(u=u, uid_tlv=T(0x0C, TOPIC(u).encode() + b"\xed\xa0\x80"))), "UID UTF8String ends in an encoded surrogate ED A0 80")
    for i in range(2):
        u = new_uuid()
        add("names_uid_bmp", mk(leaf(u=u, uid_tlv=T(0x1E, TOPIC(u).encode("utf-16-be")), ku_crit=bool(i))), "UID as BMPString (UTF-16BE of a valid topic)")
    u = new_uuid()
    add("names_uid_universal", mk(leaf(u=u, uid_tlv=T(0x1C, TOPIC(u).encode("utf-32-be")))), "UID as UniversalString (UCS-4 of a valid topic)")
    u = new_uuid()
    add("names_uid_teletex", mk(leaf(u=u, uid_tlv=T(0x14, TOPIC(u).encode()))), "UID as TeletexString")
    u = new_uuid()
    add("names_cn_teletex", mk(leaf(u=u, subject=NAME(AVA(O["uid"], UTF8(TOPIC(u))), AVA(O["cn"], T(0x14, ("APSP:" + u).encode())), AVA(O["c"], PRINT("US"))))),
        "CN as TeletexString")
    u = new_uuid()
    add("names_uid_numeric_type", mk(leaf(u=u, uid_tlv=T(0x12, TOPIC(u).encode()))), "UID as NumericString (illegal characters for it)")
    u = new_uuid()
    add("names_printable_illegal", mk(leaf(u=u, uid_tlv=PRINT(TOPIC(u).replace(".External.", ".External@")))), "UID PrintableString containing '@'")
    u = new_uuid()
    add("names_printable_illegal", mk(leaf(u=u, subject=NAME(AVA(O["uid"], UTF8(TOPIC(u))), AVA(O["cn"], PRINT("APSP_" + u)), AVA(O["c"], PRINT("US"))))),
        "CN PrintableString containing '_'")
    u = new_uuid()
    add("names_printable_illegal", mk(leaf(u=u, subject=NAME(AVA(O["uid"], UTF8(TOPIC(u))), AVA(O["cn"], PRINT("APSP*" + u)), AVA(O["c"], PRINT("US"))))),
        "CN PrintableString containing '*'")
    u = new_uuid()
    add("names_printable_illegal", mk(leaf(u=u, uid_tlv=PRINT(TOPIC(u) + "*"))), "UID PrintableString ending in '*'")
    u = new_uuid()
    add("names_ia5_high_byte", mk(leaf(u=u, uid_tlv=IA5(TOPIC(u).encode() + b"\xe9"))), "UID IA5String with a byte E9 (> 0x7F)")
    u = new_uuid()
    add("names_ia5_high_byte", mk(leaf(u=u, subject=NAME(AVA(O["uid"], UTF8(TOPIC(u))), AVA(O["cn"], IA5(b"APSP:\x80" + u.encode())), AVA(O["c"], PRINT("US"))))),
        "CN IA5String with a byte 80")
    add("names_empty_subject", mk(leaf(subject=SEQ())), "empty subject, no subjectAltName")
    f = leaf(subject=SEQ())
    set_ext(f, "san", EXT(O["san"], SEQ(T(0x82, b"push.example.test"))))
    add("names_empty_subject", mk(f), "empty subject, non-critical subjectAltName")
    f = leaf(subject=SEQ())
    set_ext(f, "san", EXT(O["san"], SEQ(T(0x82, b"push.example.test")), True))
    add("names_empty_subject", mk(f), "empty subject, critical subjectAltName")
    for i in range(2):
        u, u2 = new_uuid(), new_uuid()
        f = leaf(u=u, subject=NAME(AVA(O["uid"], UTF8(TOPIC(u))), AVA(O["cn"], UTF8("APSP:" + u)), AVA(O["uid"], UTF8(TOPIC(u2))), AVA(O["c"], PRINT("US"))))
        add("names_two_uids_different", mk(f), "two different UIDs in separate RDNs")
        f = leaf(u=u, subject=NAME(AVA(O["uid"], UTF8(TOPIC(u))), AVA(O["uid"], PRINT(TOPIC(u)) if i else UTF8(TOPIC(u))), AVA(O["cn"], UTF8("APSP:" + u)), AVA(O["c"], PRINT("US"))))
        add("names_two_uids_identical", mk(f), "the same UID twice in separate RDNs" + (" (UTF8String then PrintableString)" if i else ""))
    u, u2 = new_uuid(), new_uuid()
    f = leaf(u=u, subject=NAME([AVA(O["uid"], UTF8(TOPIC(u))), AVA(O["uid"], UTF8(TOPIC(u2)))], AVA(O["cn"], UTF8("APSP:" + u))))
    add("names_two_uids_different", mk(f), "two different UIDs in one multi-valued RDN")
    u = new_uuid()
    a1, a2 = AVA(O["uid"], UTF8(TOPIC(u))), AVA(O["cn"], UTF8("APSP:" + u))
    srt, unsrt = sorted([a1, a2]), sorted([a1, a2], reverse=True)
    add("names_multivalued_rdn_der", mk(leaf(u=u, subject=NAME(srt, AVA(O["c"], PRINT("US"))))), "UID and CN in one multi-valued RDN, DER (sorted) order")
    add("names_multivalued_rdn_nonder", mk(leaf(u=u, subject=NAME(unsrt, AVA(O["c"], PRINT("US"))))), "UID and CN in one multi-valued RDN, unsorted (not DER)")
    u = new_uuid()
    a = [AVA(O["c"], PRINT("US")), AVA(O["o"], UTF8("Example")), AVA(O["ou"], UTF8("Push"))]
    add("names_unsorted_set", mk(leaf(u=u, subject=NAME(AVA(O["uid"], UTF8(TOPIC(u))), AVA(O["cn"], UTF8("APSP:" + u)), sorted(a, reverse=True)))),
        "a three-valued RDN (C, O, OU) in non-DER order; UID and CN single")
    add("names_multivalued_rdn_der", mk(leaf(u=u, subject=NAME(AVA(O["uid"], UTF8(TOPIC(u))), AVA(O["cn"], UTF8("APSP:" + u)), sorted(a)))),
        "a three-valued RDN (C, O, OU) in DER order; UID and CN single")
    # issuer name variants (anchors: test)
    cn = "Test Application Integration 2 Certification Authority"
    rest = [AVA(O["ou"], UTF8("Test Certification Authority")), AVA(O["o"], UTF8("Example Test PKI")), AVA(O["c"], PRINT("US"))]
    for i, (iname, what) in enumerate((
            (NAME(AVA(O["cn"], PRINT(cn)), *rest), "issuer CN as PrintableString, the CA's subject has UTF8String"),
            (NAME(AVA(O["cn"], UTF8(cn.lower())), *rest), "issuer CN lower-cased relative to the CA's subject"),
            (NAME(AVA(O["cn"], UTF8(cn.upper())), *rest), "issuer CN upper-cased relative to the CA's subject"),
            (NAME(AVA(O["cn"], UTF8(cn.replace(" ", "  "))), *rest), "issuer CN with doubled spaces"),
            (NAME(AVA(O["cn"], UTF8(cn + " ")), *rest), "issuer CN with a trailing space"),
            (NAME(*rest[::-1], AVA(O["cn"], UTF8(cn))), "issuer RDNs in reverse order"))):
        f = leaf()
        f["issuer"] = iname
        cls = "names_issuer_string_type" if i == 0 else ("names_issuer_case" if i < 3 else "names_issuer_other")
        add(cls, mk(f), what)
    f = leaf()
    f["issuer"] = NAME(AVA(O["cn"], IA5(cn)), *rest)
    add("names_issuer_string_type", mk(f), "issuer CN as IA5String, the CA's subject has UTF8String")


def serial_cases():
    for val, cls, what in ((b"\x00", "serial_zero", "serial number 0"),
                           (int_bytes(-1), "serial_negative", "serial number -1"),
                           (int_bytes(-0x1234567890ABCDEF), "serial_negative", "serial number -0x1234567890ABCDEF"),
                           (b"\x12" + bytes(R.getrandbits(8) for _ in range(20)), "serial_21_octets", "serial of 21 octets, positive, minimal"),
                           (b"\x00\x80" + bytes(R.getrandbits(8) for _ in range(19)), "serial_21_octets", "serial of 21 octets: 00 then a 20-byte value with the high bit set"),
                           (b"\x34" + bytes(R.getrandbits(8) for _ in range(21)), "serial_22_octets", "serial of 22 octets"),
                           (b"\x00\x01", "serial_nonminimal", "serial 00 01 (leading zero not needed)"),
                           (b"\x00\x00\x12\x34\x56\x78", "serial_nonminimal", "serial with two leading zero octets"),
                           (b"\xff\x12\x34\x56\x78\x9a\xbc\xde", "serial_leading_ff", "serial FF 12 …: minimal but negative"),
                           (b"\xff\x80\x11\x22", "serial_leading_ff", "serial FF 80 …: non-minimal negative"),
                           (b"\xff\xff\x12\x34", "serial_leading_ff", "serial FF FF 12 34: non-minimal negative"),
                           (b"", "serial_empty", "serial INTEGER with no content octets")):
        f = leaf()
        f["serial"] = T(0x02, val)
        add(cls, mk(f), what)
    f = leaf()
    f["serial"] = None
    add("serial_missing", mk(f), "serialNumber field omitted")


def time_cases():
    def v(nb_tlv, na_tlv, cls, note, now=NOW):
        f = leaf()
        f["validity"] = SEQ(nb_tlv, na_tlv)
        add(cls, mk(f), note, now=now)
    U = lambda s: T(0x17, s.encode())
    G = lambda s: T(0x18, s.encode())
    v(U("2601010000Z"), U("261231235959Z"), "time_utc_no_seconds", "notBefore UTCTime without seconds (YYMMDDhhmmZ)")
    v(U("260101000000Z"), U("2612312359Z"), "time_utc_no_seconds", "notAfter UTCTime without seconds")
    v(U("260101000000.5Z"), U("261231235959Z"), "time_utc_fraction", "notBefore UTCTime with fractional seconds")
    v(U("260101000000Z"), U("261231235959.999Z"), "time_utc_fraction", "notAfter UTCTime with fractional seconds")
    v(U("260101090000+0900"), U("261231235959Z"), "time_utc_offset", "notBefore UTCTime with a +0900 offset")
    v(U("260101000000Z"), U("270101085959+0900"), "time_utc_offset", "notAfter UTCTime with a +0900 offset")
    v(U("260101000000"), U("261231235959Z"), "time_utc_no_zone", "notBefore UTCTime without Z")
    v(G("20260101000000Z"), G("20261231235959Z"), "time_generalized_before_2050", "both dates GeneralizedTime although before 2050")
    v(U("260101000000Z"), G("20261231235959Z"), "time_generalized_before_2050", "notAfter GeneralizedTime in 2026")
    v(G("20260101000000.5Z"), U("261231235959Z"), "time_generalized_fraction", "notBefore GeneralizedTime with a fraction")
    v(G("20260101000000"), U("261231235959Z"), "time_generalized_no_zone", "notBefore GeneralizedTime without Z (local time)")
    v(G("20260101090000+0900"), U("261231235959Z"), "time_generalized_offset", "notBefore GeneralizedTime with +0900")
    v(U("261231235959Z"), U("260101000000Z"), "time_inverted", "notBefore after notAfter; now between the two instants in time order")
    v(U("260601000001Z"), U("260531235959Z"), "time_inverted", "notBefore one day after notAfter, now in between")
    v(U("250601000000Z"), U("260531235959Z"), "time_expired", "expired the second before now")
    v(U("240101000000Z"), U("241231235959Z"), "time_expired", "expired 2024")
    v(U("260601000001Z"), U("270531235959Z"), "time_not_yet_valid", "valid from one second after now")
    v(U("270101000000Z"), U("271231235959Z"), "time_not_yet_valid", "valid from 2027")
    v(U("500101000000Z"), U("261231235959Z"), "time_year_1950", "notBefore UTCTime 50 = 1950 (long validity covering now)")
    v(U("260101000000Z"), U("491231235959Z"), "time_year_2049", "notAfter UTCTime 491231235959Z = 2049")
    v(U("260101000000Z"), U("500101000000Z"), "time_year_2050_utctime", "notAfter UTCTime 500101000000Z, meaning 1950: expired")
    v(U("260101000000Z"), G("20491231235959Z"), "time_generalized_before_2050", "notAfter GeneralizedTime for 2049")
    v(U("260101000000Z"), G("20500101000000Z"), "time_year_2050_generalized", "notAfter GeneralizedTime 2050-01-01 (correct encoding)")
    v(U("261301000000Z"), U("271231235959Z"), "time_invalid_value", "notBefore month 13")
    v(U("260101000000Z"), U("261231235960Z"), "time_invalid_value", "notAfter second 60")
    v(U("260230000000Z"), U("261231235959Z"), "time_invalid_value", "notBefore 30 February")
    v(G("260101000000Z"), U("261231235959Z"), "time_invalid_value", "GeneralizedTime with a two-digit year")
    f = leaf()
    f["validity"] = SEQ(U("260101000000Z"))
    add("time_invalid_value", mk(f), "validity with only notBefore")
    f = leaf()
    f["validity"] = SEQ(U("260101000000Z"), U("261231235959Z"), U("271231235959Z"))
    add("time_invalid_value", mk(f), "validity with three times")


def key_cases():
    for cls, k in (("key_rsa_1024", KEYS["leaf1024"]), ("key_rsa_2047", KEYS["leaf2047"]), ("key_rsa_512", KEYS["leaf512"])):
        add(cls, mk(leaf(spki=k.spki)), "RSA key of %d bits" % k.bits)
    ecpub = ec.derive_private_key(0x1234567890ABCDEF1234567890ABCDEF, ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    edpub = ed25519.Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"ed25519 leaf").digest()).public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    for i in range(2):
        add("key_ec_p256", mk(leaf(spki=ecpub, ku_crit=bool(i))), "EC P-256 leaf key")
    add("key_ed25519", mk(leaf(spki=edpub)), "Ed25519 leaf key")
    n, e = LEAF_KEYS[1].n, LEAF_KEYS[1].e
    add("key_even_modulus", mk(leaf(spki=rsa_spki(n + 1 if n % 2 else n, e))), "RSA modulus is even (n+1 of a real key)")
    add("key_e1", mk(leaf(spki=rsa_spki(n, 1))), "RSA public exponent 1")
    add("key_e_even", mk(leaf(spki=rsa_spki(n, 65536))), "RSA public exponent 65536 (even)")
    add("key_e_negative", mk(leaf(spki=rsa_spki(n, -65537))), "RSA public exponent negative")
    add("key_e_huge", mk(leaf(spki=rsa_spki(n, (1 << 70) + 1))), "RSA public exponent 2^70+1")
    add("key_modulus_negative", mk(leaf(spki=rsa_spki(-n, e))), "RSA modulus negative")
    add("key_spki_no_null", mk(leaf(spki=rsa_spki(n, e, params=None))), "rsaEncryption AlgorithmIdentifier without the NULL parameters")
    add("key_spki_params_garbage", mk(leaf(spki=rsa_spki(n, e, params=INT(0)))), "rsaEncryption parameters INTEGER 0")
    add("key_rsa_trailing_garbage", mk(leaf(spki=rsa_spki(n, e, extra=b"\x00\x01"))), "two bytes after RSAPublicKey inside the BIT STRING")
    spki = SEQ(SEQ(OID(O["rsaEncryption"]), NULL), BIT(SEQ(INT(n), INT(e), INT(7))))
    add("key_rsa_trailing_garbage", mk(leaf(spki=spki)), "RSAPublicKey with a third INTEGER")
    spki = SEQ(SEQ(OID(O["rsaEncryption"]), NULL), BIT(SEQ(T(0x02, b"\x00\x00" + n.to_bytes(256, "big")), INT(e))))
    add("key_modulus_nonminimal", mk(leaf(spki=spki)), "RSA modulus INTEGER with superfluous leading zero octets")
    spki = SEQ(SEQ(OID(O["rsaEncryption"]), NULL), T(0x03, b"\x03" + SEQ(INT(n), INT(e)) + b"\x00"))
    add("key_bitstring_unused_bits", mk(leaf(spki=spki)), "subjectPublicKey BIT STRING with 3 unused bits")
    spki = SEQ(SEQ(OID(O["pss"])), BIT(SEQ(INT(n), INT(e))))
    add("key_rsassa_pss_spki", mk(leaf(spki=spki)), "subjectPublicKeyInfo algorithm id-RSASSA-PSS (no parameters)")
    spki = SEQ(SEQ(OID("1.2.840.113549.1.1.99"), NULL), BIT(SEQ(INT(n), INT(e))))
    add("key_unknown_algorithm", mk(leaf(spki=spki)), "subjectPublicKeyInfo with an unknown algorithm OID")
    spki = SEQ(SEQ(OID(O["rsaEncryption"]), NULL), OCT(SEQ(INT(n), INT(e))))
    add("key_spki_octet_string", mk(leaf(spki=spki)), "subjectPublicKey is an OCTET STRING instead of a BIT STRING")

# --------------------------------------------------------------------------
# Chains through odd anchors
# --------------------------------------------------------------------------


def setup_two_level():
    global INT1, INT2
    INT1 = make_ca("Test Intermediate 1", KEYS["int1"], ca_name("Test Intermediate 1 CA"), issuer=ROOT)
    INT2 = make_ca("Test Intermediate 2", KEYS["int2"], ca_name("Test Intermediate 2 CA"), issuer=INT1, pathlen=0)
    write_anchor("two_level", [ROOT.cert, INT1.cert, INT2.cert])


def path_cases():
    def fam(anchors, cls, certs, issuer, note, n=3, now=NOW):
        if anchors not in ANCHORS:
            write_anchor(anchors, certs)
        for i in range(n):
            add(cls, mk(leaf(ca=issuer, ku_crit=bool(i % 2))), note, anchors=anchors, now=now)

    def sub(cn, key="ca-a", issuer=None, **kw):
        return make_ca(cn, KEYS[key], ca_name(cn), issuer=issuer or ROOT, **kw)

    c = sub("Test CA Without Basic Constraints", bc=None)
    fam("bad_int_no_bc", "path_int_no_bc", [ROOT.cert, c.cert], c, "intermediate without basicConstraints (keyUsage keyCertSign present)")
    c = sub("Test CA With cA FALSE", bc="false")
    fam("bad_int_ca_false", "path_int_ca_false", [ROOT.cert, c.cert], c, "intermediate with basicConstraints critical, cA FALSE")
    c = sub("Test CA Without keyCertSign", ku=(0, 6), pathlen=0)
    fam("bad_int_no_keycertsign", "path_int_no_keycertsign", [ROOT.cert, c.cert], c, "intermediate keyUsage digitalSignature+cRLSign, no keyCertSign")
    a = sub("Test CA Pathlen 0 Upper", pathlen=0)
    b = sub("Test CA Below Pathlen 0", key="ca-b", issuer=a)
    fam("bad_pathlen0_chain", "path_pathlen0_then_int", [ROOT.cert, a.cert, b.cert], b, "root -> int (pathlen 0) -> int -> leaf")
    r0 = make_ca("Test Root CA PL0", KEYS["otherroot"], ca_name("Test Root CA Pathlen 0", apple_order=False), pathlen=0)
    i1 = make_ca("x", KEYS["ca-a"], ca_name("Test CA Under Pathlen 0 Root 1"), issuer=r0)
    i2 = make_ca("x", KEYS["ca-b"], ca_name("Test CA Under Pathlen 0 Root 2"), issuer=i1, pathlen=0)
    fam("bad_root_pathlen0", "path_root_pathlen0", [r0.cert, i1.cert, i2.cert], i2, "root (pathlen 0) -> int -> int -> leaf", n=2)
    fam("bad_root_pathlen0", "path_root_pathlen0", None, i1, "root (pathlen 0) -> int -> leaf", n=2)
    c = sub("Test V1 CA", version=0)
    fam("bad_int_v1", "path_int_v1", [ROOT.cert, c.cert], c, "intermediate is a v1 certificate (no extensions)")
    c = sub("Test Expired CA", nb=D(2015, 1, 1), na=D(2025, 1, 1))
    fam("bad_int_expired", "path_int_expired", [ROOT.cert, c.cert], c, "intermediate expired 2025-01-01")
    c = sub("Test Future CA", nb=D(2027, 1, 1), na=D(2040, 1, 1))
    fam("bad_int_not_yet_valid", "path_int_not_yet_valid", [ROOT.cert, c.cert], c, "intermediate valid from 2027")
    re_ = make_ca("Test Expired Root", KEYS["otherroot"], ca_name("Test Expired Root CA", apple_order=False), nb=D(2010, 1, 1), na=D(2025, 1, 1))
    c = make_ca("x", KEYS["ca-a"], ca_name("Test CA Under Expired Root"), issuer=re_, nb=D(2020, 1, 1), na=D(2040, 1, 1))
    fam("bad_root_expired", "path_root_expired", [re_.cert, c.cert], c, "root expired 2025-01-01, intermediate valid")
    c = sub("Test CA With Unknown Critical Extension", pathlen=0, extra=[EXT("2.999.7", NULL, True)])
    fam("bad_int_unknown_critical", "path_int_unknown_critical", [ROOT.cert, c.cert], c, "intermediate with unknown critical extension 2.999.7")
    c = sub("Test SHA-1 Signed CA", alg="sha1", pathlen=0)
    fam("bad_int_sha1", "path_int_sha1", [ROOT.cert, c.cert], c, "intermediate signed by the root with sha1WithRSAEncryption")
    c = sub("Test Server Auth CA", pathlen=0, extra=[EXT(O["eku"], EKU("serverAuth"))])
    fam("bad_int_eku_server", "path_int_eku_server", [ROOT.cert, c.cert], c, "intermediate with extKeyUsage serverAuth only")
    ee1 = make_ca("ee", KEYS["ca-c"], ca_name("Test End Entity CA FALSE"), issuer=ROOT, bc=None, ku=(0,),
                  extra=[EXT(O["bc"], SEQ()), EXT(O["eku"], EKU("clientAuth"))])
    ee2 = make_ca("ee", KEYS["ca-d"], ca_name("Test End Entity No BC"), issuer=ROOT, bc=None, ku=(0,),
                  extra=[EXT(O["eku"], EKU("clientAuth"))])
    write_anchor("bad_ee_as_int", [ROOT.cert, ee1.cert, ee2.cert])
    fam("bad_ee_as_int", "path_ee_as_intermediate", None, ee1, "issuer is an end-entity certificate (cA FALSE, keyUsage digitalSignature) listed in the anchors")
    fam("bad_ee_as_int", "path_ee_no_bc_as_intermediate", None, ee2, "issuer is an end-entity certificate without basicConstraints listed in the anchors")
    rn1 = make_ca("rn", KEYS["ca-e"], ca_name("Test Self-Signed Non-CA", apple_order=False), bc="false", ku=(0, 5))
    rn2 = make_ca("rn", KEYS["ca-f"], ca_name("Test Self-Signed No BC", apple_order=False), bc=None, ku=None)
    write_anchor("bad_root_non_ca", [rn1.cert, rn2.cert])
    fam("bad_root_non_ca", "path_root_non_ca", None, rn1, "root is self-signed with cA FALSE (keyUsage digitalSignature+keyCertSign)")
    fam("bad_root_non_ca", "path_root_no_bc", None, rn2, "root is self-signed v3 without basicConstraints or keyUsage")
    oroot = make_ca("Other Root", KEYS["otherroot"], ca_name("Test Other Root CA", apple_order=False))
    c = make_ca("x", KEYS["ca-a"], ca_name("Test CA Under A Missing Root"), issuer=oroot, pathlen=0)
    fam("bad_int_orphan", "path_int_orphan", [ROOT.cert, c.cert], c, "intermediate issued by a root that is not in the anchors")
    c = sub("Test CA Without Key Usage", ku=None)
    fam("int_no_ku", "path_int_no_ku", [ROOT.cert, c.cert], c, "intermediate without keyUsage (and without pathlen)")
    c = sub("Test CA Non-Critical BC", bc="noncrit", pathlen=0)
    fam("int_bc_noncrit", "path_int_bc_noncritical", [ROOT.cert, c.cert], c, "intermediate with basicConstraints cA TRUE not marked critical")
    c = sub("Test CA Without SKI", ski=False, pathlen=0)
    fam("int_no_ski", "path_int_no_ski", [ROOT.cert, c.cert], c, "intermediate without subjectKeyIdentifier")
    c = sub("Test CA AKI Mismatch", pathlen=0, aki_keyid=b"\x42" * 20)
    fam("int_aki_mismatch", "path_int_aki_mismatch", [ROOT.cert, c.cert], c, "intermediate's authorityKeyIdentifier does not match the root's SKI")
    for i in range(2):
        f = leaf()
        set_ext(f, "aki", EXT(O["aki"], AKI(bytes(R.getrandbits(8) for _ in range(20)))))
        add("path_leaf_aki_mismatch", mk(f), "leaf authorityKeyIdentifier does not match the issuer's SKI")
        add("path_leaf_under_root", mk(leaf(ca=ROOT, ku_crit=bool(i))), "leaf issued directly by the root")
        add("path_wrong_anchors", mk(leaf(ku_crit=bool(i))), "valid test leaf checked against Apple's anchors", anchors="apple")
    fam("two_level", "path_two_level_skip_int1", None, INT1, "leaf issued by int1 (no pathlen) of the two-level anchors", n=2)

# --------------------------------------------------------------------------
# Apple's anchors: forgeries and nanomdm's real certificate
# --------------------------------------------------------------------------


def apple_cases():
    nano = load_nanomdm()
    ntbs, _, _, _, _ = cert_parts(nano)
    _, aai2_subj, _, _, aai2_exts = cert_parts(APPLE_AAI2_DER)
    _, root_subj, _, _, root_exts = cert_parts(APPLE_ROOT_DER)
    aai2_ski = parse(aai2_exts[O["ski"]]).val
    root_ski = parse(root_exts[O["ski"]]).val
    A = dict(anchors="apple")
    nb, na = D(2021, 2, 10, 17, 44, 47), D(2022, 2, 10, 17, 44, 47)
    add("apple_nanomdm_in_validity", nano, "nanomdm's real Apple push certificate (MIT, micromdm/nanomdm), inside its validity", now=D(2021, 6, 1), **A)
    add("apple_nanomdm_in_validity", nano, "nanomdm's real push certificate, now == notBefore", now=nb, **A)
    add("apple_nanomdm_in_validity", nano, "nanomdm's real push certificate, one second before notAfter", now=na - dt.timedelta(seconds=1), **A)
    add("apple_nanomdm_at_not_after", nano, "nanomdm's real push certificate, now == notAfter", now=na, **A)
    add("apple_nanomdm_outside_validity", nano, "nanomdm's real push certificate at 2026-06-01 (expired 2022)", **A)
    add("apple_nanomdm_outside_validity", nano, "nanomdm's real push certificate before its notBefore", now=D(2021, 1, 1), **A)
    add("apple_nanomdm_wrong_anchors", nano, "nanomdm's real push certificate against the test anchors", now=D(2021, 6, 1))

    forger = KEYS["forger"]
    fake_issuer = lambda ski: type("F", (), dict(subject=aai2_subj, ski=ski, key=forger))()
    for ski, note in ((aai2_ski, "AKI = the real AAI2 SKI"), (ski_of(forger.spki), "AKI = the forger's key id"), (None, "no AKI")):
        for kc in ((False, True) if ski == aai2_ski else (False,)):
            f = leaf(ca=fake_issuer(ski or b"\x00"), ku_crit=kc)
            if ski is None:
                del_ext(f, "aki")
            add("forged_apple_issuer_copy", mk(f), "issuer name copied from Apple's AAI2, signed by a forger's key; " + note, **A)
    fake = make_ca("fake aai2", KEYS["ca-f"], aai2_subj, issuer_name=root_subj, signer=forger, aki_keyid=root_ski, pathlen=0, na=D(2030, 1, 1))
    for ski, note in ((fake.ski, "AKI = fake CA's SKI"), (aai2_ski, "AKI = the real AAI2 SKI")):
        f = leaf(ca=type("F", (), dict(subject=aai2_subj, ski=ski, key=fake.key))())
        add("forged_apple_fake_aai2", mk(f), "issued by a self-made CA named like AAI2 that claims Apple Root as issuer; " + note, **A)
    f = leaf(ca=type("F", (), dict(subject=root_subj, ski=root_ski, key=forger))())
    add("forged_apple_root_issuer", mk(f), "issuer name and AKI of Apple Root CA, signed by a forger", **A)
    # nanomdm's certificate, tampered, keeping Apple's signature
    c = parse(nano)
    alg, sigbits = ser(c.kids[1]), ser(c.kids[2])

    def tampered(edit):
        t = parse(ntbs)
        edit(t)
        return ser(t)
    def extend(t):
        t.kids[4].kids[1] = parse(UTC_(D(2027, 2, 10, 17, 44, 47)))
    def extend_uid(t):
        extend(t)
        u = new_uuid()
        t.kids[5] = parse(leaf_subject(u))
    def extend_serial(t):
        extend(t)
        t.kids[1] = parse(INT(0x734DF9C0BB2703FE))
    for ed, note in ((extend, "notAfter moved to 2027"), (extend_uid, "notAfter moved to 2027 and a new UID"),
                     (extend_serial, "notAfter moved to 2027 and the serial changed by one")):
        add("forged_apple_tampered_nanomdm", SEQ(tampered(ed), alg, sigbits), "nanomdm's certificate with " + note + ", Apple's signature kept", **A)
    t = tampered(extend)
    add("forged_apple_resigned_nanomdm", sign_cert(t, forger), "nanomdm's TBS with notAfter 2027, re-signed by a forger", **A)
    add("forged_apple_resigned_nanomdm", sign_cert(ntbs, forger), "nanomdm's TBS unchanged, re-signed by a forger", now=D(2021, 6, 1), **A)
    write_anchor("apple_forged_int", ANCHORS["apple"] + [fake.cert])
    for i in range(2):
        f = leaf(ca=type("F", (), dict(subject=aai2_subj, ski=fake.ski, key=fake.key))(), ku_crit=bool(i))
        add("path_forged_int_in_anchors", mk(f), "anchors = Apple's + a fake AAI2 (same name, claims Apple Root, forger-signed); leaf signed by the fake",
            anchors="apple_forged_int")

# --------------------------------------------------------------------------
# Odd encodings (der_b64 holds the odd bytes)
# --------------------------------------------------------------------------


def encoding_cases():
    f = leaf()
    tbs = build_tbs(f)
    sig = AAI2.key.sign(tbs)
    alg, bit = ALG["sha256"], BIT(sig)
    body = tbs + alg + bit
    good = SEQ(tbs, alg, bit)
    tn = parse(tbs)
    tbs_content = b"".join(ser(k) for k in tn.kids)

    def resigned(tbs_bytes, note, cls):
        add(cls, SEQ(tbs_bytes, alg, BIT(AAI2.key.sign(tbs_bytes))), note)

    add("encoding_indefinite_length", b"\x30\x80" + body + b"\x00\x00", "outer SEQUENCE with indefinite length (BER)")
    resigned(b"\x30\x80" + tbs_content + b"\x00\x00", "TBS with indefinite length, signature over those BER bytes", "encoding_indefinite_length")
    ex = tn.kids[-1]
    ext_seq = ser(ex.kids[0])
    ext_inner = b"".join(ser(k) for k in ex.kids[0].kids)
    t2 = b"".join(ser(k) for k in tn.kids[:-1]) + b"\xa3\x80\x30\x80" + ext_inner + b"\x00\x00\x00\x00"
    resigned(T(0x30, t2), "extensions [3] and SEQUENCE with indefinite lengths inside the TBS (re-signed)", "encoding_indefinite_length")
    add("encoding_nonminimal_length", b"\x30\x83" + len(body).to_bytes(3, "big") + body, "outer SEQUENCE length in 3 octets (non-minimal)")
    resigned(b"\x30\x83" + len(tbs_content).to_bytes(3, "big") + tbs_content, "TBS length in 3 octets, re-signed", "encoding_nonminimal_length")
    k = [ser(x) for x in tn.kids]
    k[0] = b"\xa0\x81\x03\x02\x01\x02"
    resigned(SEQ(*k), "version [0] with long-form length 81 03, re-signed", "encoding_nonminimal_length")
    k = [ser(x) for x in tn.kids]
    k[1] = b"\x02\x81" + bytes([len(k[1]) - 2]) + k[1][2:]
    resigned(SEQ(*k), "serial INTEGER with long-form length, re-signed", "encoding_nonminimal_length")
    add("encoding_nonminimal_length", SEQ(tbs, alg, b"\x03\x83\x00\x01\x01" + bytes([0]) + sig), "signature BIT STRING length in 3 octets")
    add("encoding_trailing_data", good + b"\x00", "one zero byte after the certificate")
    add("encoding_trailing_data", good + b"\x00\x00", "two zero bytes (an end-of-contents) after the certificate")
    add("encoding_trailing_data", good + good, "the certificate twice, back to back")
    add("encoding_trailing_data", good + b"\n", "a newline after the certificate")
    add("encoding_trailing_data", SEQ(tbs, alg, bit, NULL), "an extra NULL inside the outer SEQUENCE after the signature")
    add("encoding_sig_unused_bits", SEQ(tbs, alg, T(0x03, b"\x01" + sig)), "signature BIT STRING claims 1 unused bit")
    add("encoding_sig_unused_bits", SEQ(tbs, alg, T(0x03, b"\x08" + sig)), "signature BIT STRING claims 8 unused bits (invalid)")
    add("encoding_constructed_bitstring", SEQ(tbs, alg, T(0x23, BIT(sig[:128]) + BIT(sig[128:]))), "signature as a constructed BIT STRING (BER)")
    add("encoding_constructed_bitstring", SEQ(tbs, alg, b"\x23\x80" + BIT(sig) + b"\x00\x00"), "signature as a constructed, indefinite BIT STRING")
    add("encoding_length_overrun", b"\x30\x82" + (len(body) + 1).to_bytes(2, "big") + body, "outer length one more than the data")
    add("encoding_length_overrun", good[:-10], "certificate truncated by 10 bytes")
    add("encoding_length_overrun", b"\x30\x82" + (len(body) - 1).to_bytes(2, "big") + body, "outer length one less than the data")
    resigned(T(0x31, tbs_content), "TBS tagged SET instead of SEQUENCE, re-signed", "encoding_wrong_tag")
    add("encoding_wrong_tag", T(0x31, body), "outer tagged SET instead of SEQUENCE")
    add("encoding_wrong_tag", b"\x3f\x10" + L(len(body)) + body, "outer SEQUENCE in high-tag-number form (3F 10)")
    add("encoding_empty", b"", "zero bytes")
    add("encoding_garbage", bytes(R.getrandbits(8) for _ in range(64)), "64 random bytes")
    add("encoding_pem_text", PEM(good).encode(), "the PEM text of a valid certificate instead of DER")

# --------------------------------------------------------------------------
# Mutations of valid leaves, re-signed
# --------------------------------------------------------------------------

FIELD = ["version", "serial", "signature", "issuer", "validity", "subject", "spki", "extensions"]
TAGNAME = {0x01: "BOOLEAN", 0x02: "INTEGER", 0x03: "BIT STRING", 0x04: "OCTET STRING", 0x05: "NULL", 0x06: "OID",
           0x0C: "UTF8String", 0x13: "PrintableString", 0x16: "IA5String", 0x17: "UTCTime", 0x18: "GeneralizedTime",
           0x30: "SEQUENCE", 0x31: "SET"}
RETAGS = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0C, 0x13, 0x14, 0x16, 0x17, 0x18, 0x1E, 0x30, 0x31, 0x80, 0x81, 0x82, 0x86, 0xA0, 0xA1, 0xA3]


def all_nodes(root):
    out = []

    def walk(n, path):
        out.append((n, path))
        if n.kids is not None:
            for i, k in enumerate(n.kids):
                walk(k, path + [i])
    walk(root, [])
    return out


def label(root, path, node=None):
    parts = ["tbs"]
    if path:
        parts = [FIELD[path[0]] if path[0] < len(FIELD) else "tbs.%d" % path[0]]
        rest = path[1:]
        if path[0] == 7 and len(path) >= 3:
            e = root.kids[7].kids[0].kids[path[2]]
            oid = oid_decode(e.kids[0].val) if e.kids and e.kids[0].tag == b"\x06" else "?"
            parts.append(OID_SHORT.get(oid, oid))
            rest = path[3:]
        if rest:
            parts.append(".".join(map(str, rest)))
    s = "/".join(parts)
    if node is not None:
        s += " (%s)" % TAGNAME.get(node.tag[0], "tag %02X" % node.tag[0])
    return s


def byte_op(v, rng):
    v = bytearray(v)
    ops = ["flip", "set", "insert", "delete", "truncate", "boundary", "append"] if v else ["insert", "append"]
    op = rng.choice(ops)
    if op == "flip":
        i, b = rng.randrange(len(v)), rng.randrange(8)
        v[i] ^= 1 << b
        d = "flip bit %d of byte %d" % (b, i)
    elif op == "set":
        i = rng.randrange(len(v))
        v[i] = rng.randrange(256)
        d = "set byte %d to %02X" % (i, v[i])
    elif op == "insert":
        i, n = rng.randrange(len(v) + 1), rng.randrange(1, 4)
        ins = bytes(rng.getrandbits(8) for _ in range(n))
        v[i:i] = ins
        d = "insert %s at %d" % (ins.hex(), i)
    elif op == "delete":
        i = rng.randrange(len(v))
        n = min(rng.randrange(1, 4), len(v) - i)
        del v[i:i + n]
        d = "delete %d byte(s) at %d" % (n, i)
    elif op == "truncate":
        n = rng.randrange(len(v))
        d = "truncate %d -> %d bytes" % (len(v), n)
        v = v[:n]
    elif op == "boundary":
        i = rng.randrange(len(v))
        v[i] = rng.choice([0x00, 0x7F, 0x80, 0xFF, 0x20, 0x2E])
        d = "set byte %d to %02X" % (i, v[i])
    else:
        x = rng.choice([b"\x00", b"\xff", b" ", b".", b"\x00\x00"])
        v += x
        d = "append %s" % x.hex()
    return bytes(v), d


def mutate_content(tbs, rng):
    root = parse(tbs, deep=True)
    cands = [(n, p) for n, p in all_nodes(root) if n.kids is None or n.encap is not None]
    n, p = rng.choice(cands)
    lab = label(root, p, n)
    if n.kids is not None:  # an encapsulating OCTET/BIT STRING: mutate its raw content
        n.val = (n.encap or b"") + b"".join(ser(k) for k in n.kids)
        n.kids = n.encap = None
    n.val, d = byte_op(n.val, rng)
    return ser(root), "%s in %s; lengths fixed" % (d, lab)


def mutate_raw(tbs, rng):
    v, d = byte_op(tbs, rng)
    return v, "raw TBS: %s; lengths not fixed" % d


def mutate_struct(tbs, rng):
    root = parse(tbs, deep=True)
    nodes = all_nodes(root)
    x = rng.random()
    if x < 0.35 and len(root.kids) > 7:
        n, p = root.kids[7].kids[0], [7, 0]
    elif x < 0.55:
        n, p = root, []
    else:
        n, p = rng.choice([(a, b) for a, b in nodes if a.kids])
    lab = label(root, p, n)
    k = n.kids
    op = rng.choice(["drop", "dup", "swap", "move", "retag", "wrap", "null", "reverse"])
    i = rng.randrange(len(k))
    if op == "drop":
        del k[i]
        d = "drop child %d" % i
    elif op == "dup":
        k.insert(i, k[i].copy())
        d = "duplicate child %d" % i
    elif op == "swap" and len(k) > 1:
        j = rng.choice([j for j in range(len(k)) if j != i])
        k[i], k[j] = k[j], k[i]
        d = "swap children %d and %d" % (i, j)
    elif op == "move" and len(k) > 1:
        c = k.pop(i)
        j = rng.randrange(len(k) + 1)
        k.insert(j, c)
        d = "move child %d to %d" % (i, j)
    elif op == "retag":
        old = k[i].tag[0]
        new = rng.choice([t for t in RETAGS if t != old])
        k[i].tag = bytes([new])
        d = "retag child %d %02X -> %02X" % (i, old, new)
    elif op == "wrap":
        k[i] = Node(b"\x30", kids=[k[i]])
        d = "wrap child %d in a SEQUENCE" % i
    elif op == "null":
        k[i] = Node(b"\x05", val=b"")
        d = "replace child %d by NULL" % i
    else:
        k.reverse()
        d = "reverse the children"
    return ser(root), "%s of %s" % (d, lab)


def mutation_cases(n_content=430, n_raw=130, n_struct=170):
    bases = []
    for i in range(10):
        f = leaf(rng=RM, ku_crit=bool(i % 2), notice=(i % 3 == 0), spki=LEAF_KEYS[i % 4].spki)
        if i == 4:
            set_ext(f, "san", EXT(O["san"], SEQ(T(0x82, b"push.example.test"))))
        if i == 5:
            u = f["u"]
            f["subject"] = leaf_subject(u, PRINT(TOPIC(u)), 2)
        if i == 6:
            f["validity"] = SEQ(TIME(D(2025, 9, 1)), TIME(D(2050, 8, 31, 23, 59, 59)))
        bases.append(build_tbs(f))
    seen = set(bases)
    for cls, count, fn in (("mutation", n_content, mutate_content), ("mutation", n_raw, mutate_raw),
                           ("mutation_struct", n_struct, mutate_struct)):
        made = 0
        while made < count:
            bi = RM.randrange(len(bases))
            new, d = fn(bases[bi], RM)
            if new in seen:
                continue
            seen.add(new)
            add(cls, sign_cert(new, AAI2.key), "base m%d: %s" % (bi, d))
            made += 1

# --------------------------------------------------------------------------
# ECDSA certification paths (class prefix ecdsa_)
# --------------------------------------------------------------------------
# The push certificate's own key stays RSA-2048 (it comes from the customer's
# CSR); its issuers may be ECDSA, as Apple's G3 hierarchy is: Apple Root CA - G3
# (P-384, self-signed ecdsa-with-SHA384) issues Application Integration CA - G3
# (P-256, ecdsa-with-SHA256), CA 5 - G1 (P-256, ecdsa-with-SHA384) and CA 7 - G1
# (P-384). The test PKI below copies that shape. ECDSA signatures are RFC 6979
# deterministic, EC keys derive from fixed labels: reruns give the same bytes.

EC_ORDER = {
    "secp256r1": 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
    "secp384r1": int("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973", 16),
    "secp521r1": int("01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFA"
                     "51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409", 16),
    "secp256k1": 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141,
}
EC_HASH = {"ecdsa1": hashes.SHA1, "ecdsa224": hashes.SHA224, "ecdsa256": hashes.SHA256,
           "ecdsa384": hashes.SHA384, "ecdsa512": hashes.SHA512}
EC_ALG_NAME = {"ecdsa1": "ecdsa-with-SHA1", "ecdsa224": "ecdsa-with-SHA224", "ecdsa256": "ecdsa-with-SHA256",
               "ecdsa384": "ecdsa-with-SHA384", "ecdsa512": "ecdsa-with-SHA512", "sha256": "sha256WithRSAEncryption"}
CURVE_NAME = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521", "secp256k1": "secp256k1"}
# P-256 domain parameters (SEC 2), for a SubjectPublicKeyInfo with explicit (specifiedCurve) parameters
P256_P = 0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF
P256_A = bytes.fromhex("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFC")
P256_B = bytes.fromhex("5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B")
P256_SEED = bytes.fromhex("C49D360886E704936A6678E1139D26B7819F7E90")
P256_G = bytes.fromhex("046B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296"
                       "4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5")


class ECKey:
    """An EC key derived from a label; signs with RFC 6979 deterministic ECDSA."""

    def __init__(self, seed, curve=ec.SECP256R1):
        c = curve()
        n = EC_ORDER[c.name]
        v = int.from_bytes(hashlib.sha512(("ec|%s|%s" % (seed, c.name)).encode()).digest(), "big") % (n - 1) + 1
        self.priv = ec.derive_private_key(v, c)
        self.curve, self.n, self.bits = c.name, n, c.key_size
        pub = self.priv.public_key()
        self.spki = pub.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        self.point = pub.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        self.compressed = pub.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)

    @property
    def cname(self):
        return CURVE_NAME[self.curve]

    def sign(self, data, alg="ecdsa256"):
        sig = self.priv.sign(data, ec.ECDSA(EC_HASH[alg](), deterministic_signing=True))
        return sig

    def sign_digest_as(self, data, hash_alg):
        """A signature over `data` hashed with `hash_alg` (whatever the certificate claims)."""
        return self.sign(data, hash_alg)


class SpkiKey:
    """A key whose certificate shows a hand-made SubjectPublicKeyInfo but signs as `key`."""

    def __init__(self, spki, key):
        self.spki, self.key = spki, key
        self.n = getattr(key, "n", None)

    def sign(self, data, alg="ecdsa256"):
        return self.key.sign(data, alg)


def rs_of(sig):
    return decode_dss_signature(sig)


def ec_sig(r, s):
    return SEQ(INT(r), INT(s))


def is_high_s(sig, n):
    return rs_of(sig)[1] > n // 2


def resig(der, sig=None, alg_tlv=None):
    """A certificate with its outer signature (and/or outer algorithm) replaced."""
    c = parse(der)
    return SEQ(ser(c.kids[0]), alg_tlv if alg_tlv is not None else ser(c.kids[1]),
               BIT(sig) if sig is not None else ser(c.kids[2]))


def tbs_of(der):
    return ser(parse(der).kids[0])


def ec_spki_explicit_p256(point):
    params = SEQ(INT(1), SEQ(OID(O["primeField"]), INT(P256_P)),
                 SEQ(OCT(P256_A), OCT(P256_B), BIT(P256_SEED)), OCT(P256_G), INT(EC_ORDER["secp256r1"]), INT(1))
    return SEQ(SEQ(OID(O["ecPublicKey"]), params), BIT(point))


def ecdsa_cases():
    global ECROOT, ECI256, ECI256B, ECI384
    RE = random.Random(20260602)  # every choice in this family
    K = {s: ECKey(s, ec.SECP384R1) for s in ("ec-root", "ec-int384", "ec-int384-b", "ec-root-2", "ec-forger384")}
    K.update({s: ECKey(s) for s in ("ec-int256", "ec-int256-b", "ec-int256-c", "ec-mix", "ec-forger", "ec-leaf",
                                    "ec-int256-d", "ec-int256-e")})
    K["ec-leaf384"] = ECKey("ec-leaf384", ec.SECP384R1)
    K["ec-p521"] = ECKey("ec-p521", ec.SECP521R1)
    K["ec-k1"] = ECKey("ec-k1", ec.SECP256K1)
    KEYS["mix-rsa-int"] = Key("mix-rsa-int")
    A = dict(profile="apple")

    def eca(cn, key, issuer=None, alg="ecdsa384", **kw):
        return make_ca(cn, key, ca_name(cn), issuer=issuer, alg=alg, **kw)

    ECROOT = eca("Test Root CA - G3", K["ec-root"], alg="ecdsa384", serial=3)
    ECI256 = eca("Test Application Integration CA - G3", K["ec-int256"], ECROOT, "ecdsa256", pathlen=0)
    ECI256B = eca("Test Application Integration CA 5 - G1", K["ec-int256-b"], ECROOT, "ecdsa384", pathlen=0)
    ECI384 = eca("Test Application Integration CA 7 - G1", K["ec-int384"], ECROOT, "ecdsa384", pathlen=0)
    write_anchor("ecdsa", [ECROOT.cert, ECI256.cert, ECI256B.cert, ECI384.cert])
    write_anchor("ecdsa_root", [ECROOT.cert])
    write_anchor("test_root", [ROOT.cert])
    # two levels of ECDSA intermediates
    ecmid = eca("Test ECDSA Policy CA - G3", K["ec-int384-b"], ECROOT, "ecdsa384")
    eclow = eca("Test ECDSA Issuing CA - G3", K["ec-int256-c"], ecmid, "ecdsa384", pathlen=0)
    write_anchor("ecdsa_two_level", [ECROOT.cert, ecmid.cert, eclow.cert])
    # mixed paths: RSA root -> P-256 CA; P-384 root -> RSA CA
    mix_ec = make_ca("x", K["ec-mix"], ca_name("Test P-256 CA Under An RSA Root"), issuer=ROOT, alg="sha256", pathlen=0)
    write_anchor("mixed_rsa_root_ec_int", [ROOT.cert, mix_ec.cert])
    mix_rsa = make_ca("x", KEYS["mix-rsa-int"], ca_name("Test RSA CA Under A P-384 Root"), issuer=ECROOT, alg="ecdsa384", pathlen=0)
    write_anchor("mixed_ec_root_rsa_int", [ECROOT.cert, mix_rsa.cert])

    leaf_keys = LEAF_KEYS + [KEYS["leaf3072"], KEYS["leafe3"]]

    def el(ca, alg, **kw):
        kw.setdefault("rng", RE)
        f = leaf(ca=ca, **kw)
        f["sigalg"] = ALG[alg]
        return f

    def emk(f, alg, signer=None, outer=None, sig=None):
        return mk(f, alg, signer=signer, outer=outer, sig=sig)

    def pem_upload(leaf_der, cas):
        return "".join(PEM(x) for x in [leaf_der] + list(cas)).encode()

    issuers = [(ECI256, "ecdsa256", "P-256 CA signing ecdsa-with-SHA256 (like Application Integration CA - G3)"),
               (ECI256B, "ecdsa384", "P-256 CA signing ecdsa-with-SHA384 (like Application Integration CA 5 - G1)"),
               (ECI384, "ecdsa384", "P-384 CA signing ecdsa-with-SHA384 (like Application Integration CA 7 - G1)")]
    high_s_natural = [0, 0]

    def track(der, ca):
        sig = parse(der).kids[2].val[1:]
        high_s_natural[0] += 1
        high_s_natural[1] += is_high_s(sig, ca.key.n)
        return der

    # ---- valid (profile apple) ---------------------------------------------
    for (ca, alg, what), cls, n in zip(issuers, ("ecdsa_valid_p256_sha256", "ecdsa_valid_p256_sha384", "ecdsa_valid_p384_sha384"),
                                       (10, 8, 8)):
        for i in range(n):
            u = new_uuid(RE)
            tname, fn = (("UTF8String", UTF8), ("PrintableString", PRINT), ("IA5String", IA5))[i % 3]
            k = leaf_keys[i % len(leaf_keys)]
            f = el(ca, alg, u=u, spki=k.spki, ku_crit=bool(i % 2), uid_tlv=fn(TOPIC(u)), notice=(i % 4 == 3))
            add(cls, track(emk(f, alg), ca), "%s; leaf RSA-%d e=%d, UID %s, keyUsage %s" % (
                what, k.bits, k.e, tname, "critical" if i % 2 else "non-critical"), anchors="ecdsa", **A)
    for ca, alg, what in ((ECI384, "ecdsa256", "P-384 CA signing ecdsa-with-SHA256"),
                          (ECI256, "ecdsa512", "P-256 CA signing ecdsa-with-SHA512"),
                          (ECI384, "ecdsa512", "P-384 CA signing ecdsa-with-SHA512"),
                          (ECI256B, "ecdsa256", "P-256 CA (itself signed ecdsa-with-SHA384) signing ecdsa-with-SHA256")):
        for i in range(2):
            cls = "ecdsa_valid_sha512" if alg == "ecdsa512" else "ecdsa_valid_hash_curve"
            add(cls, track(emk(el(ca, alg, ku_crit=bool(i)), alg), ca), what, anchors="ecdsa", **A)
    for i in range(4):
        f = el(eclow, "ecdsa256", ku_crit=bool(i % 2))
        add("ecdsa_valid_two_level", track(emk(f, "ecdsa256"), eclow),
            "P-384 root -> P-384 CA (no pathlen, ecdsa-with-SHA384) -> P-256 CA (pathlen 0) -> leaf (ecdsa-with-SHA256)",
            anchors="ecdsa_two_level", **A)
    for i in range(6):
        alg = ("ecdsa256", "ecdsa384")[i % 2]
        add("ecdsa_mixed_rsa_root", track(emk(el(mix_ec, alg, ku_crit=bool(i // 2 % 2)), alg), mix_ec),
            "RSA root -> P-256 CA (sha256WithRSAEncryption) -> leaf (%s)" % EC_ALG_NAME[alg],
            anchors="mixed_rsa_root_ec_int", **A)
        add("ecdsa_mixed_ec_root", emk(el(mix_rsa, "sha256", ku_crit=bool(i % 2)), "sha256"),
            "P-384 root -> RSA-2048 CA (ecdsa-with-SHA384) -> leaf (sha256WithRSAEncryption)",
            anchors="mixed_ec_root_rsa_int", **A)
    for i in range(30):
        ca, alg, what = RE.choice(issuers)
        if RE.random() < 0.3:
            alg = RE.choice(("ecdsa256", "ecdsa384", "ecdsa512"))
        u = new_uuid(RE)
        tname, fn = RE.choice((("PrintableString", PRINT), ("UTF8String", UTF8), ("IA5String", IA5)))
        pos = RE.randrange(3)
        ln = RE.randrange(1, 21)
        serial = RE.randrange(1, 0x80) if ln == 1 else (RE.randrange(1, 0x80) << (8 * (ln - 1))) | RE.getrandbits(8 * (ln - 1))
        start = D(2025, 6, 2) + dt.timedelta(seconds=RE.randrange(364 * 86400))
        end = start + dt.timedelta(days=365) - dt.timedelta(seconds=1)
        k = RE.choice(leaf_keys)
        f = el(ca, alg, u=u, spki=k.spki, serial=serial, nb=start, na=end, ku_crit=RE.random() < 0.5,
               uid_tlv=fn(TOPIC(u)), uid_pos=pos, notice=RE.random() < 0.3)
        bits = ["issuer %s (%s), leaf signed %s" % (ca.name, K["ec-int384"].cname if ca is ECI384 else "P-256", EC_ALG_NAME[alg]),
                "UID %s pos %d" % (tname, pos), "serial %d octets" % ln, "RSA-%d e=%d" % (k.bits, k.e),
                "valid %s..%s" % (start.strftime("%Y-%m-%d"), end.strftime("%Y-%m-%d"))]
        for ext, p in (("eku", 0.1), ("ku", 0.1), ("cp", 0.1), ("crldp", 0.1), ("ski", 0.05)):
            if RE.random() < p:
                del_ext(f, ext)
                bits.append("no " + ext)
        if RE.random() < 0.3:
            RE.shuffle(f["exts"])
            bits.append("shuffled extensions")
        add("ecdsa_valid_combo", track(emk(f, alg), ca), "; ".join(bits), anchors="ecdsa", **A)

    # ---- intermediates carried in the upload (PEM: leaf, then CAs) ---------
    C = dict(anchors="ecdsa_root", profile="apple")
    for ca, alg, what in issuers:
        for i in range(2):
            d = track(emk(el(ca, alg, ku_crit=bool(i)), alg), ca)
            add("ecdsa_carried_valid", d, "PEM: leaf, then the %s; anchors: the P-384 root only" % what,
                carried=[ca.cert], upload=pem_upload(d, [ca.cert]), **C)
    d = track(emk(el(ECI256, "ecdsa256"), "ecdsa256"), ECI256)
    add("ecdsa_carried_valid", d, "PEM: leaf, the P-256 CA, then the P-384 root itself (a copy of the anchor)",
        carried=[ECI256.cert, ECROOT.cert], upload=pem_upload(d, [ECI256.cert, ECROOT.cert]), **C)
    d = track(emk(el(ECI384, "ecdsa384"), "ecdsa384"), ECI384)
    add("ecdsa_carried_valid", d, "PEM: leaf, an unrelated P-256 CA of the same root, then the issuing P-384 CA",
        carried=[ECI256.cert, ECI384.cert], upload=pem_upload(d, [ECI256.cert, ECI384.cert]), **C)
    for i in range(2):
        d = track(emk(el(eclow, "ecdsa256", ku_crit=bool(i)), "ecdsa256"), eclow)
        order = [eclow.cert, ecmid.cert] if i == 0 else [ecmid.cert, eclow.cert]
        add("ecdsa_carried_two_level", d, "PEM: leaf, then both ECDSA intermediates (%s); anchors: the root only" % (
            "issuing CA first" if i == 0 else "upper CA first"), carried=order, upload=pem_upload(d, order), **C)
    d = track(emk(el(eclow, "ecdsa256"), "ecdsa256"), eclow)
    add("ecdsa_carried_incomplete", d, "PEM: leaf and the issuing P-256 CA; its P-384 issuer neither carried nor in the anchors (root only)",
        carried=[eclow.cert], upload=pem_upload(d, [eclow.cert]), anchors="ecdsa_root")
    d = track(emk(el(eclow, "ecdsa256"), "ecdsa256"), eclow)
    write_anchor("ecdsa_two_level_upper", [ECROOT.cert, ecmid.cert])
    add("ecdsa_carried_two_level", d, "PEM: leaf and the issuing P-256 CA; the anchors hold the root and the upper P-384 CA",
        carried=[eclow.cert], upload=pem_upload(d, [eclow.cert]), anchors="ecdsa_two_level_upper", profile="apple")
    for i in range(2):
        alg = ("ecdsa256", "ecdsa384")[i]
        d = track(emk(el(mix_ec, alg), alg), mix_ec)
        add("ecdsa_carried_mixed", d, "PEM: leaf (%s), then the P-256 CA signed by the RSA root; anchors: the RSA root only" % EC_ALG_NAME[alg],
            carried=[mix_ec.cert], upload=pem_upload(d, [mix_ec.cert]), anchors="test_root", profile="apple")
        d = emk(el(mix_rsa, "sha256", ku_crit=bool(i)), "sha256")
        add("ecdsa_carried_mixed", d, "PEM: leaf (sha256WithRSA), then the RSA CA signed by the P-384 root; anchors: the P-384 root only",
            carried=[mix_rsa.cert], upload=pem_upload(d, [mix_rsa.cert]), anchors="ecdsa_root", profile="apple")
    # carried refusals
    d = emk(el(ECI256, "ecdsa256"), "ecdsa256")
    add("ecdsa_carried_wrong_root", d, "PEM: leaf and its P-256 CA; anchors: the RSA test root (not the P-384 root)",
        carried=[ECI256.cert], upload=pem_upload(d, [ECI256.cert]), anchors="test_root")
    d = emk(el(ECI256, "ecdsa256"), "ecdsa256")
    add("ecdsa_carried_wrong_root", d, "PEM: leaf, its P-256 CA and the P-384 root; anchors: the RSA test root (a carried root is not trusted)",
        carried=[ECI256.cert, ECROOT.cert], upload=pem_upload(d, [ECI256.cert, ECROOT.cert]), anchors="test_root")
    d = emk(el(ECI256, "ecdsa256"), "ecdsa256")
    add("ecdsa_carried_wrong_root", d, "PEM: leaf only; anchors: the P-384 root only (no CA anywhere)", carried=[],
        upload=pem_upload(d, []), anchors="ecdsa_root")
    other_root = eca("Test Root CA - G3", K["ec-root-2"], alg="ecdsa384", serial=3)
    fake_int = eca("Test Application Integration CA - G3", K["ec-int256"], other_root, "ecdsa256", pathlen=0)
    d = emk(el(fake_int, "ecdsa256"), "ecdsa256")
    add("ecdsa_carried_forged_int", d, "PEM: leaf, then the right P-256 CA name and key, but certified by a look-alike root key",
        carried=[fake_int.cert], upload=pem_upload(d, [fake_int.cert]), anchors="ecdsa_root")
    add("ecdsa_carried_forged_int", d, "as before, with the look-alike root carried too",
        carried=[fake_int.cert, other_root.cert], upload=pem_upload(d, [fake_int.cert, other_root.cert]), anchors="ecdsa_root")
    forged_int = make_ca("x", K["ec-forger"], ECI256.subject, issuer_name=ECROOT.subject, signer=K["ec-forger384"],
                         aki_keyid=ECROOT.ski, alg="ecdsa384", pathlen=0)
    d = emk(el(forged_int, "ecdsa256"), "ecdsa256")
    add("ecdsa_carried_forged_int", d, "PEM: leaf, then a forged CA named like the P-256 CA claiming the P-384 root (signed by a forger)",
        carried=[forged_int.cert], upload=pem_upload(d, [forged_int.cert]), anchors="ecdsa_root")
    badsig_int = CA("x", K["ec-int256"], ECI256.subject, resig(ECI256.cert, K["ec-forger384"].sign(tbs_of(ECI256.cert), "ecdsa384")))
    d = emk(el(ECI256, "ecdsa256"), "ecdsa256")
    add("ecdsa_carried_bad_int_signature", d, "PEM: leaf, then the P-256 CA with its signature replaced by a forger's",
        carried=[badsig_int.cert], upload=pem_upload(d, [badsig_int.cert]), anchors="ecdsa_root")
    r, s = rs_of(parse(ECI256.cert).kids[2].val[1:])
    d = emk(el(ECI256, "ecdsa256"), "ecdsa256")
    bad = resig(ECI256.cert, SEQ(T(0x02, b"\x00" + int_bytes(r)), INT(s)))
    add("ecdsa_carried_bad_int_signature", d, "PEM: leaf, then the P-256 CA whose ECDSA signature has a non-minimal r",
        carried=[bad], upload=pem_upload(d, [bad]), anchors="ecdsa_root")
    exp_int = eca("Test Expired ECDSA CA", K["ec-int256-d"], ECROOT, "ecdsa384", pathlen=0, nb=D(2015, 1, 1), na=D(2025, 1, 1))
    d = emk(el(exp_int, "ecdsa256"), "ecdsa256")
    add("ecdsa_carried_expired_int", d, "PEM: leaf, then its P-256 CA that expired 2025-01-01",
        carried=[exp_int.cert], upload=pem_upload(d, [exp_int.cert]), anchors="ecdsa_root")
    ee_int = make_ca("ee", K["ec-int256-e"], ca_name("Test ECDSA End Entity"), issuer=ECROOT, alg="ecdsa384", bc=None, ku=(0,),
                     extra=[EXT(O["bc"], SEQ())])
    d = emk(el(ee_int, "ecdsa256"), "ecdsa256")
    add("ecdsa_carried_not_ca", d, "PEM: leaf, then its issuer: an ECDSA end-entity certificate (cA FALSE)",
        carried=[ee_int.cert], upload=pem_upload(d, [ee_int.cert]), anchors="ecdsa_root")
    d = emk(el(ECROOT, "ecdsa384"), "ecdsa384")
    add("ecdsa_carried_leaf_under_root", d,
        "PEM: leaf issued directly by the P-384 root, with an unrelated P-256 CA carried", carried=[ECI256.cert],
        upload=pem_upload(d, [ECI256.cert]), anchors="ecdsa_root")

    # ---- signature encodings (leaf under the P-256 and P-384 CAs) ----------
    def signed(ca, alg, want=None, **kw):
        """(fields, tbs, r, s) of a fresh leaf whose signature satisfies want(r, s)."""
        for _ in range(200):
            f = el(ca, alg, **kw)
            tbs = build_tbs(f)
            r, s = rs_of(ca.key.sign(tbs, alg))
            if want is None or want(r, s):
                return f, tbs, r, s
        raise SystemExit("no signature found")

    def with_sig(f, alg, sig_bytes):
        return emk(f, alg, sig=sig_bytes)

    for ca, alg, _ in issuers[:2] + issuers[2:]:
        n = ca.key.n
        f, tbs, r, s = signed(ca, alg, lambda r, s, n=n: s <= n // 2)
        add("ecdsa_sig_high_s", with_sig(f, alg, ec_sig(r, n - s)), "%s CA: s replaced by n-s (the high-S twin of a valid low-S signature)" % ca.key.cname,
            anchors="ecdsa", **A)
    f, tbs, r, s = signed(ECI384, "ecdsa384", lambda r, s: s <= EC_ORDER["secp384r1"] // 2)
    add("ecdsa_sig_high_s", with_sig(f, "ecdsa384", ec_sig(r, EC_ORDER["secp384r1"] - s)), "P-384 CA: s replaced by n-s (high S)", anchors="ecdsa", **A)
    # high-S on the intermediate's own signature (anchors set)
    n384 = EC_ORDER["secp384r1"]
    hs_int = None
    for j in range(50):
        cand = eca("Test High-S ECDSA CA", K["ec-int256-d"], ECROOT, "ecdsa384", pathlen=0, serial=0x4800 + j)
        r_, s_ = rs_of(parse(cand.cert).kids[2].val[1:])
        if s_ <= n384 // 2:
            hs_int = CA("x", cand.key, cand.subject, resig(cand.cert, ec_sig(r_, n384 - s_)))
            break
    write_anchor("ecdsa_int_high_s", [ECROOT.cert, hs_int.cert])
    for i in range(2):
        add("ecdsa_sig_high_s", emk(el(hs_int, "ecdsa256", ku_crit=bool(i)), "ecdsa256"),
            "the P-256 CA's own signature (by the P-384 root) has s replaced by n-s (high S)", anchors="ecdsa_int_high_s", **A)

    E = dict(anchors="ecdsa")
    for ca, alg, _ in (issuers[0], issuers[2]):
        cn = ca.key.cname
        f, tbs, r, s = signed(ca, alg)
        add("ecdsa_sig_nonminimal_int", with_sig(f, alg, SEQ(T(0x02, b"\x00" + int_bytes(r)), INT(s))), "%s: r INTEGER with a superfluous leading 00" % cn, **E)
        f, tbs, r, s = signed(ca, alg)
        add("ecdsa_sig_nonminimal_int", with_sig(f, alg, SEQ(INT(r), T(0x02, b"\x00" + int_bytes(s)))), "%s: s INTEGER with a superfluous leading 00" % cn, **E)
        f, tbs, r, s = signed(ca, alg, lambda r, s: r.bit_length() % 8 == 0)
        add("ecdsa_sig_negative_int", with_sig(f, alg, SEQ(T(0x02, r.to_bytes(r.bit_length() // 8, "big")), INT(s))),
            "%s: r's top bit set and its 00 pad left out (a negative INTEGER)" % cn, **E)
        f, tbs, r, s = signed(ca, alg)
        body = INT(r) + INT(s)
        add("ecdsa_sig_trailing_bytes", with_sig(f, alg, SEQ(INT(r), INT(s)) + b"\x00"), "%s: one 00 byte after Ecdsa-Sig-Value inside the BIT STRING" % cn, **E)
        f, tbs, r, s = signed(ca, alg)
        add("ecdsa_sig_trailing_bytes", with_sig(f, alg, SEQ(INT(r), INT(s), INT(0))), "%s: a third INTEGER 0 inside Ecdsa-Sig-Value" % cn, **E)
        f, tbs, r, s = signed(ca, alg)
        body = INT(r) + INT(s)
        add("ecdsa_sig_ber_length", with_sig(f, alg, b"\x30\x81" + bytes([len(body)]) + body), "%s: Ecdsa-Sig-Value length in long form 81 xx" % cn, **E)
        f, tbs, r, s = signed(ca, alg)
        ri = int_bytes(r)
        add("ecdsa_sig_ber_length", with_sig(f, alg, SEQ(b"\x02\x81" + bytes([len(ri)]) + ri, INT(s))), "%s: r INTEGER length in long form" % cn, **E)
        f, tbs, r, s = signed(ca, alg)
        add("ecdsa_sig_ber_length", with_sig(f, alg, b"\x30\x80" + INT(r) + INT(s) + b"\x00\x00"), "%s: Ecdsa-Sig-Value with indefinite length" % cn, **E)
        f, tbs, r, s = signed(ca, alg)
        w = (ca.key.bits + 7) // 8
        add("ecdsa_sig_raw", with_sig(f, alg, r.to_bytes(w, "big") + s.to_bytes(w, "big")), "%s: r||s in the IEEE P1363 fixed-width form, not DER" % cn, **E)
        f, tbs, r, s = signed(ca, alg)
        add("ecdsa_sig_raw", with_sig(f, alg, SET(INT(r), INT(s))), "%s: r and s in a SET instead of a SEQUENCE" % cn, **E)
        f, tbs, r, s = signed(ca, alg)
        sig = SEQ(INT(r), INT(s))
        add("ecdsa_sig_raw", SEQ(tbs, ALG[alg], T(0x03, b"\x01" + sig)), "%s: signature BIT STRING claims 1 unused bit" % cn, **E)
        n = ca.key.n
        for what, rr, ss in (("r = 0", 0, None), ("s = 0", None, 0), ("r = n", n, None), ("s = n", None, n),
                             ("r + n in place of r (same value mod n)", "r+n", None), ("s + n in place of s (same value mod n)", None, "s+n"),
                             ("r = n - 1 (in range, wrong)", n - 1, None), ("r and s swapped", "s", "r")):
            f, tbs, r, s = signed(ca, alg)
            vals = {"r+n": r + n, "s+n": s + n, "s": s, "r": r}
            r2 = r if rr is None else vals.get(rr, rr)
            s2 = s if ss is None else vals.get(ss, ss)
            add("ecdsa_sig_range", with_sig(f, alg, ec_sig(r2, s2)), "%s: %s" % (cn, what), **E)
        f, tbs, r, s = signed(ca, alg)
        sig = bytearray(ec_sig(r, s))
        pos = RE.randrange(6, len(sig))
        sig[pos] ^= 1 << RE.randrange(8)
        add("ecdsa_sig_bit_flip", with_sig(f, alg, bytes(sig)), "%s: one bit of r or s flipped" % cn, **E)
        f = el(ca, alg)
        add("ecdsa_sig_empty", with_sig(f, alg, b""), "%s: empty signature BIT STRING" % cn, **E)
        f = el(ca, alg)
        add("ecdsa_sig_empty", with_sig(f, alg, SEQ()), "%s: Ecdsa-Sig-Value an empty SEQUENCE" % cn, **E)
    # wrong keys
    for ca, alg, _ in issuers:
        add("ecdsa_sig_wrong_key", emk(el(ca, alg), alg, signer=K["ec-forger"] if ca.key.curve == "secp256r1" else K["ec-forger384"]),
            "names the %s CA (issuer and AKI), signed by another key on the same curve" % ca.key.cname, **E)
    add("ecdsa_sig_wrong_key", emk(el(ECI256, "ecdsa384"), "ecdsa384", signer=ECROOT.key), "names the P-256 CA, signed by the P-384 root's key", **E)
    add("ecdsa_sig_wrong_key", emk(el(ECI256, "ecdsa256"), "ecdsa256", signer=ECI256B.key), "names one P-256 CA, signed by the other P-256 CA's key", **E)
    f = el(ECI256, "ecdsa256")
    tbs = build_tbs(f)
    sig = ECI256.key.sign(tbs + b"\x00", "ecdsa256")
    add("ecdsa_sig_wrong_key", emk(f, "ecdsa256", sig=sig), "the right key, but the signature covers other bytes", **E)

    # ---- algorithm identifiers ----------------------------------------------
    for ca, alg, _ in (issuers[0], issuers[2]):
        cn = ca.key.cname
        withnull = SEQ(OID(O["ecdsaSHA256" if alg == "ecdsa256" else "ecdsaSHA384"]), NULL)
        f = el(ca, alg)
        f["sigalg"] = withnull
        add("ecdsa_alg_null_params", emk(f, alg, outer=withnull), "%s: %s with NULL parameters, inside and outside" % (cn, EC_ALG_NAME[alg]), **E)
        f = el(ca, alg)
        f["sigalg"] = withnull
        add("ecdsa_alg_null_params", emk(f, alg), "%s: NULL parameters in the TBS algorithm only" % cn, **E)
        f = el(ca, alg)
        add("ecdsa_alg_null_params", emk(f, alg, outer=withnull), "%s: NULL parameters in the outer algorithm only" % cn, **E)
        curve_param = SEQ(OID(O["ecdsaSHA256" if alg == "ecdsa256" else "ecdsaSHA384"]), OID(O["p256"] if ca.key.curve == "secp256r1" else O["p384"]))
        f = el(ca, alg)
        f["sigalg"] = curve_param
        add("ecdsa_alg_params_garbage", emk(f, alg, outer=curve_param), "%s: the curve OID as the algorithm parameters" % cn, **E)
        f = el(ca, "ecdsa1")
        add("ecdsa_alg_sha1", emk(f, "ecdsa1"), "%s: properly signed ecdsa-with-SHA1 (inner and outer agree)" % cn, **E)
        f = el(ca, "ecdsa224")
        add("ecdsa_alg_sha224", emk(f, "ecdsa224"), "%s: properly signed ecdsa-with-SHA224" % cn, **E)
        other = "ecdsa384" if alg == "ecdsa256" else "ecdsa256"
        f = el(ca, alg)
        add("ecdsa_alg_mismatch", emk(f, alg, outer=ALG[other]), "%s: TBS says %s, outer %s; signed with the inner hash" % (cn, EC_ALG_NAME[alg], EC_ALG_NAME[other]), **E)
        f = el(ca, alg)
        add("ecdsa_alg_mismatch", emk(f, alg, outer=ALG[other], sig=ca.key.sign(build_tbs(f), other)),
            "%s: TBS says %s, outer %s; signed with the outer hash" % (cn, EC_ALG_NAME[alg], EC_ALG_NAME[other]), **E)
        f = el(ca, alg)
        f["sigalg"] = ALG["sha256"]
        add("ecdsa_alg_mismatch", emk(f, alg), "%s: TBS says sha256WithRSAEncryption, outer %s (signature ECDSA)" % (cn, EC_ALG_NAME[alg]), **E)
        f = el(ca, alg)
        add("ecdsa_alg_hash_mismatch", emk(f, alg, sig=ca.key.sign(build_tbs(f), other)),
            "%s: says %s (inner and outer) but the signature uses %s" % (cn, EC_ALG_NAME[alg], EC_ALG_NAME[other]), **E)
        f = el(ca, "sha256")
        add("ecdsa_alg_rsa_on_ec_key", emk(f, "sha256", sig=ca.key.sign(build_tbs(f), "ecdsa256")),
            "%s issuer: sha256WithRSAEncryption claimed (inside and outside), an ECDSA signature given" % cn, **E)
    f = el(mix_rsa, "ecdsa256")
    add("ecdsa_alg_ec_on_rsa_key", emk(f, "ecdsa256", sig=KEYS["mix-rsa-int"].sign(build_tbs(f), "sha256")),
        "RSA issuer (under the P-384 root): ecdsa-with-SHA256 claimed, a PKCS#1 v1.5 signature given", anchors="mixed_ec_root_rsa_int")

    # ---- CA keys the crate does not take ------------------------------------
    def odd_ca(tag, cn, key, spki=None, alg_leaf="ecdsa256", notes="", n=2, carried_too=True, root=ECROOT, root_alg="ecdsa384"):
        kk = SpkiKey(spki, key) if spki is not None else key
        ca = make_ca("x", kk, ca_name(cn), issuer=root, alg=root_alg, pathlen=0)
        aname = "ecdsa_" + tag
        write_anchor(aname, [root.cert, ca.cert])
        for i in range(n):
            add("ecdsa_ca_" + tag, emk(el(ca, alg_leaf, ku_crit=bool(i)), alg_leaf), notes + " (in the anchors)", anchors=aname)
        if carried_too:
            d = emk(el(ca, alg_leaf), alg_leaf)
            add("ecdsa_carried_ca_" + tag, d, notes + " (carried in the upload; anchors: the root only)", carried=[ca.cert],
                upload=pem_upload(d, [ca.cert]), anchors="ecdsa_root" if root is ECROOT else "test_root")
        return ca

    odd_ca("p521", "Test P-521 CA", K["ec-p521"], alg_leaf="ecdsa512", notes="CA key on P-521, leaf signed ecdsa-with-SHA512", n=3)
    odd_ca("secp256k1", "Test secp256k1 CA", K["ec-k1"], notes="CA key on secp256k1, leaf signed ecdsa-with-SHA256", n=3)
    k = ECKey("ec-explicit")
    odd_ca("explicit_params", "Test Explicit-Parameters CA", k, spki=ec_spki_explicit_p256(k.point),
           notes="P-256 CA key with explicit (specifiedCurve) domain parameters instead of the named-curve OID", n=3)
    k = ECKey("ec-compressed")
    odd_ca("compressed_point", "Test Compressed-Point CA", k, spki=SEQ(SEQ(OID(O["ecPublicKey"]), OID(O["p256"])), BIT(k.compressed)),
           notes="P-256 CA key given as a compressed point", n=3)
    k = ECKey("ec-offcurve")
    pt = bytearray(k.point)
    pt[-1] ^= 1
    odd_ca("point_off_curve", "Test Off-Curve CA", k, spki=SEQ(SEQ(OID(O["ecPublicKey"]), OID(O["p256"])), BIT(bytes(pt))),
           notes="P-256 CA key whose point is not on the curve (last byte of y changed)", n=2)
    k = ECKey("ec-noparams")
    odd_ca("params_absent", "Test No-Curve CA", k, spki=SEQ(SEQ(OID(O["ecPublicKey"])), BIT(k.point)),
           notes="EC CA key with the curve parameters left out", n=2, carried_too=False)
    k = ECKey("ec-null-params")
    odd_ca("params_null", "Test NULL-Curve CA", k, spki=SEQ(SEQ(OID(O["ecPublicKey"]), NULL), BIT(k.point)),
           notes="EC CA key with NULL as the curve parameters", n=2, carried_too=False)
    k = ECKey("ec-wrong-curve-oid")
    odd_ca("curve_mismatch", "Test Curve-Mismatch CA", k, spki=SEQ(SEQ(OID(O["ecPublicKey"]), OID(O["p384"])), BIT(k.point)),
           notes="a P-256 point labelled as a P-384 key", n=2, carried_too=False)
    # an RSA root certifying an ECDSA CA whose own signature is non-DER
    r, s = rs_of(parse(ECI256.cert).kids[2].val[1:])
    bad_int = CA("x", ECI256.key, ECI256.subject, resig(ECI256.cert, SEQ(INT(r), INT(s)) + b"\x00"))
    write_anchor("ecdsa_int_sig_trailing", [ECROOT.cert, bad_int.cert])
    for i in range(2):
        add("ecdsa_ca_sig_nonder", emk(el(bad_int, "ecdsa256", ku_crit=bool(i)), "ecdsa256"),
            "the P-256 CA's own signature has a 00 byte after Ecdsa-Sig-Value", anchors="ecdsa_int_sig_trailing")

    # ---- an EC push leaf key (the crate's profile wants RSA) ---------------
    for ca, alg, _ in issuers[:1] + issuers[2:]:
        for kk in (K["ec-leaf"], K["ec-leaf384"]):
            add("ecdsa_leaf_ec_key", emk(el(ca, alg, spki=kk.spki), alg), "%s push leaf key under the %s CA" % (kk.cname, ca.key.cname), **E)

    # ---- path constraints with ECDSA CAs ------------------------------------
    for tag, cls, kw, note in (
            ("ca_false", "ecdsa_path_int_ca_false", dict(bc="false"), "P-256 CA with basicConstraints cA FALSE"),
            ("no_keycertsign", "ecdsa_path_int_no_keycertsign", dict(ku=(0, 6), pathlen=0), "P-256 CA without keyCertSign"),
            ("expired", "ecdsa_path_int_expired", dict(pathlen=0, nb=D(2015, 1, 1), na=D(2025, 1, 1)), "P-256 CA expired 2025-01-01")):
        ca = make_ca("x", K["ec-int256-e"], ca_name("Test ECDSA CA " + tag), issuer=ECROOT, alg="ecdsa384", **kw)
        write_anchor("ecdsa_bad_" + tag, [ECROOT.cert, ca.cert])
        for i in range(2):
            add(cls, emk(el(ca, "ecdsa256", ku_crit=bool(i)), "ecdsa256"), note, anchors="ecdsa_bad_" + tag)
    for i in range(2):
        add("ecdsa_path_leaf_under_root", emk(el(ECROOT, "ecdsa384", ku_crit=bool(i)), "ecdsa384"), "leaf issued directly by the P-384 root", **E)
        add("ecdsa_path_wrong_anchors", emk(el(ECI256, "ecdsa256", ku_crit=bool(i)), "ecdsa256"), "ECDSA-issued leaf checked against the RSA test anchors")

    # ---- Apple's real ECDSA hierarchy: forgeries ---------------------------
    g3 = {}
    for nm, fn in (("root", "apple_AppleRootCA-G3.from_der.pem"), ("aai", "apple_AppleAAICAG3.from_der.pem"),
                   ("ca5", "apple_AppleApplicationIntegrationCA5G1.from_der.pem"),
                   ("ca7", "apple_AppleApplicationIntegrationCA7G1.from_der.pem")):
        path = os.path.join(SHARED_APPLE, fn)
        if os.path.exists(path):
            g3[nm] = pem_certs(open(path).read())[0]
    if len(g3) < 4 and os.path.exists(os.path.join(ANCHOR_DIR, "apple_g3.pem")):
        g3 = dict(zip(("root", "aai", "ca5", "ca7"), pem_certs(open(os.path.join(ANCHOR_DIR, "apple_g3.pem")).read())))
    if len(g3) == 4:
        write_anchor("apple_g3", [g3["root"], g3["aai"], g3["ca5"], g3["ca7"]])
        AG = dict(anchors="apple_g3")
        for nm, forger, alg in (("aai", K["ec-forger"], "ecdsa256"), ("ca5", K["ec-forger"], "ecdsa384"), ("ca7", K["ec-forger384"], "ecdsa384")):
            _, subj, _, _, exts = cert_parts(g3[nm])
            ski = parse(exts[O["ski"]]).val
            fake = type("F", (), dict(subject=subj, ski=ski, key=forger))()
            add("ecdsa_forged_apple_g3", emk(el(fake, alg), alg), "issuer name and AKI of Apple's %s copied, signed by a forger's %s key" % (
                {"aai": "Application Integration CA - G3", "ca5": "Application Integration CA 5 - G1", "ca7": "Application Integration CA 7 - G1"}[nm],
                forger.cname), **AG)
        _, rsubj, _, _, rexts = cert_parts(g3["root"])
        rski = parse(rexts[O["ski"]]).val
        _, aai_subj, _, _, _ = cert_parts(g3["aai"])
        fake_aai = make_ca("x", K["ec-forger"], aai_subj, issuer_name=rsubj, signer=K["ec-forger384"], aki_keyid=rski,
                           alg="ecdsa384", pathlen=0, na=D(2029, 1, 1))
        d = emk(el(fake_aai, "ecdsa256"), "ecdsa256")
        add("ecdsa_carried_forged_apple_g3", d, "a fake Application Integration CA - G3 (claims Apple Root CA - G3, forger-signed) carried in the upload",
            carried=[fake_aai.cert], upload=pem_upload(d, [fake_aai.cert]), **AG)
        add("ecdsa_carried_forged_apple_g3", d, "the same leaf, carrying the fake CA and the real Application Integration CA - G3",
            carried=[fake_aai.cert, g3["aai"]], upload=pem_upload(d, [fake_aai.cert, g3["aai"]]), **AG)
        fake_root = type("F", (), dict(subject=rsubj, ski=rski, key=K["ec-forger384"]))()
        add("ecdsa_forged_apple_g3", emk(el(fake_root, "ecdsa384"), "ecdsa384"), "issuer name and AKI of Apple Root CA - G3, signed by a forger", **AG)
        add("ecdsa_path_wrong_anchors", emk(el(ECI256, "ecdsa256"), "ecdsa256"), "test ECDSA leaf checked against Apple's G3 anchors", **AG)
        d = emk(el(ECI256, "ecdsa256"), "ecdsa256")
        add("ecdsa_carried_wrong_root", d, "test ECDSA leaf carrying the test P-256 CA, checked against Apple's G3 anchors",
            carried=[ECI256.cert], upload=pem_upload(d, [ECI256.cert]), **AG)
    else:
        print("Apple G3 certificates not found: ecdsa_forged_apple_g3 left out", file=sys.stderr)

    # ---- mutations of ECDSA-signed leaves, re-signed by the ECDSA issuer ----
    RM2 = random.Random(4343)
    bases = []
    plan = [(ECI256, "ecdsa256"), (ECI256B, "ecdsa384"), (ECI384, "ecdsa384"), (ECI256, "ecdsa256"), (ECI384, "ecdsa512"),
            (ECI256, "ecdsa256"), (ECI256B, "ecdsa384"), (ECI384, "ecdsa384"), (ECI256, "ecdsa512"), (ECI384, "ecdsa256")]
    for i, (ca, alg) in enumerate(plan):
        f = el(ca, alg, rng=RM2, ku_crit=bool(i % 2), notice=(i % 3 == 0), spki=LEAF_KEYS[i % 4].spki)
        if i == 5:
            u = f["u"]
            f["subject"] = leaf_subject(u, PRINT(TOPIC(u)), 2)
        bases.append((build_tbs(f), ca, alg))
    seen = set(b[0] for b in bases)
    for cls, count, fn in (("ecdsa_mutation", 70, mutate_content), ("ecdsa_mutation", 20, mutate_raw),
                           ("ecdsa_mutation_struct", 30, mutate_struct)):
        made = 0
        while made < count:
            bi = RM2.randrange(len(bases))
            tbs, ca, alg = bases[bi]
            new, d = fn(tbs, RM2)
            if new in seen:
                continue
            seen.add(new)
            add(cls, sign_cert(new, ca.key, alg), "base e%d (%s, %s): %s" % (bi, ca.key.cname, EC_ALG_NAME[alg], d), anchors="ecdsa")
            made += 1
    print("ecdsa: %d of %d natural leaf signatures in the valid classes have a high S" % (high_s_natural[1], high_s_natural[0]),
          file=sys.stderr)

# --------------------------------------------------------------------------
# Oracles
# --------------------------------------------------------------------------


def unix(d):
    return calendar.timegm(d.utctimetuple())


def rfc3339(d):
    return d.strftime("%Y-%m-%dT%H:%M:%SZ")


def clean(s):
    s = " ".join(s.replace("\t", " ").replace("\r", " ").replace("\n", " ").split())
    return (s[:117] + "...") if len(s) > 120 else (s or "-")


def write_anchors():
    os.makedirs(ANCHOR_DIR, exist_ok=True)
    for fn in os.listdir(ANCHOR_DIR):
        if fn.endswith(".pem") and fn[:-4] not in ANCHORS:
            os.remove(os.path.join(ANCHOR_DIR, fn))
    for name, certs in ANCHORS.items():
        with open(os.path.join(ANCHOR_DIR, name + ".pem"), "w", newline="\n") as fh:
            fh.write("".join(PEM(c) for c in certs))


def run_go(work):
    exe = os.path.join(work, "oracle_go")
    env = dict(os.environ, GOCACHE=os.path.join(tempfile.gettempdir(), "mdm-push-cert-diff-gocache"),
               GOPATH=os.path.join(work, "gopath"), GO111MODULE="off", CGO_ENABLED="0", GOFLAGS="")
    subprocess.run(["go", "build", "-o", exe, os.path.join(HERE, "oracle_go", "main.go")], env=env, check=True, cwd=work)
    inp = os.path.join(work, "go_cases.tsv")
    with open(inp, "w") as fh:
        for c in CASES:
            line = "%s\t%s\t%d\t%s" % (c.id, os.path.join(ANCHOR_DIR, c.anchors + ".pem"), unix(c.now),
                                        base64.b64encode(c.der).decode())
            if c.carried:  # a fifth field: the carried CA certificates, base64, comma-separated
                line += "\t" + ",".join(base64.b64encode(x).decode() for x in c.carried)
            fh.write(line + "\n")
    out = subprocess.run([exe, inp], capture_output=True, text=True, check=True).stdout
    res = {}
    for line in out.splitlines():
        i, v, r = line.split("\t", 2)
        res[i] = (v, r)
    for c in CASES:
        c.go, c.go_reason = res[c.id][0], clean(res[c.id][1])


def ossl_verdict(rc, out, err):
    if rc == 0 and out.strip().endswith(": OK"):
        return "accept", "-"
    text = out + "\n" + err
    m = re.search(r"error (\d+) at (\d+) depth lookup: ?([^\n]*)", text)
    if m:
        return "refuse", "error %s at depth %s: %s" % (m.group(1), m.group(2), m.group(3))
    m = re.search(r":error:[0-9A-Fa-f]+:([^:\n]*):([^:\n]*):([^:\n]*)", text)
    if m:
        return "refuse", "cannot load leaf: %s:%s:%s" % m.groups()
    first = next((l for l in text.splitlines() if l.strip()), "exit status %d" % rc)
    return "refuse", re.sub(r"c\d{4}\.pem", "leaf.pem", first)


def run_openssl(work):
    split = {}
    split_ints = {}
    for name, certs in ANCHORS.items():
        roots, ints = [], []
        for d in certs:
            _, subj, iss, _, _ = cert_parts(d)
            (roots if subj == iss else ints).append(d)
        rp = os.path.join(work, name + ".roots.pem")
        with open(rp, "w") as fh:
            fh.write("".join(PEM(c) for c in roots))
        ip = None
        if ints:
            ip = os.path.join(work, name + ".intermediates.pem")
            with open(ip, "w") as fh:
                fh.write("".join(PEM(c) for c in ints))
        split[name] = (rp, ip)
        split_ints[name] = ints

    def one(c):
        fn = c.id + ".pem"
        with open(os.path.join(work, fn), "w") as fh:
            fh.write(PEM(c.der))
        rp, ip = split[c.anchors]
        if c.carried:  # the anchors' intermediates, then the certificates the upload carried
            ip = os.path.join(work, c.id + ".untrusted.pem")
            with open(ip, "w") as fh:
                fh.write("".join(PEM(x) for x in split_ints[c.anchors] + c.carried))
        cmd = ["openssl", "verify", "-x509_strict", "-purpose", "sslclient", "-attime", str(unix(c.now)), "-CAfile", rp]
        if ip:
            cmd += ["-untrusted", ip]
        cmd.append(fn)
        p = subprocess.run(cmd, capture_output=True, text=True, errors="replace", cwd=work)
        v, r = ossl_verdict(p.returncode, p.stdout, p.stderr)
        return v, r

    with ThreadPoolExecutor(max_workers=2) as ex:
        for c, (v, r) in zip(CASES, ex.map(one, CASES)):
            c.ossl, c.ossl_reason = v, clean(r)

# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------


def write_tsv():
    with open(TSV_PATH, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(HEADER + "\n")
        for c in CASES:
            row = [c.id, c.cls, c.anchors, rfc3339(c.now), c.go, c.go_reason, c.ossl, c.ossl_reason,
                   c.profile, c.note, base64.b64encode(c.der if c.upload is None else c.upload).decode()]
            assert all("\t" not in x and "\n" not in x for x in row), row
            fh.write("\t".join(row) + "\n")


def family(cls):
    for pre, fam in (("valid_", "valid"), ("version_", "version"), ("sigalg_", "signature_algorithm"),
                     ("critical_", "critical_extensions"), ("malformed_ext_", "malformed_extensions"),
                     ("usage_", "key_usage/eku"), ("profile_", "push_profile"), ("names_", "names"),
                     ("serial_", "serials"), ("time_", "times"), ("key_", "keys"), ("path_", "path_constraints"),
                     ("forged_apple", "forged_apple"), ("apple_", "forged_apple"), ("encoding_", "encoding"),
                     ("mutation", "mutation"), ("ecdsa_", "ecdsa")):
        if cls.startswith(pre):
            return fam
    return "other"


def counts_table():
    rows = {}
    order = []
    for c in CASES:
        if c.cls not in rows:
            rows[c.cls] = [0, 0, 0, 0, 0]
            order.append(c.cls)
        r = rows[c.cls]
        r[0] += 1
        r[1] += c.go == "accept"
        r[2] += c.ossl == "accept"
        r[3] += c.go == "accept" and c.ossl == "accept"
        r[4] += c.go != c.ossl
    lines = ["| family | class | cases | Go accepts | OpenSSL accepts | both accept | oracles disagree |",
             "|---|---|---:|---:|---:|---:|---:|"]
    tot = [0] * 5
    for cls in order:
        r = rows[cls]
        lines.append("| %s | `%s` | %d | %d | %d | %d | %d |" % (family(cls), cls, *r))
        tot = [a + b for a, b in zip(tot, r)]
    lines.append("| **total** | | %d | %d | %d | %d | %d |" % tuple(tot))
    return "\n".join(lines), rows


def update_readme(table):
    begin, end = "<!-- counts:begin -->", "<!-- counts:end -->"
    if not os.path.exists(README_PATH):
        text = "# Differential certificate corpus\n\n%s\n%s\n" % (begin, end)
    else:
        text = open(README_PATH, encoding="utf-8").read()
    if begin not in text:
        text += "\n%s\n%s\n" % (begin, end)
    pre, rest = text.split(begin, 1)
    _, post = rest.split(end, 1)
    with open(README_PATH, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(pre + begin + "\n" + table + "\n" + end + post)


def sanity(rows):
    problems = []
    by = lambda cls: [c for c in CASES if c.cls == cls]
    both = lambda c: c.go == "accept" and c.ossl == "accept"
    neither = lambda c: c.go == "refuse" and c.ossl == "refuse"
    if not both(by("valid_baseline")[0]):
        problems.append("plain valid leaf not accepted by both oracles")
    for cls in ("path_ee_as_intermediate", "path_ee_no_bc_as_intermediate", "forged_apple_issuer_copy",
                "forged_apple_fake_aai2", "forged_apple_root_issuer", "forged_apple_tampered_nanomdm",
                "forged_apple_resigned_nanomdm", "path_forged_int_in_anchors"):
        for c in by(cls):
            if not neither(c):
                problems.append("%s %s not refused by both" % (c.id, cls))
    if not both(by("apple_nanomdm_in_validity")[0]):
        problems.append("nanomdm's certificate not accepted by both inside its validity")
    if len(CASES) < 1100:
        problems.append("only %d cases" % len(CASES))
    if sum(both(c) for c in CASES) < 150:
        problems.append("fewer than 150 cases accepted by both")
    if sum(c.cls == "mutation" or c.cls == "mutation_struct" for c in CASES) < 500:
        problems.append("fewer than 500 mutations")
    ecdsa = [c for c in CASES if c.cls.startswith("ecdsa_")]
    if len(ecdsa) < 150:
        problems.append("only %d ecdsa_ cases" % len(ecdsa))
    for cls in ("ecdsa_valid_p256_sha256", "ecdsa_valid_p256_sha384", "ecdsa_valid_p384_sha384", "ecdsa_carried_valid",
                "ecdsa_mixed_rsa_root", "ecdsa_mixed_ec_root"):
        if not by(cls) or not both(by(cls)[0]):
            problems.append("%s: first case not accepted by both oracles" % cls)
    for cls in ("ecdsa_forged_apple_g3", "ecdsa_carried_forged_apple_g3", "ecdsa_carried_forged_int", "ecdsa_sig_wrong_key", "ecdsa_carried_wrong_root"):
        for c in by(cls):
            if not neither(c):
                problems.append("%s %s not refused by both" % (c.id, cls))
    return problems


def main():
    t0 = time.time()
    setup_pki()
    load_apple()
    setup_two_level()
    valid_cases()
    version_cases()
    sigalg_cases()
    critical_cases()
    malformed_ext_cases()
    usage_cases()
    profile_cases()
    names_cases()
    serial_cases()
    time_cases()
    key_cases()
    path_cases()
    apple_cases()
    encoding_cases()
    mutation_cases()
    ecdsa_cases()
    assert len(ANCHORS) < 60
    ids = set()
    for c in CASES:
        assert c.id not in ids
        ids.add(c.id)
        # a PEM upload with CA certificates beside the leaf is an ecdsa_carried_* case
        assert (c.upload is None) == (not c.cls.startswith("ecdsa_carried_")), (c.id, c.cls)
    write_anchors()
    print("built %d cases, %d anchor sets: %.1fs" % (len(CASES), len(ANCHORS), time.time() - t0), file=sys.stderr)
    work = tempfile.mkdtemp(prefix="mdm-push-cert-diff-")
    try:
        t = time.time()
        run_go(work)
        print("go oracle: %.1fs" % (time.time() - t), file=sys.stderr)
        t = time.time()
        run_openssl(work)
        print("openssl oracle: %.1fs" % (time.time() - t), file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    write_tsv()
    table, rows = counts_table()
    update_readme(table)
    both = sum(c.go == "accept" and c.ossl == "accept" for c in CASES)
    dis = sum(c.go != c.ossl for c in CASES)
    print("%d cases, %d accepted by both, %d disagreements; total %.1fs" % (len(CASES), both, dis, time.time() - t0), file=sys.stderr)
    problems = sanity(rows)
    for p in problems:
        print("SANITY: " + p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
