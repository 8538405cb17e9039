//! ISO 3166-1 alpha-2 country codes with their names in Spanish and English.
//!
//! This module owns the table of the 249 officially assigned codes (with
//! their alpha-3 equivalents), used to validate the `countries:` / `country:`
//! fields of the front matter and to show country names to readers. It also
//! guesses the intended code for a wrong value, for "did you mean"
//! suggestions, and owns the table of ISO 3166-2 regions an outcome's
//! `jurisdiction:` may name (`PE-SAM`), so that readers see a place name
//! ("San Martín, Perú") instead of a code.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// One officially assigned ISO 3166-1 country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country {
    /// Alpha-2 code, two uppercase ASCII letters (`PE`).
    pub alpha2: &'static str,
    /// Alpha-3 code, three uppercase ASCII letters (`PER`).
    pub alpha3: &'static str,
    /// Common Spanish name (`Perú`).
    pub es: &'static str,
    /// Common English short name (`Peru`).
    pub en: &'static str,
}

/// Shorthand for the table below: alpha-2, alpha-3, Spanish, English.
const fn c(
    alpha2: &'static str,
    alpha3: &'static str,
    es: &'static str,
    en: &'static str,
) -> Country {
    Country {
        alpha2,
        alpha3,
        es,
        en,
    }
}

