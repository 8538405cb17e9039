//! The domain's vocabulary: the closed lists of values front matter may
//! use (roles, partner types, instruments, stages of the advocacy route,
//! kinds of change, built-in kinds of product). Loading checks values
//! against them; pages, figures and the guide show them in this order.

/// The kinds of learning product every site has; `site.yaml` may add its
/// own.
pub const BUILTIN_KINDS: &[&str] = &[
    "case-study",
    "study",
    "systematization",
    "evaluation",
    "guide",
    "policy-brief",
    "article",
    "report",
];

/// The roles a partner plays in a product, in the order bylines name them.
pub const ROLES: &[&str] = &["author", "publisher", "sponsor", "contributor"];
/// The kinds of organisation a partner is.
pub const PARTNER_TYPES: &[&str] = &[
    "ngo",
    "international-ngo",
    "state",
    "local-government",
    "donor",
    "multilateral",
    "research",
    "private",
    "network",
];
/// The kinds of policy instrument an outcome is.
pub const INSTRUMENTS: &[&str] = &[
    "law",
    "regulation",
    "ordinance",
    "guideline",
    "program",
    "budget",
    "strategy",
    "plan",
    "other",
];
/// The advocacy route, in the order a policy travels it.
pub const STAGES: &[&str] = &[
    "agenda",
    "evidence",
    "proposal",
    "dialogue",
    "decision",
    "implementation",
    "shelved",
];
/// The kinds of change an outcome records.
pub const CHANGE_TYPES: &[&str] = &[
    "agenda",
    "discursive",
    "procedural",
    "policy-content",
    "behaviour",
];
