#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the committed test fixtures, Apple's CA
# certificates and the MIT-licensed third-party files. The real files from
# repositories without a licence are not copied here (they are tested in
# place by tests/realworld.rs). Rerun: bash fuzz/seed_corpus.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
pki="$root/tests/fixtures/pki"
c="$root/fuzz/corpus"
mkdir -p "$c"/{push_certificate,upload_check,signed_request,csr,topic,anchors,encrypted_key,pkcs12,apns_outcome,apns_push}
for f in "$pki"/push_*.pem "$pki"/push_b.der "$pki"/*.pem "$pki"/truncated.der "$pki"/garbage.txt \
         "$root"/tests/fixtures/thirdparty/*.pem "$root"/src/apple-certs/*.cer; do
    cp "$f" "$c/push_certificate/seed-$(basename "$f")"
    cp "$f" "$c/upload_check/seed-$(basename "$f")"
done
for f in "$pki"/*.csr "$pki"/*.csr.der "$pki"/garbage.txt "$pki"/push_b.pem; do
    cp "$f" "$c/csr/seed-$(basename "$f")"
done
for f in "$pki"/built_by_crate.signedcsr.* "$pki"/garbage.txt; do
    cp "$f" "$c/signed_request/seed-$(basename "$f")"
done
fold -w 76 "$pki/built_by_crate.signedcsr.b64" | sed 's/$/\r/' >"$c/signed_request/seed-wrapped-crlf.b64"
for f in "$pki"/anchors.pem "$pki"/root.pem "$pki"/aai2.pem "$pki"/wwdr.pem "$pki"/vendor_intermediates.pem \
         "$pki"/vendor_chain.pem "$pki"/push_b_chain.pem "$root"/tests/differential/certificates/anchors/*.pem \
         "$root"/tests/differential/requests/anchors/*.pem; do
    cp "$f" "$c/anchors/seed-$(basename "$(dirname "$(dirname "$f")")")-$(basename "$f")"
done
for f in "$root"/tests/fixtures/rotation/*.pem; do
    cp "$f" "$c/upload_check/seed-rotation-$(basename "$f")"
    cp "$f" "$c/anchors/seed-rotation-$(basename "$f")"
done
for f in "$root"/tests/fixtures/keys/*.key "$root"/tests/fixtures/keys/*.der "$pki"/customer_b.key \
         "$pki"/customer_b.pkcs1.key "$root"/tests/fixtures/thirdparty/micromdm_testdata_ProviderPrivateKey.key; do
    cp "$f" "$c/encrypted_key/seed-$(basename "$f")"
done
for f in "$root"/tests/fixtures/identity/*.p12 "$root"/tests/fixtures/thirdparty/micromdm_testdata_pushcert.p12.b64; do
    cp "$f" "$c/pkcs12/seed-$(basename "$f")"
done
# A sample of the differential cases: every 8th certificate, every 4th signedCSR.
python3 - "$root" "$c" <<'PY'
import base64, pathlib, sys
root, c = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
for name, column, step, targets in [
    ("certificates", "der_b64", 8, ["push_certificate", "upload_check"]),
    ("requests", "data_b64", 4, ["signed_request"]),
]:
    lines = (root / "tests/differential" / name / "cases.tsv").read_text().splitlines()
    header = lines[0].split("\t")
    col, idc = header.index(column), header.index("id")
    for row in lines[1::step]:
        cells = row.split("\t")
        for t in targets:
            (c / t / f"diff-{cells[idc]}").write_bytes(base64.b64decode(cells[col]))
PY
i=0
for t in com.apple.mgmt.External.6c1b2f9e-3d4a-4b8e-9f10-2a3b4c5d6e7f com.apple.mgmt.x com.apple.mgmt. \
         com.apple.mgmt.External.ü "" com.example.push.6c1b2f9e; do
    printf '%s' "$t" >"$c/topic/seed-$i"; i=$((i + 1))
done
# APNs answers, one per documented status and reason, and GOAWAY / TLS alert
# forms; tokens and PushMagic values (first line, rest).
python3 - "$c" <<'PY'
import pathlib, sys
c = pathlib.Path(sys.argv[1])
reasons = [(400, r) for r in "BadCollapseId BadDeviceToken BadExpirationDate BadMessageId BadPriority BadTopic DeviceTokenNotForTopic DuplicateHeaders IdleTimeout InvalidPushType MissingDeviceToken MissingTopic PayloadEmpty TopicDisallowed".split()]
reasons += [(403, r) for r in "BadCertificate BadCertificateEnvironment ExpiredProviderToken Forbidden InvalidProviderToken MissingProviderToken UnrelatedKeyIdInToken BadEnvironmentKeyIdInToken".split()]
reasons += [(404, "BadPath"), (405, "MethodNotAllowed"), (410, "ExpiredToken"), (410, "Unregistered"), (413, "PayloadTooLarge"),
            (429, "TooManyProviderTokenUpdates"), (429, "TooManyRequests"), (500, "InternalServerError"), (503, "ServiceUnavailable"), (503, "Shutdown")]
out = c / "apns_outcome"
for status, reason in reasons:
    body = '{"reason":"%s"%s}' % (reason, ',"timestamp":1764579600000' if status == 410 else "")
    (out / f"seed-{status}-{reason}").write_text(f"{status}\napns-id: eabeae54-14a8-11e5-b60b-1697f925ec7b\n\n{body}")
(out / "seed-200").write_text("200\napns-id: eabeae54-14a8-11e5-b60b-1697f925ec7b\n\n")
(out / "seed-429-retry-after").write_text('429\nretry-after: 120\n\n{"reason":"TooManyRequests"}')
(out / "seed-503-retry-date").write_text("503\r\nretry-after: Wed, 21 Oct 2026 07:28:00 GMT\r\n\r\n")
(out / "seed-goaway-environment").write_text('goaway\n{"reason":"BadCertificateEnvironment"}')
(out / "seed-goaway-empty").write_text("goaway\n")
(out / "seed-alert-45").write_text("alert 45")
(out / "seed-alert-48").write_text("alert 48")
(out / "seed-400-escapes").write_text('400\n\n{"reason":"\\u0042adDeviceToken","x":[1,{"y":null}],"timestamp":-1.5e3}')
out = c / "apns_push"
token = "00fc13adff785122b4ad28809a3420982341241421348097878e577c991de8f0"
for i, (t, m) in enumerate([
    (token, "5D0B0B4D-6A1B-4B8E-9F10-2A3B4C5D6E7F"),
    (token.upper(), "eabeae54-14a8-11e5-b60b-1697f925ec7b"),
    ("ab" * 8, "x"),
    ("ab" * 100, "a b"),
    ("ab" * 101, ' padded '),
    ("<740f4707 bebcf74f>", 'a"b'),
    (token, "https://127.0.0.1:8443"),
    ("", ""),
]):
    (out / f"seed-{i}").write_text(f"{t}\n{m}")
PY
echo "corpus seeded under $c"
