//! A small multilingual lexicon of community concepts. Every surface form of a concept, in
//! any of the three languages, abbreviations and common synonyms included, is analysed to
//! the same concept term (`@cb`), so "CB", "Community Builder", "社区建设者" and "construtor
//! da comunidade" meet in the index. Forms are folded (lower case, no accents) before use;
//! single Latin words also match with a plural `s`/`es`.

/// `(concept, forms)`; a concept's term in the index is `@` + its name.
pub const CONCEPTS: &[(&str, &[&str])] = &[
    // Programs and roles.
    ("hero", &["hero", "heroes", "aws hero", "英雄", "heróis", "heroi"]),
    ("cb", &[
        "community builder", "community builders", "cb", "cbs", "社区建设者", "社区构建者",
        "社区建设者计划", "construtor de comunidade", "construtores de comunidade",
        "construtor da comunidade", "construtores da comunidade",
    ]),
    ("ugl", &[
        "user group leader", "user group leaders", "ugl", "ugls", "ug leader", "ug leaders",
        "用户组负责人", "用户组领导者", "用户组组长", "ug负责人", "ug 负责人", "负责人", "组长",
        "lider de grupo de usuarios", "lideres de grupos de usuarios", "lider de ug", "lideres de ug",
        "lider de user group", "lideres de user group", "lideranca de ug",
    ]),
    ("user_group", &[
        "user group", "usergroup", "ug", "ugs", "aws user group", "meetup group", "用户组",
        "用户小组", "grupo de usuarios", "grupos de usuarios", "grupo de usuario", "comunidade local",
    ]),
    ("organizer", &[
        "city organizer", "city organiser", "organizer", "organiser", "organize", "organise", "organising",
        "organizing", "organized",
        "城市组织者", "组织者", "organizador", "organizadores", "organizadora", "organizador de cidade",
        "organizadores de cidade",
    ]),
    ("track_owner", &[
        "track owner", "track lead", "技术出品人", "出品人", "curador tecnico", "curadores tecnicos",
        "dono de trilha", "donos de trilha", "responsavel de trilha",
    ]),
    ("speaker", &[
        "speaker", "speaking", "give a talk", "present a talk", "演讲者", "演讲嘉宾", "分享嘉宾",
        "讲师", "演讲", "palestrante", "palestrantes", "palestra", "palestras",
    ]),
    ("volunteer", &[
        "volunteer", "volunteering", "volunteered", "志愿者", "义工", "voluntario", "voluntaria",
        "voluntarios", "voluntarias", "voluntariado",
    ]),
    ("member", &["member", "membership", "会员", "成员", "membro", "membros", "associado"]),
    ("cloud_club", &[
        "cloud club", "cloud clubs", "student club", "云俱乐部", "学生俱乐部", "俱乐部", "clube de nuvem",
        "clubes de nuvem", "clube", "clubes",
    ]),
    ("cloud_captain", &[
        "cloud captain", "captain", "云队长", "队长", "云端队长", "capitao", "capitaes", "capitaes de nuvem",
        "capitao de nuvem",
    ]),
    ("ambassador", &["ambassador", "大使", "embaixador", "embaixadores", "embaixadora"]),
    ("community_day", &["community day", "community days", "社区日", "dia da comunidade"]),
    ("reinvent", &["re:invent", "reinvent", "re invent", "re: invent"]),
    ("growth_path", &[
        "growth path", "career path", "path", "progression", "next step", "level up", "成长路径",
        "发展路径", "成长路线", "晋升", "下一步", "trilha de crescimento", "caminho de crescimento",
        "jornada", "trilha", "proximo passo", "evoluir", "crescer na comunidade",
    ]),
    ("leadership_principles", &[
        "leadership principle", "leadership principles", "lp", "lps", "领导力准则", "领导力原则",
        "领导准则", "principio de lideranca", "principios de lideranca",
    ]),
    ("open_source", &["open source", "open-source", "opensource", "开源", "codigo aberto"]),
    ("ecosystem", &["ecosystem", "生态", "生态系统", "ecossistema"]),
    // What people ask about a program.
    ("benefit", &[
        "benefit", "perk", "advantage", "reward", "what do i get", "what do they get", "福利", "权益",
        "好处", "待遇", "beneficio", "beneficios", "vantagem", "vantagens", "regalia", "regalias",
        "o que ganha", "o que recebe",
    ]),
    ("apply", &[
        "apply", "application", "applying", "applied", "become", "becoming", "join", "joining",
        "sign up", "signup", "enroll", "申请", "加入", "成为", "报名", "申请方式", "candidatar",
        "candidatura", "candidaturas", "inscricao", "inscricoes", "inscrever", "tornar", "tornar-se",
        "virar", "entrar", "aplicar",
    ]),
    ("referral", &[
        "referral", "refer", "nominate", "nomination", "nominated", "invite only", "推荐", "内部推荐",
        "提名", "indicacao", "indicado", "indicada", "indicar",
    ]),
    ("requirement", &[
        "requirement", "require", "required", "prerequisite", "qualification", "qualify", "criteria",
        "eligible", "eligibility", "要求", "条件", "资格", "门槛", "requisito", "requisitos",
        "exigencia", "exigencias", "pre-requisito",
    ]),
    ("duty", &[
        "duty", "duties", "responsibility", "responsibilities", "task", "what does a", "what do",
        "职责", "任务", "工作内容", "做什么", "responsabilidades", "funcao", "funcoes", "atribuicoes",
        "tarefa", "tarefas", "o que faz", "o que fazem",
    ]),
    ("count", &[
        "how many", "number of", "total", "headcount", "quantos", "quantas", "numero de", "多少",
        "有多少", "几位", "几个", "总数", "数量", "一共", "人数",
    ]),
    ("country", &["country", "countries", "region", "国家", "地区", "pais", "paises", "regioes"]),
    ("china", &["china", "chinese", "mainland", "greater china", "中国", "大中华", "大中华地区", "中国大陆", "国内"]),
    ("brazil", &["brazil", "brazilian", "brasil", "brasileiro", "brasileira", "brasileiros", "巴西"]),
    ("credits", &[
        "credit", "aws credits", "coupon", "抵扣券", "代金券", "积分", "credito", "creditos", "cupom",
    ]),
    ("certification", &[
        "certification", "certificate", "certified", "exam", "voucher", "认证", "考试", "证书",
        "certificacao", "certificacoes", "certificado", "exame", "prova",
    ]),
    ("event", &[
        "event", "meetup", "activity", "活动", "聚会", "沙龙", "evento", "eventos", "encontro",
        "encontros", "meetups",
    ]),
    ("yearly", &[
        "per year", "a year", "every year", "each year", "annual", "annually", "yearly", "每年",
        "一年", "年度", "全年", "por ano", "anual", "anualmente", "cada ano", "todo ano",
    ]),
    ("quarter", &["quarter", "quarterly", "季度", "每季度", "trimestre", "trimestral"]),
    ("month", &["monthly", "每月", "月度", "mensal", "mensais"]),
    ("weekly", &["weekly", "every week", "每周", "semanal", "semanalmente", "toda semana"]),
    ("mission", &["mission", "使命", "missao"]),
    ("vision", &["vision", "愿景", "visao"]),
    ("values", &["values", "core values", "价值观", "valores"]),
    ("history", &[
        "history", "origin", "how did it start", "started", "founded", "历史", "起源", "由来",
        "诞生", "怎么来的", "historia", "origem", "nasceu", "surgiu", "comecou", "inicio",
    ]),
    ("slack", &["slack", "slack workspace", "slack channel"]),
    ("nda", &["nda", "non-disclosure", "non disclosure", "保密协议", "confidencialidade", "acordo de confidencialidade"]),
    ("training", &["training", "course", "online course", "培训", "课程", "treinamento", "treinamentos", "curso", "cursos"]),
    ("swag", &[
        "swag", "gift", "goodies", "welcome kit", "merch", "礼品", "礼包", "周边", "欢迎礼包", "brinde",
        "brindes", "kit de boas-vindas", "presente", "presentes",
    ]),
    ("link", &[
        "link", "url", "website", "web site", "page", "form", "链接", "网址", "网站", "表单", "网页",
        "pagina", "site", "formulario", "endereco",
    ]),
    ("student", &["student", "students", "campus", "university", "college", "学生", "校园", "大学", "estudante", "estudantes", "universidade", "faculdade", "universitario", "universitarios"]),
    ("partner", &["partner", "apn", "partner network", "合作伙伴", "合作企业", "parceiro", "parceiros", "parceria"]),
    ("nighttalk", &["nighttalk", "night talk"]),
    ("veto", &["veto", "否决权", "否决", "vetar"]),
    ("city", &["city", "cities", "城市", "cidade", "cidades"]),
    ("category", &[
        "category", "categories", "type", "kind", "specialization", "specialisation", "track",
        "类别", "类型", "种类", "分类", "categoria", "categorias", "tipo", "tipos", "especializacao",
        "especializacoes",
    ]),
    ("serverless", &["serverless", "lambda", "无服务器", "sem servidor"]),
    ("container", &["container", "containers", "容器", "conteiner", "conteineres", "kubernetes"]),
    ("ml", &["machine learning", "ml", "artificial intelligence", "机器学习", "人工智能", "aprendizado de maquina", "inteligencia artificial"]),
    ("data", &["data", "analytics", "database", "数据", "大数据", "dados"]),
    ("security", &["security", "secure", "安全", "seguranca"]),
    ("devtools", &["devtools", "dev tools", "developer tools", "开发工具", "ferramentas de desenvolvimento"]),
    ("principle_customer", &["customer obsession", "customer obsessed", "客户至尚", "顾客至上", "客户至上", "obsessao pelo cliente"]),
    ("principle_ownership", &["ownership", "主人翁", "主人翁精神", "dono"]),
    ("principle_frugality", &["frugality", "frugal", "节俭", "勤俭节约", "frugalidade"]),
    ("principle_bias", &["bias for action", "崇尚行动", "vies para acao", "senso de urgencia"]),
    ("principle_backbone", &["disagree and commit", "have backbone", "敢于谏言", "服从大局", "discordar e se comprometer", "ter coragem"]),
    ("principle_dive_deep", &["dive deep", "刨根问底", "aprofundar", "mergulhar fundo"]),
    ("developer_center", &["developer center", "developer centre", "开发者中心", "centro de desenvolvedores", "developer center da aws"]),
];

