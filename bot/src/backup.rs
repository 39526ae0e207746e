//! `bot backup FILE` and `bot restore FILE`: the whole store (every sled tree, the
//! knowledge base's and the commands') in one file.
//!
//! The file is a header line, then for each tree its name and its pairs, each piece
//! length-prefixed, then an end record with the number of pairs, so that a cut-off file is
//! refused instead of half restored. While the bot runs, the store is locked by it: `bot
//! backup` then asks the running bot, through its web server, for the same bytes (the
//! address and a random token are in `DATA/ops-token`, readable by the bot's user only).
//! `bot restore` checks the whole file first, then, while the bot runs, sends it to the
//! running bot, which replaces every tree with commands held off; a copy kept in
//! `DATA/restore-pending` until the store is flushed finishes a restore a crash cut short.

use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;

use anyhow::{bail, Context, Result};

const MAGIC: &[u8] = b"community-bot backup 1\n";
const TREE: u8 = b'T';
const PAIR: u8 = b'P';
const END: u8 = b'E';

/// The file in the data directory that tells `bot backup` where the running bot is.
pub const OPS_FILE: &str = "ops-token";

/// A restore in progress in a running bot: the backup, kept until the store holds it.
pub const PENDING: &str = "restore-pending";

/// The largest backup a running bot accepts through its web server (a store with a
/// knowledge base of a hundred thousand sections takes a few hundred MiB).
pub const MAX_RESTORE_BYTES: usize = 1 << 30;

fn put(out: &mut impl Write, bytes: &[u8]) -> std::io::Result<()> {
    out.write_all(&(bytes.len() as u64).to_le_bytes())?;
    out.write_all(bytes)
}

/// Writes every tree of `db` to `out`; returns the number of pairs.
pub fn write(db: &sled::Db, out: &mut impl Write) -> Result<u64> {
    db.flush().context("flushing the store")?;
    out.write_all(MAGIC)?;
    let mut pairs = 0u64;
    for name in db.tree_names() {
        let tree = db.open_tree(&name)?;
        out.write_all(&[TREE])?;
        put(out, &name)?;
        for kv in tree.iter() {
            let (k, v) = kv.context("reading the store")?;
            out.write_all(&[PAIR])?;
            put(out, &k)?;
            put(out, &v)?;
            pairs += 1;
        }
    }
    out.write_all(&[END])?;
    out.write_all(&pairs.to_le_bytes())?;
    out.flush()?;
    Ok(pairs)
}

fn take(input: &mut impl Read) -> Result<Vec<u8>> {
    let mut len = [0u8; 8];
    input
        .read_exact(&mut len)
        .context("the backup is cut short")?;
    let len = u64::from_le_bytes(len);
    if len > 1 << 30 {
        bail!("a record of {len} bytes: this is not a backup of this bot");
    }
    // Read as it comes, so that a damaged length does not allocate before failing.
    let mut bytes = Vec::new();
    input.take(len).read_to_end(&mut bytes)?;
    if bytes.len() as u64 != len {
        bail!("the backup is cut short");
    }
    Ok(bytes)
}

/// The trees of a backup, read whole and checked before anything is changed.
pub type Trees = Vec<(Vec<u8>, Vec<(Vec<u8>, Vec<u8>)>)>;

/// The number of pairs in `trees`.
pub fn pairs(trees: &Trees) -> u64 {
    trees.iter().map(|t| t.1.len() as u64).sum()
}

/// Reads and checks a whole backup: a cut-off, damaged or foreign file is an error.
pub fn read(input: &mut impl Read) -> Result<Trees> {
    let mut magic = vec![0u8; MAGIC.len()];
    input
        .read_exact(&mut magic)
        .ok()
        .filter(|_| magic == MAGIC)
        .context("this is not a backup made by `bot backup` (give `bot restore` a file that `bot backup FILE` wrote)")?;
    let mut trees: Trees = Vec::new();
    let mut pairs = 0u64;
    loop {
        let mut tag = [0u8; 1];
        input
            .read_exact(&mut tag)
            .context("the backup is cut short")?;
        match tag[0] {
            TREE => trees.push((take(input)?, Vec::new())),
            PAIR => {
                let (k, v) = (take(input)?, take(input)?);
                let tree = trees.last_mut().context("a pair before any tree")?;
                tree.1.push((k, v));
                pairs += 1;
            }
            END => {
                let mut n = [0u8; 8];
                input
                    .read_exact(&mut n)
                    .context("the backup is cut short")?;
                if u64::from_le_bytes(n) != pairs {
                    bail!(
                        "the backup is damaged: it holds {pairs} entries of {}",
                        u64::from_le_bytes(n)
                    );
                }
                return Ok(trees);
            }
            _ => bail!("the backup is damaged"),
        }
    }
}

