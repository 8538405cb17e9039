//! Typed page inputs: what a page's template reads, one struct per page
//! kind deriving `Serialize` and `Hash`. The template context is made from
//! the struct and the page key is its hash (see [`super::plan::Plan::page`]),
//! so a key cannot leave out something the page shows.
//!
//! The pieces the structs are made of live here: the frame every page has
//! ([`PageInfo`]), a precomputed view as a page shows it ([`Shown`]), a
//! view with one more field for one place ([`With`]), a value made only
//! when the page is rendered ([`Later`]), and the paginator of a list.

use std::hash::{Hash, Hasher};

use serde::{Serialize, Serializer};

/// Where a page is and what it is called: the `page` every template reads.
#[derive(Serialize, Hash)]
pub(super) struct PageInfo {
    pub(super) path: String,
    pub(super) href: String,
    pub(super) permalink: String,
    pub(super) title: String,
    pub(super) lang: String,
    /// The navigation's section the page is in, or empty.
    pub(super) section: &'static str,
}

/// A view made once per render (a product's card, a partner, a topic, an
/// outcome, the site) as a page shows it: serialized as the view, hashed
/// as the view's fingerprint, which the render computed once.
pub(super) struct Shown<'a, T> {
    pub(super) view: &'a T,
    pub(super) sig: u64,
}

impl<'a, T> Shown<'a, T> {
    /// View `i` of `views`, with its fingerprint from `sigs` (index for
    /// index).
    pub(super) fn of(views: &'a [T], sigs: &[u64], i: usize) -> Shown<'a, T> {
        Shown {
            view: &views[i],
            sig: sigs[i],
        }
    }

    /// The views at `list`'s indexes, in its order.
    pub(super) fn all(views: &'a [T], sigs: &[u64], list: &[usize]) -> Vec<Shown<'a, T>> {
        list.iter().map(|&i| Shown::of(views, sigs, i)).collect()
    }
}

impl<T: Serialize> Serialize for Shown<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.view.serialize(s)
    }
}

impl<T> Hash for Shown<'_, T> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.sig.hash(h);
    }
}

/// A product's card as a list shows it: serialized as its view with the
/// card's HTML, which is made the first time a page shows it, or as the
/// HTML alone where the theme's lists read nothing else (see
/// [`super::theme::Theme::cards_by_html`]); hashed as the view's
/// fingerprint. The HTML follows from the view and the theme, and every
/// page's key holds the theme.
pub(super) struct CardShown<'a> {
    pub(super) views: &'a super::Views<'a>,
    pub(super) i: usize,
}

/// A card view and its HTML, as templates read them.
#[derive(Serialize)]
struct CardWithHtml<'v> {
    #[serde(flatten)]
    view: &'v super::views::ProductCard,
    #[serde(skip_serializing_if = "Option::is_none")]
    cards: Option<&'v super::views::CardHtml>,
}

/// A card as the default theme's lists read it: its HTML alone.
#[derive(Serialize)]
struct CardHtmlOnly<'v> {
    cards: &'v super::views::CardHtml,
}

impl Serialize for CardShown<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let cards = self.views.card_html(self.i);
        match cards {
            // The view's fields, copied into every list's context, were a
            // twelfth of a large build's CPU time for values nothing read.
            Some(cards) if self.views.theme.cards_by_html => CardHtmlOnly { cards }.serialize(s),
            _ => CardWithHtml {
                view: &self.views.products[self.i],
                cards,
            }
            .serialize(s),
        }
    }
}

impl Hash for CardShown<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.views.product_sigs[self.i].hash(h);
    }
}

/// A view with more fields that only one place shows (an outcome's
/// contribution on a product page, a coauthor's shared count).
#[derive(Serialize, Hash)]
pub(super) struct With<V, T> {
    #[serde(flatten)]
    pub(super) view: V,
    #[serde(flatten)]
    pub(super) more: T,
}

