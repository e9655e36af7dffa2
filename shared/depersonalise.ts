/**
 * Depersonalising an excerpt of audit text for the learning-themes report, where no child's name may
 * ever appear. The database holds no child names, so names are found from the text: a capitalised word
 * we cannot vouch for is treated as a name. Over-redaction is the accepted cost; a leaked name is not.
 * See docs/decisions/003-depersonalisation.md.
 */

/** Word lists, loaded on the server (`app/utils/lexicon.server.ts`); lookups take lowercase words. */
export type Lexicon = { isWord(lower: string): boolean; isName(lower: string): boolean }

export type DepersonaliseParams = {
  lexicon: Lexicon
  /** Full names we know (staff on the case); each part of two letters or more is removed. */
  knownNames?: readonly string[]
  /** The case's own references, removed exactly, ignoring case. */
  knownReferences?: readonly string[]
}

export const NAME_PLACEHOLDER = '[name]'
export const REFERENCE_PLACEHOLDER = '[reference]'

// NOTE: private-use characters mark what was removed while the text is still being read, so that no
// later rule mistakes the brackets or the word "name" for text.
const NAME_MARK = '\uE000'
const REFERENCE_MARK = '\uE001'

const ACRONYMS = new Set(
  `
  ADD ADHD AM AMHP ASAP ASC ASD BSL CAF CAMHS CCE CEO CIC CIN CLA CME CP CPP CPR CPS CSC CSE
  CSW DA DBS DC DFE DLA DOB DOLS DS DSL DV DWP EBI EHA EHCP EHM EP ETA EU EWO FGC FGM FII FYI
  GCP GP HMP HR HV ICB ICPC ICS ID IDVA IFA IHA IRO ISW IT KPI KPIS KS LA LAC LADO LCS LSCB MAPPA
  MARAC MASH MFH MH MIU MOJ MP MPS MS NB NEET NFA NHS NSPCC OK OT PA PC PCSO PEP PLO PM PR PRU PS
  PSW QA RAG RCPC RHA RHI SALT SDQ SEMH SEN SENCO SEND SGO SM SMART SW TAC TAF TM TV UASC UK UN
  UNCRC WIWW WNTI WWW YJS YOS YOT
  `
    .trim()
    .split(/\s+/),
)

/**
 * Capitalised words kept anywhere: the domain's own words, calendars, languages, faiths and
 * ethnicities as records write them, and relations. NOTE: nothing here may be a common given name;
 * those that are (April, May, June, August, Christian, Roma, Justice) are kept only in context,
 * and all-caps words like ED or AI that could be a name are left out.
 */
