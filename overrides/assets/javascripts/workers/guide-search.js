/* The site's search worker: Material's own worker, imported below unchanged, plus what
   each language's readers type that Material's query language does not reach.

   the gevent-guide-i18n plugin (src/gevent_guide/site/) points Material at this file ("search" in the page's __config) and
   names Material's worker in the query string; each language's index says in
   config.expand which additions apply to it:

   "hangul"   Korean. Material matches a query word as a prefix of whole syllables, so
              그리 (typed on the way to 그린렛) or 글 (the same keys, before the input
              method moves the ㄹ to the next syllable) find nothing. Here a Hangul word
              also finds every indexed word it is a prefix of letter by letter (jamo:
              ㄱㅡㄹ is a prefix of ㄱㅡㄹㅣㄴㄹㅔㅅ), and a word of initial consonants only
              (ㄱㄹㄹ, 초성 검색) finds the words with those initials.
   "plurals"  English. Material adds `*` to every query term, which keeps lunr's stemmer
              away from it, so "semaphores" would never meet "semaphore": a plural word
              also searches for its singular.

   And an index whose pipeline leaves stop words out (config.pipeline: stopWordFilter,
   the English one) never holds in, of or the; with Material's `*` they would match every
   word that starts with them instead (in* finds install and introduction, so "Running in
   production" used to put the installation page first). A stop word the reader has
   finished typing (whitespace or a closing quote follows it) is dropped, unless nothing
   else would be left; the word still being typed stays (in may become install). Inside
   a quoted phrase it matters even more: Material makes each word of a phrase required,
   and no page holds a required in.

   Each rewrites the query text before Material's handler sees it (listeners run in the
   order they were added, and they share the message object). */

"use strict"

const SETUP = 0
const QUERY = 2

