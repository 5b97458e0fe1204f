"""The shared vocabulary: what a reader sees on foundations' pages, German and English, as data.

Every word the extractors match on page text lives here (or, for one site only, in that site's
profile file under ``[vocabulary]``, which adds to these defaults). To teach the parser a wording
every foundation uses, add it to the right tuple; matching is case-insensitive and ignores a
trailing colon. :mod:`pipeline.extract.vocabulary` compiles these tuples into matchers.
"""

from __future__ import annotations

from dataclasses import dataclass

# Grantee labels that also head a section of text ("Umsetzung" over how the project works):
# they name the grantee only over an organization's card (a postcode line under them).
SOFT_GRANTEE_LABELS: tuple[str, ...] = (
    "Umsetzung",
    "Durchführung",
    "Durchgeführt von",
    "Umgesetzt von",
    "Delivered by",
    "Run by",
    "Implemented by",
    "Carried out by",
    "Implementing partner",
    # the organizer over its card ("Veranstalter", "Project lead", then the address)
    *("Veranstalter", "Veranstalterin", "Organizer", "Organiser", "Project lead"),
)
# Labels of single facts, by record field. A label matches at the start of a line, followed by a
# colon, by the end of the line (the value follows on the next line, in a ``<dd>``, a table cell
# ...), or, for labels in INLINE_LABELS, by the value itself.
FIELD_LABELS: dict[str, tuple[str, ...]] = {
    "status": ("Status", "Projektstatus", "Stand", "Projektstand", "Project status"),
    "period": (
        "Zeitraum",
        "Laufzeit",
        "Projektlaufzeit",
        "Projektzeitraum",
        "Förderzeitraum",
        "Förderlaufzeit",
        "Förderdauer",
        "Projektdauer",
        "Dauer",
        "Period",
        "Project period",
        "Duration",
        "Term",
        "Funding period",
        "Timeframe",
        "Time frame",
        "Timescale",
        "Zeitrahmen",
        *("Start", "Beginn", "Projektbeginn", "Projektstart", "Starts", "Start date"),
        *("Geplanter Beginn", "Geplanter Start", "Planned start", "Expected start"),
        *("Geplanter Projektstart", "Geplanter Projektbeginn", "Planned project start"),
        *("Bewilligungszeitraum", "Bewilligungsdauer", "Grant period"),
    ),
    "funders": (
        *("Fördernde", "Fördernde Stellen", "Förderinnen", "Funding from", "Funded through"),
        "Finanziert durch",
        "Finanziert von",
        "Gefördert durch",
        "Gefördert von",
        "Förderung durch",
        "Förderung",
        "Fördermittelgeber",
        "Fördermittelgeberin",
        "Fördermittelgeber*innen",
        "Fördermittelgeber:innen",
        "Fördergeber",
        "Geldgeberin",
        "Mittelgeber",
        "Finanzierungspartner",
        "Förderpartner",
        "Förderer",
        "Zuwendungsgeber",
        "Geldgeber",
        "Förderinnen und Förderer",
        "Finanzierung",
        "Finanzierung durch",
        "Unterstützt durch",
        "Unterstützt von",
        "Mit Unterstützung von",
        "Mit Unterstützung der",
        "Mit Unterstützung des",
        "Mit freundlicher Unterstützung von",
        "Funded by",
        "Financed by",
        "Supported by",
        "With support from",
        "With the support of",
        "Funding",
        "Funders",
        "Funder",
        "Funding partners",
        "Funding bodies",
        "Sponsors",
        "Sponsored by",
    ),
    # A fact row naming the project's short title (it wins over a subtitle in the title block).
    "short_title": (
        "Kurztitel",
        "Kurzbezeichnung",
        "Kurzname",
        "Kurzform",
        "Akronym",
        "Projektkürzel",
        "Short title",
        "Short name",
        "Acronym",
    ),
    # Grant facts: the amount granted, cooperation partners (never funders), target groups.
    "grant_amount": (
        "Fördersumme",
        "Fördervolumen",
        "Förderbetrag",
        "Fördermittel",
        "Zuwendung",
        "Zuwendungssumme",
        "Bewilligte Summe",
        "Bewilligte Mittel",
        "Beitrag",
        "Beitrag der Stiftung",
        "Stiftungsbeitrag",
        "Budget",
        "Grant",
        "Grant amount",
        "Amount",
        "Funding amount",
        "Contribution",
        "Unsere Förderung",
        "Our funding",
        "Bewilligt",
        "Bewilligte Fördersumme",
        "Grant awarded",
        "Amount awarded",
        "Bewilligter Betrag",
        "Zugesicherter Beitrag",
        "Zugesprochener Betrag",
        "Unser Beitrag",
        "Our contribution",
        "Annual grant",
        "Zugesagter Beitrag",
        "Our grant",
        *("Bewilligte Förderung", "Zuschuss", "Zuschuss der Stiftung", "Zusage", "Förderzusage"),
        *("Jährlicher Beitrag", "Jährliche Förderung", "Förderung pro Jahr", "Förderung jährlich"),
        *("Grant per year", "Annual funding", "Funding per year", "Yearly grant"),
        # "Betrag: Fr. 12'000.--" (read only when its value is an amount)
        "Betrag",
        # the whole of a grant ("Total funding: CHF 1.2 million", "Approved grant")
        *("Total funding", "Total grant", "Approved grant", "Approved funding"),
        *("Gesamtförderung", "Fördersumme gesamt", "Bewilligter Zuschuss"),
    ),
    "partners": (
        *("Mitveranstalter", "Mitveranstalterin", "Co-organiser", "Co-organizer", "Co-host"),
        # the organizations taking part ("Beteiligte Vereine: A, B, C")
        *("Beteiligte Vereine", "Beteiligte Organisationen", "Beteiligte Einrichtungen"),
        *("Participating organisations", "Participating organizations"),
        "Partner",
        "Partnerorganisation",
        "Partnerorganisationen",
        "Kooperationspartner",
        "Kooperationspartnerin",
        "Kooperationspartnerinnen",
        "Kooperationspartner:innen",
        "Kooperationspartner*innen",
        "Verbundpartner",
        "Verbundpartnerin",
        "Verbundpartner:innen",
        "Verbundpartner*innen",
        "Consortium partners",
        "Joint project partners",
        "Venue partner",
        "In Kooperation mit",
        "In Zusammenarbeit mit",
        "Partners",
        "Partner organisations",
        "Partner organizations",
        "Cooperation partners",
        "In cooperation with",
        "In partnership with",
        "Kooperation",
        "Kooperationen",
        "Cooperation",
    ),
    "target_groups": (
        "Zielgruppe",
        "Zielgruppen",
        "Für wen",
        "Target group",
        "Target groups",
        "Audience",
        "Who it is for",
        "Who it's for",
        "Wer profitiert",
        "Wer teilnimmt",
        "Teilnehmende",
        "Beteiligte",
        "Who benefits",
        "Who takes part",
        "Who took part",
        "Participants",
        "Beneficiaries",
        *("For whom", "Intended for", "For"),
    ),
    "persons": (
        "Ansprechperson",
        "Ansprechpersonen",
        "Ansprechpartner/in",
        "Ansprechpartner/innen",
        "Ansprechpartner:in",
        "Ansprechpartner*in",
        "Ansprechpartnerin",
        "Ansprechpartnerinnen",
        "Ansprechpartner",
        "Kontaktperson",
        "Kontaktpersonen",
        "Kontakt",
        "Ihr Kontakt",
        "Ihre Ansprechpartnerin",
        "Ihr Ansprechpartner",
        "Contact person",
        "Contact persons",
        "Contact",
        "Your contact",
    ),
    # The organization running the project (a grant-maker's grantee): the contact's organization.
    "grantee": (
        "Projektträger",
        "Projektträgerin",
        "Träger",
        "Trägerin",
        "Trägerschaft",
        "Trägerorganisation",
        "Durchführende Organisation",
        "Grantee",
        "Project holder",
        "Implementing organisation",
        "Implementing organization",
        "Sponsoring body",
        # the grantee's contact under its own name ("Kontakt Trägerschaft")
        *("Kontakt Trägerschaft", "Kontakt Projektträger", "Kontakt zum Projektträger"),
        *("Grantee contact", "Contact grantee"),
        *SOFT_GRANTEE_LABELS,
        "Zuwendungsempfänger",
        "Zuwendungsempfängerin",
        "Bewilligungsempfänger",
        "Bewilligungsempfängerin",
        "Fördermittelempfänger",
        "Fördermittelempfängerin",
        "Empfänger der Förderung",
        "Grant recipient",
        "Grant holder",
        "Recipient",
        "Recipient organisation",
        "Recipient organization",
    ),
    "unit": (
        "Abteilung",
        "Organisationseinheit",
        "Department",
        "Ausführende Stelle",
        "Durchführende Stelle",
        "Ausführende Einheit",
        "Executing unit",
        "Implementing unit",
        "Implementing department",
    ),
    "phones": (
        "Telefon",
        "Tel.",
        "Tel",
        "Fon",
        "Mobil",
        "Mobiltelefon",
        "Handy",
        "Phone",
        "Telephone",
        "Mobile",
    ),
    "fax": ("Fax", "Telefax"),
    "emails": ("E-Mail", "E-mail", "Email", "eMail", "Mail"),
    "website": ("Website", "Webseite", "Internetseite", "Internet", "Homepage", "Web"),
    "address": ("Anschrift", "Adresse", "Postanschrift", "Address"),
    "focus_areas": (
        "Schwerpunkte",
        "Arbeitsschwerpunkte",
        "Themenschwerpunkte",
        "Handlungsfelder",
        "Handlungsfeld",
        "Themen",
        "Focus areas",
        "Focus area",
        "Focus",
        "Key areas",
        "Priorities",
        "Förderbereich",
        "Förderbereiche",
        "Themenfeld",
        "Themenfelder",
        "Themenbereich",
        "Themenbereiche",
        "Subject area",
        "Subject areas",
        "Funding area",
        "Funding areas",
        "Thematic area",
        "Thematic areas",
        "Arbeitsfelder",
        "Thema",
        "Schlagworte",
        "Topics",
        "Topic",
        "Tags",
        *("Abgelegt unter", "Abgelegt in", "Gespeichert unter", "Filed under", "Posted in"),
        *("Stichworte", "Keywords"),
        # a page's field of work ("Bereich: Dorfleben", "Area: Youth music")
        *("Bereich", "Area"),
    ),
    "services": (
        "Leistungen",
        "Leistungen und Methoden",
        "Angebote",
        "Unsere Angebote",
        "Angebote und Methoden",
        "Methoden",
        "Services",
        "Services and methods",
        "Methods",
        "Offers",
        "Maßnahmen",
        "Aktivitäten",
        "Activities",
        "Measures",
        "What we offer",
        *("Was angeboten wird", "Das bietet das Projekt", "Was das Projekt bietet"),
        *("What the project offers", "What it offers", "What is on offer"),
        "Was passiert",
        "Was geplant ist",
        "Was wir fördern",
        "Was gefördert wird",
        "What happens",
        "What we fund",
        "What is planned",
        "Angebot",
        "Bausteine",
        "Das Projekt bietet",
        "Was es gibt",
        "What we funded",
    ),
    "related": (
        "Verwandte Projekte",
        "Ähnliche Projekte",
        "Weitere Projekte",
        "Weitere Förderprojekte",
        "Ähnliche Förderprojekte",
        "Das könnte Sie auch interessieren",
        "Related projects",
        "More projects",
        "Similar projects",
        "Other projects",
        "More funded projects",
        "Related funded projects",
        "Mehr Projekte",
        "Andere Projekte",
        "Weitere Förderungen",
        "Weitere Vorhaben",
        "Ähnliche Vorhaben",
        "Auch interessant",
        "More grants",
        "Other grants",
        "Related grants",
        "Similar grants",
        "Related stories",
        "More stories",
        "You might also like",
        "You may also like",
        "See also",
        "Siehe auch",
        "Siehe ebenfalls",
        *("Verwandte Inhalte", "Verwandte Beiträge", "Ähnliche Beiträge", "Weitere Beiträge"),
        *("Related content", "Related items", "Related posts"),
        *("More from the archive", "Read more from the archive", "Mehr aus dem Archiv"),
        # "Mehr aus dem Bereich Kultur", "More from the field of education": a heading over
        # cards of the same field
        *("Mehr aus dem Bereich", "Mehr aus dem Themenfeld", "More from the field of"),
    ),
}

