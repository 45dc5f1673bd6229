//! The server's SQLite storage: the pending request (the customer key, kept
//! encrypted, and its CSR) and the current push certificate with its key.
//!
//! One push certificate per server, as in an MDM console: each table holds
//! at most one row. Every statement runs on one connection behind a mutex,
//! called from blocking tasks.

use std::path::Path;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use mdm_push_cert::time::OffsetDateTime;
use rusqlite::{Connection, OptionalExtension as _, params};

/// Why the storage could not answer. Transient from the customer's point of
/// view: the upload endpoint answers it with "retry later".
#[derive(Debug)]
pub struct StoreError(String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "storage: {}", self.0)
    }
}

impl std::error::Error for StoreError {}

impl StoreError {
    /// Stored data that cannot be read back.
    pub fn corrupt(detail: impl Into<String>) -> Self {
        Self(detail.into())
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        Self(e.to_string())
    }
}

/// The request made for the next registration or renewal, until a
/// certificate for it is accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    /// The customer's private key, PKCS#8 encrypted with the server secret
    /// (PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC).
    pub encrypted_key: Vec<u8>,
    /// The customer's CSR (DER), whose public key the upload must carry.
    pub csr_der: Vec<u8>,
    /// When the request was made.
    pub created_at: OffsetDateTime,
}

/// The accepted push certificate and the key it was issued for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Current {
    /// The push certificate's DER.
    pub certificate_der: Vec<u8>,
    /// The customer's private key, encrypted as in [`Pending`].
    pub encrypted_key: Vec<u8>,
    /// When it was accepted.
    pub uploaded_at: OffsetDateTime,
}

