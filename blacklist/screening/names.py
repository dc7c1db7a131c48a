"""Screening: how names are normalised, indexed and scored (Order 117 Art. 8, 14).

Chinese names reach a platform in many forms: simplified or traditional
characters (张伟 / 張偉), full-width or half-width letters, spaces and middle
dots (张·伟), and pinyin with or without tones, family name first or last
(Zhang Wei, Zhāng Wěi, WEI Zhang, zhangwei). Every form is brought to a few
**keys**:

- ``h:`` the simplified Han string (NFKC, separators removed, traditional →
  simplified by OpenCC ``t2s``);
- ``p:`` / ``l:`` the syllables sorted and joined by spaces, ``pj:`` / ``lj:``
  the syllables joined without spaces in every rotation (family name first or
  last, whatever its length: 欧阳娜娜 → ouyangnana, nanaouyang, …) — ``p``
  for the pinyin of a name written in Han characters, ``l`` for a name
  written in Latin letters; a Han name's first character is also read in each
  of its readings, since surnames are often read otherwise than the word
  (单 shan, 曾 zeng), and ü as u, yu and v (吕: Lu, Lyu, Lv);
- ``o:`` an organisation's name without its legal-form suffix (有限公司, Co., Ltd.);
  ``od:`` that core with one character left out, at each place, so that a
  brand name one character off (杭州星河… / 杭州星光…) shares a key with it.

A query also looks up its near neighbours that could still reach the
threshold (each is scored against the query first): a Latin spelling cut into
pinyin syllables (``ZHANG Xiaowei`` → zhang xiao wei), with one syllable two
letters away at most (li → lin, lei; yang → wang; hua → han), left out or
added, and its joined form with one letter left out; a name in characters of
five or more with one character left out (``o:``/``od:``).

An entry's keys (:func:`entry_keys`) are written to ``EntryNameKey`` by the
service that creates it, and its normalised name (:func:`name_form_text`) to
``Entry.name_form`` by ``Entry.save``; a query looks up the entries sharing a
key with it (:func:`query_keys`: an indexed ``key IN (…)``, never a scan of the
list) and scores those few candidates from their stored forms
(:func:`stored_form`). A query in Han characters looks up Han entries
by their characters (``h:``, ``o:``) and Latin entries by its pinyin
(``l:``): a homophone written with other characters (张玮 for 张伟) is no
candidate, as it could not reach the threshold for a name of up to four
characters anyway. A query in Latin letters looks up both by its letters
(``p:``, ``l:``).

Scoring, from 0 to 1:

- identifier match: the keyed hash of the resident ID number, or the USCC,
  is equal → score **1.0** (exact);
- both names in Han characters: ``0.7 × similarity of the simplified
  characters + 0.3 × similarity of the pinyin`` (rapidfuzz ``ratio`` and
  ``token_sort_ratio``), so a homophone with other characters (张伟 / 张玮:
  0.7 × 0.5 + 0.3 × 1.0 = 0.65) stays well below an exact match (1.0);
- one name in Han characters, the other in Latin letters: ``0.95 × pinyin
  similarity`` (the characters cannot be compared, so homophones cannot be
  told apart: such a hit says so);
- both in Latin letters: the pinyin/Latin similarity.

Where a name is in Latin letters, the pinyin/Latin similarity compares
syllables one by one (a Latin spelling cut into pinyin syllables where it can
be), family name first or last: ``1 − letters changed / letters of both``, a
syllable without counterpart costing all its letters (Liu Ping / 李宇平: 0.8,
no longer the 0.93 of liuping / liyuping). Two names in characters keep the
``token_sort_ratio`` of their pinyin. Screening and the benchmark's brute force
use this one function, :func:`score_names`.

A name scoring at least :data:`HIT_THRESHOLD` (0.85) is a hit. A query's
score for an entry is the best of its identifier and name scores.
"""

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext_lazy as _
from pypinyin import Style, lazy_pinyin, pinyin
from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