/// All officially assigned ISO 3166-1 countries, sorted by alpha-2 code.
pub static COUNTRIES: &[Country] = &[
    c("AD", "AND", "Andorra", "Andorra"),
    c(
        "AE",
        "ARE",
        "Emiratos Árabes Unidos",
        "United Arab Emirates",
    ),
    c("AF", "AFG", "Afganistán", "Afghanistan"),
    c("AG", "ATG", "Antigua y Barbuda", "Antigua and Barbuda"),
    c("AI", "AIA", "Anguila", "Anguilla"),
    c("AL", "ALB", "Albania", "Albania"),
    c("AM", "ARM", "Armenia", "Armenia"),
    c("AO", "AGO", "Angola", "Angola"),
    c("AQ", "ATA", "Antártida", "Antarctica"),
    c("AR", "ARG", "Argentina", "Argentina"),
    c("AS", "ASM", "Samoa Americana", "American Samoa"),
    c("AT", "AUT", "Austria", "Austria"),
    c("AU", "AUS", "Australia", "Australia"),
    c("AW", "ABW", "Aruba", "Aruba"),
    c("AX", "ALA", "Islas Åland", "Åland Islands"),
    c("AZ", "AZE", "Azerbaiyán", "Azerbaijan"),
    c(
        "BA",
        "BIH",
        "Bosnia y Herzegovina",
        "Bosnia and Herzegovina",
    ),
    c("BB", "BRB", "Barbados", "Barbados"),
    c("BD", "BGD", "Bangladés", "Bangladesh"),
    c("BE", "BEL", "Bélgica", "Belgium"),
    c("BF", "BFA", "Burkina Faso", "Burkina Faso"),
    c("BG", "BGR", "Bulgaria", "Bulgaria"),
    c("BH", "BHR", "Baréin", "Bahrain"),
    c("BI", "BDI", "Burundi", "Burundi"),
    c("BJ", "BEN", "Benín", "Benin"),
    c("BL", "BLM", "San Bartolomé", "Saint Barthélemy"),
    c("BM", "BMU", "Bermudas", "Bermuda"),
    c("BN", "BRN", "Brunéi", "Brunei"),
    c("BO", "BOL", "Bolivia", "Bolivia"),
    c(
        "BQ",
        "BES",
        "Bonaire, San Eustaquio y Saba",
        "Bonaire, Sint Eustatius and Saba",
    ),
    c("BR", "BRA", "Brasil", "Brazil"),
    c("BS", "BHS", "Bahamas", "Bahamas"),
    c("BT", "BTN", "Bután", "Bhutan"),
    c("BV", "BVT", "Isla Bouvet", "Bouvet Island"),
    c("BW", "BWA", "Botsuana", "Botswana"),
    c("BY", "BLR", "Bielorrusia", "Belarus"),
    c("BZ", "BLZ", "Belice", "Belize"),
    c("CA", "CAN", "Canadá", "Canada"),
    c("CC", "CCK", "Islas Cocos", "Cocos (Keeling) Islands"),
    c(
        "CD",
        "COD",
        "República Democrática del Congo",
        "Democratic Republic of the Congo",
    ),
    c(
        "CF",
        "CAF",
        "República Centroafricana",
        "Central African Republic",
    ),
    c("CG", "COG", "Congo", "Congo"),
    c("CH", "CHE", "Suiza", "Switzerland"),
    c("CI", "CIV", "Costa de Marfil", "Côte d'Ivoire"),
    c("CK", "COK", "Islas Cook", "Cook Islands"),
    c("CL", "CHL", "Chile", "Chile"),
    c("CM", "CMR", "Camerún", "Cameroon"),
    c("CN", "CHN", "China", "China"),
    c("CO", "COL", "Colombia", "Colombia"),
    c("CR", "CRI", "Costa Rica", "Costa Rica"),
    c("CU", "CUB", "Cuba", "Cuba"),
    c("CV", "CPV", "Cabo Verde", "Cabo Verde"),
    c("CW", "CUW", "Curazao", "Curaçao"),
    c("CX", "CXR", "Isla de Navidad", "Christmas Island"),
    c("CY", "CYP", "Chipre", "Cyprus"),
    c("CZ", "CZE", "Chequia", "Czechia"),
    c("DE", "DEU", "Alemania", "Germany"),
    c("DJ", "DJI", "Yibuti", "Djibouti"),
    c("DK", "DNK", "Dinamarca", "Denmark"),
    c("DM", "DMA", "Dominica", "Dominica"),
    c("DO", "DOM", "República Dominicana", "Dominican Republic"),
    c("DZ", "DZA", "Argelia", "Algeria"),
    c("EC", "ECU", "Ecuador", "Ecuador"),
    c("EE", "EST", "Estonia", "Estonia"),
    c("EG", "EGY", "Egipto", "Egypt"),
    c("EH", "ESH", "Sahara Occidental", "Western Sahara"),
    c("ER", "ERI", "Eritrea", "Eritrea"),
    c("ES", "ESP", "España", "Spain"),
    c("ET", "ETH", "Etiopía", "Ethiopia"),
    c("FI", "FIN", "Finlandia", "Finland"),
    c("FJ", "FJI", "Fiyi", "Fiji"),
    c("FK", "FLK", "Islas Malvinas", "Falkland Islands"),
    c("FM", "FSM", "Micronesia", "Micronesia"),
    c("FO", "FRO", "Islas Feroe", "Faroe Islands"),
    c("FR", "FRA", "Francia", "France"),
    c("GA", "GAB", "Gabón", "Gabon"),
    c("GB", "GBR", "Reino Unido", "United Kingdom"),
    c("GD", "GRD", "Granada", "Grenada"),
    c("GE", "GEO", "Georgia", "Georgia"),
    c("GF", "GUF", "Guayana Francesa", "French Guiana"),
    c("GG", "GGY", "Guernsey", "Guernsey"),
    c("GH", "GHA", "Ghana", "Ghana"),
    c("GI", "GIB", "Gibraltar", "Gibraltar"),
    c("GL", "GRL", "Groenlandia", "Greenland"),
    c("GM", "GMB", "Gambia", "Gambia"),
    c("GN", "GIN", "Guinea", "Guinea"),
    c("GP", "GLP", "Guadalupe", "Guadeloupe"),
    c("GQ", "GNQ", "Guinea Ecuatorial", "Equatorial Guinea"),
    c("GR", "GRC", "Grecia", "Greece"),
    c(
        "GS",
        "SGS",
        "Islas Georgias del Sur y Sandwich del Sur",
        "South Georgia and the South Sandwich Islands",
    ),
    c("GT", "GTM", "Guatemala", "Guatemala"),
    c("GU", "GUM", "Guam", "Guam"),
    c("GW", "GNB", "Guinea-Bisáu", "Guinea-Bissau"),
    c("GY", "GUY", "Guyana", "Guyana"),
    c("HK", "HKG", "Hong Kong", "Hong Kong"),
    c(
        "HM",
        "HMD",
        "Islas Heard y McDonald",
        "Heard Island and McDonald Islands",
    ),
    c("HN", "HND", "Honduras", "Honduras"),
    c("HR", "HRV", "Croacia", "Croatia"),
    c("HT", "HTI", "Haití", "Haiti"),
    c("HU", "HUN", "Hungría", "Hungary"),
    c("ID", "IDN", "Indonesia", "Indonesia"),
    c("IE", "IRL", "Irlanda", "Ireland"),
    c("IL", "ISR", "Israel", "Israel"),
    c("IM", "IMN", "Isla de Man", "Isle of Man"),
    c("IN", "IND", "India", "India"),
    c(
        "IO",
        "IOT",
        "Territorio Británico del Océano Índico",
        "British Indian Ocean Territory",
    ),
    c("IQ", "IRQ", "Irak", "Iraq"),
    c("IR", "IRN", "Irán", "Iran"),
    c("IS", "ISL", "Islandia", "Iceland"),
    c("IT", "ITA", "Italia", "Italy"),
    c("JE", "JEY", "Jersey", "Jersey"),
    c("JM", "JAM", "Jamaica", "Jamaica"),
    c("JO", "JOR", "Jordania", "Jordan"),
    c("JP", "JPN", "Japón", "Japan"),
    c("KE", "KEN", "Kenia", "Kenya"),
    c("KG", "KGZ", "Kirguistán", "Kyrgyzstan"),
    c("KH", "KHM", "Camboya", "Cambodia"),
    c("KI", "KIR", "Kiribati", "Kiribati"),
    c("KM", "COM", "Comoras", "Comoros"),
    c(
        "KN",
        "KNA",
        "San Cristóbal y Nieves",
        "Saint Kitts and Nevis",
    ),
    c("KP", "PRK", "Corea del Norte", "North Korea"),
    c("KR", "KOR", "Corea del Sur", "South Korea"),
    c("KW", "KWT", "Kuwait", "Kuwait"),
    c("KY", "CYM", "Islas Caimán", "Cayman Islands"),
    c("KZ", "KAZ", "Kazajistán", "Kazakhstan"),
    c("LA", "LAO", "Laos", "Laos"),
    c("LB", "LBN", "Líbano", "Lebanon"),
    c("LC", "LCA", "Santa Lucía", "Saint Lucia"),
    c("LI", "LIE", "Liechtenstein", "Liechtenstein"),
    c("LK", "LKA", "Sri Lanka", "Sri Lanka"),
    c("LR", "LBR", "Liberia", "Liberia"),
    c("LS", "LSO", "Lesoto", "Lesotho"),
    c("LT", "LTU", "Lituania", "Lithuania"),
    c("LU", "LUX", "Luxemburgo", "Luxembourg"),
    c("LV", "LVA", "Letonia", "Latvia"),
    c("LY", "LBY", "Libia", "Libya"),
    c("MA", "MAR", "Marruecos", "Morocco"),
    c("MC", "MCO", "Mónaco", "Monaco"),
    c("MD", "MDA", "Moldavia", "Moldova"),
    c("ME", "MNE", "Montenegro", "Montenegro"),
    c("MF", "MAF", "San Martín", "Saint Martin"),
    c("MG", "MDG", "Madagascar", "Madagascar"),
    c("MH", "MHL", "Islas Marshall", "Marshall Islands"),
    c("MK", "MKD", "Macedonia del Norte", "North Macedonia"),
    c("ML", "MLI", "Malí", "Mali"),
    c("MM", "MMR", "Myanmar", "Myanmar"),
    c("MN", "MNG", "Mongolia", "Mongolia"),
    c("MO", "MAC", "Macao", "Macao"),
    c(
        "MP",
        "MNP",
        "Islas Marianas del Norte",
        "Northern Mariana Islands",
    ),
    c("MQ", "MTQ", "Martinica", "Martinique"),
    c("MR", "MRT", "Mauritania", "Mauritania"),
    c("MS", "MSR", "Montserrat", "Montserrat"),
    c("MT", "MLT", "Malta", "Malta"),
    c("MU", "MUS", "Mauricio", "Mauritius"),
    c("MV", "MDV", "Maldivas", "Maldives"),
    c("MW", "MWI", "Malaui", "Malawi"),
    c("MX", "MEX", "México", "Mexico"),
    c("MY", "MYS", "Malasia", "Malaysia"),
    c("MZ", "MOZ", "Mozambique", "Mozambique"),
    c("NA", "NAM", "Namibia", "Namibia"),
    c("NC", "NCL", "Nueva Caledonia", "New Caledonia"),
    c("NE", "NER", "Níger", "Niger"),
    c("NF", "NFK", "Isla Norfolk", "Norfolk Island"),
    c("NG", "NGA", "Nigeria", "Nigeria"),
    c("NI", "NIC", "Nicaragua", "Nicaragua"),
    c("NL", "NLD", "Países Bajos", "Netherlands"),
    c("NO", "NOR", "Noruega", "Norway"),
    c("NP", "NPL", "Nepal", "Nepal"),
    c("NR", "NRU", "Nauru", "Nauru"),
    c("NU", "NIU", "Niue", "Niue"),
    c("NZ", "NZL", "Nueva Zelanda", "New Zealand"),
    c("OM", "OMN", "Omán", "Oman"),
    c("PA", "PAN", "Panamá", "Panama"),
    c("PE", "PER", "Perú", "Peru"),
    c("PF", "PYF", "Polinesia Francesa", "French Polynesia"),
    c("PG", "PNG", "Papúa Nueva Guinea", "Papua New Guinea"),
    c("PH", "PHL", "Filipinas", "Philippines"),
    c("PK", "PAK", "Pakistán", "Pakistan"),
    c("PL", "POL", "Polonia", "Poland"),
    c(
        "PM",
        "SPM",
        "San Pedro y Miquelón",
        "Saint Pierre and Miquelon",
    ),
    c("PN", "PCN", "Islas Pitcairn", "Pitcairn Islands"),
    c("PR", "PRI", "Puerto Rico", "Puerto Rico"),
    c("PS", "PSE", "Palestina", "Palestine"),
    c("PT", "PRT", "Portugal", "Portugal"),
    c("PW", "PLW", "Palaos", "Palau"),
    c("PY", "PRY", "Paraguay", "Paraguay"),
    c("QA", "QAT", "Catar", "Qatar"),
    c("RE", "REU", "Reunión", "Réunion"),
    c("RO", "ROU", "Rumanía", "Romania"),
    c("RS", "SRB", "Serbia", "Serbia"),
    c("RU", "RUS", "Rusia", "Russia"),
    c("RW", "RWA", "Ruanda", "Rwanda"),
    c("SA", "SAU", "Arabia Saudita", "Saudi Arabia"),
    c("SB", "SLB", "Islas Salomón", "Solomon Islands"),
    c("SC", "SYC", "Seychelles", "Seychelles"),
    c("SD", "SDN", "Sudán", "Sudan"),
    c("SE", "SWE", "Suecia", "Sweden"),
    c("SG", "SGP", "Singapur", "Singapore"),
    c(
        "SH",
        "SHN",
        "Santa Elena, Ascensión y Tristán de Acuña",
        "Saint Helena, Ascension and Tristan da Cunha",
    ),
    c("SI", "SVN", "Eslovenia", "Slovenia"),
    c(
        "SJ",
        "SJM",
        "Svalbard y Jan Mayen",
        "Svalbard and Jan Mayen",
    ),
    c("SK", "SVK", "Eslovaquia", "Slovakia"),
    c("SL", "SLE", "Sierra Leona", "Sierra Leone"),
    c("SM", "SMR", "San Marino", "San Marino"),
    c("SN", "SEN", "Senegal", "Senegal"),
    c("SO", "SOM", "Somalia", "Somalia"),
    c("SR", "SUR", "Surinam", "Suriname"),
    c("SS", "SSD", "Sudán del Sur", "South Sudan"),
    c(
        "ST",
        "STP",
        "Santo Tomé y Príncipe",
        "São Tomé and Príncipe",
    ),
    c("SV", "SLV", "El Salvador", "El Salvador"),
    c("SX", "SXM", "Sint Maarten", "Sint Maarten"),
    c("SY", "SYR", "Siria", "Syria"),
    c("SZ", "SWZ", "Esuatini", "Eswatini"),
    c(
        "TC",
        "TCA",
        "Islas Turcas y Caicos",
        "Turks and Caicos Islands",
    ),
    c("TD", "TCD", "Chad", "Chad"),
    c(
        "TF",
        "ATF",
        "Territorios Australes Franceses",
        "French Southern Territories",
    ),
    c("TG", "TGO", "Togo", "Togo"),
    c("TH", "THA", "Tailandia", "Thailand"),
    c("TJ", "TJK", "Tayikistán", "Tajikistan"),
    c("TK", "TKL", "Tokelau", "Tokelau"),
    c("TL", "TLS", "Timor Oriental", "Timor-Leste"),
    c("TM", "TKM", "Turkmenistán", "Turkmenistan"),
    c("TN", "TUN", "Túnez", "Tunisia"),
    c("TO", "TON", "Tonga", "Tonga"),
    c("TR", "TUR", "Turquía", "Türkiye"),
    c("TT", "TTO", "Trinidad y Tobago", "Trinidad and Tobago"),
    c("TV", "TUV", "Tuvalu", "Tuvalu"),
    c("TW", "TWN", "Taiwán", "Taiwan"),
    c("TZ", "TZA", "Tanzania", "Tanzania"),
    c("UA", "UKR", "Ucrania", "Ukraine"),
    c("UG", "UGA", "Uganda", "Uganda"),
    c(
        "UM",
        "UMI",
        "Islas Ultramarinas Menores de los Estados Unidos",
        "United States Minor Outlying Islands",
    ),
    c("US", "USA", "Estados Unidos", "United States"),
    c("UY", "URY", "Uruguay", "Uruguay"),
    c("UZ", "UZB", "Uzbekistán", "Uzbekistan"),
    c("VA", "VAT", "Ciudad del Vaticano", "Vatican City"),
    c(
        "VC",
        "VCT",
        "San Vicente y las Granadinas",
        "Saint Vincent and the Grenadines",
    ),
    c("VE", "VEN", "Venezuela", "Venezuela"),
    c(
        "VG",
        "VGB",
        "Islas Vírgenes Británicas",
        "British Virgin Islands",
    ),
    c(
        "VI",
        "VIR",
        "Islas Vírgenes de los Estados Unidos",
        "United States Virgin Islands",
    ),
    c("VN", "VNM", "Vietnam", "Vietnam"),
    c("VU", "VUT", "Vanuatu", "Vanuatu"),
    c("WF", "WLF", "Wallis y Futuna", "Wallis and Futuna"),
    c("WS", "WSM", "Samoa", "Samoa"),
    c("YE", "YEM", "Yemen", "Yemen"),
    c("YT", "MYT", "Mayotte", "Mayotte"),
    c("ZA", "ZAF", "Sudáfrica", "South Africa"),
    c("ZM", "ZMB", "Zambia", "Zambia"),
    c("ZW", "ZWE", "Zimbabue", "Zimbabwe"),
];

