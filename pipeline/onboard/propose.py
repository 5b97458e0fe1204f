"""A site profile proposed from a sample crawl: which path shapes are project pages, which are
listings, and the rest of the profile's keys, with notes on what the sample could not settle.

How a shape is judged (:func:`judge`), from the pages sampled of it, each parsed as a page of an
unknown site:

* a page is a *project* page when the parser makes a record of it with a period, funders or a
  status; *weak* when the record has only a contact block (an imprint, a press contact, a dated
  announcement look like that too); *other* when the parser finds no project on it;
* a shape is a project shape when project and weak pages outnumber the others and at least one
  page is a project page, or, with weak pages only, when two or more pages link three or more of
  its members each (the many siblings listings link);
* a listing is a page outside the project shapes that links two or more project pages; its
  shape becomes a listing pattern when half of its sampled pages are listings, else the listing
  pages are named one by one.

Pure: a :class:`~pipeline.onboard.sample.Sample` in, a :class:`Decision` out;
:func:`propose_profile` runs the sample crawl and renders the TOML.
"""

from __future__ import annotations

import asyncio
import json
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

import httpx

from pipeline.crawl.scope import _is_private_host
from pipeline.errors import ProposeError
from pipeline.labels import COUNTRIES
from pipeline.onboard.sample import Sample, SampleSettings, Visit, sample_site
from pipeline.onboard.shapes import Shape, Token, page_series
from pipeline.profiles import SiteProfile, profile_from_data
from pipeline.urls import bare_host

Verdict = Literal["project", "weak", "other"]
Role = Literal["project", "listing", "other", "dead", "alias", "unsampled"]
HUB_LINKS = 3  # a page linking this many members of one shape is a hub of that shape
LISTING_LINKS = 2  # a page linking this many project pages is a listing (one, in a series)
EXAMPLES = 3
# Query parameters each CMS adds to a page's URL without changing the page.
CMS_IGNORED_PARAMS: dict[str, tuple[str, ...]] = {
    "typo3": ("cHash", "no_cache", "type"),  # plugin signature, cache bypass, print/RSS views
    "wordpress": ("replytocom",),  # the comment form's reply target
}
# Top-level domains of the countries a profile knows.
COUNTRY_TLDS = {"de": "DE", "at": "AT", "ch": "CH", "li": "LI", "lu": "LU"}
# Separators between a page's title and the site's name in a <title>.
_TITLE_SEPARATORS = re.compile(r"\s+[|–—·:-]\s+|:\s+")


def page_verdict(visit: Visit) -> Verdict | None:
    """What a fetched page looks like to the parser (None: no page was fetched)."""
    if not visit.html:
        return None
    if visit.kind == "project":
        return "project" if set(visit.facts) - {"contact"} else "weak"
    return "weak" if visit.kind == "invalid" else "other"


@dataclass(frozen=True, slots=True)
class Note:
    """Something the proposal is unsure of, with example URLs to look at."""

    message: str
    examples: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        return [f"- {self.message}", *(f"    {url}" for url in self.examples)]


@dataclass(slots=True)
class Cluster:
    """The known pages of one path shape, and how they were judged."""

    shape: Shape
    keys: list[str]
    verdicts: dict[str, Verdict] = field(default_factory=dict)  # sampled pages
    hubs: int = 0  # pages outside it linking HUB_LINKS or more of its members
    listings: list[str] = field(default_factory=list)  # its pages that are listings
    role: Role = "other"
    by_links: bool = False  # a project shape on the listings' links alone

    def count(self, verdict: Verdict) -> int:
        return sum(1 for v in self.verdicts.values() if v == verdict)


@dataclass
class Decision:
    clusters: list[Cluster]
    projects: list[Cluster]
    listing_paths: list[tuple[str, str]]  # (regex, comment)
    project_paths: list[tuple[str, str]]
    start_paths: list[str]
    notes: list[Note]


def _clusters(sample: Sample) -> list[Cluster]:
    by_key = sample.shapes()
    groups: dict[Shape, Cluster] = {}
    for key in sample.found:
        cluster = groups.setdefault(by_key[key], Cluster(by_key[key], []))
        cluster.keys.append(key)
        visit = sample.visits.get(key)
        if visit is not None and (verdict := page_verdict(visit)) is not None:
            cluster.verdicts[key] = verdict
    return sorted(groups.values(), key=lambda c: c.shape.label())


