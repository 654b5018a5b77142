//! [`WritePermit`]: proof, checked by the compiler, that a write comes from the guarded
//! sync. Its constructor is visible inside `crate::sync` only, so no other module (the api,
//! the CLI, the window, a read path) can obtain a writable connection.

/// Required by [`crate::connectors::Writer::open`]. Cannot be built outside `crate::sync`:
/// the field is private and the only constructor is `pub(in crate::sync)`.
#[derive(Debug)]
pub struct WritePermit {
    _sealed: (),
}

impl WritePermit {
    /// For the guarded sync's apply and undo, after their guard has passed.
    pub(in crate::sync) fn for_guarded_sync() -> WritePermit {
        WritePermit { _sealed: () }
    }
}

#[cfg(test)]
mod tests {
    use super::WritePermit;
    use crate::connectors::{Cell, Connection, Limits, OpenOptions, Writer};
    use crate::secrets::Sensitive;

    fn opts(dir: &std::path::Path, protected: bool) -> OpenOptions<'_> {
        OpenOptions {
            base: dir,
            protected,
            label: "the test database",
            limits: Limits::default(),
        }
    }

    /// A read handle cannot write, even on an unprotected environment; a writer with the
    /// permit writes in one transaction, and a rolled-back transaction leaves nothing.
    #[tokio::test]
    async fn only_a_permit_holder_writes_and_only_in_a_transaction() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("w.db");
        {
            use sqlx::Connection as _;
            let o = sqlx::sqlite::SqliteConnectOptions::new()
                .filename(&file)
                .create_if_missing(true);
            let mut c = sqlx::SqliteConnection::connect_with(&o).await.unwrap();
            sqlx::query("CREATE TABLE roles (name TEXT PRIMARY KEY)")
                .execute(&mut c)
                .await
                .unwrap();
        }
        let url = Sensitive::new("sqlite://w.db".to_string());
        for protected in [false, true] {
            let mut read = Connection::open_with(&url, &opts(dir.path(), protected))
                .await
                .unwrap();
            let e = read
                .fetch_text("INSERT INTO roles VALUES ('x') RETURNING name")
                .await
                .unwrap_err();
            assert_eq!(e.code, crate::error::ErrorCode::ReadOnly, "{}", e.message);
        }
        let permit = WritePermit::for_guarded_sync();
        let mut w = Writer::open(&url, &opts(dir.path(), true), &permit)
            .await
            .unwrap();
        let mut tx = w.begin().await.unwrap();
        tx.execute(
            "INSERT INTO roles VALUES (?1)",
            &[Cell::Text("rolled back".into())],
        )
        .await
        .unwrap();
        tx.rollback().await.unwrap();
        let mut tx = w.begin().await.unwrap();
        let n = tx
            .execute(
                "INSERT INTO roles VALUES (?1)",
                &[Cell::Text("manager".into())],
            )
            .await
            .unwrap();
        assert_eq!(n, 1);
        tx.commit().await.unwrap();
        let mut read = Connection::open_with(&url, &opts(dir.path(), true))
            .await
            .unwrap();
        let rows = read.fetch_text("SELECT name FROM roles").await.unwrap();
        assert_eq!(rows, vec![vec![Some("manager".to_string())]]);
    }
}
