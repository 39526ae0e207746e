use super::*;

#[test]
fn a_long_rejection_is_logged_as_a_bounded_prefix() {
    let body = format!("Body: '{}'", "A".repeat(200_000));
    let line = logged(&body);
    assert!(line.chars().count() < LOGGED + 40, "{}", line.len());
    assert!(line.starts_with("Body: 'AAA") && line.ends_with("(200008 characters in all)"));
    assert_eq!(logged("short"), "short");
}
