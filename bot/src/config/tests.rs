use super::*;

#[test]
fn talks_owners_and_deck_deadlines() {
    let c = Config::parse(
        "[talks]\ndeck_days_before = 10\ndeck_reminder_days = [5, 2]\n[talks.track_owners]\ndiscord = [\"42\"]\n",
        None,
    )
    .unwrap();
    let t = &c.commands.talks;
    assert_eq!(
        (t.deck_days_before, t.deck_reminder_days.clone()),
        (10, vec![5, 2])
    );
    assert_eq!(t.track_owners[&commands::Platform::Discord], ["42"]);
    let bad = Config::parse("[talks]\ndeck_reminder_days = [0]\n", None).unwrap_err();
    assert!(bad.to_string().contains("deck_reminder_days"), "{bad}");
}

#[test]
fn defaults_without_a_file() {
    let c = Config::parse("", None).unwrap();
    assert_eq!(c.data_dir, PathBuf::from("data"));
    assert_eq!(c.knowledge_dirs.len(), 1);
    assert_eq!(c.settings.fallback_lang, Lang::En);
}

#[test]
fn values_and_relative_paths() {
    let c = Config::parse(
        "[storage]\ndata_dir = \"state\"\n[knowledge]\ndirs = [\"kb\", \"/abs\"]\nfallback_language = \"pt-BR\"\nconfidence_threshold = 0.6\n",
        Some(PathBuf::from("/etc/bot/config.toml")),
    )
    .unwrap();
    assert_eq!(c.data_dir, PathBuf::from("/etc/bot/state"));
    assert_eq!(
        c.knowledge_dirs,
        [PathBuf::from("/etc/bot/kb"), PathBuf::from("/abs")]
    );
    assert_eq!(c.settings.fallback_lang, Lang::Pt);
    assert!((c.settings.threshold - 0.6).abs() < 1e-6);
}

#[test]
fn the_shipped_config_file_reads() {
    let c = Config::parse(include_str!("../../../config.toml"), None).unwrap();
    assert_eq!(c.commands.claim_window.as_secs(), 12 * 3600);
    assert!(!c.discord.scheduled_events);
}

#[test]
fn events_settings_and_the_no_show_policy() {
    let c = Config::parse("", None).unwrap();
    assert_eq!(c.commands.claim_window.as_secs(), 12 * 3600);
    assert_eq!(c.commands.no_shows, None, "off by default");
    let c = Config::parse(
        "[events]\nclaim_window = \"90m\"\nannounce_series_ahead = \"2 weeks\"\n[events.no_shows]\nafter = 3\nwaitlist_for = \"30d\"\n",
        None,
    )
    .unwrap();
    assert_eq!(c.commands.claim_window.as_secs(), 90 * 60);
    assert_eq!(c.commands.series_ahead.as_secs(), 14 * 86_400);
    let policy = c.commands.no_shows.unwrap();
    assert_eq!(policy.after, 3);
    assert_eq!(policy.waitlist_for.as_secs(), 30 * 86_400);
    assert_eq!(policy.notice.as_secs(), 24 * 3600, "the default notice");
    let e = Config::parse("[events]\n\nclaim_window = \"soon\"\n", None)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("line 3") && e.contains("events.claim_window") && e.contains("12h"),
        "{e}"
    );
    let e = Config::parse("[events.no_shows]\nafter = 0\n", None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("line 2") && e.contains("at least 1"), "{e}");
}

#[test]
fn errors_name_the_key_and_the_line() {
    let src = Some(PathBuf::from("config.toml"));
    let e = Config::parse(
        "[knowledge]\n\nconfidence_threshold = \"high\"\n",
        src.clone(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("line 3") && e.contains("knowledge.confidence_threshold"),
        "{e}"
    );
    let e = Config::parse("[storage]\ndatadir = \"x\"\n", src.clone())
        .unwrap_err()
        .to_string();
    assert!(e.contains("line 2") && e.contains("datadir"), "{e}");
    let e = Config::parse("[knowledge]\nconfidence_threshold = 7.0\n", src.clone())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("line 2") && e.contains("confidence_threshold"),
        "{e}"
    );
    let e = Config::parse("[knowledge]\nfallback_language = \"fr\"\n", src)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("line 2") && e.contains("fallback_language"),
        "{e}"
    );
}

#[test]
fn the_shipped_file_parses_and_its_journey_examples_too() {
    let shipped = include_str!("../../../config.toml");
    let c = Config::parse(shipped, None).unwrap();
    assert!(!c.commands.journey.welcome.enabled);
    assert_eq!(c.commands.journey.handoff.per_day, 3);
    // The commented examples of the journey, uncommented, are valid as written.
    let examples: String = shipped
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest)
                if [
                    "[[",
                    "id ",
                    "name ",
                    "discord_role",
                    "slack_group",
                    "title ",
                    "description ",
                    "link ",
                    "date ",
                    "time ",
                    "post_within ",
                ]
                .iter()
                .any(|k| rest.starts_with(k)) =>
            {
                rest
            }
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let c = Config::parse(&examples, None).unwrap();
    let j = &c.commands.journey;
    assert_eq!(j.groups.len(), 1);
    assert_eq!(j.groups[0].name(Lang::Zh), "累西腓");
    assert_eq!(j.milestones.len(), 1);
    assert_eq!(j.milestones[0].id, "cb-applications");
    assert_eq!((j.milestones[0].month, j.milestones[0].day), (1, 15));
}

#[test]
fn journey_mistakes_say_what_to_write() {
    let e = Config::parse(
        "[[welcome.groups]]\nid = \"São Paulo\"\nname = \"SP\"\n",
        None,
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("lowercase letters"), "{e}");
    let e = Config::parse(
        "[[program_calendar]]\nid = \"x\"\ntitle = \"X\"\ndate = \"15/01\"\n",
        None,
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("\"01-15\""), "{e}");
    let e = Config::parse("[discord]\nlanguage = \"fr\"\n", None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("discord.language"), "{e}");
}