const ALLOWED = new Set(
  `
  january february march july september october november december
  monday tuesday wednesday thursday friday saturday sunday
  christmas easter ramadan eid diwali hanukkah
  english british welsh scottish irish northern polish romanian lithuanian latvian slovak czech
  bulgarian hungarian albanian kosovan ukrainian russian turkish kurdish syrian iraqi iranian
  afghan pakistani bangladeshi indian chinese vietnamese filipino african caribbean asian arab
  arabic somali eritrean ethiopian sudanese nigerian ghanaian zimbabwean congolese portuguese
  spanish italian french german european eastern western urdu punjabi bengali sylheti gujarati
  tamil hindi pashto dari farsi tigrinya amharic mandarin cantonese makaton gypsy traveller
  travellers romany mixed white black muslim muslims islam islamic christianity catholic protestant
  anglican pentecostal jewish judaism hindu sikh buddhist jehovah's witness witnesses rastafarian
  quran bible mosque church gurdwara synagogue madrassa deaf
  police health education school schools court courts camhs nhs ofsted social care children
  children's services service child protection need looked after conference panel strategy
  discussion review reviews plan plans planning assessment assessments team teams family families
  network meeting meetings signs safety three houses words pictures genogram ecomap early help
  mum mums mummy dad dads daddy mother mothers father fathers nan nanna nana nanny gran granny
  grandma grandad granddad grandpa grandmother grandfather grandparents aunt auntie aunty uncle
  brother sister siblings cousin stepdad stepmum stepfather stepmother partner boyfriend girlfriend
  parent parents carer carers foster fostering kinship guardian guardians baby young person people
  voice chronology smart management oversight reflective supervision risk analysis multi agency
  agencies multi-agency communication life story work identity lived experience strengths
  worries danger statement goals scaling
  manager worker practitioner practice lead leads independent reviewing officer officers personal
  advisor adviser pathway legal gateway public law outline initial core group section order orders
  placement special guardianship connected private residential home homes virtual interview return
  missing exploitation domestic abuse mental substance misuse neglect graded profile mosaic
  liquidlogic hospital midwife midwifery visitor visiting paediatrician paediatric consultant
  psychologist psychiatrist therapist therapy counsellor nurse doctor teacher headteacher head
  designated safeguarding board partnership programme course centre hub front door duty intake
  referral referrals contact disabled disability disabilities leaving leavers adoption adopted
  adoptive supported lodgings housing probation prison youth offending constable sergeant
  council authority local reception nursery primary secondary college university academy year
  tier level stage key outcome outcomes quality performance improvement audit audits auditor
  standard standards
  moderation moderator grade good outstanding requires inadequate evidence evidenced consistently
  partly judgement kpi theme themes learning
  zoom teams whatsapp facebook snapchat tiktok instagram youtube google covid
  mr mrs ms mx dr miss master prof rev revd cllr sgt
  a i
  `
    .trim()
    .split(/\s+/),
)

/** Allowed words that are also given names: kept only where the context shows which they are. */
const AMBIGUOUS_DATES = new Set(['april', 'may', 'june', 'august'])
const AMBIGUOUS_GROUPS = new Set(['christian', 'roma', 'justice'])
const DATE_CONTEXT = new Set(
  `since during until till last next mid early late throughout before after end start beginning
  middle`.split(/\s+/),
)
const GROUP_BEFORE = new Set(`a an the are were practising practicing devout`.split(' '))
const GROUP_AFTER = new Set(
  `faith family families church churches community communities background heritage values beliefs
  upbringing household religion festival festivals practices traditions culture identity school
  schools group groups child children boy girl parents carers foster fostering foods food`
    .trim()
    .split(/\s+/),
)

/**
 * Words that start sentences: pronouns, determiners, conjunctions, prepositions, auxiliaries and the
 * commoner adverbs and verbs of audit writing. NOTE: no given name belongs here (Will, May, Hope, Mark,
 * Bill, Sue, Pat, Faith, Joy, Rich, Frank and the like are left out on purpose).
 */
const STARTERS = new Set(
  `
  i me my mine we us our ours you your yours he him his she her hers it its they them their theirs
  this that these those there here who whom whose which what when where why how whoever whatever
  a an the some any no none all both each every either neither few many much more most several
  other others another such same own one two three four five six seven eight nine ten first second
  third fourth fifth last next final previous
  and but or nor so yet for because although though while whilst whereas if unless until since
  once as than whether however therefore thus hence also additionally furthermore moreover overall
  meanwhile otherwise instead still even just only already again then now today yesterday tomorrow
  recently currently previously subsequently initially finally later earlier soon often sometimes
  always never usually generally regularly frequently rarely occasionally consistently clearly
  evidently unfortunately fortunately sadly positively importantly notably significantly
  particularly especially specifically ultimately eventually immediately
  in on at by with without within from to into onto of off over under above below between among
  across through throughout during before after about around against along towards toward despite
  following regarding concerning including excluding upon beyond beside besides via per
  is are was were be been being am has have had having do does did doing can could shall should
  would must might ought
  not yes very quite rather too well fairly really
  there's it's that's what's let's here's who's he's she's i'm i've i'll i'd we're we've we'll
  they're they've they'll you're don't didn't doesn't can't couldn't won't wouldn't shouldn't
  isn't aren't wasn't weren't hasn't haven't hadn't mustn't needn't
  visits visit visited visiting seen seeing see saw meet met contact contacts discussion
  supervision management managers manager oversight evidence records record recording recorded
  notes note case cases file files plan plans planning assessment assessments review reviews
  actions action work working worked practice practitioner practitioners worker workers
  direct direction decisions decision decision-making analysis risks risk needs concerns
  concern worries strengths strength areas area improvement improvements development progress
  outcome outcomes impact difference support supports supported services service referral
  referrals information chronology chronologies genograms genogram ecomaps ecomap tools tool
  direct-work feedback reflection reflections reflective learning themes theme good strong
  clear clearer better best excellent positive poor weak limited lack lacking insufficient
  sufficient appropriate inappropriate timely delayed delays late early missed missing regular
  recent further additional multi-agency partnership partners partner agencies agency professionals
  professional meetings meeting minutes conference conferences strategy core groups group
  there'd use using used make making made ensure ensuring ensured consider considering considered
  need needed needs require requires required should
  children child child's children's young family families parents parent carers carer mum dad
  mother father siblings school schools education health police housing
  whilst upon amongst yes no ok okay please thank thanks
  letter letters ref email phone text call calls home house college court legal chair step steps
  drift delay delays safe harm staff reason reasons persons cover hearing hearings orders little
  lots records prior current benefits weight sleep short long county lines bail friends music
  games media grade quality senior duty open up down
  `
    .trim()
    .split(/\s+/),
)

