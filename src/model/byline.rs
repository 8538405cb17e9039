//! Who a product is by, as its readers are told: the one place that turns
//! the partners' roles into a byline, for cards, the product page's header,
//! feed entries and citations.

use super::Product;

/// The partners (indexes into `Site::partners`) a product is credited to,
/// each in the order the front matter names them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Byline {
    /// Partners with the `author` role: the only ones a feed or a citation
    /// lists as authors.
    pub authors: Vec<usize>,
    /// Every partner with the `publisher` role, authors included: a
    /// citation's publisher field wants them all.
    pub publisher: Vec<usize>,
    /// Sponsors not already named as authors or publishers, shown as "with
    /// support from" rather than beside the authors, where they would read
    /// as co-authors.
    pub funders: Vec<usize>,
}

impl Byline {
    /// The names a byline shows: the authors, then the publishers that are
    /// not already named as authors. Contributors are left to the product's
    /// own page, which lists every partner by role.
    pub fn credited(&self) -> Vec<usize> {
        let mut out = self.authors.clone();
        out.extend(self.publisher.iter().filter(|i| !self.authors.contains(i)));
        out
    }
}

/// The byline of a product. A partner named without a role is an author
/// (the content contract's default), which `load` has already applied.
pub fn byline(product: &Product) -> Byline {
    let with = |role: &str| -> Vec<usize> {
        product
            .partners
            .iter()
            .filter(|(_, roles)| roles.iter().any(|r| r == role))
            .map(|(i, _)| *i)
            .collect()
    };
    let mut b = Byline {
        authors: with("author"),
        publisher: with("publisher"),
        funders: Vec::new(),
    };
    let credited = b.credited();
    b.funders = with("sponsor")
        .into_iter()
        .filter(|i| !credited.contains(i))
        .collect();
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Loads a site of partners `a`..`e` and one product whose front
    /// matter's `partners:` is `partners`, as `ayni build` would.
    fn product_of(partners: &str) -> (crate::model::Site, Product) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("site.yaml", "title: T\nbase_url: https://example.org/\n");
        for id in ["a", "b", "c", "d", "e"] {
            write(
                &format!("content/partners/{id}.md"),
                &format!("---\nname: {id}\n---\n"),
            );
        }
        write(
            "content/casos/x.md",
            &format!("---\ntitle: X\nkind: study\ndate: 2014\npartners:\n{partners}---\nText.\n"),
        );
        let loaded = crate::content::load::load(root, false).unwrap();
        let mut diags = Vec::new();
        let site = crate::model::build(root, loaded, &mut diags);
        assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
        let p = site.products[0].clone();
        (site, p)
    }

    fn ids(site: &crate::model::Site, list: &[usize]) -> Vec<String> {
        list.iter()
            .map(|&i| site.partners[i].meta.id.clone())
            .collect()
    }

    #[test]
    fn roles_split_into_authors_publisher_and_funders() {
        let (site, p) = product_of(
            "  - a\n  - { id: b, role: sponsor }\n  - { id: c, role: [publisher, contributor] }\n  - { id: d, role: contributor }\n",
        );
        let b = byline(&p);
        assert_eq!(ids(&site, &b.authors), ["a"]);
        assert_eq!(ids(&site, &b.publisher), ["c"]);
        assert_eq!(ids(&site, &b.funders), ["b"]);
        // The contributor is on no byline; the publisher differs from the
        // authors, so it is named after them.
        assert_eq!(ids(&site, &b.credited()), ["a", "c"]);
    }

    #[test]
    fn a_partner_without_a_role_is_an_author() {
        let (site, p) = product_of("  - a\n  - { id: b }\n  - { id: e, role: sponsor }\n");
        let b = byline(&p);
        assert_eq!(ids(&site, &b.authors), ["a", "b"]);
        assert_eq!(ids(&site, &b.funders), ["e"]);
        assert!(b.publisher.is_empty());
    }

    #[test]
    fn an_author_is_named_once_whatever_else_it_does() {
        let (site, p) = product_of(
            "  - { id: a, role: [author, publisher, sponsor] }\n  - { id: b, role: [sponsor, publisher] }\n",
        );
        let b = byline(&p);
        assert_eq!(ids(&site, &b.authors), ["a"]);
        // The citation's publisher field keeps both; the byline names `a`
        // once and `b` as the publisher that differs.
        assert_eq!(ids(&site, &b.publisher), ["a", "b"]);
        assert_eq!(ids(&site, &b.credited()), ["a", "b"]);
        assert!(b.funders.is_empty(), "each name once on a byline");
    }
}
