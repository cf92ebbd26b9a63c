"""Hangul as a Korean keyboard makes it: the keys behind each syllable, the states an
input method (두벌식, the standard layout) shows while a word is typed, and initial
consonants (초성). The search tests type through these states and query by initials."""

from __future__ import annotations

from dataclasses import dataclass

INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
FINALS = ["", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"]
# letters typed with two keys: a vowel pair or a final consonant cluster
PAIRS = {
    **{
        "ㅘ": "ㅗㅏ",
        "ㅙ": "ㅗㅐ",
        "ㅚ": "ㅗㅣ",
        "ㅝ": "ㅜㅓ",
        "ㅞ": "ㅜㅔ",
        "ㅟ": "ㅜㅣ",
        "ㅢ": "ㅡㅣ",
    },
    **{"ㄳ": "ㄱㅅ", "ㄵ": "ㄴㅈ", "ㄶ": "ㄴㅎ", "ㄺ": "ㄹㄱ", "ㄻ": "ㄹㅁ", "ㄼ": "ㄹㅂ"},
    **{"ㄽ": "ㄹㅅ", "ㄾ": "ㄹㅌ", "ㄿ": "ㄹㅍ", "ㅀ": "ㄹㅎ", "ㅄ": "ㅂㅅ"},
}
JOIN = {keys: letter for letter, keys in PAIRS.items()}
NOT_FINAL = set("ㄸㅃㅉ")  # consonants that never end a syllable


def is_syllable(char: str) -> bool:
    return "가" <= char <= "힣"


def parts(syllable: str) -> tuple[str, str, str]:
    """(initial, vowel, final) of a precomposed syllable: 린 -> (ㄹ, ㅣ, ㄴ)."""
    code = ord(syllable) - 0xAC00
    return INITIALS[code // 588], VOWELS[code % 588 // 28], FINALS[code % 28]


def syllable(initial: str, vowel: str, final: str = "") -> str:
    return chr(
        0xAC00 + INITIALS.index(initial) * 588 + VOWELS.index(vowel) * 28 + FINALS.index(final)
    )


def keys(text: str) -> str:
    """The keys that type `text`: 그린렛 -> ㄱㅡㄹㅣㄴㄹㅔㅅ, 와 -> ㅇㅗㅏ."""
    out = []
    for char in text:
        letters = "".join(parts(char)) if is_syllable(char) else char
        out.append("".join(PAIRS.get(letter, letter) for letter in letters))
    return "".join(out)


def initials(text: str) -> str:
    """Each syllable's initial consonant, other characters kept: 타임아웃 -> ㅌㅇㅇㅇ."""
    return "".join(parts(c)[0] if is_syllable(c) else c for c in text)


@dataclass(frozen=True)
class Step:
    """One keystroke's effect: text committed, a key typed as itself (not Hangul), and
    the syllable now being composed. `shown` is what the box then holds."""

    commit: str
    key: str
    composing: str
    shown: str


@dataclass
class _Syllable:
    initial: str = ""
    vowel: str = ""
    final: str = ""

    def text(self) -> str:
        if self.initial and self.vowel:
            return syllable(self.initial, self.vowel, self.final)
        return self.initial or self.vowel


def ime_steps(text: str) -> list[Step]:
    """What a 두벌식 input method does, key by key, while `text` is typed: ㄱ, 그, 글,
    (commit 그) 리, 린, (commit 린) ㄹ, 레, 렛. A consonant first joins the syllable as
    its final and moves on when a vowel follows. The last syllable stays composing."""
    steps: list[Step] = []
    done = ""  # committed so far
    now = _Syllable()

    def emit(commit: str = "", key: str = "") -> None:
        steps.append(Step(commit, key, now.text(), done + now.text()))

    for char in text:
        if not (is_syllable(char) or "ㄱ" <= char <= "ㅣ"):
            commit, now = now.text(), _Syllable()
            done += commit + char
            emit(commit, char)
            continue
        for key in keys(char):
            commit = ""
            if key in VOWELS:
                if now.final:  # the (last key of the) final moves to the new syllable
                    split = PAIRS.get(now.final, now.final)
                    now.final = JOIN.get(split[:-1], split[:-1])
                    commit, now = now.text(), _Syllable(initial=split[-1], vowel=key)
                elif now.initial and not now.vowel:
                    now.vowel = key
                elif now.vowel and JOIN.get(now.vowel + key) in VOWELS and not now.final:
                    now.vowel = JOIN[now.vowel + key]
                else:
                    commit, now = now.text(), _Syllable(vowel=key)
            else:
                if now.initial and now.vowel and not now.final and key not in NOT_FINAL:
                    now.final = key
                elif now.final and JOIN.get(now.final + key) in FINALS:
                    now.final = JOIN[now.final + key]
                else:
                    commit, now = now.text(), _Syllable(initial=key)
            done += commit
            emit(commit)
    return steps