def _count_hubs(sample: Sample, clusters: list[Cluster]) -> None:
    members = {key: c for c in clusters for key in c.keys}
    for visit in sample.visits.values():
        linked = Counter(members[k].shape for k in visit.links if k in members)
        for cluster in clusters:
            if linked[cluster.shape] >= HUB_LINKS and visit.key not in cluster.keys:
                cluster.hubs += 1


def _role(cluster: Cluster, sample: Sample) -> Role:
    project, weak, other = (cluster.count(v) for v in ("project", "weak", "other"))
    if project and project + weak > other:
        return "project"
    if weak > other and not project and cluster.hubs >= 2:
        cluster.by_links = True
        return "project"
    if cluster.verdicts:
        return "other"
    visits = [v for k in cluster.keys if (v := sample.visits.get(k))]
    if visits and all(v.outcome == "redirect" for v in visits):
        return "alias"
    return "dead" if visits else "unsampled"


def judge(sample: Sample) -> Decision:
    """Judge every shape of the sample and draft the profile's path keys."""
    clusters = _clusters(sample)
    _count_hubs(sample, clusters)
    for cluster in clusters:
        cluster.role = _role(cluster, sample)
    projects = [c for c in clusters if c.role == "project"]
    project_keys = {k for c in projects for k in c.keys}
    for cluster in clusters:
        if cluster.role == "project":
            continue
        paged = _paged(cluster)
        for key in cluster.verdicts:
            links = len(sample.visits[key].links & project_keys)
            if links >= LISTING_LINKS or (links and (paged or sample.found[key].params)):
                cluster.listings.append(key)
        if cluster.listings and cluster.role == "other":
            cluster.role = "listing"
    project_paths = _project_paths(sample, projects)
    listing_paths = _listing_paths(sample, clusters)
    start_paths = _start_paths(sample, projects, clusters)
    _cover_starts(start_paths, listing_paths, project_paths)
    notes = _notes(sample, clusters)
    return Decision(clusters, projects, listing_paths, project_paths, start_paths, notes)


def _paged(cluster: Cluster) -> bool:
    """Whether the shape is a page series (``/page/{number}``): its pages may link one project."""
    tokens = cluster.shape.tokens
    return bool(tokens) and tokens[-1].kind == "number" and len(tokens) >= 2


def _summary(cluster: Cluster) -> str:
    sampled = len(cluster.verdicts)
    project = cluster.count("project")
    return (
        f"{cluster.shape.label()}: {len(cluster.keys)} page(s) found, {sampled} sampled, "
        f"{project} with project facts"
    )


def _excluded(sample: Sample, cluster: Cluster, project_paths: set[str]) -> list[str]:
    """The names a project slug may not be: the hub segments written beside it (``page`` of
    ``/foerderprojekte/page/2``) unless those are project pages themselves, and the sampled
    pages of the shape on which the parser found no project (an imprint among projects)."""
    last = cluster.shape.tokens[-1] if cluster.shape.tokens else None
    if last is None or last.kind != "slug":
        return []
    exclude: list[str] = []
    for name in last.siblings:
        sibling = Shape((*cluster.shape.parent.tokens, Token("fixed", name)))
        if not (sibling.concrete and sibling.path in project_paths):
            exclude.append(name)
    for key, verdict in cluster.verdicts.items():
        if verdict == "other":
            exclude.append(sample.found[key].path.rsplit("/", 1)[-1])
    return exclude


def _project_paths(sample: Sample, projects: list[Cluster]) -> list[tuple[str, str]]:
    """One regex per project shape (see :func:`_excluded`); a single project page that another
    project shape covers is left out."""
    project_paths = {sample.found[k].path for c in projects for k in c.keys}
    drafted: list[tuple[re.Pattern[str], Cluster, str]] = []
    for cluster in projects:
        # a listing's later pages among the members ("/projects/p2"): never project pages
        series = any(page_series(sample.found[k].path.rsplit("/", 1)[-1]) for k in cluster.keys)
        regex = cluster.shape.regex(_excluded(sample, cluster, project_paths), series)
        drafted.append((re.compile(regex), cluster, regex))
    kept: list[tuple[str, str]] = []
    for _pattern, cluster, regex in drafted:
        shape = cluster.shape
        if shape.concrete and any(
            other is not cluster and pattern.search(shape.path) for pattern, other, _ in drafted
        ):
            continue
        kept.append((regex, _summary(cluster)))
    return kept


