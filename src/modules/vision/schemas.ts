import { z } from 'zod';
import { joinDateParts, type FormValues } from '../../core/http/forms.ts';
import { THEME_CODES, THEMES, type ThemeCode } from './themes.ts';

export const VISION_MAX = 5000;
export const ABOUT_MAX = 5000;
export const THEME_NOTE_MAX = 1000;

const BROKEN_FORM = 'This form could not be read. Reload the page and try again';

const optionalText = (max: number, tooLong: string) =>
  z
    .string(BROKEN_FORM)
    .trim()
    .max(max, tooLong)
    .optional()
    .transform((v) => (v === undefined || v === '' ? null : v));

/** The hidden version of the record the form was opened on; 0 when there was nothing written down yet. */
const version = z
  .string(BROKEN_FORM)
  .regex(/^\d{1,9}$/, BROKEN_FORM)
  .transform(Number);

/** A new version of the person's vision of a good life. `today` bounds the date they said it. */
export function visionSchema(today: string) {
  return z.preprocess(
    (values) => ({ ...(values as FormValues), saidOn: joinDateParts(values as FormValues, 'saidOn') }),
    z.object({
      words: z
        .string('Enter their vision of a good life, in their own words')
        .trim()
        .min(1, 'Enter their vision of a good life, in their own words')
        .max(VISION_MAX, `Their vision must be ${VISION_MAX} characters or fewer`),
      saidOn: z
        .string()
        .min(1, 'Enter the date they said this')
        .refine((v) => !v.startsWith('invalid:'), 'The date they said this must be a real date, like 27 3 2026')
        .refine((v) => v <= today, 'The date they said this must be today or in the past'),
      formToken: z.uuid('This form has expired. Reload the page and try again'),
    }),
  );
}

export type VisionInput = z.output<ReturnType<typeof visionSchema>>;

/** The headings of "what matters to them" and their gifts, in page order, with the form field of each. */
export const ABOUT_FIELDS = [
  { field: 'whatMatters', label: 'What matters to them', hint: 'The people, places and things that matter to them, in their words.' },
  { field: 'gifts', label: 'Gifts', hint: 'What they bring to others: for example kindness, humour, being a good listener.' },
  { field: 'skills', label: 'Skills', hint: 'For example cooking, fixing bikes, speaking Polish, driving.' },
  { field: 'interests', label: 'Interests', hint: 'For example gardening, football, music, local history.' },
  { field: 'experience', label: 'Experience', hint: 'From life and work: for example caring for a parent, running a stall, bringing up children.' },
] as const;

export type AboutField = (typeof ABOUT_FIELDS)[number]['field'];

export const whatMattersSchema = z.object({
  whatMatters: optionalText(ABOUT_MAX, `What matters to them must be ${ABOUT_MAX} characters or fewer`),
  gifts: optionalText(ABOUT_MAX, `Their gifts must be ${ABOUT_MAX} characters or fewer`),
  skills: optionalText(ABOUT_MAX, `Their skills must be ${ABOUT_MAX} characters or fewer`),
  interests: optionalText(ABOUT_MAX, `Their interests must be ${ABOUT_MAX} characters or fewer`),
  experience: optionalText(ABOUT_MAX, `Their experience must be ${ABOUT_MAX} characters or fewer`),
  version,
});

export type WhatMattersInput = z.output<typeof whatMattersSchema>;

/** The form field holding the note for one theme. */
export function noteField(code: ThemeCode): string {
  return `note-${code}`;
}

const themeCodes = new Set<string>(THEME_CODES);

/**
 * The themes they want to change: any number of the list, each with an optional note in their words. A note
 * for a theme that is not chosen is not kept (the note box belongs to its checkbox).
 */
export const themesSchema = z
  .object({
    themes: z.preprocess(
      (v) => (v === undefined ? [] : [v].flat()),
      z
        .array(z.string())
        .refine((list) => list.every((code) => themeCodes.has(code)), 'Select the things they want to change from the list')
        .transform((list) => [...new Set(list)] as ThemeCode[]),
    ),
    ...Object.fromEntries(
      THEMES.map((t) => [noteField(t.code), optionalText(THEME_NOTE_MAX, `The note about ${t.label.toLowerCase()} must be ${THEME_NOTE_MAX} characters or fewer`)]),
    ),
    version,
  })
  .transform((form) => {
    const notes = form as unknown as Record<string, string | null | undefined>;
    return {
      version: form.version,
      themes: THEME_CODES.filter((code) => form.themes.includes(code)).map((code) => ({ code, note: notes[noteField(code)] ?? null })),
    };
  });

export type ThemesInput = z.output<typeof themesSchema>;

