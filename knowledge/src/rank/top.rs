//! The best scores seen so far in one language: the score a section must beat.

/// The `keep` best scores seen in one language, to know the score a section must beat.
pub(super) struct TopScores {
    keep: usize,
    /// A min-heap of the best scores so far.
    heap: std::collections::BinaryHeap<std::cmp::Reverse<Ordered>>,
}

/// A score ordered totally, for the heap.
struct Ordered(f32);

impl PartialEq for Ordered {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Ordered {}

impl PartialOrd for Ordered {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ordered {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

impl TopScores {
    pub(super) fn new(keep: usize) -> Self {
        TopScores {
            keep,
            heap: std::collections::BinaryHeap::with_capacity(keep.min(1024) + 1),
        }
    }

    /// The score a section of this language must reach to be among the best: none until
    /// `keep` have been seen.
    pub(super) fn floor(&self) -> f32 {
        if self.heap.len() < self.keep {
            f32::NEG_INFINITY
        } else {
            self.heap.peek().map_or(f32::NEG_INFINITY, |r| r.0 .0)
        }
    }

    pub(super) fn push(&mut self, score: f32) {
        if self.heap.len() < self.keep {
            self.heap.push(std::cmp::Reverse(Ordered(score)));
        } else if let Some(mut least) = self.heap.peek_mut() {
            // Full: a better score takes the least one's place; another changes nothing.
            if score.total_cmp(&least.0 .0).is_gt() {
                *least = std::cmp::Reverse(Ordered(score));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::TopScores;

    #[test]
    fn the_floor_is_the_least_of_the_best_kept() {
        let mut top = TopScores::new(3);
        assert_eq!(top.floor(), f32::NEG_INFINITY);
        for s in [5.0, 1.0, 4.0] {
            top.push(s);
        }
        assert_eq!(top.floor(), 1.0);
        top.push(0.5);
        assert_eq!(top.floor(), 1.0);
        top.push(4.0);
        assert_eq!(top.floor(), 4.0);
        top.push(9.0);
        assert_eq!(top.floor(), 4.0);
        top.push(6.0);
        assert_eq!(top.floor(), 5.0);
    }

    #[test]
    fn keeping_none_never_sets_a_floor() {
        let mut top = TopScores::new(0);
        top.push(1.0);
        assert_eq!(top.floor(), f32::NEG_INFINITY);
    }
}
