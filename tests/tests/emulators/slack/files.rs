//! Files through the emulator with slack-morphism's own calls: an upload URL, the bytes
//! POSTed to it, the upload completed into a channel; and the refusals on the way.

use super::*;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";

#[test]
fn a_file_goes_up_by_its_upload_url_and_is_shared_where_completed() {
    let emu = SlackEmulator::start();
    let client = SlackClient::new(connector(&emu));
    let bot = token(BOT_TOKEN);
    let session = client.open_session(&bot);
    let (file_id, unfinished) = runtime().block_on(async {
        let ask = SlackApiFilesGetUploadUrlExternalRequest::new("qr.png".into(), PNG.len());
        let given = session
            .get_upload_url_external(&ask)
            .await
            .expect("an upload URL");
        assert!(
            given
                .upload_url
                .value()
                .as_str()
                .starts_with(&emu.base_url()),
            "{}",
            given.upload_url.value()
        );
        let short = SlackApiFilesUploadViaUrlRequest::new(
            given.upload_url.clone(),
            PNG[..4].to_vec(),
            "image/png".into(),
        );
        assert!(matches!(
            session.files_upload_via_url(&short).await,
            Err(SlackClientError::HttpError(_))
        ));
        let send = SlackApiFilesUploadViaUrlRequest::new(
            given.upload_url.clone(),
            PNG.to_vec(),
            "image/png".into(),
        );
        session
            .files_upload_via_url(&send)
            .await
            .expect("the bytes go up");
        let complete =
            SlackApiFilesCompleteUploadExternalRequest::new(vec![SlackApiFilesComplete::new(
                given.file_id.clone(),
            )
            .with_title("Door QR".into())])
            .with_channel_id("DU1".into());
        let done = session
            .files_complete_upload_external(&complete)
            .await
            .expect("shared");
        assert_eq!(done.files[0].id, given.file_id);
        assert_eq!(done.files[0].title.as_deref(), Some("Door QR"));

        // A file whose bytes never came cannot be completed.
        let other = session
            .get_upload_url_external(&ask)
            .await
            .expect("an upload URL");
        let never =
            SlackApiFilesCompleteUploadExternalRequest::new(vec![SlackApiFilesComplete::new(
                other.file_id.clone(),
            )]);
        let refused = session.files_complete_upload_external(&never).await;
        assert_eq!(api_error(refused.unwrap_err()).code, "file_not_found");
        (given.file_id.to_string(), other.file_id.to_string())
    });

    let files = emu.files();
    let qr = files.iter().find(|f| f.id == file_id).expect("the file");
    assert_eq!(qr.bytes.as_deref(), Some(PNG));
    assert_eq!(qr.channel.as_deref(), Some("DU1"));
    let shared = emu.messages("DU1");
    assert_eq!(shared.len(), 1, "{shared:#?}");
    assert_eq!(shared[0]["subtype"], "file_share");
    assert_eq!(shared[0]["files"][0]["mimetype"], "image/png");
    let unfinished = files.iter().find(|f| f.id == unfinished).expect("listed");
    assert!(unfinished.bytes.is_none() && unfinished.channel.is_none());
}