def _exact(path: str) -> str:
    return Shape(tuple(Token("fixed", s) for s in path.strip("/").split("/") if s)).regex()


def _listing_paths(sample: Sample, clusters: list[Cluster]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for cluster in clusters:
        if cluster.role != "listing":
            continue
        if cluster.shape.concrete or 2 * len(cluster.listings) >= len(cluster.verdicts):
            comment = (
                f"{cluster.shape.label()}: {len(cluster.listings)} of "
                f"{len(cluster.verdicts)} sampled link project pages"
            )
            out.append((cluster.shape.regex(), comment))
            continue
        paths = sorted({sample.found[k].path for k in cluster.listings})
        out += [(_exact(p), f"{p}: links project pages") for p in paths]
    return out


def _start_paths(sample: Sample, projects: list[Cluster], clusters: list[Cluster]) -> list[str]:
    """The home, each language's home, and the nearest page above each project shape."""
    written = {f.path: f.written for f in sample.found.values() if not f.params}
    fetched = {sample.found[k].path for c in clusters for k in c.verdicts}
    starts = [sample.home_path]
    for path in sorted(fetched):
        if re.fullmatch(r"/[a-z]{2}", path):
            starts.append(written.get(path, path))
    for cluster in projects:
        tokens = cluster.shape.tokens[:-1]
        while tokens and not all(t.kind == "fixed" for t in tokens):
            tokens = tokens[:-1]
        while tokens:
            path = Shape(tokens).path
            if path in fetched:
                starts.append(written.get(path, path))
                break
            tokens = tokens[:-1]
    return list(dict.fromkeys(starts))


def _cover_starts(
    starts: list[str], listings: list[tuple[str, str]], projects: list[tuple[str, str]]
) -> None:
    """A start page outside every pattern would not be fetched: name it as a listing."""
    patterns = [re.compile(regex) for regex, _ in (*listings, *projects)]
    for path in starts:
        if not any(p.search(path) for p in patterns):
            listings.append((_exact(path), f"{path}: a start page"))
            patterns.append(re.compile(_exact(path)))


def _site_url(sample: Sample, key: str) -> str:
    return sample.found[key].target.site_url


def _examples(sample: Sample, keys: list[str]) -> tuple[str, ...]:
    return tuple(_site_url(sample, k) for k in sorted(keys)[:EXAMPLES])


def _cluster_notes(sample: Sample, cluster: Cluster) -> list[Note]:
    label = cluster.shape.label()
    not_project = [k for k, v in cluster.verdicts.items() if v != "project"]
    projectish = [k for k, v in cluster.verdicts.items() if v != "other"]
    sampled = len(cluster.verdicts)
    notes: list[Note] = []
    if cluster.role == "project":
        if not_project:
            notes.append(
                Note(
                    f"{label}: taken as project pages, but {len(not_project)} of {sampled} "
                    "sampled gave no period, funders or status (those the parser found no "
                    "project on are excluded by name)",
                    _examples(sample, not_project),
                )
            )
        if cluster.by_links:
            notes.append(Note(f"{label}: taken as project pages for how listings link them", ()))
        if len(cluster.keys) == 1:
            notes.append(Note(f"{label}: a single project page", _examples(sample, cluster.keys)))
        if any(sample.found[k].params for k in cluster.keys):
            notes.append(
                Note(
                    f"{label}: project pages told apart by their query, which a path "
                    "pattern cannot select",
                    _examples(sample, cluster.keys),
                )
            )
    elif projectish:
        notes.append(
            Note(
                f"{label}: left out, though {len(projectish)} of {sampled} sampled parsed as "
                "project pages (most did not)",
                _examples(sample, projectish),
            )
        )
    if cluster.role == "alias":
        notes.append(
            Note(
                f"{label}: {len(cluster.keys)} page(s) that redirect to other pages; "
                "left out (the crawl reaches the pages they redirect to)",
                _examples(sample, cluster.keys),
            )
        )
    return notes


def _notes(sample: Sample, clusters: list[Cluster]) -> list[Note]:
    notes = [n for c in clusters for n in _cluster_notes(sample, c)]
    unsampled = [c for c in clusters if c.role == "unsampled"]
    if unsampled:
        keys = [k for c in unsampled for k in c.keys]
        shapes = ", ".join(c.shape.label() for c in unsampled[:5])
        notes.append(
            Note(
                f"{len(unsampled)} shape(s) not sampled within the request budget ({shapes}"
                f"{', ...' if len(unsampled) > 5 else ''}); raise --max-requests to look at them",
                _examples(sample, keys),
            )
        )
    elif sample.cut_short:
        notes.append(
            Note(
                f"the request budget ({sample.requests} requests) ran out before every shape "
                "had its samples; raise --max-requests for a surer proposal"
            )
        )
    if sample.base_url:
        notes.append(
            Note(
                f"fetched from {sample.base_url}; the site's origin {sample.origin} comes from "
                f"{sample.origin_from}: crawl with --base-url {sample.base_url}"
            )
        )
    if not sample.robots_found:
        notes.append(Note("no robots.txt: everything is allowed"))
    if not sample.sitemaps:
        notes.append(Note("no sitemap answered; the crawl finds pages through listings alone"))
    return notes


# -- the other keys ------------------------------------------------------------------------
def site_id(origin: str) -> str:
    """``https://www.stiftung-x.de`` -> ``stiftung-x``."""
    host = bare_host(urlsplit(origin).hostname or "") or "site"
    head, _, tld = host.rpartition(".")
    name = head if head and tld.isalpha() else host
    return re.sub(r"[^a-z0-9._-]+", "-", name).strip("-._") or "site"


def site_name(sample: Sample) -> str:
    """og:site_name, else the part of the home page's title it repeats, else the part that
    shares the most words with the host name (the first of equals)."""
    home = sample.home
    if home is not None and home.site_name:
        return home.site_name
    title = home.title if home is not None else None
    if not title:
        return site_id(sample.origin)
    parts = [p.strip() for p in _TITLE_SEPARATORS.split(title) if p.strip()] or [title]
    repeated = [p for p, n in Counter(parts).items() if n > 1]
    if repeated:
        return repeated[0]
    host = set(re.findall(r"[a-z0-9]+", site_id(sample.origin)))
    return max(parts, key=lambda p: len(host & set(re.findall(r"[a-z0-9]+", p.lower()))))


def default_lang(sample: Sample) -> str:
    langs = [sample.home.lang] if sample.home and sample.home.lang else []
    langs += [v.lang for v in sample.visits.values() if v.lang]
    for lang in langs:
        code = lang.split("-")[0].lower()
        if re.fullmatch(r"[a-z]{2}", code):
            return code
    return "de"


def english_paths(sample: Sample, lang: str) -> list[str]:
    if lang == "en":
        return []
    first = {f.path.split("/")[1] for f in sample.found.values() if f.path != "/"}
    return ["^/en(?:/|$)"] if "en" in first else []


def ignored_params(sample: Sample) -> tuple[list[str], set[str]]:
    """The query parameters to ignore, from the CMS the pages name; and those CMSs."""
    cms = {name for v in sample.visits.values() for name in v.cms}
    seen = {name.lower() for name in sample.params}
    if "chash" in seen:
        cms.add("typo3")
    params = [p for name in sorted(cms) for p in CMS_IGNORED_PARAMS.get(name, ())]
    return list(dict.fromkeys(params)), cms


def country(sample: Sample) -> tuple[str, Note | None]:
    """The country of the site's domain, else of its phone numbers and postcodes."""
    tld = (urlsplit(sample.origin).hostname or "").rpartition(".")[2]
    votes: Counter[str] = Counter()
    for visit in sample.visits.values():
        for phone in visit.phones:
            votes.update(c for c, k in COUNTRIES.items() if phone.startswith("+" + k.calling_code))
        for code in visit.postcodes:
            fits = [c for c, k in COUNTRIES.items() if k.postcode_digits == len(code)]
            if len(fits) == 1:
                votes[fits[0]] += 1
    found = votes.most_common(1)[0][0] if votes else None
    if tld in COUNTRY_TLDS:
        code = COUNTRY_TLDS[tld]
        if found and found != code:
            return code, Note(
                f"country {code} from the domain, but the pages' phone numbers "
                f"and postcodes point to {found}"
            )
        return code, None
    if found:
        return found, Note(f"country {found} from the pages' phone numbers and postcodes")
    return "DE", Note("country DE assumed: neither the domain nor the pages tell")


# -- the profile -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Proposal:
    """A proposed profile, its TOML text, and what the proposal is unsure of."""

    profile: SiteProfile
    toml: str
    notes: tuple[Note, ...]
    decision: Decision
    requests: int
    pages: int  # pages fetched
    base_url: str | None  # where the site was fetched, when not at its origin


def _string(value: str) -> str:
    """A TOML string: literal ('...', no escapes: regexes read as written) when it can be."""
    if "'" not in value and "\n" not in value and value.isprintable():
        return f"'{value}'"
    return json.dumps(value, ensure_ascii=False)


def _array(values: list[str]) -> str:
    return "[" + ", ".join(_string(v) for v in values) + "]"


def _commented(values: list[tuple[str, str]]) -> str:
    if not values:
        return "[]"
    lines = ["["]
    for value, comment in values:
        lines.append(f"    # {comment}")
        lines.append(f"    {_string(value)},")
    return "\n".join([*lines, "]"])


def render(sample: Sample, decision: Decision) -> tuple[str, list[Note]]:
    """The profile's TOML text, and notes on the keys guessed."""
    origin = sample.origin
    host = urlsplit(origin).hostname or ""
    aliases = [bare_host(host)] if host.startswith("www.") else []
    lang = default_lang(sample)
    params, cms = ignored_params(sample)
    code, country_note = country(sample)
    cms_text = ", ".join(sorted(cms)) or "no CMS recognised"
    lines = [
        f"# Proposed by `pipeline sites init` from {sample.home_url} ({sample.requests} requests,",
        f"# {sum(1 for v in sample.visits.values() if v.html)} pages parsed; {cms_text}). "
        "Review it, then `pipeline sites check`.",
        f"id = {_string(site_id(origin))}",
        f"name = {json.dumps(site_name(sample), ensure_ascii=False)}",
        f"origin = {_string(origin)}",
        f"host_aliases = {_array(aliases)}",
        f"start_paths = {_array(decision.start_paths)}",
        f"sitemap_paths = {_array(sample.sitemaps)}",
        "# Regular expressions searched in the URL path.",
        f"project_paths = {_commented(decision.project_paths)}",
        f"listing_paths = {_commented(decision.listing_paths)}",
        f"default_lang = {_string(lang)}",
        f"english_paths = {_array(english_paths(sample, lang))}",
        f"ignored_params = {_array(params)}",
        f"country = {_string(code)}",
    ]
    return "\n".join(lines) + "\n", [country_note] if country_note else []


def propose(sample: Sample) -> Proposal:
    """The profile a sample suggests; raises ProposeError when it shows no project page."""
    decision = judge(sample)
    if not decision.project_paths:
        fetched = sum(1 for v in sample.visits.values() if v.html)
        home = f" (the home page: {sample.home_error})" if sample.home_error else ""
        raise ProposeError(
            f"no project pages found on {sample.home_url}{home}: {fetched} page(s) parsed, "
            f"{len(sample.found)} known, {sample.requests} requests; none gave a period, "
            "funders or a status. Try the page that lists the projects as the URL, or raise "
            "--max-requests"
        )
    text, notes = render(sample, decision)
    profile = profile_from_data(tomllib.loads(text), "the proposed profile")
    return Proposal(
        profile,
        text,
        tuple(decision.notes + notes),
        decision,
        sample.requests,
        sum(1 for v in sample.visits.values() if v.html),
        sample.base_url,
    )


async def propose_profile_async(
    home_url: str,
    client: httpx.AsyncClient,
    settings: SampleSettings | None = None,
    origin: str | None = None,
) -> Proposal:
    """Sample the site at ``home_url`` with ``client`` and propose its profile."""
    return propose(await sample_site(home_url, client, settings, origin))


def propose_profile(
    home_url: str,
    settings: SampleSettings | None = None,
    origin: str | None = None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Proposal:
    """Sample the site at ``home_url`` and propose its profile (``origin``: the site's canonical
    origin when ``home_url`` is a mirror; ``transport`` replaces the network in tests)."""
    settings = settings or SampleSettings()
    host = (urlsplit(home_url).hostname or "").lower()
    limit = settings.crawl.concurrency

    async def run() -> Proposal:
        async with httpx.AsyncClient(
            limits=httpx.Limits(max_connections=limit, max_keepalive_connections=limit),
            trust_env=not _is_private_host(host),
            transport=transport,
        ) as client:
            return await propose_profile_async(home_url, client, settings, origin)

    return asyncio.run(run())
