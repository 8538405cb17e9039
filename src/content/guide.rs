//! The front-matter reference and the contributor guide, from one table.
//!
//! [`PRODUCT_KEY_DOCS`], [`PARTNER_KEY_DOCS`] and [`OUTCOME_KEY_DOCS`] document every
//! front-matter key a partner may write: whether it is required, an example
//! in YAML and what it means, in Spanish and English. [`CHECK_CODES`] says
//! what each message of `ayni check` means. These tables are the single
//! source of truth for everything a contributor reads:
//!
//! - the guide pages "Cómo publicar" and "How to publish" ([`page`]): the
//!   prose of `scaffold/guide.{es,en}.md` with the tables filled in. `ayni
//!   init` writes them into every new site, and the sample site carries the
//!   same files;
//! - the comments of the product `ayni new` writes ([`comment`]).
//!
//! Tests keep the tables, the code and the contract from drifting apart:
//! the keys here are exactly the keys `load` accepts and the keys of the
//! contract's examples (`docs/content-format.md`); every diagnostic code the
//! code emits has an entry in [`CHECK_CODES`] and every entry is emitted
//! somewhere; the full example the guide shows passes `ayni check`; and the
//! sample site's guide pages are byte for byte what [`page`] writes (run the
//! test `sample_site_guide_is_generated` with `AYNI_UPDATE_GUIDE=1` to
//! rewrite them after changing a table or the prose).

use crate::model::vocabulary::BUILTIN_KINDS;
use crate::model::vocabulary::{CHANGE_TYPES, INSTRUMENTS, PARTNER_TYPES, ROLES, STAGES};

/// One front-matter key, documented.
#[derive(Debug, Clone, Copy)]
pub struct KeyDoc {
    /// The key as written in front matter.
    pub key: &'static str,
    /// Whether every file of its kind must have it.
    pub required: bool,
    /// The key as a partner writes it, in YAML; may span several lines.
    pub example: &'static str,
    /// What it means, in Spanish. `{kinds}`, `{roles}`, `{partner_types}`,
    /// `{instruments}`, `{stages}` and `{change_types}` are replaced by the
    /// values the code accepts.
    pub es: &'static str,
    /// What it means, in English, with the same placeholders.
    pub en: &'static str,
}

impl KeyDoc {
    /// The explanation in `lang` (`es` or `en`), placeholders filled.
    pub fn text(&self, lang: &str) -> String {
        fill(if lang == "en" { self.en } else { self.es }, lang)
    }
}

const fn key(
    key: &'static str,
    required: bool,
    example: &'static str,
    es: &'static str,
    en: &'static str,
) -> KeyDoc {
    KeyDoc {
        key,
        required,
        example,
        es,
        en,
    }
}

