import { GRADE_DESCRIPTORS_HINT, sectionJudgement } from './grade-help'
import type { TemplateInput } from './schema'

export const supervisionTemplate = {
  code: 'supervision',
  version: 1,
  kind: 'supervision',
  title: "The practitioner's supervision record",
  description:
    "Is the practitioner supervised at the frequency the practice standards set, with signed records on file, and is supervision reflective: exploring hypotheses, the emotional impact of the work and what each child's experience is? Judge on the last six months of supervision records. In every section, ask what difference supervision made for the children the practitioner works with.",
  sections: [
    {
      id: 'arrangements',
      title: 'Supervision agreement',
      description: 'Whether supervision rests on an agreement that both people have signed.',
      questions: [
        {
          id: 'agreement-on-file',
          type: 'compliance',
          label: 'Is there a supervision agreement, signed by the supervisor and the practitioner?',
        },
        {
          id: 'agreement-current',
          type: 'compliance',
          label:
            'Has the agreement been reviewed in the last twelve months, or since a change of supervisor?',
        },
        {
          id: 'strengths',
          type: 'text',
          label: 'What is working well?',
          hint: 'Refer to the agreement and records, with dates.',
        },
        {
          id: 'areas-for-development',
          type: 'text',
          label: 'What needs to improve?',
          hint: 'For example, an agreement that is out of date or does not say how often supervision will happen.',
        },
        ...sectionJudgement('Grade the supervision agreement and how well it is used.'),
      ],
    },
    {
      id: 'frequency-and-recording',
      title: 'Frequency and recording',
      description:
        'Whether supervision happens as often as the practice standards say, and is recorded.',
      questions: [
        {
          id: 'frequency-met',
          type: 'compliance',
          label:
            'Has supervision taken place at the frequency the practice standards set, throughout the last six months?',
        },
        {
          id: 'records-signed',
          type: 'compliance',
          label: 'Are the supervision records signed and on file?',
        },
        {
          id: 'decisions-on-child-files',
          type: 'compliance',
          label: "Are case decisions from supervision recorded on each child's file?",
        },
        {
          id: 'supervision-standards',
          type: 'evidence',
          label: 'Is supervision in line with the practice standards?',
          hint: "This answer is reported against KPI A3.2. Choose consistently evidenced only where, across the last six months, supervision happened at the required frequency, every record is signed and on file, and case decisions are on the children's files.",
          measure: 'supervision-standards',
        },
        {
          id: 'strengths',
          type: 'text',
          label: 'What is working well?',
          hint: 'Refer to the supervision records, with dates.',
        },
        {
          id: 'areas-for-development',
          type: 'text',
          label: 'What needs to improve?',
          hint: 'For example, cancelled supervision not rearranged, or records left unsigned.',
        },
        ...sectionJudgement(
          'Grade the frequency and recording of supervision over the last six months.',
        ),
      ],
    },
    {
      id: 'reflective-practice',
      title: 'Reflective supervision',
      description:
        'Whether supervision helps the practitioner think about the children they work with, not only track tasks.',
      questions: [
        {
          id: 'hypotheses',
          type: 'evidence',
          label: 'Are hypotheses explored and tested, with other explanations considered?',
        },
        {
          id: 'emotional-impact',
          type: 'evidence',
          label: 'Is the emotional impact of the work on the practitioner explored?',
        },
        {
          id: 'child-experience',
          type: 'evidence',
          label: "Does supervision ask what each child's experience is?",
          hint: 'Look for discussion of what the child sees, hears, thinks and experiences every day, and what difference the work is making for them.',
        },
        {
          id: 'reflective-supervision',
          type: 'evidence',
          label: 'Is there evidence of reflective supervision?',
          hint: "This answer is reported against KPI A3.4. Choose consistently evidenced only where, across the last six months, supervision explores hypotheses, the emotional impact of the work and what each child's experience is, and does not only list tasks.",
          measure: 'reflective-supervision',
        },
        {
          id: 'strengths',
          type: 'text',
          label: 'What is working well?',
          hint: 'Quote or refer to reflective discussions, with dates.',
        },
        {
          id: 'areas-for-development',
          type: 'text',
          label: 'What needs to improve?',
          hint: 'For example, case lists with actions and deadlines but no discussion of the children.',
        },
        ...sectionJudgement(
          'Grade the quality of reflection in supervision over the last six months.',
        ),
      ],
    },
    {
      id: 'actions',
      title: 'Actions and follow-up',
      description: 'Whether actions from supervision are clear and reviewed.',
      questions: [
        {
          id: 'previous-actions-reviewed',
          type: 'compliance',
          label: 'Were previous actions reviewed?',
        },
        {
          id: 'actions-clear',
          type: 'evidence',
          label: 'Are actions specific, with an owner and a timescale?',
        },
        {
          id: 'strengths',
          type: 'text',
          label: 'What is working well?',
          hint: 'Refer to the records, with dates.',
        },
        {
          id: 'areas-for-development',
          type: 'text',
          label: 'What needs to improve?',
          hint: 'For example, actions carried forward from one supervision to the next without comment.',
        },
        ...sectionJudgement('Grade how clear actions are, and how well they are followed up.'),
      ],
    },
    {
      id: 'learning-and-wellbeing',
      title: "The practitioner's learning and wellbeing",
      description: 'Whether supervision supports the practitioner as well as managing their work.',
      questions: [
        {
          id: 'wellbeing',
          type: 'evidence',
          label: "Is the practitioner's wellbeing considered?",
          hint: 'Including their workload and caseload, and the effect of the work on them.',
        },
        {
          id: 'learning',
          type: 'evidence',
          label: "Is the practitioner's learning and development considered?",
          hint: 'For example, training, reflective reading, and progress against their development plan or appraisal.',
        },
        {
          id: 'strengths',
          type: 'text',
          label: 'What is working well?',
          hint: 'Refer to the records, with dates.',
        },
        {
          id: 'areas-for-development',
          type: 'text',
          label: 'What needs to improve?',
          hint: 'For example, learning and wellbeing headings left blank.',
        },
        ...sectionJudgement(
          "Grade how well supervision supports the practitioner's learning and wellbeing.",
        ),
      ],
    },
  ],
  overall: {
    label: 'Overall grade for the supervision record',
    hint: `Judge the last six months of supervision as a whole: what difference did it make for the children the practitioner works with? ${GRADE_DESCRIPTORS_HINT}`,
  },
} satisfies TemplateInput
