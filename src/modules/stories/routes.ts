import type { FastifyInstance } from 'fastify';
import { requireAllowed } from '../../core/auth/guards.ts';
import { createStoryHandler, newStory, saveConsent, saveStoryChange, showConsent, showStories, showStory, showStoryChange } from './handlers.ts';

/**
 * Anonymised stories for the Leadership Group's report. Whether the person agrees is part of their record, kept by
 * their coordinators and managers; the stories themselves are built and edited by managers only. Whose record a
 * story comes from travels in the query or the form, never in a story's address.
 */
export async function storiesRoutes(app: FastifyInstance): Promise<void> {
  const consent = { preHandler: requireAllowed('story-consent.record') };
  const manage = { preHandler: requireAllowed('stories.manage') };
  app.get('/people/:id/story-consent', consent, showConsent);
  app.post('/people/:id/story-consent', consent, saveConsent);
  app.get('/stories', manage, showStories);
  app.get('/stories/new', manage, newStory);
  app.post('/stories', manage, createStoryHandler);
  app.get('/stories/:id', manage, showStory);
  app.get('/stories/:id/change', manage, showStoryChange);
  app.post('/stories/:id/change', manage, saveStoryChange);
}
