//! The compare drawer's side-by-side view on real databases: a table's columns and types on
//! each side, both applied-migration lists, env-file keys as equal / different / missing,
//! and never a config value in the answer.

use envdeck::compare::sides::{ColumnRow, NameRow, SideState};
use envdeck::compare::{Area, FindingKind, KeyPart, KeyParts, Sides};

use crate::util::pg::cluster;
use crate::util::{Dir, planted};

fn state_of(rows: &[NameRow], name: &str) -> SideState {
    rows.iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no row {name}: {rows:?}"))
        .state
}

fn column<'a>(rows: &'a [ColumnRow], name: &str) -> &'a ColumnRow {
    rows.iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no column {name}: {rows:?}"))
}

async fn sides(
    ctx: &envdeck::api::Context,
    ws: &std::path::Path,
    area: Area,
    key: KeyParts,
    kind: FindingKind,
) -> Sides {
    envdeck::api::compare::finding_sides(ctx, ws, "dev", "prod", area, &key, kind)
        .await
        .unwrap()
}

/// PostgreSQL: the drawer shows a column missing in prod and one whose type differs, the
/// pending and unknown migrations with the prisma command, and config keys whose values
/// differ as "different" without any value (planted ones included) in the answer.
#[test]
fn postgres_findings_get_columns_migrations_and_config_keys_side_by_side() {
    let pg = cluster();
    let dev = pg.create_db("sidesdev");
    let prod = pg.create_db("sidesprod");
    let common = "CREATE TABLE _prisma_migrations (id text primary key, migration_name text, finished_at timestamptz, rolled_back_at timestamptz);
                  CREATE TABLE users (id bigint primary key, email text not null);";
    pg.exec(
        &dev,
        &format!(
            "{common} ALTER TABLE users ADD COLUMN nickname text; ALTER TABLE users ADD COLUMN score int;
             INSERT INTO _prisma_migrations VALUES ('1','001_init',now(),NULL),('2','002_nickname',now(),NULL);"
        ),
    );
    pg.exec(
        &prod,
        &format!(
            "{common} ALTER TABLE users ADD COLUMN score bigint;
             INSERT INTO _prisma_migrations VALUES ('1','001_init',now(),NULL),('9','009_hotfix',now(),NULL);"
        ),
    );
    let secret = planted("SideSecret");
    let d = Dir::new();
    d.write(
        ".env.dev",
        &format!("STRIPE_KEY={secret}dev\nSAME_VALUE={secret}\nONLY_DEV=1\n"),
    );
    d.write(
        ".env.prod",
        &format!("STRIPE_KEY={secret}prod\nSAME_VALUE={secret}\nONLY_PROD=1\n"),
    );
    let ws = d.write(
        "envdeck.toml",
        &format!(
            "name = \"acme\"\n\n[environments.dev]\nkind = \"development\"\ndatabase = {{ url = \"{}\" }}\nenv_file = \".env.dev\"\n\n[environments.prod]\nkind = \"production\"\ndatabase = {{ url = \"{}\" }}\nenv_file = \".env.prod\"\n",
            pg.url_for(&dev),
            pg.url_for(&prod)
        ),
    );
    let rt = crate::util::rt();
    rt.block_on(async {
        let ctx = envdeck::api::Context::open(&d.data_dir()).await.unwrap();
        let in_users = |c: &str| KeyParts::of(Some("users"), vec![KeyPart::text(c)]);

        let s = sides(
            &ctx,
            &ws,
            Area::Schema,
            in_users("nickname"),
            FindingKind::MissingColumn,
        )
        .await;
        let Sides::Columns {
            table,
            in_from,
            in_to,
            columns,
            migrate_command,
        } = s
        else {
            panic!("{s:?}")
        };
        assert_eq!((table.as_str(), in_from, in_to), ("users", true, true));
        assert_eq!(
            migrate_command.as_deref(),
            Some("npx prisma migrate deploy")
        );
        let nick = column(&columns, "nickname");
        assert_eq!(nick.state, SideState::Missing);
        assert_eq!(nick.from.as_ref().unwrap().data_type, "text");
        assert!(nick.to.is_none());
        let score = column(&columns, "score");
        assert_eq!(score.state, SideState::Different);
        assert_eq!(
            (
                score.from.as_ref().unwrap().data_type.as_str(),
                score.to.as_ref().unwrap().data_type.as_str()
            ),
            ("integer", "bigint")
        );
        assert_eq!(column(&columns, "email").state, SideState::Equal);

        let s = sides(
            &ctx,
            &ws,
            Area::Migrations,
            KeyParts::name("002_nickname"),
            FindingKind::Pending,
        )
        .await;
        let Sides::Migrations {
            migrations,
            migrate_command,
            ..
        } = s
        else {
            panic!("{s:?}")
        };
        assert_eq!(
            migrate_command.as_deref(),
            Some("npx prisma migrate deploy")
        );
        assert_eq!(state_of(&migrations, "001_init"), SideState::Equal);
        assert_eq!(state_of(&migrations, "002_nickname"), SideState::Missing);
        assert_eq!(state_of(&migrations, "009_hotfix"), SideState::Extra);

        let s = sides(
            &ctx,
            &ws,
            Area::Config,
            KeyParts::name("ONLY_DEV"),
            FindingKind::MissingKey,
        )
        .await;
        let json = serde_json::to_string(&s).unwrap();
        assert!(
            !json.contains(&secret) && !json.contains("=1"),
            "a config value reached the answer: {json}"
        );
        let Sides::ConfigKeys {
            keys,
            from_file,
            to_file,
        } = s
        else {
            panic!("{json}")
        };
        assert_eq!(
            (from_file.as_deref(), to_file.as_deref()),
            (Some(".env.dev"), Some(".env.prod"))
        );
        assert_eq!(state_of(&keys, "STRIPE_KEY"), SideState::Different);
        assert_eq!(state_of(&keys, "SAME_VALUE"), SideState::Equal);
        assert_eq!(state_of(&keys, "ONLY_DEV"), SideState::Missing);
        assert_eq!(state_of(&keys, "ONLY_PROD"), SideState::Extra);

        // Integrations have no side-by-side view of this kind: a clear refusal.
        let e = envdeck::api::compare::finding_sides(
            &ctx,
            &ws,
            "dev",
            "prod",
            Area::Integrations,
            &KeyParts::name("x"),
            FindingKind::Missing,
        )
        .await
        .unwrap_err();
        assert_eq!(e.code.as_str(), "invalid_input", "{e:?}");
    });
}

/// SQLite (the demo): the table missing in prod shows dev's columns and an absent prod side.
#[test]
fn sqlite_missing_table_shows_the_source_columns_only() {
    let d = Dir::new();
    let ws = d.demo();
    let rt = crate::util::rt();
    rt.block_on(async {
        let ctx = envdeck::api::Context::open(&d.data_dir()).await.unwrap();
        let s = sides(
            &ctx,
            &ws,
            Area::Schema,
            KeyParts::of(Some("api_keys"), Vec::new()),
            FindingKind::MissingTable,
        )
        .await;
        let Sides::Columns {
            in_from,
            in_to,
            columns,
            ..
        } = s
        else {
            panic!("{s:?}")
        };
        assert!(in_from && !in_to);
        assert!(!columns.is_empty());
        assert!(
            columns
                .iter()
                .all(|c| c.state == SideState::Missing && c.to.is_none())
        );
    });
}
