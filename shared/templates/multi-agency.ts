import { GRADE_DESCRIPTORS_HINT, sectionJudgement } from './grade-help'
import type { TemplateInput } from './schema'

type SectionInput = TemplateInput['sections'][number]

/**
 * Every agency answers the same four questions, so that the panel can set the agencies' accounts
 * side by side. The section id is the agency code, which is also who may edit it.
 */
function agencySection(agency: string, title: string, description: string): SectionInput {
  return {
    id: agency,
    title,
    description,
    editableBy: agency,
    questions: [
      {
        id: 'what-we-knew',
        type: 'text',
        label: 'What did we know?',
        hint: "What your agency knew about the child and family over the last six months: concerns, history, the child's needs and what the child told you.",
      },
      {
        id: 'what-we-did',
        type: 'text',
        label: 'What did we do?',
        hint: 'The help and protection your agency gave, when, and whether it matched what you knew.',
      },
      {
        id: 'how-we-shared',
        type: 'text',
        label: 'How did we share it?',
        hint: 'With whom, when and how: referrals, strategy discussions, conferences, core groups and other meetings. Was information shared promptly, and was it understood and acted on?',
      },
      {
        id: 'difference-made',
        type: 'text',
        label: 'What difference did it make?',
        hint: "What difference did your agency's work make for the child? Describe what changed in their daily life, or why nothing did.",
      },
      ...sectionJudgement("Grade your agency's practice with this child over the last six months."),
    ],
  }
}

export const multiAgencyTemplate = {
  code: 'multi-agency',
  version: 1,
  kind: 'case-file',
  title: 'Multi-agency case-file audit (MACFA)',
  description:
    'Each agency audits its own involvement with the child in its own section, answering what we knew, what we did, how we shared it and what difference it made, and grades its practice. The agencies then meet as a panel to complete the shared summary and agree the overall grade. Judge on the last six months of the record. In every section, ask what difference the work made for the child.',
  sections: [
    agencySection(
      'csc',
      "Children's social care",
      "Completed by the children's social care auditor: assessment, planning, visits and decisions by the social work team.",
    ),
    agencySection(
      'health',
      'Health',
      'Completed by the health auditor: for example midwifery, health visiting, school nursing, the GP, hospital services and mental health services for children and adults.',
    ),
    agencySection(
      'police',
      'Police',
      'Completed by the police auditor: for example domestic abuse incidents, missing episodes, strategy discussions and joint investigations.',
    ),
    agencySection(
      'education',
      'Education',
      'Completed by the education auditor: for example the school or nursery, attendance, the designated safeguarding lead and special educational needs support.',
    ),
    agencySection(
      'early-help',
      'Early help',
      'Completed by the early help auditor: for example family support, early help assessments and team around the family meetings.',
    ),
    {
      id: 'summary',
      title: 'Shared summary',
      description:
        'Completed together at the multi-agency panel, once every agency has completed its section.',
      editableBy: 'lead',
      questions: [
        {
          id: 'lived-experience',
          type: 'evidence',
          label: "Across the agencies, is the child's lived experience consistently evidenced?",
          hint: "This answer is reported against KPI A1.4. Choose consistently evidenced only where, across the last six months, the agencies' records together show what the child sees, hears, thinks and experiences every day, and this shaped what the agencies did.",
          measure: 'lived-experience',
        },
        {
          id: 'management-oversight',
          type: 'evidence',
          label:
            'Is management oversight of the work with this child evidenced in line with the practice standards?',
          hint: "This answer is reported against KPI A3.5. Choose consistently evidenced only where managers' decisions are recorded at each key point, with rationale and within timescales, and drift or delay was identified and acted on.",
          measure: 'management-oversight',
        },
        {
          id: 'strength-based',
          type: 'evidence',
          label:
            'Is strength-based practice consistently evidenced in the multi-agency assessment and plan?',
          hint: "This answer is reported against KPI A3.3. Choose consistently evidenced only where strengths and existing safety are mapped alongside harm and risk, and the family's network is part of a plan co-produced with them.",
          measure: 'strength-based',
        },
        {
          id: 'working-together',
          type: 'text',
          label: 'How well did the agencies work together?',
          hint: 'Consider information sharing, shared understanding of risk, attendance at meetings, and how disagreements were resolved.',
        },
        {
          id: 'strengths',
          type: 'text',
          label: 'What worked well?',
        },
        {
          id: 'areas-for-development',
          type: 'text',
          label: 'What needs to improve, and which agency will take it forward?',
        },
        ...sectionJudgement(
          'Grade the multi-agency response as a whole over the last six months, as agreed at the panel.',
        ),
      ],
    },
  ],
  overall: {
    label: 'Overall grade for the multi-agency response, agreed at the panel',
    hint: `Judge the last six months of the agencies' work together for this child: what difference did it make for them? ${GRADE_DESCRIPTORS_HINT}`,
  },
} satisfies TemplateInput
