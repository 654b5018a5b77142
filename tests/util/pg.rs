//! The throwaway PostgreSQL cluster that tests/run-suite.sh starts: one fresh database
//! per test, created through the admin URL in `ENVDECK_TEST_PG`.

use std::sync::atomic::{AtomicUsize, Ordering};

static NEXT: AtomicUsize = AtomicUsize::new(0);

pub struct Pg {
    /// `postgres://postgres:<pw>@127.0.0.1:<port>/postgres`
    pub admin: url::Url,
}

pub fn cluster() -> Pg {
    let admin = std::env::var("ENVDECK_TEST_PG").expect(
        "PostgreSQL tests need the throwaway cluster: run the suite with `make test` (tests/run-suite.sh)",
    );
    Pg {
        admin: url::Url::parse(&admin).unwrap(),
    }
}

impl Pg {
    pub fn port(&self) -> u16 {
        self.admin.port().unwrap()
    }

    /// A URL to database `db` as `user`:`password`.
    pub fn url(&self, db: &str, user: &str, password: &str) -> String {
        let mut u = self.admin.clone();
        u.set_path(db);
        u.set_username(user).unwrap();
        u.set_password(Some(password)).unwrap();
        u.to_string()
    }

    pub fn url_for(&self, db: &str) -> String {
        let mut u = self.admin.clone();
        u.set_path(db);
        u.to_string()
    }

    /// Runs SQL as the superuser in database `db`.
    pub fn exec(&self, db: &str, sql: &str) {
        let out = std::process::Command::new("psql")
            .arg(self.url_for(db))
            .args(["-v", "ON_ERROR_STOP=1", "-q", "-c", sql])
            .output()
            .expect("psql");
        assert!(
            out.status.success(),
            "psql failed: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            sql
        );
    }

    pub fn query(&self, db: &str, sql: &str) -> String {
        let out = std::process::Command::new("psql")
            .arg(self.url_for(db))
            .args(["-At", "-c", sql])
            .output()
            .expect("psql");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// A new empty database with a unique name.
    pub fn create_db(&self, label: &str) -> String {
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let name = format!("{label}_{}_{n}", std::process::id());
        self.exec("postgres", &format!("CREATE DATABASE {name}"));
        name
    }

    /// A new database holding a small product schema: `integrations` and `workflows` with
    /// `n_int` and `n_wf` rows.
    pub fn product_db(&self, label: &str, n_int: usize, n_wf: usize) -> String {
        let db = self.create_db(label);
        self.exec(
            &db,
            "CREATE TABLE integrations (id bigserial primary key, user_id int, provider text not null,
               status text, access_token text, refresh_token text, expires_at timestamptz,
               scopes text, account_email text, created_at timestamptz default now(), updated_at timestamptz default now());
             CREATE TABLE workflows (id bigserial primary key, user_id int, name text not null, description text,
               definition jsonb, is_active boolean default true, n8n_workflow_id text, execution_count int default 0,
               successful_executions int default 0, failed_executions int default 0, last_execution_at timestamptz,
               last_execution_status text, created_at timestamptz default now(), updated_at timestamptz default now());",
        );
        if n_int > 0 {
            self.exec(
                &db,
                &format!(
                    "INSERT INTO integrations (user_id, provider, status, access_token, account_email, expires_at)
                     SELECT 1, 'provider' || g, 'connected', 'tok-' || g, 'ana@acme.test', now() + interval '30 days'
                     FROM generate_series(1, {n_int}) g"
                ),
            );
        }
        if n_wf > 0 {
            self.exec(
                &db,
                &format!(
                    "INSERT INTO workflows (user_id, name, definition) SELECT 1, 'wf ' || g, '{{\"nodes\":[]}}'
                     FROM generate_series(1, {n_wf}) g"
                ),
            );
        }
        db
    }
}

/// A workspace file with the given `[environments.*]` bodies.
pub fn workspace(envs: &[(&str, &str, &str)]) -> String {
    let mut s = String::from("name = \"acme\"\n");
    for (name, kind, database) in envs {
        s.push_str(&format!(
            "\n[environments.{name}]\nkind = \"{kind}\"\ndatabase = {database}\n"
        ));
    }
    s
}
