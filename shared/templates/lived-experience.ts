import { GRADE_DESCRIPTORS_HINT, sectionJudgement } from './grade-help'
import type { TemplateInput } from './schema'

export const livedExperienceTemplate = {
  code: 'lived-experience',
  version: 1,
  kind: 'case-file',
  title: "The child's lived experience and voice",
  description:
    'Does the record show what life is like for this child: what they see, hear, think and experience every day, and whether their wishes and feelings shape the work with them? Judge on the last six months of the record. In every section, ask what difference the work made for the child.',
  sections: [
    {
      id: 'seeing-the-child',
      title: 'Seeing the child',
      description:
        'Whether the child is seen as often as their plan requires, where they live, and on their own.',
      questions: [
        {
          id: 'seen-within-timescales',
          type: 'compliance',
          label:
            'Was the child seen at the frequency set by their plan and the practice standards?',
          hint: "Check the dates of visits over the last six months against the visiting frequency in the plan and the practice standards for this child's service.",
        },
        {
          id: 'seen-alone',
          type: 'compliance',
          label: 'Was the child seen alone?',
          hint: 'Answer not applicable only where seeing the child alone would not be appropriate, for example a baby, and the record says why.',
        },
        {
          id: 'seen-where-they-live',
          type: 'compliance',
          label: 'Was the child seen where they live, including their bedroom?',
          hint: 'Seeing where the child sleeps, eats and plays is part of understanding their daily life.',
        },
        {
          id: 'visits-purposeful',
          type: 'evidence',
          label:
            'Is it evidenced that visits had a clear purpose and included direct work with the child?',
          hint: 'Look for the purpose of each visit, what was done with the child and what the practitioner saw. For a baby or a child who does not speak, look for observations of how they presented and interacted with the adults around them.',
        },
        {
          id: 'strengths',
          type: 'text',
          label: 'What is working well?',
          hint: 'Refer to the record, with dates, so that a moderator can find the evidence.',
        },
        {
          id: 'areas-for-development',
          type: 'text',
          label: 'What needs to improve?',
          hint: 'For example, visits missed or late, the child not seen alone, or visits that record who was present but not what the child said or did.',
        },
        ...sectionJudgement(
          'Grade how well the child was seen over the last six months, alone and where they live.',
        ),
      ],
    },
    {
      id: 'wishes-and-feelings',
      title: "The child's wishes and feelings",
      description: "Whether the child's own voice is heard and recorded.",
      questions: [
        {
          id: 'wishes-recorded',
          type: 'evidence',
          label:
            "Are the child's wishes, feelings and words recorded, in their own words where possible?",
          hint: "Look for the child's own words in quotation marks, their drawings or the results of direct-work tools, not only the practitioner's summary. For a baby or a child who does not speak, look for observations of behaviour, routines and relationships.",
        },
        {
          id: 'communication-needs',
          type: 'evidence',
          label:
            'Where the child has communication needs or speaks a language other than English, is it evidenced that an interpreter or another suitable way of communicating was used?',
          hint: 'Choose not applicable where the child has no such needs.',
        },
        {
          id: 'advocacy-offered',
          type: 'compliance',
          label: 'Was the child offered an advocate where they were entitled to one?',
          hint: 'For example, for a child protection conference or a child in care review. Answer not applicable where the child was not entitled to an advocate.',
        },
        {
          id: 'strengths',
          type: 'text',
          label: 'What is working well?',
          hint: "Quote or refer to the places in the record where the child's voice comes through, with dates.",
        },
        {
          id: 'areas-for-development',
          type: 'text',
          label: 'What needs to improve?',
          hint: 'For example, views recorded only through a parent, or the same words copied from one record to the next.',
        },
        ...sectionJudgement(
          "Grade how well the child's wishes and feelings are heard and recorded over the last six months.",
        ),
      ],
    },
    {
      id: 'daily-life',
      title: "A day in the child's life",
      description:
        "Whether the assessment and case notes show what the child sees, hears, thinks and experiences every day, and what the adults' circumstances mean for them.",
      questions: [
        {
          id: 'day-in-the-life',
          type: 'evidence',
          label: "Does the assessment describe a day in the child's life?",
          hint: 'From waking to going to sleep: who cares for them, whether they are fed and kept clean, whether they get to school or nursery, who they spend time with, and what worries or pleases them.',
        },
        {
          id: 'impact-analysed',
          type: 'evidence',
          label:
            "Does the record analyse the impact on the child of the adults' circumstances and behaviour?",
          hint: 'For example, how domestic abuse, parental mental ill-health or substance misuse affects this child, rather than describing only the adults.',
        },
        {
          id: 'lived-experience',
          type: 'evidence',
          label: "Is the child's lived experience consistently evidenced across the record?",
          hint: 'This answer is reported against KPI A1.4. Choose consistently evidenced only where the record, across the last six months, shows what the child sees, hears, thinks and experiences every day, and shows that this shaped the decisions made about them.',
          measure: 'lived-experience',
        },
        {
          id: 'strengths',
          type: 'text',
          label: 'What is working well?',
          hint: 'Refer to the assessment and case notes, with dates.',
        },
        {
          id: 'areas-for-development',
          type: 'text',
          label: 'What needs to improve?',
          hint: "For example, an assessment that describes the adults in detail but says little about the child's day.",
        },
        ...sectionJudgement(
          "Grade how well the record shows the child's daily life and its impact on them over the last six months.",
        ),
      ],
    },
    {
      id: 'identity',
      title: 'Identity and relationships',
      description:
        'Whether the child is understood as an individual: their culture, faith, language, disability and the relationships that matter to them.',
      questions: [
        {
          id: 'identity-considered',
          type: 'evidence',
          label:
            "Has the child's identity been considered, including their culture, ethnicity, faith, language, disability, gender and sexuality?",
          hint: "Look for how the child's identity affects their daily life and needs, and how the plan responds, not only a list of characteristics.",
        },
        {
          id: 'identity-recorded',
          type: 'compliance',
          label:
            "Are the child's ethnicity, religion, first language and any disability recorded on their file?",
        },
        {
          id: 'relationships-supported',
          type: 'evidence',
          label:
            'Are the relationships that matter to the child, including with brothers, sisters and wider family, understood and supported?',
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
          hint: 'For example, identity recorded as a category but not explored with the child.',
        },
        ...sectionJudgement(
          "Grade how well the child's identity and relationships are understood and supported over the last six months.",
        ),
      ],
    },
    {
      id: 'child-and-the-plan',
      title: "The child's influence on the plan",
      description:
        'Whether what the child said changed what was decided, and whether the record is written for the child.',
      questions: [
        {
          id: 'views-influenced-plan',
          type: 'evidence',
          label: "Did the child's views influence the plan?",
          hint: 'Look for where the plan says what the child wants, and how that changed what was decided, or why it could not.',
        },
        {
          id: 'plan-explained',
          type: 'compliance',
          label: 'Has the plan been explained to the child in a way they can understand?',
          hint: 'Answer not applicable only where the child is too young, and the record says so.',
        },
        {
          id: 'written-to-child',
          type: 'evidence',
          label: 'Is the record written to the child?',
          hint: 'Plain language that speaks to the child ("you", "we"), free of jargon and blame, which would make sense to them reading their file as an adult.',
        },
        {
          id: 'strengths',
          type: 'text',
          label: 'What is working well?',
          hint: 'Refer to the plan and the record, with dates.',
        },
        {
          id: 'areas-for-development',
          type: 'text',
          label: 'What needs to improve?',
          hint: "For example, a plan that does not mention the child's views, or records written about the child rather than to them.",
        },
        ...sectionJudgement(
          "Grade how far the child's views shaped the plan, and how well the record speaks to the child, over the last six months.",
        ),
      ],
    },
  ],
  overall: {
    label: "Overall grade for the child's lived experience and voice",
    hint: `Judge the last six months of practice for this child as a whole: what difference did the work make for them? ${GRADE_DESCRIPTORS_HINT}`,
  },
} satisfies TemplateInput
