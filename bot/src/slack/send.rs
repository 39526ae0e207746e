//! What the Slack front end sends: messages (`chat.postMessage`), answers by response URL,
//! edits (`chat.update`), and files. A binary attachment (the check-in QR code) is uploaded
//! the current Slack way: `files.getUploadURLExternal` for an upload URL and a file id, the
//! bytes POSTed to that URL, then `files.completeUploadExternal` shares the file in a
//! channel or a direct message.

use anyhow::Result;
use commands::{Attachment, PostRef, Reply};
use serde_json::json;
use slack_morphism::prelude::*;

use super::{render, SlackBot};

impl SlackBot {
    pub(super) async fn post(
        &self,
        channel: &str,
        thread: Option<&str>,
        reply: &Reply,
    ) -> Result<String> {
        let request = SlackApiChatPostMessageRequest::new(
            SlackChannelId::new(channel.into()),
            render::content(reply),
        )
        .opt_thread_ts(thread.map(|t| SlackTs::new(t.to_string())))
        .with_unfurl_links(false);
        // Sent without the library's one-per-second pacing (which it applies to the whole
        // workspace rather than per channel); Slack's 429s are still honoured.
        let sent: SlackApiChatPostMessageResponse = self
            .out
            .call("chat.postMessage", || async {
                self.session()
                    .http_session_api
                    .http_post("chat.postMessage", &request, None)
                    .await
            })
            .await?;
        Ok(sent.ts.to_string())
    }

    pub(super) async fn respond(
        &self,
        url: &SlackResponseUrl,
        reply: &Reply,
        private: bool,
    ) -> Result<()> {
        let mut body = serde_json::to_value(render::content(reply))?;
        body["response_type"] = json!(if private { "ephemeral" } else { "in_channel" });
        body["replace_original"] = json!(false);
        let span = tracing::debug_span!("slack response_url");
        let _: SlackApiPostWebhookMessageResponse = self
            .out
            .call("the response URL", || {
                let context = SlackClientApiCallContext {
                    rate_control_params: None,
                    token: None,
                    tracing_span: &span,
                    is_sensitive_url: true,
                };
                self.client
                    .http_api
                    .connector
                    .http_post_uri(url.value().clone(), &body, context)
            })
            .await?;
        Ok(())
    }

    /// Replaces an earlier post (`chat.update`).
    pub(super) async fn update(&self, post: PostRef, reply: &Reply) -> Result<()> {
        let request = SlackApiChatUpdateRequest::new(
            SlackChannelId::new(post.channel),
            render::content(reply),
            SlackTs::new(post.message),
        );
        self.out
            .call("chat.update", || async {
                self.session().chat_update(&request).await
            })
            .await?;
        Ok(())
    }

    /// The id of the bot's direct-message channel with `user` (`conversations.open`): files
    /// are shared by channel id, not by user id as messages may be.
    pub(super) async fn dm_channel(&self, user: &str) -> Result<String> {
        let request = SlackApiConversationsOpenRequest::new()
            .with_users(vec![SlackUserId::new(user.to_string())]);
        let opened = self
            .out
            .call("conversations.open", || async {
                self.session().conversations_open(&request).await
            })
            .await?;
        Ok(opened.channel.id.to_string())
    }

    /// Uploads `file` and shares it in `channel` (a channel or direct-message id), in
    /// `thread` when given.
    pub(super) async fn upload(
        &self,
        channel: &str,
        thread: Option<&str>,
        file: &Attachment,
    ) -> Result<()> {
        let bytes = file.bytes();
        let ask = SlackApiFilesGetUploadUrlExternalRequest::new(file.filename.clone(), bytes.len())
            .with_alt_txt(file.filename.clone());
        let given = self
            .out
            .call("files.getUploadURLExternal", || async {
                self.session().get_upload_url_external(&ask).await
            })
            .await?;
        let send = SlackApiFilesUploadViaUrlRequest::new(
            given.upload_url.clone(),
            bytes,
            file.content_type.clone(),
        );
        let _: SlackApiFilesUploadViaUrlResponse = self
            .out
            .call("the upload URL", || async {
                self.session().files_upload_via_url(&send).await
            })
            .await?;
        let complete =
            SlackApiFilesCompleteUploadExternalRequest::new(vec![SlackApiFilesComplete::new(
                given.file_id.clone(),
            )
            .with_title(file.filename.clone())])
            .with_channel_id(SlackChannelId::new(channel.to_string()))
            .opt_thread_ts(thread.map(|t| SlackTs::new(t.to_string())));
        self.out
            .call("files.completeUploadExternal", || async {
                self.session()
                    .files_complete_upload_external(&complete)
                    .await
            })
            .await?;
        Ok(())
    }

    /// The reply's binary attachment, if any, uploaded to `channel`; to the direct messages
    /// of `user` instead when `channel` is not a private place for it (a private reply in
    /// a channel: the check-in code must not be shown to the whole channel).
    pub(super) async fn upload_attachment(
        &self,
        reply: &Reply,
        place: Option<(&str, Option<&str>)>,
        user: &str,
    ) -> Result<()> {
        let Some(file) = reply.attachment.as_ref().filter(|a| a.is_binary()) else {
            return Ok(());
        };
        match place {
            Some((channel, thread)) => self.upload(channel, thread, file).await,
            None => {
                let dm = self.dm_channel(user).await?;
                self.upload(&dm, None, file).await
            }
        }
    }
}
