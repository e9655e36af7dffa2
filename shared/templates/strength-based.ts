import { GRADE_DESCRIPTORS_HINT, sectionJudgement } from './grade-help'
import type { TemplateInput } from './schema'

export const strengthBasedTemplate = {
  code: 'strength-based',
  version: 1,
  kind: 'case-file',
  title: 'Strength-based, relational assessment and planning',
  description:
    "Are the family's strengths and existing safety mapped alongside harm and risk, is the family's own network part of the plan, and is the work done with the child and family rather than to them? Judge on the last six months of the record. In every section, ask what difference the work made for the child.",
  sections: [
    {
      id: 'assessment',
      title: 'Strengths, harm and safety in the assessment',
      description: 'Whether the assessment weighs what is going well against what is worrying.',
      questions: [
        {
          id: 'strengths-and-safety-mapped',
          type: 'evidence',
          label: 'Are strengths and existing safety mapped alongside harm and risk?',
          hint: 'For example, a mapping of what is working well, what we are worried about and what needs to happen, with existing safety described as things that actually happen, not hopes.',
        },
        {
          id: 'danger-statement-and-safety-goal',
          type: 'evidence',
          label: 'Are there a clear danger statement and safety goal?',
          hint: 'A danger statement says what we are worried will happen to the child if nothing changes; a safety goal says what the family will be doing to keep the child safe. Both should be in words the family understands.',
        },
        {
          id: 'strength-based',
          type: 'evidence',
          label: 'Is strength-based practice consistently evidenced in the assessment and plan?',
          hint: 'This answer is reported against KPI A3.3. Choose consistently evidenced only where, across the last six months, strengths and safety are weighed alongside harm, the family and network help shape the plan, and the language is respectful.',
          measure: 'strength-based',
        },
        {
          id: 'strengths',
          type: 'text',
          label: 'What is working well?',
          hint: 'Refer to the assessment, with dates.',
        },
        {
          id: 'areas-for-development',
          type: 'text',
          label: 'What needs to improve?',
          hint: 'For example, an assessment that lists risks but no strengths, or strengths that are not linked to safety.',
        },
        ...sectionJudgement(
          'Grade how well the assessment maps strengths and safety alongside harm and risk.',
        ),
      ],
    },
    {
      id: 'family-network',
      title: 'The family and their network',
      description: "Whether the family's own network is found, involved and part of the plan.",
      questions: [
        {
          id: 'network-in-plan',
          type: 'evidence',
          label: "Is the family's own network part of the plan?",
          hint: 'Look for named family members and friends with agreed roles in keeping the child safe and well.',
        },
        {
          id: 'family-meeting-offered',
          type: 'compliance',
          label: 'Was a family group conference or family network meeting offered?',
          hint: 'Answer not applicable where the record explains why it would not be appropriate.',
        },
        {
          id: 'genogram',
          type: 'compliance',
          label: 'Is there an up-to-date genogram or ecomap on the file?',
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
          hint: 'For example, a network identified at the start that has dropped out of the plan.',
        },
        ...sectionJudgement(
          "Grade how well the family's network has been found, involved and used in the plan.",
        ),
      ],
    },
    {
      id: 'relationships-and-language',
      title: 'Relationships and language',
      description:
        'Whether the practitioner works with the family, and writes in a way the family can read and recognise.',
      questions: [
        {
          id: 'respectful-language',
          type: 'evidence',
          label: 'Is the language respectful and understandable to the family?',
          hint: 'Free of jargon, acronyms and blaming language; the family could read it and recognise themselves.',
        },
        {
          id: 'family-views-recorded',
          type: 'evidence',
          label: "Are the parents' and carers' views recorded, including where they disagree?",
        },
        {
          id: 'working-relationship',
          type: 'evidence',
          label:
            'Is there evidence of a consistent, trusting working relationship between the practitioner and the family?',
          hint: 'Look for how the practitioner engaged the family, followed through on what they said they would do, and explained concerns honestly.',
        },
        {
          id: 'strengths',
          type: 'text',
          label: 'What is working well?',
          hint: 'Quote or refer to examples from the record, with dates.',
        },
        {
          id: 'areas-for-development',
          type: 'text',
          label: 'What needs to improve?',
          hint: 'For example, frequent changes of worker, or records the family would find hard to read.',
        },
        ...sectionJudgement(
          'Grade the quality of the relationship with the family and of the language used.',
        ),
      ],
    },
    {
      id: 'direct-work',
      title: 'Direct work with the child',
      description:
        'Whether the child is helped to understand what is happening and to say how things are for them.',
      questions: [
        {
          id: 'child-friendly-tools',
          type: 'compliance',
          label: 'Were child-friendly tools used, such as three houses or words and pictures?',
          hint: 'Answer not applicable only where the child is too young, and the record shows how their experience was understood instead.',
        },
        {
          id: 'explanation-for-child',
          type: 'evidence',
          label:
            'Has the child been given an explanation of what is happening and why, suited to their age and understanding?',
          hint: 'For example, a words-and-pictures story, or a letter to the child.',
        },
        {
          id: 'lived-experience',
          type: 'evidence',
          label:
            "Is the child's lived experience consistently evidenced in the assessment and plan?",
          hint: 'This answer is reported against KPI A1.4. Choose consistently evidenced only where, across the last six months, the record shows what the child sees, hears, thinks and experiences every day, and this shaped the plan.',
          measure: 'lived-experience',
        },
        {
          id: 'strengths',
          type: 'text',
          label: 'What is working well?',
          hint: 'Refer to direct-work records, with dates.',
        },
        {
          id: 'areas-for-development',
          type: 'text',
          label: 'What needs to improve?',
          hint: 'For example, a tool completed once with nothing done with what the child said.',
        },
        ...sectionJudgement('Grade the quality and impact of direct work with the child.'),
      ],
    },
    {
      id: 'planning',
      title: 'SMART, co-produced planning',
      description: 'Whether the plan is clear, measurable, agreed with the family and reviewed.',
      questions: [
        {
          id: 'plan-smart',
          type: 'evidence',
          label: 'Is the plan SMART: specific, measurable, achievable, realistic and time-bound?',
          hint: 'Each action says who will do what by when, and how everyone will know it has made a difference for the child.',
        },
        {
          id: 'plan-co-produced',
          type: 'evidence',
          label: 'Was the plan co-produced with the child, the family and their network?',
        },
        {
          id: 'plan-reviewed',
          type: 'compliance',
          label: 'Has the plan been reviewed within timescales?',
        },
        {
          id: 'strengths',
          type: 'text',
          label: 'What is working well?',
          hint: 'Refer to the plan and reviews, with dates.',
        },
        {
          id: 'areas-for-development',
          type: 'text',
          label: 'What needs to improve?',
          hint: 'For example, actions such as "engage with services" with no owner, date or measure of success.',
        },
        ...sectionJudgement(
          'Grade how SMART and co-produced the plan is, and whether it is making a difference.',
        ),
      ],
    },
  ],
  overall: {
    label: 'Overall grade for strength-based, relational assessment and planning',
    hint: `Judge the last six months of practice for this child as a whole: what difference did the work make for them? ${GRADE_DESCRIPTORS_HINT}`,
  },
} satisfies TemplateInput
