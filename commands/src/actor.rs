//! Who is acting, on which platform, and what they may do.

use knowledge::Lang;
use serde::{Deserialize, Serialize};

/// The chat platform a command came from. Identities are per platform: Discord user 42 and
/// Slack user U42 are different members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Terminal,
    Discord,
    Slack,
}

impl Platform {
    pub const ALL: [Platform; 3] = [Platform::Terminal, Platform::Discord, Platform::Slack];

    pub fn name(self) -> &'static str {
        match self {
            Platform::Terminal => "terminal",
            Platform::Discord => "discord",
            Platform::Slack => "slack",
        }
    }

    pub fn parse(name: &str) -> Option<Platform> {
        Platform::ALL.into_iter().find(|p| p.name() == name)
    }
}

/// What a member may do. Admins may do everything organizers may, and more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Member,
    /// User-group leaders: events and volunteer calls.
    Organizer,
    /// Badges, the audit log, the knowledge base.
    Admin,
}

/// The person a command runs for, as the front end knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub platform: Platform,
    /// The platform's id for the user (a Discord snowflake, a Slack `U…` id, a terminal name).
    pub user_id: String,
    /// The name to show in rosters and logs.
    pub name: String,
    /// Platform role ids (Discord roles, Slack user groups) the user holds.
    pub roles: Vec<String>,
    /// The user's language, when the platform says it (Discord's locale); otherwise the
    /// language of what they typed decides.
    pub locale: Option<Lang>,
    /// The platform itself calls the user an administrator (Discord's Administrator or
    /// Manage Roles permission), and the configuration lets that count.
    pub platform_admin: bool,
}

impl Actor {
    pub fn new(platform: Platform, user_id: impl Into<String>, name: impl Into<String>) -> Self {
        Actor {
            platform,
            user_id: user_id.into(),
            name: name.into(),
            roles: Vec::new(),
            locale: None,
            platform_admin: false,
        }
    }

    pub fn with_roles(mut self, roles: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.roles = roles.into_iter().map(Into::into).collect();
        self
    }

    pub fn with_locale(mut self, locale: Option<Lang>) -> Self {
        self.locale = locale;
        self
    }

    pub fn with_platform_admin(mut self, yes: bool) -> Self {
        self.platform_admin = yes;
        self
    }
}

/// Maps a platform locale tag (`pt-BR`, `zh-CN`, `en-US`) to a reply language.
pub fn lang_of_locale(tag: &str) -> Option<Lang> {
    let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
    match primary.as_str() {
        "en" => Some(Lang::En),
        "zh" => Some(Lang::Zh),
        "pt" => Some(Lang::Pt),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales() {
        assert_eq!(lang_of_locale("pt-BR"), Some(Lang::Pt));
        assert_eq!(lang_of_locale("zh_CN"), Some(Lang::Zh));
        assert_eq!(lang_of_locale("fr"), None);
    }
}
