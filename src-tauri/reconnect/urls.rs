//! Where the browser goes: the environment's own connect page, and advice when the
//! provider will refuse it because it is on localhost.

use crate::error::{Error, ErrorCode, Result};
use crate::workspace::{Environment, Workspace};

/// Providers that refuse localhost redirect URIs (seed 000): one list, overridable by
/// `[integrations] refuse_localhost`.
pub const DEFAULT_REFUSE_LOCALHOST: &[&str] = &["twitter", "x", "facebook", "instagram"];

/// The connect page of `provider` in `env`: `[integrations.connect_urls] <provider>`, else
/// `[integrations] connect_url`, with `{app_url}` (no trailing slash) and `{provider}`
/// filled in.
pub fn connect_url(ws: &Workspace, env: &Environment, provider: &str) -> Result<String> {
    let map = &ws.integrations;
    let (template, key) = match map.connect_urls.get(provider) {
        Some(t) => (t, format!("integrations.connect_urls.{provider}")),
        None => match &map.connect_url {
            Some(t) => (t, "integrations.connect_url".to_string()),
            None => {
                return Err(Error::new(
                    ErrorCode::WorkspaceInvalid,
                    format!(
                        "envdeck does not know where {provider} is connected: add connect_url = \"{{app_url}}/api/integrations/{{provider}}/connect\" under [integrations] in {} (or [integrations.connect_urls] {provider} = \"…\"), the page of your app that starts the OAuth flow",
                        ws.path.display()
                    ),
                ));
            }
        },
    };
    let mut url = template.replace("{provider}", provider);
    if url.contains("{app_url}") {
        let Some(app) = env.app_url.as_deref() else {
            return Err(Error::new(
                ErrorCode::WorkspaceInvalid,
                format!(
                    "{} uses {{app_url}} but environment {} has no app_url: add app_url = \"https://…\" under [environments.{}] in {}",
                    key,
                    env.name,
                    env.name,
                    ws.place(&format!("environments.{}", env.name))
                ),
            ));
        };
        url = url.replace("{app_url}", app.trim_end_matches('/'));
    }
    url::Url::parse(&url).map_err(|e| {
        Error::new(
            ErrorCode::WorkspaceInvalid,
            format!(
                "the connect URL of {provider} in {} is not a URL ({e}): fix {key} at {}",
                env.name,
                ws.place(&key)
            ),
        )
    })?;
    Ok(url)
}

/// Whether `url` points at this machine (localhost, 127.0.0.0/8, [::1]).
pub fn is_local_url(url: &str) -> bool {
    let Ok(u) = url::Url::parse(url) else {
        return false;
    };
    match u.host() {
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Advice to show before opening the browser when `provider` refuses localhost redirect
/// URIs and `env` runs on this machine.
pub fn localhost_advice(ws: &Workspace, env: &Environment, provider: &str) -> Option<String> {
    let app = env.app_url.as_deref()?;
    if !is_local_url(app) {
        return None;
    }
    let refuses = match &ws.integrations.refuse_localhost {
        Some(list) => list.iter().any(|p| p.eq_ignore_ascii_case(provider)),
        None => DEFAULT_REFUSE_LOCALHOST
            .iter()
            .any(|p| p.eq_ignore_ascii_case(provider)),
    };
    refuses.then(|| {
        format!(
            "{provider} refuses localhost redirect URIs, and {} runs on {app}: expose it through a tunnel (e.g. `ngrok http {}`) and set its app_url to the tunnel's URL, or connect {provider} on a staging deployment",
            env.name,
            url::Url::parse(app)
                .ok()
                .and_then(|u| u.port_or_known_default())
                .unwrap_or(80)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ws(text: &str) -> Workspace {
        crate::workspace::parse(text, std::path::Path::new("/ws/envdeck.toml")).unwrap()
    }

    const BASE: &str = r#"
name = "acme"
[environments.dev]
kind = "development"
app_url = "http://localhost:3000/"
database = { url = "sqlite://dev.db" }
[environments.prod]
kind = "production"
app_url = "https://app.acme.test"
database = { url = "sqlite://prod.db" }
"#;

    #[test]
    fn the_connect_url_is_the_environments_own_page_or_a_per_provider_override() {
        let w = ws(&format!(
            "{BASE}[integrations]\nconnect_url = \"{{app_url}}/api/integrations/{{provider}}/connect\"\n[integrations.connect_urls]\nstripe = \"https://connect.stripe.test/{{provider}}\"\n"
        ));
        let (dev, prod) = (&w.environments[0], &w.environments[1]);
        assert_eq!(
            connect_url(&w, prod, "twitter").unwrap(),
            "https://app.acme.test/api/integrations/twitter/connect"
        );
        assert_eq!(
            connect_url(&w, dev, "twitter").unwrap(),
            "http://localhost:3000/api/integrations/twitter/connect"
        );
        assert_eq!(
            connect_url(&w, prod, "stripe").unwrap(),
            "https://connect.stripe.test/stripe"
        );
        let none = ws(BASE);
        let e = connect_url(&none, &none.environments[1], "twitter").unwrap_err();
        assert!(e.message.contains("add connect_url"), "{}", e.message);
    }

    #[test]
    fn providers_that_refuse_localhost_get_advice_on_a_local_environment_only() {
        let w = ws(BASE);
        let (dev, prod) = (&w.environments[0], &w.environments[1]);
        let advice = localhost_advice(&w, dev, "twitter").unwrap();
        assert!(advice.contains("ngrok http 3000"), "{advice}");
        assert!(localhost_advice(&w, prod, "twitter").is_none());
        assert!(localhost_advice(&w, dev, "github").is_none());
        let custom = ws(&format!(
            "{BASE}[integrations]\nrefuse_localhost = [\"github\"]\n"
        ));
        assert!(localhost_advice(&custom, &custom.environments[0], "github").is_some());
        assert!(localhost_advice(&custom, &custom.environments[0], "twitter").is_none());
        assert!(is_local_url("http://127.0.0.1:8080"));
        assert!(is_local_url("http://[::1]:3000"));
        assert!(!is_local_url("https://example.com"));
    }
}
