/**
 * The things a person may want to change, from the seeds. The codes are stable: they are stored with each
 * person and the Leadership Group's "themes people want to change" counts are keyed on them. Change a label
 * freely; never change or reuse a code (the database checks the list too, in migrations/0003_vision.ts).
 */
export const THEMES = [
  { code: 'home_and_housing', label: 'Home and housing' },
  { code: 'money_and_debt', label: 'Money and debt' },
  { code: 'benefits', label: 'Benefits' },
  { code: 'mental_wellbeing', label: 'Mental wellbeing' },
  { code: 'physical_health', label: 'Physical health and long-term conditions' },
  { code: 'loneliness_and_isolation', label: 'Loneliness and isolation' },
  { code: 'bereavement', label: 'Bereavement' },
  { code: 'alcohol_and_drugs', label: 'Alcohol and drugs' },
  { code: 'managing_daily_life', label: 'Managing daily life (for example hoarding, cooking)' },
  { code: 'family_and_caring', label: 'Family and caring' },
  { code: 'learning_volunteering_and_work', label: 'Learning, volunteering and work' },
  { code: 'safety', label: 'Safety' },
  { code: 'getting_online', label: 'Getting online' },
] as const;

export type ThemeCode = (typeof THEMES)[number]['code'];

export const THEME_CODES = THEMES.map((t) => t.code) as [ThemeCode, ...ThemeCode[]];

export const THEME_LABELS = Object.fromEntries(THEMES.map((t) => [t.code, t.label])) as Record<ThemeCode, string>;
