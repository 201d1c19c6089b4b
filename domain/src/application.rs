//! Applying online (当事人申请): a resident asks for mediation without an
//! account, naming the village or community (村/社区) where the dispute is.
//! The application is a case from source `party_application` in the queue
//! of that community's tier, accepted or declined like any case. Pure
//! limits and rules; the door and the store do the rest.
use crate::area::AreaLevel;

/// Applications one network address may send a minute.
pub const PER_ADDRESS_PER_MINUTE: i64 = 3;

/// Applications naming one applicant phone in a day.
pub const PER_PHONE_PER_DAY: i64 = 3;

/// The longest a title may be, in characters.
pub const MAX_TITLE_CHARS: usize = 60;

/// The longest a description may be, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 2000;

/// The longest an address may be, in characters.
pub const MAX_ADDRESS_CHARS: usize = 200;

/// The longest a name may be, in characters.
pub const MAX_NAME_CHARS: usize = 40;

/// The form's honeypot: a field hidden from people that bots fill in. An
/// application that fills it is answered as if received, and dropped.
pub const HONEYPOT_FIELD: &str = "website";

/// The level an application names: a village or community, whose people's
/// mediation committee (调委会) takes it first.
pub const APPLICATION_LEVEL: AreaLevel = AreaLevel::Community;

/// The tier an application to an area of `level` lands in, of `ladder`
/// (each tier's position and the level whose staff work its queue): the
/// lowest tier worked at that level or above it, never the grid's.
pub fn landing_tier(level: AreaLevel, ladder: &[(u32, AreaLevel)]) -> Option<u32> {
    ladder
        .iter()
        .filter(|(_, owner)| *owner != AreaLevel::Grid && *owner <= level)
        .map(|(position, _)| *position)
        .min()
}

/// The account that reports what parties apply for online: not a person,
/// it never signs in (its name is no user name) and is never listed.
pub const ONLINE_REPORTER_PREFIX: &str = "~online.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_application_lands_in_the_lowest_tier_worked_at_its_level_or_above() {
        let ladder = [
            (0, AreaLevel::Grid),
            (1, AreaLevel::Community),
            (2, AreaLevel::Township),
            (3, AreaLevel::Township),
        ];
        assert_eq!(landing_tier(AreaLevel::Community, &ladder), Some(1));
        assert_eq!(landing_tier(AreaLevel::Township, &ladder), Some(2));
        assert_eq!(landing_tier(AreaLevel::County, &ladder), None);
        // A ladder whose first mediating tier is the township's.
        let township_first = [(0, AreaLevel::Grid), (1, AreaLevel::Township)];
        assert_eq!(landing_tier(AreaLevel::Community, &township_first), Some(1));
        assert_eq!(
            landing_tier(AreaLevel::Community, &[(0, AreaLevel::Grid)]),
            None
        );
    }
}
