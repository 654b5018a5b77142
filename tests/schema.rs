//! The schema area beyond tables, columns and indexes (issue 11): extensions, enums,
//! constraints, views, functions, triggers, row-level security, policies and publications on
//! real PostgreSQL databases built with plain SQL, and SQLite triggers and views.

use std::collections::BTreeSet;

use crate::util::pg::{cluster, workspace};
use crate::util::{Dir, Run};

/// Two fresh PostgreSQL databases built by `dev_sql` and `prod_sql`, in a workspace where
/// `dev` is a development environment and `prod` a (protected) production one. `top` is
/// written before the environments (e.g. `schemas = [...]`).
fn pg_pair(label: &str, top: &str, dev_sql: &str, prod_sql: &str) -> Dir {
    let pg = cluster();
    let dev = pg.create_db(&format!("{label}_dev"));
    let prod = pg.create_db(&format!("{label}_prod"));
    pg.exec(&dev, dev_sql);
    pg.exec(&prod, prod_sql);
    let d = Dir::new();
    let ws = workspace(&[
        (
            "dev",
            "development",
            &format!("{{ url = \"{}\" }}", pg.url_for(&dev)),
        ),
        (
            "prod",
            "production",
            &format!("{{ url = \"{}\" }}", pg.url_for(&prod)),
        ),
    ]);
    d.write("envdeck.toml", &format!("{top}\n{ws}"));
    d
}

/// `envdeck check --from FROM --to TO --area schema --json`, which must have read both sides.
fn check(d: &Dir, from: &str, to: &str) -> Run {
    let out = d
        .cmd(&[
            "check", "--from", from, "--to", to, "--area", "schema", "--json",
        ])
        .run();
    let j = out.json();
    assert!(
        j["errors"].as_array().is_none_or(|e| e.is_empty()),
        "the schema area failed to run:\n{}\n{}",
        out.stdout,
        out.stderr
    );
    out
}

fn findings(run: &Run) -> Vec<serde_json::Value> {
    run.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["area"] == "schema")
        .cloned()
        .collect()
}