/// Replaces every tree of `db` with the backup's; returns the number of pairs. For a store
/// nothing else has open (`bot restore` with the bot stopped): trees the backup lacks are
/// dropped.
pub fn restore(db: &sled::Db, input: &mut impl Read) -> Result<u64> {
    let trees = read(input)?;
    let default = db.name();
    for name in db.tree_names() {
        if name != default {
            db.drop_tree(&name)?;
        }
    }
    db.clear()?;
    swap_in(db, &trees)
}

/// The tree of `db` named `name` (the default tree by its name too).
fn tree_of(db: &sled::Db, name: &[u8]) -> Result<sled::Tree> {
    if name == &db.name()[..] {
        Ok((**db).clone())
    } else {
        Ok(db.open_tree(name)?)
    }
}

/// Makes every tree of `db` hold exactly the backup's pairs, then flushes; returns the
/// number of pairs. Every tree stays open, as the running bot's parts hold them: a tree the
/// backup lacks is emptied, not dropped.
pub fn swap_in(db: &sled::Db, trees: &Trees) -> Result<u64> {
    let named: std::collections::HashSet<&[u8]> = trees.iter().map(|t| &t.0[..]).collect();
    for name in db.tree_names() {
        if !named.contains(&name[..]) {
            tree_of(db, &name)?.clear()?;
        }
    }
    for (name, kvs) in trees {
        let tree = tree_of(db, name)?;
        tree.clear()?;
        let mut batch = sled::Batch::default();
        for (k, v) in kvs {
            batch.insert(&k[..], &v[..]);
        }
        tree.apply_batch(batch)?;
    }
    db.flush().context("flushing the store")?;
    Ok(pairs(trees))
}

/// A backup (`trees`, read from `bytes` and checked) restored into the running bot that
/// holds `db`: kept in `DATA/restore-pending` (so that a crash half-way is finished at the
/// next start), put in with every command held off, after which the bot reloads what it
/// keeps in memory.
pub fn into_running(
    db: &sled::Db,
    data: &Path,
    commands: &commands::Commands,
    trees: &Trees,
    bytes: &[u8],
) -> Result<u64> {
    let pending = data.join(PENDING);
    write_atomically(&pending, |out| {
        out.write_all(bytes)?;
        Ok(0)
    })?;
    sync_dir(data)?;
    let pairs = commands.replace_store(|| swap_in(db, trees))?;
    std::fs::remove_file(&pending)
        .with_context(|| format!("cannot remove {}", pending.display()))?;
    Ok(pairs)
}

fn sync_dir(dir: &Path) -> Result<()> {
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .with_context(|| format!("cannot sync {}", dir.display()))
}

/// Finishes a restore that a crash cut short (`DATA/restore-pending` is still there), on a
/// store just opened; returns the number of pairs put back, if there was one.
pub fn finish_pending(db: &sled::Db, data: &Path) -> Result<Option<u64>> {
    let pending = data.join(PENDING);
    if !pending.exists() {
        return Ok(None);
    }
    let pairs = from_file(db, &pending).with_context(|| {
        format!(
            "{} holds a restore that did not finish and cannot be read: run `bot restore FILE` with the backup again",
            pending.display()
        )
    })?;
    std::fs::remove_file(&pending)
        .with_context(|| format!("cannot remove {}", pending.display()))?;
    Ok(Some(pairs))
}

/// Writes `FILE` from an open store, through a temporary file beside it.
pub fn to_file(db: &sled::Db, file: &Path) -> Result<u64> {
    write_atomically(file, |out| write(db, out))
}

fn write_atomically(
    file: &Path,
    fill: impl FnOnce(&mut BufWriter<std::fs::File>) -> Result<u64>,
) -> Result<u64> {
    let tmp = file.with_extension("partial");
    let f =
        std::fs::File::create(&tmp).with_context(|| format!("cannot write {}", tmp.display()))?;
    let mut out = BufWriter::new(f);
    let pairs = fill(&mut out)?;
    out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    std::fs::rename(&tmp, file).with_context(|| format!("cannot write {}", file.display()))?;
    Ok(pairs)
}

pub fn from_file(db: &sled::Db, file: &Path) -> Result<u64> {
    let f = std::fs::File::open(file).with_context(|| format!("cannot read {}", file.display()))?;
    restore(db, &mut BufReader::new(f))
}

/// Where the running bot's web server is and the token it accepts for `/ops/backup`,
/// written at start to `DATA/ops-token` (mode 0600).
pub fn publish(data: &Path, addr: std::net::SocketAddr, token: &str) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let host = match addr.ip() {
        ip if ip.is_unspecified() && ip.is_ipv4() => "127.0.0.1".to_string(),
        ip if ip.is_unspecified() => "[::1]".to_string(),
        std::net::IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    let path = data.join(OPS_FILE);
    let _ = std::fs::remove_file(&path);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    writeln!(f, "{host}:{} {token}", addr.port())?;
    Ok(())
}

