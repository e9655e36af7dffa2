import { GRADE_DESCRIPTORS_HINT, sectionJudgement } from './grade-help'
import type { TemplateInput } from './schema'

export const managementOversightTemplate = {
  code: 'management-oversight',
  version: 1,
  kind: 'case-file',
  title: 'Management oversight and decision-making',
  description:
    'Are decisions about this child made by a manager at each key point, recorded with their rationale and within timescales, and does oversight reflect on and challenge the work, not only check compliance? Judge on the last six months of the record. In every section, ask what difference the oversight made for the child.',
  sections: [
    {
      id: 'decisions',
      title: 'Management decisions',
      description: 'Whether each key decision is made by a manager, recorded and made in time.',
      questions: [
        {
          id: 'decision-at-key-points',
          type: 'compliance',
          label: 'Is there a recorded management decision at each key point?',
          hint: 'Key points include the decision on a contact or referral, the start and end of an assessment, strategy discussions, section 47 enquiries, conferences and reviews, legal planning, and closure or step-down.',
        },
        {
          id: 'decisions-in-timescale',
          type: 'compliance',
          label: 'Were those decisions made within timescales?',
          hint: 'Check against the timescales in the practice standards and statutory guidance.',
        },
        {
          id: 'rationale-recorded',
          type: 'evidence',
          label:
            "Does each decision record its rationale, and the child's needs and risks it responds to?",
          hint: 'A decision such as "continue with plan" with no reasons is not a rationale.',
        },
        {
          id: 'strengths',
          type: 'text',
          label: 'What is working well?',
          hint: 'Refer to the management decisions on the record, with dates.',
        },
        {
          id: 'areas-for-development',
          type: 'text',
          label: 'What needs to improve?',
          hint: 'For example, key points with no recorded decision, late decisions, or decisions without reasons.',
        },
        ...sectionJudgement(
          'Grade the quality and timeliness of management decisions over the last six months.',
        ),
      ],
    },
    {
      id: 'sign-off',
      title: 'Sign-off of the assessment and plan',
      description:
        'Whether the manager signed off the assessment and plan, and checked their quality.',
      questions: [
        {
          id: 'assessment-signed-off',
          type: 'compliance',
          label: 'Did the manager sign off the assessment?',
        },
        {
          id: 'plan-signed-off',
          type: 'compliance',
          label: 'Did the manager sign off the current plan?',
        },
        {
          id: 'quality-checked',
          type: 'evidence',
          label:
            'Does the sign-off show that the manager checked the quality of the assessment and plan, not only that they were complete?',
          hint: "Look for comments on the analysis, the child's voice and whether the plan addresses the risks and needs found.",
        },
        {
          id: 'strengths',
          type: 'text',
          label: 'What is working well?',
          hint: 'Refer to the sign-off comments, with dates.',
        },
        {
          id: 'areas-for-development',
          type: 'text',
          label: 'What needs to improve?',
          hint: 'For example, an assessment signed off weeks after completion, or sign-off with no comment on quality.',
        },
        ...sectionJudgement(
          'Grade how well the assessment and plan were signed off and quality assured.',
        ),
      ],
    },
    {
      id: 'reflection-and-challenge',
      title: 'Reflection and challenge',
      description:
        'Whether oversight helps the practitioner think, and challenges where it should.',
      questions: [
        {
          id: 'reflection-challenge',
          type: 'evidence',
          label: 'Does oversight show reflection and challenge, not only compliance?',
          hint: 'Look for hypotheses tested, questions asked of the practitioner, other explanations considered and clear direction.',
        },
        {
          id: 'management-oversight',
          type: 'evidence',
          label: 'Is management oversight evidenced in line with the practice standards?',
          hint: "This answer is reported against KPI A3.5. Choose consistently evidenced only where oversight across the last six months is regular, timely, recorded on the child's file, and shows reflection and challenge as well as compliance.",
          measure: 'management-oversight',
        },
        {
          id: 'strengths',
          type: 'text',
          label: 'What is working well?',
          hint: 'Quote or refer to oversight entries that show reflection and challenge, with dates.',
        },
        {
          id: 'areas-for-development',
          type: 'text',
          label: 'What needs to improve?',
          hint: 'For example, oversight that lists tasks and deadlines but never asks what is happening for the child.',
        },
        ...sectionJudgement(
          'Grade the quality of reflection and challenge in management oversight over the last six months.',
        ),
      ],
    },
    {
      id: 'drift-and-delay',
      title: 'Drift and delay',
      description: 'Whether drift or delay in the plan is noticed and acted on.',
      questions: [
        {
          id: 'drift-identified',
          type: 'evidence',
          label: 'Is drift or delay identified and acted on?',
          hint: 'Look for the manager noticing when actions slip, saying what must happen and by when, and checking that it did.',
        },
        {
          id: 'actions-on-time',
          type: 'compliance',
          label: "Have the plan's actions been completed within their timescales?",
        },
        {
          id: 'escalated',
          type: 'compliance',
          label: 'Where drift, delay or disagreement arose, was it escalated?',
          hint: 'For example, to a service manager, the child protection chair or the Independent Reviewing Officer. Answer not applicable where there was nothing to escalate.',
        },
        {
          id: 'strengths',
          type: 'text',
          label: 'What is working well?',
          hint: 'Refer to the record, with dates.',
        },
        {
          id: 'areas-for-development',
          type: 'text',
          label: 'What needs to improve?',
          hint: 'For example, the same actions carried over from one review to the next without comment.',
        },
        ...sectionJudgement(
          'Grade how well drift and delay were identified and acted on over the last six months.',
        ),
      ],
    },
    {
      id: 'case-supervision',
      title: 'Case discussion in supervision',
      description:
        'Whether the case is discussed in supervision and the actions from it followed up.',
      questions: [
        {
          id: 'discussed-in-supervision',
          type: 'compliance',
          label:
            'Has the case been discussed in supervision at the frequency the practice standards set?',
        },
        {
          id: 'recorded-on-file',
          type: 'compliance',
          label: "Is a record of each case discussion on the child's file?",
        },
        {
          id: 'actions-followed-up',
          type: 'evidence',
          label: 'Are actions from supervision followed up?',
          hint: 'Look for the next supervision reviewing the previous actions, and for the actions being completed.',
        },
        {
          id: 'strengths',
          type: 'text',
          label: 'What is working well?',
          hint: "Refer to the supervision records on the child's file, with dates.",
        },
        {
          id: 'areas-for-development',
          type: 'text',
          label: 'What needs to improve?',
          hint: 'For example, gaps between supervisions, or actions that are never reviewed.',
        },
        ...sectionJudgement(
          'Grade how well the case was discussed in supervision, and its actions followed up, over the last six months.',
        ),
      ],
    },
    {
      id: 'child-at-the-centre',
      title: 'The child at the centre of decisions',
      description:
        "Whether managers' decisions are made with the child's daily experience in view.",
      questions: [
        {
          id: 'views-in-decisions',
          type: 'evidence',
          label: "Do management decisions refer to the child's wishes and feelings?",
        },
        {
          id: 'lived-experience',
          type: 'evidence',
          label:
            "Is the child's lived experience consistently evidenced in the record and in management decisions?",
          hint: "This answer is reported against KPI A1.4. Choose consistently evidenced only where, across the last six months, the record shows what the child sees, hears, thinks and experiences every day, and managers' decisions respond to it.",
          measure: 'lived-experience',
        },
        {
          id: 'strengths',
          type: 'text',
          label: 'What is working well?',
          hint: 'Refer to the record, with dates.',
        },
        {
          id: 'areas-for-development',
          type: 'text',
          label: 'What needs to improve?',
          hint: 'For example, decisions that talk only about the adults or about process.',
        },
        ...sectionJudgement(
          "Grade how well management decisions keep the child's experience in view over the last six months.",
        ),
      ],
    },
  ],
  overall: {
    label: 'Overall grade for management oversight and decision-making',
    hint: `Judge the last six months of management oversight for this child as a whole: what difference did it make for them? ${GRADE_DESCRIPTORS_HINT}`,
  },
} satisfies TemplateInput
