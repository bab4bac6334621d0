// Inputs of the inbox's operations (tabs and pages, claims, deciding several tasks at once).
import { z } from 'zod';
import { INBOX_TABS, MAX_BULK, MAX_PAGE } from '../../services/inbox.service.js';
import { refusedAs, text } from './fields.js';

const taskId = z.string().min(1, 'a task id is not empty').max(300, 'a task id is at most 300 characters');

/** `tab`: mine, roles, decided or all (admins); `offset` and `limit` (at most 100) cut the page. */
export const inboxPageInput = z.object({
  tab: z.enum(INBOX_TABS, { error: `tab must be one of ${INBOX_TABS.join(', ')}` }),
  offset: z.number({ error: 'offset must be a whole number' }).int('offset must be a whole number').min(0, 'offset must be 0 or more').max(10_000_000, 'offset is at most 10,000,000').optional(),
  limit: z.number({ error: 'limit must be a whole number' }).int('limit must be a whole number').min(1, 'limit must be at least 1').max(MAX_PAGE, `limit is at most ${MAX_PAGE}`).optional(),
});

export const claimInput = z.object({ id: taskId });

/** Up to 100 tasks, one decision and one comment for all. */
export const decideManyInput = z.object({
  ids: z.array(taskId, { error: 'ids must be a list of task ids' }).min(1, 'choose at least one task').max(MAX_BULK, `at most ${MAX_BULK} tasks at once`)
    .refine((ids) => new Set(ids).size === ids.length, 'a task is listed twice'),
  decision: refusedAs('INVALID_INPUT', z.enum(['approve', 'reject'], { error: 'decision must be "approve" or "reject"' })),
  comment: refusedAs('INVALID_INPUT', text('comment must be text').max(10_000, 'comment is at most 10,000 characters').optional()),
});
