import type { ColumnType, Generated } from 'kysely';
import type { ThemeCode } from './themes.ts';

/** The vision module's tables (migrations/0003_vision.ts), added to the shared Database type. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A calendar date stays 'YYYY-MM-DD' text (see core/db/database.ts). */
type CalendarDate = ColumnType<string, string, string>;

export interface VisionsTable {
  id: Generated<string>;
  programme_id: string;
  person_id: string;
  words: string;
  said_on: CalendarDate;
  recorded_by: string;
  form_token: string;
  created_at: Timestamp;
}

export interface WhatMattersTable {
  programme_id: string;
  person_id: string;
  what_matters: string | null;
  gifts: string | null;
  skills: string | null;
  interests: string | null;
  experience: string | null;
  version: number;
  updated_by: string;
  updated_at: Timestamp;
}

export interface ThemeChoicesTable {
  programme_id: string;
  person_id: string;
  version: number;
  updated_by: string;
  updated_at: Timestamp;
}

export interface PersonThemesTable {
  programme_id: string;
  person_id: string;
  theme: ThemeCode;
  note: string | null;
}

declare module '../../core/db/schema.ts' {
  interface Database {
    visions: VisionsTable;
    what_matters: WhatMattersTable;
    theme_choices: ThemeChoicesTable;
    person_themes: PersonThemesTable;
  }
}
