//! Network: the alliance drawn as partners (nodes, sized by their products,
//! coloured by partner type) joined by co-authored products (edges,
//! weighted by how many). The layout is computed at build time and written
//! as inline SVG, so pages need no script and every build of the same site
//! draws the same picture.
//!
//! Two drawings: the whole alliance (a force-directed layout started from a
//! circle grouped by type, capped to the partners with most products) and
//! one partner's neighbourhood (the partner in the middle, its co-authors
//! around it).

use std::fmt::Write as _;

use crate::model::Site;
use crate::text::escape_html as esc;

/// A graph of partners: `nodes` are indices into `Site::partners`, edges
/// join positions in `nodes` with their number of shared products.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Network {
    pub nodes: Vec<usize>,
    pub edges: Vec<(usize, usize, usize)>,
    /// Partners that would have been drawn without the cap.
    pub total: usize,
}

/// What the drawing says in words and where its nodes link.
pub struct NetworkLabels<'a> {
    /// Prefix of element ids, unique in the page.
    pub id: &'a str,
    pub title: &'a str,
    pub desc: &'a str,
    /// The text shown on hover for a partner (`Name: 3 products`).
    pub tooltip: &'a dyn Fn(usize) -> String,
    /// The short label written beside the larger nodes.
    pub label: &'a dyn Fn(usize) -> String,
}

const W: f64 = 720.0;
/// Pull towards the centre, against the repulsion that would send
/// partners without ties to the edges of the drawing.
const GRAVITY: f64 = 0.3;
const H: f64 = 480.0;
/// The room a label keeps from the drawing's edges, for its halo.
const EDGE: f64 = 4.0;

/// The partners with most products, at most `max_nodes`, and the
/// strongest co-authorships between them, at most `max_edges`.
pub fn alliance(site: &Site, max_nodes: usize, max_edges: usize) -> Network {
    let mut nodes: Vec<usize> = (0..site.partners.len())
        .filter(|&i| !site.partners[i].products.is_empty())
        .collect();
    let total = nodes.len();
    nodes.sort_by(|&a, &b| {
        site.partners[b]
            .products
            .len()
            .cmp(&site.partners[a].products.len())
            .then(a.cmp(&b))
    });
    nodes.truncate(max_nodes);
    nodes.sort_by_key(|&i| (type_rank(site, i), i));
    let pos = |i: usize| nodes.iter().position(|&n| n == i);
    let mut edges = Vec::new();
    for (a, &i) in nodes.iter().enumerate() {
        for &(j, shared) in &site.partners[i].coauthors {
            if let Some(b) = pos(j)
                && a < b
            {
                edges.push((a, b, shared));
            }
        }
    }
    edges.sort_by(|x, y| y.2.cmp(&x.2).then((x.0, x.1).cmp(&(y.0, y.1))));
    edges.truncate(max_edges);
    Network {
        nodes,
        edges,
        total,
    }
}

/// Co-authors a partner needs for its drawing: one or two are two dots
/// and a line, which a sentence says better.
pub const MIN_EGO_COAUTHORS: usize = 3;

/// `partner` and its co-authors (the `max_nodes` with most shared
/// products), with the ties among them; `None` with fewer than
/// [`MIN_EGO_COAUTHORS`].
pub fn ego(site: &Site, partner: usize, max_nodes: usize) -> Option<Network> {
    let p = &site.partners[partner];
    if p.coauthors.len() < MIN_EGO_COAUTHORS {
        return None;
    }
    let mut around: Vec<(usize, usize)> = p.coauthors.clone();
    around.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    around.truncate(max_nodes);
    // Around the circle by type, so colours sit together.
    around.sort_by_key(|&(i, _)| (type_rank(site, i), i));
    let mut nodes = vec![partner];
    nodes.extend(around.iter().map(|(i, _)| *i));
    let mut edges: Vec<(usize, usize, usize)> = around
        .iter()
        .enumerate()
        .map(|(k, &(_, shared))| (0, k + 1, shared))
        .collect();
    for a in 1..nodes.len() {
        for &(j, shared) in &site.partners[nodes[a]].coauthors {
            if let Some(b) = nodes.iter().position(|&n| n == j)
                && a < b
            {
                edges.push((a, b, shared));
            }
        }
    }
    Some(Network {
        total: p.coauthors.len() + 1,
        nodes,
        edges,
    })
}