/// The country with this exact (uppercase) alpha-2 code.
pub fn lookup(code: &str) -> Option<&'static Country> {
    COUNTRIES
        .binary_search_by(|c| c.alpha2.cmp(code))
        .ok()
        .map(|i| &COUNTRIES[i])
}

/// Whether `code` is an officially assigned alpha-2 code, written exactly
/// (two uppercase letters).
pub fn is_valid(code: &str) -> bool {
    lookup(code).is_some()
}

/// The name of the country with this exact uppercase alpha-2 code: English
/// when `lang` is `"en"`, Spanish otherwise. `None` for unknown codes.
pub fn name(code: &str, lang: &str) -> Option<&'static str> {
    lookup(code).map(|c| if lang == "en" { c.en } else { c.es })
}

/// One first-level subdivision of a country, by its ISO 3166-2 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// The full code, country and subdivision (`PE-SAM`).
    pub code: &'static str,
    /// The Spanish name (`San Martín`).
    pub es: &'static str,
    /// The English name, the same as the Spanish one for most.
    pub en: &'static str,
}

/// Shorthand for the table below: code, Spanish, English.
const fn r(code: &'static str, es: &'static str, en: &'static str) -> Region {
    Region { code, es, en }
}

/// The regions of Peru (ISO 3166-2:PE), where the alliances this tool was
/// made for record regional ordinances and programmes; sorted by code.
pub static REGIONS: &[Region] = &[
    r("PE-AMA", "Amazonas", "Amazonas"),
    r("PE-ANC", "Áncash", "Áncash"),
    r("PE-APU", "Apurímac", "Apurímac"),
    r("PE-ARE", "Arequipa", "Arequipa"),
    r("PE-AYA", "Ayacucho", "Ayacucho"),
    r("PE-CAJ", "Cajamarca", "Cajamarca"),
    r("PE-CAL", "Callao", "Callao"),
    r("PE-CUS", "Cusco", "Cusco"),
    r("PE-HUC", "Huánuco", "Huánuco"),
    r("PE-HUV", "Huancavelica", "Huancavelica"),
    r("PE-ICA", "Ica", "Ica"),
    r("PE-JUN", "Junín", "Junín"),
    r("PE-LAL", "La Libertad", "La Libertad"),
    r("PE-LAM", "Lambayeque", "Lambayeque"),
    r("PE-LIM", "Lima", "Lima"),
    r("PE-LMA", "Lima Metropolitana", "Metropolitan Lima"),
    r("PE-LOR", "Loreto", "Loreto"),
    r("PE-MDD", "Madre de Dios", "Madre de Dios"),
    r("PE-MOQ", "Moquegua", "Moquegua"),
    r("PE-PAS", "Pasco", "Pasco"),
    r("PE-PIU", "Piura", "Piura"),
    r("PE-PUN", "Puno", "Puno"),
    r("PE-SAM", "San Martín", "San Martín"),
    r("PE-TAC", "Tacna", "Tacna"),
    r("PE-TUM", "Tumbes", "Tumbes"),
    r("PE-UCA", "Ucayali", "Ucayali"),
];