/// Every key of a learning product's front matter, in the contract's order.
pub const PRODUCT_KEY_DOCS: &[KeyDoc] = &[
    key(
        "title",
        true,
        "title: \"Gestión del conocimiento e incidencia de políticas\"",
        "El título del producto, tal como figura en la publicación.",
        "The product's title, as it appears in the publication.",
    ),
    key(
        "subtitle",
        false,
        "subtitle: \"La experiencia de la Alianza de Aprendizaje Perú\"",
        "El subtítulo, si lo tiene.",
        "The subtitle, if there is one.",
    ),
    key(
        "kind",
        true,
        "kind: case-study",
        "El tipo de producto: {kinds}, o un tipo adicional definido en `site.yaml`.",
        "The kind of product: {kinds}, or an extra kind defined in `site.yaml`.",
    ),
    key(
        "date",
        true,
        "date: 2014-06",
        "La fecha de publicación: año (`2014`), año y mes (`2014-06`) o fecha completa (`2014-06-12`).",
        "The publication date: a year (`2014`), year and month (`2014-06`) or a full date (`2014-06-12`).",
    ),
    key(
        "language",
        false,
        "language: es",
        "El idioma del texto (`es`, `en`, `pt`, `fr`, `qu` o `ay`); si falta, el idioma del sitio.",
        "The language of the text (`es`, `en`, `pt`, `fr`, `qu` or `ay`); the site's language if absent.",
    ),
    key(
        "summary",
        false,
        "summary: \"Cómo una alianza de once instituciones convirtió sus aprendizajes en propuestas de política.\"",
        "Un párrafo que resume el producto; se muestra en las listas, los feeds, los buscadores y los resultados de búsqueda.",
        "One paragraph about the product, shown in lists, feeds, search engines and search results.",
    ),
    key(
        "partners",
        true,
        "partners:\n  - aap\n  - { id: care-peru, role: contributor }\n  - { id: oxfam, role: [sponsor] }",
        "Los socios que participaron, al menos uno: el id es el nombre del archivo en `content/partners/` (sin `.md`). Un id solo significa rol `author`; los roles son {roles} (uno o una lista).",
        "The partners involved, at least one: the id is the file name in `content/partners/` (without `.md`). An id alone means role `author`; the roles are {roles} (one or a list).",
    ),
    key(
        "authors",
        false,
        "authors:\n  - Miguel Ordinola\n  - { name: Rosa Quispe, affiliation: care-peru, orcid: 0000-0002-1825-0097 }",
        "Las personas autoras: \"Nombre Apellido\", o con `name`, `affiliation` (un id de socio o texto) y `orcid`.",
        "The people who wrote it: \"Given Family\", or with `name`, `affiliation` (a partner id or text) and `orcid`.",
    ),
    key(
        "topics",
        false,
        "topics: [gestión del conocimiento, incidencia política]",
        "Los temas, en texto libre. Mayúsculas y tildes no cuentan: \"Incidencia Política\" e \"incidencia politica\" son el mismo tema.",
        "The topics, as free text. Case and accents do not count: \"Incidencia Política\" and \"incidencia politica\" are one topic.",
    ),
    key(
        "outcomes",
        false,
        "outcomes:\n  - ley-29337-procompite\n  - { id: lineamientos-snip, contribution: \"Estudio técnico que sustentó el ajuste.\" }",
        "Los resultados de política a los que contribuyó: ids de archivos en `content/outcomes/`, con `contribution` opcional para decir cómo.",
        "The policy outcomes it contributed to: ids of files in `content/outcomes/`, with an optional `contribution` saying how.",
    ),
    key(
        "countries",
        false,
        "countries: [PE]",
        "Los países que trata, con su código ISO de dos letras (`PE`, `BO`, `GE`).",
        "The countries it covers, as two-letter ISO codes (`PE`, `BO`, `GE`).",
    ),
    key(
        "regions",
        false,
        "regions: [San Martín, Arequipa]",
        "Las regiones que trata, en texto libre.",
        "The regions it covers, as free text.",
    ),
    key(
        "sdgs",
        false,
        "sdgs: [1, 2, 16]",
        "Los Objetivos de Desarrollo Sostenible a los que se refiere, del 1 al 17.",
        "The Sustainable Development Goals it relates to, 1 to 17.",
    ),
    key(
        "source",
        false,
        "source:\n  publisher: care-peru\n  journal: Knowledge Management for Development Journal\n  volume: \"10\"\n  issue: \"1\"\n  pages: 81-91\n  series: \"Serie Aprendizajes\"\n  number: \"7\"\n  place: Lima\n  url: http://journal.km4dev.org/\n  doi: 10.5555/12345678",
        "La referencia de la publicación original, para las citas; todos sus campos son opcionales. `publisher` es un id de socio o texto.",
        "The reference of the original publication, for citations; every field is optional. `publisher` is a partner id or text.",
    ),
    key(
        "files",
        false,
        "files:\n  - { path: ordinola-2014.pdf, title: \"Texto completo\", language: es }",
        "Los archivos adjuntos (PDF, presentaciones), junto al archivo del producto o bajo `static/`.",
        "Attached files (PDFs, slides), beside the product's file or under `static/`.",
    ),
    key(
        "license",
        false,
        "license: CC-BY-4.0",
        "La licencia, con su identificador SPDX (`CC-BY-4.0`, `CC-BY-NC-SA-4.0`).",
        "The licence, as an SPDX id (`CC-BY-4.0`, `CC-BY-NC-SA-4.0`).",
    ),
    key(
        "draft",
        false,
        "draft: false",
        "Con `true` es un borrador: no se publica (solo se ve con `ayni serve` o `ayni build --drafts`).",
        "With `true` it is a draft: not published (shown only by `ayni serve` or `ayni build --drafts`).",
    ),
    key(
        "slug",
        false,
        "slug: gestion-conocimiento-aap",
        "La última parte de la dirección web, si no debe ser el nombre del archivo.",
        "The last part of the web address, if it should not be the file name.",
    ),
    key(
        "aliases",
        false,
        "aliases: [casos/aap-2014/]",
        "Direcciones antiguas que deben llevar a este producto.",
        "Old addresses that should lead to this product.",
    ),
    key(
        "translation_of",
        false,
        "translation_of: ../en/aap-knowledge-management.md",
        "El mismo producto en otro idioma: la ruta de su archivo `.md`, relativa a este o a `content/`.",
        "The same product in another language: the path of its `.md` file, relative to this one or to `content/`.",
    ),
];