/** Common words left out of STARTERS because they are also given names; ordinary in lowercase. */
const LOWERCASE_ONLY_WORDS = new Set(['will', 'may', 'can', 'hope', 'mark', 'bill', 'sue', 'pat'])

/** Small words kept even capitalised mid-sentence, as in a title-case heading ("Voice Of The Child"). */
const FUNCTION_WORDS = new Set(
  `a an the and or but nor of in on at by to for from with into onto as is are was were be not no
  this that these those it its our your their his her my we you they he she`
    .trim()
    .split(/\s+/),
)

/** Honorifics always followed by a name. */
const TITLES = new Set(['mr', 'mrs', 'ms', 'mx'])
/** Honorifics followed by a name only when the next word is capitalised ("Dr appointment" is not). */
const CAPITALISED_TITLES = new Set(
  `dr miss master prof rev revd cllr sgt pc dc ds sir dame`.split(' '),
)

type Token = {
  text: string
  start: number
  end: number
  /** The word without a possessive 's, folded to lowercase, with ’ as '. */
  lower: string
  /** The possessive ending, as written, or ''. */
  suffix: string
}

/**
 * `depersonalise('Grace Smith was seen at home.', { lexicon })` → `[name] was seen at home.`
 * Names become `[name]`, references `[reference]`; everything else, punctuation and whitespace
 * included, is kept as written.
 */
export function depersonalise(text: string, params: DepersonaliseParams): string {
  const cleaned = text.replace(/[\uE000\uE001]/g, '')
  if (cleaned.trim() === '') return cleaned
  const withoutReferences = removeReferences(cleaned, params.knownReferences ?? [])
  const withoutNames = removeNames(withoutReferences, params)
  return withoutNames
    .replace(/\uE000(?:[ \t]+\uE000)+/g, NAME_MARK)
    .replaceAll(NAME_MARK, NAME_PLACEHOLDER)
    .replaceAll(REFERENCE_MARK, REFERENCE_PLACEHOLDER)
}

const NOT_ALNUM_BEFORE = '(?<![\\p{L}\\p{N}])'
const NOT_ALNUM_AFTER = '(?![\\p{L}\\p{N}])'

const REFERENCE_PATTERNS = [
  /\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]'’”]/giu,
  /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu,
  // UK telephone numbers: +44 or 0, then 9 or 10 digits, spaced or dashed as people write them.
  /(?<![\p{L}\p{N}+])(?:\+44[ \t-]?(?:\(0\)[ \t]?)?|\(?0)(?:\d[ \t)-]{0,2}){8,9}\d(?!\p{N})/gu,
  // NHS numbers: 3-3-4 digits.
  /(?<!\p{N})\d{3}[ \t-]?\d{3}[ \t-]?\d{4}(?!\p{N})/gu,
  // Postcodes: outward code, optional space, inward code ("SW1A 1AA", "M1 1AE", "b33 8th").
  new RegExp(
    `${NOT_ALNUM_BEFORE}[a-z]{1,2}\\d[a-z\\d]?[ \\t]*\\d[a-z]{2}${NOT_ALNUM_AFTER}`,
    'giu',
  ),
]