/// What a product contributed to an outcome, beside either's view.
#[derive(Serialize, Hash)]
pub(super) struct Contribution<'a> {
    pub(super) contribution: Option<&'a str>,
}

/// A value that is slow to make (a drawing's layout) and is made only
/// when the page is rendered: its hash is `key`'s, a hash of what it is
/// made of, which must hold all of it. Neither is made before it is
/// asked for: a build that keys no page never makes the key.
pub(super) struct Later<'a, T> {
    key: Box<dyn Fn() -> u64 + Send + 'a>,
    make: Box<dyn Fn() -> T + Send + 'a>,
}

impl<'a, T> Later<'a, T> {
    pub(super) fn new(
        key: impl Fn() -> u64 + Send + 'a,
        make: impl Fn() -> T + Send + 'a,
    ) -> Later<'a, T> {
        Later {
            key: Box::new(key),
            make: Box::new(make),
        }
    }
}

impl<T: Serialize> Serialize for Later<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (self.make)().serialize(s)
    }
}

impl<T> Hash for Later<'_, T> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        (self.key)().hash(h);
    }
}

/// One page of a paginated list, as its template's `paginator`.
#[derive(Serialize, Hash, Clone)]
pub(super) struct Paginator {
    pub(super) current: usize,
    pub(super) total_pages: usize,
    pub(super) total_items: usize,
    pub(super) first_item: usize,
    pub(super) last_item: usize,
    pub(super) prev: Option<String>,
    pub(super) next: Option<String>,
    pub(super) pages: Vec<PageNumber>,
}

/// A page number the paginator links to.
#[derive(Serialize, Hash, Clone)]
pub(super) struct PageNumber {
    pub(super) number: usize,
    pub(super) href: String,
    pub(super) current: bool,
    /// Whether numbers are left out before this one.
    pub(super) gap_before: bool,
}

/// A link with its text: a list page's parent, a translation, a footer
/// page.
#[derive(Serialize, Hash)]
pub(super) struct TitledLink<'a> {
    pub(super) title: &'a str,
    pub(super) href: String,
}

/// A heading of a body's table of contents.
#[derive(Serialize, Hash)]
pub(super) struct TocEntry<'a> {
    pub(super) id: &'a str,
    pub(super) text: &'a str,
}

/// The level-2 headings of a body, for its table of contents.
pub(super) fn toc(body: &crate::markdown::RenderedBody) -> Vec<TocEntry<'_>> {
    body.headings
        .iter()
        .filter(|h| h.level == 2)
        .map(|h| TocEntry {
            id: &h.id,
            text: &h.text,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fingerprint;
    use serde_json::Value;

    #[derive(Serialize, Hash)]
    struct Sample<'a> {
        card: Shown<'a, Value>,
        more: With<Shown<'a, Value>, Contribution<'a>>,
    }

    #[test]
    fn a_shown_view_is_serialized_as_itself_and_hashed_by_its_fingerprint() {
        let view = serde_json::json!({"title": "A", "href": "/a/"});
        let page = |sig| Sample {
            card: Shown { view: &view, sig },
            more: With {
                view: Shown { view: &view, sig },
                more: Contribution {
                    contribution: Some("x"),
                },
            },
        };
        let value = serde_json::to_value(page(1)).unwrap();
        assert_eq!(value["card"], view);
        assert_eq!(value["more"]["title"], "A");
        assert_eq!(value["more"]["contribution"], "x");
        assert_ne!(fingerprint(&page(1)), fingerprint(&page(2)));
    }

    #[test]
    fn a_later_value_is_made_when_serialized_and_hashed_by_its_key() {
        let later = |key: u64| Later::new(move || key, || vec![1, 2]);
        assert_eq!(
            serde_json::to_value(later(7)).unwrap(),
            serde_json::json!([1, 2])
        );
        assert_eq!(fingerprint(&later(7)), fingerprint(&later(7)));
        assert_ne!(fingerprint(&later(7)), fingerprint(&later(8)));
    }
}
