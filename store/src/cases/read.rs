//! The read rule ([`domain::case::full_read`]) as a condition on a case row
//! `c`, so that searches and duplicate checks keep to what their reader
//! reads whole.
use domain::case::FullRead;

/// A SQL condition, true for the cases of alias `c` that `reader` reads
/// whole. Built from integers and constants only, never user input.
pub(crate) fn read_whole(reader: FullRead) -> String {
    match reader {
        FullRead::Always => "1 = 1".to_owned(),
        FullRead::AtGridOwnedOrSettled { owner } => {
            let settled = FullRead::SETTLED
                .iter()
                .map(|s| format!("'{}'", s.as_str()))
                .collect::<Vec<_>>()
                .join(", ");
            format!(
                "(c.tier_id in (select id from tiers where position = 0) \
                 or c.owner_id = {owner} or c.status in ({settled}))"
            )
        }
        FullRead::Never => "1 = 0".to_owned(),
    }
}
