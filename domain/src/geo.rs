//! Places: a point on the map and which grid a report from outside (an
//! Open311 request from a 12345 platform) belongs to.

/// A WGS-84 point inside China's extent, kept in millionths of a degree
/// (about 0.1 m), so it compares and stores exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GeoPoint {
    lat_e6: i64,
    lon_e6: i64,
}

/// Reports further than this from every grid's centre are not placed by
/// their point (they fall back to their address).
pub const MAX_PLACING_DISTANCE_M: f64 = 10_000.0;

impl GeoPoint {
    /// A point from degrees; `None` outside China's extent or not finite.
    pub fn from_degrees(lat: f64, lon: f64) -> Option<GeoPoint> {
        if !(lat.is_finite() && lon.is_finite()) {
            return None;
        }
        if !((3.0..=54.0).contains(&lat) && (73.0..=136.0).contains(&lon)) {
            return None;
        }
        // In range: the products fit easily.
        #[allow(clippy::cast_possible_truncation)]
        Some(GeoPoint {
            lat_e6: (lat * 1e6).round() as i64,
            lon_e6: (lon * 1e6).round() as i64,
        })
    }

    /// A point as stored (millionths of a degree); `None` when out of range.
    pub fn from_e6(lat_e6: i64, lon_e6: i64) -> Option<GeoPoint> {
        GeoPoint::from_degrees(lat_e6 as f64 / 1e6, lon_e6 as f64 / 1e6)
    }

    /// A point from two form fields; both empty is `Ok(None)`.
    pub fn parse(lat: &str, lon: &str) -> Result<Option<GeoPoint>, BadPoint> {
        match (lat.trim(), lon.trim()) {
            ("", "") => Ok(None),
            (lat, lon) => {
                let lat: f64 = lat.parse().map_err(|_| BadPoint)?;
                let lon: f64 = lon.parse().map_err(|_| BadPoint)?;
                GeoPoint::from_degrees(lat, lon).map(Some).ok_or(BadPoint)
            }
        }
    }

    pub fn lat_e6(self) -> i64 {
        self.lat_e6
    }

    pub fn lon_e6(self) -> i64 {
        self.lon_e6
    }

    pub fn lat(self) -> f64 {
        self.lat_e6 as f64 / 1e6
    }

    pub fn lon(self) -> f64 {
        self.lon_e6 as f64 / 1e6
    }

    /// The great-circle distance in metres (haversine).
    pub fn distance_m(self, other: GeoPoint) -> f64 {
        const EARTH_RADIUS_M: f64 = 6_371_008.8;
        let (la1, la2) = (self.lat().to_radians(), other.lat().to_radians());
        let dla = la2 - la1;
        let dlo = (other.lon() - self.lon()).to_radians();
        let h = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
    }
}

/// Not a point in China: both coordinates, as decimal degrees, are needed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a point in China")]
pub struct BadPoint;

/// A grid a report may be placed in: its id, its name and its ancestors'
/// names (the grid's own first), and its centre if known.
#[derive(Clone, Debug)]
pub struct GridCandidate {
    pub id: i64,
    pub names: Vec<String>,
    pub centre: Option<GeoPoint>,
}