/// Every key of a partner file (`content/partners/<id>.md`).
pub const PARTNER_KEY_DOCS: &[KeyDoc] = &[
    key(
        "name",
        true,
        "name: CARE Perú",
        "El nombre completo de la organización.",
        "The organisation's full name.",
    ),
    key(
        "short_name",
        false,
        "short_name: CARE",
        "La sigla o nombre corto.",
        "Its acronym or short name.",
    ),
    key(
        "type",
        false,
        "type: international-ngo",
        "El tipo de organización: {partner_types}.",
        "The kind of organisation: {partner_types}.",
    ),
    key(
        "country",
        false,
        "country: PE",
        "El país de la sede, código ISO de dos letras.",
        "The country of its seat, as a two-letter ISO code.",
    ),
    key(
        "website",
        false,
        "website: https://www.care.org.pe",
        "Su sitio web.",
        "Its website.",
    ),
    key(
        "ror",
        false,
        "ror: https://ror.org/0xxxxxx00",
        "Su identificador persistente en ROR, si lo tiene.",
        "Its persistent ROR id, if it has one.",
    ),
    key(
        "logo",
        false,
        "logo: logos/care.svg",
        "Su logotipo, un archivo bajo `static/`.",
        "Its logo, a file under `static/`.",
    ),
    key(
        "members",
        false,
        "members: [agrorural, care-peru]",
        "Para alianzas, redes y consorcios: los ids de sus socios miembros.",
        "For alliances, networks and consortia: the ids of its member partners.",
    ),
];

/// Every key of a policy-outcome file (`content/outcomes/<id>.md`).
pub const OUTCOME_KEY_DOCS: &[KeyDoc] = &[
    key(
        "title",
        true,
        "title: \"Ley N.° 29337, Ley de PROCOMPITE\"",
        "El nombre del cambio de política.",
        "The name of the policy change.",
    ),
    key(
        "instrument",
        false,
        "instrument: law",
        "El instrumento: {instruments}.",
        "The instrument: {instruments}.",
    ),
    key(
        "identifier",
        false,
        "identifier: \"Ley N.° 29337\"",
        "Su número o código oficial.",
        "Its official number or code.",
    ),
    key(
        "jurisdiction",
        false,
        "jurisdiction: PE",
        "Dónde rige: un código ISO de país (`PE`) o de región del Perú (`PE-SAM`, que se lee «San Martín, Perú»), o el nombre de una región.",
        "Where it applies: an ISO code of a country (`PE`) or of a region of Peru (`PE-SAM`, shown as \"San Martín, Peru\"), or the name of a region.",
    ),
    key(
        "decision_maker",
        false,
        "decision_maker: \"Congreso de la República\"",
        "Quién lo decidió.",
        "Who decided it.",
    ),
    key(
        "date",
        false,
        "date: 2009",
        "Cuándo se decidió: `AAAA`, `AAAA-MM` o `AAAA-MM-DD`.",
        "When it was decided: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.",
    ),
    key(
        "stage",
        false,
        "stage: decision",
        "Hasta dónde llegó en la ruta de incidencia: {stages}.",
        "How far it got on the advocacy route: {stages}.",
    ),
    key(
        "change_type",
        false,
        "change_type: policy-content",
        "El tipo de cambio: {change_types}.",
        "The kind of change: {change_types}.",
    ),
    key(
        "url",
        false,
        "url: https://www.leyes.congreso.gob.pe/",
        "Dónde leer el texto oficial.",
        "Where to read the official text.",
    ),
];

/// One message code of `ayni check`, explained.
#[derive(Debug, Clone, Copy)]
pub struct CodeDoc {
    /// The code, as `check` prints it.
    pub code: &'static str,
    /// Warnings are shown but do not stop publishing.
    pub warning: bool,
    /// What it means and what to do, in Spanish.
    pub es: &'static str,
    /// The same, in English.
    pub en: &'static str,
}

