//! Shared by tests/request.rs and tests/realworld.rs.

use mdm_push_cert::{SignedRequest, SignedRequestError};

/// `req` with `csr` and `signature` in place of its own, written as a
/// signedCSR file, read back and its signatures checked: the error that gives.
pub(crate) fn verify_altered(
    req: &SignedRequest,
    csr: Vec<u8>,
    signature: Vec<u8>,
) -> SignedRequestError {
    let file = SignedRequest::from_parts(csr, req.chain_der().to_vec(), signature).to_base64();
    SignedRequest::parse(file.as_bytes())
        .expect("an altered file still reads")
        .verify_signatures_only()
        .expect_err("an altered file must not verify")
}
