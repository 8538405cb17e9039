//! The few Dublin Core and XMP properties of a PDF's XMP packet that a
//! product's front matter can take: title, creators, creation date and
//! language. The packet is XML written by a handful of known producers;
//! this reads the elements by name rather than bringing in an XML parser.

/// What an XMP packet says of its document.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Xmp {
    pub title: Option<String>,
    pub creators: Vec<String>,
    pub date: Option<String>,
    pub language: Option<String>,
}

impl Xmp {
    pub fn parse(xml: &str) -> Xmp {
        let first = |tag: &str| items(element(xml, tag)?).into_iter().next();
        let date = element(xml, "xmp:CreateDate")
            .map(unescape)
            .and_then(|d| iso_prefix(&d));
        Xmp {
            title: first("dc:title"),
            creators: element(xml, "dc:creator").map(items).unwrap_or_default(),
            date,
            language: first("dc:language"),
        }
    }
}

/// The inside of the first `<tag ...>…</tag>`.
fn element<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let open = format!("<{tag}");
    let mut from = 0;
    while let Some(at) = xml[from..].find(&open) {
        let start = from + at + open.len();
        // `<dc:titleX` is another element.
        if xml[start..].starts_with(['>', ' ', '\n', '\t', '\r']) {
            let body = start + xml[start..].find('>')? + 1;
            let end = body + xml[body..].find(&format!("</{tag}>"))?;
            return Some(&xml[body..end]);
        }
        from = start;
    }
    None
}

/// The `rdf:li` values of a container, or its text when it has none.
fn items(inner: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = inner;
    while let Some(v) = element(rest, "rdf:li") {
        let v = unescape(v);
        if !v.is_empty() {
            out.push(v);
        }
        let Some(end) = rest.find("</rdf:li>") else {
            break;
        };
        rest = &rest[end + "</rdf:li>".len()..];
    }
    if out.is_empty() && !inner.contains('<') {
        let v = unescape(inner);
        if !v.is_empty() {
            out.push(v);
        }
    }
    out
}

fn unescape(s: &str) -> String {
    s.trim()
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// `2015-03-12T09:30:00-05:00` as `2015-03-12`; shorter dates as given.
fn iso_prefix(s: &str) -> Option<String> {
    let d: String = s.chars().take(10).collect();
    let ok = d.len() >= 4
        && d.chars().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    ok.then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dublin_core_properties_are_read() {
        let xml = r#"<x:xmpmeta><rdf:RDF><rdf:Description
            xmlns:dc="http://purl.org/dc/elements/1.1/">
            <dc:title><rdf:Alt><rdf:li xml:lang="x-default">Evaluación &amp; aprendizaje</rdf:li></rdf:Alt></dc:title>
            <dc:creator><rdf:Seq><rdf:li>Ana Pérez</rdf:li><rdf:li>Luis Soto</rdf:li></rdf:Seq></dc:creator>
            <dc:language><rdf:Bag><rdf:li>es-PE</rdf:li></rdf:Bag></dc:language>
            <xmp:CreateDate>2015-03-12T09:30:00-05:00</xmp:CreateDate>
            </rdf:Description></rdf:RDF></x:xmpmeta>"#;
        let x = Xmp::parse(xml);
        assert_eq!(x.title.as_deref(), Some("Evaluación & aprendizaje"));
        assert_eq!(x.creators, ["Ana Pérez", "Luis Soto"]);
        assert_eq!(x.language.as_deref(), Some("es-PE"));
        assert_eq!(x.date.as_deref(), Some("2015-03-12"));
    }

    #[test]
    fn an_empty_packet_says_nothing() {
        assert_eq!(Xmp::parse(""), Xmp::default());
    }
}