const fn code(code: &'static str, warning: bool, es: &'static str, en: &'static str) -> CodeDoc {
    CodeDoc {
        code,
        warning,
        es,
        en,
    }
}

/// Every message code `ayni check` can print, in alphabetical order.
pub const CHECK_CODES: &[CodeDoc] = &[
    code(
        "bad-date",
        false,
        "La fecha no es `AAAA`, `AAAA-MM` ni `AAAA-MM-DD`, o no existe (un 31 de abril, el año 0000; los años van de 1000 a 9999).",
        "The date is not `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, or does not exist (30 February, year 0000; years go from 1000 to 9999).",
    ),
    code(
        "bad-orcid",
        false,
        "El ORCID no tiene la forma `0000-0002-1825-0097` o su último dígito no cuadra: cópielo de nuevo de orcid.org.",
        "The ORCID is not shaped like `0000-0002-1825-0097` or its check digit is wrong: copy it again from orcid.org.",
    ),
    code(
        "bad-path",
        false,
        "Una ruta (`slug`, `aliases`, `files`, `logo`, `theme`) sale de su carpeta con `..` o es absoluta; o un alias es la portada (`/`), una dirección de otro sitio (`//x`, `http:`, `ejemplo.org/`) o tiene caracteres que una carpeta no admite (`\"<>?#%`).",
        "A path (`slug`, `aliases`, `files`, `logo`, `theme`) leaves its folder with `..` or is absolute; or an alias is the home page (`/`), an address elsewhere (`//x`, `http:`, `example.org/`) or holds characters a folder cannot (`\"<>?#%`).",
    ),
    code(
        "bad-sdg",
        false,
        "Un ODS fuera del rango 1 a 17.",
        "An SDG outside 1 to 17.",
    ),
    code(
        "bad-value",
        false,
        "Un valor fuera de lo permitido, como `paginate: 0`.",
        "A value out of range, such as `paginate: 0`.",
    ),
    code(
        "broken-anchor",
        false,
        "Un enlace a `archivo.md#seccion` cuya sección no existe; el mensaje sugiere la más parecida.",
        "A link to `file.md#section` whose section does not exist; the message suggests the closest one.",
    ),
    code(
        "broken-link",
        false,
        "Un enlace o imagen apunta a un archivo que no existe. Las rutas son relativas al archivo que enlaza.",
        "A link or image points to a file that does not exist. Paths are relative to the linking file.",
    ),
    code(
        "build",
        false,
        "Solo en `ayni serve`: el sitio no se pudo construir por algo que no es un archivo de contenido (una plantilla con errores, una carpeta que no se puede leer). El mensaje dice qué.",
        "Only in `ayni serve`: the site could not be built for a reason other than a content file (a broken template, an unreadable folder). The message says what.",
    ),
    code(
        "colon-in-value",
        false,
        "Un valor sin comillas con `: ` dentro, como `title: Gestión: una guía`; YAML lo lee como otra clave. Ponga el valor entre comillas: `title: \"Gestión: una guía\"`.",
        "A value without quotes with `: ` inside, such as `title: Management: a guide`; YAML reads it as another key. Put the value in quotes: `title: \"Management: a guide\"`.",
    ),
    code(
        "duplicate-id",
        false,
        "Dos socios, resultados o temas cuyos archivos solo difieren en mayúsculas (`Alianza.md` y `alianza.md`): serían una sola página. Cambie el nombre de uno.",
        "Two partners, outcomes or topics whose files differ only in case (`Alianza.md` and `alianza.md`): they would be one page. Rename one.",
    ),
    code(
        "duplicate-key",
        false,
        "Una clave aparece dos veces en la misma ficha (o en el mismo `source:`); el mensaje dice en qué línea está la primera. Deje una sola.",
        "A key appears twice in one front matter (or in one `source:`); the message says on which line the first one is. Keep one.",
    ),
    code(
        "duplicate-url",
        false,
        "Dos páginas tendrían la misma dirección web, o una página o un alias usa una dirección que ayni genera (`/partners/`, `/feed.xml`, un archivo de static/ o un adjunto). Cambie el nombre del archivo, ponga otro `slug` o quite el alias.",
        "Two pages would have the same web address, or a page or an alias uses one ayni generates (`/partners/`, `/feed.xml`, a file of static/ or an attachment). Rename the file, set another `slug` or remove the alias.",
    ),
    code(
        "empty-value",
        false,
        "Una clave obligatoria está vacía, como `title: \"\"`.",
        "A required key is empty, such as `title: \"\"`.",
    ),
    code(
        "io",
        false,
        "Un archivo no se pudo leer (permisos, disco).",
        "A file could not be read (permissions, disk).",
    ),
    code(
        "list-indent",
        false,
        "Un `-` de una lista más a la izquierda que los de arriba; todos los `-` de una lista van en la misma columna.",
        "A list's `-` to the left of those above it; every `-` of one list starts in the same column.",
    ),
    code(
        "membership-cycle",
        false,
        "Dos redes son miembros una de otra en círculo; quite uno de los `members:`.",
        "Networks are members of each other in a circle; remove one of the `members:` entries.",
    ),
    code(
        "missing-file",
        false,
        "Un adjunto de `files:` no está junto al producto ni bajo `static/`. Revise el nombre, mayúsculas incluidas.",
        "An attachment in `files:` is neither beside the product nor under `static/`. Check the name, capitals included.",
    ),
    code(
        "missing-key",
        false,
        "Falta una clave obligatoria (`title`, `kind`, `date` o `partners` en un producto).",
        "A required key is missing (`title`, `kind`, `date` or `partners` in a product).",
    ),
    code(
        "no-front-matter",
        false,
        "El archivo no empieza con la ficha entre líneas `---`.",
        "The file does not start with front matter between `---` lines.",
    ),
    code(
        "no-history",
        true,
        "El sitio está en git pero no se pudo leer su historial: las páginas no muestran su último cambio. El resto del sitio se construye igual.",
        "The site is in git but its history could not be read: pages do not show their last change. The rest of the site builds as usual.",
    ),
    code(
        "no-key",
        false,
        "Una línea de la ficha que no es `clave: valor`; casi siempre el texto de la página porque falta la línea `---` que cierra la ficha antes de él.",
        "A line of the front matter that is not `key: value`; usually the page's text, because the `---` line that closes the front matter is missing above it.",
    ),
    code(
        "no-space-after-colon",
        false,
        "Falta el espacio después de `:`, como en `kind:study`; escriba `kind: study`.",
        "No space after `:`, as in `kind:study`; write `kind: study`.",
    ),
    code(
        "no-summary",
        true,
        "El producto no tiene `summary`: las listas y los buscadores no tendrán qué mostrar.",
        "The product has no `summary`: lists and search engines will have nothing to show.",
    ),
    code(
        "no-topics",
        true,
        "El producto no tiene `topics`: nadie lo encontrará navegando por temas.",
        "The product has no `topics`: nobody will find it by browsing topics.",
    ),
    code(
        "not-text",
        false,
        "Un archivo `.md` no es texto UTF-8; el mensaje señala el primer carácter malo. Guárdelo como UTF-8.",
        "A `.md` file is not UTF-8 text; the message points at the first bad character. Save it as UTF-8.",
    ),
    code(
        "outside-site",
        false,
        "Un enlace simbólico (en `content/`, `static/`, `templates/` o `themes/`, o nombrado en `files:` o `logo:`) lleva fuera de la carpeta del sitio, o a un dispositivo: no se lee ni se publica. Copie el archivo dentro del sitio.",
        "A symbolic link (in `content/`, `static/`, `templates/` or `themes/`, or named in `files:` or `logo:`) leads outside the site's folder, or to a device: it is neither read nor published. Copy the file into the site.",
    ),
    code(
        "pdf-damaged",
        true,
        "Un PDF de `files:` está dañado, cortado o no es un PDF: su enlace se publica, pero su texto no se puede buscar. Ábralo en un lector de PDF y vuelva a exportarlo o descargarlo.",
        "A PDF in `files:` is damaged, cut short or not a PDF: its link is published, but its text cannot be searched. Open it in a PDF reader and export or download it again.",
    ),
    code(
        "pdf-encrypted",
        true,
        "Un PDF de `files:` pide una contraseña para abrirse: su texto no se puede buscar. Adjunte una copia guardada sin contraseña.",
        "A PDF in `files:` needs a password to open: its text cannot be searched. Attach a copy saved without a password.",
    ),
    code(
        "pdf-no-cover",
        true,
        "La primera página de un PDF de `files:` no se pudo dibujar como portada: su enlace y su texto se publican, sin portada. Vuelva a exportar el PDF, o desactive las portadas con `covers: false` en `site.yaml`.",
        "The first page of a PDF in `files:` could not be drawn as its cover: its link and text are published, without a cover. Export the PDF again, or turn covers off with `covers: false` in `site.yaml`.",
    ),
    code(
        "pdf-no-text",
        true,
        "Un PDF de `files:` no tiene capa de texto (es un escaneo): su texto no se puede buscar hasta pasarlo por OCR, por ejemplo con `ocrmypdf`.",
        "A PDF in `files:` has no text layer (a scan): its text cannot be searched until it is run through OCR, for example with `ocrmypdf`.",
    ),
    code(
        "pdf-skipped",
        true,
        "Un PDF de `files:` es demasiado grande o tardó demasiado en leerse, y se dejó de lado: su enlace se publica, su texto no se busca.",
        "A PDF in `files:` is too large or took too long to read, and was left aside: its link is published, its text is not searched.",
    ),
    code(
        "placeholder-text",
        true,
        "Un producto conserva la frase que escribe `ayni new` para que usted la reemplace; escriba el texto del producto en su lugar.",
        "A product still has the sentence `ayni new` writes for you to replace; write the product's text in its place.",
    ),
    code(
        "tab-indent",
        false,
        "La ficha tiene tabulaciones al inicio de una línea; YAML solo admite espacios.",
        "The front matter indents a line with tabs; YAML allows only spaces.",
    ),
    code(
        "text-after-quote",
        false,
        "Un texto entre comillas sigue después de cerrarlas, casi siempre por unas comillas dentro del texto (`title: \"El \"buen\" vivir\"`); rodee el texto con las otras comillas: `title: 'El \"buen\" vivir'`.",
        "A quoted text goes on after its closing quote, usually because of quotes inside the text (`title: \"The \"good\" life\"`); put the text between the other quotes: `title: 'The \"good\" life'`.",
    ),
    code(
        "unclosed-bracket",
        false,
        "Un `[` o `{` que no se cierra; el mensaje señala el que abre. Cierre la lista en la misma línea: `topics: [agua, clima]`.",
        "A `[` or `{` never closed; the message points at the opening one. Close the list on the same line: `topics: [water, climate]`.",
    ),
    code(
        "unclosed-front-matter",
        false,
        "Falta la línea `---` que cierra la ficha.",
        "The `---` line that closes the front matter is missing.",
    ),
    code(
        "unclosed-quote",
        false,
        "Unas comillas que abren un texto y no lo cierran; el mensaje señala las que abren. Cierre el texto en la misma línea.",
        "A quote that opens a text and never closes it; the message points at the opening one. Close the text on the same line.",
    ),
    code(
        "unknown-country",
        false,
        "Un código de país que no existe; use el código ISO de dos letras (`PE`, no `PER` ni `Perú`).",
        "A country code that does not exist; use the two-letter ISO code (`PE`, not `PER` or `Peru`).",
    ),
    code(
        "unknown-key",
        false,
        "Una clave que no existe, casi siempre mal escrita; el mensaje sugiere la correcta (`partenrs` → `partners`).",
        "A key that does not exist, usually a typo; the message suggests the right one (`partenrs` → `partners`).",
    ),
    code(
        "unknown-member",
        false,
        "Un id de `members:` que no es un archivo de `content/partners/`.",
        "An id in `members:` that is not a file in `content/partners/`.",
    ),
    code(
        "unknown-outcome",
        false,
        "Un id de `outcomes:` que no es un archivo de `content/outcomes/`: corrija el id o registre el resultado.",
        "An id in `outcomes:` that is not a file in `content/outcomes/`: fix the id or add the outcome.",
    ),
    code(
        "unknown-partner",
        false,
        "Un id de `partners:` que no es un archivo de `content/partners/`: corrija el id (el mensaje sugiere el más parecido) o registre al socio.",
        "An id in `partners:` that is not a file in `content/partners/`: fix the id (the message suggests the closest) or add the partner.",
    ),
    code(
        "unknown-translation",
        false,
        "`translation_of` no apunta a otro producto (o página).",
        "`translation_of` does not point to another product (or page).",
    ),
    code(
        "unknown-value",
        false,
        "Un valor fuera de la lista permitida, como un `kind` o un rol que no existe; el mensaje da la lista.",
        "A value outside the allowed list, such as a `kind` or role that does not exist; the message lists them.",
    ),
    code(
        "unsafe-url",
        false,
        "Un enlace `javascript:` o `data:`, que el sitio no publica.",
        "A `javascript:` or `data:` link, which the site does not publish.",
    ),
    code(
        "unused-partner",
        true,
        "Un socio registrado que ningún producto menciona.",
        "A registered partner that no product mentions.",
    ),
    code(
        "walk",
        true,
        "Una carpeta que no se pudo recorrer, como un enlace simbólico que da vueltas.",
        "A folder that could not be walked, such as a symbolic link that loops.",
    ),
    code(
        "wrong-type",
        false,
        "Un valor de otro tipo que el esperado: una lista donde va un texto, un texto donde va un número.",
        "A value of the wrong type: a list where text belongs, text where a number belongs.",
    ),
    code(
        "yaml",
        false,
        "La ficha no es YAML válido por otra razón que las de arriba; el mensaje da la del analizador de YAML y un consejo.",
        "The front matter is not valid YAML for a reason other than those above; the message gives the YAML parser's and advice.",
    ),
];

