//! Chart: products per year as a small inline SVG bar chart for the home
//! page. Years without products are drawn as gaps, so the time axis is
//! honest; the numbers themselves are in the page as a list of links.

use std::fmt::Write as _;

use crate::text::escape_html as esc;

const W: f64 = 320.0;
const H: f64 = 150.0;
const AXIS: f64 = 20.0;
const TOP: f64 = 16.0;

/// A bar chart of `(year, count)` pairs (any order, no duplicates).
/// `tooltip` gives the text of a bar's `<title>`; `None` without data.
pub fn years_svg(
    id: &str,
    title: &str,
    desc: &str,
    counts: &[(u16, usize)],
    tooltip: &dyn Fn(u16, usize) -> String,
) -> Option<String> {
    let first = counts.iter().map(|c| c.0).min()?;
    let last = counts.iter().map(|c| c.0).max()?;
    // Very long spans show their last 60 years: the bars stay visible.
    let first = first.max(last.saturating_sub(59));
    let span = (last - first) as usize + 1;
    let max = counts.iter().map(|c| c.1).max().unwrap_or(1).max(1) as f64;
    let slot = W / span as f64;
    let bar = (slot * 0.7).max(1.0);
    let mut s = String::with_capacity(400 + span * 90);
    let _ = write!(
        s,
        "<svg class=\"chart\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        esc(title),
        esc(desc)
    );
    let base = H - AXIS;
    let _ = write!(s, "<path class=\"chart__axis\" d=\"M0 {base:.1}H{W}\"/>");
    let mut sorted: Vec<(u16, usize)> = counts.iter().copied().filter(|c| c.0 >= first).collect();
    sorted.sort();
    for &(year, n) in &sorted {
        let h = ((base - TOP) * n as f64 / max).max(1.0);
        let x = (year - first) as f64 * slot + (slot - bar) / 2.0;
        let _ = write!(
            s,
            "<rect class=\"chart__bar\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{bar:.1}\" height=\"{h:.1}\"><title>{}</title></rect>",
            base - h,
            esc(&tooltip(year, n))
        );
        // Counts over the bars while they fit.
        if span <= 16 {
            let _ = write!(
                s,
                "<text class=\"chart__value\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{n}</text>",
                x + bar / 2.0,
                base - h - 4.0
            );
        }
    }
    // Year labels: first, last, and evenly between while they fit.
    let step = span.div_ceil(6).max(1);
    let mut years: Vec<u16> = (0..span).step_by(step).map(|k| first + k as u16).collect();
    if years.last() != Some(&last) {
        // Keep the last year; drop a neighbour that would collide with it.
        if years.len() > 1 && ((last - years[years.len() - 1]) as usize) < step.div_ceil(2) + 1 {
            years.pop();
        }
        years.push(last);
    }
    for y in years {
        let x = (y - first) as f64 * slot + slot / 2.0;
        let _ = write!(
            s,
            "<text class=\"chart__year\" x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{y}</text>",
            H - 5.0
        );
    }
    s.push_str("</svg>");
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tip(y: u16, n: usize) -> String {
        format!("{y}: {n}")
    }

    #[test]
    fn bars_for_years_and_gaps_between() {
        let svg = years_svg("c", "T", "D", &[(2014, 2), (2010, 1), (2012, 4)], &tip).unwrap();
        assert_eq!(svg.matches("<rect").count(), 3);
        assert!(svg.contains("<title>2012: 4</title>"));
        assert!(svg.contains(">2010</text>") && svg.contains(">2014</text>"));
        assert!(svg.contains("aria-labelledby=\"c-title c-desc\""));
        // The tallest bar reaches the top margin.
        assert!(svg.contains(&format!("y=\"{TOP:.1}\"")), "{svg}");
    }

    #[test]
    fn nothing_to_draw_is_none() {
        assert!(years_svg("c", "T", "D", &[], &tip).is_none());
    }

    #[test]
    fn long_spans_stay_small() {
        let counts: Vec<(u16, usize)> = (1900..2026).map(|y| (y, (y % 7) as usize)).collect();
        let svg = years_svg("c", "T", "D", &counts, &tip).unwrap();
        assert_eq!(svg.matches("<rect").count(), 60);
        assert!(svg.len() < 12_000, "{}", svg.len());
    }
}