# Period labels that name only the start ("Start: ab 01.02.2027", "Beginn 03/2026"): their
# value is the start of an open period, and the label counts only when it parses.
PERIOD_START_LABELS: frozenset[str] = frozenset(
    {"start", "beginn", "projektbeginn", "projektstart", "starts", "start date"}
    | {"geplanter beginn", "geplanter start", "planned start", "expected start"}
    | {"geplanter projektstart", "geplanter projektbeginn", "planned project start"}
)
# Labels whose value may follow without a colon on the same line ("Zeitraum 01.02.2014 bis ...").
# Such a line only counts when its value parses for the field (a period, a status word) or, for
# funders, when the line is short and is not a sentence.
INLINE_LABELS: frozenset[str] = frozenset(
    {
        "Zeitraum",
        "Laufzeit",
        "Projektlaufzeit",
        "Projektzeitraum",
        "Förderzeitraum",
        "Period",
        "Project period",
        "Duration",
        "Timeframe",
        "Zeitrahmen",
        "Status",
        "Finanziert durch",
        "Gefördert durch",
        "Gefördert von",
        "Finanziert von",
        "Funded by",
        "Financed by",
        "Supported by",
    }
)

# Fields that belong to the contact block; outside it (the site footer) they are ignored.
CONTACT_FIELDS: frozenset[str] = frozenset(
    {"persons", "phones", "fax", "emails", "website", "address", "grantee", "unit"}
)
# Labels are also recognized with one of these words before them ("Projektpartner",
# "Förderzeitraum", "Project duration") and with a plural or gender ending after them
# ("Zielgruppe" / "Zielgruppen", "Partner" / "Partnerin" / "Partner:innen").
LABEL_PREFIXES: tuple[str, ...] = (
    *("Projekt", "Projekt-", "Förder", "Förder-", "Project", "Funding"),
    # "Geplante Maßnahmen", "Planned activities": what a project will do is still its services
    *("Geplante", "Planned"),
    # "Geplanter Zeitraum", "Voraussichtliche Laufzeit", "Expected duration": the same facts
    *("Geplanter", "Geplantes", "Voraussichtliche", "Voraussichtlicher", "Expected"),
)
LABEL_SUFFIXES: tuple[str, ...] = (
    "in",
    "innen",
    ":innen",
    "*innen",
    "/innen",
    "/in",
    "n",
    "en",
    "s",
)

