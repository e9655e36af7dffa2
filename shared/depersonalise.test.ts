import { describe, expect, it } from 'vitest'
import { getLexicon } from '../app/utils/lexicon.server'
import { depersonalise, type DepersonaliseParams } from './depersonalise'

const lexicon = getLexicon()

function clean(text: string, params: Omit<DepersonaliseParams, 'lexicon'> = {}): string {
  return depersonalise(text, { lexicon, ...params })
}

describe('depersonalise: names', () => {
  it('removes a name at the start of a sentence and in the middle', () => {
    expect(clean('Grace was seen alone.')).toBe('[name] was seen alone.')
    expect(clean('The social worker saw Jayden at school.')).toBe(
      'The social worker saw [name] at school.',
    )
    expect(clean('Visits were late. Kacper said he felt ignored.')).toBe(
      'Visits were late. [name] said he felt ignored.',
    )
  })

  it('collapses a full name into one [name]', () => {
    expect(clean('Grace Smith was seen alone.')).toBe('[name] was seen alone.')
    expect(clean('We met Amelia Rose Okafor-Jones.')).toBe('We met [name].')
  })

  it('keeps the possessive, with a straight or a curly apostrophe', () => {
    expect(clean("Grace's views were recorded.")).toBe("[name]'s views were recorded.")
    expect(clean('The worker captured Aisha’s wishes.')).toBe(
      'The worker captured [name]’s wishes.',
    )
    expect(clean('Mum’s partner attended.')).toBe('Mum’s partner attended.')
  })

  it('removes hyphenated names and names with apostrophes inside', () => {
    expect(clean('Mary-Jane was seen.')).toBe('[name] was seen.')
    expect(clean('The plan for Tyler-Rose is clear.')).toBe('The plan for [name] is clear.')
    expect(clean("Visits to D'Andre and O’Connor were regular.")).toBe(
      'Visits to [name] and [name] were regular.',
    )
  })

  it('removes a name after a relation word', () => {
    expect(clean('Mum said Jayden is happier at home.')).toBe('Mum said [name] is happier at home.')
    expect(clean('Nan Pat and Aunt Rose care for him.')).toBe(
      'Nan [name] and Aunt [name] care for him.',
    )
  })

  it('removes a title and the name after it', () => {
    expect(clean('Mr Smith attended the review.')).toBe('[name] attended the review.')
    expect(clean('Letter sent to Mrs. Okafor and Dr Patel.')).toBe(
      'Letter sent to [name] and [name].',
    )
    expect(clean('Miss Hope Kowalski was present.')).toBe('[name] was present.')
    expect(clean('A GP or Dr appointment was booked.')).toBe('A GP or Dr appointment was booked.')
    expect(clean('Mr and Mrs Smith attended.')).toBe('Mr and [name] attended.')
  })

  it('removes names in capitals but keeps acronyms and shouted ordinary words', () => {
    expect(clean('JAYDEN was not seen.')).toBe('[name] was not seen.')
    expect(clean('The worker saw GRACE alone.')).toBe('The worker saw [name] alone.')
    expect(clean('THE CHILD WAS NOT SEEN BY CAMHS.')).toBe('THE CHILD WAS NOT SEEN BY CAMHS.')
    expect(clean('The worker saw JAYDEN WHITE and MAY.')).toBe('The worker saw [name] and [name].')
    expect(clean('The SENCo, the DfE and two GPs agreed.')).toBe(
      'The SENCo, the DfE and two GPs agreed.',
    )
  })

  it('removes names that are also English words, mid-sentence and at the start', () => {
    for (const name of ['Grace', 'Rose', 'Hope', 'Will', 'Faith', 'Summer', 'Hunter', 'Brook']) {
      expect(clean(`The worker saw ${name} at home.`)).toBe('The worker saw [name] at home.')
      expect(clean(`${name} was seen at home.`)).toBe('[name] was seen at home.')
    }
  })

  it('keeps month and faith words only where the context shows they are not names', () => {
    expect(clean('The review in May 2026 was late; another on 3 June.')).toBe(
      'The review in May 2026 was late; another on 3 June.',
    )
    expect(clean('The worker saw May and June at school.')).toBe(
      'The worker saw [name] and [name] at school.',
    )
    expect(clean('The family are Christian and attend a Christian church.')).toBe(
      'The family are Christian and attend a Christian church.',
    )
    expect(clean('Christian said he was happy.')).toBe('[name] said he was happy.')
    expect(clean('Youth Justice were involved.')).toBe('Youth Justice were involved.')
  })

  it('removes a surname that is an allowed word when it follows a name', () => {
    expect(clean('The worker saw Jayden White and his mother.')).toBe(
      'The worker saw [name] and his mother.',
    )
    expect(clean('He is White British.')).toBe('He is White British.')
    expect(clean("Aisha's Health Assessment was late.")).toBe(
      "[name]'s Health Assessment was late.",
    )
    expect(clean('The ICPC was in June. Police attended.')).toBe(
      'The ICPC was in [name]. Police attended.',
    )
  })

  it('removes staff names we know, in any case, but not ordinary words in lowercase', () => {
    const knownNames = ['Sarah Jones', 'Will Baker']
    expect(clean('sarah jones visited; SARAH JONES recorded it.', { knownNames })).toBe(
      '[name] visited; [name] recorded it.',
    )
    expect(clean('The plan will be reviewed by Will.', { knownNames })).toBe(
      'The plan will be reviewed by [name].',
    )
    expect(clean("Jones's supervision notes were clear.", { knownNames })).toBe(
      "[name]'s supervision notes were clear.",
    )
  })

  it('removes lowercase words that are names and not English words', () => {
    expect(clean('worker saw jayden and aisha at home')).toBe(
      'worker saw [name] and [name] at home',
    )
  })

  it('reads sentence starts after bullets, line breaks, list numbers and quotes', () => {
    expect(clean('- Grace was seen\n• Visits were late\n1) Kacper was seen')).toBe(
      '- [name] was seen\n• Visits were late\n1) [name] was seen',
    )
    expect(clean('Mum said "Amelia is sad" and “Supervision helps”.')).toBe(
      'Mum said "[name] is sad" and “Supervision helps”.',
    )
  })

  it('removes names written in scripts without capitals, and accented names', () => {
    expect(clean('The worker saw Zoë and Łucja.')).toBe('The worker saw [name] and [name].')
    expect(clean('Letter to محمد today.')).toBe('Letter to [name] today.')
  })
})

