-- The expiry watch's desktop notifications: one row per integration and day it was told
-- about, so it is told at most once a day. `account` is '' when the integration has none.
CREATE TABLE notified (
    workspace TEXT NOT NULL,
    env       TEXT NOT NULL,
    provider  TEXT NOT NULL,
    account   TEXT NOT NULL,
    day       TEXT NOT NULL,
    kind      TEXT NOT NULL,
    at        TEXT NOT NULL,
    PRIMARY KEY (workspace, env, provider, account, day)
);
