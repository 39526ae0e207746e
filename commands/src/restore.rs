//! Replacing the store under a running bot (a backup restored while it serves): every
//! command and clock tick held off while the contents change, then what this process keeps
//! in memory read again from the store.

use std::sync::RwLockReadGuard;

use knowledge::{ImportReport, IndexError};

use crate::Commands;

impl Commands {
    /// Lets a command or clock tick run; [`Commands::replace_store`] waits for it to end.
    pub(crate) fn held(&self) -> RwLockReadGuard<'_, ()> {
        self.gate.read().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `swap`, which replaces what the store holds (every tree, this crate's and the
    /// knowledge base's), with commands held off: those in progress finish first, new ones
    /// (and the clock) wait until it is done. Then reloads everything kept in memory that
    /// comes from the store: the knowledge base's answering snapshot (and its sync with the
    /// configured folders, as a start would do), the program calendar, and the last-import
    /// status `/health` reports. Reminders, offers, schedules and sessions are read from the
    /// store each time, so they follow at once. The reload happens even when `swap` fails
    /// half-way, so that the process answers from what the store really holds.
    pub fn replace_store<R, E>(&self, swap: impl FnOnce() -> Result<R, E>) -> Result<R, E> {
        let _held = self.gate.write().unwrap_or_else(|p| p.into_inner());
        let swapped = swap();
        self.reload_from_store();
        swapped
    }

    /// Brings the knowledge base up to date with the configured folders (`kb reload`).
    pub(crate) fn sync_knowledge(&self) -> Result<ImportReport, IndexError> {
        let dirs = &self.config.knowledge_dirs;
        if self.config.knowledge_exact {
            self.kb.sync_exact(dirs)
        } else {
            self.kb.sync_configured(dirs)
        }
    }

    fn reload_from_store(&self) {
        if let Err(e) = self.kb.reopen() {
            tracing::error!("after a restore, the knowledge base could not be read: {e}");
            self.note_import(Err(e.to_string()));
            return;
        }
        let synced = self.sync_knowledge();
        if let Err(e) = &synced {
            tracing::error!("after a restore, the knowledge folders could not be read: {e}");
        }
        self.note_import(synced.as_ref().map_err(|e| e.to_string()));
        self.reload_milestones();
    }
}