describe('depersonalise: references', () => {
  it('removes the case reference we know, ignoring case', () => {
    expect(clean('Case ab-0042 was audited.', { knownReferences: ['AB-0042'] })).toBe(
      'Case [reference] was audited.',
    )
  })

  it('removes references, numbers and contact details', () => {
    expect(clean('Ref CF-10234 and ref 1234567.')).toBe('Ref [reference] and ref [reference].')
    expect(clean('NHS number 943 476 5919 and 943-476-5919.')).toBe(
      'NHS number [reference] and [reference].',
    )
    expect(clean('Mum on 07700 900123 or +44 7700 900123 or (01632) 960001.')).toBe(
      'Mum on [reference] or [reference] or [reference].',
    )
    expect(clean('Email grace.smith@example.org today.')).toBe('Email [reference] today.')
    expect(clean('Lives at SW1A 1AA, moved from M1 1AE and b33 8th.')).toBe(
      'Lives at [reference], moved from [reference] and [reference].',
    )
    expect(clean('See https://example.org/cases/jayden-smith.')).toBe('See [reference].')
  })

  it('keeps years, dates, times, ordinals, sections and counts', () => {
    const kept = [
      'The child was seen alone on 12 March 2026.',
      'Seen on 12/03/2026, 2026-03-12 and the 3rd of April 2026 at 10:30am.',
      'The S47 enquiry and Y10 options in 2025/26, with 1:1 time 24/7 and 3 of 4 visits.',
      'A&E attended twice during Covid-19; 48hrs later, x2 visits.',
    ]
    for (const text of kept) expect(clean(text)).toBe(text)
  })
})

describe('depersonalise: what it keeps', () => {
  it('keeps ordinary audit writing as written', () => {
    const kept = [
      'CAMHS and the GP attended the Child Protection Plan review.',
      'The SMART plan is clear. Visits were regular.',
      'There is evidence of reflective Supervision. Supervision was monthly.',
      'Signs of Safety mapping, Three Houses and Words and Pictures were used.',
      'Early Help and the Police shared information at the Strategy Discussion.',
      'Voice Of The Child: Management Oversight was clear on Tuesday.',
      'I think the Independent Reviewing Officer challenged the drift.',
      'Direct work is not evidenced. Chronology is out of date.',
      '  Two spaces,\ttabs,\nand a line break stay.  ',
    ]
    for (const text of kept) expect(clean(text)).toBe(text)
  })

  it('answers empty input with itself', () => {
    expect(clean('')).toBe('')
    expect(clean('  \n')).toBe('  \n')
  })
})