/// The grid a report belongs to: the nearest grid centre to its point
/// (within [`MAX_PLACING_DISTANCE_M`]); else the one grid whose most
/// specific name the address mentions. `None` when neither settles it
/// (no point near any grid, and no name or one shared by several grids).
pub fn place(point: Option<GeoPoint>, address: &str, grids: &[GridCandidate]) -> Option<i64> {
    if let Some(p) = point {
        let nearest = grids
            .iter()
            .filter_map(|g| g.centre.map(|c| (g.id, p.distance_m(c))))
            .filter(|(_, d)| *d <= MAX_PLACING_DISTANCE_M)
            .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        if let Some((id, _)) = nearest {
            return Some(id);
        }
    }
    let address = address.trim();
    if address.is_empty() {
        return None;
    }
    // How specific a grid's best mention is: 0 for its own name, 1 for its
    // parent's, …; lower is better.
    let specificity = |g: &GridCandidate| {
        g.names
            .iter()
            .position(|n| !n.is_empty() && address.contains(n.as_str()))
    };
    let best = grids.iter().filter_map(specificity).min()?;
    let mut matching = grids.iter().filter(|g| specificity(g) == Some(best));
    let first = matching.next()?;
    match matching.next() {
        None => Some(first.id),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pt(lat: f64, lon: f64) -> GeoPoint {
        GeoPoint::from_degrees(lat, lon).unwrap_or_else(|| panic!("{lat},{lon}"))
    }

    fn grid(id: i64, names: &[&str], centre: Option<(f64, f64)>) -> GridCandidate {
        GridCandidate {
            id,
            names: names.iter().map(|n| (*n).to_owned()).collect(),
            centre: centre.map(|(a, b)| pt(a, b)),
        }
    }

    #[test]
    fn points_are_checked_and_exact() {
        assert_eq!(GeoPoint::parse("", " "), Ok(None));
        assert_eq!(GeoPoint::parse("30.5", ""), Err(BadPoint));
        assert_eq!(GeoPoint::parse("91", "104"), Err(BadPoint));
        assert_eq!(GeoPoint::parse("nan", "104"), Err(BadPoint));
        assert_eq!(
            GeoPoint::parse("30.574", "103.923"),
            Ok(Some(pt(30.574, 103.923)))
        );
        let p = pt(30.123456, 103.654321);
        assert_eq!((p.lat_e6(), p.lon_e6()), (30_123_456, 103_654_321));
        assert_eq!(GeoPoint::from_e6(p.lat_e6(), p.lon_e6()), Some(p));
        assert_eq!(GeoPoint::from_degrees(0.0, 0.0), None);
    }

    #[test]
    fn distances_are_great_circle_metres() {
        // Tianfu Square to Chengdu East station: about 7.8 km.
        let d = pt(30.6574, 104.0658).distance_m(pt(30.6293, 104.1408));
        assert!((7_500.0..8_000.0).contains(&d), "{d}");
        assert!(pt(30.0, 104.0).distance_m(pt(30.0, 104.0)) < 1e-6);
    }

    #[test]
    fn a_point_goes_to_the_nearest_grid_within_reach() {
        let grids = [
            grid(1, &["第一网格", "长兴社区"], Some((30.5740, 103.9230))),
            grid(2, &["第二网格", "长兴社区"], Some((30.5770, 103.9260))),
            grid(3, &["第三网格", "长兴社区"], None),
        ];
        assert_eq!(place(Some(pt(30.5741, 103.9231)), "", &grids), Some(1));
        assert_eq!(place(Some(pt(30.5769, 103.9259)), "", &grids), Some(2));
        // Too far from every centre: the address decides, if it can.
        assert_eq!(place(Some(pt(39.1, 117.2)), "", &grids), None);
        assert_eq!(
            place(Some(pt(39.1, 117.2)), "长兴社区第三网格 5 栋", &grids),
            Some(3)
        );
    }

    #[test]
    fn an_address_names_one_grid_or_is_not_enough() {
        let grids = [
            grid(1, &["双桂花园三期第一网格", "长兴社区", "东升街道"], None),
            grid(2, &["双桂花园三期第二网格", "长兴社区", "东升街道"], None),
            grid(3, &["白家社区第一网格", "白家社区", "东升街道"], None),
        ];
        assert_eq!(
            place(None, "东升街道双桂花园三期第二网格 3 栋", &grids),
            Some(2)
        );
        // Only one grid in 白家社区.
        assert_eq!(place(None, "白家社区 12 号", &grids), Some(3));
        // Two grids share 长兴社区: ambiguous.
        assert_eq!(place(None, "长兴社区", &grids), None);
        assert_eq!(place(None, "东升街道", &grids), None);
        assert_eq!(place(None, "  ", &grids), None);
        assert_eq!(place(None, "天津市和平区", &grids), None);
    }
}
