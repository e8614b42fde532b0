"""Canonical URLs, content hashes and MinHash: the same article, the same story."""

import os
import subprocess
import sys

import pytest

from briefing.dedup import (
    BANDS,
    SAME_STORY,
    canonical_url,
    content_hash,
    lsh_keys,
    minhash,
    similarity,
)

WIRE = """KABUL (Reuters) - Taliban fighters stormed Qala-e-Naw, the capital of Badghis province, on Wednesday and freed around 600 prisoners from the central prison, officials said.

The insurgents seized key government buildings, including the police headquarters and the intelligence office, before government forces launched a counter-attack with air support.

Afghan security forces later regained control of the city, the Defense Ministry said in a statement on Thursday. It said 69 Taliban fighters were killed and 23 others wounded in operations on the outskirts of Qala-e-Naw.

Clashes were still going on in the outskirts of the city, a provincial council member said. Most of the rest of Badghis province is in Taliban hands.

The attack on Qala-e-Naw was the first time the Taliban had entered a provincial capital since foreign forces began their final withdrawal in May.

Reporting by Kabul newsroom; Editing by Alex Richardson

Our Standards: The Thomson Reuters Trust Principles."""  # noqa: E501

# The same facts from another outlet: new intro, paragraphs reordered, light edits,
# its own boilerplate.
REWRITE = """Afghan forces push Taliban out of Badghis capital after prison break

Afghan security forces have regained control of Qala-e-Naw, the capital of Badghis province, a day after Taliban fighters stormed the city and freed around 600 prisoners from the central prison, officials said.

The Defense Ministry said in a statement on Thursday that 69 Taliban fighters were killed and 23 others wounded in operations on the outskirts of Qala-e-Naw. Clashes were still going on in the outskirts of the city, a provincial council member said.

On Wednesday the insurgents seized key government buildings, among them the police headquarters and the intelligence office, before government forces launched a counter-attack with air support.

It was the first time the Taliban had entered a provincial capital since foreign forces began their final withdrawal in May. Most of the rest of Badghis province is in Taliban hands.

Follow our live coverage of the war in Afghanistan. Sign up for our morning newsletter to get the day's top stories."""  # noqa: E501

# Another story on the same front, with many of the same names.
OTHER = """Taliban fighters captured the Islam Qala border crossing with Iran on Thursday, officials said, cutting one of Afghanistan's main trade routes as the insurgents pressed their offensive in the west of the country.

Two security officials in Herat province said government forces and customs staff withdrew toward the provincial capital after several hours of fighting. Some soldiers crossed into Iran, an Iranian border official told state media.

A Taliban spokesman said the group had taken control of the crossing and that trade would continue. The Afghan Defense Ministry said troops had been sent to retake the area and that Taliban fighters had been killed in operations across Herat, Badghis and Faryab provinces.

Most of the rest of Herat province is contested, officials said."""  # noqa: E501


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "HTTP://WWW.Example.COM:80/News/Story/?utm_source=rss&b=2&a=1&fbclid=x#top",
            "https://www.example.com/News/Story?a=1&b=2",
        ),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/?", "https://example.com/"),
        ("https://example.com:443/a/", "https://example.com/a"),
        ("https://example.com:8443/a/./b/../c/", "https://example.com:8443/a/c"),
        (
            "http://example.com/caf%c3%a9/%7Euser/a%2fb?q=a%20b&q2=%e2%9c%93&amp",
            "https://example.com/caf%C3%A9/~user/a%2Fb?amp&q=a%20b&q2=%E2%9C%93",
        ),
        ("https://example.com/path with space/é", "https://example.com/path%20with%20space/%C3%A9"),
        (
            "https://example.com/a?ref=rss&ref_src=tw&Utm_Medium=x&gclid=1&mc_cid=2&ns_mchannel=3",
            "https://example.com/a",
        ),
        ("https://example.com/a?id=7&spm=a.b&igshid=z&_ga=1", "https://example.com/a?id=7"),
        ("https://twitter.com/#!/user", "https://twitter.com/#!/user"),
        ("http://[2001:db8::1]:8080/x/", "https://[2001:db8::1]:8080/x"),
        ("  https://example.com/story  ", "https://example.com/story"),
        ("  mailto:desk@example.com ", "mailto:desk@example.com"),
        ("ftp://example.com/a/", "ftp://example.com/a/"),
        ("not a url", "not a url"),
    ],
)
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected


