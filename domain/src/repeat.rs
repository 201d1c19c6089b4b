//! Repeat disputes (重复纠纷): what makes two cases about the same people or
//! the same place. A dispute that comes back between the same parties or at
//! the same door is a warning in itself (../shared/domain.md §6), so intake
//! looks for earlier cases by these keys instead of trusting a tick box.
//!
//! A key is a normalised text: an ID number, a phone number, a name with an
//! address, an address, or a map cell. The store never keeps the text, only
//! a keyed hash of it, so matching on numbers does not put them in a second
//! place where they could be read.
use crate::geo::GeoPoint;
use crate::party::{IdNumber, PartyRole, PhoneNumber};

named_values! {
    /// What a match key says two cases share.
    MatchKind: UnknownMatchKind = UnknownMatchKind {
        /// The same resident identity card number.
        IdNumber => "id_number",
        /// The same phone number.
        Phone => "phone",
        /// A party of the same name at the same address.
        NameAddress => "name_address",
        /// The same address (门牌).
        Address => "address",
        /// Within [`NEAR_M`] of the same point.
        Place => "place",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("unknown match kind")]
pub struct UnknownMatchKind;

impl MatchKind {
    /// Whether the key names a person (as opposed to a place).
    pub fn is_party(self) -> bool {
        matches!(
            self,
            MatchKind::IdNumber | MatchKind::Phone | MatchKind::NameAddress
        )
    }
}

/// Two points this close (metres) are the same place.
pub const NEAR_M: f64 = 50.0;

/// A map cell is this many millionths of a degree on a side (0.001°: about
/// 111 m north-south, 96 m east-west at 30°N), larger than [`NEAR_M`], so a
/// point's neighbours within reach lie in its own cell or the eight around it.
const CELL_E6: i64 = 1_000;

/// Addresses shorter than this, once normalised, are too vague to match on.
const MIN_ADDRESS_CHARS: usize = 5;

/// One thing a case can share with another: its kind and normalised text.
/// The text is as sensitive as the number it comes from: not `Debug`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct MatchKey {
    pub kind: MatchKind,
    text: String,
}

impl MatchKey {
    /// The normalised text, for the keyed hash only.
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl std::fmt::Debug for MatchKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MatchKey({})", self.kind)
    }
}

/// A party as intake gives it, for matching.
#[derive(Clone, Copy, Debug)]
pub struct PartyFacts<'a> {
    pub role: PartyRole,
    pub name: &'a str,
    pub phone: Option<&'a PhoneNumber>,
    pub id_number: Option<&'a IdNumber>,
    /// The party's own address; the case's address stands in when empty.
    pub address: &'a str,
}

/// An address as compared: full-width letters, digits and signs folded to
/// ASCII, letters lower-cased, and spaces and punctuation dropped
/// (`双桂花园三期 ５栋 2单元` and `双桂花园三期5栋2单元` are one address).
/// `None` when what is left is too vague to be one door: fewer than five
/// characters, or no number at all (`长兴社区` is a community, not a door).
pub fn normalise_address(raw: &str) -> Option<String> {
    let folded: String = raw
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        })
        .filter(|c| !(c.is_whitespace() || c.is_ascii_punctuation() || is_cjk_punctuation(*c)))
        .flat_map(char::to_lowercase)
        .collect();
    let has_number = folded.chars().any(|c| c.is_ascii_digit());
    (folded.chars().count() >= MIN_ADDRESS_CHARS && has_number).then_some(folded)
}

/// `、，。；：（）【】《》“”‘’·—…` and the like.
fn is_cjk_punctuation(c: char) -> bool {
    matches!(c, '\u{3001}'..='\u{303F}' | '\u{2010}'..='\u{2027}' | '\u{00B7}' | '\u{FE30}'..='\u{FE4F}')
}