/// Asks the bot that holds the store in `data`, through its web server: the status and
/// the body of `METHOD path` sent with the ops token and `body`.
pub fn ask_running_bot(
    data: &Path,
    method: &str,
    path: &str,
    body: &[u8],
) -> Result<(u16, Vec<u8>)> {
    let ops = std::fs::read_to_string(data.join(OPS_FILE)).with_context(|| {
        format!(
            "no running bot told where to reach it in {} ({OPS_FILE} is missing; is its web server off?)",
            data.display()
        )
    })?;
    let (addr, token) = ops
        .trim()
        .split_once(' ')
        .context("the ops-token file is damaged: restart the bot")?;
    let mut stream = std::net::TcpStream::connect(addr)
        .with_context(|| format!("cannot reach the running bot at {addr}"))?;
    stream.set_read_timeout(Some(std::time::Duration::from_secs(120)))?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream
        .write_all(body)
        .context("the running bot stopped reading")?;
    let mut answer = Vec::new();
    stream
        .read_to_end(&mut answer)
        .context("the running bot did not answer")?;
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .context("the running bot's answer is not HTTP")?;
    let head = String::from_utf8_lossy(&answer[..split]);
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .context("the running bot's answer is not HTTP")?;
    Ok((status, answer[split + 4..].to_vec()))
}

/// `bot backup FILE` while another process (the running bot) holds the store: asks it.
pub fn from_running_bot(data: &Path, file: &Path) -> Result<u64> {
    let (status, bytes) = ask_running_bot(data, "POST", "/ops/backup", &[])?;
    if status != 200 {
        bail!(
            "the running bot refused the backup ({status}): {}",
            String::from_utf8_lossy(&bytes).trim()
        );
    }
    // Checked before it is written: a cut-off answer fails instead of leaving a bad file.
    let pairs = pairs(&read(&mut bytes.as_slice())?);
    write_atomically(file, |out| {
        out.write_all(&bytes)?;
        Ok(pairs)
    })
}

/// `bot restore FILE` while another process (the running bot) holds the store: the whole
/// file is checked here first, so that a bad one is refused before anything is sent.
pub fn to_running_bot(data: &Path, file: &Path) -> Result<u64> {
    let size = std::fs::metadata(file)
        .with_context(|| format!("cannot read {}", file.display()))?
        .len();
    if size > MAX_RESTORE_BYTES as u64 {
        bail!(
            "{} is {size} bytes, more than a running bot takes ({MAX_RESTORE_BYTES}): stop the bot and run `bot restore` again",
            file.display()
        );
    }
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    read(&mut bytes.as_slice())
        .with_context(|| format!("{} was not restored; nothing changed", file.display()))?;
    let (status, answer) = ask_running_bot(data, "POST", "/ops/restore", &bytes)?;
    let answer = String::from_utf8_lossy(&answer);
    if status != 200 {
        bail!(
            "the running bot refused the restore ({status}): {}",
            answer.trim()
        );
    }
    serde_json::from_str::<serde_json::Value>(&answer)
        .ok()
        .and_then(|v| v["restored"].as_u64())
        .with_context(|| format!("the running bot's answer is not understood: {answer}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> sled::Db {
        sled::Config::new().temporary(true).open().unwrap()
    }

    #[test]
    fn a_backup_restores_every_tree_and_a_cut_one_changes_nothing() {
        let a = db();
        a.insert(b"root", b"1").unwrap();
        a.open_tree("cmd.events")
            .unwrap()
            .insert(b"e1", b"Web night")
            .unwrap();
        a.open_tree("kb.sections")
            .unwrap()
            .insert(b"s", vec![0u8; 3000])
            .unwrap();
        let mut file = Vec::new();
        assert_eq!(write(&a, &mut file).unwrap(), 3);

        let b = db();
        b.open_tree("stale").unwrap().insert(b"x", b"y").unwrap();
        assert_eq!(restore(&b, &mut file.as_slice()).unwrap(), 3);
        assert_eq!(&*b.get(b"root").unwrap().unwrap(), b"1");
        let events = b.open_tree("cmd.events").unwrap();
        assert_eq!(&*events.get(b"e1").unwrap().unwrap(), b"Web night");
        assert!(!b.tree_names().iter().any(|n| &n[..] == b"stale"));

        let c = db();
        c.insert(b"keep", b"me").unwrap();
        let cut = &file[..file.len() - 5];
        assert!(restore(&c, &mut &cut[..]).is_err());
        assert!(restore(&c, &mut &b"not a backup"[..]).is_err());
        assert_eq!(&*c.get(b"keep").unwrap().unwrap(), b"me");
    }
}