fn kinds(run: &Run) -> BTreeSet<(String, String)> {
    findings(run)
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_string(),
                f["key"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The schema findings are exactly `expected` (kind, key): nothing missing, nothing else.
fn assert_exactly(found: &BTreeSet<(String, String)>, expected: &[(&str, &str)]) {
    let want: BTreeSet<(String, String)> = expected
        .iter()
        .map(|(k, y)| (k.to_string(), y.to_string()))
        .collect();
    assert_eq!(want.len(), expected.len(), "duplicate expectations");
    let missing: Vec<_> = want.difference(found).collect();
    let unexpected: Vec<_> = found.difference(&want).collect();
    assert!(
        missing.is_empty() && unexpected.is_empty(),
        "schema findings differ from the planted ones\n  not found: {missing:?}\n  unexpected: {unexpected:?}"
    );
}

/// The one schema finding of `kind` for `key`.
fn finding(run: &Run, kind: &str, key: &str) -> serde_json::Value {
    let all = findings(run);
    all.iter()
        .find(|f| f["kind"] == kind && f["key"] == key)
        .unwrap_or_else(|| panic!("no {kind} finding for {key}: {all:#?}"))
        .clone()
}

fn detail(run: &Run, kind: &str, key: &str) -> String {
    finding(run, kind, key)["detail"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The detail together with the `from` side's definition the finding carries (`sql`).
fn described(run: &Run, kind: &str, key: &str) -> String {
    let f = finding(run, kind, key);
    format!(
        "{}\n{}",
        f["detail"].as_str().unwrap(),
        f["sql"].as_str().unwrap_or_default()
    )
}

/// Something in `to` only is information; anything `to` lacks or has differently is a
/// warning (`rls_disabled` has its own rule, tested on its own).
fn assert_usual_severities(run: &Run) {
    for f in findings(run) {
        let kind = f["kind"].as_str().unwrap();
        if kind == "rls_disabled" {
            continue;
        }
        let want = if kind.starts_with("extra_") {
            "info"
        } else {
            "warning"
        };
        assert_eq!(f["severity"], want, "severity of {f}");
    }
}

/// A missing extension (pg_trgm, which new indexes need), an extra one, a version that
/// differs; new, extra and changed enum types; and column types compared as the real type
/// (an enum's name, varchar(n), numeric(p,s), array element types), never `USER-DEFINED`.
/// What extensions install themselves (pg_trgm's functions, hstore's and citext's types) is
/// not reported object by object.
#[test]
fn extensions_enums_and_real_column_types_in_both_directions() {
    let d = pg_pair(
        "sch_ext",
        "",
        "CREATE EXTENSION pg_trgm;
         CREATE EXTENSION hstore VERSION '1.7';
         CREATE TYPE doc_status AS ENUM ('DRAFT', 'SENT', 'COMPLETED');
         CREATE TYPE plan AS ENUM ('FREE', 'PRO');
         CREATE TYPE role AS ENUM ('USER', 'ADMIN');
         CREATE TABLE documents (id int PRIMARY KEY, status doc_status, title varchar(20),
           price numeric(10,2), tags text[], role role, amount numeric(10,2), labels varchar(5)[]);",
        "CREATE EXTENSION hstore VERSION '1.8';
         CREATE EXTENSION citext;
         CREATE TYPE document_status AS ENUM ('DRAFT', 'SENT', 'COMPLETED');
         CREATE TYPE role AS ENUM ('USER', 'ADMIN', 'OWNER');
         CREATE TYPE legacy_kind AS ENUM ('A', 'B');
         CREATE TABLE documents (id int PRIMARY KEY, status document_status, title varchar(40),
           price numeric(12,2), tags integer[], role role, amount numeric(10,2), labels varchar(5)[]);",
    );
    let out = check(&d, "dev", "prod");
    assert_exactly(
        &kinds(&out),
        &[
            ("missing_extension", "pg_trgm"),
            ("extra_extension", "citext"),
            ("extension_version", "hstore"),
            ("missing_enum", "doc_status"),
            ("missing_enum", "plan"),
            ("extra_enum", "document_status"),
            ("extra_enum", "legacy_kind"),
            ("enum_values", "role"),
            ("column_type", "documents.status"),
            ("column_type", "documents.title"),
            ("column_type", "documents.price"),
            ("column_type", "documents.tags"),
        ],
    );
    assert_usual_severities(&out);
    assert_eq!(out.code, 2, "warnings only → 2\n{}", out.stderr);
    let v = detail(&out, "extension_version", "hstore");
    assert!(v.contains("1.7") && v.contains("1.8"), "{v}");
    let r = detail(&out, "enum_values", "role");
    assert!(r.contains("OWNER"), "{r}");
    let s = detail(&out, "column_type", "documents.status");
    assert!(
        s.contains("doc_status") && s.contains("document_status"),
        "{s}"
    );
    let t = detail(&out, "column_type", "documents.title");
    assert!(t.contains("character varying(20)"), "{t}");

    let back = check(&d, "prod", "dev");
    assert_exactly(
        &kinds(&back),
        &[
            ("extra_extension", "pg_trgm"),
            ("missing_extension", "citext"),
            ("extension_version", "hstore"),
            ("extra_enum", "doc_status"),
            ("extra_enum", "plan"),
            ("missing_enum", "document_status"),
            ("missing_enum", "legacy_kind"),
            ("enum_values", "role"),
            ("column_type", "documents.status"),
            ("column_type", "documents.title"),
            ("column_type", "documents.price"),
            ("column_type", "documents.tags"),
        ],
    );
    assert_usual_severities(&back);
}

/// Foreign keys (referenced table, ON DELETE / ON UPDATE), unique, check and exclusion
/// constraints: missing, extra and changed, keyed `table.constraint`. The detail of a
/// foreign key changed to ON DELETE SET NULL says so.
#[test]
fn constraints_in_both_directions() {
    let common = "CREATE TABLE users (id bigint PRIMARY KEY, email text);
                  CREATE TABLE teams (id bigint PRIMARY KEY);
                  CREATE TABLE orgs (id bigint PRIMARY KEY);";
    let d = pg_pair(
        "sch_con",
        "",
        &format!(
            "{common}
             CREATE TABLE documents (id bigint PRIMARY KEY, user_id bigint, team_id bigint, org_id bigint,
               price numeric, during tsrange, code text,
               CONSTRAINT documents_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL,
               CONSTRAINT documents_team_id_fkey FOREIGN KEY (team_id) REFERENCES teams (id) ON UPDATE CASCADE,
               CONSTRAINT documents_org_fkey FOREIGN KEY (org_id) REFERENCES orgs (id),
               CONSTRAINT documents_price_check CHECK (price >= 0),
               CONSTRAINT documents_no_overlap EXCLUDE USING gist (during WITH &&),
               CONSTRAINT documents_code_key UNIQUE (code));
             ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);"
        ),
        &format!(
            "{common}
             CREATE TABLE documents (id bigint PRIMARY KEY, user_id bigint, team_id bigint, org_id bigint,
               price numeric, during tsrange, code text,
               CONSTRAINT documents_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
               CONSTRAINT documents_team_id_fkey FOREIGN KEY (team_id) REFERENCES teams (id),
               CONSTRAINT documents_org_fkey FOREIGN KEY (org_id) REFERENCES teams (id),
               CONSTRAINT documents_price_check CHECK (price > 0),
               CONSTRAINT documents_code_key UNIQUE (code),
               CONSTRAINT documents_code_check CHECK (length(code) < 100));"
        ),
    );
    let out = check(&d, "dev", "prod");
    assert_exactly(
        &kinds(&out),
        &[
            ("changed_constraint", "documents.documents_user_id_fkey"),
            ("changed_constraint", "documents.documents_team_id_fkey"),
            ("changed_constraint", "documents.documents_org_fkey"),
            ("changed_constraint", "documents.documents_price_check"),
            ("missing_constraint", "documents.documents_no_overlap"),
            ("missing_constraint", "users.users_email_key"),
            ("extra_constraint", "documents.documents_code_check"),
        ],
    );
    assert_usual_severities(&out);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let fk = detail(
        &out,
        "changed_constraint",
        "documents.documents_user_id_fkey",
    );
    assert!(fk.contains("ON DELETE SET NULL"), "{fk}");

    let back = check(&d, "prod", "dev");
    assert_exactly(
        &kinds(&back),
        &[
            ("changed_constraint", "documents.documents_user_id_fkey"),
            ("changed_constraint", "documents.documents_team_id_fkey"),
            ("changed_constraint", "documents.documents_org_fkey"),
            ("changed_constraint", "documents.documents_price_check"),
            ("extra_constraint", "documents.documents_no_overlap"),
            ("extra_constraint", "users.users_email_key"),
            ("missing_constraint", "documents.documents_code_check"),
        ],
    );
    assert_usual_severities(&back);
}

/// Views and materialized views: missing, extra and changed definitions.
#[test]
fn views_and_materialized_views_in_both_directions() {
    let common =
        "CREATE TABLE documents (id int PRIMARY KEY, status text, created_at timestamptz);";
    let d = pg_pair(
        "sch_view",
        "",
        &format!(
            "{common}
             CREATE VIEW sent_documents AS SELECT id FROM documents WHERE status = 'SENT';
             CREATE VIEW recent AS SELECT id, created_at FROM documents WHERE created_at > now() - interval '7 days';
             CREATE MATERIALIZED VIEW doc_counts AS SELECT status, count(*) AS n FROM documents GROUP BY status;
             CREATE MATERIALIZED VIEW statuses AS SELECT status FROM documents;"
        ),
        &format!(
            "{common}
             CREATE VIEW recent AS SELECT id, created_at FROM documents WHERE created_at > now() - interval '30 days';
             CREATE VIEW legacy AS SELECT id FROM documents;
             CREATE MATERIALIZED VIEW statuses AS SELECT DISTINCT status FROM documents;"
        ),
    );
    let out = check(&d, "dev", "prod");
    assert_exactly(
        &kinds(&out),
        &[
            ("missing_view", "sent_documents"),
            ("missing_view", "doc_counts"),
            ("changed_view", "recent"),
            ("changed_view", "statuses"),
            ("extra_view", "legacy"),
        ],
    );
    assert_usual_severities(&out);
    assert_eq!(out.code, 2, "{}", out.stderr);

    let back = check(&d, "prod", "dev");
    assert_exactly(
        &kinds(&back),
        &[
            ("extra_view", "sent_documents"),
            ("extra_view", "doc_counts"),
            ("changed_view", "recent"),
            ("changed_view", "statuses"),
            ("missing_view", "legacy"),
        ],
    );
    assert_usual_severities(&back);
}

/// Functions keyed `name(argument types)` (overloads apart): missing, extra, and changed
/// body, language, volatility or SECURITY DEFINER. A body that differs only inside a string
/// literal is a different function, not whitespace noise.
#[test]
fn functions_in_both_directions() {
    let common = "CREATE FUNCTION add(a numeric, b numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$ SELECT a + b $$;";
    let d = pg_pair(
        "sch_fn",
        "",
        &format!(
            "{common}
             CREATE FUNCTION add(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT a + b $$;
             CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql
               AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
             CREATE FUNCTION score(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT x * 2 $$;
             CREATE FUNCTION whoami() RETURNS text LANGUAGE sql SECURITY DEFINER AS $$ SELECT current_user::text $$;
             CREATE FUNCTION ident(x integer) RETURNS integer LANGUAGE plpgsql AS $$ BEGIN RETURN x; END $$;
             CREATE FUNCTION greeting() RETURNS text LANGUAGE sql AS $$ SELECT 'hello  world'::text $$;"
        ),
        &format!(
            "{common}
             CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql
               AS $$ BEGIN NEW.updated_at := clock_timestamp(); RETURN NEW; END $$;
             CREATE FUNCTION score(x integer) RETURNS integer LANGUAGE sql VOLATILE AS $$ SELECT x * 2 $$;
             CREATE FUNCTION whoami() RETURNS text LANGUAGE sql AS $$ SELECT current_user::text $$;
             CREATE FUNCTION ident(x integer) RETURNS integer LANGUAGE sql AS $$ SELECT x $$;
             CREATE FUNCTION greeting() RETURNS text LANGUAGE sql AS $$ SELECT 'hello world'::text $$;
             CREATE FUNCTION legacy_cleanup() RETURNS void LANGUAGE sql AS $$ SELECT 1 $$;"
        ),
    );
    let out = check(&d, "dev", "prod");
    assert_exactly(
        &kinds(&out),
        &[
            ("missing_function", "add(a integer, b integer)"),
            ("changed_function", "touch_updated_at()"),
            ("changed_function", "score(x integer)"),
            ("changed_function", "whoami()"),
            ("changed_function", "ident(x integer)"),
            ("changed_function", "greeting()"),
            ("extra_function", "legacy_cleanup()"),
        ],
    );
    assert_usual_severities(&out);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let v = described(&out, "changed_function", "score(x integer)");
    assert!(v.to_uppercase().contains("IMMUTABLE"), "{v}");
    let s = described(&out, "changed_function", "whoami()");
    assert!(s.to_uppercase().contains("SECURITY DEFINER"), "{s}");

    let back = check(&d, "prod", "dev");
    assert_exactly(
        &kinds(&back),
        &[
            ("extra_function", "add(a integer, b integer)"),
            ("changed_function", "touch_updated_at()"),
            ("changed_function", "score(x integer)"),
            ("changed_function", "whoami()"),
            ("changed_function", "ident(x integer)"),
            ("changed_function", "greeting()"),
            ("missing_function", "legacy_cleanup()"),
        ],
    );
    assert_usual_severities(&back);
}

/// Triggers keyed `table.trigger`: missing, extra and changed (events). The server's own
/// triggers behind foreign keys are not reported.
#[test]
fn triggers_in_both_directions() {
    let common = "CREATE TABLE users (id int PRIMARY KEY, updated_at timestamptz);
                  CREATE TABLE documents (id int PRIMARY KEY, user_id int REFERENCES users (id) ON DELETE CASCADE,
                    status text, updated_at timestamptz);
                  CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql
                    AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;";
    let d = pg_pair(
        "sch_trg",
        "",
        &format!(
            "{common}
             CREATE TRIGGER documents_touch BEFORE UPDATE ON documents FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
             CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch_updated_at();"
        ),
        &format!(
            "{common}
             CREATE TRIGGER users_touch BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
             CREATE TRIGGER documents_audit AFTER UPDATE OF status ON documents FOR EACH ROW EXECUTE FUNCTION touch_updated_at();"
        ),
    );
    let out = check(&d, "dev", "prod");
    assert_exactly(
        &kinds(&out),
        &[
            ("missing_trigger", "documents.documents_touch"),
            ("changed_trigger", "users.users_touch"),
            ("extra_trigger", "documents.documents_audit"),
        ],
    );
    assert_usual_severities(&out);
    assert_eq!(out.code, 2, "{}", out.stderr);

    let back = check(&d, "prod", "dev");
    assert_exactly(
        &kinds(&back),
        &[
            ("extra_trigger", "documents.documents_touch"),
            ("changed_trigger", "users.users_touch"),
            ("missing_trigger", "documents.documents_audit"),
        ],
    );
    assert_usual_severities(&back);
}

/// Row-level security switched off in `to`, policies missing, extra and changed (command,
/// roles, USING, WITH CHECK), and tables a publication of `from` carries that the same
/// publication of `to` does not (key `publication/table`). The reverse direction has no
/// counterpart for `rls_disabled` and `publication`: `to` protecting or publishing more is
/// not drift to fix there.
#[test]
fn row_level_security_policies_and_publications_in_both_directions() {
    let common = "CREATE TABLE documents (id int PRIMARY KEY, owner text);
                  CREATE TABLE profiles (id int PRIMARY KEY);
                  CREATE TABLE notes (id int PRIMARY KEY);
                  ALTER TABLE profiles ENABLE ROW LEVEL SECURITY;
                  ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
                  CREATE POLICY owner_reads ON documents FOR SELECT USING (owner = current_user);";
    let d = pg_pair(
        "sch_rls",
        "",
        &format!(
            "{common}
             ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
             CREATE POLICY owner_writes ON documents FOR INSERT WITH CHECK (owner = current_user);
             CREATE POLICY self ON profiles FOR SELECT TO public USING (true);
             CREATE POLICY notes_read ON notes FOR SELECT USING (true);
             CREATE POLICY notes_edit ON notes FOR UPDATE USING (true);
             CREATE PUBLICATION supabase_realtime FOR TABLE documents, notes;
             CREATE PUBLICATION audit FOR TABLE profiles;"
        ),
        &format!(
            "{common}
             CREATE POLICY owner_writes ON documents FOR INSERT WITH CHECK (true);
             CREATE POLICY self ON profiles FOR SELECT TO postgres USING (true);
             CREATE POLICY admin_all ON profiles FOR ALL USING (true);
             CREATE POLICY notes_edit ON notes FOR DELETE USING (true);
             CREATE PUBLICATION supabase_realtime FOR TABLE documents;"
        ),
    );
    let out = check(&d, "dev", "prod");
    assert_exactly(
        &kinds(&out),
        &[
            ("rls_disabled", "documents"),
            ("changed_policy", "documents.owner_writes"),
            ("changed_policy", "profiles.self"),
            ("changed_policy", "notes.notes_edit"),
            ("missing_policy", "notes.notes_read"),
            ("extra_policy", "profiles.admin_all"),
            ("publication", "supabase_realtime/notes"),
            ("publication", "audit/profiles"),
        ],
    );
    assert_usual_severities(&out);
    assert_eq!(
        finding(&out, "rls_disabled", "documents")["severity"],
        "critical"
    );
    assert_eq!(out.code, 3, "{}", out.stderr);

    let back = check(&d, "prod", "dev");
    assert_exactly(
        &kinds(&back),
        &[
            ("changed_policy", "documents.owner_writes"),
            ("changed_policy", "profiles.self"),
            ("changed_policy", "notes.notes_edit"),
            ("extra_policy", "notes.notes_read"),
            ("missing_policy", "profiles.admin_all"),
        ],
    );
    assert_usual_severities(&back);
    assert_eq!(back.code, 2, "{}", back.stderr);
}

/// Objects outside `public` are named `schema.name`; schemas not in the `schemas` setting
/// are not read at all.
#[test]
fn objects_outside_public_carry_their_schema_and_unlisted_schemas_are_ignored() {
    let common = "CREATE SCHEMA billing; CREATE SCHEMA internal;
                  CREATE TABLE billing.invoices (id int PRIMARY KEY, amount numeric);";
    let d = pg_pair(
        "sch_ns",
        "schemas = [\"public\", \"billing\"]",
        &format!(
            "{common}
             CREATE TYPE billing.currency AS ENUM ('EUR', 'USD');
             ALTER TABLE billing.invoices ADD CONSTRAINT invoices_amount_check CHECK (amount >= 0);
             CREATE VIEW billing.open_invoices AS SELECT id FROM billing.invoices;
             CREATE FUNCTION billing.charge(amount numeric) RETURNS numeric LANGUAGE sql AS $$ SELECT amount $$;
             CREATE TYPE internal.secret_kind AS ENUM ('A');
             CREATE VIEW internal.everything AS SELECT 1 AS one;
             CREATE FUNCTION internal.helper() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;"
        ),
        common,
    );
    let out = check(&d, "dev", "prod");
    assert_exactly(
        &kinds(&out),
        &[
            ("missing_enum", "billing.currency"),
            (
                "missing_constraint",
                "billing.invoices.invoices_amount_check",
            ),
            ("missing_view", "billing.open_invoices"),
            ("missing_function", "billing.charge(amount numeric)"),
        ],
    );
}

/// `rls_disabled` is critical when `to` is protected (production, or any kind marked
/// `protected = true`), since every role can then read the rows the policies restricted:
/// `check` exits 3. On an unprotected target it is a warning and `check` exits 2.
#[test]
fn rls_disabled_is_critical_on_a_protected_target_only() {
    let pg = cluster();
    let table = "CREATE TABLE documents (id int PRIMARY KEY, owner text);";
    let dev = pg.create_db("sch_rlsx_dev");
    pg.exec(
        &dev,
        &format!("{table} ALTER TABLE documents ENABLE ROW LEVEL SECURITY;"),
    );
    let mut urls = vec![("dev", "development", pg.url_for(&dev))];
    for (env, kind) in [
        ("prod", "production"),
        ("staging", "staging"),
        ("guarded", "staging"),
    ] {
        let db = pg.create_db(&format!("sch_rlsx_{env}"));
        pg.exec(&db, table);
        urls.push((env, kind, pg.url_for(&db)));
    }
    let envs: Vec<(&str, &str, String)> = urls
        .iter()
        .map(|(e, k, u)| (*e, *k, format!("{{ url = \"{u}\" }}")))
        .collect();
    let envs: Vec<(&str, &str, &str)> = envs.iter().map(|(e, k, u)| (*e, *k, u.as_str())).collect();
    let text = workspace(&envs).replace(
        "[environments.guarded]\nkind = \"staging\"\n",
        "[environments.guarded]\nkind = \"staging\"\nprotected = true\n",
    );
    assert!(text.contains("protected = true"));
    let d = Dir::new();
    d.write("envdeck.toml", &text);

    for (to, severity, code) in [
        ("prod", "critical", 3),
        ("guarded", "critical", 3),
        ("staging", "warning", 2),
    ] {
        let out = check(&d, "dev", to);
        assert_exactly(&kinds(&out), &[("rls_disabled", "documents")]);
        assert_eq!(
            finding(&out, "rls_disabled", "documents")["severity"],
            severity,
            "dev → {to}"
        );
        assert_eq!(out.code, code, "dev → {to}\n{}", out.stderr);
    }
}

/// Enum values added in the middle of a type (`ADD VALUE … BEFORE`) or removed are
/// `enum_values`, and the detail names them; the same values in the same order reached
/// another way (created whole in one environment, added BEFORE in the other) are equal.
#[test]
fn enum_values_added_in_the_middle_are_named() {
    let d = pg_pair(
        "sch_enum",
        "",
        "CREATE TYPE doc_status AS ENUM ('DRAFT', 'SENT', 'DONE');
         ALTER TYPE doc_status ADD VALUE 'CANCELLED' BEFORE 'DONE';
         CREATE TYPE priority AS ENUM ('LOW', 'HIGH');
         CREATE TYPE kind AS ENUM ('A', 'B', 'C');
         CREATE TABLE documents (id int PRIMARY KEY, status doc_status, priority priority, kind kind);",
        "CREATE TYPE doc_status AS ENUM ('DRAFT', 'SENT', 'DONE');
         CREATE TYPE priority AS ENUM ('LOW', 'MEDIUM', 'HIGH');
         CREATE TYPE kind AS ENUM ('A', 'C');
         ALTER TYPE kind ADD VALUE 'B' BEFORE 'C';
         CREATE TABLE documents (id int PRIMARY KEY, status doc_status, priority priority, kind kind);",
    );
    let out = check(&d, "dev", "prod");
    assert_exactly(
        &kinds(&out),
        &[("enum_values", "doc_status"), ("enum_values", "priority")],
    );
    assert_usual_severities(&out);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let added = detail(&out, "enum_values", "doc_status");
    assert!(added.contains("CANCELLED"), "{added}");
    let removed = detail(&out, "enum_values", "priority");
    assert!(removed.contains("MEDIUM"), "{removed}");

    let back = check(&d, "prod", "dev");
    assert_exactly(
        &kinds(&back),
        &[("enum_values", "doc_status"), ("enum_values", "priority")],
    );
    let again = detail(&back, "enum_values", "doc_status");
    assert!(again.contains("CANCELLED"), "{again}");
}

/// A constraint on a table `to` lacks, or on a column `to` lacks, is part of that
/// missing_table / missing_column finding and is not repeated as missing_constraint.
#[test]
fn constraints_on_a_missing_table_or_column_are_folded() {
    let common = "CREATE TABLE users (id bigint PRIMARY KEY);
                  CREATE TABLE teams (id bigint PRIMARY KEY);";
    let d = pg_pair(
        "sch_fold",
        "",
        &format!(
            "{common}
             CREATE TABLE documents (id bigint PRIMARY KEY,
               user_id bigint REFERENCES users (id) ON DELETE SET NULL,
               price numeric CHECK (price >= 0));
             ALTER TABLE users ADD COLUMN team_id bigint REFERENCES teams (id) ON DELETE CASCADE;
             ALTER TABLE users ADD COLUMN email text CONSTRAINT users_email_check CHECK (email LIKE '%@%');"
        ),
        common,
    );
    let out = check(&d, "dev", "prod");
    assert_exactly(
        &kinds(&out),
        &[
            ("missing_table", "documents"),
            ("missing_column", "users.team_id"),
            ("missing_column", "users.email"),
        ],
    );

    let back = check(&d, "prod", "dev");
    assert_exactly(
        &kinds(&back),
        &[
            ("extra_table", "documents"),
            ("extra_column", "users.team_id"),
            ("extra_column", "users.email"),
        ],
    );
}

/// Environments built by the same migrations never differ: functions (plpgsql, sql with a
/// string body, sql with BEGIN ATOMIC), views, materialized views, check and foreign-key
/// constraints, triggers, policies, enums, extensions, RLS and publications written with
/// different whitespace, line breaks, identifier quoting and dollar-quote tags (and, where
/// the server deparses, keyword case), created in a different order, raise nothing.
#[test]
fn identical_objects_written_differently_raise_nothing() {
    let dev = "
CREATE EXTENSION pg_trgm;
CREATE TYPE doc_status AS ENUM ('DRAFT', 'SENT');
CREATE TABLE users (id bigint PRIMARY KEY, email text);
CREATE TABLE documents (
  id bigint PRIMARY KEY,
  user_id bigint,
  owner text,
  price numeric,
  status doc_status,
  updated_at timestamptz,
  CONSTRAINT documents_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL,
  CONSTRAINT documents_price_check CHECK (price >= 0 AND price < 1000000)
);
CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;
CREATE FUNCTION add(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
  SELECT a + b
$$;
CREATE FUNCTION twice(x integer) RETURNS integer LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
  SELECT x * 2;
END;
CREATE TRIGGER documents_touch BEFORE UPDATE ON documents FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE VIEW sent_documents AS SELECT id, owner FROM documents WHERE status = 'SENT';
CREATE MATERIALIZED VIEW doc_counts AS SELECT status, count(*) AS n FROM documents GROUP BY status;
ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
CREATE POLICY owner_reads ON documents FOR SELECT USING (owner = current_user);
CREATE POLICY owner_writes ON documents FOR INSERT TO postgres WITH CHECK (owner = current_user AND price >= 0);
CREATE PUBLICATION supabase_realtime FOR TABLE documents;
";
    let prod = r#"
create type "doc_status" as enum ('DRAFT','SENT');
create extension "pg_trgm";
create table "users" ("id" BIGINT primary key, "email" TEXT);
create table "documents" ("id" BIGINT primary key, "user_id" BIGINT, "owner" TEXT, "price" NUMERIC,
  "status" "doc_status", "updated_at" TIMESTAMPTZ,
  constraint "documents_price_check" check ((("price" >= 0) and ("price" < 1000000))),
  constraint "documents_user_id_fkey" foreign key ("user_id") references "users" on delete set null);
create publication supabase_realtime for table "documents";
create or replace function "public"."add"("a" INTEGER, "b" INTEGER) returns INTEGER immutable language 'sql'
as $body$ SELECT   a   +   b $body$;
create function "twice"( "x" int4 ) returns int4 immutable language sql begin atomic select ("x"*2); end;
create function "touch_updated_at"( ) returns TRIGGER as $fn$ BEGIN NEW."updated_at" := now(); RETURN NEW; END $fn$ language plpgsql;
create materialized view "doc_counts" as
  select "status", count(*) as "n"
  from "public"."documents"
  group by "status";
create view "sent_documents" as
  select "id",
         "owner"
    from "documents"
   where ("status" = 'SENT'::doc_status);
alter table "documents" enable row level security;
create policy "owner_writes" on "documents" as permissive for insert to "postgres"
  with check ((("owner" = CURRENT_USER) and ("price" >= 0)));
create policy "owner_reads" on "documents" for select
  using ((("owner") = CURRENT_USER));
create trigger "documents_touch"
  before update on "public"."documents"
  for each row execute procedure "touch_updated_at"();
"#;
    let d = pg_pair("sch_same", "", dev, prod);
    for (from, to) in [("dev", "prod"), ("prod", "dev")] {
        let out = check(&d, from, to);
        assert!(
            findings(&out).is_empty(),
            "{from} → {to}: the same schema written differently drifted: {:#?}",
            findings(&out)
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
}

/// SQLite files with their triggers and views written in `dev_db` and `prod_db`, in a
/// workspace where `prod` is production.
fn sqlite_pair(dev_db: &[&str], prod_db: &[&str]) -> Dir {
    let d = Dir::new();
    crate::util::sqlite_exec(&d.join("dev.db"), dev_db);
    crate::util::sqlite_exec(&d.join("prod.db"), prod_db);
    d.write(
        "envdeck.toml",
        &workspace(&[
            ("dev", "development", "{ url = \"sqlite://dev.db\" }"),
            ("prod", "production", "{ url = \"sqlite://prod.db\" }"),
        ]),
    );
    d
}

const SQLITE_TABLES: [&str; 2] = [
    "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, updated_at TEXT)",
    "CREATE TABLE log (id INTEGER PRIMARY KEY, item_id INTEGER, at TEXT)",
];

/// SQLite triggers (key `table.trigger`) and views: missing, extra and changed, both ways.
#[test]
fn sqlite_triggers_and_views_in_both_directions() {
    let [items, log] = SQLITE_TABLES;
    let d = sqlite_pair(
        &[
            items,
            log,
            "CREATE TRIGGER items_touch AFTER UPDATE OF name ON items BEGIN UPDATE items SET updated_at = datetime('now') WHERE id = NEW.id; END",
            "CREATE VIEW named_items AS SELECT id, name FROM items WHERE name IS NOT NULL",
            "CREATE VIEW recent_log AS SELECT * FROM log ORDER BY at DESC LIMIT 10",
            "CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id, at) VALUES (NEW.id, datetime('now')); END",
        ],
        &[
            items,
            log,
            "CREATE VIEW recent_log AS SELECT * FROM log ORDER BY at DESC LIMIT 50",
            "CREATE TRIGGER items_log AFTER UPDATE ON items BEGIN INSERT INTO log (item_id, at) VALUES (NEW.id, datetime('now')); END",
            "CREATE TRIGGER log_guard BEFORE DELETE ON log BEGIN SELECT RAISE(ABORT, 'log is append-only'); END",
            "CREATE VIEW item_names AS SELECT name FROM items",
        ],
    );
    let out = check(&d, "dev", "prod");
    assert_exactly(
        &kinds(&out),
        &[
            ("missing_trigger", "items.items_touch"),
            ("missing_view", "named_items"),
            ("changed_view", "recent_log"),
            ("changed_trigger", "items.items_log"),
            ("extra_trigger", "log.log_guard"),
            ("extra_view", "item_names"),
        ],
    );
    assert_usual_severities(&out);
    assert_eq!(out.code, 2, "{}", out.stderr);

    let back = check(&d, "prod", "dev");
    assert_exactly(
        &kinds(&back),
        &[
            ("extra_trigger", "items.items_touch"),
            ("extra_view", "named_items"),
            ("changed_view", "recent_log"),
            ("changed_trigger", "items.items_log"),
            ("missing_trigger", "log.log_guard"),
            ("missing_view", "item_names"),
        ],
    );
    assert_usual_severities(&back);
}

/// SQLite keeps a trigger's and a view's SQL as written: the same ones written with other
/// whitespace, line breaks and identifier quoting raise nothing.
#[test]
fn sqlite_identical_triggers_and_views_written_differently_raise_nothing() {
    let [items, log] = SQLITE_TABLES;
    let d = sqlite_pair(
        &[
            items,
            log,
            "CREATE TRIGGER items_touch AFTER UPDATE OF name ON items BEGIN UPDATE items SET updated_at = datetime('now') WHERE id = NEW.id; END",
            "CREATE VIEW named_items AS SELECT id, name FROM items WHERE name IS NOT NULL",
        ],
        &[
            items,
            log,
            "CREATE   TRIGGER \"items_touch\"\n  AFTER UPDATE OF \"name\" ON \"items\"\nBEGIN\n  UPDATE \"items\"\n     SET \"updated_at\" = datetime( 'now' )\n   WHERE \"id\" = NEW.\"id\";\nEND",
            "CREATE VIEW \"named_items\"\nAS\n  SELECT \"id\",\n         \"name\"\n    FROM \"items\"\n   WHERE \"name\" IS NOT NULL",
        ],
    );
    for (from, to) in [("dev", "prod"), ("prod", "dev")] {
        let out = check(&d, from, to);
        assert!(
            findings(&out).is_empty(),
            "{from} → {to}: the same triggers and views written differently drifted: {:#?}",
            findings(&out)
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
}