# Status words, as the page says them, to the record's status.
STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "completed": (
        "abgeschlossen",
        "beendet",
        "ausgelaufen",
        "eingestellt",
        "completed",
        "closed",
        "finished",
        "ended",
        "expired",
    ),
    "active": (
        "laufend",
        "aktiv",
        "aktuell",
        "läuft",
        "in Durchführung",
        "in Umsetzung",
        "fortlaufend",
        "ongoing",
        "active",
        "running",
        "current",
        "in progress",
    ),
    "planned": (
        "in Planung",
        "geplant",
        "in Vorbereitung",
        "planned",
        "in preparation",
        "upcoming",
        "in planning",
    ),
}

# Headings that open a project's own contact block (the heading starts with one of these words).
CONTACT_HEADINGS: tuple[str, ...] = (
    "Kontakt",
    "Contact",
    "Ansprechpartner",
    "Ansprechperson",
    "Ihr Kontakt",
    "Ihre Ansprechpartnerin",
    "Ihr Ansprechpartner",
    "So erreichen Sie uns",
    "Get in touch",
    "Anfahrt",
    *("Ansprechpartnerin", "Ansprechpartner:in", "Ansprechpartner*in", "Ansprechpartnerinnen"),
    *("So erreichen Sie", "So erreichst du", "Kontaktdaten", "How to reach"),
)
# Sub-headings inside a contact block, whose lines are skipped (regular expressions).
CONTACT_SUBHEADINGS: tuple[str, ...] = (
    "öffnungszeiten",
    "sprechzeiten",
    "bürozeiten",
    "verkehrsverbindung(?:en)?",
    "anfahrt",
    "anreise",
    "opening hours",
    "office hours",
    "public transport",
    "getting here",
    "directions",
)
# Lines that close a contact block (regular expressions, matched at the line's start).
CONTACT_END: tuple[str, ...] = (r"fahrinfo\b", "journey planner", "travel information")
# The reader's contact at the foundation itself, a box after the grantee's ("Ihre
# Ansprechperson bei der Stiftung", "Your contact at the Foundation"): it ends the grantee's
# block. Its lead words, then one of the prepositions naming where that person works.
OWN_CONTACT_LEADS: tuple[str, ...] = (
    "Ihre Ansprechperson",
    "Ihre Ansprechpartnerin",
    "Ihr Ansprechpartner",
    "Ihre Kontaktperson",
    "Ihr Kontakt",
    "Your contact",
    "Your contact person",
    "Your point of contact",
)
OWN_CONTACT_PLACES: tuple[str, ...] = ("bei", "in", "im", "an", "at", "with")
# "Standort Berlin-Mitte": words that open a location line of the contact block.
LOCATION_WORDS: tuple[str, ...] = ("Standort", "Standorte", "Location", "Site")
# Words naming a foundation's division: "Geschäftsbereich Lebenslagen" (a unit line) and
# "Alle Projekte aus dem Geschäftsbereich X" (the link to the division's projects).
DIVISION_WORDS: tuple[str, ...] = ("Geschäftsbereich",)
DIVISION_WORDS_EN: tuple[str, ...] = ("Business unit", "Division")
# The closed notice, as regular expressions matched at the start of a line.
CLOSED_NOTICES: tuple[str, ...] = (
    # (a year or a date before the verb: "Dieses Projekt wurde 2019 abgeschlossen.")
    r"(?:Das|Dieses)\s+(?:Förder)?(?:projekt|vorhaben)\s+(?:ist|wurde)\s+(?:bereits\s+)?"
    r"(?:(?:im\s+(?:Jahr\s+)?|am\s+)?[\d.]*\d{4}\s+)?(?:abgeschlossen|beendet|ausgelaufen)\b",
    r"(?:This|The)\s+(?:funded\s+)?(?:project|grant)\s+(?:is|has\s+been|has|was)\s+"
    r"(?:now\s+)?(?:completed|closed|finished|ended)\b",
)
# Words a notice opens with before the closed notice itself ("Hinweis: Dieses Projekt ist
# abgeschlossen.", "Please note: this project has been completed"), a colon after them.
NOTICE_LEADS: tuple[str, ...] = (
    "Hinweis",
    "Bitte beachten Sie",
    "Bitte beachten",
    "Achtung",
    "Wichtig",
    "Archivdokument",
    "Archivseite",
    "Archiviert",
    "Archiv",
    "Archive document",
    "Archived page",
    "Archived",
    "Archive",
    "Please note",
    "Note",
    "Notice",
    "Important",
)
# "(ausgelaufen am 30.06.2014)" in a title: the words that say a project ended on a date.
EXPIRY_WORDS: tuple[str, ...] = (
    "ausgelaufen",
    "beendet",
    "abgeschlossen",
    "expired",
    "ended",
    "completed",
)
# "Veröffentlicht am 3. November 2022": a dateline in the title block, never a short title.
DATELINE_WORDS: tuple[str, ...] = (
    "Veröffentlicht am",
    "Veröffentlicht",
    "Erstellt am",
    "Aktualisiert am",
    "Zuletzt aktualisiert",
    "Stand",
    "Erscheinungsdatum",
    "Erschienen am",
    "Datum",
    "Publikationsdatum",
    "Publication date",
    "Date published",
    "Date",
    "Published on",
    "Published",
    "Posted on",
    "Updated on",
    "Last updated",
)
# A document's own record at its foot ("Letzte Änderung: 12.03.2019 14:22 | Erstellt von: ...",
# "Last changed: 14.05.2018"): a dateline too, it ends a list value above it and is no part of
# the description.
DOCUMENT_RECORD_WORDS: tuple[str, ...] = (
    "Letzte Änderung",
    "Zuletzt geändert",
    "Geändert am",
    "Last modified",
    "Last changed",
    "Modified",
)
# A contact's role ("Projektleitung", "Koordinatorin", "Project lead"): never a person, unit or
# organization. A line is a role when one of its words ends with one of these (compounds:
# "Programmleitung", "Co-Leitung", "Theaterpädagogin").
ROLE_ENDINGS: tuple[str, ...] = (
    "leitung",
    "leiter",
    "leiterin",
    "koordination",
    "koordinator",
    "koordinatorin",
    "geschäftsführung",
    "geschäftsführer",
    "geschäftsführerin",
    "referent",
    "referentin",
    "pädagoge",
    "pädagogin",
    "sprecher",
    "sprecherin",
    "vorstand",
    "vorsitz",
    "vorsitzende",
    "vorsitzender",
    "beauftragte",
    "verantwortliche",
    "verantwortlicher",
    "präsident",
    "präsidentin",
    "president",
    "beauftragter",
    "assistenz",
    "worker",  # "Streetworker", "Youth worker"
    "sekretariat",
    "mitarbeiterin",
    "mitarbeiter",
    "manager",
    "management",
    "coordinator",
    "coordination",
    "director",
    "lead",
    "head",  # "Head of Education"
    "officer",
    "chair",
)
# Role words that name a role only as the end of a compound ("Revierförster", "Stadtförsterin"):
# on their own they are surnames ("Anna Förster").
ROLE_COMPOUND_ENDINGS: tuple[str, ...] = ("förster", "försterin")
# Salutations before a person's name ("Frau Birgit Schulze"): not part of the name.
SALUTATIONS: tuple[str, ...] = ("Frau", "Herr", "Ms", "Ms.", "Mr", "Mr.", "Mrs", "Mrs.", "Mx")
# Academic and courtesy titles before a person's name (academic ones stay in the name).
PERSON_TITLES: tuple[str, ...] = ("Dr.", "Prof.", "Dipl.-Ing.", "Dipl.", "Mag.", *SALUTATIONS)
# Academic degrees after a person's name, after a comma ("Eva Roth, MSc"): part of the name.
PERSON_DEGREES: tuple[str, ...] = (
    "BA",
    "MA",
    "BSc",
    "MSc",
    "BEd",
    "MEd",
    "MBA",
    "MPH",
    "MAS",
    "LL.M.",
    "LL.B.",
    "PhD",
    "Ph.D.",
    "Bakk.",
    "M.A.",
    "B.A.",
    "M.Sc.",
    "B.Sc.",
)
# Words that make a line an organization, never a person ("Verein Quartierwerk", "... e.V.").
ORGANIZATION_WORDS: tuple[str, ...] = (
    "e.V.",
    "e. V.",
    "gGmbH",
    "GmbH",
    "gUG",
    "AG",
    "Verein",
    "Stiftung",
    "Verband",
    "Genossenschaft",
    "Fonds",
    "Institut",
    "Zentrum",
    "Schule",
    "Association",
    "Foundation",
    "Fondation",
    "Trust",
)
# How an organization's name may end in a dot (its legal form): a value ending so is a name,
# not a sentence ("Stadt A und Verein B e. V.").
ABBREVIATED_NAME_ENDS: tuple[str, ...] = (
    *(word for word in ORGANIZATION_WORDS if word.endswith(".")),
    "Inc.",
    "Ltd.",
    "Corp.",
    "Co.",
)
# Words that open a part of one organization after a comma ("University of Hamburg, Faculty of
# Law", "Universität Kiel, Institut für Ökologie"): one name, never two in a list.
SUBUNIT_WORDS: tuple[str, ...] = (
    "Faculty",
    "Department",
    "School of",
    "Institute",
    "Chair of",
    "Fakultät",
    "Institut",
    "Lehrstuhl",
    "Fachbereich",
    "Fachgebiet",
    "Abteilung",
    "Klinik für",
    "Seminar für",
    "Professur",
    # an association's local branch ("Bund Naturschutz, Kreisgruppe Fürth-Stadt")
    *("Kreisgruppe", "Ortsgruppe", "Bezirksgruppe", "Kreisverband", "Ortsverband", "Sektion"),
)
# Lines that open a department of the organization: the contact's unit.
DEPARTMENT_WORDS: tuple[str, ...] = (
    "Fachbereich",
    "Abteilung",
    "Fachstelle",
    "Bereich",
    "Referat",
    "Ressort",
    "Department",
)
# A country's name as an address line ("Schweiz" under "8004 Zürich"): not part of the record.
COUNTRY_NAMES: tuple[str, ...] = (
    "Deutschland",
    "Germany",
    "Österreich",
    "Austria",
    "Schweiz",
    "Suisse",
    "Svizzera",
    "Switzerland",
    "Liechtenstein",
    "Luxemburg",
    "Luxembourg",
)
# A funder's note in brackets saying what kind of funding it gives ("Stadt X (Kofinanzierung)"):
# not part of its name (word starts, regular expressions; an acronym in brackets stays).
FUNDING_NOTES: tuple[str, ...] = (
    r"(?:Ko|Co)-?[Ff]inanz",
    r"(?:Ko|Co)-?[Ff]örder",
    "Teilfinanzierung",
    "Anschubfinanzierung",
    "Eigenmittel",
    "Eigenanteil",
    "Hauptförder",
    "Zuschuss",
    r"(?:co-?)?fund(?:ing|er)",
    r"co-?financ",
    "match funding",
    "main funder",
    "lead funder",
)
# Helper text for screen readers after a link's text ("(Öffnet neues Fenster)"): a reader of
# the page does not see it (regular expressions, matched at the end of a link's text).
HIDDEN_LINK_NOTES: tuple[str, ...] = (
    r"öffnet\s+(?:sich\s+)?(?:in\s+)?(?:einem\s+)?neue[mns]?\s+(?:Fenster|Tab)",
    r"neues\s+Fenster",
    r"externer\s+Link",
    r"Link\s+ist\s+extern",
    r"externe\s+Seite",
    r"opens\s+(?:in\s+)?(?:a\s+)?new\s+(?:window|tab)",
    r"new\s+window",
    r"external\s+link",
)
# Grant amounts: currency words and signs, and the words that multiply a number.
CURRENCIES: dict[str, tuple[str, ...]] = {
    "EUR": ("€", "EUR", "Euro", "Euros"),
    "CHF": ("CHF", "SFr.", "sFr.", "Fr.", "Franken"),
    "USD": ("US$", "$", "USD"),
    "GBP": ("£", "GBP"),
}
AMOUNT_MULTIPLIERS: dict[int, tuple[str, ...]] = {
    1_000: ("Tsd.", "Tsd", "Tausend", "k", "thousand", "T"),  # "20 T€"
    1_000_000: ("Mio.", "Mio", "Millionen", "Million", "million", "millions", "m", "Mn"),
    1_000_000_000: ("Mrd.", "Mrd", "Milliarden", "billion"),
}
# Main headings of a foundation's own pages that are never a project (its imprint carries its
# address and phone, its team page persons): whole heading, any case.
NON_PROJECT_TITLES: tuple[str, ...] = (
    "Impressum",
    "Datenschutz",
    "Datenschutzerklärung",
    "Kontakt",
    "Team",
    "Unser Team",
    "Über uns",
    "Imprint",
    "Legal notice",
    "Privacy",
    "Privacy policy",
    "Contact",
    "About us",
    "Our team",
    # the home page of a site's archive ("Archiv": its span of years, counts, lists)
    *("Archiv", "Projektarchiv", "Archive", "Project archive"),
)
# A main heading naming a topic's or a tag's listing by the taxonomy's word and a colon
# ("Thema: Jugendmusik", "Category: Education"): never a project.
LISTING_TITLE_WORDS: tuple[str, ...] = (
    *("Thema", "Themen", "Kategorie", "Schlagwort", "Stichwort", "Tag"),
    *("Topic", "Category", "Tag", "Keyword"),
)
# Headings of news and press blocks inside a project page: never related projects, never
# part of the project's description (the press office's contact, the news teasers below it).
# Words before an amount that only bound it ("bis zu 1.500 €", "up to €25,000", "insgesamt").
AMOUNT_BOUNDS: tuple[str, ...] = (
    *("bis zu", "bis", "maximal", "max.", "höchstens", "insgesamt", "ca.", "rund", "je", "jeweils"),
    *("up to", "a maximum of", "maximum", "max", "total", "in total", "approx.", "about", "around"),
)
# A page series' segment beside a listing's members: a word, then the page's number
# (Craft's "p2", "page-3", "seite2"): a listing's later page, never a project's slug.
PAGE_SERIES_WORDS: tuple[str, ...] = ("p", "page", "pg", "seite")
# A news section's name, in a page's breadcrumb trail or as the kicker over its title
# ("Aktuelles · 18. November 2026"): the page is a news item, unless it states a project's own
# facts (a status, a period, funders) besides amounts and dates.
NEWS_SECTIONS: tuple[str, ...] = (
    *("Aktuelles", "Aktuell", "News", "Neuigkeiten", "Nachrichten", "Meldungen"),
    *("Pressemitteilungen", "Pressemeldungen", "Presse", "Newsroom"),
    *("Latest news", "Press releases", "Press", "Announcements", "Mitteilungen"),
)
NEWS_HEADINGS: tuple[str, ...] = (
    "Pressekontakt",
    "Presse",
    "Medienkontakt",
    "Press contact",
    "Media contact",
    "Press",
    "Aktuelles",
    "Aktuell",
    "News",
    "Neuigkeiten",
    "Meldungen",
    "Termine",
    "Latest news",
    "Updates",
)
# Words a title's repeats may differ in without being another heading.
TITLE_STOPWORDS: tuple[str, ...] = (
    *("der", "die", "das", "den", "dem", "des", "und", "für", "im", "in", "am", "an", "auf"),
    *("aus", "mit", "von", "zum", "zur", "bei"),
    *("the", "and", "for", "of", "in", "on", "at", "to", "with", "a", "an"),
)
# Lines that are site chrome wherever they stand in the content (whole line, any case).
CHROME_LINES: tuple[str, ...] = (
    "zum inhalt springen",
    "jump to content",
    "skip to (?:main )?content",
    "zurück zur übersicht",
    "zurück",
    "back to (?:the )?overview",
    "back",
    "nach oben",
    "to top",
    "drucken",
    "print",
    "seite drucken",
    "dokument drucken",
    "druckversion",
    "druckansicht",
    "print (?:this )?(?:page|document)",
    "print version",
    "printer-friendly version",
    "seite teilen",
    "share (?:this )?page",
    # links back to the listing a page came from ("Zurück zur Projektdatenbank", "Back to the
    # project database"): never a related project
    r"zurück\s+(?:zur|zum|zu\s+den)\s+(?:\S+\s+){0,2}\S*(?:übersicht|liste|datenbank|archiv"
    r"|suche|startseite|projekten?|vorhaben|ergebnissen?|auswahl|trefferliste)",
    r"back\s+to\s+(?:the\s+)?(?:\S+\s+){0,2}(?:overview|list|listing|database|archive|search"
    r"|results|projects|grants|index|home\s?page|start\s+page)",
    "teilen",
    "share",
    # a post's previous / next links ("Vorheriger", "Next project"): navigation
    r"(?:vorherige[rs]?|nächste[rs]?|previous|next)(?:\s+(?:beitrag|artikel|projekt|eintrag"
    r"|post|project|article|item|entry))?",
    "mehr",
    "more",
    "weiterlesen",
    "read more",
)
# Arrows a navigation link's words may stand between ("‹ Vorheriges Projekt", "Next project »").
NAV_ARROWS = "‹›«»←→"
# Teaser links on listings: many of these mean the page is a listing, not a project.
TEASER_LINKS: tuple[str, ...] = (
    "mehr",
    "more",
    "weiterlesen",
    "read more",
    "details",
    "zum projekt",
    *("mehr erfahren", "mehr lesen", "learn more", "find out more"),
)
# "Link zum Land Brandenburg" / "Link to the State of Berlin": a funder's logo link (a regular
# expression), and the words that mark a logo's alt text ("Logo der Stadt Cottbus").
LINK_TO = r"Link\s+(?:zum|zur|zu|to(?:\s+the)?)"
LOGO_WORDS: tuple[str, ...] = ("Logo", "Signet")
# Facts stated in running text count only in a sentence that names the project itself (a call
# for proposals speaks of projects in general) ...
PROSE_PROJECT: tuple[str, ...] = (
    *("das Projekt", "dieses Projekt", "unser Projekt", "das Vorhaben", "dieses Vorhaben"),
    *("das Modellprojekt", "das Programm", "dieses Programm"),
    *("the project", "this project", "the programme", "this programme", "the program"),
    *("this program", "the initiative", "this initiative"),
)
# ... and never in a sentence about applying for a grant (word starts).
# A funder's verb in a sentence that names the project by its title ("Die X-Stiftung
# finanziert FinanzFit ..."), and the articles before a word of its title ("the club").
PROSE_FUNDING_VERBS: tuple[str, ...] = (
    *("fördert", "förderte", "finanziert", "unterstützt"),
    *("funds", "funded", "supports", "finances"),
)
# The auxiliaries of a funding verb's perfect tense, and its participles ("Die X-Stiftung hat
# das Projekt mit 5.000 Euro gefördert", "The X Foundation has funded the project").
PROSE_AUXILIARIES: tuple[str, ...] = ("hat", "hatte", "has", "had")
PROSE_FUNDING_PARTICIPLES: tuple[str, ...] = (
    *("gefördert", "finanziert", "unterstützt", "mitfinanziert"),
    *("funded", "financed", "supported"),
)
PROSE_ARTICLES: tuple[str, ...] = ("the", "das", "den", "die", "der", "dem")
# The words joining two persons' names on one line ("Eva Roth und Ida Kern").
NAME_CONJUNCTIONS: tuple[str, ...] = ("und", "and", "&")
PROSE_DECOYS: tuple[str, ...] = (
    *("bewerben", "Bewerbung", "Antrag", "Anträge", "beantragen", "Ausschreibung"),
    *("Förderaufruf", "Einsendeschluss", "Antragsfrist"),
    *("apply", "applicat", "call for proposals", "deadline"),
)
# A breadcrumb trail: named so by its aria-label, class or id (a regular expression), or opened
# by one of these words.
# The names a site's topic taxonomy goes by in its URLs: a term link is a query parameter of
# that name ("/projekte?category=Bildung") or a path segment of it before the term
# ("/archiv/themen/bildung/"). A post's meta line above or below its title links its topics so.
TOPIC_TAXONOMIES: tuple[str, ...] = (
    *("category", "categories", "kategorie", "kategorien", "rubrik", "rubriken"),
    *("thema", "themen", "themenfeld", "themenfelder", "handlungsfeld", "handlungsfelder"),
    *("topic", "topics", "theme", "themes", "focus-area", "focus-areas"),
    *("project-category", "projekt-kategorie", "projektkategorie", "schwerpunkt", "schwerpunkte"),
    *("tag", "tags", "schlagwort", "schlagworte", "stichwort", "keyword", "keywords"),
    *("subject", "subject:list", "subject%3alist"),
)
# A post's byline links its author's page by one of these path segments (".../author/<name>/",
# ".../autor/<name>"): a line of the title block linking only there is the byline, never the
# short title.
AUTHOR_PATHS: tuple[str, ...] = ("author", "authors", "autor", "autoren", "autorin", "autorinnen")
BREADCRUMB_NAMES = r"bread-?crumbs?|brotkrümel|krümelpfad|pfadnavigation|rootline"
BREADCRUMB_LEADS: tuple[str, ...] = ("Sie sind hier", "Du bist hier", "You are here")
# Class or id tokens of elements that are never content (skipped when flattening).
CHROME_TOKENS: tuple[str, ...] = (
    r"cookie\w*",
    "consent",
    "gdpr",
    "breadcrumbs?",
    "navbar",
    "navigation",
    "mainnav",
    "subnav",
    "menu",
    "footer",
    "site-footer",
    "newsticker",
    "news-?teaser",
    "social",
    "share",
    "skip-?links?",
    "modal",
    "popup",
)
# Class or id tokens of elements that are chrome unless they hold a project fact's label: a
# page's facts sidebar ("Laufzeit", "Funded by" ...) is content, a sidebar of links is not.
SOFT_CHROME_TOKENS: tuple[str, ...] = ("sidebar",)