/// Where `ayni new` puts each built-in kind when neither `--section` nor
/// the site's own products say otherwise: (kind, Spanish folder, English folder).
pub const DEFAULT_SECTIONS: &[(&str, &str, &str)] = &[
    ("case-study", "casos", "case-studies"),
    ("study", "estudios", "studies"),
    ("systematization", "sistematizaciones", "systematizations"),
    ("evaluation", "evaluaciones", "evaluations"),
    ("guide", "guias", "guides"),
    ("policy-brief", "notas-de-politica", "policy-briefs"),
    ("article", "articulos", "articles"),
    ("report", "informes", "reports"),
];

/// The default folder under `content/` for products of `kind` on a site in
/// `lang`; an extra kind gets a folder named after it.
pub fn default_section(kind: &str, lang: &str) -> String {
    DEFAULT_SECTIONS
        .iter()
        .find(|(k, _, _)| *k == kind)
        .map(|(_, es, en)| if lang == "en" { *en } else { *es })
        .unwrap_or(kind)
        .to_string()
}

fn list(items: &[&str], lang: &str) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => {
            let and = if lang == "en" { "or" } else { "o" };
            format!("{} {and} {last}", rest.join(", "))
        }
        _ => quoted.join(""),
    }
}

fn fill(text: &str, lang: &str) -> String {
    text.replace("{kinds}", &list(BUILTIN_KINDS, lang))
        .replace("{roles}", &list(ROLES, lang))
        .replace("{partner_types}", &list(PARTNER_TYPES, lang))
        .replace("{instruments}", &list(INSTRUMENTS, lang))
        .replace("{stages}", &list(STAGES, lang))
        .replace("{change_types}", &list(CHANGE_TYPES, lang))
}

