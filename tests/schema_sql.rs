//! `check --area schema --sql`: the statements that would make the target like the source,
//! in dependency order, headed by the advice to run the project's migrations. Applied to a
//! throwaway copy of the target (never to an environment), the schema area comes back clean.

use crate::util::Dir;
use crate::util::pg::{cluster, workspace};

/// Objects of every kind in dev, the target without them; the script goes to a copy made
/// with `CREATE DATABASE … TEMPLATE`.
#[test]
fn the_sql_suggestion_applied_to_a_copy_of_the_target_leaves_the_schema_clean() {
    let pg = cluster();
    let (dev, prod) = (pg.create_db("sqldev"), pg.create_db("sqlprod"));
    let common = "CREATE TABLE _prisma_migrations (id text primary key, migration_name text, finished_at timestamptz, rolled_back_at timestamptz);
        CREATE TYPE status AS ENUM ('DRAFT', 'DONE');
        CREATE TABLE users (id serial primary key, email text unique);
        CREATE TABLE docs (id serial primary key, owner int REFERENCES users(id), status status,
                           title varchar(20), CONSTRAINT title_len CHECK (length(title) > 0));
        CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.title := upper(NEW.title); RETURN NEW; END $$;
        CREATE VIEW v_docs AS SELECT id, title FROM docs WHERE status = 'DONE';";
    pg.exec(&dev, common);
    pg.exec(&prod, common);
    pg.exec(
        &dev,
        "CREATE EXTENSION pg_trgm;
         ALTER TYPE status ADD VALUE 'CANCELLED' BEFORE 'DONE';
         ALTER TABLE docs DROP CONSTRAINT docs_owner_fkey;
         ALTER TABLE docs ADD CONSTRAINT docs_owner_fkey FOREIGN KEY (owner) REFERENCES users(id) ON DELETE SET NULL;
         CREATE TRIGGER t_touch BEFORE INSERT ON docs FOR EACH ROW EXECUTE FUNCTION touch();
         ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
         CREATE POLICY owner_only ON docs FOR SELECT TO PUBLIC USING (owner = 1);
         CREATE INDEX docs_title_trgm ON docs USING gin (title gin_trgm_ops);
         CREATE OR REPLACE VIEW v_docs AS SELECT id, title, owner FROM docs WHERE status = 'DONE';
         CREATE TABLE tags (id serial primary key, doc int NOT NULL REFERENCES docs(id) ON DELETE CASCADE,
                            name text UNIQUE, CONSTRAINT tag_name CHECK (name <> ''));
         CREATE INDEX tags_doc ON tags (doc);
         CREATE FUNCTION tag_count(d int) RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT count(*) FROM tags WHERE doc = d $$;
         ALTER TABLE users ADD COLUMN nick varchar(30) DEFAULT 'x' NOT NULL;
         CREATE PUBLICATION envdeck_test_pub FOR TABLE docs;",
    );
    let ws = |target: &str| {
        workspace(&[
            (
                "dev",
                "development",
                &format!("{{ url = \"{}\" }}", pg.url_for(&dev)),
            ),
            (
                "prod",
                "production",
                &format!("{{ url = \"{}\" }}", pg.url_for(target)),
            ),
        ])
    };
    let d = Dir::new();
    d.write("envdeck.toml", &ws(&prod));
    let before = d
        .cmd(&[
            "check", "--from", "dev", "--to", "prod", "--area", "schema", "--json",
        ])
        .run();
    assert_eq!(
        before.code, 3,
        "rls_disabled on a protected target: {}",
        before.stdout
    );
    let sql = d
        .cmd(&[
            "check", "--from", "dev", "--to", "prod", "--area", "schema", "--sql",
        ])
        .run();
    let script = sql.stdout;
    assert!(
        script.starts_with("-- envdeck: what would make prod's schema match")
            && script.contains("npx prisma migrate deploy"),
        "the first lines say to run the migrations: {script}"
    );
    let pos = |s: &str| {
        script
            .find(s)
            .unwrap_or_else(|| panic!("{s:?} not in the script:\n{script}"))
    };
    assert!(pos("CREATE EXTENSION") < pos("CREATE INDEX docs_title_trgm"));
    assert!(pos("CREATE TABLE tags") < pos("ADD CONSTRAINT tags_doc_fkey"));
    assert!(pos("ADD VALUE IF NOT EXISTS 'CANCELLED' BEFORE 'DONE'") < pos("CREATE VIEW v_docs"));
    assert!(pos("FUNCTION public.tag_count") < pos("CREATE TRIGGER t_touch"));

    // A copy of the target, never the target itself.
    let copy = format!("{prod}_copy");
    pg.exec(
        "postgres",
        &format!("CREATE DATABASE {copy} TEMPLATE {prod}"),
    );
    let file = d.write("fix.sql", &script);
    let out = std::process::Command::new("psql")
        .arg(pg.url_for(&copy))
        .args(["-v", "ON_ERROR_STOP=1", "-q", "-f"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the script does not apply: {}\n{script}",
        String::from_utf8_lossy(&out.stderr)
    );
    d.write("envdeck.toml", &ws(&copy));
    let after = d
        .cmd(&[
            "check", "--from", "dev", "--to", "prod", "--area", "schema", "--json",
        ])
        .run();
    let j = after.json();
    assert!(
        j["findings"].as_array().unwrap().is_empty(),
        "the schema area is not clean after the script: {j}"
    );
    assert_eq!(after.code, 0);
    // The target itself was only read.
    assert_eq!(
        pg.query(
            &prod,
            "SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'"
        ),
        "0"
    );
}