HIT_THRESHOLD = 0.85
HAN_WEIGHT = 0.7
CROSS_SCRIPT_FACTOR = 0.95
MAX_ROTATED_TOKENS = 5
# The least pinyin similarity with which a Latin spelling can hit a name in characters.
_NEAR_CUTOFF = 100 * HIT_THRESHOLD / CROSS_SCRIPT_FACTOR
MIN_FUZZY_CORE = 5
# characters: shorter names are persons' (or too short to tell)

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
# Spaces, middle dots (· ・ • ‧ ∙ ⋅ .), hyphens, apostrophes, commas.
_SEPARATORS = re.compile(r"[\s·・•‧∙⋅.\-‐_,，、'’()（）]+")
_TONE_DIGIT = re.compile(r"(?<=[a-z])[1-5]\b")
_ORG_SUFFIXES_HAN = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团公司",
    "分公司",
    "公司",
    "工作室",
    "个体工商户",
    "商行",
    "经营部",
)
_ORG_SUFFIXES_LATIN = {"co", "company", "ltd", "limited", "inc", "llc", "corp", "corporation"}


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # imported late: it loads its dictionaries on first use

    return opencc.OpenCC("t2s")


def _strip_marks(text: str) -> str:
    """Drop tone marks and other combining marks: Zhāng Wěi → Zhang Wei, Lǚ → Lu."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _latin_tokens(text: str) -> list[str]:
    text = _TONE_DIGIT.sub("", _strip_marks(text).lower())
    return [token for token in _SEPARATORS.split(text) if token]


@dataclass(frozen=True)
class NameForm:
    """A name brought to comparable forms."""

    han: str
    variants: tuple[tuple[str, ...], ...]
    org_core: str = ""

    @property
    def is_han(self) -> bool:
        return bool(self.han)

    @property
    def tokens(self) -> tuple[str, ...]:
        return self.variants[0] if self.variants else ()


@lru_cache(maxsize=50_000)
def normalise(name: str) -> NameForm:
    """Bring ``name`` to its simplified Han string and its pinyin/Latin syllables.

    Cached: screening meets the same candidate names again and again."""
    text = unicodedata.normalize("NFKC", name or "").strip()
    if not text:
        return NameForm(han="", variants=())
    if _HAN.search(text):
        han = _t2s().convert(_SEPARATORS.sub("", text)).lower()
        readings = lazy_pinyin(han, style=Style.NORMAL, v_to_u=True, errors="default")
        syllables = ["".join(_latin_tokens(s)) or s for s in readings]
        variants = [tuple(syllables)]
        if any("ü" in r for r in readings):
            # 吕 is written Lü, Lu, Lyu (passports, GB/T 28039) or Lv (keyboards).
            for spelling in ("yu", "v"):
                variants.append(
                    tuple("".join(_latin_tokens(r.replace("ü", spelling))) for r in readings)
                )
        first_readings = pinyin(han[0], style=Style.NORMAL, heteronym=True, v_to_u=True)
        for reading in (first_readings[0] if first_readings else [])[:4]:
            reading = "".join(_latin_tokens(reading))
            alternative = (reading, *syllables[1:])
            if reading and alternative not in variants:
                variants.append(alternative)
        core = han
        for suffix in _ORG_SUFFIXES_HAN:
            if core.endswith(suffix) and len(core) - len(suffix) >= 2:
                core = core[: -len(suffix)]
                break
        return NameForm(han=han, variants=tuple(variants), org_core=core if core != han else "")
    tokens = _latin_tokens(text)
    core_tokens = [t for t in tokens if t not in _ORG_SUFFIXES_LATIN]
    core = " ".join(core_tokens) if core_tokens and core_tokens != tokens else ""
    return NameForm(han="", variants=(tuple(tokens),) if tokens else (), org_core=core)


# The stored form's layout (:func:`name_form_text`): raise it whenever :func:`normalise`
# changes what it gives, so that forms stored before are not used (nor trusted) again.
NAME_FORM_VERSION = 1


def name_form_text(name: str) -> str:
    """``normalise(name)`` as the text stored with an entry (``Entry.name_form``, written
    when the entry is saved): screening scores candidates from it instead of normalising
    their names again (pinyin and traditional-to-simplified conversion, 0.1 ms a name)."""
    form = normalise(name)
    return json.dumps(
        [NAME_FORM_VERSION, name, form.han, form.variants, form.org_core],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def stored_form(text: str, name: str) -> NameForm:
    """The form of ``name`` from its stored text; ``normalise(name)`` where the text is
    missing, of another version or of another name (written before a change)."""
    if text:
        try:
            version, stored_name, han, variants, org_core = json.loads(text)
        except (ValueError, TypeError):
            version = stored_name = None
        if version == NAME_FORM_VERSION and stored_name == name:
            return NameForm(han=han, variants=tuple(map(tuple, variants)), org_core=org_core)
    return normalise(name)


def _rotations(tokens: tuple[str, ...]) -> list[str]:
    """The syllables joined without spaces, family name first or last (any length)."""
    if len(tokens) > MAX_ROTATED_TOKENS:
        return ["".join(tokens)]
    return ["".join(tokens[i:] + tokens[:i]) for i in range(len(tokens))]


def _syllable_keys(prefix: str, form: NameForm) -> set[str]:
    keys = set()
    for tokens in form.variants:
        if tokens:
            keys.add(f"{prefix}:" + " ".join(sorted(tokens)))
            keys.update(f"{prefix}j:{joined}" for joined in _rotations(tokens))
    return keys


def _deletions(text: str) -> set[str]:
    """``text`` with one character left out, at each place (a deletion neighbourhood: two
    strings one edit apart share one of these, or one is among the other's)."""
    return {text[:i] + text[i + 1 :] for i in range(len(text))} - {""}


@lru_cache(maxsize=1)
def _syllable_inventory() -> frozenset[str]:
    """Every toneless pinyin syllable pypinyin knows (ü as u): about 420."""
    from pypinyin.constants import PINYIN_DICT

    syllables = set()
    for readings in PINYIN_DICT.values():
        for reading in readings.split(","):
            plain = _strip_marks(reading).replace("ü", "u")
            if plain.isascii() and plain.isalpha():
                syllables.add(plain)
    return frozenset(syllables)


@lru_cache(maxsize=1024)
def _syllable_neighbours(syllable: str) -> tuple[str, ...]:
    """The syllables two insertions or deletions away at most (one letter changed, added or
    dropped, or two): li → lin, lei, liu, …; yang → wang, yan, …; hua → han."""
    return tuple(
        sorted(
            other
            for other in _syllable_inventory()
            if other != syllable and Indel.distance(syllable, other, score_cutoff=2) <= 2
        )
    )


@lru_cache(maxsize=50_000)
def _segment(token: str) -> tuple[str, ...] | None:
    """A Latin token cut into the fewest pinyin syllables (xiaowei → xiao wei), or None."""
    inventory = _syllable_inventory()
    best: list[tuple[str, ...] | None] = [()] + [None] * len(token)
    for end in range(1, len(token) + 1):
        for start in range(max(0, end - 6), end):
            head = best[start]
            if (
                head is not None
                and token[start:end] in inventory
                and (best[end] is None or len(head) + 1 < len(best[end]))
            ):
                best[end] = (*head, token[start:end])
    return best[len(token)] or None


def _as_syllables(tokens: tuple[str, ...]) -> tuple[str, ...] | None:
    syllables = []
    for token in tokens:
        cut = _segment(token)
        if cut is None:
            return None
        syllables.extend(cut)
    return tuple(syllables) if len(syllables) <= MAX_ROTATED_TOKENS else None


def _near_syllables(syllables: tuple[str, ...]) -> list[tuple[tuple[str, ...], int, int]]:
    """The syllables with one of them a letter or two away (li yang min → lin yang min, li
    wang min, …), one of them left out, or one more: a Latin spelling that close to a name
    may reach the threshold (the caller keeps those that can).

    Each comes with bounds of the letters changed (:func:`_aligned_distance`, in any order)
    between it and ``syllables``: at least the difference of their letter counts, at most
    what aligning them in place costs. Where the two are equal (a syllable left out or
    added, li → lin) that is the distance, and the caller need not align them."""
    inventory = _syllable_inventory()
    if not all(s in inventory for s in syllables):
        return []
    near = []
    for i, syllable in enumerate(syllables):
        for other in _syllable_neighbours(syllable):
            near.append(
                (
                    (*syllables[:i], other, *syllables[i + 1 :]),
                    abs(len(syllable) - len(other)),
                    Indel.distance(syllable, other),
                )
            )
    if len(syllables) > 2:
        near += [
            (syllables[:i] + syllables[i + 1 :], len(syllable), len(syllable))
            for i, syllable in enumerate(syllables)
        ]
    if 2 <= len(syllables) < MAX_ROTATED_TOKENS:
        short = [other for other in inventory if len(other) <= 2]
        near += [((*syllables, other), len(other), len(other)) for other in short]
        near += [((other, *syllables), len(other), len(other)) for other in short]
    return near


def _trimmed(keys: set[str]) -> frozenset[str]:
    return frozenset(key[:200] for key in keys)


def entry_keys(form: NameForm) -> frozenset[str]:
    """The keys stored for an entry's name (see the module docstring)."""
    syllables = _syllable_keys("p" if form.han else "l", form)
    keys = syllables | {f"h:{form.han}"} if form.han else syllables
    if form.org_core:
        keys.add(f"o:{form.org_core}")
        if form.han and len(form.org_core) >= MIN_FUZZY_CORE:
            keys.update(f"od:{shorter}" for shorter in _deletions(form.org_core))
    return _trimmed(keys)


@lru_cache(maxsize=20_000)
def query_keys(form: NameForm) -> frozenset[str]:
    """The keys a screened name looks up (see the module docstring).

    Cached, as :func:`normalise` is: a Latin name's near spellings take a few
    milliseconds to weigh, and common names are screened again and again."""
    if form.han:
        keys = {f"h:{form.han}"} | _syllable_keys("l", form)
        core = form.org_core or form.han
        keys.add(f"o:{core}")
        if len(core) >= MIN_FUZZY_CORE:
            # One character more, fewer or another than a listed organisation's core.
            keys.add(f"od:{core}")
            for shorter in _deletions(core):
                keys.update((f"o:{shorter}", f"od:{shorter}"))
    else:
        keys = _syllable_keys("p", form) | _syllable_keys("l", form)
        for tokens in form.variants:
            syllables = _as_syllables(tokens)
            if syllables and syllables != tokens:
                # "Zhang Xiaowei" is zhang xiao wei: the passport form finds the characters.
                keys |= _syllable_keys("p", NameForm(han="", variants=(syllables,)))
            # Spellings a letter away, kept only where a name spelt so could still reach the
            # threshold (a changed letter in a short name cannot: li wang / li yang is 0.81).
            # Each is scored as screening would score a name spelt so against the query.
            # ``_pinyin_similarity`` is 1 − distance / letters of both: where the bounds of
            # the distance decide the cut-off (always, for a syllable left out or added),
            # the syllables need not be aligned (thousands of near spellings for a name of
            # three or four syllables); in between they are.
            asked = NameForm(han="", variants=(tokens,))
            letters = sum(map(len, syllables or tokens))
            for near, least, most in _near_syllables(syllables or tokens):
                key = "p:" + " ".join(sorted(near))
                if key in keys:
                    continue
                total = letters + sum(map(len, near))
                if 100 * (1 - most / total) >= _NEAR_CUTOFF:
                    keys.add(key)
                elif least < most and 100 * (1 - least / total) >= _NEAR_CUTOFF:
                    similarity = _pinyin_similarity(asked, NameForm(han="", variants=(near,)))
                    if 100 * similarity >= _NEAR_CUTOFF:
                        keys.add(key)
            for joined in _rotations(tokens):
                keys.update(
                    f"pj:{other}"
                    for other in _deletions(joined)
                    if fuzz.ratio(joined, other) >= _NEAR_CUTOFF
                )
        if form.org_core:
            keys.add(f"o:{form.org_core}")
    return _trimmed(keys)


@lru_cache(maxsize=50_000)
def entry_keys_for(name: str) -> frozenset[str]:
    return entry_keys(normalise(name))


def query_keys_for(name: str) -> frozenset[str]:
    return query_keys(normalise(name))


class Reason:
    """Why a hit is a hit: a message key and its numbers, worded only when shown
    (``str()``), so in the reader's language and not the worker's. Stored with a
    roster job's hits as ``[key, numbers]`` (:meth:`stored`, :func:`reason_text`)."""

    __slots__ = ("key", "numbers")

    def __init__(self, key: str, numbers: dict | None = None):
        self.key, self.numbers = key, numbers or {}

    def __str__(self) -> str:
        text = str(REASONS[self.key]) % self.numbers if self.numbers else str(REASONS[self.key])
        if self.key in NAME_REASONS:
            return str(_("name: %(why)s") % {"why": text})
        return text

    def __eq__(self, other) -> bool:
        return isinstance(other, Reason) and (self.key, self.numbers) == (other.key, other.numbers)

    def __repr__(self) -> str:
        return f"Reason({self.key!r}, {self.numbers!r})"

    def stored(self) -> list:
        return [self.key, self.numbers]


NAME_REASONS = {
    "name-same": _(
        "same name in simplified characters (after width, separator and "
        "traditional-to-simplified normalisation)"
    ),
    "name-similar": _("similar characters (%(similarity)d%%), pinyin %(pinyin)d%%"),
    "name-other": _("other characters (%(similarity)d%%), pinyin %(pinyin)d%%"),
    "name-cross-script": _(
        "pinyin of the characters matches the Latin spelling (%(pinyin)d%%); "
        "characters cannot be compared, so homophones match too"
    ),
    "name-latin": _("Latin spelling matches (%(pinyin)d%%, any order, without tones)"),
}
REASONS = {
    "id_number": _("resident ID number matches (keyed hash): exact"),
    "uscc": _("unified social credit code matches: exact"),
    **NAME_REASONS,
}


def reason_text(stored) -> str:
    """A stored reason in the reader's language; text stored before reasons had keys
    is shown as it was written."""
    if isinstance(stored, str):
        return stored
    key, numbers = stored
    return str(Reason(key, numbers)) if key in REASONS else key


@dataclass(frozen=True)
class NameScore:
    score: float
    why: Reason | None


def scored_syllables(form: NameForm) -> tuple[tuple[str, ...], ...]:
    """The syllable sequences the scorer compares: a name in characters by its readings, a
    Latin name cut into pinyin syllables where it can be (Zhang Xiaowei → zhang xiao wei,
    zhangwei → zhang wei), else by its words (Smith John)."""
    if form.han:
        return form.variants
    return _latin_syllables(form.variants)


@lru_cache(maxsize=50_000)
def _latin_syllables(variants: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    out = []
    for tokens in variants:
        cut = _as_syllables(tokens)
        syllables = cut or tokens
        if syllables not in out:
            out.append(syllables)
    return tuple(out)


def _orders(syllables: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Family name first or last: the rotations of the syllables (Wei Zhang, Xiaowei Zhang)."""
    if len(syllables) > MAX_ROTATED_TOKENS:
        return [syllables]
    return [syllables[i:] + syllables[:i] for i in range(len(syllables))]


def _aligned_distance(left: tuple[str, ...], right: tuple[str, ...]) -> int:
    """Letters inserted or deleted to turn ``left`` into ``right`` syllable by syllable: each
    syllable is compared with the one aligned with it, a syllable with no counterpart costs
    all its letters (li yu ping / liu ping: li↔liu 1, yu left out 2, ping↔ping 0 = 3)."""
    if len(left) == len(right):
        return sum(Indel.distance(a, b) for a, b in zip(left, right, strict=True))
    rows = len(left) + 1
    previous = [0] * (len(right) + 1)
    for j, b in enumerate(right, 1):
        previous[j] = previous[j - 1] + len(b)
    for i in range(1, rows):
        a = left[i - 1]
        current = [previous[0] + len(a)] + [0] * len(right)
        for j, b in enumerate(right, 1):
            current[j] = min(
                previous[j - 1] + Indel.distance(a, b),
                previous[j] + len(a),
                current[j - 1] + len(b),
            )
        previous = current
    return previous[-1]


def _pinyin_similarity(a: NameForm, b: NameForm) -> float:
    """Similarity of the syllables compared one by one, in either order (family name first
    or last): 1 − letters changed / letters of both. Two names are as alike as their aligned
    syllables, so a letter or two off in one syllable stays close (Zhang Wei / Zhang Wai)
    while a different number of syllables costs the syllable (Liu Ping / 李宇平 0.8, not the
    0.93 of the joined strings liuping / liyuping)."""
    best = 0.0
    for left in scored_syllables(a):
        total_left = sum(map(len, left))
        for right in scored_syllables(b):
            total = total_left + sum(map(len, right))
            if not total:
                continue
            distance = min(_aligned_distance(left, order) for order in _orders(right))
            if distance == 0:
                return 1.0
            best = max(best, 1 - distance / total)
    return best


def _han_pinyin_similarity(a: NameForm, b: NameForm) -> float:
    """The pinyin part of comparing two names in characters: the syllables in any order
    (rapidfuzz ``token_sort_ratio``), the joined forms too when the counts differ. Kept as
    it was: the characters weigh 0.7 and tell names apart; comparing these syllables one
    by one would lift organisations two characters apart (深圳贵河… / 深圳东美…) to hits."""
    best = 0.0
    for left in a.variants:
        for right in b.variants:
            best = max(best, fuzz.token_sort_ratio(" ".join(left), " ".join(right)))
            if best == 100:
                return 1.0
            if len(left) != len(right):
                joined_right = _rotations(right)
                for joined in _rotations(left):
                    best = max(best, max(fuzz.ratio(joined, other) for other in joined_right))
    return best / 100


def score_names(query: NameForm, entry: NameForm) -> NameScore:
    """How alike two normalised names are, from 0 to 1, and why (see the module docstring)."""
    if not (query.variants and entry.variants):
        return NameScore(0.0, None)
    if query.han and query.han == entry.han:
        return NameScore(1.0, Reason("name-same"))
    if query.is_han and entry.is_han:
        pinyin_similarity = _han_pinyin_similarity(query, entry)
        han_similarity = fuzz.ratio(query.han, entry.han) / 100
        if query.org_core or entry.org_core:
            cores = (query.org_core or query.han, entry.org_core or entry.han)
            han_similarity = max(han_similarity, 0.95 * fuzz.ratio(*cores) / 100)
        score = HAN_WEIGHT * han_similarity + (1 - HAN_WEIGHT) * pinyin_similarity
        numbers = {
            "similarity": round(han_similarity * 100),
            "pinyin": round(pinyin_similarity * 100),
        }
        key = "name-similar" if han_similarity >= 0.9 else "name-other"
        return NameScore(round(score, 4), Reason(key, numbers))
    pinyin_similarity = _pinyin_similarity(query, entry)
    numbers = {"pinyin": round(pinyin_similarity * 100)}
    if query.is_han or entry.is_han:
        score = CROSS_SCRIPT_FACTOR * pinyin_similarity
        return NameScore(round(score, 4), Reason("name-cross-script", numbers))
    return NameScore(round(pinyin_similarity, 4), Reason("name-latin", numbers))


def score_name_strings(query: str, entry: str) -> float:
    """The name score of two raw strings: what a test or a reviewer checks."""
    return score_names(normalise(query), normalise(entry)).score