/// The product key `key`, documented.
pub fn product_key(key: &str) -> Option<&'static KeyDoc> {
    PRODUCT_KEY_DOCS.iter().find(|k| k.key == key)
}

/// A YAML comment line for `key` of a product, in `lang`: the explanation
/// and the example, for templates such as the file `ayni new` writes.
pub fn comment(key: &str, lang: &str) -> String {
    let Some(doc) = product_key(key) else {
        return String::new();
    };
    let example = doc.example.lines().next().unwrap_or("");
    let eg = if lang == "en" { "e.g." } else { "p. ej." };
    let text = doc.text(lang).replace('`', "");
    if doc.example.contains('\n') {
        format!("# {text}")
    } else {
        format!("# {text} ({eg} {example})")
    }
}

/// The full front matter of the contract's example product: every key's
/// example, in order, between `---` lines.
pub fn example_front_matter() -> String {
    let mut s = String::from("---\n");
    for k in PRODUCT_KEY_DOCS {
        s.push_str(k.example);
        s.push('\n');
    }
    s.push_str("---\n");
    s
}

/// A list of keys as Markdown: key, required or not, meaning, example.
fn key_list(keys: &[KeyDoc], lang: &str) -> String {
    let required = if lang == "en" {
        "required"
    } else {
        "obligatoria"
    };
    let example = if lang == "en" { "Example" } else { "Ejemplo" };
    let mut out = String::new();
    for k in keys {
        let req = if k.required {
            format!(" ({required})")
        } else {
            String::new()
        };
        out.push_str(&format!("- **`{}`**{req}: {}", k.key, k.text(lang)));
        if k.example.contains('\n') {
            out.push_str(&format!(" {example}:\n\n  ```yaml\n"));
            for line in k.example.lines() {
                out.push_str(&format!("  {line}\n"));
            }
            out.push_str("  ```\n\n");
        } else {
            out.push_str(&format!(" {example}: `{}`\n", k.example));
        }
    }
    out
}

