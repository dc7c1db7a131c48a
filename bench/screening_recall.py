"""The screening benchmark's recall check: every form a listed name takes, the
timings' query mix, and a rapidfuzz pass over every name on the list to compare
the indexed screening with (used by ``bench/screening.py``)."""

import functools
import os
import random
import sys
import time
from itertools import compress
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

from screening_data import SURNAMES, Names, bench_today, entry_ric, entry_uscc  # noqa: E402


def entry_sample(count: int, rng: random.Random, kind: str | None = None):
    """``count`` entries on the list: (n, name, kind, uscc)."""
    from blacklist.models import Entry

    queryset = Entry.objects.active(bench_today())
    if kind:
        queryset = queryset.filter(party_kind=kind)
    top = Entry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    picked, seen = [], set()
    while len(picked) < count:
        ids = [rng.randint(1, top) for _ in range(count * 2)]
        rows = queryset.filter(pk__in=ids).values_list("pk", "name", "party_kind", "uscc")
        for pk, name, party_kind, uscc in rows:
            if pk not in seen and len(picked) < count:
                seen.add(pk)
                picked.append((pk - 1, name, party_kind, uscc))
    return picked


def _full_width(text: str) -> str:
    return "".join(
        "\u3000" if ch == " " else chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text
    )


@functools.lru_cache(maxsize=1)
def _s2t():
    """OpenCC's simplified-to-traditional converter, loaded once (50 ms a load)."""
    import opencc

    return opencc.OpenCC("s2t")


def name_variants(name: str, kind: str) -> list[tuple[str, str]]:
    """The forms a listed name takes on a platform: (label, form)."""
    from pypinyin import Style, lazy_pinyin

    s2t = _s2t()
    forms = [
        ("simplified", name),
        ("traditional", s2t.convert(name)),
        ("middle dot", "·".join(name) if kind == "person" else name[:2] + " " + name[2:]),
    ]
    if kind == "person":
        family_length = 2 if name[:2] in SURNAMES else 1
        plain = lazy_pinyin(name, style=Style.NORMAL)
        toned = lazy_pinyin(name, style=Style.TONE)
        family, given = "".join(plain[:family_length]), "".join(plain[family_length:])
        family_t, given_t = "".join(toned[:family_length]), "".join(toned[family_length:])
        forms += [
            ("pinyin", " ".join(p.title() for p in plain)),
            ("pinyin, tones", " ".join(p.title() for p in toned)),
            ("pinyin, given name first", f"{given.title()} {family.upper()}"),
            ("pinyin, tones, given name first", f"{given_t} {family_t}"),
            ("passport form", f"{family.upper()} {given.title()}"),
            ("pinyin joined", family + given),
            ("full-width pinyin", _full_width(f"{family.upper()} {given.upper()}")),
        ]
    return forms


