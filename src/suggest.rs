//! "Did you mean …?": the closest known name to a misspelt one. A leaf, used by the schema
//! check, the rules, the profile reader and the reference resolver.

/// The closest of `candidates` to `word`, if close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let all: Vec<&'a str> = candidates.into_iter().collect();
    let mut best: Option<(usize, &str)> = None;
    for &c in &all {
        let d = levenshtein(&lower, &c.to_lowercase());
        let limit = (word.chars().count().max(c.chars().count()) / 3).max(1);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    if let Some((_, c)) = best {
        return Some(c);
    }
    // A name that is a prefix of the other ("Bee" for "B") is a likely slip when it is the
    // only such candidate.
    let mut prefixed = candidates_prefix(&lower, &all);
    if prefixed.len() == 1 {
        prefixed.pop()
    } else {
        None
    }
}

fn candidates_prefix<'a>(lower: &str, all: &[&'a str]) -> Vec<&'a str> {
    all.iter()
        .copied()
        .filter(|c| {
            let cl = c.to_lowercase();
            !cl.is_empty() && (lower.starts_with(&cl) || cl.starts_with(lower))
        })
        .collect()
}

/// Edit distance where swapping two neighbouring characters is one edit, like inserting,
/// deleting or replacing one ("optimal string alignment"): `Nmae` is one edit from `Name`.
fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut before: Vec<usize> = Vec::new();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
            if i > 0 && j > 0 && *ca == b[j - 1] && a[i - 1] == *cb {
                cur[j + 1] = cur[j + 1].min(before[j - 1] + 1);
            }
        }
        before = std::mem::replace(&mut prev, cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(did_you_mean("Bee", ["B", "Done"]), Some("B"));
        assert_eq!(did_you_mean("ProcessPayment", ["ChargePayment", "X"]), None);
        assert_eq!(did_you_mean("Nxt", ["Next", "End"]), Some("Next"));
        // A swap of neighbours is one edit.
        assert_eq!(levenshtein("nmae", "name"), 1);
        assert_eq!(levenshtein("abc", "ca"), 3);
        assert_eq!(
            did_you_mean("Nmae", ["Name", "Command", "Cpu"]),
            Some("Name")
        );
    }
}