/// The name readers see for a jurisdiction: a country's name for its
/// alpha-2 code (`PE` → "Perú"), a region's name with its country's for a
/// region code (`PE-SAM` → "San Martín, Perú"), in English when `lang` is
/// `"en"`. `None` for a code in neither table, or free text, which is
/// shown as written.
pub fn place_name(code: &str, lang: &str) -> Option<String> {
    if let Some(country) = name(code, lang) {
        return Some(country.to_string());
    }
    let region = REGIONS
        .binary_search_by(|r| r.code.cmp(code))
        .ok()
        .map(|i| &REGIONS[i])?;
    let country = name(code.split('-').next()?, lang)?;
    let region_name = if lang == "en" { region.en } else { region.es };
    Some(format!("{region_name}, {country}"))
}

/// A likely alpha-2 code for a wrong value, for "did you mean" suggestions.
///
/// The trimmed input is tried, in order, as an alpha-3 code in any case
/// (`per`), as a country name in Spanish or English ignoring case and
/// accents (`peru`, `PERÚ`), and as an alpha-2 code in any case (`pe`).
/// `None` when nothing matches.
pub fn guess(input: &str) -> Option<String> {
    let input = input.trim();
    if input.len() == 3 && input.bytes().all(|b| b.is_ascii_alphabetic()) {
        let upper = input.to_ascii_uppercase();
        if let Some(c) = COUNTRIES.iter().find(|c| c.alpha3 == upper) {
            return Some(c.alpha2.to_string());
        }
    }
    let folded = fold(input);
    if !folded.is_empty()
        && let Some(c) = COUNTRIES
            .iter()
            .find(|c| fold(c.es) == folded || fold(c.en) == folded)
    {
        return Some(c.alpha2.to_string());
    }
    if input.len() == 2 && input.bytes().all(|b| b.is_ascii_alphabetic()) {
        let upper = input.to_ascii_uppercase();
        if is_valid(&upper) {
            return Some(upper);
        }
    }
    None
}