/// The server's database.
#[derive(Debug)]
pub struct Store {
    conn: Mutex<Connection>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS pending_request (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    encrypted_key BLOB NOT NULL,
    csr_der BLOB NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS setting (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS current_certificate (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    certificate_der BLOB NOT NULL,
    encrypted_key BLOB NOT NULL,
    uploaded_at INTEGER NOT NULL
);
";

/// How long a statement waits for another connection's lock by default
/// before the request is answered "retry later".
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

fn time(unix: i64) -> Result<OffsetDateTime, StoreError> {
    OffsetDateTime::from_unix_timestamp(unix)
        .map_err(|e| StoreError(format!("a stored time is out of range: {e}")))
}

impl Store {
    /// Opens (or creates) the database at `path`; `":memory:"` for one that
    /// lives as long as the store.
    ///
    /// # Errors
    /// When the file cannot be opened or the schema cannot be created.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        Self::open_with_busy_timeout(path, DEFAULT_BUSY_TIMEOUT)
    }

    /// As [`open`](Self::open), waiting at most `busy_timeout` for a lock
    /// another connection holds.
    ///
    /// # Errors
    /// As [`open`](Self::open).
    pub fn open_with_busy_timeout(
        path: impl AsRef<Path>,
        busy_timeout: Duration,
    ) -> Result<Self, StoreError> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(busy_timeout)?;
        conn.execute_batch(SCHEMA)?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while the lock was held cannot leave a half-applied
        // change: every write is one statement or one transaction.
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The pending request, if any.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn pending(&self) -> Result<Option<Pending>, StoreError> {
        let row = self
            .conn()
            .query_row(
                "SELECT encrypted_key, csr_der, created_at FROM pending_request WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        row.map(|(encrypted_key, csr_der, created_at)| {
            Ok(Pending {
                encrypted_key,
                csr_der,
                created_at: time(created_at)?,
            })
        })
        .transpose()
    }

    /// Stores `pending` unless a request is already pending, and returns the
    /// one that is pending afterwards: two clicks at once make one request.
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn insert_pending_if_absent(&self, pending: &Pending) -> Result<Pending, StoreError> {
        self.conn().execute(
            "INSERT OR IGNORE INTO pending_request (id, encrypted_key, csr_der, created_at)
             VALUES (1, ?1, ?2, ?3)",
            params![
                pending.encrypted_key,
                pending.csr_der,
                pending.created_at.unix_timestamp()
            ],
        )?;
        self.pending()?
            .ok_or_else(|| StoreError("the pending request vanished after it was stored".into()))
    }

    /// The current push certificate, if one was accepted.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn current(&self) -> Result<Option<Current>, StoreError> {
        let row = self
            .conn()
            .query_row(
                "SELECT certificate_der, encrypted_key, uploaded_at
                 FROM current_certificate WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        row.map(|(certificate_der, encrypted_key, uploaded_at)| {
            Ok(Current {
                certificate_der,
                encrypted_key,
                uploaded_at: time(uploaded_at)?,
            })
        })
        .transpose()
    }

    /// In one transaction: makes the certificate issued for `pending` the
    /// current one, with the pending key, and clears the pending request.
    /// Fails, changing nothing, if `pending` is no longer the pending
    /// request.
    ///
    /// # Errors
    /// When the database cannot be written, or the pending request changed.
    pub fn accept(
        &self,
        pending: &Pending,
        certificate_der: &[u8],
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let cleared = tx.execute(
            "DELETE FROM pending_request WHERE id = 1 AND csr_der = ?1",
            params![pending.csr_der],
        )?;
        if cleared != 1 {
            return Err(StoreError(
                "the pending request changed while the upload was checked".into(),
            ));
        }
        tx.execute(
            "INSERT OR REPLACE INTO current_certificate (id, certificate_der, encrypted_key, uploaded_at)
             VALUES (1, ?1, ?2, ?3)",
            params![certificate_der, pending.encrypted_key, now.unix_timestamp()],
        )?;
        tx.commit()?;
        Ok(())
    }
}

/// The console's settings: the Apple ID memo, the reminder addresses, what
/// reminder was last sent.
impl Store {
    /// A setting, `None` when never set.
    ///
    /// # Errors
    /// When the database fails.
    pub fn setting(&self, name: &str) -> Result<Option<String>, StoreError> {
        let conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        Ok(conn
            .query_row(
                "SELECT value FROM setting WHERE name = ?1",
                params![name],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Sets a setting.
    ///
    /// # Errors
    /// When the database fails.
    pub fn set_setting(&self, name: &str, value: &str) -> Result<(), StoreError> {
        let conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        conn.execute(
            "INSERT INTO setting (name, value) VALUES (?1, ?2) \
             ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            params![name, value],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending(n: u8) -> Pending {
        Pending {
            encrypted_key: vec![n; 4],
            csr_der: vec![n; 8],
            created_at: time(1_790_000_000).unwrap(),
        }
    }

    #[test]
    fn a_second_request_keeps_the_first() {
        let store = Store::open(":memory:").unwrap();
        assert_eq!(store.pending().unwrap(), None);
        assert_eq!(
            store.insert_pending_if_absent(&pending(1)).unwrap(),
            pending(1)
        );
        assert_eq!(
            store.insert_pending_if_absent(&pending(2)).unwrap(),
            pending(1)
        );
    }

    #[test]
    fn accepting_moves_the_key_and_clears_the_request() {
        let store = Store::open(":memory:").unwrap();
        let p = store.insert_pending_if_absent(&pending(1)).unwrap();
        let now = time(1_790_000_100).unwrap();
        store.accept(&p, b"cert", now).unwrap();
        assert_eq!(store.pending().unwrap(), None);
        let current = store.current().unwrap().unwrap();
        assert_eq!(current.certificate_der, b"cert");
        assert_eq!(current.encrypted_key, p.encrypted_key);
        assert_eq!(current.uploaded_at, now);
    }

    #[test]
    fn accepting_a_request_that_is_no_longer_pending_changes_nothing() {
        let store = Store::open(":memory:").unwrap();
        store.insert_pending_if_absent(&pending(1)).unwrap();
        let err = store
            .accept(&pending(2), b"cert", time(1_790_000_100).unwrap())
            .unwrap_err();
        assert!(err.to_string().contains("changed"), "{err}");
        assert_eq!(store.current().unwrap(), None);
        assert_eq!(store.pending().unwrap(), Some(pending(1)));
    }
}
