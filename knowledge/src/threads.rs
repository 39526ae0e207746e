//! Work spread over the machine's cores in contiguous runs, results in input order.

/// Calls `f` on contiguous runs of `items`, one run per core (at most; none shorter than
/// `min_run`, below which a thread costs more than it saves), and returns the results in
/// the order of the runs.
pub(crate) fn map_runs<T: Sync, R: Send>(
    items: &[T],
    min_run: usize,
    f: impl Fn(&[T]) -> R + Sync,
) -> Vec<R> {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let threads = cores.min(items.len() / min_run.max(1)).max(1);
    if threads == 1 {
        return vec![f(items)];
    }
    let per = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let f = &f;
        let running: Vec<_> = items
            .chunks(per)
            .map(|run| scope.spawn(move || f(run)))
            .collect();
        running
            .into_iter()
            .map(|t| {
                t.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::map_runs;

    #[test]
    fn runs_cover_every_item_once_in_order() {
        for (n, min_run) in [(0, 1), (1, 1), (63, 64), (64, 8), (200, 64), (1001, 1)] {
            let items: Vec<usize> = (0..n).collect();
            let runs = map_runs(&items, min_run, |run| run.to_vec());
            assert!(runs.iter().all(|r| !r.is_empty() || n == 0));
            assert_eq!(runs.concat(), items, "{n} items");
        }
    }
}