// lunr's query syntax: a word holding one of these is the reader's own query syntax
const SYNTAX = /[+\-~^:*"]/
const HANGUL = /[\u3131-\u318e\uac00-\ud7a3]/
const CONSONANTS_ONLY = /^[\u3131-\u314e]+$/
// more words than this and a rewritten query costs more than it finds (a lone ㄱ)
const MOST_WORDS = 60

const INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
// vowels and final consonants as the keys that type them: 와 is ㅇ ㅗ ㅏ, 닭 is ㄷ ㅏ ㄹ ㄱ
const VOWELS = [
  "ㅏ", "ㅐ", "ㅑ", "ㅒ", "ㅓ", "ㅔ", "ㅕ", "ㅖ", "ㅗ", "ㅗㅏ", "ㅗㅐ", "ㅗㅣ", "ㅛ", "ㅜ",
  "ㅜㅓ", "ㅜㅔ", "ㅜㅣ", "ㅠ", "ㅡ", "ㅡㅣ", "ㅣ",
]
const FINALS = [
  "", "ㄱ", "ㄲ", "ㄱㅅ", "ㄴ", "ㄴㅈ", "ㄴㅎ", "ㄷ", "ㄹ", "ㄹㄱ", "ㄹㅁ", "ㄹㅂ", "ㄹㅅ", "ㄹㅌ",
  "ㄹㅍ", "ㄹㅎ", "ㅁ", "ㅂ", "ㅂㅅ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ",
]
// a letter standing alone, as an input method shows it while composing: ㄺ is ㄹ ㄱ
const LONE = {
  "ㄳ": "ㄱㅅ", "ㄵ": "ㄴㅈ", "ㄶ": "ㄴㅎ", "ㄺ": "ㄹㄱ", "ㄻ": "ㄹㅁ", "ㄼ": "ㄹㅂ", "ㄽ": "ㄹㅅ",
  "ㄾ": "ㄹㅌ", "ㄿ": "ㄹㅍ", "ㅀ": "ㄹㅎ", "ㅄ": "ㅂㅅ", "ㅘ": "ㅗㅏ", "ㅙ": "ㅗㅐ", "ㅚ": "ㅗㅣ",
  "ㅝ": "ㅜㅓ", "ㅞ": "ㅜㅔ", "ㅟ": "ㅜㅣ", "ㅢ": "ㅡㅣ",
}

/** The keys that type `word`: 그린렛 -> ㄱㅡㄹㅣㄴㄹㅔㅅ (other characters stay). */
function jamo(word) {
  let keys = ""
  for (const char of word) {
    const code = char.charCodeAt(0) - 0xac00
    if (code >= 0 && code < 11172)
      keys += INITIALS[Math.floor(code / 588)] + VOWELS[Math.floor((code % 588) / 28)] +
        FINALS[code % 28]
    else
      keys += LONE[char] || char
  }
  return keys
}

/** The initial consonant of each syllable: 타임아웃 -> ㅌㅇㅇㅇ. */
function initials(word) {
  let found = ""
  for (const char of word) {
    const code = char.charCodeAt(0) - 0xac00
    found += code >= 0 && code < 11172 ? INITIALS[Math.floor(code / 588)] : char
  }
  return found
}

/* ---------------------------------------------------------------------- Korean words */

let index = null       // the lunr index Material built
let vocabulary = null  // its Hangul words: [{ term, keys, initials, concept, docs }]
const expanded = new Map()  // word -> what it stands for, for this index
// the longest word whose end or inner word boundary is guessed (a particle being typed,
// a compound without a space); the guesses try every cut, so longer words are not cut
const LONGEST_GUESS = 8

// fields that name what a page is about, as opposed to what its text mentions
const CONCEPT_FIELDS = ["title", "synonyms", "tags"]

function hangulVocabulary() {
  if (vocabulary === null) {
    vocabulary = []
    for (const [term, fields] of Object.entries(index ? index.invertedIndex : {}))
      if (HANGUL.test(term) && !SYNTAX.test(term))
        vocabulary.push({
          term,
          keys: jamo(term),
          initials: jamo(initials(term)),
          concept: CONCEPT_FIELDS.some(f => fields[f] && Object.keys(fields[f]).length),
          docs: new Set(Object.values(fields).flatMap(refs => Object.keys(refs))).size,
        })
    vocabulary.sort((a, b) => a.term.length - b.term.length || (a.term < b.term ? -1 : 1))
  }
  return vocabulary
}

/** As few of `terms` as cover them all: Material adds `*` to each, so 그린 also stands
    for 그린렛. */
function cover(terms) {
  const kept = []
  for (const term of terms)
    if (!kept.some(shorter => term.startsWith(shorter)) && kept.length < MOST_WORDS)
      kept.push(term)
  return kept
}

/** What a Hangul word may stand for, as groups of indexed words, each group one word
    of the reader's. The word itself, where an indexed word begins with it (Material's
    own prefix match), and the names of concepts (titles, synonyms) it may be the
    beginning of letter by letter (글 and 그리 on the way to 그린렛). A word of initials
    only (ㄱㄹㄹ) stands for the concepts with those initials. */
function expandHangul(word) {
  if (!expanded.has(word))
    expanded.set(word, expandUncached(word))
  return expanded.get(word)
}

function expandUncached(word) {
  const typed = jamo(word)
  const byInitials = CONSONANTS_ONLY.test(word) && word.length > 1
  const words = hangulVocabulary()
  const found = []
  if (!byInitials && words.some(entry => entry.term.startsWith(word)))
    found.push(word)
  const concepts = words.filter(entry => entry.concept)
  if (byInitials) {
    // initials that name a concept exactly (ㄷㄱ: 동기) before those it begins (대기열);
    // of two exact readings, the one this guide uses far more (동기 on many pages, 닫기
    // on a few: lunr would rank the rarer word first)
    const exact = concepts.filter(entry => entry.initials === typed)
    const most = Math.max(0, ...exact.map(entry => entry.docs))
    const best = exact.filter(entry => entry.docs * 2 >= most)
    found.push(...(best.length ? best : concepts.filter(e => e.initials.startsWith(typed)))
      .map(entry => entry.term))
  } else {
    found.push(...concepts.filter(e => e.keys.startsWith(typed)).map(entry => entry.term))
  }
  if (found.length)
    return [cover(found)]
  if (word.length > LONGEST_GUESS)
    return []  // a sentence without spaces: no guessing where its words end
  if (!byInitials && (word.length > 1 || /[\uac00-\ud7a3]/.test(word))) {
    // what was typed last may begin the next syllable, a particle: 이벤틀 and 이벤트르 on
    // the way to 이벤트를
    const last = word.charCodeAt(word.length - 1) - 0xac00
    const open = last >= 0 && last < 11172 && last % 28
      ? word.slice(0, -1) + String.fromCharCode(0xac00 + last - (last % 28))
      : word.slice(0, -1)
    const groups = open ? expandHangul(open) : []
    if (groups.length)
      return groups
  }
  return splitCompound(word, byInitials)
}

/** A compound written without a space (이벤트루프, 가상ㅎ on the way to 가상환경, or
    ㅇㅂㅌㄹㅍ by initials): a whole indexed word, then what the rest may stand for. */
function splitCompound(word, byInitials) {
  for (let cut = word.length - 1; cut > 0; cut--) {
    const head = jamo(word.slice(0, cut))
    const whole = hangulVocabulary()
      .filter(entry => byInitials ? entry.concept && entry.initials === head : entry.keys === head)
      .map(entry => entry.term)
    if (!whole.length)
      continue
    const rest = expandHangul(word.slice(cut))
    if (rest.length)
      return [cover(whole), ...rest]
  }
  return []
}

/** The query with each Hangul word replaced by the indexed words it may stand for. The
    more words one of the reader's words may stand for, the less each weighs: a precise
    word (DNS, 스레드) must not drown in what a lone ㅍ or ㅈㅎ could be. (lunr takes
    whole-number boosts only.) */
function rewriteHangul(query) {
  const groups = byPhrases(query.split(/\s+/).filter(Boolean)).flatMap(word => {
    if (Array.isArray(word))
      return [{ terms: word }]
    if (!HANGUL.test(word) || SYNTAX.test(word))
      return [{ word }]
    // the word as the index cut it (Greenlet을 -> Greenlet; 스레드풀에서 -> 스레드 풀)
    return word.split(lunr.tokenizer.separator).filter(Boolean).flatMap(part => {
      if (!HANGUL.test(part))
        return [{ word: part }]
      const found = expandHangul(part.toLowerCase())
      return found.length ? found.map(terms => ({ terms })) : [{ word: part }]
    })
  })
  const most = Math.max(1, ...groups.map(({ terms }) => (terms ? terms.length : 1)))
  return groups
    .map(({ word, terms }) => {
      if (most === 1)
        return word || terms.join(" ")
      if (!terms)
        return SYNTAX.test(word) ? word : `${word}*^${most}`
      const boost = Math.max(1, Math.round(most / terms.length))
      return terms.map(term => `${term}*^${boost}`).join(" ")
    })
    .join(" ")
}

/** Two-word concepts (config.phrases: 시간 제한, 가상 환경) typed as initials, word by
    word (ㅅㄱ ㅈㅎ): each replaced by the concept's words. Alone, ㅈㅎ could be many.
    And the second word of such a concept, begun after its first (컨텍스트 ㅅ and
    컨텍스트 스위 on the way to 컨텍스트 스위치): that word, not every word a lone ㅅ may
    begin, which would bury the concept under pages that merely mention 컨텍스트. */
function byPhrases(words) {
  const out = []
  for (let i = 0; i < words.length; i++) {
    const next = words[i + 1]
    const pair = `${words[i]} ${next}`
    const phrase = next !== undefined && CONSONANTS_ONLY.test(words[i] + next)
      ? phrases.find(p => jamo(initials(p)) === jamo(pair))
      : undefined
    if (phrase) {
      out.push(...phrase.split(" ").map(word => [word]))
      i++
      continue
    }
    out.push(words[i])
    const begun = next !== undefined && HANGUL.test(next)
      ? phrases
        .map(p => p.split(" "))
        .filter(([first, second]) => first === words[i] && second !== next
          && jamo(second).startsWith(jamo(next)))
        .map(([, second]) => second)
      : []
    if (begun.length) {
      out.push(begun)
      i++
    }
  }
  return out
}

/* ---------------------------------------------------------------------- English words */

function singular(word) {
  if (!/^[A-Za-z]{4,}$/.test(word) || /ss$/i.test(word)) return null
  if (/ies$/i.test(word)) return word.slice(0, -3) + "y"
  if (/(ch|sh|x|ss)es$/i.test(word)) return word.slice(0, -2)
  if (/s$/i.test(word)) return word.slice(0, -1)
  return null
}

/** The query without the stop words the reader has finished typing, unless nothing
    else is left. A word may open or close a quoted phrase ("in): its quote stays. */
function dropStopWords(query) {
  const words = query.split(/(\s+)/)  // words and the spaces after them
  let dropped = 0
  const kept = words.map((word, i) => {
    const bare = word.replace(/^"|[",.;!?]+$/g, "")  // "in -> in, in, -> in
    const finished = i + 1 < words.length || /."$/.test(word)
    const stop = bare && !SYNTAX.test(bare) && lunr.stopWordFilter(bare.toLowerCase()) === undefined
    if (!finished || !stop)
      return word
    dropped++
    return word.replace(bare, "")
  })
  if (!dropped || !kept.some(word => /[^\s"]/.test(word)))
    return query
  return kept.join("").replace(/\s+/g, " ")
}

function rewritePlurals(query) {
  const extra = query.split(/\s+/).map(singular).filter(Boolean)
  return extra.length ? `${query} ${extra.join(" ")}` : query
}

/* ------------------------------------------------------------------------ the worker */

const REWRITE = { hangul: rewriteHangul, plurals: rewritePlurals }
let rewrites = []
let phrases = []  // the Korean index's two-word concepts

addEventListener("message", ev => {
  const message = ev.data
  if (message && message.type === SETUP) {
    const config = message.data.config
    rewrites = (config.expand || []).map(name => REWRITE[name]).filter(Boolean)
    if ((config.pipeline || []).includes("stopWordFilter"))
      rewrites.unshift(dropStopWords)
    phrases = message.data.config.phrases || []
    index = vocabulary = null
    expanded.clear()
  } else if (message && message.type === QUERY && typeof message.data === "string") {
    message.data = rewrites.reduce((query, rewrite) => rewrite(query), message.data)
  }
})

importScripts(new URL(self.location.href).searchParams.get("material"))

// keep the index Material builds, for its list of words
const build = lunr.Builder.prototype.build
lunr.Builder.prototype.build = function () {
  index = build.call(this)
  return index
}
