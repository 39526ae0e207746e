//! Knowledge gaps and the knowledge base (search, reload).

use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use commands::Command;
use knowledge::Lang;
use serde::Deserialize;

use super::{csrf_field, csrf_ok, denied, forged, frame, internal, run, shown, signed};
use crate::web::html::{esc, t, url_part};
use crate::web::public::LangQuery;
use crate::web::Web;

pub(super) async fn gaps(
    State(web): State<Arc<Web>>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let s = signed_or_return!(web, headers, q.lang.as_deref());
    if !s.may(&web, "kb gaps") {
        return denied(&web, &s, "kb gaps");
    }
    let lang = s.lang;
    let gaps = match web.commands.gaps(300) {
        Ok(g) => g,
        Err(e) => return internal(e),
    };
    let mut body = String::new();
    if gaps.is_empty() {
        let _ = write!(
            body,
            "<p>{}</p>",
            t!(
                lang,
                "No gaps: every question so far was answered, and no answer was voted down.",
                "没有缺口：目前所有问题都答出了，也没有回答被投反对票。",
                "Nenhuma lacuna: todas as perguntas até agora tiveram resposta, e nenhuma resposta recebeu voto negativo."
            )
        );
    }
    for l in Lang::ALL {
        let rows: Vec<_> = gaps
            .iter()
            .filter(|g| g.lang == l.code())
            .take(50)
            .collect();
        if rows.is_empty() {
            continue;
        }
        let _ = write!(
            body,
            "<h2>{}</h2><table><tr><th>{}</th><th>{}</th><th>👎</th><th>{}</th><th></th></tr>",
            esc(l.name_in(lang)),
            t!(lang, "Question", "问题", "Pergunta"),
            t!(lang, "Declined", "未回答", "Sem resposta"),
            t!(lang, "Last asked", "最近提问", "Última vez"),
        );
        for g in rows {
            let _ = write!(
                body,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><a href=\"/dashboard/kb/search?q={}\">{}</a></td></tr>",
                esc(&g.text),
                g.declined,
                g.unhelpful,
                esc(&web.commands.show_moment(g.last, lang)),
                url_part(&g.text),
                t!(lang, "kb search", "知识库检索", "buscar na base"),
            );
        }
        body.push_str("</table>");
    }
    frame(
        &web,
        &s,
        "/dashboard/gaps",
        t!(lang, "Knowledge gaps", "知识缺口", "Lacunas"),
        &body,
    )
}

#[derive(Deserialize)]
pub(super) struct SearchQuery {
    q: Option<String>,
    lang: Option<String>,
}

pub(super) async fn kb_search(
    State(web): State<Arc<Web>>,
    Query(q): Query<SearchQuery>,
    headers: HeaderMap,
) -> Response {
    let s = signed_or_return!(web, headers, q.lang.as_deref());
    if !s.may(&web, "kb gaps") {
        return denied(&web, &s, "kb gaps");
    }
    let lang = s.lang;
    let question: String =
        q.q.unwrap_or_default()
            .chars()
            .filter(|c| !c.is_control())
            .take(commands::MAX_INPUT_CHARS)
            .collect();
    let mut body = format!(
        "<form method=\"get\"><input type=\"text\" name=\"q\" value=\"{}\"><p><button>{}</button></p></form>",
        esc(&question),
        t!(lang, "Search", "检索", "Buscar")
    );
    if !question.trim().is_empty() {
        let commands = Arc::clone(&web.commands);
        let asked = question.clone();
        let found = tokio::task::spawn_blocking(move || {
            let kb = commands.knowledge();
            (kb.explain(&asked).understanding, kb.search(&asked, 8))
        })
        .await;
        match found {
            Ok((understanding, Ok(results))) => {
                let _ = write!(body, "<pre>{}</pre>", esc(&understanding.to_string()));
                let _ = write!(
                    body,
                    "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
                    t!(lang, "Answers", "可作答", "Responde"),
                    t!(lang, "Covers", "覆盖", "Cobre"),
                    t!(lang, "Section", "章节", "Seção"),
                    t!(lang, "Document", "文档", "Documento"),
                );
                for r in results {
                    let _ = write!(
                        body,
                        "<tr><td>{}</td><td>{:.2}</td><td>[{}] {}</td><td>{}</td></tr>",
                        if r.answers { "✔" } else { "" },
                        r.coverage,
                        r.section.lang.code(),
                        esc(&r.section.heading()),
                        esc(&r.section.doc),
                    );
                }
                body.push_str("</table>");
            }
            Ok((_, Err(e))) => {
                let _ = write!(
                    body,
                    "<p class=\"reply refused\">{}</p>",
                    esc(&e.to_string())
                );
            }
            Err(_) => return (StatusCode::INTERNAL_SERVER_ERROR, "search failed").into_response(),
        }
    }
    frame(
        &web,
        &s,
        "/dashboard/gaps",
        t!(lang, "kb search", "知识库检索", "Busca na base"),
        &body,
    )
}

pub(super) async fn kb(
    State(web): State<Arc<Web>>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let s = signed_or_return!(web, headers, q.lang.as_deref());
    if !s.may(&web, "kb reload") {
        return denied(&web, &s, "kb reload");
    }
    let lang = s.lang;
    let mut body = match shown(&web, &s, Command::KbStats).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    if let Some(i) = web.commands.last_import() {
        let _ = write!(
            body,
            "<div class=\"card\"><h2>{}</h2><p>{} — {}</p>",
            t!(lang, "Last import", "最近一次导入", "Última importação"),
            esc(&web.commands.show_moment(i.at, lang)),
            if i.ok {
                t!(lang, "ok", "成功", "ok")
            } else {
                t!(lang, "failed", "失败", "falhou")
            }
        );
        if let Some(e) = &i.error {
            let _ = write!(body, "<p class=\"reply refused\">{}</p>", esc(e));
        }
        if !i.notes.is_empty() {
            let _ = write!(
                body,
                "<h3>{}</h3><ul>",
                t!(
                    lang,
                    "Problems found",
                    "发现的问题",
                    "Problemas encontrados"
                )
            );
            for n in &i.notes {
                let _ = write!(body, "<li>{}</li>", esc(n));
            }
            body.push_str("</ul>");
        }
        body.push_str("</div>");
    }
    let _ = write!(
        body,
        "<form method=\"post\" action=\"/dashboard/kb/reload\">{}<button>{}</button></form>",
        csrf_field(&s),
        t!(
            lang,
            "Reload the documents now",
            "立即重新加载文档",
            "Recarregar os documentos agora"
        )
    );
    frame(
        &web,
        &s,
        "/dashboard/kb",
        t!(lang, "Knowledge base", "知识库", "Base de conhecimento"),
        &body,
    )
}

pub(super) async fn kb_reload(
    State(web): State<Arc<Web>>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let s = signed_or_return!(web, headers, None);
    if !csrf_ok(&s, &form) {
        return forged(s.lang);
    }
    run(&web, &s, Command::KbReload, "/dashboard/kb").await
}
