//! QR codes for paper (the receipt's party code), drawn on the server as
//! SVG by the `qrcode` crate.

/// The QR code of `text` as an SVG element to put in a page (without the
/// XML declaration), at least `side` pixels wide; `None` for a text too long
/// for a QR code.
pub fn svg(text: &str, side: u32) -> Option<String> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    let image = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(side, side)
        .build();
    let start = image.find("<svg")?;
    Some(image[start..].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_party_codes_address_becomes_an_svg_element() {
        let Some(drawn) = svg("https://fq.example/s/7K3M9QX24TBD", 160) else {
            panic!("no QR code");
        };
        assert!(
            drawn.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
            "{drawn}"
        );
        assert!(drawn.ends_with("</svg>"), "{drawn}");
        assert!(!drawn.contains("<?xml"));
        assert!(
            !drawn.contains("style="),
            "no inline style: the CSP forbids it"
        );
        assert_eq!(svg(&"x".repeat(10_000), 160), None);
    }
}