fn code_list(lang: &str) -> String {
    let warning = if lang == "en" {
        " (warning)"
    } else {
        " (aviso)"
    };
    CHECK_CODES
        .iter()
        .map(|c| {
            format!(
                "- **`{}`**{}: {}\n",
                c.code,
                if c.warning { warning } else { "" },
                if lang == "en" { c.en } else { c.es }
            )
        })
        .collect()
}

fn section_list(lang: &str) -> String {
    DEFAULT_SECTIONS
        .iter()
        .map(|(kind, _, _)| format!("`{kind}` → `content/{}/`", default_section(kind, lang)))
        .collect::<Vec<_>>()
        .join(", ")
}

const PROSE_ES: &str = include_str!("../../scaffold/guide.es.md");
const PROSE_EN: &str = include_str!("../../scaffold/guide.en.md");

/// File name of the guide page in `lang` under `content/pages/`.
pub fn page_file(lang: &str) -> &'static str {
    if lang == "en" {
        "how-to-publish.md"
    } else {
        "como-publicar.md"
    }
}

/// The contributor guide in `lang` (`es` or `en`) as a page file, front
/// matter included: the prose with every table filled in.
pub fn page(lang: &str) -> String {
    let prose = if lang == "en" { PROSE_EN } else { PROSE_ES };
    prose
        .replace("{{example}}", example_front_matter().trim_end())
        .replace(
            "{{product_keys}}",
            key_list(PRODUCT_KEY_DOCS, lang).trim_end(),
        )
        .replace(
            "{{partner_keys}}",
            key_list(PARTNER_KEY_DOCS, lang).trim_end(),
        )
        .replace(
            "{{outcome_keys}}",
            key_list(OUTCOME_KEY_DOCS, lang).trim_end(),
        )
        .replace("{{codes}}", code_list(lang).trim_end())
        .replace("{{sections}}", &section_list(lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(docs: &[KeyDoc]) -> Vec<&str> {
        docs.iter().map(|k| k.key).collect()
    }

    #[test]
    fn tables_document_exactly_the_keys_the_loader_accepts() {
        assert_eq!(keys(PRODUCT_KEY_DOCS), crate::content::load::PRODUCT_KEYS);
        assert_eq!(keys(PARTNER_KEY_DOCS), crate::content::load::PARTNER_KEYS);
        assert_eq!(keys(OUTCOME_KEY_DOCS), crate::content::load::OUTCOME_KEYS);
    }

    #[test]
    fn every_example_starts_with_its_key_and_placeholders_are_filled() {
        for k in PRODUCT_KEY_DOCS
            .iter()
            .chain(PARTNER_KEY_DOCS)
            .chain(OUTCOME_KEY_DOCS)
        {
            assert!(k.example.starts_with(&format!("{}:", k.key)), "{}", k.key);
            for lang in ["es", "en"] {
                assert!(!k.text(lang).contains('{'), "{} {lang}", k.key);
            }
        }
        assert!(
            product_key("kind")
                .unwrap()
                .text("es")
                .contains("`policy-brief`")
        );
    }

    #[test]
    fn codes_are_sorted_and_unique() {
        let codes: Vec<&str> = CHECK_CODES.iter().map(|c| c.code).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(codes, sorted);
    }

    #[test]
    fn comments_carry_the_explanation_and_example() {
        assert_eq!(
            comment("topics", "es"),
            "# Los temas, en texto libre. Mayúsculas y tildes no cuentan: \"Incidencia Política\" e \"incidencia politica\" son el mismo tema. (p. ej. topics: [gestión del conocimiento, incidencia política])"
        );
        assert!(comment("outcomes", "en").starts_with("# The policy outcomes"));
        assert_eq!(comment("nothing", "en"), "");
    }

    #[test]
    fn guide_pages_have_no_unfilled_placeholder() {
        for lang in ["es", "en"] {
            let p = page(lang);
            assert!(!p.contains("{{"), "{lang}");
            assert!(p.contains("**`translation_of`**"), "{lang}");
            assert!(p.contains("**`unknown-partner`**"), "{lang}");
            assert!(p.contains("`case-study` → `content/"), "{lang}");
        }
    }
}
