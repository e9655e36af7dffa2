import { createRequire } from 'node:module'
import { type Lexicon } from '../../shared/depersonalise'

// NOTE: the word lists are 3 MB of JSON each; `require` loads them on the first call rather than at
// start-up, and keeps them out of the Remix server bundle (esbuild leaves a runtime require alone).
const requireJson = createRequire(import.meta.url)

/** Given names in use in England that are English words missing from `humannames`. */
const EXTRA_NAMES = ['legend', 'gem', 'valour', 'dream', 'forever', 'infinity', 'nevaeh', 'ryder']

let lexicon: Lexicon | undefined

/** English words and human names as lowercase sets, built once on first use. */
export function getLexicon(): Lexicon {
  lexicon ??= buildLexicon()
  return lexicon
}

function buildLexicon(): Lexicon {
  const words = new Set(readStrings(requireJson('an-array-of-english-words')))
  const names = new Set(Object.keys(readObject(requireJson('humannames'))).map(toLower))
  for (const name of EXTRA_NAMES) names.add(name)
  return {
    isWord: (lower) => words.has(lower),
    isName: (lower) => names.has(lower),
  }
}

function readStrings(value: unknown): string[] {
  if (!Array.isArray(value)) throw new Error('an-array-of-english-words: expected an array')
  return value.filter((word): word is string => typeof word === 'string').map(toLower)
}

function readObject(value: unknown): object {
  if (typeof value !== 'object' || value === null) throw new Error('humannames: expected an object')
  return value
}

function toLower(word: string): string {
  return word.replace(/[’‘]/g, "'").toLowerCase()
}
