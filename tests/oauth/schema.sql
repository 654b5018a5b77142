-- The product's integrations table as tests/oauth/app.mjs writes it (one environment's
-- database). The Rust tests load this into a fresh database before starting the app.
CREATE TABLE integrations (
    id            serial PRIMARY KEY,
    provider      text NOT NULL,
    account_email text,
    status        text,
    access_token  text,
    refresh_token text,
    scopes        text,
    expires_at    timestamptz,
    created_at    timestamptz DEFAULT now(),
    updated_at    timestamptz DEFAULT now()
);