/// A name as compared: without spaces (`张 三` is `张三`).
fn normalise_name(raw: &str) -> String {
    raw.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The keys of one party: their numbers, and their name with their address
/// (or the case's, when they gave none).
pub fn party_keys(party: PartyFacts<'_>, case_address: &str) -> Vec<MatchKey> {
    let mut keys = Vec::with_capacity(3);
    if let Some(id) = party.id_number {
        keys.push(MatchKey {
            kind: MatchKind::IdNumber,
            text: id.expose().to_owned(),
        });
    }
    if let Some(phone) = party.phone {
        keys.push(MatchKey {
            kind: MatchKind::Phone,
            text: phone.expose().to_owned(),
        });
    }
    let name = normalise_name(party.name);
    let address = normalise_address(party.address).or_else(|| normalise_address(case_address));
    if let (false, Some(address)) = (name.is_empty(), address) {
        keys.push(MatchKey {
            kind: MatchKind::NameAddress,
            text: format!("{name}\u{1F}{address}"),
        });
    }
    keys
}

/// The map cell a point lies in.
fn cell_of(lat_e6: i64, lon_e6: i64) -> (i64, i64) {
    (lat_e6.div_euclid(CELL_E6), lon_e6.div_euclid(CELL_E6))
}

fn cell_key((lat, lon): (i64, i64)) -> MatchKey {
    MatchKey {
        kind: MatchKind::Place,
        text: format!("{lat},{lon}"),
    }
}

/// The keys a case is found by: each party's, its address, and its cell.
pub fn case_keys(
    parties: &[PartyFacts<'_>],
    address: &str,
    point: Option<GeoPoint>,
) -> Vec<MatchKey> {
    let mut keys: Vec<MatchKey> = parties
        .iter()
        .flat_map(|p| party_keys(*p, address))
        .collect();
    if let Some(address) = normalise_address(address) {
        keys.push(MatchKey {
            kind: MatchKind::Address,
            text: address,
        });
    }
    if let Some(p) = point {
        keys.push(cell_key(cell_of(p.lat_e6(), p.lon_e6())));
    }
    dedup(keys)
}

/// A key to look for, and whose it is (the party it came from; `None` for
/// the case's address and place).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sought {
    pub party: Option<PartyRole>,
    pub key: MatchKey,
}

/// The keys to look a case up by: as [`case_keys`], each with the party it
/// came from, and the place as the point's cell and the eight around it (the
/// candidates are then checked with [`same_place`]).
pub fn search_keys(
    parties: &[PartyFacts<'_>],
    address: &str,
    point: Option<GeoPoint>,
) -> Vec<Sought> {
    let mut sought: Vec<Sought> = parties
        .iter()
        .flat_map(|p| {
            party_keys(*p, address).into_iter().map(|key| Sought {
                party: Some(p.role),
                key,
            })
        })
        .collect();
    let place = |key| Sought { party: None, key };
    if let Some(address) = normalise_address(address) {
        sought.push(place(MatchKey {
            kind: MatchKind::Address,
            text: address,
        }));
    }
    if let Some(p) = point {
        let (lat, lon) = cell_of(p.lat_e6(), p.lon_e6());
        for dlat in -1..=1 {
            for dlon in -1..=1 {
                sought.push(place(cell_key((lat + dlat, lon + dlon))));
            }
        }
    }
    // The first party a key came from speaks for it.
    let mut seen = std::collections::HashSet::with_capacity(sought.len());
    sought.retain(|s| seen.insert(s.key.clone()));
    sought
}

fn dedup(keys: Vec<MatchKey>) -> Vec<MatchKey> {
    let mut seen = std::collections::HashSet::with_capacity(keys.len());
    keys.into_iter()
        .filter(|k| seen.insert(k.clone()))
        .collect()
}

/// Whether two points are the same place (within [`NEAR_M`]).
pub fn same_place(a: GeoPoint, b: GeoPoint) -> bool {
    a.distance_m(b) <= NEAR_M
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id() -> IdNumber {
        IdNumber::parse("11010519491231002X").unwrap_or_else(|_| unreachable!())
    }

    fn phone() -> PhoneNumber {
        PhoneNumber::parse("13900001234").unwrap_or_else(|_| unreachable!())
    }

    fn kinds(keys: &[MatchKey]) -> Vec<MatchKind> {
        keys.iter().map(|k| k.kind).collect()
    }

    #[test]
    fn names_round_trip() {
        crate::assert_names_round_trip(&MatchKind::ALL, MatchKind::as_str);
    }

    #[test]
    fn addresses_fold_width_space_and_punctuation() {
        assert_eq!(
            normalise_address("双桂花园三期 ５栋，2单元"),
            normalise_address("双桂花园三期5栋2单元")
        );
        assert_eq!(
            normalise_address("Shuanggui Garden No.5").as_deref(),
            Some("shuangguigardenno5")
        );
        assert_eq!(normalise_address("长兴社区"), None, "no door number");
        assert_eq!(normalise_address("5栋"), None, "too short");
        assert_eq!(normalise_address("   "), None);
    }

    #[test]
    fn a_party_is_known_by_numbers_and_by_name_at_an_address() {
        let (id, phone) = (id(), phone());
        let keys = party_keys(
            PartyFacts {
                role: PartyRole::Applicant,
                name: "张 建华",
                phone: Some(&phone),
                id_number: Some(&id),
                address: "",
            },
            "双桂花园三期 5 栋",
        );
        assert_eq!(
            kinds(&keys),
            [
                MatchKind::IdNumber,
                MatchKind::Phone,
                MatchKind::NameAddress
            ]
        );
        // The party's own address wins over the case's; spacing in the name
        // does not matter.
        let own = party_keys(
            PartyFacts {
                role: PartyRole::Applicant,
                name: "张建华",
                phone: None,
                id_number: None,
                address: "双桂花园三期5栋",
            },
            "白家社区 12 号",
        );
        assert_eq!(own, keys[2..].to_vec());
        // No usable address: only the numbers.
        let vague = party_keys(
            PartyFacts {
                role: PartyRole::Applicant,
                name: "张建华",
                phone: None,
                id_number: None,
                address: "",
            },
            "长兴社区",
        );
        assert!(vague.is_empty());
    }

    #[test]
    fn keys_print_no_personal_data() {
        let phone = phone();
        let keys = party_keys(
            PartyFacts {
                role: PartyRole::Applicant,
                name: "张建华",
                phone: Some(&phone),
                id_number: None,
                address: "",
            },
            "",
        );
        let printed = format!("{keys:?}");
        assert!(!printed.contains("1390000"), "{printed}");
        assert!(printed.contains("phone"));
    }

    #[test]
    fn a_place_is_found_in_its_cell_and_the_eight_around_it() {
        let p = GeoPoint::from_degrees(30.574_999, 103.923_999).unwrap_or_else(|| unreachable!());
        // 30 m north-east: the next cell over both ways, still the same place.
        let q = GeoPoint::from_degrees(30.575_2, 103.924_2).unwrap_or_else(|| unreachable!());
        assert!(same_place(p, q));
        let stored = case_keys(&[], "", Some(q));
        let searched = search_keys(&[], "", Some(p));
        assert_eq!(searched.len(), 9);
        assert!(stored.iter().all(|k| searched.iter().any(|s| &s.key == k)));
        assert!(searched.iter().all(|s| s.party.is_none()));
        // 200 m away is another place, whatever the cells say.
        let far = GeoPoint::from_degrees(30.576_8, 103.923_999).unwrap_or_else(|| unreachable!());
        assert!(!same_place(p, far));
    }

    #[test]
    fn a_case_has_each_key_once() {
        let phone = phone();
        let party = PartyFacts {
            role: PartyRole::Applicant,
            name: "张建华",
            phone: Some(&phone),
            id_number: None,
            address: "",
        };
        let keys = case_keys(&[party, party], "双桂花园三期5栋", None);
        assert_eq!(
            kinds(&keys),
            [MatchKind::Phone, MatchKind::NameAddress, MatchKind::Address]
        );
        let respondent = PartyFacts {
            role: PartyRole::Respondent,
            ..party
        };
        let sought = search_keys(&[party, respondent], "双桂花园三期5栋", None);
        assert_eq!(sought.len(), 3);
        assert_eq!(sought[0].party, Some(PartyRole::Applicant));
        assert_eq!(sought[2].party, None);
    }
}