def test_canonical_url_is_idempotent():
    once = canonical_url("HTTP://Example.com/a/b/?z=1&utm_campaign=x&a=%7e#frag")
    assert (once, canonical_url(once)) == ("https://example.com/a/b?a=~&z=1",) * 2


def test_content_hash_folds_spacing_quotes_case_and_punctuation():
    variants = [
        ("Taliban storm Qala-e-Naw", "Fighters freed “around 600” prisoners. The city’s jail."),
        ("TALIBAN  STORM QALA E NAW", 'Fighters  freed "around 600"\nprisoners -- the citys jail'),
        (" Taliban storm Qala–e–Naw ", "fighters freed around 600 prisoners; the city's jail!"),
    ]
    assert {content_hash(t, x) for t, x in variants} == {"ac7ac753e3a48937929afa944083a81c7096697a"}


def test_content_hash_separates_title_from_text_and_tells_texts_apart():
    hashes = [
        content_hash("Taliban storm Qala-e-Naw", "Fighters freed ~600 prisoners."),
        content_hash("Taliban storm", "Qala-e-Naw fighters freed ~600 prisoners."),
        content_hash("Taliban storm Qala-e-Naw", "Fighters freed ~500 prisoners."),
    ]
    assert hashes == [
        "8bb431dbf3bf354cbc051fc20c034d0e726e189c",
        "528ff03e3ad83a76b1bd09b4b4ddad3853c093ec",
        "f6873b79fa05057a3b39e5ce668e0c0878303d6a",
    ]


def test_rewritten_story_is_the_same_story_and_another_story_is_not():
    wire, rewrite, other = minhash(WIRE), minhash(REWRITE), minhash(OTHER)
    scores = {
        "rewrite": similarity(wire, rewrite) >= SAME_STORY,
        "other": similarity(wire, other) >= SAME_STORY,
        "other vs rewrite": similarity(rewrite, other) >= SAME_STORY,
    }
    assert scores == {"rewrite": True, "other": False, "other vs rewrite": False}


def test_rewritten_story_shares_a_band_key_and_another_story_does_not():
    wire = set(lsh_keys(minhash(WIRE)))
    shared_with_rewrite = wire & set(lsh_keys(minhash(REWRITE)))
    shared_with_other = wire & set(lsh_keys(minhash(OTHER)))
    assert (len(shared_with_rewrite) > 0, shared_with_other) == (True, set())


def test_similarity_of_a_text_with_itself_and_with_nothing():
    sig = minhash(WIRE)
    assert [
        similarity(sig, sig),
        similarity(sig, minhash("")),
        similarity(minhash(""), minhash("")),
    ] == [
        1.0,
        0.0,
        0.0,
    ]


def test_similarity_rejects_signatures_of_different_lengths():
    with pytest.raises(ValueError, match="differ in length: 64 and 32"):
        similarity(minhash(WIRE), minhash(WIRE, num_perm=32))


def test_minhash_values_are_pinned():
    """Signatures are stored; a change here would orphan every stored band key."""
    text = "Taliban fighters stormed Qala-e-Naw on Wednesday and freed prisoners"
    assert minhash(text, num_perm=8) == (
        2618615222, 2618615222, 2618615222, 2684240011,
        488565748, 1163050357, 2618615222, 586325263,
    )  # fmt: skip
    assert minhash("Kunduz", num_perm=4) == (2491205592,) * 4
    assert lsh_keys(minhash(text, num_perm=8), bands=4) == [
        "00:08f57b1d70629546",
        "01:2185319dbe64e56f",
        "02:1dc4c38d52653756",
        "03:762e79a51be07207",
    ]


def test_minhash_is_the_same_in_another_process():
    code = "import sys; from briefing.dedup import minhash; print(minhash(sys.stdin.read()))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        input=WIRE,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "12345"},
    ).stdout
    assert out.strip() == str(minhash(WIRE))


def test_minhash_ignores_case_spacing_and_quotes():
    assert minhash("The city’s  outskirts\nare QUIET") == minhash("the city's outskirts are quiet")


def test_lsh_keys_shape():
    keys = lsh_keys(minhash(WIRE))
    assert [k[:3] for k in keys] == [f"{band:02d}:" for band in range(BANDS)]
    assert {len(k) for k in keys} == {19}


def test_lsh_keys_of_empty_text_and_bad_band_counts():
    assert lsh_keys(minhash("")) == []
    with pytest.raises(ValueError, match="64 values do not split into 10 bands"):
        lsh_keys(minhash(WIRE), bands=10)
