"""A seeded generator of realistic synthetic news, and a cached database built from it.

    python bench/corpus.py                    # build (or reuse) bench/out/corpus-100000.db
    python bench/corpus.py --articles 2000 --no-places --profile
    python bench/corpus.py --articles 500 --feeds /tmp/feeds

Articles are built from templates about real places in several countries (Afghanistan,
Ukraine, Syria, Sudan, Myanmar, Somalia, Yemen, and quiet cities elsewhere), with control
claims, casualty figures, events, dates written the way reporters write them, several
outlets, hard-wrapped plain-text reports and near-duplicate rewrites of earlier stories.
Place frequency follows a Zipf-like curve, so some places are in thousands of articles and
others in a handful. `build_database` runs them through the real `Ingestor` in batches.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import textwrap
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.models import ParsedArticle  # noqa: E402

OUT = ROOT / "bench" / "out"
VERSION = "1"  # bump when the generator changes, so cached databases are rebuilt
END = datetime(2024, 6, 30, 12, 0, tzinfo=UTC)  # the newest article; benches set their clock here
SPAN = timedelta(days=120)

# country: government side | opposing side | who speaks | places "Name/Province", the first
# ones the most written about. Every list below is one string split on "|".
THEATRES = {
    "Afghanistan": (
        "government forces|Afghan security forces|Afghan forces|the Afghan army",
        "the Taliban|Taliban fighters",
        "the Afghan Defense Ministry|a Taliban spokesman|the provincial governor",
        "Kunduz/Kunduz|Herat/Herat|Qala-e-Naw/Badghis|Kandahar/Kandahar|Ghazni/Ghazni|"
        "Spin Boldak/Kandahar|Mazar-i-Sharif/Balkh|Lashkar Gah/Helmand|Kabul/Kabul|"
        "Jalalabad/Nangarhar|Taloqan/Takhar|Sheberghan/Jowzjan|Maymana/Faryab|Farah/Farah|"
        "Zaranj/Nimroz|Musa Qala/Helmand|Sangin/Helmand|Bala Murghab/Badghis|Shindand/Herat|"
        "Pul-e Khumri/Baghlan|Gardez/Paktia|Khost/Khost|Chaghcharan/Ghor|Ghormach/Badghis|"
        "Nawur/Ghazni|Zendah Jan/Herat|Kohsan/Herat|Karukh/Herat",
    ),
    "Ukraine": (
        "Ukrainian forces|Ukraine's armed forces|Ukrainian troops",
        "Russian forces|Russian troops",
        "Ukraine's Defense Ministry|Russia's Defense Ministry|the regional governor",
        "Kharkiv/Kharkiv|Kherson/Kherson|Bakhmut/Donetsk|Avdiivka/Donetsk|Zaporizhzhia/"
        "Zaporizhzhia|Odesa/Odesa|Kupiansk/Kharkiv|Lyman/Donetsk|Izium/Kharkiv|Pokrovsk/Donetsk|"
        "Chasiv Yar/Donetsk|Vuhledar/Donetsk|Toretsk/Donetsk|Mariupol/Donetsk|Sumy/Sumy",
    ),
    "Syria": (
        "Syrian government forces|Syrian troops|regime forces",
        "rebels|rebel forces|Hayat Tahrir al-Sham",
        "the Syrian Observatory for Human Rights|state media|a rebel commander",
        "Aleppo/Aleppo|Idlib/Idlib|Homs/Homs|Hama/Hama|Deir ez-Zor/Deir ez-Zor|Raqqa/Raqqa|"
        "Daraa/Daraa|Palmyra/Homs|Manbij/Aleppo|Saraqib/Idlib",
    ),
    "Sudan": (
        "the Sudanese army|Sudan's armed forces",
        "the Rapid Support Forces|RSF fighters",
        "the army spokesman|an RSF statement|local doctors",
        "Khartoum/Khartoum|Omdurman/Khartoum|El Fasher/North Darfur|Nyala/South Darfur|"
        "Wad Madani/Gezira|El Obeid/North Kordofan|El Geneina/West Darfur|Sennar/Sennar",
    ),
    "Myanmar": (
        "the junta|Myanmar's military",
        "resistance forces|the Arakan Army",
        "a junta spokesman|local residents|a resistance commander",
        "Lashio/Shan|Myawaddy/Kayin|Sittwe/Rakhine|Mandalay/Mandalay|Laukkaing/Shan|"
        "Bhamo/Kachin|Loikaw/Kayah",
    ),
    "Somalia": (
        "Somali forces|government troops",
        "al-Shabaab fighters|al-Shabaab",
        "a military official|al-Shabaab's radio",
        "Mogadishu/Banaadir|Kismayo/Lower Juba|Baidoa/Bay",
    ),
    "Yemen": (
        "government forces|Yemeni troops",
        "the Houthis|Houthi fighters",
        "a government official|Houthi-run media",
        "Marib/Marib|Hodeidah/Hodeidah|Taiz/Taiz",
    ),
}
THEATRES = {
    country: tuple(part.split("|") for part in parts) for country, parts in THEATRES.items()
}
QUIET = (
    "Lyon|Osaka|Toronto|Nairobi|Sao Paulo|Melbourne|Hamburg|Bergen|Valencia|Seoul|Mumbai|"
    "Lagos|Accra|Montevideo|Krakow|Tampere|Porto|Cork|Denver|Winnipeg|Dushanbe|Tashkent|"
    "Almaty|Islamabad"
).split("|")
OUTLETS = (
    "Frontline Wire|Kabul Ledger|Steppe Dispatch|Levant Monitor|Nile Courier|"
    "Irrawaddy Post|Daily Meridian|Global Desk|Horn Observer|Field Notes"
).split("|")
WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday".split("|")
# {P} the place, {Q} another place nearby, {R} its province, {G} the government side,
# {I} the other side, {S} a speaker, {D} a date phrase, {n} {m} {k} {small} {tiny} numbers.
CONTROL = (
    "{P} is in the hands of {G}, {S} said.|{I} captured {P} {D} after days of heavy fighting.|"
    "{S} said {I} had captured {P} {D}.|The attack on {P} was repelled, according to {S}.|"
    "{G} retook {P} {D}, {S} said.|{P} remains under the control of {G}.|"
    "By {day} evening {P} was under the control of {I}.|"
    "{P} is besieged by {I}, and food is running short.|"
    "The rest of {R} province is in the hands of {I}.|"
    "{I} took control of the centre of {P} {D}."
).split("|")
CASUALTY = (
    "{n} {I} fighters were killed and {m} wounded near {P}, {S} said.|"
    "At least {n} civilians were killed in {P} {D}.|"
    "{S} said {n} soldiers had been killed and {m} injured in the fighting for {P}.|"
    "The clashes left {n} people dead in {P}, according to {S}."
).split("|")
EVENT = (
    "{I} stormed the prison in {P} {D}, freeing around {k} prisoners.|"
    "Clashes continue on the outskirts of {P}.|An airstrike hit a market in {P} {D}.|"
    "Thousands of families fled {P} towards {Q}.|"
    "Heavy shelling was reported on the road between {P} and {Q}.|"
    "Talks between elders and {I} over the future of {P} broke down {D}."
).split("|")
BACKGROUND = (
    "The fighting is the heaviest in the area since {m} years of relative calm ended.|"
    "{S} has not commented on reports of reinforcements arriving from {Q}.|"
    "Independent verification of the claims was not possible because phone lines were down.|"
    "The United Nations said more than {k} families had been displaced in the past month.|"
    "Both sides have traded accusations of targeting civilians around {P}.|"
    "Analysts say control of the roads around {P} decides who can supply {Q}.|"
    "Earlier this year a local ceasefire brokered by elders briefly held.|"
    "Journalists have been barred from the front line for {m} days.|"
    "The International Committee of the Red Cross called for safe passage for the wounded.|"
    "Prices in {Q} rose sharply as traders waited for the road to reopen.|"
    "The city's power station has been offline since the last round of fighting.|"
    "A regional envoy is expected in {Q} next week for talks on prisoner exchanges."
).split("|")
# Filler: "{speaker} said {subject} {predicate}", so that unrelated articles about the same
# place share few three-word runs (as real ones do) and are not taken for one story.
SUBJECTS = (
    "the main road to {Q}|the hospital|the bazaar|the price of flour|the power grid|"
    "the mobile network|the river crossing|the aid convoy|the queue at the bakery|"
    "the school on the hill|the district office|the old bridge|the water pump|the cash machine|"
    "the bus station|the grain store|the telephone exchange|the fuel depot|the border post|"
    "the radio station|the airport|the central mosque|a makeshift clinic|the university|"
    "the police station|the eastern district|the checkpoint at the city gate|"
    "the last open pharmacy"
).split("|")
PREDICATES = (
    "had been closed for {m} days|was running short of supplies|reopened briefly in the morning|"
    "was damaged overnight|was working again by the afternoon|"
    "was crowded with people trying to leave|stood empty|had no power for {m} hours|"
    "was taken over by armed men|had doubled in a week|was turned back at dawn|"
    "stayed shut for a {ord} day|was hit by stray rounds|was guarded by {m} men|"
    "needed repairs nobody could pay for|saw long lines from first light|"
    "was the only way out for {k} families|was out of diesel|went quiet after {hour}|"
    "was sandbagged against attacks"
).split("|")
QUIET_SUBJECTS = (
    "the new tram line|the harbour|the summer festival|rents|the old market hall|"
    "the university|tourist numbers|the water bill|the airport expansion|the football club|"
    "the cycling lanes to {Q}|the city library|the night buses|the fish market"
).split("|")
QUIET_PREDICATES = (
    "was going ahead as planned|had been delayed again|was busier than ever|"
    "would cost {n} million|sold out in an hour|had risen by {m} percent|"
    "would be restored by {ord} quarter|drew record crowds|needed a new sponsor|"
    "was extended by {m} kilometres"
).split("|")
NAMES = (
    "Ahmad|Fatima|Olena|Yusuf|Mariam|Taras|Aung|Hassan|Amina|Omar|Nadia|Bilal|Sofia|"
    "Khalid|Iryna|Zaw|Halima|Samir|Leyla|Dawit|Mykola|Rahim|Farida|Kyaw|Nour"
).split("|")
ROLES = (
    "shopkeeper|teacher|nurse|taxi driver|farmer|student|baker|mechanic|tribal elder|"
    "pharmacist|engineer|schoolteacher|bus driver|aid worker|local journalist"
).split("|")
TITLES = (
    "{I} capture {P} after heavy fighting|{P}: attack repelled, {S} says|"
    "Clashes on the outskirts of {P}|{n} killed in fighting near {P}|"
    "Families flee {P} as fighting nears|Who holds {P}? Conflicting claims|"
    "{G} say they hold {P}|Prison break in {P}|Siege of {P} tightens|"
    "Airstrike on market in {P}|{P} under pressure as {I} advance"
).split("|")
QUIET_SENTENCES = (
    "Voters in {P} went to the polls {D} in a closely watched mayoral race.|"
    "Heavy rain flooded several districts of {P}, closing roads and schools.|"
    "The city council of {P} approved a budget of {n} million for new tram lines.|"
    "{P} hosted a trade fair that drew {k} exhibitors from {m} countries.|"
    "The home side in {P} won {small}-{tiny} in front of a sold-out crowd.|"
    "Farmers around {P} expect a good harvest after a wet spring.|"
    "A new bridge in {P} opened to traffic {D}, two years behind schedule.|"
    "Museum attendance in {P} rose by {m} percent last year."
).split("|")
QUIET_BACKGROUND = (
    "The mayor of {P} said the city would publish the full figures next month.|"
    "Critics in {P} say the plans have been delayed for {m} years.|"
    "Neighbouring {Q} took a similar decision last spring.|"
    "Local businesses welcomed the news, though some worried about rents.|"
    "Turnout was {m} percent higher than at the previous vote.|"
    "The regional weather service expects more rain at the weekend."
).split("|")
QUIET_TITLES = (
    "{P} votes in tight mayoral race|Floods close roads in {P}|{P} approves tram budget|"
    "Trade fair opens in {P}|Harvest hopes in {P}|New bridge opens in {P}|"
    "Record year for museums in {P}"
).split("|")
SPEAKERS = (
    "Residents|Witnesses|Aid workers|Local journalists|Shopkeepers|Elders|Doctors|"
    "Teachers|Truck drivers|Officials|Farmers|Students"
).split("|")
SAYS = "said|told reporters|reported|described how|complained that|confirmed that".split("|")
REWRITE_INTROS = ["UPDATE: ", "Latest: ", "", "Corrected: ", "Analysis: "]


def _places() -> list[tuple[str, str, str]]:
    """(name, country, province) of the war zones, in falling order of news interest."""
    rows = [
        (*entry.split("/"), country) for country, parts in THEATRES.items() for entry in parts[3]
    ]
    ranks = {
        name: i
        for parts in THEATRES.values()
        for i, e in enumerate(parts[3])
        for name in [e.split("/")[0]]
    }
    rows.sort(key=lambda r: ranks[r[0]])  # interleave the countries
    return [(name, country, province) for name, province, country in rows]


PLACES = _places()
QUIET_SHARE = 0.2  # articles about places at peace
FREQUENT = [p[0] for p in PLACES[:10]] + QUIET[:2]
RARE = [p[0] for p in PLACES[-12:]] + QUIET[-6:]
UNKNOWN = ["Zarquonville", "Blorptown", "Qwertyabad", "Nowhere Springs", "Xyzzy", "Flimflam Bay"]
MISSPELT = [
    "Kundoz",
    "Qala i Naw",
    "Herrat",
    "Mazar Sharif",
    "Kharkov",
    "Bakhmutt",
    "Aleppoo",
    "Kandahaar",
    "Spin Buldak",
    "Omdurmann",
    "El Fashir",
    "Lashkargah",
]


def _date_phrase(rng: random.Random, published: datetime) -> str:
    back = timedelta(days=rng.randint(0, 5))
    day = published - back
    return rng.choice(
        [
            f"on {WEEKDAYS[day.weekday()]}",
            f"on {day.day} {day:%B}",
            f"on {day:%B} {day.day}th",
            f"on {WEEKDAYS[day.weekday()]} night",
            "yesterday",
            "earlier this week",
            "",
        ]
    )


def _fill(template: str, rng: random.Random, ctx: dict, *, sentence: bool = True) -> str:
    values = {
        **ctx,
        "D": _date_phrase(rng, ctx["when"]),
        "n": rng.randint(2, 90),
        "m": rng.randint(2, 40),
        "k": rng.choice([40, 120, 300, 600, 1000]),
        "small": rng.randint(1, 4),
        "tiny": rng.randint(0, 1),
        "ord": rng.choice(["second", "third", "fourth", "fifth"]),
        "hour": rng.choice(["dusk", "midnight", "noon", "nine", "ten"]),
    }
    text = template.format(**values).replace("  ", " ").replace(" ,", ",").replace(" .", ".")
    return text[0].upper() + text[1:] if sentence else text


def _filler(rng: random.Random, ctx: dict, quiet: bool) -> str:
    subjects, predicates = (QUIET_SUBJECTS, QUIET_PREDICATES) if quiet else (SUBJECTS, PREDICATES)
    clause = _fill(f"{rng.choice(subjects)} {rng.choice(predicates)}", rng, ctx, sentence=False)
    form = rng.randrange(4)
    if form == 0:
        return f"{rng.choice(NAMES)}, a {rng.choice(ROLES)}, said {clause}."
    if form == 1:
        return f"According to {rng.choice(SPEAKERS).lower()}, {clause}."
    if form == 2:
        return f"{clause[0].upper()}{clause[1:]}, {rng.choice(SPEAKERS).lower()} said."
    return f"{rng.choice(SPEAKERS)} in {ctx['P']} {rng.choice(SAYS)} {clause}."


def _article(rng: random.Random, index: int, n: int, weights: list[float]) -> ParsedArticle:
    if rng.random() < QUIET_SHARE:
        name, country, province = rng.choices(QUIET, weights[: len(QUIET)])[0], "quiet", None
    else:
        name, country, province = rng.choices(PLACES, weights)[0]
    published = END - SPAN * (1 - index / max(1, n)) - timedelta(minutes=rng.randint(0, 480))
    outlet = rng.choice(OUTLETS)
    if country == "quiet":
        ctx = {"P": name, "Q": rng.choice([q for q in QUIET if q != name]), "when": published}
        body = [_fill(t, rng, ctx) for t in rng.sample(QUIET_SENTENCES, rng.randint(2, 4))]
        title = _fill(rng.choice(QUIET_TITLES), rng, ctx)
    else:
        gov, ins, speakers, local = THEATRES[country]
        other = rng.choice([e.split("/")[0] for e in local if not e.startswith(name + "/")])
        ctx = {
            "P": name,
            "Q": other,
            "R": province or name,
            "G": rng.choice(gov),
            "I": rng.choice(ins),
            "S": rng.choice(speakers),
            "when": published,
            "day": WEEKDAYS[published.weekday()],
        }
        body = [_fill(rng.choice(CONTROL), rng, ctx) for _ in range(rng.randint(1, 3))]
        body += [_fill(rng.choice(CASUALTY), rng, ctx) for _ in range(rng.randint(0, 2))]
        body += [_fill(rng.choice(EVENT), rng, ctx) for _ in range(rng.randint(1, 2))]
        title = _fill(rng.choice(TITLES), rng, ctx)
    for _ in range(rng.randint(5, 10)):
        body.insert(rng.randint(1, len(body)), _filler(rng, ctx, country == "quiet"))
    extra = QUIET_BACKGROUND if country == "quiet" else BACKGROUND
    body += [_fill(t, rng, ctx) for t in rng.sample(extra, rng.randint(1, 3))]
    paragraphs = [" ".join(body[i : i + 3]) for i in range(0, len(body), 3)]
    kind, text = "feed", "\n\n".join(paragraphs)
    if rng.random() < 0.05:  # a plain-text report: hard-wrapped, double spaces, a rule
        kind = "text"
        wrapped = [textwrap.fill(p.replace(". ", ".  "), 72) for p in paragraphs]
        text = "\n\n***\n\n".join(wrapped)
    slug = "-".join(title.lower().replace(":", "").replace("?", "").split()[:6])
    domain = outlet.lower().replace(" ", "-") + ".example"
    url = f"https://{domain}/{published:%Y/%m/%d}/{slug}-{index}/"
    return ParsedArticle(
        title=title,
        text=text,
        url=url,
        guid=f"{domain}-{index}",
        published=published,
        published_from="feed",
        source_name=outlet,
        kind=kind,
    )


def _rewrite(rng: random.Random, base: ParsedArticle, index: int) -> ParsedArticle:
    """The same story told by another outlet: paragraphs reordered, one dropped, a verb
    changed, the title prefixed ("UPDATE: ")."""
    paragraphs = [" ".join(p.split()) for p in base.text.split("\n\n") if p.strip() != "***"]
    if len(paragraphs) > 2:
        paragraphs.pop(rng.randrange(1, len(paragraphs)))
    cut = rng.randrange(len(paragraphs))
    paragraphs[0], paragraphs[cut] = paragraphs[cut], paragraphs[0]
    text = "\n\n".join(paragraphs).replace(" said", " told reporters", 1)
    outlet = rng.choice([o for o in OUTLETS if o != base.source_name])
    domain = outlet.lower().replace(" ", "-") + ".example"
    published = base.published + timedelta(minutes=rng.randint(20, 600))
    return ParsedArticle(
        title=rng.choice(REWRITE_INTROS) + base.title,
        text=text,
        url=f"https://{domain}/{published:%Y/%m/%d}/story-{index}/",
        guid=f"{domain}-{index}",
        published=published,
        published_from="feed",
        source_name=outlet,
        kind="feed",
    )


def generate(n: int, seed: int = 1) -> list[ParsedArticle]:
    """`n` articles, oldest first; the same `n` and `seed` always give the same articles.

    About 12% retell a recent story (near duplicates) and 1% are the very same item seen
    again in another feed (with tracking parameters on its URL).
    """
    rng = random.Random(seed)
    weights = [1 / (rank + 1) ** 1.1 for rank in range(len(PLACES))]
    articles: list[ParsedArticle] = []
    for index in range(n):
        roll = rng.random()
        if articles and roll < 0.12:
            base = articles[-rng.randint(1, min(50, len(articles)))]
            articles.append(_rewrite(rng, base, index))
        elif articles and roll < 0.13:
            base = articles[-rng.randint(1, min(50, len(articles)))]
            articles.append(ParsedArticle(**{**base.__dict__, "url": f"{base.url}?utm_source=rss"}))
        else:
            articles.append(_article(rng, index, n, weights))
    return articles


def write_feeds(n: int, directory: Path, per_feed: int = 100, seed: int = 1) -> list[Path]:
    """The corpus as RSS 2.0 files of `per_feed` items each, grouped by outlet."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    by_outlet: dict[str, list[ParsedArticle]] = {}
    for article in generate(n, seed):
        by_outlet.setdefault(article.source_name or "Unknown", []).append(article)
    paths = []
    for outlet, items in sorted(by_outlet.items()):
        for part, start in enumerate(range(0, len(items), per_feed)):
            entries = "".join(_item(a) for a in items[start : start + per_feed])
            path = directory / f"{outlet.lower().replace(' ', '-')}-{part:04d}.xml"
            path.write_text(
                '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
                'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
                f"<title>{escape(outlet)}</title><link>https://example.org/</link>"
                f"<description>Synthetic feed</description>\n{entries}</channel></rss>\n",
                encoding="utf-8",
            )
            paths.append(path)
    return paths