/// Lowercase `s`, strip its accents and collapse runs of whitespace, so that
/// names compare regardless of how they were typed.
fn fold(s: &str) -> String {
    let stripped: String = s
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .collect::<String>()
        .to_lowercase();
    stripped.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn table_has_every_assigned_code_once_and_sorted() {
        assert_eq!(COUNTRIES.len(), 249);
        for pair in COUNTRIES.windows(2) {
            assert!(
                pair[0].alpha2 < pair[1].alpha2,
                "{} must come before {}",
                pair[0].alpha2,
                pair[1].alpha2
            );
        }
        for c in COUNTRIES {
            assert_eq!(c.alpha2.len(), 2, "{}", c.alpha2);
            assert!(
                c.alpha2.bytes().all(|b| b.is_ascii_uppercase()),
                "{}",
                c.alpha2
            );
            assert_eq!(c.alpha3.len(), 3, "{}", c.alpha3);
            assert!(
                c.alpha3.bytes().all(|b| b.is_ascii_uppercase()),
                "{}",
                c.alpha3
            );
            assert!(!c.es.is_empty() && !c.en.is_empty(), "{}", c.alpha2);
        }
        assert!(!is_valid("XK"), "XK is not officially assigned");
    }

    #[test]
    fn alpha3_codes_are_unique() {
        let mut seen: Vec<&str> = COUNTRIES.iter().map(|c| c.alpha3).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), COUNTRIES.len());
    }

    #[test]
    fn folded_names_point_to_one_code() {
        let mut owners: HashMap<String, &str> = HashMap::new();
        for c in COUNTRIES {
            for n in [c.es, c.en] {
                let prev = owners.insert(fold(n), c.alpha2);
                assert!(
                    prev.is_none() || prev == Some(c.alpha2),
                    "{n} names both {prev:?} and {}",
                    c.alpha2
                );
            }
        }
    }

    #[test]
    fn names_in_both_languages() {
        assert_eq!(name("PE", "es"), Some("Perú"));
        assert_eq!(name("PE", "en"), Some("Peru"));
        assert_eq!(name("GE", "es"), Some("Georgia"));
        assert_eq!(name("ZM", "en"), Some("Zambia"));
        assert_eq!(name("US", "es"), Some("Estados Unidos"));
        assert_eq!(name("US", "en"), Some("United States"));
        assert_eq!(name("GB", "es"), Some("Reino Unido"));
        assert_eq!(name("GB", "en"), Some("United Kingdom"));
        assert_eq!(name("NL", "es"), Some("Países Bajos"));
        assert_eq!(name("NL", "en"), Some("Netherlands"));
        assert_eq!(name("BO", "fr"), Some("Bolivia"));
        assert_eq!(name("CI", "es"), Some("Costa de Marfil"));
        assert_eq!(name("CI", "en"), Some("Côte d'Ivoire"));
    }

    #[test]
    fn unknown_or_non_exact_codes_have_no_name() {
        assert_eq!(name("XK", "es"), None);
        assert_eq!(name("pe", "es"), None);
        assert_eq!(name("PER", "en"), None);
        assert_eq!(name("", "en"), None);
    }

    #[test]
    fn guess_from_alpha3() {
        assert_eq!(guess("PER").as_deref(), Some("PE"));
        assert_eq!(guess("geo").as_deref(), Some("GE"));
        assert_eq!(guess(" Zmb ").as_deref(), Some("ZM"));
        assert_eq!(guess("USA").as_deref(), Some("US"));
    }

    #[test]
    fn guess_from_names_ignoring_case_and_accents() {
        assert_eq!(guess("Peru").as_deref(), Some("PE"));
        assert_eq!(guess("perú").as_deref(), Some("PE"));
        assert_eq!(guess("PERÚ").as_deref(), Some("PE"));
        assert_eq!(guess("paises bajos").as_deref(), Some("NL"));
        assert_eq!(guess("United  Kingdom").as_deref(), Some("GB"));
        assert_eq!(guess("cote d'ivoire").as_deref(), Some("CI"));
        assert_eq!(guess("Costa de Marfil").as_deref(), Some("CI"));
        assert_eq!(guess("Estados Unidos").as_deref(), Some("US"));
    }

    #[test]
    fn guess_from_lowercase_alpha2() {
        assert_eq!(guess("pe").as_deref(), Some("PE"));
        assert_eq!(guess("bo").as_deref(), Some("BO"));
    }

    #[test]
    fn guess_gives_up_on_nonsense() {
        assert_eq!(guess("xk"), None);
        assert_eq!(guess("XXX"), None);
        assert_eq!(guess("Atlantis"), None);
        assert_eq!(guess(""), None);
        assert_eq!(guess("   "), None);
    }

    #[test]
    fn regions_are_sorted_and_belong_to_a_country() {
        for pair in REGIONS.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} before {}",
                pair[0].code,
                pair[1].code
            );
        }
        for r in REGIONS {
            let (country, sub) = r.code.split_once('-').unwrap();
            assert!(is_valid(country), "{}", r.code);
            assert!(
                !sub.is_empty() && !r.es.is_empty() && !r.en.is_empty(),
                "{}",
                r.code
            );
        }
        assert_eq!(
            REGIONS.iter().filter(|r| r.code.starts_with("PE-")).count(),
            26
        );
    }

    #[test]
    fn place_names_of_countries_and_regions_in_both_languages() {
        assert_eq!(
            place_name("PE-SAM", "es").as_deref(),
            Some("San Martín, Perú")
        );
        assert_eq!(
            place_name("PE-SAM", "en").as_deref(),
            Some("San Martín, Peru")
        );
        assert_eq!(
            place_name("PE-ARE", "es").as_deref(),
            Some("Arequipa, Perú")
        );
        assert_eq!(
            place_name("PE-LMA", "en").as_deref(),
            Some("Metropolitan Lima, Peru")
        );
        assert_eq!(place_name("GE", "en").as_deref(), Some("Georgia"));
        assert_eq!(place_name("PE", "es").as_deref(), Some("Perú"));
    }

    #[test]
    fn unknown_places_have_no_name() {
        assert_eq!(place_name("PE-XYZ", "es"), None);
        assert_eq!(place_name("pe-sam", "es"), None);
        assert_eq!(place_name("Región San Martín", "es"), None);
        assert_eq!(place_name("", "es"), None);
        assert_eq!(place_name("-", "es"), None);
    }
}