/** Runs of letters and digits joined by - / . _ : ("CF-10234", "12/03/2026", "S47"). */
const CODE_PATTERN = /[\p{L}\p{N}]+(?:[-/._:][\p{L}\p{N}]+)*/gu

/** Codes with digits that identify nothing: years, dates, times, ordinals, sections, durations. */
const HARMLESS_CODES = [
  /^\d{1,3}$/,
  /^\d{1,3}[.:]\d{1,3}$/, // decimals and clock times
  /^(?:19|20)\d{2}$/,
  /^(?:19|20)\d{2}[-/](?:\d{2}|(?:19|20)\d{2})$/, // 2025/26, 2025-2026
  /^\d{1,2}[-/.]\d{1,2}[-/.](?:\d{2}|(?:19|20)\d{2})$/,
  /^\d{1,2}[-/.](?:19|20)\d{2}$/,
  /^(?:19|20)\d{2}-\d{1,2}(?:-\d{1,2})?$/,
  /^\d{1,2}(?:st|nd|rd|th)$/i,
  /^\d{1,2}(?:[.:]\d{2})?(?:am|pm)$/i,
  /^\d{1,2}[.:]\d{2}$/,
  /^s\.?\d{1,3}[a-z]?$/i, // sections of an Act: S47, s17, S20
  /^(?:y|yr|year|ks)\d{1,2}$/i, // school years and key stages
  /^\d{1,3}(?:yo|yrs?|mths?|months?|wks?|weeks?|days?|hrs?|hours?|mins?|x|kg|g|cm|m|km|ml|mg|k|st|lb|lbs)$/i,
  /^x\d{1,3}$/i,
  /^covid-?19$/i,
  /^\d{1,2}:\d{1,2}$/, // 1:1, 2:1
  /^24\/7$/,
  /^\d{1,3}\/\d{1,3}$/, // 2/3 of visits, 13/16
]

function removeReferences(text: string, knownReferences: readonly string[]): string {
  let result = text
  for (const reference of knownReferences) {
    const trimmed = reference.trim()
    if (trimmed === '') continue
    const pattern = new RegExp(
      `${NOT_ALNUM_BEFORE}${escapeRegExp(trimmed).replace(/\s+/g, '\\s*')}${NOT_ALNUM_AFTER}`,
      'giu',
    )
    result = result.replace(pattern, REFERENCE_MARK)
  }
  for (const pattern of REFERENCE_PATTERNS) result = result.replace(pattern, REFERENCE_MARK)
  // A code with digits identifies something unless it is harmless; one joined by _ is a user name
  // or a file name.
  return result.replace(CODE_PATTERN, (code) =>
    code.includes('_') ||
    (/\p{N}/u.test(code) && !HARMLESS_CODES.some((harmless) => harmless.test(code)))
      ? REFERENCE_MARK
      : code,
  )
}