fn type_rank(site: &Site, i: usize) -> usize {
    let kind = site.partners[i].meta.kind.as_deref().unwrap_or("other");
    crate::model::vocabulary::PARTNER_TYPES
        .iter()
        .position(|t| *t == kind)
        .unwrap_or(crate::model::vocabulary::PARTNER_TYPES.len())
}

/// The partner type as a class name suffix.
pub fn type_class(site: &Site, i: usize) -> &str {
    site.partners[i].meta.kind.as_deref().unwrap_or("other")
}

/// Fruchterman-Reingold from a circle grouped by type. Plain arithmetic in
/// a fixed order: the same graph always gets the same positions.
fn force_layout(net: &Network, sizes: &[f64]) -> Vec<(f64, f64)> {
    let n = net.nodes.len();
    let (cx, cy) = (W / 2.0, H / 2.0);
    let mut pos: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let a = std::f64::consts::TAU * i as f64 / n.max(1) as f64;
            (cx + 0.4 * H * a.cos(), cy + 0.4 * H * a.sin())
        })
        .collect();
    if n < 2 {
        return vec![(cx, cy); n];
    }
    let k = (W * H / n as f64).sqrt() * 0.55;
    let iterations = 300;
    let mut disp = vec![(0.0f64, 0.0f64); n];
    for it in 0..iterations {
        let temp = W / 8.0 * (1.0 - it as f64 / iterations as f64) + 0.5;
        disp.iter_mut().for_each(|d| *d = (0.0, 0.0));
        for a in 0..n {
            for b in a + 1..n {
                let (dx, dy) = (pos[a].0 - pos[b].0, pos[a].1 - pos[b].1);
                let d = (dx * dx + dy * dy).sqrt().max(0.01);
                // Only neighbours push: far components would otherwise
                // drift to the edges and squeeze everything else.
                if d > 3.0 * k {
                    continue;
                }
                // Bigger nodes push harder so they do not overlap.
                let f = k * k / d * (1.0 + (sizes[a] + sizes[b]) / k);
                disp[a].0 += dx / d * f;
                disp[a].1 += dy / d * f;
                disp[b].0 -= dx / d * f;
                disp[b].1 -= dy / d * f;
            }
        }
        for &(a, b, w) in &net.edges {
            let (dx, dy) = (pos[a].0 - pos[b].0, pos[a].1 - pos[b].1);
            let d = (dx * dx + dy * dy).sqrt().max(0.01);
            let f = d * d / k * (1.0 + (w as f64).ln());
            disp[a].0 -= dx / d * f;
            disp[a].1 -= dy / d * f;
            disp[b].0 += dx / d * f;
            disp[b].1 += dy / d * f;
        }
        for (p, d) in pos.iter_mut().zip(&disp) {
            // Gravity keeps partners without ties in the picture.
            let (dx, dy) = (d.0 + (cx - p.0) * GRAVITY, d.1 + (cy - p.1) * GRAVITY);
            let len = (dx * dx + dy * dy).sqrt().max(0.01);
            p.0 += dx / len * len.min(temp);
            p.1 += dy / len * len.min(temp);
        }
    }
    pos
}

/// The centre partner in the middle, the others on a circle.
fn radial_layout(n: usize) -> Vec<(f64, f64)> {
    let (cx, cy) = (W / 2.0, H / 2.0);
    let mut pos = vec![(cx, cy)];
    let ring = n.saturating_sub(1);
    for k in 0..ring {
        // Start at the top and go clockwise.
        let a = std::f64::consts::TAU * k as f64 / ring as f64 - std::f64::consts::FRAC_PI_2;
        pos.push((cx + 0.36 * H * a.cos() * 1.25, cy + 0.36 * H * a.sin()));
    }
    pos
}