// A made-up list: common and less common given names in England, names that are words, hyphenated
// and accented names, and names from the communities councils serve.
const NAMES = `
Jayden Amelia Kacper Aisha Tyler-Rose Oluwaseun Grace Rose Hope Will Olivia Oliver Isla Noah Ivy
Leo Freya Harry Lily Willow Muhammad Mohammed Jack Poppy Alfie Daisy Teddy Ruby Charlie Harper
Maya Rosie Mason Luna Ezra Aria Hunter Summer Autumn Faith Joy Sky River Storm Dawn Jade Amber
Holly Hazel Robin Brooke Bailey Harley Skye Frankie Kai Riley Ellis Jesse Sonny Ronnie Nevaeh
Destiny Precious Blessing Favour Miracle Princess Angel Tiana Shanice Jermaine Tyrone Kyle Kayden
Brandon Liam Connor Callum Declan Aoife Siobhan Niamh Ciaran Bronwen Cerys Rhys Dylan Eilidh
Lachlan Fatima Ayesha Zainab Maryam Ibrahim Yusuf Omar Hamza Bilal Zara Amira Hassan Abdi Hodan
Ayaan Faisal Priya Arjun Aarav Rohan Anaya Harpreet Gurpreet Jaspreet Simran Tariq Imran Sadia
Nusrat Rahim Kofi Kwame Ama Adwoa Chidi Chiamaka Ngozi Tunde Adebayo Folake Temitope Efosa Zofia
Szymon Wiktoria Jakub Maja Andrei Ionut Bianca Mihai Darius Gabriela Lukas Ieva Marius Elif Emre
Ayse Mehmet Nguyen Minh Wei Mei Xin Jun Dawid Krzysztof Agnieszka Zoë Chloé Noémie Mary-Jane
Lily-Mae Ella-Rose Kacey-Leigh D'Andre Ta'Nia O'Neill McKenzie MacLeod DeShawn Precious-Grace Rio
Paris Asia India Jordan Kerry Chelsea Sydney Aston Bentley Mercedes Lexus Marley Reign Royal
Legend Journey Ocean Sunny Winter Poppy-Mai Tilly Nell Cora Ada Otis Alba
`
  .trim()
  .split(/\s+/)

const TEMPLATES = [
  '{} was seen alone and said school was going well.',
  'The social worker visited {} at home on 12 March 2026.',
  "{}'s views were recorded in the assessment.",
  'There is little evidence that {} was seen alone.',
  'Mum said {} had been missing from school.',
  'Visits to {} were not in line with the Child Protection Plan.',
  '- {} has a SMART plan\n- Visits are regular',
  'The ICPC heard that {} and her brother were safe.',
  'Supervision notes do not say what {} wants.',
  '"{} is happier now," said the teacher.',
  'Direct work with {} used Three Houses.',
  'It is clear {}’s nan is a protective factor.',
  'Good: the worker knows {} well.',
  'Grandma and {} attended the Core Group.',
  'The chronology does not mention {}, who is 6.',
  'Management oversight for {} was weak.',
  '{} attends Year 6 and has an EHCP.',
  'When {} was seen, she spoke about Dad.',
  'The plan for {} and Jayden was reviewed in May 2026.',
  'Worker and {} met at the GP surgery.',
]

describe('depersonalise: property', () => {
  it('never shows any of 200 names at the start or in the middle of 20 sentences', () => {
    expect(new Set(NAMES).size).toBe(NAMES.length)
    expect(NAMES.length).toBe(200)
    const leaks: string[] = []
    for (const name of NAMES) {
      const pattern = new RegExp(`(?<![\\p{L}])${name}(?![\\p{L}])`, 'u')
      for (const template of TEMPLATES) {
        const output = clean(template.replace('{}', name))
        if (pattern.test(output)) leaks.push(output)
        if (pattern.test(clean(template.replace('{}', name.toUpperCase())))) leaks.push(output)
      }
    }
    expect(leaks).toEqual([])
  })
})