@dataclass(frozen=True, slots=True)
class Country:
    """What a site's country changes in the parse: phone numbers and postcodes."""

    calling_code: str  # for numbers written in national form ("030 ...")
    postcode_digits: int
    postcode_prefix: str  # "D-14482 Potsdam", "CH-8001 Zürich"


# A site's country (its profile's ``country``); numbers with a ``+`` code are read as given.
COUNTRIES: dict[str, Country] = {
    "DE": Country("49", 5, "D"),
    "AT": Country("43", 4, "A"),
    "CH": Country("41", 4, "CH"),
    "LI": Country("423", 4, "FL"),
    "LU": Country("352", 4, "L"),
}
# Query parameters that never select content on any site (compared case-insensitively); a
# site's profile adds its CMS's own (TYPO3's cHash ...) as ``ignored_params``.
IGNORED_PARAMS: tuple[str, ...] = (
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "mc_cid",
    "mc_eid",
    "_ga",
    "yclid",
    "igshid",
    "sessionid",
    "phpsessid",
    "jsessionid",
)
IGNORED_PREFIXES: tuple[str, ...] = ("utm_", "pk_", "mtm_", "matomo_")
# Path parameters that carry a session, never content (Java servlets' ``;jsessionid=``, which
# government CMSs such as the GSB write into links for visitors without cookies).
IGNORED_PATH_PARAMS: tuple[str, ...] = ("jsessionid", "phpsessid", "sessionid")