const WORD_PATTERN =
  /(?<![\p{L}\p{M}\p{N}])[\p{L}\p{M}]+(?:['’‘-][\p{L}\p{M}]+)*(?![\p{L}\p{M}\p{N}])/gu

function removeNames(text: string, params: DepersonaliseParams): string {
  const { lexicon } = params
  const knownParts = namePartsOf(params.knownNames ?? [])
  const tokens = [...text.matchAll(WORD_PATTERN)].map((match) => toToken(match[0], match.index))
  const isNameAt = tokens.map(() => false)
  // A title and its name become one [name]: "Mrs. Jones" leaves no stray dot.
  const titleAt = tokens.map(() => false)

  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]
    if (!token) continue
    const previous = tokens[index - 1]
    const next = tokens[index + 1]
    const nextBeside = next && areBeside(text, token, next) ? next : undefined
    if (next && isTitle(token, next, text)) {
      titleAt[index] = true
      isNameAt[index + 1] = true
      index++
      continue
    }
    isNameAt[index] = isName(token, {
      lexicon,
      knownParts,
      text,
      sentenceStart: isSentenceStart(text, token.start),
      followsName:
        isNameAt[index - 1] === true && previous?.suffix === '' && areBeside(text, previous, token),
      previous: previous && areBeside(text, previous, token) ? previous : undefined,
      next: nextBeside,
    })
  }

  let result = ''
  let position = 0
  tokens.forEach((token, index) => {
    if (titleAt[index]) {
      result += text.slice(position, token.start)
      position = tokens[index + 1]?.start ?? token.end
    } else if (isNameAt[index]) {
      result += text.slice(position, token.start) + NAME_MARK + token.suffix
      position = token.end
    }
  })
  return result + text.slice(position)
}

function toToken(text: string, start: number): Token {
  const normalised = text.replace(/[’‘]/g, "'")
  const base = /^(.+)'s$/i.exec(normalised)?.[1]
  const keepWhole = base === undefined || STARTERS.has(normalised.toLowerCase())
  return {
    text,
    start,
    end: start + text.length,
    lower: (keepWhole ? normalised : base).toLowerCase(),
    suffix: keepWhole ? '' : text.slice(-2),
  }
}

/** Whether only spaces or tabs lie between two tokens, as between the parts of one name. */
function areBeside(text: string, left: Token | undefined, right: Token): boolean {
  return left !== undefined && /^[ \t]+$/.test(text.slice(left.end, right.start))
}

function isTitle(token: Token, next: Token, text: string): boolean {
  if (token.suffix !== '' || !/^\.?[ \t]+$/.test(text.slice(token.end, next.start))) return false
  if (TITLES.has(token.lower)) return !(isLowercase(next.text) && FUNCTION_WORDS.has(next.lower))
  return (
    CAPITALISED_TITLES.has(token.lower) && isCapitalised(token.text) && isCapitalised(next.text)
  )
}

type Context = {
  lexicon: Lexicon
  knownParts: Set<string>
  text: string
  sentenceStart: boolean
  followsName: boolean
  previous: Token | undefined
  next: Token | undefined
}

function isName(token: Token, context: Context): boolean {
  const { lexicon, knownParts } = context
  const { lower } = token
  const parts = lower.split('-')
  const word = token.text.slice(0, token.text.length - token.suffix.length)

  if (knownParts.has(lower) || parts.some((part) => knownParts.has(part))) {
    return !(isLowercase(word) && (STARTERS.has(lower) || LOWERCASE_ONLY_WORDS.has(lower)))
  }
  if (isLowercase(word)) {
    return parts.some(
      (part) => !lexicon.isWord(part) && lexicon.isName(part) && !isVouchedFor(part),
    )
  }
  if (!isCapitalised(word)) return true // scripts without case, or a lowercase first letter
  if (word.length === 1) return !/^[AI]$/.test(word) && !isBesideAmpersand(token, context.text)

  if (isAcronym(word)) return false
  // A surname after a given name, even one we would keep alone: "Jayden White".
  if (context.followsName && lexicon.isName(lower)) return true
  const ordinary = parts.every(
    (part) => isVouchedFor(part) || (lexicon.isWord(part) && !lexicon.isName(part)),
  )
  if (isAllCaps(word)) {
    return !(isVouchedFor(lower) || ordinary)
  }
  if (AMBIGUOUS_DATES.has(lower)) return !isDateContext(token, context)
  if (AMBIGUOUS_GROUPS.has(lower)) return !isGroupContext(context)
  if (ALLOWED.has(lower) || parts.every((part) => ALLOWED.has(part))) return false
  if (FUNCTION_WORDS.has(lower)) return false
  if (!context.sentenceStart) return true
  return !(STARTERS.has(lower) || ordinary)
}

