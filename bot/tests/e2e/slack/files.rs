//! Files on Slack: the check-in QR image goes up the current way (an upload URL from
//! `files.getUploadURLExternal`, the bytes POSTed to it, `files.completeUploadExternal`
//! sharing it), into the organizer's direct messages, never a public channel.

use super::*;

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

#[test]
fn the_check_in_qr_image_is_uploaded_to_the_organizers_direct_messages() {
    let run = start();
    let e = &run.emulator;
    let dm = slack::dm_channel(ORGANIZER);
    // Check-in opens up to a day ahead: the event starts in two hours.
    let at = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(2);
    ask_directly(
        e,
        ORGANIZER,
        &format!(
            "/announce title: Door night start: {}",
            at.strftime("%Y-%m-%d %H:%M UTC")
        ),
    );
    let answer = ask_directly(e, ORGANIZER, "event checkin e1");
    assert!(
        answer.body.to_string().contains("checkin "),
        "{:#}",
        answer.body
    );
    let shared = e
        .wait_for(WAIT, |r| r.is("files.completeUploadExternal"))
        .expect("the QR image is shared");
    assert!(shared.ok(), "{:#}", shared.response);
    assert_eq!(shared.body["channel_id"], dm.as_str(), "{:#}", shared.body);
    let uploaded = e
        .wait_for(WAIT, |r| r.method == "upload")
        .expect("the bytes went to the upload URL");
    assert_eq!(uploaded.status, 200, "{:#}", uploaded.response);

    let files = e.files();
    assert_eq!(files.len(), 1, "{files:?}");
    let qr = &files[0];
    assert_eq!(qr.filename, "checkin-e1.png");
    assert_eq!(qr.channel.as_deref(), Some(dm.as_str()));
    let bytes = qr.bytes.as_deref().expect("uploaded");
    assert!(
        bytes.starts_with(PNG_SIGNATURE),
        "a PNG image: {:?}",
        &bytes[..bytes.len().min(16)]
    );
    assert!(
        e.messages(&dm)
            .iter()
            .any(|m| m["subtype"] == "file_share" && m["files"][0]["id"] == qr.id.as_str()),
        "{:#?}",
        e.messages(&dm)
    );

    // Asked by slash command in a public channel, the answer is private and the image
    // goes to the direct messages again, not to the channel.
    e.slash(slash("/event", "checkin e1", ORGANIZER));
    let again = e
        .wait_for(WAIT, |r| r.is("files.completeUploadExternal"))
        .expect("the QR image is shared again");
    assert_eq!(again.body["channel_id"], dm.as_str(), "{:#}", again.body);
    assert!(e
        .messages(GENERAL)
        .iter()
        .all(|m| m["subtype"] != "file_share"));
    assert!(e
        .files()
        .iter()
        .all(|f| f.channel.as_deref() == Some(dm.as_str())));
}
