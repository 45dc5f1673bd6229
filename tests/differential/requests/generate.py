#!/usr/bin/env python3
"""Builds the signedCSR differential corpus: cases.tsv and anchors/*.pem.

Run from any directory:  python3 tests/differential/requests/generate.py
Needs python3 with `cryptography` (>= 44), `openssl` (3.x) and `go` on PATH
(or /usr/bin/go). Everything is written next to this file; scratch files and
the Go oracle binary go to a temporary directory under /tmp.

All keys are derived from fixed labels and every signature is deterministic
(RSA PKCS#1 v1.5, RFC 6979 ECDSA), so a rerun with the same tool versions
writes byte-identical output. See README.md for what the columns mean.

Environment:
  MDM_DIFF_REALWORLD  folder with apple-ca/ (default ../shared/realworld beside the repository);
                      only Apple's CA certificates are read from it. When
                      missing, the apple_real class is left out.
  MDM_DIFF_LITERAL=1  verdict by the brief's formula only, without the
                      policy checks (strict XML reading, chain length, ...).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import math
import os
import plistlib
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID, ObjectIdentifier

HERE = Path(__file__).resolve().parent
REALWORLD = Path(os.environ.get(
    "MDM_DIFF_REALWORLD",
    Path(__file__).resolve().parents[3] / ".." / "shared" / "realworld"))
LITERAL = os.environ.get("MDM_DIFF_LITERAL") == "1"
MAX_FILE = 262_144  # the crate's MAX_INPUT_LEN (256 KiB)
MAX_CHAIN = 8  # the crate's MAX_CHAIN_LEN
MARKER_OID = ObjectIdentifier("1.2.840.113635.100.4.12")
WWDR_MARKER_OID = ObjectIdentifier("1.2.840.113635.100.6.2.1")
KEYS = ("PushCertRequestCSR", "PushCertCertificateChain", "PushCertSignature")
NOW = "2026-06-01T00:00:00Z"
HEADER = (
    "id\tclass\tanchors\tnow\tform\tplist\tplist_reason\tcsr_sha256\tsig_sha256\t"
    "chain_sha256\tcsr\tsignature\tchain_openssl\tchain_go\tmarker\tverdict\tnote\tdata_b64"
)
DECL = '<?xml version="1.0" encoding="UTF-8"?>'
DOCTYPE = (
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" '
    '"http://www.apple.com/DTDs/PropertyList-1.0.dtd">'
)


def utc(s: str) -> dt.datetime:
    return dt.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)


def d(y: int, m: int = 1, day: int = 1) -> dt.datetime:
    return dt.datetime(y, m, day, tzinfo=dt.timezone.utc)


# --------------------------------------------------------------------------
# Deterministic keys
# --------------------------------------------------------------------------

_SMALL_PRIMES = [p for p in range(3, 4000) if all(p % q for q in range(2, int(p**0.5) + 1))]


def _probable_prime(n: int, rng: random.Random) -> bool:
    if any(n % p == 0 for p in _SMALL_PRIMES):
        return n in _SMALL_PRIMES
    r, s = 0, n - 1
    while s % 2 == 0:
        r, s = r + 1, s // 2
    for _ in range(24):
        a = rng.randrange(2, n - 2)
        x = pow(a, s, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _prime(bits: int, rng: random.Random, e: int) -> int:
    while True:
        c = rng.getrandbits(bits) | (3 << (bits - 2)) | 1
        if (c - 1) % e and _probable_prime(c, rng):
            return c


_KEYS: dict[str, object] = {}


def rsa_key(label: str, bits: int = 2048) -> rsa.RSAPrivateKey:
    """An RSA key derived from `label` (same label, same key, every run)."""
    name = f"rsa{bits}:{label}"
    if name not in _KEYS:
        rng = random.Random(hashlib.sha256(name.encode()).digest())
        e = 65537
        while True:
            p, q = _prime(bits // 2, rng, e), _prime(bits // 2, rng, e)
            if p != q and (p * q).bit_length() == bits:
                break
        if p < q:
            p, q = q, p
        dd = pow(e, -1, math.lcm(p - 1, q - 1))
        pub = rsa.RSAPublicNumbers(e, p * q)
        _KEYS[name] = rsa.RSAPrivateNumbers(
            p, q, dd, rsa.rsa_crt_dmp1(dd, p), rsa.rsa_crt_dmq1(dd, q),
            rsa.rsa_crt_iqmp(p, q), pub,
        ).private_key()
    return _KEYS[name]


def ec_key(label: str, curve=ec.SECP256R1) -> ec.EllipticCurvePrivateKey:
    name = f"ec:{curve.name}:{label}"
    if name not in _KEYS:
        c = curve()
        order = {
            "secp256r1": 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
            "secp384r1": int(
                "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973", 16
            ),
        }[c.name]
        v = int.from_bytes(hashlib.sha512(name.encode()).digest(), "big") % (order - 1) + 1
        _KEYS[name] = ec.derive_private_key(v, c)
    return _KEYS[name]


def sign_bytes(key, data: bytes, algo=hashes.SHA256()) -> bytes:
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), algo)
    return key.sign(data, ec.ECDSA(algo, deterministic_signing=True))


# --------------------------------------------------------------------------
# Certificates and requests
# --------------------------------------------------------------------------


def name(*pairs) -> x509.Name:
    oids = {"C": NameOID.COUNTRY_NAME, "O": NameOID.ORGANIZATION_NAME,
            "OU": NameOID.ORGANIZATIONAL_UNIT_NAME, "CN": NameOID.COMMON_NAME,
            "UID": NameOID.USER_ID, "E": NameOID.EMAIL_ADDRESS}
    return x509.Name([x509.NameAttribute(oids[k], v) for k, v in pairs])


ROOT_NAME = name(("C", "US"), ("O", "Test Inc."), ("OU", "Test Certification Authority"), ("CN", "Test Root CA"))
WWDR_NAME = name(("CN", "Test Worldwide Developer Relations Certification Authority"), ("OU", "G3"),
                 ("O", "Test Inc."), ("C", "US"))
VENDOR_NAME = name(("UID", "TESTTEAM01"), ("CN", "MDM Vendor: Example Vendor"), ("OU", "TESTTEAM01"),
                   ("O", "Example Vendor"), ("C", "US"))


def ku(**flags) -> x509.KeyUsage:
    base = dict(digital_signature=False, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False,
                crl_sign=False, encipher_only=False, decipher_only=False)
    base.update(flags)
    return x509.KeyUsage(**base)


_SERIAL = [0x1000]


def cert(subject: x509.Name, issuer: x509.Name, pub, signer, nb: dt.datetime, na: dt.datetime,
         exts: list, algo=hashes.SHA256(), ski=True, aki_key=None) -> bytes:
    """A certificate's DER. `aki_key`: the issuer's public key for the AKI (None: no AKI)."""
    _SERIAL[0] += 1
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(pub)
         .serial_number(_SERIAL[0] * 0x10001 + 0x5A5A).not_valid_before(nb).not_valid_after(na))
    for ext, critical in exts:
        b = b.add_extension(ext, critical=critical)
    if ski:
        b = b.add_extension(x509.SubjectKeyIdentifier.from_public_key(pub), critical=False)
    if aki_key is not None:
        b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(aki_key), critical=False)
    kw = {"ecdsa_deterministic": True} if isinstance(signer, ec.EllipticCurvePrivateKey) else {}
    if isinstance(algo, hashes.SHA1):  # cryptography no longer signs with SHA-1: patch and re-sign
        return resign_sha1(b.sign(signer, hashes.SHA256()).public_bytes(serialization.Encoding.DER), signer)
    return b.sign(signer, algo, **kw).public_bytes(serialization.Encoding.DER)


ALG_SHA256_RSA = bytes.fromhex("300d06092a864886f70d01010b0500")
ALG_SHA1_RSA = bytes.fromhex("300d06092a864886f70d0101050500")


def resign_sha1(der: bytes, key: rsa.RSAPrivateKey) -> bytes:
    """A sha256WithRSA certificate or CSR turned into a sha1WithRSA one, re-signed by `key`."""
    tbs, alg, _ = split_signed(der)
    assert alg == ALG_SHA256_RSA
    tbs = tbs.replace(ALG_SHA256_RSA, ALG_SHA1_RSA, 1)  # certificates repeat the algorithm inside
    return join_signed(tbs, ALG_SHA1_RSA, key.sign(tbs, padding.PKCS1v15(), hashes.SHA1()))


def ca_exts(pathlen=None, ca=True, key_cert_sign=True, bc=True, wwdr_marker=False):
    out = []
    if bc:
        out.append((x509.BasicConstraints(ca=ca, path_length=pathlen if ca else None), True))
    out.append((ku(key_cert_sign=key_cert_sign, crl_sign=True, digital_signature=not key_cert_sign), True))
    if wwdr_marker:
        out.append((x509.UnrecognizedExtension(WWDR_MARKER_OID, b"\x05\x00"), False))
    return out


def vendor_exts(marker=True, marker_critical=False, extra=()):
    out = [(x509.BasicConstraints(ca=False, path_length=None), True),
           (ku(digital_signature=True), True)]
    if marker:
        out.append((x509.UnrecognizedExtension(MARKER_OID, b"\x05\x00"), marker_critical))
    out.extend(extra)
    return out


def csr(key, cn="microMDM-user", email="admin@example.com", algo=hashes.SHA256()) -> bytes:
    subj = name(("C", "US"), ("CN", cn), ("E", email))
    kw = {"ecdsa_deterministic": True} if isinstance(key, ec.EllipticCurvePrivateKey) else {}
    if isinstance(algo, hashes.SHA1):
        return resign_sha1(csr(key, cn, email), key)
    return (x509.CertificateSigningRequestBuilder().subject_name(subj)
            .sign(key, algo, **kw).public_bytes(serialization.Encoding.DER))


def pem(der: bytes, label="CERTIFICATE", width=64) -> str:
    b = base64.b64encode(der).decode()
    lines = [b[i:i + width] for i in range(0, len(b), width)] or [""]
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n"


def load_pem_file(path: Path) -> list[bytes]:
    return [c.public_bytes(serialization.Encoding.DER)
            for c in x509.load_pem_x509_certificates(path.read_bytes())]


# --------------------------------------------------------------------------
# DER helpers (for mutations and the trailing-bytes check)
# --------------------------------------------------------------------------


def tlv(data: bytes, off: int = 0):
    """(tag, header_len, content_len) of the TLV at `off`; raises ValueError."""
    if off + 2 > len(data):
        raise ValueError("short")
    tag, first = data[off], data[off + 1]
    if first < 0x80:
        return tag, 2, first
    n = first & 0x7F
    if n == 0 or n > 4 or off + 2 + n > len(data):
        raise ValueError("bad length")
    return tag, 2 + n, int.from_bytes(data[off + 2:off + 2 + n], "big")


def enc_len(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def der_total(data: bytes) -> int | None:
    try:
        _, h, n = tlv(data)
        return h + n
    except ValueError:
        return None


def split_signed(der: bytes):
    """(tbs, algid, sigbits) of a SEQUENCE{tbs, algid, BIT STRING}."""
    _, h, _ = tlv(der)
    off = h
    parts = []
    for _ in range(3):
        _, hh, n = tlv(der, off)
        parts.append(der[off:off + hh + n])
        off += hh + n
    return parts


def join_signed(tbs: bytes, algid: bytes, sig: bytes) -> bytes:
    bits = b"\x03" + enc_len(len(sig) + 1) + b"\x00" + sig
    body = tbs + algid + bits
    return b"\x30" + enc_len(len(body)) + body


# --------------------------------------------------------------------------
# The signedCSR XML
# --------------------------------------------------------------------------


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def wrap(s: str, width: int, indent: str = "", nl: str = "\n") -> str:
    return nl.join(indent + s[i:i + width] for i in range(0, len(s), width))


@dataclass
class Parts:
    csr: bytes
    chain: list[bytes]
    sig: bytes
    csr_text: str | None = None
    chain_text: str | None = None
    sig_text: str | None = None

    def texts(self):
        return (self.csr_text if self.csr_text is not None else b64(self.csr),
                self.chain_text if self.chain_text is not None else "".join(pem(c) for c in self.chain),
                self.sig_text if self.sig_text is not None else b64(self.sig))


def build_xml(p: Parts, order=("PushCertCertificateChain", "PushCertRequestCSR", "PushCertSignature"),
              decl=DECL, doctype=DOCTYPE, dict_indent="", entry_indent="  ", nl="\n",
              extra_entries: str = "") -> str:
    csr_t, chain_t, sig_t = p.texts()
    values = {"PushCertRequestCSR": csr_t, "PushCertCertificateChain": chain_t, "PushCertSignature": sig_t}
    lines = []
    if decl is not None:
        lines.append(decl)
    if doctype is not None:
        lines.append(doctype)
    lines.append('<plist version="1.0">')
    lines.append(f"{dict_indent}<dict>")
    for k in order:
        lines.append(f"{entry_indent}<key>{k}</key>")
        lines.append(f"{entry_indent}<string>{values[k]}</string>")
    if extra_entries:
        lines.append(extra_entries)
    lines.append(f"{dict_indent}</dict>")
    lines.append("</plist>")
    return ("\n".join(lines) + "\n").replace("\n", nl)


def upload(xml: bytes | str, width: int | None = None, nl: str = "\n", trailing: bool = False) -> bytes:
    if isinstance(xml, str):
        xml = xml.encode("utf-8")
    s = b64(xml)
    if width:
        s = wrap(s, width, nl=nl)
    if trailing:
        s += nl
    return s.encode()


# --------------------------------------------------------------------------
# Case list
# --------------------------------------------------------------------------


@dataclass
class Case:
    cls: str
    data: bytes
    form: str  # "b64" or "xml"
    note: str
    anchors: str = "test"
    now: str = NOW
    out: dict = field(default_factory=dict)


CASES: list[Case] = []


def add(cls: str, xml_or_data, note: str, form: str = "b64", anchors: str = "test", now: str = NOW):
    if isinstance(xml_or_data, str):
        xml_or_data = xml_or_data.encode("utf-8")
    data = upload(xml_or_data) if form == "b64" else xml_or_data
    assert len(data) < MAX_FILE, (note, len(data))
    CASES.append(Case(cls, data, form, note, anchors, now))


def add_raw(cls: str, data: bytes, form: str, note: str, anchors="test", now=NOW):
    assert len(data) < MAX_FILE, (note, len(data))
    CASES.append(Case(cls, data, form, note, anchors, now))


class PKI:
    """The test PKI and the Apple CAs."""

    def __init__(self):
        self.root_key = rsa_key("test-root")
        self.wwdr_key = rsa_key("test-wwdr-g3")
        self.vendor_key = rsa_key("test-vendor")
        self.root = cert(ROOT_NAME, ROOT_NAME, self.root_key.public_key(), self.root_key, d(2020), d(2045),
                         ca_exts(), aki_key=self.root_key.public_key())
        self.wwdr = cert(WWDR_NAME, ROOT_NAME, self.wwdr_key.public_key(), self.root_key, d(2020, 2, 19),
                         d(2035), ca_exts(pathlen=0, wwdr_marker=True), aki_key=self.root_key.public_key())
        self.vendor = self.vendor_cert()
        self.cust_key = rsa_key("customer-a")
        self.cust_key_b = rsa_key("customer-b")
        self.csr = csr(self.cust_key)
        self.csr_b = csr(self.cust_key_b, email="renewal@example.com")

    def vendor_cert(self, key=None, subject=VENDOR_NAME, issuer=WWDR_NAME, signer=None, nb=d(2025, 6, 1),
                    na=d(2027, 6, 1), exts=None, algo=hashes.SHA256(), aki=True, issuer_pub=None):
        key_pub = (key or self.vendor_key).public_key()
        signer = signer or self.wwdr_key
        aki_key = (issuer_pub or signer.public_key()) if aki else None
        return cert(subject, issuer, key_pub, signer, nb, na,
                    vendor_exts() if exts is None else exts, algo=algo, aki_key=aki_key)

    def parts(self, chain=None, csr_der=None, vendor_key=None, algo=hashes.SHA256()) -> Parts:
        csr_der = csr_der or self.csr
        chain = [self.vendor, self.wwdr, self.root] if chain is None else chain
        return Parts(csr_der, chain, sign_bytes(vendor_key or self.vendor_key, csr_der, algo))


# --------------------------------------------------------------------------
# valid
# --------------------------------------------------------------------------


def charrefs(s: str, rng: random.Random, every: int = 7) -> str:
    out = []
    for i, ch in enumerate(s):
        if i % every == 3:
            out.append(f"&#{ord(ch)};" if rng.random() < 0.5 else f"&#x{ord(ch):X};")
        else:
            out.append(ch)
    return "".join(out)


def valid_cases(k: PKI):
    p = k.parts()
    canon = build_xml(p)
    add("valid", canon, "canonical layout (vendor, WWDR, root; SHA-256 signature), upload form")
    add("valid", canon, "canonical layout, raw XML", form="xml")
    add("valid", build_xml(p, nl="\r\n"), "CRLF line ends everywhere, PEM included")
    add("valid", build_xml(p, nl="\r\n"), "CRLF line ends, raw XML", form="xml")
    add("valid", build_xml(p, doctype=None), "no DOCTYPE")
    add("valid", build_xml(p, decl=None), "no XML declaration (DOCTYPE first)")
    add("valid", build_xml(p, decl=None, doctype=None), "no XML declaration, no DOCTYPE: starts with <plist>")
    add("valid", "\ufeff" + canon, "UTF-8 BOM before the XML declaration")
    add("valid", "\ufeff" + canon, "UTF-8 BOM, raw XML", form="xml")
    add("valid", build_xml(p, decl="<?xml version='1.0' encoding='UTF-8'?>"), "XML declaration with single quotes")
    add("valid", build_xml(p, decl='<?xml version="1.0" encoding="utf-8"?>'), "encoding name in lower case")
    add("valid", build_xml(p, decl='<?xml version="1.0"?>'), "XML declaration without encoding")
    add("valid", build_xml(p, decl='<?xml version="1.0" encoding="UTF-8" standalone="no"?>'),
        "XML declaration with standalone=\"no\"")
    import itertools
    for order in itertools.permutations(KEYS):
        if order == ("PushCertCertificateChain", "PushCertRequestCSR", "PushCertSignature"):
            continue
        add("valid", build_xml(p, order=order), "keys in order " + ", ".join(order))
    csr_t, chain_t, sig_t = p.texts()
    w64 = Parts(p.csr, p.chain, p.sig, csr_text="\n" + wrap(csr_t, 64, "    ") + "\n  ",
                sig_text="\n" + wrap(sig_t, 64, "    ") + "\n  ")
    add("valid", build_xml(w64), "CSR and signature base64 wrapped at 64 columns, indented with spaces")
    w76 = Parts(p.csr, p.chain, p.sig, csr_text="\n" + wrap(csr_t, 76, "\t\t") + "\n\t",
                sig_text="\n" + wrap(sig_t, 76, "\t\t") + "\n\t",
                chain_text="".join(pem(c, width=76) for c in p.chain))
    add("valid", build_xml(w76, entry_indent="\t"), "base64 wrapped at 76 columns indented with tabs; PEM at 76 columns")
    add("valid", build_xml(w64, nl="\r\n"), "wrapped at 64 columns with CRLF line ends")
    add("valid", build_xml(p, dict_indent="  ", entry_indent="    "), "abacus-style indentation (dict indented)")
    compact = build_xml(p).replace("\n  <", "<").replace(">\n<", "><")
    add("valid", compact, "compact: no white space between elements")
    add("valid", build_xml(k.parts(chain=[k.vendor, k.wwdr])), "chain vendor + WWDR, no root")
    add("valid", build_xml(k.parts(chain=[k.vendor])), "chain holds the vendor certificate only (anchors complete it)")
    add("valid", build_xml(k.parts(algo=hashes.SHA1())), "SHA-1 vendor signature (pre-2021 files)")
    add("valid", build_xml(k.parts(chain=[k.vendor], algo=hashes.SHA1())), "SHA-1 signature, vendor-only chain")
    add("valid", build_xml(k.parts(csr_der=k.csr_b)), "second customer key (renewal request)")
    rng = random.Random(65)
    cr = Parts(p.csr, p.chain, p.sig, csr_text=charrefs(csr_t, rng), sig_text=charrefs(sig_t, rng, 11))
    add("valid", build_xml(cr), "character references (&#65; / &#x41;) inside the CSR and signature base64")
    cr2 = Parts(p.csr, p.chain, p.sig, chain_text=charrefs(chain_t, rng, 13))
    add("valid", build_xml(cr2), "character references inside the PEM chain")
    keyref = build_xml(p).replace("<key>PushCertRequestCSR</key>", "<key>Push&#67;ert&#x52;equestCSR</key>")
    add("valid", keyref, "character references inside a key name")
    nlref = Parts(p.csr, p.chain, p.sig, csr_text=wrap(csr_t, 64, nl="&#10;"))
    add("valid", build_xml(nlref), "CSR base64 split by &#10; character references")
    com = build_xml(p)
    com = com.replace(DECL + "\n", DECL + "\n<!-- generated by a test -->\n")
    com = com.replace("<dict>\n", "<dict>\n  <!-- the chain -->\n")
    com = com.replace("</string>\n  <key>PushCertSignature", "</string>\n  <!-- the signature follows -->\n  <key>PushCertSignature")
    com = com.replace("</plist>\n", "</plist>\n<!-- trailing comment -->\n")
    add("valid", com, "comments in the prolog, between dict entries and after the root")
    add_raw("valid", upload(canon, 64), "b64", "upload form wrapped at 64 columns (LF)")
    add_raw("valid", upload(canon, 76, "\r\n", trailing=True), "b64", "upload form wrapped at 76 columns, CRLF, trailing newline")
    add_raw("valid", upload(canon, trailing=True), "b64", "upload form with a trailing newline")
    add_raw("valid", b"  \n" + upload(canon, 64) + b"\n\n", "b64", "upload form with white space around it")
    add("valid", build_xml(k.parts(chain=[k.vendor, k.root, k.wwdr])), "chain vendor, root, WWDR (intermediates out of order)")
    big = Parts(p.csr, p.chain, p.sig, chain_text="\n" + "".join(pem(c) for c in p.chain) + "  ")
    add("valid", build_xml(big), "white space before and after the PEM text")


# --------------------------------------------------------------------------
# xml_attacks
# --------------------------------------------------------------------------


def xml_attack_cases(k: PKI):
    p = k.parts()
    canon = build_xml(p)
    csr_t, chain_t, sig_t = p.texts()
    A = lambda xml, note, **kw: add("xml_attacks", xml, note, **kw)
    CSR_OPEN = "<key>PushCertRequestCSR</key>\n  <string>"
    SIG_OPEN = "<key>PushCertSignature</key>\n  <string>"
    assert CSR_OPEN in canon and SIG_OPEN in canon
    half = len(csr_t) // 2

    # DOCTYPE and entities
    dt_int = DOCTYPE[:-1] + " [\n  <!ELEMENT plist ANY>\n]>"
    A(canon.replace(DOCTYPE, dt_int), "DOCTYPE with an internal subset (element declaration only)")
    A(canon.replace(DOCTYPE, '<!DOCTYPE plist [\n]>'), "DOCTYPE with an empty internal subset")
    ent = DOCTYPE[:-1] + ' [\n  <!ENTITY e "QUFB">\n]>'
    A(canon.replace(DOCTYPE, ent).replace(CSR_OPEN + csr_t[:half], CSR_OPEN + csr_t[:half] + "&e;"),
      "internal entity <!ENTITY e \"QUFB\"> referenced inside the CSR string")
    A(canon.replace(DOCTYPE, ent), "internal entity declared but never referenced")
    ent2 = '<!DOCTYPE plist [\n  <!ENTITY csr "' + csr_t + '">\n]>'
    A(canon.replace(DOCTYPE, ent2).replace(CSR_OPEN + csr_t, CSR_OPEN + "&csr;"),
      "whole CSR value supplied by an internal entity (the expanded string is the real CSR)")
    xxe = '<!DOCTYPE plist [\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>'
    A(canon.replace(DOCTYPE, xxe).replace(SIG_OPEN + sig_t, SIG_OPEN + "&xxe;"),
      "external entity SYSTEM file:///etc/passwd as the signature")
    pe = '<!DOCTYPE plist [\n  <!ENTITY % pe SYSTEM "http://127.0.0.1:9/x.dtd">\n  %pe;\n]>'
    A(canon.replace(DOCTYPE, pe), "external parameter entity in the internal subset")
    lol = '<!DOCTYPE plist [\n  <!ENTITY a "AAAA">\n  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">\n  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">\n]>'
    A(canon.replace(DOCTYPE, lol).replace("<dict>", "<dict>\n  <!-- &c; -->"), "nested entity declarations (billion-laughs shape, small)")
    A(canon.replace(CSR_OPEN + csr_t[:half], CSR_OPEN + csr_t[:half] + "&undefined;"),
      "undefined entity reference inside the CSR string (external DOCTYPE present)")
    A(build_xml(p, doctype=None).replace(CSR_OPEN + csr_t[:half], CSR_OPEN + csr_t[:half] + "&undefined;"),
      "undefined entity reference inside the CSR string, no DOCTYPE")
    A(canon.replace(CSR_OPEN + csr_t[:half], CSR_OPEN + csr_t[:half] + "&amp;"),
      "predefined entity &amp; inside the CSR base64 (not base64)")
    A(canon.replace(SIG_OPEN, SIG_OPEN + "&lt;&gt;&quot;&apos;"), "the other four predefined entities before the signature base64")
    # CDATA
    A(canon.replace(CSR_OPEN + csr_t, CSR_OPEN + "<![CDATA[" + csr_t + "]]>"), "CDATA section holding the CSR base64")
    A(canon.replace(CSR_OPEN + csr_t, CSR_OPEN + csr_t[:half] + "<![CDATA[" + csr_t[half:] + "]]>"),
      "CDATA section holding the second half of the CSR base64")
    A(canon.replace(CSR_OPEN + csr_t, CSR_OPEN + csr_t[:half] + "<![CDATA[]]>" + csr_t[half:]),
      "empty CDATA section splitting the CSR base64")
    A(canon.replace("<string>-----BEGIN", "<string><![CDATA[-----BEGIN", 1).replace("-----\n</string>", "-----\n]]></string>", 1),
      "CDATA section holding the whole PEM chain")
    # processing instructions and declarations
    A(canon.replace(DECL + "\n", DECL + "\n<?foo bar?>\n"), "processing instruction <?foo bar?> in the prolog")
    A(canon.replace("<dict>\n", "<dict>\n  <?foo bar?>\n"), "processing instruction inside the dict")
    A(canon.replace(CSR_OPEN + csr_t, CSR_OPEN + csr_t[:half] + "<?foo bar?>" + csr_t[half:]),
      "processing instruction splitting the CSR base64")
    A(canon.replace("</plist>\n", "</plist>\n<?foo bar?>\n"), "processing instruction after the root element")
    A(canon.replace(DECL + "\n", DECL + "\n" + DECL + "\n"), "second XML declaration right after the first")
    A(canon.replace("<dict>\n", "<dict>\n" + DECL + "\n"), "second XML declaration inside the dict")
    A(canon.replace(DECL, '<?xml version="2.0"?>'), "XML declaration version=\"2.0\"")
    A(canon.replace(DECL, '<?xml version="1.1" encoding="UTF-8"?>'), "XML declaration version=\"1.1\"")
    A(canon.replace(DECL, '<?xml encoding="UTF-8"?>'), "XML declaration without version")
    A(canon.replace(DECL, "<?xml version='1.0' encoding=\"UTF-16\"?>"), "declares UTF-16 while the bytes are UTF-8")
    A(canon.replace(DECL, '<?xml version="1.0" encoding="ISO-8859-1"?>'), "declares ISO-8859-1 (content is ASCII)")
    A(canon.replace(DECL, '<?xml version="1.0" encoding="UTF-8">'), "XML declaration missing its ?>")
    A(canon.replace(DECL, '<?xml version="1.0" encoding="UTF-8"'), "XML declaration not closed at all")
    A("  \n" + canon, "white space before the XML declaration")
    A("\n" + canon, "a newline before the XML declaration", form="xml")
    A(canon.replace(DECL, '<?XML version="1.0" encoding="UTF-8"?>'), "upper-case <?XML declaration")
    A(canon.replace(DECL, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'),
      "standalone=\"yes\" with an external DOCTYPE")
    # keys
    dup_same = f"  <key>PushCertSignature</key>\n  <string>{sig_t}</string>"
    A(build_xml(p, extra_entries=dup_same), "duplicate PushCertSignature key, same value")
    other_sig = b64(sign_bytes(rsa_key("attacker"), p.csr))
    A(build_xml(p, extra_entries=f"  <key>PushCertSignature</key>\n  <string>{other_sig}</string>"),
      "duplicate PushCertSignature key, second value a wrong signature (last wins in plistlib)")
    first_bad = build_xml(p).replace("<dict>\n", f"<dict>\n  <key>PushCertSignature</key>\n  <string>{other_sig}</string>\n")
    A(first_bad, "duplicate PushCertSignature key, first value wrong, second right")
    A(build_xml(p, extra_entries=f"  <key>PushCertRequestCSR</key>\n  <string>{b64(k.csr_b)}</string>"),
      "duplicate PushCertRequestCSR, the second a different CSR")
    A(build_xml(p, extra_entries="  <key>Comment</key>\n  <string>hello</string>"), "a fourth, unknown key")
    A(build_xml(p, extra_entries="  <key>pushcertsignature</key>\n  <string>x</string>"), "a fourth key differing only in case")
    A(canon.replace("<key>PushCertRequestCSR</key>\n  <string>" + csr_t + "</string>\n", ""), "PushCertRequestCSR missing")
    A(canon.replace("<key>PushCertSignature</key>", "<key>PushCertSignature</key>\n  <key>Extra</key>"), "a key with no value (followed by another key)")
    A(build_xml(p, extra_entries="  <key>Extra</key>"), "a key with no value at the end of the dict")
    A(canon.replace("<key>PushCertRequestCSR</key>", "<key>PushCertRequestCSR </key>"), "key name with a trailing space")
    A(canon.replace("<key>PushCertRequestCSR</key>", "<key>\n    PushCertRequestCSR\n  </key>"), "key name surrounded by white space")
    A(canon.replace("  <key>PushCertSignature</key>\n", "").replace("</string>\n  <string>" + sig_t,
      "</string>\n  <string>" + sig_t), "a value with no key (signature key removed)")
    # value types
    A(canon.replace(CSR_OPEN + csr_t + "</string>", "<key>PushCertRequestCSR</key>\n  <data>" + csr_t + "</data>"), "CSR as <data>")
    A(canon.replace(SIG_OPEN + sig_t + "</string>", "<key>PushCertSignature</key>\n  <integer>12345</integer>"), "signature as <integer>")
    A(canon.replace(CSR_OPEN + csr_t + "</string>", "<key>PushCertRequestCSR</key>\n  <array><string>" + csr_t + "</string></array>"), "CSR as <array><string>")
    A(canon.replace(CSR_OPEN + csr_t + "</string>", "<key>PushCertRequestCSR</key>\n  <dict><key>a</key><string>" + csr_t + "</string></dict>"), "CSR as a nested <dict>")
    A(canon.replace(SIG_OPEN + sig_t + "</string>", "<key>PushCertSignature</key>\n  <true/>"), "signature as <true/>")
    A(canon.replace(CSR_OPEN + csr_t + "</string>", "<key>PushCertRequestCSR</key>\n  <string/>"), "CSR as an empty <string/>")
    A(canon.replace(SIG_OPEN + sig_t + "</string>", "<key>PushCertSignature</key>\n  <string></string>"), "signature as <string></string>")
    A(canon.replace(CSR_OPEN + csr_t, CSR_OPEN + csr_t[:half] + "<b/>" + csr_t[half:]), "empty element <b/> inside the CSR string")
    A(canon.replace(CSR_OPEN + csr_t, CSR_OPEN + csr_t[:half] + "<string>" + csr_t[half:] + "</string>"), "<string> nested inside the CSR <string>")
    # structure
    A(canon.replace("</string>\n  <key>PushCertRequestCSR", "\n  <key>PushCertRequestCSR", 1), "unclosed <string> (chain)")
    A(canon.replace("</dict>\n", ""), "unclosed <dict>")
    A(canon.replace("</plist>\n", ""), "unclosed <plist> (file ends inside the root)")
    A(canon[: len(canon) // 2], "file truncated in the middle")
    A(canon.replace(CSR_OPEN + csr_t + "</string>", CSR_OPEN + csr_t + "</key>"), "mismatched tags <string>…</key>")
    A(canon.replace("</dict>\n</plist>", "</plist>\n</dict>"), "mismatched nesting </plist></dict>")
    A(canon.replace("<dict>", '<dict id="x">'), "attribute on <dict>")
    A(canon.replace(CSR_OPEN, '<key>PushCertRequestCSR</key>\n  <string encoding="base64">'), "attribute on <string>")
    A(canon.replace('<plist version="1.0">', '<plist version="1.0" xmlns="http://www.apple.com/DTDs/PropertyList-1.0.dtd">'),
      "default namespace on <plist>")
    A(canon.replace('<plist version="1.0">', '<plist version="1.0" xmlns:p="urn:x">').replace(CSR_OPEN + csr_t + "</string>",
      "<key>PushCertRequestCSR</key>\n  <p:string>" + csr_t + "</p:string>"), "namespaced <p:string> for the CSR")
    A(canon.replace('<plist version="1.0">', '<plist version="1.0">\nhello'), "text inside <plist> before the dict")
    A(canon.replace("<dict>\n", "<dict>\nhello\n"), "text inside the dict between entries")
    A(canon + "trailing text\n", "text after the root element")
    A(canon.replace(DOCTYPE + "\n", DOCTYPE + "\nleading text\n"), "text before the root element")
    A(canon + "<plist/>\n", "a second root element after </plist>")
    A(canon.replace(CSR_OPEN + csr_t, CSR_OPEN + csr_t[:half] + "\x00" + csr_t[half:]), "NUL byte inside the CSR base64")
    A(canon.replace("<dict>\n", "<dict>\n\x00"), "NUL byte between elements")
    bad_utf8 = canon.encode().replace(b"<dict>\n", b"<dict>\n<!-- \xff\xfe -->\n")
    add("xml_attacks", bad_utf8, "invalid UTF-8 (FF FE) inside a comment")
    bad_utf8b = canon.encode().replace(b"<key>PushCertRequestCSR</key>", b"<key>PushCertRequestCSR\xc3</key>")
    add("xml_attacks", bad_utf8b, "truncated UTF-8 sequence inside a key")
    A(canon.replace(CSR_OPEN + csr_t, CSR_OPEN + csr_t[:half] + "\u00e9" + csr_t[half:]), "non-ASCII é (valid UTF-8) inside the CSR base64")
    utf16 = ("\ufeff" + canon.replace(DECL, '<?xml version="1.0" encoding="UTF-16"?>')).encode("utf-16-le")
    add("xml_attacks", utf16, "the whole plist in UTF-16LE with a BOM (encoding=\"UTF-16\")")
    noplist = build_xml(p).replace('<plist version="1.0">\n', "").replace("</plist>\n", "")
    A(noplist, "<plist> element missing: <dict> is the root")
    A(canon.replace('<plist version="1.0">', "<root>").replace("</plist>", "</root>"), "root element <root> instead of <plist>")
    A(canon.replace('<plist version="1.0">', '<plist version="1.0"><array>').replace("</plist>", "</array></plist>"),
      "the dict wrapped in an <array>")
    second = build_xml(k.parts(csr_der=k.csr_b)).split("<dict>\n", 1)[1].split("</dict>", 1)[0]
    A(canon.replace("</dict>\n", "</dict>\n<dict>\n" + second + "</dict>\n"), "two <dict> in one plist (second: another valid request)")
    A(canon.replace("</dict>\n", "</dict>\n<dict/>\n"), "two <dict> in one plist (second empty)")
    # outer base64
    up = upload(canon)
    add_raw("xml_attacks", up[:100] + b"!" + up[100:], "b64", "outer base64 with a '!' inside")
    add_raw("xml_attacks", up.replace(b"+", b"-").replace(b"/", b"_"), "b64", "outer base64 in the URL-safe alphabet")
    add_raw("xml_attacks", up[:-3] if up.endswith(b"=") else up[:-1], "b64", "outer base64 truncated (bad length)")
    add_raw("xml_attacks", base64.b64encode(up), "b64", "upload form base64-encoded twice")

    # deep nesting: keep three (they are large)
    deep = "<array>" * 10000 + "</array>" * 10000
    A(build_xml(p, extra_entries=f"  <key>Deep</key>\n  {deep}"),
      "10,000 nested <array> as the value of a fourth key")
    A(build_xml(p).replace("<dict>\n", f"<dict>\n  <key>PushCertSignature</key>\n  {deep}\n"),
      "10,000 nested <array> as the value of a duplicate PushCertSignature key before the real one")
    base = build_xml(p, extra_entries="  <key>Deep</key>\n  ")
    levels = (MAX_FILE - 1 - len(base.encode())) // 15
    deep2 = "<array>" * levels + "</array>" * levels
    xml = build_xml(p, extra_entries=f"  <key>Deep</key>\n  {deep2}")
    A(xml, f"{levels:,} nested <array> (fourth key) filling the file to {len(xml.encode()):,} bytes, raw XML", form="xml")


# --------------------------------------------------------------------------
# chain
# --------------------------------------------------------------------------


def chain_cases(k: PKI):
    C = lambda parts, note, **kw: add("chain", build_xml(parts), note, **kw)
    vk = k.vendor_key
    ss = k.vendor_cert(issuer=VENDOR_NAME, signer=vk)
    C(k.parts(chain=[ss]), "self-signed vendor certificate with the marker, alone")
    C(k.parts(chain=[ss, k.wwdr, k.root]), "self-signed vendor certificate with the marker, followed by WWDR and root")
    ss2 = k.vendor_cert(issuer=VENDOR_NAME, signer=vk, exts=vendor_exts(marker=False))
    C(k.parts(chain=[ss2]), "self-signed vendor certificate without the marker")
    ss3 = cert(VENDOR_NAME, VENDOR_NAME, vk.public_key(), vk, d(2025, 6, 1), d(2027, 6, 1),
               ca_exts() + [(x509.UnrecognizedExtension(MARKER_OID, b"\x05\x00"), False)], aki_key=vk.public_key())
    C(k.parts(chain=[ss3]), "self-signed vendor certificate that is a CA (cA TRUE, keyCertSign) with the marker")
    exp = k.vendor_cert(nb=d(2023, 6, 1), na=d(2025, 6, 1))
    C(k.parts(chain=[exp, k.wwdr, k.root]), "vendor certificate expired 2025-06-01")
    C(k.parts(), "canonical file checked at 2027-07-01 (vendor expired)", now="2027-07-01T00:00:00Z")
    C(k.parts(), "canonical file checked one second after the vendor's notAfter", now="2027-06-01T00:00:01Z")
    C(k.parts(), "canonical file checked at the vendor's notAfter exactly (RFC 5280: still valid; "
      "openssl counts it expired, Go does not: the formula follows openssl)", now="2027-06-01T00:00:00Z")
    nyv = k.vendor_cert(nb=d(2026, 7, 1), na=d(2028, 7, 1))
    C(k.parts(chain=[nyv, k.wwdr, k.root]), "vendor certificate not valid before 2026-07-01")
    C(k.parts(), "canonical file checked at 2025-01-01 (vendor not yet valid)", now="2025-01-01T00:00:00Z")
    nom = k.vendor_cert(exts=vendor_exts(marker=False))
    C(k.parts(chain=[nom, k.wwdr, k.root]), "vendor certificate without the marker extension")
    crit = k.vendor_cert(exts=vendor_exts(marker_critical=True))
    C(k.parts(chain=[crit, k.wwdr, k.root]), "vendor marker extension marked critical")
    unk = k.vendor_cert(exts=vendor_exts(extra=[(x509.UnrecognizedExtension(ObjectIdentifier("1.3.6.1.4.1.55555.1"), b"\x05\x00"), True)]))
    C(k.parts(chain=[unk, k.wwdr, k.root]), "vendor with an unknown critical extension")
    unk2 = k.vendor_cert(exts=vendor_exts(extra=[(x509.UnrecognizedExtension(ObjectIdentifier("1.3.6.1.4.1.55555.1"), b"\x05\x00"), False)]))
    C(k.parts(chain=[unk2, k.wwdr, k.root]), "vendor with an unknown non-critical extension")
    eku = k.vendor_cert(exts=vendor_exts(extra=[(x509.ExtendedKeyUsage([x509.ObjectIdentifier("1.3.6.1.5.5.7.3.3")]), False)]))
    C(k.parts(chain=[eku, k.wwdr, k.root]), "vendor with extendedKeyUsage codeSigning")
    noaki = k.vendor_cert(aki=False)
    C(k.parts(chain=[noaki, k.wwdr, k.root]), "vendor certificate without authorityKeyIdentifier")

    # bad intermediates
    ik = rsa_key("non-ca-intermediate")
    non_ca_name = name(("CN", "Test Non-CA Intermediate"), ("O", "Test Inc."), ("C", "US"))
    non_ca = cert(non_ca_name, ROOT_NAME, ik.public_key(), k.root_key, d(2020), d(2035),
                  ca_exts(ca=False), aki_key=k.root_key.public_key())
    v = k.vendor_cert(issuer=non_ca_name, signer=ik)
    C(k.parts(chain=[v, non_ca, k.root]), "vendor issued by a non-CA intermediate (cA FALSE, keyCertSign)")
    no_bc_name = name(("CN", "Test No-BasicConstraints Intermediate"), ("O", "Test Inc."), ("C", "US"))
    no_bc = cert(no_bc_name, ROOT_NAME, ik.public_key(), k.root_key, d(2020), d(2035), ca_exts(bc=False),
                 aki_key=k.root_key.public_key())
    v = k.vendor_cert(issuer=no_bc_name, signer=ik)
    C(k.parts(chain=[v, no_bc, k.root]), "vendor issued by an intermediate without basicConstraints")
    nks_name = name(("CN", "Test No-KeyCertSign CA"), ("O", "Test Inc."), ("C", "US"))
    nks = cert(nks_name, ROOT_NAME, ik.public_key(), k.root_key, d(2020), d(2035),
               ca_exts(pathlen=0, key_cert_sign=False), aki_key=k.root_key.public_key())
    v = k.vendor_cert(issuer=nks_name, signer=ik)
    C(k.parts(chain=[v, nks, k.root]), "vendor issued by a CA whose keyUsage lacks keyCertSign")
    sk = rsa_key("sub-ca")
    sub_name = name(("CN", "Test Sub CA under WWDR"), ("O", "Test Inc."), ("C", "US"))
    sub = cert(sub_name, WWDR_NAME, sk.public_key(), k.wwdr_key, d(2020, 3), d(2034),
               ca_exts(pathlen=0), aki_key=k.wwdr_key.public_key())
    v = k.vendor_cert(issuer=sub_name, signer=sk)
    C(k.parts(chain=[v, sub, k.wwdr, k.root]), "WWDR (pathlen 0) followed by a second intermediate that issued the vendor")
    v_by_root = k.vendor_cert(issuer=ROOT_NAME, signer=k.root_key)
    C(k.parts(chain=[v_by_root, k.root]), "vendor issued directly by the root (no WWDR-like CA in the path)")
    wwdr_sha1 = cert(WWDR_NAME, ROOT_NAME, k.wwdr_key.public_key(), k.root_key, d(2020, 2, 19), d(2035),
                     ca_exts(pathlen=0, wwdr_marker=True), algo=hashes.SHA1(), aki_key=k.root_key.public_key())
    C(k.parts(chain=[k.vendor, wwdr_sha1, k.root]), "WWDR-like CA signed with SHA-1 in the file; anchors hold the SHA-256 one",)
    C(k.parts(chain=[k.vendor, wwdr_sha1, k.root]), "WWDR-like CA signed with SHA-1, anchors hold only the root",
      anchors="test_root_only")
    v_sha1 = k.vendor_cert(algo=hashes.SHA1())
    C(k.parts(chain=[v_sha1, k.wwdr, k.root]), "vendor certificate signed with sha1WithRSA by the WWDR")
    wwdr_exp = cert(WWDR_NAME, ROOT_NAME, k.wwdr_key.public_key(), k.root_key, d(2016), d(2026),
                    ca_exts(pathlen=0, wwdr_marker=True), aki_key=k.root_key.public_key())
    C(k.parts(chain=[k.vendor, wwdr_exp, k.root]), "expired WWDR-like CA in the file, anchors hold only the root",
      anchors="test_root_only")
    forged_key = rsa_key("forged-wwdr")
    forged_wwdr = cert(WWDR_NAME, ROOT_NAME, forged_key.public_key(), forged_key, d(2020), d(2035),
                       ca_exts(pathlen=0), aki_key=k.root_key.public_key())
    v = k.vendor_cert(signer=forged_key)
    C(k.parts(chain=[v, forged_wwdr, k.root]), "vendor signed by a forged WWDR (same name, own key, self-signed under the root's name)")
    v = k.vendor_cert(signer=forged_key, issuer_pub=k.wwdr_key.public_key())
    C(k.parts(chain=[v, k.wwdr, k.root]), "vendor naming the WWDR (and its key id) but signed by another key")
    other_name = name(("CN", "Some Other Issuer"), ("O", "Test Inc."), ("C", "US"))
    v = k.vendor_cert(issuer=other_name)
    C(k.parts(chain=[v, k.wwdr, k.root]), "vendor signed by the WWDR key but naming another issuer")

    # order and completeness
    C(k.parts(chain=[k.root, k.wwdr, k.vendor]), "chain in reverse order (root first)")
    C(k.parts(chain=[k.wwdr, k.vendor, k.root]), "WWDR first, vendor second")
    C(k.parts(chain=[k.vendor, k.root]), "chain missing the WWDR (anchors hold it)")
    C(k.parts(), "WWDR not in the anchors but in the file (anchors hold only the root)", anchors="test_root_only")
    C(k.parts(chain=[k.vendor, k.root]), "WWDR neither in the anchors (root only) nor in the file", anchors="test_root_only")
    C(k.parts(chain=[k.vendor]), "vendor only, anchors hold only the root", anchors="test_root_only")
    urk = rsa_key("unrelated-root")
    ur_name = name(("C", "US"), ("O", "Unrelated Inc."), ("CN", "Unrelated Root CA"))
    ur = cert(ur_name, ur_name, urk.public_key(), urk, d(2020), d(2045), ca_exts(), aki_key=urk.public_key())
    v = k.vendor_cert(issuer=ur_name, signer=urk)
    C(k.parts(chain=[v, ur]), "vendor issued by an unrelated root that is in the file's chain only")
    uwk = rsa_key("unrelated-wwdr")
    uw = cert(WWDR_NAME, ur_name, uwk.public_key(), urk, d(2020), d(2035), ca_exts(pathlen=0, wwdr_marker=True),
              aki_key=urk.public_key())
    v = k.vendor_cert(signer=uwk)
    C(k.parts(chain=[v, uw, ur]), "vendor under a WWDR-named CA of an unrelated root (all in the file)")
    C(k.parts(chain=[v, uw, ur, k.wwdr, k.root]), "unrelated path in the file followed by the real WWDR and root")

    # chain text
    p = k.parts()
    C(Parts(p.csr, [], p.sig, chain_text=""), "empty chain string")
    C(Parts(p.csr, [], p.sig, chain_text="\n  \n"), "chain string of white space only")
    good = pem(k.vendor) + pem(k.wwdr)
    C(Parts(p.csr, [], p.sig, chain_text=good + "-----BEGIN CERTIFICATE-----\n!!!! not base64 !!!!\n-----END CERTIFICATE-----\n"),
      "third PEM block with non-base64 content")
    rnd = random.Random(7).randbytes(600)
    C(Parts(p.csr, [], p.sig, chain_text=good + pem(rnd)), "third PEM block: valid base64 of random bytes (not a certificate)")
    C(Parts(p.csr, [], p.sig, chain_text=pem(rnd) + good + pem(k.root)), "first PEM block random bytes, then vendor, WWDR, root")
    trunc = pem(k.root).split("\n")
    C(Parts(p.csr, [], p.sig, chain_text=good + "\n".join(trunc[:8]) + "\n"), "third PEM block truncated (no END line)")
    C(Parts(p.csr, [], p.sig, chain_text=pem(k.vendor)[:-1].replace("-----END CERTIFICATE-----", "-----END CERTIFICATE----") + "\n" + pem(k.wwdr)),
      "vendor END line damaged (four dashes)")
    C(Parts(p.csr, [], p.sig, chain_text="Bag Attributes\n    friendlyName: vendor\n" + good + pem(k.root)),
      "text (Bag Attributes) before the first PEM block")
    C(Parts(p.csr, [], p.sig, chain_text=good.replace("-----BEGIN CERTIFICATE-----", "-----BEGIN X509 CERTIFICATE-----", 1)
            .replace("-----END CERTIFICATE-----", "-----END X509 CERTIFICATE-----", 1) + pem(k.root)),
      "vendor in a BEGIN X509 CERTIFICATE block")
    C(Parts(p.csr, [], p.sig, chain_text=pem(k.csr, "CERTIFICATE REQUEST") + good + pem(k.root)),
      "a CERTIFICATE REQUEST block before the chain")
    C(Parts(p.csr, [], p.sig, chain_text=b64(k.vendor) + "\n" + pem(k.wwdr)), "vendor as bare base64 without PEM armour")
    C(Parts(p.csr, [], p.sig, chain_text=pem(k.vendor + b"\x00\x00") + pem(k.wwdr) + pem(k.root)), "vendor DER with two trailing bytes")
    for n in (8, 9, 12):
        extra = [k.wwdr, k.root] * 6
        C(k.parts(chain=[k.vendor, k.wwdr, k.root] + extra[: n - 3]), f"{n} certificates in the chain (WWDR and root repeated)")
    # keys
    v1024k = rsa_key("vendor-1024", 1024)
    v1024 = k.vendor_cert(key=v1024k)
    C(k.parts(chain=[v1024, k.wwdr, k.root], vendor_key=v1024k), "vendor RSA key of 1024 bits (signature by it)")
    v3072k = rsa_key("vendor-3072", 3072)
    v3072 = k.vendor_cert(key=v3072k)
    C(k.parts(chain=[v3072, k.wwdr, k.root], vendor_key=v3072k), "vendor RSA key of 3072 bits (signature by it)")
    vec = ec_key("vendor-ec")
    vecc = k.vendor_cert(key=vec)
    C(k.parts(chain=[vecc, k.wwdr, k.root], vendor_key=vec), "vendor P-256 EC key, ECDSA-SHA256 signature over the CSR")
    C(k.parts(chain=[vecc, k.wwdr, k.root]), "vendor P-256 EC key, RSA signature by the usual vendor key")


# --------------------------------------------------------------------------
# signature
# --------------------------------------------------------------------------


def signature_cases(k: PKI):
    S = lambda parts, note, **kw: add("signature", build_xml(parts), note, **kw)
    chain = [k.vendor, k.wwdr, k.root]
    good = sign_bytes(k.vendor_key, k.csr)
    S(Parts(k.csr, chain, sign_bytes(k.vendor_key, k.csr_b)), "signature over a different CSR")
    S(Parts(k.csr, chain, sign_bytes(k.vendor_key, k.csr, hashes.SHA384())), "signature with SHA-384")
    S(Parts(k.csr, chain, sign_bytes(k.vendor_key, k.csr, hashes.SHA512())), "signature with SHA-512")
    S(Parts(k.csr, chain, sign_bytes(k.vendor_key, k.csr, hashes.SHA224())), "signature with SHA-224")
    S(Parts(k.csr, chain, k.vendor_key.sign(k.csr, padding.PSS(padding.MGF1(hashes.SHA256()), 0), hashes.SHA256())),
      "RSA-PSS signature with SHA-256 (empty salt)")
    S(Parts(k.csr, chain, good[:255]), "signature truncated to 255 bytes")
    S(Parts(k.csr, chain, good[:128]), "signature truncated to 128 bytes")
    S(Parts(k.csr, chain, good + b"\x00"), "signature with a trailing zero byte (257 bytes)")
    S(Parts(k.csr, chain, b"\x00" + good), "signature with a leading zero byte (257 bytes)")
    S(Parts(k.csr, chain, sign_bytes(rsa_key("attacker"), k.csr)), "signature by another RSA key")
    S(Parts(k.csr, chain, sign_bytes(k.wwdr_key, k.csr)), "signature by the WWDR key instead of the vendor's")
    S(Parts(k.csr, chain, sign_bytes(k.vendor_key, b64(k.csr).encode())), "signature over the CSR's base64 text, not its DER")
    S(Parts(k.csr, chain, sign_bytes(k.vendor_key, pem(k.csr, "CERTIFICATE REQUEST").encode())), "signature over the CSR's PEM")
    gb = b64(good)
    S(Parts(k.csr, chain, good, sig_text=gb[:40] + "!*" + gb[40:]), "signature base64 with garbage characters")
    S(Parts(k.csr, chain, good, sig_text=gb.replace("+", "-").replace("/", "_")), "signature base64 in the URL-safe alphabet")
    S(Parts(k.csr, chain, good, sig_text=gb.rstrip("=")), "signature base64 without its padding")
    S(Parts(k.csr, chain, b""), "empty signature")
    S(Parts(k.csr, chain, good, sig_text=b64(good.hex().encode())), "signature given as base64 of its hex text")
    bad = bytearray(k.csr)
    bad[-1] ^= 0x01
    S(Parts(bytes(bad), chain, sign_bytes(k.vendor_key, bytes(bad))), "CSR with a broken self-signature (vendor signed the broken bytes)")
    tbs, alg, _ = split_signed(k.csr)
    other = k.cust_key_b.sign(tbs, padding.PKCS1v15(), hashes.SHA256())
    swapped = join_signed(tbs, alg, other)
    S(Parts(swapped, chain, sign_bytes(k.vendor_key, swapped)), "CSR self-signature made with another key")
    ecsr = csr(ec_key("customer-ec"))
    S(Parts(ecsr, chain, sign_bytes(k.vendor_key, ecsr)), "CSR with a P-256 EC key (self-signature ECDSA, vendor signature fine)")
    c1024 = csr(rsa_key("customer-1024", 1024))
    S(Parts(c1024, chain, sign_bytes(k.vendor_key, c1024)), "CSR with a 1024-bit RSA key")
    csha1 = csr(k.cust_key, algo=hashes.SHA1())
    S(Parts(csha1, chain, sign_bytes(k.vendor_key, csha1)), "CSR self-signed with sha1WithRSA")
    trail = k.csr + b"\x00\x00"
    S(Parts(trail, chain, sign_bytes(k.vendor_key, trail)), "CSR DER followed by two trailing bytes (vendor signed them too)")
    S(Parts(trail, chain, good), "CSR DER followed by two trailing bytes (vendor signed the DER only)")
    S(Parts(k.csr[:-10], chain, sign_bytes(k.vendor_key, k.csr[:-10])), "CSR truncated by 10 bytes (vendor signed the truncation)")
    cb = b64(k.csr)
    S(Parts(k.csr, chain, good, csr_text=cb[:60] + "#" + cb[60:]), "CSR base64 with a '#' inside")
    S(Parts(k.csr, chain, good, csr_text=pem(k.csr, "CERTIFICATE REQUEST")), "CSR given as PEM text instead of bare base64")
    S(Parts(k.csr, chain, good, csr_text=cb + "===="), "CSR base64 with extra padding")
    S(Parts(k.csr, chain, sign_bytes(k.vendor_key, k.csr, hashes.SHA1()), csr_text=cb), "SHA-1 signature (control: accepted)")


# --------------------------------------------------------------------------
# apple_real
# --------------------------------------------------------------------------


def apple_cases(k: PKI, apple: dict):
    Aa = lambda parts, note, now=NOW: add("apple_real", build_xml(parts), note, anchors="apple", now=now)
    root = x509.load_der_x509_certificate(apple["root"])
    g3 = x509.load_der_x509_certificate(apple["g3"])
    g1 = x509.load_der_x509_certificate(apple["g1"])
    g4 = x509.load_der_x509_certificate(apple["g4"])
    fk = rsa_key("apple-forger")
    vk = k.vendor_key
    def forged(issuer_cert, algo=hashes.SHA256(), nb=d(2025, 6, 1), na=d(2027, 6, 1), signer=fk):
        b = (x509.CertificateBuilder().subject_name(VENDOR_NAME).issuer_name(issuer_cert.subject)
             .public_key(vk.public_key()).serial_number(0x0BADC0DE).not_valid_before(nb).not_valid_after(na))
        for ext, crit in vendor_exts():
            b = b.add_extension(ext, critical=crit)
        b = b.add_extension(x509.SubjectKeyIdentifier.from_public_key(vk.public_key()), critical=False)
        ski = issuer_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
        b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
        out = b.sign(signer, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
        return resign_sha1(out, signer) if isinstance(algo, hashes.SHA1) else out
    fg3 = forged(g3)
    Aa(k.parts(chain=[fg3, apple["g3"], apple["root"]]), "vendor naming Apple WWDR G3 (issuer and key id) but signed by a test key; real G3 and root in the chain")
    Aa(k.parts(chain=[fg3]), "forged vendor naming WWDR G3, vendor-only chain")
    Aa(k.parts(chain=[forged(g4), apple["g4"], apple["root"]]), "forged vendor naming WWDR G4")
    Aa(k.parts(chain=[forged(g1, hashes.SHA1(), d(2020), d(2022)), apple["g1"], apple["root"]], algo=hashes.SHA1()),
       "forged SHA-1 vendor naming WWDR G1, checked at 2021-06-01", now="2021-06-01T00:00:00Z")
    # a self-signed certificate named like Apple Root CA
    fake_root = (x509.CertificateBuilder().subject_name(root.subject).issuer_name(root.subject)
                 .public_key(fk.public_key()).serial_number(2).not_valid_before(d(2006)).not_valid_after(d(2035)))
    for ext, crit in ca_exts():
        fake_root = fake_root.add_extension(ext, critical=crit)
    fake_root = fake_root.add_extension(x509.SubjectKeyIdentifier.from_public_key(fk.public_key()), critical=False)
    fake_root = fake_root.sign(fk, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
    fwk = rsa_key("apple-forger-wwdr")
    fake_g3 = (x509.CertificateBuilder().subject_name(g3.subject).issuer_name(root.subject)
               .public_key(fwk.public_key()).serial_number(3).not_valid_before(d(2020, 2, 19)).not_valid_after(d(2030)))
    for ext, crit in ca_exts(pathlen=0, wwdr_marker=True):
        fake_g3 = fake_g3.add_extension(ext, critical=crit)
    fake_g3 = fake_g3.add_extension(x509.SubjectKeyIdentifier.from_public_key(fwk.public_key()), critical=False)
    fake_g3 = fake_g3.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(fk.public_key()), critical=False)
    fake_g3 = fake_g3.sign(fk, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
    fv = forged(x509.load_der_x509_certificate(fake_g3), signer=fwk)
    Aa(k.parts(chain=[fv, fake_g3, fake_root]), "complete forged path: vendor ← fake WWDR G3 ← self-signed fake 'Apple Root CA'")
    Aa(k.parts(chain=[fv, fake_g3, apple["root"]]), "vendor ← fake WWDR G3 (signed by a fake root key), real Apple Root CA after it")
    fv_root = forged(root, signer=fk)
    Aa(k.parts(chain=[fv_root, fake_root]), "vendor issued directly by a self-signed fake 'Apple Root CA' in the chain")
    Aa(k.parts(chain=[fg3, apple["g3"], fake_root]), "forged vendor naming G3, real G3, then a fake 'Apple Root CA'")
    Aa(k.parts(), "a valid test-PKI file checked against the Apple anchors")
    Aa(k.parts(chain=[k.vendor, k.wwdr, k.root, apple["g3"], apple["root"]]), "test-PKI chain followed by the real G3 and Apple Root CA")


# --------------------------------------------------------------------------
# mutation
# --------------------------------------------------------------------------

INTERESTING = b'<>&;"\'/!?[]=-#\x00\x09\x0a\x0d \xff\xc3\xef\xbb\xbf'


def mutate_bytes(data: bytes, rng: random.Random, ops: int, ranges=None) -> tuple[bytes, list[str]]:
    buf = bytearray(data)
    notes = []
    for _ in range(ops):
        if ranges and rng.random() < 0.5:
            lo, hi = rng.choice(ranges)
            pos = rng.randrange(lo, max(lo + 1, hi))
        else:
            pos = rng.randrange(0, max(1, len(buf)))
        pos = min(pos, max(0, len(buf) - 1))
        op = rng.choice(["flip", "set", "insert", "delete", "delrange", "dup", "swap"])
        if op == "flip" and buf:
            bit = rng.randrange(8)
            buf[pos] ^= 1 << bit
            notes.append(f"flip bit {bit} @{pos}")
        elif op == "set" and buf:
            v = rng.choice(INTERESTING) if rng.random() < 0.5 else rng.randrange(256)
            buf[pos] = v
            notes.append(f"set @{pos}={v:02x}")
        elif op == "insert":
            v = rng.choice(INTERESTING) if rng.random() < 0.5 else rng.randrange(256)
            buf.insert(pos, v)
            notes.append(f"insert {v:02x} @{pos}")
        elif op == "delete" and buf:
            del buf[pos]
            notes.append(f"delete @{pos}")
        elif op == "delrange" and buf:
            n = rng.randrange(2, 24)
            del buf[pos:pos + n]
            notes.append(f"delete {n} @{pos}")
        elif op == "dup" and buf:
            n = rng.randrange(2, 24)
            buf[pos:pos] = buf[pos:pos + n]
            notes.append(f"duplicate {n} @{pos}")
        elif op == "swap" and len(buf) > pos + 1:
            buf[pos], buf[pos + 1] = buf[pos + 1], buf[pos]
            notes.append(f"swap @{pos}")
    return bytes(buf), notes


def mutation_cases(k: PKI):
    rng = random.Random(20260601)
    p = k.parts()
    bases = {
        "canonical": build_xml(p).encode(),
        "crlf": build_xml(p, nl="\r\n").encode(),
        "no-doctype": build_xml(p, doctype=None).encode(),
        "sha1": build_xml(k.parts(algo=hashes.SHA1())).encode(),
    }
    for i in range(84):
        bname = rng.choice(list(bases))
        base = bases[bname]
        markup = [(m.start(), m.end()) for m in re.finditer(rb"<[^>]*>", base)]
        data = base
        while data == base:  # no no-op mutations
            data, notes = mutate_bytes(base, rng, rng.choice([1, 1, 1, 2, 3]), markup)
        form = "xml" if i % 7 == 3 else "b64"
        if form == "xml" and not data.lstrip().startswith(b"<"):
            form = "b64"
        note = f"XML bytes of the {bname} file: " + "; ".join(notes)
        if form == "b64":
            add("mutation", data, note)
        else:
            add_raw("mutation", data, "xml", note)
    signers = {"vendor": k.wwdr_key, "wwdr": k.root_key, "root": k.root_key}
    for i in range(66):
        target = rng.choice(["csr", "csr", "csr", "sig", "vendor", "vendor", "vendor", "wwdr", "root"])
        resign = target in ("csr", "vendor", "wwdr", "root") and rng.random() < 0.5
        csr_der, chain = k.csr, [k.vendor, k.wwdr, k.root]
        idx = {"vendor": 0, "wwdr": 1, "root": 2}.get(target)
        src = {"csr": csr_der, "sig": None}.get(target, chain[idx] if idx is not None else None)
        if target == "sig":
            sig = sign_bytes(k.vendor_key, csr_der)
            new = sig
            while new == sig:
                new, notes = mutate_bytes(sig, rng, rng.choice([1, 1, 2]))
            add("mutation", build_xml(Parts(csr_der, chain, new)), "signature bytes: " + "; ".join(notes))
            continue
        if resign:
            tbs, alg, _ = split_signed(src)
            mtbs = tbs
            while mtbs == tbs:
                mtbs, notes = mutate_bytes(tbs, rng, rng.choice([1, 1, 2]))
            key = k.cust_key if target == "csr" else signers[target]
            new = join_signed(mtbs, alg, key.sign(mtbs, padding.PKCS1v15(), hashes.SHA256()))
            what = "to-be-signed part, re-signed"
        else:
            new = src
            while new == src:
                new, notes = mutate_bytes(src, rng, rng.choice([1, 1, 2]))
            what = "DER"
        if target == "csr":
            csr_der = new
        else:
            chain = list(chain)
            chain[idx] = new
        sig = sign_bytes(k.vendor_key, csr_der)  # vendor signs whatever CSR is in the file
        add("mutation", build_xml(Parts(csr_der, chain, sig)),
            f"{target} {what}: " + "; ".join(notes) + ("; vendor re-signed the CSR" if target == "csr" else ""))


# --------------------------------------------------------------------------
# ecdsa_*: ECDSA issuers above the RSA vendor certificate
# --------------------------------------------------------------------------
# Apple's newer WWDR CAs are ECDSA: Apple Root CA - G3 (P-384) issues WWDR G6
# (P-384, ecdsa-with-SHA384) and WWDR G2 (P-256, ecdsa-with-SHA256). The vendor
# certificate keeps an RSA key (its signature over the CSR stays PKCS#1 v1.5);
# only the certificates above it are ECDSA. Built after every other class, so
# the earlier cases keep their ids and bytes.

ROOT3_NAME = name(("CN", "Test Root CA - G3"), ("OU", "Test Certification Authority"), ("O", "Test Inc."), ("C", "US"))
WWDR6_NAME = name(("CN", "Test Worldwide Developer Relations Certification Authority"), ("OU", "G6"),
                  ("O", "Test Inc."), ("C", "US"))
WWDR2_NAME = name(("CN", "Test Worldwide Developer Relations CA - G2"), ("OU", "Test Certification Authority"),
                  ("O", "Test Inc."), ("C", "US"))
EC_ALGID = {  # DER AlgorithmIdentifiers, parameters absent
    "sha1": bytes.fromhex("300906072a8648ce3d0401"),
    "sha256": bytes.fromhex("300a06082a8648ce3d040302"),
    "sha384": bytes.fromhex("300a06082a8648ce3d040303"),
    "sha512": bytes.fromhex("300a06082a8648ce3d040304"),
}
EC_HASHES = {"sha1": hashes.SHA1, "sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}
P256_EXPLICIT = bytes.fromhex(  # ECParameters of P-256 (SEC 2), as `openssl ec -param_enc explicit` writes them
    "3081f7020101302c06072a8648ce3d0101022100ffffffff00000001000000000000000000000000ffffffffffffffffffffffff"
    "305b0420ffffffff00000001000000000000000000000000fffffffffffffffffffffffc04205ac635d8aa3a93e7b3ebbd55769886"
    "bc651d06b0cc53b0f63bce3c3e27d2604b031500c49d360886e704936a6678e1139d26b7819f7e900441046b17d1f2e12c4247f8bce6"
    "e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"
    "022100ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551020101")


def der_int(v: int) -> bytes:
    b = v.to_bytes((v.bit_length() + 8) // 8 or 1, "big", signed=True) if v >= 0 else v.to_bytes(
        ((~v).bit_length() + 8) // 8, "big", signed=True)
    return b"\x02" + enc_len(len(b)) + b


def der_seq(*parts: bytes) -> bytes:
    body = b"".join(parts)
    return b"\x30" + enc_len(len(body)) + body


def retbs(tbs: bytes, old: bytes, new: bytes) -> bytes:
    """The TBS SEQUENCE with one occurrence of `old` replaced by `new` (length fixed)."""
    _, h, _ = tlv(tbs)
    body = tbs[h:]
    assert body.count(old) >= 1, old.hex()
    return der_seq(body.replace(old, new, 1))


def ec_n(key) -> int:
    return {"secp256r1": 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
            "secp384r1": int("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973", 16),
            }[key.curve.name]


def ec_resign(der: bytes, key, hash_name: str, inner: bytes | None = None, outer: bytes | None = None,
              sig_fn=None) -> bytes:
    """A certificate re-signed by `key` with ECDSA over `hash_name`. `inner`/`outer`: the
    AlgorithmIdentifiers to write (default: the one for `hash_name`); `sig_fn(tbs, der_sig) -> bytes`
    rewrites the signature value."""
    tbs, alg, _ = split_signed(der)
    algid = EC_ALGID[hash_name]
    new_inner = inner if inner is not None else algid
    if new_inner != alg:
        tbs = retbs(tbs, alg, new_inner)
    sig = sign_bytes(key, tbs, EC_HASHES[hash_name]())
    if sig_fn is not None:
        sig = sig_fn(tbs, sig)
    return join_signed(tbs, outer if outer is not None else algid, sig)


def with_spki(der: bytes, signer, new_spki: bytes, hash_name: str = "sha384") -> bytes:
    """A certificate whose SubjectPublicKeyInfo is replaced, re-signed by `signer`."""
    c = x509.load_der_x509_certificate(der)
    old = c.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    tbs, alg, _ = split_signed(der)
    tbs = retbs(tbs, old, new_spki)
    if isinstance(signer, rsa.RSAPrivateKey):
        return join_signed(tbs, alg, signer.sign(tbs, padding.PKCS1v15(), hashes.SHA256()))
    return join_signed(tbs, alg, sign_bytes(signer, tbs, EC_HASHES[hash_name]()))


def ecdsa_cases(k: PKI, anchors: dict, anchors_dir: Path, work: Path, realworld_ca: Path):
    rk = ec_key("test-root-g3", ec.SECP384R1)
    wk = ec_key("test-wwdr-g6", ec.SECP384R1)
    w2k = ec_key("test-wwdr-g2")
    root3 = cert(ROOT3_NAME, ROOT3_NAME, rk.public_key(), rk, d(2020), d(2045), ca_exts(), algo=hashes.SHA384(),
                 aki_key=rk.public_key())
    wwdr6 = cert(WWDR6_NAME, ROOT3_NAME, wk.public_key(), rk, d(2021, 3, 17), d(2036), ca_exts(pathlen=0, wwdr_marker=True),
                 algo=hashes.SHA384(), aki_key=rk.public_key())
    wwdr2 = cert(WWDR2_NAME, ROOT3_NAME, w2k.public_key(), rk, d(2020), d(2035), ca_exts(pathlen=0, wwdr_marker=True),
                 algo=hashes.SHA256(), aki_key=rk.public_key())
    # mixed: the RSA test root over a P-256 WWDR-like CA, the P-384 root over an RSA one
    mk_ = ec_key("test-wwdr-p256-under-rsa")
    wm_name = name(("CN", "Test ECDSA Developer Relations CA Under RSA"), ("OU", "G2"), ("O", "Test Inc."), ("C", "US"))
    wwdr_m = cert(wm_name, ROOT_NAME, mk_.public_key(), k.root_key, d(2020), d(2035), ca_exts(pathlen=0, wwdr_marker=True),
                  algo=hashes.SHA256(), aki_key=k.root_key.public_key())
    rwk = rsa_key("test-wwdr-rsa-under-g3")
    wr_name = name(("CN", "Test RSA Developer Relations CA Under G3"), ("OU", "G5"), ("O", "Test Inc."), ("C", "US"))
    wwdr_r = cert(wr_name, ROOT3_NAME, rwk.public_key(), rk, d(2020), d(2035), ca_exts(pathlen=0, wwdr_marker=True),
                  algo=hashes.SHA384(), aki_key=rk.public_key())
    sets = {"ecdsa": [wwdr6, root3], "ecdsa_root_only": [root3], "ecdsa_g2": [wwdr2, root3],
            "mixed_rsa_root_ec_wwdr": [wwdr_m, k.root], "mixed_ec_root_rsa_wwdr": [wwdr_r, root3]}
    apple_files = [("root_g3", "apple_AppleRootCA-G3.from_der.pem"), ("g6", "apple_AppleWWDRCAG6.from_der.pem"),
                   ("g2", "apple_AppleWWDRCAG2.from_der.pem")]
    apple = None
    if all((realworld_ca / f).exists() for _, f in apple_files):
        apple = {n: load_pem_file(realworld_ca / f)[0] for n, f in apple_files}
        sets["apple_ecdsa"] = [apple["root_g3"], apple["g6"], apple["g2"]]
    else:
        print("Apple's G3 certificates not found: ecdsa_apple_forged left out", file=sys.stderr)
    for nm, ders in sets.items():
        (anchors_dir / f"{nm}.pem").write_text("".join(pem(c) for c in ders))
        anchors[nm] = Anchors(nm, ders, work)

    vk = k.vendor_key
    v6 = k.vendor_cert(issuer=WWDR6_NAME, signer=wk, algo=hashes.SHA384())
    p = k.parts(chain=[v6, wwdr6, root3])
    E = lambda cls, parts, note, **kw: add(cls, build_xml(parts), note, **kw)

    # ---- files the crate should accept -------------------------------------
    V = lambda parts, note, anchors="ecdsa", **kw: E("ecdsa_valid", parts, note, anchors=anchors, **kw)
    V(p, "vendor (RSA) <- P-384 WWDR G6-like (ecdsa-with-SHA384) <- P-384 root; canonical layout")
    add("ecdsa_valid", build_xml(p), "the same, raw XML", form="xml", anchors="ecdsa")
    add("ecdsa_valid", build_xml(p, nl="\r\n"), "the same with CRLF line ends", anchors="ecdsa")
    V(k.parts(chain=[v6, wwdr6]), "chain vendor + WWDR G6-like, no root")
    V(k.parts(chain=[v6]), "chain holds the vendor only (the anchors hold the ECDSA WWDR)")
    V(k.parts(chain=[v6, root3, wwdr6]), "chain vendor, root, WWDR (out of order)")
    V(k.parts(chain=[v6, wwdr6, root3]), "the ECDSA WWDR carried only in the file (anchors: the P-384 root alone)",
      anchors="ecdsa_root_only")
    V(k.parts(chain=[v6, wwdr6]), "vendor + ECDSA WWDR in the file, anchors the P-384 root alone", anchors="ecdsa_root_only")
    V(k.parts(chain=[v6, wwdr6, root3], algo=hashes.SHA1()), "SHA-1 vendor signature over the CSR, ECDSA chain above")
    V(k.parts(chain=[v6, wwdr6, root3], csr_der=k.csr_b), "second customer request, ECDSA chain")
    for algo, what in ((hashes.SHA256(), "ecdsa-with-SHA256"), (hashes.SHA512(), "ecdsa-with-SHA512")):
        v = k.vendor_cert(issuer=WWDR6_NAME, signer=wk, algo=algo)
        V(k.parts(chain=[v, wwdr6, root3]), f"the P-384 WWDR signs the vendor with {what}")
    v2 = k.vendor_cert(issuer=WWDR2_NAME, signer=w2k, algo=hashes.SHA256())
    V(k.parts(chain=[v2, wwdr2, root3]), "vendor <- P-256 WWDR G2-like (ecdsa-with-SHA256) <- P-384 root", anchors="ecdsa_g2")
    V(k.parts(chain=[v2, wwdr2]), "the P-256 WWDR carried in the file, anchors the P-384 root alone", anchors="ecdsa_root_only")
    vm = k.vendor_cert(issuer=wm_name, signer=mk_, algo=hashes.SHA256())
    E("ecdsa_mixed", k.parts(chain=[vm, wwdr_m, k.root]),
      "vendor (ecdsa-with-SHA256) <- P-256 WWDR-like CA (sha256WithRSA) <- the RSA test root", anchors="mixed_rsa_root_ec_wwdr")
    E("ecdsa_mixed", k.parts(chain=[vm, wwdr_m]), "the same, the P-256 CA carried in the file, anchors the RSA root alone",
      anchors="test_root_only")
    vr = k.vendor_cert(issuer=wr_name, signer=rwk, algo=hashes.SHA256())
    E("ecdsa_mixed", k.parts(chain=[vr, wwdr_r, root3]),
      "vendor (sha256WithRSA) <- RSA WWDR-like CA (ecdsa-with-SHA384) <- the P-384 root", anchors="mixed_ec_root_rsa_wwdr")
    E("ecdsa_mixed", k.parts(chain=[vr, wwdr_r]), "the same, the RSA CA carried in the file, anchors the P-384 root alone",
      anchors="ecdsa_root_only")
    E("ecdsa_mixed", k.parts(chain=[v6, wwdr6, root3]), "the ECDSA file checked against the RSA test anchors")
    E("ecdsa_mixed", k.parts(chain=[v6, wwdr6, root3]), "the ECDSA file checked against the RSA root alone", anchors="test_root_only")

    # ---- the vendor certificate's ECDSA signature ---------------------------
    n384 = ec_n(wk)

    def vsig(note, fn, hash_name="sha384", **kw):
        v = ec_resign(v6, wk, hash_name, sig_fn=fn, **kw)
        E("ecdsa_vendor_signature", k.parts(chain=[v, wwdr6, root3]), note, anchors="ecdsa")

    def rs(sig):
        from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
        return decode_dss_signature(sig)

    # high S: n - s of a low-S signature (mathematically valid)
    hs = None
    for j in range(40):
        cand = k.vendor_cert(issuer=WWDR6_NAME, signer=wk, algo=hashes.SHA384())
        tbs, alg, bits = split_signed(cand)
        r, s = rs(bits[3:] if bits[1] < 0x80 else bits[4:])
        if s <= n384 // 2:
            hs = join_signed(tbs, alg, der_seq(der_int(r), der_int(n384 - s)))
            break
    E("ecdsa_high_s", k.parts(chain=[hs, wwdr6, root3]), "the vendor certificate's signature with s replaced by n-s (high S)",
      anchors="ecdsa")
    hs_w = None
    for j in range(40):
        cand = cert(WWDR6_NAME, ROOT3_NAME, wk.public_key(), rk, d(2021, 3, 17), d(2036), ca_exts(pathlen=0, wwdr_marker=True),
                    algo=hashes.SHA384(), aki_key=rk.public_key())
        tbs, alg, bits = split_signed(cand)
        r, s = rs(bits[3:] if bits[1] < 0x80 else bits[4:])
        if s <= n384 // 2:
            hs_w = join_signed(tbs, alg, der_seq(der_int(r), der_int(n384 - s)))
            break
    E("ecdsa_high_s", k.parts(chain=[v6, hs_w, root3]),
      "a copy of the WWDR G6-like CA whose own signature has s replaced by n-s (high S), carried; anchors the root alone",
      anchors="ecdsa_root_only")

    def flip(tbs, sig):
        b = bytearray(sig)
        b[-3] ^= 0x10
        return bytes(b)
    vsig("one bit of s flipped", flip)
    vsig("r INTEGER with a superfluous leading 00", lambda t, sg: der_seq(b"\x02" + enc_len(len(der_int(rs(sg)[0])) - 1) + b"\x00" + der_int(rs(sg)[0])[2:], der_int(rs(sg)[1])))
    vsig("a 00 byte after Ecdsa-Sig-Value inside the BIT STRING", lambda t, sg: sg + b"\x00")
    vsig("Ecdsa-Sig-Value length in long form 81 xx", lambda t, sg: b"\x30\x81" + sg[1:2] + sg[2:])
    vsig("r = 0", lambda t, sg: der_seq(der_int(0), der_int(rs(sg)[1])))
    vsig("s + n in place of s (same value mod n)", lambda t, sg: der_seq(der_int(rs(sg)[0]), der_int(rs(sg)[1] + n384)))
    vsig("r||s in the IEEE P1363 fixed-width form, not DER", lambda t, sg: rs(sg)[0].to_bytes(48, "big") + rs(sg)[1].to_bytes(48, "big"))
    vsig("ecdsa-with-SHA384 with NULL parameters, inside and outside (re-signed)", None,
         inner=EC_ALGID["sha384"][:1] + bytes([EC_ALGID["sha384"][1] + 2]) + EC_ALGID["sha384"][2:] + b"\x05\x00",
         outer=EC_ALGID["sha384"][:1] + bytes([EC_ALGID["sha384"][1] + 2]) + EC_ALGID["sha384"][2:] + b"\x05\x00")
    vsig("TBS says ecdsa-with-SHA384, outer ecdsa-with-SHA256 (signed SHA-384)", None, outer=EC_ALGID["sha256"])
    vsig("says ecdsa-with-SHA384 (inside and outside) but signed over SHA-256", lambda t, sg: sign_bytes(wk, t, hashes.SHA256()))
    vsig("properly signed ecdsa-with-SHA1", None, hash_name="sha1")
    fk = ec_key("ecdsa-forger-g6", ec.SECP384R1)
    v = k.vendor_cert(issuer=WWDR6_NAME, signer=fk, algo=hashes.SHA384(), issuer_pub=wk.public_key())
    E("ecdsa_vendor_signature", k.parts(chain=[v, wwdr6, root3]), "vendor naming the WWDR G6-like CA (and its key id), signed by another P-384 key",
      anchors="ecdsa")
    v = k.vendor_cert(issuer=WWDR6_NAME, signer=rk, algo=hashes.SHA384(), issuer_pub=wk.public_key())
    E("ecdsa_vendor_signature", k.parts(chain=[v, wwdr6, root3]), "vendor naming the WWDR, signed by the root's key", anchors="ecdsa")

    # ---- the WWDR-like CA ----------------------------------------------------
    W = lambda parts, note, anchors="ecdsa_root_only": E("ecdsa_wwdr", parts, note, anchors=anchors)
    W(k.parts(chain=[v6]), "vendor only; the ECDSA WWDR neither in the file nor in the anchors (the root alone)")
    v_root = k.vendor_cert(issuer=ROOT3_NAME, signer=rk, algo=hashes.SHA384())
    W(k.parts(chain=[v_root, root3]), "vendor issued directly by the P-384 root (no WWDR-like CA)", anchors="ecdsa")
    fwk = ec_key("ecdsa-forged-wwdr", ec.SECP384R1)
    forged = cert(WWDR6_NAME, ROOT3_NAME, fwk.public_key(), fwk, d(2021), d(2035), ca_exts(pathlen=0, wwdr_marker=True),
                  algo=hashes.SHA384(), aki_key=rk.public_key())
    vf = k.vendor_cert(issuer=WWDR6_NAME, signer=fwk, algo=hashes.SHA384())
    W(k.parts(chain=[vf, forged, root3]), "forged WWDR G6-like CA in the file (same name, own P-384 key, signed by itself)")
    bad_w = ec_resign(wwdr6, fk, "sha384")
    W(k.parts(chain=[v6, bad_w, root3]), "the WWDR in the file with its signature made by a forger's key")
    tbs, alg, bits = split_signed(wwdr6)
    W(k.parts(chain=[v6, join_signed(tbs, alg, bits[3:] + b"\x00") if bits[1] < 0x80 else join_signed(tbs, alg, bits[4:] + b"\x00"), root3]),
      "the WWDR in the file with a 00 byte after its Ecdsa-Sig-Value")
    wexp = cert(WWDR6_NAME, ROOT3_NAME, wk.public_key(), rk, d(2016), d(2026), ca_exts(pathlen=0, wwdr_marker=True),
                algo=hashes.SHA384(), aki_key=rk.public_key())
    W(k.parts(chain=[v6, wexp, root3]), "expired ECDSA WWDR (2016-2026-01-01) in the file")
    pk = ec_key("test-wwdr-p256-explicit")
    pt = pk.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    ex_spki = der_seq(der_seq(bytes.fromhex("06072a8648ce3d0201"), P256_EXPLICIT), b"\x03" + enc_len(len(pt) + 1) + b"\x00" + pt)
    w_ex = cert(WWDR2_NAME, ROOT3_NAME, pk.public_key(), rk, d(2020), d(2035), ca_exts(pathlen=0, wwdr_marker=True),
                algo=hashes.SHA384(), aki_key=rk.public_key())
    w_ex = with_spki(w_ex, rk, ex_spki)
    v_ex = k.vendor_cert(issuer=WWDR2_NAME, signer=pk, algo=hashes.SHA256())
    W(k.parts(chain=[v_ex, w_ex, root3]), "P-256 WWDR in the file whose key has explicit (specifiedCurve) domain parameters")
    cpt = pk.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)
    c_spki = der_seq(bytes.fromhex("301306072a8648ce3d020106082a8648ce3d030107"), b"\x03" + enc_len(len(cpt) + 1) + b"\x00" + cpt)
    w_c = cert(WWDR2_NAME, ROOT3_NAME, pk.public_key(), rk, d(2020), d(2035), ca_exts(pathlen=0, wwdr_marker=True),
               algo=hashes.SHA384(), aki_key=rk.public_key())
    w_c = with_spki(w_c, rk, c_spki)
    W(k.parts(chain=[v_ex, w_c, root3]), "P-256 WWDR in the file whose key is a compressed point")
    for curve, cname, h in ((ec.SECP521R1, "P-521", hashes.SHA512()), (ec.SECP256K1, "secp256k1", hashes.SHA256())):
        ok = ec.derive_private_key(int.from_bytes(hashlib.sha512(f"ecdsa-wwdr-{cname}".encode()).digest()[:31], "big") + 1, curve())
        w_o = cert(WWDR2_NAME, ROOT3_NAME, ok.public_key(), rk, d(2020), d(2035), ca_exts(pathlen=0, wwdr_marker=True),
                   algo=hashes.SHA384(), aki_key=rk.public_key())
        v_o = k.vendor_cert(issuer=WWDR2_NAME, signer=ok, algo=h)
        W(k.parts(chain=[v_o, w_o, root3]), f"WWDR-like CA with a {cname} key in the file (vendor signed with it)")

    # ---- Apple's ECDSA WWDR CAs: forgeries ---------------------------------
    if apple:
        g6 = x509.load_der_x509_certificate(apple["g6"])
        g2 = x509.load_der_x509_certificate(apple["g2"])
        rg3 = x509.load_der_x509_certificate(apple["root_g3"])

        def forged_vendor(issuer_cert, signer):
            b = (x509.CertificateBuilder().subject_name(VENDOR_NAME).issuer_name(issuer_cert.subject)
                 .public_key(vk.public_key()).serial_number(0x0BADEC).not_valid_before(d(2025, 6, 1)).not_valid_after(d(2027, 6, 1)))
            for ext, crit in vendor_exts():
                b = b.add_extension(ext, critical=crit)
            b = b.add_extension(x509.SubjectKeyIdentifier.from_public_key(vk.public_key()), critical=False)
            ski = issuer_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
            b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
            h = hashes.SHA384() if isinstance(signer, ec.EllipticCurvePrivateKey) and signer.curve.name == "secp384r1" else hashes.SHA256()
            return b.sign(signer, h, ecdsa_deterministic=True).public_bytes(serialization.Encoding.DER)

        AF = lambda parts, note: E("ecdsa_apple_forged", parts, note, anchors="apple_ecdsa")
        fg6 = forged_vendor(g6, fk)
        AF(k.parts(chain=[fg6, apple["g6"], apple["root_g3"]]), "vendor naming Apple WWDR G6 (issuer and key id), signed by a test P-384 key; real G6 and Root CA - G3 in the chain")
        AF(k.parts(chain=[fg6]), "the forged vendor naming WWDR G6, vendor-only chain")
        AF(k.parts(chain=[forged_vendor(g2, ec_key("ecdsa-forger-g2")), apple["g2"], apple["root_g3"]]),
           "vendor naming Apple WWDR G2 (P-256), signed by a test P-256 key")
        ffk = ec_key("ecdsa-forger-fake-g6", ec.SECP384R1)
        fake_g6 = (x509.CertificateBuilder().subject_name(g6.subject).issuer_name(rg3.subject).public_key(ffk.public_key())
                   .serial_number(6).not_valid_before(d(2021, 3, 17)).not_valid_after(d(2036)))
        for ext, crit in ca_exts(pathlen=0, wwdr_marker=True):
            fake_g6 = fake_g6.add_extension(ext, critical=crit)
        fake_g6 = fake_g6.add_extension(x509.SubjectKeyIdentifier.from_public_key(ffk.public_key()), critical=False)
        rski = rg3.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
        fake_g6 = fake_g6.add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(rski), critical=False)
        fake_g6 = fake_g6.sign(fk, hashes.SHA384(), ecdsa_deterministic=True).public_bytes(serialization.Encoding.DER)
        fv = forged_vendor(x509.load_der_x509_certificate(fake_g6), ffk)
        AF(k.parts(chain=[fv, fake_g6, apple["root_g3"]]), "vendor <- fake WWDR G6 (claims Root CA - G3, signed by a forger's P-384 key) <- real Root CA - G3")
        AF(k.parts(chain=[v6, wwdr6, root3]), "the valid ECDSA test-PKI file checked against Apple's ECDSA anchors")

    # ---- DER mutations of the ECDSA-signed certificates, re-signed ---------
    # Bytes are flipped or set (never inserted or deleted), away from the
    # vendor's RSA key, so that most mutants still reach the chain oracles.
    rng = random.Random(20260603)
    v6_spki = x509.load_der_x509_certificate(v6).public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    for i in range(16):
        target = "vendor" if i < 12 else "wwdr"
        src, key = (v6, wk) if target == "vendor" else (wwdr6, rk)
        tbs, alg, _ = split_signed(src)
        lo = tbs.find(v6_spki) if target == "vendor" else len(tbs)
        hi = lo + len(v6_spki) if target == "vendor" else len(tbs)
        mtbs = tbs
        while mtbs == tbs:
            buf, notes = bytearray(tbs), []
            for _ in range(rng.choice([1, 1, 2])):
                pos = rng.randrange(2, len(buf))
                while lo <= pos < hi:
                    pos = rng.randrange(2, len(buf))
                if rng.random() < 0.5:
                    bit = rng.randrange(8)
                    buf[pos] ^= 1 << bit
                    notes.append(f"flip bit {bit} @{pos}")
                else:
                    buf[pos] = rng.choice(INTERESTING) if rng.random() < 0.5 else rng.randrange(256)
                    notes.append(f"set @{pos}={buf[pos]:02x}")
            mtbs = bytes(buf)
        new = join_signed(mtbs, alg, sign_bytes(key, mtbs, hashes.SHA384()))
        chain = [new, wwdr6, root3] if target == "vendor" else [v6, new, root3]
        E("ecdsa_mutation", k.parts(chain=chain), f"{target} to-be-signed part, re-signed (ecdsa-with-SHA384): " + "; ".join(notes),
          anchors="ecdsa" if target == "vendor" else "ecdsa_root_only")


# --------------------------------------------------------------------------
# Oracles
# --------------------------------------------------------------------------

WS = b" \t\n\r\x0c"


def strip_ws(s: bytes) -> bytes:
    return bytes(c for c in s if c not in WS)


def b64_strict(s: str | bytes) -> bytes | None:
    if isinstance(s, str):
        try:
            s = s.encode("ascii")
        except UnicodeEncodeError:
            return None
    try:
        return base64.b64decode(strip_ws(s), validate=True)
    except (binascii.Error, ValueError):
        return None


PEM_RE = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END ([A-Z0-9 ]+)-----", re.S)


def pem_certs(text: str) -> list[bytes] | None:
    """DER of every CERTIFICATE block, or None when a block is not decodable."""
    blocks = list(PEM_RE.finditer(text))
    if text.count("-----BEGIN") != len(blocks):
        return None
    out = []
    for m in blocks:
        if m.group(1) != m.group(3):
            return None
        if m.group(1) != "CERTIFICATE":
            continue
        der = b64_strict(m.group(2))
        if der is None:
            return None
        out.append(der)
    return out


def plist_oracle(xml: bytes):
    try:
        v = plistlib.loads(xml, fmt=plistlib.FMT_XML)
    except Exception as e:  # noqa: BLE001 - any refusal is an answer
        msg = str(e).split("\n")[0]
        return "refuse", f"{type(e).__name__}: {msg}"[:100], None
    if not isinstance(v, dict):
        return "refuse", f"root is {type(v).__name__}, not dict", None
    if set(v) != set(KEYS):
        extra = sorted(set(v) - set(KEYS))
        missing = sorted(set(KEYS) - set(v))
        return "refuse", f"keys differ (extra {extra}, missing {missing})"[:100], None
    bad = [key for key in KEYS if not isinstance(v[key], str)]
    if bad:
        return "refuse", f"{bad[0]} is {type(v[bad[0]]).__name__}, not str", None
    return "ok", "-", v


def plist_autodetect(xml: bytes) -> str | None:
    """What plain plistlib.loads(xml) (format auto-detection) says, when it differs."""
    try:
        plistlib.loads(xml)
        return None
    except Exception as e:  # noqa: BLE001
        return f"{type(e).__name__}: {str(e)[:40]}"


class StrictFail(Exception):
    pass


def strict_xml(xml: bytes) -> str | None:
    """The strict reading of rule (a): None when it passes, else a reason."""
    p = expat.ParserCreate()
    st = {"stack": [], "keys": [], "pending": None, "text": None, "dicts": 0}

    def fail(r):
        raise StrictFail(r)

    def xmldecl(version, encoding, standalone):
        if version != "1.0":
            fail(f"XML version {version}")
        if encoding is not None and encoding.lower() != "utf-8":
            fail(f"encoding {encoding}")

    def doctype(name_, sysid, pubid, internal):
        if internal:
            fail("DOCTYPE internal subset")
        if name_ != "plist":
            fail(f"DOCTYPE {name_}")

    def start(el, attrs):
        stack = st["stack"]
        if not stack:
            if el != "plist":
                fail(f"root <{el}>")
            if attrs not in ({}, {"version": "1.0"}):
                fail("attributes on <plist>")
        elif stack[-1] == "plist":
            if el != "dict" or st["dicts"]:
                fail(f"<{el}> in <plist>" if el != "dict" else "second <dict>")
            st["dicts"] += 1
        elif stack[-1] == "dict":
            if el == "key":
                if st["pending"] is not None:
                    fail("key without value")
            elif el == "string":
                if st["pending"] is None:
                    fail("value without key")
            else:
                fail(f"<{el}> in <dict>")
            st["text"] = []
        else:
            fail(f"<{el}> inside <{stack[-1]}>")
        if attrs and stack:
            fail(f"attributes on <{el}>")
        stack.append(el)

    def end(el):
        st["stack"].pop()
        if el == "key":
            key = "".join(st["text"])
            st["text"] = None
            if key not in KEYS:
                fail(f"unknown key {key[:30]!r}")
            if key in st["keys"]:
                fail(f"duplicate key {key}")
            st["pending"] = key
        elif el == "string":
            st["keys"].append(st["pending"])
            st["pending"] = None
            st["text"] = None
        elif el == "dict":
            if st["pending"] is not None:
                fail("key without value")
            if len(st["keys"]) != 3:
                fail("missing key")
        elif el == "plist" and not st["dicts"]:
            fail("no <dict>")

    def chars(data):
        if st["text"] is not None:
            st["text"].append(data)
        elif data.strip(" \t\r\n"):
            fail("text between elements")

    def comment(_):
        if st["text"] is not None:
            fail("comment inside a value")

    p.XmlDeclHandler = xmldecl
    p.StartDoctypeDeclHandler = doctype
    p.EntityDeclHandler = lambda *a: fail("entity declaration")
    p.NotationDeclHandler = lambda *a: fail("notation declaration")
    p.ElementDeclHandler = lambda *a: fail("element declaration")
    p.AttlistDeclHandler = lambda *a: fail("attribute-list declaration")
    p.SkippedEntityHandler = lambda *a: fail("entity reference")
    p.ExternalEntityRefHandler = lambda *a: fail("external entity")
    p.StartCdataSectionHandler = lambda: fail("CDATA section")
    p.ProcessingInstructionHandler = lambda *a: fail("processing instruction")
    p.StartElementHandler = start
    p.EndElementHandler = end
    p.CharacterDataHandler = chars
    p.CommentHandler = comment
    try:
        p.Parse(xml, True)
    except StrictFail as e:
        return str(e)
    except expat.ExpatError as e:
        return "not well-formed: " + expat.ErrorString(e.code)
    if st["dicts"] != 1:
        return "no <dict>"
    return None


def run(args, cwd=None) -> tuple[int, str]:
    r = subprocess.run(args, cwd=cwd, capture_output=True, text=True, errors="replace")
    return r.returncode, (r.stdout + r.stderr)


def last_error(out: str) -> str:
    m = re.findall(r"error \d+ at \d+ depth lookup: ([^\n]+)", out)
    if m:
        return m[0]
    # "40C7...0000:error:0688010A:asn1 encoding routines:func:reason:file:line:" (the
    # first field is a thread id: dropped so that reruns write the same text)
    m = re.findall(r"[0-9A-F]+:error:[0-9A-F]+:[^:\n]*:([^:\n]*):([^:\n]*)", out)
    if m:
        return f"{m[0][0]}: {m[0][1]}"
    lines = [l for l in out.splitlines() if l.strip()]
    return (lines[-1] if lines else "?")[:80]


class Anchors:
    def __init__(self, name_: str, ders: list[bytes], work: Path):
        self.name = name_
        certs = [x509.load_der_x509_certificate(c) for c in ders]
        self.roots = [c for c, o in zip(ders, certs) if o.subject == o.issuer]
        self.inters = [c for c, o in zip(ders, certs) if o.subject != o.issuer]
        self.roots_pem = work / f"anchors-{name_}-roots.pem"
        self.roots_pem.write_text("".join(pem(c) for c in self.roots))


def analyze(case: Case, idx: str, anchors: dict, work: Path, go_manifest: list):
    o = case.out
    o.update(plist="refuse", plist_reason="-", csr_sha256="-", sig_sha256="-", chain_sha256="-", csr="-",
             signature="-", chain_openssl="-", chain_go="-", marker="-")
    o["why"] = []
    o["policy"] = []
    if len(case.data) > MAX_FILE:
        o["policy"].append("file over 256 KiB")
    if case.form == "b64":
        xml = b64_strict(case.data)
        if xml is None:
            o["plist_reason"] = "outer base64 not decodable"
            return
    else:
        xml = case.data
    status, reason, value = plist_oracle(xml)
    o["plist"], o["plist_reason"] = status, reason
    auto = plist_autodetect(xml)
    if status == "ok" and auto:
        o["why"].append(f"plistlib auto-detect refuses ({auto})")
    strict = strict_xml(xml)
    if status != "ok":
        return
    if strict:
        o["policy"].append("strict XML: " + strict)
    cdir = work / idx
    cdir.mkdir()
    csr_der = b64_strict(value["PushCertRequestCSR"])
    sig = b64_strict(value["PushCertSignature"])
    chain = pem_certs(value["PushCertCertificateChain"])
    if csr_der is not None:
        o["csr_sha256"] = hashlib.sha256(csr_der).hexdigest()
    else:
        o["why"].append("CSR base64 not decodable")
    if sig is not None:
        o["sig_sha256"] = hashlib.sha256(sig).hexdigest()
    else:
        o["why"].append("signature base64 not decodable")
    if chain is not None:
        o["chain_sha256"] = hashlib.sha256(b"".join(chain)).hexdigest()
        if len(chain) > MAX_CHAIN:
            o["policy"].append(f"{len(chain)} certificates, more than {MAX_CHAIN}")
        for i, der in enumerate(chain):
            try:
                x509.load_der_x509_certificate(der)
            except Exception:  # noqa: BLE001
                o["policy"].append(f"chain certificate {i + 1} does not parse")
    else:
        o["why"].append("chain PEM not decodable")
    # csr
    if csr_der is not None:
        (cdir / "csr.der").write_bytes(csr_der)
        rc, out = run(["openssl", "req", "-verify", "-noout", "-inform", "DER", "-in", "csr.der"], cdir)
        o["csr"] = "accept" if rc == 0 and "verify OK" in out else "refuse"
        if o["csr"] == "refuse":
            o["why"].append("csr: " + last_error(out))
        total = der_total(csr_der)
        if total is not None and total < len(csr_der):
            o["policy"].append(f"CSR has {len(csr_der) - total} bytes after its DER")
        try:
            ck = x509.load_der_x509_csr(csr_der).public_key()
            if not isinstance(ck, rsa.RSAPublicKey):
                o["policy"].append("CSR key not RSA")
        except Exception:  # noqa: BLE001
            pass
    if not chain:
        if chain is not None:
            o["why"].append("no certificate in the chain")
        return
    vendor = chain[0]
    (cdir / "vendor.der").write_bytes(vendor)
    (cdir / "vendor.pem").write_text(pem(vendor))
    try:
        vc = x509.load_der_x509_certificate(vendor)
        try:
            vc.extensions.get_extension_for_oid(MARKER_OID)
            o["marker"] = "yes"
        except x509.ExtensionNotFound:
            o["marker"] = "no"
        vpub = vc.public_key()
        if not isinstance(vpub, rsa.RSAPublicKey):
            o["policy"].append("vendor key not RSA")
        elif sig is not None and len(sig) != (vpub.key_size + 7) // 8:
            o["policy"].append(f"signature of {len(sig)} bytes for a {vpub.key_size}-bit key")
    except Exception as e:  # noqa: BLE001
        o["why"].append(f"cryptography: {str(e)[:50]}")
    # signature
    if sig is not None and csr_der is not None:
        (cdir / "sig.bin").write_bytes(sig)
        rc, out = run(["openssl", "x509", "-inform", "DER", "-in", "vendor.der", "-pubkey", "-noout", "-out", "vendor_pub.pem"], cdir)
        if rc != 0:
            o["signature"] = "refuse"
            o["why"].append("signature: no vendor public key")
        else:
            o["signature"] = "refuse"
            for alg in ("-sha256", "-sha1"):
                rc, out = run(["openssl", "dgst", alg, "-verify", "vendor_pub.pem", "-signature", "sig.bin", "csr.der"], cdir)
                if rc == 0 and "Verified OK" in out:
                    o["signature"] = "accept"
                    if alg == "-sha1":
                        o["why"].append("signature SHA-1")
                    break
    # chain
    a = anchors[case.anchors]
    untrusted = a.inters + chain[1:]
    now_unix = int(utc(case.now).timestamp())
    args = ["openssl", "verify", "-x509_strict", "-attime", str(now_unix), "-no-CApath", "-no-CAstore",
            "-CAfile", str(a.roots_pem)]
    inter_path = "-"
    if untrusted:
        (cdir / "untrusted.pem").write_text("".join(pem(c) for c in untrusted))
        args += ["-untrusted", "untrusted.pem"]
        inter_path = str(cdir / "untrusted.pem")
    args.append("vendor.pem")
    rc, out = run(args, cdir)
    o["chain_openssl"] = "accept" if rc == 0 and out.strip().endswith(": OK") else "refuse"
    if o["chain_openssl"] == "refuse":
        o["why"].append("openssl: " + last_error(out))
    go_manifest.append(f"{idx}\t{cdir / 'vendor.der'}\t{a.roots_pem}\t{inter_path}\t{now_unix}")
    o["apple_g1"] = False
    if case.anchors == "apple":
        try:
            o["apple_g1"] = vc.issuer == anchors["apple_g1_name"]
        except Exception:  # noqa: BLE001
            pass


def build_go(work: Path) -> Path:
    gobin = shutil.which("go") or "/usr/bin/go"
    out = work / "oracle_go"
    env = dict(os.environ, GO111MODULE="off", GOPROXY="off", GOFLAGS="", GOTOOLCHAIN="local",
               GOCACHE=str(Path(tempfile.gettempdir()) / "mdm-diff-gocache"), GOPATH=str(work / "gopath"))
    r = subprocess.run([gobin, "build", "-o", str(out), str(HERE / "oracle_go" / "main.go")],
                       env=env, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("go build failed:\n" + r.stderr)
    return out


def finish(case: Case):
    o = case.out
    go_ok = o["chain_go"] == "accept" or (
        o.get("apple_g1") and "SHA1" in o.get("go_reason", "") and o["chain_openssl"] == "accept")
    literal = (o["plist"] == "ok" and o["csr"] == "accept" and o["signature"] == "accept" and o["marker"] == "yes"
               and o["chain_openssl"] == "accept" and go_ok)
    if literal and o.get("go_len") not in (None, "-") and int(o["go_len"]) < 3:
        o["policy"].append("no CA between vendor and root")
    policy_ok = not o["policy"]
    o["verdict"] = "accept" if literal and (policy_ok or LITERAL) else "refuse"
    bits = [case.note]
    if o["policy"]:
        bits.append("policy: " + ", ".join(o["policy"]) + (" (formula alone: accept)" if literal else ""))
    if o["why"]:
        bits.append("why: " + "; ".join(o["why"]))
    note = " | ".join(bits)
    note = re.sub(r"[\t\r\n]+", " ", note)
    o["note"] = note[:400]


def main():
    t0 = time.time()
    # A certificate with NULL ECDSA parameters (an ecdsa_ case) makes
    # cryptography warn when it reads it; the warning says nothing new.
    import warnings
    from cryptography.utils import CryptographyDeprecationWarning
    warnings.simplefilter("ignore", CryptographyDeprecationWarning)
    for tool in ("openssl",):
        if not shutil.which(tool):
            sys.exit(f"{tool} not found")
    work = Path(tempfile.mkdtemp(prefix="mdm-diff-requests-"))
    try:
        k = PKI()
        anchors_dir = HERE / "anchors"
        anchors_dir.mkdir(exist_ok=True)
        test_pem = pem(k.wwdr) + pem(k.root)
        (anchors_dir / "test.pem").write_text(test_pem)
        (anchors_dir / "test_root_only.pem").write_text(pem(k.root))
        anchors = {"test": Anchors("test", [k.wwdr, k.root], work),
                   "test_root_only": Anchors("test_root_only", [k.root], work)}
        ca = REALWORLD / "apple-ca"
        apple = None
        if (ca / "apple_AppleIncRootCertificate.from_der.pem").exists():
            apple = {n: load_pem_file(ca / f)[0] for n, f in (
                ("root", "apple_AppleIncRootCertificate.from_der.pem"), ("g1", "apple_AppleWWDRCA.from_der.pem"),
                ("g3", "apple_AppleWWDRCAG3.from_der.pem"), ("g4", "apple_AppleWWDRCAG4.from_der.pem"))}
            # Apple Root CA, then WWDR CA G1 (expired 2023-02-07), G3 and G4 (see README.md)
            text = "".join(pem(apple[n]) for n in ("root", "g1", "g3", "g4"))
            (anchors_dir / "apple.pem").write_text(text)
            anchors["apple"] = Anchors("apple", [apple[n] for n in ("root", "g1", "g3", "g4")], work)
            anchors["apple_g1_name"] = x509.load_der_x509_certificate(apple["g1"]).subject
        valid_cases(k)
        xml_attack_cases(k)
        chain_cases(k)
        signature_cases(k)
        if apple:
            apple_cases(k, apple)
        else:
            print("apple-ca not found: apple_real class skipped", file=sys.stderr)
        mutation_cases(k)
        ecdsa_cases(k, anchors, anchors_dir, work, ca)
        print(f"{len(CASES)} cases built in {time.time() - t0:.1f}s", file=sys.stderr)

        manifest = []
        ids = [f"r{i:04d}" for i in range(1, len(CASES) + 1)]
        for idx, case in zip(ids, CASES):
            analyze(case, idx, anchors, work, manifest)
        print(f"openssl oracles done at {time.time() - t0:.1f}s", file=sys.stderr)
        gobin = build_go(work)
        (work / "manifest.tsv").write_text("\n".join(manifest) + "\n")
        r = subprocess.run([str(gobin), str(work / "manifest.tsv")], capture_output=True, text=True, check=True)
        go = {}
        for line in r.stdout.splitlines():
            i, verdict, n, reason = line.split("\t")
            go[i] = (verdict, n, reason)
        for idx, case in zip(ids, CASES):
            if idx in go:
                v, n, reason = go[idx]
                case.out["chain_go"] = v
                case.out["go_len"] = n
                case.out["go_reason"] = reason
                if v == "refuse":
                    case.out["why"].append("go: " + reason[:90])
            finish(case)

        rows = [HEADER]
        for idx, c in zip(ids, CASES):
            o = c.out
            row = [idx, c.cls, c.anchors, c.now, c.form, o["plist"], o["plist_reason"], o["csr_sha256"],
                   o["sig_sha256"], o["chain_sha256"], o["csr"], o["signature"], o["chain_openssl"], o["chain_go"],
                   o["marker"], o["verdict"], o["note"], base64.b64encode(c.data).decode()]
            for v in row:
                assert "\t" not in v and "\n" not in v and "\r" not in v, (idx, v[:80])
            rows.append("\t".join(row))
        (HERE / "cases.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8", newline="\n")
        summary(ids)
        print(f"wrote {HERE / 'cases.tsv'} ({(HERE / 'cases.tsv').stat().st_size:,} bytes) in {time.time() - t0:.1f}s",
              file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def summary(ids):
    classes = []
    for c in CASES:
        if c.cls not in classes:
            classes.append(c.cls)
    print("| class | cases | plist ok | csr | signature | chain_openssl | chain_go | marker yes | verdict accept |")
    print("|---|---|---|---|---|---|---|---|---|")
    for cl in classes + ["total"]:
        cs = CASES if cl == "total" else [c for c in CASES if c.cls == cl]
        n = [len(cs),
             sum(c.out["plist"] == "ok" for c in cs),
             sum(c.out["csr"] == "accept" for c in cs),
             sum(c.out["signature"] == "accept" for c in cs),
             sum(c.out["chain_openssl"] == "accept" for c in cs),
             sum(c.out["chain_go"] == "accept" for c in cs),
             sum(c.out["marker"] == "yes" for c in cs),
             sum(c.out["verdict"] == "accept" for c in cs)]
        print(f"| {cl} | " + " | ".join(map(str, n)) + " |")


if __name__ == "__main__":
    main()