/// Scales positions into the drawing, leaving room for nodes and labels.
fn fit(pos: &mut [(f64, f64)], margin_x: f64, margin_y: f64) {
    if pos.is_empty() {
        return;
    }
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(x, y) in pos.iter() {
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    let sx = (W - 2.0 * margin_x) / (x1 - x0).max(1.0);
    let sy = (H - 2.0 * margin_y) / (y1 - y0).max(1.0);
    for p in pos.iter_mut() {
        p.0 = if x1 > x0 {
            margin_x + (p.0 - x0) * sx
        } else {
            W / 2.0
        };
        p.1 = if y1 > y0 {
            margin_y + (p.1 - y0) * sy
        } else {
            H / 2.0
        };
    }
}

/// Node radii: area grows with products, the largest is 26 units.
fn radii(site: &Site, net: &Network) -> Vec<f64> {
    let max = net
        .nodes
        .iter()
        .map(|&i| site.partners[i].products.len())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    net.nodes
        .iter()
        .map(|&i| 5.0 + 21.0 * (site.partners[i].products.len() as f64 / max).sqrt())
        .collect()
}

#[derive(Clone, Copy, PartialEq)]
pub enum Layout {
    Force,
    Radial,
}

/// The drawing as an inline `<svg>`. Each partner is a link to its page
/// with a `<title>`; `labelled` is how many of the largest nodes get a
/// written label. The drawing is a named `group`, not an `img`: an image's
/// children are hidden from assistive technology, and these are links.
pub fn svg(
    site: &Site,
    net: &Network,
    layout: Layout,
    labelled: usize,
    words: &NetworkLabels,
) -> String {
    let r = radii(site, net);
    let mut pos = match layout {
        Layout::Force => force_layout(net, &r),
        Layout::Radial => radial_layout(net.nodes.len()),
    };
    let margin = r.iter().cloned().fold(0.0, f64::max) + 4.0;
    fit(
        &mut pos,
        // Room at the sides for the labels of the nodes at the edges: with
        // less, the longest names found no place and went unwritten.
        margin.max(if layout == Layout::Radial {
            150.0
        } else {
            70.0
        }),
        margin + 14.0 + EDGE,
    );
    let labels = place_labels(site, net, layout, labelled, &pos, &r, words);
    let id = words.id;
    let mut s = String::with_capacity(256 + net.nodes.len() * 200 + net.edges.len() * 16);
    let _ = write!(
        s,
        "<svg class=\"network\" viewBox=\"0 0 {W} {H}\" role=\"group\" aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-desc\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        esc(words.title),
        esc(words.desc)
    );
    write_edges(&mut s, net, &pos);
    write_nodes(&mut s, site, net, layout, (&pos, &r), &labels, words);
    s.push_str("</svg>");
    s
}

/// Where the label of each of the `labelled` largest nodes goes, if it fits
/// anywhere: the largest choose first.
#[allow(clippy::too_many_arguments)]
fn place_labels(
    site: &Site,
    net: &Network,
    layout: Layout,
    labelled: usize,
    pos: &[(f64, f64)],
    r: &[f64],
    words: &NetworkLabels,
) -> Vec<Option<(&'static str, f64, f64)>> {
    let mut show_label = vec![false; net.nodes.len()];
    let mut by_size: Vec<usize> = (0..net.nodes.len()).collect();
    by_size.sort_by(|&a, &b| {
        site.partners[net.nodes[b]]
            .products
            .len()
            .cmp(&site.partners[net.nodes[a]].products.len())
            .then(a.cmp(&b))
    });
    for &k in by_size.iter().take(labelled) {
        show_label[k] = true;
    }

    let mut placed: Vec<Rect> = pos
        .iter()
        .zip(r)
        .map(|(&(x, y), &r)| Rect {
            x0: x - r,
            y0: y - r,
            x1: x + r,
            y1: y + r,
        })
        .collect();
    // Largest nodes choose their label's place first.
    let mut order: Vec<usize> = (0..net.nodes.len()).collect();
    order.sort_by_key(|&k| {
        if show_label[k] {
            by_size.iter().position(|&b| b == k).unwrap_or(k)
        } else {
            usize::MAX
        }
    });
    let mut labels: Vec<Option<(&'static str, f64, f64)>> = vec![None; net.nodes.len()];
    for &k in &order {
        if !show_label[k] {
            continue;
        }
        // A node's own circle is not in its label's way.
        let own = placed[k];
        placed[k] = Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 0.0,
            y1: 0.0,
        };
        labels[k] = free_label(
            layout,
            k,
            pos[k],
            r[k],
            (words.label)(net.nodes[k]).chars().count(),
            &mut placed,
        );
        placed[k] = own;
    }
    labels
}

/// Edges in three widths, one path each: a few bytes per tie.
fn write_edges(s: &mut String, net: &Network, pos: &[(f64, f64)]) {
    for (class, lo, hi) in [
        ("net-e1", 1, 1),
        ("net-e2", 2, 3),
        ("net-e3", 4, usize::MAX),
    ] {
        let mut d = String::new();
        for &(a, b, w) in &net.edges {
            if w >= lo && w <= hi {
                let _ = write!(
                    d,
                    "M{:.0} {:.0}L{:.0} {:.0}",
                    pos[a].0, pos[a].1, pos[b].0, pos[b].1
                );
            }
        }
        if !d.is_empty() {
            let _ = write!(s, "<path class=\"net-e {class}\" d=\"{d}\"/>");
        }
    }
}

/// Each node as a link to its partner, with its label when it has one.
fn write_nodes(
    s: &mut String,
    site: &Site,
    net: &Network,
    layout: Layout,
    (pos, r): (&[(f64, f64)], &[f64]),
    labels: &[Option<(&'static str, f64, f64)>],
    words: &NetworkLabels,
) {
    for (k, &i) in net.nodes.iter().enumerate() {
        let p = &site.partners[i];
        let (x, y) = pos[k];
        let _ = write!(
            s,
            "<a href=\"{}\"><title>{}</title><circle class=\"net-n t-{}{}\" cx=\"{x:.0}\" cy=\"{y:.0}\" r=\"{:.1}\"/>",
            esc(&site.href(&p.path)),
            esc(&(words.tooltip)(i)),
            esc(type_class(site, i)),
            if layout == Layout::Radial && k == 0 {
                " net-c"
            } else {
                ""
            },
            r[k]
        );
        if let Some((anchor, lx, ly)) = labels[k] {
            let _ = write!(
                s,
                "<text class=\"net-l\" x=\"{lx:.0}\" y=\"{ly:.0}\" text-anchor=\"{anchor}\">{}</text>",
                esc(&(words.label)(i))
            );
        }
        s.push_str("</a>");
    }
}

#[derive(Debug, Clone, Copy)]
struct Rect {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Rect {
    fn overlaps(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }
}

/// Where a label of `chars` characters fits without covering another
/// label or node, trying below, above, right and left of the node; `None`
/// if nowhere (the node keeps its `<title>`).
fn free_label(
    layout: Layout,
    k: usize,
    (x, y): (f64, f64),
    r: f64,
    chars: usize,
    placed: &mut Vec<Rect>,
) -> Option<(&'static str, f64, f64)> {
    // Semi-bold 13-unit type is up to 8.5 units a character in the fonts
    // phones and desktops fall back to; a narrower guess let long names
    // run past the drawing's edge.
    let w = chars as f64 * 8.5;
    let mut tries = vec![label_place(layout, k, (x, y), r)];
    if layout == Layout::Force {
        tries.push(("middle", x, y - r - 5.0));
        tries.push(("start", x + r + 4.0, y + 4.5));
        tries.push(("end", x - r - 4.0, y + 4.5));
        let o = r * 0.72 + 3.0;
        tries.push(("start", x + o, y - o));
        tries.push(("end", x - o, y - o));
        tries.push(("start", x + o, y + o + 9.0));
        tries.push(("end", x - o, y + o + 9.0));
    }
    for (anchor, lx, ly) in tries {
        let x0 = match anchor {
            "start" => lx,
            "end" => lx - w,
            _ => lx - w / 2.0,
        };
        // A label above or below its node slides along it to stay in the
        // drawing, held at the edge it would cross, rather than be cut at
        // that edge or dropped.
        let (anchor, lx, x0) = match anchor {
            "middle" if x0 + w > W - EDGE => ("end", W - EDGE, W - EDGE - w),
            "middle" if x0 < EDGE => ("start", EDGE, EDGE),
            _ => (anchor, lx, x0),
        };
        let rect = Rect {
            x0,
            y0: ly - 11.0,
            x1: x0 + w,
            y1: ly + 3.0,
        };
        let inside =
            rect.x0 >= EDGE && rect.x1 <= W - EDGE && rect.y0 >= EDGE && rect.y1 <= H - EDGE;
        if inside && !placed.iter().any(|p| p.overlaps(&rect)) {
            placed.push(rect);
            return Some((anchor, lx, ly));
        }
    }
    None
}

fn label_place(layout: Layout, k: usize, (x, y): (f64, f64), r: f64) -> (&'static str, f64, f64) {
    if layout == Layout::Radial && k > 0 {
        let (dx, dy) = (x - W / 2.0, y - H / 2.0);
        let d = (dx * dx + dy * dy).sqrt().max(1.0);
        let (ux, uy) = (dx / d, dy / d);
        let anchor = if ux > 0.25 {
            "start"
        } else if ux < -0.25 {
            "end"
        } else {
            "middle"
        };
        let gap = r + 5.0;
        // Labels above the top node and below the bottom one sit clear of it.
        let extra = if anchor == "middle" {
            6.0 * uy.signum() + 4.0
        } else {
            4.0
        };
        return (anchor, x + ux * gap, y + uy * gap + extra);
    }
    // Below the node, centred: readable wherever the node lands.
    ("middle", x, y + r + 13.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_is_the_same_every_time_and_stays_inside() {
        let net = Network {
            nodes: (0..12).collect(),
            edges: vec![(0, 1, 3), (1, 2, 1), (2, 3, 1), (0, 5, 2), (6, 7, 1)],
            total: 12,
        };
        let sizes = vec![8.0; 12];
        let mut a = force_layout(&net, &sizes);
        let b = force_layout(&net, &sizes);
        assert_eq!(a, b);
        fit(&mut a, 30.0, 30.0);
        for (x, y) in &a {
            assert!((30.0..=W - 30.0 + 1e-9).contains(x), "{x}");
            assert!((30.0..=H - 30.0 + 1e-9).contains(y), "{y}");
        }
        // Tied partners end closer than untied ones, on average.
        let d = |p: usize, q: usize| ((a[p].0 - a[q].0).powi(2) + (a[p].1 - a[q].1).powi(2)).sqrt();
        assert!(d(0, 1) < d(0, 9), "{} {}", d(0, 1), d(0, 9));
    }

    #[test]
    fn radial_puts_the_partner_in_the_middle() {
        let pos = radial_layout(5);
        assert_eq!(pos[0], (W / 2.0, H / 2.0));
        assert!(pos[1].1 < pos[0].1, "first co-author at the top");
    }

    /// A long name under a node near the right edge, with the room to its
    /// left taken, slides left to end inside the drawing.
    #[test]
    fn a_label_near_the_edge_slides_inside_the_drawing() {
        let (x, y, r) = (W - 40.0, 200.0, 20.0);
        // "CARE International" beside its node, as on the sample site.
        let chars = 18;
        let mut placed = vec![Rect {
            x0: x - 260.0,
            y0: y - 30.0,
            x1: x - r - 1.0,
            y1: y + r,
        }];
        let (anchor, lx, ly) =
            free_label(Layout::Force, 0, (x, y), r, chars, &mut placed).expect("a place");
        assert_eq!((anchor, lx), ("end", W - EDGE), "{ly}");
        let label = placed.last().unwrap();
        assert!(label.x0 >= EDGE && label.x1 <= W - EDGE, "{label:?}");
        // Under its node, not over it.
        assert!(label.y0 > y + r - 1.0, "{label:?}");
    }

    #[test]
    fn degenerate_graphs_do_not_panic() {
        let one = Network {
            nodes: vec![0],
            edges: vec![],
            total: 1,
        };
        let mut p = force_layout(&one, &[5.0]);
        fit(&mut p, 10.0, 10.0);
        assert_eq!(p, vec![(W / 2.0, H / 2.0)]);
        let mut none = force_layout(&Network::default(), &[]);
        fit(&mut none, 10.0, 10.0);
        assert!(none.is_empty());
    }
}
