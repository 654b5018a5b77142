//! The expiry watch's check (what the window turns into desktop notifications), run without
//! a window on a throwaway PostgreSQL: expiring anywhere or broken in a protected
//! environment, told at most once per integration per day.

use envdeck::api::Context;
use envdeck::api::expiry::{WatchSettings, expiry_check, set_settings, settings};
use envdeck::expiry::NoticeKind;

use crate::util::pg::{cluster, workspace};
use crate::util::{Dir, rt};

fn today() -> chrono::DateTime<chrono::Utc> {
    "2030-01-01T12:00:00Z".parse().unwrap()
}

fn tomorrow() -> chrono::DateTime<chrono::Utc> {
    "2030-01-02T12:00:00Z".parse().unwrap()
}

#[test]
fn expiring_anywhere_or_broken_in_a_protected_environment_is_told_once_a_day() {
    let pg = cluster();
    let (dev, prod) = (
        pg.product_db("exp_dev", 0, 0),
        pg.product_db("exp_prod", 0, 0),
    );
    let insert =
        "INSERT INTO integrations (user_id, provider, status, account_email, expires_at) VALUES";
    pg.exec(
        &prod,
        &format!(
            "{insert}
               (1, 'twitter', 'connected', 'ana@acme.test', '2030-01-04T12:00:00Z'),
               (1, 'slack',   'connected', 'ana@acme.test', '2030-01-31T12:00:00Z'),
               (1, 'stripe',  'revoked',   'ana@acme.test', '2030-06-01T00:00:00Z')"
        ),
    );
    pg.exec(
        &dev,
        &format!(
            "{insert}
               (1, 'github', 'revoked',   'ana@acme.test', '2030-06-01T00:00:00Z'),
               (1, 'notion', 'connected', 'ana@acme.test', '2029-12-25T00:00:00Z'),
               (1, 'slack',  'connected', 'ana@acme.test', '2030-01-31T12:00:00Z')"
        ),
    );
    let d = Dir::new();
    let path = d.write(
        "envdeck.toml",
        &(workspace(&[
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
        ]) + "\n[integrations]\nexpires_at = \"expires_at\"\n"),
    );
    rt().block_on(async {
        let ws = envdeck::workspace::load(&path).unwrap();
        let ctx = Context::open(&d.data_dir()).await.unwrap().with_clock(today);

        let first = expiry_check(&ctx, &ws).await.unwrap();
        let got: Vec<_> = first
            .iter()
            .map(|n| (n.env.as_str(), n.provider.as_str(), n.kind))
            .collect();
        // twitter expires in 3 days: told. stripe is revoked on prod: told. slack expires in
        // 30 days: not told. Broken (github) and expired (notion) on dev: not told.
        assert_eq!(
            got,
            [
                ("prod", "stripe", NoticeKind::Broken),
                ("prod", "twitter", NoticeKind::Expiring),
            ],
            "{first:#?}"
        );
        let twitter = &first[1];
        assert_eq!(twitter.account.as_deref(), Some("ana@acme.test"));
        assert_eq!(twitter.expires_in_seconds, Some(3 * 86_400));
        assert_eq!(
            twitter.sentence,
            "twitter (ana@acme.test) in prod expires in 3 days: reconnect it before it stops working."
        );

        let again = expiry_check(&ctx, &ws).await.unwrap();
        assert!(again.is_empty(), "told twice the same day: {again:#?}");

        // The record is in the local store: a restarted envdeck does not tell again either.
        ctx.store.close().await;
        let restarted = Context::open(&d.data_dir()).await.unwrap().with_clock(today);
        assert!(expiry_check(&restarted, &ws).await.unwrap().is_empty());

        let next_day = Context::open(&d.data_dir()).await.unwrap().with_clock(tomorrow);
        let told: Vec<_> = expiry_check(&next_day, &ws)
            .await
            .unwrap()
            .into_iter()
            .map(|n| n.provider)
            .collect();
        assert_eq!(told, ["stripe", "twitter"], "a new day tells again");
    });
}

#[test]
fn an_unreachable_environment_does_not_stop_the_check() {
    let pg = cluster();
    let prod = pg.product_db("exp_reach", 0, 0);
    pg.exec(
        &prod,
        "INSERT INTO integrations (user_id, provider, status, account_email) VALUES (1, 'stripe', 'error', NULL)",
    );
    let d = Dir::new();
    let path = d.write(
        "envdeck.toml",
        &workspace(&[
            (
                "dev",
                "development",
                &format!("{{ url = \"{}\" }}", pg.url_for("no_such_db")),
            ),
            (
                "prod",
                "production",
                &format!("{{ url = \"{}\" }}", pg.url_for(&prod)),
            ),
        ]),
    );
    rt().block_on(async {
        let ws = envdeck::workspace::load(&path).unwrap();
        let ctx = Context::open(&d.data_dir()).await.unwrap();
        let n = expiry_check(&ctx, &ws).await.unwrap();
        assert_eq!(n.len(), 1, "{n:#?}");
        assert_eq!(
            n[0].sentence,
            "stripe in prod is broken (status error): reconnect it on prod."
        );
        assert_eq!(n[0].account, None);
        // No account is its own integration for the once-a-day record too.
        assert!(expiry_check(&ctx, &ws).await.unwrap().is_empty());
    });
}

#[test]
fn the_watch_settings_default_to_every_30_minutes_and_persist() {
    let d = Dir::new();
    rt().block_on(async {
        let ctx = Context::open(&d.data_dir()).await.unwrap();
        assert_eq!(
            settings(&ctx).await.unwrap(),
            WatchSettings {
                enabled: true,
                interval_minutes: 30
            }
        );
        let off = WatchSettings {
            enabled: false,
            interval_minutes: 60,
        };
        assert_eq!(set_settings(&ctx, off).await.unwrap(), off);
        let too_often = WatchSettings {
            enabled: true,
            interval_minutes: 1,
        };
        let e = set_settings(&ctx, too_often).await.unwrap_err();
        assert_eq!(e.code, envdeck::error::ErrorCode::InvalidInput);
        ctx.store.close().await;
        let again = Context::open(&d.data_dir()).await.unwrap();
        assert_eq!(settings(&again).await.unwrap(), off, "kept across restarts");
    });
}