def _item(a: ParsedArticle) -> str:
    html = "".join(f"<p>{escape(p)}</p>" for p in a.text.split("\n\n"))
    return (
        f"<item><title>{escape(a.title)}</title><link>{escape(a.url or '')}</link>"
        f'<guid isPermaLink="false">{escape(a.guid or "")}</guid>'
        f"<pubDate>{format_datetime(a.published)}</pubDate>"
        f"<content:encoded><![CDATA[{html}]]></content:encoded></item>\n"
    )


class Ticker:
    """A clock for the ingest: each reading is a little later, ending at `END`."""

    def __init__(self, n: int) -> None:
        self.step, self.now = SPAN / max(1, n), END - SPAN

    def __call__(self) -> datetime:
        self.now += self.step
        return self.now


def bench_settings(database: Path, **extra: object):
    """Settings for a bench App: the given database, the repo's gazetteer and seeds."""
    from bot.settings import Settings

    return Settings(
        _env_file=None,
        SITREP_DB=str(database),
        SITREP_GAZETTEER_DB=str(ROOT / "data" / "gazetteer.db"),
        SITREP_SEEDS_DIR=str(ROOT / "seeds"),
        **extra,
    )


def database_path(n: int, with_places: bool = True) -> Path:
    return OUT / f"corpus-{n}{'' if with_places else '-noplaces'}.db"