/// Function words and question words dropped from Latin-script text after concepts are found.
pub const STOPWORDS: &[&str] = &[
    // English
    "a", "an", "the", "is", "are", "am", "was", "were", "be", "been", "being", "do", "does", "did",
    "i", "me", "my", "mine", "you", "your", "we", "our", "us", "it", "its", "of", "to", "in", "on",
    "at", "for", "with", "about", "as", "by", "from", "and", "or", "what", "whats", "which", "who",
    "whom", "how", "why", "where", "when", "can", "could", "should", "would", "will", "shall", "may",
    "might", "must", "there", "this", "that", "these", "those", "get", "gets", "got", "have", "has",
    "had", "any", "some", "tell", "please", "know", "want", "need", "much", "many", "one", "so", "if",
    "them", "they", "their", "he", "she", "his", "her", "not", "no", "yes", "hi", "hello", "hey",
    "thanks", "thank", "s", "t", "im", "ive", "i'm", "also", "all", "more", "most", "than", "then",
    "into", "out", "up", "just", "like", "explain", "describe", "give", "list", "say", "says", "mean",
    "means", "anyone", "someone", "somebody", "here", "exactly", "really",
    // Portuguese
    "o", "os", "as", "um", "uma", "uns", "umas", "de", "do", "da", "dos", "das", "em", "no", "na",
    "nos", "nas", "por", "para", "pra", "pro", "com", "sem", "e", "ou", "que", "qual", "quais",
    "quem", "como", "onde", "quando", "porque", "porquê", "eu", "meu", "minha", "meus", "minhas",
    "voce", "voces", "vc", "ele", "ela", "eles", "elas", "se", "ser", "sou", "sao", "esta", "estao",
    "tem", "ter", "ha", "faz", "faco", "fazer", "pode", "posso", "podem", "preciso", "precisa",
    "saber", "quero", "gostaria", "sobre", "ao", "aos", "isso", "isto", "esse", "essa", "este",
    "mais", "muito", "ola", "oi", "obrigado", "obrigada", "me", "te", "lhe", "seu", "sua", "seus",
    "suas", "existe", "existem", "algum", "alguma", "qualquer", "entao", "ja", "nao", "sim", "ate",
    "pelo", "pela", "pelos", "pelas", "num", "numa", "isso", "aquilo", "sao", "foi", "era", "tipo",
    "favor", "dizer", "diga", "explique",
];

/// Chinese function words and question phrases, removed before the text is cut into bigrams.
pub const CJK_STOP: &[&str] = &[
    "我", "我们", "你", "你们", "他", "她", "它", "的", "了", "吗", "呢", "吧", "啊", "呀", "是", "是不是",
    "是否", "怎么", "怎样", "怎么样", "如何", "什么", "哪些", "哪个", "哪里", "为什么", "请问", "一下",
    "可以", "能", "能够", "需要", "要", "想", "应该", "有", "和", "与", "及", "或", "还", "都", "也",
    "就", "在", "对", "把", "被", "给", "请", "告诉", "介绍", "说说", "知道", "关于", "这个", "那个",
    "这些", "那些", "什么时候", "何时", "多久", "会", "得", "着", "过", "个", "该", "些", "谁",
];