def timing_queries(count: int, rng: random.Random, names: Names):
    """A realistic mix for the timings: listed names in other forms, unknown names,
    identifiers listed or not."""
    from blacklist.screening.matching import ScreeningQuery

    sample = entry_sample(max(1, count // 2), rng)
    queries = []
    for i in range(count):
        n, name, kind, uscc = sample[i % len(sample)]
        roll = rng.random()
        if roll < 0.4:
            forms = name_variants(name, kind)
            queries.append(ScreeningQuery(name=rng.choice(forms)[1]))
        elif roll < 0.7:
            queries.append(ScreeningQuery(name=names.person()))
        elif roll < 0.9:
            listed = kind == "person" and rng.random() < 0.5
            number = entry_ric(n) if listed else entry_ric(5_000_000 + rng.randint(0, 999_999))
            queries.append(ScreeningQuery(name=names.person(), id_number=number))
        else:
            queries.append(ScreeningQuery(uscc=uscc or entry_uscc(3_000_000 + i)))
    return queries


# --- brute force ------------------------------------------------------------------


class BruteForce:
    """Every name on the list in memory, in the forms ``score_names`` compares; a query is
    compared with all of them (rapidfuzz ``process.extract``, cut-offs below which the score
    cannot reach the threshold), then scored by ``score_names`` exactly as screening does."""

    def __init__(self, rows):
        from blacklist.screening.names import _orders, normalise, scored_syllables

        started = time.perf_counter()
        by_name: dict[str, list[int]] = {}
        self.hashes: list[str] = []
        self.usccs: list[str] = []
        self.ids: list[int] = []
        for pk, name, hashed, uscc in rows:
            by_name.setdefault(name, []).append(pk)
            self.ids.append(pk)
            self.hashes.append(hashed)
            self.usccs.append(uscc)
        self.names = list(by_name)
        self.owners = [by_name[name] for name in self.names]
        self.forms = [normalise.__wrapped__(name) for name in self.names]
        self.han, self.cores = [], []
        # Every order of every syllable sequence the scorer compares, joined: the scorer's
        # similarity of two names is never above the ratio of their joined syllables in the
        # order it aligned them, so a cut-off on that ratio drops no hit.
        self.all_joined, self.all_joined_owner = [], []
        self.latin_joined, self.latin_joined_owner = [], []
        for index, form in enumerate(self.forms):
            self.han.append(form.han)
            self.cores.append(form.org_core or form.han)
            for syllables in scored_syllables(form):
                for order in _orders(syllables):
                    joined = "".join(order)
                    self.all_joined.append(joined)
                    self.all_joined_owner.append(index)
                    if not form.han:
                        self.latin_joined.append(joined)
                        self.latin_joined_owner.append(index)
        print(
            f"brute force: {len(self.ids):,} entries on the list, {len(self.names):,} distinct "
            f"names, {len(self.all_joined):,} pinyin forms in memory "
            f"({time.perf_counter() - started:.0f} s)"
        )

    def match(self, query) -> set[int]:
        from rapidfuzz import fuzz, process

        from blacklist.screening.names import (
            HIT_THRESHOLD,
            normalise,
            score_names,
            scored_syllables,
        )
        from portal.identity import identity_hash

        found: set[int] = set()
        # Identifiers: every entry's compared, in C (map of str.__eq__), not in a Python loop.
        if query.id_number.strip():
            hashed = identity_hash(query.id_number)
            found.update(compress(self.ids, map(hashed.__eq__, self.hashes)))
        if query.uscc.strip():
            uscc = query.uscc.strip().upper()
            found.update(compress(self.ids, map(uscc.__eq__, self.usccs)))
        if not query.name.strip():
            return found
        form = normalise(query.name)
        if not form.variants:
            return found
        candidates: set[int] = set()
        if form.han:
            # Both in characters: 0.7 × h + 0.3 × p ≥ 0.85 needs h ≥ 0.786 (p ≤ 1), where h
            # is the ratio of the characters or 0.95 × the ratio of the organisation cores.
            for _c, _s, index in process.extract(
                form.han, self.han, scorer=fuzz.ratio, score_cutoff=78, limit=None
            ):
                candidates.add(index)
            for _c, _s, index in process.extract(
                form.org_core or form.han,
                self.cores,
                scorer=fuzz.ratio,
                score_cutoff=82,
                limit=None,
            ):
                candidates.add(index)
            # Against names in Latin letters: 0.95 × p ≥ 0.85.
            joined_list, joined_owner = self.latin_joined, self.latin_joined_owner
        else:
            joined_list, joined_owner = self.all_joined, self.all_joined_owner
        # Pinyin: p ≥ 0.85 at least in every case, and p is at most the ratio of the query's
        # joined syllables to the entry's in the order the scorer aligned them.
        for syllables in scored_syllables(form):
            for _c, _s, index in process.extract(
                "".join(syllables), joined_list, scorer=fuzz.ratio, score_cutoff=84, limit=None
            ):
                candidates.add(joined_owner[index])
        for index in candidates:
            if score_names(form, self.forms[index]).score >= HIT_THRESHOLD:
                found.update(self.owners[index])
        return found


# --- roster job -------------------------------------------------------------------