/** An acronym as written, also mixed-case or plural: CAMHS, SENCo, DfE, GPs, IROs. */
function isAcronym(word: string): boolean {
  if (!/\p{Lu}/u.test(word.slice(1))) return false
  const upper = word.toUpperCase()
  return ACRONYMS.has(upper) || (word.endsWith('s') && ACRONYMS.has(upper.slice(0, -1)))
}

function isVouchedFor(lower: string): boolean {
  return ALLOWED.has(lower) || STARTERS.has(lower) || ACRONYMS.has(lower.toUpperCase())
}

function isDateContext(token: Token, { text, previous }: Context): boolean {
  // "May's review" reads as a name as often as a month.
  if (token.suffix !== '') return false
  const before = text.slice(Math.max(0, token.start - 6), token.start)
  const after = text.slice(token.end, token.end + 6)
  return (
    /\d(?:st|nd|rd|th)?[ \t]+$/i.test(before) ||
    /^[ \t]*\d|^,[ \t]*(?:19|20)\d{2}(?!\d)/.test(after) ||
    (previous !== undefined && DATE_CONTEXT.has(previous.lower))
  )
}

function isGroupContext({ previous, next }: Context): boolean {
  if (previous && GROUP_BEFORE.has(previous.lower)) return true
  if (next && GROUP_AFTER.has(next.lower)) return true
  return [previous, next].some(
    (neighbour) =>
      neighbour !== undefined &&
      isCapitalised(neighbour.text) &&
      ALLOWED.has(neighbour.lower) &&
      !AMBIGUOUS_GROUPS.has(neighbour.lower),
  )
}

function isBesideAmpersand(token: Token, text: string): boolean {
  return text[token.start - 1] === '&' || text[token.end] === '&'
}

/**
 * Whether a word opens a sentence: at the start, after . ! ? : ; or a line break, after an opening
 * quote or bracket, or after a bullet or list number at the start of a line.
 */
function isSentenceStart(text: string, index: number): boolean {
  let at = index - 1
  while (at >= 0 && /[ \t]/.test(text[at] ?? '')) at--
  if (at < 0) return true
  const char = text[at] ?? ''
  if (/["“‘(\[«'‚„]/.test(char)) return true
  if (/[\r\n\u2028\u2029.!?:;…]/.test(char)) return true
  if (/[-–—*•·▪◦‣>]/.test(char)) return isLineStart(text, at)
  if (/[)"”’'\]]/.test(char)) {
    let before = at
    while (before >= 0 && /[)"”’'\]]/.test(text[before] ?? '')) before--
    if (/[.!?…]/.test(text[before] ?? '')) return true
    // A list item "1) " or "a) " at the start of a line.
    const from = Math.max(0, at - 8)
    const item = /(^|[\r\n])[ \t]*\(?[\p{L}\p{N}]{1,3}\)$/u.exec(text.slice(from, at + 1))
    return item !== null && (item[1] !== '' || from === 0)
  }
  return false
}

function isLineStart(text: string, index: number): boolean {
  let at = index - 1
  while (at >= 0 && /[ \t]/.test(text[at] ?? '')) at--
  return at < 0 || /[\r\n\u2028\u2029]/.test(text[at] ?? '')
}

function namePartsOf(knownNames: readonly string[]): Set<string> {
  const parts = new Set<string>()
  for (const name of knownNames) {
    for (const part of name.replace(/[’‘]/g, "'").toLowerCase().split(/\s+/)) {
      for (const piece of [part, ...part.split('-')]) {
        const bare = piece.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '')
        if (bare.length >= 2) parts.add(bare)
      }
    }
  }
  return parts
}

function isCapitalised(word: string): boolean {
  const first = word.charAt(0)
  return first !== first.toLowerCase() && first === first.toUpperCase()
}

function isLowercase(word: string): boolean {
  return word === word.toLowerCase() && word !== word.toUpperCase()
}

function isAllCaps(word: string): boolean {
  const letters = word.replace(/[^\p{L}]/gu, '')
  return (
    letters.length >= 2 && letters === letters.toUpperCase() && letters !== letters.toLowerCase()
  )
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
