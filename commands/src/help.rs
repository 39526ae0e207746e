//! `help`: the commands the actor may use, in the actor's language.

use crate::actor::Level;
use crate::error::CmdError;
use crate::reply::{Reply, Response};
use crate::{Commands, Ctx};

/// Each command: who may use it, its syntax, and what it does in en, zh, pt.
const COMMANDS: &[(Level, &str, [&str; 3])] = &[
    (Level::Member, "ask QUESTION", ["answer a question about the community programs (or just type the question)", "回答关于社区计划的问题（也可以直接输入问题）", "responde a uma pergunta sobre os programas da comunidade (ou apenas digite a pergunta)"]),
    (Level::Member, "next", ["your next step on the growth path", "你在成长路径上的下一步", "seu próximo passo na trilha de crescimento"]),
    (Level::Member, "badges [@member]", ["the badges a member holds", "查看成员的徽章", "os selos de um membro"]),
    (Level::Member, "badge list", ["all badges and the growth path", "全部徽章和成长路径", "todos os selos e a trilha de crescimento"]),
    (Level::Member, "events", ["upcoming events", "近期活动", "próximos eventos"]),
    (Level::Member, "event ics ID", ["an event as a calendar file", "活动的日历文件", "um evento como arquivo de agenda"]),
    (Level::Member, "volunteer signup CALL ROLE", ["volunteer for a role (or press its button)", "报名志愿者岗位（或点按钮）", "inscreva-se numa função (ou aperte o botão)"]),
    (Level::Member, "volunteer withdraw CALL", ["give your place back", "退出志愿者岗位", "desista da sua vaga"]),
    (Level::Member, "kb stats", ["what the knowledge base holds", "知识库的内容统计", "o que a base de conhecimento contém"]),
    (Level::Organizer, crate::parse::USAGE_ANNOUNCE, ["announce an event in the announcement channel", "在公告频道发布活动", "anuncia um evento no canal de anúncios"]),
    (Level::Organizer, crate::parse::USAGE_EVENT_EDIT, ["change your event", "修改你的活动", "altera seu evento"]),
    (Level::Organizer, "event cancel ID", ["cancel your event and tell its volunteers", "取消你的活动并通知志愿者", "cancela seu evento e avisa os voluntários"]),
    (Level::Organizer, crate::parse::USAGE_VOLUNTEER_CALL, ["ask for volunteers, with a sign-up button per role", "招募志愿者，每个岗位一个报名按钮", "pede voluntários, com um botão de inscrição por função"]),
    (Level::Organizer, "volunteer roster CALL", ["who signed up, per role, and the waitlists", "按岗位查看报名名单和候补", "quem se inscreveu, por função, e as listas de espera"]),
    (Level::Organizer, "volunteer attended CALL @member …", ["mark who showed up, after the event", "活动后登记到场的志愿者", "marca quem compareceu, depois do evento"]),
    (Level::Admin, crate::parse::USAGE_BADGE_GRANT, ["grant a badge", "授予徽章", "concede um selo"]),
    (Level::Admin, crate::parse::USAGE_BADGE_REVOKE, ["take a badge back", "收回徽章", "revoga um selo"]),
    (Level::Admin, "audit [@member] [--limit N]", ["who granted and revoked what, newest first", "谁授予或收回了什么（最新在前）", "quem concedeu e revogou o quê, do mais recente"]),
    (Level::Admin, "kb gaps [N]", ["questions the bot could not answer or that were voted down", "机器人答不出或被投反对票的问题", "perguntas sem resposta ou com voto negativo"]),
    (Level::Admin, "kb reload", ["re-read the knowledge base documents now", "立即重新读取知识库文档", "relê agora os documentos da base de conhecimento"]),
];

impl Commands {
    pub(crate) fn help(&self, cx: &Ctx) -> Result<Response, CmdError> {
        let lang = cx.lang;
        let lines: Vec<String> = COMMANDS
            .iter()
            .filter(|(level, _, _)| cx.level >= *level)
            .map(|(_, usage, what)| format!("`{usage}` — {}", what[lang as usize]))
            .collect();
        let level = match cx.level {
            Level::Admin => tr!(lang, "an admin", "管理员", "administrador"),
            Level::Organizer => tr!(lang, "an organizer", "组织者", "organizador"),
            Level::Member => tr!(lang, "a member", "成员", "membro"),
        };
        let intro = tr!(
            lang,
            "You are {level} here. Ask me anything about the community programs, or use these commands:",
            "你在这里的身份是{level}。可以直接问我社区计划的问题，或使用这些命令：",
            "Aqui você é {level}. Pergunte o que quiser sobre os programas da comunidade, ou use estes comandos:"
        );
        Ok(Response::one(
            Reply::private(lang, format!("{intro}\n{}", lines.join("\n")))
                .title(tr!(lang, "Help", "帮助", "Ajuda")),
        ))
    }
}
