use super::*;
use commands::Text;
use knowledge::{KnowledgeBase, Lang, MemStore, Settings};
use std::sync::Mutex;

/// A front end or conversation that writes down what it was asked to do.
#[derive(Default)]
struct Log(Mutex<Vec<String>>);

impl Log {
    fn note(&self, what: String) {
        self.0.lock().unwrap().push(what);
    }
    fn taken(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

#[async_trait]
impl Front for Log {
    async fn direct(&self, user: &str, reply: &Reply) -> Result<()> {
        self.note(format!("direct {user}: {}", reply.text));
        Ok(())
    }
    async fn apply(&self, effect: &Effect) -> Result<()> {
        self.note(format!("{effect:?}"));
        Ok(())
    }
    async fn announce(&self, reply: &Reply) -> Result<Option<PostRef>> {
        self.note(format!("announce: {}", reply.text));
        Ok(Some(PostRef {
            channel: "A".into(),
            message: "9".into(),
        }))
    }
    async fn edit(&self, post: PostRef, reply: &Reply) -> Result<()> {
        self.note(format!("edit {}: {}", post.message, reply.text));
        Ok(())
    }
}

#[async_trait]
impl Conversation for Log {
    async fn here(&self, reply: &Reply) -> Result<()> {
        self.note(format!("here: {}", reply.text));
        Ok(())
    }
    async fn announce(&self, reply: &Reply) -> Result<PostRef> {
        self.note(format!("announce: {}", reply.text));
        Ok(PostRef {
            channel: "C".into(),
            message: "1".into(),
        })
    }
    async fn edit(&self, post: PostRef, reply: &Reply) -> Result<()> {
        self.note(format!("edit {}: {}", post.message, reply.text));
        Ok(())
    }
}

fn commands() -> Arc<Commands> {
    let db = sled::Config::new().temporary(true).open().unwrap();
    let kb = KnowledgeBase::open(Arc::new(MemStore::default()), Settings::default()).unwrap();
    Arc::new(Commands::open(&db, Arc::new(kb), commands::Config::default()).unwrap())
}

#[tokio::test]
async fn every_reply_and_effect_goes_where_it_belongs() {
    let fronts = Fronts::default();
    let (discord, slack) = (Arc::new(Log::default()), Arc::new(Log::default()));
    fronts.add(Platform::Discord, Arc::clone(&discord) as Arc<dyn Front>);
    fronts.add(Platform::Slack, Arc::clone(&slack) as Arc<dyn Front>);
    let core = Core::new(commands(), fronts.clone(), Platform::Discord, None);
    let here = Log::default();
    let dm = |platform, user: &str, text: &str| {
        Reply::new(Lang::En, text).to(Destination::Direct {
            platform,
            user: user.into(),
        })
    };
    let mut post = Reply::new(Lang::En, "event").to(Destination::Announcements);
    post.post_key = Some("event:e1".into());
    let response = Response::one(Reply::new(Lang::En, "done"))
        .and(post)
        .and(
            Reply::new(Lang::En, "event, changed").to(Destination::Update {
                key: "event:e1".into(),
            }),
        )
        .and(dm(Platform::Slack, "U1", "promoted on Slack"))
        .and(dm(Platform::Discord, "42", "promoted on Discord"))
        .effect(Effect::BadgeGranted {
            platform: Platform::Slack,
            user: "U1".into(),
            badge: "speaker",
        });
    core.deliver(&here, &response, 1).await;
    assert_eq!(here.taken(), ["announce: event", "edit 1: event, changed"]);
    assert_eq!(
        slack.taken(),
        [
            "announce: event",
            "edit 9: event, changed",
            "direct U1: promoted on Slack",
            "BadgeGranted { platform: Slack, user: \"U1\", badge: \"speaker\" }"
        ],
        "the announcement and its update reach Slack too"
    );
    assert_eq!(discord.taken(), ["direct 42: promoted on Discord"]);
    // The clock's: no conversation, each to its platform, updates to every post.
    let mut update = Reply::new(Lang::En, "closed").to(Destination::Update {
        key: "event:e1".into(),
    });
    update.post_key = Some("event:e1".into());
    fronts
        .deliver(
            &core.commands,
            &Response::one(dm(Platform::Slack, "U2", "reminder")).and(update),
        )
        .await;
    assert_eq!(slack.taken(), ["direct U2: reminder", "edit 9: closed"]);
    assert_eq!(discord.taken(), ["edit 1: closed"]);
}

#[test]
fn another_platform_is_pinged_only_by_its_own_mentions() {
    let mut post = Reply::new(
        Lang::En,
        commands::Text::role(Platform::Discord, "998877")
            .and(" by ")
            .and(commands::Text::user(Platform::Discord, "42")),
    );
    post.mention_roles = vec!["998877".into()];
    post.mention_users = vec!["42".into()];
    let on_slack = for_platform(&post, Platform::Slack);
    assert!(on_slack.mention_roles.is_empty() && on_slack.mention_users.is_empty());
    let on_discord = for_platform(&post, Platform::Discord);
    assert_eq!(on_discord.mention_roles, ["998877"]);
    assert_eq!(on_discord.mention_users, ["42"]);
}

#[test]
fn the_limit_counts_per_member() {
    let limit = QuestionLimit::new(Some(2));
    assert!(limit.allow("a") && limit.allow("a"));
    assert!(!limit.allow("a"), "a third question in the minute waits");
    assert!(limit.allow("b"), "another member is not held up");
}

#[test]
fn the_limit_forgets_quiet_members() {
    let limit = QuestionLimit::new(Some(1_000_000));
    for i in 0..3000 {
        limit.allow(&format!("member{i}"));
    }
    assert!(limit.members() < 3000, "{} members kept", limit.members());
}

#[test]
fn long_fields_are_paged_whole_and_short_replies_are_left_alone() {
    let names: Vec<Text> = (0..300)
        .map(|i| {
            Text::user(Platform::Discord, format!("{}", 1000 + i))
                .and(" (")
                .and(Text::typed(format!("volunteer{i:03}, the second")))
                .and(")")
        })
        .collect();
    let value = Text::plain("@lead\nwaitlist: ").and(Text::join(names, ", "));
    let roster = Reply::private(Lang::En, "Night")
        .title("Roster of v1")
        .field("onsite (1/1)", value.clone())
        .field("host (0/1)", "—");
    let page = Page::of(Platform::Discord);
    let out = paged(Response::one(roster.clone()), page);
    assert!(out.replies.len() > 1, "one message cannot hold it");
    let mut seen = String::new();
    for (i, r) in out.replies.iter().enumerate() {
        assert_eq!(r.destination, Destination::Private);
        let title = r.title.as_ref().unwrap();
        assert!(
            title.ends_with(&format!("({}/{})", i + 1, out.replies.len())),
            "{title}"
        );
        assert!(r.fields.len() <= page.fields);
        let total: usize = r.fields.iter().map(|f| f.value.chars().count()).sum();
        assert!(total <= page.total, "{total}");
        for f in &r.fields {
            assert!(f.value.chars().count() <= page.field, "{}", f.value);
            seen.push_str(&f.value);
            seen.push(' ');
        }
    }
    for i in 0..300 {
        assert!(
            seen.contains(&format!("@{} (volunteer{i:03}, the second)", 1000 + i)),
            "{i}"
        );
    }
    assert!(seen.contains("—"));
    let short = Response::one(Reply::private(Lang::En, "x").field("a", "b"));
    assert_eq!(paged(short.clone(), page).replies, short.replies);
}

#[test]
fn clipping_counts_characters_and_keeps_graphemes_whole() {
    assert_eq!(clip("日本語テキスト", 4), "日本語…");
    assert_eq!(clip("short", 10), "short");
    let flags = "🇧🇷🇵🇹🇨🇳";
    let cut = clip(flags, 4);
    assert_eq!(cut, "🇧🇷…", "a flag is two characters and is not split");
    assert!(clip("e\u{301}e\u{301}e\u{301}", 4).starts_with("e\u{301}"));
}