def build_database(
    path: Path | None,
    n: int,
    *,
    with_places: bool = True,
    seed: int = 1,
    batch: int = 500,
    rebuild: bool = False,
) -> dict:
    """Ingest `n` generated articles into `path` through the real pipeline, once.

    The file is reused while the corpus version, size, seed and places switch match (the
    build's figures are kept next to it in a .json file). Returns those figures.
    """
    from bot.app import App

    path = Path(path or database_path(n, with_places))
    meta_path = path.with_suffix(".json")
    key = {"version": VERSION, "n": n, "seed": seed, "with_places": with_places}
    if path.exists() and meta_path.exists() and not rebuild:
        stats = json.loads(meta_path.read_text())
        if stats.get("key") == key:
            print(
                f"reusing {path} ({stats['articles']} articles, built at "
                f"{stats['rate']:.0f} articles/s)"
            )
            return stats
    tmp = path.with_name(path.name + ".building")
    for stale in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        stale.unlink(missing_ok=True)
    started = time.perf_counter()
    articles = generate(n, seed)
    generated = time.perf_counter() - started
    app = App(bench_settings(tmp), clock=Ticker(n), with_places=with_places)
    t0 = time.perf_counter()
    app.ingestor  # noqa: B018  (opens, or first builds, the gazetteer)
    gazetteer_s = time.perf_counter() - t0
    print(f"generated {n} articles in {generated:.1f} s; gazetteer ready in {gazetteer_s:.1f} s")
    added = duplicates = failed = 0
    t0 = window_t = time.perf_counter()
    window_n = 0
    for start in range(0, n, batch):
        report = app.ingestor.ingest_articles(articles[start : start + batch])
        added, duplicates, failed = (
            added + report.added,
            duplicates + report.duplicates,
            failed + report.failed,
        )
        done = min(n, start + batch)
        if done - window_n >= 10_000 or done == n:
            now = time.perf_counter()
            print(
                f"  {done:>7} ingested  {done / (now - t0):6.0f}/s overall  "
                f"{(done - window_n) / (now - window_t):6.0f}/s last {done - window_n}",
                flush=True,
            )
            window_t, window_n = now, done
    seconds = time.perf_counter() - t0
    counts = {
        t: app.db.query_one(f"SELECT count(*) FROM {t}")[0]
        for t in ("articles", "stories", "mentions", "claims", "casualties", "events")
    }
    app.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    app.db.close()
    os.replace(tmp, path)
    for side in ("-wal", "-shm"):
        Path(f"{tmp}{side}").unlink(missing_ok=True)
    stats = {
        "key": key,
        "articles": n,
        "added": added,
        "duplicates": duplicates,
        "failed": failed,
        "seconds": round(seconds, 1),
        "rate": n / seconds,
        "gazetteer_seconds": round(gazetteer_s, 1),
        "rows": counts,
        "megabytes": round(path.stat().st_size / 2**20, 1),
    }
    meta_path.write_text(json.dumps(stats, indent=1))
    print(
        f"built {path}: {n} articles in {seconds:.1f} s = {stats['rate']:.0f} articles/s; "
        f"{added} stored, {duplicates} duplicates, {failed} failed; {counts}; "
        f"{stats['megabytes']} MB"
    )
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--no-places", action="store_true", help="skip places and claims")
    parser.add_argument("--rebuild", action="store_true", help="ignore a cached database")
    parser.add_argument("--profile", action="store_true", help="cProfile the build (top 25)")
    parser.add_argument("--feeds", type=Path, help="write RSS files here instead of building")
    args = parser.parse_args()
    if args.feeds:
        paths = write_feeds(args.articles, args.feeds, seed=args.seed)
        print(f"wrote {len(paths)} feeds to {args.feeds}")
        return
    def build() -> object:
        return build_database(
            None,
            args.articles,
            with_places=not args.no_places,
            seed=args.seed,
            batch=args.batch,
            rebuild=args.rebuild or args.profile,
        )

    if not args.profile:
        build()
        return
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(build)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
