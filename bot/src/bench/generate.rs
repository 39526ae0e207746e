//! The generated knowledge base `bot bench --sections N` measures: documents that look like
//! real ones, written the same on every run.

use std::path::Path;

use anyhow::Result;

/// The words generated sections are made of, per language.
const EN: &[&str] = &[
    "community",
    "builder",
    "hero",
    "volunteer",
    "event",
    "meetup",
    "speaker",
    "benefit",
    "credits",
    "apply",
    "january",
    "organizer",
    "quarter",
    "workshop",
    "serverless",
    "container",
    "security",
    "data",
    "network",
    "mentor",
    "badge",
    "ticket",
    "travel",
    "slack",
    "training",
    "leader",
    "student",
    "club",
    "partner",
];
const ZH: &[&str] = &[
    "社区",
    "建设者",
    "志愿者",
    "活动",
    "演讲",
    "福利",
    "申请",
    "组织者",
    "季度",
    "培训",
    "认证",
    "学生",
    "伙伴",
    "网络",
    "导师",
];
const PT: &[&str] = &[
    "comunidade",
    "voluntário",
    "evento",
    "palestrante",
    "benefícios",
    "inscrição",
    "organizador",
    "trimestre",
    "treinamento",
    "parceiro",
    "estudante",
    "clube",
    "liderança",
];

/// A small deterministic generator (xorshift), so every run writes the same base.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// One language's vocabulary: its program words and a long tail of other words drawn by
/// Zipf's law, as words are in real prose (a few very common, most rare).
struct Vocabulary {
    topics: &'static [&'static str],
    words: Vec<String>,
    /// Cumulative Zipf weights of `words`.
    cumulative: Vec<f64>,
    separator: &'static str,
    stop: &'static str,
}

impl Vocabulary {
    fn new(lang: &str, size: usize, rng: &mut Rng) -> Self {
        const LATIN: &[&str] = &[
            "ka", "lo", "mi", "ter", "sa", "ne", "po", "ri", "dan", "vel", "to", "mar", "ce",
            "lin", "or", "ba", "tu", "ges", "fe", "ran",
        ];
        const HAN: &[char] = &[
            '的', '是', '在', '有', '和', '人', '这', '中', '大', '为', '上', '个', '国', '我',
            '以', '要', '他', '时', '来', '用', '们', '生', '到', '作', '地', '于', '出', '就',
            '分', '对', '成', '会', '可', '主', '发', '年', '动', '同', '工', '也', '能', '下',
            '过', '子', '说', '产', '种', '面', '而', '方', '后', '多', '定', '行', '学', '法',
        ];
        let (topics, separator, stop) = match lang {
            "zh" => (ZH, "", "。"),
            "pt" => (PT, " ", ". "),
            _ => (EN, " ", ". "),
        };
        let words: Vec<String> = (0..size)
            .map(|_| {
                if lang == "zh" {
                    (0..2).map(|_| HAN[rng.below(HAN.len())]).collect()
                } else {
                    (0..2 + rng.below(2))
                        .map(|_| LATIN[rng.below(LATIN.len())])
                        .collect()
                }
            })
            .collect();
        let mut total = 0.0;
        let cumulative = (1..=size)
            .map(|rank| {
                total += 1.0 / (rank as f64).powf(1.07);
                total
            })
            .collect();
        Vocabulary {
            topics,
            words,
            cumulative,
            separator,
            stop,
        }
    }

    fn word(&self, rng: &mut Rng) -> &str {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let at = self.cumulative.partition_point(|&c| c < rng.unit() * total);
        &self.words[at.min(self.words.len() - 1)]
    }

    /// A sentence of filler words in which the document's topic word turns up now and then,
    /// and another program word rarely.
    fn sentence(&self, topic: &str, rng: &mut Rng) -> String {
        let n = 8 + rng.below(10);
        let words: Vec<&str> = (0..n)
            .map(|_| match rng.below(40) {
                0..=1 => topic,
                2 => self.topics[rng.below(self.topics.len())],
                _ => self.word(rng),
            })
            .collect();
        words.join(self.separator)
    }
}

/// Writes a knowledge base of about `sections` sections that looks like real documents:
/// three languages, documents of 30 to 70 sections about one program each, headings that
/// name it, paragraphs and bullet lists, words drawn by Zipf's law from a long vocabulary.
pub(super) fn generate(dir: &Path, sections: usize) -> Result<()> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let vocabularies: Vec<(&str, Vocabulary)> = ["en", "zh", "pt"]
        .into_iter()
        .map(|l| (l, Vocabulary::new(l, 20_000, &mut rng)))
        .collect();
    let mut written = 0usize;
    let mut d = 0usize;
    while written < sections {
        let (lang, vocabulary) = &vocabularies[d % 3];
        let topic = vocabulary.topics[rng.below(vocabulary.topics.len())];
        let count = (30 + rng.below(41)).min(sections - written);
        let mut text = format!("# {topic} {}\n\n", vocabulary.word(&mut rng));
        for s in 0..count {
            text.push_str(&format!(
                "## {topic} {} {s}\n\n",
                vocabulary.topics[rng.below(vocabulary.topics.len())]
            ));
            for _ in 0..2 + rng.below(3) {
                text.push_str(&vocabulary.sentence(topic, &mut rng));
                text.push_str(vocabulary.stop);
            }
            text.push_str("\n\n");
            if rng.below(3) == 0 {
                for _ in 0..3 + rng.below(5) {
                    text.push_str("- ");
                    text.push_str(&vocabulary.sentence(topic, &mut rng));
                    text.push('\n');
                }
                text.push('\n');
            }
        }
        let folder = dir.join(lang);
        std::fs::create_dir_all(&folder)?;
        let path = folder.join(format!("generated-{d}.md"));
        std::fs::write(&path, text)?;
        // Dated an hour back, as the files of a folder an operator loads were written
        // before: a start trusts an old file's size and time instead of reading it.
        let written_before = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&path)?
            .set_modified(written_before)?;
        written += count;
        d += 1;
    }
    Ok(())
}
